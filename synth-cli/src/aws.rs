//! Where the engine talks to: AWS configuration from the default chain (or given by the
//! caller), one CloudFormation, S3 and ECS client per region, and the credentials' account.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use construct_lib::Environment;
use tokio::sync::OnceCell;

use crate::error::EngineError;

/// The AWS target of a command: `--profile`, `--region`, `--endpoint-url`. Anything left
/// `None` comes from the default chain (environment variables such as `AWS_PROFILE`,
/// `AWS_REGION` and `AWS_ENDPOINT_URL`, then the shared config files, then instance roles).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// The named profile of `~/.aws/config`. Default: `AWS_PROFILE`, else `default`.
    pub profile: Option<String>,
    /// The region of stacks whose environment has none. Default: the chain's region.
    pub region: Option<String>,
    /// Another CloudFormation endpoint (LocalStack, moto). Default: AWS.
    pub endpoint_url: Option<String>,
}

/// How many times a call is sent when AWS throttles it or fails transiently.
pub const MAX_ATTEMPTS: u32 = 8;

/// The wait before the first retry; it doubles for each retry after (with jitter).
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);

/// The retries of every call the engine makes: [`MAX_ATTEMPTS`] attempts with exponential
/// backoff from [`INITIAL_BACKOFF`] (the SDK's standard mode: throttling and transient
/// errors only).
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(INITIAL_BACKOFF)
}

/// How long the credential chain may take before the engine says it found none (instance
/// metadata lookups time out slowly off EC2).
const CREDENTIALS_TIMEOUT: Duration = Duration::from_secs(15);

/// Connected configuration and per-region clients.
#[derive(Debug)]
pub struct Session {
    config: SdkConfig,
    cloudformation: Mutex<HashMap<String, aws_sdk_cloudformation::Client>>,
    s3: Mutex<HashMap<String, aws_sdk_s3::Client>>,
    ecs: Mutex<HashMap<String, aws_sdk_ecs::Client>>,
    account: OnceCell<String>,
}

/// The HTTPS client of every AWS call: hyper 1 and rustls over ring, trusting the platform's
/// root certificates, as the SDK's default client does but without the aws-lc C build.
pub fn https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

impl Session {
    /// Loads the configuration from the default chain, with what `target` overrides.
    /// Throttling and transient errors are retried as [`retry_config`] says.
    pub async fn load(target: &Target) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(retry_config())
            // The credential providers (SSO, STS) make calls of their own with it too.
            .http_client(https_client());
        if let Some(profile) = &target.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &target.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(endpoint) = &target.endpoint_url {
            loader = loader.endpoint_url(endpoint);
        }
        Self::from_config(loader.load().await)
    }

    /// A session over a configuration the caller built (another tool's, or a test's with
    /// its own HTTP client). Without an HTTP client, it gets [`https_client`]: the SDK crates
    /// are built without a default one.
    pub fn from_config(config: SdkConfig) -> Self {
        let config = if config.http_client().is_some() {
            config
        } else {
            config.into_builder().http_client(https_client()).build()
        };
        Self {
            config,
            cloudformation: Mutex::new(HashMap::new()),
            s3: Mutex::new(HashMap::new()),
            ecs: Mutex::new(HashMap::new()),
            account: OnceCell::new(),
        }
    }

    /// The region of the configuration, if any.
    pub fn default_region(&self) -> Option<String> {
        self.config.region().map(|region| region.to_string())
    }

    /// Fails with a clear message when the credential chain finds no credentials.
    pub async fn check_credentials(&self) -> Result<(), EngineError> {
        let provider =
            self.config
                .credentials_provider()
                .ok_or_else(|| EngineError::NoCredentials {
                    reason: "no credential provider is configured".to_owned(),
                })?;
        match tokio::time::timeout(CREDENTIALS_TIMEOUT, provider.provide_credentials()).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => {
                // The full context repeats raw responses; the first clause says what failed.
                let context =
                    aws_smithy_types::error::display::DisplayErrorContext(&error).to_string();
                let reason = context.split(" (").next().unwrap_or(&context).to_owned();
                Err(EngineError::NoCredentials { reason })
            }
            Err(_) => Err(EngineError::NoCredentials {
                reason: format!(
                    "the credential chain gave no answer in {} s",
                    CREDENTIALS_TIMEOUT.as_secs()
                ),
            }),
        }
    }

    /// The region a stack deploys to: its environment's, else the configuration's.
    pub fn region_for(
        &self,
        stack: &str,
        environment: &Environment,
    ) -> Result<String, EngineError> {
        environment
            .region
            .clone()
            .or_else(|| self.default_region())
            .ok_or_else(|| EngineError::NoRegion {
                stack: stack.to_owned(),
            })
    }

    /// Checks that a stack bound to an account is deployed with that account's credentials
    /// (asking STS once).
    pub async fn check_account(
        &self,
        stack: &str,
        environment: &Environment,
        region: &str,
    ) -> Result<(), EngineError> {
        let Some(expected) = &environment.account else {
            return Ok(());
        };
        let actual = self
            .account
            .get_or_try_init(|| async {
                let sts = aws_sdk_sts::Client::from_conf(
                    aws_sdk_sts::config::Builder::from(&self.config)
                        .region(Region::new(region.to_owned()))
                        .build(),
                );
                let identity = sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|error| EngineError::aws(stack, "GetCallerIdentity", error))?;
                Ok::<_, EngineError>(identity.account().unwrap_or_default().to_owned())
            })
            .await?;
        if actual != expected {
            return Err(EngineError::AccountMismatch {
                stack: stack.to_owned(),
                expected: expected.clone(),
                actual: actual.clone(),
            });
        }
        Ok(())
    }

    /// The CloudFormation client of `region`.
    pub fn cloudformation(&self, region: &str) -> aws_sdk_cloudformation::Client {
        let mut clients = self
            .cloudformation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                aws_sdk_cloudformation::Client::from_conf(
                    aws_sdk_cloudformation::config::Builder::from(&self.config)
                        .region(Region::new(region.to_owned()))
                        .build(),
                )
            })
            .clone()
    }

    /// The ECS client of `region` (to follow the deployments of the services a stack
    /// operation changes).
    pub fn ecs(&self, region: &str) -> aws_sdk_ecs::Client {
        let mut clients = self
            .ecs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                aws_sdk_ecs::Client::from_conf(
                    aws_sdk_ecs::config::Builder::from(&self.config)
                        .region(Region::new(region.to_owned()))
                        .build(),
                )
            })
            .clone()
    }

    /// The S3 client of `region`. With a custom endpoint, buckets are addressed by path
    /// (`http://host/bucket/key`), since emulators do not serve bucket subdomains.
    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let mut clients = self
            .s3
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let custom_endpoint = self.config.endpoint_url().is_some();
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                aws_sdk_s3::Client::from_conf(
                    aws_sdk_s3::config::Builder::from(&self.config)
                        .region(Region::new(region.to_owned()))
                        .force_path_style(custom_endpoint)
                        .build(),
                )
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_retried_eight_times_with_exponential_backoff_from_half_a_second() {
        let retries = retry_config();
        assert_eq!(retries.mode(), aws_config::retry::RetryMode::Standard);
        assert_eq!(retries.max_attempts(), 8);
        assert_eq!(retries.initial_backoff(), Duration::from_millis(500));
    }
}
