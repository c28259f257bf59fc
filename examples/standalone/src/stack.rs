//! An alerts stack: an SNS topic with an email subscription parameter and a queue.

use construct_lib::cfn::model::fns;
use construct_lib::cfn::{sns, sqs};
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
        sqs::Queue::new().message_retention_period(1_209_600),
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
    stack.add("ToQueue", subscription("sqs").endpoint(queue.attr_arn()));
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
