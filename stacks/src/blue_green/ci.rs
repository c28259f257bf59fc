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

use construct_lib::codedeploy::EcsDeploymentGroup;
use construct_lib::ecr::Repository;
use construct_lib::iam::{GithubActionsRole, GithubOidcProvider, Role};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::{Duration, Output, Scope, Stack};

use super::config::BlueGreenConfig;

/// The release role (construct `ReleaseRole`), with its ARN as the output `ReleaseRoleArn`.
pub fn release_role(
    stack: &mut Stack,
    config: &BlueGreenConfig,
    web: &LoadBalancedFargateService,
    repository: &Repository,
    deployment_group: Option<&EcsDeploymentGroup>,
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
    if let Some(group) = deployment_group {
        group.grant_create_deployment(stack, &role);
    }
    stack.output(
        "ReleaseRoleArn",
        Output::new(role.arn()).description("The role the release workflow assumes"),
    );
    role
}
