//! The rules not triggered elsewhere: each one here, with its message.

use construct_lib::applicationautoscaling::{Cooldowns, Metric, ScalingStep};
use construct_lib::ec2::{SecurityGroup, SubnetConfiguration, SubnetSelection, SubnetType, Vpc};
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize,
    FargateTaskDefinition, HealthCheck,
};
use construct_lib::elbv2::{ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::servicediscovery::PrivateDnsNamespace;
use construct_lib::{App, synthesize};

fn assert_all(text: &str, expected: &[&str]) {
    for line in expected {
        assert!(text.contains(line), "expected {line:?} in:\n{text}");
    }
}

fn image() -> ContainerImage {
    ContainerImage::from_registry("nginx")
}

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
                .health_check(HealthCheck::shell("true").timeout(1).start_period(301)),
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
        .health_check_interval(1)
        .deregistration_delay(4000)
        .build(stack, "Target");
    let scaling = service.auto_scale_task_count(stack, 1..=3);
    scaling.scale_on_memory_utilization(stack, "Memory", 0.0, Cooldowns::default());
    let metric = Metric {
        namespace: "N".into(),
        name: "M".into(),
        dimensions: vec![],
        statistic: "Average".into(),
    };
    scaling.scale_on_metric(stack, "Empty", &metric, &[], 60);
    scaling.scale_on_metric(
        stack,
        "Unbounded",
        &metric,
        &[ScalingStep {
            lower: None,
            upper: Some(5.0),
            change: 1,
        }],
        60,
    );
    PrivateDnsNamespace::new(stack, "Namespace", "bad_name.local", &vpc);
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_all(
        &text,
        &[
            "error: Web/Task: containers[app].health_check.timeout = 1: 2 to 60",
            "error: Web/Task: containers[app].health_check.start_period = 301: 0 to 300",
            "error: Web/Task: containers = 2 log routers: at most one FireLens log router per task",
            "error: Web/Service: vpc_subnets = 17 subnets: at most 16 (awsvpc)",
            "error: Web/Service: security_groups = 6 groups: at most 5 (awsvpc)",
            "error: Web/Lb: vpc_subnets = Type(PrivateWithEgress): public subnets for an internet-facing load balancer",
            "error: Web/Target: health_check_interval = 1: 5 to 300",
            "error: Web/Target: deregistration_delay = 4000: 0 to 3600",
            "error: Web/ServiceTaskCount/Memory: memory percent = 0: 1 to 100",
            "error: Web/ServiceTaskCount/Memory: target = 0: a target value above 0",
            "error: Web/ServiceTaskCount/Empty: steps = []: at least one step, each changing the count",
            "error: Web/ServiceTaskCount/Unbounded: steps = ",
            "a lower bound on steps that add tasks and an upper bound on steps that remove them",
            "error: Web/Namespace: name = \"bad_name.local\": a DNS name: dot-separated labels of letters, digits and hyphens (apps.local)",
        ],
    );
}

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
    let listener = lb.add_http_listener(web, "Http", 80, ListenerAction::FixedResponse(404));
    let scaling = service.auto_scale_task_count(web, 1..=2);
    let other = app.stack("Other");
    target.add_service_target(other, &service, "app", &lb, None);
    listener.add_path_rule(other, "Rule", 1, ["/x"], &target);
    scaling.scale_on_schedule(other, "Night", "rate(1 day)", 0..=1);
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_all(
        &text,
        &[
            "error: Web/Service/CloudMapService: cloud_map name = \"Web_Service\": 1 to 63 lower-case letters, digits, hyphens and underscores, not starting with a hyphen",
            "error: Web/NoContainer: container = none: a container for the load balancer to send traffic to (.container(...))",
            "error: Web/Service: load balancer target = app:80 added through stack `Other`: targets added through the stack that owns the service",
            "error: Web/Http: listener rule = Rule added through stack `Other`: rules added through the stack that owns the listener",
            "error: Web/ServiceTaskCount/Night: schedule = \"rate(1 day)\": scheduled through the stack that owns the service",
        ],
    );
}
