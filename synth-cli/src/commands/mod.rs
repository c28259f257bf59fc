//! The commands. Each writes to the given streams and returns the exit code, so tests run
//! them in-process.

pub mod bootstrap;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod drift;
mod exit;
pub mod list;
pub mod migrate;
pub mod refactor;
pub mod render;
pub mod terminal;

use std::io::Write;
use std::time::Duration;

use construct_lib::{App, synthesize};

pub use exit::{CommandError, Exit};

use crate::assembly::{Assembly, Extend};
use crate::aws::{Session, Target};
use crate::cli::{AwsArgs, Cli, Command, SourceArgs, StackSelection};

/// The output streams of a command. `Send`, because the deploy engine reports from its tasks.
pub type Out<'a> = &'a mut (dyn Write + Send);

/// Runs a parsed command; prints why it failed, if it did, and returns its exit status.
pub fn execute(app: &App, cli: Cli, out: Out<'_>, err: Out<'_>) -> Exit {
    if let Some(message) = cli
        .command
        .as_ref()
        .and_then(|command| construct_lib::cli::misplaced_synth_options(&cli.synth, command.name()))
    {
        let _ = writeln!(err, "{message}");
        return Exit::Usage;
    }
    let result = match cli.command {
        None => synth(app, &cli.synth, out, err),
        Some(Command::Synth(args)) => synth(app, &args, out, err),
        Some(Command::List(args)) => list::run(app, &args, out, err),
        Some(Command::Diff(args)) => diff::run(app, &args, out, err),
        Some(Command::Deploy(args)) => deploy::run(app, &args, out, err),
        Some(Command::Destroy(args)) => destroy::run(app, &args, out, err),
        Some(Command::Refactor(args)) => refactor::run(app, &args, out, err),
        Some(Command::Drift(args)) => drift::run(app, &args, out, err),
        Some(Command::Bootstrap(args)) => bootstrap::run(&args, out, err),
        Some(Command::Migrate(args)) => migrate::run(&args, out, err),
    };
    match result {
        Ok(()) => Exit::Ok,
        Err(error) => {
            let _ = writeln!(err, "{error}");
            error.exit()
        }
    }
}

/// `synth`, the command of construct-lib's command line.
fn synth(
    app: &App,
    args: &crate::cli::SynthArgs,
    out: Out<'_>,
    err: Out<'_>,
) -> Result<(), CommandError> {
    Ok(construct_lib::cli::synth::run(app, args, out, err)?)
}

/// The stacks to work on: the app synthesized here (its warnings printed), or the assembly
/// `--app` names.
pub(crate) fn load_assembly(
    app: &App,
    source: &SourceArgs,
    err: Out<'_>,
) -> Result<Assembly, CommandError> {
    match &source.app {
        Some(dir) => Ok(Assembly::read(dir)?),
        None => {
            let assembly = synthesize(app)?;
            for warning in &assembly.warnings {
                let _ = writeln!(err, "{warning}");
            }
            Ok(Assembly::from_cloud_assembly(&assembly))
        }
    }
}

/// The stack ids a selection names.
pub(crate) fn select(
    assembly: &Assembly,
    selection: &StackSelection,
    extend: Extend,
) -> Result<Vec<String>, CommandError> {
    let extend = if selection.exclusively {
        Extend::Exclusively
    } else {
        extend
    };
    Ok(assembly.select(&selection.stacks, selection.all, extend)?)
}

/// The async runtime of the AWS commands.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| CommandError::Io {
            action: "start",
            path: "the async runtime".into(),
            source,
        })
}

/// Runs `work` with a session for `aws` on a fresh runtime. Ctrl-C stops waiting and gives
/// [`CommandError::Interrupted`]; the caller, which knows what was running, words it.
pub(crate) fn with_session<T>(
    aws: &AwsArgs,
    work: impl AsyncFnOnce(&Session) -> T,
) -> Result<T, CommandError> {
    let runtime = runtime()?;
    runtime.block_on(async {
        let session = Session::load(&Target::from(aws)).await;
        session.check_credentials().await?;
        tokio::select! {
            result = work(&session) => Ok(result),
            _ = tokio::signal::ctrl_c() => Err(CommandError::Interrupted(String::new())),
        }
    })
}

/// An interruption, saying which stacks CloudFormation keeps working on.
pub(crate) fn interrupted(doing: &str, running: &[String]) -> CommandError {
    let what = if running.is_empty() {
        "what was started".to_owned()
    } else {
        running.join(", ")
    };
    CommandError::Interrupted(format!(
        "stopped waiting. CloudFormation keeps {doing} {what} in AWS; `list --long` shows where they are"
    ))
}

/// `--poll-interval` seconds as a duration (at least 10 ms).
pub(crate) fn poll_interval(seconds: f64) -> Duration {
    Duration::from_secs_f64(if seconds.is_finite() {
        seconds.max(0.01)
    } else {
        2.0
    })
}
