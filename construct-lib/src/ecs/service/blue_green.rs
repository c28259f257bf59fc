//! The roles of an ECS blue/green service: the infrastructure role ECS assumes to move load
//! balancer traffic (created when the service joins a target group) and the role it assumes
//! to invoke lifecycle hooks. The routes themselves are the target group's
//! (`elbv2::blue_green`).

use cfn_l1::model::Value;

use crate::core::scope::Scope;
use crate::ecs::deployment::BlueGreen;
use crate::elbv2::Listener;
use crate::iam::{ManagedPolicy, PolicyStatement, Principal, Role};

/// What a blue/green service brings to the target group it joins.
#[derive(Clone, Debug)]
pub(crate) struct BlueGreenRouting {
    /// The role ECS assumes to move traffic on the load balancer.
    pub(crate) role_arn: Value<String>,
    /// The listener of test traffic, if any.
    pub(crate) test_listener: Option<Listener>,
}

/// The service's infrastructure role once made, kept with the service.
#[derive(Debug, Default)]
struct InfrastructureRole(Option<Role>);

/// What the service of `scope` brings to a target group it joins. Its infrastructure role
/// is the user's, or one created under the service (once) with the AWS managed policy for
/// load balancers: AWS keeps that policy's actions in step with what ECS does to listeners,
/// rules and target groups, where a hand-written list would break deployments the day ECS
/// needs one more.
pub(super) fn routing(scope: &mut impl Scope, blue_green: &BlueGreen) -> BlueGreenRouting {
    let role = match &blue_green.infrastructure_role {
        Some(role) => role.clone(),
        None => match scope.state::<InfrastructureRole>().0.clone() {
            Some(role) => role,
            None => {
                let role = Role::builder(Principal::service("ecs.amazonaws.com"))
                    .managed_policy(ManagedPolicy::aws_managed(
                        "AmazonECSInfrastructureRolePolicyForLoadBalancers",
                    ))
                    .description("Lets ECS move load balancer traffic in blue/green deployments")
                    .build(scope, "InfrastructureRole");
                scope.state::<InfrastructureRole>().0 = Some(role.clone());
                role
            }
        },
    };
    BlueGreenRouting {
        role_arn: role.arn(),
        test_listener: blue_green.test_listener.clone(),
    }
}

/// The infrastructure role created for the service of `scope`, if any.
pub(super) fn created_role(scope: &mut impl Scope) -> Option<Role> {
    scope.state::<InfrastructureRole>().0.clone()
}

/// The role ECS assumes to invoke the lifecycle hooks: `lambda:InvokeFunction` on their
/// functions and nothing else (the service must wait for its policy).
pub(super) fn hook_role(scope: &mut impl Scope, blue_green: &BlueGreen) -> Option<Role> {
    if blue_green.hooks.is_empty() {
        return None;
    }
    let role = Role::builder(Principal::service("ecs.amazonaws.com"))
        .description("Lets ECS invoke the lifecycle hooks of blue/green deployments")
        .build(scope, "LifecycleHookRole");
    let functions: Vec<Value<String>> = blue_green
        .hooks
        .iter()
        .map(|hook| hook.function_arn.clone())
        .collect();
    role.add_to_policy(
        scope,
        PolicyStatement::allow()
            .actions(["lambda:InvokeFunction"])
            .resources(functions),
    );
    Some(role)
}
