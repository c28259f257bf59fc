//! The command line and deploy engine of a construct-lib app: `synth_cli::run(app)` gives
//! any program the `synth`, `list`, `diff`, `deploy`, `destroy` and `bootstrap` commands.
//! An app that only synthesizes needs none of this: `construct_lib::cli::run(app)` writes
//! its `cdk.out`, and the `synth-cli` binary deploys it (`synth-cli deploy --app cdk.out`),
//! so the app builds without the AWS SDK and tokio.
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
pub mod drift;
pub mod error;
pub mod migrate;
pub mod refactor;
pub mod schedule;
pub mod template_text;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Args;
use construct_lib::App;
use construct_lib::cli::{AppError, Context, NoOptions, build_app, parse_with, report_parse_error};

/// Parses the process arguments and runs the command on `app`.
pub fn run(app: App) -> ExitCode {
    run_with(|_: &NoOptions, _: &Context| Ok::<_, AppError>(app))
}

/// Parses the process arguments, builds the app with `build` from the app's own options `A`
/// (a `clap::Args` type, shown in `--help`; mark them `global = true` to accept them after
/// the command too) and the `-c KEY=VALUE` context values, and runs the command on it.
///
/// ```no_run
/// use construct_lib::App;
/// use construct_lib::cli::{AppError, Context};
///
/// #[derive(clap::Args)]
/// struct Options {
///     /// The stage to synthesize.
///     #[arg(long, default_value = "dev", global = true)]
///     stage: String,
/// }
///
/// fn main() -> std::process::ExitCode {
///     synth_cli::run_with(|options: &Options, _: &Context| {
///         let mut app = App::new();
///         app.stack(&format!("Web-{}", options.stage));
///         Ok::<_, AppError>(app)
///     })
/// }
/// ```
pub fn run_with<A, E>(build: impl FnOnce(&A, &Context) -> Result<App, E>) -> ExitCode
where
    A: Args,
    E: Into<AppError>,
{
    run_with_args(std::env::args_os(), build)
}

/// [`run_with`] on the command line `args` (the first one is the program name), printing to
/// standard output and error. The exit code is one of [`commands::Exit`]: 0 on success, 1
/// when the app or assembly is invalid, 2 on usage errors, 3 when a file cannot be read or
/// written, 4 when AWS refuses or a stack fails, 5 for `diff --fail` with differences, 6 when
/// changes are not approved, 130 when interrupted.
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
    let (cli, options) = match parse_with::<cli::Cli, A, I, T>(args) {
        Ok(parsed) => parsed,
        Err(error) => return report_parse_error(&error).into(),
    };
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let app = match build_app(build, &options, &cli.context, &mut err) {
        Ok(app) => app,
        Err(exit) => return exit.into(),
    };
    ExitCode::from(commands::execute(&app, cli, &mut out, &mut err))
}
