//! The subnets of a new VPC: one per tier and zone, each with its route table, and the
//! routes out: public subnets to the internet gateway (and NAT gateways in the first
//! zones), private subnets with egress to a NAT gateway.
//!
//! Order matters in a real account, and CloudFormation only knows it from references and
//! `DependsOn` (its DependsOn guide lists these): a route through the gateway, an Elastic
//! IP and a NAT gateway fail with "Gateway.NotAttached" when created before the gateway is
//! attached, so they wait for the attachment (the NAT gateway through its subnet's route).

use cfn_l1::ec2 as l1;
use cfn_l1::model::{ResourceRef, Value};
use ipnet::Ipv4Net;

use super::builder::{InternetGateway, NameTags, SubnetConfiguration};
use super::plan::Plan;
use super::{Subnet, SubnetType};
use crate::core::scope::Scope;

/// What the subnets are created in.
pub(super) struct Network<'a> {
    pub(super) vpc: &'a ResourceRef<l1::VPC>,
    pub(super) gateway: Option<&'a InternetGateway>,
    pub(super) names: &'a NameTags,
}

/// Creates every tier's subnets, public tiers first (private routes need their NAT
/// gateways), and returns them in the configuration's order.
pub(super) fn create(
    scope: &mut impl Scope,
    network: &Network<'_>,
    tiers: &[SubnetConfiguration],
    plan: &Plan,
) -> Vec<Subnet> {
    let mut order: Vec<usize> = (0..tiers.len()).collect();
    order.sort_by_key(|&index| tiers[index].subnet_type != SubnetType::Public);
    let mut subnets: Vec<(usize, Subnet)> = Vec::new();
    let mut nat_ids: Vec<Value<String>> = Vec::new();
    for tier_index in order {
        let tier = &tiers[tier_index];
        if tiers[..tier_index].iter().any(|t| t.name == tier.name) {
            continue; // a duplicate tier name, reported by the plan
        }
        for (zone, az) in plan.zones.iter().enumerate() {
            let block = plan
                .blocks
                .as_ref()
                .and_then(|blocks| blocks.get(tier_index)?.get(zone).copied());
            let id = format!("{}Subnet{}", tier.name, zone + 1);
            let mut scope = scope.scope(&id);
            let (mut subnet, table) = new_subnet(&mut scope, network, tier, az, block, &id);
            let nat_here = Some(tier_index) == plan.public_tier && zone < plan.nat_count;
            match (tier.subnet_type, network.gateway) {
                (SubnetType::Public, Some(gateway)) => {
                    add_internet_route(&mut scope, &mut subnet, table, gateway);
                    if nat_here {
                        nat_ids.push(add_nat_gateway(&mut scope, &subnet, gateway, &id, network));
                    }
                }
                (SubnetType::PrivateWithEgress, _) if !nat_ids.is_empty() => {
                    let nat_id = nat_ids[zone % nat_ids.len()].clone();
                    add_nat_route(&mut scope, &mut subnet, table, nat_id);
                }
                _ => {}
            }
            subnets.push((tier_index, subnet));
        }
    }
    // Keep the user's tier order for selections and outputs.
    subnets.sort_by_key(|(tier_index, _)| *tier_index);
    subnets.into_iter().map(|(_, subnet)| subnet).collect()
}

/// The subnet, its route table (whose id is returned beside it) and their association.
fn new_subnet(
    scope: &mut impl Scope,
    network: &Network<'_>,
    tier: &SubnetConfiguration,
    zone: &Value<String>,
    block: Option<Ipv4Net>,
    id: &str,
) -> (Subnet, Value<String>) {
    let tag = network.names.tag(&format!("/{id}"));
    let mut l1_subnet = l1::Subnet::new(network.vpc.ref_value())
        .availability_zone(zone.clone())
        .map_public_ip_on_launch(tier.subnet_type == SubnetType::Public)
        .tags(tag.clone());
    if let Some(block) = block {
        l1_subnet = l1_subnet.cidr_block(block.to_string());
    }
    let subnet = scope.add("Subnet", l1_subnet);
    let table = scope.add(
        "RouteTable",
        l1::RouteTable::new(network.vpc.ref_value()).tags(tag),
    );
    let association = scope.add(
        "RouteTableAssociation",
        l1::SubnetRouteTableAssociation::new(
            l1::subnet_route_table_association::SubnetRouteTableAssociationRequired {
                route_table_id: table.ref_value(),
                subnet_id: subnet.ref_value(),
            },
        ),
    );
    let handle = Subnet {
        tier: tier.name.clone(),
        subnet_type: tier.subnet_type,
        availability_zone: Some(zone.clone()),
        subnet_id: subnet.ref_value(),
        route_table_id: Some(table.ref_value()),
        cidr_block: block.map(|b| b.to_string()),
        connectivity: vec![association.id()],
    };
    (handle, table.ref_value())
}

/// `0.0.0.0/0` through the internet gateway, once it is attached.
fn add_internet_route(
    scope: &mut impl Scope,
    subnet: &mut Subnet,
    table: Value<String>,
    gateway: &InternetGateway,
) {
    let route = scope.add(
        "DefaultRoute",
        default_route(table).gateway_id(gateway.id.clone()),
    );
    scope
        .stack_mut()
        .add_dependency_of(route.id(), gateway.attachment);
    subnet.connectivity.push(route.id());
}

/// `0.0.0.0/0` through a NAT gateway.
fn add_nat_route(
    scope: &mut impl Scope,
    subnet: &mut Subnet,
    table: Value<String>,
    nat_id: Value<String>,
) {
    let route = scope.add("DefaultRoute", default_route(table).nat_gateway_id(nat_id));
    subnet.connectivity.push(route.id());
}

fn default_route(table: Value<String>) -> l1::Route {
    l1::Route::new(table).destination_cidr_block("0.0.0.0/0")
}

/// A NAT gateway with its Elastic IP in a public subnet; returns its id. The address waits
/// for the gateway's attachment, the NAT gateway for the subnet's route to it.
fn add_nat_gateway(
    scope: &mut impl Scope,
    subnet: &Subnet,
    gateway: &InternetGateway,
    id: &str,
    network: &Network<'_>,
) -> Value<String> {
    let tag = network.names.tag(&format!("/{id}"));
    let eip = scope.add("EIP", l1::EIP::new().domain("vpc").tags(tag.clone()));
    scope
        .stack_mut()
        .add_dependency_of(eip.id(), gateway.attachment);
    let nat = scope.add(
        "NATGateway",
        l1::NatGateway::new()
            .subnet_id(subnet.subnet_id())
            .allocation_id(eip.attr_allocation_id())
            .tags(tag),
    );
    for dependency in &subnet.connectivity {
        scope.stack_mut().add_dependency_of(nat.id(), *dependency);
    }
    nat.ref_value()
}
