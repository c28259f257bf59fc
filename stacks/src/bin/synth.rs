//! `cargo run --bin synth [-- [--env ENV] [COMMAND] ...]`: synthesizes this repository's stacks
//! for environment ENV (default `dev`; settings in `stacks/config/ENV.json`) into `cdk.out/`.
//! It links construct-lib alone, so that editing a stack rebuilds no AWS SDK; deploy with
//! `synth-cli deploy --app cdk.out` (`cargo run -p synth-cli -- deploy --app cdk.out`), or
//! build it with `-p stacks --features deploy` (`--features stacks/deploy` from the workspace
//! root) to get every command of synth-cli in it.

use std::process::ExitCode;

use construct_lib::cli::Context;

/// This repository's options, beside the command line's own.
#[derive(Debug, clap::Args)]
struct Options {
    /// The environment to synthesize: its settings are `stacks/config/ENV.json` and the
    /// scenarios' files of the same name.
    #[arg(long, value_name = "ENV", default_value = stacks::DEFAULT_ENV, global = true)]
    env: String,
}

fn build(options: &Options, _: &Context) -> Result<construct_lib::App, stacks::ConfigError> {
    stacks::app_for(&options.env)
}

#[cfg(not(feature = "deploy"))]
fn main() -> ExitCode {
    construct_lib::cli::run_with(build)
}

#[cfg(feature = "deploy")]
fn main() -> ExitCode {
    synth_cli::run_with(build)
}
