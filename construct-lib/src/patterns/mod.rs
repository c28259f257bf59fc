//! L3 patterns: whole architectures in one call, every part reachable afterwards.

use cfn_l1::model::Value;

use crate::Duration;
use crate::cloudwatch::Alarm;
use crate::codedeploy::{
    BlueGreenHook, BlueGreenHookBuilder, EcsDeploymentGroup, EcsDeploymentGroupBuilder,
};
use crate::core::scope::Scope;
use crate::ecs::{
    Cluster, ContainerDefinition, ContainerImage, Deployment, FargateService,
    FargateServiceBuilder, FargateSize, FargateTaskDefinition, FargateTaskDefinitionBuilder,
    ReleaseAlarms,
};
use crate::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ApplicationTargetGroupBuilder, Listener,
    ListenerAction, ListenerSettings,
};
use crate::problem::quoted;

/// Settings of a [`LoadBalancedFargateService`].
pub struct LoadBalancedFargateServiceBuilder {
    cluster: Cluster,
    size: FargateSize,
    /// The containers given with `container` (one is expected).
    containers: Vec<ContainerDefinition>,
    sidecars: Vec<ContainerDefinition>,
    internet_facing: bool,
    certificate_arn: Option<Value<String>>,
    health_check_path: String,
    grace_period: Duration,
    deployment: Option<Deployment>,
    test_listener_port: Option<u16>,
    service: Option<Box<dyn Fn(FargateServiceBuilder) -> FargateServiceBuilder>>,
    task: Option<Box<dyn Fn(FargateTaskDefinitionBuilder) -> FargateTaskDefinitionBuilder>>,
}

impl std::fmt::Debug for LoadBalancedFargateServiceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadBalancedFargateServiceBuilder")
            .field("size", &self.size)
            .field("containers", &self.containers)
            .field("sidecars", &self.sidecars)
            .field("internet_facing", &self.internet_facing)
            .field("health_check_path", &self.health_check_path)
            .finish_non_exhaustive()
    }
}

impl LoadBalancedFargateServiceBuilder {
    /// The task size. Default: [`FargateSize::Cpu256Mem512`].
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = size;
        self
    }

    /// The container behind the load balancer; its first port mapping receives the traffic.
    /// One container: add the others with [`Self::sidecar`].
    pub fn container(mut self, container: ContainerDefinition) -> Self {
        self.containers.push(container);
        self
    }

    /// Adds another container to the task (an init container, a sidecar).
    pub fn sidecar(mut self, container: ContainerDefinition) -> Self {
        self.sidecars.push(container);
        self
    }

    /// Whether the load balancer has public addresses (in the public subnets). Default:
    /// `true`.
    pub fn internet_facing(mut self, internet_facing: bool) -> Self {
        self.internet_facing = internet_facing;
        self
    }

    /// Serves HTTPS on 443 with this ACM certificate, and redirects HTTP to it.
    /// Default: HTTP on 80 only.
    pub fn certificate(mut self, certificate_arn: impl Into<Value<String>>) -> Self {
        self.certificate_arn = Some(certificate_arn.into());
        self
    }

    /// The target group's health check path. Default: `/`.
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = path.into();
        self
    }

    /// How long new tasks' failing load balancer health checks are ignored. Default: 60
    /// seconds.
    pub fn health_check_grace_period(mut self, period: Duration) -> Self {
        self.grace_period = period;
        self
    }

    /// How releases replace the tasks: a [`Rolling`](crate::ecs::Rolling) update or an ECS
    /// [`BlueGreen`](crate::ecs::BlueGreen) deployment, whose alternate target group, weighted listener rules and
    /// role the pattern gets (see [`BlueGreen`](crate::ecs::BlueGreen)). Default: a rolling update with the circuit
    /// breaker on, with rollback.
    pub fn deployment(mut self, deployment: impl Into<Deployment>) -> Self {
        self.deployment = Some(deployment.into());
        self
    }

    /// Adds an HTTP listener on `port` for test traffic: with a
    /// [`BlueGreen`](crate::ecs::BlueGreen) deployment, ECS sends it to the green tasks before
    /// any production traffic (it answers 404 between deployments); with
    /// [`Deployment::CodeDeploy`] it forwards to the green target group (required then). It
    /// is open to the VPC only, so that unreleased versions are not on the internet (tests
    /// run from the VPC, a VPN or lifecycle hooks). Default: none.
    pub fn test_listener_port(mut self, port: u16) -> Self {
        self.test_listener_port = Some(port);
        self
    }

    /// Any other service setting (desired count, Cloud Map, ...).
    pub fn service(
        mut self,
        settings: impl Fn(FargateServiceBuilder) -> FargateServiceBuilder + 'static,
    ) -> Self {
        self.service = Some(Box::new(settings));
        self
    }

    /// Any other task definition setting (shared roles, volumes, log retention, ...).
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage};
    /// use construct_lib::iam::{Principal, Role};
    /// use construct_lib::patterns::LoadBalancedFargateService;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let node_role = Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "NodeRole");
    /// let role = node_role.clone();
    /// LoadBalancedFargateService::builder(&cluster)
    ///     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80))
    ///     .task_definition(move |task| task.task_role(&role).volume("config"))
    ///     .build(stack, "Web");
    /// ```
    pub fn task_definition(
        mut self,
        settings: impl Fn(FargateTaskDefinitionBuilder) -> FargateTaskDefinitionBuilder + 'static,
    ) -> Self {
        self.task = Some(Box::new(settings));
        self
    }

    /// Adds the load balancer, task definition, service and listeners under construct `id`.
    pub fn build(mut self, scope: &mut impl Scope, id: &str) -> LoadBalancedFargateService {
        let mut scope = scope.scope(id);
        let (container, port) = self.main_container(&mut scope);
        let container_name = container.name().to_owned();
        let task = self.build_task_definition(&mut scope, container);
        let vpc = self.cluster.vpc().clone();
        let load_balancer = ApplicationLoadBalancer::builder(&vpc)
            .internet_facing(self.internet_facing)
            .build(&mut scope, "LoadBalancer");
        let health_check_path = self.health_check_path.clone();
        let group = || {
            ApplicationTargetGroup::builder(&vpc, port.unwrap_or(80))
                .health_check_path(health_check_path.clone())
        };
        let target_group = group().build(&mut scope, "TargetGroup");
        let release = self.release_parts(&mut scope, &load_balancer, group);
        let mut service = FargateService::builder(&self.cluster, &task)
            .health_check_grace_period(self.grace_period);
        if let Some(deployment) = release.deployment {
            service = service.deployment(deployment);
        }
        if let Some(settings) = &self.service {
            service = settings(service);
        }
        let service = service.build(&mut scope, "Service");
        let listener = self.listeners(&mut scope, &load_balancer, &target_group);
        // Without a port the mistake is reported once, above, and nothing is registered.
        if port.is_some() {
            target_group.add_service_target(&mut scope, &service, &container_name);
        }
        LoadBalancedFargateService {
            load_balancer,
            listener,
            target_group,
            green_target_group: release.green,
            test_listener: release.test_listener,
            task_definition: task,
            service,
        }
    }

    /// The deployment and what it needs beside the load balancer: for blue/green, the test
    /// listener (ECS moves its rule); for CodeDeploy, the green target group and the test
    /// listener forwarding to it (which attaches the group to the load balancer before
    /// CodeDeploy registers tasks in it).
    fn release_parts(
        &mut self,
        scope: &mut impl Scope,
        load_balancer: &ApplicationLoadBalancer,
        group: impl Fn() -> ApplicationTargetGroupBuilder,
    ) -> ReleaseParts {
        let deployment = self.deployment.take();
        let port = self.test_listener_port;
        let mut parts = ReleaseParts::default();
        match (deployment, port) {
            (Some(Deployment::BlueGreen(blue_green)), Some(port)) => {
                let settings =
                    ListenerSettings::http(port, ListenerAction::FixedResponse(404)).vpc_only();
                let test = load_balancer.add_listener(scope, "TestListener", settings);
                parts.deployment = Some(blue_green.test_listener(&test).into());
                parts.test_listener = Some(test);
            }
            (Some(deployment @ (Deployment::CodeDeploy | Deployment::CodeDeployHook)), port) => {
                let label = deployment.label();
                let green = group().build(scope, "GreenTargetGroup");
                match port {
                    Some(port) => {
                        let forward = ListenerAction::forward(&green);
                        let settings = ListenerSettings::http(port, forward).vpc_only();
                        let test = load_balancer.add_listener(scope, "TestListener", settings);
                        parts.test_listener = Some(test);
                    }
                    None => scope.problems().error(
                        "test_listener_port",
                        format!("none with a {label} deployment"),
                        "a test listener port (test_listener_port): its listener forwards to the green target group, which must be attached to the load balancer before CodeDeploy registers the new tasks in it",
                    ),
                }
                parts.green = Some(green);
                parts.deployment = Some(deployment);
            }
            (deployment, Some(port)) => {
                let strategy = deployment.as_ref().map_or("ROLLING", Deployment::label);
                scope.problems().error(
                    "test_listener_port",
                    format!("{port} with a {strategy} deployment"),
                    "a BlueGreen or CodeDeploy deployment (.deployment(...)): test traffic is a stage of theirs",
                );
                parts.deployment = deployment;
            }
            (deployment, None) => parts.deployment = deployment,
        }
        parts
    }

    /// The container behind the load balancer and the port it receives traffic on, with
    /// what is missing reported (one problem per mistake).
    fn main_container(&mut self, scope: &mut impl Scope) -> (ContainerDefinition, Option<u16>) {
        if self.containers.len() > 1 {
            let names: Vec<String> = self.containers.iter().map(|c| quoted(c.name())).collect();
            scope.problems().error(
                "container",
                names.join(", "),
                "one container behind the load balancer; add the others with sidecar(...)",
            );
        }
        // On with the last one (the others as sidecars), so that one mistake gives one error.
        let mut containers = std::mem::take(&mut self.containers);
        let main = containers.pop();
        self.sidecars.extend(containers);
        let mut containers = main.into_iter();
        let Some(container) = containers.next() else {
            scope.problems().error(
                "container",
                "none",
                "a container for the load balancer to send traffic to (.container(...))",
            );
            let placeholder = ContainerImage::from_registry("missing");
            return (ContainerDefinition::new("app", placeholder), None);
        };
        let port = container.ports.first().map(|p| p.container_port);
        if port.is_none() {
            scope.problems().error(
                "container",
                format!("{} without a port", quoted(container.name())),
                "a port mapping on the container the load balancer sends traffic to",
            );
        }
        (container, port)
    }

    fn build_task_definition(
        &mut self,
        scope: &mut impl Scope,
        container: ContainerDefinition,
    ) -> FargateTaskDefinition {
        let mut task = FargateTaskDefinition::builder(self.size);
        // A CodeDeploy service names its task definition by family: one from the stack and
        // construct path unless the user gives one.
        if matches!(self.deployment, Some(Deployment::CodeDeploy)) {
            task = task.family(default_family(scope));
        }
        for sidecar in std::mem::take(&mut self.sidecars) {
            task = task.container(sidecar);
        }
        task = task.container(container);
        if let Some(settings) = &self.task {
            task = settings(task);
        }
        task.build(scope, "TaskDefinition")
    }

    /// HTTP forwarding to the group, or HTTPS forwarding and HTTP redirecting to it; returns
    /// the forwarding listener.
    fn listeners(
        &mut self,
        scope: &mut impl Scope,
        load_balancer: &ApplicationLoadBalancer,
        target_group: &ApplicationTargetGroup,
    ) -> Listener {
        let forward = ListenerAction::forward(target_group);
        match self.certificate_arn.take() {
            Some(certificate) => {
                let redirect = ListenerSettings::http(80, ListenerAction::RedirectToHttps);
                load_balancer.add_listener(scope, "HttpRedirect", redirect);
                let https = ListenerSettings::https(443, certificate, forward);
                load_balancer.add_listener(scope, "Https", https)
            }
            None => load_balancer.add_listener(scope, "Http", ListenerSettings::http(80, forward)),
        }
    }
}

/// `WebCodeDeploy-Web` for the pattern `Web` of stack `WebCodeDeploy`: letters, digits,
/// hyphens (ECS allows underscores too), at most 255 characters.
fn default_family(scope: &mut impl Scope) -> String {
    let family: String = scope
        .path()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    family.chars().take(255).collect()
}

/// What a deployment strategy adds to the pattern.
#[derive(Default)]
struct ReleaseParts {
    deployment: Option<Deployment>,
    test_listener: Option<Listener>,
    green: Option<ApplicationTargetGroup>,
}

/// A Fargate service behind an application load balancer: the common case in one call.
#[derive(Clone, Debug)]
pub struct LoadBalancedFargateService {
    load_balancer: ApplicationLoadBalancer,
    listener: Listener,
    target_group: ApplicationTargetGroup,
    green_target_group: Option<ApplicationTargetGroup>,
    test_listener: Option<Listener>,
    task_definition: FargateTaskDefinition,
    service: FargateService,
}

impl LoadBalancedFargateService {
    /// Settings for a load-balanced service in `cluster`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::applicationautoscaling::TargetTracking;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateSize};
    /// use construct_lib::patterns::LoadBalancedFargateService;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let web = LoadBalancedFargateService::builder(&cluster)
    ///     .size(FargateSize::Cpu512Mem1024)
    ///     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80))
    ///     .build(stack, "Web");
    /// web.service()
    ///     .auto_scale_task_count(stack, 2..=10)
    ///     .scale_on_cpu_utilization(stack, "Cpu", TargetTracking::new(70.0));
    /// ```
    pub fn builder(cluster: &Cluster) -> LoadBalancedFargateServiceBuilder {
        LoadBalancedFargateServiceBuilder {
            cluster: cluster.clone(),
            size: FargateSize::Cpu256Mem512,
            containers: Vec::new(),
            sidecars: Vec::new(),
            internet_facing: true,
            certificate_arn: None,
            health_check_path: "/".to_owned(),
            grace_period: Duration::seconds(60),
            deployment: None,
            test_listener_port: None,
            service: None,
            task: None,
        }
    }

    /// The load balancer.
    pub fn load_balancer(&self) -> &ApplicationLoadBalancer {
        &self.load_balancer
    }

    /// The listener that forwards to the service (HTTPS when a certificate was given).
    pub fn listener(&self) -> &Listener {
        &self.listener
    }

    /// The target group.
    pub fn target_group(&self) -> &ApplicationTargetGroup {
        &self.target_group
    }

    /// The test listener of a blue/green or CodeDeploy deployment
    /// ([`LoadBalancedFargateServiceBuilder::test_listener_port`]).
    pub fn test_listener(&self) -> Option<&Listener> {
        self.test_listener.as_ref()
    }

    /// The green target group of a CodeDeploy deployment.
    pub fn green_target_group(&self) -> Option<&ApplicationTargetGroup> {
        self.green_target_group.as_ref()
    }

    /// Release alarms over the service's target groups: its own and, with a blue/green or
    /// CodeDeploy deployment, the alternate or green one (construct `id`); roll a blue/green
    /// or rolling service back on them with `service().rollback_on_alarms(stack, &alarms)`,
    /// or give them to the CodeDeploy group (`deployment_group().alarms(&alarms)`).
    pub fn release_alarms(
        &self,
        scope: &mut impl Scope,
        id: &str,
        alarms: ReleaseAlarms,
    ) -> Vec<Alarm> {
        let alarms = match &self.green_target_group {
            Some(green) => alarms.green(green),
            None => alarms,
        };
        alarms.build(scope, id, &self.target_group, &self.load_balancer)
    }

    /// Settings for the CodeDeploy deployment group of a service built with
    /// [`Deployment::CodeDeploy`]: its target group as blue, the green one, the production
    /// and test listeners.
    pub fn deployment_group(&self) -> EcsDeploymentGroupBuilder {
        let (blue, green) = self.blue_and_green();
        let group = EcsDeploymentGroup::builder(&self.service, blue, green, &self.listener);
        match &self.test_listener {
            Some(test) => group.test_listener(test),
            None => group,
        }
    }

    /// CloudFormation's CodeDeploy hook for a service built with
    /// `.deployment(Deployment::CodeDeployHook)`: its target group is blue, the green one
    /// green, with the production and test listeners; set the traffic shift and build it.
    pub fn blue_green_hook(&self) -> BlueGreenHookBuilder {
        let (blue, green) = self.blue_and_green();
        let hook = BlueGreenHook::builder(&self.service, blue, green, &self.listener);
        match &self.test_listener {
            Some(test) => hook.test_listener(test),
            None => hook,
        }
    }

    fn blue_and_green(&self) -> (&ApplicationTargetGroup, &ApplicationTargetGroup) {
        let green = self
            .green_target_group
            .as_ref()
            .unwrap_or(&self.target_group);
        (&self.target_group, green)
    }

    /// The task definition.
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }

    /// The service.
    pub fn service(&self) -> &FargateService {
        &self.service
    }
}

/// The pattern's service, for connections: `db.connections().allow_default_port_from(stack,
/// &web)` admits the service (not the load balancer).
impl crate::ec2::Connectable for LoadBalancedFargateService {
    fn connections(&self) -> crate::ec2::Connections {
        self.service.connections()
    }
    fn peer_label(&self) -> String {
        crate::ec2::Connectable::peer_label(&self.service)
    }
}
