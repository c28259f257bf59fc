//! `deploy`: the stacks through change sets, showing what changes before it changes, then a
//! summary, the outputs and the exit code.

use construct_lib::App;

use super::refactor::{Confirm, RefactorOptions, refactor_stacks};
use super::terminal::TerminalReporter;
use super::{CommandError, Out, interrupted, load_assembly, poll_interval, select, with_session};
use crate::assembly::Extend;
use crate::cli::DeployArgs;
use crate::deploy::{DeployOptions, DeployReport, RequireApproval, StackOutcome, deploy};
use crate::error::EngineError;

/// Runs `deploy`.
pub fn run(app: &App, args: &DeployArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let assembly = load_assembly(app, &args.source, err)?;
    let ids = select(&assembly, &args.selection, Extend::Upstream)?;
    if args.refactor {
        let refactor = RefactorOptions {
            confirm: if args.yes {
                Confirm::Given
            } else {
                Confirm::Ask("Move these resources, then deploy?")
            },
            poll: poll_interval(args.poll_interval),
            toolkit_stack: &args.toolkit_stack_name,
        };
        with_session(&args.aws, async |session| {
            refactor_stacks(session, &assembly, &ids, refactor, &mut *out).await
        })??;
    } else {
        with_session(&args.aws, async |session| {
            announce_renames(session, &assembly, &ids, &mut *out).await;
        })?;
    }
    let options = options(args);
    let reporter = TerminalReporter::new(out, "deploying", false);
    let report = with_session(&args.aws, async |session| {
        deploy(session, &assembly, &ids, &options, &reporter).await
    })
    .map_err(|error| match error {
        CommandError::Interrupted(_) => interrupted("deploying", &reporter.running()),
        other => other,
    })?;
    reporter.print(&summary(&report));
    if let Some(path) = &args.outputs_file {
        let text = serde_json::to_string_pretty(&report.outputs()).unwrap_or_default();
        std::fs::write(path, text + "\n").map_err(|source| CommandError::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
    }
    let errors: Vec<EngineError> = report
        .stacks
        .into_iter()
        .filter_map(|stack| stack.result.err())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CommandError::Stacks(errors))
    }
}

/// Before any change set: the resources that moved (renamed, or to another stack) and that
/// this deploy will therefore replace, with the way to move them instead. A stack whose
/// deployed template cannot be read is left to the deploy, which reports it.
async fn announce_renames(
    session: &crate::aws::Session,
    assembly: &crate::assembly::Assembly,
    ids: &[String],
    out: Out<'_>,
) {
    let mut templates = Vec::new();
    for id in ids {
        if let Ok(template) = super::diff::deployed(session, assembly, id).await {
            templates.push((id.as_str(), template));
        }
    }
    let renames = super::diff::app_renames(assembly, &templates);
    if renames.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Moved resources: this deploy replaces each one (creates it anew, deletes the old one); `deploy --refactor` moves them instead:"
    );
    for rename in &renames {
        let _ = writeln!(
            out,
            "  {} renamed from {} ({})",
            rename.to, rename.from, rename.resource_type
        );
    }
}

/// The engine's options from the command line.
fn options(args: &DeployArgs) -> DeployOptions {
    DeployOptions {
        require_approval: if args.yes {
            RequireApproval::Never
        } else {
            args.require_approval
        },
        execute: !args.no_execute,
        parameters: args.parameters.clone(),
        tags: args.tags.iter().cloned().collect(),
        concurrency: usize::from(args.concurrency),
        continue_rollback: args.continue_rollback,
        poll_interval: poll_interval(args.poll_interval),
        toolkit_stack: args.toolkit_stack_name.clone(),
        allow_data_loss: args.allow_data_loss.clone(),
    }
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
