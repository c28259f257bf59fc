//! The deploy engine as a library: deploy stacks of an [`Assembly`] through change sets, in
//! dependency order, reporting every step as a [`DeployEvent`] and returning typed results.
//!
//! ```no_run
//! # async fn example(assembly: synth_cli::assembly::Assembly) {
//! use synth_cli::aws::{Session, Target};
//! use synth_cli::deploy::{DeployOptions, Recorder, RequireApproval, deploy};
//!
//! let session = Session::load(&Target::default()).await;
//! let options = DeployOptions {
//!     require_approval: RequireApproval::Never,
//!     ..DeployOptions::default()
//! };
//! let recorder = Recorder::new(true);
//! let ids: Vec<String> = assembly.stacks.iter().map(|s| s.id.clone()).collect();
//! let report = deploy(&session, &assembly, &ids, &options, &recorder).await;
//! assert!(report.succeeded());
//! # }
//! ```

pub mod blue_green_hook;
pub mod capabilities;
pub mod change_set;
pub mod data_guard;
pub mod events;
mod exports;
mod prepare;
pub mod routes;
pub mod services;
pub mod stack;
pub mod staging;
pub mod status;
mod transition;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::types::StackStatus;

pub use events::{
    Approval, ApprovalRequest, ChangeRow, DeployEvent, Recorder, Reporter, StackEventRow,
};
pub(crate) use prepare::delete_and_wait;
pub use status::{StackInfo, StackOutput};

use crate::assembly::Assembly;
use crate::aws::Session;
use crate::bootstrap::DEFAULT_TOOLKIT_STACK;
use crate::error::EngineError;
use crate::schedule::{self, Direction};
use events::Sink;

/// When the engine asks before executing a change set (`--require-approval`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RequireApproval {
    /// Never ask (`--yes`, `--require-approval never`).
    Never,
    /// Ask for every change set that changes something (`--require-approval any-change`).
    AnyChange,
    /// Ask when a resource is replaced or IAM / security-group access is broadened
    /// (`--require-approval broadening`). The default.
    #[default]
    Broadening,
}

/// A parameter value from the command line: `Stack:Key=Value`, or `Key=Value` for every stack
/// that declares `Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterValue {
    /// The stack id, or `None` for every stack.
    pub stack: Option<String>,
    /// The parameter name.
    pub key: String,
    /// The value.
    pub value: String,
}

impl FromStr for ParameterValue {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| format!("parameter `{text}` must look like [STACK:]KEY=VALUE"))?;
        let (stack, key) = match name.split_once(':') {
            Some((stack, key)) => (Some(stack.to_owned()), key),
            None => (None, name),
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "parameter `{text}`: the name `{key}` must be alphanumeric, as in [STACK:]KEY=VALUE"
            ));
        }
        Ok(Self {
            stack,
            key: key.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// How to deploy.
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// When to ask before executing. Default: [`RequireApproval::Broadening`].
    pub require_approval: RequireApproval,
    /// Execute the change sets. Default: `true`; `false` leaves them for review
    /// (`--no-execute`).
    pub execute: bool,
    /// Parameter values. Default: none (template defaults; previous values on update).
    pub parameters: Vec<ParameterValue>,
    /// Tags for every stack, besides the stacks' own. Default: none.
    pub tags: BTreeMap<String, String>,
    /// How many independent stacks deploy at once. Default: 1.
    pub concurrency: usize,
    /// Run ContinueUpdateRollback on a stack in UPDATE_ROLLBACK_FAILED before deploying.
    /// Default: `false` (report the stack and the resources to skip).
    pub continue_rollback: bool,
    /// How often to poll CloudFormation. Default: 2 s.
    pub poll_interval: Duration,
    /// The staging stack for templates over 51,200 bytes. Default: `SynthToolkit`.
    pub toolkit_stack: String,
    /// Resources whose data the user accepts to lose, as `STACK/LOGICAL_ID`
    /// (`--allow-data-loss`). Default: none: a change set that would delete or replace a
    /// resource holding data is not executed (see [`data_guard`]).
    pub allow_data_loss: Vec<String>,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            require_approval: RequireApproval::default(),
            execute: true,
            parameters: Vec::new(),
            tags: BTreeMap::new(),
            concurrency: 1,
            continue_rollback: false,
            poll_interval: Duration::from_secs(2),
            toolkit_stack: DEFAULT_TOOLKIT_STACK.to_owned(),
            allow_data_loss: Vec::new(),
        }
    }
}

/// How a stack's deploy ended, when it did not fail.
#[derive(Clone, Debug, PartialEq)]
pub enum StackOutcome {
    /// The change set was executed and the stack is `status`.
    Deployed {
        /// `CREATE_COMPLETE` or `UPDATE_COMPLETE`.
        status: StackStatus,
        /// The stack's outputs.
        outputs: Vec<StackOutput>,
        /// What the change set changed.
        changes: Vec<ChangeRow>,
    },
    /// The stack is already as the template says.
    NoChanges {
        /// The stack's outputs.
        outputs: Vec<StackOutput>,
    },
    /// The change set was left for review (`--no-execute`).
    ChangeSetCreated {
        /// The change set ARN.
        arn: String,
        /// Its changes.
        changes: Vec<ChangeRow>,
    },
}

impl StackOutcome {
    /// The outputs known after the deploy.
    pub fn outputs(&self) -> &[StackOutput] {
        match self {
            Self::Deployed { outputs, .. } | Self::NoChanges { outputs } => outputs,
            Self::ChangeSetCreated { .. } => &[],
        }
    }
}

/// One stack's result.
#[derive(Debug)]
pub struct StackResult {
    /// The stack id.
    pub stack: String,
    /// How it ended.
    pub result: Result<StackOutcome, EngineError>,
    /// How long it took.
    pub elapsed: Duration,
}

/// The results of a deploy, one per selected stack, in the order they finished.
#[derive(Debug, Default)]
pub struct DeployReport {
    /// The per-stack results.
    pub stacks: Vec<StackResult>,
}

impl DeployReport {
    /// Whether every stack deployed (or had no changes, or got its change set).
    pub fn succeeded(&self) -> bool {
        self.stacks.iter().all(|stack| stack.result.is_ok())
    }

    /// The outputs of every stack that has some: stack id → key → value.
    pub fn outputs(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut all = BTreeMap::new();
        for stack in &self.stacks {
            if let Ok(outcome) = &stack.result
                && !outcome.outputs().is_empty()
            {
                all.insert(
                    stack.stack.clone(),
                    outcome
                        .outputs()
                        .iter()
                        .map(|output| (output.key.clone(), output.value.clone()))
                        .collect(),
                );
            }
        }
        all
    }
}

/// Deploys the stacks `ids` of `assembly` (in the assembly's dependency order; a stack
/// whose dependency fails is skipped), at most `options.concurrency` at a time.
///
/// When a stack drops an export that deployed stacks import, and this deploy also updates
/// every one of them to a template without the import, the stack deploys twice: first
/// keeping the export (a transitional template), then, once the importers deployed, without
/// it. The plan is announced before anything changes (see `transition.rs`).
pub async fn deploy(
    session: &Session,
    assembly: &Assembly,
    ids: &[String],
    options: &DeployOptions,
    reporter: &dyn Reporter,
) -> DeployReport {
    let sink = Sink { reporter };
    let transitions = if options.execute {
        transition::plan(session, assembly, ids).await
    } else {
        Vec::new()
    };
    for planned in &transitions {
        sink.notice(&planned.producer, planned.describe());
    }
    let mut first = assembly.clone();
    for planned in &transitions {
        if let Some(stack) = first.stacks.iter_mut().find(|s| s.id == planned.producer) {
            *stack = planned.transitional.clone();
        }
    }
    let mut report = run(session, &first, ids, options, &sink).await;
    for planned in &transitions {
        finish_transition(session, assembly, options, &sink, planned, &mut report).await;
    }
    report
}

/// Deploys `ids` in dependency order.
async fn run(
    session: &Session,
    assembly: &Assembly,
    ids: &[String],
    options: &DeployOptions,
    sink: &Sink<'_>,
) -> DeployReport {
    let dependencies = assembly.dependencies();
    let elapsed = std::sync::Mutex::new(BTreeMap::new());
    let results = schedule::run(
        ids,
        &dependencies,
        Direction::DependenciesFirst,
        options.concurrency,
        "deploy",
        |id| {
            let elapsed = &elapsed;
            async move {
                let started = Instant::now();
                let result = match assembly.stack(&id) {
                    Some(stack) => stack::deploy(session, options, sink, stack).await,
                    None => Err(EngineError::NotInAssembly { stack: id.clone() }),
                };
                elapsed
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(id.clone(), started.elapsed());
                sink.emit(DeployEvent::Finished {
                    stack: id,
                    elapsed: started.elapsed(),
                });
                result
            }
        },
    )
    .await;
    let elapsed = elapsed
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut report = DeployReport::default();
    for (stack, result) in results {
        report.stacks.push(StackResult {
            elapsed: elapsed.get(&stack).copied().unwrap_or_default(),
            stack,
            result,
        });
    }
    report
}

/// The second step of a transition: once the producer and every importer deployed, the
/// producer deploys its final template (without the exports); its result replaces the
/// first step's. When one of them failed, the producer keeps the exports, which is safe.
async fn finish_transition(
    session: &Session,
    assembly: &Assembly,
    options: &DeployOptions,
    sink: &Sink<'_>,
    planned: &transition::Transition,
    report: &mut DeployReport,
) {
    let succeeded = |id: &String| {
        report
            .stacks
            .iter()
            .any(|result| &result.stack == id && result.result.is_ok())
    };
    if !succeeded(&planned.producer) || !planned.consumers.iter().all(succeeded) {
        let message = format!(
            "keeps export(s) {}: a stack of the transition did not deploy",
            planned.exports.join(", ")
        );
        sink.notice(&planned.producer, message);
        return;
    }
    let Some(stack) = assembly.stack(&planned.producer) else {
        return;
    };
    let message = format!(
        "{} no longer import(s) {}: removing the export(s)",
        planned.consumers.join(", "),
        planned.exports.join(", ")
    );
    sink.notice(&planned.producer, message);
    let started = Instant::now();
    let result = stack::deploy(session, options, sink, stack).await;
    sink.emit(DeployEvent::Finished {
        stack: planned.producer.clone(),
        elapsed: started.elapsed(),
    });
    if let Some(entry) = report
        .stacks
        .iter_mut()
        .find(|entry| entry.stack == planned.producer)
    {
        entry.elapsed += started.elapsed();
        entry.result = result;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_parse_with_and_without_a_stack() {
        let value: ParameterValue = "Web:ImageTag=v1=2".parse().expect("valid");
        assert_eq!(value.stack.as_deref(), Some("Web"));
        assert_eq!(value.key, "ImageTag");
        assert_eq!(value.value, "v1=2");
        let global: ParameterValue = "Env=prod".parse().expect("valid");
        assert_eq!(global.stack, None);
        let error = "novalue".parse::<ParameterValue>().expect_err("invalid");
        assert_eq!(
            error,
            "parameter `novalue` must look like [STACK:]KEY=VALUE"
        );
        let error = "Web:Bad-Key=1"
            .parse::<ParameterValue>()
            .expect_err("invalid");
        assert!(error.contains("`Bad-Key` must be alphanumeric"), "{error}");
    }
}
