//! Checks run before anything is written: names, limits and references. Each problem names
//! the construct path, the property, the value and what is allowed.

use std::collections::{BTreeMap, BTreeSet};

use cfn_l1::model::StackId;
use serde_json::Value as Json;

use super::logical_id::is_valid;
use super::render::StackNames;
use crate::core::app::App;
use crate::core::stack::Stack;
use crate::problem::{Problem, Problems, quoted};

/// CloudFormation's hard limits, from the CloudFormation quotas page of the AWS documentation.
pub mod limits {
    /// Resources per template.
    pub const RESOURCES: usize = 500;
    /// Outputs per template.
    pub const OUTPUTS: usize = 200;
    /// Parameters per template.
    pub const PARAMETERS: usize = 200;
    /// Mappings per template.
    pub const MAPPINGS: usize = 200;
    /// Attributes (top-level keys) per mapping.
    pub const MAPPING_ATTRIBUTES: usize = 200;
    /// Characters in a logical ID or element name.
    pub const NAME_LENGTH: usize = 255;
    /// Characters in a stack name.
    pub const STACK_NAME_LENGTH: usize = 128;
    /// Bytes in the template description.
    pub const DESCRIPTION_BYTES: usize = 1024;
    /// Bytes of a template passed in the request (beyond: upload to S3).
    pub const INLINE_TEMPLATE_BYTES: usize = 51_200;
    /// Bytes of a template read from S3.
    pub const TEMPLATE_BYTES: usize = 1_048_576;
    /// Dynamic references (`{{resolve:...}}`) per template.
    pub const DYNAMIC_REFERENCES: usize = 60;
}

/// Whether a stack name is valid: `^[A-Za-z][A-Za-z0-9-]*$`, at most 128 characters.
pub fn is_valid_stack_name(name: &str) -> bool {
    name.len() <= limits::STACK_NAME_LENGTH
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn check_count(out: &mut Vec<Problem>, stack: &Stack, what: &str, count: usize, limit: usize) {
    if count > limit {
        at(out, stack.name.clone()).error(
            what,
            count,
            format!("at most {limit} per template; split the stack"),
        );
    }
}

/// A collector for problems at `path`.
fn at(out: &mut Vec<Problem>, path: String) -> Problems<'_> {
    Problems::new(path, out)
}

/// Problems of one stack found without rendering.
pub(crate) fn stack_problems(stack: &Stack, names: &StackNames) -> Vec<Problem> {
    let mut out = stack.problems.clone();
    stack_settings(stack, &mut at(&mut out, stack.name.clone()));
    crate::core::tags::check_rules(stack, &mut out);
    for element in &stack.parameters {
        element
            .value
            .check(&mut at(&mut out, stack.path_of(element.node)));
    }
    for element in &stack.conditions {
        if let Some((function, count)) = element.value.operand_count()
            && !(2..=10).contains(&count)
        {
            at(&mut out, stack.path_of(element.node)).error(
                function,
                format!("{count} condition(s)"),
                "2 to 10 conditions",
            );
        }
    }
    for element in &stack.mappings {
        mapping_problems(
            &element.value,
            &mut at(&mut out, stack.path_of(element.node)),
        );
    }
    logical_id_problems(stack, names, &mut out);
    check_count(
        &mut out,
        stack,
        "resources",
        stack.resources.len(),
        limits::RESOURCES,
    );
    check_count(
        &mut out,
        stack,
        "parameters",
        stack.parameters.len(),
        limits::PARAMETERS,
    );
    check_count(
        &mut out,
        stack,
        "mappings",
        stack.mappings.len(),
        limits::MAPPINGS,
    );
    out
}

/// The stack's name, environment, description and tags.
fn stack_settings(stack: &Stack, problems: &mut Problems<'_>) {
    if !is_valid_stack_name(&stack.name) {
        problems.error(
            "stack name",
            quoted(&stack.name),
            "1 to 128 characters: a letter, then letters, digits and hyphens (^[A-Za-z][A-Za-z0-9-]*$)",
        );
    }
    stack.environment.check(problems);
    if let Some(description) = &stack.description
        && description.len() > limits::DESCRIPTION_BYTES
    {
        problems.error(
            "Description",
            format!("{} bytes", description.len()),
            format!("at most {} bytes", limits::DESCRIPTION_BYTES),
        );
    }
    for (key, value) in &stack.tags {
        crate::core::tags::check_tag(key, Some(value), problems);
    }
}

fn mapping_problems(mapping: &crate::core::mapping::Mapping, problems: &mut Problems<'_>) {
    let attributes = mapping.entries.len();
    if attributes > limits::MAPPING_ATTRIBUTES {
        problems.error(
            "mapping attributes",
            attributes,
            format!("at most {}", limits::MAPPING_ATTRIBUTES),
        );
    }
    let keys = mapping
        .entries
        .keys()
        .chain(mapping.entries.values().flat_map(|m| m.keys()));
    for key in keys {
        let valid = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !valid {
            problems.error("mapping key", quoted(key), "letters, digits, `-` and `.`");
        }
    }
}

/// Overridden logical IDs are valid; resources and parameters (which share the `Ref`
/// namespace) do not share a logical ID. Two elements with the same path are a repeated
/// construct id, reported where the id is added: not again here.
fn logical_id_problems(stack: &Stack, names: &StackNames, out: &mut Vec<Problem>) {
    for entry in &stack.resources {
        if let Some(id) = &entry.options.logical_id
            && !is_valid(id)
        {
            at(out, stack.path_of(entry.node)).error(
                "logical ID",
                quoted(id),
                format!("1 to {} ASCII letters and digits", limits::NAME_LENGTH),
            );
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let referable = names
        .resources
        .iter()
        .zip(&names.resource_paths)
        .chain(names.parameters.iter().zip(&names.parameter_paths));
    for (id, path) in referable {
        match seen.get(id.as_str()) {
            Some(first) if *first == path.as_str() => {}
            Some(first) => at(out, path.clone()).error(
                "logical ID",
                quoted(id),
                format!("a logical ID not already used by `{first}`"),
            ),
            None => {
                seen.insert(id, path);
            }
        }
    }
}

/// Problems across stacks: duplicate stack names.
pub(crate) fn app_problems(app: &App) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for stack in &app.stacks {
        if !seen.insert(stack.name.as_str()) {
            at(&mut out, stack.name.clone()).error(
                "stack name",
                quoted(&stack.name),
                "a name no other stack of the app uses",
            );
        }
    }
    out
}

/// Problems of a rendered template: outputs, size, dynamic references.
pub(crate) fn template_problems(stack: &Stack, template: &Json, text: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let outputs = template["Outputs"]
        .as_object()
        .map_or(0, serde_json::Map::len);
    check_count(
        &mut out,
        stack,
        "outputs (exports for other stacks included)",
        outputs,
        limits::OUTPUTS,
    );
    let mut problems = at(&mut out, stack.name.clone());
    // Deploy sends a template over the request limit without its indentation, so that is
    // the size the limits apply to.
    let bytes = if text.len() > limits::INLINE_TEMPLATE_BYTES {
        super::assembly::compact_len(text)
    } else {
        text.len()
    };
    if bytes > limits::TEMPLATE_BYTES {
        problems.error(
            "template size",
            format!("{bytes} bytes"),
            format!("at most {} bytes; split the stack", limits::TEMPLATE_BYTES),
        );
    } else if bytes > limits::INLINE_TEMPLATE_BYTES {
        problems.warning(
            "template size",
            format!("{bytes} bytes"),
            format!(
                "over {} bytes without indentation: deploy uploads it to the staging bucket (run bootstrap once)",
                limits::INLINE_TEMPLATE_BYTES
            ),
        );
    }
    let dynamic = text.matches("{{resolve:").count();
    if dynamic > limits::DYNAMIC_REFERENCES {
        problems.error(
            "dynamic references",
            dynamic,
            format!("at most {} per template", limits::DYNAMIC_REFERENCES),
        );
    }
    out
}

/// A cycle among stack dependencies, named by the stacks and the references that make it.
pub(crate) fn cycles(
    app: &App,
    dependencies: &BTreeMap<StackId, BTreeSet<StackId>>,
    examples: &BTreeMap<(StackId, StackId), (String, String)>,
) -> Vec<Problem> {
    let name = |id: &StackId| {
        app.stacks
            .iter()
            .find(|s| s.id == *id)
            .map_or("?".to_owned(), |s| s.name.clone())
    };
    let next = |id: &StackId| dependencies.get(id).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for cycle in crate::graph::cycles(dependencies.keys().copied(), next) {
        let links: Vec<String> = cycle
            .windows(2)
            .filter_map(|pair| examples.get(&(pair[0], pair[1])))
            .map(|(consumer, producer)| format!("`{consumer}` uses `{producer}`"))
            .collect();
        let stacks: Vec<String> = cycle[..cycle.len() - 1].iter().map(&name).collect();
        at(&mut out, stacks.join(", ")).error(
            "cross-stack references",
            format!("a cycle: {}", links.join("; ")),
            "references that go one way only: move one of the resources, or make the grant or connection through the dependent stack (the scope argument), so that one stack only uses the other",
        );
    }
    out
}
