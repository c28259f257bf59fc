//! An alerts stack: an SNS topic with an email subscription parameter and a queue.

use construct_lib::cfn::model::fns;
use construct_lib::cfn::{sns, sqs};
use construct_lib::iam::{PolicyDocument, PolicyStatement, Principal};
use construct_lib::{App, Output, Parameter, Scope};

/// Builds the example app.
pub fn app() -> App {
    let mut app = App::new();
    let stack = app.stack("Alerts");
    stack.set_description("Standalone example: alerts topic and queue");
    stack.add_tag("Project", "standalone-example");
    let email = stack.parameter(
        "AlertEmail",
        Parameter::string()
            .default("ops@example.com")
            .description("Who gets alerts"),
    );
    let queue = stack.add(
        "Queue",
        sqs::Queue::new()
            .message_retention_period(1_209_600)
            // SQS-managed encryption at rest (on by default for new queues; written so).
            .sqs_managed_sse_enabled(true),
    );
    let topic = stack.add("Topic", sns::Topic::new().display_name("Alerts"));
    // Two required properties: named, so that they cannot be swapped.
    let subscription = |protocol: &str| {
        sns::Subscription::new(sns::subscription::SubscriptionRequired {
            protocol: protocol.into(),
            topic_arn: topic.ref_value(),
        })
    };
    stack.add("Email", subscription("email").endpoint(email.value()));
    let to_queue = stack.add("ToQueue", subscription("sqs").endpoint(queue.attr_arn()));
    // SNS delivers to the queue only if the queue's policy lets this topic send to it.
    let delivery = PolicyDocument::new().statement(
        PolicyStatement::allow()
            .actions(["sqs:SendMessage"])
            .principal(Principal::service("sns.amazonaws.com"))
            .resource(queue.attr_arn())
            .condition("ArnEquals", "aws:SourceArn", topic.ref_value()),
    );
    let delivery_policy = stack.add(
        "QueuePolicy",
        sqs::QueuePolicy::new(sqs::queue_policy::QueuePolicyRequired {
            policy_document: delivery.to_value(),
            queues: vec![queue.ref_value()].into(),
        }),
    );
    // SNS does not retry a delivery the queue's policy refused: subscribe once it is there.
    stack
        .resource_options(&to_queue)
        .depends_on(delivery_policy);
    // The rule pack's findings this stack accepts; the reasons reach checkov through the
    // template (`cargo run` prints the findings).
    stack.suppress_under(
        "Topic",
        "SNS1",
        "alert messages name an alarm and its state, nothing worth a customer key",
    );
    stack.suppress_under(
        "Queue",
        "SQS1",
        "SQS encrypts the queue with its own keys (SSE-SQS, set above); SNS cannot \
         deliver to a queue under AWS's aws/sqs key",
    );
    stack.output(
        "TopicArn",
        Output::new(topic.ref_value()).description("Publish alerts here"),
    );
    stack.output(
        "QueueUrl",
        Output::new(queue.attr_queue_url()).description("Read alerts here"),
    );
    stack.output("Region", fns::region());
    app
}
