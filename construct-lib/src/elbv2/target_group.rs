//! `ApplicationTargetGroup`: the targets of ECS services with a health check: IP targets for
//! tasks with their own interface (Fargate, `awsvpc`), instance targets on the task's host
//! port for `bridge` and `host` tasks (the first service decides). The
//! group remembers who forwards to it and who is registered in it, so that whatever order
//! the user adds them in, each service waits for the listeners that forward to its group
//! (ECS refuses a target group that no load balancer uses yet) and accepts traffic from
//! their load balancers.

use cfn_l1::ecs as ecs_l1;
use cfn_l1::elasticloadbalancingv2 as l1;
use cfn_l1::model::{ResourceId, ResourceRef, Value};

use super::blue_green::{self, BlueGreenTarget};
use super::listener::Listener;
use super::load_balancer::ApplicationLoadBalancer;
use crate::Duration;
use crate::cloudwatch::{Metric, Statistic};
use crate::core::scope::{Owner, Scope};
use crate::ec2::{Connectable, Connections, Port, Vpc};
use crate::ecs::{LaunchType, NetworkMode, Service};
use crate::problem::quoted;

/// Settings of a new [`ApplicationTargetGroup`].
#[derive(Clone, Debug)]
pub struct ApplicationTargetGroupBuilder {
    vpc: Vpc,
    port: u16,
    health_check_path: String,
    health_check_interval: Duration,
    healthy_threshold: u32,
    unhealthy_threshold: u32,
    deregistration_delay: Duration,
}

impl ApplicationTargetGroupBuilder {
    /// The health check's path. Default: `/`.
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = path.into();
        self
    }

    /// Time between health checks, 5 to 300 seconds. Default: 30 seconds.
    pub fn health_check_interval(mut self, interval: Duration) -> Self {
        self.health_check_interval = interval;
        self
    }

    /// Consecutive successes before a target is healthy, 2 to 10. Default: 5 (ELB's).
    pub fn healthy_threshold(mut self, count: u32) -> Self {
        self.healthy_threshold = count;
        self
    }

    /// Consecutive failures before a target is unhealthy, 2 to 10. Default: 2 (ELB's).
    pub fn unhealthy_threshold(mut self, count: u32) -> Self {
        self.unhealthy_threshold = count;
        self
    }

    /// How long a target drains before it is removed, 0 to 3600 seconds. Default: 60
    /// seconds (ELB's is 300, which slows every deployment).
    pub fn deregistration_delay(mut self, delay: Duration) -> Self {
        self.deregistration_delay = delay;
        self
    }

    /// Adds the target group under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> ApplicationTargetGroup {
        let mut scope = scope.scope(id);
        self.check(&mut scope);
        let resource = scope.add("Resource", self.to_l1());
        ApplicationTargetGroup {
            arn: resource.ref_value(),
            full_name: resource.attr_target_group_full_name(),
            port: self.port,
            owner: Owner::of(&scope),
            resource,
        }
    }

    fn check(&self, scope: &mut impl Scope) {
        let mut problems = scope.problems();
        let seconds = |from, to| Duration::seconds(from)..=Duration::seconds(to);
        problems.range(
            "health_check_interval",
            self.health_check_interval,
            seconds(5, 300),
            "",
        );
        problems.range("healthy_threshold", self.healthy_threshold, 2..=10, "");
        problems.range("unhealthy_threshold", self.unhealthy_threshold, 2..=10, "");
        problems.range(
            "deregistration_delay",
            self.deregistration_delay,
            seconds(0, 3600),
            "",
        );
        if !self.health_check_path.starts_with('/') {
            problems.error(
                "health_check_path",
                quoted(&self.health_check_path),
                "a path starting with /",
            );
        }
    }

    fn to_l1(&self) -> l1::TargetGroup {
        l1::TargetGroup::new()
            .target_type("ip")
            .protocol("HTTP")
            .port(i64::from(self.port))
            .vpc_id(self.vpc.vpc_id())
            .health_check_path(self.health_check_path.as_str())
            .health_check_interval_seconds(self.health_check_interval.seconds_i64())
            .healthy_threshold_count(i64::from(self.healthy_threshold))
            .unhealthy_threshold_count(i64::from(self.unhealthy_threshold))
            .target_group_attributes(vec![
                l1::target_group::TargetGroupAttribute::new()
                    .key("deregistration_delay.timeout_seconds")
                    .value(self.deregistration_delay.to_seconds().to_string()),
            ])
    }
}

/// A class of HTTP status codes returned by targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpCodeTarget {
    /// 2xx.
    Http2xx,
    /// 3xx.
    Http3xx,
    /// 4xx.
    Http4xx,
    /// 5xx.
    Http5xx,
}

impl HttpCodeTarget {
    fn metric_name(self) -> &'static str {
        match self {
            Self::Http2xx => "HTTPCode_Target_2XX_Count",
            Self::Http3xx => "HTTPCode_Target_3XX_Count",
            Self::Http4xx => "HTTPCode_Target_4XX_Count",
            Self::Http5xx => "HTTPCode_Target_5XX_Count",
        }
    }
}

/// A target group of ECS tasks: IP targets for tasks with their own interface, instance
/// targets for `bridge` and `host` tasks. A cheap handle.
#[derive(Clone, Debug)]
pub struct ApplicationTargetGroup {
    arn: Value<String>,
    full_name: Value<String>,
    port: u16,
    owner: Owner,
    resource: ResourceRef<l1::TargetGroup>,
}

/// A service registered in a target group: its resource, the groups that admit the load
/// balancer, the port the load balancer reaches its tasks on, and for a blue/green service
/// what its routing needs.
#[derive(Clone, Debug)]
pub(super) struct ServiceTarget {
    pub(super) resource: ResourceRef<ecs_l1::Service>,
    /// What registers the tasks: the service, or its task set.
    registers: ResourceId,
    pub(super) label: String,
    connections: Connections,
    port: Port,
    pub(super) blue_green: Option<BlueGreenTarget>,
}

/// A listener or rule whose action forwards to a target group.
#[derive(Clone, Debug)]
pub(crate) enum Forwarder {
    /// A listener whose default action forwards to the group.
    Listener(Listener),
    /// A rule of the listener whose action forwards to the group.
    Rule(ResourceRef<l1::ListenerRule>, Listener),
}

impl Forwarder {
    fn id(&self) -> ResourceId {
        match self {
            Self::Listener(listener) => listener.resource().id(),
            Self::Rule(rule, _) => rule.id(),
        }
    }

    pub(super) fn listener(&self) -> &Listener {
        match self {
            Self::Listener(listener) | Self::Rule(_, listener) => listener,
        }
    }
}

/// Who uses a target group, kept with the group: the listeners and rules that forward to
/// it and the services registered in it.
#[derive(Debug, Default)]
pub(super) struct Attachments {
    forwarders: Vec<Forwarder>,
    target_type: Option<&'static str>,
    targets: Vec<ServiceTarget>,
    /// The blue/green services whose production rule exists, with the forwarder it came from.
    pub(super) routed: Vec<(ResourceId, String)>,
    /// The alternate group of the blue/green service registered here.
    alternate: Option<ApplicationTargetGroup>,
}

impl ApplicationTargetGroup {
    /// Settings for a target group sending HTTP to `port` of its targets in `vpc`.
    ///
    /// ```
    /// use construct_lib::{App, Duration};
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::elbv2::ApplicationTargetGroup;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let group = ApplicationTargetGroup::builder(&vpc, 3000)
    ///     .health_check_path("/health")
    ///     .deregistration_delay(Duration::seconds(30))
    ///     .build(stack, "App");
    /// # let _ = group;
    /// ```
    pub fn builder(vpc: &Vpc, port: u16) -> ApplicationTargetGroupBuilder {
        ApplicationTargetGroupBuilder {
            vpc: vpc.clone(),
            port,
            health_check_path: "/".to_owned(),
            health_check_interval: Duration::seconds(30),
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            deregistration_delay: Duration::seconds(60),
        }
    }

    /// The target group ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// A metric of this group behind `load_balancer` (`AWS/ApplicationELB`, dimensions
    /// `LoadBalancer` and `TargetGroup`), averaged over 5 minutes. A group has metrics per
    /// load balancer, so the load balancer is named.
    pub fn metric(&self, name: &str, load_balancer: &ApplicationLoadBalancer) -> Metric {
        Metric::new("AWS/ApplicationELB", name)
            .dimension("LoadBalancer", load_balancer.full_name())
            .dimension("TargetGroup", self.full_name())
    }

    /// The responses of the targets with this class of HTTP status (sum over 5 minutes):
    /// `metric_http_code_target(HttpCodeTarget::Http5xx, &lb)` counts server errors.
    pub fn metric_http_code_target(
        &self,
        code: HttpCodeTarget,
        load_balancer: &ApplicationLoadBalancer,
    ) -> Metric {
        self.metric(code.metric_name(), load_balancer)
            .statistic(Statistic::Sum)
    }

    /// The healthy targets (`HealthyHostCount`, minimum over 5 minutes).
    pub fn metric_healthy_host_count(&self, load_balancer: &ApplicationLoadBalancer) -> Metric {
        self.metric("HealthyHostCount", load_balancer)
            .statistic(Statistic::Minimum)
    }

    /// The unhealthy targets (`UnHealthyHostCount`, maximum over 5 minutes).
    pub fn metric_unhealthy_host_count(&self, load_balancer: &ApplicationLoadBalancer) -> Metric {
        self.metric("UnHealthyHostCount", load_balancer)
            .statistic(Statistic::Maximum)
    }

    /// The time this group's targets take to respond, in seconds (`TargetResponseTime`,
    /// average over 5 minutes).
    pub fn metric_target_response_time(&self, load_balancer: &ApplicationLoadBalancer) -> Metric {
        self.metric("TargetResponseTime", load_balancer)
    }

    /// Its full name (`targetgroup/name/id`), for metrics.
    pub fn full_name(&self) -> Value<String> {
        self.full_name.clone()
    }

    /// The port targets receive traffic on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The L1 target group: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::TargetGroup> {
        &self.resource
    }

    /// Sends this group's traffic to `container` of `service`, which must listen on the
    /// group's port. The service waits for every listener that forwards to the group, and
    /// accepts the port from their load balancers, whether they are added before or after.
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// # use construct_lib::elbv2::*;
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80))
    /// #     .build(stack, "Task");
    /// let service = FargateService::builder(&cluster, &task).build(stack, "Service");
    /// let lb = ApplicationLoadBalancer::builder(&vpc).internet_facing(true).build(stack, "Lb");
    /// let group = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "App");
    /// lb.add_listener(stack, "Http", ListenerSettings::http(80, ListenerAction::forward(&group)));
    /// group.add_service_target(stack, &service, "app");
    /// ```
    pub fn add_service_target<L: LaunchType>(
        &self,
        scope: &mut impl Scope,
        service: &Service<L>,
        container: &str,
    ) {
        let Some(entry) = service.add_load_balancer(scope, self.arn(), container, self.port) else {
            return;
        };
        let network_mode = service.task_definition().network_mode();
        let Some(mut scope) = self.owner.reopen(
            scope.stack_mut(),
            "add_service_target",
            service.peer_label(),
            "targets added through the stack that owns the target group",
        ) else {
            return;
        };
        self.set_target_type(&mut scope, network_mode, &service.peer_label());
        let blue_green = entry.blue_green.map(|routing| {
            let alternate = self.alternate_in(&mut scope);
            BlueGreenTarget {
                routing,
                alternate,
                index: entry.index,
            }
        });
        let target = ServiceTarget {
            resource: entry.resource,
            registers: entry.registers,
            label: service.peer_label(),
            connections: service.connections(),
            port: entry.port,
            blue_green,
        };
        blue_green::check_sharing(&mut scope, &target);
        let forwarders = scope.state::<Attachments>().forwarders.clone();
        for forwarder in &forwarders {
            self.wire(&mut scope, forwarder, &target);
        }
        let state = scope.state::<Attachments>();
        state.targets.push(target);
    }

    /// The alternate group of a blue/green service registered here, if any: the group ECS
    /// moves traffic to in a deployment. It has this group's settings, and metrics of its
    /// own (alarms that guard a release watch both groups).
    pub fn alternate(&self, scope: &mut impl Scope) -> Option<ApplicationTargetGroup> {
        let mut scope = self.owner.within(scope.stack_mut())?;
        scope.state::<Attachments>().alternate.clone()
    }

    /// The alternate group (construct `Alternate` under this one), created on first use as a
    /// copy of this group's template.
    fn alternate_in(&self, scope: &mut impl Scope) -> ApplicationTargetGroup {
        if let Some(alternate) = scope.state::<Attachments>().alternate.clone() {
            return alternate;
        }
        let copy = scope.l1_mut(&self.resource).map(|group| group.clone());
        let mut alternate_scope = scope.scope("Alternate");
        let resource = alternate_scope.add("Resource", copy.unwrap_or_else(l1::TargetGroup::new));
        let alternate = ApplicationTargetGroup {
            arn: resource.ref_value(),
            full_name: resource.attr_target_group_full_name(),
            port: self.port,
            owner: Owner::of(&alternate_scope),
            resource,
        };
        scope.state::<Attachments>().alternate = Some(alternate.clone());
        alternate
    }

    /// The target group's name (`TargetGroupName`).
    pub fn name(&self) -> Value<String> {
        self.resource.attr_target_group_name()
    }

    /// The construct path, for messages.
    pub(crate) fn path(&self) -> &str {
        &self.owner.path
    }

    /// Whether the service `service` is registered in the group.
    pub(crate) fn has_target(&self, scope: &mut impl Scope, service: ResourceId) -> bool {
        let Some(mut scope) = self.owner.within(scope.stack_mut()) else {
            return true;
        };
        Self::targets(&mut scope)
            .iter()
            .any(|t| t.resource.id() == service)
    }

    /// How many services are registered in the group.
    pub(crate) fn target_count(&self, scope: &mut impl Scope) -> usize {
        self.owner
            .within(scope.stack_mut())
            .map_or(0, |mut scope| Self::targets(&mut scope).len())
    }

    /// The last part of the group's construct path, to name what is made for it.
    pub(super) fn construct_id(&self) -> String {
        self.owner
            .path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    /// The services registered in the group so far.
    pub(super) fn targets(scope: &mut impl Scope) -> &[ServiceTarget] {
        &scope.state::<Attachments>().targets
    }

    /// ECS registers tasks with their own interface by IP address, and tasks on the
    /// instance's network by instance id and host port: the group's target type follows
    /// the first service, and every service of the group must agree.
    fn set_target_type(&self, scope: &mut impl Scope, mode: NetworkMode, service: &str) {
        let target_type = match mode {
            NetworkMode::AwsVpc => "ip",
            _ => "instance",
        };
        let state = scope.state::<Attachments>();
        match state.target_type {
            Some(existing) if existing != target_type => {
                let value = format!("{service} ({target_type} targets, {mode} networking)");
                scope.problems().error(
                    "add_service_target",
                    value,
                    format!("services whose tasks register as the group's {existing} targets: one group per target type"),
                );
            }
            Some(_) => {}
            None => {
                state.target_type = Some(target_type);
                if let Some(group) = scope.l1_mut(&self.resource) {
                    group.target_type = Some(target_type.into());
                    // ECS registers each instance target on its task's host port, dynamic
                    // or not: the health check must follow it. `traffic-port` is also the
                    // default, but cfn-lint (E3049) asks for it written out.
                    if target_type == "instance" {
                        group.health_check_port = Some("traffic-port".into());
                    }
                }
            }
        }
    }

    /// Records a listener or rule of `load_balancer` that forwards to the group, and wires
    /// it to the services already registered. A listener of another stack than the group's
    /// cannot be waited for here; the synthesis check reports a service left without one.
    pub(crate) fn attach_forwarder(&self, scope: &mut impl Scope, forwarder: Forwarder) {
        let Some(mut scope) = self.owner.within(scope.stack_mut()) else {
            return;
        };
        let targets = scope.state::<Attachments>().targets.clone();
        for target in &targets {
            self.wire(&mut scope, &forwarder, target);
        }
        let state = scope.state::<Attachments>();
        state.forwarders.push(forwarder);
    }

    /// The service waits for the forwarder and accepts the group's port from its load
    /// balancer; a blue/green service gets its production route through it.
    fn wire(&self, scope: &mut impl Scope, forwarder: &Forwarder, target: &ServiceTarget) {
        scope
            .stack_mut()
            .add_dependency_of(target.registers, forwarder.id());
        let load_balancer = forwarder.listener().load_balancer();
        target
            .connections
            .allow_from(scope, load_balancer, target.port, "from the load balancer");
        if let Some(blue_green) = &target.blue_green {
            blue_green::route(scope, self, forwarder, target, blue_green);
        }
    }
}
