//! The commands. Each writes to the given streams and returns the exit code, so tests run
//! them in-process.

pub mod list;
pub mod synth;

use std::io::Write;

use construct_lib::App;

use crate::cli::{Cli, Command};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the app is invalid (validation errors).
pub const EXIT_INVALID: u8 = 1;
/// Exit code: the command line could not be parsed.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: writing the output failed.
pub const EXIT_IO: u8 = 3;

/// Runs a parsed command.
pub fn execute(app: &App, cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match cli.command {
        None => synth::run(app, &cli.synth, out, err),
        Some(Command::Synth(args)) => synth::run(app, &args, out, err),
        Some(Command::List(args)) => list::run(app, &args, out, err),
    }
}
