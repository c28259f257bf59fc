//! `Service<L>`: one service model for Fargate and EC2 ([`FargateService`], [`Ec2Service`]):
//! runs a task definition in a cluster, with deployment safety, capacity providers, Cloud
//! Map registration, Service Connect, load balancer targets and scaling. What only one
//! launch type accepts is in `fargate.rs` (public IPs, platform version) and `ec2.rs`
//! (placement, daemon scheduling, the instances' security groups); `capacity.rs` holds the
//! capacity provider strategies.

mod blue_green;
mod capacity;
mod ec2;
mod fargate;
mod release;
mod task_set;

use std::marker::PhantomData;

pub(crate) use blue_green::BlueGreenRouting;
pub use capacity::{CapacityProvider, CapacityProviderStrategy};
pub use ec2::Scheduling;

use cfn_l1::ecs as l1;
use cfn_l1::ecs::service as l1s;
use cfn_l1::model::{ResourceId, ResourceRef, Value};

use super::cluster::Cluster;
use super::deployment::{self, BlueGreen, Deployment};
use super::launch::{Compatibility, Ec2, Fargate, LaunchType, NetworkMode};
use super::placement::{PlacementConstraint, PlacementStrategy};
use super::service_connect::{self, ServiceConnect};
use super::task_definition::TaskDefinition;
use crate::Duration;
use crate::applicationautoscaling::ScalableTaskCount;
use crate::cloudwatch::{Alarm, Metric};
use crate::core::scope::{Owner, Scope};
use crate::ec2::{Connectable, Connections, Port, SecurityGroup, Subnet, SubnetSelection};
use crate::iam::{PolicyStatement, Role};
use crate::problem::Problems;

/// Settings of a new [`Service`]: [`FargateService::builder`] or [`Ec2Service::builder`].
#[derive(Clone, Debug)]
pub struct ServiceBuilder<L: LaunchType> {
    cluster: Cluster,
    task: TaskDefinition<L>,
    desired_count: Option<u32>,
    subnets: Option<SubnetSelection>,
    security_groups: Vec<SecurityGroup>,
    fargate_public_ip: bool,
    deployment: Deployment,
    strategies: Vec<CapacityProviderStrategy>,
    execute_command: bool,
    propagate_tags: Option<l1s::PropagateTags>,
    fargate_platform_version: Option<String>,
    cloud_map_name: Option<String>,
    service_connect: Option<ServiceConnect>,
    service_name: Option<String>,
    health_check_grace_period: Option<Duration>,
    placement_strategies: Vec<PlacementStrategy>,
    placement_constraints: Vec<PlacementConstraint>,
    scheduling: Scheduling,
    launch: PhantomData<fn() -> L>,
}

/// Settings of a new [`FargateService`].
pub type FargateServiceBuilder = ServiceBuilder<Fargate>;

/// Settings of a new [`Ec2Service`].
pub type Ec2ServiceBuilder = ServiceBuilder<Ec2>;

impl<L: LaunchType> ServiceBuilder<L> {
    fn new(cluster: &Cluster, task: &TaskDefinition<L>) -> Self {
        Self {
            cluster: cluster.clone(),
            task: task.clone(),
            desired_count: None,
            subnets: None,
            security_groups: Vec::new(),
            fargate_public_ip: false,
            deployment: Deployment::default(),
            strategies: Vec::new(),
            execute_command: false,
            propagate_tags: None,
            fargate_platform_version: None,
            cloud_map_name: None,
            service_connect: None,
            service_name: None,
            health_check_grace_period: None,
            placement_strategies: Vec::new(),
            placement_constraints: Vec::new(),
            scheduling: Scheduling::Replica,
            launch: PhantomData,
        }
    }

    /// How many tasks run. Default: 1. A service whose task count scales
    /// ([`Service::auto_scale_task_count`]) leaves the count to scaling: it starts
    /// with one task, scaling raises it to its minimum, and deploys keep the live count.
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = Some(count);
        self
    }

    /// The subnets the tasks run in, in `awsvpc` networking. Default: the VPC's private
    /// subnets.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// Adds a security group, in `awsvpc` networking. Default: one created for the service
    /// (all outbound, no inbound until connections allow it).
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// How deployments replace the tasks: a [`Rolling`] update (circuit breaker, healthy
    /// percents, alarms), an ECS [`BlueGreen`] deployment (all at once, canary or linear,
    /// with bake time, hooks and alarms), or [`Deployment::CodeDeploy`]. Default: a rolling
    /// update with the circuit breaker on, with rollback.
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// use construct_lib::Duration;
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80))
    /// #     .build(stack, "Task");
    /// let rolling = FargateService::builder(&cluster, &task)
    ///     .deployment(Rolling::new().min_healthy_percent(50).max_healthy_percent(200))
    ///     .build(stack, "Worker");
    /// let canary = FargateService::builder(&cluster, &task)
    ///     .deployment(BlueGreen::canary(25.0, Duration::minutes(10)))
    ///     .build(stack, "Web");
    /// # let _ = (rolling, canary);
    /// ```
    pub fn deployment(mut self, deployment: impl Into<Deployment>) -> Self {
        self.deployment = deployment.into();
        self
    }

    /// Adds a capacity provider to the strategy. Default: on Fargate, the `FARGATE` launch
    /// type; on EC2, the cluster's default strategy (its Auto Scaling group providers), or
    /// the `EC2` launch type when it has none.
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

    /// Registers the tasks as `name` in the cluster's default Cloud Map namespace
    /// (`name.apps.local`). Default: not registered.
    pub fn cloud_map(mut self, name: impl Into<String>) -> Self {
        self.cloud_map_name = Some(name.into());
        self
    }

    /// Joins Service Connect: serves named ports to the namespace, or is a client only
    /// ([`ServiceConnect::client_only`]). Default: not joined.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize, FargateTaskDefinition, PortMapping, ServiceConnect, ServiceConnectService};
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).service_connect_default_namespace("apps.local").build(stack, "Cluster");
    /// let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    ///     .container(ContainerDefinition::new("api", ContainerImage::from_registry("nginx:1.27"))
    ///         .port_mapping(PortMapping::tcp(8080).name("http")))
    ///     .build(stack, "ApiTask");
    /// FargateService::builder(&cluster, &task)
    ///     .service_connect(ServiceConnect::server(ServiceConnectService::new("http").discovery_name("api")))
    ///     .build(stack, "Api");
    /// ```
    pub fn service_connect(mut self, config: ServiceConnect) -> Self {
        self.service_connect = Some(config);
        self
    }

    /// The service's name. Default: generated by CloudFormation.
    pub fn service_name(mut self, name: impl Into<String>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// How long load balancer health checks of new tasks are ignored, up to 2,147,483,647
    /// seconds; used once the service is a load balancer target. Default: none (0).
    pub fn health_check_grace_period(mut self, period: Duration) -> Self {
        self.health_check_grace_period = Some(period);
        self
    }

    /// Adds the service under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Service<L> {
        let mut scope = scope.scope(id);
        let strategies = self.effective_strategies();
        let subnets = self.check(&strategies, &mut scope.problems());
        let registry = self.cloud_map_registry(&mut scope);
        let security_groups = self.security_groups_of_tasks(&mut scope, &strategies);
        if self.execute_command {
            self.grant_execute_command(&mut scope);
        }
        let mut service = self.to_l1(&subnets, &security_groups, &strategies, registry);
        let hook_role = self.lifecycle_hooks(&mut scope, &mut service);
        if let Some(config) = &self.service_connect {
            service.service_connect_configuration =
                service_connect::configure(&mut scope, config, &self.cluster, &self.task);
        }
        let task_set_settings = matches!(self.deployment, Deployment::CodeDeployHook)
            .then(|| task_set::take_task_set_settings(&mut service));
        let resource = scope.add("Service", service);
        let task_set = task_set_settings.map(|settings| {
            let network = (subnets.as_slice(), security_groups.as_slice());
            task_set::add(&mut scope, &self, &resource, settings, network)
        });
        // The tasks start with the task set where there is one.
        let tasks = task_set.as_ref().map_or(resource.id(), ResourceRef::id);
        self.order(&mut scope, tasks, &subnets, &strategies);
        if let Some(role) = hook_role {
            role.make_wait_for_policy(&mut scope, resource.id());
        }
        let served_ports = self
            .service_connect
            .as_ref()
            .map(|config| service_connect::served_ports(config, &self.task))
            .unwrap_or_default();
        Service {
            name: resource.attr_name(),
            arn: resource.ref_value(),
            cluster: self.cluster,
            task: self.task,
            security_groups,
            desired_count: self.desired_count,
            health_check_grace_period: self.health_check_grace_period,
            daemon: self.scheduling == Scheduling::Daemon,
            deployment_label: self.deployment.label(),
            stack_name: scope.stack().name().to_owned(),
            blue_green: match self.deployment {
                Deployment::BlueGreen(blue_green) => Some(*blue_green),
                _ => None,
            },
            served_ports,
            owner: Owner::of(&scope),
            resource,
            task_set,
            launch: PhantomData,
        }
    }

    /// How the service names its task definition: by ARN, so that a stack update deploys a
    /// new revision; a CodeDeploy service by family, because CloudFormation cannot change
    /// the task definition of a CODE_DEPLOY service (a new revision reaches it through a
    /// CodeDeploy deployment).
    fn task_definition_reference(&self) -> Value<String> {
        match (&self.deployment, self.task.family()) {
            (Deployment::CodeDeploy, Some(family)) => Value::from(family),
            _ => self.task.arn(),
        }
    }

    /// The lifecycle hooks of a blue/green deployment, with the role that invokes them.
    fn lifecycle_hooks(&self, scope: &mut impl Scope, service: &mut l1::Service) -> Option<Role> {
        let Deployment::BlueGreen(blue_green) = &self.deployment else {
            return None;
        };
        let role = blue_green::hook_role(scope, blue_green)?;
        if let Some(deployment) = service.deployment_configuration.as_mut() {
            deployment.lifecycle_hooks = Some(blue_green.hooks_l1(&role.arn()));
        }
        Some(role)
    }

    /// What the service waits for before it is created.
    fn order(
        &self,
        scope: &mut impl Scope,
        service: ResourceId,
        subnets: &[Subnet],
        strategies: &[CapacityProviderStrategy],
    ) {
        if let Some(config) = &self.service_connect {
            service_connect::order(scope, config, &self.cluster, service);
        }
        // Tasks must not start before their roles' policies exist (secrets, logs, grants),
        // including grants made after this point, nor before their subnets' routes (or
        // they cannot pull images and trip the circuit breaker). The CDK waits for the task
        // role only, and not for the routes; it also makes the service's security group,
        // Cloud Map service and scaling wait for the task role, which need nothing of it.
        for role in [self.task.execution_role(), self.task.task_role()] {
            role.make_wait_for_policy(scope, service);
        }
        Subnet::wait_for_routes(scope, service, subnets);
        if matches!(self.deployment, Deployment::CodeDeploy) {
            self.keep_code_deploy_revisions(scope, service);
        }
        // A strategy may only name providers already associated with the cluster.
        for strategy in strategies {
            if let CapacityProvider::Asg(provider) = &strategy.provider {
                provider.make_wait_for_association(scope, service);
            }
        }
    }

    /// A CodeDeploy service names its task definition by family: that is no reference the
    /// service waits for, so it waits explicitly. A new image replaces the task definition
    /// resource; CloudFormation would then deregister the revision the service still runs
    /// (until a CodeDeploy deployment moves it), which a rollback needs: the old revisions
    /// are kept (`UpdateReplacePolicy` and `DeletionPolicy: Retain`).
    fn keep_code_deploy_revisions(&self, scope: &mut impl Scope, service: ResourceId) {
        let task = self.task.resource();
        scope.stack_mut().add_dependency_of(service, task.id());
        if task.id().stack == scope.stack().id {
            // Kept on deletion too (cfn-lint W3011 asks for both): a registered revision costs
            // nothing, and one deleted under a running service cannot be rolled back to.
            scope
                .resource_options(task)
                .removal_policy(crate::RemovalPolicy::Retain);
        }
    }

    /// The security groups of the tasks: their own in `awsvpc` networking (one created
    /// unless given), else those of the instances they run on.
    fn security_groups_of_tasks(
        &self,
        scope: &mut impl Scope,
        strategies: &[CapacityProviderStrategy],
    ) -> Vec<SecurityGroup> {
        if self.task.network_mode() != NetworkMode::AwsVpc {
            return ec2::instance_security_groups(&self.cluster, strategies);
        }
        if self.security_groups.is_empty() {
            vec![SecurityGroup::builder(self.cluster.vpc()).build(scope, "SecurityGroup")]
        } else {
            self.security_groups.clone()
        }
    }

    /// The strategy written: the one given, or on EC2 the cluster's default one (written
    /// out, so that the template says where tasks run).
    fn effective_strategies(&self) -> Vec<CapacityProviderStrategy> {
        let replica_on_ec2 =
            L::COMPATIBILITY == Compatibility::Ec2 && self.scheduling == Scheduling::Replica;
        if self.strategies.is_empty() && replica_on_ec2 {
            self.cluster.default_capacity_provider_strategy()
        } else {
            self.strategies.clone()
        }
    }

    /// Reports every invalid setting; returns the selected subnets (none outside `awsvpc`).
    fn check(
        &self,
        strategies: &[CapacityProviderStrategy],
        problems: &mut Problems<'_>,
    ) -> Vec<Subnet> {
        let subnets = if self.task.network_mode() == NetworkMode::AwsVpc {
            self.check_awsvpc(problems)
        } else {
            Vec::new()
        };
        match &self.deployment {
            Deployment::Rolling(rolling) => rolling.check(problems),
            Deployment::BlueGreen(blue_green) => blue_green.check(problems),
            Deployment::CodeDeploy if self.task.family().is_none() => problems.error(
                "deployment",
                "CODE_DEPLOY with a task definition without a family",
                "a task definition with a family (TaskDefinitionBuilder::family): a CodeDeploy service names its task definition by family, because CloudFormation cannot change the task definition of a CODE_DEPLOY service",
            ),
            Deployment::CodeDeploy | Deployment::CodeDeployHook => {}
        }
        task_set::check(self, problems);
        if let Some(period) = self.health_check_grace_period {
            problems.at_most(
                "health_check_grace_period",
                period,
                Duration::seconds(2_147_483_647),
                "",
            );
        }
        capacity::check(&self.strategies, "capacity_provider", problems);
        self.check_providers(strategies, problems);
        if L::COMPATIBILITY == Compatibility::Ec2 {
            ec2::check(self, problems);
        }
        subnets
    }

    /// Providers of the launch type, associated with this service's cluster.
    fn check_providers(
        &self,
        strategies: &[CapacityProviderStrategy],
        problems: &mut Problems<'_>,
    ) {
        for strategy in strategies {
            let label = strategy.provider.label();
            match (&strategy.provider, L::COMPATIBILITY) {
                (CapacityProvider::Asg(provider), _) if !provider.belongs_to(&self.cluster) => {
                    problems.error(
                        "capacity_provider",
                        label,
                        "a capacity provider added to this service's cluster (Cluster::add_asg_capacity_provider)",
                    );
                }
                (CapacityProvider::Asg(_), Compatibility::Fargate) => problems.error(
                    "capacity_provider",
                    label,
                    "FARGATE or FARGATE_SPOT for a Fargate task definition; Auto Scaling group providers run EC2 task definitions (Ec2Service)",
                ),
                (CapacityProvider::Fargate | CapacityProvider::FargateSpot, Compatibility::Ec2) => {
                    problems.error(
                        "capacity_provider",
                        label,
                        "an Auto Scaling group provider for an EC2 task definition; FARGATE and FARGATE_SPOT run Fargate task definitions (FargateService)",
                    )
                }
                _ => {}
            }
        }
    }

    /// The `awsvpc` rules: subnets of the VPC with a way out, interface limits.
    fn check_awsvpc(&self, problems: &mut Problems<'_>) -> Vec<Subnet> {
        let selection = self.subnets.clone().unwrap_or_default();
        let subnets = match self.cluster.vpc().select_subnets(&selection) {
            Ok(subnets) => subnets,
            Err(reason) => {
                problems.error("vpc_subnets", &selection, reason);
                Vec::new()
            }
        };
        let isolated = |s: &Subnet| s.subnet_type() == crate::ec2::SubnetType::PrivateIsolated;
        if !subnets.is_empty() && subnets.iter().all(isolated) {
            problems.warning(
                "vpc_subnets",
                &selection,
                "subnets with a way out: tasks in isolated subnets reach no image registry, CloudWatch Logs or Secrets Manager unless the VPC has interface endpoints for them; choose private subnets with egress unless it does",
            );
        }
        if subnets.len() > 16 {
            let value = format!("{} subnets", subnets.len());
            problems.error("vpc_subnets", value, "at most 16 subnets (awsvpc)");
        }
        if self.security_groups.len() > 5 {
            let value = format!("{} security groups", self.security_groups.len());
            problems.error(
                "security_group",
                value,
                "at most 5 security groups (awsvpc)",
            );
        }
        subnets
    }

    /// The Cloud Map service the tasks register in, if any.
    fn cloud_map_registry(&self, scope: &mut impl Scope) -> Option<Value<String>> {
        let name = self.cloud_map_name.as_ref()?;
        if self.task.network_mode() != NetworkMode::AwsVpc {
            scope.problems().error(
                "cloud_map",
                crate::problem::quoted(name),
                format!("a task definition in awsvpc networking: the A records this registration writes need a task address, and {} networking has none (SRV records are not supported yet)", self.task.network_mode()),
            );
            return None;
        }
        match self.cluster.namespace() {
            Some(namespace) => Some(namespace.register(scope, "CloudMapService", name)),
            None => {
                scope.problems().error(
                    "cloud_map",
                    crate::problem::quoted(name),
                    "a cluster with a default Cloud Map namespace (default_cloud_map_namespace)",
                );
                None
            }
        }
    }

    /// ECS Exec opens SSM channels from the task: these actions take no resource ARN.
    fn grant_execute_command(&self, scope: &mut impl Scope) {
        self.task.task_role().add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ])
                .resource("*"),
        );
    }

    /// The deployment configuration and controller; blue/green hooks are added once their
    /// role exists ([`release::prepare`]).
    fn deployment_l1(
        &self,
    ) -> (
        Option<l1s::DeploymentConfiguration>,
        Option<l1s::DeploymentController>,
    ) {
        match &self.deployment {
            Deployment::Rolling(rolling) => (Some(rolling.to_l1()), None),
            Deployment::BlueGreen(blue_green) => (Some(blue_green.to_l1()), None),
            Deployment::CodeDeploy => (
                None,
                Some(l1s::DeploymentController::new().type_(l1s::Type::CodeDeploy)),
            ),
            Deployment::CodeDeployHook => (
                None,
                Some(l1s::DeploymentController::new().type_(l1s::Type::External)),
            ),
        }
    }

    fn network_configuration(
        &self,
        subnets: &[Subnet],
        security_groups: &[SecurityGroup],
    ) -> Option<l1s::NetworkConfiguration> {
        if self.task.network_mode() != NetworkMode::AwsVpc {
            return None;
        }
        let mut awsvpc = l1s::AwsVpcConfiguration::new()
            .subnets(subnets.iter().map(Subnet::subnet_id).collect::<Vec<_>>())
            .security_groups(
                security_groups
                    .iter()
                    .map(SecurityGroup::group_id)
                    .collect::<Vec<_>>(),
            );
        // ECS refuses AssignPublicIp on EC2 tasks, even DISABLED.
        if L::COMPATIBILITY == Compatibility::Fargate {
            awsvpc = awsvpc.assign_public_ip(if self.fargate_public_ip {
                l1s::AssignPublicIp::Enabled
            } else {
                l1s::AssignPublicIp::Disabled
            });
        }
        Some(l1s::NetworkConfiguration::new().awsvpc_configuration(awsvpc))
    }

    fn to_l1(
        &self,
        subnets: &[Subnet],
        security_groups: &[SecurityGroup],
        strategies: &[CapacityProviderStrategy],
        registry: Option<Value<String>>,
    ) -> l1::Service {
        let (configuration, controller) = self.deployment_l1();
        let mut service = l1::Service::new()
            .cluster(self.cluster.name())
            .task_definition(self.task_definition_reference())
            .set_deployment_configuration(configuration)
            .set_deployment_controller(controller)
            .enable_execute_command(self.execute_command)
            .set_network_configuration(self.network_configuration(subnets, security_groups))
            .set_platform_version(self.fargate_platform_version.as_deref().map(Value::from));
        if self.scheduling == Scheduling::Replica {
            service = service.desired_count(i64::from(self.desired_count.unwrap_or(1)));
        }
        service = match (strategies.is_empty(), L::COMPATIBILITY) {
            (false, _) => service.capacity_provider_strategy(
                strategies
                    .iter()
                    .map(CapacityProviderStrategy::to_service_l1)
                    .collect::<Vec<_>>(),
            ),
            (true, Compatibility::Fargate) => service.launch_type(l1s::LaunchType::Fargate),
            (true, _) => service.launch_type(l1s::LaunchType::Ec2),
        };
        service = ec2::placement_and_scheduling(service, self);
        if let Some(tags) = &self.propagate_tags {
            service = service.propagate_tags(tags.clone());
        }
        if let Some(arn) = registry {
            service =
                service.service_registries(vec![l1s::ServiceRegistry::new().registry_arn(arn)]);
        }
        if let Some(name) = &self.service_name {
            service = service.service_name(name.as_str());
        }
        service
    }
}

/// A service running tasks of a [`TaskDefinition<L>`] on `L` ([`Fargate`] or [`Ec2`]). A
/// cheap handle.
#[derive(Clone, Debug)]
pub struct Service<L: LaunchType> {
    name: Value<String>,
    arn: Value<String>,
    cluster: Cluster,
    task: TaskDefinition<L>,
    security_groups: Vec<SecurityGroup>,
    desired_count: Option<u32>,
    health_check_grace_period: Option<Duration>,
    daemon: bool,
    /// The blue/green settings, for the target groups it joins.
    blue_green: Option<BlueGreen>,
    deployment_label: &'static str,
    /// The name of the stack the service is in, for grants on that stack.
    stack_name: String,
    /// The container ports served through Service Connect.
    served_ports: Vec<u16>,
    owner: Owner,
    resource: ResourceRef<l1::Service>,
    /// The task set of a service deployed by CloudFormation's CodeDeploy hook.
    task_set: Option<ResourceRef<l1::TaskSet>>,
    launch: PhantomData<fn() -> L>,
}

/// A service on Fargate.
pub type FargateService = Service<Fargate>;

/// A service on the EC2 instances of a cluster's capacity providers, replica or daemon.
pub type Ec2Service = Service<Ec2>;

impl<L: LaunchType> Service<L> {
    /// The service name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The service ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// A metric of this service (`AWS/ECS`, dimensions `ClusterName` and `ServiceName`),
    /// averaged over 5 minutes.
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/ECS", name)
            .dimension("ClusterName", self.cluster.name())
            .dimension("ServiceName", self.name())
    }

    /// The CPU its tasks use, in percent of what they reserve (average over 5 minutes).
    pub fn metric_cpu_utilization(&self) -> Metric {
        self.metric("CPUUtilization")
    }

    /// The memory its tasks use, in percent of what they reserve (average over 5 minutes).
    pub fn metric_memory_utilization(&self) -> Metric {
        self.metric("MemoryUtilization")
    }

    /// The connections of the tasks' security groups (also through [`Connectable`]): the
    /// service's own in `awsvpc` networking, else those of the instances it runs on.
    pub fn connections(&self) -> Connections {
        Connections::new(self.security_groups.clone())
    }

    /// Lets `client` reach this service through Service Connect: the proxy forwards to the
    /// container ports of the port mappings the service serves (not to the alias port), so
    /// those are opened in this service's security groups, and nothing else.
    pub fn allow_service_connect_from(&self, scope: &mut impl Scope, client: &impl Connectable) {
        if self.served_ports.is_empty() {
            let value = format!("from {}", client.peer_label());
            self.owner.problems(scope).error(
                "allow_service_connect_from",
                value,
                "a service that serves a port through Service Connect (service_connect(ServiceConnect::server(...))); this one serves none",
            );
            return;
        }
        let description = format!("Service Connect from {}", client.peer_label());
        for port in &self.served_ports {
            self.connections()
                .allow_from(scope, client, Port::tcp(*port), &description);
        }
    }

    /// The role ECS assumes to move load balancer traffic in this blue/green service's
    /// deployments, once the service joined a target group; `None` otherwise.
    pub fn infrastructure_role(&self, scope: &mut impl Scope) -> Option<Role> {
        let settings = self.blue_green.as_ref()?;
        if let Some(role) = &settings.infrastructure_role {
            return Some(role.clone());
        }
        let mut scope = self.owner.within(scope.stack_mut())?;
        blue_green::created_role(&mut scope)
    }

    /// The deployment strategy as ECS names it (`ROLLING`, `CANARY`, `CODE_DEPLOY`...).
    pub fn deployment_label(&self) -> &'static str {
        self.deployment_label
    }

    /// The cluster.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The task definition.
    pub fn task_definition(&self) -> &TaskDefinition<L> {
        &self.task
    }

    /// The L1 service: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::Service> {
        &self.resource
    }

    /// The task set that runs the tasks of a service deployed by CloudFormation's
    /// CodeDeploy hook ([`Deployment::CodeDeployHook`]); `None` for other services.
    pub fn task_set(&self) -> Option<&ResourceRef<l1::TaskSet>> {
        self.task_set.as_ref()
    }

    /// Makes the task count scale between `count`'s bounds (construct `TaskCount` under the
    /// service); add policies to the result.
    ///
    /// The template then leaves `DesiredCount` out: with it, every deploy that touches the
    /// service would reset the count scaling chose. The service starts with one task and
    /// scaling raises it to the minimum; an explicit [`ServiceBuilder::desired_count`]
    /// is left out too, with a warning. A daemon service runs one task per instance and
    /// cannot scale (an error).
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// use construct_lib::Duration;
    /// use construct_lib::applicationautoscaling::TargetTracking;
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")))
    /// #     .build(stack, "Task");
    /// let service = FargateService::builder(&cluster, &task).build(stack, "Service");
    /// let scaling = service.auto_scale_task_count(stack, 2..=10);
    /// scaling.scale_on_cpu_utilization(
    ///     stack,
    ///     "Cpu",
    ///     TargetTracking::new(70.0)
    ///         .scale_out_cooldown(Duration::seconds(60))
    ///         .scale_in_cooldown(Duration::seconds(120)),
    /// );
    /// ```
    pub fn auto_scale_task_count(
        &self,
        scope: &mut impl Scope,
        count: std::ops::RangeInclusive<u32>,
    ) -> ScalableTaskCount {
        let value = format!("{} to {} tasks", count.start(), count.end());
        let count_label = value.clone();
        let mut scope = match self.owner.reopen(
            scope.stack_mut(),
            "auto_scale_task_count",
            value,
            "scaling added through the stack that owns the service",
        ) {
            Some(scope) => scope,
            // Reported; the handle works on, so that the caller's code reads the same.
            None => return ScalableTaskCount::detached(self.owner.path.clone()),
        };
        if self.daemon {
            scope.problems().error(
                "auto_scale_task_count",
                count_label,
                "a replica service: a daemon service runs one task on each instance, and scales with the instances",
            );
            return ScalableTaskCount::detached(self.owner.path.clone());
        }
        if std::mem::replace(&mut scope.state::<ServiceScaling>().scaled, true) {
            scope.problems().error(
                "auto_scale_task_count",
                "called again",
                "once per service: keep the ScalableTaskCount it returns and add every policy to it",
            );
            return ScalableTaskCount::detached(self.owner.path.clone());
        }
        if let Some(count) = self.desired_count {
            scope.problems().warning(
                "desired_count",
                count,
                "left out of the template because the task count scales: a DesiredCount would reset the count scaling chose on every deploy; the service starts with 1 task and scaling raises it to its minimum (set the minimum instead)",
            );
        }
        if let Some(service) = scope.l1_mut(&self.resource) {
            service.desired_count = None;
        }
        ScalableTaskCount::create(&mut scope, "TaskCount", self, count)
    }

    /// Rolls a deployment back when one of `alarms` goes into `ALARM` while it runs (bake
    /// time included), whatever the strategy chose before: for alarms made from metrics of
    /// the service's own load balancer, which exists only after the service
    /// ([`ReleaseAlarms`](crate::ecs::ReleaseAlarms)). A CodeDeploy service's alarms belong to
    /// its deployment group (an error here).
    pub fn rollback_on_alarms(&self, scope: &mut impl Scope, alarms: &[Alarm]) {
        let names: Vec<String> = alarms.iter().map(|a| a.path().to_owned()).collect();
        let value = names.join(", ");
        let Some(mut scope) = self.owner.reopen(
            scope.stack_mut(),
            "rollback_on_alarms",
            value.clone(),
            "alarms added through the stack that owns the service",
        ) else {
            return;
        };
        let Some(service) = scope.l1_mut(&self.resource) else {
            return;
        };
        let Some(deployment) = service.deployment_configuration.as_mut() else {
            let allowed = if self.deployment_label == "EXTERNAL" {
                "no alarms: ECS does not watch alarms for the EXTERNAL controller, and CloudFormation's CodeDeploy hook takes none (a failed deployment rolls the stack back); use Deployment::CodeDeploy with a deployment group for alarm rollback"
            } else {
                "the alarms of the service's CodeDeploy deployment group: ECS does not watch alarms for the CODE_DEPLOY controller"
            };
            scope.problems().error("rollback_on_alarms", value, allowed);
            return;
        };
        deployment::add_alarms(deployment, alarms.iter().map(Alarm::name));
    }

    /// Registers `container:port` with a load balancer target group; `container` must listen
    /// on `port` (checked). Returns what the group needs to wire it, or `None` when the
    /// target was refused.
    pub(crate) fn add_load_balancer(
        &self,
        scope: &mut impl Scope,
        target_group_arn: Value<String>,
        container: &str,
        port: u16,
    ) -> Option<LoadBalancerEntry> {
        let target = format!("{container}:{port}");
        if !self.task.has_port(container, port) {
            self.owner.problems(scope).error(
                "add_service_target",
                target,
                format!(
                    "a container port of the task definition ({})",
                    self.task.ports_description()
                ),
            );
            return None;
        }
        let mut scope = self.owner.reopen(
            scope.stack_mut(),
            "add_service_target",
            target,
            "targets added through the stack that owns the service",
        )?;
        let blue_green = self
            .blue_green
            .as_ref()
            .map(|settings| blue_green::routing(&mut scope, settings));
        let (registers, index) = match &self.task_set {
            Some(task_set) => {
                let entry = cfn_l1::ecs::task_set::LoadBalancer::new()
                    .container_name(container)
                    .container_port(i64::from(port))
                    .target_group_arn(target_group_arn);
                let task_set_l1 = scope.l1_mut(task_set)?;
                let entries = task_set_l1.load_balancers.get_or_insert_with(Vec::new);
                entries.push(entry);
                (task_set.id(), entries.len() - 1)
            }
            None => {
                let entry = l1s::LoadBalancer::new()
                    .container_name(container)
                    .container_port(i64::from(port))
                    .target_group_arn(target_group_arn);
                let service = scope.l1_mut(&self.resource)?;
                let entries = service.load_balancers.get_or_insert_with(Vec::new);
                entries.push(entry);
                (self.resource.id(), entries.len() - 1)
            }
        };
        // On the service for the tasks of its task sets too (ECS's UpdateService sets it
        // for an EXTERNAL service).
        let service = scope.l1_mut(&self.resource)?;
        if let Some(period) = self.health_check_grace_period {
            service.health_check_grace_period_seconds = Some(Value::from(period.seconds_i64()));
        }
        Some(LoadBalancerEntry {
            resource: self.resource,
            registers,
            port: self.task.reached_port(container, port),
            index,
            blue_green,
        })
    }
}

/// A service's registration with a target group, as the group wires it.
#[derive(Clone, Debug)]
pub(crate) struct LoadBalancerEntry {
    /// The service.
    pub(crate) resource: ResourceRef<l1::Service>,
    /// What registers the tasks (the service, or its task set), which must wait for a
    /// listener that forwards to the group.
    pub(crate) registers: ResourceId,
    /// The port the load balancer reaches the tasks on: the host port, or the ephemeral
    /// range for dynamic ones.
    pub(crate) port: Port,
    /// The entry's place in the service's `LoadBalancers`.
    pub(crate) index: usize,
    /// What a blue/green service needs of the group.
    pub(crate) blue_green: Option<BlueGreenRouting>,
}

/// Whether a service's task count already scales.
#[derive(Debug, Default)]
struct ServiceScaling {
    scaled: bool,
}

impl<L: LaunchType> Connectable for Service<L> {
    fn connections(&self) -> Connections {
        Service::connections(self)
    }
    fn peer_label(&self) -> String {
        self.owner.path.clone()
    }
}
