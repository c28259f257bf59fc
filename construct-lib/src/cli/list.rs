//! `list`: the stacks of the app, in order; with `--long`, where each deploys and what it
//! depends on.

use std::io::Write;

use super::{ListArgs, SynthError};
use crate::{App, synthesize};

/// Runs `list`. With `--long` the app is synthesized, since dependencies come from the
/// references found at synthesis; an invalid app fails with its problems.
pub fn run(app: &App, args: &ListArgs, out: &mut dyn Write) -> Result<(), SynthError> {
    if !args.long {
        for stack in app.stacks() {
            let _ = writeln!(out, "{}", stack.name());
        }
        return Ok(());
    }
    let assembly = synthesize(app)?;
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
    Ok(())
}
