//! Listeners of an application load balancer and their rules: a port and protocol, a
//! default action, and rules that route by path or host. Forwarding to a target group
//! tells the group, so that the services behind it wait for the listener.

use cfn_l1::elasticloadbalancingv2 as l1;
use cfn_l1::elasticloadbalancingv2::listener as l1l;
use cfn_l1::elasticloadbalancingv2::listener_rule as l1r;
use cfn_l1::model::{ResourceRef, Value};

use super::load_balancer::ApplicationLoadBalancer;
use super::target_group::{ApplicationTargetGroup, Forwarder};
use crate::core::scope::{Owner, Scope};
use crate::ec2::{Connectable, Port};
use crate::problem::quoted;

/// What a listener (or a rule) does with a request.
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
    /// Forward to `target_group`.
    pub fn forward(target_group: &ApplicationTargetGroup) -> Self {
        Self::Forward(target_group.clone())
    }

    fn target_group(&self) -> Option<&ApplicationTargetGroup> {
        match self {
            Self::Forward(group) => Some(group),
            _ => None,
        }
    }

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

    fn to_rule_action(&self) -> l1r::Action {
        match self {
            Self::Forward(group) => l1r::Action::new("forward").target_group_arn(group.arn()),
            Self::RedirectToHttps => l1r::Action::new("redirect").redirect_config(
                l1r::RedirectConfig::new("HTTP_301")
                    .protocol("HTTPS")
                    .port("443"),
            ),
            Self::FixedResponse(code) => l1r::Action::new("fixed-response")
                .fixed_response_config(l1r::FixedResponseConfig::new(code.to_string())),
        }
    }
}

/// A listener's port, protocol and default action.
///
/// ```
/// use construct_lib::elbv2::{ListenerAction, ListenerSettings};
/// let http = ListenerSettings::http(80, ListenerAction::RedirectToHttps);
/// # let _ = http;
/// ```
#[derive(Clone, Debug)]
pub struct ListenerSettings {
    port: u16,
    certificate: Option<Value<String>>,
    action: ListenerAction,
    vpc_only: bool,
}

impl ListenerSettings {
    /// HTTP on `port`, doing `action` with requests no rule takes.
    pub fn http(port: u16, action: ListenerAction) -> Self {
        Self {
            port,
            certificate: None,
            action,
            vpc_only: false,
        }
    }

    /// HTTPS on `port` with an ACM certificate and a TLS 1.3 policy
    /// (`ELBSecurityPolicy-TLS13-1-2-2021-06`), doing `action` with requests no rule takes.
    pub fn https(
        port: u16,
        certificate_arn: impl Into<Value<String>>,
        action: ListenerAction,
    ) -> Self {
        Self {
            port,
            certificate: Some(certificate_arn.into()),
            action,
            vpc_only: false,
        }
    }

    /// Opens the port to the VPC's block only, even on an internet-facing load balancer
    /// (a test listener that should not expose unreleased versions). Default: open to the
    /// internet when the load balancer is internet-facing, else to the VPC.
    pub fn vpc_only(mut self) -> Self {
        self.vpc_only = true;
        self
    }

    fn protocol(&self) -> &'static str {
        if self.certificate.is_some() {
            "HTTPS"
        } else {
            "HTTP"
        }
    }

    fn to_l1(&self, load_balancer: &ApplicationLoadBalancer) -> l1::Listener {
        let mut listener = l1::Listener::new(l1l::ListenerRequired {
            default_actions: vec![self.action.to_l1()],
            load_balancer_arn: load_balancer.arn(),
        })
        .port(i64::from(self.port))
        .protocol(self.protocol());
        if let Some(certificate) = &self.certificate {
            listener = listener
                .certificates(vec![
                    l1l::Certificate::new().certificate_arn(certificate.clone()),
                ])
                .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06");
        }
        listener
    }
}

/// A listener rule: requests that match its conditions get its action; lower priorities
/// are tried first.
///
/// ```
/// # use construct_lib::App;
/// # use construct_lib::ec2::Vpc;
/// # use construct_lib::elbv2::*;
/// # let mut app = App::new();
/// # let stack = app.stack("Web");
/// # let vpc = Vpc::builder().build(stack, "Vpc");
/// # let lb = ApplicationLoadBalancer::builder(&vpc).internet_facing(true).build(stack, "Lb");
/// let api = ApplicationTargetGroup::builder(&vpc, 8080).build(stack, "Api");
/// let http = lb.add_listener(stack, "Http", ListenerSettings::http(80, ListenerAction::FixedResponse(404)));
/// http.add_rule(stack, "Api", RoutingRule::new(10, ListenerAction::forward(&api)).path_patterns(["/api/*"]));
/// ```
#[derive(Clone, Debug)]
pub struct RoutingRule {
    priority: u32,
    action: ListenerAction,
    path_patterns: Vec<String>,
    host_headers: Vec<String>,
}

impl RoutingRule {
    /// A rule of `priority` (1 to 50000) doing `action`; give it at least one condition.
    pub fn new(priority: u32, action: ListenerAction) -> Self {
        Self {
            priority,
            action,
            path_patterns: Vec::new(),
            host_headers: Vec::new(),
        }
    }

    /// Matches requests whose path matches one of `patterns` (`/api/*`).
    pub fn path_patterns<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.path_patterns
            .extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Matches requests for one of `hosts` (`api.example.com`, `*.example.com`).
    pub fn host_headers<S: Into<String>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.host_headers.extend(hosts.into_iter().map(Into::into));
        self
    }

    fn conditions(&self) -> Vec<l1r::RuleCondition> {
        let mut conditions = Vec::new();
        if !self.path_patterns.is_empty() {
            conditions.push(
                l1r::RuleCondition::new()
                    .field("path-pattern")
                    .path_pattern_config(
                        l1r::PathPatternConfig::new().values(self.path_patterns.clone()),
                    ),
            );
        }
        if !self.host_headers.is_empty() {
            conditions.push(
                l1r::RuleCondition::new()
                    .field("host-header")
                    .host_header_config(
                        l1r::HostHeaderConfig::new().values(self.host_headers.clone()),
                    ),
            );
        }
        conditions
    }
}

/// A listener. A cheap handle.
#[derive(Clone, Debug)]
pub struct Listener {
    arn: Value<String>,
    load_balancer: ApplicationLoadBalancer,
    owner: Owner,
    resource: ResourceRef<l1::Listener>,
}

impl Listener {
    /// Adds the listener and opens its port (see [`ApplicationLoadBalancer::add_listener`]).
    pub(super) fn create(
        scope: &mut impl Scope,
        id: &str,
        load_balancer: &ApplicationLoadBalancer,
        settings: ListenerSettings,
    ) -> Self {
        open_port(scope, id, load_balancer, &settings);
        let mut scope = scope.scope(id);
        let resource = scope.add("Resource", settings.to_l1(load_balancer));
        let listener = Self {
            arn: resource.ref_value(),
            load_balancer: load_balancer.clone(),
            owner: Owner::of(&scope),
            resource,
        };
        if let Some(group) = settings.action.target_group() {
            group.attach_forwarder(&mut scope, Forwarder::Listener(listener.clone()));
        }
        listener
    }

    /// The load balancer.
    pub fn load_balancer(&self) -> &ApplicationLoadBalancer {
        &self.load_balancer
    }

    /// The construct path, for messages.
    pub(crate) fn path(&self) -> &str {
        &self.owner.path
    }

    /// The listener ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The L1 listener: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::Listener> {
        &self.resource
    }

    /// Adds `rule` as construct `id` under the listener.
    pub fn add_rule(&self, scope: &mut impl Scope, id: &str, rule: RoutingRule) {
        let Some(mut scope) = self.owner.reopen(
            scope.stack_mut(),
            "add_rule",
            quoted(id),
            "rules added through the stack that owns the listener",
        ) else {
            return;
        };
        take_priority(&mut scope, id, rule.priority);
        let mut rule_scope = scope.scope(id);
        let mut problems = rule_scope.problems();
        problems.range("priority", rule.priority, 1..=50000, "");
        if rule.path_patterns.is_empty() && rule.host_headers.is_empty() {
            problems.error(
                "conditions",
                "none",
                "at least one condition (path_patterns, host_headers)",
            );
        }
        let resource = rule_scope.add(
            "Resource",
            l1::ListenerRule::new(l1r::ListenerRuleRequired {
                actions: vec![rule.action.to_rule_action()],
                conditions: rule.conditions(),
                priority: rule.priority.into(),
            })
            .listener_arn(self.arn()),
        );
        if let Some(group) = rule.action.target_group() {
            let forwarder = Forwarder::Rule(resource, self.clone());
            group.attach_forwarder(&mut rule_scope, forwarder);
        }
    }

    /// Adds a rule under construct `id` that forwards every request to `groups` with their
    /// weights, at the lowest priority still free (so that the listener's other rules keep
    /// theirs): the rule whose weights ECS moves in a blue/green deployment.
    pub(crate) fn add_weighted_rule(
        &self,
        scope: &mut impl Scope,
        id: &str,
        groups: [(&ApplicationTargetGroup, i64); 2],
    ) -> Option<ResourceRef<l1::ListenerRule>> {
        let mut scope = self.owner.reopen(
            scope.stack_mut(),
            "blue/green rule",
            quoted(id),
            "a blue/green service and its listeners in one stack",
        )?;
        let priority = lowest_free_priority(&mut scope);
        take_priority(&mut scope, id, priority);
        let catch_all = l1r::RuleCondition::new()
            .field("path-pattern")
            .path_pattern_config(l1r::PathPatternConfig::new().values(vec!["/*"]));
        let mut rule_scope = scope.scope(id);
        Some(
            rule_scope.add(
                "Resource",
                l1::ListenerRule::new(l1r::ListenerRuleRequired {
                    actions: vec![weighted_forward(groups)],
                    conditions: vec![catch_all],
                    priority: i64::from(priority).into(),
                })
                .listener_arn(self.arn()),
            ),
        )
    }
}

/// A forward action that splits requests between target groups by weight.
pub(crate) fn weighted_forward(groups: [(&ApplicationTargetGroup, i64); 2]) -> l1r::Action {
    let tuples: Vec<l1r::TargetGroupTuple> = groups
        .iter()
        .map(|(group, weight)| {
            l1r::TargetGroupTuple::new()
                .target_group_arn(group.arn())
                .weight(*weight)
        })
        .collect();
    l1r::Action::new("forward").forward_config(l1r::ForwardConfig::new().target_groups(tuples))
}

/// The priorities taken on a listener, kept with the listener.
#[derive(Debug, Default)]
struct ListenerRules {
    priorities: std::collections::BTreeSet<u32>,
}

/// Records `priority` as taken on the listener of `scope` by rule `id`; a second rule with it
/// is reported.
fn take_priority(scope: &mut impl Scope, id: &str, priority: u32) {
    if !scope.state::<ListenerRules>().priorities.insert(priority) {
        scope.problems().error(
            "priority",
            format!("{priority} (rule {})", quoted(id)),
            "a priority no other rule of this listener has (ELB refuses the second rule)",
        );
    }
}

/// The highest priority number (tried last) that no rule of the listener has.
fn lowest_free_priority(scope: &mut impl Scope) -> u32 {
    let taken = &scope.state::<ListenerRules>().priorities;
    (1..=50000)
        .rev()
        .find(|p| !taken.contains(p))
        .unwrap_or(50000)
}

/// Opens the listener's port on the load balancer's group: to the internet when it is
/// internet-facing (unless the listener is for the VPC only), else to the VPC's block when
/// known.
fn open_port(
    scope: &mut impl Scope,
    id: &str,
    load_balancer: &ApplicationLoadBalancer,
    settings: &ListenerSettings,
) {
    let description = format!(
        "{} listener {id} of {}",
        settings.protocol(),
        load_balancer.path()
    );
    let connections = load_balancer.connections();
    if load_balancer.internet_facing() && !settings.vpc_only {
        connections.allow_from_any_ipv4(scope, Port::tcp(settings.port), &description);
    } else if let Some(block) = load_balancer.vpc().cidr_literal() {
        connections.allow_from_ipv4(scope, block, Port::tcp(settings.port), &description);
    }
}
