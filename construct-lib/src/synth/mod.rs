//! Synthesis: validates an [`App`], renders each stack's template, wires references between
//! stacks, and produces a [`CloudAssembly`] that can be written to a directory.

pub mod assembly;
pub mod logical_id;
mod render;
mod template;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use cfn_l1::model::StackId;
use serde_json::{Map, Value as Json, json};

use crate::core::app::App;
use crate::problem::{Problem, Severity, ValidationErrors};
pub use assembly::{CloudAssembly, Format, StackArtifact, WriteError};
pub(crate) use render::{ExportTarget, Renderer, StackNames};

/// The names (logical IDs, paths) of every element of every stack of `app`.
pub(crate) fn names_of(app: &App) -> BTreeMap<StackId, StackNames> {
    app.stacks
        .iter()
        .map(|stack| {
            let id_of = |node: usize| logical_id::logical_id(&stack.components_of(node));
            let names = StackNames {
                stack_name: stack.name.clone(),
                resources: stack
                    .resources
                    .iter()
                    .map(|r| stack.logical_id_of(r))
                    .collect(),
                resource_paths: stack
                    .resources
                    .iter()
                    .map(|r| stack.path_of(r.node))
                    .collect(),
                parameters: stack.parameters.iter().map(|p| id_of(p.node)).collect(),
                parameter_paths: stack
                    .parameters
                    .iter()
                    .map(|p| stack.path_of(p.node))
                    .collect(),
                conditions: stack.conditions.iter().map(|c| id_of(c.node)).collect(),
                mappings: stack.mappings.iter().map(|m| id_of(m.node)).collect(),
            };
            (stack.id, names)
        })
        .collect()
}

/// Validates and renders every stack of `app`.
///
/// Returns every error at once when the app is invalid; warnings (a template that must go
/// through S3 at deploy, ...) are in [`CloudAssembly::warnings`].
pub fn synthesize(app: &App) -> Result<CloudAssembly, ValidationErrors> {
    let names = names_of(app);
    let mut problems: Vec<Problem> = Vec::new();
    for stack in &app.stacks {
        problems.extend(validate::stack_problems(stack, &names[&stack.id]));
    }
    problems.extend(validate::app_problems(app));

    let mut templates: BTreeMap<StackId, Map<String, Json>> = BTreeMap::new();
    let mut imports = Vec::new();
    for stack in &app.stacks {
        let mut renderer = Renderer {
            names: &names,
            stack: stack.id,
            path: stack.name.clone(),
            imports: Vec::new(),
            problems: Vec::new(),
        };
        let template = template::render_stack(stack, &mut renderer);
        templates.insert(stack.id, template);
        imports.extend(renderer.imports);
        problems.extend(renderer.problems);
    }

    // References between stacks: exports in the producer, a dependency of the consumer.
    let by_id: BTreeMap<StackId, &crate::core::stack::Stack> =
        app.stacks.iter().map(|s| (s.id, s)).collect();
    let mut dependencies: BTreeMap<StackId, BTreeSet<StackId>> = BTreeMap::new();
    let mut edge_examples: BTreeMap<(StackId, StackId), (String, String)> = BTreeMap::new();
    let mut exports: BTreeMap<StackId, BTreeSet<ExportTarget>> = BTreeMap::new();
    for stack in &app.stacks {
        let deps = dependencies.entry(stack.id).or_default();
        for dependency in &stack.dependencies {
            if by_id.contains_key(dependency) {
                deps.insert(*dependency);
                edge_examples
                    .entry((stack.id, *dependency))
                    .or_insert_with(|| (stack.name.clone(), "Stack::add_dependency".to_owned()));
            } else {
                problems.push(Problem::error(
                    stack.name.clone(),
                    "dependency",
                    "a stack outside this app",
                    "depend on stacks of the same App",
                ));
            }
        }
    }
    for import in &imports {
        let producer_id = import.target.stack();
        let (Some(consumer), Some(producer)) =
            (by_id.get(&import.consumer), by_id.get(&producer_id))
        else {
            continue;
        };
        if consumer.environment != producer.environment {
            problems.push(Problem::error(
                import.consumer_path.clone(),
                "cross-stack reference",
                format!("`{}` of stack `{}` ({})", import.producer_path, producer.name, producer.environment),
                format!("a value of a stack in the same account and region ({}); exports do not cross regions or accounts", consumer.environment),
            ));
            continue;
        }
        dependencies
            .entry(import.consumer)
            .or_default()
            .insert(producer_id);
        edge_examples
            .entry((import.consumer, producer_id))
            .or_insert_with(|| (import.consumer_path.clone(), import.producer_path.clone()));
        exports
            .entry(producer_id)
            .or_default()
            .insert(import.target.clone());
    }
    for stack in &app.stacks {
        for kept in &stack.kept_exports {
            match ExportTarget::of(kept) {
                Some(target) if target.stack() == stack.id => {
                    exports.entry(stack.id).or_default().insert(target);
                }
                Some(_) => problems.push(Problem::error(
                    stack.name.clone(),
                    "export_value",
                    "a value of another stack",
                    "export values of the stack itself",
                )),
                None => problems.push(Problem::error(
                    stack.name.clone(),
                    "export_value",
                    format!("{kept:?}"),
                    "a Ref or GetAtt of a resource or parameter of this stack",
                )),
            }
        }
    }
    for (producer, targets) in &exports {
        let stack_names = &names[producer];
        let Some(template) = templates.get_mut(producer) else {
            continue;
        };
        let outputs = template
            .entry("Outputs".to_owned())
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(outputs) = outputs {
            for target in targets {
                let (output_id, export_name) = target.export_names(stack_names);
                outputs.insert(
                    output_id,
                    json!({ "Export": { "Name": export_name }, "Value": target.local_value(stack_names) }),
                );
            }
            outputs.sort_keys();
        }
    }
    problems.extend(validate::cycles(app, &dependencies, &edge_examples));

    let mut stacks = Vec::new();
    for stack in &app.stacks {
        let Some(template) = templates.remove(&stack.id) else {
            continue;
        };
        let template = Json::Object(template);
        let text = assembly::to_json_text(&template);
        problems.extend(validate::template_problems(stack, &template, &text));
        let dependencies: Vec<String> = dependencies
            .get(&stack.id)
            .into_iter()
            .flatten()
            .filter_map(|d| by_id.get(d).map(|s| s.name.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let resource_count = template["Resources"].as_object().map_or(0, Map::len);
        stacks.push(StackArtifact {
            name: stack.name.clone(),
            environment: stack.environment.clone(),
            dependencies,
            tags: stack.tags.clone(),
            termination_protection: stack.termination_protection,
            resource_count,
            template,
            template_json: text,
        });
    }
    problems.sort();
    problems.dedup();
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) = problems
        .into_iter()
        .partition(|p| p.severity == Severity::Error);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(ValidationErrors { problems: all });
    }
    Ok(CloudAssembly { stacks, warnings })
}
