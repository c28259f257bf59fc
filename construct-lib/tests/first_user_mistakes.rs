//! Mistakes a first-time user made trying the library from its documentation: each is now
//! a synthesis problem with the construct path, the call, the value and what to do.

use construct_lib::applicationautoscaling::TargetTracking;
use construct_lib::ec2::{SubnetConfiguration, Vpc};
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize,
    FargateTaskDefinition,
};
use construct_lib::iam::{Principal, Role};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::s3::Bucket;
use construct_lib::secretsmanager::Secret;
use construct_lib::ssm::StringParameter;
use construct_lib::{App, Stack, synthesize};

fn problems(build: impl FnOnce(&mut Stack)) -> Vec<String> {
    let mut app = App::new();
    build(app.stack("Web"));
    match synthesize(&app) {
        Ok(assembly) => assembly.warnings.iter().map(ToString::to_string).collect(),
        Err(errors) => errors.problems.iter().map(ToString::to_string).collect(),
    }
}

fn nginx() -> ContainerImage {
    ContainerImage::from_registry("nginx:1.27")
}

#[test]
fn secrets_and_parameters_by_the_wrong_kind_of_reference_are_reported_where_used() {
    let found = problems(|stack| {
        let arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf";
        FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new("app", nginx())
                    .secret("DB", &Secret::from_name(arn))
                    .ssm_secret(
                        "KEY",
                        &StringParameter::from_name(
                            "arn:aws:ssm:eu-west-1:123456789012:parameter/web/key",
                        ),
                    ),
            )
            .build(stack, "Task");
        let role =
            Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "Role");
        Secret::from_arn("web/db-password").grant_read(stack, &role);
        // Right: a name, and a full ARN.
        Secret::from_name("web/db-password").grant_read(stack, &role);
        Secret::from_arn(arn).grant_read(stack, &role);
    });
    assert_eq!(
        found,
        [
            "error: Web: Secret::from_arn = \"web/db-password\": a Secrets Manager ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX); for a name, use Secret::from_name",
            "error: Web/Task: Secret::from_name = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf\": a secret name: 1 to 512 letters, digits and /_+=.@- (for an ARN, use Secret::from_arn)",
            "error: Web/Task: StringParameter::from_name = \"arn:aws:ssm:eu-west-1:123456789012:parameter/web/key\": a parameter name: letters, digits and _.-/ (/web/api-key), not an ARN",
        ]
    );
}

#[test]
fn a_second_main_container_is_reported_not_dropped() {
    let found = problems(|stack| {
        let vpc = Vpc::builder().build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        LoadBalancedFargateService::builder(&cluster)
            .container(ContainerDefinition::new("init", nginx()).essential(false))
            .container(ContainerDefinition::new("app", nginx()).port(80))
            .build(stack, "Web");
    });
    assert_eq!(
        found,
        [
            "error: Web/Web: container = \"init\", \"app\": one container behind the load balancer; add the others with sidecar(...)"
        ]
    );
}

#[test]
fn scaling_is_made_once_per_service_and_its_policies_chain() {
    let found = problems(|stack| {
        let vpc = Vpc::builder().build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(ContainerDefinition::new("app", nginx()))
            .build(stack, "Task");
        let service = FargateService::builder(&cluster, &task).build(stack, "Service");
        service
            .auto_scale_task_count(stack, 1..=4)
            .scale_on_cpu_utilization(stack, "Cpu", TargetTracking::new(60.0))
            .scale_on_memory_utilization(stack, "Memory", TargetTracking::new(70.0));
        service.auto_scale_task_count(stack, 1..=4);
    });
    assert_eq!(
        found,
        [
            "error: Web/Service: auto_scale_task_count = called again: once per service: keep the ScalableTaskCount it returns and add every policy to it"
        ]
    );
}

#[test]
fn tasks_in_isolated_subnets_get_a_warning() {
    let found = problems(|stack| {
        let vpc = Vpc::builder()
            .subnet_configuration([SubnetConfiguration::isolated("Data")])
            .build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(ContainerDefinition::new("app", nginx()))
            .build(stack, "Task");
        FargateService::builder(&cluster, &task).build(stack, "Service");
    });
    assert_eq!(
        found,
        [
            "warning: Web/Service: vpc_subnets = the default subnets: subnets with a way out: tasks in isolated subnets reach no image registry, CloudWatch Logs or Secrets Manager unless the VPC has interface endpoints for them; choose private subnets with egress unless it does"
        ]
    );
}

#[test]
fn a_grant_prefix_is_a_prefix_not_a_pattern() {
    let found = problems(|stack| {
        let role =
            Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "Role");
        Bucket::builder()
            .build(stack, "Assets")
            .grant_read(stack, &role, Some("assets/*"));
    });
    assert_eq!(
        found,
        [
            "error: Web: grant prefix = \"assets/*\": a key prefix without wildcards (`uploads/`): the grant adds the `*` itself"
        ]
    );
}
