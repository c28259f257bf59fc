//! The blue/green service's settings per environment: a typed struct loaded from
//! `stacks/config/blue-green/<env>.json`, whose JSON Schema (`blue-green.schema.json` beside
//! the configs) a test keeps current.

use construct_lib::ecs::FargateSize;
use construct_lib::logs::RetentionDays;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{ScenarioConfig, retention};

/// Who moves the traffic in a release.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseStrategy {
    /// ECS itself: deployment strategy `CANARY`, an alternate target group and weighted
    /// listener rules; a release is a stack update of the image tag.
    EcsCanary,
    /// CodeDeploy: a deployment group with a custom canary configuration, blue and green
    /// target groups, production and test listeners; a release is a CodeDeploy deployment.
    CodeDeployCanary,
    /// CodeDeploy run by CloudFormation (the `AWS::CodeDeployBlueGreen` hook): a release is
    /// a stack update of the image tag, as with ECS; the stack has no outputs and no
    /// imports (CloudFormation refuses them beside the hook), and the hook takes no alarms
    /// (a failed deployment rolls the stack back; the alarms notify; CloudFormation's stack
    /// rollback triggers could watch them, which `deploy` does not set yet).
    CodeDeployHookCanary,
}

/// How a release moves traffic and when it rolls back.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReleaseConfig {
    /// Who moves the traffic.
    pub strategy: ReleaseStrategy,
    /// The share of the traffic the new tasks get first, percent.
    pub canary_percent: u32,
    /// Minutes before the rest of the traffic moves.
    pub canary_minutes: u64,
    /// Minutes the old tasks keep running once all traffic moved (instant rollback).
    pub bake_minutes: u64,
    /// The port of the test listener (test traffic reaches the new tasks first).
    pub test_listener_port: u16,
    /// 5xx responses of the targets in a minute that roll a release back.
    pub server_errors_per_minute: u32,
    /// Average response time, ms, above which a release rolls back.
    pub response_time_ms: u32,
    /// Who hears of alarms and rollbacks; absent for nobody.
    #[serde(default)]
    pub notification_email: Option<String>,
}

/// The CI system that releases.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CiConfig {
    /// The GitHub repository whose workflows release (`owner/name`).
    pub repository: String,
    /// The GitHub environment of the releasing job.
    pub environment: String,
    /// Whether this stack creates the account's GitHub OIDC provider (kept when the stack is
    /// deleted); `false` when the account has one (an account has at most one).
    pub create_oidc_provider: bool,
}

/// Everything that differs between environments of the blue/green service (scenario 5).
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlueGreenConfig {
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
    /// The task definition family (unique in the account and region).
    pub family: String,
    /// The image tag deployed when no `ImageTag` parameter is given.
    pub image_tag: String,
    /// Task CPU units.
    pub cpu: u32,
    /// Task memory, MiB.
    pub memory_mib: u32,
    /// How many tasks run.
    pub desired_count: u32,
    /// The port the app listens on.
    pub container_port: u16,
    /// The path the load balancer checks.
    pub health_check_path: String,
    /// Releases.
    pub release: ReleaseConfig,
    /// The CI system.
    pub ci: CiConfig,
    /// Days the logs are kept (one of CloudWatch Logs' periods).
    pub log_retention_days: u32,
}

impl ScenarioConfig for BlueGreenConfig {
    const DIR: &'static str = "blue-green";
    const SCHEMA: &'static str = "blue-green.schema.json";

    fn validate(&self) -> Result<(), String> {
        if self.size().is_none() {
            return Err(format!(
                "cpu {} with memory_mib {} is not a Fargate size",
                self.cpu, self.memory_mib
            ));
        }
        retention(self.log_retention_days).map(drop)
    }
}

impl BlueGreenConfig {
    /// The Fargate size (checked at load).
    pub fn size(&self) -> Option<FargateSize> {
        FargateSize::from_cpu_memory(self.cpu, self.memory_mib)
    }

    /// The log retention (checked at load).
    pub fn retention(&self) -> Option<RetentionDays> {
        retention(self.log_retention_days).ok()
    }
}
