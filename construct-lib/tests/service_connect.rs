//! Service Connect: the cluster's default namespace, servers with named ports, discovery
//! names and aliases, client-only services, proxy logs, volumes shared between an init
//! container and the main one, and every rule ECS applies at deploy.

use construct_lib::assertions::{Match, Template};
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, DependencyCondition, FargateService, FargateSize,
    FargateTaskDefinition, PortMapping, ServiceConnect, ServiceConnectService,
};
use construct_lib::{App, Stack, synthesize};
use serde_json::json;

fn task(stack: &mut Stack, id: &str, port_name: &str) -> FargateTaskDefinition {
    FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27"))
                .port_mapping(PortMapping::tcp(8080).name(port_name)),
        )
        .build(stack, id)
}

#[test]
fn servers_and_clients_join_the_cluster_namespace() {
    let mut app = App::new();
    let stack = app.stack("Platform");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .service_connect_default_namespace("gitana.local")
        .build(stack, "Cluster");
    let api_task = FargateTaskDefinition::builder(FargateSize::Cpu512Mem1024)
        .volume("config")
        .container(
            ContainerDefinition::new(
                "init",
                ContainerImage::from_registry("amazon/aws-cli:2.17.0"),
            )
            .essential(false)
            .mount("config", "/config", false),
        )
        .container(
            ContainerDefinition::new("api", ContainerImage::from_registry("gitana/api:1.0"))
                .port_mapping(PortMapping::tcp(8080).name("http"))
                .depends_on("init", DependencyCondition::Complete)
                .mount("config", "/config", true),
        )
        .build(stack, "ApiTask");
    FargateService::builder(&cluster, &api_task)
        .service_connect(ServiceConnect::server(
            ServiceConnectService::new("http")
                .discovery_name("api")
                .alias("api", 80),
        ))
        .build(stack, "Api");
    let worker_task = task(stack, "WorkerTask", "unused");
    FargateService::builder(&cluster, &worker_task)
        .service_connect(ServiceConnect::client_only())
        .build(stack, "Worker");
    let template = Template::from_app(&app, "Platform");
    let namespace = cluster.namespace().expect("namespace");
    template.has_resource_properties(
        "AWS::ECS::Cluster",
        json!({"ServiceConnectDefaults": {"Namespace": template.value_of(&namespace.arn())}}),
    );
    let log_group = api_task.log_group().expect("task log group");
    template.has_resource_properties(
        "AWS::ECS::Service",
        json!({"ServiceConnectConfiguration": {
            "Enabled": true, "Namespace": template.value_of(&namespace.arn()),
            "Services": [{"PortName": "http", "DiscoveryName": "api", "ClientAliases": [{"DnsName": "api", "Port": 80}]}],
            "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                "awslogs-group": template.value_of(&log_group.name()), "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "service-connect"}}}}),
    );
    template.has_resource_properties(
        "AWS::ECS::Service",
        Match::object_like([(
            "ServiceConnectConfiguration",
            Match::object_like([
                ("Enabled", Match::exact(true)),
                ("Services", Match::absent()),
            ]),
        )]),
    );
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"Volumes": [{"Name": "config"}], "ContainerDefinitions": [
            {"Name": "init", "Essential": false, "MountPoints": [{"SourceVolume": "config", "ContainerPath": "/config", "ReadOnly": false}]},
            {"Name": "api", "DependsOn": [{"ContainerName": "init", "Condition": "COMPLETE"}],
             "MountPoints": [{"SourceVolume": "config", "ContainerPath": "/config", "ReadOnly": true}],
             "PortMappings": [{"ContainerPort": 8080, "Name": "http"}]}]}),
    );
}

#[test]
fn service_connect_rules_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Platform");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let plain = Cluster::builder(&vpc).build(stack, "Plain");
    let cluster = Cluster::builder(&vpc)
        .service_connect_default_namespace("gitana.local")
        .build(stack, "Cluster");
    let http = task(stack, "HttpTask", "http");
    FargateService::builder(&plain, &http)
        .service_connect(ServiceConnect::client_only())
        .build(stack, "NoNamespace");
    FargateService::builder(&cluster, &http)
        .service_connect(
            ServiceConnect::server(ServiceConnectService::new("grpc").discovery_name("-api"))
                .service(ServiceConnectService::new("http").alias("API", 0))
                .service(ServiceConnectService::new("http")),
        )
        .build(stack, "Bad");
    FargateService::builder(&cluster, &http)
        .service_connect(ServiceConnect::server(
            ServiceConnectService::new("http").discovery_name("api"),
        ))
        .build(stack, "First");
    FargateService::builder(&cluster, &http)
        .service_connect(ServiceConnect::server(
            ServiceConnectService::new("http").discovery_name("api"),
        ))
        .build(stack, "Second");
    let text = synthesize(&app).expect_err("invalid").to_string();
    for expected in [
        "error: Platform/NoNamespace: service_connect = no namespace: a namespace: ServiceConnect::namespace, or a cluster with service_connect_default_namespace",
        "error: Platform/Bad: service_connect.service[0].port_name = \"grpc\": the name of a port mapping of the task (named ports: http)",
        "error: Platform/Bad: service_connect.service[0].discovery_name = \"-api\": 1 to 64 lowercase letters, digits, `_` and `-`, not starting with `-`",
        "error: Platform/Bad: service_connect.service[1].alias = \"API\": 1 to 64 lowercase letters",
        "error: Platform/Bad: service_connect.service[1].alias = API:0: a port from 1 to 65535",
        "error: Platform/Bad: service_connect.service[2].port_name = \"http\": a port served once",
        "error: Platform/Second: service_connect = discovery name \"api\" (also used by Platform/First): a discovery name unique in namespace \"gitana.local\"",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
}

#[test]
fn clients_wait_for_the_servers_and_servers_admit_clients_on_the_container_port() {
    let mut app = App::new();
    let stack = app.stack("Platform");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .service_connect_default_namespace("gitana.local")
        .build(stack, "Cluster");
    let worker_task = task(stack, "WorkerTask", "unused");
    // The client first in the code: it still waits for the server added after it.
    let worker = FargateService::builder(&cluster, &worker_task)
        .service_connect(ServiceConnect::client_only())
        .build(stack, "Worker");
    let api_task = task(stack, "ApiTask", "http");
    let api = FargateService::builder(&cluster, &api_task)
        .service_connect(ServiceConnect::server(
            ServiceConnectService::new("http")
                .discovery_name("api")
                .alias("api", 80),
        ))
        .build(stack, "Api");
    api.allow_service_connect_from(stack, &worker);
    let template = Template::from_app(&app, "Platform");
    let api_id = template.logical_id(api.resource());
    template.has_resource(
        "AWS::ECS::Service",
        Match::object_like([(
            "DependsOn",
            Match::array_with([Match::exact(api_id.clone())]),
        )]),
    );
    // The proxy forwards to the container port, 8080, not the alias port 80.
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"FromPort": 8080, "ToPort": 8080, "IpProtocol": "tcp",
               "Description": "Service Connect from Platform/Worker"}),
    );
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 1);
    let text = synthesize(&app)
        .map(|_| String::new())
        .unwrap_or_else(|e| e.to_string());
    assert!(text.is_empty(), "{text}");
    let mut app = App::new();
    let stack = app.stack("Platform");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .service_connect_default_namespace("gitana.local")
        .build(stack, "Cluster");
    let plain_task = task(stack, "PlainTask", "http");
    let plain = FargateService::builder(&cluster, &plain_task).build(stack, "Plain");
    let other = FargateService::builder(&cluster, &plain_task).build(stack, "Other");
    plain.allow_service_connect_from(stack, &other);
    let text = synthesize(&app).expect_err("refused").to_string();
    assert!(
        text.contains("error: Platform/Plain: allow_service_connect_from = from Platform/Other: a service that serves a port through Service Connect (service_connect(ServiceConnect::server(...))); this one serves none"),
        "{text}"
    );
}
