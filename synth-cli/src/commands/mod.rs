//! The commands. Each writes to the given streams and returns the exit code, so tests run
//! them in-process.

pub mod bootstrap;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod list;
pub mod render;
pub mod synth;
pub mod terminal;

use std::io::Write;
use std::time::Duration;

use construct_lib::{App, synthesize};

use crate::assembly::{Assembly, AssemblyError, Extend, SelectionError};
use crate::aws::{Session, Target};
use crate::cli::{AwsArgs, Cli, Command, SourceArgs, StackSelection};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the app or the cloud assembly is invalid (validation errors).
pub const EXIT_INVALID: u8 = 1;
/// Exit code: the command line could not be parsed, or names no stack.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: reading or writing a file failed.
pub const EXIT_IO: u8 = 3;
/// Exit code: AWS said no: a stack failed, a call failed, or no credentials or region.
pub const EXIT_FAILED: u8 = 4;
/// Exit code: `diff --fail` found differences.
pub const EXIT_DIFFERENCES: u8 = 5;
/// Exit code: the changes were not approved, or a destroy was not confirmed.
pub const EXIT_DECLINED: u8 = 6;
/// Exit code: interrupted (Ctrl-C); what was started keeps running in AWS.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The output streams of a command. `Send`, because the deploy engine reports from its tasks.
pub type Out<'a> = &'a mut (dyn Write + Send);

/// Runs a parsed command.
pub fn execute(app: &App, cli: Cli, out: Out<'_>, err: Out<'_>) -> u8 {
    match cli.command {
        None => synth::run(app, &cli.synth, out, err),
        Some(Command::Synth(args)) => synth::run(app, &args, out, err),
        Some(Command::List(args)) => list::run(app, &args, out, err),
        Some(Command::Diff(args)) => diff::run(app, &args, out, err),
        Some(Command::Deploy(args)) => deploy::run(app, &args, out, err),
        Some(Command::Destroy(args)) => destroy::run(app, &args, out, err),
        Some(Command::Bootstrap(args)) => bootstrap::run(&args, out, err),
    }
}

/// The stacks to work on: the app synthesized here, or the assembly `--app` names. On
/// failure, the problems are printed and the exit code returned.
pub(crate) fn load_assembly(app: &App, source: &SourceArgs, err: Out<'_>) -> Result<Assembly, u8> {
    match &source.app {
        Some(dir) => Assembly::read(dir).map_err(|error| {
            let _ = writeln!(err, "error: {error}");
            match error {
                AssemblyError::Io { .. } => EXIT_IO,
                _ => EXIT_INVALID,
            }
        }),
        None => match synthesize(app) {
            Ok(assembly) => {
                for warning in &assembly.warnings {
                    let _ = writeln!(err, "{warning}");
                }
                Ok(Assembly::from_cloud_assembly(&assembly))
            }
            Err(errors) => {
                let _ = writeln!(err, "{errors}");
                Err(EXIT_INVALID)
            }
        },
    }
}

/// The stack ids a selection names, or the usage error printed.
pub(crate) fn select(
    assembly: &Assembly,
    selection: &StackSelection,
    extend: Extend,
    err: Out<'_>,
) -> Result<Vec<String>, u8> {
    let extend = if selection.exclusively {
        Extend::Exclusively
    } else {
        extend
    };
    assembly
        .select(&selection.stacks, selection.all, extend)
        .map_err(|error: SelectionError| {
            let _ = writeln!(err, "error: {error}");
            EXIT_USAGE
        })
}

/// The async runtime of the AWS commands.
pub(crate) fn runtime(err: Out<'_>) -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| {
            let _ = writeln!(err, "error: cannot start the async runtime: {error}");
            EXIT_IO
        })
}

/// Runs `work` with a session for `aws` on a fresh runtime. Errors (no runtime, no
/// credentials) are printed and their exit code returned; Ctrl-C stops waiting and returns
/// [`EXIT_INTERRUPTED`], leaving the message to the caller, which knows what was running.
pub(crate) fn with_session<T>(
    aws: &AwsArgs,
    err: Out<'_>,
    work: impl AsyncFnOnce(&Session) -> T,
) -> Result<T, u8> {
    let runtime = runtime(err)?;
    runtime.block_on(async {
        let session = session(aws, err).await?;
        tokio::select! {
            result = work(&session) => Ok(result),
            _ = tokio::signal::ctrl_c() => Err(EXIT_INTERRUPTED),
        }
    })
}

/// A session for `aws`, after checking that credentials exist.
async fn session(aws: &AwsArgs, err: Out<'_>) -> Result<Session, u8> {
    let session = Session::load(&Target::from(aws)).await;
    match session.check_credentials().await {
        Ok(()) => Ok(session),
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            Err(EXIT_FAILED)
        }
    }
}

/// `--poll-interval` seconds as a duration (at least 10 ms).
pub(crate) fn poll_interval(seconds: f64) -> Duration {
    Duration::from_secs_f64(if seconds.is_finite() {
        seconds.max(0.01)
    } else {
        2.0
    })
}
