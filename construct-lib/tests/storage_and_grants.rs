//! Log groups, secrets, SSM parameters and buckets: secure defaults, options, the one
//! least-privilege statement each grant writes, and the rules that are checked.

use construct_lib::assertions::{Match, Template};
use construct_lib::iam::{Principal, Role};
use construct_lib::logs::{LogGroup, RetentionDays};
use construct_lib::s3::{Bucket, LifecycleRule};
use construct_lib::secretsmanager::Secret;
use construct_lib::ssm::StringParameter;
use construct_lib::{App, RemovalPolicy, synthesize};
use serde_json::json;

fn role(stack: &mut construct_lib::Stack) -> Role {
    Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "TaskRole")
}

#[test]
fn log_groups_keep_two_years_and_survive_the_stack_by_default() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let role = role(stack);
    let logs = LogGroup::builder().build(stack, "Logs");
    LogGroup::builder()
        .retention(RetentionDays::Infinite)
        .log_group_name("/web/audit")
        .removal_policy(RemovalPolicy::Delete)
        .build(stack, "Audit");
    logs.grant_write(stack, &role);
    let template = Template::from_app(&app, "Web");
    template.has_resource(
        "AWS::Logs::LogGroup",
        json!({"Properties": {"RetentionInDays": 731}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}),
    );
    template.has_resource_properties(
        "AWS::Logs::LogGroup",
        Match::object_like([
            ("LogGroupName", Match::exact("/web/audit")),
            ("RetentionInDays", Match::absent()),
        ]),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": template.value_of(&logs.arn()),
        }]}}),
    );
    assert_eq!(RetentionDays::OneMonth.days(), Some(30));
    let existing = LogGroup::from_name("/aws/ecs/web");
    assert_eq!(existing.name().as_literal_str(), Some("/aws/ecs/web"));
}

#[test]
fn secrets_are_generated_or_referenced_and_grants_read_only_them() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let role = role(stack);
    let generated = Secret::builder()
        .description("database password")
        .json_with_password("{\"username\":\"app\"}", "password")
        .build(stack, "DbPassword");
    let existing = Secret::from_name("web/license");
    generated.grant_read(stack, &role);
    existing.grant_read(stack, &role);
    let template = Template::from_app(&app, "Web");
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        json!({"Description": "database password", "GenerateSecretString": {
            "PasswordLength": 32, "ExcludePunctuation": true,
            "SecretStringTemplate": "{\"username\":\"app\"}", "GenerateStringKey": "password"}}),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [
            {"Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
             "Resource": template.value_of(&generated.arn())},
            {"Resource": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/license-??????"}}
        ]}}),
    );
}

#[test]
fn ssm_parameters_are_referenced_by_name() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let role = role(stack);
    StringParameter::from_name("/web/api-key").grant_read(stack, &role);
    let template = Template::from_app(&app, "Web");
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{
            "Action": ["ssm:GetParameters", "ssm:GetParameter"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/web/api-key"}
        }]}}),
    );
}

#[test]
fn buckets_are_private_encrypted_and_tls_only_and_grants_stay_in_their_prefix() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let role = role(stack);
    let bucket = Bucket::builder()
        .versioned(true)
        .lifecycle_rule(
            LifecycleRule::new(Some("tmp/"))
                .expire_after_days(7)
                .expire_noncurrent_after_days(30),
        )
        .build(stack, "Uploads");
    bucket.grant_read_write(stack, &role, Some("uploads/"));
    let template = Template::from_app(&app, "Web");
    template.has_resource(
        "AWS::S3::Bucket",
        json!({"DeletionPolicy": "Retain", "Properties": {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
                "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
            "VersioningConfiguration": {"Status": "Enabled"},
            "LifecycleConfiguration": {"Rules": [
                {"Id": "AbortIncompleteUploads", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
                {"Prefix": "tmp/", "ExpirationInDays": 7, "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}
            ]}
        }}),
    );
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        json!({"Bucket": template.value_of(&bucket.name()), "PolicyDocument": {"Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [
            {"Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
             "Resource": {"Fn::Join": ["", [template.value_of(&bucket.arn()), "/uploads/*"]]}},
            {"Action": "s3:ListBucket", "Resource": template.value_of(&bucket.arn()),
             "Condition": {"StringLike": {"s3:prefix": "uploads/*"}}}
        ]}}),
    );
    let existing = Bucket::from_name("shared-config");
    assert!(existing.resource().is_none());
}

#[test]
fn lifecycle_rules_that_cannot_work_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Web");
    Bucket::builder()
        .lifecycle_rule(LifecycleRule::new(None))
        .lifecycle_rule(LifecycleRule::new(None).expire_after_days(0))
        .lifecycle_rule(LifecycleRule::new(None).expire_noncurrent_after_days(5))
        .build(stack, "Data");
    let text = synthesize(&app).expect_err("invalid").to_string();
    for expected in [
        "error: Web/Data: lifecycle_rule[0] = no expiration: expire_after_days or expire_noncurrent_after_days",
        "error: Web/Data: lifecycle_rule[1] = 0: at least 1 day",
        "error: Web/Data: lifecycle_rule[2] = noncurrent version expiration on an unversioned bucket: versioned(true), or no noncurrent expiration",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
}
