//! Spot checks of the generated L1 types across services: required properties, enums,
//! GetAtt accessors, nested types and registry data.

use construct_lib::cfn::model::{Enumerated, Replacement, Resource, TagVariant, ToExpr, Value};
use construct_lib::cfn::{ecs, elasticloadbalancingv2 as elbv2, iam, logs, registry, s3};
use construct_lib::{App, Scope, synthesize};
use serde_json::json;

#[test]
fn required_properties_are_constructor_arguments_named_when_there_are_several() {
    // One required property: the argument of `new`.
    let role = iam::Role::new(Value::from(
        json!({"Version": "2012-10-17", "Statement": []}),
    ));
    let rendered = format!("{:?}", role.to_expr());
    assert!(rendered.contains("AssumeRolePolicyDocument"), "{rendered}");
    // Several: each by name, checked by the compiler (a missing one does not compile).
    let limit = ecs::task_definition::Ulimit::new(ecs::task_definition::UlimitRequired {
        hard_limit: 4096.into(),
        name: "nofile".into(),
        soft_limit: 1024.into(),
    });
    assert_eq!(
        limit.to_expr(),
        construct_lib::cfn::model::Expr::from(
            json!({"HardLimit": 4096, "Name": "nofile", "SoftLimit": 1024})
        )
    );
    let group = logs::LogGroup::new().retention_in_days(30);
    assert!(format!("{:?}", group.to_expr()).contains("RetentionInDays"));
}

#[test]
fn optional_properties_can_be_set_or_cleared_and_lists_come_from_iterables() {
    let days: Option<Value<i64>> = None;
    let group = logs::LogGroup::new()
        .retention_in_days(30)
        .set_retention_in_days(days);
    assert!(group.retention_in_days.is_none());
    let subnets = ["a", "b"].into_iter().map(|zone| format!("subnet-{zone}"));
    let lb = elbv2::LoadBalancer::new().subnets(subnets);
    let rendered = format!("{:?}", lb.to_expr());
    assert!(
        rendered.contains("subnet-a") && rendered.contains("subnet-b"),
        "{rendered}"
    );
    let tags = [construct_lib::cfn::model::Tag::new("team", "web")];
    let bucket = s3::Bucket::new().tags(tags.iter().cloned());
    assert_eq!(bucket.tags.map(|t| t.len()), Some(1));
}

#[test]
fn enumerated_values_are_enums_converted_from_their_strings() {
    use ecs::service::LaunchType;
    assert_eq!(LaunchType::Fargate.as_str(), "FARGATE");
    // A known string is always its own variant, never the escape.
    assert_eq!(LaunchType::from("FARGATE"), LaunchType::Fargate);
    let newer = LaunchType::from("NEW_TYPE");
    assert!(matches!(newer, LaunchType::Unknown(_)), "{newer:?}");
    assert_eq!(newer.as_str(), "NEW_TYPE");
    let from_text: Value<LaunchType> = LaunchType::from("EC2").into();
    assert_eq!(from_text, Value::from(LaunchType::Ec2));
    let mut app = App::new();
    let stack = app.stack("Enums");
    let param = stack.parameter("LaunchType", construct_lib::Parameter::string());
    stack.add(
        "A",
        ecs::Service::new().launch_type(ecs::service::LaunchType::Fargate),
    );
    stack.add("B", ecs::Service::new().launch_type(param.value()));
    let t = synthesize(&app).expect("valid").stacks[0].template.clone();
    assert_eq!(t["Resources"]["A"]["Properties"]["LaunchType"], "FARGATE");
    assert_eq!(
        t["Resources"]["B"]["Properties"]["LaunchType"],
        json!({"Ref": "LaunchType"})
    );
}

#[test]
fn get_att_accessors_are_typed() {
    let mut app = App::new();
    let stack = app.stack("Attrs");
    let lb = stack.add("Lb", elbv2::LoadBalancer::new());
    let bucket = stack.add("Bucket", s3::Bucket::new());
    stack.output("Dns", lb.attr_dns_name());
    stack.output("Arn", bucket.attr_arn());
    let t = synthesize(&app).expect("valid").stacks[0].template.clone();
    assert_eq!(
        t["Outputs"]["Dns"]["Value"],
        json!({"Fn::GetAtt": ["Lb", "DNSName"]})
    );
    assert_eq!(
        t["Outputs"]["Arn"]["Value"],
        json!({"Fn::GetAtt": ["Bucket", "Arn"]})
    );
}

#[test]
fn nested_property_types_render() {
    let container = ecs::task_definition::ContainerDefinition::new(
        ecs::task_definition::ContainerDefinitionRequired {
            image: "nginx:1.27".into(),
            name: "app".into(),
        },
    )
    .port_mappings(vec![
        ecs::task_definition::PortMapping::new()
            .container_port(80)
            .name("http"),
    ])
    .essential(true);
    let task = ecs::TaskDefinition::new()
        .container_definitions(vec![container])
        .cpu("512")
        .memory("1024");
    let mut app = App::new();
    app.stack("Task").add("Task", task);
    let t = synthesize(&app).expect("valid").stacks[0].template.clone();
    assert_eq!(
        t["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0],
        json!({"Essential": true, "Image": "nginx:1.27", "Name": "app", "PortMappings": [{"ContainerPort": 80, "Name": "http"}]})
    );
}

#[test]
fn registry_data_knows_replacement_write_only_and_tagging() {
    let info = ecs::Service::type_info();
    assert_eq!(info.type_name, "AWS::ECS::Service");
    assert_eq!(
        info.property("LaunchType").map(|p| p.replacement),
        Some(Replacement::Always)
    );
    assert_eq!(
        info.property("DesiredCount").map(|p| p.replacement),
        Some(Replacement::Never)
    );
    assert_eq!(
        info.property("ServiceConnectConfiguration")
            .map(|p| p.write_only),
        Some(true)
    );
    assert!(info.has_attribute("Name"));
    assert_eq!(info.tagging.map(|t| t.variant), Some(TagVariant::Standard));
    let any =
        registry::lookup("AWS::Bedrock::Agent").expect("every type has data, features or not");
    assert!(any.has_attribute("AgentArn"));
    assert_eq!(registry::RESOURCE_TYPES.len(), 1828);
    assert!(
        registry::RESOURCE_TYPES
            .windows(2)
            .all(|w| w[0].type_name < w[1].type_name)
    );
}
