//! The rules of a network mode over the containers' ports and links: what ECS refuses when
//! the task definition is registered or when a task is placed.

use std::collections::BTreeMap;

use super::super::container::ContainerDefinition;
use super::super::launch::NetworkMode;
use crate::problem::{Problems, quoted};

/// Host ports the ECS agent reserves on every instance by default (SSH, the Docker daemon,
/// the agent's introspection and metadata): a task that publishes one is never placed.
const AGENT_RESERVED_PORTS: [u16; 6] = [22, 2375, 2376, 51678, 51679, 51680];

/// Reports every problem of `containers`' ports and links under `mode`.
pub(super) fn check(
    containers: &[ContainerDefinition],
    mode: NetworkMode,
    problems: &mut Problems<'_>,
) {
    let mut published: BTreeMap<(u16, &str), &str> = BTreeMap::new();
    for container in containers {
        let setting = format!("container[{}].port_mapping", container.name);
        if mode == NetworkMode::None && !container.ports.is_empty() {
            let value = format!("{} port mappings", container.ports.len());
            problems.error(&setting, value, "no port mappings in network mode none (no external networking); choose bridge, host or awsvpc");
            continue;
        }
        for port in &container.ports {
            check_host_port_equals(
                mode,
                port.container_port,
                port.host_port,
                &setting,
                problems,
            );
            let Some(host_port) = published_host_port(mode, port.container_port, port.host_port)
            else {
                continue;
            };
            if AGENT_RESERVED_PORTS.contains(&host_port) {
                problems.error(
                    &setting,
                    format!("host port {host_port}"),
                    format!(
                        "a host port the ECS agent does not reserve ({} are reserved on every instance)",
                        list(&AGENT_RESERVED_PORTS)
                    ),
                );
            }
            if let Some(first) = published.insert((host_port, port.protocol), &container.name) {
                problems.error(
                    &setting,
                    format!(
                        "host port {host_port}/{} (also published by {})",
                        port.protocol,
                        quoted(first)
                    ),
                    format!("each host port published once per task in {mode} networking"),
                );
            }
        }
    }
    check_links(containers, mode, problems);
}

/// The instance port a mapping occupies for sure: none for `awsvpc` (the task has its own
/// interface) or a dynamic `bridge` port.
fn published_host_port(
    mode: NetworkMode,
    container_port: u16,
    host_port: Option<u16>,
) -> Option<u16> {
    match mode {
        NetworkMode::Host => Some(host_port.unwrap_or(container_port)),
        NetworkMode::Bridge => host_port.filter(|port| *port != 0),
        NetworkMode::AwsVpc | NetworkMode::None => None,
    }
}

/// In `host` and `awsvpc` networking a host port can only repeat the container port.
fn check_host_port_equals(
    mode: NetworkMode,
    container_port: u16,
    host_port: Option<u16>,
    setting: &str,
    problems: &mut Problems<'_>,
) {
    if !matches!(mode, NetworkMode::Host | NetworkMode::AwsVpc) {
        return;
    }
    if let Some(host_port) = host_port
        && host_port != container_port
    {
        problems.error(
            setting,
            format!("host port {host_port} for container port {container_port}"),
            format!("no host port, or the container port ({container_port}), in {mode} networking; map ports in bridge networking"),
        );
    }
}

fn check_links(containers: &[ContainerDefinition], mode: NetworkMode, problems: &mut Problems<'_>) {
    for container in containers {
        let setting = format!("container[{}].link", container.name);
        for (target, _) in &container.links {
            if mode != NetworkMode::Bridge {
                problems.error(
                    &setting,
                    quoted(target),
                    format!("links in bridge networking only; in {mode} networking containers of a task reach each other on localhost"),
                );
            } else if target == &container.name || !containers.iter().any(|c| &c.name == target) {
                let others: Vec<&str> = containers
                    .iter()
                    .map(|c| c.name.as_str())
                    .filter(|name| *name != container.name)
                    .collect();
                problems.error(
                    &setting,
                    quoted(target),
                    format!(
                        "another container of the task ({})",
                        if others.is_empty() {
                            "none".to_owned()
                        } else {
                            others.join(", ")
                        }
                    ),
                );
            }
        }
    }
}

fn list(ports: &[u16]) -> String {
    let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
    ports.join(", ")
}
