//! `drift`: detects drift for each selected stack and prints each drifted resource with the
//! properties that differ. Exit code 0 when every stack is in sync, 1 when some drifted, 4
//! when a detection failed (for CI).

use construct_lib::App;

use super::{CommandError, Exit, Out, load_assembly, poll_interval, select, with_session};
use crate::assembly::{Assembly, Extend};
use crate::aws::Session;
use crate::cli::DriftArgs;
use crate::deploy::status;
use crate::drift::{self, ResourceDrift, StackDrift};
use crate::error::EngineError;

/// Runs `drift`. An invalid app or assembly, which every other command ends with exit code
/// 1, ends it with 4 (failed): CI reads 1 from `drift` as "drifted".
pub fn run(app: &App, args: &DriftArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    detect_all(app, args, out, err).map_err(|error| match error.exit() {
        Exit::Invalid => CommandError::Unchecked(Box::new(error)),
        _ => error,
    })
}

fn detect_all(app: &App, args: &DriftArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let assembly = load_assembly(app, &args.source, err)?;
    let ids = select(&assembly, &args.selection, Extend::Exclusively)?;
    let poll = poll_interval(args.poll_interval);
    let results = with_session(&args.aws, async |session| {
        let mut results = Vec::new();
        for id in &ids {
            results.push((id.clone(), detect(session, &assembly, id, poll).await));
        }
        results
    })?;
    let mut errors = Vec::new();
    let mut drifted = Vec::new();
    for (id, result) in results {
        match result {
            Ok(StackDrift::InSync) => {
                let _ = writeln!(out, "{id}: in sync");
            }
            Ok(StackDrift::NotDeployed) => {
                let _ = writeln!(out, "{id}: not deployed");
            }
            Ok(StackDrift::Drifted(resources)) => {
                let _ = write!(out, "{}", drifted_text(&id, &resources));
                drifted.push(id);
            }
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(CommandError::Stacks(errors));
    }
    if !drifted.is_empty() {
        return Err(CommandError::Drifted(drifted));
    }
    Ok(())
}

async fn detect(
    session: &Session,
    assembly: &Assembly,
    id: &str,
    poll: std::time::Duration,
) -> Result<StackDrift, EngineError> {
    let Some(stack) = assembly.stack(id) else {
        return Ok(StackDrift::NotDeployed);
    };
    let region = session.region_for(id, &stack.environment)?;
    let cfn = session.cloudformation(&region);
    match status::describe(&cfn, id, &stack.stack_name).await? {
        Some(info) if !info.never_created() => {
            drift::detect(&cfn, id, &stack.stack_name, poll).await
        }
        _ => Ok(StackDrift::NotDeployed),
    }
}

/// A drifted stack: each resource, then each property that differs, expected then actual.
fn drifted_text(id: &str, resources: &[ResourceDrift]) -> String {
    let mut text = format!("{id}: drifted ({} resource(s))\n", resources.len());
    for resource in resources {
        text.push_str(&format!(
            "  {} {} ({})\n",
            resource.status, resource.logical_id, resource.resource_type
        ));
        for property in &resource.properties {
            let shown = |value: &Option<String>| value.as_deref().unwrap_or("(absent)").to_owned();
            text.push_str(&format!(
                "    {}: expected {}, actual {} ({})\n",
                property.path,
                shown(&property.expected),
                shown(&property.actual),
                property.kind
            ));
        }
    }
    text
}
