//! Step scaling: steps of a metric's value, each changing the task count, triggered by one
//! CloudWatch alarm for the steps that add tasks and one for the steps that remove them.

use cfn_l1::applicationautoscaling as l1;
use cfn_l1::applicationautoscaling::scaling_policy as l1p;
use cfn_l1::cloudwatch as cw;
use cfn_l1::model::{ResourceRef, Value};

use super::policy_name;
use crate::Duration;
use crate::core::scope::Scope;

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

impl std::fmt::Display for ScalingStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bound = |b: Option<f64>, none: &str| b.map_or(none.to_owned(), |v| v.to_string());
        write!(
            f,
            "[{}, {}) {:+}",
            bound(self.lower, "-inf"),
            bound(self.upper, "+inf"),
            self.change
        )
    }
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

/// Step scaling on a metric: the steps that add tasks share one alarm (at their lowest
/// bound), the steps that remove tasks another (at their highest bound).
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::applicationautoscaling::{Metric, ScalingStep, StepScaling};
/// let backlog = Metric {
///     namespace: "AWS/SQS".into(),
///     name: "ApproximateNumberOfMessagesVisible".into(),
///     dimensions: vec![("QueueName".into(), "jobs".into())],
///     statistic: "Maximum".into(),
/// };
/// let scaling = StepScaling::new(backlog, [
///     ScalingStep { lower: Some(100.0), upper: None, change: 2 },
///     ScalingStep { lower: None, upper: Some(10.0), change: -1 },
/// ])
/// .cooldown(Duration::minutes(2));
/// # let _ = scaling;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StepScaling {
    metric: Metric,
    steps: Vec<ScalingStep>,
    cooldown: Duration,
}

impl StepScaling {
    /// Scales on `metric` with `steps`; steps must not overlap.
    pub fn new(metric: Metric, steps: impl IntoIterator<Item = ScalingStep>) -> Self {
        Self {
            metric,
            steps: steps.into_iter().collect(),
            cooldown: Duration::seconds(300),
        }
    }

    /// Time after each change before the next. Default: 300 seconds.
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// What is wrong with the steps, if anything: (value, what is allowed).
    fn problem(&self) -> Option<(String, &'static str)> {
        let all = || {
            let steps: Vec<String> = self.steps.iter().map(ToString::to_string).collect();
            format!("[{}]", steps.join(", "))
        };
        if self.steps.is_empty() || self.steps.iter().any(|s| s.change == 0) {
            return Some((all(), "at least one step, each changing the count"));
        }
        let mut sorted: Vec<&ScalingStep> = self.steps.iter().collect();
        sorted.sort_by(|a, b| bound(a.lower, f64::MIN).total_cmp(&bound(b.lower, f64::MIN)));
        if let Some(pair) = sorted
            .windows(2)
            .find(|pair| bound(pair[0].upper, f64::MAX) > bound(pair[1].lower, f64::MIN))
        {
            return Some((
                format!("{} and {}", pair[0], pair[1]),
                "steps that do not overlap",
            ));
        }
        let unbounded = self
            .steps
            .iter()
            .any(|s| (s.change > 0 && s.lower.is_none()) || (s.change < 0 && s.upper.is_none()));
        unbounded.then(|| {
            (
                all(),
                "a lower bound on steps that add tasks and an upper bound on steps that remove them",
            )
        })
    }

    /// Adds the policies and alarms as construct `id` under `scope`.
    pub(super) fn add(
        &self,
        scope: &mut impl Scope,
        id: &str,
        target: ResourceRef<l1::ScalableTarget>,
    ) {
        let mut scope = scope.scope(id);
        if let Some((value, allowed)) = self.problem() {
            scope.problems().error("steps", value, allowed);
            return;
        }
        let (out, into): (Vec<ScalingStep>, Vec<ScalingStep>) =
            self.steps.iter().partition(|step| step.change > 0);
        let out_threshold = out.iter().filter_map(|s| s.lower).fold(f64::MAX, f64::min);
        let in_threshold = into.iter().filter_map(|s| s.upper).fold(f64::MIN, f64::max);
        for (direction, group, threshold, operator) in [
            ("Out", &out, out_threshold, "GreaterThanOrEqualToThreshold"),
            ("In", &into, in_threshold, "LessThanOrEqualToThreshold"),
        ] {
            if !group.is_empty() {
                let alarm = Alarm {
                    direction,
                    threshold,
                    operator,
                };
                self.add_direction(&mut scope, target, group, &alarm);
            }
        }
    }

    /// The policy and alarm of one direction.
    fn add_direction(
        &self,
        scope: &mut impl Scope,
        target: ResourceRef<l1::ScalableTarget>,
        steps: &[ScalingStep],
        alarm: &Alarm<'_>,
    ) {
        let adjustments: Vec<l1p::StepAdjustment> = steps
            .iter()
            .map(|step| {
                let mut adjustment = l1p::StepAdjustment::new(step.change);
                if let Some(lower) = step.lower {
                    adjustment = adjustment.metric_interval_lower_bound(lower - alarm.threshold);
                }
                if let Some(upper) = step.upper {
                    adjustment = adjustment.metric_interval_upper_bound(upper - alarm.threshold);
                }
                adjustment
            })
            .collect();
        let name = format!("{}{}", policy_name(&scope.path()), alarm.direction);
        let policy = scope.add(
            &format!("Scale{}Policy", alarm.direction),
            l1::ScalingPolicy::new(l1p::ScalingPolicyRequired {
                policy_name: name.into(),
                policy_type: "StepScaling".into(),
            })
            .scaling_target_id(target.ref_value())
            .step_scaling_policy_configuration(
                l1p::StepScalingPolicyConfiguration::new()
                    .adjustment_type("ChangeInCapacity")
                    .cooldown(self.cooldown.seconds_i64())
                    .metric_aggregation_type("Average")
                    .step_adjustments(adjustments),
            ),
        );
        let description = format!("Scale {} {}", alarm.direction.to_lowercase(), scope.path());
        scope.add(
            &format!("Scale{}Alarm", alarm.direction),
            self.alarm(alarm, policy.ref_value(), description),
        );
    }

    fn alarm(&self, alarm: &Alarm<'_>, policy: Value<String>, description: String) -> cw::Alarm {
        let metric = &self.metric;
        cw::Alarm::new()
            .namespace(metric.namespace.as_str())
            .metric_name(metric.name.as_str())
            .statistic(metric.statistic.as_str())
            .dimensions(
                metric
                    .dimensions
                    .iter()
                    .map(|(name, value)| {
                        cw::alarm::Dimension::new(cw::alarm::DimensionRequired {
                            name: name.into(),
                            value: value.clone(),
                        })
                    })
                    .collect::<Vec<_>>(),
            )
            .period(60)
            .evaluation_periods(1)
            .threshold(alarm.threshold)
            .comparison_operator(alarm.operator)
            .alarm_actions(vec![policy])
            .alarm_description(description)
    }
}

/// The alarm of one direction of step scaling.
struct Alarm<'a> {
    direction: &'a str,
    threshold: f64,
    operator: &'a str,
}

fn bound(value: Option<f64>, unbounded: f64) -> f64 {
    value.unwrap_or(unbounded)
}
