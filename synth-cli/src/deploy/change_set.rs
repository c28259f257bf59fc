//! Change sets: create one, wait for it, read its changes, delete it. A change set is always
//! addressed by the ARN CreateChangeSet returned (names are not unique everywhere).

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Capability, ChangeSetType, Parameter, Tag};

use super::events::ChangeRow;
use crate::error::EngineError;

/// Where the template comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    /// Sent in the request (up to 51,200 bytes).
    Body(String),
    /// Read by CloudFormation from S3.
    Url(String),
}

/// What to create.
pub struct ChangeSetRequest<'a> {
    /// The stack id in the app (for messages).
    pub label: &'a str,
    /// The CloudFormation stack name.
    pub stack_name: &'a str,
    /// `CREATE` for a stack that does not exist yet, else `UPDATE`.
    pub create: bool,
    /// The template.
    pub template: TemplateSource,
    /// Capabilities the template needs.
    pub capabilities: Vec<Capability>,
    /// Parameter values.
    pub parameters: Vec<Parameter>,
    /// Stack tags.
    pub tags: Vec<Tag>,
}

/// The state a change set settled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeSetState {
    /// Ready to execute, with its changes.
    Ready(Vec<ChangeRow>),
    /// It contains no changes (CloudFormation marks such a change set FAILED).
    Empty,
    /// It failed, with CloudFormation's reason.
    Failed(String),
}

/// Creates the change set and returns its ARN.
pub async fn create(cfn: &Client, request: ChangeSetRequest<'_>) -> Result<String, EngineError> {
    let name = change_set_name();
    let mut call = cfn
        .create_change_set()
        .stack_name(request.stack_name)
        .change_set_name(&name)
        .change_set_type(if request.create {
            ChangeSetType::Create
        } else {
            ChangeSetType::Update
        })
        .description("Created by synth-cli deploy")
        // Makes an SDK retry of this request (after a timeout, say) the same request.
        .client_token(&name)
        .set_capabilities(Some(request.capabilities))
        .set_parameters(Some(request.parameters))
        .set_tags(Some(request.tags));
    call = match request.template {
        TemplateSource::Body(body) => call.template_body(body),
        TemplateSource::Url(url) => call.template_url(url),
    };
    let answer = call
        .send()
        .await
        .map_err(|error| EngineError::aws(request.label, "CreateChangeSet", error))?;
    answer
        .id()
        .map(str::to_owned)
        .ok_or_else(|| EngineError::Aws {
            stack: request.label.to_owned(),
            operation: "CreateChangeSet",
            code: None,
            message: "the answer has no change set ARN".to_owned(),
        })
}

/// Whether CloudFormation's text says the change set is empty (both forms it uses).
pub fn means_no_changes(text: &str) -> bool {
    text.contains("didn't contain changes") || text.contains("No updates are to be performed")
}

/// Waits until the change set is created or failed, and reads all of its changes.
pub async fn wait(
    cfn: &Client,
    label: &str,
    arn: &str,
    poll: Duration,
) -> Result<ChangeSetState, EngineError> {
    let mut changes = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let answer = cfn
            .describe_change_set()
            .change_set_name(arn)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|error| EngineError::aws(label, "DescribeChangeSet", error))?;
        let status = answer
            .status()
            .map(|status| status.as_str().to_owned())
            .unwrap_or_default();
        match status.as_str() {
            "CREATE_PENDING" | "CREATE_IN_PROGRESS" => {
                tokio::time::sleep(poll).await;
                continue;
            }
            "FAILED" => {
                let reason = answer
                    .status_reason()
                    .unwrap_or("no reason given")
                    .to_owned();
                return Ok(if means_no_changes(&reason) {
                    ChangeSetState::Empty
                } else {
                    ChangeSetState::Failed(reason)
                });
            }
            "CREATE_COMPLETE" => {}
            other => {
                return Ok(ChangeSetState::Failed(format!(
                    "the change set is {other}: {}",
                    answer.status_reason().unwrap_or("no reason given")
                )));
            }
        }
        for change in answer.changes() {
            if let Some(resource) = change.resource_change() {
                changes.push(ChangeRow {
                    action: resource
                        .action()
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default(),
                    logical_id: resource
                        .logical_resource_id()
                        .unwrap_or_default()
                        .to_owned(),
                    resource_type: resource.resource_type().unwrap_or_default().to_owned(),
                    replacement: resource
                        .replacement()
                        .map(|r| r.as_str().to_owned())
                        .unwrap_or_default(),
                    policy_action: resource
                        .policy_action()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default(),
                });
            }
        }
        token = answer.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(ChangeSetState::Ready(changes));
        }
    }
}

/// Deletes the change set.
pub async fn delete(cfn: &Client, label: &str, arn: &str) -> Result<(), EngineError> {
    cfn.delete_change_set()
        .change_set_name(arn)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "DeleteChangeSet", error))?;
    Ok(())
}

/// How many times a throttled ExecuteChangeSet is sent again.
const EXECUTE_THROTTLE_RETRIES: u32 = 5;

/// Executes the change set. Executing is not something to repeat blindly: after a server
/// error the first request may have started the deploy, so the SDK's automatic retries are
/// off for this call. Only throttling (the request was refused, not run) is retried, with
/// exponential backoff from `backoff`, carrying the same ClientRequestToken so that AWS
/// treats a repeat as the same request.
pub async fn execute(
    cfn: &Client,
    label: &str,
    arn: &str,
    backoff: Duration,
) -> Result<(), EngineError> {
    let token = change_set_name().replace("synth-", "synth-execute-");
    let mut attempt = 0;
    loop {
        let result = cfn
            .execute_change_set()
            .change_set_name(arn)
            .client_request_token(&token)
            .customize()
            .config_override(
                aws_sdk_cloudformation::config::Builder::default()
                    .retry_config(aws_config::retry::RetryConfig::disabled()),
            )
            .send()
            .await;
        match result {
            Ok(_) => return Ok(()),
            Err(error) => {
                let error = EngineError::aws(label, "ExecuteChangeSet", error);
                if error.is_throttling() && attempt < EXECUTE_THROTTLE_RETRIES {
                    tokio::time::sleep(backoff * 2u32.pow(attempt)).await;
                    attempt += 1;
                    continue;
                }
                return Err(error);
            }
        }
    }
}

/// A fresh name (`synth-<ms since epoch>-<counter>`): unique per process and time, matching
/// CloudFormation's `[a-zA-Z][-a-zA-Z0-9]*`.
fn change_set_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!(
        "synth-{millis}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_no_change_texts_are_recognized() {
        assert!(means_no_changes(
            "The submitted information didn't contain changes. Submit different information to create a change set."
        ));
        assert!(means_no_changes("No updates are to be performed."));
        assert!(!means_no_changes("Template format error"));
    }

    #[test]
    fn change_set_names_are_valid_and_unique() {
        let (a, b) = (change_set_name(), change_set_name());
        assert_ne!(a, b);
        assert!(a.starts_with("synth-"));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        assert!(a.len() <= 128);
    }
}
