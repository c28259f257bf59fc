//! Removing an export that a deployed stack still imports, without a manual procedure (the
//! "deadly embrace"): CloudFormation refuses to delete an export while any stack imports it,
//! and a consumer cannot drop its import before the producer deploys (it depends on it).
//!
//! When the deploy also updates every importing stack to a template without the import,
//! the producer first deploys a transitional template (its new template plus the outputs
//! that still export, and the resources they read), the consumers deploy without the
//! import, then the producer deploys its final template. Otherwise the guard in
//! `exports.rs` refuses the deploy before anything changes.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cloudformation::Client;
use serde_json::{Map, Value as Json};

use super::exports;
use super::stack::deployed_template;
use super::status::{self, StackInfo};
use crate::assembly::{Assembly, DeployableStack};
use crate::aws::Session;
use crate::error::EngineError;

/// A producer deployed in two steps.
#[derive(Clone, Debug)]
pub(crate) struct Transition {
    /// The producer's stack id.
    pub(crate) producer: String,
    /// The exports kept in the first step.
    pub(crate) exports: Vec<String>,
    /// The stack ids that import them now and will not after this deploy.
    pub(crate) consumers: Vec<String>,
    /// The first step's stack: the new template with the kept outputs.
    pub(crate) transitional: DeployableStack,
}

impl Transition {
    /// What the plan says, for the deploy's output.
    pub(crate) fn describe(&self) -> String {
        format!(
            "keeps export(s) {} while {} still import(s) them: deploys {} with them, then {}, then {} without them",
            self.exports.join(", "),
            self.consumers.join(", "),
            self.producer,
            self.consumers.join(", "),
            self.producer,
        )
    }
}

/// The transitions this deploy of `ids` needs: producers among `ids` whose new template
/// drops an export that deployed stacks import, when every importer is among `ids` and its
/// new template no longer imports it. Anything else is left to the guard (or to
/// CloudFormation), so errors here only skip planning for that stack.
pub(crate) async fn plan(
    session: &Session,
    assembly: &Assembly,
    ids: &[String],
) -> Vec<Transition> {
    let mut transitions = Vec::new();
    // A transition needs an importer in the same deploy: a deploy of one stack asks nothing.
    if ids.len() < 2 {
        return transitions;
    }
    for id in ids {
        let Some(stack) = assembly.stack(id) else {
            continue;
        };
        let Ok(region) = session.region_for(id, &stack.environment) else {
            continue;
        };
        let cfn = session.cloudformation(&region);
        if let Ok(Some(transition)) = plan_stack(&cfn, assembly, ids, stack).await {
            transitions.push(transition);
        }
    }
    transitions
}

async fn plan_stack(
    cfn: &Client,
    assembly: &Assembly,
    ids: &[String],
    stack: &DeployableStack,
) -> Result<Option<Transition>, EngineError> {
    let Some(info) = status::describe(cfn, &stack.id, &stack.stack_name).await? else {
        return Ok(None);
    };
    let dropped = dropped_exports(&info, &stack.template);
    if dropped.is_empty() {
        return Ok(None);
    }
    let mut kept = Vec::new();
    let mut consumers = BTreeSet::new();
    for export in dropped {
        let importers = exports::list_imports(cfn, &stack.id, &export).await?;
        if importers.is_empty() {
            continue;
        }
        let Some(ids) = importers_leaving(assembly, ids, &importers, &export) else {
            return Ok(None);
        };
        consumers.extend(ids);
        kept.push(export);
    }
    if kept.is_empty() {
        return Ok(None);
    }
    let deployed = deployed_template(cfn, &stack.id, &stack.stack_name).await?;
    let Some(template) = transitional_template(&stack.template, &deployed, &kept) else {
        return Ok(None);
    };
    let mut transitional = stack.clone();
    transitional.template_body = serde_json::to_string(&template).unwrap_or_default();
    transitional.template = template;
    Ok(Some(Transition {
        producer: stack.id.clone(),
        exports: kept,
        consumers: consumers.into_iter().collect(),
        transitional,
    }))
}

/// Export names the deployed stack has and `template` does not.
fn dropped_exports(info: &StackInfo, template: &Json) -> Vec<String> {
    // An export name that is not a plain string cannot be compared: plan nothing then.
    let Some(kept) = exports::export_names(template) else {
        return Vec::new();
    };
    info.outputs
        .iter()
        .filter_map(|output| output.export_name.as_deref())
        .filter(|name| !kept.contains(name))
        .map(str::to_owned)
        .collect()
}

/// The ids of the stacks named `importers`, when each is deployed by this deploy with a
/// template that no longer imports `export`; `None` otherwise.
fn importers_leaving(
    assembly: &Assembly,
    ids: &[String],
    importers: &[String],
    export: &str,
) -> Option<Vec<String>> {
    importers
        .iter()
        .map(|name| {
            let stack = assembly
                .stacks
                .iter()
                .find(|s| &s.stack_name == name && ids.contains(&s.id))?;
            (!imports(&stack.template, export)).then(|| stack.id.clone())
        })
        .collect()
}

/// Whether `template` has `Fn::ImportValue` of `export` anywhere.
fn imports(template: &Json, export: &str) -> bool {
    match template {
        Json::Object(map) => {
            map.get("Fn::ImportValue").and_then(Json::as_str) == Some(export)
                || map.values().any(|v| imports(v, export))
        }
        Json::Array(items) => items.iter().any(|v| imports(v, export)),
        _ => false,
    }
}

/// `template` with the deployed outputs that export `kept`, and the deployed resources they
/// read that `template` no longer has (with what those read in turn). `None` when an output
/// reads something that cannot be kept (a parameter, condition or mapping the new template
/// lacks).
fn transitional_template(template: &Json, deployed: &Json, kept: &[String]) -> Option<Json> {
    let mut result = template.clone();
    let deployed_outputs = deployed.get("Outputs").and_then(Json::as_object)?;
    let deployed_resources = deployed
        .get("Resources")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let mut outputs: Map<String, Json> = result
        .get("Outputs")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let mut needed = Vec::new();
    for (key, output) in deployed_outputs {
        let name = output.pointer("/Export/Name").and_then(Json::as_str);
        if name.is_some_and(|name| kept.iter().any(|k| k == name)) {
            if output.get("Condition").is_some() {
                return None;
            }
            references(output, &mut needed);
            outputs.insert(key.clone(), output.clone());
        }
    }
    let mut resources: Map<String, Json> = result
        .get("Resources")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let declared: BTreeSet<String> = ["Parameters", "Conditions", "Mappings"]
        .iter()
        .flat_map(|section| {
            result
                .get(*section)
                .and_then(Json::as_object)
                .into_iter()
                .flat_map(|m| m.keys().cloned())
        })
        .collect();
    while let Some(name) = needed.pop() {
        if resources.contains_key(&name) || declared.contains(&name) || name.starts_with("AWS::") {
            continue;
        }
        let resource = deployed_resources.get(&name)?;
        references(resource, &mut needed);
        resources.insert(name, resource.clone());
    }
    let object = result.as_object_mut()?;
    object.insert("Outputs".into(), Json::Object(outputs));
    object.insert("Resources".into(), Json::Object(resources));
    Some(result)
}

/// Collects the logical names a value refers to: `Ref`, `Fn::GetAtt`, `${Name}` in
/// `Fn::Sub`, `DependsOn` and `Condition`.
fn references(value: &Json, found: &mut Vec<String>) {
    match value {
        Json::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Json::String(name)) => found.push(name.clone()),
                    ("Fn::GetAtt", Json::Array(parts)) => {
                        found.extend(parts.first().and_then(Json::as_str).map(str::to_owned));
                    }
                    ("Fn::GetAtt", Json::String(dotted)) => {
                        found.extend(dotted.split('.').next().map(str::to_owned));
                    }
                    ("Fn::Sub", sub) => sub_references(sub, found),
                    ("DependsOn", Json::String(name)) | ("Condition", Json::String(name)) => {
                        found.push(name.clone())
                    }
                    ("DependsOn", Json::Array(names)) => {
                        found.extend(names.iter().filter_map(Json::as_str).map(str::to_owned));
                    }
                    _ => {}
                }
                references(inner, found);
            }
        }
        Json::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}

/// The `${Name}` and `${Name.Attribute}` variables of a `Fn::Sub` string that its own
/// variable map does not define.
fn sub_references(sub: &Json, found: &mut Vec<String>) {
    let (text, own) = match sub {
        Json::String(text) => (text.as_str(), BTreeMap::new()),
        Json::Array(parts) => (
            parts.first().and_then(Json::as_str).unwrap_or_default(),
            parts
                .get(1)
                .and_then(Json::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        ),
        _ => return,
    };
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let variable = &after[..end];
        if !variable.starts_with('!') {
            let name = variable.split('.').next().unwrap_or_default();
            if !own.contains_key(name) {
                found.push(name.to_owned());
            }
        }
        rest = &after[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_transitional_template_keeps_the_export_and_what_it_reads() {
        let deployed = json!({
            "Resources": {
                "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
                "Key": {"Type": "AWS::KMS::Key"},
                "Queue": {"Type": "AWS::SQS::Queue"}
            },
            "Outputs": {
                "ExportTopicRef": {"Value": {"Ref": "Topic"}, "Export": {"Name": "P:Topic:Ref"}},
                "ExportQueueRef": {"Value": {"Ref": "Queue"}, "Export": {"Name": "P:Queue:Ref"}}
            }
        });
        let new = json!({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}});
        let kept =
            transitional_template(&new, &deployed, &["P:Topic:Ref".to_owned()]).expect("kept");
        assert_eq!(
            kept["Outputs"],
            json!({"ExportTopicRef": deployed["Outputs"]["ExportTopicRef"]})
        );
        let mut resources: Vec<&String> = kept["Resources"]
            .as_object()
            .expect("resources")
            .keys()
            .collect();
        resources.sort();
        assert_eq!(resources, ["Key", "Queue", "Topic"]);
    }

    #[test]
    fn references_are_found_in_every_form() {
        let mut found = Vec::new();
        references(
            &json!({"a": {"Ref": "A"}, "b": {"Fn::GetAtt": "B.Arn"}, "c": {"Fn::Sub": ["${C}-${x}-${!Literal}-${AWS::Region}", {"x": "1"}]},
                    "DependsOn": ["D"], "e": [{"Fn::GetAtt": ["E", "Arn"]}]}),
            &mut found,
        );
        found.sort();
        assert_eq!(found, ["A", "AWS::Region", "B", "C", "D", "E"]);
        assert!(imports(
            &json!({"x": [{"Fn::ImportValue": "P:Topic:Ref"}]}),
            "P:Topic:Ref"
        ));
        assert!(!imports(
            &json!({"x": {"Fn::ImportValue": "P:Other"}}),
            "P:Topic:Ref"
        ));
    }
}
