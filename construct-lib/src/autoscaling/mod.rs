//! Amazon EC2 Auto Scaling (L2): [`AutoScalingGroup`] from a launch template, with health
//! checks, an update policy, scale-in protection and lifecycle hooks. Tags from
//! [`Tags::of`](crate::Tags::of) reach the instances it launches (`PropagateAtLaunch`). The
//! L1 types are in [`crate::cfn::autoscaling`].

use cfn_l1::autoscaling as l1;
use cfn_l1::autoscaling::auto_scaling_group as l1g;
use cfn_l1::model::{ResourceRef, Value};

use crate::Duration;
use crate::core::resource_options::{RollingUpdate, UpdatePolicy as L1UpdatePolicy};
use crate::core::scope::{Owner, Scope};
use crate::ec2::{Connectable, Connections, LaunchTemplate, Subnet, SubnetSelection, Vpc};
use crate::problem::Problems;

/// How the group decides an instance is unhealthy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthCheck {
    /// EC2 status checks only.
    Ec2 {
        /// How long a new instance is not checked.
        grace: Duration,
    },
    /// EC2 status checks and the health checks of the load balancer target groups the
    /// group is attached to.
    Elb {
        /// How long a new instance is not checked.
        grace: Duration,
    },
}

/// How CloudFormation replaces instances when the launch template changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpdatePolicy {
    /// Replace instances in batches of `max_batch_size`, keeping
    /// `min_instances_in_service` running (`AutoScalingRollingUpdate`), pausing
    /// `pause` between batches.
    Rolling {
        /// Instances replaced at once.
        max_batch_size: u32,
        /// Instances kept in service during the update.
        min_instances_in_service: u32,
        /// The wait after each batch.
        pause: Duration,
    },
    /// Create a new group beside the old one and delete the old one once the new one is
    /// in service (`AutoScalingReplacingUpdate`).
    Replacing,
    /// Leave running instances; new ones use the new template. With an ECS capacity
    /// provider, instances are then replaced as managed scaling and draining cycle them.
    None,
}

/// A lifecycle hook: instances pause on launch or termination until the hook is completed
/// or times out.
#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleHook {
    name: String,
    terminating: bool,
    heartbeat: Duration,
    continue_on_timeout: bool,
}

impl LifecycleHook {
    /// A hook `name` on instance termination (time to drain it). Heartbeat 5 minutes,
    /// then the termination goes on.
    pub fn on_termination(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            terminating: true,
            heartbeat: Duration::minutes(5),
            continue_on_timeout: true,
        }
    }

    /// A hook `name` on instance launch. Heartbeat 5 minutes, then the launch is
    /// abandoned.
    pub fn on_launch(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            terminating: false,
            heartbeat: Duration::minutes(5),
            continue_on_timeout: false,
        }
    }

    /// How long the instance waits, 30 seconds to 2 hours. Default: 5 minutes.
    pub fn heartbeat(mut self, timeout: Duration) -> Self {
        self.heartbeat = timeout;
        self
    }

    /// Whether the transition goes on when the heartbeat times out. Default: on
    /// termination yes, on launch no.
    pub fn continue_on_timeout(mut self, continue_: bool) -> Self {
        self.continue_on_timeout = continue_;
        self
    }

    fn to_l1(&self) -> l1g::LifecycleHookSpecification {
        let transition = if self.terminating {
            "autoscaling:EC2_INSTANCE_TERMINATING"
        } else {
            "autoscaling:EC2_INSTANCE_LAUNCHING"
        };
        l1g::LifecycleHookSpecification::new(l1g::LifecycleHookSpecificationRequired {
            lifecycle_hook_name: self.name.as_str().into(),
            lifecycle_transition: transition.into(),
        })
        .heartbeat_timeout(self.heartbeat.seconds_i64())
        .default_result(if self.continue_on_timeout {
            "CONTINUE"
        } else {
            "ABANDON"
        })
    }
}

/// Settings of a new [`AutoScalingGroup`].
#[derive(Clone, Debug)]
pub struct AutoScalingGroupBuilder {
    vpc: Vpc,
    launch_template: LaunchTemplate,
    min: u32,
    max: u32,
    desired: Option<u32>,
    subnets: SubnetSelection,
    health_check: HealthCheck,
    update_policy: UpdatePolicy,
    protect_from_scale_in: bool,
    hooks: Vec<LifecycleHook>,
    default_instance_warmup: Option<Duration>,
    max_instance_lifetime: Option<Duration>,
}

impl AutoScalingGroupBuilder {
    /// The fewest instances. Default: 1.
    pub fn min_capacity(mut self, min: u32) -> Self {
        self.min = min;
        self
    }

    /// The most instances. Default: the minimum.
    pub fn max_capacity(mut self, max: u32) -> Self {
        self.max = max;
        self
    }

    /// The instances to start with. Default: none (the minimum at creation; later deploys
    /// leave the current count, which scaling owns).
    pub fn desired_capacity(mut self, desired: u32) -> Self {
        self.desired = Some(desired);
        self
    }

    /// The subnets instances launch in. Default: the VPC's private subnets.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = selection;
        self
    }

    /// How unhealthy instances are found. Default: EC2 status checks with no grace.
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = check;
        self
    }

    /// How instances are replaced when the launch template changes. Default:
    /// [`UpdatePolicy::None`] (as the CDK): running instances keep their template until
    /// they are replaced (see [`Self::max_instance_lifetime`]).
    pub fn update_policy(mut self, policy: UpdatePolicy) -> Self {
        self.update_policy = policy;
        self
    }

    /// Protects new instances from scale-in, so that only their owner (an ECS capacity
    /// provider with managed termination protection) ends them. Default: `false`.
    pub fn new_instances_protected_from_scale_in(mut self, protect: bool) -> Self {
        self.protect_from_scale_in = protect;
        self
    }

    /// Adds a lifecycle hook (instances pause on launch or termination). Default: none;
    /// an ECS capacity provider with managed draining adds its own hook.
    pub fn lifecycle_hook(mut self, hook: LifecycleHook) -> Self {
        self.hooks.push(hook);
        self
    }

    /// How long a new instance warms up before its metrics count. Default: none.
    pub fn default_instance_warmup(mut self, warmup: Duration) -> Self {
        self.default_instance_warmup = Some(warmup);
        self
    }

    /// Replaces instances older than this, at least 1 day. Default: none.
    pub fn max_instance_lifetime(mut self, lifetime: Duration) -> Self {
        self.max_instance_lifetime = Some(lifetime);
        self
    }

    /// Adds the group under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> AutoScalingGroup {
        let mut scope = scope.scope(id);
        let subnets = self.check(&mut scope.problems());
        let resource = scope.add("Resource", self.to_l1(&subnets));
        if let Some(policy) = self.l1_update_policy() {
            scope.resource_options(&resource).update_policy(policy);
        }
        // Instances without a route out never register with ECS or pull images; and the
        // agent registers with the instance role's permissions, granted through the role's
        // policy (also later, by a capacity provider): the CDK makes the launch template
        // wait for that policy, the group is what launches instances.
        Subnet::wait_for_routes(&mut scope, resource.id(), &subnets);
        self.launch_template
            .role()
            .make_wait_for_policy(&mut scope, resource.id());
        AutoScalingGroup {
            name: resource.ref_value(),
            arn: resource.attr_auto_scaling_group_arn(),
            launch_template: self.launch_template,
            protected_from_scale_in: self.protect_from_scale_in,
            owner: Owner::of(&scope),
            resource,
        }
    }

    /// Reports every invalid setting; returns the selected subnets.
    fn check(&self, problems: &mut Problems<'_>) -> Vec<Subnet> {
        self.check_capacity(problems);
        self.check_replacement(problems);
        match self.vpc.select_subnets(&self.subnets) {
            Ok(subnets) => subnets,
            Err(reason) => {
                problems.error("vpc_subnets", &self.subnets, reason);
                Vec::new()
            }
        }
    }

    /// Sizes, health check grace and instance lifetime.
    fn check_capacity(&self, problems: &mut Problems<'_>) {
        if self.min > self.max {
            problems.error(
                "min_capacity",
                format!("{} above the maximum {}", self.min, self.max),
                "a minimum not above the maximum",
            );
        }
        if let Some(desired) = self.desired
            && !(self.min..=self.max).contains(&desired)
        {
            problems.error(
                "desired_capacity",
                desired,
                format!("{} to {} (the minimum and maximum)", self.min, self.max),
            );
        }
        let grace = match self.health_check {
            HealthCheck::Ec2 { grace } | HealthCheck::Elb { grace } => grace,
        };
        problems.at_most("health_check", grace, Duration::seconds(2_147_483_647), "");
        if let Some(lifetime) = self.max_instance_lifetime {
            problems.range(
                "max_instance_lifetime",
                lifetime,
                Duration::days(1)..=Duration::days(365),
                "",
            );
        }
    }

    /// How instances are replaced: the rolling update and the lifecycle hooks.
    fn check_replacement(&self, problems: &mut Problems<'_>) {
        if let UpdatePolicy::Rolling {
            max_batch_size,
            min_instances_in_service,
            pause,
        } = self.update_policy
        {
            problems.at_least("update_policy max_batch_size", max_batch_size, 1, "");
            if min_instances_in_service >= self.max && self.max > 0 {
                problems.error(
                    "update_policy min_instances_in_service",
                    min_instances_in_service,
                    format!("fewer than the maximum capacity ({}): a rolling update needs room to replace an instance", self.max),
                );
            }
            problems.at_most("update_policy pause", pause, Duration::hours(1), "");
        }
        for hook in &self.hooks {
            problems.range(
                &format!("lifecycle_hook[{}].heartbeat", hook.name),
                hook.heartbeat,
                Duration::seconds(30)..=Duration::hours(2),
                "",
            );
            problems.name("lifecycle_hook", &hook.name, &HOOK_NAME);
        }
    }

    /// The CDK also writes `AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties`:
    /// it matters only for scheduled actions, which this construct does not create, and a
    /// template without `DesiredCapacity` (the default here) never resets the size.
    fn l1_update_policy(&self) -> Option<L1UpdatePolicy> {
        match self.update_policy {
            UpdatePolicy::Rolling {
                max_batch_size,
                min_instances_in_service,
                pause,
            } => Some(L1UpdatePolicy {
                rolling_update: Some(RollingUpdate {
                    max_batch_size: Some(i64::from(max_batch_size).into()),
                    min_instances_in_service: Some(i64::from(min_instances_in_service).into()),
                    pause_time: Some(pause.to_iso8601().into()),
                    ..RollingUpdate::default()
                }),
                ..L1UpdatePolicy::default()
            }),
            UpdatePolicy::Replacing => Some(L1UpdatePolicy {
                replacing_update: Some(true.into()),
                ..L1UpdatePolicy::default()
            }),
            UpdatePolicy::None => None,
        }
    }

    fn to_l1(&self, subnets: &[Subnet]) -> l1::AutoScalingGroup {
        let (health_type, grace) = match self.health_check {
            HealthCheck::Ec2 { grace } => ("EC2", grace),
            HealthCheck::Elb { grace } => ("ELB", grace),
        };
        let mut group = l1::AutoScalingGroup::new(l1g::AutoScalingGroupRequired {
            max_size: self.max.to_string().into(),
            min_size: self.min.to_string().into(),
        })
        .launch_template(
            l1g::LaunchTemplateSpecification::new(self.launch_template.latest_version())
                .launch_template_id(self.launch_template.launch_template_id()),
        )
        .vpc_zone_identifier(subnets.iter().map(Subnet::subnet_id).collect::<Vec<_>>())
        .health_check_type(health_type)
        .health_check_grace_period(grace.seconds_i64())
        .new_instances_protected_from_scale_in(self.protect_from_scale_in);
        if let Some(desired) = self.desired {
            group = group.desired_capacity(desired.to_string());
        }
        if !self.hooks.is_empty() {
            group = group.lifecycle_hook_specification_list(
                self.hooks
                    .iter()
                    .map(LifecycleHook::to_l1)
                    .collect::<Vec<_>>(),
            );
        }
        if let Some(warmup) = self.default_instance_warmup {
            group = group.default_instance_warmup(warmup.seconds_i64());
        }
        if let Some(lifetime) = self.max_instance_lifetime {
            group = group.max_instance_lifetime(lifetime.seconds_i64());
        }
        group
    }
}

/// A lifecycle hook name: what Auto Scaling accepts.
const HOOK_NAME: crate::problem::NameRule = crate::problem::NameRule {
    min_len: 1,
    max_len: 255,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'),
    first: None,
    description: "1 to 255 letters, digits and - _ / .",
};

/// An Auto Scaling group. A cheap handle.
#[derive(Clone, Debug)]
pub struct AutoScalingGroup {
    name: Value<String>,
    arn: Value<String>,
    launch_template: LaunchTemplate,
    protected_from_scale_in: bool,
    owner: Owner,
    resource: ResourceRef<l1::AutoScalingGroup>,
}

impl AutoScalingGroup {
    /// Settings for a group in `vpc` launching instances from `launch_template`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::autoscaling::AutoScalingGroup;
    /// use construct_lib::ec2::{EcsOptimizedAmi, LaunchTemplate, MachineImage, Vpc};
    /// let mut app = App::new();
    /// let stack = app.stack("Fleet");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let template = LaunchTemplate::builder(&vpc, "m7i.large", MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023))
    ///     .build(stack, "LaunchTemplate");
    /// let group = AutoScalingGroup::builder(&vpc, &template)
    ///     .min_capacity(2)
    ///     .max_capacity(6)
    ///     .build(stack, "Group");
    /// # let _ = group;
    /// ```
    pub fn builder(vpc: &Vpc, launch_template: &LaunchTemplate) -> AutoScalingGroupBuilder {
        AutoScalingGroupBuilder {
            vpc: vpc.clone(),
            launch_template: launch_template.clone(),
            min: 1,
            max: 1,
            desired: None,
            subnets: SubnetSelection::Default,
            health_check: HealthCheck::Ec2 {
                grace: Duration::seconds(0),
            },
            update_policy: UpdatePolicy::None,
            protect_from_scale_in: false,
            hooks: Vec::new(),
            default_instance_warmup: None,
            max_instance_lifetime: None,
        }
    }

    /// The group's name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The group's ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The launch template.
    pub fn launch_template(&self) -> &LaunchTemplate {
        &self.launch_template
    }

    /// Whether new instances are protected from scale-in.
    pub fn protected_from_scale_in(&self) -> bool {
        self.protected_from_scale_in
    }

    /// The construct path, for messages.
    pub fn path(&self) -> &str {
        &self.owner.path
    }

    /// The L1 group: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::AutoScalingGroup> {
        &self.resource
    }
}

impl Connectable for AutoScalingGroup {
    fn connections(&self) -> Connections {
        self.launch_template.connections()
    }
    fn peer_label(&self) -> String {
        self.owner.path.clone()
    }
}
