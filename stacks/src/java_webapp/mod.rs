//! Scenario 4, java-webapp: a classic Java application on an EC2-backed cluster: its image
//! repository (scanned on push, the last images kept), instances as the cluster's capacity,
//! a bridge-mode task publishing the JVM's port on a fixed instance port with soft and hard
//! memory limits, a rolling-update service behind a load balancer, and instances that admit
//! the app port from the load balancer only and SSH from one block only. Everything that
//! differs between environments is in [`config::JavaWebappConfig`].
//!
//! The repository has a stack of its own (`JavaWebappRepository`): the service's tasks pull
//! the configured tag from it, so the image must be pushed between the two deploys (a
//! service created beside an empty repository fails its first deployment).

pub mod config;

use construct_lib::autoscaling::AutoScalingGroup;
use construct_lib::ec2::{Connectable, EcsOptimizedAmi, LaunchTemplate, MachineImage, Port, Vpc};
use construct_lib::ecr::{LifecycleRule, Repository};
use construct_lib::ecs::{
    AgentConfig, AsgCapacityProviderSettings, Cluster, ContainerDefinition, ContainerImage,
    Ec2Service, Ec2TaskDefinition, PortMapping, Rolling,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction, ListenerSettings,
};
use construct_lib::logs::RetentionDays;
use construct_lib::{App, Duration, Environment, Output, Scope, Stack, Tags};

use config::JavaWebappConfig;

use crate::accepted;
use crate::network::FLOW_LOG_RETENTION;

/// The stacks' names, in deploy order: the image repository, then the app.
pub const STACKS: [&str; 2] = ["JavaWebappRepository", "JavaWebapp"];

/// Adds the app's two stacks to `app`.
pub fn java_webapp_stacks(app: &mut App, config: &JavaWebappConfig) {
    let environment = Environment {
        account: config.account.clone(),
        region: config.region.clone(),
    };
    let images = app.stack_in(STACKS[0], environment.clone());
    images.set_description("Scenario 4 (java-webapp): the app's image repository");
    images.add_tag("Environment", config.environment.clone());
    let repository = Repository::builder()
        .scan_on_push(true)
        .lifecycle_rule(LifecycleRule::keep_last_images(config.keep_images))
        .build(images, "Repository");
    images.output(
        "RepositoryUri",
        Output::new(repository.uri()).description("Push the app's images here"),
    );
    Tags::of(images).add("Environment", config.environment.clone());

    let stack = app.stack_in(STACKS[1], environment);
    stack.set_description("Scenario 4 (java-webapp): a Java app on an EC2-backed cluster");
    stack.add_tag("Environment", config.environment.clone());
    build(stack, config, &repository);
    Tags::of(stack).add("Environment", config.environment.clone());
}

fn build(stack: &mut Stack, config: &JavaWebappConfig, repository: &Repository) {
    let vpc = Vpc::builder()
        .cidr(config.vpc_cidr.as_str())
        .max_azs(config.zones)
        .nat_gateways(config.nat_gateways)
        .flow_logs(FLOW_LOG_RETENTION)
        .build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .container_insights(true)
        .build(stack, "Cluster");
    instances(stack, config, &vpc, &cluster);
    let retention = config.retention().unwrap_or(RetentionDays::OneMonth);
    let service = service(stack, config, &cluster, repository, retention);
    load_balancer(stack, config, &vpc, &service);
    let why = "scenario 4 has no domain or certificate";
    accepted::plain_http_listener(stack, "Http", why);
    accepted::http_open_to_internet(stack, "LoadBalancer", why);
    accepted::load_balancer_without_access_logs(stack, "LoadBalancer");
    accepted::log_groups_under_service_encryption(stack);
}

/// ECS-optimized Amazon Linux 2023 instances joining the cluster, its capacity provider;
/// SSH from the configured block only.
fn instances(stack: &mut Stack, config: &JavaWebappConfig, vpc: &Vpc, cluster: &Cluster) {
    let settings = &config.instances;
    let mut template = LaunchTemplate::builder(
        vpc,
        settings.instance_type.as_str(),
        MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023),
    )
    .user_data(AgentConfig::new(cluster).user_data())
    .session_manager(true);
    if let Some(key) = &settings.key_name {
        template = template.key_name(key.as_str());
    }
    let template = template.build(stack, "Instances");
    template.connections().allow_from_ipv4(
        stack,
        settings.ssh_cidr.as_str(),
        Port::tcp(22),
        "SSH from the configured block",
    );
    let group = AutoScalingGroup::builder(vpc, &template)
        .min_capacity(settings.min)
        .max_capacity(settings.max)
        .build(stack, "InstanceGroup");
    cluster.add_asg_capacity_provider(
        stack,
        "Capacity",
        &group,
        AsgCapacityProviderSettings::new(),
    );
}

/// The JVM in bridge networking: container port published on the fixed host port, soft and
/// hard memory limits (the heap follows the hard limit), rolling updates.
fn service(
    stack: &mut Stack,
    config: &JavaWebappConfig,
    cluster: &Cluster,
    repository: &Repository,
    retention: RetentionDays,
) -> Ec2Service {
    let app = &config.app;
    let task = Ec2TaskDefinition::builder()
        .log_retention(retention)
        .container(
            ContainerDefinition::new(
                "app",
                ContainerImage::from_ecr_repository(repository, app.image_tag.as_str()),
            )
            .memory_reservation_mib(app.memory_reservation_mib)
            .memory_limit_mib(app.memory_limit_mib)
            .port_mapping(PortMapping::tcp(app.container_port).host_port(app.host_port))
            // The JVM sizes its heap from the container's hard limit.
            .env("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75.0"),
        )
        .build(stack, "Task");
    Ec2Service::builder(cluster, &task)
        .desired_count(app.desired_count)
        .deployment(
            Rolling::new()
                .min_healthy_percent(app.min_healthy_percent)
                .max_healthy_percent(app.max_healthy_percent),
        )
        .health_check_grace_period(Duration::seconds(app.health_check_grace_seconds))
        .propagate_tags_from_service()
        .build(stack, "Service")
}

/// An internet-facing load balancer forwarding to the app; the instances admit the host
/// port from it only.
fn load_balancer(stack: &mut Stack, config: &JavaWebappConfig, vpc: &Vpc, service: &Ec2Service) {
    let lb = ApplicationLoadBalancer::builder(vpc)
        .internet_facing(true)
        .build(stack, "LoadBalancer");
    let target = ApplicationTargetGroup::builder(vpc, config.app.container_port)
        .health_check_path(config.app.health_check_path.as_str())
        .build(stack, "Target");
    lb.add_listener(
        stack,
        "Http",
        ListenerSettings::http(80, ListenerAction::forward(&target)),
    );
    target.add_service_target(stack, service, "app");
    stack.output(
        "Url",
        Output::new(construct_lib::cfn::model::fns::join(
            "",
            vec!["http://".into(), lb.dns_name()],
        ))
        .description("The application's address"),
    );
}
