//! Scenario 5, blue-green: a Fargate web service behind a load balancer, released as a
//! canary (25% of the traffic for 10 minutes, then all of it) that rolls back by itself when
//! an alarm on the targets' 5xx responses or response time fires, in either of the two ways
//! teams do it, chosen by [`config::ReleaseStrategy`]:
//! - ECS native: deployment strategy `CANARY`; the alternate target group, the weighted
//!   production and test rules and the infrastructure role come with it; the alarms are the
//!   service's rollback alarms;
//! - CodeDeploy: the service's deployment controller is `CODE_DEPLOY`; a deployment group
//!   with a custom canary configuration moves traffic between the blue and green target
//!   groups behind the production and test listeners, and rolls back on the alarms;
//! - CodeDeploy run by CloudFormation: the service's controller is `EXTERNAL`, its tasks
//!   run in a task set, and the `AWS::CodeDeployBlueGreen` hook makes a stack update of the
//!   image tag a CodeDeploy canary; such a stack may have no outputs and no imports, so it
//!   names the repository (same account and region) instead of importing it.
//!
//! The image tag is the stack parameter `ImageTag`: with ECS native releases,
//! `deploy BlueGreen --parameters ImageTag=v2` is a release. A GitHub Actions workflow of
//! the configured repository and environment assumes the release role ([`ci`]): it may push
//! to the repository and update this stack, and nothing else.
//!
//! The repository has a stack of its own (`BlueGreenRepository`), so that the first image
//! is pushed before the service exists.

pub mod ci;
pub mod config;

use construct_lib::cfn::model::fns;
use construct_lib::codedeploy::EcsDeploymentConfig;
use construct_lib::ec2::Vpc;
use construct_lib::ecr::{LifecycleRule, Repository};
use construct_lib::ecs::{
    BlueGreen, Cluster, ContainerDefinition, ContainerImage, Deployment, FargateSize, HealthCheck,
    PortMapping, ReleaseAlarms,
};
use construct_lib::logs::RetentionDays;
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::sns::{Subscription, Topic};
use construct_lib::{
    App, Duration, Environment, Output, Parameter, ParameterRef, Scope, Stack, Tags,
};

use config::{BlueGreenConfig, ReleaseStrategy};

use crate::accepted;
use crate::network::FLOW_LOG_RETENTION;

/// The stacks' names, in deploy order: the image repository, then the service.
pub const STACKS: [&str; 2] = ["BlueGreenRepository", "BlueGreen"];

/// An app of the scenario's two stacks only, for `config` (to build the other release
/// strategy than an environment's config names).
pub fn blue_green_app(config: &BlueGreenConfig) -> App {
    let mut app = App::new();
    blue_green_stacks(&mut app, config);
    app
}

/// Adds the scenario's two stacks to `app`.
pub fn blue_green_stacks(app: &mut App, config: &BlueGreenConfig) {
    let environment = Environment {
        account: config.account.clone(),
        region: config.region.clone(),
    };
    let images = app.stack_in(STACKS[0], environment.clone());
    images.set_description("Scenario 5 (blue-green): the service's image repository");
    let hook = config.release.strategy == ReleaseStrategy::CodeDeployHookCanary;
    let mut repository = Repository::builder();
    if hook {
        // Named, so that the service's stack can name it without an import.
        repository = repository.repository_name(config.family.as_str());
    }
    let repository = repository
        .scan_on_push(true)
        // A tag names one image for good: a release by tag is then exactly reproducible.
        .immutable_tags(true)
        .lifecycle_rule(LifecycleRule::keep_last_images(config.keep_images))
        .build(images, "Repository");
    images.output(
        "RepositoryUri",
        Output::new(repository.uri()).description("Push the service's images here"),
    );
    Tags::of(images).add("Environment", config.environment.clone());
    let images_id = images.id();

    let stack = app.stack_in(STACKS[1], environment);
    stack.set_description(match config.release.strategy {
        ReleaseStrategy::EcsCanary => {
            "Scenario 5 (blue-green): a Fargate service released as an ECS canary"
        }
        ReleaseStrategy::CodeDeployCanary => {
            "Scenario 5 (blue-green): a Fargate service released as a CodeDeploy canary"
        }
        ReleaseStrategy::CodeDeployHookCanary => {
            "Scenario 5 (blue-green): a Fargate service released as a CodeDeploy canary by CloudFormation"
        }
    });
    if hook {
        stack.add_dependency(images_id);
        let named = Repository::from_name(config.family.as_str());
        build(stack, config, &named);
    } else {
        build(stack, config, &repository);
    }
    Tags::of(stack).add("Environment", config.environment.clone());
}

fn build(stack: &mut Stack, config: &BlueGreenConfig, repository: &Repository) {
    let vpc = Vpc::builder()
        .cidr(config.vpc_cidr.as_str())
        .max_azs(config.zones)
        .nat_gateways(config.nat_gateways)
        .flow_logs(FLOW_LOG_RETENTION)
        .build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .container_insights(true)
        .build(stack, "Cluster");
    accept_risks(stack);
    let tag = image_tag(stack, config);
    let web = web_service(stack, config, &cluster, repository, &tag);
    let alarms = release_alarms(stack, config, &web);
    let release = &config.release;
    let deployment_group = match config.release.strategy {
        ReleaseStrategy::EcsCanary => {
            web.service().rollback_on_alarms(stack, &alarms);
            None
        }
        ReleaseStrategy::CodeDeployHookCanary => {
            let hook = web
                .blue_green_hook()
                .traffic(EcsDeploymentConfig::canary(
                    release.canary_percent,
                    Duration::minutes(release.canary_minutes),
                ))
                .termination_wait(Duration::minutes(release.bake_minutes))
                .build(stack, "Releases");
            // No outputs beside the hook: the workflow names the role from its secrets.
            ci::release_role(stack, config, &web, repository, ci::Releases::Hook(&hook));
            return;
        }
        ReleaseStrategy::CodeDeployCanary => {
            let group = web
                .deployment_group()
                .deployment_config(EcsDeploymentConfig::canary(
                    release.canary_percent,
                    Duration::minutes(release.canary_minutes),
                ))
                .termination_wait(Duration::minutes(release.bake_minutes))
                .alarms(&alarms)
                .build(stack, "Releases");
            code_deploy_outputs(stack, &web, &group);
            Some(group)
        }
    };
    let releases = match &deployment_group {
        Some(group) => ci::Releases::DeploymentGroup(group),
        None => ci::Releases::Stack,
    };
    let role = ci::release_role(stack, config, &web, repository, releases);
    stack.output(
        "ReleaseRoleArn",
        Output::new(role.arn()).description("The role the release workflow assumes"),
    );
    stack.output(
        "Url",
        Output::new(fns::join(
            "",
            vec!["http://".into(), web.load_balancer().dns_name()],
        ))
        .description("The service's address"),
    );
}

/// What the stack accepts, with its reasons (see [`accepted`]).
fn accept_risks(stack: &mut Stack) {
    let why = "scenario 5 has no domain or certificate";
    accepted::plain_http_listener(stack, "Web/Http", why);
    accepted::http_open_to_internet(stack, "Web/LoadBalancer", why);
    accepted::plain_http_test_listener(stack, "Web/TestListener");
    accepted::load_balancer_without_access_logs(stack, "Web/LoadBalancer");
    accepted::notification_topic_without_key(stack, "ReleaseEvents");
    accepted::log_groups_under_service_encryption(stack);
}

/// What a CodeDeploy release needs to know of the stack: the application, the deployment
/// group and the task definition revision the stack registered last.
fn code_deploy_outputs(
    stack: &mut Stack,
    web: &LoadBalancedFargateService,
    group: &construct_lib::codedeploy::EcsDeploymentGroup,
) {
    let outputs = [
        (
            "CodeDeployApplication",
            group.application().name(),
            "The CodeDeploy application",
        ),
        (
            "CodeDeployDeploymentGroup",
            group.name(),
            "The deployment group that releases the service",
        ),
        (
            "TaskDefinitionArn",
            web.task_definition().arn(),
            "The revision to release: the AppSpec's task definition",
        ),
    ];
    for (id, value, description) in outputs {
        stack.output(id, Output::new(value).description(description));
    }
}

/// The image tag as a stack parameter: changing it is a release.
fn image_tag(stack: &mut Stack, config: &BlueGreenConfig) -> ParameterRef<String> {
    stack.parameter(
        "ImageTag",
        Parameter::string()
            .default(config.image_tag.as_str())
            .description("The image tag the service runs; a new value is a release")
            // Docker's rule for tags.
            .allowed_pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
            .constraint_description("a Docker image tag: letters, digits, _ . -, at most 128"),
    )
}

/// The service behind its load balancer, released as the configuration says.
fn web_service(
    stack: &mut Stack,
    config: &BlueGreenConfig,
    cluster: &Cluster,
    repository: &Repository,
    tag: &ParameterRef<String>,
) -> LoadBalancedFargateService {
    let release = &config.release;
    let deployment: Deployment = match release.strategy {
        ReleaseStrategy::EcsCanary => BlueGreen::canary(
            f64::from(release.canary_percent),
            Duration::minutes(release.canary_minutes),
        )
        .bake_time(Duration::minutes(release.bake_minutes))
        .into(),
        ReleaseStrategy::CodeDeployCanary => Deployment::CodeDeploy,
        ReleaseStrategy::CodeDeployHookCanary => Deployment::CodeDeployHook,
    };
    let port = config.container_port;
    let container = ContainerDefinition::new(
        "app",
        ContainerImage::from_ecr_repository(repository, tag.value()),
    )
    .port_mapping(PortMapping::tcp(port).name("http"))
    .health_check(HealthCheck::shell(format!(
        "curl -f http://localhost:{port}{} || exit 1",
        config.health_check_path
    )));
    let family = config.family.clone();
    let retention = config.retention().unwrap_or(RetentionDays::OneMonth);
    let desired = config.desired_count;
    LoadBalancedFargateService::builder(cluster)
        .size(config.size().unwrap_or(FargateSize::Cpu256Mem512))
        .container(container)
        .health_check_path(config.health_check_path.as_str())
        .task_definition(move |task| task.family(family.as_str()).log_retention(retention))
        .service(move |service| service.desired_count(desired))
        .deployment(deployment)
        .test_listener_port(release.test_listener_port)
        .build(stack, "Web")
}

/// 5xx responses and slow responses on every target group the service serves from, to a
/// topic (and the configured address).
fn release_alarms(
    stack: &mut Stack,
    config: &BlueGreenConfig,
    web: &LoadBalancedFargateService,
) -> Vec<construct_lib::cloudwatch::Alarm> {
    let topic = Topic::builder().build(stack, "ReleaseEvents");
    if let Some(address) = &config.release.notification_email {
        topic.add_subscription(stack, Subscription::email(address.as_str()));
    }
    let alarms = ReleaseAlarms::new()
        .target_5xx_count(config.release.server_errors_per_minute)
        .target_response_time_ms(config.release.response_time_ms)
        .notify(&topic);
    web.release_alarms(stack, "ReleaseAlarms", alarms)
}
