//! Renders one stack into its template (before exports for other stacks are added).

use std::collections::BTreeMap;

use cfn_l1::model::{Expr, ResourceId, TagVariant};
use serde_json::{Map, Value as Json, json};

use super::render::Renderer;
use crate::core::stack::{ResourceEntry, Stack};
use crate::core::tags::LAUNCH_TEMPLATE;
use crate::problem::quoted;

/// Sets or removes the value at a dotted path, creating objects on the way; list elements are
/// addressed by index.
fn apply_override(target: &mut Json, path: &str, value: Option<Json>) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    let (last, parents) = parts.split_last().ok_or("an empty path")?;
    let mut current = target;
    for part in parents {
        current = match current {
            Json::Object(map) => map
                .entry(part.to_string())
                .or_insert_with(|| Json::Object(Map::new())),
            Json::Array(items) => {
                let index: usize = part
                    .parse()
                    .map_err(|_| format!("`{part}` is not a list index"))?;
                items
                    .get_mut(index)
                    .ok_or_else(|| format!("index {index} is past the end of the list"))?
            }
            _ => {
                return Err(format!(
                    "`{part}` is under a value that is not an object or a list"
                ));
            }
        };
    }
    match (current, value) {
        (Json::Object(map), Some(value)) => {
            map.insert(last.to_string(), value);
        }
        (Json::Object(map), None) => {
            map.remove(*last);
        }
        (Json::Array(items), value) => {
            let index: usize = last
                .parse()
                .map_err(|_| format!("`{last}` is not a list index"))?;
            match value {
                Some(value) if index < items.len() => items[index] = value,
                Some(value) if index == items.len() => items.push(value),
                None if index < items.len() => {
                    items.remove(index);
                }
                _ => return Err(format!("index {index} is past the end of the list")),
            }
        }
        _ => return Err("the parent of the last component is not an object or a list".to_owned()),
    }
    Ok(())
}

/// Adds the stack's and the scopes' tags to a rendered resource whose type takes tags;
/// tags the resource sets itself win.
fn apply_tags(
    properties: &mut Map<String, Json>,
    property: &str,
    variant: TagVariant,
    tags: &BTreeMap<String, String>,
) {
    if tags.is_empty() {
        return;
    }
    let existing = properties
        .entry(property.to_owned())
        .or_insert_with(|| match variant {
            TagVariant::Map => Json::Object(Map::new()),
            _ => Json::Array(Vec::new()),
        });
    match existing {
        Json::Object(map) => {
            for (k, v) in tags {
                map.entry(k.clone())
                    .or_insert_with(|| Json::String(v.clone()));
            }
        }
        Json::Array(items) => {
            let present: Vec<String> = items
                .iter()
                .filter_map(|t| t.get("Key").and_then(Json::as_str).map(str::to_owned))
                .collect();
            for (k, v) in tags {
                if present.contains(k) {
                    continue;
                }
                items.push(match variant {
                    TagVariant::AutoScalingGroup => {
                        json!({ "Key": k, "PropagateAtLaunch": true, "Value": v })
                    }
                    _ => json!({ "Key": k, "Value": v }),
                });
            }
        }
        _ => {}
    }
}

/// Tags a launch template (`TagSpecifications` of type `launch-template`) and the instances
/// and volumes it launches (`LaunchTemplateData.TagSpecifications`): an Auto Scaling group
/// propagates its tags to instances only, so without this the volumes stay untagged. Tags
/// the template sets itself win.
fn apply_launch_template_tags(properties: &mut Map<String, Json>, tags: &BTreeMap<String, String>) {
    if tags.is_empty() {
        return;
    }
    add_tag_specification(properties, "launch-template", tags);
    if let Some(Json::Object(data)) = properties.get_mut("LaunchTemplateData") {
        for resource_type in ["instance", "volume"] {
            add_tag_specification(data, resource_type, tags);
        }
    }
}

/// Adds `tags` to the `TagSpecifications` entry of `resource_type` (created if missing).
fn add_tag_specification(
    properties: &mut Map<String, Json>,
    resource_type: &str,
    tags: &BTreeMap<String, String>,
) {
    let Json::Array(specifications) = properties
        .entry("TagSpecifications".to_owned())
        .or_insert_with(|| Json::Array(Vec::new()))
    else {
        return;
    };
    let position = specifications
        .iter()
        .position(|s| s.get("ResourceType").and_then(Json::as_str) == Some(resource_type));
    let index = position.unwrap_or_else(|| {
        specifications.push(json!({ "ResourceType": resource_type }));
        specifications.len() - 1
    });
    if let Json::Object(specification) = &mut specifications[index] {
        apply_tags(specification, "Tags", TagVariant::Standard, tags);
    }
}

/// Renders every section of a stack's template except the exports other stacks need.
pub(crate) fn render_stack(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".to_owned(), json!("2010-09-09"));
    if let Some(description) = &stack.description {
        template.insert("Description".to_owned(), json!(description));
    }
    if !stack.metadata.is_empty() {
        renderer.path = stack.name.clone();
        let metadata: Map<String, Json> = stack
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), renderer.render(v)))
            .collect();
        template.insert("Metadata".to_owned(), Json::Object(metadata));
    }
    match stack.transforms.as_slice() {
        [] => {}
        [one] => {
            template.insert("Transform".to_owned(), json!(one));
        }
        many => {
            template.insert("Transform".to_owned(), json!(many));
        }
    }
    let sections = [
        ("Parameters", parameters(stack, renderer)),
        ("Rules", rules(stack, renderer)),
        ("Mappings", mappings(stack, renderer)),
        ("Conditions", conditions(stack, renderer)),
        ("Hooks", hooks(stack, renderer)),
    ];
    for (name, section) in sections {
        if !section.is_empty() {
            template.insert(name.to_owned(), Json::Object(section));
        }
    }
    template.insert(
        "Resources".to_owned(),
        Json::Object(resources(stack, renderer)),
    );
    let outputs = outputs(stack, renderer);
    if !outputs.is_empty() {
        template.insert("Outputs".to_owned(), Json::Object(outputs));
    }
    extra_sections(stack, renderer, &mut template);
    template
}

/// The sections of `Stack::add_section`, after the ones the stack writes; a name the stack
/// writes itself is reported.
fn extra_sections(stack: &Stack, renderer: &mut Renderer<'_>, template: &mut Map<String, Json>) {
    for (name, value) in &stack.sections {
        renderer.path = stack.name.clone();
        if super::TEMPLATE_SECTIONS.contains(&name.as_str()) {
            renderer.problems().error(
                "add_section",
                quoted(name),
                "a section the stack does not write itself (Globals, say); use the stack's own methods for this one",
            );
            continue;
        }
        let rendered = renderer.render(value);
        template.insert(name.clone(), rendered);
    }
}

/// A section's entries, sorted by logical ID.
fn sorted(entries: BTreeMap<String, Json>) -> Map<String, Json> {
    entries.into_iter().collect()
}

fn parameters(stack: &Stack, renderer: &Renderer<'_>) -> Map<String, Json> {
    let ids = &renderer.names[&stack.id].parameters;
    let mut parameters = BTreeMap::new();
    for (index, element) in stack.parameters.iter().enumerate() {
        let spec = &element.value;
        let mut p = Map::new();
        p.insert("Type".to_owned(), json!(spec.type_name()));
        let mut set = |name: &str, value: Option<Json>| {
            if let Some(value) = value {
                p.insert(name.to_owned(), value);
            }
        };
        set("Default", spec.default.as_ref().map(|v| json!(v)));
        set("Description", spec.description.as_ref().map(|v| json!(v)));
        set(
            "AllowedValues",
            (!spec.allowed_values.is_empty()).then(|| json!(spec.allowed_values)),
        );
        set(
            "AllowedPattern",
            spec.allowed_pattern.as_ref().map(|v| json!(v)),
        );
        set(
            "ConstraintDescription",
            spec.constraint_description.as_ref().map(|v| json!(v)),
        );
        set("MinLength", spec.min_length.map(|v| json!(v)));
        set("MaxLength", spec.max_length.map(|v| json!(v)));
        set("MinValue", spec.min_value.map(bound));
        set("MaxValue", spec.max_value.map(bound));
        set("NoEcho", spec.no_echo.then(|| json!(true)));
        parameters.insert(ids[index].clone(), Json::Object(p));
    }
    sorted(parameters)
}

/// A parameter's value bound: a whole number as an integer (`1`, not `1.0`), as templates
/// write them; cfn-lint reads a `1.0` bound as a float and then warns where the parameter
/// goes into an integer property.
fn bound(value: f64) -> Json {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact
    if value.fract() == 0.0 && value.abs() < EXACT {
        json!(value as i64)
    } else {
        json!(value)
    }
}

fn rules(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let mut rules = BTreeMap::new();
    for element in &stack.rules {
        renderer.path = stack.path_of(element.node);
        let mut r = Map::new();
        if let Some(condition) = &element.value.condition {
            r.insert("RuleCondition".to_owned(), renderer.render(&condition.0));
        }
        let assertions: Vec<Json> = element
            .value
            .assertions
            .iter()
            .map(|(assertion, description)| {
                let mut a = Map::new();
                a.insert("Assert".to_owned(), renderer.render(&assertion.0));
                if let Some(d) = description {
                    a.insert("AssertDescription".to_owned(), json!(d));
                }
                Json::Object(a)
            })
            .collect();
        r.insert("Assertions".to_owned(), Json::Array(assertions));
        let id = super::logical_id::logical_id(&stack.components_of(element.node));
        rules.insert(id, Json::Object(r));
    }
    sorted(rules)
}

fn mappings(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let ids = &renderer.names[&stack.id].mappings;
    let mut mappings = BTreeMap::new();
    for (index, element) in stack.mappings.iter().enumerate() {
        renderer.path = stack.path_of(element.node);
        let m: Map<String, Json> = element
            .value
            .entries
            .iter()
            .map(|(top, entries)| {
                let inner: Map<String, Json> = entries
                    .iter()
                    .map(|(k, v)| (k.clone(), renderer.render(v)))
                    .collect();
                (top.clone(), Json::Object(inner))
            })
            .collect();
        mappings.insert(ids[index].clone(), Json::Object(m));
    }
    sorted(mappings)
}

fn conditions(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let ids = &renderer.names[&stack.id].conditions;
    let mut conditions = BTreeMap::new();
    for (index, element) in stack.conditions.iter().enumerate() {
        renderer.path = stack.path_of(element.node);
        conditions.insert(ids[index].clone(), renderer.render(&element.value.0));
    }
    sorted(conditions)
}

/// The `Hooks` section: each hook's type and properties, the resources it names written
/// as their logical IDs.
fn hooks(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let names = &renderer.names[&stack.id];
    let logical_id = |id: ResourceId| {
        (id.stack == stack.id)
            .then(|| names.resources.get(id.index as usize).cloned())
            .flatten()
    };
    let rendered: Vec<(String, Expr, &str)> = stack
        .hooks
        .iter()
        .enumerate()
        .map(|(index, element)| {
            let properties = Expr::Object(element.value.properties.clone());
            (
                names.hooks[index].clone(),
                crate::core::hook::with_logical_ids(&properties, &logical_id),
                element.value.hook_type.as_str(),
            )
        })
        .collect();
    let mut hooks = BTreeMap::new();
    for ((id, properties, hook_type), element) in rendered.into_iter().zip(&stack.hooks) {
        renderer.path = stack.path_of(element.node);
        let properties = renderer.render(&properties);
        hooks.insert(id, json!({"Type": hook_type, "Properties": properties}));
    }
    sorted(hooks)
}

fn resources(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let ids = &renderer.names[&stack.id].resources;
    let mut resources = BTreeMap::new();
    for (index, entry) in stack.resources.iter().enumerate() {
        renderer.path = stack.path_of(entry.node);
        resources.insert(ids[index].clone(), resource(stack, entry, renderer));
    }
    sorted(resources)
}

/// One resource: type, condition, `DependsOn`, properties with the stack's tags, metadata,
/// policies, then the user's overrides.
fn resource(stack: &Stack, entry: &ResourceEntry, renderer: &mut Renderer<'_>) -> Json {
    let options = &entry.options;
    let mut r = Map::new();
    r.insert("Type".to_owned(), json!(entry.resource.type_name()));
    if let Some(condition) = options.condition {
        r.insert("Condition".to_owned(), renderer.condition_name(condition));
    }
    let depends_on = depends_on(stack, entry, renderer);
    if !depends_on.is_empty() {
        r.insert("DependsOn".to_owned(), Json::Array(depends_on));
    }
    let mut properties = match renderer.render(&entry.resource.properties()) {
        Json::Object(map) => map,
        _ => Map::new(),
    };
    if let Some(tagging) = entry.resource.type_info().tagging {
        let tags = crate::core::tags::effective(stack, entry.node, entry.resource.type_name());
        apply_tags(&mut properties, tagging.property, tagging.variant, &tags);
    } else if entry.resource.type_name() == LAUNCH_TEMPLATE {
        let tags = crate::core::tags::effective(stack, entry.node, LAUNCH_TEMPLATE);
        apply_launch_template_tags(&mut properties, &tags);
    }
    if !properties.is_empty() {
        r.insert("Properties".to_owned(), Json::Object(properties));
    }
    if !options.metadata.is_empty() {
        let metadata: Map<String, Json> = options
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), renderer.render(v)))
            .collect();
        r.insert("Metadata".to_owned(), Json::Object(metadata));
    }
    for (name, policy) in options.render_policies() {
        if let Some(policy) = policy {
            let rendered = renderer.render(&policy);
            r.insert(name.to_owned(), rendered);
        }
    }
    let mut resource = Json::Object(r);
    for (override_path, value) in &options.overrides {
        let value = value.as_ref().map(|v| renderer.render(v));
        if let Err(reason) = apply_override(&mut resource, override_path, value) {
            renderer.problems().error(
                "override",
                quoted(override_path),
                format!("a path that fits the rendered resource: {reason}"),
            );
        }
    }
    resource
}

/// The logical IDs a resource depends on, sorted (so that the order in which constructs
/// were wired does not change the template); a resource of another stack is reported.
fn depends_on(stack: &Stack, entry: &ResourceEntry, renderer: &mut Renderer<'_>) -> Vec<Json> {
    let ids = &renderer.names[&stack.id].resources;
    let mut logical_ids = std::collections::BTreeSet::new();
    let mut foreign = false;
    for dependency in &entry.options.depends_on {
        if dependency.stack == stack.id {
            logical_ids.insert(ids[dependency.index as usize].clone());
        } else {
            foreign = true;
        }
    }
    let depends_on: Vec<Json> = logical_ids.into_iter().map(Json::String).collect();
    if foreign {
        renderer.problems().error(
            "DependsOn",
            "a resource of another stack",
            "depend on resources of the same stack; for another stack use Stack::add_dependency",
        );
    }
    depends_on
}

fn outputs(stack: &Stack, renderer: &mut Renderer<'_>) -> Map<String, Json> {
    let mut outputs = BTreeMap::new();
    for element in &stack.outputs {
        renderer.path = stack.path_of(element.node);
        let output = &element.value;
        let mut o = Map::new();
        if let Some(condition) = output.condition {
            o.insert("Condition".to_owned(), renderer.condition_name(condition));
        }
        if let Some(d) = &output.description {
            o.insert("Description".to_owned(), json!(d));
        }
        if let Some(name) = &output.export_name {
            let rendered = renderer.render(name.expr());
            o.insert("Export".to_owned(), json!({ "Name": rendered }));
        }
        o.insert("Value".to_owned(), renderer.render(&output.value));
        let id = super::logical_id::logical_id(&stack.components_of(element.node));
        outputs.insert(id, Json::Object(o));
    }
    sorted(outputs)
}
