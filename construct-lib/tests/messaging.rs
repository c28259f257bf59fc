//! Queues, topics, keys, repositories and alarms: secure defaults, options, the policies a
//! subscription writes (the queue admits exactly its topic), grants, and every rule.

use construct_lib::assertions::{Match, Template};
use construct_lib::cloudwatch::{Alarm, ComparisonOperator, Metric, Statistic, TreatMissingData};
use construct_lib::ecr::{LifecycleRule, Repository, RepositoryEncryption};
use construct_lib::iam::{PolicyStatement, Principal, Role};
use construct_lib::kms::Key;
use construct_lib::sns::{Subscription, Topic};
use construct_lib::sqs::{Queue, QueueEncryption};
use construct_lib::{App, Duration, RemovalPolicy, Stack, synthesize};
use serde_json::json;

fn errors(app: &App) -> String {
    synthesize(app).expect_err("invalid app").to_string()
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

fn role(stack: &mut Stack) -> Role {
    Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "TaskRole")
}

fn statement(actions: serde_json::Value, resource: serde_json::Value) -> Match {
    Match::object_like([(
        "PolicyDocument",
        Match::object_like([(
            "Statement",
            Match::array_with([Match::from(
                json!({"Action": actions, "Effect": "Allow", "Resource": resource}),
            )]),
        )]),
    )])
}

#[test]
fn queues_are_encrypted_with_timings_and_a_dead_letter_queue() {
    let mut app = App::new();
    let stack = app.stack("Jobs");
    let dead = Queue::builder()
        .retention_period(Duration::days(14))
        .build(stack, "Dead");
    let queue = Queue::builder()
        .queue_name("jobs")
        .visibility_timeout(Duration::minutes(5))
        .delivery_delay(Duration::seconds(10))
        .receive_message_wait_time(Duration::seconds(20))
        .max_message_size_bytes(262_144)
        .dead_letter_queue(&dead, 5)
        .build(stack, "Jobs");
    let template = Template::from_app(&app, "Jobs");
    template.has_resource(
        "AWS::SQS::Queue",
        json!({"Properties": {"SqsManagedSseEnabled": true, "MessageRetentionPeriod": 1_209_600},
               "DeletionPolicy": "Delete"}),
    );
    template.has_resource_properties(
        "AWS::SQS::Queue",
        json!({"QueueName": "jobs", "SqsManagedSseEnabled": true, "VisibilityTimeout": 300,
               "DelaySeconds": 10, "ReceiveMessageWaitTimeSeconds": 20, "MaximumMessageSize": 262_144,
               "RedrivePolicy": {"deadLetterTargetArn": template.value_of(&dead.arn()), "maxReceiveCount": 5}}),
    );
    assert_eq!(
        template.value_of(&queue.url()),
        json!({"Ref": template.logical_id_like("Jobs*")})
    );
}

#[test]
fn a_fifo_queue_with_a_key_and_the_grants_that_include_the_key() {
    let mut app = App::new();
    let stack = app.stack("Jobs");
    let role = role(stack);
    let key = Key::builder().alias("alias/jobs").build(stack, "Key");
    let queue = Queue::builder()
        .queue_name("jobs.fifo")
        .fifo(true)
        .content_based_deduplication(true)
        .encryption(QueueEncryption::Kms(key.clone()))
        .build(stack, "Jobs");
    queue.grant_send_messages(stack, &role);
    queue.grant_consume_messages(stack, &role);
    let template = Template::from_app(&app, "Jobs");
    template.has_resource_properties(
        "AWS::SQS::Queue",
        json!({"FifoQueue": true, "ContentBasedDeduplication": true,
               "KmsMasterKeyId": template.value_of(&key.arn())}),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(
            json!([
                "sqs:ReceiveMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl"
            ]),
            template.value_of(&queue.arn()),
        ),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(
            json!(["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"]),
            template.value_of(&key.arn()),
        ),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(json!("kms:Decrypt"), template.value_of(&key.arn())),
    );
    template.has_resource(
        "AWS::KMS::Key",
        json!({"Properties": {"EnableKeyRotation": true, "KeyPolicy": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "kms:*", "Resource": "*",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}}]}},
            "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}),
    );
    template.has_resource_properties(
        "AWS::KMS::Alias",
        json!({"AliasName": "alias/jobs", "TargetKeyId": template.value_of(&key.arn())}),
    );
}

#[test]
fn queue_rules_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Jobs");
    let standard = Queue::builder().build(stack, "Standard");
    Queue::builder()
        .queue_name("jobs")
        .fifo(true)
        .visibility_timeout(Duration::hours(13))
        .retention_period(Duration::seconds(30))
        .delivery_delay(Duration::minutes(16))
        .receive_message_wait_time(Duration::seconds(21))
        .max_message_size_bytes(2_000_000)
        .dead_letter_queue(&standard, 1001)
        .build(stack, "Fifo");
    Queue::builder()
        .queue_name("jobs.fifo")
        .content_based_deduplication(true)
        .build(stack, "NotFifo");
    Queue::builder()
        .queue_name("jobs queue")
        .build(stack, "Spaces");
    let text = errors(&app);
    for expected in [
        "error: Jobs/Fifo: queue_name = \"jobs\": a name ending in `.fifo` for a FIFO queue",
        "error: Jobs/Fifo: visibility_timeout = 13 hours: 0 seconds to 12 hours",
        "error: Jobs/Fifo: retention_period = 30 seconds: 1 minute to 14 days",
        "error: Jobs/Fifo: delivery_delay = 16 minutes: 0 seconds to 15 minutes",
        "error: Jobs/Fifo: receive_message_wait_time = 21 seconds: 0 seconds to 20 seconds",
        "error: Jobs/Fifo: max_message_size_bytes = 2000000 bytes: 1024 to 1048576 bytes",
        "error: Jobs/Fifo: dead_letter_queue.max_receive_count = 1001 receives: 1 to 1000 receives",
        "error: Jobs/Fifo: dead_letter_queue = a standard queue: a FIFO queue, like the queue itself (SQS refuses to mix them)",
        "error: Jobs/NotFifo: queue_name = \"jobs.fifo\": a name without `.fifo`, or fifo(true)",
        "error: Jobs/NotFifo: content_based_deduplication = true: only together with fifo(true)",
        "error: Jobs/Spaces: queue_name = \"jobs queue\": 1 to 80 letters, digits, hyphens and underscores",
    ] {
        assert_has(&text, expected);
    }
}

#[test]
fn an_sqs_subscription_admits_exactly_its_topic_and_waits_for_the_policy() {
    let mut app = App::new();
    let stack = app.stack("Events");
    let role = role(stack);
    let key = Key::builder().build(stack, "Key");
    let topic_key = Key::builder().build(stack, "TopicKey");
    let topic = Topic::builder()
        .display_name("Gitana")
        .encryption_key(&topic_key)
        .build(stack, "Notifications");
    let queue = Queue::builder()
        .encryption(QueueEncryption::Kms(key.clone()))
        .build(stack, "Inbox");
    topic.add_subscription(
        stack,
        Subscription::sqs(&queue)
            .raw_message_delivery(true)
            .filter_policy(json!({"type": ["comment"]})),
    );
    topic.add_subscription(stack, Subscription::sqs(&queue));
    topic.grant_publish(stack, &role);
    let template = Template::from_app(&app, "Events");
    let topic_arn = template.value_of(&topic.arn());
    template.has_resource_properties(
        "AWS::SNS::Topic",
        json!({"DisplayName": "Gitana", "KmsMasterKeyId": template.value_of(&topic_key.arn())}),
    );
    template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        json!({"Queues": [template.value_of(&queue.url())], "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sqs:SendMessage", "Principal": {"Service": "sns.amazonaws.com"},
            "Resource": template.value_of(&queue.arn()),
            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}}),
    );
    let policy = template.logical_id_like("InboxPolicy*");
    template.resource_count_is("AWS::SNS::Subscription", 1);
    template.has_resource(
        "AWS::SNS::Subscription",
        json!({"Properties": {"Protocol": "sqs", "TopicArn": topic_arn, "Endpoint": template.value_of(&queue.arn()),
               "RawMessageDelivery": true, "FilterPolicy": {"type": ["comment"]}},
               "DependsOn": [policy]}),
    );
    // The queue's key lets SNS encrypt for this topic only.
    template.has_resource_properties(
        "AWS::KMS::Key",
        Match::object_like([(
            "KeyPolicy",
            Match::object_like([(
                "Statement",
                Match::array_with([Match::from(json!({
                    "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Principal": {"Service": "sns.amazonaws.com"}, "Resource": "*",
                    "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}))]),
            )]),
        )]),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(json!("sns:Publish"), topic_arn.clone()),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(
            json!(["kms:Decrypt", "kms:GenerateDataKey*"]),
            template.value_of(&topic_key.arn()),
        ),
    );
}

/// One key for both: the key policy cannot name the topic that names the key (a cycle), so
/// SNS is admitted for the account; the queue policy still names the topic.
#[test]
fn one_key_for_topic_and_queue_admits_sns_for_the_account() {
    let mut app = App::new();
    let stack = app.stack("Events");
    let key = Key::builder().build(stack, "Key");
    let topic = Topic::builder()
        .encryption_key(&key)
        .build(stack, "Notifications");
    let queue = Queue::builder()
        .encryption(QueueEncryption::Kms(key.clone()))
        .build(stack, "Inbox");
    topic.add_subscription(stack, Subscription::sqs(&queue));
    let template = Template::from_app(&app, "Events");
    template.has_resource_properties(
        "AWS::KMS::Key",
        json!({"KeyPolicy": {"Statement": [{"Action": "kms:*"}, {
            "Principal": {"Service": "sns.amazonaws.com"},
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}}),
    );
}

#[test]
fn https_and_email_subscriptions_and_their_rules() {
    let mut app = App::new();
    let stack = app.stack("Events");
    let topic = Topic::builder().build(stack, "Alerts");
    topic.add_subscription(stack, Subscription::https("https://hooks.example.com/sns"));
    topic.add_subscription(stack, Subscription::email("oncall@example.com"));
    let template = Template::from_app(&app, "Events");
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({"Protocol": "https", "Endpoint": "https://hooks.example.com/sns"}),
    );
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({"Protocol": "email", "Endpoint": "oncall@example.com"}),
    );

    let mut app = App::new();
    let stack = app.stack("Events");
    let fifo = Topic::builder()
        .topic_name("orders.fifo")
        .fifo(true)
        .build(stack, "Orders");
    let standard_queue = Queue::builder().build(stack, "Standard");
    fifo.add_subscription(stack, Subscription::sqs(&standard_queue));
    fifo.add_subscription(stack, Subscription::https("https://hooks.example.com/sns"));
    let topic = Topic::builder()
        .topic_name("alerts.fifo")
        .content_based_deduplication(true)
        .build(stack, "Alerts");
    topic.add_subscription(stack, Subscription::https("http://hooks.example.com"));
    topic.add_subscription(stack, Subscription::email("oncall"));
    topic.add_subscription(
        stack,
        Subscription::email("a@b.c").raw_message_delivery(true),
    );
    topic.add_subscription(
        stack,
        Subscription::https("https://x.example.com").filter_policy(json!(["type"])),
    );
    let huge = json!({"type": ["x".repeat(300 * 1024)]});
    topic.add_subscription(
        stack,
        Subscription::https("https://y.example.com").filter_policy(huge),
    );
    Topic::builder()
        .topic_name("alerts topic")
        .build(stack, "Spaces");
    let text = errors(&app);
    for expected in [
        "error: Events/Orders: add_subscription = a standard queue: a FIFO queue for a FIFO topic",
        "error: Events/Orders: add_subscription = \"https://hooks.example.com/sns\": SQS queues only, for a FIFO topic",
        "error: Events/Alerts: topic_name = \"alerts.fifo\": a name without `.fifo`, or fifo(true)",
        "error: Events/Alerts: content_based_deduplication = true: only together with fifo(true)",
        "error: Events/Alerts: add_subscription = \"http://hooks.example.com\": an https:// URL",
        "error: Events/Alerts: add_subscription = \"oncall\": an email address",
        "error: Events/Alerts: raw_message_delivery = true: SQS and HTTPS subscriptions only",
        "error: Events/Alerts: filter_policy = [\"type\"]: a JSON object of attribute names to conditions",
        "error: Events/Alerts: filter_policy = 307213 bytes: at most 256 KB",
        "error: Events/Spaces: topic_name = \"alerts topic\": 1 to 256 letters, digits, hyphens and underscores",
    ] {
        assert_has(&text, expected);
    }
    assert!(
        !text.contains("Subscription"),
        "nothing is half-added: {text}"
    );
}

#[test]
fn keys_policies_and_their_rules() {
    let mut app = App::new();
    let stack = app.stack("Keys");
    let role = role(stack);
    let key = Key::builder()
        .description("data")
        .enable_key_rotation(false)
        .pending_window_days(7)
        .removal_policy(RemovalPolicy::Delete)
        .policy_statement(
            PolicyStatement::allow()
                .actions(["kms:Decrypt", "kms:GenerateDataKey*"])
                .principal(Principal::service("events.amazonaws.com"))
                .resource("*"),
        )
        .build(stack, "Key");
    key.grant_encrypt_decrypt(stack, &role);
    let template = Template::from_app(&app, "Keys");
    template.has_resource(
        "AWS::KMS::Key",
        json!({"Properties": {"Description": "data", "EnableKeyRotation": false, "PendingWindowInDays": 7,
               "KeyPolicy": {"Statement": [
                   {"Action": "kms:*"},
                   {"Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Principal": {"Service": "events.amazonaws.com"}}]}},
               "DeletionPolicy": "Delete"}),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(
            json!([
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*"
            ]),
            template.value_of(&key.arn()),
        ),
    );

    let mut app = App::new();
    let stack = app.stack("Keys");
    Key::builder()
        .alias("alias/aws/mine")
        .pending_window_days(31)
        .policy_statement(PolicyStatement::allow().action("kms:Decrypt").resource("*"))
        .build(stack, "Key");
    Key::builder().alias("data").build(stack, "NoPrefix");
    let existing = Key::from_arn("arn:aws:kms:eu-west-1:123456789012:key/abc");
    existing.add_to_resource_policy(
        stack,
        PolicyStatement::allow().action("kms:Decrypt").resource("*"),
    );
    let text = errors(&app);
    for expected in [
        "error: Keys/Key: pending_window_days = 31 days: 7 to 30 days",
        "error: Keys/Key: alias = \"alias/aws/mine\": `alias/` then 1 to 250 letters",
        "error: Keys/NoPrefix: alias = \"data\": `alias/` then",
        "error: Keys/Key: policy_statement[0] = kms:Decrypt: a statement with a principal (a key policy is a resource policy)",
        "error: Keys: add_to_resource_policy = kms:Decrypt on an existing key: statements on keys this app creates",
    ] {
        assert_has(&text, expected);
    }
}

#[test]
fn repositories_scan_keep_tags_and_render_typed_lifecycle_rules() {
    let mut app = App::new();
    let stack = app.stack("Images");
    let role = role(stack);
    let repository = Repository::builder()
        .repository_name("gitana/api")
        .lifecycle_rule(LifecycleRule::keep_last_images(20))
        .lifecycle_rule(LifecycleRule::expire_untagged_after_days(7).description("untagged"))
        .lifecycle_rule(LifecycleRule::keep_last_tagged(["release-"], 50))
        .build(stack, "Api");
    repository.grant_pull(stack, &role);
    let template = Template::from_app(&app, "Images");
    let text = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"},"description":"untagged"},{"rulePriority":2,"selection":{"tagPrefixList":["release-"],"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":20},"action":{"type":"expire"}}]}"#;

    template.has_resource(
        "AWS::ECR::Repository",
        json!({"Properties": {"RepositoryName": "gitana/api",
               "ImageScanningConfiguration": {"ScanOnPush": true}, "ImageTagMutability": "IMMUTABLE",
               "EncryptionConfiguration": {"EncryptionType": "KMS"},
               "LifecyclePolicy": {"LifecyclePolicyText": text}},
               "DeletionPolicy": "Retain"}),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(
            json!([
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage"
            ]),
            template.value_of(&repository.arn()),
        ),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        statement(json!("ecr:GetAuthorizationToken"), json!("*")),
    );

    let mut app = App::new();
    let stack = app.stack("Images");
    Repository::builder()
        .repository_name("Gitana")
        .lifecycle_rule(LifecycleRule::keep_last_images(5).priority(1))
        .lifecycle_rule(LifecycleRule::expire_untagged_after_days(0).priority(2))
        .lifecycle_rule(LifecycleRule::keep_last_tagged(Vec::<String>::new(), 3).priority(2))
        .lifecycle_rule(LifecycleRule::keep_last_images(9))
        .lifecycle_rule(LifecycleRule::expire_tagged_after_days(["rc-"], 3).priority(0))
        .empty_on_delete(true)
        .build(stack, "Api");
    let text = errors(&app);
    for expected in [
        "error: Images/Api: repository_name = \"Gitana\": 2 to 256 lowercase letters",
        "error: Images/Api: lifecycle_rule[1].count = 0: 1 to 4294967295",
        "error: Images/Api: lifecycle_rule[2].tag_prefixes = []: at least one non-empty tag prefix",
        "error: Images/Api: lifecycle_rule[2].priority = 2: a priority no other rule of the repository has",
        "error: Images/Api: lifecycle_rule = 2 rules over every image: at most one keep_last_images rule",
        "error: Images/Api: lifecycle_rule = keep_last_images at priority 1, another rule at 2: the rule over every image last",
        "error: Images/Api: lifecycle_rule[4].priority = 0: 1 or more",
        "error: Images/Api: empty_on_delete = true: only together with removal_policy(RemovalPolicy::Delete)",
    ] {
        assert_has(&text, expected);
    }
}

#[test]
fn a_repository_keeps_aes256_when_asked_and_takes_a_customer_key() {
    // A repository created before the KMS default keeps AES-256: changing the encryption
    // would replace it.
    let mut app = App::new();
    let stack = app.stack("Images");
    Repository::builder()
        .encryption(RepositoryEncryption::Aes256)
        .build(stack, "Old");
    let key = Key::builder().build(stack, "Key");
    Repository::builder()
        .encryption_key(&key)
        .build(stack, "Keyed");
    Repository::builder().build(stack, "New");
    let template = Template::from_app(&app, "Images");
    template.has_resource_properties(
        "AWS::ECR::Repository",
        json!({"EncryptionConfiguration": {"EncryptionType": "AES256"}}),
    );
    template.has_resource_properties(
        "AWS::ECR::Repository",
        json!({"EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": template.value_of(&key.arn())}}),
    );
    template.has_resource_properties(
        "AWS::ECR::Repository",
        Match::object_like([(
            "EncryptionConfiguration",
            Match::exact(json!({"EncryptionType": "KMS"})),
        )]),
    );
}

#[test]
fn alarms_watch_metrics_and_notify_topics() {
    let mut app = App::new();
    let stack = app.stack("Ops");
    let queue = Queue::builder().build(stack, "Jobs");
    let oncall = Topic::builder().build(stack, "OnCall");
    Alarm::builder(queue.metric_approximate_number_of_messages_visible(), 100.0)
        .evaluation_periods(3)
        .datapoints_to_alarm(2)
        .treat_missing_data(TreatMissingData::NotBreaching)
        .description("backlog")
        .alarm_action(&oncall)
        .ok_action(&oncall)
        .build(stack, "Backlog");
    let latency = Metric::new("AWS/ApplicationELB", "TargetResponseTime")
        .dimension("LoadBalancer", "app/web/123")
        .statistic(Statistic::Percentile(99.0))
        .period(Duration::minutes(1));
    Alarm::builder(latency, 0.5)
        .comparison(ComparisonOperator::GreaterThanThreshold)
        .build(stack, "Latency");
    let template = Template::from_app(&app, "Ops");
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
               "Dimensions": [{"Name": "QueueName", "Value": template.value_of(&queue.name())}],
               "Statistic": "Maximum", "Period": 300, "Threshold": 100.0,
               "ComparisonOperator": "GreaterThanOrEqualToThreshold", "EvaluationPeriods": 3,
               "DatapointsToAlarm": 2, "TreatMissingData": "notBreaching", "AlarmDescription": "backlog",
               "AlarmActions": [template.value_of(&oncall.arn())], "OKActions": [template.value_of(&oncall.arn())]}),
    );
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"ExtendedStatistic": "p99", "Period": 60, "ComparisonOperator": "GreaterThanThreshold",
               "Threshold": 0.5}),
    );

    let mut app = App::new();
    let stack = app.stack("Ops");
    let metric = Metric::new("AWS/SQS", "NumberOfMessagesSent").period(Duration::seconds(45));
    Alarm::builder(metric, 1.0)
        .datapoints_to_alarm(2)
        .build(stack, "Period");
    let metric =
        Metric::new("AWS/SQS", "NumberOfMessagesSent").statistic(Statistic::Percentile(100.0));
    Alarm::builder(metric, 1.0)
        .evaluation_periods(0)
        .build(stack, "Percentile");
    let metric = Metric::new("AWS/SQS", "NumberOfMessagesSent").period(Duration::hours(1));
    Alarm::builder(metric, 1.0)
        .evaluation_periods(25)
        .build(stack, "TooLong");
    let text = errors(&app);
    for expected in [
        "error: Ops/Period: metric.period = 45 seconds: 10 seconds, 30 seconds or a multiple of 60 seconds",
        "error: Ops/Period: datapoints_to_alarm = 2 data points: 1 to 1 data points",
        "error: Ops/Percentile: metric.statistic = percentile 100: a percentile above 0 and below 100",
        "error: Ops/Percentile: evaluation_periods = 0 periods: 1 to 4294967295 periods",
        "error: Ops/TooLong: evaluation_periods = 25 periods of 1 hour (25 hours): at most one day of periods in all",
    ] {
        assert_has(&text, expected);
    }
}

#[test]
fn an_alarm_may_notify_an_encrypted_topic() {
    let mut app = App::new();
    let stack = app.stack("Ops");
    let key = Key::builder().build(stack, "Key");
    let topic = Topic::builder().encryption_key(&key).build(stack, "OnCall");
    let queue = Queue::builder().build(stack, "Jobs");
    Alarm::builder(queue.metric_approximate_age_of_oldest_message(), 600.0)
        .alarm_action(&topic)
        .build(stack, "Stale");
    let template = Template::from_app(&app, "Ops");
    template.has_resource_properties(
        "AWS::KMS::Key",
        json!({"KeyPolicy": {"Statement": [{"Action": "kms:*"}, {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Effect": "Allow", "Resource": "*",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}}),
    );
}

#[test]
fn a_topic_policy_admits_the_accounts_alarms_that_publish_to_it() {
    let mut app = App::new();
    let stack = app.stack("Ops");
    let topic = Topic::builder().build(stack, "Alerts");
    let queue = Queue::builder().build(stack, "Jobs");
    // Something else gives the topic a policy, which replaces SNS's default one.
    topic.add_to_resource_policy(
        stack,
        PolicyStatement::allow()
            .action("sns:Publish")
            .principal(Principal::service("events.amazonaws.com"))
            .resource(topic.arn()),
    );
    for id in ["Backlog", "Age"] {
        Alarm::builder(queue.metric_approximate_number_of_messages_visible(), 100.0)
            .alarm_action(&topic)
            .ok_action(&topic)
            .build(stack, id);
    }
    let other = app.stack("Elsewhere");
    Alarm::builder(Metric::new("AWS/SQS", "NumberOfMessagesSent"), 1.0)
        .alarm_action(&topic)
        .build(other, "CrossStack");
    synthesize(&app).expect("valid: the other stack's alarm leaves the topic's policy alone");
    let template = Template::from_app(&app, "Ops");
    let policies = template.find_resources("AWS::SNS::TopicPolicy", Match::any_value());
    let policy = policies.values().next().expect("one policy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements");
    assert_eq!(
        statements.len(),
        2,
        "one statement for every alarm of the account: {statements:?}"
    );
    assert_eq!(
        statements[1],
        json!({
            "Action": "sns:Publish",
            "Condition": {
                "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"}},
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
            },
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Resource": template.value_of(&topic.arn()),
            "Sid": "CloudWatchAlarms",
        })
    );
}
