//! EventBridge rules with topic and queue targets (each admitting this rule only), Route 53
//! records from a configured zone, metrics of the load balancer, target group and service,
//! and every rule of these.

use construct_lib::assertions::{Match, Template};
use construct_lib::cloudwatch::Alarm;
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{Cluster, ContainerDefinition, ContainerImage, FargateSize};
use construct_lib::elbv2::HttpCodeTarget;
use construct_lib::events::{EventPattern, Rule, Schedule, Target};
use construct_lib::kms::Key;
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::route53::HostedZone;
use construct_lib::sns::Topic;
use construct_lib::sqs::{Queue, QueueEncryption};
use construct_lib::{App, Duration, synthesize};
use serde_json::json;

fn errors(app: &App) -> String {
    synthesize(app).expect_err("invalid app").to_string()
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

#[test]
fn rules_deliver_to_topics_and_queues_that_admit_only_them() {
    let rules = four_rules();
    assert_rules_and_their_targets(&rules);
    assert_targets_admit_only_their_rules(&rules);
}

/// A nightly rule to a KMS-encrypted queue and a topic, a disabled pattern rule to a FIFO
/// queue, and two rate rules; with their template.
struct FourRules {
    template: Template,
    topic: Topic,
    queue: Queue,
    fifo: Queue,
    nightly: Rule,
    stopped: Rule,
}

fn four_rules() -> FourRules {
    let mut app = App::new();
    let stack = app.stack("Events");
    let key = Key::builder().build(stack, "Key");
    let topic = Topic::builder().build(stack, "Alerts");
    let queue = Queue::builder()
        .encryption(QueueEncryption::Kms(key.clone()))
        .build(stack, "Jobs");
    let fifo = Queue::builder().fifo(true).build(stack, "Ordered");
    let nightly = Rule::builder()
        .schedule(Schedule::daily_at(3, 0))
        .description("nightly")
        .target(Target::sqs(&queue))
        .target(Target::sns(&topic))
        .build(stack, "Nightly");
    let stopped = Rule::builder()
        .event_pattern(
            EventPattern::new()
                .source(["aws.ecs"])
                .detail_type(["ECS Task State Change"])
                .detail(json!({"lastStatus": ["STOPPED"]})),
        )
        .enabled(false)
        .target(Target::sqs_fifo(&fifo, "tasks"))
        .build(stack, "Stopped");
    Rule::builder()
        .schedule(Schedule::rate(Duration::hours(1)))
        .build(stack, "Hourly");
    Rule::builder()
        .schedule(Schedule::rate(Duration::minutes(1)))
        .build(stack, "Minutely");
    FourRules {
        template: Template::from_app(&app, "Events"),
        topic,
        queue,
        fifo,
        nightly,
        stopped,
    }
}

fn assert_rules_and_their_targets(rules: &FourRules) {
    let FourRules {
        template,
        topic,
        queue,
        ..
    } = rules;
    template.has_resource_properties(
        "AWS::Events::Rule",
        json!({"ScheduleExpression": "cron(0 3 * * ? *)", "State": "ENABLED", "Description": "nightly",
               "Targets": [{"Arn": template.value_of(&queue.arn()), "Id": "Target0"},
                           {"Arn": template.value_of(&topic.arn()), "Id": "Target1"}]}),
    );
    template.has_resource_properties(
        "AWS::Events::Rule",
        json!({"State": "DISABLED", "EventPattern": {"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
               "detail": {"lastStatus": ["STOPPED"]}},
               "Targets": [{"SqsParameters": {"MessageGroupId": "tasks"}}]}),
    );
    template.has_resource_properties(
        "AWS::Events::Rule",
        json!({"ScheduleExpression": "rate(1 hour)"}),
    );
    template.has_resource_properties(
        "AWS::Events::Rule",
        json!({"ScheduleExpression": "rate(1 minute)"}),
    );
}

/// Each queue and topic admits EventBridge for its own rule only; the key lets it encrypt.
fn assert_targets_admit_only_their_rules(rules: &FourRules) {
    let FourRules {
        template,
        topic,
        queue,
        fifo,
        nightly,
        stopped,
    } = rules;
    let admits = |action: &str, resource: serde_json::Value, rule: &Rule| {
        json!({"Effect": "Allow", "Action": action, "Principal": {"Service": "events.amazonaws.com"},
               "Resource": resource, "Condition": {"ArnEquals": {"aws:SourceArn": template.value_of(&rule.arn())}}})
    };
    template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        json!({"PolicyDocument": {"Statement": [admits("sqs:SendMessage", template.value_of(&queue.arn()), nightly)]}}),
    );
    template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        json!({"PolicyDocument": {"Statement": [admits("sqs:SendMessage", template.value_of(&fifo.arn()), stopped)]}}),
    );
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        json!({"Topics": [template.value_of(&topic.arn())],
               "PolicyDocument": {"Statement": [admits("sns:Publish", template.value_of(&topic.arn()), nightly)]}}),
    );
    template.has_resource_properties(
        "AWS::KMS::Key",
        Match::object_like([(
            "KeyPolicy",
            Match::object_like([(
                "Statement",
                Match::array_with([Match::from(json!({"Principal": {"Service": "events.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Effect": "Allow", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}))]),
            )]),
        )]),
    );
}

#[test]
fn rule_mistakes_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Events");
    let queue = Queue::builder().build(stack, "Jobs");
    let fifo = Queue::builder().fifo(true).build(stack, "Ordered");
    Rule::builder().build(stack, "Nothing");
    Rule::builder()
        .schedule(Schedule::rate(Duration::seconds(90)))
        .event_pattern(EventPattern::new().source(["aws.ecs"]))
        .build(stack, "Both");
    Rule::builder()
        .schedule(Schedule::cron("0 3 * * *"))
        .build(stack, "FiveFields");
    Rule::builder()
        .schedule(Schedule::cron("0 3 * * MON *"))
        .build(stack, "NoQuestionMark");
    Rule::builder()
        .event_pattern(EventPattern::new())
        .build(stack, "Empty");
    Rule::builder()
        .schedule(Schedule::daily_at(25, 0))
        .build(stack, "LateHour");
    Rule::builder()
        .event_pattern(
            EventPattern::new()
                .source(Vec::<String>::new())
                .detail(json!(["x"])),
        )
        .build(stack, "EmptySource");
    Rule::builder()
        .event_pattern(
            EventPattern::new()
                .source(["aws.ecs"])
                .detail_values("clusterArn", Vec::<String>::new()),
        )
        .build(stack, "NoCluster");
    let mut many = Rule::builder().schedule(Schedule::daily_at(1, 0));
    for _ in 0..6 {
        many = many.target(Target::sqs(&queue));
    }
    many.build(stack, "Many");
    Rule::builder()
        .schedule(Schedule::daily_at(2, 0))
        .target(Target::sqs(&fifo))
        .target(Target::sqs_fifo(&queue, "g"))
        .build(stack, "Fifo");
    let text = errors(&app);
    for expected in [
        "error: Events/Nothing: schedule = none: a schedule or an event pattern",
        "error: Events/Both: schedule = 90 seconds: a rate of whole minutes, at least 1 minute",
        "error: Events/Both: event_pattern = a pattern beside a schedule: a schedule or an event pattern, not both",
        "error: Events/FiveFields: schedule = \"0 3 * * *\": six cron fields",
        "error: Events/NoQuestionMark: schedule = \"0 3 * * MON *\": six cron fields",
        "error: Events/Empty: event_pattern = an empty pattern: at least one field",
        "error: Events/LateHour: schedule = \"0 25 * * ? *\": minutes 0 to 59 and hours 0 to 23 (UTC)",
        "error: Events/EmptySource: event_pattern.source = []: a non-empty list of values",
        "error: Events/EmptySource: event_pattern.detail = [\"x\"]: a non-empty list of values (detail: a JSON object)",
        "error: Events/NoCluster: event_pattern.detail.clusterArn = no values: at least one value to match",
        "error: Events/Many: target = 6 targets: at most 5 targets",
        "error: Events/Fifo: target[0] = an SQS queue: Target::sqs_fifo with a message group id, for a FIFO queue",
        "error: Events/Fifo: target[1] = an SQS queue: Target::sqs, without a message group id, for a standard queue",
    ] {
        assert_has(&text, expected);
    }
}

#[test]
fn records_alias_the_load_balancer_and_metrics_feed_alarms() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let (cluster, web) = web_service(stack);
    let zone = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com.");
    zone.add_alias_a(stack, "ApiRecord", "api", web.load_balancer());
    zone.add_alias_a(stack, "ApexRecord", "example.com", web.load_balancer());
    zone.add_cname(
        stack,
        "Docs",
        "docs.example.com",
        "docs.example.net",
        Some(Duration::hours(1)),
    );
    Alarm::builder(
        web.target_group()
            .metric_http_code_target(HttpCodeTarget::Http5xx, web.load_balancer()),
        10.0,
    )
    .build(stack, "Errors");
    Alarm::builder(web.load_balancer().metric_target_response_time(), 1.0).build(stack, "Slow");
    Alarm::builder(web.service().metric_cpu_utilization(), 80.0).build(stack, "Cpu");
    let template = Template::from_app(&app, "Web");
    assert_records_alias_the_load_balancer(&template, &web);
    assert_alarms_watch_the_metrics(&template, &cluster, &web);
}

/// A cluster and a load-balanced Fargate service in `stack`.
fn web_service(stack: &mut construct_lib::Stack) -> (Cluster, LoadBalancedFargateService) {
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let web = LoadBalancedFargateService::builder(&cluster)
        .size(FargateSize::Cpu256Mem512)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .build(stack, "Web");
    (cluster, web)
}

fn assert_records_alias_the_load_balancer(template: &Template, web: &LoadBalancedFargateService) {
    let lb = web.load_balancer();
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        json!({"Name": "api.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ",
               "AliasTarget": {"DNSName": template.value_of(&lb.dns_name()),
                               "HostedZoneId": template.value_of(&lb.canonical_hosted_zone_id()),
                               "EvaluateTargetHealth": true}}),
    );
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        json!({"Name": "example.com.", "Type": "A"}),
    );
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        json!({"Name": "docs.example.com.", "Type": "CNAME", "TTL": "3600", "ResourceRecords": ["docs.example.net"]}),
    );
}

fn assert_alarms_watch_the_metrics(
    template: &Template,
    cluster: &Cluster,
    web: &LoadBalancedFargateService,
) {
    let lb = web.load_balancer();
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Statistic": "Sum",
               "Dimensions": [{"Name": "LoadBalancer", "Value": template.value_of(&lb.full_name())},
                              {"Name": "TargetGroup", "Value": template.value_of(&web.target_group().full_name())}]}),
    );
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"MetricName": "TargetResponseTime", "Statistic": "Average"}),
    );
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
               "Dimensions": [{"Name": "ClusterName", "Value": template.value_of(&cluster.name())},
                              {"Name": "ServiceName", "Value": template.value_of(&web.service().name())}]}),
    );
}

#[test]
fn record_mistakes_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let (_, web) = web_service(stack);
    let zone = HostedZone::from_attributes("not-a-zone", "example.com");
    zone.add_alias_a(stack, "Bad", "api..x", web.load_balancer());
    let good = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com");
    good.add_cname(
        stack,
        "Apex",
        "",
        "docs.example.net",
        Some(Duration::days(3)),
    );
    let text = errors(&app);
    for expected in [
        "error: Web/Bad: hosted_zone_id = \"not-a-zone\": a hosted zone id: Z and up to 31 uppercase letters and digits",
        "error: Web/Bad: record_name = \"api..x\": a DNS name in example.com",
        "error: Web/Apex: record_name = \"\" (the zone apex): a name below the apex",
        "error: Web/Apex: ttl = 3 days: 0 seconds to 2 days",
    ] {
        assert_has(&text, expected);
    }
}
