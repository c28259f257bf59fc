//! The load balancer side of an ECS blue/green service: an alternate target group beside the
//! production one, a production rule (and a test rule) that forward to both by weight and
//! whose weights ECS moves during a deployment, and the service's `AdvancedConfiguration`
//! that names them with the role ECS assumes to move them.

use cfn_l1::ecs::service as ecs_l1s;
use cfn_l1::model::Value;

use super::listener::weighted_forward;
use super::target_group::{ApplicationTargetGroup, Attachments, Forwarder, ServiceTarget};
use crate::core::scope::Scope;
use crate::ecs::BlueGreenRouting;

/// What a blue/green service registered in a target group needs for its routes.
#[derive(Clone, Debug)]
pub(crate) struct BlueGreenTarget {
    pub(crate) routing: BlueGreenRouting,
    pub(crate) alternate: ApplicationTargetGroup,
    /// The service's `LoadBalancers` entry for this group.
    pub(crate) index: usize,
}

/// A blue/green service keeps its target group to itself: during a deployment ECS moves
/// the group's traffic to the alternate group, which other services' tasks never join.
pub(super) fn check_sharing(scope: &mut impl Scope, target: &ServiceTarget) {
    let others: Vec<(String, bool)> = ApplicationTargetGroup::targets(scope)
        .iter()
        .filter(|other| other.resource.id() != target.resource.id())
        .map(|other| (other.label.clone(), other.blue_green.is_some()))
        .collect();
    let Some((other, other_is_blue_green)) = others.first() else {
        return;
    };
    if target.blue_green.is_some() || *other_is_blue_green {
        scope.problems().error(
            "add_service_target",
            format!("{} beside {other}", target.label),
            "a target group of its own for a blue/green service: ECS moves the group's traffic to an alternate group during a deployment, which the other service's tasks never join",
        );
    }
}

/// Routes a blue/green service through `forwarder`: its rule forwards to the group and the
/// alternate by weight (100/0), a rule on the test listener likewise, and the service's
/// load balancer entry names both rules, the alternate group and the role.
pub(super) fn route(
    scope: &mut impl Scope,
    group: &ApplicationTargetGroup,
    forwarder: &Forwarder,
    target: &ServiceTarget,
    blue_green: &BlueGreenTarget,
) {
    let service = target.resource.id();
    let listener_path = forwarder.listener().path().to_owned();
    let already = scope
        .state::<Attachments>()
        .routed
        .iter()
        .find(|(id, _)| *id == service)
        .map(|(_, path)| path.clone());
    if let Some(first) = already {
        scope.problems().error(
            "listener",
            format!("{listener_path} also forwards to the group of blue/green service {}", target.label),
            format!("one listener or rule forwarding to the target group of a blue/green service: ECS moves the weights of one production rule ({first})"),
        );
        return;
    }
    let groups = [(group, 100), (&blue_green.alternate, 0)];
    let segment = group.construct_id();
    let production = match forwarder {
        Forwarder::Listener(listener) => {
            listener.add_weighted_rule(scope, &format!("{segment}Production"), groups)
        }
        Forwarder::Rule(rule, _) => {
            if let Some(rule) = scope.l1_mut(rule) {
                rule.actions = vec![weighted_forward(groups)];
            }
            Some(*rule)
        }
    };
    let Some(production) = production else {
        return;
    };
    let test = test_rule(scope, forwarder, blue_green, groups, &segment);
    let mut advanced = ecs_l1s::AdvancedConfiguration::new(blue_green.alternate.arn())
        .production_listener_rule(production.ref_value())
        .role_arn(blue_green.routing.role_arn.clone());
    if let Some(test) = test {
        advanced = advanced.test_listener_rule(test);
    }
    if let Some(service) = scope.l1_mut(&target.resource)
        && let Some(entry) = service
            .load_balancers
            .as_mut()
            .and_then(|entries| entries.get_mut(blue_green.index))
    {
        entry.advanced_configuration = Some(advanced);
    }
    scope
        .state::<Attachments>()
        .routed
        .push((service, listener_path));
}

/// The rule on the test listener, which must be on the production listener's load balancer.
fn test_rule(
    scope: &mut impl Scope,
    forwarder: &Forwarder,
    blue_green: &BlueGreenTarget,
    groups: [(&ApplicationTargetGroup, i64); 2],
    segment: &str,
) -> Option<Value<String>> {
    let test = blue_green.routing.test_listener.as_ref()?;
    let production_lb = forwarder.listener().load_balancer().path();
    if test.load_balancer().path() != production_lb {
        scope.problems().error(
            "test_listener",
            test.path(),
            format!("a listener of the load balancer that carries the production traffic ({production_lb}): ECS shifts test traffic between the same two target groups"),
        );
        return None;
    }
    if test.resource().id() == forwarder.listener().resource().id() {
        scope.problems().error(
            "test_listener",
            test.path(),
            "another listener than the production one (another port): its rule would take the production traffic",
        );
        return None;
    }
    let rule = test.add_weighted_rule(scope, &format!("{segment}Test"), groups)?;
    Some(rule.ref_value())
}
