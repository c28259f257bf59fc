//! Resource attributes (DependsOn, DeletionPolicy, UpdateReplacePolicy, Condition, Metadata,
//! CreationPolicy, UpdatePolicy) and the escape hatches (logical ID and property overrides).

use std::collections::BTreeMap;

use cfn_l1::model::{ConditionId, Expr, ObjectBuilder, ResourceId, ToExpr, Value};

/// What CloudFormation does with a resource when it leaves the stack (`DeletionPolicy`) or is
/// replaced (`UpdateReplacePolicy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalPolicy {
    /// Delete it (CloudFormation's default for most types).
    Delete,
    /// Keep it in the account, outside the stack.
    Retain,
    /// Keep it unless the whole stack is being deleted.
    RetainExceptOnCreate,
    /// Take a snapshot, then delete it (types that support snapshots).
    Snapshot,
}

impl RemovalPolicy {
    fn as_str(self) -> &'static str {
        match self {
            RemovalPolicy::Delete => "Delete",
            RemovalPolicy::Retain => "Retain",
            RemovalPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            RemovalPolicy::Snapshot => "Snapshot",
        }
    }
}

/// `CreationPolicy`: wait for signals (EC2 instances, Auto Scaling groups) before the resource
/// counts as created.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CreationPolicy {
    /// `ResourceSignal.Count`: how many success signals to wait for. Default: 1.
    pub signal_count: Option<Value<i64>>,
    /// `ResourceSignal.Timeout`: how long to wait, as ISO 8601 (`PT15M`). Default: `PT5M`.
    pub signal_timeout: Option<Value<String>>,
    /// `AutoScalingCreationPolicy.MinSuccessfulInstancesPercent`. Default: 100.
    pub min_successful_instances_percent: Option<Value<i64>>,
}

impl ToExpr for CreationPolicy {
    fn to_expr(&self) -> Expr {
        let mut policy = ObjectBuilder::new();
        if self.signal_count.is_some() || self.signal_timeout.is_some() {
            let mut signal = ObjectBuilder::new();
            signal.field("Count", &self.signal_count);
            signal.field("Timeout", &self.signal_timeout);
            policy.field("ResourceSignal", &signal.build());
        }
        if self.min_successful_instances_percent.is_some() {
            let mut asg = ObjectBuilder::new();
            asg.field(
                "MinSuccessfulInstancesPercent",
                &self.min_successful_instances_percent,
            );
            policy.field("AutoScalingCreationPolicy", &asg.build());
        }
        policy.build()
    }
}

/// `AutoScalingRollingUpdate` of an `UpdatePolicy`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RollingUpdate {
    /// `MaxBatchSize`. Default: 1.
    pub max_batch_size: Option<Value<i64>>,
    /// `MinInstancesInService`. Default: 0.
    pub min_instances_in_service: Option<Value<i64>>,
    /// `MinSuccessfulInstancesPercent`. Default: 100.
    pub min_successful_instances_percent: Option<Value<i64>>,
    /// `PauseTime` (ISO 8601). Default: `PT0S`, or `PT5M` when waiting on signals.
    pub pause_time: Option<Value<String>>,
    /// `SuspendProcesses`. Default: none.
    pub suspend_processes: Vec<String>,
    /// `WaitOnResourceSignals`. Default: false.
    pub wait_on_resource_signals: Option<Value<bool>>,
}

/// `UpdatePolicy`: how CloudFormation updates Auto Scaling groups, Lambda aliases,
/// ElastiCache and OpenSearch domains.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct UpdatePolicy {
    /// `AutoScalingRollingUpdate`. Default: none.
    pub rolling_update: Option<RollingUpdate>,
    /// `AutoScalingReplacingUpdate.WillReplace`. Default: none.
    pub replacing_update: Option<Value<bool>>,
    /// `AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties`. Default: none.
    pub ignore_unmodified_group_size_properties: Option<Value<bool>>,
    /// `CodeDeployLambdaAliasUpdate`: (application name, deployment group name). Default: none.
    pub code_deploy_lambda_alias_update: Option<(Value<String>, Value<String>)>,
    /// `EnableVersionUpgrade` (OpenSearch/Elasticsearch). Default: none.
    pub enable_version_upgrade: Option<Value<bool>>,
    /// `UseOnlineResharding` (ElastiCache). Default: none.
    pub use_online_resharding: Option<Value<bool>>,
}

impl ToExpr for UpdatePolicy {
    fn to_expr(&self) -> Expr {
        let mut policy = ObjectBuilder::new();
        if let Some(rolling) = &self.rolling_update {
            let mut o = ObjectBuilder::new();
            o.field("MaxBatchSize", &rolling.max_batch_size);
            o.field("MinInstancesInService", &rolling.min_instances_in_service);
            o.field(
                "MinSuccessfulInstancesPercent",
                &rolling.min_successful_instances_percent,
            );
            o.field("PauseTime", &rolling.pause_time);
            if !rolling.suspend_processes.is_empty() {
                let processes: Value<Vec<Value<String>>> = rolling.suspend_processes.clone().into();
                o.field("SuspendProcesses", &processes);
            }
            o.field("WaitOnResourceSignals", &rolling.wait_on_resource_signals);
            policy.field("AutoScalingRollingUpdate", &o.build());
        }
        if self.replacing_update.is_some() {
            let mut o = ObjectBuilder::new();
            o.field("WillReplace", &self.replacing_update);
            policy.field("AutoScalingReplacingUpdate", &o.build());
        }
        if self.ignore_unmodified_group_size_properties.is_some() {
            let mut o = ObjectBuilder::new();
            o.field(
                "IgnoreUnmodifiedGroupSizeProperties",
                &self.ignore_unmodified_group_size_properties,
            );
            policy.field("AutoScalingScheduledAction", &o.build());
        }
        if let Some((application, group)) = &self.code_deploy_lambda_alias_update {
            let mut o = ObjectBuilder::new();
            o.field("ApplicationName", application);
            o.field("DeploymentGroupName", group);
            policy.field("CodeDeployLambdaAliasUpdate", &o.build());
        }
        policy.field("EnableVersionUpgrade", &self.enable_version_upgrade);
        policy.field("UseOnlineResharding", &self.use_online_resharding);
        policy.build()
    }
}

/// The attributes and overrides of one resource, reached with
/// [`Scope::resource_options`](crate::Scope::resource_options).
#[derive(Clone, Debug, Default)]
pub struct ResourceOptions {
    pub(crate) depends_on: Vec<ResourceId>,
    pub(crate) deletion_policy: Option<RemovalPolicy>,
    pub(crate) update_replace_policy: Option<RemovalPolicy>,
    pub(crate) condition: Option<ConditionId>,
    pub(crate) metadata: BTreeMap<String, Expr>,
    // Boxed: few resources have them, and every resource of a stack carries its options
    // (a large app holds tens of thousands).
    pub(crate) creation_policy: Option<Box<CreationPolicy>>,
    pub(crate) update_policy: Option<Box<UpdatePolicy>>,
    pub(crate) logical_id: Option<String>,
    /// (dotted path from the resource object, value or `None` to delete), in call order.
    pub(crate) overrides: Vec<(String, Option<Expr>)>,
}

impl ResourceOptions {
    /// Creates this resource only after `other` (`DependsOn`). References (`Ref`, `GetAtt`)
    /// already imply the order; this is for dependencies CloudFormation cannot see.
    pub fn depends_on(&mut self, other: impl Into<ResourceId>) -> &mut Self {
        let other = other.into();
        if !self.depends_on.contains(&other) {
            self.depends_on.push(other);
        }
        self
    }

    /// `DeletionPolicy`. Default: CloudFormation's (Delete for most types).
    pub fn deletion_policy(&mut self, policy: RemovalPolicy) -> &mut Self {
        self.deletion_policy = Some(policy);
        self
    }

    /// `UpdateReplacePolicy`. Default: CloudFormation's (Delete).
    pub fn update_replace_policy(&mut self, policy: RemovalPolicy) -> &mut Self {
        self.update_replace_policy = Some(policy);
        self
    }

    /// Both `DeletionPolicy` and `UpdateReplacePolicy`, as the CDK's `applyRemovalPolicy`.
    pub fn removal_policy(&mut self, policy: RemovalPolicy) -> &mut Self {
        self.deletion_policy(policy).update_replace_policy(policy)
    }

    /// Creates the resource only when the condition holds (`Condition`). Default: always.
    pub fn condition(&mut self, condition: impl Into<ConditionId>) -> &mut Self {
        self.condition = Some(condition.into());
        self
    }

    /// Adds a `Metadata` entry.
    pub fn metadata(
        &mut self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> &mut Self {
        self.metadata.insert(key.into(), Expr::from(value.into()));
        self
    }

    /// `CreationPolicy`. Default: none.
    pub fn creation_policy(&mut self, policy: CreationPolicy) -> &mut Self {
        self.creation_policy = Some(Box::new(policy));
        self
    }

    /// `UpdatePolicy`. Default: none.
    pub fn update_policy(&mut self, policy: UpdatePolicy) -> &mut Self {
        self.update_policy = Some(Box::new(policy));
        self
    }

    /// Replaces the logical ID derived from the construct path. It must be alphanumeric, at
    /// most 255 characters, and unique in the template. Changing the logical ID of a deployed
    /// resource replaces it.
    pub fn override_logical_id(&mut self, logical_id: impl Into<String>) -> &mut Self {
        self.logical_id = Some(logical_id.into());
        self
    }

    /// Sets a value at a dotted path under `Properties` (`"LoadBalancers.0.TargetGroupArn"`
    /// style paths address list elements by index), for properties the L1 types lack or to
    /// correct an L2. Applied after rendering, in call order.
    pub fn add_property_override<T>(&mut self, path: &str, value: Value<T>) -> &mut Self {
        self.overrides
            .push((format!("Properties.{path}"), Some(value.into_expr())));
        self
    }

    /// Removes the value at a dotted path under `Properties`.
    pub fn add_property_deletion_override(&mut self, path: &str) -> &mut Self {
        self.overrides.push((format!("Properties.{path}"), None));
        self
    }

    /// Sets a value at a dotted path of the resource object itself (`"Metadata.Owner"`).
    pub fn add_override<T>(&mut self, path: &str, value: Value<T>) -> &mut Self {
        self.overrides
            .push((path.to_owned(), Some(value.into_expr())));
        self
    }

    pub(crate) fn render_policies(&self) -> [(&'static str, Option<Expr>); 4] {
        [
            (
                "CreationPolicy",
                self.creation_policy.as_deref().map(ToExpr::to_expr),
            ),
            (
                "UpdatePolicy",
                self.update_policy.as_deref().map(ToExpr::to_expr),
            ),
            (
                "DeletionPolicy",
                self.deletion_policy.map(|p| Expr::string(p.as_str())),
            ),
            (
                "UpdateReplacePolicy",
                self.update_replace_policy.map(|p| Expr::string(p.as_str())),
            ),
        ]
    }
}
