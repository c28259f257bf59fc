//! `destroy`: deletes the selected stacks (and, unless --exclusively, the stacks that depend
//! on them), dependents first, after confirmation.

use std::io::IsTerminal;

use construct_lib::App;

use super::terminal::{TerminalReporter, ask};
use super::{CommandError, Out, interrupted, load_assembly, poll_interval, select, with_session};
use crate::assembly::Extend;
use crate::cli::DestroyArgs;
use crate::destroy::{DestroyOptions, DestroyOutcome, destroy};

/// Runs `destroy`.
pub fn run(app: &App, args: &DestroyArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let assembly = load_assembly(app, &args.source, err)?;
    let ids = select(&assembly, &args.selection, Extend::Downstream)?;
    if !args.force {
        confirm(&ids)?;
    }
    let options = DestroyOptions {
        concurrency: usize::from(args.concurrency),
        poll_interval: poll_interval(args.poll_interval),
    };
    let reporter = TerminalReporter::new(out, "destroying", false);
    let results = with_session(&args.aws, async |session| {
        destroy(session, &assembly, &ids, &options, &reporter).await
    })
    .map_err(|error| match error {
        CommandError::Interrupted(_) => interrupted("deleting", &reporter.running()),
        other => other,
    })?;
    let mut errors = Vec::new();
    let mut summary = String::from("\n");
    for (id, result) in results {
        match result {
            Ok(DestroyOutcome::Deleted) => summary.push_str(&format!("ok   {id}: deleted\n")),
            Ok(DestroyOutcome::NotDeployed) => {
                summary.push_str(&format!("ok   {id}: was not deployed\n"));
            }
            Err(error) => {
                summary.push_str(&format!("FAIL {id}: not deleted\n"));
                errors.push(error);
            }
        }
    }
    reporter.print(&summary);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CommandError::Stacks(errors))
    }
}

/// Asks on the terminal before deleting `ids`; without a terminal, refuses.
fn confirm(ids: &[String]) -> Result<(), CommandError> {
    if !std::io::stdin().is_terminal() {
        return Err(CommandError::Declined(format!(
            "error: destroy deletes {} and there is no terminal to confirm: rerun with --force",
            ids.join(", ")
        )));
    }
    let question = format!(
        "Delete the stacks {} and everything in them? [y/N] ",
        ids.join(", ")
    );
    if ask(&question, None) {
        Ok(())
    } else {
        Err(CommandError::Declined("nothing deleted".to_owned()))
    }
}
