//! The release role: what a GitHub Actions workflow of the configured repository and
//! environment may do, and nothing more: push images to the service's repository, release
//! the service through this stack (`Service::grant_release`: change sets of this stack, the
//! service's task definitions and roles, the service and its deployments), and, for
//! CodeDeploy releases, create deployments of its deployment group.
//!
//! CloudFormation runs the change set with the caller's permissions (no service role), so
//! the role holds what a release changes: the task definition and the service. A change
//! beyond a release (a new resource, a new policy) is refused, and is deployed by an
//! administrator.

use construct_lib::codedeploy::{BlueGreenHook, EcsDeploymentGroup};
use construct_lib::ecr::Repository;
use construct_lib::iam::{GithubActionsRole, GithubOidcProvider, Role};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::{Duration, Stack};

use super::config::BlueGreenConfig;

/// What runs a release beside the stack update.
pub enum Releases<'a> {
    /// The stack update alone (ECS moves the traffic).
    Stack,
    /// A CodeDeploy deployment of this group, created by the workflow.
    DeploymentGroup(&'a EcsDeploymentGroup),
    /// CloudFormation's CodeDeploy hook, in the stack update.
    Hook(&'a BlueGreenHook),
}

/// The release role (construct `ReleaseRole`).
pub fn release_role(
    stack: &mut Stack,
    config: &BlueGreenConfig,
    web: &LoadBalancedFargateService,
    repository: &Repository,
    releases: Releases<'_>,
) -> Role {
    let provider = if config.ci.create_oidc_provider {
        GithubOidcProvider::create(stack, "GithubOidc")
    } else {
        GithubOidcProvider::of_account()
    };
    let role = GithubActionsRole::builder(&provider, config.ci.repository.as_str())
        .environment(config.ci.environment.as_str())
        .description("Releases the blue/green service: image pushes and ImageTag updates")
        // A canary with its bake time and a rollback outlast the default hour.
        .max_session_duration(Duration::hours(2))
        .build(stack, "ReleaseRole");
    web.service().grant_release(stack, &role);
    repository.grant_pull_push(stack, &role);
    match releases {
        Releases::Stack => {}
        Releases::DeploymentGroup(group) => group.grant_create_deployment(stack, &role),
        Releases::Hook(hook) => hook.grant_deploy(stack, &role),
    }
    role
}
