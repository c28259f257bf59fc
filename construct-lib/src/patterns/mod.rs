//! L3 patterns: whole architectures in one call, every part reachable afterwards.

use cfn_l1::model::Value;

use crate::core::scope::Scope;
use crate::ecs::{
    Cluster, ContainerDefinition, FargateService, FargateServiceBuilder, FargateSize,
    FargateTaskDefinition,
};
use crate::elbv2::{ApplicationLoadBalancer, ApplicationTargetGroup, Listener, ListenerAction};
use crate::problem::Problem;

/// Settings of a [`LoadBalancedFargateService`].
pub struct LoadBalancedFargateServiceBuilder {
    cluster: Cluster,
    size: FargateSize,
    container: Option<ContainerDefinition>,
    sidecars: Vec<ContainerDefinition>,
    public: bool,
    certificate_arn: Option<Value<String>>,
    health_check_path: String,
    grace_seconds: u32,
    service: Option<Box<dyn Fn(FargateServiceBuilder) -> FargateServiceBuilder>>,
}

impl std::fmt::Debug for LoadBalancedFargateServiceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadBalancedFargateServiceBuilder")
            .field("size", &self.size)
            .field("container", &self.container)
            .field("sidecars", &self.sidecars)
            .field("public", &self.public)
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
    pub fn container(mut self, container: ContainerDefinition) -> Self {
        self.container = Some(container);
        self
    }

    /// Adds another container to the task (an init container, a sidecar).
    pub fn sidecar(mut self, container: ContainerDefinition) -> Self {
        self.sidecars.push(container);
        self
    }

    /// Whether the load balancer is internet-facing. Default: `true`.
    pub fn public(mut self, public: bool) -> Self {
        self.public = public;
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

    /// Seconds new tasks' failing health checks are ignored. Default: 60.
    pub fn health_check_grace_seconds(mut self, seconds: u32) -> Self {
        self.grace_seconds = seconds;
        self
    }

    /// Any other service setting (desired count, circuit breaker, Cloud Map, ...).
    pub fn service(
        mut self,
        settings: impl Fn(FargateServiceBuilder) -> FargateServiceBuilder + 'static,
    ) -> Self {
        self.service = Some(Box::new(settings));
        self
    }

    /// Adds the load balancer, task definition, service and listeners under construct `id`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> LoadBalancedFargateService {
        let mut scope = scope.scope(id);
        let path = scope.path();
        let vpc = self.cluster.vpc().clone();
        let container = self.container.unwrap_or_else(|| {
            scope.stack_mut().problems.push(Problem::error(
                path.clone(),
                "container",
                "none",
                "a container for the load balancer to send traffic to (.container(...))",
            ));
            ContainerDefinition::new("app", crate::ecs::ContainerImage::from_registry("missing"))
        });
        let port = container.ports.first().map(|p| p.container_port);
        if port.is_none() {
            scope.stack_mut().problems.push(Problem::error(
                path.clone(),
                "container",
                format!("{:?} without a port", container.name),
                "a port mapping on the container the load balancer sends traffic to",
            ));
        }
        let port = port.unwrap_or(80);
        let container_name = container.name.clone();
        let mut task = FargateTaskDefinition::builder(self.size);
        for sidecar in self.sidecars {
            task = task.container(sidecar);
        }
        let task = task
            .container(container)
            .build(&mut scope, "TaskDefinition");
        let mut service = FargateService::builder(&self.cluster, &task);
        if let Some(settings) = &self.service {
            service = settings(service);
        }
        let service = service.build(&mut scope, "Service");
        let load_balancer = ApplicationLoadBalancer::builder(&vpc)
            .internet_facing(self.public)
            .build(&mut scope, "LoadBalancer");
        let target_group = ApplicationTargetGroup::builder(&vpc, port)
            .health_check_path(self.health_check_path)
            .build(&mut scope, "TargetGroup");
        let forward = ListenerAction::Forward(target_group.clone());
        let listener = match self.certificate_arn {
            Some(certificate) => {
                load_balancer.add_http_listener(
                    &mut scope,
                    "HttpRedirect",
                    80,
                    ListenerAction::RedirectToHttps,
                );
                load_balancer.add_https_listener(&mut scope, "Https", 443, certificate, forward)
            }
            None => load_balancer.add_http_listener(&mut scope, "Http", 80, forward),
        };
        target_group.add_service_target(
            &mut scope,
            &service,
            &container_name,
            &load_balancer,
            Some(self.grace_seconds),
        );
        LoadBalancedFargateService {
            load_balancer,
            listener,
            target_group,
            task_definition: task,
            service,
        }
    }
}

/// A Fargate service behind an application load balancer: the common case in one call.
#[derive(Clone, Debug)]
pub struct LoadBalancedFargateService {
    load_balancer: ApplicationLoadBalancer,
    listener: Listener,
    target_group: ApplicationTargetGroup,
    task_definition: FargateTaskDefinition,
    service: FargateService,
}

impl LoadBalancedFargateService {
    /// Settings for a load-balanced service in `cluster`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::applicationautoscaling::Cooldowns;
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
    ///     .service(|s| s.desired_count(3))
    ///     .build(stack, "Web");
    /// web.service()
    ///     .auto_scale_task_count(stack, 2..=10)
    ///     .scale_on_cpu_utilization(stack, "Cpu", 70.0, Cooldowns::default());
    /// ```
    pub fn builder(cluster: &Cluster) -> LoadBalancedFargateServiceBuilder {
        LoadBalancedFargateServiceBuilder {
            cluster: cluster.clone(),
            size: FargateSize::Cpu256Mem512,
            container: None,
            sidecars: Vec::new(),
            public: true,
            certificate_arn: None,
            health_check_path: "/".to_owned(),
            grace_seconds: 60,
            service: None,
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

    /// The task definition.
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }

    /// The service.
    pub fn service(&self) -> &FargateService {
        &self.service
    }
}
