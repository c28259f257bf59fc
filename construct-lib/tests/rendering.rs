//! Values, intrinsic functions and template sections render as CloudFormation expects.

use construct_lib::cfn::model::{Value, fns};
use construct_lib::cfn::{ec2, s3, sns};
use construct_lib::{
    App, AwsParameterType, Condition, CreationPolicy, Mapping, Output, Parameter, RemovalPolicy,
    Rule, RuleExpr, Scope, UpdatePolicy, synthesize,
};
use serde_json::{Value as Json, json};

fn template_of(app: &App, stack: &str) -> Json {
    let assembly = synthesize(app).expect("valid app");
    assembly.stack(stack).expect("stack").template.clone()
}

/// A stack with an output per intrinsic function, a condition and a mapping.
fn intrinsics_app() -> App {
    let mut app = App::new();
    let stack = app.stack("Fns");
    let vpc = stack.add("Vpc", ec2::VPC::new().cidr_block("10.0.0.0/16"));
    let env = stack.parameter("Env", Parameter::string().default("dev"));
    let is_prod = stack.condition("IsProd", Condition::equals(env.value(), "prod"));
    let sizes = stack.mapping(
        "Sizes",
        Mapping::new()
            .entry("dev", "Count", 1)
            .entry("prod", "Count", 3),
    );
    let zones = fns::get_azs("");
    stack.output("Ref", vpc.ref_value());
    stack.output("GetAtt", vpc.attr_cidr_block());
    stack.output("Sub", fns::sub("arn:${AWS::Partition}:s3:::x"));
    stack.output(
        "SubVars",
        fns::sub_with("${Cidr}-x", [("Cidr", vpc.attr_cidr_block())]),
    );
    stack.output(
        "Join",
        fns::join(",", vec![Value::from("a"), fns::region()]),
    );
    stack.output("Select", fns::select(1, zones.clone()));
    stack.output("Split", fns::select(0, fns::split(",", "a,b")));
    stack.output("If", fns::if_(is_prod, "big", "small"));
    stack.output("Find", sizes.find_in_map::<String>(env.value(), "Count"));
    stack.output("B64", fns::base64("echo hi"));
    stack.output(
        "Cidr",
        fns::select(0, fns::cidr(vpc.attr_cidr_block(), 4, 8)),
    );
    stack.output("Import", fns::import_value::<String>("Other:Export"));
    stack.output(
        "Pseudo",
        fns::join(
            "/",
            vec![
                fns::account_id(),
                fns::stack_name(),
                fns::url_suffix(),
                fns::partition(),
                fns::stack_id(),
            ],
        ),
    );
    app
}

#[test]
fn intrinsic_functions_render_in_long_form() {
    let app = intrinsics_app();
    let t = template_of(&app, "Fns");
    let o = &t["Outputs"];
    assert_eq!(o["Ref"]["Value"], json!({"Ref": "Vpc"}));
    assert_eq!(
        o["GetAtt"]["Value"],
        json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]})
    );
    assert_eq!(
        o["Sub"]["Value"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::x"})
    );
    assert_eq!(
        o["SubVars"]["Value"],
        json!({"Fn::Sub": ["${Cidr}-x", {"Cidr": {"Fn::GetAtt": ["Vpc", "CidrBlock"]}}]})
    );
    assert_eq!(
        o["Join"]["Value"],
        json!({"Fn::Join": [",", ["a", {"Ref": "AWS::Region"}]]})
    );
    assert_eq!(
        o["Select"]["Value"],
        json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
    );
    assert_eq!(
        o["Split"]["Value"],
        json!({"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]})
    );
    assert_eq!(
        o["If"]["Value"],
        json!({"Fn::If": ["IsProd", "big", "small"]})
    );
    assert_eq!(
        o["Find"]["Value"],
        json!({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Count"]})
    );
    assert_eq!(o["B64"]["Value"], json!({"Fn::Base64": "echo hi"}));
    assert_eq!(
        o["Cidr"]["Value"],
        json!({"Fn::Select": [0, {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 4, 8]}]})
    );
    assert_eq!(
        o["Import"]["Value"],
        json!({"Fn::ImportValue": "Other:Export"})
    );
    assert_eq!(
        o["Pseudo"]["Value"]["Fn::Join"][1],
        json!([{"Ref": "AWS::AccountId"}, {"Ref": "AWS::StackName"}, {"Ref": "AWS::URLSuffix"}, {"Ref": "AWS::Partition"}, {"Ref": "AWS::StackId"}])
    );
    assert_eq!(
        t["Conditions"]["IsProd"],
        json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]})
    );
    assert_eq!(
        t["Mappings"]["Sizes"],
        json!({"dev": {"Count": 1}, "prod": {"Count": 3}})
    );
}

#[test]
fn condition_functions_and_no_value() {
    let mut app = App::new();
    let stack = app.stack("Conds");
    let env = stack.parameter("Env", Parameter::string());
    let a = stack.condition("IsProd", Condition::equals(env.value(), "prod"));
    let b = stack.condition("IsStaging", Condition::equals(env.value(), "staging"));
    stack.condition(
        "Either",
        Condition::or([Condition::reference(&a), Condition::reference(&b)]),
    );
    stack.condition(
        "Both",
        Condition::and([
            Condition::reference(&a),
            Condition::not(Condition::reference(&b)),
        ]),
    );
    stack.add(
        "Topic",
        sns::Topic::new().display_name(fns::if_(a, "Prod", Value::no_value())),
    );
    let t = template_of(&app, "Conds");
    assert_eq!(
        t["Conditions"]["Either"],
        json!({"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "IsStaging"}]})
    );
    assert_eq!(
        t["Conditions"]["Both"],
        json!({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Not": [{"Condition": "IsStaging"}]}]})
    );
    assert_eq!(
        t["Resources"]["Topic"]["Properties"]["DisplayName"],
        json!({"Fn::If": ["IsProd", "Prod", {"Ref": "AWS::NoValue"}]})
    );
}

#[test]
fn parameters_render_every_setting() {
    let mut app = App::new();
    let stack = app.stack("Params");
    stack.parameter(
        "Size",
        Parameter::number()
            .default(2)
            .min_value(1.0)
            .max_value(10.0)
            .description("Task count")
            .constraint_description("1 to 10"),
    );
    stack.parameter(
        "Name",
        Parameter::string()
            .min_length(1)
            .max_length(20)
            .allowed_pattern("[a-z]+")
            .no_echo(),
    );
    stack.parameter("Subnets", Parameter::aws_list(AwsParameterType::SubnetId));
    stack.parameter("Vpc", Parameter::aws(AwsParameterType::VpcId));
    stack.parameter(
        "Ami",
        Parameter::ssm_string("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"),
    );
    stack.parameter(
        "Tier",
        Parameter::string().allowed_values(["a", "b"]).default("a"),
    );
    stack.parameter("Names", Parameter::comma_delimited_list());
    let t = template_of(&app, "Params");
    let p = &t["Parameters"];
    assert_eq!(
        p["Size"],
        json!({"Type": "Number", "Default": "2", "Description": "Task count", "ConstraintDescription": "1 to 10", "MinValue": 1, "MaxValue": 10})
    );
    assert_eq!(
        p["Name"],
        json!({"Type": "String", "AllowedPattern": "[a-z]+", "MinLength": 1, "MaxLength": 20, "NoEcho": true})
    );
    assert_eq!(p["Subnets"]["Type"], "List<AWS::EC2::Subnet::Id>");
    assert_eq!(p["Vpc"]["Type"], "AWS::EC2::VPC::Id");
    assert_eq!(p["Ami"]["Type"], "AWS::SSM::Parameter::Value<String>");
    assert_eq!(p["Tier"]["AllowedValues"], json!(["a", "b"]));
    assert_eq!(p["Names"]["Type"], "CommaDelimitedList");
}

#[test]
fn resource_attributes_render() {
    let mut app = App::new();
    let stack = app.stack("Attrs");
    let env = stack.parameter("Env", Parameter::string());
    let is_prod = stack.condition("IsProd", Condition::equals(env.value(), "prod"));
    let topic = stack.add("Topic", sns::Topic::new());
    let bucket = stack.add("Bucket", s3::Bucket::new());
    stack
        .resource_options(&bucket)
        .depends_on(topic)
        .removal_policy(RemovalPolicy::Retain)
        .condition(is_prod)
        .metadata("Owner", "team-a")
        .creation_policy(CreationPolicy {
            signal_count: Some(2.into()),
            signal_timeout: Some("PT10M".into()),
            ..Default::default()
        })
        .update_policy(UpdatePolicy {
            enable_version_upgrade: Some(true.into()),
            ..Default::default()
        });
    let r = &template_of(&app, "Attrs")["Resources"]["Bucket"];
    assert_eq!(r["DependsOn"], json!(["Topic"]));
    assert_eq!(r["DeletionPolicy"], "Retain");
    assert_eq!(r["UpdateReplacePolicy"], "Retain");
    assert_eq!(r["Condition"], "IsProd");
    assert_eq!(r["Metadata"], json!({"Owner": "team-a"}));
    assert_eq!(
        r["CreationPolicy"],
        json!({"ResourceSignal": {"Count": 2, "Timeout": "PT10M"}})
    );
    assert_eq!(r["UpdatePolicy"], json!({"EnableVersionUpgrade": true}));
}

#[test]
fn template_sections_outputs_rules_transform_metadata() {
    let mut app = App::new();
    let stack = app.stack("Sections");
    stack
        .set_description("A test stack")
        .add_transform("AWS::Serverless-2016-10-31")
        .add_metadata("Team", "platform");
    let env = stack.parameter("Env", Parameter::string());
    let is_prod = stack.condition("IsProd", Condition::equals(env.value(), "prod"));
    let topic = stack.add("Topic", sns::Topic::new());
    stack.output(
        "TopicArn",
        Output::new(topic.ref_value())
            .description("The topic")
            .export_name("alerts-topic")
            .condition(is_prod),
    );
    stack.rule(
        "ProdOnly",
        Rule::new()
            .when(RuleExpr::equals(env.value(), "prod"))
            .assert(RuleExpr::contains(["a"], env.value()), "must be a"),
    );
    let t = template_of(&app, "Sections");
    assert_eq!(t["Description"], "A test stack");
    assert_eq!(t["Transform"], "AWS::Serverless-2016-10-31");
    assert_eq!(t["Metadata"], json!({"Team": "platform"}));
    assert_eq!(
        t["Outputs"]["TopicArn"],
        json!({"Condition": "IsProd", "Description": "The topic", "Export": {"Name": "alerts-topic"}, "Value": {"Ref": "Topic"}})
    );
    assert_eq!(
        t["Rules"]["ProdOnly"],
        json!({"RuleCondition": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, "Assertions": [{"Assert": {"Fn::Contains": [["a"], {"Ref": "Env"}]}, "AssertDescription": "must be a"}]})
    );
    let keys: Vec<&String> = t.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Metadata",
            "Transform",
            "Parameters",
            "Rules",
            "Conditions",
            "Resources",
            "Outputs"
        ]
    );
}

#[test]
fn extra_sections_rule_functions_and_names_kept_per_section() {
    let mut app = App::new();
    let stack = app.stack("Extras");
    let env = stack.parameter("Env", Parameter::string());
    let topic = stack.add("Topic", sns::Topic::new());
    // Each section keeps its own names, as in CloudFormation: an output (or a condition)
    // may be named as the resource it exports.
    stack.output("Topic", topic.ref_value());
    stack.condition("Topic", Condition::equals(env.value(), "x"));
    let vpc = stack.parameter(
        "Vpc",
        Parameter::aws(construct_lib::AwsParameterType::VpcId),
    );
    stack.rule(
        "InVpc",
        Rule::new().assert(
            RuleExpr::equals(RuleExpr::value_of(&vpc, "Name"), "main"),
            "the main VPC",
        ),
    );
    let users = stack.parameter("Users", Parameter::comma_delimited_list());
    stack.rule(
        "SomeUser",
        Rule::new().assert_without_description(RuleExpr::list_contains(users.value(), "".into())),
    );
    stack.add_section(
        "Globals",
        construct_lib::cfn::model::Expr::object([("Function", env.value().into_expr())]),
    );
    let t = template_of(&app, "Extras");
    assert_eq!(
        t["Rules"]["SomeUser"],
        json!({"Assertions": [{"Assert": {"Fn::Contains": [{"Ref": "Users"}, ""]}}]})
    );
    // Fn::ValueOf names its parameter.
    assert_eq!(
        t["Rules"]["InVpc"]["Assertions"][0]["Assert"],
        json!({"Fn::Equals": [{"Fn::ValueOf": ["Vpc", "Name"]}, "main"]})
    );
    assert_eq!(t["Outputs"]["Topic"], json!({"Value": {"Ref": "Topic"}}));
    assert!(t["Conditions"]["Topic"].is_object());
    assert_eq!(t["Globals"], json!({"Function": {"Ref": "Env"}}));
    let keys: Vec<&String> = t.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Parameters",
            "Rules",
            "Conditions",
            "Resources",
            "Outputs",
            "Globals"
        ]
    );
}

#[test]
fn stack_tags_reach_every_taggable_resource_and_resource_tags_win() {
    let mut app = App::new();
    let stack = app.stack("Tagged");
    stack.add_tag("Environment", "prod").add_tag("Team", "web");
    stack.add(
        "Vpc",
        ec2::VPC::new().tags(vec![construct_lib::cfn::model::Tag::new("Team", "net")]),
    );
    stack.add("Repo", construct_lib::cfn::ecr::Repository::new());
    stack.add(
        "Group",
        construct_lib::cfn::autoscaling::AutoScalingGroup::new(
            construct_lib::cfn::autoscaling::auto_scaling_group::AutoScalingGroupRequired {
                max_size: "1".into(),
                min_size: "2".into(),
            },
        ),
    );
    stack.add(
        "Route",
        ec2::Route::new("rtb-1").destination_cidr_block("0.0.0.0/0"),
    );
    let t = template_of(&app, "Tagged");
    let r = &t["Resources"];
    assert_eq!(
        r["Vpc"]["Properties"]["Tags"],
        json!([{"Key": "Team", "Value": "net"}, {"Key": "Environment", "Value": "prod"}])
    );
    assert_eq!(
        r["Repo"]["Properties"]["Tags"],
        json!([{"Key": "Environment", "Value": "prod"}, {"Key": "Team", "Value": "web"}])
    );
    assert_eq!(
        r["Group"]["Properties"]["Tags"][0],
        json!({"Key": "Environment", "PropagateAtLaunch": true, "Value": "prod"})
    );
    assert!(
        r["Route"]["Properties"].get("Tags").is_none(),
        "routes take no tags"
    );
}

#[test]
fn escape_hatches_override_properties_and_logical_ids() {
    let mut app = App::new();
    let stack = app.stack("Hatch");
    let bucket = stack.add("Bucket", s3::Bucket::new().bucket_name("a"));
    stack
        .resource_options(&bucket)
        .override_logical_id("MyBucket")
        .add_property_override("VersioningConfiguration.Status", Value::from("Enabled"))
        .add_property_deletion_override("BucketName");
    if let Some(l1) = stack.l1_mut(&bucket) {
        l1.object_lock_enabled = Some(true.into());
    }
    let t = template_of(&app, "Hatch");
    assert_eq!(
        t["Resources"]["MyBucket"]["Properties"],
        json!({"ObjectLockEnabled": true, "VersioningConfiguration": {"Status": "Enabled"}})
    );
}

#[test]
fn nested_constructs_get_path_based_logical_ids() {
    let mut app = App::new();
    let stack = app.stack("Nested");
    let mut scope = stack.scope("Network");
    let vpc = scope.add("Vpc", ec2::VPC::new());
    assert_eq!(scope.path(), "Nested/Network");
    let t = template_of(&app, "Nested");
    let ids: Vec<&String> = t["Resources"]
        .as_object()
        .expect("resources")
        .keys()
        .collect();
    assert_eq!(ids.len(), 1);
    assert!(
        ids[0].starts_with("NetworkVpc") && ids[0].len() == "NetworkVpc".len() + 8,
        "{ids:?}"
    );
    let _ = vpc;
}

#[test]
fn dynamic_references_are_strings() {
    use construct_lib::cfn::model::fns::dynamic;
    assert_eq!(
        dynamic::ssm("/app/tag", None).as_literal_str(),
        Some("{{resolve:ssm:/app/tag}}")
    );
    assert_eq!(
        dynamic::ssm_secure("/app/pw", Some(3)).as_literal_str(),
        Some("{{resolve:ssm-secure:/app/pw:3}}")
    );
    assert_eq!(
        dynamic::secrets_manager("db", Some("password")).as_literal_str(),
        Some("{{resolve:secretsmanager:db:SecretString:password::}}")
    );
}
