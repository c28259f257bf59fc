//! `list`: the stacks of the app, in order.

use std::io::Write;

use construct_lib::{App, synthesize};

use super::{EXIT_INVALID, EXIT_OK};
use crate::cli::ListArgs;

/// Runs `list`. With `--long` each stack's environment and dependencies are shown, which
/// needs a valid app (dependencies come from references found at synthesis).
pub fn run(app: &App, args: &ListArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if !args.long {
        for stack in app.stacks() {
            let _ = writeln!(out, "{}", stack.name());
        }
        return EXIT_OK;
    }
    match synthesize(app) {
        Ok(assembly) => {
            for stack in &assembly.stacks {
                let dependencies = if stack.dependencies.is_empty() {
                    "-".to_owned()
                } else {
                    stack.dependencies.join(",")
                };
                let _ = writeln!(
                    out,
                    "{}\t{}\tdepends on: {dependencies}",
                    stack.name, stack.environment
                );
            }
            EXIT_OK
        }
        Err(errors) => {
            let _ = writeln!(err, "{errors}");
            EXIT_INVALID
        }
    }
}
