//! The network of the web-service scenario (scenario 1, see `web_service`): a VPC over the configured
//! availability zones with a public and a private subnet in each, an internet gateway, one
//! NAT gateway per zone and the routes between them, from the L2 [`Vpc`]. Subnet blocks are
//! computed at synthesis, so the template shows them.

use construct_lib::cfn::model::fns;
use construct_lib::ec2::{SubnetType, Vpc};
use construct_lib::logs::RetentionDays;
use construct_lib::{Output, Scope, Stack};

/// How long every scenario keeps its VPC flow logs (rule VPC1): three months covers the time
/// an incident usually takes to be noticed and investigated.
pub const FLOW_LOG_RETENTION: RetentionDays = RetentionDays::ThreeMonths;

/// What the network is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkConfig {
    /// The VPC's block. Default: `10.0.0.0/16`.
    pub cidr: String,
    /// Number of availability zones (each gets a public and a private subnet and a NAT
    /// gateway). Default: 2.
    pub zones: usize,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            cidr: "10.0.0.0/16".to_owned(),
            zones: 2,
        }
    }
}

/// Adds the VPC to `stack`, with outputs of its id and subnets.
pub fn build(stack: &mut Stack, config: &NetworkConfig) -> Vpc {
    let vpc = Vpc::builder()
        .cidr(config.cidr.as_str())
        .max_azs(config.zones)
        .flow_logs(FLOW_LOG_RETENTION)
        .build(stack, "Vpc");
    let ids = |subnet_type: SubnetType| {
        vpc.subnets()
            .iter()
            .filter(|subnet| subnet.subnet_type() == subnet_type)
            .map(|subnet| subnet.subnet_id())
            .collect::<Vec<_>>()
    };
    stack.output("VpcId", Output::new(vpc.vpc_id()).description("The VPC"));
    stack.output(
        "PublicSubnetIds",
        Output::new(fns::join(",", ids(SubnetType::Public)))
            .description("Public subnets, one per zone"),
    );
    stack.output(
        "PrivateSubnetIds",
        Output::new(fns::join(",", ids(SubnetType::PrivateWithEgress)))
            .description("Private subnets, one per zone"),
    );
    vpc
}
