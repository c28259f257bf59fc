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
    stack.add(
        "Email",
        sns::Subscription::new("email", topic.ref_value()).endpoint(email.value()),
    );
    stack.add(
        "ToQueue",
        sns::Subscription::new("sqs", topic.ref_value()).endpoint(queue.attr_arn()),
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
