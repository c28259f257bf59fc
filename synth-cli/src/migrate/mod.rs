//! `migrate`: turns an existing CloudFormation template (JSON, or YAML with short forms)
//! into a Rust module that builds the same template from the typed L1 resources.
//!
//! The module has one function, `build(stack: &mut Stack)`, that adds every parameter,
//! mapping, condition, resource and output of the template, with the template's logical
//! IDs. Resources are written as L1 builders (`cfn::s3::Bucket::new().bucket_name(..)`);
//! what a typed struct cannot hold (an intrinsic function where a nested property type goes,
//! a property the pinned registry data does not list, a number given as a string) is kept
//! as it was, through `Value::literal` or a property override, so that the module
//! synthesizes back to an equal template ([`equal`] says what "equal" allows). What the
//! model cannot express at all is reported, every case at once, as
//! [`MigrateError::Unrepresentable`].

pub mod equal;
mod order;
mod policies;
mod resources;
mod rust;
mod sections;
mod shapes;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value as Json};

use order::{Referenced, dependency_order, depends_on, references};
use resources::ResourceWriter;
use shapes::TypeShape;
use values::{Names, Values};

/// A part of a template that the model cannot express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unrepresentable {
    /// Where it is in the template (`Resources.Bucket.Properties.Tags.0.Fn::ForEach`).
    pub at: String,
    /// What was found there.
    pub what: String,
    /// What the model can represent there instead.
    pub why: String,
}

impl fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what: String = self.what.chars().take(160).collect();
        write!(
            f,
            "{}: {what} cannot be represented; allowed: {}",
            self.at, self.why
        )
    }
}

/// Why a template could not be migrated.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The text is neither JSON nor YAML.
    #[error("the template is neither JSON nor YAML: {0}")]
    Parse(String),
    /// The document is not a template.
    #[error(
        "the document is not a CloudFormation template: it needs to be an object with a `Resources` object"
    )]
    NotATemplate,
    /// Parts of the template the model cannot express, all of them.
    #[error("{} part(s) of the template cannot be represented:\n  {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Unrepresentable(Vec<Unrepresentable>),
}

/// Settings of a migration.
#[derive(Clone, Debug)]
pub struct MigrateOptions {
    /// The name of the template, for the module's documentation (its file name, say).
    pub source_name: String,
}

/// A migrated template.
#[derive(Clone, Debug)]
pub struct Migrated {
    /// The Rust module.
    pub source: String,
    /// The `cfn-l1` features (services) the module needs.
    pub features: BTreeSet<String>,
    /// Those of [`Migrated::features`] that `cfn-l1` does not build by default: the app
    /// enables them (`cfn-l1 = { path = ".../construct-lib/cfn", features = [...] }`), or
    /// construct-lib's `full`.
    pub features_to_enable: BTreeSet<String>,
    /// How many values went through a property override rather than a typed setter.
    pub overrides: usize,
    /// Values of a YAML template that YAML 1.1, which CloudFormation reads, would resolve
    /// otherwise if they were written unquoted (`MultiAZ: yes` is a boolean there), with
    /// their paths: this reader follows YAML 1.2 and keeps them as text.
    pub yaml_1_1_suspects: Vec<String>,
}

/// Migrates template text (JSON or YAML).
///
/// # Errors
/// [`MigrateError`]: unreadable text, a document that is not a template, or the parts the
/// model cannot represent.
pub fn migrate(text: &str, options: &MigrateOptions) -> Result<Migrated, MigrateError> {
    let template = crate::template_text::parse(text).map_err(MigrateError::Parse)?;
    let mut migrated = migrate_template(&template, options)?;
    if serde_json::from_str::<Json>(text).is_err() {
        migrated.yaml_1_1_suspects = crate::template_text::yaml_1_1_suspects(&template);
    }
    Ok(migrated)
}

/// Migrates a parsed template.
///
/// # Errors
/// As [`migrate`].
pub fn migrate_template(
    template: &Json,
    options: &MigrateOptions,
) -> Result<Migrated, MigrateError> {
    let Some(template) = template.as_object() else {
        return Err(MigrateError::NotATemplate);
    };
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return Err(MigrateError::NotATemplate);
    };
    let (names, referenced) = declare_names(template);
    let mut values = Values {
        names: &names,
        problems: shared_names(template),
    };
    let section = |name: &str| template.get(name).and_then(Json::as_object);
    let mut body = sections::template_settings(&mut values, template);
    body.extend(write_parameters(
        &mut values,
        section("Parameters"),
        &referenced,
    ));
    body.extend(write_mappings(
        &mut values,
        section("Mappings"),
        &referenced,
    ));
    body.extend(write_conditions(
        &mut values,
        section("Conditions"),
        &referenced,
    ));
    let written = write_resources(&mut values, resources, &referenced);
    body.extend(written.statements);
    body.extend(write_outputs(&mut values, section("Outputs")));
    body.extend(write_rules(&mut values, section("Rules")));
    body.extend(sections::extra_sections(&mut values, template));
    if !values.problems.is_empty() {
        return Err(MigrateError::Unrepresentable(values.problems));
    }
    Ok(Migrated {
        source: module_text(options, &body, &written.features),
        features_to_enable: written
            .features
            .iter()
            .filter(|f| !shapes::built_by_default(f))
            .cloned()
            .collect(),
        features: written.features,
        overrides: written.overrides,
        yaml_1_1_suspects: Vec::new(),
    })
}

/// A variable for every parameter, mapping, condition and resource, and the names that
/// anything refers to (those get a `let`).
fn declare_names(template: &Map<String, Json>) -> (Names, Referenced) {
    let mut taken = BTreeSet::new();
    let mut names = Names::default();
    let section = |name: &str| {
        template
            .get(name)
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
    };
    for (id, declaration) in section("Parameters") {
        let type_name = declaration
            .get("Type")
            .and_then(Json::as_str)
            .unwrap_or("String");
        let (_, kind) = sections::parameter_constructor(type_name);
        names
            .parameters
            .insert(id.clone(), (rust::variable(id, &mut taken), kind));
    }
    for (id, _) in section("Mappings") {
        names
            .mappings
            .insert(id.clone(), rust::variable(id, &mut taken));
    }
    for (id, _) in section("Conditions") {
        names
            .conditions
            .insert(id.clone(), rust::variable(id, &mut taken));
    }
    for (id, resource) in section("Resources") {
        if let Some(type_name) = resource.get("Type").and_then(Json::as_str) {
            names
                .resource_types
                .insert(id.clone(), type_name.to_owned());
        }
        names
            .resources
            .insert(id.clone(), rust::variable(id, &mut taken));
    }
    let mut referenced = Referenced::default();
    for (key, section) in template {
        if !matches!(key.as_str(), "Parameters" | "Mappings" | "Metadata") {
            references(section, &mut referenced);
        }
    }
    for (_, element) in section("Resources").chain(section("Outputs")) {
        referenced.elements.extend(depends_on(element));
        if let Some(Json::String(c)) = element.get("Condition") {
            referenced.conditions.insert(c.clone());
        }
    }
    (names, referenced)
}

/// A resource named as a parameter: the two share `Ref`'s namespace (CloudFormation rejects
/// such a template too). Other sections keep their names apart, as the stack does.
fn shared_names(template: &Map<String, Json>) -> Vec<Unrepresentable> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    let groups = [("Parameters", "a parameter"), ("Resources", "a resource")];
    for (section, kind) in groups {
        let ids = template
            .get(section)
            .and_then(Json::as_object)
            .into_iter()
            .flatten();
        for (id, _) in ids {
            if let Some(first) = seen.insert(id.as_str(), kind) {
                problems.push(Unrepresentable {
                    at: format!("{section}.{id}"),
                    what: format!("`{id}`, also the name of {first},"),
                    why: "one name for a parameter or resource: `Ref` names either".to_owned(),
                });
            }
        }
    }
    problems
}

/// `let name = ` for an element something refers to, nothing otherwise.
fn binding(variable: &str, referenced: bool) -> String {
    if referenced {
        format!("let {variable} = ")
    } else {
        String::new()
    }
}

fn write_parameters(
    values: &mut Values<'_>,
    section: Option<&Map<String, Json>>,
    referenced: &Referenced,
) -> Vec<String> {
    let mut out = Vec::new();
    for (id, declaration) in section.into_iter().flatten() {
        let at = format!("Parameters.{id}");
        let Some(declaration) = declaration.as_object() else {
            values.problems.push(Unrepresentable {
                at,
                what: declaration.to_string(),
                why: "an object with a Type".to_owned(),
            });
            continue;
        };
        let type_name = declaration
            .get("Type")
            .and_then(Json::as_str)
            .unwrap_or("String");
        let (constructor, _) = sections::parameter_constructor(type_name);
        let settings = sections::parameter_settings(values, declaration, &at);
        let variable = &values.names.parameters[id].0;
        out.push(format!(
            "{}stack.parameter({}, {constructor}{settings});",
            binding(variable, referenced.elements.contains(id)),
            rust::string(id)
        ));
    }
    out
}

fn write_mappings(
    values: &mut Values<'_>,
    section: Option<&Map<String, Json>>,
    referenced: &Referenced,
) -> Vec<String> {
    let mut out = Vec::new();
    for (id, table) in section.into_iter().flatten() {
        let mapping = sections::mapping(values, table, &format!("Mappings.{id}"));
        let variable = &values.names.mappings[id];
        out.push(format!(
            "{}stack.mapping({}, {mapping});",
            binding(variable, referenced.mappings.contains(id)),
            rust::string(id)
        ));
    }
    out
}

fn write_conditions(
    values: &mut Values<'_>,
    section: Option<&Map<String, Json>>,
    referenced: &Referenced,
) -> Vec<String> {
    let Some(section) = section else {
        return Vec::new();
    };
    let ids: Vec<String> = section.keys().cloned().collect();
    let dependencies: BTreeMap<String, BTreeSet<String>> = section
        .iter()
        .map(|(id, expression)| {
            let mut found = Referenced::default();
            references(expression, &mut found);
            (id.clone(), found.conditions)
        })
        .collect();
    let order = ordered(values, "Conditions", &ids, &dependencies);
    order
        .iter()
        .map(|id| {
            let expression = sections::condition(values, &section[id], &format!("Conditions.{id}"));
            let variable = &values.names.conditions[id];
            format!(
                "{}stack.condition({}, {expression});",
                binding(variable, referenced.conditions.contains(id)),
                rust::string(id)
            )
        })
        .collect()
}

/// `ids` in dependency order; a cycle is reported (CloudFormation rejects it too).
fn ordered(
    values: &mut Values<'_>,
    section: &str,
    ids: &[String],
    dependencies: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    match dependency_order(ids, dependencies) {
        Ok(order) => order,
        Err(cycle) => {
            values.problems.push(Unrepresentable {
                at: section.to_owned(),
                what: cycle.join(", "),
                why: "elements that do not refer to each other in a cycle (CloudFormation rejects circular dependencies)".to_owned(),
            });
            Vec::new()
        }
    }
}

/// The resources' statements, the services they need and how many overrides they use.
struct WrittenResources {
    statements: Vec<String>,
    features: BTreeSet<String>,
    overrides: usize,
}

fn write_resources(
    values: &mut Values<'_>,
    resources: &Map<String, Json>,
    referenced: &Referenced,
) -> WrittenResources {
    let ids: Vec<String> = resources.keys().cloned().collect();
    let dependencies: BTreeMap<String, BTreeSet<String>> = resources
        .iter()
        .map(|(id, resource)| {
            // Everything that names another resource's handle: properties, but also
            // metadata, policies and overrides, which are written after the resource.
            let mut found = Referenced::default();
            references(resource, &mut found);
            found.elements.extend(depends_on(resource));
            found.elements.remove(id);
            (id.clone(), found.elements)
        })
        .collect();
    let mut written = WrittenResources {
        statements: Vec::new(),
        features: BTreeSet::new(),
        overrides: 0,
    };
    for id in ordered(values, "Resources", &ids, &dependencies) {
        write_resource(values, &id, &resources[&id], referenced, &mut written);
    }
    written
}

fn write_resource(
    values: &mut Values<'_>,
    id: &str,
    resource: &Json,
    referenced: &Referenced,
    written: &mut WrittenResources,
) {
    let at = format!("Resources.{id}");
    let type_name = resource
        .get("Type")
        .and_then(Json::as_str)
        .unwrap_or_default();
    // `Custom::Name` is CloudFormation's other spelling of AWS::CloudFormation::CustomResource
    // (and AWS::CDK::Metadata a type it accepts without a schema): written as that L1 type,
    // with the template's type name and the properties its schema does not list kept as
    // overrides.
    let stands_in = type_name.starts_with("Custom::") || type_name == "AWS::CDK::Metadata";
    let shape_type = if stands_in {
        "AWS::CloudFormation::CustomResource"
    } else {
        type_name
    };
    let Some(shape) = TypeShape::of(shape_type) else {
        values.problems.push(Unrepresentable {
            at: format!("{at}.Type"),
            what: format!("`{type_name}`"),
            why: "a resource type of the L1 crate (every type of the pinned CloudFormation registry data, Custom::* custom resources and AWS::CDK::Metadata; modules and private registry types are not in it)".to_owned(),
        });
        return;
    };
    written.features.insert(shape.feature().to_owned());
    let properties = resource.get("Properties").unwrap_or(&Json::Null);
    let (builder, mut overrides) =
        ResourceWriter::new(values, shape, at.clone()).builder(properties);
    if stands_in {
        overrides.insert(
            0,
            ("Type".to_owned(), Some(Json::String(type_name.to_owned()))),
        );
    }
    let options = resource_options(values, resource, &overrides, &at);
    written.overrides += overrides.len();
    let variable = values.names.resources[id].clone();
    let bound = referenced.elements.contains(id) || !options.is_empty();
    written.statements.push(format!(
        "{}stack.add({}, {builder});",
        binding(&variable, bound),
        rust::string(id)
    ));
    if !options.is_empty() {
        written.statements.push(format!(
            "stack.resource_options(&{variable}){};",
            options.concat()
        ));
    }
}

/// The resource's attributes and overrides as calls on its options.
fn resource_options(
    values: &mut Values<'_>,
    resource: &Json,
    overrides: &[resources::Override],
    at: &str,
) -> Vec<String> {
    let mut calls = Vec::new();
    for dependency in depends_on(resource) {
        match values.names.resources.get(&dependency) {
            Some(variable) => calls.push(format!("\n.depends_on({variable})")),
            None => values.problems.push(Unrepresentable {
                at: format!("{at}.DependsOn"),
                what: format!("`{dependency}`"),
                why: "a resource of the template".to_owned(),
            }),
        }
    }
    let Some(attributes) = resource.as_object() else {
        return calls;
    };
    for (key, value) in attributes {
        if matches!(key.as_str(), "Type" | "Properties" | "DependsOn") {
            continue;
        }
        match attribute_call(values, key, value, at) {
            Some(call) => calls.push(call),
            None => values.problems.push(Unrepresentable {
                at: format!("{at}.{key}"),
                what: value.to_string(),
                why: "a condition of the template".to_owned(),
            }),
        }
    }
    for (path, value) in overrides {
        calls.push(override_call(values, path, value.as_ref(), at));
    }
    calls
}

/// The call that sets one resource attribute: `Condition` (`None` when it names no
/// condition of the template), the policies, `Metadata`; anything else as an override.
fn attribute_call(values: &mut Values<'_>, key: &str, value: &Json, at: &str) -> Option<String> {
    match (key, value) {
        ("Condition", Json::String(c)) => values
            .names
            .conditions
            .get(c)
            .map(|variable| format!("\n.condition({variable})")),
        ("DeletionPolicy" | "UpdateReplacePolicy", Json::String(policy))
            if ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]
                .contains(&policy.as_str()) =>
        {
            let method = if key == "DeletionPolicy" {
                "deletion_policy"
            } else {
                "update_replace_policy"
            };
            Some(format!("\n.{method}(RemovalPolicy::{policy})"))
        }
        ("Metadata", Json::Object(entries)) if !values::has_intrinsic(value) => Some(
            entries
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Json::String(s) => rust::string(s),
                        other => rust::json_macro(other),
                    };
                    format!("\n.metadata({}, {v})", rust::string(k))
                })
                .collect(),
        ),
        ("CreationPolicy", _) => policies::creation_policy(values, value, &format!("{at}.{key}"))
            .or_else(|| Some(raw_override(values, key, value, at))),
        ("UpdatePolicy", _) => policies::update_policy(values, value, &format!("{at}.{key}"))
            .or_else(|| Some(raw_override(values, key, value, at))),
        _ => Some(raw_override(values, key, value, at)),
    }
}

/// `.add_override("Key", value)`: an attribute as the template has it.
fn raw_override(values: &mut Values<'_>, key: &str, value: &Json, at: &str) -> String {
    let v = values.json_value(value, &format!("{at}.{key}"));
    format!("\n.add_override({}, {v})", rust::string(key))
}

/// `.add_property_override("A.B", value)`, `.add_property_deletion_override("A.B")`, or
/// `.add_override("Properties", value)` for the whole object.
fn override_call(values: &mut Values<'_>, path: &str, value: Option<&Json>, at: &str) -> String {
    let Some(relative) = path.strip_prefix("Properties.") else {
        let v = value.map_or_else(
            || "m::Value::<m::Json>::no_value()".to_owned(),
            |v| values.json_value(v, &format!("{at}.{path}")),
        );
        return format!("\n.add_override({}, {v})", rust::string(path));
    };
    match value {
        Some(value) => {
            let v = values.json_value(value, &format!("{at}.{path}"));
            format!("\n.add_property_override({}, {v})", rust::string(relative))
        }
        None => format!(
            "\n.add_property_deletion_override({})",
            rust::string(relative)
        ),
    }
}

fn write_outputs(values: &mut Values<'_>, section: Option<&Map<String, Json>>) -> Vec<String> {
    section
        .into_iter()
        .flatten()
        .map(|(id, declaration)| {
            let output = sections::output(values, declaration, &format!("Outputs.{id}"));
            format!("stack.output({}, {output});", rust::string(id))
        })
        .collect()
}

fn write_rules(values: &mut Values<'_>, section: Option<&Map<String, Json>>) -> Vec<String> {
    section
        .into_iter()
        .flatten()
        .map(|(id, declaration)| {
            let rule = sections::rule(values, declaration, &format!("Rules.{id}"));
            format!("stack.rule({}, {rule});", rust::string(id))
        })
        .collect()
}

/// Whether `body` uses `name` as a path (not as the end of a longer identifier).
fn uses(body: &str, name: &str) -> bool {
    body.match_indices(name).any(|(i, _)| {
        !body[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    })
}

/// The `use` lines the module's body needs.
fn imports(body_text: &str) -> Vec<String> {
    let mut imports = Vec::new();
    if uses(body_text, "cfn::") {
        imports.push("use construct_lib::cfn;".to_owned());
    }
    if uses(body_text, "m::") {
        imports.push("use construct_lib::cfn::model as m;".to_owned());
    }
    if uses(body_text, "fns::") {
        imports.push("use construct_lib::cfn::model::fns;".to_owned());
    }
    if uses(body_text, "json!") {
        imports.push("use construct_lib::serde_json::json;".to_owned());
    }
    let mut items: Vec<&str> = [
        "AwsParameterType",
        "Condition",
        "CreationPolicy",
        "Mapping",
        "Output",
        "Parameter",
        "ParameterType",
        "RemovalPolicy",
        "RollingUpdate",
        "Rule",
        "RuleExpr",
        "UpdatePolicy",
    ]
    .into_iter()
    .filter(|item| uses(body_text, &format!("{item}::")) || uses(body_text, &format!("{item} {{")))
    .collect();
    items.extend(["Scope", "Stack"]);
    imports.push(format!("use construct_lib::{{{}}};", items.join(", ")));
    imports
}

/// The whole module: documentation, the imports it uses, `build`.
fn module_text(options: &MigrateOptions, body: &[String], features: &BTreeSet<String>) -> String {
    let body_text = body.join("\n");
    let imports = imports(&body_text);
    let features = services_text(features);
    let source = format!(
        "//! `{name}`, migrated by `synth-cli migrate` to typed L1 resources: [`build`] adds what\n//! the template declares to a stack, with its logical IDs, and the stack synthesizes back\n//! to the same template.\n//!\n//! The services it uses: {features}.\n\n{imports}\n\n/// Adds the parameters, mappings, conditions, resources and outputs of `{name}` to `stack`.\n#[allow(clippy::too_many_lines)]\npub fn build(stack: &mut Stack) {{\n{body}\n}}\n",
        name = options.source_name.replace('`', "'"),
        imports = imports.join("\n"),
        body = body_text,
    );
    format_rust(&source)
}

/// `` `ec2`, `ecs` (built by default) `` or which ones to enable.
fn services_text(features: &BTreeSet<String>) -> String {
    if features.is_empty() {
        return "none".to_owned();
    }
    let quoted = |f: &String| format!("`{f}`");
    let all: Vec<String> = features.iter().map(quoted).collect();
    let extra: Vec<String> = features
        .iter()
        .filter(|f| !shapes::built_by_default(f))
        .map(quoted)
        .collect();
    if extra.is_empty() {
        format!("{} (all built by default)", all.join(", "))
    } else {
        format!(
            "{}; not built by default: {} (features of `cfn-l1`, or `construct-lib`'s `full`)",
            all.join(", "),
            extra.join(", ")
        )
    }
}

/// `source` through rustfmt when it is installed (it is with any rustup toolchain); as it
/// is otherwise: the code compiles either way.
fn format_rust(source: &str) -> String {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return source.to_owned();
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(source.as_bytes());
    }
    match child.wait_with_output() {
        Ok(output) if output.status.success() && !output.stdout.is_empty() => {
            String::from_utf8(output.stdout).unwrap_or_else(|_| source.to_owned())
        }
        _ => source.to_owned(),
    }
}
