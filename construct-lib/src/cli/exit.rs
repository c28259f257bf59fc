//! How a command ends: [`Exit`], the exit status of every command (of this command line and
//! of `synth-cli`'s), [`SynthError`], why `synth` did not succeed, and [`AppError`], why the
//! app could not be built from its options.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::{ValidationErrors, WriteError};

/// The exit status of every command. These are all the codes the command line returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exit {
    /// 0: success (including "no changes").
    Ok,
    /// 1: the app or the cloud assembly is invalid (all problems printed).
    Invalid,
    /// 2: usage error, or no stack matches the names given.
    Usage,
    /// 3: a file could not be read or written.
    Io,
    /// 4: AWS said no: a stack failed, a call failed, no credentials, no region, wrong
    /// account, staging bucket missing.
    Failed,
    /// 5: `diff --fail` found differences.
    Differences,
    /// 6: changes not approved, or `destroy` not confirmed.
    Declined,
    /// 1: `drift` found resources that differ from their templates (the code CI checks of
    /// drift expect: 0 in sync, 1 drifted, anything else failed).
    Drifted,
    /// 130: interrupted (Ctrl-C); what was started keeps running in AWS.
    Interrupted,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Invalid => 1,
            Self::Usage => 2,
            Self::Io => 3,
            Self::Failed => 4,
            Self::Differences => 5,
            Self::Declined => 6,
            Self::Drifted => 1,
            Self::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// Why `synth` did not succeed. The message is printed on standard error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// The app does not synthesize (every problem is listed).
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// The cloud assembly could not be written.
    #[error("error: {0}")]
    Write(#[from] WriteError),
    /// The `--report` file could not be written.
    #[error("error: cannot write {}: {source}", .path.display())]
    Report {
        /// The report file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The app has no stack: writing its assembly would empty the output directory.
    #[error(
        "error: the app has no stacks, so there is nothing to synthesize ({0} is left as it is): \
         add one with app.stack(\"Name\"); the synth-cli binary has no app of its own: run the \
         app's binary to synthesize, then `synth-cli deploy --app {0}`"
    )]
    NoStacks(String),
    /// `synth --strict`: rule findings not accepted with a reason.
    #[error(
        "error: {0} finding(s) of the rule pack not accepted (--strict): fix them, or accept each with suppress(rule, reason)"
    )]
    Strict(usize),
}

impl SynthError {
    /// The exit status this error ends the command with: [`Exit::Invalid`] for an invalid
    /// app or `--strict` findings, [`Exit::Usage`] for an app without stacks, [`Exit::Io`]
    /// for a file that cannot be written.
    pub fn exit(&self) -> Exit {
        match self {
            Self::Invalid(_) | Self::Strict(_) => Exit::Invalid,
            Self::NoStacks(_) => Exit::Usage,
            Self::Write(_) | Self::Report { .. } => Exit::Io,
        }
    }
}

/// Why an app could not be built from its options (a missing configuration file, an unknown
/// environment): printed as `error: MESSAGE`, ending the command with its exit status.
///
/// ```
/// use construct_lib::cli::{AppError, Exit};
/// let error = AppError::invalid("unknown environment `qa`: use dev or prod");
/// assert_eq!(error.exit(), Exit::Invalid);
/// assert_eq!(error.to_string(), "unknown environment `qa`: use dev or prod");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    message: String,
    exit: Exit,
}

impl AppError {
    /// The app's options or its configuration are not valid ([`Exit::Invalid`]).
    pub fn invalid(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            exit: Exit::Invalid,
        }
    }

    /// A file the app reads could not be read ([`Exit::Io`]).
    pub fn io(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            exit: Exit::Io,
        }
    }

    /// The exit status.
    pub fn exit(&self) -> Exit {
        self.exit
    }
}
