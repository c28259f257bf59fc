//! The staging stack `bootstrap` deploys once per account and region: an S3 bucket that holds
//! templates over 51,200 bytes while CloudFormation reads them. Written with construct-lib's
//! L2 `Bucket` (private, encrypted, TLS only), and deployed by the same engine as any stack.

use construct_lib::s3::{Bucket, LifecycleRule};
use construct_lib::{App, Duration, Environment, Output, Scope, ValidationErrors, synthesize};

use crate::assembly::{Assembly, DeployableStack};

/// The staging stack's default name (`--toolkit-stack-name` changes it).
pub const DEFAULT_TOOLKIT_STACK: &str = "SynthToolkit";

/// The logical ID of the staging bucket in the staging stack; the engine finds the bucket
/// through it.
pub const STAGING_BUCKET_ID: &str = "StagingBucket";

/// How long a staged template is kept. CloudFormation reads it during the deploy only.
pub const STAGED_TEMPLATE_DAYS: u64 = 30;

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
    let bucket = Bucket::builder()
        .lifecycle_rule(
            LifecycleRule::all_objects().expire_after(Duration::days(STAGED_TEMPLATE_DAYS)),
        )
        .build(stack, STAGING_BUCKET_ID);
    if let Some(resource) = bucket.resource() {
        // A fixed logical ID: `stage_template` looks the bucket up by it.
        stack
            .resource_options(resource)
            .override_logical_id(STAGING_BUCKET_ID);
    }
    stack.output(
        "BucketName",
        Output::new(bucket.name()).description("The staging bucket's name."),
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
        // Private: all four public-access blocks on, not only one.
        assert_eq!(
            bucket["PublicAccessBlockConfiguration"],
            serde_json::json!({
                "BlockPublicAcls": true,
                "BlockPublicPolicy": true,
                "IgnorePublicAcls": true,
                "RestrictPublicBuckets": true
            })
        );
        let rules = bucket["LifecycleConfiguration"]["Rules"]
            .as_array()
            .expect("lifecycle rules");
        assert!(
            rules
                .iter()
                .any(|rule| rule["ExpirationInDays"] == STAGED_TEMPLATE_DAYS),
            "{rules:?}"
        );
        let policy = stack.template["Resources"]
            .as_object()
            .expect("resources")
            .values()
            .find(|r| r["Type"] == "AWS::S3::BucketPolicy")
            .expect("a bucket policy");
        let statement = &policy["Properties"]["PolicyDocument"]["Statement"][0];
        assert_eq!(statement["Effect"], "Deny");
        assert_eq!(
            statement["Condition"]["Bool"]["aws:SecureTransport"],
            "false"
        );
        assert_eq!(stack.stack_name, DEFAULT_TOOLKIT_STACK);
    }

    #[test]
    fn an_invalid_staging_stack_name_is_a_validation_error() {
        let errors = toolkit_stack("bad_name", Environment::agnostic()).expect_err("invalid");
        assert!(errors.to_string().contains("bad_name"), "{errors}");
    }
}
