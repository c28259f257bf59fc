//! `BlueGreenHook`: CodeDeploy blue/green deployments run by CloudFormation itself, through
//! the `AWS::CodeDeployBlueGreen` transform and its `AWS::CodeDeploy::BlueGreen` hook. A
//! stack update that replaces the service's task definition (a new image tag, say) makes
//! CloudFormation create a green task definition and task set, let CodeDeploy move traffic
//! to them as configured, and delete the blue ones; a failure rolls the whole stack back.
//! Facts from the CloudFormation User Guide ("Perform ECS blue/green deployments through
//! CodeDeploy using CloudFormation"): the hook names resources by logical ID; the step of a
//! time-based shift is 14% or more; the role is named, not referenced.

use std::collections::BTreeMap;

use cfn_l1::model::{Expr, ResourceId, Value, fns};
use serde_json::json;

use super::EcsDeploymentConfig;
use crate::Duration;
use crate::core::hook::Hook;
use crate::core::scope::Scope;
use crate::ecs::{LaunchType, Service};
use crate::elbv2::{ApplicationTargetGroup, Listener};
use crate::iam::{ManagedPolicy, PolicyStatement, Principal, Role};
use crate::problem::Problems;

/// The hook's type, and the transform that runs it.
pub const HOOK_TYPE: &str = "AWS::CodeDeploy::BlueGreen";
/// The transform a template with a [`HOOK_TYPE`] hook declares.
pub const TRANSFORM: &str = "AWS::CodeDeployBlueGreen";

/// When CodeDeploy calls a validation function during a deployment (the AppSpec hooks of
/// an ECS deployment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LifecycleEvent {
    /// Before the green task set is created.
    BeforeInstall,
    /// After the green task set is created and registered in the green group.
    AfterInstall,
    /// After the test listener serves the green task set.
    AfterAllowTestTraffic,
    /// Before production traffic moves to the green task set.
    BeforeAllowTraffic,
    /// After production traffic moved to the green task set.
    AfterAllowTraffic,
}

impl LifecycleEvent {
    fn key(self) -> &'static str {
        match self {
            Self::BeforeInstall => "BeforeInstall",
            Self::AfterInstall => "AfterInstall",
            Self::AfterAllowTestTraffic => "AfterAllowTestTraffic",
            Self::BeforeAllowTraffic => "BeforeAllowTraffic",
            Self::AfterAllowTraffic => "AfterAllowTraffic",
        }
    }
}

/// Settings of a new [`BlueGreenHook`]: [`BlueGreenHook::builder`].
#[derive(Clone, Debug)]
pub struct BlueGreenHookBuilder {
    service_label: String,
    cluster_name: Value<String>,
    service_name: Value<String>,
    service_arn: Value<String>,
    service_strategy: &'static str,
    service: ResourceId,
    task_set: Option<ResourceId>,
    task_definition: ResourceId,
    blue: ApplicationTargetGroup,
    green: ApplicationTargetGroup,
    production_listener: Listener,
    test_listener: Option<Listener>,
    traffic: EcsDeploymentConfig,
    termination_wait: Option<Duration>,
    functions: BTreeMap<LifecycleEvent, String>,
    role_name: Option<String>,
}

impl BlueGreenHookBuilder {
    /// How production traffic moves: all at once, or a time-based canary or linear shift
    /// of 14% or more per step. The predefined 10% configurations are refused (below the
    /// hook's 14%). Default: CloudFormation's, a canary of 15% for 5 minutes.
    pub fn traffic(mut self, traffic: EcsDeploymentConfig) -> Self {
        self.traffic = traffic;
        self
    }

    /// A listener (another port) that serves the green task set before production traffic
    /// moves, for tests. Default: none.
    pub fn test_listener(mut self, listener: &Listener) -> Self {
        self.test_listener = Some(listener.clone());
        self
    }

    /// How long the blue task set keeps running after traffic moved, in whole minutes (up to
    /// 2,880). Default: CodeDeploy's (5 minutes).
    pub fn termination_wait(mut self, wait: Duration) -> Self {
        self.termination_wait = Some(wait);
        self
    }

    /// The Lambda function (by name) that CodeDeploy calls at `event` and that reports
    /// success or failure back to CodeDeploy. The role may invoke it. Default: none.
    pub fn lifecycle_function(mut self, event: LifecycleEvent, name: impl Into<String>) -> Self {
        self.functions.insert(event, name.into());
        self
    }

    /// The name of the role CodeDeploy uses (trusting `codedeploy.amazonaws.com`, with
    /// `AWSCodeDeployRoleForECS`), created under the hook. The hook names its role, so it
    /// has a fixed name (and the deploy needs `CAPABILITY_NAMED_IAM`); names are the
    /// account's, in every region. Default: `<stack>-<hook id>`, then `-<region>` when the
    /// stack's environment names one, cut to IAM's 64 characters.
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Adds the hook (and its role, construct `ServiceRole`) under construct `id`, and the
    /// `AWS::CodeDeployBlueGreen` transform to the stack.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> BlueGreenHook {
        let blue_has_service = self.blue.has_target(scope, self.service);
        let green_targets = self.green.target_count(scope);
        let earlier_hooks = scope
            .stack()
            .hooks
            .iter()
            .filter(|h| h.value.hook_type() == HOOK_TYPE)
            .count();
        let stack = scope.stack().id();
        let region = scope.stack().environment().region.clone();
        let mut scope = scope.scope(id);
        let mut problems = scope.problems();
        self.check(&mut problems, blue_has_service, green_targets);
        self.check_stack(&mut problems, stack, earlier_hooks);
        let role_name = self.role_name.clone().unwrap_or_else(|| {
            // Role names are the account's: the region keeps two regions' stacks apart.
            let mut name = problems.path().replace('/', "-");
            if let Some(region) = region {
                name = format!("{name}-{region}");
            }
            name.chars().take(64).collect()
        });
        let role = self.role(&mut scope, &role_name);
        // A hook of a service it cannot deploy, or a second one, is reported above and
        // left out, so that the template checks do not report it again.
        if self.task_set.is_some() && earlier_hooks == 0 {
            let hook = self.to_hook(&role_name);
            scope.stack_mut().add_transform(TRANSFORM);
            scope.hook("Resource", hook);
        }
        let listeners = std::iter::once(&self.production_listener)
            .chain(&self.test_listener)
            .map(Listener::arn)
            .collect();
        BlueGreenHook {
            role,
            cluster_name: self.cluster_name.clone(),
            service_name: self.service_name.clone(),
            service_arn: self.service_arn.clone(),
            listeners,
        }
    }

    fn role(&self, scope: &mut impl Scope, name: &str) -> Role {
        let role = Role::builder(Principal::service("codedeploy.amazonaws.com"))
            .managed_policy(ManagedPolicy::aws_managed("AWSCodeDeployRoleForECS"))
            .role_name(name)
            .build(scope, "ServiceRole");
        // ECS asks for ecs:TagResource when a task set is created with tags (the green task
        // set copies the blue one's), which AWSCodeDeployRoleForECS does not grant.
        role.add_to_policy(scope, tag_new_task_sets());
        // The managed policy may invoke functions named `CodeDeployHook_*` only.
        let others: Vec<Value<String>> = self
            .functions
            .values()
            .filter(|name| !name.starts_with("CodeDeployHook_"))
            .map(|name| {
                fns::sub(format!(
                    "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}"
                ))
            })
            .collect();
        if !others.is_empty() {
            role.add_to_policy(
                scope,
                PolicyStatement::allow()
                    .sid("InvokeLifecycleFunctions")
                    .action("lambda:InvokeFunction")
                    .resources(others),
            );
        }
        role
    }

    fn check(&self, problems: &mut Problems<'_>, blue_has_service: bool, green_targets: usize) {
        if self.service_strategy != "EXTERNAL" || self.task_set.is_none() {
            problems.error(
                "service",
                format!("{} ({} deployments)", self.service_label, self.service_strategy),
                "a service built with .deployment(Deployment::CodeDeployHook): the hook deploys the task set of an EXTERNAL-controller service",
            );
        }
        check_traffic(self.traffic, problems);
        if let Some(wait) = self.termination_wait {
            super::deployment_group::check_minutes(problems, "termination_wait", wait, 0);
        }
        if self.blue.arn() == self.green.arn() {
            problems.error(
                "green target group",
                self.green.path(),
                "another target group than the blue one: CodeDeploy registers the green task set in it",
            );
        } else if green_targets > 0 {
            problems.error(
                "green target group",
                self.green.path(),
                "a target group no service is registered in: CodeDeploy registers the green task set in it",
            );
        }
        if !blue_has_service {
            problems.error(
                "blue target group",
                self.blue.path(),
                format!(
                    "the target group {} is registered in (add_service_target)",
                    self.service_label
                ),
            );
        }
        if let Some(test) = &self.test_listener
            && test.resource().id() == self.production_listener.resource().id()
        {
            problems.error(
                "test_listener",
                test.path(),
                "another listener than the production one (another port)",
            );
        }
    }

    /// The hook names resources of its own template, once per stack.
    fn check_stack(
        &self,
        problems: &mut Problems<'_>,
        stack: cfn_l1::model::StackId,
        earlier: usize,
    ) {
        if earlier > 0 {
            problems.error(
                "BlueGreenHook",
                "a second hook in the stack",
                "one CodeDeploy blue/green hook per stack: CloudFormation deploys a single ECS service with it",
            );
        }
        let named = [
            ("service", self.service_label.clone(), self.service),
            (
                "task definition",
                self.service_label.clone(),
                self.task_definition,
            ),
            (
                "blue target group",
                self.blue.path().to_owned(),
                self.blue.resource().id(),
            ),
            (
                "green target group",
                self.green.path().to_owned(),
                self.green.resource().id(),
            ),
            (
                "production listener",
                self.production_listener.path().to_owned(),
                self.production_listener.resource().id(),
            ),
        ];
        let test = self
            .test_listener
            .iter()
            .map(|t| ("test_listener", t.path().to_owned(), t.resource().id()));
        for (setting, path, id) in named.into_iter().chain(test) {
            if id.stack != stack {
                problems.error(
                    setting,
                    path,
                    "a resource of the hook's stack: the hook names resources by logical ID in its own template",
                );
            }
        }
    }

    fn to_hook(&self, role_name: &str) -> Hook {
        let id = Hook::logical_id_of;
        let green = |resource: ResourceId| Hook::logical_id_with_suffix(resource, "Green");
        let route = |listener: &Listener| {
            object([
                ("Type", Expr::from("AWS::ElasticLoadBalancingV2::Listener")),
                ("LogicalID", id(listener.resource().id())),
            ])
        };
        let task_set = self.task_set.unwrap_or(self.service);
        let mut routing = vec![
            ("ProdTrafficRoute", route(&self.production_listener)),
            (
                "TargetGroups",
                Expr::List(vec![
                    id(self.blue.resource().id()),
                    id(self.green.resource().id()),
                ]),
            ),
        ];
        if let Some(test) = &self.test_listener {
            routing.push(("TestTrafficRoute", route(test)));
        }
        let application = object([
            (
                "Target",
                object([
                    ("Type", Expr::from("AWS::ECS::Service")),
                    ("LogicalID", id(self.service)),
                ]),
            ),
            (
                "ECSAttributes",
                object([
                    (
                        "TaskDefinitions",
                        Expr::List(vec![id(self.task_definition), green(self.task_definition)]),
                    ),
                    ("TaskSets", Expr::List(vec![id(task_set), green(task_set)])),
                    ("TrafficRouting", object(routing)),
                ]),
            ),
        ]);
        let mut hook = Hook::new(HOOK_TYPE)
            .property("ServiceRole", role_name)
            .property("Applications", Expr::List(vec![application]))
            .property(
                "TrafficRoutingConfig",
                Expr::from(traffic_json(self.traffic)),
            );
        if let Some(wait) = self.termination_wait {
            let minutes = wait.whole_minutes().unwrap_or_default();
            hook = hook.property(
                "AdditionalOptions",
                Expr::from(json!({"TerminationWaitTimeInMinutes": minutes})),
            );
        }
        if !self.functions.is_empty() {
            let functions: serde_json::Map<String, serde_json::Value> = self
                .functions
                .iter()
                .map(|(event, name)| (event.key().to_owned(), json!(name)))
                .collect();
            hook = hook.property(
                "LifecycleEventHooks",
                Expr::from(serde_json::Value::Object(functions)),
            );
        }
        hook
    }
}

fn object<'a>(entries: impl IntoIterator<Item = (&'a str, Expr)>) -> Expr {
    Expr::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// The shift as the hook takes it: a kind, a step and a bake time in minutes.
fn traffic_shape(traffic: EcsDeploymentConfig) -> (&'static str, u32, Duration) {
    use EcsDeploymentConfig as C;
    match traffic {
        C::Canary { percent, interval } => ("TimeBasedCanary", percent, interval),
        C::Linear { percent, interval } => ("TimeBasedLinear", percent, interval),
        C::Canary10Percent5Minutes => ("TimeBasedCanary", 10, Duration::minutes(5)),
        C::Canary10Percent15Minutes => ("TimeBasedCanary", 10, Duration::minutes(15)),
        C::Linear10PercentEvery1Minute => ("TimeBasedLinear", 10, Duration::minutes(1)),
        C::Linear10PercentEvery3Minutes => ("TimeBasedLinear", 10, Duration::minutes(3)),
        _ => ("AllAtOnce", 100, Duration::minutes(0)),
    }
}

fn check_traffic(traffic: EcsDeploymentConfig, problems: &mut Problems<'_>) {
    let (kind, percent, bake) = traffic_shape(traffic);
    if kind == "AllAtOnce" {
        return;
    }
    if !(14..=99).contains(&percent) {
        problems.error(
            "traffic step",
            format!("{percent}%"),
            "14% to 99%: the hook's time-based shifts move 14% or more per step",
        );
    }
    match bake.whole_minutes() {
        None => problems.error(
            "traffic bake time",
            bake,
            "whole minutes (the hook counts bake times in minutes)",
        ),
        Some(0) => problems.error("traffic bake time", bake, "at least 1 minute"),
        Some(_) => {}
    }
}

fn traffic_json(traffic: EcsDeploymentConfig) -> serde_json::Value {
    let (kind, percent, bake) = traffic_shape(traffic);
    if kind == "AllAtOnce" {
        return json!({"Type": "AllAtOnce"});
    }
    let minutes = bake.whole_minutes().unwrap_or_default();
    json!({"Type": kind, kind: {"StepPercentage": percent, "BakeTimeMins": minutes}})
}

/// CodeDeploy blue/green deployments of one service, run by CloudFormation in stack
/// updates (the `AWS::CodeDeploy::BlueGreen` hook). A cheap handle.
#[derive(Clone, Debug)]
pub struct BlueGreenHook {
    role: Role,
    /// The cluster's and the service's names, for the task sets' ARNs.
    cluster_name: Value<String>,
    service_name: Value<String>,
    service_arn: Value<String>,
    /// The listeners whose traffic the deployment moves.
    listeners: Vec<Value<String>>,
}

impl BlueGreenHook {
    /// Settings for the hook of `service` (built with
    /// [`Deployment::CodeDeployHook`](crate::ecs::Deployment::CodeDeployHook)): its task set
    /// serves through `blue` (where it is registered), the green task set through `green`
    /// (where no service is), production traffic through `production_listener`.
    ///
    /// ```
    /// use construct_lib::{App, Duration};
    /// use construct_lib::codedeploy::{BlueGreenHook, EcsDeploymentConfig};
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::*;
    /// use construct_lib::elbv2::*;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
    ///     .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80))
    ///     .build(stack, "Task");
    /// let service = FargateService::builder(&cluster, &task)
    ///     .deployment(Deployment::CodeDeployHook)
    ///     .build(stack, "Service");
    /// let lb = ApplicationLoadBalancer::builder(&vpc).internet_facing(true).build(stack, "Lb");
    /// let blue = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "Blue");
    /// let green = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "Green");
    /// let production = lb.add_listener(stack, "Http", ListenerSettings::http(80, ListenerAction::forward(&blue)));
    /// blue.add_service_target(stack, &service, "app");
    /// BlueGreenHook::builder(&service, &blue, &green, &production)
    ///     .traffic(EcsDeploymentConfig::canary(25, Duration::minutes(10)))
    ///     .build(stack, "Releases");
    /// ```
    pub fn builder<L: LaunchType>(
        service: &Service<L>,
        blue: &ApplicationTargetGroup,
        green: &ApplicationTargetGroup,
        production_listener: &Listener,
    ) -> BlueGreenHookBuilder {
        BlueGreenHookBuilder {
            service_label: crate::ec2::Connectable::peer_label(service),
            cluster_name: service.cluster().name(),
            service_name: service.name(),
            service_arn: service.arn(),
            service_strategy: service.deployment_label(),
            service: service.resource().id(),
            task_set: service.task_set().map(|t| t.id()),
            task_definition: service.task_definition().resource().id(),
            blue: blue.clone(),
            green: green.clone(),
            production_listener: production_listener.clone(),
            test_listener: None,
            traffic: EcsDeploymentConfig::canary(15, Duration::minutes(5)),
            termination_wait: None,
            functions: BTreeMap::new(),
            role_name: None,
        }
    }

    /// The role CodeDeploy uses in the hook's deployments.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// Lets `role` run the hook's deployments by updating the stack. CloudFormation runs
    /// the update with the caller's permissions (no service role): the transform
    /// (`CreateChangeSet` on the transform's ARN, as for AWS's other transforms), CodeDeploy
    /// (`codedeploy:Get*` and `codedeploy:CreateCloudFormationDeployment`, as the User Guide
    /// lists, with the hook's role passed to it), and the green resources CloudFormation
    /// creates, switches and deletes: this service's task sets (tagged on creation) and
    /// the rules of the production and test listeners. The deployment is CloudFormation's
    /// (no deployment group of the account's), so the CodeDeploy actions name none.
    pub fn grant_deploy(&self, scope: &mut impl Scope, role: &Role) {
        for statement in self.deploy_statements() {
            role.add_to_policy(scope, statement);
        }
    }

    fn deploy_statements(&self) -> Vec<PolicyStatement> {
        let task_sets = fns::sub_with(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-set/${Cluster}/${Service}/*",
            [
                ("Cluster", self.cluster_name.clone()),
                ("Service", self.service_name.clone()),
            ],
        );
        vec![
            PolicyStatement::allow()
                .sid("ApplyTheTransform")
                .action("cloudformation:CreateChangeSet")
                .resource(fns::sub(
                    "arn:${AWS::Partition}:cloudformation:${AWS::Region}:aws:transform/CodeDeployBlueGreen",
                )),
            PolicyStatement::allow()
                .sid("CodeDeployBlueGreenHook")
                .actions(["codedeploy:CreateCloudFormationDeployment", "codedeploy:Get*"])
                .resource("*"),
            PolicyStatement::allow()
                .sid("PassTheHookRole")
                .action("iam:PassRole")
                .resource(self.role.arn())
                .condition("StringEquals", "iam:PassedToService", "codedeploy.amazonaws.com"),
            PolicyStatement::allow()
                .sid("GreenTaskSets")
                .actions([
                    "ecs:CreateTaskSet",
                    "ecs:DeleteTaskSet",
                    "ecs:DescribeTaskSets",
                    "ecs:UpdateServicePrimaryTaskSet",
                    "ecs:UpdateTaskSet",
                ])
                .resources([self.service_arn.clone(), task_sets]),
            tag_new_task_sets(),
            PolicyStatement::allow()
                .sid("MoveListenerTraffic")
                .actions(["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"])
                .resources(self.listeners.clone()),
            PolicyStatement::allow()
                .sid("ReadLoadBalancers")
                .action("elasticloadbalancing:Describe*")
                .resource("*"),
        ]
    }
}

/// `ecs:TagResource` for tags given when a task set is created, and nothing else.
fn tag_new_task_sets() -> PolicyStatement {
    PolicyStatement::allow()
        .sid("TagNewTaskSets")
        .action("ecs:TagResource")
        .resource(fns::sub(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-set/*",
        ))
        .condition("StringEquals", "ecs:CreateAction", "CreateTaskSet")
}
