//! Amazon DocumentDB (L2): a [`DatabaseCluster`] with TLS required, encryption at rest,
//! master credentials generated into Secrets Manager (with host and port added, so that a
//! container can read each field), backups, windows, a removal policy that snapshots, log
//! exports, and a connections model on its port. The L1 types are in [`crate::cfn::docdb`].

mod windows;

use std::collections::BTreeMap;

use cfn_l1::docdb as l1;
use cfn_l1::model::{ResourceRef, Value};
use cfn_l1::secretsmanager as l1_secrets;

use crate::Duration;
use crate::core::resource_options::RemovalPolicy;
use crate::core::scope::Scope;
use crate::ec2::{
    Connectable, Connections, Port, SecurityGroup, Subnet, SubnetSelection, SubnetType, Vpc,
};
use crate::kms::Key;
use crate::problem::{NameRule, Problems, quoted};
use crate::secretsmanager::Secret;

/// DocumentDB's port.
pub const DEFAULT_PORT: u16 = 27017;

/// The most instances a DocumentDB cluster has (one writer, 15 replicas).
const MAX_INSTANCES: u32 = 16;

/// The engine versions DocumentDB offers (instance-based clusters).
const ENGINE_VERSIONS: [&str; 4] = ["3.6.0", "4.0.0", "5.0.0", "8.0.0"];

/// A master user name: a letter, then letters and digits, up to 63 characters.
const USERNAME: NameRule = NameRule {
    min_len: 1,
    max_len: 63,
    allowed: |c| c.is_ascii_alphanumeric(),
    first: Some(|c| c.is_ascii_alphabetic()),
    description: "1 to 63 letters and digits, starting with a letter",
};

/// The `tls` parameter of the cluster parameter group: how clients must connect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tls {
    /// TLS required (any version DocumentDB supports).
    Enabled,
    /// TLS 1.2 or later required.
    Tls12OrLater,
    /// TLS 1.3 or later required.
    Tls13OrLater,
    /// TLS with FIPS 140-3 validated modules required.
    Fips140_3,
    /// Plain connections allowed: only with [`DatabaseClusterBuilder::tls`] named
    /// explicitly, for clients that cannot use TLS.
    Disabled,
}

impl Tls {
    fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "enabled",
            Self::Tls12OrLater => "tls1.2+",
            Self::Tls13OrLater => "tls1.3+",
            Self::Fips140_3 => "fips-140-3",
            Self::Disabled => "disabled",
        }
    }
}

/// A log DocumentDB can export to CloudWatch Logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogExport {
    /// Audit events (authentication, DDL, ...); turns on the `audit_logs` parameter.
    Audit,
    /// Slow operations; turns on the `profiler` parameter.
    Profiler,
}

impl LogExport {
    fn as_str(self) -> &'static str {
        match self {
            Self::Audit => "audit",
            Self::Profiler => "profiler",
        }
    }

    /// The cluster parameter without which DocumentDB exports nothing for this log.
    fn parameter(self) -> &'static str {
        match self {
            Self::Audit => "audit_logs",
            Self::Profiler => "profiler",
        }
    }
}

/// Settings of a new [`DatabaseCluster`].
#[derive(Clone, Debug)]
pub struct DatabaseClusterBuilder {
    vpc: Vpc,
    engine_version: String,
    instances: u32,
    instance_class: String,
    availability_zones: Vec<String>,
    subnets: Option<SubnetSelection>,
    security_group: Option<SecurityGroup>,
    master_username: String,
    tls: Tls,
    parameters: BTreeMap<String, String>,
    storage_encrypted: bool,
    key: Option<Key>,
    backup_retention: Duration,
    backup_window: Option<String>,
    maintenance_window: Option<String>,
    deletion_protection: bool,
    removal_policy: RemovalPolicy,
    log_exports: Vec<LogExport>,
    port: u16,
}

impl DatabaseClusterBuilder {
    /// The engine version: 3.6.0, 4.0.0, 5.0.0 or 8.0.0. Default: `5.0.0`.
    pub fn engine_version(mut self, version: impl Into<String>) -> Self {
        self.engine_version = version.into();
        self
    }

    /// The number of instances, 1 to 16 (one writer, the others readers in other zones).
    /// Default: 1.
    pub fn instances(mut self, count: u32) -> Self {
        self.instances = count;
        self
    }

    /// The instance class (`db.r6g.large`, `db.t4g.medium`). Default: `db.r6g.large`.
    pub fn instance_class(mut self, class: impl Into<String>) -> Self {
        self.instance_class = class.into();
        self
    }

    /// The availability zones the instances go to, in turn (`eu-west-1a`). Default:
    /// chosen by DocumentDB, spread over the subnet group's zones.
    pub fn availability_zones<S: Into<String>>(
        mut self,
        zones: impl IntoIterator<Item = S>,
    ) -> Self {
        self.availability_zones = zones.into_iter().map(Into::into).collect();
        self
    }

    /// The subnets of the subnet group, in at least two zones. Default: the VPC's isolated
    /// subnets, else its private ones (a database needs no way out).
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// The security group. Default: a new one that admits nothing (use
    /// [`DatabaseCluster::connections`]) and sends nothing.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_group = Some(group.clone());
        self
    }

    /// The master user's name, kept in the generated secret. Default: `docdbadmin`.
    pub fn master_username(mut self, name: impl Into<String>) -> Self {
        self.master_username = name.into();
        self
    }

    /// How clients must connect. Default: [`Tls::Enabled`] (TLS required).
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = tls;
        self
    }

    /// Sets another cluster parameter (`change_stream_log_retention_duration`). Default:
    /// DocumentDB's; `tls` is set with [`DatabaseClusterBuilder::tls`].
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }

    /// Whether data is encrypted at rest. Default: `true`. (Fixed at creation: changing it
    /// replaces the cluster.)
    pub fn storage_encrypted(mut self, encrypted: bool) -> Self {
        self.storage_encrypted = encrypted;
        self
    }

    /// Encrypts at rest with this customer managed key. Default: the AWS managed key for
    /// DocumentDB. (Fixed at creation: changing it replaces the cluster.)
    pub fn kms_key(mut self, key: &Key) -> Self {
        self.key = Some(key.clone());
        self
    }

    /// How long automated backups are kept, 1 to 35 days. Default: 7 days (rule DOCDB1: a
    /// mistake found after the window cannot be restored from; DocumentDB's own default, 1
    /// day, was this default before). Backup storage up to the cluster's size is free.
    pub fn backup_retention(mut self, retention: Duration) -> Self {
        self.backup_retention = retention;
        self
    }

    /// The daily backup window, UTC, at least 30 minutes (`03:00-04:00`). Default: chosen
    /// by DocumentDB.
    pub fn preferred_backup_window(mut self, window: impl Into<String>) -> Self {
        self.backup_window = Some(window.into());
        self
    }

    /// The weekly maintenance window, UTC, at least 30 minutes (`sun:05:00-sun:06:00`).
    /// Default: chosen by DocumentDB.
    pub fn preferred_maintenance_window(mut self, window: impl Into<String>) -> Self {
        self.maintenance_window = Some(window.into());
        self
    }

    /// Whether the cluster refuses to be deleted. Default: `false`.
    pub fn deletion_protection(mut self, protect: bool) -> Self {
        self.deletion_protection = protect;
        self
    }

    /// What happens to the cluster when it leaves the stack or is replaced. Default:
    /// [`RemovalPolicy::Snapshot`] (a final snapshot is taken).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Exports a log to CloudWatch Logs (and turns on the parameter that produces it).
    /// Default: none.
    pub fn export_log(mut self, log: LogExport) -> Self {
        if !self.log_exports.contains(&log) {
            self.log_exports.push(log);
            self.log_exports.sort();
        }
        self
    }

    /// The port. Default: 27017.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Adds the cluster under construct `id` of `scope`: its subnet group, parameter group,
    /// security group, secret, cluster and instances.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::docdb::DatabaseCluster;
    /// use construct_lib::ec2::Vpc;
    /// let mut app = App::new();
    /// let stack = app.stack("Data");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let db = DatabaseCluster::builder(&vpc).instances(2).build(stack, "Db");
    /// # let _ = db;
    /// ```
    pub fn build(self, scope: &mut impl Scope, id: &str) -> DatabaseCluster {
        let mut scope = scope.scope(id);
        let subnets = self.check(&mut scope.problems());
        let subnet_group = scope.add(
            "Subnets",
            l1::DBSubnetGroup::new(l1::db_subnet_group::DBSubnetGroupRequired {
                db_subnet_group_description: format!("Subnets of {}", scope.path()).into(),
                subnet_ids: subnets
                    .iter()
                    .map(Subnet::subnet_id)
                    .collect::<Vec<_>>()
                    .into(),
            }),
        );
        let parameters = scope.add("Parameters", self.parameter_group());
        let security_group = self.security_group.clone().unwrap_or_else(|| {
            SecurityGroup::builder(&self.vpc)
                .description(format!("{} (DocumentDB)", scope.path()))
                .allow_all_outbound(false)
                .build(&mut scope, "SecurityGroup")
        });
        let secret = self.master_secret(&mut scope);
        let cluster = self.cluster_l1(&subnet_group, &parameters, &security_group, &secret);
        let cluster = scope.add("Resource", cluster);
        scope
            .resource_options(&cluster)
            .removal_policy(self.removal_policy);
        let secret = self.attach_secret(&mut scope, secret, &cluster);
        self.add_instances(&mut scope, &cluster);
        DatabaseCluster {
            endpoint: cluster.attr_endpoint(),
            reader_endpoint: cluster.attr_read_endpoint(),
            identifier: cluster.ref_value(),
            port: self.port,
            secret,
            connections: Connections::new(vec![security_group])
                .with_default_port(Port::tcp(self.port)),
            label: scope.path(),
            resource: cluster,
        }
    }

    /// Reports every invalid setting; returns the subnets of the subnet group.
    fn check(&self, problems: &mut Problems<'_>) -> Vec<Subnet> {
        problems.one_of("engine_version", &self.engine_version, &ENGINE_VERSIONS);
        problems.range("instances", self.instances, 1..=MAX_INSTANCES, "instances");
        let class_ok =
            self.instance_class.starts_with("db.") && self.instance_class.split('.').count() == 3;
        if !class_ok {
            problems.error(
                "instance_class",
                quoted(&self.instance_class),
                "a DocumentDB instance class: db.<family>.<size> (`db.r6g.large`)",
            );
        }
        problems.name("master_username", &self.master_username, &USERNAME);
        if self.key.is_some() {
            problems.requires(
                self.storage_encrypted,
                "kms_key",
                "a key",
                "storage_encrypted(true)",
            );
        }
        match self.backup_retention.whole_days() {
            Some(_) => {
                problems.range(
                    "backup_retention",
                    self.backup_retention,
                    Duration::days(1)..=Duration::days(35),
                    "",
                );
            }
            None => problems.error(
                "backup_retention",
                self.backup_retention,
                "whole days, 1 to 35 days",
            ),
        }
        self.check_windows(problems);
        if self.port < 1150 {
            problems.error(
                "port",
                self.port,
                "1150 to 65535 (DocumentDB refuses lower ports)",
            );
        }
        if self.parameters.contains_key("tls") {
            problems.error(
                "parameter",
                "\"tls\"",
                "the tls(Tls::...) setting, which is typed",
            );
        }
        if self.removal_policy == RemovalPolicy::RetainExceptOnCreate {
            problems.one_of(
                "removal_policy",
                "RetainExceptOnCreate",
                &["Snapshot", "Retain", "Delete"],
            );
        }
        self.check_subnets(problems)
    }

    fn check_windows(&self, problems: &mut Problems<'_>) {
        let backup = self
            .backup_window
            .as_deref()
            .and_then(|w| windows::backup_window(w, problems));
        let maintenance = self
            .maintenance_window
            .as_deref()
            .and_then(|w| windows::maintenance_window(w, problems));
        if let (Some(backup), Some(maintenance), Some(b), Some(m)) = (
            backup,
            maintenance,
            &self.backup_window,
            &self.maintenance_window,
        ) {
            windows::check_no_overlap(backup, maintenance, (b, m), problems);
        }
    }

    fn check_subnets(&self, problems: &mut Problems<'_>) -> Vec<Subnet> {
        let selection = self.subnets.clone().unwrap_or_else(|| {
            let has = |t| self.vpc.subnets().iter().any(|s| s.subnet_type() == t);
            if has(SubnetType::PrivateIsolated) {
                SubnetSelection::Type(SubnetType::PrivateIsolated)
            } else {
                SubnetSelection::Type(SubnetType::PrivateWithEgress)
            }
        });
        let subnets = match self.vpc.select_subnets(&selection) {
            Ok(subnets) => subnets,
            Err(reason) => {
                problems.error("vpc_subnets", &selection, reason);
                return Vec::new();
            }
        };
        if subnets.len() < 2 {
            problems.error(
                "vpc_subnets",
                format!("{selection}: {} subnet", subnets.len()),
                "subnets in at least 2 availability zones (a DocumentDB subnet group needs them)",
            );
        }
        if subnets
            .iter()
            .any(|s| s.subnet_type() == SubnetType::Public)
        {
            problems.warning(
                "vpc_subnets",
                &selection,
                "private or isolated subnets: DocumentDB has no public endpoint, so public subnets only widen who can reach the network",
            );
        }
        if !self.availability_zones.is_empty() && self.availability_zones.len() > subnets.len() {
            problems.error(
                "availability_zones",
                format!("{} zones", self.availability_zones.len()),
                format!("at most the {} zones of the subnet group", subnets.len()),
            );
        }
        subnets
    }

    fn parameter_group(&self) -> l1::DBClusterParameterGroup {
        let family = format!(
            "docdb{}",
            self.engine_version
                .rsplit_once('.')
                .map_or(self.engine_version.as_str(), |(major_minor, _)| major_minor)
        );
        let mut parameters: BTreeMap<String, String> = self.parameters.clone();
        parameters.insert("tls".into(), self.tls.as_str().into());
        for log in &self.log_exports {
            parameters.insert(log.parameter().into(), "enabled".into());
        }
        let json: serde_json::Map<String, serde_json::Value> = parameters
            .into_iter()
            .map(|(name, value)| (name, value.into()))
            .collect();
        l1::DBClusterParameterGroup::new(
            l1::db_cluster_parameter_group::DBClusterParameterGroupRequired {
                description: format!("Parameters of {family} (tls {})", self.tls.as_str()).into(),
                family: family.into(),
                parameters: serde_json::Value::Object(json).into(),
            },
        )
    }

    /// The secret with the master user's name and a generated password; kept when the
    /// cluster is kept or snapshotted, since the snapshot needs that password.
    fn master_secret(&self, scope: &mut impl Scope) -> ResourceRef<l1_secrets::Secret> {
        let template = serde_json::json!({ "username": self.master_username }).to_string();
        let generate = l1_secrets::secret::GenerateSecretString::new()
            .secret_string_template(template)
            .generate_string_key("password")
            .password_length(32)
            // DocumentDB refuses `/`, `"` and `@`; without punctuation, no client has to
            // escape the password in a connection string.
            .exclude_punctuation(true);
        let secret = scope.add(
            "Secret",
            l1_secrets::Secret::new()
                .description(format!("Master user of {}", scope.path()))
                .generate_secret_string(generate),
        );
        let policy = match self.removal_policy {
            RemovalPolicy::Delete => RemovalPolicy::Delete,
            _ => RemovalPolicy::Retain,
        };
        scope.resource_options(&secret).removal_policy(policy);
        secret
    }

    fn cluster_l1(
        &self,
        subnet_group: &ResourceRef<l1::DBSubnetGroup>,
        parameters: &ResourceRef<l1::DBClusterParameterGroup>,
        security_group: &SecurityGroup,
        secret: &ResourceRef<l1_secrets::Secret>,
    ) -> l1::DBCluster {
        let mut cluster = l1::DBCluster::new()
            .engine_version(self.engine_version.as_str())
            .db_subnet_group_name(subnet_group.ref_value())
            .db_cluster_parameter_group_name(parameters.ref_value())
            .vpc_security_group_ids(vec![security_group.group_id()])
            .master_username(self.master_username.as_str())
            .master_user_password(crate::secretsmanager::resolve_field(
                secret.ref_value(),
                "password",
            ))
            .storage_encrypted(self.storage_encrypted)
            .backup_retention_period(self.backup_retention.whole_days().unwrap_or(1) as i64)
            .deletion_protection(self.deletion_protection)
            .port(i64::from(self.port));
        if let Some(key) = &self.key {
            cluster = cluster.kms_key_id(key.arn());
        }
        if let Some(window) = &self.backup_window {
            cluster = cluster.preferred_backup_window(window.as_str());
        }
        if let Some(window) = &self.maintenance_window {
            cluster = cluster.preferred_maintenance_window(window.as_str());
        }
        if !self.log_exports.is_empty() {
            cluster = cluster.enable_cloudwatch_logs_exports(
                self.log_exports
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>(),
            );
        }
        cluster
    }

    /// Attaches the secret to the cluster: Secrets Manager then adds the cluster's host,
    /// port and engine to it. Containers reference the attachment, so that they start only
    /// once those fields are there.
    fn attach_secret(
        &self,
        scope: &mut impl Scope,
        secret: ResourceRef<l1_secrets::Secret>,
        cluster: &ResourceRef<l1::DBCluster>,
    ) -> Secret {
        let attachment = scope.add(
            "SecretAttachment",
            l1_secrets::SecretTargetAttachment::new(
                l1_secrets::secret_target_attachment::SecretTargetAttachmentRequired {
                    secret_id: secret.ref_value(),
                    target_id: cluster.ref_value(),
                    target_type: "AWS::DocDB::DBCluster".into(),
                },
            ),
        );
        Secret::created(attachment.ref_value(), secret)
    }

    /// The instances. No `DependsOn` on the subnets' routes, unlike the CDK: DocumentDB
    /// instances never reach the internet, and isolated subnets have no routes to wait for.
    fn add_instances(&self, scope: &mut impl Scope, cluster: &ResourceRef<l1::DBCluster>) {
        let instance_policy = match self.removal_policy {
            RemovalPolicy::Retain => RemovalPolicy::Retain,
            // The cluster's snapshot holds the data; DBInstance has no Snapshot policy.
            _ => RemovalPolicy::Delete,
        };
        // Past the limit (reported by the checks) nothing more is made: a hostile count
        // would otherwise make billions of resources before the report.
        for index in 0..self.instances.min(MAX_INSTANCES) {
            let mut instance = l1::DBInstance::new(l1::db_instance::DBInstanceRequired {
                db_cluster_identifier: cluster.ref_value(),
                db_instance_class: self.instance_class.as_str().into(),
            });
            if !self.availability_zones.is_empty() {
                let zone = &self.availability_zones[index as usize % self.availability_zones.len()];
                instance = instance.availability_zone(zone.as_str());
            }
            if let Some(window) = &self.maintenance_window {
                instance = instance.preferred_maintenance_window(window.as_str());
            }
            let resource = scope.add(&format!("Instance{}", index + 1), instance);
            scope
                .resource_options(&resource)
                .removal_policy(instance_policy);
        }
    }
}

/// A DocumentDB cluster. A cheap handle.
#[derive(Clone, Debug)]
pub struct DatabaseCluster {
    endpoint: Value<String>,
    reader_endpoint: Value<String>,
    identifier: Value<String>,
    port: u16,
    secret: Secret,
    connections: Connections,
    label: String,
    resource: ResourceRef<l1::DBCluster>,
}

impl DatabaseCluster {
    /// Settings for a cluster in `vpc`: engine 5.0.0, one `db.r6g.large` instance, TLS
    /// required, encrypted at rest, generated master credentials, backups kept 1 day, a
    /// final snapshot when removed.
    pub fn builder(vpc: &Vpc) -> DatabaseClusterBuilder {
        DatabaseClusterBuilder {
            vpc: vpc.clone(),
            engine_version: "5.0.0".into(),
            instances: 1,
            instance_class: "db.r6g.large".into(),
            availability_zones: Vec::new(),
            subnets: None,
            security_group: None,
            master_username: "docdbadmin".into(),
            tls: Tls::Enabled,
            parameters: BTreeMap::new(),
            storage_encrypted: true,
            key: None,
            backup_retention: Duration::days(7),
            backup_window: None,
            maintenance_window: None,
            deletion_protection: false,
            removal_policy: RemovalPolicy::Snapshot,
            log_exports: Vec::new(),
            port: DEFAULT_PORT,
        }
    }

    /// The writer endpoint's host name.
    pub fn endpoint(&self) -> Value<String> {
        self.endpoint.clone()
    }

    /// The reader endpoint's host name (load-balanced over the readers).
    pub fn reader_endpoint(&self) -> Value<String> {
        self.reader_endpoint.clone()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster identifier (`Ref`).
    pub fn identifier(&self) -> Value<String> {
        self.identifier.clone()
    }

    /// The master credentials: a JSON secret with `username`, `password`, `host`, `port`
    /// (and `engine`, `ssl`), each readable by a container on its own:
    /// `.secret_field("DB_PASSWORD", &cluster.secret(), "password")`.
    pub fn secret(&self) -> Secret {
        self.secret.clone()
    }

    /// The L1 cluster.
    pub fn resource(&self) -> &ResourceRef<l1::DBCluster> {
        &self.resource
    }

    /// The connections of the cluster, with its port as default port:
    /// `cluster.connections().allow_default_port_from(stack, &api)`.
    pub fn connections(&self) -> Connections {
        self.connections.clone()
    }
}

impl Connectable for DatabaseCluster {
    fn connections(&self) -> Connections {
        self.connections.clone()
    }
    fn peer_label(&self) -> String {
        self.label.clone()
    }
}
