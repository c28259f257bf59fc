//! `destroy`: deletes the selected stacks (and, unless --exclusively, the stacks that depend
//! on them), dependents first, after confirmation.

use std::io::IsTerminal;

use construct_lib::App;

use super::terminal::{TerminalReporter, ask};
use super::{
    EXIT_DECLINED, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Out, load_assembly, poll_interval,
    select, with_session,
};
use crate::assembly::Extend;
use crate::cli::DestroyArgs;
use crate::destroy::{DestroyOptions, DestroyOutcome, destroy};

/// Runs `destroy`.
pub fn run(app: &App, args: &DestroyArgs, out: Out<'_>, err: Out<'_>) -> u8 {
    let assembly = match load_assembly(app, &args.source, err) {
        Ok(assembly) => assembly,
        Err(code) => return code,
    };
    let ids = match select(&assembly, &args.selection, Extend::Downstream, err) {
        Ok(ids) => ids,
        Err(code) => return code,
    };
    if !args.force {
        if !std::io::stdin().is_terminal() {
            let _ = writeln!(
                err,
                "error: destroy deletes {} and there is no terminal to confirm: rerun with --force",
                ids.join(", ")
            );
            return EXIT_DECLINED;
        }
        if !ask(
            &format!(
                "Delete the stacks {} and everything in them? [y/N] ",
                ids.join(", ")
            ),
            None,
        ) {
            let _ = writeln!(err, "nothing deleted");
            return EXIT_DECLINED;
        }
    }
    let options = DestroyOptions {
        concurrency: usize::from(args.concurrency),
        poll_interval: poll_interval(args.poll_interval),
    };
    let reporter = TerminalReporter::new(out, "destroying", false);
    let results = with_session(&args.aws, err, async |session| {
        destroy(session, &assembly, &ids, &options, &reporter).await
    });
    let results = match results {
        Ok(results) => results,
        Err(EXIT_INTERRUPTED) => {
            let _ = writeln!(
                err,
                "interrupted: stopped waiting. CloudFormation keeps deleting {} in AWS",
                reporter.running().join(", ")
            );
            return EXIT_INTERRUPTED;
        }
        Err(code) => return code,
    };
    let mut code = EXIT_OK;
    let mut summary = String::from("\n");
    for (id, result) in &results {
        match result {
            Ok(DestroyOutcome::Deleted) => summary.push_str(&format!("ok   {id}: deleted\n")),
            Ok(DestroyOutcome::NotDeployed) => {
                summary.push_str(&format!("ok   {id}: was not deployed\n"));
            }
            Err(error) => {
                summary.push_str(&format!("FAIL {id}: not deleted\n"));
                let _ = writeln!(err, "error: {error}");
                code = EXIT_FAILED;
            }
        }
    }
    reporter.print(&summary);
    code
}
