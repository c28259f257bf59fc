//! How a service replaces its tasks when its task definition changes: a [`Rolling`] update
//! (the default), an ECS [`BlueGreen`] deployment (all traffic at once, a canary or linear
//! steps, with bake times, lifecycle hooks and alarm rollback), or a deployment by CodeDeploy
//! ([`Deployment::CodeDeploy`], with a `codedeploy` deployment group).
//!
//! What belongs to one strategy exists only on its type: the circuit breaker and the
//! healthy-percent bounds are [`Rolling`]'s (ECS uses them for rolling updates only), the
//! traffic shift, bake time and hooks are [`BlueGreen`]'s, and a CodeDeploy service has none of
//! them (CodeDeploy decides).

use cfn_l1::ecs::service as l1s;
use cfn_l1::model::{Expr, Value};

use crate::Duration;
use crate::cloudwatch::Alarm;
use crate::elbv2::Listener;
use crate::iam::Role;
use crate::problem::Problems;

/// How a service's deployments run: [`Rolling`] (default), [`BlueGreen`] or CodeDeploy.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::ecs::{BlueGreen, Deployment, Rolling};
/// let rolling: Deployment = Rolling::new().min_healthy_percent(50).into();
/// let canary: Deployment = BlueGreen::canary(25.0, Duration::minutes(10)).into();
/// # let _ = (rolling, canary);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Deployment {
    /// ECS replaces tasks a few at a time ([`Rolling`]).
    Rolling(Rolling),
    /// ECS starts a green copy of the service and moves traffic to it ([`BlueGreen`]).
    BlueGreen(Box<BlueGreen>),
    /// CodeDeploy deploys the service (deployment controller `CODE_DEPLOY`): add a deployment
    /// group for it. The service then has no circuit breaker, no healthy-percent bounds and
    /// no alarms of its own; a new task definition or image reaches it through a CodeDeploy
    /// deployment. CloudFormation replaces a service whose deployment controller changes.
    CodeDeploy,
    /// CloudFormation deploys the service through CodeDeploy, inside a stack update
    /// (deployment controller `EXTERNAL`, the `AWS::CodeDeployBlueGreen` transform): add a
    /// [`BlueGreenHook`](crate::codedeploy::BlueGreenHook) for it. The service's tasks run
    /// in a task set (`AWS::ECS::TaskSet`, made primary by `AWS::ECS::PrimaryTaskSet`); a
    /// stack update that replaces the task definition (a new image) is a blue/green
    /// deployment of a green task set. CloudFormation puts limits on such stacks (no
    /// outputs, no imports, no nested stacks, one service; checked at synthesis), and
    /// refuses an update that changes other resources with the task definition.
    CodeDeployHook,
}

impl Deployment {
    /// The strategy as ECS names it (`ROLLING`, `CANARY`, `CODE_DEPLOY`...), for messages.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Rolling(_) => "ROLLING",
            Self::BlueGreen(blue_green) => blue_green.shift.label(),
            Self::CodeDeploy => "CODE_DEPLOY",
            Self::CodeDeployHook => "EXTERNAL",
        }
    }
}

impl Default for Deployment {
    fn default() -> Self {
        Self::Rolling(Rolling::new())
    }
}

impl From<Rolling> for Deployment {
    fn from(rolling: Rolling) -> Self {
        Self::Rolling(rolling)
    }
}

impl From<BlueGreen> for Deployment {
    fn from(blue_green: BlueGreen) -> Self {
        Self::BlueGreen(Box::new(blue_green))
    }
}

/// A rolling update: ECS starts new tasks and stops old ones within the healthy-percent
/// bounds; the circuit breaker (on by default, with rollback) stops a deployment whose tasks
/// do not become healthy, and alarms can roll it back.
///
/// ```
/// use construct_lib::ecs::Rolling;
/// let rolling = Rolling::new().min_healthy_percent(50).max_healthy_percent(200);
/// # let _ = rolling;
/// ```
#[derive(Clone, Debug)]
pub struct Rolling {
    pub(crate) min_healthy_percent: Option<u32>,
    pub(crate) max_healthy_percent: Option<u32>,
    pub(crate) circuit_breaker_rollback: Option<bool>,
    alarms: Vec<Value<String>>,
}

impl Default for Rolling {
    fn default() -> Self {
        Self::new()
    }
}

impl Rolling {
    /// A rolling update with the circuit breaker on (with rollback) and ECS's bounds.
    pub fn new() -> Self {
        Self {
            min_healthy_percent: None,
            max_healthy_percent: None,
            circuit_breaker_rollback: Some(true),
            alarms: Vec::new(),
        }
    }

    /// The share of tasks that keep running during a deployment, 0 to 100. Default: ECS's
    /// (100).
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.min_healthy_percent = Some(percent);
        self
    }

    /// The most tasks during a deployment, as a share of the desired count, 100 to 200.
    /// Default: ECS's (200).
    pub fn max_healthy_percent(mut self, percent: u32) -> Self {
        self.max_healthy_percent = Some(percent);
        self
    }

    /// Stops a failing deployment; with `rollback`, returns to the last working one.
    /// Default: on, with rollback.
    pub fn circuit_breaker(mut self, rollback: bool) -> Self {
        self.circuit_breaker_rollback = Some(rollback);
        self
    }

    /// Turns the deployment circuit breaker off.
    pub fn no_circuit_breaker(mut self) -> Self {
        self.circuit_breaker_rollback = None;
        self
    }

    /// Fails the deployment and rolls it back when `alarm` goes into `ALARM` while it runs
    /// (and during the bake time ECS derives from the alarms). Default: no alarm.
    pub fn rollback_on_alarm(mut self, alarm: &Alarm) -> Self {
        self.alarms.push(alarm.name());
        self
    }

    pub(crate) fn check(&self, problems: &mut Problems<'_>) {
        if let Some(min) = self.min_healthy_percent {
            problems.range("min_healthy_percent", min, 0..=100, "%");
        }
        if let Some(max) = self.max_healthy_percent {
            problems.range("max_healthy_percent", max, 100..=200, "%");
        }
    }

    pub(crate) fn to_l1(&self) -> l1s::DeploymentConfiguration {
        let mut deployment = l1s::DeploymentConfiguration::new().set_alarms(alarms(&self.alarms));
        if let Some(rollback) = self.circuit_breaker_rollback {
            let breaker =
                l1s::DeploymentCircuitBreaker::new(l1s::DeploymentCircuitBreakerRequired {
                    enable: true.into(),
                    rollback: rollback.into(),
                });
            deployment = deployment.deployment_circuit_breaker(breaker);
        }
        if let Some(min) = self.min_healthy_percent {
            deployment = deployment.minimum_healthy_percent(i64::from(min));
        }
        if let Some(max) = self.max_healthy_percent {
            deployment = deployment.maximum_percent(i64::from(max));
        }
        deployment
    }
}

/// How a [`BlueGreen`] deployment moves production traffic to the green tasks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrafficShift {
    /// All traffic at once (ECS strategy `BLUE_GREEN`).
    AllAtOnce,
    /// `percent` of the traffic, then, after `bake_time`, the rest (`CANARY`).
    Canary {
        /// Share of the traffic in the canary phase: 0.1 to 100, in steps of 0.1.
        percent: f64,
        /// How long the canary phase lasts: whole minutes, 0 to 1440.
        bake_time: Duration,
    },
    /// `step_percent` more of the traffic every `step_bake_time` (`LINEAR`).
    Linear {
        /// Share of the traffic moved per step: 3 to 100, in steps of 0.1.
        step_percent: f64,
        /// Time between steps: whole minutes, 0 to 1440.
        step_bake_time: Duration,
    },
}

impl TrafficShift {
    fn strategy(&self) -> l1s::Strategy {
        match self {
            Self::AllAtOnce => l1s::Strategy::BlueGreen,
            Self::Canary { .. } => l1s::Strategy::Canary,
            Self::Linear { .. } => l1s::Strategy::Linear,
        }
    }

    /// The strategy's name as ECS writes it, for messages.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Self::AllAtOnce => "BLUE_GREEN",
            Self::Canary { .. } => "CANARY",
            Self::Linear { .. } => "LINEAR",
        }
    }

    /// How long the traffic shift itself waits, in minutes: what CloudFormation adds to the
    /// bake time for its 33-hour rule (a linear step's bake time is not applied after the
    /// last step).
    fn shift_minutes(&self) -> u64 {
        match self {
            Self::AllAtOnce => 0,
            Self::Canary { bake_time, .. } => minutes_of(*bake_time),
            Self::Linear {
                step_percent,
                step_bake_time,
            } => linear_steps(*step_percent) * minutes_of(*step_bake_time),
        }
    }
}

/// The steps CloudFormation counts for a linear shift: `100 / step - 1` when the step divides
/// 100, else the floor of `100 / step`.
fn linear_steps(step_percent: f64) -> u64 {
    let Some(tenths) = tenths(step_percent).filter(|t| *t > 0) else {
        return 0;
    };
    if 1000 % tenths == 0 {
        1000 / tenths - 1
    } else {
        1000 / tenths
    }
}

/// `percent` in tenths, when it is a whole number of them.
fn tenths(percent: f64) -> Option<u64> {
    let scaled = percent * 10.0;
    let rounded = scaled.round();
    ((scaled - rounded).abs() < 1e-6 && rounded >= 0.0).then_some(rounded as u64)
}

fn minutes_of(duration: Duration) -> u64 {
    duration.to_seconds() / 60
}

/// A stage of a blue/green deployment where a [`LifecycleHook`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LifecycleStage {
    /// When ECS starts the deployment, before anything is scaled.
    ReconcileService,
    /// Before the green tasks start.
    PreScaleUp,
    /// After the green tasks started, before any traffic moves.
    PostScaleUp,
    /// While test traffic moves to the green tasks.
    TestTrafficShift,
    /// After test traffic moved to the green tasks.
    PostTestTrafficShift,
    /// While production traffic moves to the green tasks.
    ProductionTrafficShift,
    /// After all production traffic moved to the green tasks.
    PostProductionTrafficShift,
}

impl LifecycleStage {
    fn to_l1(self) -> l1s::LifecycleStages {
        match self {
            Self::ReconcileService => l1s::LifecycleStages::ReconcileService,
            Self::PreScaleUp => l1s::LifecycleStages::PreScaleUp,
            Self::PostScaleUp => l1s::LifecycleStages::PostScaleUp,
            Self::TestTrafficShift => l1s::LifecycleStages::TestTrafficShift,
            Self::PostTestTrafficShift => l1s::LifecycleStages::PostTestTrafficShift,
            Self::ProductionTrafficShift => l1s::LifecycleStages::ProductionTrafficShift,
            Self::PostProductionTrafficShift => l1s::LifecycleStages::PostProductionTrafficShift,
        }
    }
}

/// A Lambda function that ECS calls at some stages of a blue/green deployment; it answers
/// `SUCCEEDED`, `FAILED` (the deployment rolls back) or `IN_PROGRESS` (ECS asks again).
///
/// ```
/// use construct_lib::ecs::{LifecycleHook, LifecycleStage};
/// let smoke_test = LifecycleHook::lambda(
///     "arn:aws:lambda:eu-west-1:123456789012:function:smoke-test",
///     [LifecycleStage::PostTestTrafficShift],
/// );
/// # let _ = smoke_test;
/// ```
#[derive(Clone, Debug)]
pub struct LifecycleHook {
    pub(crate) function_arn: Value<String>,
    pub(crate) stages: Vec<LifecycleStage>,
}

impl LifecycleHook {
    /// Calls the Lambda function `function_arn` at each of `stages` (at least one). The
    /// service gets a role that ECS assumes to invoke it.
    pub fn lambda(
        function_arn: impl Into<Value<String>>,
        stages: impl IntoIterator<Item = LifecycleStage>,
    ) -> Self {
        Self {
            function_arn: function_arn.into(),
            stages: stages.into_iter().collect(),
        }
    }
}

/// An ECS blue/green deployment: ECS starts the new revision (green) beside the running one
/// (blue), moves test traffic and then production traffic to it as the [`TrafficShift`]
/// says, keeps both for the bake time, and rolls back when a hook fails or an alarm fires.
///
/// Behind a load balancer the service needs an alternate target group, a production
/// listener rule whose weights ECS moves, and a role that lets ECS change them: registering
/// the service with a target group
/// ([`ApplicationTargetGroup::add_service_target`](crate::elbv2::ApplicationTargetGroup::add_service_target))
/// creates them all.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::ecs::BlueGreen;
/// // 25% of the traffic for 10 minutes, then all of it; blue kept 15 minutes more.
/// let canary = BlueGreen::canary(25.0, Duration::minutes(10)).bake_time(Duration::minutes(15));
/// # let _ = canary;
/// ```
#[derive(Clone, Debug)]
pub struct BlueGreen {
    pub(crate) shift: TrafficShift,
    bake_time: Duration,
    pub(crate) test_listener: Option<Listener>,
    pub(crate) hooks: Vec<LifecycleHook>,
    alarms: Vec<Value<String>>,
    pub(crate) infrastructure_role: Option<Role>,
}

impl BlueGreen {
    fn with_shift(shift: TrafficShift) -> Self {
        Self {
            shift,
            bake_time: Duration::minutes(10),
            test_listener: None,
            hooks: Vec::new(),
            alarms: Vec::new(),
            infrastructure_role: None,
        }
    }

    /// Moves all production traffic at once (ECS strategy `BLUE_GREEN`).
    pub fn all_at_once() -> Self {
        Self::with_shift(TrafficShift::AllAtOnce)
    }

    /// Moves `percent` of the traffic (0.1 to 100, in steps of 0.1) to green, waits
    /// `bake_time` (whole minutes, up to 1440), then moves the rest (`CANARY`).
    pub fn canary(percent: f64, bake_time: Duration) -> Self {
        Self::with_shift(TrafficShift::Canary { percent, bake_time })
    }

    /// Moves `step_percent` more of the traffic (3 to 100, in steps of 0.1) every
    /// `step_bake_time` (whole minutes, up to 1440) (`LINEAR`).
    pub fn linear(step_percent: f64, step_bake_time: Duration) -> Self {
        Self::with_shift(TrafficShift::Linear {
            step_percent,
            step_bake_time,
        })
    }

    /// How long blue and green both run once all production traffic is on green, so that
    /// a rollback is instant: whole minutes, 0 to 1440. Default: 10 minutes (ECS requires
    /// a value for blue/green).
    pub fn bake_time(mut self, bake_time: Duration) -> Self {
        self.bake_time = bake_time;
        self
    }

    /// A listener for test traffic (another port of the same load balancer): ECS sends it to
    /// green before any production traffic, through a rule created on it. Default: none.
    pub fn test_listener(mut self, listener: &Listener) -> Self {
        self.test_listener = Some(listener.clone());
        self
    }

    /// Adds a lifecycle hook. Default: none.
    pub fn lifecycle_hook(mut self, hook: LifecycleHook) -> Self {
        self.hooks.push(hook);
        self
    }

    /// Fails the deployment and rolls it back when `alarm` goes into `ALARM` while it runs,
    /// bake time included. Default: no alarm.
    pub fn rollback_on_alarm(mut self, alarm: &Alarm) -> Self {
        self.alarms.push(alarm.name());
        self
    }

    /// The role ECS assumes to move traffic on the load balancer. Default: one created for
    /// the service, trusted by `ecs.amazonaws.com`, with the AWS managed policy
    /// `AmazonECSInfrastructureRolePolicyForLoadBalancers`.
    pub fn infrastructure_role(mut self, role: &Role) -> Self {
        self.infrastructure_role = Some(role.clone());
        self
    }

    /// The traffic shift.
    pub fn traffic_shift(&self) -> TrafficShift {
        self.shift
    }

    pub(crate) fn check(&self, problems: &mut Problems<'_>) {
        let shift_valid = match self.shift {
            TrafficShift::AllAtOnce => true,
            TrafficShift::Canary { percent, bake_time } => {
                check_percent(problems, "canary percent", percent, 1..=1000)
                    & check_minutes(problems, "canary bake_time", bake_time)
            }
            TrafficShift::Linear {
                step_percent,
                step_bake_time,
            } => {
                check_percent(problems, "linear step_percent", step_percent, 30..=1000)
                    & check_minutes(problems, "linear step_bake_time", step_bake_time)
            }
        };
        // The sum is judged once each part is valid: one mistake, one message.
        if check_minutes(problems, "bake_time", self.bake_time) && shift_valid {
            self.check_cloudformation_timeout(problems);
        }
        for hook in &self.hooks {
            if hook.stages.is_empty() {
                problems.error(
                    "lifecycle_hook",
                    "no stage",
                    "at least one LifecycleStage at which ECS calls the function",
                );
            }
        }
    }

    /// CloudFormation refuses a deployment it computes to last more than 33 hours (its
    /// operations time out at 36).
    fn check_cloudformation_timeout(&self, problems: &mut Problems<'_>) {
        let total = minutes_of(self.bake_time) + self.shift.shift_minutes();
        if total > 33 * 60 {
            problems.error(
                "bake_time",
                format!(
                    "{total} minutes with the {} bake times",
                    self.shift.label()
                ),
                "at most 1980 minutes (33 hours) in all: CloudFormation refuses longer deployments (its operations time out after 36 hours)",
            );
        }
    }

    /// The deployment configuration, without hooks (they need the hook role).
    pub(crate) fn to_l1(&self) -> l1s::DeploymentConfiguration {
        let mut deployment = l1s::DeploymentConfiguration::new()
            .strategy(self.shift.strategy())
            .bake_time_in_minutes(minutes_of(self.bake_time) as i64)
            .set_alarms(alarms(&self.alarms));
        match self.shift {
            TrafficShift::AllAtOnce => {}
            TrafficShift::Canary { percent, bake_time } => {
                deployment = deployment.canary_configuration(
                    l1s::CanaryConfiguration::new()
                        .canary_percent(percent)
                        .canary_bake_time_in_minutes(minutes_of(bake_time) as i64),
                );
            }
            TrafficShift::Linear {
                step_percent,
                step_bake_time,
            } => {
                deployment = deployment.linear_configuration(
                    l1s::LinearConfiguration::new()
                        .step_percent(step_percent)
                        .step_bake_time_in_minutes(minutes_of(step_bake_time) as i64),
                );
            }
        }
        deployment
    }

    /// The hooks as ECS takes them, each with the role ECS assumes to invoke the function.
    pub(crate) fn hooks_l1(&self, role_arn: &Value<String>) -> Vec<l1s::DeploymentLifecycleHook> {
        self.hooks
            .iter()
            .map(|hook| {
                let stages: Vec<l1s::LifecycleStages> =
                    hook.stages.iter().map(|stage| stage.to_l1()).collect();
                l1s::DeploymentLifecycleHook::new(stages)
                    .hook_target_arn(hook.function_arn.clone())
                    .role_arn(role_arn.clone())
            })
            .collect()
    }
}

/// `percent` in tenths must lie in `tenths_range` and be a whole number of tenths. Returns
/// whether it does.
fn check_percent(
    problems: &mut Problems<'_>,
    setting: &str,
    percent: f64,
    tenths_range: std::ops::RangeInclusive<u64>,
) -> bool {
    let in_range = tenths(percent).is_some_and(|t| tenths_range.contains(&t));
    if !in_range {
        let (low, high) = tenths_range.into_inner();
        problems.error(
            setting,
            format!("{percent}%"),
            format!(
                "{}% to {}%, in steps of 0.1",
                low as f64 / 10.0,
                high as f64 / 10.0
            ),
        );
    }
    in_range
}

/// A bake time: whole minutes, at most 24 hours. Returns whether it is one.
fn check_minutes(problems: &mut Problems<'_>, setting: &str, duration: Duration) -> bool {
    if duration.whole_minutes().is_none() {
        problems.error(
            setting,
            duration,
            "whole minutes (ECS counts bake times in minutes)",
        );
        return false;
    }
    problems.at_most(setting, duration, Duration::minutes(1440), "")
}

/// Adds alarm names to a deployment configuration's rollback alarms.
pub(crate) fn add_alarms(
    deployment: &mut l1s::DeploymentConfiguration,
    names: impl IntoIterator<Item = Value<String>>,
) {
    let mut all: Vec<Value<String>> = match deployment.alarms.as_ref().map(|a| a.alarm_names.expr())
    {
        Some(Expr::List(items)) => items.iter().cloned().map(Value::from_expr).collect(),
        _ => Vec::new(),
    };
    all.extend(names);
    deployment.alarms = alarms(&all);
}

fn alarms(names: &[Value<String>]) -> Option<l1s::DeploymentAlarms> {
    (!names.is_empty()).then(|| {
        l1s::DeploymentAlarms::new(l1s::DeploymentAlarmsRequired {
            alarm_names: names.to_vec().into(),
            enable: true.into(),
            rollback: true.into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_steps_follow_cloudformation_counting() {
        assert_eq!(linear_steps(10.0), 9);
        assert_eq!(linear_steps(11.0), 9);
        assert_eq!(linear_steps(25.0), 3);
        assert_eq!(linear_steps(100.0), 0);
        assert_eq!(linear_steps(3.3), 30);
    }

    #[test]
    fn tenths_accept_whole_tenths_only() {
        assert_eq!(tenths(25.0), Some(250));
        assert_eq!(tenths(0.1), Some(1));
        assert_eq!(tenths(12.34), None);
        assert_eq!(tenths(-1.0), None);
    }
}
