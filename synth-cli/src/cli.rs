//! The command-line grammar (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
pub use construct_lib::cli::{ContextArgs, SynthArgs, TemplateFormat};

use crate::deploy::{ParameterValue, RequireApproval};

/// Synthesizes this app's stacks into CloudFormation templates, and diffs, deploys and
/// destroys them through the CloudFormation API.
#[derive(Debug, Parser)]
#[command(version, long_about = None)]
pub struct Cli {
    /// The command; `synth` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of `synth` when no command is given.
    #[command(flatten)]
    pub synth: SynthArgs,
    /// Context values for the app (`-c KEY=VALUE`).
    #[command(flatten)]
    pub context: ContextArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validates every stack and writes the cloud assembly (default command).
    Synth(SynthArgs),
    /// Lists the stacks of the app; with --long, where they deploy and their deployed status.
    List(ListArgs),
    /// Shows what deploying would change: local templates against the deployed ones.
    Diff(DiffArgs),
    /// Deploys stacks through change sets, in dependency order.
    Deploy(DeployArgs),
    /// Deletes deployed stacks, dependents first.
    Destroy(DestroyArgs),
    /// Detects drift: resources changed in the account behind CloudFormation's back, with the
    /// properties that differ. Exit code 0 in sync, 1 drifted, other failed.
    Drift(DriftArgs),
    /// Moves resources whose logical ID (or stack) changed to their new place through
    /// CloudFormation's stack refactoring, instead of replacing them at the next deploy.
    Refactor(RefactorArgs),
    /// Deploys the staging stack (a bucket for templates over 51,200 bytes) in a region.
    Bootstrap(BootstrapArgs),
    /// Turns an existing CloudFormation template (JSON or YAML) into a Rust module of typed
    /// L1 resources that synthesizes back to the same template.
    Migrate(MigrateArgs),
}

impl Command {
    /// The command's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Synth(_) => "synth",
            Self::List(_) => "list",
            Self::Diff(_) => "diff",
            Self::Deploy(_) => "deploy",
            Self::Destroy(_) => "destroy",
            Self::Refactor(_) => "refactor",
            Self::Drift(_) => "drift",
            Self::Bootstrap(_) => "bootstrap",
            Self::Migrate(_) => "migrate",
        }
    }
}

/// Where the stacks come from.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// Use the cloud assembly in this directory (written by an earlier `synth`, or by the AWS
    /// CDK) instead of synthesizing the app.
    #[arg(long, value_name = "DIR")]
    pub app: Option<PathBuf>,
}

/// Where AWS is. Unset options come from the default chain: `AWS_PROFILE`, `AWS_REGION`,
/// `AWS_ENDPOINT_URL`, the shared config files, instance roles.
#[derive(Debug, Args, Clone, Default)]
pub struct AwsArgs {
    /// The named profile of ~/.aws/config.
    #[arg(long)]
    pub profile: Option<String>,
    /// The region of stacks whose environment has none.
    #[arg(long)]
    pub region: Option<String>,
    /// Another CloudFormation/S3 endpoint, such as LocalStack or moto.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl From<&AwsArgs> for crate::aws::Target {
    fn from(args: &AwsArgs) -> Self {
        Self {
            profile: args.profile.clone(),
            region: args.region.clone(),
            endpoint_url: args.endpoint_url.clone(),
        }
    }
}

/// Which stacks a command works on.
#[derive(Debug, Args, Clone, Default)]
pub struct StackSelection {
    /// Stack names; `*` matches any run of characters. Default: the only stack.
    #[arg(value_name = "STACK")]
    pub stacks: Vec<String>,
    /// Every stack of the app.
    #[arg(long, conflicts_with = "stacks")]
    pub all: bool,
    /// Only the named stacks, not the stacks they depend on (deploy) or that depend on them
    /// (destroy).
    #[arg(long, short)]
    pub exclusively: bool,
}

/// Options of `list`.
#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// Also prints each stack's environment, dependencies and deployed status (when AWS
    /// credentials are available).
    #[arg(long, short)]
    pub long: bool,
    /// Where the stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where AWS is.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Options of `diff`.
#[derive(Debug, Args, Clone)]
pub struct DiffArgs {
    /// Which stacks.
    #[command(flatten)]
    pub selection: StackSelection,
    /// Compare with this template file (JSON or YAML) instead of the deployed one; works
    /// offline, for one stack.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Exit with code 5 when there are differences (for CI).
    #[arg(long)]
    pub fail: bool,
    /// Where the stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where AWS is.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Options of `deploy`.
#[derive(Debug, Args, Clone)]
pub struct DeployArgs {
    /// Which stacks.
    #[command(flatten)]
    pub selection: StackSelection,
    /// Do not ask for approval (same as --require-approval never).
    #[arg(long, short)]
    pub yes: bool,
    /// When to ask before executing a change set.
    #[arg(long, value_enum, default_value_t = RequireApproval::Broadening)]
    pub require_approval: RequireApproval,
    /// Create the change sets and leave them for review without executing them.
    #[arg(long)]
    pub no_execute: bool,
    /// A parameter value, `STACK:KEY=VALUE` or `KEY=VALUE` for every stack (repeatable).
    #[arg(long = "parameters", value_name = "[STACK:]KEY=VALUE")]
    pub parameters: Vec<ParameterValue>,
    /// A tag for every stack, `KEY=VALUE` (repeatable).
    #[arg(long = "tags", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    /// How many independent stacks deploy at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Continue a failed rollback (ContinueUpdateRollback) of a stack in UPDATE_ROLLBACK_FAILED
    /// before deploying it.
    #[arg(long)]
    pub continue_rollback: bool,
    /// Write the stacks' outputs to this JSON file ({"Stack": {"Key": "Value"}}).
    #[arg(long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,
    /// The staging stack for templates over 51,200 bytes.
    #[arg(long, default_value = crate::bootstrap::DEFAULT_TOOLKIT_STACK)]
    pub toolkit_stack_name: String,
    /// Seconds between polls of CloudFormation.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
    /// First move the resources whose logical ID or stack changed (as `refactor` does, with
    /// the same confirmation, which --yes gives), then deploy.
    #[arg(long, conflicts_with = "no_execute")]
    pub refactor: bool,
    /// Accept that this resource's data is lost: a change set that deletes or replaces a
    /// resource holding data (a bucket, database, log group, ...) without a Retain or
    /// Snapshot policy is otherwise not executed (repeatable).
    #[arg(long, value_name = "STACK/LOGICAL_ID", value_parser = parse_resource_name)]
    pub allow_data_loss: Vec<String>,
    /// Where the stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where AWS is.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// `STACK/LOGICAL_ID`, both parts non-empty.
fn parse_resource_name(text: &str) -> Result<String, String> {
    match text.split_once('/') {
        Some((stack, id)) if !stack.is_empty() && !id.is_empty() && !id.contains('/') => {
            Ok(text.to_owned())
        }
        _ => Err(format!(
            "`{text}` is not STACK/LOGICAL_ID (the stack's id in the app, a slash, the resource's logical ID, as the refusal lists them)"
        )),
    }
}

/// Options of `migrate`.
#[derive(Debug, Args, Clone)]
pub struct MigrateArgs {
    /// The template to migrate (JSON, or YAML with or without the short forms `!Ref`, `!Sub`...).
    #[arg(value_name = "TEMPLATE")]
    pub template: PathBuf,
    /// Write the module to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file `--out` names if it exists.
    #[arg(long, short)]
    pub force: bool,
}

/// Options of `drift`.
#[derive(Debug, Args, Clone)]
pub struct DriftArgs {
    /// Which stacks.
    #[command(flatten)]
    pub selection: StackSelection,
    /// Seconds between polls of CloudFormation.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
    /// Where the stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where AWS is.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Options of `refactor`.
#[derive(Debug, Args, Clone)]
pub struct RefactorArgs {
    /// Which stacks: renames are looked for among these (select both stacks of a move).
    #[command(flatten)]
    pub selection: StackSelection,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub yes: bool,
    /// Seconds between polls of CloudFormation.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
    /// The staging stack for templates over 51,200 bytes.
    #[arg(long, default_value = crate::bootstrap::DEFAULT_TOOLKIT_STACK)]
    pub toolkit_stack_name: String,
    /// Where the stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where AWS is.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Options of `destroy`.
#[derive(Debug, Args, Clone)]
pub struct DestroyArgs {
    /// Which stacks.
    #[command(flatten)]
    pub selection: StackSelection,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub force: bool,
    /// How many independent stacks are deleted at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Seconds between polls of CloudFormation.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
    /// Where the stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where AWS is.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Options of `bootstrap`.
#[derive(Debug, Args, Clone)]
pub struct BootstrapArgs {
    /// The staging stack's name.
    #[arg(long, default_value = crate::bootstrap::DEFAULT_TOOLKIT_STACK)]
    pub toolkit_stack_name: String,
    /// Seconds between polls of CloudFormation.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
    /// Where AWS is (the stack goes to --region, else the chain's region).
    #[command(flatten)]
    pub aws: AwsArgs,
}

fn parse_tag(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("tag `{text}` must look like KEY=VALUE")),
    }
}
