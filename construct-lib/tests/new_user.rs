//! What a new user writes: a stack with a load-balanced Fargate service, a bucket grant and
//! CPU scaling (the function below is the whole program's infrastructure, under 40 lines),
//! and the error a wrong port gives.

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
