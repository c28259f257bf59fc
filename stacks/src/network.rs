//! The network of the web-service scenario (SCENARIOS.md, 1), written with L1 types: a VPC
//! over two availability zones with a public and a private subnet in each, an internet
//! gateway, one NAT gateway per zone and the routes between them. It will be rewritten with
//! the L2 `Vpc` once that exists.

use construct_lib::cfn::ec2;
use construct_lib::cfn::model::{Value, fns};
use construct_lib::{App, Output, Scope, Stack};

/// What the network is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkConfig {
    /// The VPC's block. Default: `10.0.0.0/16`.
    pub cidr: String,
    /// Number of availability zones (each gets a public and a private subnet and a NAT
    /// gateway). Default: 2.
    pub zones: usize,
    /// Tag `Environment` on every resource. Default: `dev`.
    pub environment: String,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            cidr: "10.0.0.0/16".to_owned(),
            zones: 2,
            environment: "dev".to_owned(),
        }
    }
}

/// Handles to what other stacks use.
#[derive(Clone, Debug)]
pub struct Network {
    /// The VPC id.
    pub vpc_id: Value<String>,
    /// Public subnet ids, one per zone.
    pub public_subnet_ids: Vec<Value<String>>,
    /// Private subnet ids, one per zone.
    pub private_subnet_ids: Vec<Value<String>>,
}

/// Adds the network stack to `app`.
pub fn network_stack(app: &mut App, name: &str, config: &NetworkConfig) -> Network {
    let stack = app.stack(name);
    stack.set_description(
        "Web service network: VPC over two zones, public and private subnets, NAT per zone",
    );
    stack.add_tag("Environment", config.environment.clone());
    build(stack, config)
}

fn name_tag(stack: &Stack, suffix: &str) -> Vec<construct_lib::cfn::model::Tag> {
    vec![construct_lib::cfn::model::Tag::new(
        "Name",
        format!("{}/{suffix}", stack.name()),
    )]
}

fn build(stack: &mut Stack, config: &NetworkConfig) -> Network {
    let vpc = stack.add(
        "Vpc",
        ec2::VPC::new()
            .cidr_block(config.cidr.as_str())
            .enable_dns_hostnames(true)
            .enable_dns_support(true)
            .tags(name_tag(stack, "Vpc")),
    );
    let gateway = stack.add(
        "InternetGateway",
        ec2::InternetGateway::new().tags(name_tag(stack, "InternetGateway")),
    );
    let attachment = stack.add(
        "GatewayAttachment",
        ec2::VPCGatewayAttachment::new(vpc.ref_value()).internet_gateway_id(gateway.ref_value()),
    );

    // Eight /19 blocks of the VPC: public subnets take the first ones, private the next.
    let blocks = fns::cidr(vpc.attr_cidr_block(), 8, 13);
    let zones = fns::get_azs("");

    let public_table = stack.add(
        "PublicRouteTable",
        ec2::RouteTable::new(vpc.ref_value()).tags(name_tag(stack, "Public")),
    );
    let default_route = stack.add(
        "PublicDefaultRoute",
        ec2::Route::new(public_table.ref_value())
            .destination_cidr_block("0.0.0.0/0")
            .gateway_id(gateway.ref_value()),
    );
    stack
        .resource_options(&default_route)
        .depends_on(attachment);

    let mut network = Network {
        vpc_id: vpc.ref_value(),
        public_subnet_ids: Vec::new(),
        private_subnet_ids: Vec::new(),
    };
    for zone in 0..config.zones {
        let n = zone + 1;
        let az = fns::select(zone as i64, zones.clone());
        let public = stack.add(
            &format!("PublicSubnet{n}"),
            ec2::Subnet::new(vpc.ref_value())
                .availability_zone(az.clone())
                .cidr_block(fns::select(zone as i64, blocks.clone()))
                .map_public_ip_on_launch(true)
                .tags(name_tag(stack, &format!("PublicSubnet{n}"))),
        );
        stack.add(
            &format!("PublicSubnet{n}RouteTableAssociation"),
            ec2::SubnetRouteTableAssociation::new(public_table.ref_value(), public.ref_value()),
        );
        let eip = stack.add(
            &format!("NatEip{n}"),
            ec2::EIP::new()
                .domain("vpc")
                .tags(name_tag(stack, &format!("NatEip{n}"))),
        );
        stack.resource_options(&eip).depends_on(attachment);
        let nat = stack.add(
            &format!("NatGateway{n}"),
            ec2::NatGateway::new()
                .subnet_id(public.ref_value())
                .allocation_id(eip.attr_allocation_id())
                .tags(name_tag(stack, &format!("NatGateway{n}"))),
        );

        let private = stack.add(
            &format!("PrivateSubnet{n}"),
            ec2::Subnet::new(vpc.ref_value())
                .availability_zone(az)
                .cidr_block(fns::select((zone + config.zones) as i64, blocks.clone()))
                .map_public_ip_on_launch(false)
                .tags(name_tag(stack, &format!("PrivateSubnet{n}"))),
        );
        let private_table = stack.add(
            &format!("PrivateRouteTable{n}"),
            ec2::RouteTable::new(vpc.ref_value()).tags(name_tag(stack, &format!("Private{n}"))),
        );
        stack.add(
            &format!("PrivateDefaultRoute{n}"),
            ec2::Route::new(private_table.ref_value())
                .destination_cidr_block("0.0.0.0/0")
                .nat_gateway_id(nat.ref_value()),
        );
        stack.add(
            &format!("PrivateSubnet{n}RouteTableAssociation"),
            ec2::SubnetRouteTableAssociation::new(private_table.ref_value(), private.ref_value()),
        );
        network.public_subnet_ids.push(public.ref_value());
        network.private_subnet_ids.push(private.ref_value());
    }

    stack.output("VpcId", Output::new(vpc.ref_value()).description("The VPC"));
    stack.output(
        "PublicSubnetIds",
        Output::new(fns::join(",", network.public_subnet_ids.clone()))
            .description("Public subnets, one per zone"),
    );
    stack.output(
        "PrivateSubnetIds",
        Output::new(fns::join(",", network.private_subnet_ids.clone()))
            .description("Private subnets, one per zone"),
    );
    network
}
