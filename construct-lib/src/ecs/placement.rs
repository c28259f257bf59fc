//! Where the EC2 scheduler places tasks: strategies (binpack, spread, random) and
//! constraints (`distinctInstance`, `memberOf` expressions in the cluster query language).

use cfn_l1::ecs::service as l1s;
use cfn_l1::ecs::task_definition as l1t;

use crate::problem::{Problems, quoted};

/// How the scheduler picks an instance among those that fit a task. Strategies apply in
/// order: `[spread_across_zones(), binpack_memory()]` spreads over zones, then fills the
/// fullest instance of each.
///
/// ```
/// use construct_lib::ecs::PlacementStrategy;
/// let strategies = [PlacementStrategy::spread_across_zones(), PlacementStrategy::binpack_memory()];
/// # let _ = strategies;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlacementStrategy {
    /// Fill the instance with the least of this resource left (fewest instances in use).
    Binpack(BinpackResource),
    /// Even out tasks over the values of an attribute (`instanceId`,
    /// `attribute:ecs.availability-zone`, or a custom attribute).
    Spread(String),
    /// Any instance that fits.
    Random,
}

/// The resource binpacking saves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinpackResource {
    /// CPU units.
    Cpu,
    /// Memory.
    Memory,
}

impl PlacementStrategy {
    /// Packs tasks onto the instances with the least memory left: fewest instances.
    pub fn binpack_memory() -> Self {
        Self::Binpack(BinpackResource::Memory)
    }

    /// Packs tasks onto the instances with the least CPU left.
    pub fn binpack_cpu() -> Self {
        Self::Binpack(BinpackResource::Cpu)
    }

    /// Spreads tasks evenly over Availability Zones.
    pub fn spread_across_zones() -> Self {
        Self::Spread("attribute:ecs.availability-zone".to_owned())
    }

    /// Spreads tasks evenly over instances.
    pub fn spread_across_instances() -> Self {
        Self::Spread("instanceId".to_owned())
    }

    /// Spreads tasks evenly over the values of `field` (`attribute:stack`).
    pub fn spread_by(field: impl Into<String>) -> Self {
        Self::Spread(field.into())
    }

    /// Places tasks on any instance that fits.
    pub fn random() -> Self {
        Self::Random
    }

    pub(crate) fn to_l1(&self) -> l1s::PlacementStrategy {
        match self {
            Self::Binpack(resource) => l1s::PlacementStrategy::new(
                l1s::PlacementStrategyType::Binpack,
            )
            .field(match resource {
                BinpackResource::Cpu => "CPU",
                BinpackResource::Memory => "MEMORY",
            }),
            Self::Spread(field) => l1s::PlacementStrategy::new(l1s::PlacementStrategyType::Spread)
                .field(field.as_str()),
            Self::Random => l1s::PlacementStrategy::new(l1s::PlacementStrategyType::Random),
        }
    }

    fn label(&self) -> String {
        match self {
            Self::Binpack(BinpackResource::Cpu) => "binpack CPU".to_owned(),
            Self::Binpack(BinpackResource::Memory) => "binpack MEMORY".to_owned(),
            Self::Spread(field) => format!("spread {}", quoted(field)),
            Self::Random => "random".to_owned(),
        }
    }
}

impl std::fmt::Display for PlacementStrategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// Which instances may run a task.
///
/// ```
/// use construct_lib::ecs::PlacementConstraint;
/// let only_large = PlacementConstraint::instance_type_in(["m7i.large", "m7i.xlarge"]);
/// assert_eq!(only_large.expression(), Some("attribute:ecs.instance-type in [m7i.large, m7i.xlarge]"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlacementConstraint {
    /// Each task of the service on a different instance. On services only.
    DistinctInstance,
    /// Instances that match a cluster query language expression
    /// (`attribute:ecs.instance-type =~ t3.*`).
    MemberOf(String),
}

impl PlacementConstraint {
    /// Each task of the service on a different instance (services only; a task definition
    /// takes `memberOf` constraints only).
    pub fn distinct_instance() -> Self {
        Self::DistinctInstance
    }

    /// Instances matching `expression`, in the cluster query language.
    pub fn member_of(expression: impl Into<String>) -> Self {
        Self::MemberOf(expression.into())
    }

    /// Instances of one of `types` (`attribute:ecs.instance-type in [t3.large, t3.xlarge]`).
    pub fn instance_type_in<S: AsRef<str>>(types: impl IntoIterator<Item = S>) -> Self {
        let types: Vec<String> = types.into_iter().map(|t| t.as_ref().to_owned()).collect();
        Self::MemberOf(format!(
            "attribute:ecs.instance-type in [{}]",
            types.join(", ")
        ))
    }

    /// The `memberOf` expression, if it is one.
    pub fn expression(&self) -> Option<&str> {
        match self {
            Self::MemberOf(expression) => Some(expression),
            Self::DistinctInstance => None,
        }
    }

    /// Reports an empty or too long expression (ECS takes up to 2,000 characters).
    pub(crate) fn check(&self, setting: &str, problems: &mut Problems<'_>) {
        if let Self::MemberOf(expression) = self {
            if expression.trim().is_empty() {
                problems.error(setting, "an empty memberOf expression", "a cluster query language expression (attribute:ecs.instance-type == m7i.large)");
            } else if expression.chars().count() > 2000 {
                let value = format!("{} characters", expression.chars().count());
                problems.error(
                    setting,
                    value,
                    "a memberOf expression of at most 2000 characters",
                );
            }
        }
    }

    pub(crate) fn to_service_l1(&self) -> l1s::PlacementConstraint {
        match self {
            Self::DistinctInstance => {
                l1s::PlacementConstraint::new(l1s::PlacementConstraintType::DistinctInstance)
            }
            Self::MemberOf(expression) => {
                l1s::PlacementConstraint::new(l1s::PlacementConstraintType::MemberOf)
                    .expression(expression.as_str())
            }
        }
    }

    pub(crate) fn to_task_l1(&self) -> Option<l1t::TaskDefinitionPlacementConstraint> {
        self.expression().map(|expression| {
            l1t::TaskDefinitionPlacementConstraint::new("memberOf").expression(expression)
        })
    }
}

impl std::fmt::Display for PlacementConstraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DistinctInstance => f.write_str("distinctInstance"),
            Self::MemberOf(expression) => write!(f, "memberOf {}", quoted(expression)),
        }
    }
}
