//! Amazon EC2 networking (L2): [`Vpc`] with subnet tiers, NAT and gateway endpoints, and the
//! address planning behind it; [`SecurityGroup`] and the [`Connections`] model. The L1 types
//! are in [`crate::cfn::ec2`].

pub mod cidr;
pub mod security_group;
pub mod vpc;

pub use security_group::{
    Connectable, Connections, Peer, Port, SecurityGroup, SecurityGroupBuilder,
};
pub use vpc::{
    GatewayEndpoint, Subnet, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcAttributes,
    VpcBuilder,
};
