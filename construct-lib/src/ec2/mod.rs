//! Amazon EC2 networking (L2): [`Vpc`] with subnet tiers, NAT and gateway endpoints, and the
//! address planning behind it. The L1 types are in [`crate::cfn::ec2`].

pub mod cidr;
pub mod vpc;

pub use vpc::{
    GatewayEndpoint, Subnet, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcAttributes,
    VpcBuilder,
};
