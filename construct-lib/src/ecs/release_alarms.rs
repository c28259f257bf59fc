//! [`ReleaseAlarms`]: the alarms that decide whether a release of a load-balanced service
//! rolls back: server errors, response time and unhealthy targets, each watched on the
//! service's target group and, for a blue/green service, on its alternate group too (the
//! green tasks serve from it while the deployment runs, and the groups swap roles after it).

use crate::Duration;
use crate::cloudwatch::{Alarm, ComparisonOperator, Metric, TreatMissingData};
use crate::core::scope::Scope;
use crate::elbv2::{ApplicationLoadBalancer, ApplicationTargetGroup, HttpCodeTarget};
use crate::sns::Topic;

/// Alarms over the target groups of a load-balanced service, for a deployment's rollback
/// ([`Service::rollback_on_alarms`](crate::ecs::Service::rollback_on_alarms), or a CodeDeploy
/// deployment group's alarms) and for notifications. Periods of one minute; a period
/// without requests counts as healthy, so an idle service (or an empty alternate group) does
/// not alarm.
///
/// ```
/// use construct_lib::App;
/// use construct_lib::Duration;
/// use construct_lib::ec2::Vpc;
/// use construct_lib::ecs::{BlueGreen, Cluster, ContainerDefinition, ContainerImage, ReleaseAlarms};
/// use construct_lib::patterns::LoadBalancedFargateService;
/// use construct_lib::sns::Topic;
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let vpc = Vpc::builder().build(stack, "Vpc");
/// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
/// let web = LoadBalancedFargateService::builder(&cluster)
///     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80))
///     .deployment(BlueGreen::canary(25.0, Duration::minutes(10)))
///     .build(stack, "Web");
/// let releases = Topic::builder().build(stack, "Releases");
/// let alarms = ReleaseAlarms::new()
///     .target_5xx_count(5)
///     .target_response_time_ms(800)
///     .notify(&releases)
///     .build(stack, "ReleaseAlarms", web.target_group(), web.load_balancer());
/// web.service().rollback_on_alarms(stack, &alarms);
/// ```
#[derive(Clone, Debug)]
pub struct ReleaseAlarms {
    server_errors: Option<u32>,
    response_time_ms: Option<u32>,
    unhealthy_hosts: Option<u32>,
    evaluation_periods: u32,
    topic: Option<Topic>,
    green: Option<ApplicationTargetGroup>,
}

impl Default for ReleaseAlarms {
    fn default() -> Self {
        Self::new()
    }
}

/// One kind of alarm: its construct id, its metric and threshold, and what it says.
struct AlarmKind {
    id: &'static str,
    metric: Metric,
    threshold: f64,
    comparison: ComparisonOperator,
    description: String,
}

impl ReleaseAlarms {
    /// 5 or more 5xx responses of the targets in a minute, or an unhealthy target, for
    /// 2 minutes in a row; no response-time alarm.
    pub fn new() -> Self {
        Self {
            server_errors: Some(5),
            response_time_ms: None,
            unhealthy_hosts: Some(1),
            evaluation_periods: 2,
            topic: None,
            green: None,
        }
    }

    /// Alarms at `count` or more 5xx responses of the targets in a minute. Default: 5.
    pub fn target_5xx_count(mut self, count: u32) -> Self {
        self.server_errors = Some(count);
        self
    }

    /// No alarm on 5xx responses.
    pub fn no_target_5xx_count(mut self) -> Self {
        self.server_errors = None;
        self
    }

    /// Alarms when the targets take longer than `milliseconds` to respond, on average over a
    /// minute. Default: no response-time alarm.
    pub fn target_response_time_ms(mut self, milliseconds: u32) -> Self {
        self.response_time_ms = Some(milliseconds);
        self
    }

    /// Alarms at `count` or more unhealthy targets. Default: 1.
    pub fn unhealthy_hosts(mut self, count: u32) -> Self {
        self.unhealthy_hosts = Some(count);
        self
    }

    /// No alarm on unhealthy targets.
    pub fn no_unhealthy_hosts(mut self) -> Self {
        self.unhealthy_hosts = None;
        self
    }

    /// How many one-minute periods in a row must breach, 1 to 60. Default: 2.
    pub fn evaluation_periods(mut self, periods: u32) -> Self {
        self.evaluation_periods = periods;
        self
    }

    /// Notifies `topic` when an alarm fires and when it returns to OK. Default: no
    /// notification.
    pub fn notify(mut self, topic: &Topic) -> Self {
        self.topic = Some(topic.clone());
        self
    }

    /// Also watches `group`, the green target group of a CodeDeploy deployment (alarms
    /// `Green5xx`, ...): the new tasks serve from it during a release. Default: none (an ECS
    /// blue/green service's alternate group is found by itself).
    pub fn green(mut self, group: &ApplicationTargetGroup) -> Self {
        self.green = Some(group.clone());
        self
    }

    /// Adds the alarms under construct `id`: one per kind for `group` behind `load_balancer`
    /// (`Production5xx`, ...), one per kind for the alternate group of a blue/green service
    /// registered in the group already (`Alternate5xx`, ...) and for the [`Self::green`]
    /// group (`Green5xx`, ...).
    pub fn build(
        self,
        scope: &mut impl Scope,
        id: &str,
        group: &ApplicationTargetGroup,
        load_balancer: &ApplicationLoadBalancer,
    ) -> Vec<Alarm> {
        let mut scope = scope.scope(id);
        let mut problems = scope.problems();
        problems.range("evaluation_periods", self.evaluation_periods, 1..=60, "");
        if self.server_errors.is_none()
            && self.response_time_ms.is_none()
            && self.unhealthy_hosts.is_none()
        {
            problems.error(
                "alarms",
                "none",
                "at least one alarm (target_5xx_count, target_response_time_ms, unhealthy_hosts)",
            );
        }
        let mut groups = vec![("Production", group.clone())];
        if let Some(alternate) = group.alternate(&mut scope) {
            groups.push(("Alternate", alternate));
        }
        if let Some(green) = &self.green {
            groups.push(("Green", green.clone()));
        }
        let mut alarms = Vec::new();
        for (role, group) in &groups {
            for kind in self.kinds(group, load_balancer) {
                alarms.push(self.alarm(&mut scope, role, kind));
            }
        }
        alarms
    }

    fn kinds(
        &self,
        group: &ApplicationTargetGroup,
        load_balancer: &ApplicationLoadBalancer,
    ) -> Vec<AlarmKind> {
        let minute = Duration::minutes(1);
        let mut kinds = Vec::new();
        if let Some(count) = self.server_errors {
            kinds.push(AlarmKind {
                id: "5xx",
                metric: group
                    .metric_http_code_target(HttpCodeTarget::Http5xx, load_balancer)
                    .period(minute),
                threshold: f64::from(count),
                comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
                description: format!("{count} or more 5xx responses of the targets in a minute"),
            });
        }
        if let Some(milliseconds) = self.response_time_ms {
            kinds.push(AlarmKind {
                id: "ResponseTime",
                metric: group
                    .metric_target_response_time(load_balancer)
                    .period(minute),
                threshold: f64::from(milliseconds) / 1000.0,
                comparison: ComparisonOperator::GreaterThanThreshold,
                description: format!(
                    "targets respond in more than {milliseconds} ms on average over a minute"
                ),
            });
        }
        if let Some(count) = self.unhealthy_hosts {
            kinds.push(AlarmKind {
                id: "UnhealthyHosts",
                metric: group
                    .metric_unhealthy_host_count(load_balancer)
                    .period(minute),
                threshold: f64::from(count),
                comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
                description: format!("{count} or more unhealthy targets"),
            });
        }
        kinds
    }

    fn alarm(&self, scope: &mut impl Scope, role: &str, kind: AlarmKind) -> Alarm {
        let description = format!(
            "Release guard ({} target group): {}, {} minutes in a row",
            role.to_lowercase(),
            kind.description,
            self.evaluation_periods
        );
        let mut alarm = Alarm::builder(kind.metric, kind.threshold)
            .comparison(kind.comparison)
            .evaluation_periods(self.evaluation_periods)
            .treat_missing_data(TreatMissingData::NotBreaching)
            .description(description);
        if let Some(topic) = &self.topic {
            alarm = alarm.alarm_action(topic).ok_action(topic);
        }
        alarm.build(scope, &format!("{role}{}", kind.id))
    }
}
