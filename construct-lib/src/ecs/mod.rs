//! Amazon ECS on Fargate (L2): [`Cluster`], typed task sizes ([`FargateSize`]), containers
//! ([`ContainerDefinition`]) checked together in a [`FargateTaskDefinition`] whose roles get
//! only what the containers need, and [`FargateService`]. The L1 types are in [`crate::cfn::ecs`].

pub mod cluster;
pub mod container;
pub mod service;
pub mod service_connect;
pub mod size;
pub mod task_definition;

pub use cluster::{Cluster, ClusterBuilder};
pub use container::{
    ContainerDefinition, ContainerImage, DependencyCondition, HealthCheck, Logging, PortMapping,
    SecretSource,
};
pub use service::{
    CapacityProvider, CapacityProviderStrategy, FargateService, FargateServiceBuilder,
};
pub use service_connect::{ServiceConnect, ServiceConnectService};
pub use size::FargateSize;
pub use task_definition::{FargateTaskDefinition, FargateTaskDefinitionBuilder};
