//! Service Connect: services of a namespace reach each other by short names (`api`,
//! `clamav`) through a proxy ECS adds to each task. A service serves named ports of its
//! containers, or is a client only. The rules ECS enforces at deploy are checked here.

use std::collections::BTreeMap;

use cfn_l1::ecs::service as l1s;
use cfn_l1::model::{ResourceId, Value};

use super::cluster::Cluster;
use super::launch::LaunchType;
use super::task_definition::TaskDefinition;
use crate::core::scope::Scope;
use crate::logs::LogGroup;
use crate::problem::{NameRule, Problems, quoted};

/// A discovery name or alias: what ECS accepts in a namespace.
const DISCOVERY_NAME: NameRule = NameRule {
    min_len: 1,
    max_len: 64,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-',
    first: Some(|c| c != '-'),
    description: "1 to 64 lowercase letters, digits, `_` and `-`, not starting with `-`",
};

/// One port a service serves to the namespace. Clients reach it through their proxy on
/// the alias port; the server's proxy forwards to the container port, which is the port
/// the server's security group must admit
/// ([`FargateService::allow_service_connect_from`](super::FargateService::allow_service_connect_from)
/// opens exactly that).
///
/// ```
/// use construct_lib::ecs::ServiceConnectService;
/// let api = ServiceConnectService::new("http").discovery_name("api").alias("api", 80);
/// # let _ = api;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceConnectService {
    port_name: String,
    discovery_name: Option<String>,
    alias: Option<(String, u16)>,
}

impl ServiceConnectService {
    /// Serves the container port mapping named `port_name` (see `PortMapping::name`).
    pub fn new(port_name: impl Into<String>) -> Self {
        Self {
            port_name: port_name.into(),
            discovery_name: None,
            alias: None,
        }
    }

    /// The name the port is registered under in the namespace. Default: the port name.
    pub fn discovery_name(mut self, name: impl Into<String>) -> Self {
        self.discovery_name = Some(name.into());
        self
    }

    /// The name and port clients use (`api:80`). Default: the discovery name and the
    /// container port.
    pub fn alias(mut self, dns_name: impl Into<String>, port: u16) -> Self {
        self.alias = Some((dns_name.into(), port));
        self
    }

    fn name(&self) -> &str {
        self.discovery_name.as_deref().unwrap_or(&self.port_name)
    }
}

/// A service's Service Connect settings: the ports it serves (none: a client only), the
/// namespace (default: the cluster's) and where the proxy logs.
#[derive(Clone, Debug, Default)]
pub struct ServiceConnect {
    namespace: Option<String>,
    services: Vec<ServiceConnectService>,
    log_group: Option<LogGroup>,
}

impl ServiceConnect {
    /// A client only: the service reaches the namespace's services and serves nothing.
    pub fn client_only() -> Self {
        Self::default()
    }

    /// Serves `service` to the namespace.
    pub fn server(service: ServiceConnectService) -> Self {
        Self::default().service(service)
    }

    /// Serves one more port.
    pub fn service(mut self, service: ServiceConnectService) -> Self {
        self.services.push(service);
        self
    }

    /// The namespace, by name or ARN. Default: the cluster's Service Connect namespace.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Where the proxy logs. Default: the task definition's log group (stream prefix
    /// `service-connect`), when it has one.
    pub fn proxy_logs(mut self, log_group: &LogGroup) -> Self {
        self.log_group = Some(log_group.clone());
        self
    }
}

/// The container ports `config` serves (of the task's named port mappings).
pub(super) fn served_ports<L: LaunchType>(
    config: &ServiceConnect,
    task: &TaskDefinition<L>,
) -> Vec<u16> {
    config
        .services
        .iter()
        .filter_map(|service| task.port_named(&service.port_name))
        .collect()
}

/// The services of each namespace of a stack: who serves, and who is a client only.
#[derive(Debug, Default)]
struct Members(BTreeMap<String, (Vec<ResourceId>, Vec<ResourceId>)>);

/// Makes client-only services wait for the servers of their namespace in this stack,
/// whichever comes first in the code: a task learns the namespace's endpoints when it
/// starts, so a client created before a server would not reach it until redeployed.
pub(super) fn order(
    scope: &mut impl Scope,
    config: &ServiceConnect,
    cluster: &Cluster,
    service: ResourceId,
) {
    let Some((namespace, _)) = namespace(config, cluster) else {
        return;
    };
    let stack = scope.stack_mut();
    let (servers, clients) = stack
        .state_at::<Members>(0)
        .0
        .get(&namespace)
        .cloned()
        .unwrap_or_default();
    let client_only = config.services.is_empty();
    if client_only {
        for server in servers {
            stack.add_dependency_of(service, server);
        }
    } else {
        for client in clients {
            stack.add_dependency_of(client, service);
        }
    }
    let (servers, clients) = stack.state_at::<Members>(0).0.entry(namespace).or_default();
    if client_only {
        clients.push(service);
    } else {
        servers.push(service);
    }
}

/// The discovery names used in each namespace of a stack, to refuse a name used twice.
#[derive(Debug, Default)]
struct DiscoveryNames(BTreeMap<(String, String), String>);

/// Checks `config` for a service of `task` in `cluster`; returns the L1 configuration
/// when it is valid.
pub(super) fn configure<L: LaunchType>(
    scope: &mut impl Scope,
    config: &ServiceConnect,
    cluster: &Cluster,
    task: &TaskDefinition<L>,
) -> Option<l1s::ServiceConnectConfiguration> {
    let namespace = namespace(config, cluster);
    let path = scope.path();
    let ok = {
        let mut problems = scope.problems();
        check_services(config, task, &mut problems) & namespace_found(&namespace, &mut problems)
    };
    let namespace_name = namespace
        .as_ref()
        .map(|(name, _)| name.clone())
        .unwrap_or_default();
    let unique = {
        let root = scope.stack_mut();
        let names = root.state_at::<DiscoveryNames>(0);
        let mut duplicates = Vec::new();
        for service in &config.services {
            let key = (namespace_name.clone(), service.name().to_owned());
            match names.0.get(&key) {
                Some(other) if *other != path => {
                    duplicates.push((service.name().to_owned(), other.clone()))
                }
                _ => {
                    names.0.insert(key, path.clone());
                }
            }
        }
        let mut problems = scope.problems();
        for (name, other) in &duplicates {
            problems.error(
                "service_connect",
                format!("discovery name {} (also used by {other})", quoted(name)),
                format!(
                    "a discovery name unique in namespace {}",
                    quoted(&namespace_name)
                ),
            );
        }
        duplicates.is_empty()
    };
    if !(ok && unique) {
        return None;
    }
    let (_, namespace_value) = namespace?;
    Some(to_l1(scope, config, task, namespace_value))
}

/// The namespace's name (for messages and uniqueness) and value.
fn namespace(config: &ServiceConnect, cluster: &Cluster) -> Option<(String, Value<String>)> {
    match &config.namespace {
        Some(namespace) => Some((namespace.clone(), Value::from(namespace.as_str()))),
        None => cluster
            .service_connect_namespace()
            .map(|namespace| (namespace.name().to_owned(), namespace.arn())),
    }
}

fn namespace_found(
    namespace: &Option<(String, Value<String>)>,
    problems: &mut Problems<'_>,
) -> bool {
    if namespace.is_none() {
        problems.error(
            "service_connect",
            "no namespace",
            "a namespace: ServiceConnect::namespace, or a cluster with service_connect_default_namespace",
        );
    }
    namespace.is_some()
}

fn check_services<L: LaunchType>(
    config: &ServiceConnect,
    task: &TaskDefinition<L>,
    problems: &mut Problems<'_>,
) -> bool {
    let mut ok = true;
    for (index, service) in config.services.iter().enumerate() {
        let setting = format!("service_connect.service[{index}]");
        if task.port_named(&service.port_name).is_none() {
            problems.error(
                &format!("{setting}.port_name"),
                quoted(&service.port_name),
                format!(
                    "the name of a port mapping of the task (named ports: {})",
                    task.port_names_description()
                ),
            );
            ok = false;
        }
        ok &= problems.name(
            &format!("{setting}.discovery_name"),
            service.name(),
            &DISCOVERY_NAME,
        );
        if let Some((alias, port)) = &service.alias {
            ok &= problems.name(&format!("{setting}.alias"), alias, &DISCOVERY_NAME);
            if *port == 0 {
                problems.error(
                    &format!("{setting}.alias"),
                    format!("{alias}:0"),
                    "a port from 1 to 65535",
                );
                ok = false;
            }
        }
        if config.services[..index]
            .iter()
            .any(|s| s.port_name == service.port_name)
        {
            problems.error(
                &format!("{setting}.port_name"),
                quoted(&service.port_name),
                "a port served once",
            );
            ok = false;
        }
    }
    ok
}

fn to_l1<L: LaunchType>(
    scope: &mut impl Scope,
    config: &ServiceConnect,
    task: &TaskDefinition<L>,
    namespace: Value<String>,
) -> l1s::ServiceConnectConfiguration {
    let mut l1 = l1s::ServiceConnectConfiguration::new(true).namespace(namespace);
    if !config.services.is_empty() {
        l1 = l1.services(
            config
                .services
                .iter()
                .map(|s| service_l1(s, task))
                .collect::<Vec<_>>(),
        );
    }
    let log_group = config.log_group.as_ref().or(task.log_group());
    if let Some(group) = log_group {
        // The proxy's logs are written with the execution role, like the containers'.
        group.grant_write(scope, task.execution_role());
        let options: BTreeMap<String, Value<String>> = [
            ("awslogs-group".to_owned(), group.name()),
            ("awslogs-region".to_owned(), cfn_l1::model::fns::region()),
            (
                "awslogs-stream-prefix".to_owned(),
                Value::from("service-connect"),
            ),
        ]
        .into_iter()
        .collect();
        l1 = l1.log_configuration(
            l1s::LogConfiguration::new()
                .log_driver("awslogs")
                .options(options),
        );
    }
    l1
}

fn service_l1<L: LaunchType>(
    service: &ServiceConnectService,
    task: &TaskDefinition<L>,
) -> l1s::ServiceConnectService {
    let port = service
        .alias
        .as_ref()
        .map(|(_, port)| *port)
        .or_else(|| task.port_named(&service.port_name))
        .unwrap_or(0);
    let alias_name = service
        .alias
        .as_ref()
        .map_or(service.name(), |(name, _)| name.as_str());
    l1s::ServiceConnectService::new(service.port_name.as_str())
        .discovery_name(service.name())
        .client_aliases(vec![
            l1s::ServiceConnectClientAlias::new(i64::from(port)).dns_name(alias_name),
        ])
}
