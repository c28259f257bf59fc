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

pub use args::{
    Context, ContextArgs, ListArgs, NoOptions, SynthArgs, TemplateFormat, misplaced_synth_options,
};
pub use exit::{AppError, Exit, SynthError};
pub use findings::render as render_findings;
pub use report::write as write_report;

/// Synthesizes this app's stacks into a cloud assembly (`cdk.out/`): CloudFormation templates
/// and a manifest that `synth-cli` and the AWS CDK CLI deploy.
#[derive(Debug, Parser)]
#[command(
    long_about = None,
    after_help = "diff, deploy, destroy, refactor, drift, migrate and bootstrap are commands of synth-cli: run \
                  `synth-cli deploy --app cdk.out` after synth (install it with \
                  `cargo install --path synth-cli` in a checkout of construct-lib's repository)."
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
    /// `diff`, `deploy`, `destroy`, `refactor`, `drift`, `migrate` and `bootstrap`, commands of synth-cli:
    /// accepted with any
    /// arguments, to say where they are.
    #[command(hide = true, name = "diff")]
    Diff(ElsewhereArgs),
    /// See [`Command::Diff`].
    #[command(hide = true, name = "deploy")]
    Deploy(ElsewhereArgs),
    /// See [`Command::Diff`].
    #[command(hide = true, name = "destroy")]
    Destroy(ElsewhereArgs),
    /// See [`Command::Diff`].
    #[command(hide = true, name = "bootstrap")]
    Bootstrap(ElsewhereArgs),
    /// See [`Command::Diff`].
    #[command(hide = true, name = "refactor")]
    Refactor(ElsewhereArgs),
    /// See [`Command::Diff`].
    #[command(hide = true, name = "drift")]
    Drift(ElsewhereArgs),
    /// See [`Command::Diff`].
    #[command(hide = true, name = "migrate")]
    Migrate(ElsewhereArgs),
}

/// The arguments of a command this binary does not have, whatever they are.
#[derive(Debug, Args, Clone, Default)]
pub struct ElsewhereArgs {
    /// Ignored.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub args: Vec<OsString>,
}

/// Parses the command line `args` (the first one is the program name) with `C`'s grammar
/// and the app's options `A` beside it. `A`'s options appear in `--help`; mark them
/// `global = true` to accept them after the command too. Their names must differ from the
/// command line's own: `--out`/`-o`, `--format`, `--quiet`/`-q`, `--strict`, `--report`,
/// `--context`/`-c`, `--long`/`-l`, `--help`/`-h`, and, for an app that links synth-cli,
/// every option of its commands (`--app`, `--all`, `--exclusively`/`-e`, `--yes`/`-y`,
/// `--force`/`-f`, `--profile`, `--region`, `--endpoint-url`, ...; see `synth-cli --help`).
pub fn parse_with<C, A, I, T>(args: I) -> Result<(C, A), clap::Error>
where
    C: CommandFactory + FromArgMatches,
    A: Args,
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
    A: Args,
    E: Into<AppError>,
{
    run_with_args(std::env::args_os(), build)
}

/// [`run_with`] on the command line `args` (the first one is the program name), printing
/// to standard output and error. Made to end a process: the app and the assembly are not
/// freed (the OS takes the memory back faster); a program that goes on after it should call
/// [`execute`] instead.
pub fn run_with_args<A, E, I, T>(
    args: I,
    build: impl FnOnce(&A, &Context) -> Result<App, E>,
) -> ExitCode
where
    A: Args,
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
    // Refused before the app is built: a missing config must not hide where a command is.
    if let Some(message) = refusal(&cli) {
        let _ = writeln!(err, "{message}");
        return Exit::Usage.into();
    }
    let app = match build_app(build, &options, &cli.context, &mut err) {
        Ok(app) => app,
        Err(exit) => return exit.into(),
    };
    let (exit, assembly) = execute_keeping(&app, cli, &mut out, &mut err);
    // The process ends here: freeing a large app and its templates one allocation at a time
    // would take a sixth of its synthesis (20,000 resources), for memory the OS takes back.
    std::mem::forget((app, assembly));
    exit.into()
}

/// The app `build` makes from the app's options and the `-c` values; when it cannot, prints
/// `error: MESSAGE` to `err` and gives the exit status. Shared by every runner.
pub fn build_app<A, E>(
    build: impl FnOnce(&A, &Context) -> Result<App, E>,
    options: &A,
    context: &ContextArgs,
    err: &mut dyn Write,
) -> Result<App, Exit>
where
    E: Into<AppError>,
{
    build(options, &Context::from(context)).map_err(|error| {
        let error: AppError = error.into();
        let _ = writeln!(err, "error: {error}");
        error.exit()
    })
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
    if let Some(message) = refusal(&cli) {
        let _ = writeln!(err, "{message}");
        return (Exit::Usage, None);
    }
    let result = match cli.command {
        None => synth::write(app, &cli.synth, out, err).map(Some),
        Some(Command::Synth(args)) => synth::write(app, &args, out, err).map(Some),
        Some(Command::List(args)) => list::run(app, &args, out).map(|()| None),
        // Refused above.
        Some(_) => return (Exit::Usage, None),
    };
    match result {
        Ok(assembly) => (Exit::Ok, assembly),
        Err(error) => {
            let _ = writeln!(err, "{error}");
            (error.exit(), None)
        }
    }
}

/// Why a parsed command line is refused: a command of synth-cli, or `synth`'s options given
/// before another command, where they would do nothing.
fn refusal(cli: &Cli) -> Option<String> {
    let command = cli.command.as_ref()?;
    match command.elsewhere() {
        Some(name) => Some(elsewhere_message(name)),
        None => misplaced_synth_options(&cli.synth, command.name()),
    }
}

impl Command {
    /// The command's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Synth(_) => "synth",
            Self::List(_) => "list",
            other => other.elsewhere().unwrap_or_default(),
        }
    }

    /// The name of a synth-cli command this binary does not have, if this is one.
    pub fn elsewhere(&self) -> Option<&'static str> {
        match self {
            Self::Synth(_) | Self::List(_) => None,
            Self::Diff(_) => Some("diff"),
            Self::Deploy(_) => Some("deploy"),
            Self::Destroy(_) => Some("destroy"),
            Self::Bootstrap(_) => Some("bootstrap"),
            Self::Refactor(_) => Some("refactor"),
            Self::Drift(_) => Some("drift"),
            Self::Migrate(_) => Some("migrate"),
        }
    }
}

/// Where a synth-cli command is, for an app that only synthesizes.
fn elsewhere_message(name: &str) -> String {
    format!(
        "error: `{name}` is a command of synth-cli, and this app only synthesizes: run \
         `synth` here, then `synth-cli {name} --app cdk.out` (install synth-cli with \
         `cargo install --path synth-cli` in a checkout of construct-lib's repository), or \
         link synth-cli into the app and call `synth_cli::run` (or `synth_cli::run_with`)"
    )
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
    fn an_app_without_stacks_is_refused_and_leaves_the_output_as_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kept = dir.path().join("Web.template.json");
        std::fs::write(&kept, "{}").expect("write");
        let out = dir.path().to_str().expect("utf-8");
        let (cli, _) = parse(&["synth", "--out", out]).expect("parses");
        let (mut stdout, mut err) = (Vec::new(), Vec::new());
        assert_eq!(
            execute(&App::new(), cli, &mut stdout, &mut err),
            Exit::Usage
        );
        let err = String::from_utf8_lossy(&err);
        assert!(
            err.starts_with("error: the app has no stacks, so there is nothing to synthesize")
                && err.contains(&format!("`synth-cli deploy --app {out}`")),
            "{err}"
        );
        assert!(kept.exists());
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
