//! Bringing a stack into a state a change set can be created on: waiting for an operation
//! started elsewhere, deleting what a failed first create left, continuing a failed
//! rollback when asked, refusing states nothing can be deployed onto.

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::StackStatus;

use super::DeployOptions;
use super::events::Sink;
use super::status::{self, Monitor, StackInfo};
use crate::assembly::DeployableStack;
use crate::error::EngineError;

/// What to do with a stack in a given state.
enum Step {
    /// Deploy onto it (`None`: it does not exist).
    Ready(Option<StackInfo>),
    /// Look at it again (an operation ended).
    Again,
}

/// Brings the stack into a state a change set can be created on, and returns it (`None`
/// when it does not exist).
pub(crate) async fn prepare(
    cfn: &Client,
    options: &DeployOptions,
    sink: &Sink<'_>,
    stack: &DeployableStack,
) -> Result<Option<StackInfo>, EngineError> {
    loop {
        let info = status::describe(cfn, &stack.id, &stack.stack_name).await?;
        let step = match info {
            None => Step::Ready(None),
            Some(info) if info.is_busy() => {
                wait_for_other(cfn, options, sink, stack, &info).await?
            }
            Some(info) => settled(cfn, options, sink, stack, info).await?,
        };
        if let Step::Ready(info) = step {
            return Ok(info);
        }
    }
}

/// An operation started elsewhere: wait for it to end.
async fn wait_for_other(
    cfn: &Client,
    options: &DeployOptions,
    sink: &Sink<'_>,
    stack: &DeployableStack,
    info: &StackInfo,
) -> Result<Step, EngineError> {
    sink.notice(
        &stack.id,
        format!(
            "waiting: the stack is {} from an operation started elsewhere",
            info.status.as_str()
        ),
    );
    let mut monitor = follow(
        cfn,
        sink,
        &stack.id,
        info,
        &stack.stack_name,
        options.poll_interval,
    )
    .await?;
    monitor.wait().await?;
    Ok(Step::Again)
}

/// A stack at rest: deployable, or made deployable, or refused with what to do.
async fn settled(
    cfn: &Client,
    options: &DeployOptions,
    sink: &Sink<'_>,
    stack: &DeployableStack,
    info: StackInfo,
) -> Result<Step, EngineError> {
    let label = stack.id.as_str();
    let not_deployable = |advice: String| EngineError::NotDeployable {
        stack: label.to_owned(),
        status: info.status.clone(),
        advice,
    };
    match &info.status {
        StackStatus::RollbackComplete | StackStatus::RollbackFailed => {
            sink.notice(
                label,
                format!(
                    "the stack is in {} after a failed first create, so it holds nothing: deleting it to create it again",
                    info.status.as_str()
                ),
            );
            delete_and_wait(cfn, options.poll_interval, sink, label, &info, &stack.stack_name).await?;
            Ok(Step::Ready(None))
        }
        StackStatus::UpdateRollbackFailed if options.continue_rollback => {
            continue_rollback(cfn, options, sink, stack, &info).await?;
            Ok(Step::Again)
        }
        StackStatus::UpdateRollbackFailed => Err(EngineError::UpdateRollbackFailed {
            stack: label.to_owned(),
            resources: failed_resources(cfn, label, &info.stack_id).await?,
        }),
        StackStatus::CreateFailed | StackStatus::UpdateFailed => Err(not_deployable(
            "a deploy with rollback disabled failed: roll it back (aws cloudformation rollback-stack) or delete it, then deploy again".to_owned(),
        )),
        StackStatus::DeleteFailed => Err(not_deployable(format!(
            "a delete failed{}: run `destroy` again once the cause is fixed",
            info.reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ))),
        _ => Ok(Step::Ready(Some(info))),
    }
}

/// ContinueUpdateRollback, followed until the stack settles in UPDATE_ROLLBACK_COMPLETE.
async fn continue_rollback(
    cfn: &Client,
    options: &DeployOptions,
    sink: &Sink<'_>,
    stack: &DeployableStack,
    info: &StackInfo,
) -> Result<(), EngineError> {
    let label = stack.id.as_str();
    sink.notice(
        label,
        "continuing the failed rollback (ContinueUpdateRollback)".to_owned(),
    );
    let mut monitor = follow(
        cfn,
        sink,
        label,
        info,
        &stack.stack_name,
        options.poll_interval,
    )
    .await?;
    cfn.continue_update_rollback()
        .stack_name(&info.stack_id)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "ContinueUpdateRollback", error))?;
    match monitor.wait().await? {
        Some(settled) if settled.status == StackStatus::UpdateRollbackComplete => Ok(()),
        settled => Err(EngineError::StackFailed {
            stack: label.to_owned(),
            status: settled
                .as_ref()
                .map(|s| s.status.clone())
                .unwrap_or(StackStatus::DeleteComplete),
            reason: settled.and_then(|s| s.reason),
            failures: monitor.failures,
        }),
    }
}

/// Starts following an operation on an existing stack whose size is not known (a wait, a
/// delete, a rollback): progress counts resources without a total.
async fn follow<'a>(
    cfn: &'a Client,
    sink: &'a Sink<'_>,
    label: &str,
    info: &StackInfo,
    stack_name: &str,
    poll: std::time::Duration,
) -> Result<Monitor<'a>, EngineError> {
    Monitor::start(
        cfn,
        sink.reporter,
        label,
        &info.stack_id,
        stack_name,
        0,
        poll,
    )
    .await
}

/// Deletes a stack and waits until it is gone.
pub(crate) async fn delete_and_wait(
    cfn: &Client,
    poll: std::time::Duration,
    sink: &Sink<'_>,
    label: &str,
    info: &StackInfo,
    stack_name: &str,
) -> Result<(), EngineError> {
    let mut monitor = follow(cfn, sink, label, info, stack_name, poll).await?;
    cfn.delete_stack()
        .stack_name(&info.stack_id)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "DeleteStack", error))?;
    match monitor.wait().await? {
        None => Ok(()),
        Some(settled) => Err(EngineError::StackFailed {
            stack: label.to_owned(),
            status: settled.status,
            reason: settled.reason,
            failures: monitor.failures,
        }),
    }
}

/// The resources a failed rollback left failed (what `ResourcesToSkip` may name).
async fn failed_resources(
    cfn: &Client,
    label: &str,
    stack_id: &str,
) -> Result<Vec<String>, EngineError> {
    let answer = cfn
        .describe_stack_resources()
        .stack_name(stack_id)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "DescribeStackResources", error))?;
    Ok(answer
        .stack_resources()
        .iter()
        .filter(|resource| {
            resource
                .resource_status()
                .is_some_and(|status| status.as_str().ends_with("_FAILED"))
        })
        .filter_map(|resource| resource.logical_resource_id().map(str::to_owned))
        .collect())
}
