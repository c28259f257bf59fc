//! Reading a stack's state, and following its events until an operation ends.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::StackStatus;
use aws_smithy_types::date_time::Format;

use super::events::{DeployEvent, Reporter, StackEventRow};
use super::services::{ServiceDeploymentState, ServiceWatch};
use crate::error::{EngineError, ResourceFailure};

/// A stack output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackOutput {
    /// The output key.
    pub key: String,
    /// Its value.
    pub value: String,
    /// The export name, if exported.
    pub export_name: Option<String>,
}

/// What DescribeStacks says of a stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackInfo {
    /// The stack ARN.
    pub stack_id: String,
    /// The status (`CREATE_COMPLETE`).
    pub status: StackStatus,
    /// The status reason, if any.
    pub reason: Option<String>,
    /// The outputs.
    pub outputs: Vec<StackOutput>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
    /// The keys of the stack's parameters.
    pub parameter_keys: Vec<String>,
}

impl StackInfo {
    /// Whether an operation is running (`*_IN_PROGRESS`, but not `REVIEW_IN_PROGRESS`, which
    /// is a stack that has never been created).
    pub fn is_busy(&self) -> bool {
        self.status.as_str().ends_with("_IN_PROGRESS") && !self.never_created()
    }

    /// Whether the stack has never been created: a first change set made it, and it holds
    /// nothing (`REVIEW_IN_PROGRESS`).
    pub fn never_created(&self) -> bool {
        self.status == StackStatus::ReviewInProgress
    }

    /// Whether the last create or update succeeded.
    pub fn is_deployed(&self) -> bool {
        matches!(
            self.status,
            StackStatus::CreateComplete | StackStatus::UpdateComplete
        )
    }
}

/// The stack called `name` (or with this ARN), or `None` when there is none.
pub async fn describe(
    cfn: &Client,
    label: &str,
    name: &str,
) -> Result<Option<StackInfo>, EngineError> {
    let answer = match cfn.describe_stacks().stack_name(name).send().await {
        Ok(answer) => answer,
        Err(error) => {
            let error = EngineError::aws(label, "DescribeStacks", error);
            return if error.is_missing_stack() {
                Ok(None)
            } else {
                Err(error)
            };
        }
    };
    let Some(stack) = answer.stacks().first() else {
        return Ok(None);
    };
    let status = stack
        .stack_status()
        .cloned()
        .unwrap_or_else(|| StackStatus::from(""));
    if status == StackStatus::DeleteComplete {
        return Ok(None);
    }
    Ok(Some(StackInfo {
        stack_id: stack.stack_id().unwrap_or(name).to_owned(),
        status,
        reason: stack.stack_status_reason().map(str::to_owned),
        outputs: stack
            .outputs()
            .iter()
            .map(|output| StackOutput {
                key: output.output_key().unwrap_or_default().to_owned(),
                value: output.output_value().unwrap_or_default().to_owned(),
                export_name: output.export_name().map(str::to_owned),
            })
            .collect(),
        termination_protection: stack.enable_termination_protection().unwrap_or(false),
        parameter_keys: stack
            .parameters()
            .iter()
            .filter_map(|parameter| parameter.parameter_key().map(str::to_owned))
            .collect(),
    }))
}

/// Follows one operation (an executed change set, a delete, a rollback) on one stack:
/// reports each new stack event with the progress so far, and remembers the failures.
pub struct Monitor<'a> {
    cfn: &'a Client,
    reporter: &'a dyn Reporter,
    label: String,
    stack_id: String,
    stack_name: String,
    poll: Duration,
    started: Instant,
    seen: HashSet<String>,
    finished: HashSet<String>,
    total: usize,
    /// Resources that failed, oldest first.
    pub failures: Vec<ResourceFailure>,
    /// The ECS services the operation changes, followed beside the stack's events.
    services: Option<ServiceWatch>,
}

impl<'a> Monitor<'a> {
    /// Starts following `stack_id`, ignoring the events it already has. `total` is how many
    /// resources the operation touches (for the progress figure).
    pub async fn start(
        cfn: &'a Client,
        reporter: &'a dyn Reporter,
        label: &str,
        stack_id: &str,
        stack_name: &str,
        total: usize,
        poll: Duration,
    ) -> Result<Self, EngineError> {
        let mut monitor = Self {
            cfn,
            reporter,
            label: label.to_owned(),
            stack_id: stack_id.to_owned(),
            stack_name: stack_name.to_owned(),
            poll,
            started: Instant::now(),
            seen: HashSet::new(),
            finished: HashSet::new(),
            total,
            failures: Vec::new(),
            services: None,
        };
        monitor.seen = monitor
            .fetch_new()
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        Ok(monitor)
    }

    /// Also follows the deployments of the services that `watch` names.
    pub fn follow_services(&mut self, watch: Option<ServiceWatch>) {
        self.services = watch;
    }

    /// The first service whose deployment failed or was rolled back during the operation.
    pub fn failed_release(&self) -> Option<(String, ServiceDeploymentState)> {
        self.services.as_ref()?.failed_release()
    }

    /// Polls until the stack leaves `*_IN_PROGRESS`; returns its final state (`None` when it
    /// is gone, as after a delete).
    pub async fn wait(&mut self) -> Result<Option<StackInfo>, EngineError> {
        loop {
            self.report_new().await?;
            if let Some(watch) = self.services.as_mut() {
                watch.poll(self.reporter).await;
            }
            let info = describe(self.cfn, &self.label, &self.stack_id).await?;
            match info {
                Some(info) if info.is_busy() => tokio::time::sleep(self.poll).await,
                settled => {
                    self.report_new().await?;
                    return Ok(settled);
                }
            }
        }
    }

    async fn report_new(&mut self) -> Result<(), EngineError> {
        for (id, event) in self.fetch_new().await? {
            self.seen.insert(id);
            let is_stack = event.logical_id == self.stack_name
                && event.resource_type == "AWS::CloudFormation::Stack";
            if !is_stack {
                if event.status.ends_with("_COMPLETE") {
                    self.finished.insert(event.logical_id.clone());
                }
                if event.is_failure() {
                    self.failures.push(ResourceFailure {
                        logical_id: event.logical_id.clone(),
                        resource_type: event.resource_type.clone(),
                        status: event.status.clone(),
                        reason: event.reason.clone().unwrap_or_default(),
                    });
                }
            }
            self.reporter.event(DeployEvent::Progress {
                stack: self.label.clone(),
                event,
                done: self.finished.len(),
                // Operations of unknown size (waits, deletes) count up without a total.
                total: self.total.max(self.finished.len()),
                elapsed: self.started.elapsed(),
            });
        }
        Ok(())
    }

    /// The events not seen yet, oldest first.
    async fn fetch_new(&self) -> Result<Vec<(String, StackEventRow)>, EngineError> {
        let mut new = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let answer = match self
                .cfn
                .describe_stack_events()
                .stack_name(&self.stack_id)
                .set_next_token(token.clone())
                .send()
                .await
            {
                Ok(answer) => answer,
                Err(error) => {
                    let error = EngineError::aws(&self.label, "DescribeStackEvents", error);
                    if error.is_missing_stack() {
                        break 'pages;
                    }
                    return Err(error);
                }
            };
            for event in answer.stack_events() {
                let id = event.event_id().unwrap_or_default().to_owned();
                if self.seen.contains(&id) {
                    break 'pages;
                }
                new.push((
                    id,
                    StackEventRow {
                        timestamp: event
                            .timestamp()
                            .and_then(|t| t.fmt(Format::DateTime).ok())
                            .unwrap_or_default(),
                        logical_id: event.logical_resource_id().unwrap_or_default().to_owned(),
                        resource_type: event.resource_type().unwrap_or_default().to_owned(),
                        status: event
                            .resource_status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                        reason: event.resource_status_reason().map(str::to_owned),
                    },
                ));
            }
            token = answer.next_token().map(str::to_owned);
            // Before the first poll every event is old: one page is enough to know them.
            if token.is_none() || self.seen.is_empty() {
                break;
            }
        }
        new.reverse();
        Ok(new)
    }
}
