//! `Vpc`: a VPC with subnet tiers across availability zones, the internet gateway, NAT
//! gateways, routes and gateway endpoints (built by [`VpcBuilder`]); and a VPC imported by
//! its attributes. Constructs placed in its subnets wait for the subnets' routes.

mod builder;
mod plan;
mod subnets;

use cfn_l1::ec2 as l1;
use cfn_l1::model::{ResourceId, ResourceRef, Value};

use crate::core::scope::Scope;

pub use builder::{GatewayEndpoint, SubnetConfiguration, VpcBuilder};

/// What a subnet tier is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubnetType {
    /// Routed to the internet gateway; hosts load balancers and NAT gateways.
    Public,
    /// No inbound route from the internet; outbound through a NAT gateway.
    PrivateWithEgress,
    /// No route out of the VPC (databases).
    PrivateIsolated,
}

impl std::fmt::Display for SubnetType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Public => "public",
            Self::PrivateWithEgress => "private with egress",
            Self::PrivateIsolated => "isolated",
        })
    }
}

/// A subnet of a [`Vpc`].
#[derive(Clone, Debug)]
pub struct Subnet {
    tier: String,
    subnet_type: SubnetType,
    availability_zone: Option<Value<String>>,
    subnet_id: Value<String>,
    route_table_id: Option<Value<String>>,
    cidr_block: Option<String>,
    /// What must exist before the subnet reaches the internet (or its NAT): its route
    /// table association and default route. Empty for imported subnets.
    connectivity: Vec<ResourceId>,
}

impl Subnet {
    /// The tier's name (`Public`).
    pub fn tier(&self) -> &str {
        &self.tier
    }
    /// The tier's type.
    pub fn subnet_type(&self) -> SubnetType {
        self.subnet_type
    }
    /// The availability zone (for imported subnets, when the attributes gave it).
    pub fn availability_zone(&self) -> Option<Value<String>> {
        self.availability_zone.clone()
    }
    /// The subnet id.
    pub fn subnet_id(&self) -> Value<String> {
        self.subnet_id.clone()
    }
    /// The route table id, when known (always for subnets this library created).
    pub fn route_table_id(&self) -> Option<Value<String>> {
        self.route_table_id.clone()
    }
    /// The block allocated at synthesis (`None` for imported subnets).
    pub fn cidr_block(&self) -> Option<&str> {
        self.cidr_block.as_deref()
    }

    /// Makes `resource` wait until these subnets have their routes (to the internet gateway
    /// for public subnets, to a NAT gateway for private ones): a load balancer created
    /// before its subnets reach the internet gateway fails, and tasks that start before
    /// the NAT route exists cannot pull their images. Subnets of another stack need
    /// nothing: that stack deploys first.
    pub(crate) fn wait_for_routes(
        scope: &mut impl Scope,
        resource: ResourceId,
        subnets: &[Subnet],
    ) {
        for route in subnets.iter().flat_map(|s| &s.connectivity) {
            if route.stack == resource.stack {
                scope.stack_mut().add_dependency_of(resource, *route);
            }
        }
    }
}

/// Which subnets of a VPC a construct goes into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SubnetSelection {
    /// The private subnets with egress if there are any, else the isolated ones, else the
    /// public ones (the CDK's default).
    #[default]
    Default,
    /// Every subnet of this type.
    Type(SubnetType),
    /// Every subnet of the tier with this name.
    Tier(String),
}

impl std::fmt::Display for SubnetSelection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Default => f.write_str("the default subnets"),
            Self::Type(SubnetType::PrivateWithEgress) => {
                f.write_str("the private subnets with egress")
            }
            Self::Type(subnet_type) => write!(f, "the {subnet_type} subnets"),
            Self::Tier(name) => write!(f, "the subnets of tier {name:?}"),
        }
    }
}

/// The attributes of an existing VPC, to use it without creating it.
#[derive(Clone, Debug)]
pub struct VpcAttributes {
    /// The VPC id.
    pub vpc_id: Value<String>,
    /// The VPC block, if other constructs need it. Default: unknown.
    pub cidr_block: Option<Value<String>>,
    /// The availability zones, in the order of the subnet lists.
    pub availability_zones: Vec<Value<String>>,
    /// Public subnet ids, one per zone.
    pub public_subnet_ids: Vec<Value<String>>,
    /// Private subnet ids (with egress), one per zone.
    pub private_subnet_ids: Vec<Value<String>>,
    /// Isolated subnet ids, one per zone.
    pub isolated_subnet_ids: Vec<Value<String>>,
}

/// A VPC: created with [`Vpc::builder`], or imported with [`Vpc::from_attributes`]. A cheap
/// handle: clone it into every construct that needs the network.
#[derive(Clone, Debug)]
pub struct Vpc {
    vpc_id: Value<String>,
    cidr_block: Option<Value<String>>,
    cidr_literal: Option<String>,
    availability_zones: Vec<Value<String>>,
    subnets: Vec<Subnet>,
    internet_gateway_id: Option<Value<String>>,
    resource: Option<ResourceRef<l1::VPC>>,
}

impl Vpc {
    /// Settings for a new VPC, every one with a default.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::{SubnetConfiguration, Vpc};
    /// let mut app = App::new();
    /// let stack = app.stack("Network");
    /// let vpc = Vpc::builder()
    ///     .cidr("10.1.0.0/16")
    ///     .subnet_configuration([
    ///         SubnetConfiguration::public("Public").cidr_mask(24),
    ///         SubnetConfiguration::private_with_egress("App"),
    ///         SubnetConfiguration::isolated("Data").cidr_mask(24),
    ///     ])
    ///     .nat_gateways(1)
    ///     .build(stack, "Vpc");
    /// assert_eq!(vpc.subnets().len(), 6);
    /// ```
    pub fn builder() -> VpcBuilder {
        VpcBuilder::default()
    }

    /// An existing VPC, from its attributes (no resource is created).
    pub fn from_attributes(attributes: VpcAttributes) -> Self {
        let mut subnets = Vec::new();
        for (ids, tier, subnet_type) in [
            (&attributes.public_subnet_ids, "Public", SubnetType::Public),
            (
                &attributes.private_subnet_ids,
                "Private",
                SubnetType::PrivateWithEgress,
            ),
            (
                &attributes.isolated_subnet_ids,
                "Isolated",
                SubnetType::PrivateIsolated,
            ),
        ] {
            for (index, id) in ids.iter().enumerate() {
                subnets.push(Subnet {
                    tier: tier.to_owned(),
                    subnet_type,
                    availability_zone: attributes.availability_zones.get(index).cloned(),
                    subnet_id: id.clone(),
                    route_table_id: None,
                    cidr_block: None,
                    connectivity: Vec::new(),
                });
            }
        }
        Self {
            vpc_id: attributes.vpc_id,
            cidr_literal: attributes
                .cidr_block
                .as_ref()
                .and_then(|block| block.as_literal_str().map(str::to_owned)),
            cidr_block: attributes.cidr_block,
            availability_zones: attributes.availability_zones,
            subnets,
            internet_gateway_id: None,
            resource: None,
        }
    }

    /// The VPC id.
    pub fn vpc_id(&self) -> Value<String> {
        self.vpc_id.clone()
    }

    /// The VPC block (`Fn::GetAtt CidrBlock` for a VPC created here; for an imported VPC,
    /// what its attributes gave).
    pub fn cidr_block(&self) -> Option<Value<String>> {
        self.cidr_block.clone()
    }

    /// The VPC block as written (`10.0.0.0/16`), when it is known at synthesis.
    pub fn cidr_literal(&self) -> Option<&str> {
        self.cidr_literal.as_deref()
    }

    /// The availability zones, in subnet order.
    pub fn availability_zones(&self) -> &[Value<String>] {
        &self.availability_zones
    }

    /// Every subnet, tier by tier in the configuration's order, zone by zone.
    pub fn subnets(&self) -> &[Subnet] {
        &self.subnets
    }

    /// The internet gateway id, when the VPC has public subnets and was created here.
    pub fn internet_gateway_id(&self) -> Option<Value<String>> {
        self.internet_gateway_id.clone()
    }

    /// The L1 VPC resource (`None` for an imported VPC): the escape hatch for anything this
    /// construct does not set (`stack.l1_mut(vpc.resource()?)`).
    pub fn resource(&self) -> Option<&ResourceRef<l1::VPC>> {
        self.resource.as_ref()
    }

    /// The subnets `selection` names, or what the VPC has instead.
    pub fn select_subnets(&self, selection: &SubnetSelection) -> Result<Vec<Subnet>, String> {
        let of_type = |t: SubnetType| -> Vec<Subnet> {
            self.subnets
                .iter()
                .filter(|s| s.subnet_type == t)
                .cloned()
                .collect()
        };
        let chosen = match selection {
            SubnetSelection::Default => [
                SubnetType::PrivateWithEgress,
                SubnetType::PrivateIsolated,
                SubnetType::Public,
            ]
            .into_iter()
            .map(of_type)
            .find(|subnets| !subnets.is_empty())
            .unwrap_or_default(),
            SubnetSelection::Type(t) => of_type(*t),
            SubnetSelection::Tier(name) => self
                .subnets
                .iter()
                .filter(|s| &s.tier == name)
                .cloned()
                .collect(),
        };
        if chosen.is_empty() {
            let mut tiers: Vec<String> = self
                .subnets
                .iter()
                .map(|s| format!("{} ({})", s.tier, s.subnet_type))
                .collect();
            tiers.dedup();
            return Err(format!(
                "the VPC has no such subnets; its tiers are: {}",
                if tiers.is_empty() {
                    "none".to_owned()
                } else {
                    tiers.join(", ")
                }
            ));
        }
        Ok(chosen)
    }
}
