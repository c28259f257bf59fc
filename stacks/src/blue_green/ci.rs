//! The release role: what a GitHub Actions workflow of the configured repository and
//! environment may do, and nothing more: push images to the service's repository, register
//! the service's task definitions (passing its two roles to ECS tasks only), update this
//! stack through change sets, follow the service, and, for CodeDeploy releases, create
//! deployments of its deployment group.
//!
//! CloudFormation runs the change set with the caller's permissions (no service role), so
//! the role holds what a release changes: the task definition and the service. A change
//! beyond a release (a new resource, a new policy) is refused, and is deployed by an
//! administrator.

use construct_lib::cfn::model::{Value, fns};
use construct_lib::codedeploy::EcsDeploymentGroup;
use construct_lib::ecr::Repository;
use construct_lib::iam::{GithubActionsRole, GithubOidcProvider, PolicyStatement, Role};
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
    for statement in statements(config, web, repository) {
        role.add_to_policy(stack, statement);
    }
    // CloudFormation sends the service's whole definition to ECS on an update, the
    // load balancers' infrastructure role with it.
    if let Some(infrastructure) = web.service().infrastructure_role(stack) {
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .sid("PassTheInfrastructureRole")
                .action("iam:PassRole")
                .resource(infrastructure.arn())
                .condition("StringEquals", "iam:PassedToService", "ecs.amazonaws.com"),
        );
    }
    if let Some(group) = deployment_group {
        role.add_to_policy(stack, code_deploy(group));
    }
    stack.output(
        "ReleaseRoleArn",
        Output::new(role.arn()).description("The role the release workflow assumes"),
    );
    role
}

/// What every release does.
fn statements(
    config: &BlueGreenConfig,
    web: &LoadBalancedFargateService,
    repository: &Repository,
) -> Vec<PolicyStatement> {
    let task = web.task_definition();
    let task_definitions = fns::sub(format!(
        "arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{}:*",
        config.family
    ));
    vec![
        PolicyStatement::allow()
            .sid("PushImages")
            .actions([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:CompleteLayerUpload",
                "ecr:DescribeImages",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ])
            .resource(repository.arn()),
        // These actions take no resource ARN.
        PolicyStatement::allow()
            .sid("RegistryLoginAndTaskDefinitions")
            .actions([
                "ecr:GetAuthorizationToken",
                "ecs:DescribeTaskDefinition",
                "ecs:RegisterTaskDefinition",
            ])
            .resource("*"),
        PolicyStatement::allow()
            .sid("TaskDefinitionRevisions")
            .actions(["ecs:DeregisterTaskDefinition", "ecs:TagResource"])
            .resource(task_definitions),
        PolicyStatement::allow()
            .sid("PassTaskRoles")
            .action("iam:PassRole")
            .resources([task.execution_role().arn(), task.task_role().arn()])
            .condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com"),
        PolicyStatement::allow()
            .sid("FollowAndUpdateTheService")
            .actions(["ecs:DescribeServices", "ecs:UpdateService"])
            .resource(web.service().arn()),
        PolicyStatement::allow()
            .sid("UpdateThisStack")
            .actions([
                "cloudformation:CreateChangeSet",
                "cloudformation:DeleteChangeSet",
                "cloudformation:DescribeChangeSet",
                "cloudformation:DescribeStackEvents",
                "cloudformation:DescribeStackResources",
                "cloudformation:DescribeStacks",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:GetTemplate",
            ])
            .resource(fns::sub(
                "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*",
            )),
    ]
}

/// Creating and following deployments of the service's deployment group.
fn code_deploy(group: &EcsDeploymentGroup) -> PolicyStatement {
    let arn = |kind: &str, name: Value<String>| {
        fns::join(
            "",
            vec![
                fns::sub(format!(
                    "arn:${{AWS::Partition}}:codedeploy:${{AWS::Region}}:${{AWS::AccountId}}:{kind}:"
                )),
                name,
            ],
        )
    };
    let application = group.application().name();
    let group_arn = fns::join(
        "",
        vec![
            arn("deploymentgroup", application.clone()),
            "/".into(),
            group.name(),
        ],
    );
    PolicyStatement::allow()
        .sid("CodeDeployReleases")
        .actions([
            "codedeploy:CreateDeployment",
            "codedeploy:GetApplication",
            "codedeploy:GetApplicationRevision",
            "codedeploy:GetDeployment",
            "codedeploy:GetDeploymentConfig",
            "codedeploy:GetDeploymentGroup",
            "codedeploy:RegisterApplicationRevision",
        ])
        .resources([
            arn("application", application),
            group_arn,
            fns::sub(
                "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:*",
            ),
        ])
}
