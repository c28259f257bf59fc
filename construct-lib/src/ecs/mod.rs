//! Amazon ECS (L2) on Fargate and on EC2: [`Cluster`] with Auto Scaling group capacity
//! providers ([`Cluster::add_asg_capacity_provider`], instances joining through
//! [`AgentConfig`]), containers ([`ContainerDefinition`]) checked together in a
//! [`TaskDefinition`] whose roles get only what the containers need, and one service model,
//! [`Service`], for both launch types ([`FargateService`], [`Ec2Service`]). What only one
//! launch type accepts exists only on its types ([`launch`]). The L1 types are in
//! [`crate::cfn::ecs`].

pub mod agent_config;
pub mod capacity_provider;
pub mod cluster;
pub mod container;
pub mod deployment;
pub mod launch;
pub mod placement;
pub mod release_alarms;
pub mod service;
pub mod service_connect;
pub mod size;
pub mod task_definition;

pub use agent_config::{AgentConfig, AgentSetting, ImagePullBehavior};
pub use capacity_provider::{AsgCapacityProvider, AsgCapacityProviderSettings};
pub use cluster::{Cluster, ClusterBuilder};
pub use container::{
    ContainerDefinition, ContainerImage, DependencyCondition, HealthCheck, Logging, PortMapping,
    SecretSource,
};
pub use deployment::{BlueGreen, Deployment, LifecycleHook, LifecycleStage, Rolling, TrafficShift};
pub use launch::{Compatibility, Ec2, Ec2TaskSize, Fargate, LaunchType, NetworkMode, TaskSize};
pub use placement::{BinpackResource, PlacementConstraint, PlacementStrategy};
pub use release_alarms::ReleaseAlarms;
pub(crate) use service::BlueGreenRouting;
pub use service::{
    CapacityProvider, CapacityProviderStrategy, Ec2Service, Ec2ServiceBuilder, FargateService,
    FargateServiceBuilder, Scheduling, Service, ServiceBuilder,
};
pub use service_connect::{ServiceConnect, ServiceConnectService};
pub use size::FargateSize;
pub use task_definition::{
    Ec2TaskDefinition, Ec2TaskDefinitionBuilder, FargateTaskDefinition,
    FargateTaskDefinitionBuilder, TaskDefinition, TaskDefinitionBuilder,
};
