//! What a role needs to release a service through its stack: a new image or task
//! definition is a stack update that registers a revision and updates the service, which
//! CloudFormation does with the caller's permissions (no service role).

use cfn_l1::model::fns;

use super::Service;
use crate::core::scope::Scope;
use crate::ecs::launch::LaunchType;
use crate::iam::{PolicyStatement, Role};

impl<L: LaunchType> Service<L> {
    /// Lets `role` release this service by updating its stack through change sets (a new
    /// image tag parameter, say) and follow the release as `deploy` does, and nothing else:
    /// CloudFormation's change set actions on the service's stack only; registering task
    /// definitions (ECS takes no resource for that) and deregistering and tagging the
    /// revisions of its family; passing the task's two roles to ECS tasks (and a blue/green
    /// service's infrastructure role to ECS), and reading them as ECS's task definition
    /// handler does; updating, tagging and describing this service and following (or
    /// stopping, as the service handler does on a rollback) its service deployments; a
    /// CodeDeploy service is described, not updated, since CloudFormation does not update it
    /// on a release (its task definition is named by family). Pushing the image is the repository's grant
    /// (`Repository::grant_pull_push`); a CodeDeploy release is the deployment group's
    /// (`EcsDeploymentGroup::grant_create_deployment`).
    pub fn grant_release(&self, scope: &mut impl Scope, role: &Role) {
        for statement in self.release_statements(scope) {
            role.add_to_policy(scope, statement);
        }
    }

    fn release_statements(&self, scope: &mut impl Scope) -> Vec<PolicyStatement> {
        let task = &self.task;
        let family = task.family().unwrap_or("*");
        let revisions = fns::sub(format!(
            "arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{family}:*"
        ));
        let deployments = fns::sub_with(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service-deployment/${Cluster}/${Service}/*",
            [("Cluster", self.cluster.name()), ("Service", self.name())],
        );
        let (service_sid, service_actions) = self.service_release_actions();
        let mut statements = vec![
            PolicyStatement::allow()
                .sid("RegisterTaskDefinitions")
                .actions(["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"])
                .resource("*"),
            PolicyStatement::allow()
                .sid("TaskDefinitionRevisions")
                .actions(["ecs:DeregisterTaskDefinition", "ecs:TagResource"])
                .resource(revisions),
            PolicyStatement::allow()
                .sid("PassTaskRoles")
                .action("iam:PassRole")
                .resources([task.execution_role().arn(), task.task_role().arn()])
                .condition(
                    "StringEquals",
                    "iam:PassedToService",
                    "ecs-tasks.amazonaws.com",
                ),
            PolicyStatement::allow()
                .sid("ReadTaskRoles")
                .action("iam:GetRole")
                .resources([task.execution_role().arn(), task.task_role().arn()]),
            PolicyStatement::allow()
                .sid(service_sid)
                .actions(service_actions)
                .resource(self.arn()),
            self.stack_statement(),
        ];
        // ECS's service deployments are the ECS and CODE_DEPLOY controllers' (an EXTERNAL
        // service's deployments are its task sets: `BlueGreenHook::grant_deploy`).
        if self.deployment_label != "EXTERNAL" {
            statements.insert(
                5,
                PolicyStatement::allow()
                    .sid("FollowServiceDeployments")
                    .actions([
                        "ecs:DescribeServiceDeployments",
                        "ecs:StopServiceDeployment",
                    ])
                    .resource(deployments),
            );
        }
        // CloudFormation sends the service's whole definition to ECS on an update, the load
        // balancers' infrastructure role with it.
        if let Some(infrastructure) = self.infrastructure_role(scope) {
            statements.push(
                PolicyStatement::allow()
                    .sid("PassTheInfrastructureRole")
                    .action("iam:PassRole")
                    .resource(infrastructure.arn())
                    .condition("StringEquals", "iam:PassedToService", "ecs.amazonaws.com"),
            );
        }
        statements
    }

    /// CloudFormation's change set actions on the service's stack, and what a release that
    /// goes wrong needs (cancelling the update, as CloudFormation advises for the CodeDeploy
    /// hook's deployments, and continuing a stuck rollback).
    fn stack_statement(&self) -> PolicyStatement {
        PolicyStatement::allow()
            .sid("UpdateTheServiceStack")
            .actions([
                "cloudformation:CancelUpdateStack",
                "cloudformation:ContinueUpdateRollback",
                "cloudformation:CreateChangeSet",
                "cloudformation:DeleteChangeSet",
                "cloudformation:DescribeChangeSet",
                "cloudformation:DescribeStackEvents",
                "cloudformation:DescribeStackResource",
                "cloudformation:DescribeStackResources",
                "cloudformation:DescribeStacks",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:GetTemplate",
            ])
            .resource(fns::sub(format!(
                "arn:${{AWS::Partition}}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{}/*",
                self.stack_name
            )))
    }

    /// What a release does to the service itself. The service handler of CloudFormation
    /// (its schema's update permissions) reads and rewrites the service's tags and stops a
    /// service deployment it rolls back; a CodeDeploy service is only followed.
    fn service_release_actions(&self) -> (&'static str, Vec<&'static str>) {
        // Neither controller lets the stack update touch the service in a release: a
        // CODE_DEPLOY service names its task definition by family, and the hook refuses
        // updates of other resources beside the task definition's.
        match self.deployment_label {
            "CODE_DEPLOY" => {
                return (
                    "FollowTheService",
                    vec!["ecs:DescribeServices", "ecs:ListServiceDeployments"],
                );
            }
            "EXTERNAL" => return ("FollowTheService", vec!["ecs:DescribeServices"]),
            _ => {}
        }
        (
            "UpdateAndFollowTheService",
            vec![
                "ecs:DescribeServices",
                "ecs:ListServiceDeployments",
                "ecs:ListTagsForResource",
                "ecs:TagResource",
                "ecs:UntagResource",
                "ecs:UpdateService",
            ],
        )
    }
}
