//! `Tags::of(scope)`: a tag on every taggable resource under a construct (which types take
//! tags, and how, from the L1 registry), deeper rules winning, removal, type filters, the
//! resource's own tag winning, and the rules' checks.

use construct_lib::assertions::Template;
use construct_lib::cfn::{ec2, iam, sns};
use construct_lib::ec2::Vpc;
use construct_lib::{App, Scope, Tags, synthesize};
use serde_json::json;

/// The `Tags` property of every resource of `template`, by logical id, and whether the
/// registry says the type takes tags.
fn tags_of(template: &Template) -> Vec<(String, String, Option<serde_json::Value>, bool)> {
    template.to_json()["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .map(|(id, resource)| {
            let type_name = resource["Type"].as_str().unwrap_or_default().to_owned();
            let taggable = construct_lib::cfn::registry::lookup(&type_name)
                .is_some_and(|info| info.tagging.is_some());
            (
                id.clone(),
                type_name,
                resource["Properties"].get("Tags").cloned(),
                taggable,
            )
        })
        .collect()
}

fn has_tag(tags: &Option<serde_json::Value>, key: &str, value: &str) -> bool {
    tags.as_ref()
        .and_then(|t| t.as_array())
        .is_some_and(|items| items.iter().any(|t| t["Key"] == key && t["Value"] == value))
}

#[test]
fn every_taggable_resource_under_the_scope_gets_the_tag_and_nothing_else_does() {
    let mut app = App::new();
    let stack = app.stack("Network");
    Vpc::builder().build(stack, "Vpc");
    stack.add("Alerts", sns::Topic::new());
    Tags::of(stack).add("Environment", "prod");
    let template = Template::from_app(&app, "Network");
    let resources = tags_of(&template);
    assert!(
        resources.iter().any(|(_, _, _, taggable)| !taggable),
        "some types take no tags"
    );
    for (id, type_name, tags, taggable) in resources {
        assert_eq!(
            has_tag(&tags, "Environment", "prod"),
            taggable,
            "{id} ({type_name}): {tags:?}"
        );
    }
}

#[test]
fn deeper_rules_win_removals_and_type_filters_apply_and_own_tags_win() {
    let mut app = App::new();
    let stack = app.stack("Web");
    stack.add_tag("Team", "platform");
    let mut web = stack.scope("Web");
    web.add("Topic", sns::Topic::new());
    web.add(
        "Role",
        iam::Role::new(json!({"Version": "2012-10-17", "Statement": []})),
    );
    web.add(
        "Own",
        sns::Topic::new().tags(vec![construct_lib::cfn::model::Tag::new("Tier", "gold")]),
    );
    Tags::of(&mut web).add("Tier", "web");
    Tags::of(&mut web)
        .remove("Team")
        .include_resource_types(["AWS::IAM::Role"]);
    stack.add("Other", sns::Topic::new());
    Tags::of(stack).add("Tier", "stack");
    Tags::of(stack)
        .add("Billing", "shared")
        .exclude_resource_types(["AWS::SNS::Topic"]);
    let template = Template::from_app(&app, "Web");
    let find = |prefix: &str| {
        tags_of(&template)
            .into_iter()
            .find(|(id, ..)| id.starts_with(prefix))
            .map(|(_, _, tags, _)| tags)
            .expect("resource")
    };
    let topic = find("WebTopic");
    assert!(
        has_tag(&topic, "Tier", "web") && has_tag(&topic, "Team", "platform"),
        "{topic:?}"
    );
    assert!(!has_tag(&topic, "Billing", "shared"), "{topic:?}");
    let role = find("WebRole");
    assert!(
        has_tag(&role, "Tier", "web") && has_tag(&role, "Billing", "shared"),
        "{role:?}"
    );
    assert!(
        !format!("{role:?}").contains("Team"),
        "removed under Web for roles: {role:?}"
    );
    let own = find("WebOwn");
    assert!(
        has_tag(&own, "Tier", "gold") && !has_tag(&own, "Tier", "web"),
        "{own:?}"
    );
    let other = find("Other");
    assert!(has_tag(&other, "Tier", "stack"), "{other:?}");
}

#[test]
fn tag_rules_are_checked() {
    let mut app = App::new();
    let stack = app.stack("Web");
    stack.add("Vpc", ec2::VPC::new().cidr_block("10.0.0.0/16"));
    let mut web = stack.scope("Web");
    Tags::of(&mut web).add("aws:owner", "x");
    Tags::of(&mut web).add("Long", "v".repeat(257));
    Tags::of(&mut web)
        .add("Env", "dev")
        .include_resource_types(["AWS::EC2::Nope"])
        .exclude_resource_types(["AWS::EC2::SubnetRouteTableAssociation"]);
    let text = synthesize(&app).expect_err("invalid").to_string();
    for expected in [
        "error: Web/Web: tag key = \"aws:owner\": 1 to 128 characters, not starting with `aws:`",
        "error: Web/Web: tag `Long` value = 257 characters: at most 256 characters",
        "error: Web/Web: include_resource_types = \"AWS::EC2::Nope\": a CloudFormation resource type, such as AWS::EC2::Instance",
        "error: Web/Web: exclude_resource_types = \"AWS::EC2::SubnetRouteTableAssociation\": a resource type that takes tags (this one has no tag property)",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
}

#[test]
fn a_launch_template_is_tagged_through_its_tag_specifications() {
    use construct_lib::ec2::{LaunchTemplate, MachineImage};
    let mut app = App::new();
    let stack = app.stack("Fleet");
    let vpc = Vpc::builder().max_azs(1).build(stack, "Vpc");
    LaunchTemplate::builder(&vpc, "m7i.large", MachineImage::id("ami-0123456789abcdef0"))
        .build(stack, "Plain");
    let mut own = ec2::LaunchTemplate::new(
        ec2::launch_template::LaunchTemplateData::new()
            .instance_type("t3.micro")
            .tag_specifications(vec![
                ec2::launch_template::TagSpecification::new()
                    .resource_type("instance")
                    .tags(vec![construct_lib::cfn::model::Tag::new(
                        "Environment",
                        "own",
                    )]),
            ]),
    );
    own = own.launch_template_name("own");
    stack.add("Own", own);
    Tags::of(stack).add("Environment", "prod");
    Tags::of(stack)
        .add("Team", "web")
        .exclude_resource_types(["AWS::EC2::LaunchTemplate"]);
    let template = Template::from_app(&app, "Fleet");
    let prod = json!([{"Key": "Environment", "Value": "prod"}]);
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        json!({
            "TagSpecifications": [{"ResourceType": "launch-template", "Tags": prod.clone()}],
            "LaunchTemplateData": {"TagSpecifications": [
                {"ResourceType": "instance", "Tags": prod.clone()},
                {"ResourceType": "volume", "Tags": prod.clone()},
            ]},
        }),
    );
    // The template's own tag wins; the missing volume entry is added.
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        json!({
            "LaunchTemplateName": "own",
            "LaunchTemplateData": {"TagSpecifications": [
                {"ResourceType": "instance", "Tags": [{"Key": "Environment", "Value": "own"}]},
                {"ResourceType": "volume", "Tags": prod},
            ]},
        }),
    );
}
