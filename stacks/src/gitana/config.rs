//! Gitana's settings per environment: a typed struct loaded from
//! `stacks/config/gitana/<env>.json`, whose JSON Schema (`gitana.schema.json` beside the
//! configs) a test keeps current.

use construct_lib::ecs::FargateSize;
use construct_lib::logs::RetentionDays;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{ScenarioConfig, retention};

/// The DocumentDB cluster.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Instances (one writer, the others readers), 1 to 16.
    pub instances: u32,
    /// The instance class (`db.t4g.medium`, `db.r6g.large`).
    pub instance_class: String,
    /// Days automated backups are kept, 1 to 35.
    pub backup_retention_days: u64,
    /// Whether the cluster refuses to be deleted.
    pub deletion_protection: bool,
    /// The construct the cluster is created under (`Stores`), absent for the data stack
    /// itself. Changing it gives the cluster's resources new logical IDs: `synth-cli refactor`
    /// (or `deploy --refactor`) moves the deployed cluster to them without replacing it.
    #[serde(default)]
    pub scope: Option<String>,
}

/// The OpenSearch domain.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Data nodes; with zone awareness, a multiple of the zones.
    pub data_nodes: u32,
    /// The data nodes' instance type (`r6g.large.search`).
    pub instance_type: String,
    /// Dedicated master nodes (3 or 5), absent for none.
    #[serde(default)]
    pub master_nodes: Option<u32>,
    /// The masters' instance type.
    #[serde(default)]
    pub master_instance_type: Option<String>,
    /// Zones the domain spreads over (2 or 3), absent for one.
    #[serde(default)]
    pub zone_awareness: Option<u32>,
    /// The EBS volume of each data node, in GiB.
    pub volume_gib: u32,
}

/// One service's image and size.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// The image with its tag.
    pub image: String,
    /// Task CPU units.
    pub cpu: u32,
    /// Task memory in MiB; with `cpu`, one of Fargate's combinations.
    pub memory_mib: u32,
    /// How many tasks run.
    pub desired_count: u32,
}

impl ServiceConfig {
    /// The Fargate size (checked at load).
    pub fn size(&self) -> FargateSize {
        FargateSize::from_cpu_memory(self.cpu, self.memory_mib).unwrap_or(FargateSize::Cpu256Mem512)
    }
}

/// A Route 53 hosted zone of the account.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ZoneConfig {
    /// The zone's id (`Z0123456789ABCDEFGHIJ`).
    pub id: String,
    /// The zone's domain name (`gitana.example.com`).
    pub name: String,
}

/// Everything that differs between environments of Gitana (scenario 2).
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GitanaConfig {
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
    /// Availability zones (each gets a public and a private subnet).
    pub max_azs: usize,
    /// NAT gateways (fewer than the zones saves cost; one per zone survives a zone's loss).
    pub nat_gateways: usize,
    /// The DocumentDB cluster.
    pub database: DatabaseConfig,
    /// The OpenSearch domain.
    pub search: SearchConfig,
    /// The API (behind a load balancer).
    pub api: ServiceConfig,
    /// The API's background worker (no load balancer).
    pub api_worker: ServiceConfig,
    /// The web UI (behind a load balancer).
    pub ui: ServiceConfig,
    /// The antivirus front (behind a load balancer).
    pub av: ServiceConfig,
    /// The ClamAV daemon (private only).
    pub clamav: ServiceConfig,
    /// The image of the API's init container that copies its configuration files.
    pub init_image: String,
    /// The Secrets Manager secret holding the license, by name.
    pub license_secret: String,
    /// The Secrets Manager secret holding the properties private key, by name.
    pub properties_key_secret: String,
    /// Days the logs are kept (one of CloudWatch Logs' periods).
    pub log_retention_days: u32,
    /// A hosted zone for `api.`, `ui.` and `av.` records; absent for none.
    #[serde(default)]
    pub hosted_zone: Option<ZoneConfig>,
}

impl ScenarioConfig for GitanaConfig {
    const DIR: &'static str = "gitana";
    const SCHEMA: &'static str = "gitana.schema.json";

    fn validate(&self) -> Result<(), String> {
        for (name, service) in self.services() {
            if FargateSize::from_cpu_memory(service.cpu, service.memory_mib).is_none() {
                return Err(format!(
                    "{name}: cpu {} with memory_mib {} is not a Fargate size",
                    service.cpu, service.memory_mib
                ));
            }
        }
        retention(self.log_retention_days).map(drop)
    }
}

impl GitanaConfig {
    /// The services by name.
    pub fn services(&self) -> [(&'static str, &ServiceConfig); 5] {
        [
            ("api", &self.api),
            ("api_worker", &self.api_worker),
            ("ui", &self.ui),
            ("av", &self.av),
            ("clamav", &self.clamav),
        ]
    }

    /// The log retention (checked at load).
    pub fn retention(&self) -> Option<RetentionDays> {
        retention(self.log_retention_days).ok()
    }
}
