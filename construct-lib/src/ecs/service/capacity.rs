//! Capacity provider strategies: where a service's tasks run, on Fargate (on-demand or
//! Spot) or on the Auto Scaling groups of the cluster's EC2 capacity providers.

use cfn_l1::ecs::service as l1s;
use cfn_l1::model::Value;

use crate::ecs::AsgCapacityProvider;
use crate::problem::Problems;

/// A capacity provider.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum CapacityProvider {
    /// On-demand Fargate.
    Fargate,
    /// Fargate Spot: cheaper, may be interrupted with two minutes' notice.
    FargateSpot,
    /// EC2 instances of an Auto Scaling group, from
    /// [`Cluster::add_asg_capacity_provider`](crate::ecs::Cluster::add_asg_capacity_provider).
    Asg(AsgCapacityProvider),
}

impl CapacityProvider {
    /// The provider's name in a strategy (`FARGATE_SPOT`, or a reference to the provider).
    pub fn name(&self) -> Value<String> {
        match self {
            Self::Fargate => "FARGATE".into(),
            Self::FargateSpot => "FARGATE_SPOT".into(),
            Self::Asg(provider) => provider.name(),
        }
    }

    /// For messages: `FARGATE`, or the provider's construct path.
    pub(crate) fn label(&self) -> String {
        match self {
            Self::Fargate => "FARGATE".to_owned(),
            Self::FargateSpot => "FARGATE_SPOT".to_owned(),
            Self::Asg(provider) => provider.path().to_owned(),
        }
    }
}

impl From<&AsgCapacityProvider> for CapacityProvider {
    fn from(provider: &AsgCapacityProvider) -> Self {
        Self::Asg(provider.clone())
    }
}

/// Where a service's tasks run: `base` tasks first on this provider, the rest split by
/// `weight`.
///
/// ```
/// use construct_lib::ecs::{CapacityProvider, CapacityProviderStrategy};
/// let spot = CapacityProviderStrategy::new(CapacityProvider::FargateSpot).weight(3);
/// let on_demand = CapacityProviderStrategy::new(CapacityProvider::Fargate).base(1);
/// # let _ = (spot, on_demand);
/// ```
#[derive(Clone, Debug)]
pub struct CapacityProviderStrategy {
    /// The provider.
    pub provider: CapacityProvider,
    /// Its share of the tasks beyond the bases, 0 to 1,000. Default: 1.
    pub weight: u32,
    /// Tasks placed on it first, 0 to 100,000. Default: 0.
    pub base: u32,
}

impl CapacityProviderStrategy {
    /// `provider` with weight 1 and no base.
    pub fn new(provider: impl Into<CapacityProvider>) -> Self {
        Self {
            provider: provider.into(),
            weight: 1,
            base: 0,
        }
    }

    /// Its share of the tasks beyond the bases, 0 to 1,000. Default: 1.
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = weight;
        self
    }

    /// Tasks placed on it first, 0 to 100,000. Default: 0.
    pub fn base(mut self, base: u32) -> Self {
        self.base = base;
        self
    }

    pub(crate) fn to_service_l1(&self) -> l1s::CapacityProviderStrategyItem {
        l1s::CapacityProviderStrategyItem::new()
            .capacity_provider(self.provider.name())
            .weight(i64::from(self.weight))
            .base(i64::from(self.base))
    }
}

/// The rules ECS applies to a strategy: weights and bases in range, some weight, one base
/// at most, each provider once, and providers of one kind (Fargate or Auto Scaling groups).
pub(crate) fn check(
    strategies: &[CapacityProviderStrategy],
    setting: &str,
    problems: &mut Problems<'_>,
) {
    if strategies.is_empty() {
        return;
    }
    for strategy in strategies {
        problems.range(setting, strategy.weight, 0..=1000, "");
        problems.range(setting, strategy.base, 0..=100_000, "");
    }
    if strategies.iter().all(|s| s.weight == 0) {
        problems.error(
            setting,
            "every weight 0",
            "at least one provider with a weight above 0",
        );
    }
    if strategies.iter().filter(|s| s.base > 0).count() > 1 {
        problems.error(
            setting,
            "several providers with a base",
            "a base on one provider at most",
        );
    }
    let mut labels: Vec<String> = strategies.iter().map(|s| s.provider.label()).collect();
    labels.sort();
    if let Some(pair) = labels.windows(2).find(|pair| pair[0] == pair[1]) {
        problems.error(
            setting,
            format!("{} twice", pair[0]),
            "each provider once in a strategy",
        );
    }
    let asg = strategies
        .iter()
        .filter(|s| matches!(s.provider, CapacityProvider::Asg(_)))
        .count();
    if asg > 0 && asg < strategies.len() {
        problems.error(
            setting,
            "Fargate and Auto Scaling group providers together",
            "providers of one kind in a strategy: FARGATE and FARGATE_SPOT, or Auto Scaling group providers",
        );
    }
    if strategies.len() > 20 {
        let value = format!("{} providers", strategies.len());
        problems.error(setting, value, "at most 20 providers in a strategy");
    }
}
