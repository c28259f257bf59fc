//! Checks that each ECS service's deployment settings agree with its strategy and its
//! deployment controller, as ECS requires (Amazon ECS API reference, `DeploymentConfiguration`
//! and the blue/green guide). They read the template, so they hold for L1 services too:
//! - the circuit breaker is for rolling updates of the `ECS` controller only;
//! - a `CODE_DEPLOY` or `EXTERNAL` service has no strategy, no circuit breaker and no alarms
//!   of ECS's (its controller decides);
//! - a canary or linear configuration goes with its own strategy;
//! - a `BLUE_GREEN` strategy gives a bake time;
//! - a blue/green, canary or linear service behind a load balancer gives each load balancer
//!   an `AdvancedConfiguration` with the alternate group, the production listener rule and
//!   the role; canary and linear shift traffic through a load balancer or Service Connect.

use serde_json::Value as Json;

use super::deploy_order::{Graph, Report};

const ROLLING_ONLY: &str = "no circuit breaker with this strategy: ECS uses the circuit breaker for rolling updates only; roll back on alarms (Alarms) instead";

/// Every problem of the services' deployment settings.
pub(super) fn check(graph: &Graph<'_>, report: &mut Report<'_>) {
    for (id, properties) in graph.of_type("AWS::ECS::Service") {
        let controller = properties
            .pointer("/DeploymentController/Type")
            .and_then(Json::as_str)
            .unwrap_or("ECS");
        let configuration = properties.get("DeploymentConfiguration");
        let setting = |name: &str| configuration.and_then(|c| c.get(name));
        if controller != "ECS" {
            for name in ["Strategy", "DeploymentCircuitBreaker", "Alarms"] {
                if setting(name).is_some() {
                    report.at(id).error(
                        &format!("DeploymentConfiguration.{name}"),
                        format!("with the {controller} deployment controller"),
                        format!("no {name} with the {controller} controller: it decides how tasks are replaced and rolls back on its own alarms (a CodeDeploy deployment group's AutoRollbackConfiguration and AlarmConfiguration)"),
                    );
                }
            }
            continue;
        }
        let strategy = setting("Strategy")
            .and_then(Json::as_str)
            .unwrap_or("ROLLING");
        check_strategy_settings(id, strategy, &setting, report);
        if strategy != "ROLLING" {
            check_traffic_routes(id, strategy, properties, report);
        }
    }
}

/// The settings of `strategy` only, and the bake time blue/green needs.
fn check_strategy_settings<'j>(
    id: &str,
    strategy: &str,
    setting: &impl Fn(&str) -> Option<&'j Json>,
    report: &mut Report<'_>,
) {
    if strategy != "ROLLING" && setting("DeploymentCircuitBreaker").is_some() {
        report.at(id).error(
            "DeploymentConfiguration.DeploymentCircuitBreaker",
            format!("with strategy {strategy}"),
            ROLLING_ONLY,
        );
    }
    for (name, own) in [
        ("CanaryConfiguration", "CANARY"),
        ("LinearConfiguration", "LINEAR"),
    ] {
        if setting(name).is_some() && strategy != own {
            report.at(id).error(
                &format!("DeploymentConfiguration.{name}"),
                format!("with strategy {strategy}"),
                format!("a {name} only with strategy {own}"),
            );
        }
    }
    if strategy == "BLUE_GREEN" && setting("BakeTimeInMinutes").is_none() {
        report.at(id).error(
            "DeploymentConfiguration.BakeTimeInMinutes",
            "none with strategy BLUE_GREEN",
            "a bake time (0 to 1440 minutes): ECS requires one for blue/green deployments",
        );
    }
}

/// A blue/green service's routes: an advanced configuration per load balancer, and for
/// canary and linear shifts a load balancer or Service Connect to shift traffic through.
fn check_traffic_routes(id: &str, strategy: &str, properties: &Json, report: &mut Report<'_>) {
    let load_balancers = properties
        .get("LoadBalancers")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (index, entry) in load_balancers.iter().enumerate() {
        let advanced = entry.get("AdvancedConfiguration");
        let missing: Vec<&str> = [
            "AlternateTargetGroupArn",
            "ProductionListenerRule",
            "RoleArn",
        ]
        .into_iter()
        .filter(|name| advanced.and_then(|a| a.get(*name)).is_none())
        .collect();
        if !missing.is_empty() && entry.get("TargetGroupArn").is_some() {
            report.at(id).error(
                &format!("LoadBalancers[{index}].AdvancedConfiguration"),
                format!("without {} (strategy {strategy})", missing.join(", ")),
                "an alternate target group, a production listener rule and the role ECS assumes to move traffic between them; register the service with ApplicationTargetGroup::add_service_target behind a listener, which creates them",
            );
        }
    }
    let service_connect = properties.get("ServiceConnectConfiguration").is_some();
    if load_balancers.is_empty() && !service_connect && strategy != "BLUE_GREEN" {
        report.at(id).error(
            "DeploymentConfiguration.Strategy",
            format!("{strategy} without a load balancer or Service Connect"),
            "a load balancer target group (add_service_target) or Service Connect to shift traffic through; without either, use BLUE_GREEN or a rolling update",
        );
    }
}
