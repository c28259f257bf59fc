//! How a command ends: [`Exit`], the exit status of every command, and [`CommandError`],
//! why a command did not succeed, each mapped to its status.

pub use construct_lib::cli::Exit;
use construct_lib::cli::SynthError;
use construct_lib::{ValidationErrors, WriteError};
use std::path::PathBuf;

use crate::assembly::{AssemblyError, SelectionError};
use crate::error::EngineError;

/// Why a command did not succeed. The message is printed on standard error; the exit
/// status follows from the variant ([`CommandError::exit`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The app does not synthesize.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// The cloud assembly (`--app DIR`) cannot be read or is not one.
    #[error("error: {0}")]
    Assembly(#[from] AssemblyError),
    /// A file given on the command line is not what it should be.
    #[error("error: {0}")]
    InvalidFile(String),
    /// The names given select no stack, or too many.
    #[error("error: {0}")]
    Selection(#[from] SelectionError),
    /// The command line asks for something that cannot be done.
    #[error("error: {0}")]
    Usage(String),
    /// The cloud assembly could not be written.
    #[error("error: {0}")]
    Write(#[from] WriteError),
    /// A file could not be read or written.
    #[error("error: cannot {action} {}: {source}", .path.display())]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// AWS (or the way to it) refused.
    #[error("error: {0}")]
    Engine(#[from] EngineError),
    /// Some stacks failed; each error is in the list.
    #[error("{}", .0.iter().map(|e| format!("error: {e}")).collect::<Vec<_>>().join("\n"))]
    Stacks(Vec<EngineError>),
    /// `diff --fail` found differences.
    #[error("differences found (--fail)")]
    Differences,
    /// `drift` found stacks whose resources differ from their templates.
    #[error("drifted: {} differ from their templates", .0.join(", "))]
    Drifted(Vec<String>),
    /// The user (or the lack of a terminal) declined.
    #[error("{0}")]
    Declined(String),
    /// `synth` failed: an invalid app, `--strict` findings, a file not written.
    #[error("{0}")]
    Synth(#[from] SynthError),
    /// `migrate` cannot read the template or represent parts of it.
    #[error("error: {0}")]
    Migrate(#[from] crate::migrate::MigrateError),
    /// `drift` could not check at all (an invalid app or assembly): its message, with the
    /// exit code of a failure, since 1 means "drifted" there.
    #[error("{0}")]
    Unchecked(Box<CommandError>),
    /// Ctrl-C: the message says what keeps running in AWS.
    #[error("interrupted: {0}")]
    Interrupted(String),
}

impl CommandError {
    /// The exit status this error ends the command with.
    pub fn exit(&self) -> Exit {
        match self {
            Self::Invalid(_) | Self::InvalidFile(_) | Self::Migrate(_) => Exit::Invalid,
            Self::Synth(error) => error.exit(),
            Self::Assembly(AssemblyError::Io { .. }) => Exit::Io,
            Self::Assembly(_) => Exit::Invalid,
            Self::Selection(_) | Self::Usage(_) => Exit::Usage,
            Self::Write(_) | Self::Io { .. } => Exit::Io,
            Self::Engine(_) | Self::Unchecked(_) => Exit::Failed,
            Self::Stacks(errors) => stacks_exit(errors),
            Self::Differences => Exit::Differences,
            Self::Drifted(_) => Exit::Drifted,
            Self::Declined(_) => Exit::Declined,
            Self::Interrupted(_) => Exit::Interrupted,
        }
    }
}

/// Failed if any stack failed; declined if stacks were only declined or refused to lose
/// data (and their dependents skipped): nothing was changed in those.
fn stacks_exit(errors: &[EngineError]) -> Exit {
    let declined = errors.iter().all(|error| {
        matches!(
            error,
            EngineError::NotApproved { .. }
                | EngineError::DataLoss { .. }
                | EngineError::Skipped { .. }
        )
    });
    if declined && !errors.is_empty() {
        Exit::Declined
    } else {
        Exit::Failed
    }
}
