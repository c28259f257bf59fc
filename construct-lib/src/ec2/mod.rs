//! Amazon EC2 (L2): [`Vpc`] with subnet tiers, NAT and gateway endpoints, and the address
//! planning behind it; [`SecurityGroup`] and the [`Connections`] model; instances through
//! [`LaunchTemplate`] ([`MachineImage`], [`UserData`]). The L1 types are in
//! [`crate::cfn::ec2`].

pub mod cidr;
pub mod launch_template;
pub mod machine_image;
pub mod security_group;
pub mod user_data;
pub mod vpc;

pub use launch_template::{LaunchTemplate, LaunchTemplateBuilder};
pub use machine_image::{EcsOptimizedAmi, MachineImage};
pub use security_group::{
    Connectable, Connections, Peer, Port, SecurityGroup, SecurityGroupBuilder,
};
pub use user_data::UserData;
pub use vpc::{
    GatewayEndpoint, Subnet, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcAttributes,
    VpcBuilder,
};
