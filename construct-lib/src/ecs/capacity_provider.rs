//! `Cluster::add_asg_capacity_provider`: an Auto Scaling group as capacity of a cluster,
//! with managed scaling, managed termination protection and managed draining, associated
//! with the cluster beside Fargate and Fargate Spot; the instance role gets the ECS
//! instance permissions for this cluster only.

use cfn_l1::ecs as l1;
use cfn_l1::ecs::capacity_provider as l1cp;
use cfn_l1::ecs::cluster_capacity_provider_associations as l1a;
use cfn_l1::model::{ResourceId, ResourceRef, Value};

use super::agent_config::AgentConfig;
use super::cluster::Cluster;
use super::service::{CapacityProvider, CapacityProviderStrategy};
use crate::Duration;
use crate::autoscaling::AutoScalingGroup;
use crate::core::scope::{Owner, Scope};
use crate::ec2::{EcsOptimizedAmi, LaunchTemplate, MachineImage, SecurityGroup};
use crate::iam::PolicyStatement;
use crate::problem::{Problems, quoted};

/// Settings of an Auto Scaling group capacity provider; every field has ECS's default.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::ecs::AsgCapacityProviderSettings;
/// let settings = AsgCapacityProviderSettings::new()
///     .target_capacity_percent(90)
///     .instance_warmup_period(Duration::seconds(180));
/// # let _ = settings;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AsgCapacityProviderSettings {
    managed_scaling: bool,
    target_capacity_percent: u32,
    minimum_scaling_step_size: u32,
    maximum_scaling_step_size: u32,
    instance_warmup_period: Duration,
    managed_termination_protection: bool,
    managed_draining: bool,
    default_strategy: Option<(u32, u32)>,
}

impl Default for AsgCapacityProviderSettings {
    fn default() -> Self {
        Self::new()
    }
}

impl AsgCapacityProviderSettings {
    /// Managed scaling to 100% use, managed draining on, managed termination protection
    /// off, and the provider in the cluster's default strategy with weight 1.
    pub fn new() -> Self {
        Self {
            managed_scaling: true,
            target_capacity_percent: 100,
            minimum_scaling_step_size: 1,
            maximum_scaling_step_size: 10_000,
            instance_warmup_period: Duration::seconds(300),
            managed_termination_protection: false,
            managed_draining: true,
            default_strategy: Some((1, 0)),
        }
    }

    /// Whether ECS scales the group to fit the tasks. Default: `true`.
    pub fn managed_scaling(mut self, enabled: bool) -> Self {
        self.managed_scaling = enabled;
        self
    }

    /// The instance use managed scaling aims at, 1 to 100 (below 100 keeps spare
    /// instances for fast starts). Default: 100.
    pub fn target_capacity_percent(mut self, percent: u32) -> Self {
        self.target_capacity_percent = percent;
        self
    }

    /// The fewest instances added or removed at once, 1 to 10,000. Default: 1.
    pub fn minimum_scaling_step_size(mut self, size: u32) -> Self {
        self.minimum_scaling_step_size = size;
        self
    }

    /// The most instances added or removed at once, 1 to 10,000. Default: 10,000.
    pub fn maximum_scaling_step_size(mut self, size: u32) -> Self {
        self.maximum_scaling_step_size = size;
        self
    }

    /// How long a new instance counts as warming up, up to 10,000 seconds. Default: 300
    /// seconds.
    pub fn instance_warmup_period(mut self, period: Duration) -> Self {
        self.instance_warmup_period = period;
        self
    }

    /// Whether ECS keeps instances running tasks from scale-in (needs managed scaling and
    /// a group whose new instances are protected from scale-in). Default: `false`, unlike
    /// the CDK: ECS never lifts the protection when the provider is deleted, so deleting
    /// the stack (or rolling back its first deploy) waits on the group forever
    /// (aws-cdk#18179); managed draining already moves an instance's tasks before the
    /// group terminates it.
    pub fn managed_termination_protection(mut self, enabled: bool) -> Self {
        self.managed_termination_protection = enabled;
        self
    }

    /// Whether ECS drains an instance's tasks before the group terminates it (ECS adds a
    /// lifecycle hook to the group). Default: `true`.
    pub fn managed_draining(mut self, enabled: bool) -> Self {
        self.managed_draining = enabled;
        self
    }

    /// The provider's weight and base in the cluster's default strategy. Default: weight
    /// 1, base 0.
    pub fn default_strategy(mut self, weight: u32, base: u32) -> Self {
        self.default_strategy = Some((weight, base));
        self
    }

    /// Leaves the provider out of the cluster's default strategy: only services that
    /// name it use it.
    pub fn not_in_default_strategy(mut self) -> Self {
        self.default_strategy = None;
        self
    }

    fn check(&self, group: &AutoScalingGroup, problems: &mut Problems<'_>) {
        problems.range(
            "target_capacity_percent",
            self.target_capacity_percent,
            1..=100,
            "%",
        );
        problems.range(
            "minimum_scaling_step_size",
            self.minimum_scaling_step_size,
            1..=10_000,
            "",
        );
        problems.range(
            "maximum_scaling_step_size",
            self.maximum_scaling_step_size,
            1..=10_000,
            "",
        );
        if self.minimum_scaling_step_size > self.maximum_scaling_step_size {
            problems.error(
                "minimum_scaling_step_size",
                format!(
                    "{} above the maximum step {}",
                    self.minimum_scaling_step_size, self.maximum_scaling_step_size
                ),
                "a minimum step not above the maximum step",
            );
        }
        problems.at_most(
            "instance_warmup_period",
            self.instance_warmup_period,
            Duration::seconds(10_000),
            "",
        );
        if self.managed_termination_protection && !self.managed_scaling {
            problems.error(
                "managed_termination_protection",
                "on without managed scaling",
                "managed scaling on (ECS protects instances from scale-in only while it scales the group), or managed_termination_protection(false)",
            );
        }
        if !self.managed_termination_protection && group.protected_from_scale_in() {
            problems.warning(
                "managed_termination_protection",
                format!("off for {}, whose new instances are protected from scale-in", group.path()),
                "managed termination protection on, or new_instances_protected_from_scale_in(false): only ECS lifts the protection, and only with managed termination protection, so the group never scales in",
            );
        }
        if self.managed_termination_protection && !group.protected_from_scale_in() {
            problems.error(
                "managed_termination_protection",
                format!("on for {}, whose new instances are not protected from scale-in", group.path()),
                "new_instances_protected_from_scale_in(true) on the Auto Scaling group, or managed_termination_protection(false)",
            );
        }
    }

    fn to_l1(&self, group: &AutoScalingGroup) -> l1::CapacityProvider {
        let status = |on: bool| {
            if on {
                l1cp::Status::Enabled
            } else {
                l1cp::Status::Disabled
            }
        };
        let scaling = l1cp::ManagedScaling::new()
            .status(status(self.managed_scaling))
            .target_capacity(i64::from(self.target_capacity_percent))
            .minimum_scaling_step_size(i64::from(self.minimum_scaling_step_size))
            .maximum_scaling_step_size(i64::from(self.maximum_scaling_step_size))
            .instance_warmup_period(self.instance_warmup_period.seconds_i64());
        let protection = if self.managed_termination_protection {
            l1cp::ManagedTerminationProtection::Enabled
        } else {
            l1cp::ManagedTerminationProtection::Disabled
        };
        let draining = if self.managed_draining {
            l1cp::ManagedDraining::Enabled
        } else {
            l1cp::ManagedDraining::Disabled
        };
        l1::CapacityProvider::new().auto_scaling_group_provider(
            l1cp::AutoScalingGroupProvider::new(group.name())
                .managed_scaling(scaling)
                .managed_termination_protection(protection)
                .managed_draining(draining),
        )
    }
}

/// An Auto Scaling group capacity provider of a cluster. A cheap handle; use it in
/// strategies (`CapacityProviderStrategy::new(&provider)`).
#[derive(Clone, Debug)]
pub struct AsgCapacityProvider {
    name: Value<String>,
    cluster: Owner,
    security_groups: Vec<SecurityGroup>,
    /// `None` when the provider was refused (already reported).
    association: Option<ResourceId>,
    owner: Owner,
    resource: Option<ResourceRef<l1::CapacityProvider>>,
}

impl AsgCapacityProvider {
    /// The provider's name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The security groups of its instances.
    pub fn security_groups(&self) -> &[SecurityGroup] {
        &self.security_groups
    }

    /// The construct path, for messages.
    pub fn path(&self) -> &str {
        &self.owner.path
    }

    /// The L1 capacity provider: the escape hatch (`None` when the provider was refused
    /// with an error).
    pub fn resource(&self) -> Option<&ResourceRef<l1::CapacityProvider>> {
        self.resource.as_ref()
    }

    pub(crate) fn belongs_to(&self, cluster: &Cluster) -> bool {
        &self.cluster == cluster.owner()
    }

    /// Makes `resource` wait until the provider is associated with the cluster: a service
    /// naming it before is refused by ECS.
    pub(crate) fn make_wait_for_association(&self, scope: &mut impl Scope, resource: ResourceId) {
        if let Some(association) = self.association
            && association.stack == scope.stack().id
        {
            scope.stack_mut().add_dependency_of(resource, association);
        }
    }
}

impl Cluster {
    /// Adds `group`'s instances to the cluster's capacity as construct `id` under the
    /// cluster: a capacity provider with `settings`, associated with the cluster beside
    /// `FARGATE` and `FARGATE_SPOT`. The instance role of the group's launch template may
    /// then register with this cluster and no other; its user data must join this
    /// cluster ([`AgentConfig`](crate::ecs::AgentConfig)).
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::autoscaling::AutoScalingGroup;
    /// use construct_lib::ec2::{EcsOptimizedAmi, LaunchTemplate, MachineImage, Vpc};
    /// use construct_lib::ecs::{AgentConfig, AsgCapacityProviderSettings, Cluster};
    /// let mut app = App::new();
    /// let stack = app.stack("Fleet");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let template = LaunchTemplate::builder(&vpc, "m7i.large", MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023))
    ///     .user_data(AgentConfig::new(&cluster).user_data())
    ///     .build(stack, "LaunchTemplate");
    /// let group = AutoScalingGroup::builder(&vpc, &template)
    ///     .max_capacity(4)
    ///     .build(stack, "Group");
    /// let provider = cluster.add_asg_capacity_provider(stack, "Capacity", &group, AsgCapacityProviderSettings::new());
    /// # let _ = provider;
    /// ```
    pub fn add_asg_capacity_provider(
        &self,
        scope: &mut impl Scope,
        id: &str,
        group: &AutoScalingGroup,
        settings: AsgCapacityProviderSettings,
    ) -> AsgCapacityProvider {
        // Refused (reported) when the cluster is another stack's: the handle then names
        // no provider.
        let mut provider = self.detached_provider(group);
        let Some(mut cluster_scope) = self.owner().reopen(
            scope.stack_mut(),
            "add_asg_capacity_provider",
            quoted(group.path()),
            "capacity providers added through the stack that owns the cluster",
        ) else {
            return provider;
        };
        let mut scope = cluster_scope.scope(id);
        settings.check(group, &mut scope.problems());
        check_generated_name(&mut scope);
        self.check_user_data(group, &mut scope.problems());
        let resource = scope.add("Resource", settings.to_l1(group));
        provider.owner = Owner::of(&scope);
        provider.name = resource.ref_value();
        provider.resource = Some(resource);
        let strategy = settings.default_strategy.map(|(weight, base)| {
            l1a::CapacityProviderStrategy::new(provider.name())
                .weight(i64::from(weight))
                .base(i64::from(base))
        });
        provider.association = Some(self.associate(&mut cluster_scope, provider.name(), strategy));
        self.grant_instance_permissions(&mut cluster_scope, group);
        self.record_capacity(&provider, settings.default_strategy);
        provider
    }

    /// Adds instances of `instance_type`, between `count`'s bounds, as the cluster's
    /// capacity: under construct `id` of `scope`, a launch template of the ECS-optimized
    /// Amazon Linux 2023 AMI for the type's architecture whose user data joins this
    /// cluster, and an Auto Scaling group in the VPC's private subnets; under the cluster, a
    /// capacity provider with default settings (managed scaling and draining, in the
    /// default strategy). Build the
    /// parts yourself and call [`Cluster::add_asg_capacity_provider`] for anything else
    /// (another image, a key pair, SSH, settings).
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::Cluster;
    /// let mut app = App::new();
    /// let stack = app.stack("Fleet");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let capacity = cluster.add_capacity(stack, "Capacity", "m7g.large", 1..=4);
    /// # let _ = capacity;
    /// ```
    pub fn add_capacity(
        &self,
        scope: &mut impl Scope,
        id: &str,
        instance_type: &str,
        count: std::ops::RangeInclusive<u32>,
    ) -> AsgCapacityProvider {
        let ami = if crate::ec2::launch_template::instance_family_is_arm64(instance_type) {
            EcsOptimizedAmi::AmazonLinux2023Arm64
        } else {
            EcsOptimizedAmi::AmazonLinux2023
        };
        let mut parts = scope.scope(id);
        let template =
            LaunchTemplate::builder(self.vpc(), instance_type, MachineImage::ecs_optimized(ami))
                .user_data(AgentConfig::new(self).user_data())
                .build(&mut parts, "LaunchTemplate");
        let (min, max) = count.into_inner();
        let group = AutoScalingGroup::builder(self.vpc(), &template)
            .min_capacity(min)
            .max_capacity(max)
            .build(&mut parts, "Group");
        self.add_asg_capacity_provider(&mut parts, id, &group, AsgCapacityProviderSettings::new())
    }

    /// A provider handle before its resources exist (returned as is when refused).
    fn detached_provider(&self, group: &AutoScalingGroup) -> AsgCapacityProvider {
        AsgCapacityProvider {
            name: Value::from(""),
            cluster: self.owner().clone(),
            security_groups: group.launch_template().security_groups().to_vec(),
            association: None,
            owner: self.owner().clone(),
            resource: None,
        }
    }

    /// The instances' user data must write this cluster's name into the agent's
    /// configuration, or they join the `default` cluster.
    fn check_user_data(&self, group: &AutoScalingGroup, problems: &mut Problems<'_>) {
        let template = group.launch_template();
        let joined = template.user_data().and_then(|u| u.ecs_cluster());
        if joined != Some(&self.name()) {
            let value = match joined {
                None => format!("{} without user data that joins a cluster", template.path()),
                Some(_) => format!("{} joins another cluster", template.path()),
            };
            problems.error(
                "add_asg_capacity_provider",
                value,
                "a launch template whose user data joins this cluster: user_data(AgentConfig::new(&cluster).user_data())",
            );
        }
    }

    /// What the ECS agent does with the instance role, for this cluster only.
    fn grant_instance_permissions(&self, scope: &mut impl Scope, group: &AutoScalingGroup) {
        let role = group.launch_template().role();
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "ecs:DeregisterContainerInstance",
                    "ecs:RegisterContainerInstance",
                    "ecs:Submit*",
                ])
                .resource(self.arn()),
        );
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "ecs:Poll",
                    "ecs:StartTelemetrySession",
                    "ecs:UpdateContainerInstancesState",
                ])
                .resource("*")
                .condition("ArnEquals", "ecs:cluster", self.arn()),
        );
        // These actions take no resource ARN: the agent finds its endpoint and the Docker
        // daemon authenticates to ECR. No `logs:` permission: the awslogs driver writes
        // with each task's execution role (AgentConfig sets
        // ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE, as ecs-init does on the ECS-optimized
        // AMIs), which holds its own log group only; the CDK grants them on `*` here.
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions(["ecs:DiscoverPollEndpoint", "ecr:GetAuthorizationToken"])
                .resource("*"),
        );
    }

    /// Associates the provider with the cluster through one
    /// `AWS::ECS::ClusterCapacityProviderAssociations` (construct `CapacityProviders` under
    /// the cluster), which then also holds `FARGATE` and `FARGATE_SPOT`: the cluster's own
    /// `CapacityProviders` property is removed, as the two would overwrite each other.
    fn associate(
        &self,
        cluster_scope: &mut impl Scope,
        provider: Value<String>,
        strategy: Option<l1a::CapacityProviderStrategy>,
    ) -> ResourceId {
        let state = cluster_scope.state::<Association>();
        state.providers.push(provider);
        let providers = state.providers.clone();
        if let Some(association) = state.resource
            && let Some(l1) = cluster_scope.l1_mut(&association)
        {
            l1.capacity_providers = Some(providers.into());
            l1.default_capacity_provider_strategy.extend(strategy);
            return association.id();
        }
        if let Some(cluster) = cluster_scope.l1_mut(self.resource()) {
            cluster.capacity_providers = None;
        }
        let association = cluster_scope.add(
            "CapacityProviders",
            l1::ClusterCapacityProviderAssociations::new(
                l1a::ClusterCapacityProviderAssociationsRequired {
                    cluster: self.name(),
                    default_capacity_provider_strategy: strategy.into_iter().collect(),
                },
            )
            .capacity_providers(providers),
        );
        cluster_scope.state::<Association>().resource = Some(association);
        association.id()
    }
}

/// CloudFormation names a capacity provider `<stack>-<logical id>-<suffix>`, and ECS
/// refuses names that begin with `aws`, `ecs` or `fargate`.
fn check_generated_name(scope: &mut impl Scope) {
    let stack = scope.stack().name().to_owned();
    let lower = stack.to_ascii_lowercase();
    if let Some(prefix) = ["aws", "ecs", "fargate"]
        .into_iter()
        .find(|p| lower.starts_with(p))
    {
        scope.problems().error(
            "add_asg_capacity_provider",
            format!("in stack {}", quoted(&stack)),
            format!("a stack whose name does not begin with {}: CloudFormation names the provider after the stack, and ECS refuses provider names beginning with aws, ecs or fargate", quoted(prefix)),
        );
    }
}

/// The cluster's association resource and the providers it names, kept with the cluster.
#[derive(Debug)]
struct Association {
    resource: Option<ResourceRef<l1::ClusterCapacityProviderAssociations>>,
    providers: Vec<Value<String>>,
}

impl Default for Association {
    fn default() -> Self {
        Self {
            resource: None,
            providers: vec![Value::from("FARGATE"), Value::from("FARGATE_SPOT")],
        }
    }
}

impl Cluster {
    fn record_capacity(
        &self,
        provider: &AsgCapacityProvider,
        default_strategy: Option<(u32, u32)>,
    ) {
        let mut capacity = self.capacity().borrow_mut();
        capacity.asg_providers.push(provider.clone());
        if let Some((weight, base)) = default_strategy {
            capacity.default_strategy.push(
                CapacityProviderStrategy::new(CapacityProvider::Asg(provider.clone()))
                    .weight(weight)
                    .base(base),
            );
        }
    }
}
