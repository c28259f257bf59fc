//! What only a Fargate service takes: public IPs and the platform version.

use super::{FargateService, FargateServiceBuilder, ServiceBuilder};
use crate::ecs::{Cluster, FargateTaskDefinition};

impl FargateService {
    /// Settings for a service running `task` in `cluster`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::*;
    /// let mut app = App::new();
    /// let stack = app.stack("Jobs");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    ///     .container(ContainerDefinition::new("worker", ContainerImage::from_registry("ghcr.io/acme/worker:1")))
    ///     .build(stack, "Task");
    /// let worker = FargateService::builder(&cluster, &task)
    ///     .desired_count(2)
    ///     .capacity_provider(CapacityProviderStrategy::new(CapacityProvider::FargateSpot))
    ///     .build(stack, "Worker");
    /// # let _ = worker;
    /// ```
    pub fn builder(cluster: &Cluster, task: &FargateTaskDefinition) -> FargateServiceBuilder {
        let mut builder = ServiceBuilder::new(cluster, task);
        builder.fargate_platform_version = Some("LATEST".to_owned());
        builder
    }
}

impl FargateServiceBuilder {
    /// Whether tasks get a public IP (tasks in public subnets without NAT need one).
    /// Default: `false`.
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.fargate_public_ip = assign;
        self
    }

    /// The Fargate platform version. Default: `LATEST`.
    pub fn platform_version(mut self, version: impl Into<String>) -> Self {
        self.fargate_platform_version = Some(version.into());
        self
    }
}
