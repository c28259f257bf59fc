//! What a new user writes: a stack with a load-balanced Fargate service, a bucket grant and
//! CPU scaling (the function below is the whole program's infrastructure, under 40 lines),
//! and the error a wrong port gives; an EC2-backed cluster with a bridge-mode service behind
//! a load balancer (under 30 lines), and the error a daemon given a desired count gives; the
//! common case made a canary with alarm rollback (a few added lines).

use construct_lib::applicationautoscaling::TargetTracking;
use construct_lib::docdb::DatabaseCluster;
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateSize};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::s3::Bucket;
use construct_lib::secretsmanager::Secret;
use construct_lib::{App, Output, Scope, synthesize};

fn web_app(port: Option<u16>) -> App {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .container_insights(true)
        .build(stack, "Cluster");
    let db_password = Secret::from_name("web/db-password");
    let mut container =
        ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27"))
            .env("APP_ENV", "production")
            .secret("DB_PASSWORD", &db_password);
    if let Some(port) = port {
        container = container.port(port);
    }
    let web = LoadBalancedFargateService::builder(&cluster)
        .size(FargateSize::Cpu512Mem1024)
        .container(container)
        .build(stack, "Web");
    let assets = Bucket::builder().build(stack, "Assets");
    assets.grant_read(stack, web.task_definition().task_role(), None);
    web.service()
        .auto_scale_task_count(stack, 2..=10)
        .scale_on_cpu_utilization(stack, "Cpu", TargetTracking::new(70.0));
    stack.output("Url", Output::new(web.load_balancer().dns_name()));
    app
}

#[test]
fn the_common_case_synthesizes() {
    let assembly = synthesize(&web_app(Some(80))).expect("valid");
    assert!(assembly.stacks[0].resource_count > 40);
    assert_eq!(assembly.warnings, []);
}

#[test]
fn a_container_without_the_port_is_a_clear_error() {
    let errors = synthesize(&web_app(None)).expect_err("no port");
    // One mistake, one error: no second one about the target's missing port.
    assert_eq!(
        errors.to_string(),
        "1 problem(s) found, nothing was written:\n  error: Web/Web: container = \"app\" without a port: a port mapping on the container the load balancer sends traffic to"
    );
}

/// A DocumentDB cluster reachable from one Fargate service, its password handed to the
/// container as a secret (whose JSON also holds `host` and `port`): the whole program's
/// infrastructure in at most 15 lines, as rustfmt writes them (the function's body).
fn database_app() -> App {
    let mut app = App::new();
    let stack = app.stack("Api");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let db = DatabaseCluster::builder(&vpc).build(stack, "Db");
    let image = ContainerImage::from_registry("acme/api:1");
    let container = ContainerDefinition::new("api", image)
        .port(8080)
        .secret_field("DB_PASSWORD", &db.secret(), "password");
    let api = LoadBalancedFargateService::builder(&cluster)
        .container(container)
        .build(stack, "Api");
    db.connections()
        .allow_default_port_from(stack, api.service());
    app
}

#[test]
fn a_database_for_one_service_takes_fifteen_lines() {
    let source = include_str!("new_user.rs");
    let body = source
        .split("fn database_app() -> App {\n")
        .nth(1)
        .and_then(|rest| rest.split("\n}\n").next())
        .expect("the function");
    assert!(
        body.lines().count() <= 15,
        "{} lines:\n{body}",
        body.lines().count()
    );
    let app = database_app();
    let template = construct_lib::assertions::Template::from_app(&app, "Api");
    template.resource_count_is("AWS::DocDB::DBInstance", 1);
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        serde_json::json!({"FromPort": 27017, "ToPort": 27017}),
    );
    assert!(synthesize(&app).is_ok());
}

/// An EC2-backed cluster with a bridge-mode service behind a load balancer: the function
/// below is all of it, under 30 lines; with `agent_count`, a daemon agent too.
fn ec2_app(agent_count: Option<u32>) -> App {
    use construct_lib::ecs::{Ec2Service, Ec2TaskDefinition, PortMapping};
    use construct_lib::elbv2::*;
    let mut app = App::new();
    let stack = app.stack("Shop");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    cluster.add_capacity(stack, "Capacity", "t3.medium", 1..=4);
    let web = ContainerDefinition::new("web", ContainerImage::from_registry("nginx:1.27"))
        .memory_limit_mib(256)
        .port_mapping(PortMapping::tcp(80).host_port(0));
    let task = Ec2TaskDefinition::builder()
        .container(web)
        .build(stack, "Task");
    let service = Ec2Service::builder(&cluster, &task)
        .desired_count(2)
        .build(stack, "Web");
    let lb = ApplicationLoadBalancer::builder(&vpc)
        .internet_facing(true)
        .build(stack, "Lb");
    let target = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "Target");
    let forward = ListenerSettings::http(80, ListenerAction::forward(&target));
    lb.add_listener(stack, "Http", forward);
    target.add_service_target(stack, &service, "web");
    if let Some(count) = agent_count {
        let agent =
            ContainerDefinition::new("agent", ContainerImage::from_registry("datadog/agent:7"))
                .memory_limit_mib(256);
        let agent_task = Ec2TaskDefinition::builder()
            .container(agent)
            .build(stack, "AgentTask");
        Ec2Service::builder(&cluster, &agent_task)
            .daemon()
            .desired_count(count)
            .build(stack, "Agent");
    }
    app
}

#[test]
fn an_ec2_cluster_with_a_bridge_service_behind_a_load_balancer_synthesizes() {
    let app = ec2_app(None);
    let assembly = synthesize(&app).expect("valid");
    let template = &assembly.stacks[0].template_json;
    for resource in [
        "AWS::EC2::LaunchTemplate",
        "AWS::AutoScaling::AutoScalingGroup",
        "AWS::ECS::CapacityProvider",
        "AWS::ECS::ClusterCapacityProviderAssociations",
        "\"TargetType\": \"instance\"",
        "\"FromPort\": 32768",
    ] {
        assert!(template.contains(resource), "{resource} missing");
    }
}

#[test]
fn a_daemon_service_given_a_desired_count_is_a_clear_error() {
    let error = synthesize(&ec2_app(Some(3)))
        .expect_err("invalid")
        .to_string();
    assert_eq!(
        error.lines().skip(1).map(str::trim).collect::<Vec<_>>(),
        [
            "error: Shop/Agent: desired_count = 3 with daemon scheduling: no desired count on a daemon service: it runs one task on each instance that meets its constraints (remove desired_count, or drop daemon() for a replica service)"
        ],
        "{error}"
    );
}

/// The common case above turned into a 25%/10-minute canary that rolls back on alarms:
/// the lines between `// canary:` markers are all that is added (3 statements, 6 lines).
fn canary_app() -> App {
    use construct_lib::Duration;
    use construct_lib::ecs::{BlueGreen, ReleaseAlarms};
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let container =
        ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80);
    let web = LoadBalancedFargateService::builder(&cluster)
        .container(container)
        // canary:
        .deployment(BlueGreen::canary(25.0, Duration::minutes(10)))
        // :canary
        .build(stack, "Web");
    // canary:
    let alarms = ReleaseAlarms::new().target_response_time_ms(800).build(
        stack,
        "Release",
        web.target_group(),
        web.load_balancer(),
    );
    web.service().rollback_on_alarms(stack, &alarms);
    // :canary
    app
}

#[test]
fn a_canary_with_alarm_rollback_is_a_few_added_lines() {
    let source = include_str!("new_user.rs");
    let body = &source[source.find("fn canary_app").expect("the app")..];
    let body = &body[..body.find("\n}\n").expect("its end")];
    let mut added = 0;
    let mut inside = false;
    for line in body.lines().map(str::trim) {
        match line {
            "// canary:" => inside = true,
            "// :canary" => inside = false,
            _ if inside => added += 1,
            _ => {}
        }
    }
    assert!((3..=10).contains(&added), "{added} lines added");
    let app = canary_app();
    synthesize(&app).expect("a valid canary");
    let template = construct_lib::assertions::Template::from_app(&app, "Web");
    let services = template.find_resources(
        "AWS::ECS::Service",
        construct_lib::assertions::Match::any_value(),
    );
    let service = services.values().next().expect("the service");
    let deployment = &service["Properties"]["DeploymentConfiguration"];
    assert_eq!(deployment["Strategy"], "CANARY");
    assert_eq!(
        deployment["Alarms"]["AlarmNames"].as_array().map(Vec::len),
        Some(6)
    );
}
