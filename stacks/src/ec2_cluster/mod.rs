//! Scenario 3, ec2-cluster: a production ECS cluster on EC2 instances, what a popular
//! Terraform module gives: a VPC planned as the module plans it, an Auto Scaling group of
//! ECS-optimized instances as the cluster's capacity provider (managed scaling, termination
//! protection, draining), an application service behind a load balancer, a metrics agent
//! on every instance, and an alert on stopped tasks. Everything that differs between
//! environments is in [`config::Ec2ClusterConfig`].
//!
//! Where this differs from the seed module on purpose: Amazon Linux 2023 by default (Amazon
//! Linux 2's standard support ended on 2026-06-30; `"amazon_linux": "2"` still selects it),
//! no managed termination protection (it makes stack deletion hang), and alerts on failed
//! tasks and deployments rather than on every stopped task.

pub mod config;

use construct_lib::autoscaling::AutoScalingGroup;
use construct_lib::ec2::{
    Connectable, EcsOptimizedAmi, LaunchTemplate, MachineImage, Port, SubnetConfiguration,
    SubnetSelection, SubnetType, Vpc,
};
use construct_lib::ecs::{
    AgentConfig, AgentSetting, AsgCapacityProviderSettings, Cluster, ContainerDefinition,
    ContainerImage, Ec2Service, Ec2TaskDefinition, NetworkMode, PlacementConstraint,
    PlacementStrategy, PortMapping,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction, ListenerSettings,
};
use construct_lib::events::{EventPattern, Rule, Target};
use construct_lib::iam::PolicyStatement;
use construct_lib::logs::RetentionDays;
use construct_lib::sns::{Subscription, Topic};
use construct_lib::{App, Duration, Environment, Output, Scope, Stack, Tags};
use serde_json::json;

use config::{AmazonLinux, Ec2ClusterConfig};

use crate::accepted;
use crate::network::FLOW_LOG_RETENTION;

/// The stack's name.
pub const STACK: &str = "Ec2Cluster";

/// The CloudWatch agent's namespace for the instances' metrics.
const METRICS_NAMESPACE: &str = "ECS/ContainerInstances";

/// Adds the cluster's stack to `app`.
pub fn ec2_cluster_stack(app: &mut App, config: &Ec2ClusterConfig) {
    let environment = Environment {
        account: config.account.clone(),
        region: config.region.clone(),
    };
    let stack = app.stack_in(STACK, environment);
    stack.set_description("Scenario 3 (ec2-cluster): an ECS cluster on EC2 instances");
    stack.add_tag("Environment", config.environment.clone());
    build(stack, config);
    Tags::of(stack).add("Environment", config.environment.clone());
}

fn build(stack: &mut Stack, config: &Ec2ClusterConfig) {
    let retention = config.retention().unwrap_or(RetentionDays::OneMonth);
    let vpc = network(stack, config);
    let cluster = Cluster::builder(&vpc)
        .container_insights(config.container_insights)
        .build(stack, "Cluster");
    instances(stack, config, &vpc, &cluster);
    app_service(stack, config, &vpc, &cluster, retention);
    metrics_agent(stack, config, &cluster, retention);
    stopped_task_alerts(stack, config, &cluster);
    accept_risks(stack, config);
}

/// What the stack accepts, with its reasons (see [`accepted`]).
fn accept_risks(stack: &mut Stack, config: &Ec2ClusterConfig) {
    let why = "scenario 3 has no domain or certificate";
    accepted::plain_http_listener(stack, "Http", why);
    if config.internet_facing {
        accepted::http_open_to_internet(stack, "LoadBalancer", why);
    }
    accepted::load_balancer_without_access_logs(stack, "LoadBalancer");
    accepted::notification_topic_without_key(stack, "Alerts");
    accepted::log_groups_under_service_encryption(stack);
    stack.suppress_under(
        "MetricsAgentTask",
        "ECS5",
        "the CloudWatch agent daemon reports the instance's own CPU, memory and disk: it runs \
         in host networking by design, with its own task role",
    );
    if !config.container_insights {
        stack.suppress_under(
            "Cluster",
            "ECS4",
            "Container Insights is off in this environment (config container_insights) to \
             save its metric charges; the instances' own metrics go to CloudWatch",
        );
    }
}

/// Public subnets in the VPC's /24 blocks 0, 1, ..., private ones in blocks 50, 51, ...,
/// as the Terraform module numbers them.
fn network(stack: &mut Stack, config: &Ec2ClusterConfig) -> Vpc {
    Vpc::builder()
        .cidr(config.vpc_cidr.as_str())
        .max_azs(config.zones)
        .nat_gateways(config.nat_gateways)
        .subnet_configuration(vec![
            SubnetConfiguration::public("Public")
                .cidr_mask(24)
                .first_block(0),
            SubnetConfiguration::private_with_egress("Private")
                .cidr_mask(24)
                .first_block(50),
        ])
        .flow_logs(FLOW_LOG_RETENTION)
        .build(stack, "Vpc")
}

/// The Auto Scaling group of ECS-optimized instances in the private subnets, as the
/// cluster's capacity provider; SSH only from the configured block, if any.
fn instances(stack: &mut Stack, config: &Ec2ClusterConfig, vpc: &Vpc, cluster: &Cluster) {
    let settings = &config.instances;
    let image = match (&settings.ami_id, settings.amazon_linux) {
        (Some(id), _) => MachineImage::id(id.as_str()),
        (None, AmazonLinux::AmazonLinux2023) => {
            MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023)
        }
        (None, AmazonLinux::AmazonLinux2) => {
            MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2)
        }
    };
    // The metrics agent runs in host networking and uses its task role (ecs-init turns
    // this on already; written so that a custom AMI does too).
    let user_data = AgentConfig::new(cluster)
        .setting(AgentSetting::TaskIamRoleNetworkHost(true))
        .user_data();
    let mut template = LaunchTemplate::builder(vpc, settings.instance_type.as_str(), image)
        .user_data(user_data)
        .session_manager(true);
    if let Some(key) = &settings.key_name {
        template = template.key_name(key.as_str());
    }
    let template = template.build(stack, "Instances");
    if let Some(cidr) = &settings.ssh_cidr {
        template.connections().allow_from_ipv4(
            stack,
            cidr,
            Port::tcp(22),
            "SSH from the configured block",
        );
    }
    // No managed termination protection (the library's default): with it, deleting the
    // stack waits forever on the protected instances; managed draining moves the tasks of
    // an instance before the group ends it.
    let group = AutoScalingGroup::builder(vpc, &template)
        .min_capacity(settings.min)
        .max_capacity(settings.max)
        .build(stack, "InstanceGroup");
    cluster.add_asg_capacity_provider(
        stack,
        "Capacity",
        &group,
        AsgCapacityProviderSettings::new()
            .target_capacity_percent(settings.target_capacity_percent),
    );
}

/// The application: bridge networking on a dynamic host port, tasks packed by memory onto
/// the configured instance type, behind the load balancer.
fn app_service(
    stack: &mut Stack,
    config: &Ec2ClusterConfig,
    vpc: &Vpc,
    cluster: &Cluster,
    retention: RetentionDays,
) {
    let app = &config.app;
    let task = Ec2TaskDefinition::builder()
        .log_retention(retention)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry(app.image.as_str()))
                .memory_reservation_mib(app.memory_reservation_mib)
                .memory_limit_mib(app.memory_limit_mib)
                .port_mapping(PortMapping::tcp(app.container_port).host_port(0)),
        )
        .build(stack, "AppTask");
    let service = Ec2Service::builder(cluster, &task)
        .desired_count(app.desired_count)
        .health_check_grace_period(Duration::seconds(app.health_check_grace_seconds))
        .propagate_tags_from_service()
        .placement_strategy(PlacementStrategy::spread_across_zones())
        .placement_strategy(PlacementStrategy::binpack_memory())
        .placement_constraint(PlacementConstraint::instance_type_in([config
            .instances
            .instance_type
            .as_str()]))
        .build(stack, "App");
    let subnets = if config.internet_facing {
        SubnetSelection::Type(SubnetType::Public)
    } else {
        SubnetSelection::Type(SubnetType::PrivateWithEgress)
    };
    let lb = ApplicationLoadBalancer::builder(vpc)
        .internet_facing(config.internet_facing)
        .vpc_subnets(subnets)
        .build(stack, "LoadBalancer");
    let target = ApplicationTargetGroup::builder(vpc, app.container_port)
        .health_check_path(app.health_check_path.as_str())
        .build(stack, "AppTarget");
    lb.add_listener(
        stack,
        "Http",
        ListenerSettings::http(80, ListenerAction::forward(&target)),
    );
    target.add_service_target(stack, &service, "app");
    stack.output(
        "Url",
        Output::new(construct_lib::cfn::model::fns::join(
            "",
            vec!["http://".into(), lb.dns_name()],
        ))
        .description("The application's address"),
    );
}

/// The CloudWatch agent on every instance (a daemon service in host networking), sending
/// the instances' CPU, memory and disk use to its own namespace and nothing else.
fn metrics_agent(
    stack: &mut Stack,
    config: &Ec2ClusterConfig,
    cluster: &Cluster,
    retention: RetentionDays,
) {
    let agent_config = json!({
        "agent": {"metrics_collection_interval": 60},
        "metrics": {
            "namespace": METRICS_NAMESPACE,
            "append_dimensions": {"InstanceId": "${aws:InstanceId}"},
            "metrics_collected": {
                "cpu": {"measurement": ["cpu_usage_active"], "totalcpu": true},
                "mem": {"measurement": ["mem_used_percent"]},
                "disk": {"measurement": ["used_percent"], "resources": ["/rootfs"]}
            }
        }
    });
    let task = Ec2TaskDefinition::builder()
        .network_mode(NetworkMode::Host)
        .log_retention(retention)
        .host_volume("proc", "/proc")
        .host_volume("root", "/")
        .container(
            ContainerDefinition::new(
                "cloudwatch-agent",
                ContainerImage::from_registry(config.metrics_agent.image.as_str()),
            )
            .memory_limit_mib(config.metrics_agent.memory_limit_mib)
            .env("CW_CONFIG_CONTENT", agent_config.to_string())
            .mount("proc", "/rootfs/proc", true)
            .mount("root", "/rootfs", true),
        )
        .build(stack, "MetricsAgentTask");
    // PutMetricData takes no resource ARN; the namespace condition keeps the agent to its
    // own metrics.
    task.task_role().add_to_policy(
        stack,
        PolicyStatement::allow()
            .action("cloudwatch:PutMetricData")
            .resource("*")
            .condition("StringEquals", "cloudwatch:namespace", METRICS_NAMESPACE),
    );
    Ec2Service::builder(cluster, &task)
        .daemon()
        .propagate_tags_from_service()
        .build(stack, "MetricsAgent");
}

/// Tasks of this cluster that stop because they failed (an essential container exited, a
/// task could not start), and deployments that failed, notify a topic. Tasks the scheduler
/// stops itself (deployments, scale-in, draining) are not failures and stay quiet.
fn stopped_task_alerts(stack: &mut Stack, config: &Ec2ClusterConfig, cluster: &Cluster) {
    let topic = Topic::builder().build(stack, "Alerts");
    if let Some(email) = &config.alert_email {
        topic.add_subscription(stack, Subscription::email(email.as_str()));
    }
    Rule::builder()
        .description("ECS tasks of the cluster that stopped on a failure")
        .event_pattern(
            EventPattern::new()
                .source(["aws.ecs"])
                .detail_type(["ECS Task State Change"])
                .detail(json!({
                    "lastStatus": ["STOPPED"],
                    "stopCode": ["EssentialContainerExited", "TaskFailedToStart"]
                }))
                .detail_values("clusterArn", [cluster.arn()]),
        )
        .target(Target::sns(&topic))
        .build(stack, "StoppedTasks");
    Rule::builder()
        .description("ECS deployments of the cluster that failed")
        .event_pattern(
            EventPattern::new()
                .source(["aws.ecs"])
                .detail_type(["ECS Deployment State Change"])
                .detail(json!({"eventName": ["SERVICE_DEPLOYMENT_FAILED"]}))
                .resource_prefix(cluster.service_arn_prefix()),
        )
        .target(Target::sns(&topic))
        .build(stack, "FailedDeployments");
    stack.output(
        "AlertsTopic",
        Output::new(topic.arn()).description("Stopped-task alerts"),
    );
}
