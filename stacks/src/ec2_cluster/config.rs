//! The EC2 cluster's settings per environment: a typed struct loaded from
//! `stacks/config/ec2-cluster/<env>.json`, whose JSON Schema (`ec2-cluster.schema.json`
//! beside the configs) a test keeps current.

use construct_lib::logs::RetentionDays;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{ScenarioConfig, retention};

/// Which ECS-optimized Amazon Linux the instances boot.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
pub enum AmazonLinux {
    /// Amazon Linux 2023.
    #[serde(rename = "2023")]
    AmazonLinux2023,
    /// Amazon Linux 2 (the Terraform module's default; its standard support ended on
    /// 2026-06-30).
    #[serde(rename = "2")]
    AmazonLinux2,
}

/// The instances of the cluster's Auto Scaling group.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstancesConfig {
    /// The instance type (`m7i.large`); the app's tasks are placed on this type only.
    pub instance_type: String,
    /// The ECS-optimized Amazon Linux the instances boot, read from its public SSM
    /// parameter at each deploy (unless `ami_id` is given).
    pub amazon_linux: AmazonLinux,
    /// A fixed AMI id, instead of the ECS-optimized one.
    #[serde(default)]
    pub ami_id: Option<String>,
    /// The fewest instances.
    pub min: u32,
    /// The most instances.
    pub max: u32,
    /// The instance use managed scaling aims at, 1 to 100.
    pub target_capacity_percent: u32,
    /// An EC2 key pair for SSH; absent for none (Session Manager is always on).
    #[serde(default)]
    pub key_name: Option<String>,
    /// The one block SSH is allowed from (a bastion's or an office's); absent for none.
    #[serde(default)]
    pub ssh_cidr: Option<String>,
}

/// The application service behind the load balancer.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// The image with its tag.
    pub image: String,
    /// The port the container listens on (published on a dynamic host port).
    pub container_port: u16,
    /// Memory the task reserves on an instance (soft limit), MiB.
    pub memory_reservation_mib: u32,
    /// Memory the container may not exceed (hard limit), MiB.
    pub memory_limit_mib: u32,
    /// How many tasks run.
    pub desired_count: u32,
    /// The path the load balancer checks.
    pub health_check_path: String,
    /// Seconds the load balancer's checks of a new task are ignored while it starts.
    pub health_check_grace_seconds: u64,
}

/// The metrics agent run on every instance.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MetricsAgentConfig {
    /// The CloudWatch agent image with its tag.
    pub image: String,
    /// Its memory limit, MiB.
    pub memory_limit_mib: u32,
}

/// Everything that differs between environments of the EC2 cluster (scenario 3).
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ec2ClusterConfig {
    /// The `Environment` tag on every resource (`dev`, `prod`).
    pub environment: String,
    /// The AWS account, or absent for the credentials' account.
    #[serde(default)]
    pub account: Option<String>,
    /// The region, or absent for the credentials' region.
    #[serde(default)]
    pub region: Option<String>,
    /// The VPC block, a /16 (`10.x.0.0/16`): public subnets are its /24 blocks 0, 1, ...,
    /// private ones its blocks 50, 51, ...
    pub vpc_cidr: String,
    /// Availability zones.
    pub zones: usize,
    /// NAT gateways (fewer than the zones saves cost; one per zone survives a zone's loss).
    pub nat_gateways: usize,
    /// Whether the load balancer faces the internet (else it is internal).
    pub internet_facing: bool,
    /// Whether CloudWatch Container Insights collects the cluster's metrics.
    pub container_insights: bool,
    /// The cluster's instances.
    pub instances: InstancesConfig,
    /// The application service.
    pub app: AppConfig,
    /// The metrics agent on every instance.
    pub metrics_agent: MetricsAgentConfig,
    /// An address that receives the stopped-task alerts; absent for none (subscribe later).
    #[serde(default)]
    pub alert_email: Option<String>,
    /// Days the logs are kept (one of CloudWatch Logs' periods).
    pub log_retention_days: u32,
}

impl ScenarioConfig for Ec2ClusterConfig {
    const DIR: &'static str = "ec2-cluster";
    const SCHEMA: &'static str = "ec2-cluster.schema.json";

    fn validate(&self) -> Result<(), String> {
        retention(self.log_retention_days).map(drop)
    }
}

impl Ec2ClusterConfig {
    /// The log retention (checked at load).
    pub fn retention(&self) -> Option<RetentionDays> {
        retention(self.log_retention_days).ok()
    }
}
