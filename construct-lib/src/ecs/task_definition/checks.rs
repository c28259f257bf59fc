//! Every rule about a task's containers, alone and together: names, sizes against the task
//! size, ports, health checks, mounts, dependencies between containers and log routing.

use std::collections::{BTreeMap, BTreeSet};

use super::super::container::{ContainerDefinition, DependencyCondition, Logging};
use super::super::launch::{Compatibility, LaunchType, TaskSize};
use crate::Duration;
use crate::problem::{NameRule, Problems, quoted};

/// A container name: what ECS accepts.
const CONTAINER_NAME: NameRule = NameRule {
    min_len: 1,
    max_len: 255,
    allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
    first: None,
    description: "1 to 255 letters, digits, hyphens and underscores",
};

/// Reports every problem of `containers` in a task with `volumes`.
pub(super) fn check(
    containers: &[ContainerDefinition],
    volumes: &[String],
    problems: &mut Problems<'_>,
) {
    if containers.is_empty() {
        problems.error("container", "none", "at least one container");
        return;
    }
    if !containers.iter().any(|c| c.essential) {
        problems.error(
            "container",
            "no essential container",
            "at least one essential container (the task stops when it does)",
        );
    }
    check_names(containers, problems);
    for container in containers {
        check_container(container, volumes, problems);
    }
    check_port_names(containers, problems);
    check_dependencies(containers, problems);
    check_log_routing(containers, problems);
}

fn setting(container: &ContainerDefinition, name: &str) -> String {
    format!("container[{}].{name}", container.name)
}

fn check_names(containers: &[ContainerDefinition], problems: &mut Problems<'_>) {
    let mut names = BTreeSet::new();
    for container in containers {
        if !names.insert(container.name.as_str()) {
            problems.error(
                "container",
                quoted(&container.name),
                "container names unique in the task",
            );
        }
        problems.name("container", &container.name, &CONTAINER_NAME);
    }
}

/// The sizes and limits of the launch type: containers within the task's size; on Fargate
/// a stop timeout of at most 2 minutes; on EC2 a memory limit or reservation on each
/// container when the task has no memory size.
pub(super) fn check_launch_limits<L: LaunchType>(
    containers: &[ContainerDefinition],
    size: &L::TaskSize,
    problems: &mut Problems<'_>,
) {
    check_within_task(containers, size, problems);
    match L::COMPATIBILITY {
        Compatibility::Fargate => {
            for container in containers {
                if let Some(timeout) = container.stop_timeout {
                    let setting = setting(container, "stop_timeout");
                    problems.at_most(&setting, timeout, Duration::seconds(120), "");
                }
            }
        }
        Compatibility::Ec2 => check_ec2_memory(containers, size, problems),
    }
}

/// The containers' CPU and memory fit in the task's, where the task has them.
fn check_within_task(
    containers: &[ContainerDefinition],
    size: &impl TaskSize,
    problems: &mut Problems<'_>,
) {
    let cpu: u32 = containers.iter().filter_map(|c| c.cpu).sum();
    if let Some(task_cpu) = size.cpu()
        && cpu > task_cpu
    {
        problems.error(
            "container cpu",
            format!("{cpu} units in all"),
            format!("at most the task's {task_cpu} units ({size})"),
        );
    }
    let memory: u32 = containers
        .iter()
        .filter_map(|c| c.memory_limit.or(c.memory_reservation))
        .sum();
    if let Some(task_memory) = size.memory_mib()
        && memory > task_memory
    {
        problems.error(
            "container memory",
            format!("{memory} MiB in all"),
            format!("at most the task's {task_memory} MiB ({size})"),
        );
    }
}

/// Docker reserves at least 6 MiB for a container; ECS needs a memory size somewhere to
/// place an EC2 task.
fn check_ec2_memory(
    containers: &[ContainerDefinition],
    size: &impl TaskSize,
    problems: &mut Problems<'_>,
) {
    if let Some(cpu) = size.cpu() {
        problems.range("cpu", cpu, 128..=196_608, "units");
    }
    if let Some(memory) = size.memory_mib() {
        problems.at_least("memory_mib", memory, 6, "MiB");
    }
    for container in containers {
        for (name, value) in [
            ("memory_limit_mib", container.memory_limit),
            ("memory_reservation_mib", container.memory_reservation),
        ] {
            if let Some(mib) = value {
                problems.at_least(&setting(container, name), mib, 6, "MiB");
            }
        }
        let sized = container.memory_limit.is_some() || container.memory_reservation.is_some();
        if size.memory_mib().is_none() && !sized {
            problems.error(
                &setting(container, "memory"),
                "none",
                "a memory limit or reservation on each container (memory_limit_mib, memory_reservation_mib) of an EC2 task without a task memory size (memory_mib): ECS places the task by it",
            );
        }
    }
}

/// The rules about one container on its own.
fn check_container(
    container: &ContainerDefinition,
    volumes: &[String],
    problems: &mut Problems<'_>,
) {
    if let (Some(limit), Some(reservation)) = (container.memory_limit, container.memory_reservation)
        && reservation > limit
    {
        problems.error(
            &setting(container, "memory_reservation_mib"),
            format!("{reservation} MiB"),
            format!("at most the memory limit ({limit} MiB)"),
        );
    }
    if let Some(check) = &container.health_check {
        let health = |name: &str| setting(container, &format!("health_check.{name}"));
        let seconds = |from, to| Duration::seconds(from)..=Duration::seconds(to);
        problems.range(&health("interval"), check.interval, seconds(5, 300), "");
        problems.range(&health("timeout"), check.timeout, seconds(2, 60), "");
        problems.range(&health("retries"), check.retries, 1..=10, "");
        problems.range(
            &health("start_period"),
            check.start_period,
            seconds(0, 300),
            "",
        );
    }
    for port in &container.ports {
        problems.range(
            &setting(container, "port"),
            port.container_port,
            1..=65535,
            "",
        );
    }
    for (volume, _, _) in &container.mounts {
        if !volumes.contains(volume) {
            problems.error(
                &setting(container, "mount"),
                quoted(volume),
                format!("a volume of the task ({})", list(volumes)),
            );
        }
    }
}

fn check_port_names(containers: &[ContainerDefinition], problems: &mut Problems<'_>) {
    let mut port_names = BTreeSet::new();
    for container in containers {
        for name in container.ports.iter().filter_map(|p| p.name.as_deref()) {
            if !port_names.insert(name) {
                problems.error(
                    &setting(container, "port_mapping"),
                    quoted(name),
                    "port mapping names unique in the task",
                );
            }
        }
    }
}

fn check_dependencies(containers: &[ContainerDefinition], problems: &mut Problems<'_>) {
    let by_name: BTreeMap<&str, &ContainerDefinition> =
        containers.iter().map(|c| (c.name.as_str(), c)).collect();
    for container in containers {
        for (target, condition) in &container.depends_on {
            let setting = setting(container, "depends_on");
            match by_name.get(target.as_str()) {
                None => problems.error(
                    &setting,
                    quoted(target),
                    format!("a container of the task ({})", list(by_name.keys())),
                ),
                Some(_) if target == &container.name => {
                    problems.error(&setting, quoted(target), "another container");
                }
                Some(other) => check_condition(other, *condition, &setting, problems),
            }
        }
    }
    if let Some(cycle) = dependency_cycle(containers) {
        problems.error(
            "container depends_on",
            cycle.join(" -> "),
            "dependencies without a cycle",
        );
    }
}

/// Whether `other` can meet `condition`.
fn check_condition(
    other: &ContainerDefinition,
    condition: DependencyCondition,
    setting: &str,
    problems: &mut Problems<'_>,
) {
    let target = quoted(&other.name);
    if condition == DependencyCondition::Healthy && other.health_check.is_none() {
        problems.error(
            setting,
            format!("{target} HEALTHY"),
            format!("a health check on {target}, or another condition"),
        );
    }
    let exits = matches!(
        condition,
        DependencyCondition::Complete | DependencyCondition::Success
    );
    if exits && other.essential {
        problems.error(
            setting,
            format!("{target} {}", condition.as_str()),
            format!("{target} non-essential (an essential container that exits stops the task)"),
        );
    }
}

fn check_log_routing(containers: &[ContainerDefinition], problems: &mut Problems<'_>) {
    let routers = containers.iter().filter(|c| c.log_router.is_some()).count();
    if routers > 1 {
        problems.error(
            "container",
            format!("{routers} log routers"),
            "at most one FireLens log router per task",
        );
    }
    for container in containers {
        if matches!(container.logging, Some(Logging::FireLens { .. })) && routers == 0 {
            problems.error(
                &setting(container, "logging"),
                "FireLens",
                "a log router in the task (fluent_bit_log_router on one container)",
            );
        }
    }
}

fn list<'a>(items: impl IntoIterator<Item = &'a (impl AsRef<str> + 'a + ?Sized)>) -> String {
    let names: Vec<&str> = items.into_iter().map(AsRef::as_ref).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// The first dependency cycle, as container names (`a -> b -> a`).
fn dependency_cycle(containers: &[ContainerDefinition]) -> Option<Vec<String>> {
    let edges: BTreeMap<&str, Vec<&str>> = containers
        .iter()
        .map(|c| {
            let targets = c.depends_on.iter().map(|(t, _)| t.as_str());
            (c.name.as_str(), targets.filter(|t| *t != c.name).collect())
        })
        .collect();
    let next = |name: &&str| edges.get(name).cloned().unwrap_or_default();
    let cycle = crate::graph::cycles(edges.keys().copied(), next)
        .into_iter()
        .next()?;
    Some(cycle.into_iter().map(str::to_owned).collect())
}
