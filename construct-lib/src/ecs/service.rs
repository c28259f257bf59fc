//! `FargateService`: runs a task definition in a cluster's VPC, with deployment safety,
//! capacity providers, Cloud Map registration, load balancer targets and scaling.

use cfn_l1::ecs as l1;
use cfn_l1::ecs::service as l1s;
use cfn_l1::model::{ResourceRef, Value};

use super::cluster::Cluster;
use super::task_definition::FargateTaskDefinition;
use crate::core::scope::{Owner, Scope};
use crate::ec2::{Connectable, Connections, SecurityGroup, SubnetSelection};
use crate::iam::PolicyStatement;
use crate::problem::Problem;

/// A Fargate capacity provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapacityProvider {
    /// On-demand Fargate.
    Fargate,
    /// Fargate Spot: cheaper, may be interrupted with two minutes' notice.
    FargateSpot,
}

impl CapacityProvider {
    fn name(self) -> &'static str {
        match self {
            Self::Fargate => "FARGATE",
            Self::FargateSpot => "FARGATE_SPOT",
        }
    }
}

/// Where a service's tasks run: `base` tasks first on this provider, the rest split by
/// `weight`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityProviderStrategy {
    /// The provider.
    pub provider: CapacityProvider,
    /// Its share of the tasks beyond the bases.
    pub weight: u32,
    /// Tasks placed on it first.
    pub base: u32,
}

/// Settings of a new [`FargateService`].
#[derive(Clone, Debug)]
pub struct FargateServiceBuilder {
    cluster: Cluster,
    task: FargateTaskDefinition,
    desired_count: u32,
    subnets: SubnetSelection,
    security_groups: Vec<SecurityGroup>,
    assign_public_ip: bool,
    circuit_breaker_rollback: Option<bool>,
    min_healthy_percent: Option<u32>,
    max_healthy_percent: Option<u32>,
    strategies: Vec<CapacityProviderStrategy>,
    execute_command: bool,
    propagate_tags: Option<l1s::PropagateTags>,
    platform_version: String,
    cloud_map_name: Option<String>,
    service_name: Option<String>,
}

impl FargateServiceBuilder {
    /// How many tasks run. Default: 1.
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = count;
        self
    }

    /// The subnets the tasks run in. Default: the VPC's private subnets.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = selection;
        self
    }

    /// Adds a security group. Default: one created for the service (all outbound, no
    /// inbound until connections allow it).
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// Whether tasks get a public IP (tasks in public subnets without NAT need one).
    /// Default: `false`.
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.assign_public_ip = assign;
        self
    }

    /// Stops a failing deployment; with `rollback`, returns to the last working one.
    /// Default: on, with rollback.
    pub fn circuit_breaker(mut self, rollback: bool) -> Self {
        self.circuit_breaker_rollback = Some(rollback);
        self
    }

    /// Turns the deployment circuit breaker off.
    pub fn no_circuit_breaker(mut self) -> Self {
        self.circuit_breaker_rollback = None;
        self
    }

    /// The share of tasks that keep running during a deployment, 0 to 100. Default: ECS's
    /// (100).
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.min_healthy_percent = Some(percent);
        self
    }

    /// The most tasks during a deployment, as a share of the desired count, 100 to 200.
    /// Default: ECS's (200).
    pub fn max_healthy_percent(mut self, percent: u32) -> Self {
        self.max_healthy_percent = Some(percent);
        self
    }

    /// Adds a capacity provider to the strategy. Default: the `FARGATE` launch type.
    pub fn capacity_provider(mut self, strategy: CapacityProviderStrategy) -> Self {
        self.strategies.push(strategy);
        self
    }

    /// Enables ECS Exec (shell into containers); the task role gets the SSM channel
    /// permissions it needs. Default: `false`.
    pub fn enable_execute_command(mut self, enable: bool) -> Self {
        self.execute_command = enable;
        self
    }

    /// Copies the service's tags to its tasks. Default: tags are not copied.
    pub fn propagate_tags_from_service(mut self) -> Self {
        self.propagate_tags = Some(l1s::PropagateTags::Service);
        self
    }

    /// Copies the task definition's tags to the tasks. Default: tags are not copied.
    pub fn propagate_tags_from_task_definition(mut self) -> Self {
        self.propagate_tags = Some(l1s::PropagateTags::TaskDefinition);
        self
    }

    /// The Fargate platform version. Default: `LATEST`.
    pub fn platform_version(mut self, version: impl Into<String>) -> Self {
        self.platform_version = version.into();
        self
    }

    /// Registers the tasks as `name` in the cluster's default Cloud Map namespace
    /// (`name.apps.local`). Default: not registered.
    pub fn cloud_map(mut self, name: impl Into<String>) -> Self {
        self.cloud_map_name = Some(name.into());
        self
    }

    /// The service's name. Default: generated by CloudFormation.
    pub fn service_name(mut self, name: impl Into<String>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// Adds the service under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> FargateService {
        let mut scope = scope.scope(id);
        let path = scope.path();
        let mut problems = Vec::new();
        let mut problem = |property: &str, value: String, allowed: String| {
            problems.push(Problem::error(path.clone(), property, value, allowed));
        };
        let subnets = match self.cluster.vpc().select_subnets(&self.subnets) {
            Ok(subnets) => subnets,
            Err(reason) => {
                problem("vpc_subnets", format!("{:?}", self.subnets), reason);
                Vec::new()
            }
        };
        if subnets.len() > 16 {
            problem(
                "vpc_subnets",
                format!("{} subnets", subnets.len()),
                "at most 16 (awsvpc)".into(),
            );
        }
        if self.security_groups.len() > 5 {
            problem(
                "security_groups",
                format!("{} groups", self.security_groups.len()),
                "at most 5 (awsvpc)".into(),
            );
        }
        if let Some(min) = self.min_healthy_percent
            && min > 100
        {
            problem("min_healthy_percent", min.to_string(), "0 to 100".into());
        }
        if let Some(max) = self.max_healthy_percent
            && !(100..=200).contains(&max)
        {
            problem("max_healthy_percent", max.to_string(), "100 to 200".into());
        }
        if !self.strategies.is_empty() {
            if self.strategies.iter().all(|s| s.weight == 0) {
                problem(
                    "capacity_provider",
                    "every weight 0".into(),
                    "at least one provider with a weight above 0".into(),
                );
            }
            if self.strategies.iter().filter(|s| s.base > 0).count() > 1 {
                problem(
                    "capacity_provider",
                    "several providers with a base".into(),
                    "a base on one provider at most".into(),
                );
            }
        }
        let registry = match (&self.cloud_map_name, self.cluster.namespace()) {
            (Some(name), Some(namespace)) => Some(namespace.clone().register(
                &mut scope,
                "CloudMapService",
                name,
            )),
            (Some(name), None) => {
                problem(
                    "cloud_map",
                    format!("{name:?}"),
                    "a cluster with a default Cloud Map namespace (default_cloud_map_namespace)"
                        .into(),
                );
                None
            }
            _ => None,
        };
        scope.stack_mut().problems.extend(problems);

        let security_groups = if self.security_groups.is_empty() {
            vec![SecurityGroup::builder(self.cluster.vpc()).build(&mut scope, "SecurityGroup")]
        } else {
            self.security_groups.clone()
        };
        if self.execute_command {
            self.task.task_role().add_to_policy(
                &mut scope,
                PolicyStatement::allow()
                    .actions([
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ])
                    // These actions take no resource ARN.
                    .resource("*"),
            );
        }
        let mut deployment = l1s::DeploymentConfiguration::new();
        if let Some(rollback) = self.circuit_breaker_rollback {
            deployment = deployment
                .deployment_circuit_breaker(l1s::DeploymentCircuitBreaker::new(true, rollback));
        }
        if let Some(min) = self.min_healthy_percent {
            deployment = deployment.minimum_healthy_percent(i64::from(min));
        }
        if let Some(max) = self.max_healthy_percent {
            deployment = deployment.maximum_percent(i64::from(max));
        }
        let mut service = l1::Service::new()
            .cluster(self.cluster.name())
            .task_definition(self.task.arn())
            .desired_count(i64::from(self.desired_count))
            .platform_version(self.platform_version.as_str())
            .deployment_configuration(deployment)
            .enable_execute_command(self.execute_command)
            .network_configuration(
                l1s::NetworkConfiguration::new().awsvpc_configuration(
                    l1s::AwsVpcConfiguration::new()
                        .assign_public_ip(if self.assign_public_ip {
                            l1s::AssignPublicIp::Enabled
                        } else {
                            l1s::AssignPublicIp::Disabled
                        })
                        .subnets(subnets.iter().map(|s| s.subnet_id()).collect::<Vec<_>>())
                        .security_groups(
                            security_groups
                                .iter()
                                .map(SecurityGroup::group_id)
                                .collect::<Vec<_>>(),
                        ),
                ),
            );
        if self.strategies.is_empty() {
            service = service.launch_type(l1s::LaunchType::Fargate);
        } else {
            service = service.capacity_provider_strategy(
                self.strategies
                    .iter()
                    .map(|s| {
                        l1s::CapacityProviderStrategyItem::new()
                            .capacity_provider(s.provider.name())
                            .weight(i64::from(s.weight))
                            .base(i64::from(s.base))
                    })
                    .collect::<Vec<_>>(),
            );
        }
        if let Some(tags) = self.propagate_tags {
            service = service.propagate_tags(tags);
        }
        if let Some(arn) = registry {
            service =
                service.service_registries(vec![l1s::ServiceRegistry::new().registry_arn(arn)]);
        }
        if let Some(name) = &self.service_name {
            service = service.service_name(name.as_str());
        }
        let resource = scope.add("Service", service);
        // Tasks must not start before their roles' policies exist (secrets, logs, grants),
        // including grants made after this point.
        for role in [self.task.execution_role(), self.task.task_role()] {
            role.make_wait_for_policy(scope.stack_mut(), resource.id());
        }
        FargateService {
            name: resource.attr_name(),
            arn: resource.ref_value(),
            cluster: self.cluster,
            task: self.task,
            security_groups,
            owner: Owner::of(&scope),
            resource,
        }
    }
}

/// A Fargate service. A cheap handle.
#[derive(Clone, Debug)]
pub struct FargateService {
    name: Value<String>,
    arn: Value<String>,
    cluster: Cluster,
    task: FargateTaskDefinition,
    security_groups: Vec<SecurityGroup>,
    owner: Owner,
    resource: ResourceRef<l1::Service>,
}

impl FargateService {
    /// Settings for a service running `task` in `cluster`.
    pub fn builder(cluster: &Cluster, task: &FargateTaskDefinition) -> FargateServiceBuilder {
        FargateServiceBuilder {
            cluster: cluster.clone(),
            task: task.clone(),
            desired_count: 1,
            subnets: SubnetSelection::Default,
            security_groups: Vec::new(),
            assign_public_ip: false,
            circuit_breaker_rollback: Some(true),
            min_healthy_percent: None,
            max_healthy_percent: None,
            strategies: Vec::new(),
            execute_command: false,
            propagate_tags: None,
            platform_version: "LATEST".to_owned(),
            cloud_map_name: None,
            service_name: None,
        }
    }

    /// The service name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The service ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The cluster.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The task definition.
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task
    }

    /// The L1 service: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::Service> {
        &self.resource
    }

    /// Makes the task count scale between `count`'s bounds; add policies to the result.
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// use construct_lib::applicationautoscaling::Cooldowns;
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")))
    /// #     .build(stack, "Task");
    /// let service = FargateService::builder(&cluster, &task).build(stack, "Service");
    /// let scaling = service.auto_scale_task_count(stack, 2..=10);
    /// scaling.scale_on_cpu_utilization(stack, "Cpu", 70.0, Cooldowns { scale_out_seconds: 60, scale_in_seconds: 120 });
    /// ```
    pub fn auto_scale_task_count(
        &self,
        scope: &mut impl Scope,
        count: std::ops::RangeInclusive<u32>,
    ) -> crate::applicationautoscaling::ScalableTaskCount {
        let id = format!(
            "{}TaskCount",
            self.owner.path.rsplit('/').next().unwrap_or("Service")
        );
        crate::applicationautoscaling::ScalableTaskCount::new(scope, &id, self, count)
    }

    /// Registers `container:port` with a load balancer target group; `container` must listen
    /// on `port` (checked). `grace_seconds` is the health-check grace period after a task
    /// starts. Used by load balancer listeners.
    pub(crate) fn add_load_balancer(
        &self,
        scope: &mut impl Scope,
        target_group_arn: Value<String>,
        container: &str,
        port: u16,
        grace_seconds: Option<u32>,
    ) {
        if !self.task.has_port(container, port) {
            scope.stack_mut().problems.push(Problem::error(
                self.owner.path.clone(),
                "load balancer target",
                format!("{container}:{port}"),
                format!(
                    "a container port of the task definition ({})",
                    self.task.ports_description()
                ),
            ));
            return;
        }
        let Some(mut scope) = self.owner.reopen(
            scope.stack_mut(),
            "load balancer target",
            format!("{container}:{port}"),
            "targets added through the stack that owns the service",
        ) else {
            return;
        };
        if let Some(service) = scope.l1_mut(&self.resource) {
            service.load_balancers.get_or_insert_with(Vec::new).push(
                l1s::LoadBalancer::new()
                    .container_name(container)
                    .container_port(i64::from(port))
                    .target_group_arn(target_group_arn),
            );
            if let Some(grace) = grace_seconds {
                service.health_check_grace_period_seconds = Some(Value::from(i64::from(grace)));
            }
        }
    }
}

impl Connectable for FargateService {
    fn connections(&self) -> Connections {
        Connections::new(self.security_groups.clone())
    }
    fn peer_label(&self) -> String {
        self.owner.path.clone()
    }
}
