//! `diff`: each selected stack's local template against the deployed one (or a template
//! file, offline).

use construct_lib::App;
use serde_json::Value as Json;

use super::{CommandError, Out, load_assembly, render, select, with_session};
use crate::assembly::{Assembly, Extend};
use crate::cli::DiffArgs;
use crate::deploy::stack::deployed_template;
use crate::deploy::status;
use crate::diff::TemplateDiff;
use crate::diff::renames::{self, StackTemplates};
use crate::error::EngineError;

/// Runs `diff`.
pub fn run(app: &App, args: &DiffArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let assembly = load_assembly(app, &args.source, err)?;
    let ids = select(&assembly, &args.selection, Extend::Exclusively)?;
    let olds = match &args.template {
        Some(path) => vec![Ok(template_file(path, &ids)?)],
        None => with_session(&args.aws, async |session| {
            let mut templates = Vec::new();
            for id in &ids {
                templates.push(deployed(session, &assembly, id).await);
            }
            templates
        })
        .map_err(|error| match error {
            CommandError::Interrupted(_) => CommandError::Interrupted("stopped waiting".into()),
            other => other,
        })?,
    };
    let mut errors = Vec::new();
    let mut deployed_templates = Vec::new();
    for (id, old) in ids.iter().zip(olds) {
        match old {
            Ok(old) => deployed_templates.push((id.as_str(), old)),
            Err(error) => errors.push(error),
        }
    }
    let renames = app_renames(&assembly, &deployed_templates);
    let deployed_of = |stack: &str| {
        deployed_templates
            .iter()
            .find(|(id, _)| *id == stack)
            .map(|(_, template)| template)
    };
    let mut differences = false;
    for (id, old) in &deployed_templates {
        let Some(stack) = assembly.stack(id) else {
            continue;
        };
        let _ = writeln!(out, "Stack {id}");
        if old.is_null() {
            let _ = writeln!(out, "(not deployed: everything is new)");
        }
        let diff = TemplateDiff::between(old, &stack.template).with_renames(
            id,
            &renames,
            deployed_of,
            &stack.template,
        );
        differences |= !diff.is_empty();
        let _ = write!(out, "{}", render::template_diff(id, &diff));
        let _ = writeln!(out);
    }
    if !renames.is_empty() {
        let _ = writeln!(
            out,
            "{} resource(s) marked [>] moved: `refactor` (or `deploy --refactor`) moves them without replacement; a plain `deploy` would delete them and create new ones.\n",
            renames.len()
        );
    }
    if !errors.is_empty() {
        return Err(CommandError::Stacks(errors));
    }
    if differences && args.fail {
        return Err(CommandError::Differences);
    }
    Ok(())
}

/// The resources of the compared stacks that moved (to another logical ID, or another of
/// these stacks) without changing what makes them themselves ([`crate::diff::renames`]).
pub(crate) fn app_renames(
    assembly: &Assembly,
    deployed: &[(&str, Json)],
) -> Vec<crate::diff::Rename> {
    let stacks: Vec<StackTemplates<'_>> = deployed
        .iter()
        .filter_map(|(id, old)| {
            assembly.stack(id).map(|stack| StackTemplates {
                stack: id,
                old,
                new: &stack.template,
            })
        })
        .collect();
    renames::detect(&stacks)
}

/// The template of `--template`, for the one selected stack.
fn template_file(path: &std::path::Path, ids: &[String]) -> Result<Json, CommandError> {
    if ids.len() != 1 {
        return Err(CommandError::Usage(format!(
            "--template compares one stack, but {} are selected ({}): name one stack",
            ids.len(),
            ids.join(", ")
        )));
    }
    read_template(path)
}

/// The deployed template, or `Null` when the stack is not deployed.
pub(crate) async fn deployed(
    session: &crate::aws::Session,
    assembly: &Assembly,
    id: &str,
) -> Result<Json, EngineError> {
    let Some(stack) = assembly.stack(id) else {
        return Ok(Json::Null);
    };
    let region = session.region_for(id, &stack.environment)?;
    let cfn = session.cloudformation(&region);
    match status::describe(&cfn, id, &stack.stack_name).await? {
        Some(info) if !info.never_created() => deployed_template(&cfn, id, &stack.stack_name).await,
        _ => Ok(Json::Null),
    }
}

fn read_template(path: &std::path::Path) -> Result<Json, CommandError> {
    let text = std::fs::read_to_string(path).map_err(|source| CommandError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    crate::template_text::parse(&text).map_err(|error| {
        CommandError::InvalidFile(format!(
            "{} is neither a JSON nor a YAML template: {error}",
            path.display()
        ))
    })
}
