//! Application Auto Scaling (L2) of an ECS service's task count: target tracking on CPU,
//! memory and load balancer requests, step scaling on any metric (with its alarms), and
//! scheduled capacity. The L1 types are in [`crate::cfn::applicationautoscaling`].

use std::ops::RangeInclusive;

use cfn_l1::applicationautoscaling as l1;
use cfn_l1::applicationautoscaling::scalable_target as l1t;
use cfn_l1::applicationautoscaling::scaling_policy as l1p;
use cfn_l1::cloudwatch as cw;
use cfn_l1::model::{ResourceRef, Value, fns};

use crate::core::scope::Scope;
use crate::ecs::FargateService;
use crate::elbv2::{ApplicationLoadBalancer, ApplicationTargetGroup};
use crate::problem::Problem;

/// Cooldowns of a target-tracking policy. Defaults: 300 s each (Application Auto Scaling's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cooldowns {
    /// Seconds after a scale-out before another.
    pub scale_out_seconds: u32,
    /// Seconds after a scale-in before another.
    pub scale_in_seconds: u32,
}

impl Default for Cooldowns {
    fn default() -> Self {
        Self {
            scale_out_seconds: 300,
            scale_in_seconds: 300,
        }
    }
}

/// One step of step scaling: while the metric is in `[lower, upper)`, change the task count
/// by `change` (positive: out, negative: in). `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScalingStep {
    /// The lower bound of the metric, inclusive.
    pub lower: Option<f64>,
    /// The upper bound of the metric, exclusive.
    pub upper: Option<f64>,
    /// Tasks to add (positive) or remove (negative).
    pub change: i64,
}

/// A CloudWatch metric for step scaling.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// The namespace (`AWS/SQS`).
    pub namespace: String,
    /// The metric name (`ApproximateNumberOfMessagesVisible`).
    pub name: String,
    /// Its dimensions.
    pub dimensions: Vec<(String, Value<String>)>,
    /// The statistic (`Average`, `Maximum`, `Sum`).
    pub statistic: String,
}

/// The task count of a service, scaled between a minimum and a maximum. A cheap handle.
#[derive(Clone, Debug)]
pub struct ScalableTaskCount {
    target: ResourceRef<l1::ScalableTarget>,
    target_id: Value<String>,
    path: String,
}

impl ScalableTaskCount {
    /// Makes `service`'s task count scalable between `count`'s bounds (construct `id`).
    pub fn new(
        scope: &mut impl Scope,
        id: &str,
        service: &FargateService,
        count: RangeInclusive<u32>,
    ) -> Self {
        let mut scope = scope.scope(id);
        let path = scope.path();
        if count.start() > count.end() {
            scope.stack_mut().problems.push(Problem::error(
                path.clone(),
                "task count",
                format!("{}..={}", count.start(), count.end()),
                "a minimum not above the maximum",
            ));
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
            l1::ScalableTarget::new(
                i64::from(*count.end()),
                i64::from(*count.start()),
                resource_id,
                "ecs:service:DesiredCount",
                "ecs",
            ),
        );
        Self {
            target_id: target.ref_value(),
            target,
            path,
        }
    }

    fn problem(
        &self,
        scope: &mut impl Scope,
        id: &str,
        setting: &str,
        value: String,
        allowed: &str,
    ) {
        scope.stack_mut().problems.push(Problem::error(
            format!("{}/{id}", self.path),
            setting,
            value,
            allowed,
        ));
    }

    fn target_tracking(
        &self,
        scope: &mut impl Scope,
        id: &str,
        target: f64,
        metric: l1p::PredefinedMetricSpecification,
        cooldowns: Cooldowns,
    ) {
        if target.is_nan() || target <= 0.0 {
            self.problem(
                scope,
                id,
                "target",
                target.to_string(),
                "a target value above 0",
            );
        }
        let mut configuration = l1p::TargetTrackingScalingPolicyConfiguration::new(target)
            .predefined_metric_specification(metric)
            .scale_out_cooldown(i64::from(cooldowns.scale_out_seconds))
            .scale_in_cooldown(i64::from(cooldowns.scale_in_seconds));
        configuration.disable_scale_in = Some(Value::from(false));
        scope.add(
            id,
            l1::ScalingPolicy::new(
                format!("{}{id}", self.path.replace('/', "")),
                "TargetTrackingScaling",
            )
            .scaling_target_id(self.target_id.clone())
            .target_tracking_scaling_policy_configuration(configuration),
        );
    }

    /// Keeps average CPU near `percent` (1 to 100).
    pub fn scale_on_cpu_utilization(
        &self,
        scope: &mut impl Scope,
        id: &str,
        percent: f64,
        cooldowns: Cooldowns,
    ) {
        self.utilization(
            scope,
            id,
            "cpu",
            "ECSServiceAverageCPUUtilization",
            percent,
            cooldowns,
        );
    }

    /// Keeps average memory use near `percent` (1 to 100).
    pub fn scale_on_memory_utilization(
        &self,
        scope: &mut impl Scope,
        id: &str,
        percent: f64,
        cooldowns: Cooldowns,
    ) {
        self.utilization(
            scope,
            id,
            "memory",
            "ECSServiceAverageMemoryUtilization",
            percent,
            cooldowns,
        );
    }

    fn utilization(
        &self,
        scope: &mut impl Scope,
        id: &str,
        what: &str,
        metric: &str,
        percent: f64,
        cooldowns: Cooldowns,
    ) {
        if !(1.0..=100.0).contains(&percent) {
            self.problem(
                scope,
                id,
                &format!("{what} percent"),
                percent.to_string(),
                "1 to 100",
            );
        }
        self.target_tracking(
            scope,
            id,
            percent,
            l1p::PredefinedMetricSpecification::new(metric),
            cooldowns,
        );
    }

    /// Keeps requests per task, through `load_balancer` to `target_group`, near `requests`.
    pub fn scale_on_request_count(
        &self,
        scope: &mut impl Scope,
        id: &str,
        requests: f64,
        load_balancer: &ApplicationLoadBalancer,
        target_group: &ApplicationTargetGroup,
        cooldowns: Cooldowns,
    ) {
        let label = fns::join(
            "/",
            vec![load_balancer.full_name(), target_group.full_name()],
        );
        self.target_tracking(
            scope,
            id,
            requests,
            l1p::PredefinedMetricSpecification::new("ALBRequestCountPerTarget")
                .resource_label(label),
            cooldowns,
        );
    }

    /// Step scaling on `metric`: the steps that add tasks share one alarm (at their lowest
    /// bound), the steps that remove tasks another (at their highest bound). Steps must not
    /// overlap; `cooldown_seconds` applies after each change.
    pub fn scale_on_metric(
        &self,
        scope: &mut impl Scope,
        id: &str,
        metric: &Metric,
        steps: &[ScalingStep],
        cooldown_seconds: u32,
    ) {
        let (out, into): (Vec<ScalingStep>, Vec<ScalingStep>) =
            steps.iter().partition(|step| step.change > 0);
        if steps.is_empty() || steps.iter().any(|s| s.change == 0) {
            self.problem(
                scope,
                id,
                "steps",
                format!("{steps:?}"),
                "at least one step, each changing the count",
            );
            return;
        }
        let mut sorted: Vec<&ScalingStep> = steps.iter().collect();
        sorted.sort_by(|a, b| {
            a.lower
                .unwrap_or(f64::MIN)
                .total_cmp(&b.lower.unwrap_or(f64::MIN))
        });
        for pair in sorted.windows(2) {
            if pair[0].upper.unwrap_or(f64::MAX) > pair[1].lower.unwrap_or(f64::MIN) {
                self.problem(
                    scope,
                    id,
                    "steps",
                    format!("{:?} and {:?}", pair[0], pair[1]),
                    "steps that do not overlap",
                );
                return;
            }
        }
        if out.iter().any(|s| s.lower.is_none()) || into.iter().any(|s| s.upper.is_none()) {
            self.problem(
                scope,
                id,
                "steps",
                format!("{steps:?}"),
                "a lower bound on steps that add tasks and an upper bound on steps that remove them",
            );
            return;
        }
        let mut scope = scope.scope(id);
        for (direction, group, threshold, operator) in [
            (
                "Out",
                &out,
                out.iter().filter_map(|s| s.lower).fold(f64::MAX, f64::min),
                "GreaterThanOrEqualToThreshold",
            ),
            (
                "In",
                &into,
                into.iter().filter_map(|s| s.upper).fold(f64::MIN, f64::max),
                "LessThanOrEqualToThreshold",
            ),
        ] {
            if group.is_empty() {
                continue;
            }
            let adjustments: Vec<l1p::StepAdjustment> = group
                .iter()
                .map(|step| {
                    let mut adjustment = l1p::StepAdjustment::new(step.change);
                    if let Some(lower) = step.lower {
                        adjustment = adjustment.metric_interval_lower_bound(lower - threshold);
                    }
                    if let Some(upper) = step.upper {
                        adjustment = adjustment.metric_interval_upper_bound(upper - threshold);
                    }
                    adjustment
                })
                .collect();
            let policy = scope.add(
                &format!("Scale{direction}Policy"),
                l1::ScalingPolicy::new(
                    format!("{}{id}{direction}", self.path.replace('/', "")),
                    "StepScaling",
                )
                .scaling_target_id(self.target_id.clone())
                .step_scaling_policy_configuration(
                    l1p::StepScalingPolicyConfiguration::new()
                        .adjustment_type("ChangeInCapacity")
                        .cooldown(i64::from(cooldown_seconds))
                        .metric_aggregation_type("Average")
                        .step_adjustments(adjustments),
                ),
            );
            scope.add(
                &format!("Scale{direction}Alarm"),
                cw::Alarm::new()
                    .namespace(metric.namespace.as_str())
                    .metric_name(metric.name.as_str())
                    .statistic(metric.statistic.as_str())
                    .dimensions(
                        metric
                            .dimensions
                            .iter()
                            .map(|(name, value)| {
                                cw::alarm::Dimension::new(name.as_str(), value.clone())
                            })
                            .collect::<Vec<_>>(),
                    )
                    .period(60)
                    .evaluation_periods(1)
                    .threshold(threshold)
                    .comparison_operator(operator)
                    .alarm_actions(vec![policy.ref_value()])
                    .alarm_description(format!("Scale {} {}", direction.to_lowercase(), self.path)),
            );
        }
    }

    /// Sets the bounds to `count` on `schedule` (`cron(0 8 * * ? *)`, `rate(1 day)`), in UTC.
    pub fn scale_on_schedule(
        &self,
        scope: &mut impl Scope,
        name: &str,
        schedule: &str,
        count: RangeInclusive<u32>,
    ) {
        let valid = (schedule.starts_with("cron(")
            || schedule.starts_with("rate(")
            || schedule.starts_with("at("))
            && schedule.ends_with(')');
        if !valid {
            self.problem(
                scope,
                name,
                "schedule",
                format!("{schedule:?}"),
                "cron(...), rate(...) or at(...)",
            );
        }
        let action = l1t::ScheduledAction::new(schedule, name).scalable_target_action(
            l1t::ScalableTargetAction::new()
                .min_capacity(i64::from(*count.start()))
                .max_capacity(i64::from(*count.end())),
        );
        // Scheduled actions belong to the scalable target itself.
        match scope.l1_mut(&self.target) {
            Some(target) => target
                .scheduled_actions
                .get_or_insert_with(Vec::new)
                .push(action),
            None => self.problem(
                scope,
                name,
                "schedule",
                format!("{schedule:?}"),
                "scheduled through the stack that owns the service",
            ),
        }
    }
}
