//! What a stack refactor sends: for every stack it touches, the deployed template with only the
//! renames applied (CloudFormation's stack refactoring moves resources; it does not update
//! them, so every other change is left for the deploy that follows), and one resource mapping
//! per rename.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::diff::renames::{referenced_names, rewrite_references};
use crate::diff::{Rename, ResourceAt};

/// A stack the refactor touches.
#[derive(Clone, Debug, PartialEq)]
pub struct StackDefinition {
    /// Its id in the app.
    pub stack: String,
    /// Its CloudFormation name.
    pub stack_name: String,
    /// Its template after the renames.
    pub template: Json,
    /// Whether the refactor creates it (a resource moves into a stack not deployed yet).
    pub created: bool,
}

/// One resource's move, by CloudFormation stack names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// Where it is: (stack name, logical ID).
    pub source: (String, String),
    /// Where it goes.
    pub destination: (String, String),
}

/// Everything CreateStackRefactor needs.
#[derive(Clone, Debug, PartialEq)]
pub struct RefactorPlan {
    /// The stacks it touches, in the app's order.
    pub stacks: Vec<StackDefinition>,
    /// The moves.
    pub mappings: Vec<Mapping>,
}

impl RefactorPlan {
    /// Whether a stack has to be created (`EnableStackCreation`).
    pub fn creates_stacks(&self) -> bool {
        self.stacks.iter().any(|stack| stack.created)
    }
}

/// A stack of the app as the plan sees it.
pub struct PlanStack<'a> {
    /// Its id in the app.
    pub stack: &'a str,
    /// Its CloudFormation name.
    pub stack_name: &'a str,
    /// Its deployed template (`Null`: not deployed).
    pub deployed: &'a Json,
}

/// A rename that stack refactoring cannot perform, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{from} cannot move to {to}: {reason}")]
pub struct Unsupported {
    /// Where the resource is.
    pub from: ResourceAt,
    /// Where it would go.
    pub to: ResourceAt,
    /// Why not, and what to do.
    pub reason: String,
}

/// The most stacks one stack refactor may touch.
pub const MAX_STACKS: usize = 5;

/// The refactor that performs `renames` on the deployed templates of `stacks`.
pub fn plan(stacks: &[PlanStack<'_>], renames: &[Rename]) -> Result<RefactorPlan, Unsupported> {
    let by_id: BTreeMap<&str, &PlanStack<'_>> = stacks.iter().map(|s| (s.stack, s)).collect();
    for rename in renames {
        check_movable(rename, renames, &by_id)?;
    }
    check_stack_count(renames)?;
    let (mut templates, created) = starting_templates(stacks, renames);
    for rename in renames.iter().filter(|r| r.from.stack == r.to.stack) {
        if let Some(template) = templates.get_mut(rename.from.stack.as_str()) {
            rename_within(template, &rename.from.logical_id, &rename.to.logical_id);
        }
    }
    move_across(&mut templates, renames)?;
    let name_of = |id: &str| by_id.get(id).map_or(id, |s| s.stack_name).to_owned();
    Ok(RefactorPlan {
        stacks: stacks
            .iter()
            .filter_map(|s| {
                templates.remove(s.stack).map(|template| StackDefinition {
                    stack: s.stack.to_owned(),
                    stack_name: s.stack_name.to_owned(),
                    template,
                    created: created.contains(s.stack),
                })
            })
            .collect(),
        mappings: renames
            .iter()
            .map(|r| Mapping {
                source: (name_of(&r.from.stack), r.from.logical_id.clone()),
                destination: (name_of(&r.to.stack), r.to.logical_id.clone()),
            })
            .collect(),
    })
}

/// A stack refactor touches at most [`MAX_STACKS`] stacks.
fn check_stack_count(renames: &[Rename]) -> Result<(), Unsupported> {
    let touched: BTreeSet<&str> = renames
        .iter()
        .flat_map(|r| [r.from.stack.as_str(), r.to.stack.as_str()])
        .collect();
    match (touched.len() > MAX_STACKS, renames.first()) {
        (true, Some(first)) => Err(Unsupported {
            from: first.from.clone(),
            to: first.to.clone(),
            reason: format!(
                "the moves touch {} stacks ({}) and a stack refactor takes at most {MAX_STACKS}; select fewer stacks and refactor in several steps",
                touched.len(),
                touched.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        }),
        _ => Ok(()),
    }
}

/// The deployed template of every stack a rename touches (an empty one for a stack not
/// deployed yet, which the refactor creates), and the stacks it creates.
fn starting_templates<'a>(
    stacks: &[PlanStack<'a>],
    renames: &[Rename],
) -> (BTreeMap<&'a str, Json>, BTreeSet<&'a str>) {
    let mut templates = BTreeMap::new();
    let mut created = BTreeSet::new();
    for stack in stacks {
        let touched = renames
            .iter()
            .any(|r| r.from.stack == stack.stack || r.to.stack == stack.stack);
        if !touched {
            continue;
        }
        let template = if stack.deployed.is_null() {
            created.insert(stack.stack);
            serde_json::json!({"Resources": {}})
        } else {
            stack.deployed.clone()
        };
        templates.insert(stack.stack, template);
    }
    (templates, created)
}

/// Moves the resources that go to another stack: out of their source template, into their
/// destination's under the new ID, referring to the resources moved along by their new IDs.
/// A source left without resources is refused (stack refactoring refuses it).
fn move_across(
    templates: &mut BTreeMap<&str, Json>,
    renames: &[Rename],
) -> Result<(), Unsupported> {
    fn resources_of(template: Option<&mut Json>) -> Option<&mut serde_json::Map<String, Json>> {
        template
            .and_then(|t| t.get_mut("Resources"))
            .and_then(Json::as_object_mut)
    }
    let across: Vec<&Rename> = renames
        .iter()
        .filter(|r| r.from.stack != r.to.stack)
        .collect();
    for rename in &across {
        let resource = resources_of(templates.get_mut(rename.from.stack.as_str()))
            .and_then(|resources| resources.remove(&rename.from.logical_id));
        if let (Some(resource), Some(resources)) = (
            resource,
            resources_of(templates.get_mut(rename.to.stack.as_str())),
        ) {
            resources.insert(rename.to.logical_id.clone(), resource);
        }
    }
    if let Some(emptied) = across.iter().find(|r| {
        resources_of(templates.get_mut(r.from.stack.as_str())).is_some_and(|r| r.is_empty())
    }) {
        return Err(Unsupported {
            from: emptied.from.clone(),
            to: emptied.to.clone(),
            reason: format!(
                "stack {} would be left without resources, which stack refactoring refuses; keep a resource there until the refactor is done, or destroy that stack and let the deploy create the resources anew",
                emptied.from.stack
            ),
        });
    }
    for (stack, template) in templates.iter_mut() {
        let moved_here: BTreeMap<&str, &str> = across
            .iter()
            .filter(|r| r.to.stack == *stack)
            .map(|r| (r.from.logical_id.as_str(), r.to.logical_id.as_str()))
            .collect();
        if let Some(resources) = resources_of(Some(template)) {
            for new_id in moved_here.values() {
                if let Some(resource) = resources.get_mut(*new_id) {
                    *resource = rename_in_resource(resource, &moved_here);
                }
            }
        }
    }
    Ok(())
}

/// Renames a resource within a template: its key, and every reference to it (`Ref`,
/// `Fn::GetAtt`, `${..}` in `Fn::Sub`, `DependsOn`), in resources and outputs.
fn rename_within(template: &mut Json, old: &str, new: &str) {
    let map = BTreeMap::from([(old, new)]);
    if let Some(resources) = template.get_mut("Resources").and_then(Json::as_object_mut) {
        let renamed: serde_json::Map<String, Json> = std::mem::take(resources)
            .into_iter()
            .map(|(id, resource)| {
                let id = if id == old { new.to_owned() } else { id };
                (id, rename_in_resource(&resource, &map))
            })
            .collect();
        *resources = renamed;
    }
    if let Some(outputs) = template.get_mut("Outputs") {
        *outputs = rewrite_references(outputs, &map);
    }
}

fn rename_in_resource(resource: &Json, map: &BTreeMap<&str, &str>) -> Json {
    let mut resource = rewrite_references(resource, map);
    if let Some(depends_on) = resource.get_mut("DependsOn") {
        let rename = |v: &mut Json| {
            if let Json::String(id) = v
                && let Some(new) = map.get(id.as_str())
            {
                *id = (*new).to_owned();
            }
        };
        match depends_on {
            Json::Array(items) => items.iter_mut().for_each(rename),
            other => rename(other),
        }
    }
    resource
}

/// A move to another stack must leave no reference behind: stack refactoring moves the
/// resource's definition as it is, so nothing in the source stack may refer to it, and it
/// may refer to nothing in the source stack (parameters and resources stay there).
fn check_movable(
    rename: &Rename,
    renames: &[Rename],
    stacks: &BTreeMap<&str, &PlanStack<'_>>,
) -> Result<(), Unsupported> {
    if rename.from.stack == rename.to.stack {
        return Ok(());
    }
    let reason = match stacks.get(rename.from.stack.as_str()) {
        None => Some("its stack is not among those compared".to_owned()),
        Some(source) => {
            let source = SourceStack::of(source.deployed);
            let moving_along = |other: &str| {
                renames.iter().any(|r| {
                    r.from.stack == rename.from.stack
                        && r.from.logical_id == other
                        && r.to.stack == rename.to.stack
                })
            };
            what_it_needs(rename, &source, &moving_along)
                .or_else(|| what_needs_it(rename, &source, &moving_along))
        }
    };
    match reason {
        Some(reason) => Err(Unsupported {
            from: rename.from.clone(),
            to: rename.to.clone(),
            reason,
        }),
        None => Ok(()),
    }
}

/// What a move out of a stack is checked against: that stack's deployed template.
struct SourceStack<'a> {
    resources: Option<&'a serde_json::Map<String, Json>>,
    parameters: BTreeSet<&'a str>,
    outputs: Option<&'a Json>,
}

impl<'a> SourceStack<'a> {
    fn of(deployed: &'a Json) -> Self {
        Self {
            resources: deployed.get("Resources").and_then(Json::as_object),
            parameters: deployed
                .get("Parameters")
                .and_then(Json::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default(),
            outputs: deployed.get("Outputs"),
        }
    }

    fn has_resource(&self, id: &str) -> bool {
        self.resources.is_some_and(|r| r.contains_key(id))
    }
}

/// Why the moved resource cannot take its definition to the other stack: a condition or
/// mapping, or a reference to a parameter or resource that stays.
fn what_it_needs(
    rename: &Rename,
    source: &SourceStack<'_>,
    moving_along: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let id = rename.from.logical_id.as_str();
    let resource = source.resources?.get(id)?;
    // The destination's template may not gain conditions or mappings in a refactor.
    if let Some(construct) = uses_conditions_or_mappings(resource) {
        return Some(format!(
            "it uses {construct}, and a stack refactor cannot add conditions or mappings to stack {}; make it unconditional first, or deploy the condition or mapping to stack {} before moving it",
            rename.to.stack, rename.to.stack
        ));
    }
    let referenced = references(resource);
    if let Some(parameter) = referenced
        .iter()
        .find(|r| source.parameters.contains(r.as_str()))
    {
        return Some(format!(
            "it refers to the parameter {parameter} of stack {}, which stays there; give it the value another way (a parameter of stack {}) first",
            rename.from.stack, rename.to.stack
        ));
    }
    let other = referenced
        .iter()
        .find(|r| *r != id && source.has_resource(r) && !moving_along(r))?;
    Some(format!(
        "it refers to {other} of stack {}, which stays there; move {other} too, or refer to it through an export",
        rename.from.stack
    ))
}

/// Why the moved resource cannot leave: a resource or output that stays refers to it.
fn what_needs_it(
    rename: &Rename,
    source: &SourceStack<'_>,
    moving_along: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let id = rename.from.logical_id.as_str();
    let user = source
        .resources
        .into_iter()
        .flatten()
        .find(|(other, resource)| {
            other.as_str() != id && !moving_along(other) && references(resource).contains(id)
        });
    if let Some((user, _)) = user {
        return Some(format!(
            "{user} of stack {} refers to it; a moved resource can only be referred to from its new stack (move {user} too, or deploy without that reference first)",
            rename.from.stack
        ));
    }
    source
        .outputs
        .is_some_and(|outputs| references(outputs).contains(id))
        .then(|| {
            format!(
                "an output of stack {} refers to it; remove that output (deploy) before moving the resource",
                rename.from.stack
            )
        })
}

/// `Condition`, `Fn::If` or `Fn::FindInMap`, when the resource uses one.
fn uses_conditions_or_mappings(resource: &Json) -> Option<&'static str> {
    if resource.get("Condition").is_some() {
        return Some("a Condition");
    }
    fn find(value: &Json) -> Option<&'static str> {
        match value {
            Json::Object(object) => object.iter().find_map(|(key, item)| match key.as_str() {
                "Fn::If" => Some("Fn::If"),
                "Fn::FindInMap" => Some("Fn::FindInMap"),
                _ => find(item),
            }),
            Json::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    find(resource)
}

/// The logical IDs (and parameter names) `value` refers to.
fn references(value: &Json) -> BTreeSet<String> {
    referenced_names(value).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rename(from: (&str, &str), to: (&str, &str), ty: &str) -> Rename {
        Rename {
            from: ResourceAt {
                stack: from.0.into(),
                logical_id: from.1.into(),
            },
            to: ResourceAt {
                stack: to.0.into(),
                logical_id: to.1.into(),
            },
            resource_type: ty.into(),
        }
    }

    #[test]
    fn a_rename_within_a_stack_changes_the_key_and_every_reference_and_nothing_else() {
        let deployed = json!({
            "Resources": {
                "Cluster": {"Type": "AWS::DocDB::DBCluster", "Properties": {"Port": 27017}},
                "Instance": {"Type": "AWS::DocDB::DBInstance", "DependsOn": ["Cluster"],
                    "Properties": {"DBClusterIdentifier": {"Ref": "Cluster"}}},
                "Param": {"Type": "AWS::SSM::Parameter", "Properties": {
                    "Value": {"Fn::Sub": "${Cluster.Endpoint}:${Cluster.Port}"},
                    "Name": {"Fn::GetAtt": ["Cluster", "Endpoint"]}}},
            },
            "Outputs": {"Endpoint": {"Value": {"Fn::GetAtt": ["Cluster", "Endpoint"]}}},
        });
        let stacks = [PlanStack {
            stack: "Data",
            stack_name: "app-data",
            deployed: &deployed,
        }];
        let plan = plan(
            &stacks,
            &[rename(
                ("Data", "Cluster"),
                ("Data", "DbCluster"),
                "AWS::DocDB::DBCluster",
            )],
        )
        .expect("movable");
        assert_eq!(
            plan.stacks[0].template,
            json!({
                "Resources": {
                    "DbCluster": {"Type": "AWS::DocDB::DBCluster", "Properties": {"Port": 27017}},
                    "Instance": {"Type": "AWS::DocDB::DBInstance", "DependsOn": ["DbCluster"],
                        "Properties": {"DBClusterIdentifier": {"Ref": "DbCluster"}}},
                    "Param": {"Type": "AWS::SSM::Parameter", "Properties": {
                        "Value": {"Fn::Sub": "${DbCluster.Endpoint}:${DbCluster.Port}"},
                        "Name": {"Fn::GetAtt": ["DbCluster", "Endpoint"]}}},
                },
                "Outputs": {"Endpoint": {"Value": {"Fn::GetAtt": ["DbCluster", "Endpoint"]}}},
            })
        );
        assert!(!plan.creates_stacks());
        assert_eq!(
            plan.mappings,
            [Mapping {
                source: ("app-data".into(), "Cluster".into()),
                destination: ("app-data".into(), "DbCluster".into()),
            }]
        );
    }

    #[test]
    fn a_move_to_a_new_stack_creates_it_with_the_resource_and_removes_it_from_the_source() {
        let data = json!({"Resources": {
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }});
        let stacks = [
            PlanStack {
                stack: "Data",
                stack_name: "Data",
                deployed: &data,
            },
            PlanStack {
                stack: "App",
                stack_name: "App",
                deployed: &Json::Null,
            },
            PlanStack {
                stack: "Other",
                stack_name: "Other",
                deployed: &Json::Null,
            },
        ];
        let plan = plan(
            &stacks,
            &[rename(
                ("Data", "Logs"),
                ("App", "AppLogs"),
                "AWS::Logs::LogGroup",
            )],
        )
        .expect("movable");
        let names: Vec<(&str, bool)> = plan
            .stacks
            .iter()
            .map(|s| (s.stack.as_str(), s.created))
            .collect();
        assert_eq!(names, [("Data", false), ("App", true)]);
        assert_eq!(
            plan.stacks[0].template,
            json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
        );
        assert_eq!(
            plan.stacks[1].template,
            json!({"Resources": {"AppLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}}}})
        );
        assert!(plan.creates_stacks());
    }

    #[test]
    fn resources_moved_together_keep_their_references_under_their_new_ids() {
        let data = json!({"Resources": {
            "Key": {"Type": "AWS::KMS::Key"},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }});
        let app = json!({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}});
        let stacks = [
            PlanStack {
                stack: "Data",
                stack_name: "Data",
                deployed: &data,
            },
            PlanStack {
                stack: "App",
                stack_name: "App",
                deployed: &app,
            },
        ];
        let plan = plan(
            &stacks,
            &[
                rename(("Data", "Key"), ("App", "AppKey"), "AWS::KMS::Key"),
                rename(("Data", "Logs"), ("App", "AppLogs"), "AWS::Logs::LogGroup"),
            ],
        )
        .expect("movable together");
        assert_eq!(
            plan.stacks[0].template,
            json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
        );
        let emptied = json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup"}}});
        let stacks = [
            PlanStack {
                stack: "Data",
                stack_name: "Data",
                deployed: &emptied,
            },
            PlanStack {
                stack: "App",
                stack_name: "App",
                deployed: &app,
            },
        ];
        assert_eq!(
            super::plan(
                &stacks,
                &[rename(
                    ("Data", "Logs"),
                    ("App", "Logs"),
                    "AWS::Logs::LogGroup"
                )]
            )
            .expect_err("refused")
            .to_string(),
            "Data/Logs cannot move to App/Logs: stack Data would be left without resources, which stack refactoring refuses; keep a resource there until the refactor is done, or destroy that stack and let the deploy create the resources anew"
        );
        assert_eq!(
            plan.stacks[1].template,
            json!({"Resources": {
                "Queue": {"Type": "AWS::SQS::Queue"},
                "AppKey": {"Type": "AWS::KMS::Key"},
                "AppLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"KmsKeyId": {"Fn::GetAtt": ["AppKey", "Arn"]}}},
            }})
        );
    }

    #[test]
    fn conditional_resources_and_more_than_five_stacks_are_refused() {
        let data = json!({"Resources": {
            "Logs": {"Type": "AWS::Logs::LogGroup", "Condition": "IsProd"},
            "Mapped": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Fn::FindInMap": ["M", "a", "b"]}}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }});
        let stacks = [
            PlanStack {
                stack: "Data",
                stack_name: "Data",
                deployed: &data,
            },
            PlanStack {
                stack: "App",
                stack_name: "App",
                deployed: &Json::Null,
            },
        ];
        assert_eq!(
            plan(
                &stacks,
                &[rename(
                    ("Data", "Logs"),
                    ("App", "Logs"),
                    "AWS::Logs::LogGroup"
                )]
            )
            .expect_err("refused")
            .to_string(),
            "Data/Logs cannot move to App/Logs: it uses a Condition, and a stack refactor cannot add conditions or mappings to stack App; make it unconditional first, or deploy the condition or mapping to stack App before moving it"
        );
        assert!(
            plan(
                &stacks,
                &[rename(
                    ("Data", "Mapped"),
                    ("App", "Mapped"),
                    "AWS::Logs::LogGroup"
                )]
            )
            .expect_err("refused")
            .to_string()
            .contains("it uses Fn::FindInMap")
        );
        let many: Vec<serde_json::Value> = (0..6)
            .map(|i| json!({"Resources": {format!("Topic{i}"): {"Type": "AWS::SNS::Topic"}, "Keep": {"Type": "AWS::SQS::Queue"}}}))
            .collect();
        let names: Vec<String> = (0..6).map(|i| format!("S{i}")).collect();
        let stacks: Vec<PlanStack<'_>> = names
            .iter()
            .zip(&many)
            .map(|(name, deployed)| PlanStack {
                stack: name,
                stack_name: name,
                deployed,
            })
            .collect();
        let renames: Vec<Rename> = (0..6)
            .map(|i| {
                rename(
                    (&format!("S{i}"), &format!("Topic{i}")),
                    (&format!("S{i}"), &format!("Alerts{i}")),
                    "AWS::SNS::Topic",
                )
            })
            .collect();
        assert_eq!(
            plan(&stacks, &renames).expect_err("refused").reason,
            "the moves touch 6 stacks (S0, S1, S2, S3, S4, S5) and a stack refactor takes at most 5; select fewer stacks and refactor in several steps"
        );
    }

    #[test]
    fn a_move_that_would_leave_a_reference_behind_is_refused_with_what_to_do() {
        let data = json!({
            "Parameters": {"Env": {"Type": "String"}},
            "Resources": {
                "Key": {"Type": "AWS::KMS::Key"},
                "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
                "Named": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "/app/${Env}"}}},
                "Queue": {"Type": "AWS::SQS::Queue"},
                "Policy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Queue"}]}},
                "Topic": {"Type": "AWS::SNS::Topic"},
            },
            "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}},
        });
        let stacks = [
            PlanStack {
                stack: "Data",
                stack_name: "Data",
                deployed: &data,
            },
            PlanStack {
                stack: "App",
                stack_name: "App",
                deployed: &Json::Null,
            },
        ];
        let refusal = |id: &str, ty: &str| {
            plan(&stacks, &[rename(("Data", id), ("App", id), ty)])
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(
            refusal("Logs", "AWS::Logs::LogGroup"),
            "Data/Logs cannot move to App/Logs: it refers to Key of stack Data, which stays there; move Key too, or refer to it through an export"
        );
        assert_eq!(
            refusal("Named", "AWS::Logs::LogGroup"),
            "Data/Named cannot move to App/Named: it refers to the parameter Env of stack Data, which stays there; give it the value another way (a parameter of stack App) first"
        );
        assert_eq!(
            refusal("Queue", "AWS::SQS::Queue"),
            "Data/Queue cannot move to App/Queue: Policy of stack Data refers to it; a moved resource can only be referred to from its new stack (move Policy too, or deploy without that reference first)"
        );
        let unsupported = plan(
            &stacks,
            &[rename(
                ("Data", "Queue"),
                ("App", "Queue"),
                "AWS::SQS::Queue",
            )],
        )
        .expect_err("refused");
        assert_eq!(
            crate::error::EngineError::from(unsupported).to_string(),
            "refactor: Data/Queue cannot move to App/Queue: Policy of stack Data refers to it; a moved resource can only be referred to from its new stack (move Policy too, or deploy without that reference first); nothing was moved"
        );
        assert_eq!(
            refusal("Topic", "AWS::SNS::Topic"),
            "Data/Topic cannot move to App/Topic: an output of stack Data refers to it; remove that output (deploy) before moving the resource"
        );
    }
}
