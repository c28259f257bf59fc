//! What only an EC2 service takes: placement strategies and constraints, daemon
//! scheduling, and the instances' security groups for tasks without their own interface;
//! with the rules ECS applies to them.

use cfn_l1::ecs as l1;
use cfn_l1::ecs::service as l1s;

use super::capacity::{CapacityProvider, CapacityProviderStrategy};
use super::{Ec2Service, Ec2ServiceBuilder, ServiceBuilder};
use crate::ec2::SecurityGroup;
use crate::ecs::deployment::Deployment;
use crate::ecs::launch::{LaunchType, NetworkMode};
use crate::ecs::{Cluster, Ec2TaskDefinition, PlacementConstraint, PlacementStrategy};
use crate::problem::Problems;

/// How the scheduler runs a service's tasks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheduling {
    /// A desired count of tasks, placed by the strategies. The default.
    #[default]
    Replica,
    /// One task on each instance of the cluster that meets the placement constraints (an
    /// agent on every instance). EC2 only.
    Daemon,
}

impl Ec2Service {
    /// Settings for a service running `task` on the EC2 instances of `cluster`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::*;
    /// let mut app = App::new();
    /// let stack = app.stack("Agents");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// cluster.add_capacity(stack, "Capacity", "m7i.large", 1..=4);
    /// let task = Ec2TaskDefinition::builder()
    ///     .container(ContainerDefinition::new("agent", ContainerImage::from_registry("amazon/cloudwatch-agent:latest")).memory_limit_mib(256))
    ///     .build(stack, "AgentTask");
    /// let agent = Ec2Service::builder(&cluster, &task).daemon().build(stack, "Agent");
    /// # let _ = agent;
    /// ```
    pub fn builder(cluster: &Cluster, task: &Ec2TaskDefinition) -> Ec2ServiceBuilder {
        ServiceBuilder::new(cluster, task)
    }
}

impl Ec2ServiceBuilder {
    /// Adds a placement strategy (up to 5, applied in order). Default: none (ECS's
    /// default for services, spread across zones).
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # cluster.add_capacity(stack, "Capacity", "m7i.large", 1..=4);
    /// # let task = Ec2TaskDefinition::builder()
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).memory_limit_mib(256))
    /// #     .build(stack, "Task");
    /// let service = Ec2Service::builder(&cluster, &task)
    ///     .placement_strategy(PlacementStrategy::spread_across_zones())
    ///     .placement_strategy(PlacementStrategy::binpack_memory())
    ///     .placement_constraint(PlacementConstraint::instance_type_in(["m7i.large"]))
    ///     .build(stack, "Service");
    /// # let _ = service;
    /// ```
    pub fn placement_strategy(mut self, strategy: PlacementStrategy) -> Self {
        self.placement_strategies.push(strategy);
        self
    }

    /// Adds a placement constraint (up to 10). Default: none.
    pub fn placement_constraint(mut self, constraint: PlacementConstraint) -> Self {
        self.placement_constraints.push(constraint);
        self
    }

    /// Runs one task on each instance of the cluster (a daemon service): no desired
    /// count, no placement strategy, no capacity provider strategy, no task count
    /// scaling, no deployment circuit breaker (written only for replica services); ECS
    /// stops daemon tasks last when an instance drains. Default: replica.
    pub fn daemon(mut self) -> Self {
        self.scheduling = Scheduling::Daemon;
        self
    }
}

/// The security groups of the instances tasks of `strategies` run on: those of the
/// providers named, or every provider of the cluster when none is (the `EC2` launch type,
/// daemon services).
pub(super) fn instance_security_groups(
    cluster: &Cluster,
    strategies: &[CapacityProviderStrategy],
) -> Vec<SecurityGroup> {
    let named: Vec<_> = strategies
        .iter()
        .filter_map(|s| match &s.provider {
            CapacityProvider::Asg(provider) => Some(provider.clone()),
            _ => None,
        })
        .collect();
    let providers = if named.is_empty() {
        cluster.asg_capacity_providers()
    } else {
        named
    };
    let mut groups: Vec<SecurityGroup> = Vec::new();
    for group in providers.iter().flat_map(|p| p.security_groups()) {
        if !groups.iter().any(|g| g.group_id() == group.group_id()) {
            groups.push(group.clone());
        }
    }
    groups
}

/// The EC2 rules: daemon scheduling and what it excludes, placement limits, and
/// `awsvpc`-only settings.
pub(super) fn check<L: LaunchType>(builder: &ServiceBuilder<L>, problems: &mut Problems<'_>) {
    if builder.placement_strategies.len() > 5 {
        let value = format!("{} strategies", builder.placement_strategies.len());
        problems.error(
            "placement_strategy",
            value,
            "at most 5 placement strategies",
        );
    }
    if builder.placement_constraints.len() > 10 {
        let value = format!("{} constraints", builder.placement_constraints.len());
        problems.error(
            "placement_constraint",
            value,
            "at most 10 placement constraints",
        );
    }
    for constraint in &builder.placement_constraints {
        constraint.check("placement_constraint", problems);
    }
    if builder.scheduling == Scheduling::Daemon {
        check_daemon(builder, problems);
    }
    if builder.cluster.asg_capacity_providers().is_empty() {
        problems.warning(
            "cluster",
            "a cluster without EC2 capacity",
            "instances for the tasks: add them before the service (Cluster::add_capacity or Cluster::add_asg_capacity_provider); otherwise the tasks run only on instances that joined the cluster some other way",
        );
    }
    let mode = builder.task.network_mode();
    if mode != NetworkMode::AwsVpc {
        if let Some(selection) = &builder.subnets {
            problems.error("vpc_subnets", selection, format!("no subnets in {mode} networking: tasks use the instance's network; choose awsvpc networking on the task definition to place tasks in subnets"));
        }
        if !builder.security_groups.is_empty() {
            let value = format!("{} security groups", builder.security_groups.len());
            problems.error("security_group", value, format!("no security groups of its own in {mode} networking: tasks use the instances' groups (service.connections() opens them); choose awsvpc networking for groups per task"));
        }
    }
    if mode == NetworkMode::Host && builder.service_connect.is_some() {
        problems.error("service_connect", "in host networking", "a task definition in bridge or awsvpc networking: Service Connect does not support host networking");
    }
}

/// What a daemon service cannot have.
fn check_daemon<L: LaunchType>(builder: &ServiceBuilder<L>, problems: &mut Problems<'_>) {
    const WHY: &str = "with daemon scheduling";
    if let Some(count) = builder.desired_count {
        problems.error(
            "desired_count",
            format!("{count} {WHY}"),
            "no desired count on a daemon service: it runs one task on each instance that meets its constraints (remove desired_count, or drop daemon() for a replica service)",
        );
    }
    if !builder.placement_strategies.is_empty() {
        let names: Vec<String> = builder
            .placement_strategies
            .iter()
            .map(ToString::to_string)
            .collect();
        problems.error(
            "placement_strategy",
            format!("{} {WHY}", names.join(", ")),
            "no placement strategy on a daemon service (constraints only)",
        );
    }
    if !builder.strategies.is_empty() {
        let names: Vec<String> = builder
            .strategies
            .iter()
            .map(|s| s.provider.label())
            .collect();
        problems.error(
            "capacity_provider",
            format!("{} {WHY}", names.join(", ")),
            "no capacity provider strategy on a daemon service: it runs on every instance of the cluster (the EC2 launch type)",
        );
    }
    let rolling_max = match &builder.deployment {
        Deployment::Rolling(rolling) => rolling.max_healthy_percent,
        Deployment::BlueGreen(_) | Deployment::CodeDeploy | Deployment::CodeDeployHook => None,
    };
    if !matches!(builder.deployment, Deployment::Rolling(_)) {
        problems.error(
            "deployment",
            format!("{} {WHY}", builder.deployment.label()),
            "a rolling update on a daemon service: blue/green and CodeDeploy deployments start a second set of tasks, and a daemon runs one task per instance",
        );
    }
    if let Some(max) = rolling_max
        && max != 100
    {
        problems.error(
            "max_healthy_percent",
            format!("{max}% {WHY}"),
            "100% on a daemon service (one task per instance: a deployment stops the old task before it starts the new)",
        );
    }
}

/// The placement and scheduling properties of the L1 service.
pub(super) fn placement_and_scheduling<L: LaunchType>(
    mut service: l1::Service,
    builder: &ServiceBuilder<L>,
) -> l1::Service {
    if !builder.placement_strategies.is_empty() {
        service = service.placement_strategies(
            builder
                .placement_strategies
                .iter()
                .map(PlacementStrategy::to_l1)
                .collect::<Vec<_>>(),
        );
    }
    if !builder.placement_constraints.is_empty() {
        service = service.placement_constraints(
            builder
                .placement_constraints
                .iter()
                .map(PlacementConstraint::to_service_l1)
                .collect::<Vec<_>>(),
        );
    }
    if builder.scheduling == Scheduling::Daemon {
        service = service.scheduling_strategy(l1s::SchedulingStrategy::Daemon);
        // A daemon places one task per instance and never retries elsewhere: the circuit
        // breaker has nothing to count (aws-cdk#38102), so it is left out.
        if let Some(deployment) = service.deployment_configuration.as_mut() {
            deployment.deployment_circuit_breaker = None;
        }
    }
    service
}
