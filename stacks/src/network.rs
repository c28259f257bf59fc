//! The network of the web-service scenario (SCENARIOS.md, 1): a VPC over two availability
//! zones with a public and a private subnet in each, an internet gateway, one NAT gateway per
//! zone and the routes between them, from the L2 [`Vpc`]. Subnet blocks are computed at
//! synthesis, so the template shows them.

use construct_lib::cfn::model::{Value, fns};
use construct_lib::ec2::{SubnetType, Vpc};
use construct_lib::{App, Output, Scope};

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
    let vpc = Vpc::builder()
        .cidr(config.cidr.as_str())
        .max_azs(config.zones)
        .build(stack, "Vpc");
    let ids = |subnet_type: SubnetType| -> Vec<Value<String>> {
        vpc.subnets()
            .iter()
            .filter(|subnet| subnet.subnet_type() == subnet_type)
            .map(|subnet| subnet.subnet_id())
            .collect()
    };
    let network = Network {
        vpc_id: vpc.vpc_id(),
        public_subnet_ids: ids(SubnetType::Public),
        private_subnet_ids: ids(SubnetType::PrivateWithEgress),
    };
    stack.output("VpcId", Output::new(vpc.vpc_id()).description("The VPC"));
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
