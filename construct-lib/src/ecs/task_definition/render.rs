//! One container as the L1 container definition, with the execution role's grants for what
//! it uses: pulling its ECR image, reading its secrets, writing its logs.

use std::collections::BTreeMap;

use cfn_l1::ecs::task_definition as l1t;
use cfn_l1::model::{Value, fns};

use super::super::container::{ContainerDefinition, ContainerImage, Logging, SecretSource};
use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Role};
use crate::logs::LogGroup;

/// What rendering a container may need of its task.
pub(super) struct TaskParts<'a> {
    /// The log group the task created for `awslogs` containers without their own.
    pub(super) log_group: Option<&'a LogGroup>,
    /// The role that pulls images, reads secrets and writes logs.
    pub(super) execution_role: &'a Role,
}

/// The L1 definition of `container`; grants what it uses to the execution role.
pub(super) fn render(
    scope: &mut impl Scope,
    container: &ContainerDefinition,
    task: &TaskParts<'_>,
) -> l1t::ContainerDefinition {
    let image = image(scope, &container.image, task.execution_role);
    let mut l1 = l1t::ContainerDefinition::new(l1t::ContainerDefinitionRequired {
        image,
        name: container.name.as_str().into(),
    })
    .essential(container.essential);
    l1 = resources(l1, container);
    l1 = networking(l1, container);
    l1 = environment(l1, container);
    if !container.secrets.is_empty() {
        l1 = l1.secrets(secrets(scope, container, task.execution_role));
    }
    if let Some(configuration) = logging(scope, container, task) {
        l1 = l1.log_configuration(configuration);
    }
    if let Some(router) = container.log_router {
        l1 = l1.firelens_configuration(l1t::FirelensConfiguration::new().type_(router));
    }
    lifecycle(l1, container)
}

/// The image reference; an ECR image lets the execution role pull from its repository.
fn image(scope: &mut impl Scope, image: &ContainerImage, execution_role: &Role) -> Value<String> {
    match image {
        ContainerImage::Registry(image) => Value::from(image.as_str()),
        ContainerImage::Ecr {
            repository_uri,
            repository_arn,
            tag,
        } => {
            execution_role.add_to_policy(
                scope,
                PolicyStatement::allow()
                    .actions([
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:GetDownloadUrlForLayer",
                        "ecr:BatchGetImage",
                    ])
                    .resource(repository_arn.clone()),
            );
            crate::ecr::grant_authorization_token(scope, execution_role);
            let parts = match tag.as_literal_str() {
                Some(literal) => vec![repository_uri.clone(), Value::from(format!(":{literal}"))],
                None => vec![repository_uri.clone(), Value::from(":"), tag.clone()],
            };
            fns::join("", parts)
        }
    }
}

/// CPU and memory.
fn resources(
    mut l1: l1t::ContainerDefinition,
    container: &ContainerDefinition,
) -> l1t::ContainerDefinition {
    if let Some(cpu) = container.cpu {
        l1 = l1.cpu(i64::from(cpu));
    }
    if let Some(memory) = container.memory_limit {
        l1 = l1.memory(i64::from(memory));
    }
    if let Some(memory) = container.memory_reservation {
        l1 = l1.memory_reservation(i64::from(memory));
    }
    l1
}

/// Port mappings.
fn networking(
    mut l1: l1t::ContainerDefinition,
    container: &ContainerDefinition,
) -> l1t::ContainerDefinition {
    if !container.links.is_empty() {
        let links: Vec<String> = container
            .links
            .iter()
            .map(|(name, alias)| match alias {
                Some(alias) => format!("{name}:{alias}"),
                None => name.clone(),
            })
            .collect();
        l1 = l1.links(links);
    }
    if container.ports.is_empty() {
        return l1;
    }
    l1.port_mappings(
        container
            .ports
            .iter()
            .map(|port| {
                let mut mapping = l1t::PortMapping::new()
                    .container_port(i64::from(port.container_port))
                    .protocol(port.protocol);
                if let Some(name) = &port.name {
                    mapping = mapping.name(name.as_str());
                }
                if let Some(host_port) = port.host_port {
                    mapping = mapping.host_port(i64::from(host_port));
                }
                mapping
            })
            .collect::<Vec<_>>(),
    )
}

/// Plain environment variables.
fn environment(
    l1: l1t::ContainerDefinition,
    container: &ContainerDefinition,
) -> l1t::ContainerDefinition {
    if container.environment.is_empty() {
        return l1;
    }
    l1.environment(
        container
            .environment
            .iter()
            .map(|(name, value)| {
                l1t::KeyValuePair::new()
                    .name(name.as_str())
                    .value(value.clone())
            })
            .collect::<Vec<_>>(),
    )
}

/// The secrets, each read by the execution role. `ValueFrom` is the secret's ARN (without
/// the random suffix for a secret known by name), never the wildcard the grant uses.
fn secrets(
    scope: &mut impl Scope,
    container: &ContainerDefinition,
    execution_role: &Role,
) -> Vec<l1t::Secret> {
    container
        .secrets
        .iter()
        .map(|(name, source)| {
            let value_from = match source {
                SecretSource::SecretsManager { secret, json_key } => {
                    secret.grant_read(scope, execution_role);
                    match json_key {
                        None => secret.arn(),
                        Some(key) => {
                            fns::join("", vec![secret.arn(), Value::from(format!(":{key}::"))])
                        }
                    }
                }
                SecretSource::Ssm(parameter) => {
                    parameter.grant_read(scope, execution_role);
                    parameter.arn()
                }
            };
            l1t::Secret::new(l1t::SecretRequired {
                name: name.into(),
                value_from,
            })
        })
        .collect()
}

/// Where the container's output goes; `awslogs` lets the execution role write to its group.
fn logging(
    scope: &mut impl Scope,
    container: &ContainerDefinition,
    task: &TaskParts<'_>,
) -> Option<l1t::LogConfiguration> {
    let logging = container
        .logging
        .clone()
        .unwrap_or_else(|| Logging::aws_logs_to_task_group(container.name.clone()));
    match logging {
        Logging::AwsLogs {
            log_group,
            stream_prefix,
        } => {
            let group = log_group.as_ref().or(task.log_group)?;
            group.grant_write(scope, task.execution_role);
            let options = BTreeMap::from([
                ("awslogs-group".to_owned(), group.name()),
                ("awslogs-region".to_owned(), fns::region()),
                (
                    "awslogs-stream-prefix".to_owned(),
                    Value::from(stream_prefix),
                ),
            ]);
            let mut configuration = l1t::LogConfiguration::new("awslogs");
            configuration.options = Some(options);
            Some(configuration)
        }
        Logging::FireLens { options } => {
            let mut configuration = l1t::LogConfiguration::new("awsfirelens");
            configuration.options = Some(options.into_iter().collect());
            Some(configuration)
        }
        Logging::None => None,
    }
}

/// Health check, start order, mounts, limits, stop timeout, command and entry point.
fn lifecycle(
    mut l1: l1t::ContainerDefinition,
    container: &ContainerDefinition,
) -> l1t::ContainerDefinition {
    if let Some(check) = &container.health_check {
        l1 = l1.health_check(
            l1t::HealthCheck::new()
                .command(check.command.clone())
                .interval(check.interval.seconds_i64())
                .timeout(check.timeout.seconds_i64())
                .retries(i64::from(check.retries))
                .start_period(check.start_period.seconds_i64()),
        );
    }
    if !container.depends_on.is_empty() {
        l1 = l1.depends_on(
            container
                .depends_on
                .iter()
                .map(|(name, condition)| {
                    l1t::ContainerDependency::new()
                        .container_name(name.as_str())
                        .condition(condition.as_str())
                })
                .collect::<Vec<_>>(),
        );
    }
    if !container.mounts.is_empty() {
        l1 = l1.mount_points(
            container
                .mounts
                .iter()
                .map(|(volume, path, read_only)| {
                    l1t::MountPoint::new()
                        .source_volume(volume.as_str())
                        .container_path(path.as_str())
                        .read_only(*read_only)
                })
                .collect::<Vec<_>>(),
        );
    }
    if !container.ulimits.is_empty() {
        l1 = l1.ulimits(
            container
                .ulimits
                .iter()
                .map(|(name, soft, hard)| {
                    l1t::Ulimit::new(l1t::UlimitRequired {
                        hard_limit: (*hard).into(),
                        name: name.into(),
                        soft_limit: (*soft).into(),
                    })
                })
                .collect::<Vec<_>>(),
        );
    }
    if let Some(timeout) = container.stop_timeout {
        l1 = l1.stop_timeout(timeout.seconds_i64());
    }
    if let Some(command) = &container.command {
        l1 = l1.command(command.clone());
    }
    if let Some(entry_point) = &container.entry_point {
        l1 = l1.entry_point(entry_point.clone());
    }
    l1
}
