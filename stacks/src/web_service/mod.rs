//! Scenario 1: a Fargate web service behind a public ALB, with secrets, logs, an init
//! container and a metrics sidecar, scaling, Cloud Map, an uploads bucket the task may get
//! and put under one prefix, and a Spot worker. Written with L2/L3 constructs only;
//! everything that differs between environments is in [`config::WebServiceConfig`].

pub mod config;

use construct_lib::Duration;
use construct_lib::applicationautoscaling::{RequestCountScaling, TargetTracking};
use construct_lib::cfn::model::fns;
use construct_lib::ecs::{
    CapacityProvider, CapacityProviderStrategy, Cluster, ContainerDefinition, ContainerImage,
    DependencyCondition, FargateService, FargateSize, FargateTaskDefinition, HealthCheck, Logging,
    PortMapping, Rolling,
};
use construct_lib::logs::{LogGroup, RetentionDays};
use construct_lib::patterns::{LoadBalancedFargateService, LoadBalancedFargateServiceBuilder};
use construct_lib::s3::Bucket;
use construct_lib::secretsmanager::Secret;
use construct_lib::ssm::StringParameter;
use construct_lib::{App, Environment, Output, Scope, Stack};

use crate::accepted;
use crate::network::{self, NetworkConfig};
use config::{LogShipping, WebServiceConfig, WorkerConfig};

/// Adds the web service stack `name` to `app`.
pub fn web_service_stack(app: &mut App, name: &str, config: &WebServiceConfig) {
    let stack = app.stack_in(
        name,
        Environment {
            account: config.account.clone(),
            region: config.region.clone(),
        },
    );
    stack.set_description("Scenario 1: a Fargate web service behind a load balancer");
    stack.add_tag("Environment", config.environment.clone());

    let vpc = network::build(
        stack,
        &NetworkConfig {
            cidr: config.vpc_cidr.clone(),
            zones: config.max_azs,
        },
    );
    let cluster = Cluster::builder(&vpc)
        .container_insights(true)
        .default_cloud_map_namespace("apps.local")
        .build(stack, "Cluster");
    let secrets = Secrets {
        db_password: Secret::from_name(config.db_password_secret.as_str()),
        api_key: StringParameter::from_name(config.api_key_parameter.as_str()),
    };
    let app_logs = (config.log_shipping == LogShipping::Firelens).then(|| {
        // The router writes to a group of our own, with the configured retention.
        LogGroup::builder()
            .log_group_name(log_group_name(config))
            .retention(config.retention().unwrap_or(RetentionDays::OneMonth))
            .build(stack, "AppLogs")
    });
    let web = web_service(&cluster, config, &secrets).build(stack, "Web");
    if let Some(group) = &app_logs {
        group.grant_write(stack, web.task_definition().task_role());
    }
    let uploads = Bucket::builder().versioned(true).build(stack, "Uploads");
    uploads.grant_get_put(
        stack,
        web.task_definition().task_role(),
        Some(&config.uploads_prefix),
    );
    scale(stack, &web, config);
    if let Some(worker) = &config.worker {
        spot_worker(stack, &cluster, worker, &secrets);
    }
    accept_risks(stack, config);
    stack.output(
        "Url",
        Output::new(web.load_balancer().dns_name()).description("The load balancer's DNS name"),
    );
    stack.output(
        "UploadsBucket",
        Output::new(uploads.name()).description("The uploads bucket"),
    );
}

/// What the stack accepts, with its reasons (see [`accepted`]).
fn accept_risks(stack: &mut Stack, config: &WebServiceConfig) {
    if config.certificate_arn.is_some() {
        accepted::http_redirect_open_to_internet(stack, "Web/LoadBalancer");
    } else {
        let why = "this environment has no certificate (config certificate_arn)";
        accepted::plain_http_listener(stack, "Web/Http", why);
        accepted::http_open_to_internet(stack, "Web/LoadBalancer", why);
    }
    accepted::load_balancer_without_access_logs(stack, "Web/LoadBalancer");
    accepted::bucket_without_access_logs(stack, "Uploads");
    accepted::log_groups_under_service_encryption(stack);
}

/// The secrets the containers read.
struct Secrets {
    db_password: Secret,
    api_key: StringParameter,
}

fn log_group_name(config: &WebServiceConfig) -> String {
    format!("/web/{}", config.environment)
}

/// The load-balanced service: the application, with the init container and metrics agent
/// in the multi-container variant, and the log router with FireLens.
fn web_service(
    cluster: &Cluster,
    config: &WebServiceConfig,
    secrets: &Secrets,
) -> LoadBalancedFargateServiceBuilder {
    let firelens = config.log_shipping == LogShipping::Firelens;
    let mut web = LoadBalancedFargateService::builder(cluster)
        .size(config.size().unwrap_or(FargateSize::Cpu512Mem1024))
        .container(shipped(app_container(config, secrets), config))
        .health_check_path("/health")
        .health_check_grace_period(Duration::seconds(60));
    if config.multi_container {
        web = web
            .sidecar(shipped(init_container(config, secrets), config))
            .sidecar(metrics_agent(config));
    }
    if firelens {
        web = web.sidecar(log_router());
    }
    if let Some(certificate) = &config.certificate_arn {
        web = web.certificate(certificate.as_str());
    }
    web.service(|service| {
        service
            .deployment(
                Rolling::new()
                    .min_healthy_percent(50)
                    .max_healthy_percent(200),
            )
            .cloud_map("web")
    })
}

fn app_container(config: &WebServiceConfig, secrets: &Secrets) -> ContainerDefinition {
    let container =
        ContainerDefinition::new("app", ContainerImage::from_registry(config.image.as_str()))
            .port_mapping(PortMapping::tcp(3000).name("http"))
            .env("NODE_ENV", "production")
            .env("APP_ENV", config.environment.as_str())
            .secret("DB_PASSWORD", &secrets.db_password)
            .ssm_secret("API_KEY", &secrets.api_key)
            .health_check(
                HealthCheck::shell("curl -f http://localhost:3000/health || exit 1")
                    .start_period(Duration::seconds(30)),
            )
            .stop_timeout(Duration::seconds(30));
    if config.multi_container {
        container.depends_on("init", DependencyCondition::Complete)
    } else {
        container
    }
}

/// Runs the migration before the application starts.
fn init_container(config: &WebServiceConfig, secrets: &Secrets) -> ContainerDefinition {
    ContainerDefinition::new(
        "init",
        ContainerImage::from_registry(config.migration_image.as_str()),
    )
    .essential(false)
    .command(["npm", "run", "migrate"])
    .secret("DB_PASSWORD", &secrets.db_password)
}

fn metrics_agent(config: &WebServiceConfig) -> ContainerDefinition {
    ContainerDefinition::new(
        "metrics-agent",
        ContainerImage::from_registry(config.metrics_agent_image.as_str()),
    )
    .essential(false)
    .memory_reservation_mib(64)
}

fn log_router() -> ContainerDefinition {
    ContainerDefinition::new(
        "log-router",
        ContainerImage::from_registry("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"),
    )
    .essential(true)
    .fluent_bit_log_router()
    .memory_reservation_mib(50)
}

/// The container's logs through the FireLens router when the config says so.
fn shipped(container: ContainerDefinition, config: &WebServiceConfig) -> ContainerDefinition {
    if config.log_shipping != LogShipping::Firelens {
        return container;
    }
    container.logging(Logging::firelens([
        ("Name", "cloudwatch_logs".into()),
        // The stack's own region, whatever the environment says.
        ("region", fns::region()),
        ("log_group_name", log_group_name(config).into()),
        ("auto_create_group", "false".into()),
        ("log_stream_prefix", "app/".into()),
    ]))
}

/// Target tracking on CPU and on requests per task.
fn scale(stack: &mut Stack, web: &LoadBalancedFargateService, config: &WebServiceConfig) {
    let scaling = web
        .service()
        .auto_scale_task_count(stack, config.min_tasks..=config.max_tasks);
    let tracking = |target: f64| {
        TargetTracking::new(target)
            .scale_out_cooldown(Duration::seconds(60))
            .scale_in_cooldown(Duration::seconds(120))
    };
    scaling.scale_on_cpu_utilization(stack, "Cpu", tracking(config.cpu_target_percent));
    scaling.scale_on_request_count(
        stack,
        "Requests",
        RequestCountScaling::new(
            web.load_balancer(),
            web.target_group(),
            tracking(config.requests_per_task),
        ),
    );
}

/// The background worker on Fargate Spot, without a load balancer.
fn spot_worker(stack: &mut Stack, cluster: &Cluster, worker: &WorkerConfig, secrets: &Secrets) {
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(
            ContainerDefinition::new(
                "worker",
                ContainerImage::from_registry(worker.image.as_str()),
            )
            .secret("DB_PASSWORD", &secrets.db_password),
        )
        .build(stack, "WorkerTask");
    FargateService::builder(cluster, &task)
        .desired_count(worker.desired_count)
        .capacity_provider(CapacityProviderStrategy::new(CapacityProvider::FargateSpot))
        .build(stack, "Worker");
}
