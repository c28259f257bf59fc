//! [`VpcBuilder`]: a new VPC's settings, and the steps that build it: check and plan
//! (`plan.rs`), then the VPC and its gateway, the subnets with their routes and NAT
//! gateways (`subnets.rs`), gateway endpoints and flow logs.

use cfn_l1::ec2 as l1;
use cfn_l1::model::{ResourceId, ResourceRef, Tag, Value, fns};

use super::plan::{self, Plan};
use super::subnets;
use super::{Subnet, SubnetType, Vpc};
use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Principal, Role};
use crate::logs::{LogGroup, RetentionDays};

/// One subnet tier: a subnet of this type in every availability zone of the VPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetConfiguration {
    pub(super) name: String,
    pub(super) subnet_type: SubnetType,
    pub(super) cidr_mask: Option<u8>,
    pub(super) cidr_blocks: Vec<String>,
    pub(super) first_block: Option<u32>,
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
            first_block: None,
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

    /// Numbers the tier's subnets from the VPC block: with `cidr_mask(24)` and
    /// `first_block(50)` in `10.0.0.0/16`, zone 1 gets block 50 (`10.0.50.0/24`), zone 2
    /// block 51, and so on (Terraform's `cidrsubnet(vpc, 8, 50 + zone)`). Needs a
    /// `cidr_mask`; either every tier is placed this way or by `cidr_blocks`, or none is.
    /// Default: allocated at synthesis.
    ///
    /// ```
    /// use construct_lib::ec2::{SubnetConfiguration, Vpc};
    /// let vpc = Vpc::builder()
    ///     .cidr("10.30.0.0/16")
    ///     .subnet_configuration(vec![
    ///         SubnetConfiguration::public("Public").cidr_mask(24).first_block(0),
    ///         SubnetConfiguration::private_with_egress("Private").cidr_mask(24).first_block(50),
    ///     ]);
    /// # let _ = vpc;
    /// ```
    pub fn first_block(mut self, index: u32) -> Self {
        self.first_block = Some(index);
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
    pub(super) fn service(self) -> &'static str {
        match self {
            Self::S3 => "s3",
            Self::DynamoDb => "dynamodb",
        }
    }

    pub(super) fn id(self) -> &'static str {
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
    pub(super) cidr: String,
    pub(super) max_azs: usize,
    pub(super) availability_zones: Option<Vec<String>>,
    pub(super) subnets: Vec<SubnetConfiguration>,
    pub(super) nat_gateways: Option<usize>,
    pub(super) gateway_endpoints: Vec<GatewayEndpoint>,
    pub(super) dns_hostnames: bool,
    pub(super) dns_support: bool,
    pub(super) flow_logs: Option<RetentionDays>,
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

    /// How many availability zones of the region to use (`Fn::GetAZs`), 1 to 6 (the most a
    /// region has; the deploy fails in a region with fewer). Default: 2, which every region
    /// has.
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
    pub fn flow_logs(mut self, retention: RetentionDays) -> Self {
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
        let plan = plan::plan(&self, &mut scope.problems());
        let names = NameTags::new(scope.path());
        let vpc = scope.add("Resource", self.to_l1(&names));
        let gateway = plan
            .public_tier
            .map(|_| InternetGateway::create(&mut scope, &vpc, &names));
        let network = subnets::Network {
            vpc: &vpc,
            gateway: gateway.as_ref(),
            names: &names,
        };
        let subnets = subnets::create(&mut scope, &network, &self.subnets, &plan);
        for endpoint in &self.gateway_endpoints {
            add_gateway_endpoint(&mut scope, &vpc, &subnets, *endpoint);
        }
        if let Some(retention) = self.flow_logs {
            add_flow_logs(&mut scope, &vpc, retention);
        }
        self.handle(vpc, plan, subnets, gateway)
    }

    fn to_l1(&self, names: &NameTags) -> l1::VPC {
        l1::VPC::new()
            .cidr_block(self.cidr.as_str())
            .enable_dns_hostnames(self.dns_hostnames)
            .enable_dns_support(self.dns_support)
            .tags(names.tag(""))
    }

    fn handle(
        self,
        vpc: ResourceRef<l1::VPC>,
        plan: Plan,
        subnets: Vec<Subnet>,
        gateway: Option<InternetGateway>,
    ) -> Vpc {
        Vpc {
            vpc_id: vpc.ref_value(),
            cidr_block: Some(vpc.attr_cidr_block()),
            cidr_literal: Some(self.cidr),
            availability_zones: plan.zones,
            subnets,
            internet_gateway_id: gateway.map(|gateway| gateway.id),
            resource: Some(vpc),
        }
    }
}

/// `Name` tags: the VPC's path, then the subnet's id (`Network/Vpc/PublicSubnet1`), as the
/// console shows them.
pub(super) struct NameTags {
    path: String,
}

impl NameTags {
    fn new(path: String) -> Self {
        Self { path }
    }

    /// The `Name` tag of the VPC (`suffix` empty) or of a part of it (`/PublicSubnet1`).
    pub(super) fn tag(&self, suffix: &str) -> Vec<Tag> {
        vec![Tag::new("Name", format!("{}{suffix}", self.path))]
    }
}

/// The internet gateway and its attachment to the VPC.
pub(super) struct InternetGateway {
    /// The gateway id.
    pub(super) id: Value<String>,
    /// The attachment: what has a public address in the VPC waits for it.
    pub(super) attachment: ResourceId,
}

impl InternetGateway {
    fn create(scope: &mut impl Scope, vpc: &ResourceRef<l1::VPC>, names: &NameTags) -> Self {
        let gateway = scope.add("IGW", l1::InternetGateway::new().tags(names.tag("")));
        let attachment = scope.add(
            "VPCGW",
            l1::VPCGatewayAttachment::new(vpc.ref_value()).internet_gateway_id(gateway.ref_value()),
        );
        Self {
            id: gateway.ref_value(),
            attachment: attachment.id(),
        }
    }
}

/// A gateway endpoint routed from every subnet's route table.
fn add_gateway_endpoint(
    scope: &mut impl Scope,
    vpc: &ResourceRef<l1::VPC>,
    subnets: &[Subnet],
    endpoint: GatewayEndpoint,
) {
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

/// Flow logs of all traffic to a log group, written by a role that may write there only.
fn add_flow_logs(scope: &mut impl Scope, vpc: &ResourceRef<l1::VPC>, retention: RetentionDays) {
    let mut scope = scope.scope("FlowLogs");
    let group = LogGroup::builder()
        .retention(retention)
        .build(&mut scope, "LogGroup");
    // Only this account's flow logs may use the role (the confused-deputy conditions the
    // VPC user guide gives for this trust).
    let trust = PolicyStatement::allow()
        .actions(["sts:AssumeRole"])
        .principal(Principal::service("vpc-flow-logs.amazonaws.com"))
        .condition("StringEquals", "aws:SourceAccount", fns::account_id())
        .condition(
            "ArnLike",
            "aws:SourceArn",
            fns::sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*"),
        );
    let role = Role::builder_with_trust(trust).build(&mut scope, "Role");
    role.add_to_policy(
        &mut scope,
        PolicyStatement::allow()
            .actions([
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ])
            .resource(group.arn()),
    );
    let mut flow_log = l1::FlowLog::new(l1::flow_log::FlowLogRequired {
        resource_id: vpc.ref_value(),
        resource_type: l1::flow_log::ResourceType::Vpc.into(),
    })
    .traffic_type(l1::flow_log::TrafficType::All)
    .log_destination_type(l1::flow_log::LogDestinationType::CloudWatchLogs)
    .log_group_name(group.name())
    .deliver_logs_permission_arn(role.arn());
    flow_log.max_aggregation_interval = Some(Value::from(600i64));
    let flow_log = scope.add("Resource", flow_log);
    // Delivery checks the role's permissions when the flow log is created.
    role.make_wait_for_policy(&mut scope, flow_log.id());
}
