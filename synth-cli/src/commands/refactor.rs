//! `refactor`: finds the resources of the selected stacks that only moved (another logical ID,
//! or another of these stacks), shows the moves, and after confirmation performs them through
//! CloudFormation's stack refactoring. `deploy --refactor` runs the same steps first.

use std::io::IsTerminal;
use std::time::Duration;

use construct_lib::App;

use super::terminal::ask;
use super::{CommandError, Out, load_assembly, poll_interval, select, with_session};
use crate::assembly::{Assembly, Extend};
use crate::aws::Session;
use crate::cli::RefactorArgs;
use crate::commands::diff::{app_renames, deployed};
use crate::error::EngineError;
use crate::refactor::{PlanStack, RefactorAction, plan, run as perform};

/// Runs `refactor`.
pub fn run(app: &App, args: &RefactorArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let assembly = load_assembly(app, &args.source, err)?;
    let ids = select(&assembly, &args.selection, Extend::Exclusively)?;
    let options = RefactorOptions {
        confirm: if args.yes {
            Confirm::Given
        } else {
            Confirm::Ask("Move these resources?")
        },
        poll: poll_interval(args.poll_interval),
        toolkit_stack: &args.toolkit_stack_name,
    };
    with_session(&args.aws, async |session| {
        refactor_stacks(session, &assembly, &ids, options, out).await
    })??;
    Ok(())
}

/// Whether the moves still need the user's yes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Confirm {
    /// `--yes`.
    Given,
    /// Ask this question on the terminal (refused without one).
    Ask(&'static str),
}

/// Finds and performs the renames among `ids`; `Ok(false)` when there is none.
pub(crate) async fn refactor_stacks(
    session: &Session,
    assembly: &Assembly,
    ids: &[String],
    options: RefactorOptions<'_>,
    out: Out<'_>,
) -> Result<bool, CommandError> {
    let mut templates = Vec::new();
    for id in ids {
        templates.push((id.as_str(), deployed(session, assembly, id).await?));
    }
    let renames = app_renames(assembly, &templates);
    if renames.is_empty() {
        let _ = writeln!(out, "No resource moved: nothing to refactor.");
        return Ok(false);
    }
    let _ = writeln!(out, "Moves (same type and replacement-causing properties):");
    for rename in &renames {
        let _ = writeln!(
            out,
            "  {} -> {} ({})",
            rename.from, rename.to, rename.resource_type
        );
    }
    let touched: Vec<String> = ids
        .iter()
        .filter(|id| {
            renames
                .iter()
                .any(|r| r.from.stack == **id || r.to.stack == **id)
        })
        .cloned()
        .collect();
    let region = one_region(session, assembly, &touched)?;
    let stacks: Vec<PlanStack<'_>> = templates
        .iter()
        .filter_map(|(id, deployed)| {
            assembly.stack(id).map(|stack| PlanStack {
                stack: id,
                stack_name: &stack.stack_name,
                deployed,
            })
        })
        .collect();
    let plan = plan::plan(&stacks, &renames).map_err(EngineError::from)?;
    if let Confirm::Ask(_) = options.confirm
        && !std::io::stdin().is_terminal()
    {
        return Err(CommandError::Declined(
            "error: there is no terminal to confirm the moves: review them above, then rerun with --yes; nothing was moved".to_owned(),
        ));
    }
    let target = perform::Target {
        session,
        region: &region,
        toolkit_stack: options.toolkit_stack,
    };
    let (refactor_id, actions) = perform::create(&target, &plan, options.poll).await?;
    let _ = write!(out, "{}", actions_text(&refactor_id, &actions));
    if let Confirm::Ask(question) = options.confirm {
        confirmed(question, &refactor_id)?;
    }
    perform::execute(&session.cloudformation(&region), &refactor_id, options.poll).await?;
    let _ = writeln!(
        out,
        "ok   refactor: {} resource(s) moved ({refactor_id})",
        renames.len()
    );
    Ok(true)
}

/// How a refactor runs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RefactorOptions<'a> {
    /// Whether to ask before executing.
    pub confirm: Confirm,
    /// Seconds between polls.
    pub poll: Duration,
    /// The staging stack for templates over 51,200 bytes.
    pub toolkit_stack: &'a str,
}

/// The region all of `ids` deploy to; a refactor cannot span regions.
fn one_region(
    session: &Session,
    assembly: &Assembly,
    ids: &[String],
) -> Result<String, CommandError> {
    let mut regions = Vec::new();
    for id in ids {
        let Some(stack) = assembly.stack(id) else {
            continue;
        };
        regions.push(session.region_for(id, &stack.environment)?);
    }
    let mut distinct = regions.clone();
    distinct.sort();
    distinct.dedup();
    match distinct.as_slice() {
        [] => Err(CommandError::Usage(
            "refactor: no stack selected".to_owned(),
        )),
        [region] => Ok(region.clone()),
        _ => Err(EngineError::RefactorRegions {
            stacks: ids.join(", "),
            regions: regions.join(", "),
        }
        .into()),
    }
}

fn actions_text(id: &str, actions: &[RefactorAction]) -> String {
    let mut text = format!("CloudFormation's stack refactor {id}:\n");
    for action in actions {
        let physical = if action.physical_id.is_empty() {
            String::new()
        } else {
            format!(" [{}]", action.physical_id)
        };
        text.push_str(&format!(
            "  {} {}: {}{physical}\n",
            action.action, action.entity, action.description
        ));
    }
    text
}

fn confirmed(question: &str, refactor_id: &str) -> Result<(), CommandError> {
    if ask(&format!("{question} [y/N] "), None) {
        Ok(())
    } else {
        Err(CommandError::Declined(format!(
            "nothing was moved; the stack refactor {refactor_id} was created and not executed"
        )))
    }
}
