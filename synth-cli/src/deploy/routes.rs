//! The traffic routes of blue/green releases in a template: the listener rules an ECS
//! blue/green service names (production, test) and the listeners a CodeDeploy deployment
//! group moves traffic on. After a release the live traffic may be on the other target group
//! than the template says (ECS and CodeDeploy swap them); a stack update that touches one of
//! these routes writes the template's routing back and can send all traffic to an empty
//! group. So a change set that modifies or removes one asks first.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::RequireApproval;
use super::events::ChangeRow;

/// The routes of `template`, by logical ID, with what they are (`the production listener
/// rule of blue/green service Web`).
pub fn traffic_routes(template: &Json) -> BTreeMap<String, String> {
    let mut routes = BTreeMap::new();
    let resources = template.get("Resources").and_then(Json::as_object);
    for (id, resource) in resources.into_iter().flatten() {
        let properties = &resource["Properties"];
        match resource["Type"].as_str() {
            Some("AWS::ECS::Service") => {
                for entry in properties["LoadBalancers"].as_array().into_iter().flatten() {
                    let advanced = &entry["AdvancedConfiguration"];
                    for (key, role) in [
                        ("ProductionListenerRule", "production listener rule"),
                        ("TestListenerRule", "test listener rule"),
                    ] {
                        if let Some(target) = ref_target(&advanced[key]) {
                            routes.insert(target, format!("the {role} of blue/green service {id}"));
                        }
                    }
                }
            }
            Some("AWS::CodeDeploy::DeploymentGroup") => {
                let pairs = properties["LoadBalancerInfo"]["TargetGroupPairInfoList"].as_array();
                for pair in pairs.into_iter().flatten() {
                    for (key, role) in [
                        ("ProdTrafficRoute", "production listener"),
                        ("TestTrafficRoute", "test listener"),
                    ] {
                        let listeners = pair[key]["ListenerArns"].as_array();
                        for target in listeners.into_iter().flatten().filter_map(ref_target) {
                            routes.insert(
                                target,
                                format!("the {role} of CodeDeploy deployment group {id}"),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
    routes
}

/// Why `changes` need approval for touching a release's routes (empty: they do not, or the
/// policy never asks).
pub fn routing_reasons(
    policy: RequireApproval,
    changes: &[ChangeRow],
    routes: &BTreeMap<String, String>,
) -> Vec<String> {
    if policy == RequireApproval::Never {
        return Vec::new();
    }
    changes
        .iter()
        .filter(|change| change.action == "Modify" || change.action == "Remove")
        .filter_map(|change| {
            let role = routes.get(&change.logical_id)?;
            Some(format!(
                "{} ({}) is {role}: updating it writes the template's routing back, which sends all traffic to the template's target group, empty after an odd number of releases; check which group serves before approving",
                change.logical_id, change.resource_type
            ))
        })
        .collect()
}

fn ref_target(value: &Json) -> Option<String> {
    value.get("Ref").and_then(Json::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(action: &str, id: &str) -> ChangeRow {
        ChangeRow {
            action: action.to_owned(),
            logical_id: id.to_owned(),
            resource_type: "AWS::ElasticLoadBalancingV2::ListenerRule".to_owned(),
            replacement: "False".to_owned(),
            policy_action: String::new(),
        }
    }

    #[test]
    fn changes_to_the_routes_of_releases_ask_first() {
        let template = json!({"Resources": {
            "Web": {"Type": "AWS::ECS::Service", "Properties": {"LoadBalancers": [{
                "TargetGroupArn": {"Ref": "Blue"},
                "AdvancedConfiguration": {
                    "ProductionListenerRule": {"Ref": "Prod"},
                    "TestListenerRule": {"Ref": "Test"},
                },
            }]}},
            "Group": {"Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": {
                "LoadBalancerInfo": {"TargetGroupPairInfoList": [{
                    "ProdTrafficRoute": {"ListenerArns": [{"Ref": "Http"}]},
                }]},
            }},
        }});
        let routes = traffic_routes(&template);
        assert_eq!(routes.len(), 3);
        let changes = [
            row("Modify", "Prod"),
            row("Add", "Test"),
            row("Remove", "Http"),
            row("Modify", "Other"),
        ];
        let reasons = routing_reasons(RequireApproval::Broadening, &changes, &routes);
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("Prod (AWS::ElasticLoadBalancingV2::ListenerRule) is the production listener rule of blue/green service Web: updating it writes the template's routing back"));
        assert!(reasons[1].starts_with("Http (AWS::ElasticLoadBalancingV2::ListenerRule) is the production listener of CodeDeploy deployment group Group"));
        assert!(routing_reasons(RequireApproval::Never, &changes, &routes).is_empty());
    }
}
