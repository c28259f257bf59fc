//! The assertions users write in their tests: each passes on a matching template and fails
//! with a message that shows what differs.

use construct_lib::assertions::{Match, Template};
use construct_lib::cfn::{sns, sqs};
use construct_lib::{App, Output, Scope};
use serde_json::json;

fn app() -> App {
    let mut app = App::new();
    let stack = app.stack("Alerts");
    let topic = stack.add("Topic", sns::Topic::new().display_name("alerts"));
    let queue = stack.add("Queue", sqs::Queue::new().visibility_timeout(60));
    stack.add(
        "Subscription",
        sns::Subscription::new(sns::subscription::SubscriptionRequired {
            protocol: "sqs".into(),
            topic_arn: topic.ref_value(),
        })
        .endpoint(queue.attr_arn()),
    );
    stack.output(
        "TopicArn",
        Output::new(topic.ref_value()).export_name("alerts-topic"),
    );
    app
}

fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let error = std::panic::catch_unwind(f).expect_err("the assertion fails");
    error
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| error.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn matching_templates_pass() {
    let app = app();
    let template = Template::from_app(&app, "Alerts");
    template.resource_count_is("AWS::SNS::Topic", 1);
    template.resource_count_is("AWS::S3::Bucket", 0);
    template.has_resource_properties("AWS::SNS::Topic", json!({"DisplayName": "alerts"}));
    template.has_resource_properties(
        "AWS::SQS::Queue",
        Match::object_like([
            ("VisibilityTimeout", Match::exact(60)),
            ("FifoQueue", Match::absent()),
        ]),
    );
    template.has_resource("AWS::SNS::Topic", json!({"Type": "AWS::SNS::Topic"}));
    template.has_output("TopicArn", json!({"Export": {"Name": "alerts-topic"}}));
    template.has_output("*", json!({"Value": {"Ref": "Topic"}}));
    assert_eq!(
        template.find_resources("AWS::SQS::Queue", json!({})).len(),
        1
    );
    assert_eq!(
        template.to_json()["Resources"].as_object().map(|r| r.len()),
        Some(3)
    );
}

#[test]
fn references_between_constructs_without_spelling_logical_ids() {
    let mut app = App::new();
    let stack = app.stack("Alerts");
    let topic = stack.add("Topic", sns::Topic::new());
    let queue = stack.add("Queue", sqs::Queue::new());
    stack.add(
        "Subscription",
        sns::Subscription::new(sns::subscription::SubscriptionRequired {
            protocol: "sqs".into(),
            topic_arn: topic.ref_value(),
        })
        .endpoint(queue.attr_arn()),
    );
    let template = Template::from_app(&app, "Alerts");
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({
            "TopicArn": template.ref_to(&topic),
            "Endpoint": template.get_att(&queue, "Arn"),
        }),
    );
    assert_eq!(
        template.value_of(&queue.attr_arn()),
        template.get_att(&queue, "Arn")
    );
    assert_eq!(template.logical_id(&topic), "Topic");
    assert_eq!(template.logical_id_like("Q*"), "Queue");
}

#[test]
fn failures_show_what_differs() {
    let message = panic_message(|| {
        Template::from_app(&app(), "Alerts")
            .has_resource_properties("AWS::SNS::Topic", json!({"DisplayName": "other"}));
    });
    assert_eq!(
        message,
        "stack Alerts: no AWS::SNS::Topic properties match; the candidates differ:\n  Topic: /DisplayName: expected \"other\", found \"alerts\""
    );
    let message = panic_message(|| {
        Template::from_app(&app(), "Alerts").has_resource_properties("AWS::S3::Bucket", json!({}));
    });
    assert_eq!(
        message,
        "stack Alerts: no AWS::S3::Bucket properties match; the stack has no AWS::S3::Bucket"
    );
    let message = panic_message(|| {
        Template::from_app(&app(), "Alerts").resource_count_is("AWS::SNS::Topic", 2);
    });
    assert_eq!(
        message,
        "stack Alerts: expected 2 AWS::SNS::Topic, found 1: [\"Topic\"]"
    );
    let message = panic_message(|| {
        Template::from_app(&app(), "Alerts").has_output("Missing", json!({}));
    });
    assert_eq!(
        message,
        "stack Alerts: no output Missing matches; there is no such output"
    );
    let message = panic_message(|| {
        Template::from_app(&app(), "Nope");
    });
    assert_eq!(message, "no stack \"Nope\"; the app has: Alerts");
    let message = panic_message(|| {
        Template::from_app(&app(), "Alerts").logical_id_like("*");
    });
    assert!(
        message.starts_with("stack Alerts: expected one logical ID like \"*\", found ["),
        "{message}"
    );
}

#[test]
fn an_invalid_app_fails_with_every_problem() {
    let message = panic_message(|| {
        let mut app = App::new();
        app.stack("bad_name");
        Template::from_app(&app, "bad_name");
    });
    assert!(
        message.contains("error: bad_name: stack name = \"bad_name\""),
        "{message}"
    );
}
