//! Gitana's services stack: the cluster with its Service Connect namespace, the two roles
//! every task shares, the API (with the init container that copies its configuration),
//! its worker, the UI, the antivirus front and the ClamAV daemon; the connections and
//! grants into the data stack; DNS records and the public URLs.

use construct_lib::cfn::model::{Value, fns};
use construct_lib::ec2::SecurityGroup;
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, DependencyCondition, FargateService,
    FargateTaskDefinition, PortMapping, Rolling, ServiceConnect, ServiceConnectService,
};
use construct_lib::iam::{Principal, Role};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::route53::HostedZone;
use construct_lib::secretsmanager::Secret;
use construct_lib::{Duration, Output, Scope, Stack};

use super::config::{GitanaConfig, ServiceConfig};
use super::data::Data;
use crate::accepted;

/// The API's port, also its Service Connect port.
const API_PORT: u16 = 8080;
/// The UI's port.
const UI_PORT: u16 = 3000;
/// The antivirus front's port.
const AV_PORT: u16 = 8080;
/// ClamAV's daemon port.
const CLAMD_PORT: u16 = 3310;
/// Where the init container puts the API's configuration files.
const CONFIG_PATH: &str = "/opt/gitana/config";
/// The task volume the configuration files are shared through.
const CONFIG_VOLUME: &str = "config";

/// The roles every task shares.
struct Roles {
    execution: Role,
    node: Role,
}

/// The secrets containers read, never as plain environment values.
struct Secrets {
    database: Secret,
    search: Option<Secret>,
    license: Secret,
    properties_key: Secret,
}

/// Adds the services to `stack`, using `data` from the data stack.
pub fn build(stack: &mut Stack, config: &GitanaConfig, data: &Data) {
    let cluster = Cluster::builder(&data.vpc)
        .container_insights(true)
        .service_connect_default_namespace("gitana.local")
        .build(stack, "Cluster");
    let roles = roles(stack);
    let secrets = Secrets {
        database: data.database.secret(),
        search: data.search.master_user_secret().cloned(),
        license: Secret::from_name(config.license_secret.as_str()),
        properties_key: Secret::from_name(config.properties_key_secret.as_str()),
    };
    let api_group = SecurityGroup::builder(&data.vpc)
        .description("Gitana API and API worker")
        .build(stack, "ApiSecurityGroup");
    let api = api(stack, config, &cluster, &roles, &secrets, data, &api_group);
    api_worker(stack, config, &cluster, &roles, &secrets, data, &api_group);
    let ui = ui(stack, config, &cluster, &roles, data);
    let av = av(stack, config, &cluster, &roles);
    let clamav = clamav(stack, config, &cluster, &roles);
    connect(stack, &api, &ui, &av, &clamav);
    accept_risks(stack);
    grant(stack, &roles, data, &api_group);
    outputs(stack, config, [("Api", &api), ("Ui", &ui), ("Av", &av)]);
}

fn roles(stack: &mut Stack) -> Roles {
    let tasks = || Principal::service("ecs-tasks.amazonaws.com");
    Roles {
        // Pulls images, writes logs, reads the secrets: each task definition grants it
        // exactly what its containers use.
        execution: Role::builder(tasks())
            .description("Gitana tasks: image pulls, logs, secrets")
            .build(stack, "ExecutionRole"),
        node: Role::builder(tasks())
            .description("Gitana containers: the AWS services the application uses")
            .build(stack, "NodeRole"),
    }
}

/// A task definition setting shared by every service: the two roles and the log retention.
fn shared_task(
    config: &GitanaConfig,
    roles: &Roles,
) -> impl Fn(
    construct_lib::ecs::FargateTaskDefinitionBuilder,
) -> construct_lib::ecs::FargateTaskDefinitionBuilder
+ 'static {
    let execution = roles.execution.clone();
    let node = roles.node.clone();
    let retention = config
        .retention()
        .unwrap_or(construct_lib::logs::RetentionDays::OneMonth);
    move |task| {
        task.execution_role(&execution)
            .task_role(&node)
            .log_retention(retention)
    }
}

/// The API: behind a public load balancer, its configuration copied from the config bucket
/// into a shared volume by an init container before it starts.
fn api(
    stack: &mut Stack,
    config: &GitanaConfig,
    cluster: &Cluster,
    roles: &Roles,
    secrets: &Secrets,
    data: &Data,
    group: &SecurityGroup,
) -> LoadBalancedFargateService {
    let container = with_config(
        with_data(api_container(&config.api, "api", secrets), data)
            .port_mapping(PortMapping::tcp(API_PORT).name("http")),
    );
    let shared = shared_task(config, roles);
    let group = group.clone();
    let desired = config.api.desired_count;
    LoadBalancedFargateService::builder(cluster)
        .size(config.api.size())
        .container(container)
        .sidecar(config_init(config, data))
        .health_check_path("/api/health")
        // The configuration copy comes first, then the API warms up.
        .health_check_grace_period(Duration::minutes(4))
        .task_definition(move |task| shared(task).volume(CONFIG_VOLUME))
        .service(move |service| {
            service
                .desired_count(desired)
                .security_group(&group)
                .deployment(Rolling::new().circuit_breaker(true))
                .service_connect(ServiceConnect::server(
                    ServiceConnectService::new("http").discovery_name("api"),
                ))
        })
        .build(stack, "Api")
}

/// The init container that copies the API's configuration files from the config bucket
/// into the task's shared volume.
fn config_init(config: &GitanaConfig, data: &Data) -> ContainerDefinition {
    ContainerDefinition::new(
        "init",
        ContainerImage::from_registry(config.init_image.as_str()),
    )
    .essential(false)
    .env("CONFIG_BUCKET", data.config.name())
    // The AWS CLI image's entry point is `aws`: the shell runs the copy instead.
    .entry_point(["sh", "-c"])
    .command(["aws s3 cp --recursive s3://$CONFIG_BUCKET/api/ /opt/gitana/config/"])
    .mount(CONFIG_VOLUME, CONFIG_PATH, false)
}

/// `container` reading the configuration the init container copied. SUCCESS rather than
/// the scenario's COMPLETE: with COMPLETE it would start without its configuration when
/// the copy fails.
fn with_config(container: ContainerDefinition) -> ContainerDefinition {
    container
        .depends_on("init", DependencyCondition::Success)
        .mount(CONFIG_VOLUME, CONFIG_PATH, true)
}

/// The API's container: its secrets, by name or by field of the database and search
/// secrets. The API signs in to OpenSearch as its internal master user: fine-grained
/// access control maps no IAM role to an OpenSearch role until someone does so in the
/// domain, so an IAM grant alone would meet 403s.
fn api_container(service: &ServiceConfig, name: &str, secrets: &Secrets) -> ContainerDefinition {
    let mut container =
        ContainerDefinition::new(name, ContainerImage::from_registry(service.image.as_str()))
            .secret_field("DB_USERNAME", &secrets.database, "username")
            .secret_field("DB_PASSWORD", &secrets.database, "password");
    if let Some(search) = &secrets.search {
        container = container
            .secret_field("SEARCH_USERNAME", search, "username")
            .secret_field("SEARCH_PASSWORD", search, "password");
    }
    container
        .secret("LICENSE", &secrets.license)
        .secret("PROPERTIES_PRIVATE_KEY", &secrets.properties_key)
}

/// Where the data stores are, as plain (non-secret) environment values.
fn with_data(container: ContainerDefinition, data: &Data) -> ContainerDefinition {
    container
        .env("DB_HOST", data.database.endpoint())
        .env("DB_PORT", data.database.port().to_string())
        .env("DB_TLS", "true")
        .env("SEARCH_URL", data.search.url())
        .env("ATTACHMENTS_BUCKET", data.attachments.name())
        .env("NOTIFICATIONS_TOPIC_ARN", data.notifications.arn())
}

/// Background jobs: the API's image and secrets, more memory, no load balancer.
fn api_worker(
    stack: &mut Stack,
    config: &GitanaConfig,
    cluster: &Cluster,
    roles: &Roles,
    secrets: &Secrets,
    data: &Data,
    group: &SecurityGroup,
) -> FargateService {
    // The API's image: it reads the same configuration.
    let task = shared_task(config, roles)(FargateTaskDefinition::builder(config.api_worker.size()))
        .volume(CONFIG_VOLUME)
        .container(config_init(config, data))
        .container(with_config(
            with_data(
                api_container(&config.api_worker, "api-worker", secrets),
                data,
            )
            .env("GITANA_ROLE", "worker"),
        ))
        .build(stack, "ApiWorkerTask");
    FargateService::builder(cluster, &task)
        .desired_count(config.api_worker.desired_count)
        .security_group(group)
        .deployment(Rolling::new().circuit_breaker(true))
        .service_connect(ServiceConnect::client_only())
        .build(stack, "ApiWorker")
}

/// The web UI: behind a public load balancer, consuming the notification queue.
fn ui(
    stack: &mut Stack,
    config: &GitanaConfig,
    cluster: &Cluster,
    roles: &Roles,
    data: &Data,
) -> LoadBalancedFargateService {
    let container = ContainerDefinition::new(
        "ui",
        ContainerImage::from_registry(config.ui.image.as_str()),
    )
    .port_mapping(PortMapping::tcp(UI_PORT).name("http"))
    .env("API_URL", format!("http://api:{API_PORT}"))
    .env("QUEUE_URL", data.ui_queue.url());
    public_service(
        stack,
        config,
        cluster,
        roles,
        PublicService {
            service: &config.ui,
            container,
            discovery_name: "ui",
            id: "Ui",
        },
    )
}

/// The antivirus front: behind a public load balancer, scanning through ClamAV.
fn av(
    stack: &mut Stack,
    config: &GitanaConfig,
    cluster: &Cluster,
    roles: &Roles,
) -> LoadBalancedFargateService {
    let container = ContainerDefinition::new(
        "av",
        ContainerImage::from_registry(config.av.image.as_str()),
    )
    .port_mapping(PortMapping::tcp(AV_PORT).name("http"))
    .env("CLAMD_HOST", "clamav")
    .env("CLAMD_PORT", CLAMD_PORT.to_string());
    public_service(
        stack,
        config,
        cluster,
        roles,
        PublicService {
            service: &config.av,
            container,
            discovery_name: "av",
            id: "Av",
        },
    )
}

/// A service behind a public load balancer, serving `http` to the namespace as
/// `discovery_name`.
struct PublicService<'a> {
    service: &'a ServiceConfig,
    container: ContainerDefinition,
    discovery_name: &'static str,
    id: &'a str,
}

fn public_service(
    stack: &mut Stack,
    config: &GitanaConfig,
    cluster: &Cluster,
    roles: &Roles,
    public: PublicService<'_>,
) -> LoadBalancedFargateService {
    let PublicService {
        service,
        container,
        discovery_name,
        id,
    } = public;
    let desired = service.desired_count;
    LoadBalancedFargateService::builder(cluster)
        .size(service.size())
        .container(container)
        .health_check_path("/health")
        .task_definition(shared_task(config, roles))
        .service(move |builder| {
            builder
                .desired_count(desired)
                .deployment(Rolling::new().circuit_breaker(true))
                .service_connect(ServiceConnect::server(
                    ServiceConnectService::new("http").discovery_name(discovery_name),
                ))
        })
        .build(stack, id)
}

/// What the services stack accepts, with its reasons (see [`accepted`]).
fn accept_risks(stack: &mut Stack) {
    for service in ["Api", "Ui", "Av"] {
        let why = "Gitana's scenario has no domain or certificate yet";
        let load_balancer = format!("{service}/LoadBalancer");
        accepted::plain_http_listener(stack, &format!("{service}/Http"), why);
        accepted::http_open_to_internet(stack, &load_balancer, why);
        accepted::load_balancer_without_access_logs(stack, &load_balancer);
    }
    accepted::log_groups_under_service_encryption(stack);
}

/// ClamAV's daemon: private, reachable by the others as `clamav`.
fn clamav(
    stack: &mut Stack,
    config: &GitanaConfig,
    cluster: &Cluster,
    roles: &Roles,
) -> FargateService {
    let task = shared_task(config, roles)(FargateTaskDefinition::builder(config.clamav.size()))
        .container(
            ContainerDefinition::new(
                "clamav",
                ContainerImage::from_registry(config.clamav.image.as_str()),
            )
            .port_mapping(PortMapping::tcp(CLAMD_PORT).name("clamd"))
            // Loading the signature database takes a while.
            .stop_timeout(Duration::seconds(30)),
        )
        .build(stack, "ClamavTask");
    FargateService::builder(cluster, &task)
        .desired_count(config.clamav.desired_count)
        .deployment(Rolling::new().circuit_breaker(true))
        .service_connect(ServiceConnect::server(
            ServiceConnectService::new("clamd").discovery_name("clamav"),
        ))
        .build(stack, "Clamav")
}

/// Service Connect traffic between the four: each accepts the others on its port (the API's
/// group also holds the worker, a client).
fn connect(
    stack: &mut Stack,
    api: &LoadBalancedFargateService,
    ui: &LoadBalancedFargateService,
    av: &LoadBalancedFargateService,
    clamav: &FargateService,
) {
    let (api, ui, av) = (api.service(), ui.service(), av.service());
    // The worker shares the API's group: this admits it too.
    api.allow_service_connect_from(stack, api);
    api.allow_service_connect_from(stack, ui);
    api.allow_service_connect_from(stack, av);
    ui.allow_service_connect_from(stack, api);
    av.allow_service_connect_from(stack, api);
    av.allow_service_connect_from(stack, ui);
    clamav.allow_service_connect_from(stack, api);
    clamav.allow_service_connect_from(stack, av);
}

/// What the tasks may do with the data stores: the API's group reaches the database and
/// the domain; the shared task role reads and writes attachments, reads configuration,
/// publishes notifications, consumes the UI's queue and uses the domain.
fn grant(stack: &mut Stack, roles: &Roles, data: &Data, api: &SecurityGroup) {
    data.database
        .connections()
        .allow_default_port_from(stack, api);
    data.search
        .connections()
        .allow_default_port_from(stack, api);
    data.attachments.grant_read_write(stack, &roles.node, None);
    data.config.grant_read(stack, &roles.node, None);
    data.notifications.grant_publish(stack, &roles.node);
    data.ui_queue.grant_consume_messages(stack, &roles.node);
    data.search.grant_read_write(stack, &roles.node);
}

/// The public URLs (with DNS records when a zone is configured).
fn outputs(
    stack: &mut Stack,
    config: &GitanaConfig,
    services: [(&str, &LoadBalancedFargateService); 3],
) {
    let zone = config
        .hosted_zone
        .as_ref()
        .map(|zone| HostedZone::from_attributes(zone.id.as_str(), zone.name.as_str()));
    for (name, service) in services {
        let host: Value<String> = match &zone {
            Some(zone) => {
                let record = name.to_ascii_lowercase();
                zone.add_alias_a(
                    stack,
                    &format!("{name}Record"),
                    &record,
                    service.load_balancer(),
                );
                Value::from(format!("{record}.{}", zone.name()))
            }
            None => service.load_balancer().dns_name(),
        };
        stack.output(
            &format!("{name}Url"),
            Output::new(fns::join("", vec![Value::from("http://"), host]))
                .description(format!("The {name} load balancer's URL")),
        );
    }
}
