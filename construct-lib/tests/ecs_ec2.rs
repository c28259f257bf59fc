//! ECS on EC2 instances: the launch template, the Auto Scaling group, the capacity provider
//! and its association, bridge/host/awsvpc task definitions, replica and daemon services,
//! instance targets behind an ALB; and every rule ECS, EC2 and Auto Scaling apply to them.

use construct_lib::assertions::{Match, Template};
use construct_lib::autoscaling::{AutoScalingGroup, HealthCheck, LifecycleHook, UpdatePolicy};
use construct_lib::ec2::{
    Connectable, EcsOptimizedAmi, LaunchTemplate, MachineImage, SubnetSelection, SubnetType, Vpc,
};
use construct_lib::ecs::{
    AgentConfig, AgentSetting, AsgCapacityProvider, AsgCapacityProviderSettings, CapacityProvider,
    CapacityProviderStrategy, Cluster, ContainerDefinition, ContainerImage, Ec2Service,
    Ec2TaskDefinition, FargateService, FargateSize, FargateTaskDefinition, NetworkMode,
    PlacementConstraint, PlacementStrategy, PortMapping, Rolling, ServiceConnect,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction, ListenerSettings,
};
use construct_lib::{App, Duration, Stack, synthesize};
use serde_json::json;

/// A VPC, a cluster, and instances joining it as a capacity provider.
struct Fleet {
    vpc: Vpc,
    cluster: Cluster,
    template: LaunchTemplate,
    group: AutoScalingGroup,
    provider: AsgCapacityProvider,
}

fn fleet(stack: &mut Stack) -> Fleet {
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let template = LaunchTemplate::builder(
        &vpc,
        "m7i.large",
        MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023),
    )
    .user_data(
        AgentConfig::new(&cluster)
            .setting(AgentSetting::SpotInstanceDraining(true))
            .user_data(),
    )
    .build(stack, "LaunchTemplate");
    let group = AutoScalingGroup::builder(&vpc, &template)
        .min_capacity(1)
        .max_capacity(4)
        .build(stack, "Group");
    let provider = cluster.add_asg_capacity_provider(
        stack,
        "Capacity",
        &group,
        AsgCapacityProviderSettings::new().target_capacity_percent(90),
    );
    Fleet {
        vpc,
        cluster,
        template,
        group,
        provider,
    }
}

fn tomcat(host_port: u16) -> ContainerDefinition {
    ContainerDefinition::new("web", ContainerImage::from_registry("tomcat:10"))
        .memory_reservation_mib(512)
        .memory_limit_mib(1024)
        .port_mapping(PortMapping::tcp(8080).host_port(host_port))
}

/// A bridge-mode service with `host_port` behind an internet-facing ALB.
fn bridge_service(host_port: u16) -> (Template, Fleet, ApplicationLoadBalancer) {
    let mut app = App::new();
    let stack = app.stack("Web");
    let fleet = fleet(stack);
    let task = Ec2TaskDefinition::builder()
        .container(tomcat(host_port))
        .build(stack, "Task");
    let service = Ec2Service::builder(&fleet.cluster, &task)
        .desired_count(2)
        .placement_strategy(PlacementStrategy::binpack_memory())
        .placement_constraint(PlacementConstraint::instance_type_in(["m7i.large"]))
        .build(stack, "Service");
    let lb = ApplicationLoadBalancer::builder(&fleet.vpc)
        .internet_facing(true)
        .build(stack, "Lb");
    let target = ApplicationTargetGroup::builder(&fleet.vpc, 8080).build(stack, "Target");
    lb.add_listener(
        stack,
        "Http",
        ListenerSettings::http(80, ListenerAction::forward(&target)),
    );
    target.add_service_target(stack, &service, "web");
    (Template::from_app(&app, "Web"), fleet, lb)
}

#[test]
fn the_launch_template_boots_the_ecs_ami_from_ssm_with_imdsv2_and_an_encrypted_root() {
    let (template, fleet, _) = bridge_service(0);
    let json = template.to_json();
    let parameters = json["Parameters"].as_object().expect("parameters");
    let (image_parameter, spec) = parameters
        .iter()
        .find(|(_, p)| p["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
        .expect("an SSM image parameter");
    assert_eq!(
        spec["Default"],
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
    );
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        json!({"LaunchTemplateData": {
            "ImageId": {"Ref": image_parameter},
            "InstanceType": "m7i.large",
            "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 1},
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                "Encrypted": true, "DeleteOnTermination": true, "VolumeSize": 30, "VolumeType": "gp3"}}],
            "SecurityGroupIds": [template.value_of(&fleet.template.security_groups()[0].group_id())],
            "IamInstanceProfile": {"Arn": Match::any_value()},
        }}),
    );
    template.has_resource_properties(
        "AWS::IAM::InstanceProfile",
        json!({"Roles": [template.value_of(&fleet.template.role().name())]}),
    );
}

#[test]
fn the_user_data_joins_this_cluster() {
    let (template, fleet, _) = bridge_service(0);
    let json = template.to_json();
    let data = json["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .find(|r| r["Type"] == "AWS::EC2::LaunchTemplate")
        .map(|r| r["Properties"]["LaunchTemplateData"]["UserData"].clone())
        .expect("user data");
    let text = data.to_string();
    assert!(text.contains("Fn::Base64"), "{text}");
    assert!(text.contains("ECS_CLUSTER="), "{text}");
    assert!(
        text.contains(&template.value_of(&fleet.cluster.name()).to_string()),
        "{text}"
    );
    assert!(
        text.contains("ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"),
        "{text}"
    );
    assert!(text.contains("ECS_AWSVPC_BLOCK_IMDS=true"), "{text}");
    assert!(
        text.contains("ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true"),
        "task logs are written with the execution role: {text}"
    );
}

#[test]
fn the_instance_role_may_register_with_this_cluster_only() {
    let (template, fleet, _) = bridge_service(0);
    let cluster_arn = template.value_of(&fleet.cluster.arn());
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({
            "Roles": [template.value_of(&fleet.template.role().name())],
            "PolicyDocument": {"Statement": Match::array_with([
                Match::object_like([
                    ("Action", Match::exact(json!(["ecs:DeregisterContainerInstance", "ecs:RegisterContainerInstance", "ecs:Submit*"]))),
                    ("Resource", Match::exact(cluster_arn.clone())),
                ]),
                Match::object_like([
                    ("Action", Match::exact(json!(["ecs:Poll", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState"]))),
                    ("Condition", Match::exact(json!({"ArnEquals": {"ecs:cluster": cluster_arn}}))),
                ]),
                Match::object_like([
                    ("Action", Match::exact(json!(["ecs:DiscoverPollEndpoint", "ecr:GetAuthorizationToken"]))),
                    ("Resource", Match::exact(json!("*"))),
                ]),
            ])},
        }),
    );
    // No `logs:` action: the agent configuration has task logs written with the execution
    // role, so the instance role holds no write on `*` (rule IAM2).
    assert!(
        template.findings().iter().all(|f| f.rule != "IAM2"),
        "{:?}",
        template.findings()
    );
}

#[test]
fn the_group_launches_instances_in_private_subnets() {
    let (template, fleet, _) = bridge_service(0);
    let private: Vec<_> = fleet
        .vpc
        .select_subnets(&SubnetSelection::Default)
        .expect("private subnets")
        .iter()
        .map(|s| template.value_of(&s.subnet_id()))
        .collect();
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        json!({
            "MinSize": "1", "MaxSize": "4",
            "NewInstancesProtectedFromScaleIn": false,
            "HealthCheckType": "EC2",
            "VPCZoneIdentifier": private,
            "LaunchTemplate": {
                "LaunchTemplateId": template.value_of(&fleet.template.launch_template_id()),
                "Version": template.value_of(&fleet.template.latest_version()),
            },
        }),
    );
    template.has_resource(
        "AWS::AutoScaling::AutoScalingGroup",
        json!({"UpdatePolicy": Match::absent()}),
    );
}

#[test]
fn the_capacity_provider_scales_and_drains_and_is_the_clusters_default() {
    let (template, fleet, _) = bridge_service(0);
    let provider = template.value_of(&fleet.provider.name());
    template.has_resource_properties(
        "AWS::ECS::CapacityProvider",
        json!({"AutoScalingGroupProvider": {
            "AutoScalingGroupArn": template.value_of(&fleet.group.name()),
            "ManagedScaling": {"Status": "ENABLED", "TargetCapacity": 90,
                "MinimumScalingStepSize": 1, "MaximumScalingStepSize": 10000, "InstanceWarmupPeriod": 300},
            "ManagedTerminationProtection": "DISABLED",
            "ManagedDraining": "ENABLED",
        }}),
    );
    template.has_resource_properties(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        json!({
            "Cluster": template.value_of(&fleet.cluster.name()),
            "CapacityProviders": ["FARGATE", "FARGATE_SPOT", provider.clone()],
            "DefaultCapacityProviderStrategy": [{"CapacityProvider": provider, "Weight": 1, "Base": 0}],
        }),
    );
    // The association replaces the cluster's own list: both would overwrite each other.
    template.has_resource_properties(
        "AWS::ECS::Cluster",
        json!({"CapacityProviders": Match::absent()}),
    );
}

#[test]
fn a_bridge_service_runs_on_the_provider_after_the_association_without_network_configuration() {
    let (template, fleet, _) = bridge_service(0);
    let association = template.logical_id_like("ClusterCapacityProviders*");
    template.has_resource(
        "AWS::ECS::Service",
        json!({
            "Properties": {
                "DesiredCount": 2,
                "CapacityProviderStrategy": [{"CapacityProvider": template.value_of(&fleet.provider.name()), "Weight": 1, "Base": 0}],
                "LaunchType": Match::absent(),
                "NetworkConfiguration": Match::absent(),
                "PlatformVersion": Match::absent(),
                "PlacementStrategies": [{"Type": "binpack", "Field": "MEMORY"}],
                "PlacementConstraints": [{"Type": "memberOf", "Expression": "attribute:ecs.instance-type in [m7i.large]"}],
                "LoadBalancers": [{"ContainerName": "web", "ContainerPort": 8080, "TargetGroupArn": Match::any_value()}],
            },
            "DependsOn": Match::array_with([Match::exact(association)]),
        }),
    );
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({
            "NetworkMode": "bridge",
            "RequiresCompatibilities": ["EC2"],
            "Cpu": Match::absent(),
            "Memory": Match::absent(),
            "ContainerDefinitions": [Match::object_like([
                ("Memory", Match::exact(1024)),
                ("MemoryReservation", Match::exact(512)),
                ("PortMappings", Match::exact(json!([{"ContainerPort": 8080, "HostPort": 0, "Protocol": "tcp"}]))),
            ])],
        }),
    );
}

#[test]
fn instance_targets_are_checked_on_the_traffic_port_and_reach_dynamic_ports() {
    let (template, fleet, lb) = bridge_service(0);
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        json!({"TargetType": "instance", "Port": 8080, "HealthCheckPort": "traffic-port"}),
    );
    let instances = &fleet.template.security_groups()[0];
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({
            "GroupId": template.value_of(&instances.group_id()),
            "SourceSecurityGroupId": template.value_of(&lb.connections().security_groups()[0].group_id()),
            "IpProtocol": "tcp", "FromPort": 32768, "ToPort": 65535,
        }),
    );
}

#[test]
fn a_static_host_port_is_the_only_port_opened_to_the_load_balancer() {
    let (template, fleet, _) = bridge_service(8081);
    let instances = template.value_of(&fleet.template.security_groups()[0].group_id());
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"GroupId": instances, "IpProtocol": "tcp", "FromPort": 8081, "ToPort": 8081}),
    );
    let wide = template.find_resources(
        "AWS::EC2::SecurityGroupIngress",
        json!({"Properties": {"FromPort": 32768}}),
    );
    assert!(wide.is_empty(), "no dynamic range for a static host port");
}

#[test]
fn a_daemon_service_has_no_count_and_runs_on_the_ec2_launch_type() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let fleet = fleet(stack);
    let agent = Ec2TaskDefinition::builder()
        .network_mode(NetworkMode::Host)
        .container(
            ContainerDefinition::new(
                "agent",
                ContainerImage::from_registry("amazon/cloudwatch-agent:1.300"),
            )
            .memory_limit_mib(256),
        )
        .build(stack, "AgentTask");
    Ec2Service::builder(&fleet.cluster, &agent)
        .daemon()
        .build(stack, "Agent");
    let template = Template::from_app(&app, "Web");
    template.has_resource_properties(
        "AWS::ECS::Service",
        json!({"SchedulingStrategy": "DAEMON", "DesiredCount": Match::absent(),
               "LaunchType": "EC2", "CapacityProviderStrategy": Match::absent()}),
    );
    template.has_resource_properties("AWS::ECS::TaskDefinition", json!({"NetworkMode": "host"}));
}

#[test]
fn an_awsvpc_task_on_ec2_gets_its_own_group_and_no_public_ip_setting() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let fleet = fleet(stack);
    let task = Ec2TaskDefinition::builder()
        .network_mode(NetworkMode::AwsVpc)
        .memory_mib(512)
        .container(
            ContainerDefinition::new("api", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .build(stack, "Task");
    let service = Ec2Service::builder(&fleet.cluster, &task).build(stack, "Api");
    let template = Template::from_app(&app, "Web");
    let own = service.connections().security_groups()[0].group_id();
    template.has_resource_properties(
        "AWS::ECS::Service",
        json!({"NetworkConfiguration": {"AwsvpcConfiguration": {
            "SecurityGroups": [template.value_of(&own)],
            "Subnets": Match::any_value(),
            "AssignPublicIp": Match::absent(),
        }}}),
    );
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"NetworkMode": "awsvpc", "Memory": "512", "RequiresCompatibilities": ["EC2"]}),
    );
}

fn errors(build: impl FnOnce(&mut Stack)) -> String {
    let mut app = App::new();
    build(app.stack("Web"));
    synthesize(&app).expect_err("invalid").to_string()
}

/// Every problem line, exactly: one mistake gives one line. Problems are reported in
/// sorted order; `expected` is written in the order the test makes the mistakes.
fn assert_problems(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(lines, expected, "{text}");
}

fn small(name: &str) -> ContainerDefinition {
    ContainerDefinition::new(name, ContainerImage::from_registry("nginx:1.27"))
        .memory_limit_mib(128)
}

#[test]
fn a_daemon_service_refuses_what_ecs_refuses() {
    let text = errors(|stack| {
        let fleet = fleet(stack);
        let task = Ec2TaskDefinition::builder()
            .container(small("agent"))
            .build(stack, "AgentTask");
        let agent = Ec2Service::builder(&fleet.cluster, &task)
            .daemon()
            .desired_count(3)
            .deployment(Rolling::new().max_healthy_percent(200))
            .placement_strategy(PlacementStrategy::spread_across_instances())
            .capacity_provider(CapacityProviderStrategy::new(&fleet.provider))
            .build(stack, "Agent");
        agent.auto_scale_task_count(stack, 1..=3);
    });
    assert_problems(
        &text,
        &[
            "error: Web/Agent: desired_count = 3 with daemon scheduling: no desired count on a daemon service: it runs one task on each instance that meets its constraints (remove desired_count, or drop daemon() for a replica service)",
            "error: Web/Agent: placement_strategy = spread \"instanceId\" with daemon scheduling: no placement strategy on a daemon service (constraints only)",
            "error: Web/Agent: capacity_provider = Web/Cluster/Capacity with daemon scheduling: no capacity provider strategy on a daemon service: it runs on every instance of the cluster (the EC2 launch type)",
            "error: Web/Agent: max_healthy_percent = 200% with daemon scheduling: 100% on a daemon service (one task per instance: a deployment stops the old task before it starts the new)",
            "error: Web/Agent: auto_scale_task_count = 1 to 3 tasks: a replica service: a daemon service runs one task on each instance, and scales with the instances",
        ],
    );
}

#[test]
fn task_definitions_follow_their_network_mode() {
    let text = errors(|stack| {
        Ec2TaskDefinition::builder()
            .network_mode(NetworkMode::Host)
            .container(small("a").port(8080))
            .container(small("b").port_mapping(PortMapping::tcp(8080)))
            .container(small("c").port_mapping(PortMapping::tcp(9000).host_port(9001)))
            .container(small("d").port(22))
            .build(stack, "Host");
        Ec2TaskDefinition::builder()
            .network_mode(NetworkMode::AwsVpc)
            .container(small("a").link("b", None))
            .container(small("b"))
            .build(stack, "AwsVpc");
        Ec2TaskDefinition::builder()
            .container(
                small("a")
                    .port_mapping(PortMapping::tcp(80).host_port(8081))
                    .link("missing", Some("db")),
            )
            .container(small("b").port_mapping(PortMapping::tcp(81).host_port(8081)))
            .container(small("c").port_mapping(PortMapping::tcp(82).host_port(0)))
            .container(small("d").port_mapping(PortMapping::tcp(83).host_port(0)))
            .build(stack, "Bridge");
        Ec2TaskDefinition::builder()
            .network_mode(NetworkMode::None)
            .container(small("a").port(80))
            .build(stack, "Isolated");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Host: container[b].port_mapping = host port 8080/tcp (also published by \"a\"): each host port published once per task in host networking",
            "error: Web/Host: container[c].port_mapping = host port 9001 for container port 9000: no host port, or the container port (9000), in host networking; map ports in bridge networking",
            "error: Web/Host: container[d].port_mapping = host port 22: a host port the ECS agent does not reserve (22, 2375, 2376, 51678, 51679, 51680 are reserved on every instance)",
            "error: Web/AwsVpc: container[a].link = \"b\": links in bridge networking only; in awsvpc networking containers of a task reach each other on localhost",
            "error: Web/Bridge: container[b].port_mapping = host port 8081/tcp (also published by \"a\"): each host port published once per task in bridge networking",
            "error: Web/Bridge: container[a].link = \"missing\": another container of the task (b, c, d)",
            "error: Web/Isolated: container[a].port_mapping = 1 port mappings: no port mappings in network mode none (no external networking); choose bridge, host or awsvpc",
        ],
    );
}

#[test]
fn ec2_tasks_need_memory_somewhere_and_memberof_constraints_only() {
    let text = errors(|stack| {
        Ec2TaskDefinition::builder()
            .cpu(64)
            .container(ContainerDefinition::new(
                "a",
                ContainerImage::from_registry("nginx"),
            ))
            .container(small("b").memory_limit_mib(4).memory_reservation_mib(2))
            .placement_constraint(PlacementConstraint::distinct_instance())
            .placement_constraint(PlacementConstraint::member_of(" "))
            .build(stack, "Task");
        Ec2TaskDefinition::builder()
            .memory_mib(256)
            .container(small("a").memory_limit_mib(200))
            .container(small("b").memory_limit_mib(200))
            .build(stack, "Sized");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Task: cpu = 64 units: 128 to 196608 units",
            "error: Web/Task: container[a].memory = none: a memory limit or reservation on each container (memory_limit_mib, memory_reservation_mib) of an EC2 task without a task memory size (memory_mib): ECS places the task by it",
            "error: Web/Task: container[b].memory_limit_mib = 4 MiB: at least 6 MiB",
            "error: Web/Task: container[b].memory_reservation_mib = 2 MiB: at least 6 MiB",
            "error: Web/Task: placement_constraint = an empty memberOf expression: a cluster query language expression (attribute:ecs.instance-type == m7i.large)",
            "error: Web/Task: placement_constraint = distinctInstance: memberOf constraints only on a task definition (distinctInstance is a service constraint: Ec2ServiceBuilder::placement_constraint)",
            "error: Web/Sized: container memory = 400 MiB in all: at most the task's 256 MiB (no task CPU units / 256 MiB)",
        ],
    );
}

#[test]
fn services_get_providers_of_their_launch_type_and_cluster() {
    let text = errors(|stack| {
        let fleet = fleet(stack);
        let other = Cluster::builder(&fleet.vpc).build(stack, "Other");
        let ec2_task = Ec2TaskDefinition::builder()
            .container(small("a"))
            .build(stack, "Ec2Task");
        let fargate_task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(small("a"))
            .build(stack, "FargateTask");
        Ec2Service::builder(&fleet.cluster, &ec2_task)
            .capacity_provider(CapacityProviderStrategy::new(CapacityProvider::FargateSpot))
            .build(stack, "SpotOnEc2");
        FargateService::builder(&fleet.cluster, &fargate_task)
            .capacity_provider(CapacityProviderStrategy::new(&fleet.provider))
            .build(stack, "AsgOnFargate");
        Ec2Service::builder(&other, &ec2_task)
            .capacity_provider(CapacityProviderStrategy::new(&fleet.provider))
            .build(stack, "OtherCluster");
        Ec2Service::builder(&fleet.cluster, &ec2_task)
            .capacity_provider(CapacityProviderStrategy::new(&fleet.provider).weight(2000))
            .capacity_provider(CapacityProviderStrategy::new(&fleet.provider))
            .build(stack, "Twice");
    });
    assert_problems(
        &text,
        &[
            "error: Web/SpotOnEc2: capacity_provider = FARGATE_SPOT: an Auto Scaling group provider for an EC2 task definition; FARGATE and FARGATE_SPOT run Fargate task definitions (FargateService)",
            "error: Web/AsgOnFargate: capacity_provider = Web/Cluster/Capacity: FARGATE or FARGATE_SPOT for a Fargate task definition; Auto Scaling group providers run EC2 task definitions (Ec2Service)",
            "error: Web/OtherCluster: capacity_provider = Web/Cluster/Capacity: a capacity provider added to this service's cluster (Cluster::add_asg_capacity_provider)",
            "error: Web/Twice: capacity_provider = 2000: 0 to 1000",
            "error: Web/Twice: capacity_provider = Web/Cluster/Capacity twice: each provider once in a strategy",
            "warning: Web/OtherCluster: cluster = a cluster without EC2 capacity: instances for the tasks: add them before the service (Cluster::add_capacity or Cluster::add_asg_capacity_provider); otherwise the tasks run only on instances that joined the cluster some other way",
        ],
    );
}

#[test]
fn bridge_services_have_no_subnets_groups_or_cloud_map_and_host_ones_no_service_connect() {
    let text = errors(|stack| {
        let fleet = fleet(stack);
        let bridge = Ec2TaskDefinition::builder()
            .container(small("a"))
            .build(stack, "Bridge");
        let group = construct_lib::ec2::SecurityGroup::builder(&fleet.vpc).build(stack, "Extra");
        Ec2Service::builder(&fleet.cluster, &bridge)
            .vpc_subnets(SubnetSelection::Type(SubnetType::Public))
            .security_group(&group)
            .cloud_map("web")
            .build(stack, "Web");
        let host = Ec2TaskDefinition::builder()
            .network_mode(NetworkMode::Host)
            .container(small("a"))
            .build(stack, "Host");
        Ec2Service::builder(&fleet.cluster, &host)
            .service_connect(ServiceConnect::client_only())
            .build(stack, "Client");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Web: vpc_subnets = the public subnets: no subnets in bridge networking: tasks use the instance's network; choose awsvpc networking on the task definition to place tasks in subnets",
            "error: Web/Web: security_group = 1 security groups: no security groups of its own in bridge networking: tasks use the instances' groups (service.connections() opens them); choose awsvpc networking for groups per task",
            "error: Web/Web: cloud_map = \"web\": a task definition in awsvpc networking: the A records this registration writes need a task address, and bridge networking has none (SRV records are not supported yet)",
            "error: Web/Client: service_connect = in host networking: a task definition in bridge or awsvpc networking: Service Connect does not support host networking",
            "error: Web/Client: service_connect = no namespace: a namespace: ServiceConnect::namespace, or a cluster with service_connect_default_namespace",
        ],
    );
}

#[test]
fn a_capacity_provider_needs_protected_instances_that_join_its_cluster() {
    let text = errors(|stack| {
        let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        let other = Cluster::builder(&vpc).build(stack, "Other");
        let image = MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023);
        let silent =
            LaunchTemplate::builder(&vpc, "m7i.large", image.clone()).build(stack, "Silent");
        let elsewhere = LaunchTemplate::builder(&vpc, "m7i.large", image)
            .user_data(AgentConfig::new(&other).user_data())
            .build(stack, "Elsewhere");
        let unprotected = AutoScalingGroup::builder(&vpc, &silent).build(stack, "Unprotected");
        let protected = AutoScalingGroup::builder(&vpc, &elsewhere)
            .new_instances_protected_from_scale_in(true)
            .build(stack, "Protected");
        cluster.add_asg_capacity_provider(
            stack,
            "A",
            &unprotected,
            AsgCapacityProviderSettings::new().managed_termination_protection(true),
        );
        let settings = AsgCapacityProviderSettings::new()
            .managed_termination_protection(true)
            .managed_scaling(false)
            .target_capacity_percent(0)
            .minimum_scaling_step_size(20)
            .maximum_scaling_step_size(10)
            .instance_warmup_period(Duration::hours(3));
        cluster.add_asg_capacity_provider(stack, "B", &protected, settings);
    });
    assert_problems(
        &text,
        &[
            "error: Web/Cluster/A: managed_termination_protection = on for Web/Unprotected, whose new instances are not protected from scale-in: new_instances_protected_from_scale_in(true) on the Auto Scaling group, or managed_termination_protection(false)",
            "error: Web/Cluster/A: add_asg_capacity_provider = Web/Silent without user data that joins a cluster: a launch template whose user data joins this cluster: user_data(AgentConfig::new(&cluster).user_data())",
            "error: Web/Cluster/B: target_capacity_percent = 0%: 1 to 100%",
            "error: Web/Cluster/B: minimum_scaling_step_size = 20 above the maximum step 10: a minimum step not above the maximum step",
            "error: Web/Cluster/B: instance_warmup_period = 3 hours: at most 10000 seconds",
            "error: Web/Cluster/B: managed_termination_protection = on without managed scaling: managed scaling on (ECS protects instances from scale-in only while it scales the group), or managed_termination_protection(false)",
            "error: Web/Cluster/B: add_asg_capacity_provider = Web/Elsewhere joins another cluster: a launch template whose user data joins this cluster: user_data(AgentConfig::new(&cluster).user_data())",
        ],
    );
}

#[test]
fn launch_templates_and_groups_refuse_impossible_settings() {
    let text = errors(|stack| {
        let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
        let role = construct_lib::iam::Role::builder(construct_lib::iam::Principal::service(
            "ec2.amazonaws.com",
        ))
        .build(stack, "Role");
        LaunchTemplate::builder(&vpc, "m7i.large", MachineImage::id("ami-0123456789abcdef0"))
            .role(&role)
            .session_manager(true)
            .build(stack, "OwnRole");
        let arm_image = MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023Arm64);
        LaunchTemplate::builder(&vpc, "m7i.large", arm_image).build(stack, "WrongArch");
        let template = LaunchTemplate::builder(&vpc, "large", MachineImage::id("ami-12"))
            .http_put_response_hop_limit(0)
            .root_volume_gib(0)
            .build(stack, "Broken");
        LaunchTemplate::builder(
            &vpc,
            "t4g.small",
            MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2),
        )
        .root_volume_gib(20)
        .build(stack, "Small");
        AutoScalingGroup::builder(&vpc, &template)
            .min_capacity(3)
            .max_capacity(2)
            .desired_capacity(5)
            .update_policy(UpdatePolicy::Rolling {
                max_batch_size: 0,
                min_instances_in_service: 2,
                pause: Duration::hours(2),
            })
            .health_check(HealthCheck::Elb {
                grace: Duration::minutes(5),
            })
            .lifecycle_hook(
                LifecycleHook::on_termination("drain me").heartbeat(Duration::seconds(10)),
            )
            .build(stack, "Group");
    });
    assert_problems(
        &text,
        &[
            "error: Web/WrongArch: machine_image = \"/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id\": an image for the architecture of \"m7i.large\" (x86-64): choose the x86-64 variant",
            "error: Web/Broken: machine_image = \"ami-12\": an AMI id: ami- and 8 or 17 hexadecimal digits",
            "error: Web/Broken: http_put_response_hop_limit = 0: 1 to 64",
            "error: Web/Broken: root_volume_gib = 0 GiB: 1 to 16384 GiB",
            "error: Web/Broken: instance_type = \"large\": an instance type: family.size (m7i.large, t4g.medium)",
            "error: Web/Small: root_volume_gib = 20 GiB: at least 30 GiB, the size of the image's snapshot (\"/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id\")",
            "error: Web/Small: machine_image = \"/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id\": an image for the architecture of \"t4g.small\" (64-bit ARM): choose the Arm64 variant",
            "error: Web/Group: min_capacity = 3 above the maximum 2: a minimum not above the maximum",
            "error: Web/Group: desired_capacity = 5: 3 to 2 (the minimum and maximum)",
            "error: Web/Group: update_policy max_batch_size = 0: at least 1",
            "error: Web/Group: update_policy min_instances_in_service = 2: fewer than the maximum capacity (2): a rolling update needs room to replace an instance",
            "error: Web/Group: update_policy pause = 2 hours: at most 1 hour",
            "error: Web/Group: lifecycle_hook[drain me].heartbeat = 10 seconds: 30 seconds to 2 hours",
            "error: Web/Group: lifecycle_hook = \"drain me\": 1 to 255 letters, digits and - _ / .",
            "error: Web/OwnRole: session_manager = with a role of your own: the launch template's own role (attach AmazonSSMManagedInstanceCore to your role where it is defined)",
        ],
    );
}

#[test]
fn one_target_group_takes_ip_or_instance_targets_not_both() {
    let text = errors(|stack| {
        let fleet = fleet(stack);
        let bridge = Ec2TaskDefinition::builder()
            .container(small("a").port(80))
            .build(stack, "Bridge");
        let fargate = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new("a", ContainerImage::from_registry("nginx")).port(80),
            )
            .build(stack, "FargateTask");
        let on_ec2 = Ec2Service::builder(&fleet.cluster, &bridge).build(stack, "OnEc2");
        let on_fargate =
            FargateService::builder(&fleet.cluster, &fargate).build(stack, "OnFargate");
        let target = ApplicationTargetGroup::builder(&fleet.vpc, 80).build(stack, "Target");
        let lb = ApplicationLoadBalancer::builder(&fleet.vpc).build(stack, "Lb");
        lb.add_listener(
            stack,
            "Http",
            ListenerSettings::http(80, ListenerAction::forward(&target)),
        );
        target.add_service_target(stack, &on_ec2, "a");
        target.add_service_target(stack, &on_fargate, "a");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Target: add_service_target = Web/OnFargate (ip targets, awsvpc networking): services whose tasks register as the group's instance targets: one group per target type",
        ],
    );
}

#[test]
fn add_capacity_builds_the_parts_with_the_image_of_the_instance_architecture() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let provider = cluster.add_capacity(stack, "Graviton", "m7g.large", 2..=5);
    let template = Template::from_app(&app, "Web");
    let parameters = template.to_json()["Parameters"].clone();
    assert!(
        parameters
            .as_object()
            .expect("parameters")
            .values()
            .any(|p| p["Default"]
                == "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"),
        "{parameters}"
    );
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        json!({"MinSize": "2", "MaxSize": "5", "NewInstancesProtectedFromScaleIn": false}),
    );
    template.has_resource_properties(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        json!({"DefaultCapacityProviderStrategy": [{"CapacityProvider": template.value_of(&provider.name()), "Weight": 1, "Base": 0}]}),
    );
    assert_eq!(provider.path(), "Web/Cluster/Graviton");
}

#[test]
fn protected_instances_without_termination_protection_never_scale_in_and_stack_names_matter() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let image = MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023);
    let template = LaunchTemplate::builder(&vpc, "m7i.large", image)
        .user_data(AgentConfig::new(&cluster).user_data())
        .build(stack, "LaunchTemplate");
    let group = AutoScalingGroup::builder(&vpc, &template)
        .new_instances_protected_from_scale_in(true)
        .build(stack, "Group");
    cluster.add_asg_capacity_provider(
        stack,
        "Capacity",
        &group,
        AsgCapacityProviderSettings::new(),
    );
    let warnings: Vec<String> = synthesize(&app)
        .expect("warnings only")
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: Web/Cluster/Capacity: managed_termination_protection = off for Web/Group, whose new instances are protected from scale-in: managed termination protection on, or new_instances_protected_from_scale_in(false): only ECS lifts the protection, and only with managed termination protection, so the group never scales in"
        ]
    );
    let mut app = App::new();
    let stack = app.stack("ecs-prod");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    cluster.add_capacity(stack, "Capacity", "m7i.large", 1..=2);
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_problems(
        &text,
        &[
            "error: ecs-prod/Cluster/Capacity: add_asg_capacity_provider = in stack \"ecs-prod\": a stack whose name does not begin with \"ecs\": CloudFormation names the provider after the stack, and ECS refuses provider names beginning with aws, ecs or fargate",
        ],
    );
}

#[test]
fn user_data_that_joins_the_cluster_by_hand_says_so() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let user_data = construct_lib::ec2::UserData::for_linux()
        .append_to_file(
            "/etc/ecs/ecs.config",
            construct_lib::cfn::model::fns::join(
                "",
                vec![
                    construct_lib::cfn::model::Value::from("ECS_CLUSTER="),
                    cluster.name(),
                ],
            ),
        )
        .joins_ecs_cluster(cluster.name());
    let image = MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023);
    let template = LaunchTemplate::builder(&vpc, "m7i.large", image)
        .user_data(user_data)
        .build(stack, "LaunchTemplate");
    let group = AutoScalingGroup::builder(&vpc, &template).build(stack, "Group");
    cluster.add_asg_capacity_provider(
        stack,
        "Capacity",
        &group,
        AsgCapacityProviderSettings::new(),
    );
    let assembly = synthesize(&app).expect("valid");
    assert!(assembly.warnings.is_empty(), "{:?}", assembly.warnings);
}

#[test]
fn capacity_is_added_through_the_stack_that_owns_the_cluster() {
    let mut app = App::new();
    let cluster = {
        let stack = app.stack("Cluster");
        let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
        Cluster::builder(&vpc).build(stack, "Cluster")
    };
    let fleet = app.stack("Fleet");
    let provider = cluster.add_capacity(fleet, "Capacity", "m7i.large", 1..=2);
    assert!(
        provider.resource().is_none(),
        "refused: no provider resource"
    );
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert!(
        text.contains("error: Cluster/Cluster: add_asg_capacity_provider = \"Fleet/Capacity/Group\" added through stack `Fleet`: capacity providers added through the stack that owns the cluster"),
        "{text}"
    );
}
