//! Amazon CloudWatch (L2): a [`Metric`] (namespace, name, dimensions, statistic, period),
//! offered by the constructs that have metrics (`queue.metric_approximate_number_of_
//! messages_visible()`, `service.metric_cpu_utilization()`, ...), and an [`Alarm`] on it
//! with actions to SNS topics. The L1 types are in [`crate::cfn::cloudwatch`].

use std::fmt;

use cfn_l1::cloudwatch as l1;
use cfn_l1::model::{ResourceRef, Value, fns};

use crate::Duration;
use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Principal};
use crate::sns::Topic;

/// How a metric's data points are aggregated over a period.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Statistic {
    /// The mean.
    Average,
    /// The sum.
    Sum,
    /// The lowest value.
    Minimum,
    /// The highest value.
    Maximum,
    /// The number of data points.
    SampleCount,
    /// A percentile, above 0 and below 100 (`Percentile(99.0)` is `p99`).
    Percentile(f64),
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Average => f.write_str("Average"),
            Self::Sum => f.write_str("Sum"),
            Self::Minimum => f.write_str("Minimum"),
            Self::Maximum => f.write_str("Maximum"),
            Self::SampleCount => f.write_str("SampleCount"),
            Self::Percentile(p) => write!(f, "p{p}"),
        }
    }
}

/// A CloudWatch metric: what an [`Alarm`] watches.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::cloudwatch::{Metric, Statistic};
/// let errors = Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")
///     .dimension("LoadBalancer", "app/web/0123456789abcdef")
///     .statistic(Statistic::Sum)
///     .period(Duration::minutes(1));
/// # let _ = errors;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    namespace: String,
    name: String,
    dimensions: Vec<(String, Value<String>)>,
    statistic: Statistic,
    period: Duration,
}

impl Metric {
    /// Metric `name` of `namespace` (`AWS/SQS`), averaged over 5 minutes.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
            statistic: Statistic::Average,
            period: Duration::minutes(5),
        }
    }

    /// Adds a dimension (`QueueName` = the queue's name). Default: none.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// The statistic. Default: [`Statistic::Average`].
    pub fn statistic(mut self, statistic: Statistic) -> Self {
        self.statistic = statistic;
        self
    }

    /// The period: 10 s, 30 s or a multiple of 60 s. Default: 5 minutes.
    pub fn period(mut self, period: Duration) -> Self {
        self.period = period;
        self
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The metric's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dimensions.
    pub fn dimensions(&self) -> &[(String, Value<String>)] {
        &self.dimensions
    }

    /// The statistic.
    pub fn statistic_kind(&self) -> Statistic {
        self.statistic
    }

    /// The period.
    pub fn period_length(&self) -> Duration {
        self.period
    }
}

/// How the metric compares to the threshold when the alarm fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ComparisonOperator {
    /// `>=` the threshold.
    GreaterThanOrEqualToThreshold,
    /// `>` the threshold.
    GreaterThanThreshold,
    /// `<` the threshold.
    LessThanThreshold,
    /// `<=` the threshold.
    LessThanOrEqualToThreshold,
}

impl ComparisonOperator {
    fn as_str(self) -> &'static str {
        match self {
            Self::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Self::GreaterThanThreshold => "GreaterThanThreshold",
            Self::LessThanThreshold => "LessThanThreshold",
            Self::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }
}

/// What a period without data counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TreatMissingData {
    /// Neither breaching nor not (the alarm keeps its state).
    Missing,
    /// Within the threshold.
    NotBreaching,
    /// Breaching the threshold.
    Breaching,
    /// The alarm keeps its state and waits for data.
    Ignore,
}

impl TreatMissingData {
    fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::NotBreaching => "notBreaching",
            Self::Breaching => "breaching",
            Self::Ignore => "ignore",
        }
    }
}

/// Settings of a new [`Alarm`].
#[derive(Clone, Debug)]
pub struct AlarmBuilder {
    metric: Metric,
    threshold: f64,
    comparison: ComparisonOperator,
    evaluation_periods: u32,
    datapoints_to_alarm: Option<u32>,
    treat_missing_data: Option<TreatMissingData>,
    description: Option<String>,
    name: Option<String>,
    alarm_actions: Vec<Topic>,
    ok_actions: Vec<Topic>,
}

impl AlarmBuilder {
    /// How the metric compares to the threshold. Default: `>=`.
    pub fn comparison(mut self, comparison: ComparisonOperator) -> Self {
        self.comparison = comparison;
        self
    }

    /// The periods compared, at least 1; together at most one day. Default: 1.
    pub fn evaluation_periods(mut self, periods: u32) -> Self {
        self.evaluation_periods = periods;
        self
    }

    /// How many of the evaluated periods must breach ("M out of N"), 1 to the evaluation
    /// periods. Default: all of them.
    pub fn datapoints_to_alarm(mut self, datapoints: u32) -> Self {
        self.datapoints_to_alarm = Some(datapoints);
        self
    }

    /// What a period without data counts as. Default: [`TreatMissingData::Missing`].
    pub fn treat_missing_data(mut self, treatment: TreatMissingData) -> Self {
        self.treat_missing_data = Some(treatment);
        self
    }

    /// The description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The alarm's name. Default: generated by CloudFormation.
    pub fn alarm_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Notifies `topic` when the alarm fires. Default: no action.
    pub fn alarm_action(mut self, topic: &Topic) -> Self {
        self.alarm_actions.push(topic.clone());
        self
    }

    /// Notifies `topic` when the alarm returns to OK. Default: no action.
    pub fn ok_action(mut self, topic: &Topic) -> Self {
        self.ok_actions.push(topic.clone());
        self
    }

    /// Adds the alarm under construct `id` of `scope`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::cloudwatch::Alarm;
    /// use construct_lib::sns::Topic;
    /// use construct_lib::sqs::Queue;
    /// let mut app = App::new();
    /// let stack = app.stack("Jobs");
    /// let queue = Queue::builder().build(stack, "Jobs");
    /// let oncall = Topic::builder().build(stack, "OnCall");
    /// Alarm::builder(queue.metric_approximate_number_of_messages_visible(), 100.0)
    ///     .evaluation_periods(3)
    ///     .alarm_action(&oncall)
    ///     .build(stack, "Backlog");
    /// ```
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Alarm {
        let mut scope = scope.scope(id);
        self.check(&mut scope);
        let resource = scope.add("Resource", self.to_l1());
        self.admit_to_topic_keys(&mut scope);
        self.admit_to_topic_policies(&mut scope);
        Alarm {
            name: resource.ref_value(),
            path: scope.path(),
            arn: resource.attr_arn(),
            resource,
        }
    }

    fn check(&self, scope: &mut impl Scope) {
        let mut problems = scope.problems();
        let period = self.metric.period;
        let seconds = period.to_seconds();
        if !(seconds == 10 || seconds == 30 || (seconds >= 60 && seconds.is_multiple_of(60))) {
            problems.error(
                "metric.period",
                period,
                "10 seconds, 30 seconds or a multiple of 60 seconds",
            );
        }
        if let Statistic::Percentile(p) = self.metric.statistic
            && !(p > 0.0 && p < 100.0)
        {
            problems.error(
                "metric.statistic",
                format!("percentile {p}"),
                "a percentile above 0 and below 100",
            );
        }
        if problems.range(
            "evaluation_periods",
            self.evaluation_periods,
            1..=u32::MAX,
            "periods",
        ) {
            let total = seconds * u64::from(self.evaluation_periods);
            // In the largest whole unit, so that the message reads `25 hours`.
            let total = match total {
                t if t.is_multiple_of(3600) => Duration::hours(t / 3600),
                t if t.is_multiple_of(60) => Duration::minutes(t / 60),
                t => Duration::seconds(t),
            };
            if total > Duration::days(1) {
                problems.error(
                    "evaluation_periods",
                    format!("{} periods of {period} ({total})", self.evaluation_periods),
                    "at most one day of periods in all (CloudWatch evaluates at most 24 hours)",
                );
            }
        }
        if let Some(datapoints) = self.datapoints_to_alarm {
            problems.range(
                "datapoints_to_alarm",
                datapoints,
                1..=self.evaluation_periods.max(1),
                "data points",
            );
        }
    }

    /// A topic policy replaces SNS's default policy, which is what lets CloudWatch publish
    /// to a topic of the account: once anything gives the topic a policy (an events rule
    /// target, a grant), alarms are refused ("not authorized to perform: SNS:Publish")
    /// unless the policy admits them. So the topic's policy admits this account's alarms
    /// (the CDK leaves this to the user). A topic of another stack is left to its stack.
    fn admit_to_topic_policies(&self, scope: &mut impl Scope) {
        for topic in self.alarm_actions.iter().chain(&self.ok_actions) {
            if !topic.is_in_stack_of(scope) {
                continue;
            }
            topic.add_to_resource_policy(
                scope,
                PolicyStatement::allow()
                    .sid("CloudWatchAlarms")
                    .action("sns:Publish")
                    .principal(Principal::service("cloudwatch.amazonaws.com"))
                    .resource(topic.arn())
                    .condition(
                        "ArnLike",
                        "aws:SourceArn",
                        fns::sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"),
                    )
                    .condition("StringEquals", "aws:SourceAccount", fns::account_id()),
            );
        }
    }

    /// CloudWatch publishes to an encrypted topic only when the topic's key lets it use
    /// the key. Scoped to the account, not the alarm: the key policy would name the alarm
    /// that names the topic that names the key, a cycle.
    fn admit_to_topic_keys(&self, scope: &mut impl Scope) {
        for topic in self.alarm_actions.iter().chain(&self.ok_actions) {
            if let Some(key) = topic.encryption_key() {
                key.add_to_resource_policy(
                    scope,
                    PolicyStatement::allow()
                        .actions(["kms:Decrypt", "kms:GenerateDataKey*"])
                        .principal(Principal::service("cloudwatch.amazonaws.com"))
                        .resource("*")
                        .condition("StringEquals", "aws:SourceAccount", fns::account_id()),
                );
            }
        }
    }

    fn to_l1(&self) -> l1::Alarm {
        let metric = &self.metric;
        let mut alarm = l1::Alarm::new()
            .namespace(metric.namespace.as_str())
            .metric_name(metric.name.as_str())
            .period(metric.period.seconds_i64())
            .threshold(self.threshold)
            .comparison_operator(self.comparison.as_str())
            .evaluation_periods(i64::from(self.evaluation_periods));
        alarm = match metric.statistic {
            Statistic::Percentile(_) => alarm.extended_statistic(metric.statistic.to_string()),
            other => alarm.statistic(other.to_string()),
        };
        if !metric.dimensions.is_empty() {
            alarm = alarm.dimensions(
                metric
                    .dimensions
                    .iter()
                    .map(|(name, value)| {
                        l1::alarm::Dimension::new(l1::alarm::DimensionRequired {
                            name: name.as_str().into(),
                            value: value.clone(),
                        })
                    })
                    .collect::<Vec<_>>(),
            );
        }
        if let Some(datapoints) = self.datapoints_to_alarm {
            alarm = alarm.datapoints_to_alarm(i64::from(datapoints));
        }
        if let Some(treatment) = self.treat_missing_data {
            alarm = alarm.treat_missing_data(treatment.as_str());
        }
        if let Some(description) = &self.description {
            alarm = alarm.alarm_description(description.as_str());
        }
        if let Some(name) = &self.name {
            alarm = alarm.alarm_name(name.as_str());
        }
        let arns = |topics: &[Topic]| topics.iter().map(Topic::arn).collect::<Vec<_>>();
        if !self.alarm_actions.is_empty() {
            alarm = alarm.alarm_actions(arns(&self.alarm_actions));
        }
        if !self.ok_actions.is_empty() {
            alarm = alarm.ok_actions(arns(&self.ok_actions));
        }
        alarm
    }
}

/// A CloudWatch alarm.
#[derive(Clone, Debug)]
pub struct Alarm {
    name: Value<String>,
    path: String,
    arn: Value<String>,
    resource: ResourceRef<l1::Alarm>,
}

impl Alarm {
    /// Settings for an alarm that fires when `metric` is at or above `threshold` for one
    /// period.
    pub fn builder(metric: Metric, threshold: f64) -> AlarmBuilder {
        AlarmBuilder {
            metric,
            threshold,
            comparison: ComparisonOperator::GreaterThanOrEqualToThreshold,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            treat_missing_data: None,
            description: None,
            name: None,
            alarm_actions: Vec::new(),
            ok_actions: Vec::new(),
        }
    }

    /// The alarm's name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The alarm's construct path, for messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The alarm's ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The L1 alarm.
    pub fn resource(&self) -> &ResourceRef<l1::Alarm> {
        &self.resource
    }
}
