//! Application Auto Scaling (L2) of an ECS service's task count: target tracking on CPU,
//! memory and load balancer requests, step scaling on any metric (with its alarms), and
//! scheduled capacity. Everything is created under the service's own construct
//! (`Web/Service/TaskCount/Cpu`), from [`Service::auto_scale_task_count`]. The L1
//! types are in [`crate::cfn::applicationautoscaling`].

mod step;

use std::ops::RangeInclusive;

use cfn_l1::applicationautoscaling as l1;
use cfn_l1::applicationautoscaling::scalable_target as l1t;
use cfn_l1::applicationautoscaling::scaling_policy as l1p;
use cfn_l1::model::{ResourceRef, Value, fns};

use crate::Duration;
use crate::core::scope::{Owner, Scope};
use crate::ecs::{LaunchType, Service};
use crate::elbv2::{ApplicationLoadBalancer, ApplicationTargetGroup};
use crate::problem::quoted;

pub use step::{Metric, ScalingStep, StepScaling};

/// How a target-tracking policy behaves: the value to keep the metric near, and how fast
/// it reacts.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::applicationautoscaling::TargetTracking;
/// let cpu = TargetTracking::new(70.0)
///     .scale_out_cooldown(Duration::seconds(60))
///     .scale_in_cooldown(Duration::minutes(2));
/// # let _ = cpu;
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetTracking {
    target: f64,
    scale_out_cooldown: Duration,
    scale_in_cooldown: Duration,
    disable_scale_in: bool,
}

impl TargetTracking {
    /// Keeps the metric near `target` (a percentage for CPU and memory, requests per task
    /// for request counts).
    pub fn new(target: f64) -> Self {
        Self {
            target,
            scale_out_cooldown: Duration::seconds(300),
            scale_in_cooldown: Duration::seconds(300),
            disable_scale_in: false,
        }
    }

    /// Time after a scale-out before another. Default: 300 seconds (Application Auto
    /// Scaling's).
    pub fn scale_out_cooldown(mut self, cooldown: Duration) -> Self {
        self.scale_out_cooldown = cooldown;
        self
    }

    /// Time after a scale-in before another. Default: 300 seconds.
    pub fn scale_in_cooldown(mut self, cooldown: Duration) -> Self {
        self.scale_in_cooldown = cooldown;
        self
    }

    /// Whether the policy never removes tasks (another policy or a schedule does).
    /// Default: `false`.
    pub fn disable_scale_in(mut self, disable: bool) -> Self {
        self.disable_scale_in = disable;
        self
    }
}

/// Target tracking on the requests each task receives through a load balancer's target
/// group.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestCountScaling {
    label: Value<String>,
    tracking: TargetTracking,
}

impl RequestCountScaling {
    /// Keeps requests per task, through `load_balancer` to `target_group`, near
    /// `tracking`'s target.
    pub fn new(
        load_balancer: &ApplicationLoadBalancer,
        target_group: &ApplicationTargetGroup,
        tracking: TargetTracking,
    ) -> Self {
        Self {
            label: fns::join(
                "/",
                vec![load_balancer.full_name(), target_group.full_name()],
            ),
            tracking,
        }
    }
}

/// When a scheduled action runs, in UTC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// A cron expression of six fields (`0 8 * * ? *`).
    Cron(String),
    /// Every so long (whole minutes, hours or days).
    Rate(Duration),
    /// Once, at a date and time (`2026-12-24T18:00:00`).
    At(String),
}

impl Schedule {
    /// A cron expression of six fields: minutes, hours, day of month, month, day of week,
    /// year (`0 8 * * ? *`: every day at 08:00 UTC).
    pub fn cron(expression: impl Into<String>) -> Self {
        Self::Cron(expression.into())
    }

    /// The expression Application Auto Scaling takes, or why there is none.
    fn expression(&self) -> Result<String, &'static str> {
        match self {
            Self::Cron(fields) if fields.split_whitespace().count() == 6 => {
                Ok(format!("cron({fields})"))
            }
            Self::Cron(_) => Err("a cron expression of 6 fields (0 8 * * ? *)"),
            Self::Rate(every) => rate(*every).ok_or("a rate of whole minutes, at least 1 minute"),
            Self::At(time) if !time.is_empty() => Ok(format!("at({time})")),
            Self::At(_) => Err("a date and time (2026-12-24T18:00:00)"),
        }
    }
}

/// `rate(5 minutes)`, in the largest whole unit.
fn rate(every: Duration) -> Option<String> {
    let (amount, unit) = match (
        every.whole_days(),
        every.whole_hours(),
        every.whole_minutes(),
    ) {
        (Some(days), _, _) if days > 0 => (days, "day"),
        (_, Some(hours), _) if hours > 0 => (hours, "hour"),
        (_, _, Some(minutes)) if minutes > 0 => (minutes, "minute"),
        _ => return None,
    };
    let plural = if amount == 1 { "" } else { "s" };
    Some(format!("rate({amount} {unit}{plural})"))
}

impl std::fmt::Display for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Cron(fields) => write!(f, "cron {}", quoted(fields)),
            Self::Rate(every) => write!(f, "every {every}"),
            Self::At(time) => write!(f, "at {}", quoted(time)),
        }
    }
}

/// The task count of a service, scaled between a minimum and a maximum. A cheap handle,
/// from [`Service::auto_scale_task_count`].
#[derive(Clone, Debug)]
pub struct ScalableTaskCount {
    /// The scalable target, or `None` when it could not be created (already reported).
    target: Option<ResourceRef<l1::ScalableTarget>>,
    owner: Option<Owner>,
    path: String,
}

impl ScalableTaskCount {
    /// Makes `service`'s task count scalable between `count`'s bounds, as construct `id`
    /// of `scope` (the service's own construct).
    pub(crate) fn create<L: LaunchType>(
        scope: &mut impl Scope,
        id: &str,
        service: &Service<L>,
        count: RangeInclusive<u32>,
    ) -> Self {
        let mut scope = scope.scope(id);
        let (min, max) = count.into_inner();
        if min > max {
            scope.problems().error(
                "auto_scale_task_count",
                format!("minimum {min}, maximum {max}"),
                "a minimum not above the maximum",
            );
        }
        let resource_id = fns::join(
            "/",
            vec![
                Value::from("service"),
                service.cluster().name(),
                service.name(),
            ],
        );
        let target = scope.add(
            "Target",
            l1::ScalableTarget::new(l1t::ScalableTargetRequired {
                max_capacity: max.into(),
                min_capacity: min.into(),
                resource_id,
                scalable_dimension: "ecs:service:DesiredCount".into(),
                service_namespace: "ecs".into(),
            }),
        );
        Self {
            target: Some(target),
            owner: Some(Owner::of(&scope)),
            path: scope.path(),
        }
    }

    /// A handle for scaling that was refused (reported where it was refused): its methods
    /// add nothing.
    pub(crate) fn detached(path: String) -> Self {
        Self {
            target: None,
            owner: None,
            path,
        }
    }

    /// The construct path (`Web/Service/TaskCount`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The scaling construct reopened through `scope`'s stack, with its target, for a
    /// change `what` (reported when `scope` is another stack).
    fn reopen<'a>(
        &self,
        scope: &'a mut impl Scope,
        what: &str,
        id: &str,
    ) -> Option<(crate::ScopeMut<'a>, ResourceRef<l1::ScalableTarget>)> {
        let (owner, target) = (self.owner.as_ref()?, self.target?);
        let scope = owner.reopen(
            scope.stack_mut(),
            what,
            quoted(id),
            "scaling added through the stack that owns the service",
        )?;
        Some((scope, target))
    }

    /// Keeps average CPU near `tracking`'s target percentage (1 to 100).
    pub fn scale_on_cpu_utilization(
        &self,
        scope: &mut impl Scope,
        id: &str,
        tracking: TargetTracking,
    ) -> &Self {
        let metric = "ECSServiceAverageCPUUtilization";
        self.utilization(scope, id, "scale_on_cpu_utilization", metric, tracking);
        self
    }

    /// Keeps average memory use near `tracking`'s target percentage (1 to 100).
    pub fn scale_on_memory_utilization(
        &self,
        scope: &mut impl Scope,
        id: &str,
        tracking: TargetTracking,
    ) -> &Self {
        let metric = "ECSServiceAverageMemoryUtilization";
        self.utilization(scope, id, "scale_on_memory_utilization", metric, tracking);
        self
    }

    fn utilization(
        &self,
        scope: &mut impl Scope,
        id: &str,
        method: &str,
        metric: &str,
        tracking: TargetTracking,
    ) {
        let Some((mut scope, target)) = self.reopen(scope, method, id) else {
            return;
        };
        TrackingPolicy {
            id,
            metric: l1p::PredefinedMetricSpecification::new(metric),
            tracking,
            percent: true,
        }
        .add(&mut scope, target);
    }

    /// Keeps the requests each task receives near the target.
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// # use construct_lib::patterns::LoadBalancedFargateService;
    /// use construct_lib::applicationautoscaling::{RequestCountScaling, TargetTracking};
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # let web = LoadBalancedFargateService::builder(&cluster)
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80))
    /// #     .build(stack, "Web");
    /// web.service().auto_scale_task_count(stack, 2..=10).scale_on_request_count(
    ///     stack,
    ///     "Requests",
    ///     RequestCountScaling::new(web.load_balancer(), web.target_group(), TargetTracking::new(500.0)),
    /// );
    /// ```
    pub fn scale_on_request_count(
        &self,
        scope: &mut impl Scope,
        id: &str,
        scaling: RequestCountScaling,
    ) -> &Self {
        let method = "scale_on_request_count";
        let Some((mut scope, target)) = self.reopen(scope, method, id) else {
            return self;
        };
        TrackingPolicy {
            id,
            metric: l1p::PredefinedMetricSpecification::new("ALBRequestCountPerTarget")
                .resource_label(scaling.label),
            tracking: scaling.tracking,
            percent: false,
        }
        .add(&mut scope, target);
        self
    }

    /// Step scaling on a metric, with the alarms that trigger it.
    pub fn scale_on_metric(&self, scope: &mut impl Scope, id: &str, scaling: StepScaling) -> &Self {
        let method = "scale_on_metric";
        let Some((mut scope, target)) = self.reopen(scope, method, id) else {
            return self;
        };
        scaling.add(&mut scope, id, target);
        self
    }

    /// Sets the bounds to `count` on `schedule` (action `id`, on the scalable target).
    ///
    /// ```
    /// # use construct_lib::App;
    /// # use construct_lib::ec2::Vpc;
    /// # use construct_lib::ecs::*;
    /// use construct_lib::applicationautoscaling::Schedule;
    /// # let mut app = App::new();
    /// # let stack = app.stack("Web");
    /// # let vpc = Vpc::builder().build(stack, "Vpc");
    /// # let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// # let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    /// #     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")))
    /// #     .build(stack, "Task");
    /// # let service = FargateService::builder(&cluster, &task).build(stack, "Service");
    /// let scaling = service.auto_scale_task_count(stack, 2..=10);
    /// scaling.scale_on_schedule(stack, "Night", Schedule::cron("0 22 * * ? *"), 1..=2);
    /// ```
    pub fn scale_on_schedule(
        &self,
        scope: &mut impl Scope,
        id: &str,
        schedule: Schedule,
        count: RangeInclusive<u32>,
    ) -> &Self {
        let method = "scale_on_schedule";
        let Some((mut scope, target)) = self.reopen(scope, method, id) else {
            return self;
        };
        let expression = match schedule.expression() {
            Ok(expression) => expression,
            Err(allowed) => {
                let value = format!("{} {schedule}", quoted(id));
                scope.problems().error(method, value, allowed);
                return self;
            }
        };
        let (min, max) = count.into_inner();
        let action = l1t::ScheduledAction::new(l1t::ScheduledActionRequired {
            schedule: expression.into(),
            scheduled_action_name: id.into(),
        })
        .scalable_target_action(
            l1t::ScalableTargetAction::new()
                .min_capacity(i64::from(min))
                .max_capacity(i64::from(max)),
        );
        // Scheduled actions belong to the scalable target itself.
        if let Some(target) = scope.l1_mut(&target) {
            target
                .scheduled_actions
                .get_or_insert_with(Vec::new)
                .push(action);
        }
        self
    }
}

/// One target-tracking policy to add.
struct TrackingPolicy<'a> {
    id: &'a str,
    metric: l1p::PredefinedMetricSpecification,
    tracking: TargetTracking,
    /// Whether the target is a percentage (1 to 100).
    percent: bool,
}

impl TrackingPolicy<'_> {
    /// Adds the policy as construct `id` under `scope`.
    fn add(self, scope: &mut impl Scope, target: ResourceRef<l1::ScalableTarget>) {
        let mut scope = scope.scope(self.id);
        let tracking = self.tracking;
        let mut problems = scope.problems();
        if self.percent {
            problems.range("target", tracking.target, 1.0..=100.0, "%");
        } else if !(tracking.target.is_finite() && tracking.target > 0.0) {
            problems.error("target", tracking.target, "a target value above 0");
        }
        let mut configuration = l1p::TargetTrackingScalingPolicyConfiguration::new(tracking.target)
            .predefined_metric_specification(self.metric)
            .scale_out_cooldown(tracking.scale_out_cooldown.seconds_i64())
            .scale_in_cooldown(tracking.scale_in_cooldown.seconds_i64());
        configuration.disable_scale_in = Some(Value::from(tracking.disable_scale_in));
        let name = policy_name(&scope.path());
        scope.add(
            "Resource",
            l1::ScalingPolicy::new(l1p::ScalingPolicyRequired {
                policy_name: name.into(),
                policy_type: "TargetTrackingScaling".into(),
            })
            .scaling_target_id(target.ref_value())
            .target_tracking_scaling_policy_configuration(configuration),
        );
    }
}

/// A policy name unique in the account: the construct path without separators.
fn policy_name(path: &str) -> String {
    path.replace('/', "")
}
