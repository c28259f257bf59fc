//! The command line and deploy engine of a construct-lib app: `synth_cli::run(app)` gives
//! any program the `synth`, `list`, `diff`, `deploy`, `destroy` and `bootstrap` commands.
//! The engine behind them is a library too: [`deploy::deploy`], [`destroy::destroy`] and
//! [`diff::TemplateDiff`] return typed results and report [`deploy::DeployEvent`]s.
//!
//! ```no_run
//! use construct_lib::App;
//! fn main() -> std::process::ExitCode {
//!     let mut app = App::new();
//!     app.stack("Web");
//!     synth_cli::run(app)
//! }
//! ```

pub mod assembly;
pub mod aws;
pub mod bootstrap;
pub mod cli;
pub mod commands;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod error;
pub mod schedule;

use std::process::ExitCode;

use clap::Parser;
use construct_lib::App;

/// Parses the process arguments and runs the command on `app`.
pub fn run(app: App) -> ExitCode {
    run_with_args(app, std::env::args_os())
}

/// Runs the command given by `args` (the first one is the program name) on `app`, printing
/// to standard output and error. The exit code is one of [`commands::Exit`]: 0 on success,
/// 1 when the app or assembly is invalid, 2 on usage errors, 3 when a file cannot be read or
/// written, 4 when AWS refuses or a stack fails, 5 for `diff --fail` with differences, 6 when
/// changes are not approved, 130 when interrupted.
pub fn run_with_args<I, T>(app: App, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                commands::Exit::Usage
            } else {
                commands::Exit::Ok
            });
        }
    };
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    ExitCode::from(commands::execute(&app, cli, &mut out, &mut err))
}
