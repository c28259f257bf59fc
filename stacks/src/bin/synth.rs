//! `cargo run --bin synth [-- [--env ENV] COMMAND ...]`: synthesizes (or diffs, deploys, ...)
//! this repository's stacks for environment ENV (default `dev`; settings in
//! `stacks/config/ENV.json`).

use std::process::ExitCode;

use stacks::ConfigError;
use synth_cli::commands::Exit;

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut env = stacks::DEFAULT_ENV.to_owned();
    // `--env` chooses the app; every other argument is the command line's.
    let mut index = 1;
    while index < args.len() {
        let arg = args[index].to_string_lossy().into_owned();
        if arg == "--env" {
            let Some(value) = args.get(index + 1) else {
                eprintln!("error: --env needs a value, such as --env prod");
                return synth_cli::commands::Exit::Usage.into();
            };
            env = value.to_string_lossy().into_owned();
            args.drain(index..=index + 1);
        } else if let Some(value) = arg.strip_prefix("--env=") {
            env = value.to_owned();
            args.remove(index);
        } else {
            index += 1;
        }
    }
    match stacks::app_for(&env) {
        Ok(app) => synth_cli::run_with_args(app, args),
        Err(error) => {
            eprintln!("error: {error}");
            // An unreadable file is an I/O error (3); a file that is not a valid config, an
            // invalid app (1).
            match error {
                ConfigError::Read { .. } => Exit::Io.into(),
                ConfigError::Invalid { .. } => Exit::Invalid.into(),
            }
        }
    }
}
