//! Synthesis: validates an [`App`], renders each stack's template, wires references between
//! stacks, and produces a [`CloudAssembly`] that can be written to a directory.

/// The top-level sections a stack writes itself; [`Stack::add_section`](crate::Stack::add_section)
/// adds any other (the SAM transform's `Globals`).
pub const TEMPLATE_SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Transform",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Hooks",
    "Resources",
    "Outputs",
];

pub mod assembly;
mod codedeploy_hook;
mod deploy_order;
mod deployments;
mod findings;
pub mod logical_id;
mod parallel;
mod render;
mod template;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use cfn_l1::model::StackId;
use serde_json::{Map, Value as Json, json};

use crate::core::app::App;
use crate::core::stack::Stack;
use crate::problem::{Problem, Problems, Severity, ValidationErrors};
pub use assembly::{CloudAssembly, Format, StackArtifact, WriteError};
pub(crate) use render::{ExportTarget, Renderer, StackNames};

/// The names (logical IDs, paths) of every element of every stack of `app`.
pub(crate) fn names_of(app: &App) -> BTreeMap<StackId, StackNames> {
    let threads = threads_for(app);
    parallel::map(app.stacks.iter().collect(), threads, |stack| {
        (stack.id, stack_names(stack))
    })
    .into_iter()
    .collect()
}

/// How many threads synthesize `app`.
fn threads_for(app: &App) -> usize {
    let resources = app.stacks.iter().map(|s| s.resources.len()).sum();
    parallel::threads_for(app.stacks.len(), resources)
}

/// The names of every element of `stack`.
fn stack_names(stack: &Stack) -> StackNames {
    let id_of = |node: usize| logical_id::logical_id(&stack.components_of(node));
    StackNames {
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
        hooks: stack.hooks.iter().map(|h| id_of(h.node)).collect(),
        hook_paths: stack.hooks.iter().map(|h| stack.path_of(h.node)).collect(),
    }
}

/// Validates and renders every stack of `app`.
///
/// Returns every error at once when the app is invalid; warnings (a template that must go
/// through S3 at deploy, ...) are in [`CloudAssembly::warnings`].
pub fn synthesize(app: &App) -> Result<CloudAssembly, ValidationErrors> {
    let names = names_of(app);
    let threads = threads_for(app);
    let mut problems: Vec<Problem> = parallel::map(app.stacks.iter().collect(), threads, |stack| {
        validate::stack_problems(stack, &names[&stack.id])
    })
    .into_iter()
    .flatten()
    .collect();
    problems.extend(validate::app_problems(app));
    let (mut templates, imports) = render_all(app, &names, threads, &mut problems);
    let links = Links::of(app, &imports, &mut problems);
    links.add_exports(&mut templates, &names);
    problems.extend(validate::cycles(app, &links.dependencies, &links.examples));
    let mut findings = Vec::new();
    let stacks = artifacts(
        app,
        templates,
        &links,
        &names,
        threads,
        &mut problems,
        &mut findings,
    );
    finish(problems, stacks, findings)
}

/// Renders every stack; returns the templates and the references between stacks.
fn render_all(
    app: &App,
    names: &BTreeMap<StackId, StackNames>,
    threads: usize,
    problems: &mut Vec<Problem>,
) -> (BTreeMap<StackId, Map<String, Json>>, Vec<render::Import>) {
    let rendered = parallel::map(app.stacks.iter().collect(), threads, |stack| {
        let mut renderer = Renderer {
            names,
            stack: stack.id,
            path: stack.name.clone(),
            imports: Vec::new(),
            problems: Vec::new(),
        };
        let template = template::render_stack(stack, &mut renderer);
        (stack.id, template, renderer.imports, renderer.problems)
    });
    let mut templates = BTreeMap::new();
    let mut imports = Vec::new();
    for (id, template, stack_imports, stack_problems) in rendered {
        templates.insert(id, template);
        imports.extend(stack_imports);
        problems.extend(stack_problems);
    }
    (templates, imports)
}

/// How stacks depend on each other, and the values they export for each other.
#[derive(Default)]
struct Links {
    /// Stack → the stacks it deploys after.
    dependencies: BTreeMap<StackId, BTreeSet<StackId>>,
    /// (consumer, producer) → a path on each side that makes the link, for messages.
    examples: BTreeMap<(StackId, StackId), (String, String)>,
    /// Producer → the values it exports.
    exports: BTreeMap<StackId, BTreeSet<ExportTarget>>,
}

impl Links {
    fn of(app: &App, imports: &[render::Import], problems: &mut Vec<Problem>) -> Self {
        let mut links = Links::default();
        for stack in &app.stacks {
            links.explicit(app, stack, problems);
            links.kept_exports(stack, problems);
        }
        for import in imports {
            links.import(app, import, problems);
        }
        links
    }

    /// `Stack::add_dependency`.
    fn explicit(&mut self, app: &App, stack: &Stack, problems: &mut Vec<Problem>) {
        self.dependencies.entry(stack.id).or_default();
        for dependency in &stack.dependencies {
            if app.stacks.iter().any(|s| s.id == *dependency) {
                self.dependencies
                    .entry(stack.id)
                    .or_default()
                    .insert(*dependency);
                self.examples
                    .entry((stack.id, *dependency))
                    .or_insert_with(|| (stack.name.clone(), "Stack::add_dependency".to_owned()));
            } else {
                Problems::new(stack.name.clone(), problems).error(
                    "dependency",
                    "a stack outside this app",
                    "depend on stacks of the same App",
                );
            }
        }
    }

    /// A value of one stack used by another: an export, and a dependency.
    fn import(&mut self, app: &App, import: &render::Import, problems: &mut Vec<Problem>) {
        let producer_id = import.target.stack();
        let stack = |id: StackId| app.stacks.iter().find(|s| s.id == id);
        let (Some(consumer), Some(producer)) = (stack(import.consumer), stack(producer_id)) else {
            return;
        };
        if consumer.environment != producer.environment {
            Problems::new(import.consumer_path.clone(), problems).error(
                "cross-stack reference",
                format!("`{}` of stack `{}` ({})", import.producer_path, producer.name, producer.environment),
                format!("a value of a stack in the same account and region ({}); exports do not cross regions or accounts", consumer.environment),
            );
            return;
        }
        self.dependencies
            .entry(import.consumer)
            .or_default()
            .insert(producer_id);
        self.examples
            .entry((import.consumer, producer_id))
            .or_insert_with(|| (import.consumer_path.clone(), import.producer_path.clone()));
        self.exports
            .entry(producer_id)
            .or_default()
            .insert(import.target.clone());
    }

    /// `Stack::export_value`: exports kept for consumers that no longer import them.
    fn kept_exports(&mut self, stack: &Stack, problems: &mut Vec<Problem>) {
        for kept in &stack.kept_exports {
            let mut problems = Problems::new(stack.name.clone(), problems);
            match ExportTarget::of(kept) {
                Some(target) if target.stack() == stack.id => {
                    self.exports.entry(stack.id).or_default().insert(target);
                }
                Some(_) => problems.error(
                    "export_value",
                    "a value of another stack",
                    "export values of the stack itself",
                ),
                None => problems.error(
                    "export_value",
                    describe(kept),
                    "a Ref or GetAtt of a resource or parameter of this stack",
                ),
            }
        }
    }

    /// Adds the export outputs to the producers' templates.
    fn add_exports(
        &self,
        templates: &mut BTreeMap<StackId, Map<String, Json>>,
        names: &BTreeMap<StackId, StackNames>,
    ) {
        for (producer, targets) in &self.exports {
            let Some(template) = templates.get_mut(producer) else {
                continue;
            };
            let outputs = template
                .entry("Outputs".to_owned())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(outputs) = outputs {
                for target in targets {
                    let (output_id, export_name) = target.export_names(&names[producer]);
                    let value = target.local_value(&names[producer]);
                    outputs.insert(
                        output_id,
                        json!({ "Export": { "Name": export_name }, "Value": value }),
                    );
                }
                outputs.sort_keys();
            }
        }
    }

    /// The names of the stacks `stack` depends on, sorted.
    fn dependency_names(&self, app: &App, stack: StackId) -> Vec<String> {
        self.dependencies
            .get(&stack)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                app.stacks
                    .iter()
                    .find(|s| s.id == *d)
                    .map(|s| s.name.clone())
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

/// An expression as a message shows it: a literal as written, else what kind it is.
fn describe(expr: &cfn_l1::model::Expr) -> String {
    use cfn_l1::model::Expr;
    match expr {
        Expr::String(text) => crate::problem::quoted(text),
        Expr::Number(number) => number.to_string(),
        Expr::Bool(value) => value.to_string(),
        _ => "an intrinsic function".to_owned(),
    }
}

/// The finished templates as artifacts, after the checks that need them whole.
fn artifacts(
    app: &App,
    mut templates: BTreeMap<StackId, Map<String, Json>>,
    links: &Links,
    names: &BTreeMap<StackId, StackNames>,
    threads: usize,
    problems: &mut Vec<Problem>,
    findings: &mut Vec<crate::rules::Finding>,
) -> Vec<StackArtifact> {
    let jobs: Vec<(&Stack, Map<String, Json>)> = app
        .stacks
        .iter()
        .filter_map(|stack| Some((stack, templates.remove(&stack.id)?)))
        .collect();
    let finished = parallel::map(jobs, threads, |(stack, template)| {
        let dependencies = links.dependency_names(app, stack.id);
        finish_stack(stack, template, &names[&stack.id], dependencies)
    });
    let mut stacks = Vec::with_capacity(finished.len());
    for (artifact, stack_problems, stack_findings) in finished {
        stacks.push(artifact);
        problems.extend(stack_problems);
        findings.extend(stack_findings);
    }
    stacks
}

/// One stack's artifact, with the problems and rule findings of its finished template.
fn finish_stack(
    stack: &Stack,
    template: Map<String, Json>,
    names: &StackNames,
    dependencies: Vec<String>,
) -> (StackArtifact, Vec<Problem>, Vec<crate::rules::Finding>) {
    let mut problems = Vec::new();
    let mut template = Json::Object(template);
    let findings = findings::check(stack, &mut template, names, &mut problems);
    let text = assembly::to_json_text(&template);
    problems.extend(validate::template_problems(stack, &template, &text));
    problems.extend(deploy_order::problems(&template, names));
    let resource_count = template["Resources"].as_object().map_or(0, Map::len);
    let artifact = StackArtifact {
        name: stack.name.clone(),
        environment: stack.environment.clone(),
        dependencies,
        tags: stack.tags.clone(),
        termination_protection: stack.termination_protection,
        resource_count,
        template,
        template_json: text,
    };
    (artifact, problems, findings)
}

/// The assembly, or every error (with the warnings) when there is one.
fn finish(
    mut problems: Vec<Problem>,
    stacks: Vec<StackArtifact>,
    findings: Vec<crate::rules::Finding>,
) -> Result<CloudAssembly, ValidationErrors> {
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
    Ok(CloudAssembly {
        stacks,
        warnings,
        findings,
    })
}
