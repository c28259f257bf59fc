//! The staging stack `bootstrap` deploys once per account and region: an S3 bucket that holds
//! templates over 51,200 bytes while CloudFormation reads them. Written with construct-lib's
//! own L1 types, and deployed by the same engine as any stack.

use construct_lib::cfn::s3;
use construct_lib::cfn::s3::bucket::{
    AbortIncompleteMultipartUpload, BucketEncryption, LifecycleConfiguration,
    PublicAccessBlockConfiguration, Rule, RuleStatus, SSEAlgorithm, ServerSideEncryptionByDefault,
    ServerSideEncryptionRule,
};
use construct_lib::{App, Environment, Output, Scope, ValidationErrors, synthesize};
use serde_json::json;

use crate::assembly::{Assembly, DeployableStack};

/// The staging stack's default name (`--toolkit-stack-name` changes it).
pub const DEFAULT_TOOLKIT_STACK: &str = "SynthToolkit";

/// The logical ID of the staging bucket in the staging stack; the engine finds the bucket
/// through it.
pub const STAGING_BUCKET_ID: &str = "StagingBucket";

/// How long a staged template is kept. CloudFormation reads it during the deploy only.
pub const STAGED_TEMPLATE_DAYS: i64 = 30;

/// The staging stack called `name`: an encrypted bucket, public access blocked, TLS-only,
/// templates expired after [`STAGED_TEMPLATE_DAYS`] days. Fails when `name` is not a valid
/// stack name.
pub fn toolkit_stack(
    name: &str,
    environment: Environment,
) -> Result<DeployableStack, ValidationErrors> {
    let mut app = App::new();
    let stack = app.stack_in(name, environment);
    stack.set_description(
        "Staging bucket for templates over 51,200 bytes, deployed by `synth-cli bootstrap`.",
    );
    let bucket = stack.add(
        STAGING_BUCKET_ID,
        s3::Bucket::new()
            .bucket_encryption(BucketEncryption::new(vec![
                ServerSideEncryptionRule::new().server_side_encryption_by_default(
                    ServerSideEncryptionByDefault::new(SSEAlgorithm::Aes256),
                ),
            ]))
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            )
            .lifecycle_configuration(LifecycleConfiguration::new(vec![
                Rule::new(RuleStatus::Enabled)
                    .id("ExpireStagedTemplates")
                    .expiration_in_days(STAGED_TEMPLATE_DAYS)
                    .abort_incomplete_multipart_upload(AbortIncompleteMultipartUpload::new(1)),
            ])),
    );
    stack.add(
        "StagingBucketPolicy",
        s3::BucketPolicy::new(
            bucket.ref_value(),
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "TlsOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [
                        {"Fn::GetAtt": [STAGING_BUCKET_ID, "Arn"]},
                        {"Fn::Join": ["", [{"Fn::GetAtt": [STAGING_BUCKET_ID, "Arn"]}, "/*"]]}
                    ],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                }]
            }),
        ),
    );
    stack.output(
        "BucketName",
        Output::new(bucket.ref_value()).description("The staging bucket's name."),
    );
    let assembly = Assembly::from_cloud_assembly(&synthesize(&app)?);
    Ok(assembly
        .stacks
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!("the staging stack was just added")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_stack_is_encrypted_private_tls_only_and_expires_objects() {
        let stack = toolkit_stack(DEFAULT_TOOLKIT_STACK, Environment::agnostic()).expect("valid");
        let bucket = &stack.template["Resources"][STAGING_BUCKET_ID]["Properties"];
        assert_eq!(
            bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
                ["SSEAlgorithm"],
            "AES256"
        );
        assert_eq!(
            bucket["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"],
            true
        );
        assert_eq!(
            bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"],
            STAGED_TEMPLATE_DAYS
        );
        let policy = &stack.template["Resources"]["StagingBucketPolicy"]["Properties"];
        assert_eq!(policy["PolicyDocument"]["Statement"][0]["Effect"], "Deny");
        assert_eq!(stack.stack_name, DEFAULT_TOOLKIT_STACK);
    }

    #[test]
    fn an_invalid_staging_stack_name_is_a_validation_error() {
        let errors = toolkit_stack("bad_name", Environment::agnostic()).expect_err("invalid");
        assert!(errors.to_string().contains("bad_name"), "{errors}");
    }
}
