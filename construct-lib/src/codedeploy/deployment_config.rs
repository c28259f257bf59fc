//! `EcsDeploymentConfig`: how CodeDeploy moves production traffic to the new tasks: one of
//! the predefined ECS configurations, or a custom time-based canary or linear shift (an
//! `AWS::CodeDeploy::DeploymentConfig` made by the deployment group that uses it).

use cfn_l1::codedeploy as l1;
use cfn_l1::codedeploy::deployment_config as l1c;

use crate::Duration;
use crate::problem::Problems;

/// How CodeDeploy moves production traffic from the old tasks to the new.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::codedeploy::EcsDeploymentConfig;
/// // 25% of the traffic, then the rest 10 minutes later.
/// let canary = EcsDeploymentConfig::canary(25, Duration::minutes(10));
/// let predefined = EcsDeploymentConfig::Linear10PercentEvery3Minutes;
/// # let _ = (canary, predefined);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EcsDeploymentConfig {
    /// All traffic at once (`CodeDeployDefault.ECSAllAtOnce`).
    AllAtOnce,
    /// 10%, then the rest after 5 minutes (`CodeDeployDefault.ECSCanary10Percent5Minutes`).
    Canary10Percent5Minutes,
    /// 10%, then the rest after 15 minutes (`CodeDeployDefault.ECSCanary10Percent15Minutes`).
    Canary10Percent15Minutes,
    /// 10% more every minute (`CodeDeployDefault.ECSLinear10PercentEvery1Minutes`).
    Linear10PercentEvery1Minute,
    /// 10% more every 3 minutes (`CodeDeployDefault.ECSLinear10PercentEvery3Minutes`).
    Linear10PercentEvery3Minutes,
    /// `percent` of the traffic, then the rest after `interval` (`TimeBasedCanary`).
    Canary {
        /// Share of the traffic in the first step, 1 to 99.
        percent: u32,
        /// Time until the rest moves: whole minutes, at least 1.
        interval: Duration,
    },
    /// `percent` more of the traffic every `interval` (`TimeBasedLinear`).
    Linear {
        /// Share of the traffic per step, 1 to 99.
        percent: u32,
        /// Time between steps: whole minutes, at least 1.
        interval: Duration,
    },
}

impl EcsDeploymentConfig {
    /// A custom canary: `percent` (1 to 99) of the traffic, the rest `interval` later.
    pub fn canary(percent: u32, interval: Duration) -> Self {
        Self::Canary { percent, interval }
    }

    /// A custom linear shift: `percent` (1 to 99) more every `interval`.
    pub fn linear(percent: u32, interval: Duration) -> Self {
        Self::Linear { percent, interval }
    }

    /// The name of a predefined configuration; `None` for a custom one.
    pub fn predefined_name(&self) -> Option<&'static str> {
        match self {
            Self::AllAtOnce => Some("CodeDeployDefault.ECSAllAtOnce"),
            Self::Canary10Percent5Minutes => Some("CodeDeployDefault.ECSCanary10Percent5Minutes"),
            Self::Canary10Percent15Minutes => Some("CodeDeployDefault.ECSCanary10Percent15Minutes"),
            Self::Linear10PercentEvery1Minute => {
                Some("CodeDeployDefault.ECSLinear10PercentEvery1Minutes")
            }
            Self::Linear10PercentEvery3Minutes => {
                Some("CodeDeployDefault.ECSLinear10PercentEvery3Minutes")
            }
            Self::Canary { .. } | Self::Linear { .. } => None,
        }
    }

    pub(super) fn check(&self, problems: &mut Problems<'_>) {
        let (kind, percent, interval) = match *self {
            Self::Canary { percent, interval } => ("canary", percent, interval),
            Self::Linear { percent, interval } => ("linear", percent, interval),
            _ => return,
        };
        problems.range(&format!("{kind} percent"), percent, 1..=99, "%");
        match interval.whole_minutes() {
            None => problems.error(
                &format!("{kind} interval"),
                interval,
                "whole minutes (CodeDeploy counts intervals in minutes)",
            ),
            Some(0) => problems.error(&format!("{kind} interval"), interval, "at least 1 minute"),
            Some(_) => {}
        }
    }

    /// The custom configuration's resource; `None` for a predefined one.
    pub(super) fn to_l1(self) -> Option<l1::DeploymentConfig> {
        let minutes = |interval: Duration| (interval.to_seconds() / 60) as i64;
        let routing = match self {
            Self::Canary { percent, interval } => l1c::TrafficRoutingConfig::new("TimeBasedCanary")
                .time_based_canary(l1c::TimeBasedCanary::new(l1c::TimeBasedCanaryRequired {
                    canary_interval: minutes(interval).into(),
                    canary_percentage: i64::from(percent).into(),
                })),
            Self::Linear { percent, interval } => l1c::TrafficRoutingConfig::new("TimeBasedLinear")
                .time_based_linear(l1c::TimeBasedLinear::new(l1c::TimeBasedLinearRequired {
                    linear_interval: minutes(interval).into(),
                    linear_percentage: i64::from(percent).into(),
                })),
            _ => return None,
        };
        Some(
            l1::DeploymentConfig::new()
                .compute_platform("ECS")
                .traffic_routing_config(routing),
        )
    }
}
