//! `diff`: each selected stack's local template against the deployed one (or a template
//! file, offline).

use construct_lib::App;
use serde_json::Value as Json;

use super::{
    EXIT_DIFFERENCES, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_IO, EXIT_OK, EXIT_USAGE,
    Out, load_assembly, render, select, with_session,
};
use crate::assembly::{Assembly, Extend};
use crate::cli::DiffArgs;
use crate::deploy::stack::deployed_template;
use crate::deploy::status;
use crate::diff::TemplateDiff;
use crate::error::EngineError;

/// Runs `diff`.
pub fn run(app: &App, args: &DiffArgs, out: Out<'_>, err: Out<'_>) -> u8 {
    let assembly = match load_assembly(app, &args.source, err) {
        Ok(assembly) => assembly,
        Err(code) => return code,
    };
    let ids = match select(&assembly, &args.selection, Extend::Exclusively, err) {
        Ok(ids) => ids,
        Err(code) => return code,
    };
    let olds: Vec<Result<Json, EngineError>> = match &args.template {
        Some(path) => {
            if ids.len() != 1 {
                let _ = writeln!(
                    err,
                    "error: --template compares one stack, but {} are selected ({}): name one stack",
                    ids.len(),
                    ids.join(", ")
                );
                return EXIT_USAGE;
            }
            match read_template(path) {
                Ok(template) => vec![Ok(template)],
                Err((code, message)) => {
                    let _ = writeln!(err, "error: {message}");
                    return code;
                }
            }
        }
        None => {
            let deployed = with_session(&args.aws, err, async |session| {
                let mut templates = Vec::new();
                for id in &ids {
                    templates.push(deployed(session, &assembly, id).await);
                }
                templates
            });
            match deployed {
                Ok(templates) => templates,
                Err(code) => {
                    if code == EXIT_INTERRUPTED {
                        let _ = writeln!(err, "interrupted");
                    }
                    return code;
                }
            }
        }
    };
    let mut code = EXIT_OK;
    let mut differences = false;
    for (id, old) in ids.iter().zip(olds) {
        let Some(stack) = assembly.stack(id) else {
            continue;
        };
        let _ = writeln!(out, "Stack {id}");
        match old {
            Ok(old) => {
                if old.is_null() {
                    let _ = writeln!(out, "(not deployed: everything is new)");
                }
                let diff = TemplateDiff::between(&old, &stack.template);
                differences |= !diff.is_empty();
                let _ = write!(out, "{}", render::template_diff(&diff));
            }
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                code = EXIT_FAILED;
            }
        }
        let _ = writeln!(out);
    }
    if code == EXIT_OK && differences && args.fail {
        code = EXIT_DIFFERENCES;
    }
    code
}

/// The deployed template, or `Null` when the stack is not deployed.
async fn deployed(
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
        Some(info) if info.status != "REVIEW_IN_PROGRESS" => {
            deployed_template(&cfn, id, &stack.stack_name).await
        }
        _ => Ok(Json::Null),
    }
}

fn read_template(path: &std::path::Path) -> Result<Json, (u8, String)> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| (EXIT_IO, format!("cannot read {}: {error}", path.display())))?;
    serde_json::from_str(&text)
        .or_else(|_| serde_yaml_ng::from_str(&text))
        .map_err(|error| {
            (
                EXIT_INVALID,
                format!(
                    "{} is neither a JSON nor a YAML template: {error}",
                    path.display()
                ),
            )
        })
}
