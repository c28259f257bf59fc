//! Amazon EventBridge (L2): a [`Rule`] on a schedule or an [`EventPattern`], with SNS topics
//! and SQS queues as targets; each target's policy admits EventBridge for this rule only.
//! The L1 types are in [`crate::cfn::events`].

use cfn_l1::events as l1;
use cfn_l1::model::{Json, ResourceRef, StackId, Value, fns};

use crate::Duration;
use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Principal};
use crate::kms::Key;
use crate::problem::{Problems, quoted};
use crate::sns::Topic;
use crate::sqs::Queue;

/// The most targets a rule may have.
const MAX_TARGETS: usize = 5;

/// When a scheduled rule runs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Schedule {
    /// Every `Duration`, in whole minutes (`rate(5 minutes)`).
    Rate(Duration),
    /// A cron expression of six fields, UTC: minutes hours day-of-month month day-of-week
    /// year, one of the two day fields `?` (`0 3 * * ? *`).
    Cron(String),
}

impl Schedule {
    /// Every `interval`, at least one minute, in whole minutes.
    pub fn rate(interval: Duration) -> Self {
        Self::Rate(interval)
    }

    /// Every day at `hour`:`minute` UTC.
    pub fn daily_at(hour: u8, minute: u8) -> Self {
        Self::Cron(format!("{minute} {hour} * * ? *"))
    }

    /// A cron expression of six fields (`0 3 ? * MON-FRI *`).
    pub fn cron(expression: impl Into<String>) -> Self {
        Self::Cron(expression.into())
    }

    fn expression(&self) -> String {
        match self {
            Self::Rate(interval) => {
                let minutes = interval.whole_minutes().unwrap_or(0);
                match minutes {
                    m if m % (24 * 60) == 0 => plural(m / (24 * 60), "day"),
                    m if m % 60 == 0 => plural(m / 60, "hour"),
                    m => plural(m, "minute"),
                }
            }
            Self::Cron(expression) => format!("cron({expression})"),
        }
    }

    fn check(&self, problems: &mut Problems<'_>) {
        match self {
            Self::Rate(interval) => {
                if interval.whole_minutes().is_none_or(|m| m == 0) {
                    problems.error(
                        "schedule",
                        interval,
                        "a rate of whole minutes, at least 1 minute",
                    );
                }
            }
            Self::Cron(expression) => {
                let fields: Vec<&str> = expression.split_whitespace().collect();
                let days_ok = fields.len() == 6 && (fields[2] == "?") != (fields[4] == "?");
                // Plain numbers in the minute and hour fields must be a minute and an hour.
                let in_range = |field: Option<&&str>, max: u32| {
                    field
                        .and_then(|f| f.parse::<u32>().ok())
                        .is_none_or(|n| n <= max)
                };
                if days_ok && !(in_range(fields.first(), 59) && in_range(fields.get(1), 23)) {
                    problems.error(
                        "schedule",
                        quoted(expression),
                        "minutes 0 to 59 and hours 0 to 23 (UTC)",
                    );
                }
                if !days_ok {
                    problems.error(
                        "schedule",
                        quoted(expression),
                        "six cron fields (minutes hours day-of-month month day-of-week year) with exactly one of the day fields `?`",
                    );
                }
            }
        }
    }
}

fn plural(count: u64, unit: &str) -> String {
    if count == 1 {
        format!("rate(1 {unit})")
    } else {
        format!("rate({count} {unit}s)")
    }
}

/// Which events a rule matches: fields of the event and the values they may have.
///
/// ```
/// use construct_lib::events::EventPattern;
/// use serde_json::json;
/// let stopped = EventPattern::new()
///     .source(["aws.ecs"])
///     .detail_type(["ECS Task State Change"])
///     .detail(json!({"lastStatus": ["STOPPED"]}));
/// # let _ = stopped;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventPattern {
    fields: serde_json::Map<String, serde_json::Value>,
    /// Fields of `detail` matched against values known at deploy (an ARN), beside those
    /// of [`Self::detail`].
    detail_values: Vec<(String, Vec<Value<String>>)>,
    /// Prefixes of the event's `resources`, which may be references.
    resource_prefixes: Vec<Value<String>>,
}

impl EventPattern {
    /// A pattern that matches nothing until fields are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Events from these sources (`aws.ecs`, `com.example.orders`).
    pub fn source<S: Into<String>>(self, sources: impl IntoIterator<Item = S>) -> Self {
        self.field("source", sources)
    }

    /// Events of these detail types (`ECS Task State Change`).
    pub fn detail_type<S: Into<String>>(self, types: impl IntoIterator<Item = S>) -> Self {
        self.field("detail-type", types)
    }

    /// Events of these accounts.
    pub fn account<S: Into<String>>(self, accounts: impl IntoIterator<Item = S>) -> Self {
        self.field("account", accounts)
    }

    /// Events whose `detail` matches `pattern` (EventBridge pattern syntax).
    pub fn detail(mut self, pattern: serde_json::Value) -> Self {
        self.fields.insert("detail".into(), pattern);
        self
    }

    /// Events whose `detail.<name>` is one of `values`, which may be references
    /// resolved at deploy: `.detail_values("clusterArn", [cluster.arn()])` matches the
    /// events of that cluster only.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::ecs::Cluster;
    /// use construct_lib::events::EventPattern;
    /// use serde_json::json;
    /// let mut app = App::new();
    /// let stack = app.stack("Alerts");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    /// let stopped = EventPattern::new()
    ///     .source(["aws.ecs"])
    ///     .detail_type(["ECS Task State Change"])
    ///     .detail(json!({"lastStatus": ["STOPPED"]}))
    ///     .detail_values("clusterArn", [cluster.arn()]);
    /// # let _ = stopped;
    /// ```
    pub fn detail_values<V: Into<Value<String>>>(
        mut self,
        name: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        let values = values.into_iter().map(Into::into).collect();
        self.detail_values.push((name.into(), values));
        self
    }

    /// Events about a resource whose ARN begins with `prefix`, which may hold references:
    /// the deployments of one cluster's services are
    /// `arn:<partition>:ecs:<region>:<account>:service/<cluster name>/`
    /// ([`crate::ecs::Cluster::service_arn_prefix`]).
    pub fn resource_prefix(mut self, prefix: impl Into<Value<String>>) -> Self {
        self.resource_prefixes.push(prefix.into());
        self
    }

    /// The pattern as template JSON: the literal fields, with `detail` extended by the
    /// fields whose values are references, and the resource prefixes.
    fn to_json(&self) -> Value<Json> {
        use cfn_l1::model::Expr;
        let mut pattern = Expr::from(serde_json::Value::Object(self.fields.clone()));
        if let Expr::Object(fields) = &mut pattern
            && !self.resource_prefixes.is_empty()
        {
            let prefixes = self
                .resource_prefixes
                .iter()
                .map(|p| Expr::Object([("prefix".to_owned(), p.expr().clone())].into()))
                .collect();
            fields.insert("resources".to_owned(), Expr::List(prefixes));
        }
        if self.detail_values.is_empty() {
            return Value::from(pattern);
        }
        if let cfn_l1::model::Expr::Object(fields) = &mut pattern {
            let detail = fields
                .entry("detail".to_owned())
                .or_insert_with(|| cfn_l1::model::Expr::Object(Default::default()));
            if let cfn_l1::model::Expr::Object(detail) = detail {
                for (name, values) in &self.detail_values {
                    let list = values.iter().map(|v| v.expr().clone()).collect();
                    detail.insert(name.clone(), cfn_l1::model::Expr::List(list));
                }
            }
        }
        Value::from(pattern)
    }

    fn field<S: Into<String>>(mut self, name: &str, values: impl IntoIterator<Item = S>) -> Self {
        let values: Vec<serde_json::Value> = values
            .into_iter()
            .map(|v| serde_json::Value::String(v.into()))
            .collect();
        self.fields
            .insert(name.into(), serde_json::Value::Array(values));
        self
    }

    fn check(&self, problems: &mut Problems<'_>) {
        if self.fields.is_empty()
            && self.detail_values.is_empty()
            && self.resource_prefixes.is_empty()
        {
            problems.error(
                "event_pattern",
                "an empty pattern",
                "at least one field (source, detail_type, account or detail)",
            );
        }
        for (name, values) in &self.detail_values {
            if values.is_empty() {
                problems.error(
                    &format!("event_pattern.detail.{name}"),
                    "no values",
                    "at least one value to match",
                );
            }
        }
        for (name, value) in &self.fields {
            let empty = value.as_array().is_some_and(Vec::is_empty);
            let bad_detail = name == "detail" && !value.is_object();
            if empty || bad_detail {
                problems.error(
                    &format!("event_pattern.{name}"),
                    value,
                    "a non-empty list of values (detail: a JSON object)",
                );
            }
        }
    }
}

/// Where a rule sends what it matches.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Target {
    /// Publishes the event to a topic.
    Topic(Topic),
    /// Sends the event to a queue; a FIFO queue needs a message group id.
    Queue {
        /// The queue.
        queue: Queue,
        /// The message group of every event (FIFO queues only).
        message_group_id: Option<String>,
    },
}

impl Target {
    /// Publishes to `topic`.
    pub fn sns(topic: &Topic) -> Self {
        Self::Topic(topic.clone())
    }

    /// Sends to `queue` (standard).
    pub fn sqs(queue: &Queue) -> Self {
        Self::Queue {
            queue: queue.clone(),
            message_group_id: None,
        }
    }

    /// Sends to FIFO `queue`, every event in message group `group`.
    pub fn sqs_fifo(queue: &Queue, group: impl Into<String>) -> Self {
        Self::Queue {
            queue: queue.clone(),
            message_group_id: Some(group.into()),
        }
    }

    fn arn(&self) -> Value<String> {
        match self {
            Self::Topic(topic) => topic.arn(),
            Self::Queue { queue, .. } => queue.arn(),
        }
    }

    /// Where the topic or queue was created.
    fn owner(&self) -> Option<&crate::core::scope::Owner> {
        match self {
            Self::Topic(topic) => topic.owner(),
            Self::Queue { queue, .. } => queue.owner(),
        }
    }
}

/// Settings of a new [`Rule`].
#[derive(Clone, Debug, Default)]
pub struct RuleBuilder {
    schedule: Option<Schedule>,
    pattern: Option<EventPattern>,
    description: Option<String>,
    enabled: Option<bool>,
    targets: Vec<Target>,
}

impl RuleBuilder {
    /// Runs on a schedule. Default: none (a rule needs a schedule or a pattern).
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }

    /// Matches events. Default: none (a rule needs a schedule or a pattern).
    pub fn event_pattern(mut self, pattern: EventPattern) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// The description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether the rule runs. Default: `true`.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// Adds a target (at most 5). Default: none.
    pub fn target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self
    }

    /// Adds the rule under construct `id` of `scope`, with the policies that let it reach
    /// its targets (written through the targets' stack, which must be `scope`'s).
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::events::{Rule, Schedule, Target};
    /// use construct_lib::sqs::Queue;
    /// let mut app = App::new();
    /// let stack = app.stack("Jobs");
    /// let queue = Queue::builder().build(stack, "Nightly");
    /// Rule::builder()
    ///     .schedule(Schedule::daily_at(3, 0))
    ///     .target(Target::sqs(&queue))
    ///     .build(stack, "Nightly");
    /// ```
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Rule {
        let mut scope = scope.scope(id);
        let stack = scope.stack().id();
        self.check(stack, &mut scope.problems());
        let resource = scope.add("Resource", self.to_l1());
        let rule = Rule {
            arn: resource.attr_arn(),
            resource,
        };
        for target in &self.targets {
            if crate::core::scope::owned_by(&scope, target.owner()) {
                rule.admit(&mut scope, target);
            }
        }
        rule
    }

    fn check(&self, stack: StackId, problems: &mut Problems<'_>) {
        match (&self.schedule, &self.pattern) {
            (None, None) => problems.error("schedule", "none", "a schedule or an event pattern"),
            (Some(schedule), pattern) => {
                schedule.check(problems);
                if pattern.is_some() {
                    problems.error(
                        "event_pattern",
                        "a pattern beside a schedule",
                        "a schedule or an event pattern, not both (make two rules)",
                    );
                }
            }
            (None, Some(pattern)) => pattern.check(problems),
        }
        problems.at_most("target", self.targets.len(), MAX_TARGETS, "targets");
        for (index, target) in self.targets.iter().enumerate() {
            if let Some(owner) = target.owner().filter(|owner| owner.stack != stack) {
                problems.error(
                    &format!("target[{index}]"),
                    format!("{}, of another stack", owner.path),
                    "a topic or queue of the rule's own stack: its policy, which must admit the rule, belongs to its stack (add the rule while building that stack)",
                );
            }
        }
        for (index, target) in self.targets.iter().enumerate() {
            if let Target::Queue {
                queue,
                message_group_id,
            } = target
                && queue.is_fifo() != message_group_id.is_some()
            {
                let allowed = if queue.is_fifo() {
                    "Target::sqs_fifo with a message group id, for a FIFO queue"
                } else {
                    "Target::sqs, without a message group id, for a standard queue"
                };
                problems.error(&format!("target[{index}]"), "an SQS queue", allowed);
            }
        }
    }

    fn to_l1(&self) -> l1::Rule {
        let mut rule = l1::Rule::new().state(if self.enabled.unwrap_or(true) {
            l1::rule::State::Enabled
        } else {
            l1::rule::State::Disabled
        });
        if let Some(schedule) = &self.schedule {
            rule = rule.schedule_expression(schedule.expression());
        }
        if let Some(pattern) = &self.pattern {
            rule = rule.event_pattern(pattern.to_json());
        }
        if let Some(description) = &self.description {
            rule = rule.description(description.as_str());
        }
        if !self.targets.is_empty() {
            rule = rule.targets(
                self.targets
                    .iter()
                    .enumerate()
                    .map(|(index, target)| l1_target(index, target))
                    .collect::<Vec<_>>(),
            );
        }
        rule
    }
}

fn l1_target(index: usize, target: &Target) -> l1::rule::Target {
    let mut l1_target = l1::rule::Target::new(l1::rule::TargetRequired {
        arn: target.arn(),
        id: format!("Target{index}").into(),
    });
    if let Target::Queue {
        message_group_id: Some(group),
        ..
    } = target
    {
        l1_target = l1_target.sqs_parameters(l1::rule::SqsParameters::new(group.as_str()));
    }
    l1_target
}

/// An EventBridge rule. A cheap handle.
#[derive(Clone, Debug)]
pub struct Rule {
    arn: Value<String>,
    resource: ResourceRef<l1::Rule>,
}

impl Rule {
    /// Settings for a rule on the default event bus.
    pub fn builder() -> RuleBuilder {
        RuleBuilder::default()
    }

    /// The rule's ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The L1 rule.
    pub fn resource(&self) -> &ResourceRef<l1::Rule> {
        &self.resource
    }

    /// Lets this rule, and only it, deliver to `target`; a customer key of the target lets
    /// EventBridge use it.
    fn admit(&self, scope: &mut impl Scope, target: &Target) {
        let condition = |statement: PolicyStatement| {
            statement
                .principal(Principal::service("events.amazonaws.com"))
                .condition("ArnEquals", "aws:SourceArn", self.arn())
        };
        let key = match target {
            Target::Topic(topic) => {
                topic.add_to_resource_policy(
                    scope,
                    condition(
                        PolicyStatement::allow()
                            .action("sns:Publish")
                            .resource(topic.arn()),
                    ),
                );
                topic.encryption_key().cloned()
            }
            Target::Queue { queue, .. } => {
                queue.add_to_resource_policy(
                    scope,
                    condition(
                        PolicyStatement::allow()
                            .action("sqs:SendMessage")
                            .resource(queue.arn()),
                    ),
                );
                queue.encryption_key().cloned()
            }
        };
        if let Some(key) = key {
            admit_to_key(scope, &key);
        }
    }
}

/// EventBridge may encrypt with `key` for this account. Not scoped to the rule: the key
/// policy would name the rule that names the store that names the key, a cycle.
fn admit_to_key(scope: &mut impl Scope, key: &Key) {
    key.add_to_resource_policy(
        scope,
        PolicyStatement::allow()
            .actions(["kms:Decrypt", "kms:GenerateDataKey*"])
            .principal(Principal::service("events.amazonaws.com"))
            .resource("*")
            .condition("StringEquals", "aws:SourceAccount", fns::account_id()),
    );
}
