//! `list`: the stacks of the app, in order; with `--long`, where each deploys, what it
//! depends on, and its deployed status when AWS credentials are available.

use construct_lib::App;

use super::{CommandError, Out, load_assembly, runtime};
use crate::assembly::Assembly;
use crate::aws::{Session, Target};
use crate::cli::ListArgs;
use crate::deploy::status;

/// Runs `list`. With `--long` each stack's environment and dependencies are shown, which
/// needs a valid app (dependencies come from references found at synthesis), and the status
/// of the deployed stack, or why it is unknown.
pub fn run(app: &App, args: &ListArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    if !args.long && args.source.app.is_none() {
        for stack in app.stacks() {
            let _ = writeln!(out, "{}", stack.name());
        }
        return Ok(());
    }
    let assembly = load_assembly(app, &args.source, err)?;
    if !args.long {
        for stack in &assembly.stacks {
            let _ = writeln!(out, "{}", stack.id);
        }
        return Ok(());
    }
    let statuses = runtime()?.block_on(deployed_statuses(args, &assembly));
    for (stack, status) in assembly.stacks.iter().zip(statuses) {
        let dependencies = if stack.dependencies.is_empty() {
            "-".to_owned()
        } else {
            stack.dependencies.join(",")
        };
        let _ = writeln!(
            out,
            "{}\t{}\tdepends on: {dependencies}\t{status}",
            stack.id, stack.environment
        );
    }
    Ok(())
}

/// Each stack's deployed status (`CREATE_COMPLETE`, `not deployed`), or why it is unknown.
async fn deployed_statuses(args: &ListArgs, assembly: &Assembly) -> Vec<String> {
    let session = Session::load(&Target::from(&args.aws)).await;
    if let Err(error) = session.check_credentials().await {
        let unknown = format!(
            "status unknown: {}",
            match error {
                crate::error::EngineError::NoCredentials { .. } => "no AWS credentials".to_owned(),
                other => other.to_string(),
            }
        );
        return vec![unknown; assembly.stacks.len()];
    }
    let mut statuses = Vec::new();
    for stack in &assembly.stacks {
        let status = match session.region_for(&stack.id, &stack.environment) {
            Err(_) => "status unknown: no region".to_owned(),
            Ok(region) => {
                let cfn = session.cloudformation(&region);
                match status::describe(&cfn, &stack.id, &stack.stack_name).await {
                    Ok(Some(info)) => format!("{} ({region})", info.status),
                    Ok(None) => format!("not deployed ({region})"),
                    Err(error) => format!("status unknown: {error}"),
                }
            }
        };
        statuses.push(status);
    }
    statuses
}
