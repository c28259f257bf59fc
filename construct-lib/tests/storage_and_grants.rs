//! Log groups, secrets, SSM parameters and buckets: secure defaults, options, the one
//! least-privilege statement each grant writes, and the rules that are checked.

use construct_lib::assertions::{Match, Template};
use construct_lib::cfn::model::fns;
use construct_lib::iam::{Principal, Role};
use construct_lib::logs::{LogGroup, RetentionDays};
use construct_lib::s3::{Bucket, LifecycleRule};
use construct_lib::secretsmanager::Secret;
use construct_lib::ssm::StringParameter;
use construct_lib::{App, Duration, RemovalPolicy, synthesize};
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
fn a_secret_known_by_name_is_referenced_without_the_wildcard_grants_use() {
    let existing = Secret::from_name("web/license");
    let partial =
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/license";
    assert_eq!(existing.arn(), fns::sub(partial));
    assert_eq!(existing.policy_arn(), fns::sub(format!("{partial}-??????")));
    let full = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/license-AbCdEf";
    let by_arn = Secret::from_arn(full);
    assert_eq!(by_arn.arn().as_literal_str(), Some(full));
    assert_eq!(by_arn.policy_arn().as_literal_str(), Some(full));
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
            LifecycleRule::prefix("tmp/")
                .expire_after(Duration::days(7))
                .expire_noncurrent_after(Duration::days(30)),
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
        .lifecycle_rule(LifecycleRule::all_objects())
        .lifecycle_rule(LifecycleRule::all_objects().expire_after(Duration::days(0)))
        .lifecycle_rule(LifecycleRule::all_objects().expire_after(Duration::hours(36)))
        .lifecycle_rule(LifecycleRule::all_objects().expire_noncurrent_after(Duration::days(5)))
        .build(stack, "Data");
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_eq!(
        text.lines().skip(1).collect::<Vec<_>>(),
        [
            "  error: Web/Data: lifecycle_rule[0] = no expiration: expire_after or expire_noncurrent_after",
            "  error: Web/Data: lifecycle_rule[1].expire_after = 0 days: whole days, at least 1 day",
            "  error: Web/Data: lifecycle_rule[2].expire_after = 36 hours: whole days, at least 1 day",
            "  error: Web/Data: lifecycle_rule[3].expire_noncurrent_after = 5 days: only together with versioned(true)",
        ],
        "{text}"
    );
}

#[test]
fn a_log_group_name_outside_cloudwatch_logs_pattern_is_reported() {
    let mut app = App::new();
    let stack = app.stack("Web");
    LogGroup::builder()
        .log_group_name("web logs")
        .build(stack, "Logs");
    LogGroup::builder().log_group_name("").build(stack, "Empty");
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_eq!(
        text.lines().skip(1).collect::<Vec<_>>(),
        [
            "  error: Web/Empty: log_group_name = \"\": 1 to 512 letters, digits and ._-/# (/web/prod)",
            "  error: Web/Logs: log_group_name = \"web logs\": 1 to 512 letters, digits and ._-/# (/web/prod)",
        ],
        "{text}"
    );
}

#[test]
fn bucket_names_outside_s3s_rules_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let rule = "3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, without `..`, not an IP address, not starting with xn-- or sthree- or ending with -s3alias or --ol-s3";
    let bad = [
        "Uploads",
        "ab",
        "a..b",
        "-ab",
        "192.168.1.1",
        "xn--ab",
        "ab-s3alias",
    ];
    for (index, name) in bad.iter().enumerate() {
        Bucket::builder()
            .bucket_name(*name)
            .build(stack, &format!("B{index}"));
    }
    Bucket::builder()
        .bucket_name("web-uploads.example-1")
        .build(stack, "Good");
    let text = synthesize(&app).expect_err("invalid").to_string();
    let expected: Vec<String> = bad
        .iter()
        .enumerate()
        .map(|(index, name)| format!("  error: Web/B{index}: bucket_name = \"{name}\": {rule}"))
        .collect();
    assert_eq!(text.lines().skip(1).collect::<Vec<_>>(), expected, "{text}");
}
