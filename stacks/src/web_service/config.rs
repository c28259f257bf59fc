//! The web service's settings per environment: a typed struct, loaded from
//! `stacks/config/<env>.json`, whose JSON Schema (`web-service.schema.json` beside the
//! configs) a test keeps current.

use construct_lib::ecs::FargateSize;
use construct_lib::logs::RetentionDays;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::retention;
pub use crate::config::{ConfigError, ScenarioConfig, config_dir};

/// How the application's logs leave the containers.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogShipping {
    /// The `awslogs` driver straight to CloudWatch Logs.
    Awslogs,
    /// A FireLens (Fluent Bit) log router sidecar.
    Firelens,
}

/// The Spot worker service.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkerConfig {
    /// The worker image with its tag.
    pub image: String,
    /// How many worker tasks run.
    pub desired_count: u32,
}

/// Everything that differs between environments of the web service (scenario 1).
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WebServiceConfig {
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
    /// Availability zones used (each gets a public and a private subnet and a NAT gateway).
    pub max_azs: usize,
    /// The application image with its tag.
    pub image: String,
    /// Whether the task runs the migration init container and the metrics sidecar beside
    /// the application (the multi-container variant) or the application alone.
    pub multi_container: bool,
    /// The image of the migration init container.
    pub migration_image: String,
    /// The metrics agent sidecar's image.
    pub metrics_agent_image: String,
    /// Task CPU units (256, 512, 1024, ...).
    pub cpu: u32,
    /// Task memory in MiB; with `cpu`, one of Fargate's combinations.
    pub memory_mib: u32,
    /// The fewest tasks auto scaling keeps. The task count scales, so the template gives
    /// no desired count (a deploy would reset the count scaling chose): the service starts
    /// with one task and scaling raises it to this minimum.
    pub min_tasks: u32,
    /// The most tasks auto scaling starts.
    pub max_tasks: u32,
    /// The average CPU auto scaling aims for, in percent.
    pub cpu_target_percent: f64,
    /// The requests per task auto scaling aims for.
    pub requests_per_task: f64,
    /// An ACM certificate ARN: HTTPS on 443 with HTTP redirected. Absent: HTTP only.
    #[serde(default)]
    pub certificate_arn: Option<String>,
    /// The Secrets Manager secret holding the database password, by name.
    pub db_password_secret: String,
    /// The SSM parameter holding the API key, by name.
    pub api_key_parameter: String,
    /// Days the logs are kept (one of CloudWatch Logs' periods: 1, 3, 5, 7, 14, 30, ...).
    pub log_retention_days: u32,
    /// How logs are shipped.
    pub log_shipping: LogShipping,
    /// The key prefix of the uploads bucket the application may get and put.
    pub uploads_prefix: String,
    /// The Spot worker, if any.
    #[serde(default)]
    pub worker: Option<WorkerConfig>,
}

impl ScenarioConfig for WebServiceConfig {
    const DIR: &'static str = "";
    const SCHEMA: &'static str = "web-service.schema.json";

    fn validate(&self) -> Result<(), String> {
        if self.size().is_none() {
            let memories: Vec<String> = FargateSize::ALL
                .iter()
                .filter(|s| s.cpu() == self.cpu)
                .map(|s| s.memory_mib().to_string())
                .collect();
            return Err(format!(
                "cpu {} with memory_mib {} is not a Fargate size; valid with cpu {}: {}",
                self.cpu,
                self.memory_mib,
                self.cpu,
                memories.join(", ")
            ));
        }
        retention(self.log_retention_days)?;
        if self.min_tasks > self.max_tasks {
            return Err(format!(
                "min_tasks {} is above max_tasks {}",
                self.min_tasks, self.max_tasks
            ));
        }
        Ok(())
    }
}

impl WebServiceConfig {
    /// The Fargate size of `cpu` and `memory_mib` (checked at load).
    pub fn size(&self) -> Option<FargateSize> {
        FargateSize::from_cpu_memory(self.cpu, self.memory_mib)
    }

    /// The log retention (checked at load).
    pub fn retention(&self) -> Option<RetentionDays> {
        retention(self.log_retention_days).ok()
    }
}
