//! The command line of an app that only synthesizes (feature `cli`, on by default):
//! `synth` (the default command) and `list`, with `-c KEY=VALUE` context values and the
//! app's own options in the same parser, shown in `--help`. Deploying is the job of the
//! separately installed `synth-cli` (`synth-cli deploy --app cdk.out`), as the AWS CDK
//! separates the app from its CLI; an app that links `synth-cli` gets its commands in its own
//! binary instead (`synth_cli::run`). An app that only synthesizes builds without the AWS
//! SDK and tokio: a shorter first build and edit loop.
//!
//! ```no_run
//! use construct_lib::App;
//! use construct_lib::cli::{AppError, Context};
//!
//! /// This app's options, beside the command line's own.
//! #[derive(clap::Args)]
//! struct Options {
//!     /// Which environment to synthesize (`config/ENV.json`).
//!     #[arg(long, default_value = "dev", global = true)]
//!     env: String,
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     construct_lib::cli::run_with(|options: &Options, context: &Context| {
//!         let mut app = App::new();
//!         app.stack(&format!("Web-{}", options.env));
//!         if context.get("with-queue") == Some("true") {
//!             app.stack("Queue");
//!         }
//!         Ok::<_, AppError>(app)
//!     })
//! }
//! ```

mod args;
mod exit;
mod findings;
mod list;
mod report;
pub mod synth;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::{App, CloudAssembly};

pub use args::{Context, ContextArgs, ListArgs, NoOptions, SynthArgs, TemplateFormat};
pub use exit::{AppError, Exit, SynthError};
pub use findings::render as render_findings;
pub use report::write as write_report;

/// The commands of `synth-cli` that need the deploy engine, which an app built with this
/// command line does not link.
pub const DEPLOY_COMMANDS: [&str; 4] = ["diff", "deploy", "destroy", "bootstrap"];

/// Synthesizes this app's stacks into a cloud assembly (`cdk.out/`): CloudFormation templates
/// and a manifest that `synth-cli` and the AWS CDK CLI deploy.
#[derive(Debug, Parser)]
#[command(
    long_about = None,
    after_help = "diff, deploy, destroy and bootstrap are commands of synth-cli: run \
                  `synth-cli deploy --app cdk.out` after synth (install it with \
                  `cargo install --path synth-cli` from the construct-lib repository)."
)]
pub struct Cli {
    /// The command; `synth` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of `synth` when no command is given.
    #[command(flatten)]
    pub synth: SynthArgs,
    /// Context values for the app.
    #[command(flatten)]
    pub context: ContextArgs,
}

/// The commands of an app that only synthesizes.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validates every stack and writes the cloud assembly (default command).
    Synth(SynthArgs),
    /// Lists the stacks of the app; with --long, where each deploys and what it depends on.
    List(ListArgs),
    /// Any other command: `diff`, `deploy`, `destroy` and `bootstrap` get a message that
    /// names `synth-cli`.
    #[command(external_subcommand)]
    Other(Vec<OsString>),
}

/// Parses the command line `args` (the first one is the program name) with `C`'s grammar
/// and the app's options `A` beside it. `A`'s options appear in `--help`; mark them
/// `global = true` to accept them after the command too.
pub fn parse_with<C, A, I, T>(args: I) -> Result<(C, A), clap::Error>
where
    C: CommandFactory + FromArgMatches,
    A: Args + FromArgMatches,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // The app's options keep their own help, not the command's description.
    let base = C::command();
    let (about, long_about) = (base.get_about().cloned(), base.get_long_about().cloned());
    let mut command = A::augment_args(base);
    command = match about {
        Some(about) => command.about(about),
        None => command.about(None::<&str>),
    };
    command = match long_about {
        Some(long_about) => command.long_about(long_about),
        None => command.long_about(None::<&str>),
    };
    let matches = command.try_get_matches_from(args)?;
    Ok((
        C::from_arg_matches(&matches)?,
        A::from_arg_matches(&matches)?,
    ))
}

/// Prints a parse error (or `--help`) and gives its exit status: [`Exit::Usage`] for an
/// error, [`Exit::Ok`] for help and version.
pub fn report_parse_error(error: &clap::Error) -> Exit {
    let _ = error.print();
    if error.use_stderr() {
        Exit::Usage
    } else {
        Exit::Ok
    }
}

/// Parses the process arguments and runs the command on `app`.
pub fn run(app: App) -> ExitCode {
    run_with(|_: &NoOptions, _: &Context| Ok::<_, AppError>(app))
}

/// Parses the process arguments, builds the app with `build` from the app's options `A`
/// and the `-c` context values, and runs the command on it.
pub fn run_with<A, E>(build: impl FnOnce(&A, &Context) -> Result<App, E>) -> ExitCode
where
    A: Args + FromArgMatches,
    E: Into<AppError>,
{
    run_with_args(std::env::args_os(), build)
}

/// [`run_with`] on the command line `args` (the first one is the program name), printing
/// to standard output and error.
pub fn run_with_args<A, E, I, T>(
    args: I,
    build: impl FnOnce(&A, &Context) -> Result<App, E>,
) -> ExitCode
where
    A: Args + FromArgMatches,
    E: Into<AppError>,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let (cli, options) = match parse_with::<Cli, A, I, T>(args) {
        Ok(parsed) => parsed,
        Err(error) => return report_parse_error(&error).into(),
    };
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let app = match build(&options, &Context::from(&cli.context)) {
        Ok(app) => app,
        Err(error) => {
            let error: AppError = error.into();
            let _ = writeln!(err, "error: {error}");
            return error.exit().into();
        }
    };
    let (exit, assembly) = execute_keeping(&app, cli, &mut out, &mut err);
    // The process ends here: freeing a large app and its templates one allocation at a time
    // would take a sixth of its synthesis (20,000 resources), for memory the OS takes back.
    std::mem::forget((app, assembly));
    exit.into()
}

/// Runs a parsed command on `app`; prints why it failed, if it did, and returns its exit
/// status.
pub fn execute(app: &App, cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    execute_keeping(app, cli, out, err).0
}

/// [`execute`], with the assembly `synth` wrote.
fn execute_keeping(
    app: &App,
    cli: Cli,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> (Exit, Option<CloudAssembly>) {
    let result = match cli.command {
        None => synth::write(app, &cli.synth, out, err).map(Some),
        Some(Command::Synth(args)) => synth::write(app, &args, out, err).map(Some),
        Some(Command::List(args)) => list::run(app, &args, out).map(|()| None),
        Some(Command::Other(words)) => {
            let _ = writeln!(err, "{}", unknown_command(&words));
            return (Exit::Usage, None);
        }
    };
    match result {
        Ok(assembly) => (Exit::Ok, assembly),
        Err(error) => {
            let _ = writeln!(err, "{error}");
            (error.exit(), None)
        }
    }
}

/// The message for a command this binary does not have.
fn unknown_command(words: &[OsString]) -> String {
    let name = words
        .first()
        .map(|w| w.to_string_lossy().into_owned())
        .unwrap_or_default();
    if DEPLOY_COMMANDS.contains(&name.as_str()) {
        format!(
            "error: `{name}` is a command of synth-cli, and this app only synthesizes: run \
             `synth` here, then `synth-cli {name} --app cdk.out` (install it with \
             `cargo install --path synth-cli` from the construct-lib repository), or link \
             synth-cli into the app and run it with `synth_cli::run`"
        )
    } else {
        format!("error: unknown command `{name}`: the commands are synth and list (see --help)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An app's own options, as an app declares them.
    #[derive(Debug, clap::Args)]
    struct Options {
        /// The stage.
        #[arg(long, default_value = "dev", global = true)]
        stage: String,
    }

    fn parse(args: &[&str]) -> Result<(Cli, Options), clap::Error> {
        parse_with::<Cli, Options, _, _>(std::iter::once("app").chain(args.iter().copied()))
    }

    #[test]
    fn app_options_and_context_values_parse_on_either_side_of_the_command() {
        let (cli, options) =
            parse(&["list", "--stage", "prod", "-c", "a=1", "-c", "a=2"]).expect("parses");
        assert_eq!(options.stage, "prod");
        assert!(matches!(cli.command, Some(Command::List(_))));
        assert_eq!(Context::from(&cli.context).get("a"), Some("2"));
        let (_, options) = parse(&[]).expect("parses");
        assert_eq!(options.stage, "dev");
    }

    #[test]
    fn a_command_this_binary_lacks_exits_2_with_a_message() {
        let (cli, _) = parse(&["destroy", "--force"]).expect("parses");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let exit = execute(&App::new(), cli, &mut out, &mut err);
        assert_eq!(exit, Exit::Usage);
        let err = String::from_utf8_lossy(&err);
        assert!(
            err.contains("`destroy` is a command of synth-cli")
                && err.contains("`synth-cli destroy --app cdk.out`"),
            "{err}"
        );
    }

    #[test]
    fn synth_errors_map_to_their_exit_status() {
        assert_eq!(SynthError::Strict(2).exit(), Exit::Invalid);
        let report = SynthError::Report {
            path: "r.sarif".into(),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(report.exit(), Exit::Io);
        assert_eq!(report.to_string(), "error: cannot write r.sarif: disk full");
        assert_eq!(AppError::io("gone").exit(), Exit::Io);
    }
}
