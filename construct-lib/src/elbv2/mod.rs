//! Elastic Load Balancing (L2): [`ApplicationLoadBalancer`] with HTTP and HTTPS listeners,
//! redirects, and IP target groups for Fargate services. The L1 types are in
//! [`crate::cfn::elasticloadbalancingv2`].

use cfn_l1::elasticloadbalancingv2 as l1;
use cfn_l1::elasticloadbalancingv2::listener as l1l;
use cfn_l1::elasticloadbalancingv2::listener_rule as l1r;
use cfn_l1::model::{ResourceRef, Value};

use crate::core::scope::{Owner, Scope};
use crate::ec2::{Connectable, Connections, Port, SecurityGroup, SubnetSelection, SubnetType, Vpc};
use crate::ecs::FargateService;
use crate::problem::Problem;

/// Settings of a new [`ApplicationLoadBalancer`].
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancerBuilder {
    vpc: Vpc,
    internet_facing: bool,
    subnets: Option<SubnetSelection>,
    idle_timeout: Option<u32>,
}

impl ApplicationLoadBalancerBuilder {
    /// Whether the load balancer has public addresses. Default: `false` (internal).
    pub fn internet_facing(mut self, internet_facing: bool) -> Self {
        self.internet_facing = internet_facing;
        self
    }

    /// The subnets. Default: public subnets when internet-facing, else private.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// Seconds an idle connection is kept, 1 to 4000. Default: 60.
    pub fn idle_timeout(mut self, seconds: u32) -> Self {
        self.idle_timeout = Some(seconds);
        self
    }

    /// Adds the load balancer under construct `id` of `scope`, with its own security group
    /// (no inbound rule until a listener opens its port).
    pub fn build(self, scope: &mut impl Scope, id: &str) -> ApplicationLoadBalancer {
        let mut scope = scope.scope(id);
        let path = scope.path();
        let selection = self.subnets.clone().unwrap_or(if self.internet_facing {
            SubnetSelection::Type(SubnetType::Public)
        } else {
            SubnetSelection::Default
        });
        let subnets = match self.vpc.select_subnets(&selection) {
            Ok(subnets) => subnets,
            Err(reason) => {
                scope.stack_mut().problems.push(Problem::error(
                    path.clone(),
                    "vpc_subnets",
                    format!("{selection:?}"),
                    reason,
                ));
                Vec::new()
            }
        };
        if self.internet_facing
            && subnets
                .iter()
                .any(|s| s.subnet_type() != SubnetType::Public)
        {
            scope.stack_mut().problems.push(Problem::error(
                path.clone(),
                "vpc_subnets",
                format!("{selection:?}"),
                "public subnets for an internet-facing load balancer",
            ));
        }
        if let Some(timeout) = self.idle_timeout
            && !(1..=4000).contains(&timeout)
        {
            scope.stack_mut().problems.push(Problem::error(
                path.clone(),
                "idle_timeout",
                timeout.to_string(),
                "1 to 4000 seconds",
            ));
        }
        let group = SecurityGroup::builder(&self.vpc)
            .description(format!("Load balancer {path}"))
            .build(&mut scope, "SecurityGroup");
        let mut balancer = l1::LoadBalancer::new()
            .type_("application")
            .scheme(if self.internet_facing {
                "internet-facing"
            } else {
                "internal"
            })
            .subnets(subnets.iter().map(|s| s.subnet_id()).collect::<Vec<_>>())
            .security_groups(vec![group.group_id()]);
        let mut attributes = vec![
            l1::load_balancer::LoadBalancerAttribute::new()
                .key("routing.http.drop_invalid_header_fields.enabled")
                .value("true"),
        ];
        if let Some(timeout) = self.idle_timeout {
            attributes.push(
                l1::load_balancer::LoadBalancerAttribute::new()
                    .key("idle_timeout.timeout_seconds")
                    .value(timeout.to_string()),
            );
        }
        balancer = balancer.load_balancer_attributes(attributes);
        let resource = scope.add("Resource", balancer);
        ApplicationLoadBalancer {
            arn: resource.ref_value(),
            dns_name: resource.attr_dns_name(),
            full_name: resource.attr_load_balancer_full_name(),
            internet_facing: self.internet_facing,
            vpc: self.vpc,
            security_group: group,
            path,
            resource,
        }
    }
}

/// An application load balancer. A cheap handle.
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancer {
    arn: Value<String>,
    dns_name: Value<String>,
    full_name: Value<String>,
    internet_facing: bool,
    vpc: Vpc,
    security_group: SecurityGroup,
    path: String,
    resource: ResourceRef<l1::LoadBalancer>,
}

/// What a listener does with requests no rule takes.
#[derive(Clone, Debug)]
pub enum ListenerAction {
    /// Forward to a target group.
    Forward(ApplicationTargetGroup),
    /// Redirect to HTTPS on port 443 (HTTP 301).
    RedirectToHttps,
    /// Answer with a fixed status code.
    FixedResponse(u16),
}

impl ListenerAction {
    fn to_l1(&self) -> l1l::Action {
        match self {
            Self::Forward(group) => l1l::Action::new("forward").target_group_arn(group.arn()),
            Self::RedirectToHttps => l1l::Action::new("redirect").redirect_config(
                l1l::RedirectConfig::new("HTTP_301")
                    .protocol("HTTPS")
                    .port("443"),
            ),
            Self::FixedResponse(code) => l1l::Action::new("fixed-response")
                .fixed_response_config(l1l::FixedResponseConfig::new(code.to_string())),
        }
    }
}

/// A listener: a port and protocol, a default action, and rules.
#[derive(Clone, Debug)]
pub struct Listener {
    arn: Value<String>,
    owner: Owner,
    resource: ResourceRef<l1::Listener>,
}

impl Listener {
    /// The listener ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The L1 listener: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::Listener> {
        &self.resource
    }

    /// Adds a rule under the listener: requests whose path matches one of `path_patterns`
    /// (`/api/*`) go to `target`. `priority` (1 to 50000) orders rules; lower wins.
    pub fn add_path_rule<P: Into<String>>(
        &self,
        scope: &mut impl Scope,
        id: &str,
        priority: u32,
        path_patterns: impl IntoIterator<Item = P>,
        target: &ApplicationTargetGroup,
    ) {
        let patterns: Vec<String> = path_patterns.into_iter().map(Into::into).collect();
        let Some(mut scope) = self.owner.reopen(
            scope.stack_mut(),
            "listener rule",
            id.to_owned(),
            "rules added through the stack that owns the listener",
        ) else {
            return;
        };
        if !(1..=50000).contains(&priority) || patterns.is_empty() {
            scope.stack_mut().problems.push(Problem::error(
                format!("{}/{id}", self.owner.path),
                "listener rule",
                format!("priority {priority}, {} pattern(s)", patterns.len()),
                "a priority from 1 to 50000 and at least one path pattern",
            ));
        }
        scope.add(
            id,
            l1::ListenerRule::new(
                vec![l1r::Action::new("forward").target_group_arn(target.arn())],
                vec![
                    l1r::RuleCondition::new()
                        .field("path-pattern")
                        .path_pattern_config(l1r::PathPatternConfig::new().values(patterns)),
                ],
                i64::from(priority),
            )
            .listener_arn(self.arn()),
        );
    }
}

impl ApplicationLoadBalancer {
    /// Settings for a load balancer in `vpc`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::elbv2::{ApplicationLoadBalancer, ListenerAction};
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let lb = ApplicationLoadBalancer::builder(&vpc).internet_facing(true).build(stack, "Lb");
    /// lb.add_http_listener(stack, "Http", 80, ListenerAction::FixedResponse(404));
    /// ```
    pub fn builder(vpc: &Vpc) -> ApplicationLoadBalancerBuilder {
        ApplicationLoadBalancerBuilder {
            vpc: vpc.clone(),
            internet_facing: false,
            subnets: None,
            idle_timeout: None,
        }
    }

    /// The load balancer ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// Its DNS name.
    pub fn dns_name(&self) -> Value<String> {
        self.dns_name.clone()
    }

    /// Its full name (`app/name/id`), for metrics.
    pub fn full_name(&self) -> Value<String> {
        self.full_name.clone()
    }

    /// Its security group.
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// The VPC.
    pub fn vpc(&self) -> &Vpc {
        &self.vpc
    }

    /// The L1 load balancer: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::LoadBalancer> {
        &self.resource
    }

    /// Adds an HTTP listener on `port`. Its port is opened to the internet when the load
    /// balancer is internet-facing (the one place this library does so by itself), else to
    /// the VPC's block (when it is known at synthesis; otherwise open it with
    /// `connections()`).
    pub fn add_http_listener(
        &self,
        scope: &mut impl Scope,
        id: &str,
        port: u16,
        action: ListenerAction,
    ) -> Listener {
        self.add_listener(scope, id, port, "HTTP", None, action)
    }

    /// Adds an HTTPS listener on `port` with an ACM certificate and a modern TLS policy.
    pub fn add_https_listener(
        &self,
        scope: &mut impl Scope,
        id: &str,
        port: u16,
        certificate_arn: impl Into<Value<String>>,
        action: ListenerAction,
    ) -> Listener {
        self.add_listener(
            scope,
            id,
            port,
            "HTTPS",
            Some(certificate_arn.into()),
            action,
        )
    }

    fn add_listener(
        &self,
        scope: &mut impl Scope,
        id: &str,
        port: u16,
        protocol: &str,
        certificate: Option<Value<String>>,
        action: ListenerAction,
    ) -> Listener {
        let description = format!("{protocol} listener {id} of {}", self.path);
        if self.internet_facing {
            self.security_group.connections().allow_from_any_ipv4(
                scope,
                Port::tcp(port),
                &description,
            );
        } else if let Some(block) = self.vpc.cidr_literal() {
            self.security_group.connections().allow_from_ipv4(
                scope,
                block,
                Port::tcp(port),
                &description,
            );
        }
        let mut listener = l1::Listener::new(vec![action.to_l1()], self.arn())
            .port(i64::from(port))
            .protocol(protocol);
        if let Some(certificate) = certificate {
            listener = listener
                .certificates(vec![l1l::Certificate::new().certificate_arn(certificate)])
                .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06");
        }
        let mut scope = scope.scope(id);
        let resource = scope.add("Resource", listener);
        Listener {
            arn: resource.ref_value(),
            owner: Owner::of(&scope),
            resource,
        }
    }
}

impl Connectable for ApplicationLoadBalancer {
    fn connections(&self) -> Connections {
        self.security_group.connections()
    }
    fn peer_label(&self) -> String {
        self.path.clone()
    }
}

/// Settings of a new [`ApplicationTargetGroup`] of IP targets (what Fargate tasks are).
#[derive(Clone, Debug)]
pub struct ApplicationTargetGroupBuilder {
    vpc: Vpc,
    port: u16,
    health_check_path: String,
    health_check_interval: u32,
    healthy_threshold: u32,
    unhealthy_threshold: u32,
    deregistration_delay: u32,
}

impl ApplicationTargetGroupBuilder {
    /// The health check's path. Default: `/`.
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = path.into();
        self
    }

    /// Seconds between health checks, 5 to 300. Default: 30.
    pub fn health_check_interval(mut self, seconds: u32) -> Self {
        self.health_check_interval = seconds;
        self
    }

    /// Consecutive successes for healthy and failures for unhealthy, 2 to 10 each.
    /// Defaults: 5 and 2 (ELB's).
    pub fn thresholds(mut self, healthy: u32, unhealthy: u32) -> Self {
        self.healthy_threshold = healthy;
        self.unhealthy_threshold = unhealthy;
        self
    }

    /// Seconds a target drains before it is removed, 0 to 3600. Default: 60 (ELB's is 300,
    /// which slows every deployment).
    pub fn deregistration_delay(mut self, seconds: u32) -> Self {
        self.deregistration_delay = seconds;
        self
    }

    /// Adds the target group under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> ApplicationTargetGroup {
        let mut scope = scope.scope(id);
        let path = scope.path();
        for (setting, value, range) in [
            ("health_check_interval", self.health_check_interval, 5..=300),
            ("healthy_threshold", self.healthy_threshold, 2..=10),
            ("unhealthy_threshold", self.unhealthy_threshold, 2..=10),
            ("deregistration_delay", self.deregistration_delay, 0..=3600),
        ] {
            if !range.contains(&value) {
                scope.stack_mut().problems.push(Problem::error(
                    path.clone(),
                    setting,
                    value.to_string(),
                    format!("{} to {}", range.start(), range.end()),
                ));
            }
        }
        if !self.health_check_path.starts_with('/') {
            scope.stack_mut().problems.push(Problem::error(
                path.clone(),
                "health_check_path",
                format!("{:?}", self.health_check_path),
                "a path starting with /",
            ));
        }
        let mut group = l1::TargetGroup::new()
            .target_type("ip")
            .protocol("HTTP")
            .port(i64::from(self.port))
            .vpc_id(self.vpc.vpc_id())
            .health_check_path(self.health_check_path.as_str())
            .health_check_interval_seconds(i64::from(self.health_check_interval))
            .healthy_threshold_count(i64::from(self.healthy_threshold))
            .unhealthy_threshold_count(i64::from(self.unhealthy_threshold));
        group = group.target_group_attributes(vec![
            l1::target_group::TargetGroupAttribute::new()
                .key("deregistration_delay.timeout_seconds")
                .value(self.deregistration_delay.to_string()),
        ]);
        let resource = scope.add("Resource", group);
        ApplicationTargetGroup {
            arn: resource.ref_value(),
            full_name: resource.attr_target_group_full_name(),
            port: self.port,
            resource,
        }
    }
}

/// A target group of IP targets. A cheap handle.
#[derive(Clone, Debug)]
pub struct ApplicationTargetGroup {
    arn: Value<String>,
    full_name: Value<String>,
    port: u16,
    resource: ResourceRef<l1::TargetGroup>,
}

impl ApplicationTargetGroup {
    /// Settings for a target group sending HTTP to `port` of its targets in `vpc`.
    pub fn builder(vpc: &Vpc, port: u16) -> ApplicationTargetGroupBuilder {
        ApplicationTargetGroupBuilder {
            vpc: vpc.clone(),
            port,
            health_check_path: "/".to_owned(),
            health_check_interval: 30,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            deregistration_delay: 60,
        }
    }

    /// The target group ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// Its full name (`targetgroup/name/id`), for metrics.
    pub fn full_name(&self) -> Value<String> {
        self.full_name.clone()
    }

    /// The L1 target group: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::TargetGroup> {
        &self.resource
    }

    /// Sends this group's traffic to `container` of `service` (which must listen on the
    /// group's port), and lets `load_balancer` reach the service on that port.
    /// `grace_seconds`: how long new tasks' failing health checks are ignored.
    pub fn add_service_target(
        &self,
        scope: &mut impl Scope,
        service: &FargateService,
        container: &str,
        load_balancer: &ApplicationLoadBalancer,
        grace_seconds: Option<u32>,
    ) {
        service.add_load_balancer(scope, self.arn(), container, self.port, grace_seconds);
        service.connections().allow_from(
            scope,
            load_balancer,
            Port::tcp(self.port),
            "from the load balancer",
        );
    }
}
