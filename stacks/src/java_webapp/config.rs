//! The Java web app's settings per environment: a typed struct loaded from
//! `stacks/config/java-webapp/<env>.json`, whose JSON Schema (`java-webapp.schema.json`
//! beside the configs) a test keeps current.

use construct_lib::logs::RetentionDays;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{ScenarioConfig, retention};

/// The instances of the cluster.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstancesConfig {
    /// The instance type (`t3.medium`).
    pub instance_type: String,
    /// The fewest instances.
    pub min: u32,
    /// The most instances.
    pub max: u32,
    /// The EC2 key pair for SSH; absent for none (Session Manager is always on).
    #[serde(default)]
    pub key_name: Option<String>,
    /// The one block SSH is allowed from.
    pub ssh_cidr: String,
}

/// The application.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// The image tag in the app's repository.
    pub image_tag: String,
    /// The port the JVM listens on.
    pub container_port: u16,
    /// The instance port it is published on (one task per instance).
    pub host_port: u16,
    /// Memory the task reserves on an instance (soft limit), MiB.
    pub memory_reservation_mib: u32,
    /// Memory the container may not exceed (hard limit), MiB.
    pub memory_limit_mib: u32,
    /// How many tasks run.
    pub desired_count: u32,
    /// The share of tasks kept running during a deployment, percent.
    pub min_healthy_percent: u32,
    /// The most tasks during a deployment, percent of the desired count.
    pub max_healthy_percent: u32,
    /// The path the load balancer checks.
    pub health_check_path: String,
    /// Seconds the load balancer's checks of a new task are ignored while the JVM starts.
    pub health_check_grace_seconds: u64,
}

/// Everything that differs between environments of the Java web app (scenario 4).
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JavaWebappConfig {
    /// The `Environment` tag on every resource (`dev`, `prod`).
    pub environment: String,
    /// The AWS account, or absent for the credentials' account.
    #[serde(default)]
    pub account: Option<String>,
    /// The region, or absent for the credentials' region.
    #[serde(default)]
    pub region: Option<String>,
    /// The VPC block.
    pub vpc_cidr: String,
    /// Availability zones.
    pub zones: usize,
    /// NAT gateways.
    pub nat_gateways: usize,
    /// Images the repository keeps (the newest ones).
    pub keep_images: u32,
    /// The cluster's instances.
    pub instances: InstancesConfig,
    /// The application.
    pub app: AppConfig,
    /// Days the logs are kept (one of CloudWatch Logs' periods).
    pub log_retention_days: u32,
}

impl ScenarioConfig for JavaWebappConfig {
    const DIR: &'static str = "java-webapp";
    const SCHEMA: &'static str = "java-webapp.schema.json";

    fn validate(&self) -> Result<(), String> {
        retention(self.log_retention_days).map(drop)
    }
}

impl JavaWebappConfig {
    /// The log retention (checked at load).
    pub fn retention(&self) -> Option<RetentionDays> {
        retention(self.log_retention_days).ok()
    }
}
