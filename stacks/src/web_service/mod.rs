//! Scenario 1 of SCENARIOS.md: a Fargate web service behind a public ALB, with secrets, logs,
//! an init container and a metrics sidecar, scaling, Cloud Map, an uploads bucket the task
//! may get and put under one prefix, and a Spot worker. Written with L2/L3 constructs only;
//! everything that differs between environments is in [`config::WebServiceConfig`].

pub mod config;

use construct_lib::applicationautoscaling::Cooldowns;
use construct_lib::cfn::model::fns;
use construct_lib::ecs::{
    CapacityProvider, CapacityProviderStrategy, Cluster, ContainerDefinition, ContainerImage,
    DependencyCondition, FargateService, FargateSize, FargateTaskDefinition, HealthCheck, Logging,
    PortMapping,
};
use construct_lib::logs::{LogGroup, RetentionDays};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::s3::Bucket;
use construct_lib::secretsmanager::Secret;
use construct_lib::ssm::StringParameter;
use construct_lib::{App, Environment, Output, Scope};

use crate::network::{self, NetworkConfig};
use config::{LogShipping, WebServiceConfig};

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

    let db_password = Secret::from_name(config.db_password_secret.as_str());
    let api_key = StringParameter::from_name(config.api_key_parameter.as_str());
    let firelens = config.log_shipping == LogShipping::Firelens;
    // With FireLens the router writes to a group of our own, with the configured retention.
    let app_logs = firelens.then(|| {
        LogGroup::builder()
            .log_group_name(format!("/web/{}", config.environment))
            .retention(config.retention().unwrap_or(RetentionDays::OneMonth))
            .build(stack, "AppLogs")
    });
    let shipped = |container: ContainerDefinition| {
        if firelens {
            container.logging(Logging::FireLens {
                options: vec![
                    ("Name".to_owned(), "cloudwatch_logs".into()),
                    // The stack's own region, whatever the environment says.
                    ("region".to_owned(), fns::region()),
                    (
                        "log_group_name".to_owned(),
                        format!("/web/{}", config.environment).into(),
                    ),
                    ("auto_create_group".to_owned(), "false".into()),
                    ("log_stream_prefix".to_owned(), "app/".into()),
                ],
            })
        } else {
            container
        }
    };
    let app_container = shipped(
        ContainerDefinition::new("app", ContainerImage::from_registry(config.image.as_str()))
            .port_mapping(PortMapping::tcp(3000).name("http"))
            .env("NODE_ENV", "production")
            .env("APP_ENV", config.environment.as_str())
            .secret("DB_PASSWORD", &db_password)
            .ssm_secret("API_KEY", &api_key)
            .health_check(
                HealthCheck::shell("curl -f http://localhost:3000/health || exit 1")
                    .start_period(30),
            )
            .stop_timeout(30),
    );
    let app_container = if config.multi_container {
        app_container.depends_on("init", DependencyCondition::Complete)
    } else {
        app_container
    };
    let init = shipped(
        ContainerDefinition::new(
            "init",
            ContainerImage::from_registry(config.migration_image.as_str()),
        )
        .essential(false)
        .command(["npm", "run", "migrate"])
        .secret("DB_PASSWORD", &db_password),
    );
    let agent = ContainerDefinition::new(
        "metrics-agent",
        ContainerImage::from_registry(config.metrics_agent_image.as_str()),
    )
    .essential(false)
    .memory_reservation_mib(64);

    let size = config.size().unwrap_or(FargateSize::Cpu512Mem1024);
    let mut web = LoadBalancedFargateService::builder(&cluster)
        .size(size)
        .container(app_container)
        .health_check_path("/health")
        .health_check_grace_seconds(60);
    if config.multi_container {
        web = web.sidecar(init).sidecar(agent);
    }
    if firelens {
        web = web.sidecar(
            ContainerDefinition::new(
                "log-router",
                ContainerImage::from_registry(
                    "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
                ),
            )
            .essential(true)
            .fluent_bit_log_router()
            .memory_reservation_mib(50),
        );
    }
    if let Some(certificate) = &config.certificate_arn {
        web = web.certificate(certificate.as_str());
    }
    let desired = config.desired_count;
    let web = web
        .service(move |service| {
            service
                .desired_count(desired)
                .min_healthy_percent(50)
                .max_healthy_percent(200)
                .cloud_map("web")
        })
        .build(stack, "Web");

    if let Some(group) = &app_logs {
        group.grant_write(stack, web.task_definition().task_role());
    }
    let uploads = Bucket::builder().versioned(true).build(stack, "Uploads");
    uploads.grant_get_put(
        stack,
        web.task_definition().task_role(),
        Some(&config.uploads_prefix),
    );

    let scaling = web
        .service()
        .auto_scale_task_count(stack, config.min_tasks..=config.max_tasks);
    scaling.scale_on_cpu_utilization(
        stack,
        "Cpu",
        config.cpu_target_percent,
        Cooldowns {
            scale_out_seconds: 60,
            scale_in_seconds: 120,
        },
    );
    scaling.scale_on_request_count(
        stack,
        "Requests",
        config.requests_per_task,
        web.load_balancer(),
        web.target_group(),
        Cooldowns {
            scale_out_seconds: 60,
            scale_in_seconds: 120,
        },
    );

    if let Some(worker) = &config.worker {
        let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new(
                    "worker",
                    ContainerImage::from_registry(worker.image.as_str()),
                )
                .secret("DB_PASSWORD", &db_password),
            )
            .build(stack, "WorkerTask");
        FargateService::builder(&cluster, &task)
            .desired_count(worker.desired_count)
            .capacity_provider(CapacityProviderStrategy {
                provider: CapacityProvider::FargateSpot,
                weight: 1,
                base: 0,
            })
            .build(stack, "Worker");
    }

    stack.output(
        "Url",
        Output::new(web.load_balancer().dns_name()).description("The load balancer's DNS name"),
    );
    stack.output(
        "UploadsBucket",
        Output::new(uploads.name()).description("The uploads bucket"),
    );
}
