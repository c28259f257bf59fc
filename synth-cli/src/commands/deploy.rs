//! `deploy`: the stacks through change sets, showing what changes before it changes, then a
//! summary, the outputs and the exit code.

use construct_lib::App;

use super::terminal::TerminalReporter;
use super::{
    EXIT_DECLINED, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_IO, EXIT_OK, Out, load_assembly,
    poll_interval, select, with_session,
};
use crate::assembly::Extend;
use crate::cli::{ApprovalLevel, DeployArgs};
use crate::deploy::{DeployOptions, DeployReport, RequireApproval, StackOutcome, deploy};
use crate::error::EngineError;

/// Runs `deploy`.
pub fn run(app: &App, args: &DeployArgs, out: Out<'_>, err: Out<'_>) -> u8 {
    let assembly = match load_assembly(app, &args.source, err) {
        Ok(assembly) => assembly,
        Err(code) => return code,
    };
    let ids = match select(&assembly, &args.selection, Extend::Upstream, err) {
        Ok(ids) => ids,
        Err(code) => return code,
    };
    let options = DeployOptions {
        require_approval: if args.yes {
            RequireApproval::Never
        } else {
            match args.require_approval {
                ApprovalLevel::Never => RequireApproval::Never,
                ApprovalLevel::AnyChange => RequireApproval::AnyChange,
                ApprovalLevel::Broadening => RequireApproval::Broadening,
            }
        },
        execute: !args.no_execute,
        parameters: args.parameters.clone(),
        tags: args.tags.iter().cloned().collect(),
        concurrency: usize::from(args.concurrency),
        continue_rollback: args.continue_rollback,
        poll_interval: poll_interval(args.poll_interval),
        toolkit_stack: args.toolkit_stack_name.clone(),
    };
    let reporter = TerminalReporter::new(out, "deploying", false);
    let report = with_session(&args.aws, err, async |session| {
        deploy(session, &assembly, &ids, &options, &reporter).await
    });
    let report = match report {
        Ok(report) => report,
        Err(EXIT_INTERRUPTED) => {
            let running = reporter.running();
            let _ = writeln!(
                err,
                "interrupted: stopped waiting. CloudFormation keeps deploying {} in AWS; `list --long` shows where they are",
                if running.is_empty() {
                    "what was started".to_owned()
                } else {
                    running.join(", ")
                }
            );
            return EXIT_INTERRUPTED;
        }
        Err(code) => return code,
    };
    reporter.print(&summary(&report));
    let mut code = exit_code(&report);
    if let Some(path) = &args.outputs_file {
        let text = serde_json::to_string_pretty(&report.outputs()).unwrap_or_default();
        if let Err(error) = std::fs::write(path, text + "\n") {
            let _ = writeln!(err, "error: cannot write {}: {error}", path.display());
            code = code.max(EXIT_IO);
        }
    }
    for stack in &report.stacks {
        if let Err(error) = &stack.result {
            let _ = writeln!(err, "error: {error}");
        }
    }
    code
}

/// One line per stack, then the outputs.
fn summary(report: &DeployReport) -> String {
    let mut text = String::from("\n");
    for stack in &report.stacks {
        let seconds = stack.elapsed.as_secs_f64();
        let line = match &stack.result {
            Ok(StackOutcome::Deployed { status, .. }) => {
                format!(
                    "ok   {}: deployed ({status}) in {seconds:.1} s",
                    stack.stack
                )
            }
            Ok(StackOutcome::NoChanges { .. }) => {
                format!("ok   {}: no changes", stack.stack)
            }
            Ok(StackOutcome::ChangeSetCreated { arn, .. }) => format!(
                "ok   {}: change set left for review (--no-execute): {arn}",
                stack.stack
            ),
            Err(EngineError::Skipped { .. }) => format!("skip {}: not deployed", stack.stack),
            Err(_) => format!("FAIL {}: failed after {seconds:.1} s", stack.stack),
        };
        text.push_str(&line);
        text.push('\n');
    }
    let outputs = report.outputs();
    if !outputs.is_empty() {
        text.push_str("\nOutputs:\n");
        for (stack, values) in outputs {
            for (key, value) in values {
                text.push_str(&format!("{stack}.{key} = {value}\n"));
            }
        }
    }
    text
}

/// Failed if any stack failed; declined if stacks were only declined (and their dependents
/// skipped); else OK.
fn exit_code(report: &DeployReport) -> u8 {
    let errors = report
        .stacks
        .iter()
        .filter_map(|stack| stack.result.as_ref().err());
    let mut code = EXIT_OK;
    for error in errors {
        match error {
            EngineError::NotApproved { .. } | EngineError::Skipped { .. } => {
                if code == EXIT_OK {
                    code = EXIT_DECLINED;
                }
            }
            _ => return EXIT_FAILED,
        }
    }
    code
}
