//! Checks of a template with CloudFormation's CodeDeploy blue/green hook
//! (`AWS::CodeDeploy::BlueGreen`, transform `AWS::CodeDeployBlueGreen`), from the
//! CloudFormation User Guide's considerations for such stacks. They read the rendered
//! template, so they hold for a hook written by hand as much as for `BlueGreenHook`:
//! - the template declares the transform, and one such hook, for one ECS service;
//! - no `Outputs` (exports included), no `Fn::ImportValue`, no nested stacks;
//! - no `NoEcho` parameters and no dynamic references (CodeDeploy cannot update them);
//! - the hook's names are resources of the template of the right types (the service of
//!   the `EXTERNAL` controller, its task definition and task set, two target groups, the
//!   listeners), and the green names are free for the transform to use;
//! - the hook's properties are literals (the transform reads the section as written).

use serde_json::Value as Json;

use super::deploy_order::Report;
use crate::codedeploy::{HOOK_TYPE, TRANSFORM};

const WHY: &str =
    "in a stack with the CodeDeploy blue/green hook (CloudFormation refuses it there)";

/// Every problem of the template's CodeDeploy blue/green hooks; `stack` is the path of
/// stack-level problems.
pub(super) fn check(template: &Json, stack: &str, report: &mut Report<'_>) {
    let Some(hooks) = template.get("Hooks").and_then(Json::as_object) else {
        return;
    };
    let blue_green: Vec<(&String, &Json)> = hooks
        .iter()
        .filter(|(_, hook)| hook.get("Type").and_then(Json::as_str) == Some(HOOK_TYPE))
        .collect();
    let Some((first, _)) = blue_green.first() else {
        return;
    };
    for (id, _) in blue_green.iter().skip(1) {
        report.at(id).error(
            "Hooks",
            format!("a second {HOOK_TYPE} hook (after {first})"),
            "one CodeDeploy blue/green hook per stack: CloudFormation deploys a single ECS service with it",
        );
    }
    let resources = template.get("Resources").and_then(Json::as_object);
    for (id, hook) in &blue_green {
        check_transform(template, id, report);
        check_properties(
            hook.get("Properties").unwrap_or(&Json::Null),
            id,
            resources,
            report,
        );
    }
    check_template(template, stack, report);
}

fn check_transform(template: &Json, hook: &str, report: &mut Report<'_>) {
    let declared = match template.get("Transform") {
        Some(Json::String(one)) => one == TRANSFORM,
        Some(Json::Array(many)) => many.iter().any(|t| t.as_str() == Some(TRANSFORM)),
        _ => false,
    };
    if !declared {
        report.at(hook).error(
            "Transform",
            "not declared",
            format!("the template's Transform to include {TRANSFORM}, which runs the hook"),
        );
    }
}

/// What the template may not hold beside the hook.
fn check_template(template: &Json, stack: &str, report: &mut Report<'_>) {
    if let Some(outputs) = template.get("Outputs").and_then(Json::as_object) {
        for id in outputs.keys() {
            report.at(stack).error(
                &format!("Outputs.{id}"),
                "an output (values other stacks use are exported through outputs)",
                format!("no outputs {WHY}"),
            );
        }
    }
    if let Some(parameters) = template.get("Parameters").and_then(Json::as_object) {
        for (id, parameter) in parameters {
            if parameter.get("NoEcho").and_then(Json::as_bool) == Some(true) {
                report.at(stack).error(
                    &format!("Parameters.{id}.NoEcho"),
                    "true",
                    format!(
                        "no NoEcho parameters {WHY}: CodeDeploy cannot update values it cannot read"
                    ),
                );
            }
        }
    }
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return;
    };
    for (id, resource) in resources {
        if resource.get("Type").and_then(Json::as_str) == Some("AWS::CloudFormation::Stack") {
            report.at(id).error(
                "Type",
                "AWS::CloudFormation::Stack",
                format!("no nested stacks {WHY}"),
            );
        }
        let properties = resource.get("Properties").unwrap_or(&Json::Null);
        if contains(properties, &|j| j.get("Fn::ImportValue").is_some()) {
            report.at(id).error(
                "Fn::ImportValue",
                "a value of another stack",
                format!(
                    "no imports {WHY}: name the other stack's resource, or keep it in this stack"
                ),
            );
        }
        if contains(properties, &|j| {
            j.as_str().is_some_and(|s| s.contains("{{resolve:"))
        }) {
            report.at(id).error(
                "dynamic reference",
                "{{resolve:...}}",
                format!(
                    "no dynamic references {WHY}: CodeDeploy cannot update values it cannot read"
                ),
            );
        }
    }
}

/// Whether `json` or anything in it is `found`.
fn contains(json: &Json, found: &impl Fn(&Json) -> bool) -> bool {
    if found(json) {
        return true;
    }
    match json {
        Json::Array(items) => items.iter().any(|i| contains(i, found)),
        Json::Object(entries) => entries.values().any(|v| contains(v, found)),
        _ => false,
    }
}

fn check_properties(
    properties: &Json,
    hook: &str,
    resources: Option<&serde_json::Map<String, Json>>,
    report: &mut Report<'_>,
) {
    let intrinsic = |j: &Json| {
        j.as_object()
            .is_some_and(|o| o.len() == 1 && o.keys().any(|k| k == "Ref" || k.starts_with("Fn::")))
    };
    if contains(properties, &intrinsic) {
        report.at(hook).error(
            "Properties",
            "an intrinsic function",
            "literal values: the transform reads the hook as written (resources by logical ID, the role by name)",
        );
    }
    let applications = properties
        .get("Applications")
        .and_then(Json::as_array)
        .map_or(&[][..], Vec::as_slice);
    if applications.len() != 1 {
        report.at(hook).error(
            "Applications",
            format!("{} entries", applications.len()),
            "exactly one: the hook deploys a single ECS service",
        );
    }
    let empty = serde_json::Map::new();
    let resources = resources.unwrap_or(&empty);
    for application in applications {
        for (setting, name, expected) in named_resources(application) {
            check_name(report, hook, &setting, name, expected, resources);
        }
    }
}

/// The hook's names of one application: the setting, the name, and the type it must name
/// (`None`: a green name the transform creates, which must be free).
fn named_resources(application: &Json) -> Vec<(String, Option<&str>, Option<&'static str>)> {
    let at = |pointer: &str| application.pointer(pointer).and_then(Json::as_str);
    let mut names = vec![
        (
            "Target.LogicalID".to_owned(),
            at("/Target/LogicalID"),
            Some("AWS::ECS::Service"),
        ),
        (
            "TaskDefinitions[0]".to_owned(),
            at("/ECSAttributes/TaskDefinitions/0"),
            Some("AWS::ECS::TaskDefinition"),
        ),
        (
            "TaskDefinitions[1]".to_owned(),
            at("/ECSAttributes/TaskDefinitions/1"),
            None,
        ),
        (
            "TaskSets[0]".to_owned(),
            at("/ECSAttributes/TaskSets/0"),
            Some("AWS::ECS::TaskSet"),
        ),
        (
            "TaskSets[1]".to_owned(),
            at("/ECSAttributes/TaskSets/1"),
            None,
        ),
        (
            "TargetGroups[0]".to_owned(),
            at("/ECSAttributes/TrafficRouting/TargetGroups/0"),
            Some("AWS::ElasticLoadBalancingV2::TargetGroup"),
        ),
        (
            "TargetGroups[1]".to_owned(),
            at("/ECSAttributes/TrafficRouting/TargetGroups/1"),
            Some("AWS::ElasticLoadBalancingV2::TargetGroup"),
        ),
        (
            "ProdTrafficRoute.LogicalID".to_owned(),
            at("/ECSAttributes/TrafficRouting/ProdTrafficRoute/LogicalID"),
            Some("AWS::ElasticLoadBalancingV2::Listener"),
        ),
    ];
    if application
        .pointer("/ECSAttributes/TrafficRouting/TestTrafficRoute")
        .is_some()
    {
        names.push((
            "TestTrafficRoute.LogicalID".to_owned(),
            at("/ECSAttributes/TrafficRouting/TestTrafficRoute/LogicalID"),
            Some("AWS::ElasticLoadBalancingV2::Listener"),
        ));
    }
    names
}

fn check_name(
    report: &mut Report<'_>,
    hook: &str,
    setting: &str,
    name: Option<&str>,
    expected: Option<&str>,
    resources: &serde_json::Map<String, Json>,
) {
    let setting = format!("Applications[0].{setting}");
    let Some(name) = name else {
        report
            .at(hook)
            .error(&setting, "missing", "a logical ID of the template");
        return;
    };
    let found = resources.get(name);
    let found_type = found.and_then(|r| r.get("Type")).and_then(Json::as_str);
    match (expected, found_type) {
        (None, Some(found_type)) => report.at(hook).error(
            &setting,
            format!("{name} (the template's {found_type})"),
            "a logical ID no resource has: the transform creates the green resource under it",
        ),
        (Some(expected), found_type) if found_type != Some(expected) => report.at(hook).error(
            &setting,
            format!(
                "{name} ({})",
                found_type.unwrap_or("no resource of the template")
            ),
            format!("the logical ID of a resource of type {expected} in the template"),
        ),
        (Some("AWS::ECS::Service"), _) => {
            let controller = found
                .and_then(|r| r.pointer("/Properties/DeploymentController/Type"))
                .and_then(Json::as_str)
                .unwrap_or("ECS");
            if controller != "EXTERNAL" {
                report.at(hook).error(
                    &setting,
                    format!("{name} (deployment controller {controller})"),
                    "a service of the EXTERNAL deployment controller, whose task sets the hook deploys",
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::synth::render::StackNames;

    /// Nested stacks need the `full` L1 feature to be built; the check reads the template.
    #[test]
    fn a_nested_stack_beside_the_hook_is_refused() {
        let template = json!({
            "Transform": "AWS::CodeDeployBlueGreen",
            "Hooks": {"Deploy": {"Type": "AWS::CodeDeploy::BlueGreen", "Properties": {"Applications": [{}]}}},
            "Resources": {"Nested": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/t.json"}}},
        });
        let names = StackNames {
            stack_name: "Web".to_owned(),
            ..StackNames::default()
        };
        let messages: Vec<String> = super::super::deploy_order::problems(&template, &names)
            .iter()
            .map(ToString::to_string)
            .filter(|m| m.contains("nested"))
            .collect();
        assert_eq!(
            messages,
            [
                "error: Nested: Type = AWS::CloudFormation::Stack: no nested stacks in a stack with the CodeDeploy blue/green hook (CloudFormation refuses it there)"
            ]
        );
    }
}
