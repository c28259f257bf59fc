//! Test support for deploys without an AWS account:
//!
//! - [`moto::Moto`] starts moto's server (installed by `scripts/install-tools.sh`) on a free
//!   loopback port and stops it when dropped;
//! - [`scripted::ScriptedEndpoint`] is an HTTP endpoint on loopback that answers each
//!   CloudFormation action with scripted responses in CloudFormation's XML wire format, so
//!   the real SDK client meets the states moto cannot produce (failed resources, rollbacks,
//!   throttling); [`xml`] builds those responses.
//!
//! Both give an endpoint URL for `--endpoint-url`, and [`aws_env`] the environment variables
//! that give a child process dummy credentials and nothing from the machine's AWS setup.

pub mod http;
pub mod moto;
pub mod scripted;
pub mod xml;

/// Environment variables for a child process talking to a local endpoint: dummy credentials,
/// region `us-east-1`, and no shared config, credentials file or instance metadata.
pub fn aws_env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_CONFIG_FILE", "/nonexistent/aws-config".to_owned()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials".to_owned(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ]
}

/// Variables to remove from a child process's environment so that only [`aws_env`] counts.
pub const AWS_ENV_TO_CLEAR: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
];
