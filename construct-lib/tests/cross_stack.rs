//! A value of one stack used in another becomes an export and an import.

use construct_lib::cfn::{ec2, sns};
use construct_lib::{App, Environment, Scope, synthesize};
use serde_json::json;

#[test]
fn reference_becomes_export_import_and_dependency() {
    let mut app = App::new();
    let vpc = app
        .stack("Network")
        .add("Vpc", ec2::VPC::new().cidr_block("10.0.0.0/16"));
    let services = app.stack("Services");
    services.add(
        "Group",
        ec2::SecurityGroup::new("web").vpc_id(vpc.ref_value()),
    );
    services.output("Cidr", vpc.attr_cidr_block());
    let assembly = synthesize(&app).expect("valid");
    let network = &assembly.stack("Network").expect("network").template;
    assert_eq!(
        network["Outputs"]["ExportVpcRef"],
        json!({"Export": {"Name": "Network:Vpc:Ref"}, "Value": {"Ref": "Vpc"}})
    );
    assert_eq!(
        network["Outputs"]["ExportVpcCidrBlock"],
        json!({"Export": {"Name": "Network:Vpc:CidrBlock"}, "Value": {"Fn::GetAtt": ["Vpc", "CidrBlock"]}})
    );
    let services = assembly.stack("Services").expect("services");
    assert_eq!(
        services.template["Resources"]["Group"]["Properties"]["VpcId"],
        json!({"Fn::ImportValue": "Network:Vpc:Ref"})
    );
    assert_eq!(services.dependencies, ["Network"]);
    assert_eq!(
        assembly.manifest()["artifacts"]["Services"]["dependencies"],
        json!(["Network"])
    );
}

#[test]
fn a_cycle_between_stacks_names_both_paths() {
    let mut app = App::new();
    let topic_a = app.stack("A").add("TopicA", sns::Topic::new());
    let topic_b = app.stack("B").add(
        "TopicB",
        sns::Topic::new().display_name(topic_a.attr_topic_name()),
    );
    app.stack_mut("A").expect("A").add(
        "Copy",
        sns::Topic::new().display_name(topic_b.attr_topic_name()),
    );
    let errors = synthesize(&app).expect_err("cycle");
    let text = errors.to_string();
    assert!(text.contains("cross-stack references = a cycle"), "{text}");
    assert!(text.contains("`A/Copy` uses `B/TopicB`"), "{text}");
    assert!(text.contains("`B/TopicB` uses `A/TopicA`"), "{text}");
}

#[test]
fn references_across_regions_are_refused() {
    let mut app = App::new();
    let topic = app
        .stack_in("East", Environment::new("123456789012", "us-east-1"))
        .add("Topic", sns::Topic::new());
    app.stack_in("West", Environment::new("123456789012", "eu-west-1"))
        .output("Arn", topic.ref_value());
    let text = synthesize(&app).expect_err("regions").to_string();
    assert!(text.contains("West/Arn: cross-stack reference = `East/Topic` of stack `East` (aws://123456789012/us-east-1)"), "{text}");
    assert!(text.contains("same account and region"), "{text}");
}

#[test]
fn export_value_keeps_an_export_without_consumer() {
    let mut app = App::new();
    let stack = app.stack("Producer");
    let topic = stack.add("Topic", sns::Topic::new());
    stack.export_value(topic.ref_value());
    let assembly = synthesize(&app).expect("valid");
    assert_eq!(
        assembly.stacks[0].template["Outputs"]["ExportTopicRef"]["Export"]["Name"],
        "Producer:Topic:Ref"
    );
}

#[test]
fn conditions_and_mappings_do_not_cross_stacks() {
    use construct_lib::{Condition, Mapping, Parameter};
    let mut app = App::new();
    let a = app.stack("A");
    let p = a.parameter("Env", Parameter::string());
    let cond = a.condition("IsProd", Condition::equals(p.value(), "prod"));
    let map = a.mapping("M", Mapping::new().entry("x", "y", "z"));
    let b = app.stack("B");
    b.output("Out", construct_lib::cfn::model::fns::if_(cond, "a", "b"));
    b.output("Out2", map.find_in_map::<String>("x", "y"));
    let text = synthesize(&app).expect_err("foreign").to_string();
    assert!(
        text.contains("B/Out: condition = a condition of stack `A`"),
        "{text}"
    );
    assert!(
        text.contains("B/Out2: mapping = a mapping of stack `A`"),
        "{text}"
    );
}

#[test]
fn references_and_dependencies_on_stacks_of_another_app_are_refused() {
    let mut other = App::new();
    let other_stack = other.stack("Elsewhere");
    let other_id = other_stack.id();
    let topic = other_stack.add("Topic", sns::Topic::new());
    let mut app = App::new();
    let stack = app.stack("Here");
    stack.output("Arn", topic.ref_value());
    stack.add_dependency(other_id);
    let text = synthesize(&app).expect_err("foreign app").to_string();
    assert!(
        text.contains("Here/Arn: reference = a value of a stack outside this app: add the stack to the same App to reference its values"),
        "{text}"
    );
    assert!(
        text.contains(
            "Here: dependency = a stack outside this app: depend on stacks of the same App"
        ),
        "{text}"
    );
}
