//! The rules not triggered elsewhere: each one here, with its message.

use construct_lib::applicationautoscaling::{
    Metric, ScalingStep, Schedule, StepScaling, TargetTracking,
};
use construct_lib::ec2::{SecurityGroup, SubnetConfiguration, SubnetSelection, SubnetType, Vpc};
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize,
    FargateTaskDefinition, HealthCheck,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction, ListenerSettings, RoutingRule,
};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::servicediscovery::PrivateDnsNamespace;
use construct_lib::{App, Duration, synthesize};

/// Every problem line, exactly: one mistake gives one line.
fn assert_problems(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    assert_eq!(lines, expected, "{text}");
}

fn image() -> ContainerImage {
    ContainerImage::from_registry("nginx")
}

/// What `task_service_and_load_balancer_limits` reports, one line per mistake.
const LIMIT_PROBLEMS: &[&str] = &[
    "error: Web/Lb: vpc_subnets = the private subnets with egress: public subnets for an internet-facing load balancer",
    "error: Web/Namespace: name = \"bad_name.local\": a DNS name: dot-separated labels of letters, digits and hyphens (apps.local)",
    "error: Web/Service: security_group = 6 security groups: at most 5 security groups (awsvpc)",
    "error: Web/Service: vpc_subnets = 17 subnets: at most 16 subnets (awsvpc)",
    "error: Web/Service/TaskCount/Empty: steps = []: at least one step, each changing the count",
    "error: Web/Service/TaskCount/Memory: target = 0%: 1 to 100%",
    "error: Web/Service/TaskCount/Unbounded: steps = [[-inf, 5) +1]: a lower bound on steps that add tasks and an upper bound on steps that remove them",
    "error: Web/Target: deregistration_delay = 4000 seconds: 0 seconds to 3600 seconds",
    "error: Web/Target: health_check_interval = 1 second: 5 seconds to 300 seconds",
    "error: Web/Task: container = 2 log routers: at most one FireLens log router per task",
    "error: Web/Task: container[app].health_check.start_period = 6 minutes: 0 seconds to 300 seconds",
    "error: Web/Task: container[app].health_check.timeout = 1 second: 2 seconds to 60 seconds",
];

#[test]
fn task_service_and_load_balancer_limits() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let zones: Vec<String> = (0..17).map(|i| format!("zone{i}")).collect();
    let vpc = Vpc::builder()
        .cidr("10.0.0.0/16")
        .availability_zones(zones)
        .subnet_configuration([
            SubnetConfiguration::public("Public").cidr_mask(24),
            SubnetConfiguration::private_with_egress("Private").cidr_mask(24),
        ])
        .nat_gateways(1)
        .build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(
            ContainerDefinition::new("app", image())
                .port(80)
                .health_check(
                    HealthCheck::shell("true")
                        .timeout(Duration::seconds(1))
                        .start_period(Duration::minutes(6)),
                ),
        )
        .container(
            ContainerDefinition::new("r1", image())
                .essential(false)
                .fluent_bit_log_router(),
        )
        .container(
            ContainerDefinition::new("r2", image())
                .essential(false)
                .fluent_bit_log_router(),
        )
        .build(stack, "Task");
    let mut service = FargateService::builder(&cluster, &task);
    for index in 0..6 {
        service = service
            .security_group(&SecurityGroup::builder(&vpc).build(stack, &format!("Sg{index}")));
    }
    let service = service.build(stack, "Service");
    ApplicationLoadBalancer::builder(&vpc)
        .internet_facing(true)
        .vpc_subnets(SubnetSelection::Type(SubnetType::PrivateWithEgress))
        .build(stack, "Lb");
    ApplicationTargetGroup::builder(&vpc, 80)
        .health_check_interval(Duration::seconds(1))
        .deregistration_delay(Duration::seconds(4000))
        .build(stack, "Target");
    let scaling = service.auto_scale_task_count(stack, 1..=3);
    scaling.scale_on_memory_utilization(stack, "Memory", TargetTracking::new(0.0));
    let metric = Metric {
        namespace: "N".into(),
        name: "M".into(),
        dimensions: vec![],
        statistic: "Average".into(),
    };
    scaling.scale_on_metric(stack, "Empty", StepScaling::new(metric.clone(), []));
    let unbounded = ScalingStep {
        lower: None,
        upper: Some(5.0),
        change: 1,
    };
    scaling.scale_on_metric(stack, "Unbounded", StepScaling::new(metric, [unbounded]));
    PrivateDnsNamespace::builder("bad_name.local", &vpc).build(stack, "Namespace");
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_problems(&text, LIMIT_PROBLEMS);
}

/// What `cloud_map_names_patterns_and_changes_through_other_stacks` reports, one line per mistake.
const OTHER_STACK_PROBLEMS: &[&str] = &[
    "error: Web/Http: add_rule = \"Rule\" added through stack `Other`: rules added through the stack that owns the listener",
    "error: Web/NoContainer: container = none: a container for the load balancer to send traffic to (.container(...))",
    "error: Web/Service: add_service_target = app:80 added through stack `Other`: targets added through the stack that owns the service",
    "error: Web/Service: cloud_map = \"Web_Service\": 1 to 63 lower-case letters, digits, hyphens and underscores, not starting with a hyphen",
    "error: Web/Service/TaskCount: scale_on_schedule = \"Night\" added through stack `Other`: scaling added through the stack that owns the service",
];

#[test]
fn cloud_map_names_patterns_and_changes_through_other_stacks() {
    let mut app = App::new();
    let web = app.stack("Web");
    let vpc = Vpc::builder().build(web, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .default_cloud_map_namespace("apps.local")
        .build(web, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(ContainerDefinition::new("app", image()).port(80))
        .build(web, "Task");
    let service = FargateService::builder(&cluster, &task)
        .cloud_map("Web_Service")
        .build(web, "Service");
    LoadBalancedFargateService::builder(&cluster).build(web, "NoContainer");
    let lb = ApplicationLoadBalancer::builder(&vpc).build(web, "Lb");
    let target = ApplicationTargetGroup::builder(&vpc, 80).build(web, "Target");
    let http = ListenerSettings::http(80, ListenerAction::FixedResponse(404));
    let listener = lb.add_listener(web, "Http", http);
    let scaling = service.auto_scale_task_count(web, 1..=2);
    let other = app.stack("Other");
    target.add_service_target(other, &service, "app");
    let rule = RoutingRule::new(1, ListenerAction::forward(&target)).path_patterns(["/x"]);
    listener.add_rule(other, "Rule", rule);
    let nightly = Schedule::Rate(Duration::days(1));
    scaling.scale_on_schedule(other, "Night", nightly, 0..=1);
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_problems(&text, OTHER_STACK_PROBLEMS);
}
