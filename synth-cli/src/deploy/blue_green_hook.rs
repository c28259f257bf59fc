//! Stacks with CloudFormation's CodeDeploy blue/green hook (transform
//! `AWS::CodeDeployBlueGreen`): a stack update that replaces a task definition or task set
//! is a green deployment, and CloudFormation refuses to combine it with updates of other
//! resources (CloudFormation User Guide, "Resource updates that trigger green
//! deployments"). The deploy refuses such a change set before executing it, and says how to
//! split it, rather than let the stack update fail.

use serde_json::Value as Json;

use super::events::ChangeRow;

/// The transform that runs the hook.
const TRANSFORM: &str = "AWS::CodeDeployBlueGreen";

/// The resources whose replacement starts a green deployment.
const TRIGGERS: [&str; 2] = ["AWS::ECS::TaskDefinition", "AWS::ECS::TaskSet"];

/// A change set that combines a green deployment with other updates: what starts the
/// deployment and what else changes, each as `LogicalId (Type)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MixedUpdate {
    /// The replacements that start the green deployment.
    pub deployment: Vec<String>,
    /// The other changes.
    pub others: Vec<String>,
}

/// Whether `template` declares the hook's transform.
pub fn has_hook(template: &Json) -> bool {
    match template.get("Transform") {
        Some(Json::String(one)) => one == TRANSFORM,
        Some(Json::Array(many)) => many.iter().any(|t| t.as_str() == Some(TRANSFORM)),
        _ => false,
    }
}

/// The green deployment and the other changes of `changes`, when a template with the hook
/// combines them; `None` otherwise. The primary task set follows a replaced task set, so
/// its change belongs to the deployment.
pub fn mixed_update(template: &Json, changes: &[ChangeRow]) -> Option<MixedUpdate> {
    if !has_hook(template) {
        return None;
    }
    let label = |c: &ChangeRow| format!("{} ({})", c.logical_id, c.resource_type);
    let starts = |c: &ChangeRow| TRIGGERS.contains(&c.resource_type.as_str()) && c.replaces();
    let deployment: Vec<String> = changes.iter().filter(|c| starts(c)).map(label).collect();
    if deployment.is_empty() {
        return None;
    }
    let follows = |c: &ChangeRow| {
        starts(c)
            || TRIGGERS.contains(&c.resource_type.as_str())
            || c.resource_type == "AWS::ECS::PrimaryTaskSet"
    };
    let others: Vec<String> = changes.iter().filter(|c| !follows(c)).map(label).collect();
    (!others.is_empty()).then_some(MixedUpdate { deployment, others })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(logical_id: &str, resource_type: &str, replacement: &str) -> ChangeRow {
        ChangeRow {
            action: "Modify".to_owned(),
            logical_id: logical_id.to_owned(),
            resource_type: resource_type.to_owned(),
            replacement: replacement.to_owned(),
            policy_action: String::new(),
        }
    }

    #[test]
    fn a_new_task_definition_alone_is_a_green_deployment_and_passes() {
        let template = json!({"Transform": ["AWS::CodeDeployBlueGreen"]});
        let changes = [
            row("Task", "AWS::ECS::TaskDefinition", "True"),
            row("TaskSet", "AWS::ECS::TaskSet", "True"),
            row("Primary", "AWS::ECS::PrimaryTaskSet", "False"),
        ];
        assert_eq!(mixed_update(&template, &changes), None);
    }

    #[test]
    fn a_green_deployment_with_other_changes_is_refused_naming_both() {
        let template = json!({"Transform": "AWS::CodeDeployBlueGreen"});
        let changes = [
            row("Task", "AWS::ECS::TaskDefinition", "True"),
            row("Alarm", "AWS::CloudWatch::Alarm", "False"),
        ];
        assert_eq!(
            mixed_update(&template, &changes),
            Some(MixedUpdate {
                deployment: vec!["Task (AWS::ECS::TaskDefinition)".to_owned()],
                others: vec!["Alarm (AWS::CloudWatch::Alarm)".to_owned()],
            })
        );
        // Without the hook, or without a replacement, nothing is refused.
        assert_eq!(mixed_update(&json!({}), &changes), None);
        let in_place = [
            row("Task", "AWS::ECS::TaskDefinition", "False"),
            row("Alarm", "AWS::CloudWatch::Alarm", "False"),
        ];
        assert_eq!(mixed_update(&template, &in_place), None);
    }
}
