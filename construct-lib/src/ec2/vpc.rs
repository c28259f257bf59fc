//! `Vpc`: a VPC with subnet tiers across availability zones, the internet gateway, NAT
//! gateways, routes and gateway endpoints; and a VPC imported by its attributes.

use cfn_l1::ec2 as l1;
use cfn_l1::model::{ResourceRef, Tag, Value, fns};

use super::cidr::{self, Request};
use crate::core::scope::Scope;
use crate::problem::Problem;

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

/// One subnet tier: a subnet of this type in every availability zone of the VPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetConfiguration {
    name: String,
    subnet_type: SubnetType,
    cidr_mask: Option<u8>,
    cidr_blocks: Vec<String>,
}

impl SubnetConfiguration {
    /// A tier of `subnet_type` called `name` (`Public`, `App`, `Data`); its subnets are named
    /// `{name}Subnet1`, `{name}Subnet2`, ...
    pub fn new(name: impl Into<String>, subnet_type: SubnetType) -> Self {
        Self {
            name: name.into(),
            subnet_type,
            cidr_mask: None,
            cidr_blocks: Vec::new(),
        }
    }

    /// A public tier.
    pub fn public(name: impl Into<String>) -> Self {
        Self::new(name, SubnetType::Public)
    }

    /// A private tier with outbound access through NAT gateways.
    pub fn private_with_egress(name: impl Into<String>) -> Self {
        Self::new(name, SubnetType::PrivateWithEgress)
    }

    /// An isolated tier.
    pub fn isolated(name: impl Into<String>) -> Self {
        Self::new(name, SubnetType::PrivateIsolated)
    }

    /// The prefix length of each subnet (`24` for 256 addresses), `16` to `28`.
    /// Default: an equal share of what the sized tiers leave.
    pub fn cidr_mask(mut self, mask: u8) -> Self {
        self.cidr_mask = Some(mask);
        self
    }

    /// The block of each subnet, one per availability zone in order
    /// (`["10.0.0.0/24", "10.0.1.0/24"]`), for address plans fixed elsewhere. Either every
    /// tier gives its blocks or none does. Default: allocated at synthesis.
    pub fn cidr_blocks<S: Into<String>>(mut self, blocks: impl IntoIterator<Item = S>) -> Self {
        self.cidr_blocks = blocks.into_iter().map(Into::into).collect();
        self
    }

    /// The tier's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tier's type.
    pub fn subnet_type(&self) -> SubnetType {
        self.subnet_type
    }
}

/// A gateway endpoint: traffic to the service stays inside AWS and needs no NAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayEndpoint {
    /// Amazon S3.
    S3,
    /// Amazon DynamoDB.
    DynamoDb,
}

impl GatewayEndpoint {
    fn service(self) -> &'static str {
        match self {
            Self::S3 => "s3",
            Self::DynamoDb => "dynamodb",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Self::S3 => "S3Endpoint",
            Self::DynamoDb => "DynamoDbEndpoint",
        }
    }
}

/// Settings of a new [`Vpc`]. Every setting has a default; `Vpc::builder().build(stack, "Vpc")`
/// gives a `10.0.0.0/16` VPC over two availability zones, each with a public and a private
/// subnet, and one NAT gateway per zone.
#[derive(Clone, Debug)]
pub struct VpcBuilder {
    cidr: String,
    max_azs: usize,
    availability_zones: Option<Vec<String>>,
    subnets: Vec<SubnetConfiguration>,
    nat_gateways: Option<usize>,
    gateway_endpoints: Vec<GatewayEndpoint>,
    dns_hostnames: bool,
    dns_support: bool,
    flow_logs: Option<crate::logs::RetentionDays>,
}

impl Default for VpcBuilder {
    fn default() -> Self {
        Self {
            cidr: "10.0.0.0/16".to_owned(),
            max_azs: 2,
            availability_zones: None,
            subnets: vec![
                SubnetConfiguration::public("Public"),
                SubnetConfiguration::private_with_egress("Private"),
            ],
            nat_gateways: None,
            gateway_endpoints: Vec::new(),
            dns_hostnames: true,
            dns_support: true,
            flow_logs: None,
        }
    }
}

impl VpcBuilder {
    /// The VPC's IPv4 block, `/16` to `/28`. Default: `10.0.0.0/16`.
    pub fn cidr(mut self, cidr: impl Into<String>) -> Self {
        self.cidr = cidr.into();
        self
    }

    /// How many availability zones of the region to use (`Fn::GetAZs`). Default: 2, which
    /// every region has.
    pub fn max_azs(mut self, count: usize) -> Self {
        self.max_azs = count;
        self
    }

    /// These availability zones instead of the first `max_azs` of the region.
    /// Default: the region's first `max_azs`.
    pub fn availability_zones<S: Into<String>>(
        mut self,
        zones: impl IntoIterator<Item = S>,
    ) -> Self {
        self.availability_zones = Some(zones.into_iter().map(Into::into).collect());
        self
    }

    /// The subnet tiers, replacing the default (a `Public` and a `Private` tier with egress).
    pub fn subnet_configuration(
        mut self,
        tiers: impl IntoIterator<Item = SubnetConfiguration>,
    ) -> Self {
        self.subnets = tiers.into_iter().collect();
        self
    }

    /// How many NAT gateways, placed in the public subnets of the first zones; private
    /// subnets of other zones route through them. Default: one per zone when there are
    /// private subnets with egress, else none.
    pub fn nat_gateways(mut self, count: usize) -> Self {
        self.nat_gateways = Some(count);
        self
    }

    /// Adds a gateway endpoint, routed from every subnet. Default: none.
    pub fn gateway_endpoint(mut self, endpoint: GatewayEndpoint) -> Self {
        self.gateway_endpoints.push(endpoint);
        self
    }

    /// Records all traffic of the VPC to a CloudWatch Logs group kept for `retention`, written
    /// by a role that may write to that group only. Default: no flow logs.
    pub fn flow_logs(mut self, retention: crate::logs::RetentionDays) -> Self {
        self.flow_logs = Some(retention);
        self
    }

    /// Whether instances get DNS hostnames. Default: `true`.
    pub fn enable_dns_hostnames(mut self, enabled: bool) -> Self {
        self.dns_hostnames = enabled;
        self
    }

    /// Whether the Amazon DNS server resolves names. Default: `true`.
    pub fn enable_dns_support(mut self, enabled: bool) -> Self {
        self.dns_support = enabled;
        self
    }

    /// Adds the VPC under construct `id` of `scope`. Invalid settings are reported at
    /// synthesis, each with the construct path, the setting, the value and what is allowed.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Vpc {
        let mut scope = scope.scope(id);
        let path = scope.path();
        let mut problems = Vec::new();
        let mut problem = |property: &str, value: String, allowed: String| {
            problems.push(Problem::error(path.clone(), property, value, allowed));
        };

        let zones: Vec<Value<String>> = match &self.availability_zones {
            Some(zones) => {
                if zones.is_empty() {
                    problem(
                        "availability_zones",
                        "[]".to_owned(),
                        "at least one availability zone".to_owned(),
                    );
                }
                zones
                    .iter()
                    .map(|zone| Value::from(zone.as_str()))
                    .collect()
            }
            None => {
                if self.max_azs == 0 {
                    problem(
                        "max_azs",
                        "0".to_owned(),
                        "at least 1 availability zone".to_owned(),
                    );
                }
                (0..self.max_azs)
                    .map(|index| fns::select(index as i64, fns::get_azs("")))
                    .collect()
            }
        };
        let zone_count = zones.len();

        let vpc_block = match cidr::parse(&self.cidr) {
            Ok(block) if cidr::prefix_allowed(block.prefix_len()) => Some(block),
            Ok(block) => {
                problem(
                    "cidr",
                    format!("{:?}", self.cidr),
                    format!(
                        "a block from /{} to /{} (AWS's VPC sizes), not /{}",
                        cidr::MIN_PREFIX,
                        cidr::MAX_PREFIX,
                        block.prefix_len()
                    ),
                );
                None
            }
            Err(allowed) => {
                problem("cidr", format!("{:?}", self.cidr), allowed);
                None
            }
        };

        if self.subnets.is_empty() {
            problem(
                "subnet_configuration",
                "[]".to_owned(),
                "at least one subnet tier".to_owned(),
            );
        }
        let mut names: Vec<&str> = Vec::new();
        for tier in &self.subnets {
            if names.contains(&tier.name.as_str()) {
                problem(
                    "subnet_configuration",
                    format!("{:?}", tier.name),
                    "tier names unique within the VPC".to_owned(),
                );
            }
            names.push(&tier.name);
            if tier.name.is_empty() || !tier.name.chars().all(|c| c.is_ascii_alphanumeric()) {
                problem(
                    "subnet_configuration",
                    format!("{:?}", tier.name),
                    "a tier name of letters and digits".to_owned(),
                );
            }
            if let Some(mask) = tier.cidr_mask
                && (!cidr::prefix_allowed(mask) || vpc_block.is_some_and(|b| mask < b.prefix_len()))
            {
                problem(
                    &format!("subnet_configuration[{}].cidr_mask", tier.name),
                    mask.to_string(),
                    format!(
                        "/{} to /{}, and not larger than the VPC block",
                        cidr::MIN_PREFIX,
                        cidr::MAX_PREFIX
                    ),
                );
            }
        }

        let blocks = vpc_block.and_then(|vpc| {
            let explicit = self
                .subnets
                .iter()
                .filter(|t| !t.cidr_blocks.is_empty())
                .count();
            if explicit == 0 {
                let requests: Vec<Request> = self
                    .subnets
                    .iter()
                    .map(|tier| Request {
                        prefix: tier.cidr_mask.filter(|m| cidr::prefix_allowed(*m)),
                        count: zone_count,
                    })
                    .collect();
                return match cidr::allocate(vpc, &requests) {
                    Ok(blocks) => Some(blocks),
                    Err(reason) => {
                        problem(
                            "subnet_configuration",
                            format!(
                                "{} tier(s) x {zone_count} zone(s) in {vpc}",
                                self.subnets.len()
                            ),
                            format!("subnets that fit the VPC block: {reason}"),
                        );
                        None
                    }
                };
            }
            if explicit != self.subnets.len() {
                problem(
                    "subnet_configuration",
                    format!(
                        "{explicit} of {} tiers with cidr_blocks",
                        self.subnets.len()
                    ),
                    "cidr_blocks on every tier or on none".to_owned(),
                );
                return None;
            }
            let mut all = Vec::new();
            let mut valid = true;
            for tier in &self.subnets {
                let property = format!("subnet_configuration[{}].cidr_blocks", tier.name);
                if tier.cidr_blocks.len() != zone_count {
                    problem(
                        &property,
                        format!("{} block(s)", tier.cidr_blocks.len()),
                        format!("one block per availability zone ({zone_count})"),
                    );
                    valid = false;
                }
                let mut parsed = Vec::new();
                for text in &tier.cidr_blocks {
                    match cidr::parse(text) {
                        Ok(block) if !vpc.contains(&block) => {
                            problem(
                                &property,
                                format!("{text:?}"),
                                format!("a block inside the VPC block {vpc}"),
                            );
                            valid = false;
                        }
                        Ok(block) if !cidr::prefix_allowed(block.prefix_len()) => {
                            problem(
                                &property,
                                format!("{text:?}"),
                                format!(
                                    "a block from /{} to /{}",
                                    cidr::MIN_PREFIX,
                                    cidr::MAX_PREFIX
                                ),
                            );
                            valid = false;
                        }
                        Ok(block) => parsed.push(block),
                        Err(allowed) => {
                            problem(&property, format!("{text:?}"), allowed);
                            valid = false;
                        }
                    }
                }
                all.push(parsed);
            }
            if let Some((a, b)) = cidr::first_overlap(&all.concat()) {
                problem(
                    "subnet_configuration",
                    format!("{a} and {b}"),
                    "subnet blocks that do not overlap".to_owned(),
                );
                valid = false;
            }
            valid.then_some(all)
        });

        let has = |t: SubnetType| self.subnets.iter().any(|tier| tier.subnet_type == t);
        let public_tier = self
            .subnets
            .iter()
            .position(|t| t.subnet_type == SubnetType::Public);
        let nat_count = match self.nat_gateways {
            Some(count) => count,
            None if has(SubnetType::PrivateWithEgress) => zone_count,
            None => 0,
        };
        if nat_count > zone_count {
            problem(
                "nat_gateways",
                nat_count.to_string(),
                format!("at most one per availability zone ({zone_count})"),
            );
        }
        if nat_count > 0 && public_tier.is_none() {
            problem(
                "nat_gateways",
                nat_count.to_string(),
                "0 when there is no public subnet tier to place them in".to_owned(),
            );
        }
        if nat_count == 0 && has(SubnetType::PrivateWithEgress) {
            problem(
                "nat_gateways",
                "0".to_owned(),
                "at least 1 for private subnets with egress; use isolated subnets for none"
                    .to_owned(),
            );
        }
        scope.stack_mut().problems.extend(problems);

        let name_tag = |suffix: &str| vec![Tag::new("Name", format!("{path}{suffix}"))];
        let vpc = scope.add(
            "Resource",
            l1::VPC::new()
                .cidr_block(self.cidr.as_str())
                .enable_dns_hostnames(self.dns_hostnames)
                .enable_dns_support(self.dns_support)
                .tags(name_tag("")),
        );
        let gateway = public_tier.map(|_| {
            let gateway = scope.add("IGW", l1::InternetGateway::new().tags(name_tag("")));
            let attachment = scope.add(
                "VPCGW",
                l1::VPCGatewayAttachment::new(vpc.ref_value())
                    .internet_gateway_id(gateway.ref_value()),
            );
            (gateway, attachment)
        });

        let mut subnets: Vec<Subnet> = Vec::new();
        let mut nat_ids: Vec<Value<String>> = Vec::new();
        // Public tiers first: private routes need the NAT gateways.
        let mut order: Vec<usize> = (0..self.subnets.len()).collect();
        order.sort_by_key(|&index| self.subnets[index].subnet_type != SubnetType::Public);
        for tier_index in order {
            let tier = &self.subnets[tier_index];
            if self.subnets[..tier_index]
                .iter()
                .any(|t| t.name == tier.name)
            {
                continue; // a duplicate tier name, reported above
            }
            for (zone, az) in zones.iter().enumerate() {
                let id = format!("{}Subnet{}", tier.name, zone + 1);
                let block = blocks.as_ref().map(|b| b[tier_index][zone].to_string());
                let mut subnet_scope = scope.scope(&id);
                let mut l1_subnet = l1::Subnet::new(vpc.ref_value())
                    .availability_zone(az.clone())
                    .map_public_ip_on_launch(tier.subnet_type == SubnetType::Public)
                    .tags(name_tag(&format!("/{id}")));
                if let Some(block) = &block {
                    l1_subnet = l1_subnet.cidr_block(block.as_str());
                }
                let subnet = subnet_scope.add("Subnet", l1_subnet);
                let table = subnet_scope.add(
                    "RouteTable",
                    l1::RouteTable::new(vpc.ref_value()).tags(name_tag(&format!("/{id}"))),
                );
                subnet_scope.add(
                    "RouteTableAssociation",
                    l1::SubnetRouteTableAssociation::new(table.ref_value(), subnet.ref_value()),
                );
                match tier.subnet_type {
                    SubnetType::Public => {
                        if let Some((gateway, attachment)) = &gateway {
                            let route = subnet_scope.add(
                                "DefaultRoute",
                                l1::Route::new(table.ref_value())
                                    .destination_cidr_block("0.0.0.0/0")
                                    .gateway_id(gateway.ref_value()),
                            );
                            subnet_scope
                                .resource_options(&route)
                                .depends_on(*attachment);
                        }
                        if Some(tier_index) == public_tier && zone < nat_count {
                            let eip = subnet_scope.add(
                                "EIP",
                                l1::EIP::new()
                                    .domain("vpc")
                                    .tags(name_tag(&format!("/{id}"))),
                            );
                            let nat = subnet_scope.add(
                                "NATGateway",
                                l1::NatGateway::new()
                                    .subnet_id(subnet.ref_value())
                                    .allocation_id(eip.attr_allocation_id())
                                    .tags(name_tag(&format!("/{id}"))),
                            );
                            nat_ids.push(nat.ref_value());
                        }
                    }
                    SubnetType::PrivateWithEgress => {
                        if !nat_ids.is_empty() {
                            subnet_scope.add(
                                "DefaultRoute",
                                l1::Route::new(table.ref_value())
                                    .destination_cidr_block("0.0.0.0/0")
                                    .nat_gateway_id(nat_ids[zone % nat_ids.len()].clone()),
                            );
                        }
                    }
                    SubnetType::PrivateIsolated => {}
                }
                subnets.push(Subnet {
                    tier: tier.name.clone(),
                    subnet_type: tier.subnet_type,
                    availability_zone: Some(az.clone()),
                    subnet_id: subnet.ref_value(),
                    route_table_id: Some(table.ref_value()),
                    cidr_block: block,
                });
            }
        }
        // Keep the user's tier order for selections and outputs.
        subnets.sort_by_key(|subnet| {
            self.subnets
                .iter()
                .position(|tier| tier.name == subnet.tier)
                .unwrap_or(usize::MAX)
        });

        for endpoint in &self.gateway_endpoints {
            let tables: Vec<Value<String>> = subnets
                .iter()
                .filter_map(|subnet| subnet.route_table_id.clone())
                .collect();
            scope.add(
                endpoint.id(),
                l1::VPCEndpoint::new(vpc.ref_value())
                    .service_name(fns::sub(format!(
                        "com.amazonaws.${{AWS::Region}}.{}",
                        endpoint.service()
                    )))
                    .vpc_endpoint_type(l1::vpc_endpoint::VpcEndpointType::Gateway)
                    .route_table_ids(tables),
            );
        }

        if let Some(retention) = self.flow_logs {
            let mut flow_scope = scope.scope("FlowLogs");
            let group = crate::logs::LogGroup::builder()
                .retention(retention)
                .build(&mut flow_scope, "LogGroup");
            let role = crate::iam::Role::builder(crate::iam::Principal::service(
                "vpc-flow-logs.amazonaws.com",
            ))
            .build(&mut flow_scope, "Role");
            role.add_to_policy(
                &mut flow_scope,
                crate::iam::PolicyStatement::allow()
                    .actions([
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "logs:DescribeLogStreams",
                    ])
                    .resource(group.arn()),
            );
            let mut flow_log = l1::FlowLog::new(vpc.ref_value(), l1::flow_log::ResourceType::Vpc)
                .traffic_type(l1::flow_log::TrafficType::All)
                .log_destination_type(l1::flow_log::LogDestinationType::CloudWatchLogs)
                .log_group_name(group.name())
                .deliver_logs_permission_arn(role.arn());
            flow_log.max_aggregation_interval = Some(Value::from(600i64));
            flow_scope.add("Resource", flow_log);
        }

        Vpc {
            vpc_id: vpc.ref_value(),
            cidr_block: Some(vpc.attr_cidr_block()),
            cidr_literal: Some(self.cidr.clone()),
            availability_zones: zones,
            subnets,
            internet_gateway_id: gateway.map(|(gateway, _)| gateway.ref_value()),
            resource: Some(vpc),
        }
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
