//! Deploying one stack: bring it into a state it can be deployed onto, create the change set,
//! show it, ask when needed, execute it, follow it to the end.

use std::time::Instant;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Parameter, Tag};
use serde_json::Value as Json;

use super::change_set::{self, ChangeSetRequest, ChangeSetState};
use super::events::{Approval, ApprovalRequest, ChangeRow, DeployEvent, Sink};
use super::status::{self, Monitor, StackInfo};
use super::{DeployOptions, RequireApproval, StackOutcome, capabilities, staging};
use crate::assembly::DeployableStack;
use crate::aws::Session;
use crate::diff::SecurityChanges;
use crate::error::EngineError;

/// Deploys `stack` and returns how it ended.
pub(crate) async fn deploy(
    session: &Session,
    options: &DeployOptions,
    sink: &Sink<'_>,
    stack: &DeployableStack,
) -> Result<StackOutcome, EngineError> {
    let label = stack.id.as_str();
    let region = session.region_for(label, &stack.environment)?;
    session
        .check_account(label, &stack.environment, &region)
        .await?;
    sink.emit(DeployEvent::Started {
        stack: label.to_owned(),
        region: region.clone(),
    });
    let cfn = session.cloudformation(&region);
    let existing = prepare(&cfn, options, sink, stack).await?;
    let create = existing
        .as_ref()
        .is_none_or(|info| info.status == "REVIEW_IN_PROGRESS");

    if let Some(info) = existing.as_ref().filter(|_| !create) {
        check_removed_exports(&cfn, label, info, &stack.template).await?;
    }
    let template = staging::template_source(
        session,
        &region,
        &options.toolkit_stack,
        label,
        &stack.stack_name,
        &stack.template_body,
    )
    .await?;
    if matches!(template, change_set::TemplateSource::Url(_)) {
        sink.notice(
            label,
            format!(
                "template is {} bytes: uploaded to the staging bucket",
                stack.template_body.len()
            ),
        );
    }
    let arn = change_set::create(
        &cfn,
        ChangeSetRequest {
            label,
            stack_name: &stack.stack_name,
            create,
            template,
            capabilities: capabilities::required(&stack.template),
            parameters: parameters(options, stack, existing.as_ref().filter(|_| !create)),
            tags: options
                .tags
                .iter()
                .chain(&stack.tags)
                .map(|(key, value)| Tag::builder().key(key).value(value).build())
                .collect(),
        },
    )
    .await;
    let arn = match arn {
        Ok(arn) => arn,
        Err(EngineError::Aws { message, .. }) if change_set::means_no_changes(&message) => {
            return finish_unchanged(&cfn, sink, stack, existing).await;
        }
        Err(error) => return Err(error),
    };
    let changes = match change_set::wait(&cfn, label, &arn, options.poll_interval).await? {
        ChangeSetState::Ready(changes) => changes,
        ChangeSetState::Empty => {
            change_set::delete(&cfn, label, &arn).await?;
            sink.notice(label, "no changes".to_owned());
            return finish_unchanged(&cfn, sink, stack, existing).await;
        }
        ChangeSetState::Failed(reason) => {
            abandon(&cfn, sink, stack, &arn, create).await;
            return Err(EngineError::ChangeSetFailed {
                stack: label.to_owned(),
                reason,
            });
        }
    };
    let deployed_template = if create {
        Json::Null
    } else {
        deployed_template(&cfn, label, &stack.stack_name).await?
    };
    let security = SecurityChanges::between(&deployed_template, &stack.template);
    sink.emit(DeployEvent::ChangeSet {
        stack: label.to_owned(),
        arn: arn.clone(),
        changes: changes.clone(),
        security: security.clone(),
    });
    if !options.execute {
        return Ok(StackOutcome::ChangeSetCreated { arn, changes });
    }
    let reasons = approval_reasons(options.require_approval, &changes, &security);
    if !reasons.is_empty() {
        let request = ApprovalRequest {
            stack: label.to_owned(),
            reasons,
        };
        let advice = match sink.reporter.approve(&request) {
            Approval::Approved => None,
            Approval::Declined => Some(None),
            Approval::Unanswerable(advice) => Some(Some(advice)),
        };
        if let Some(advice) = advice {
            abandon(&cfn, sink, stack, &arn, create).await;
            return Err(EngineError::NotApproved {
                stack: label.to_owned(),
                advice,
            });
        }
    }

    let stack_id = status::describe(&cfn, label, &stack.stack_name)
        .await?
        .map(|info| info.stack_id)
        .unwrap_or_else(|| stack.stack_name.clone());
    let mut monitor = Monitor::start(
        &cfn,
        sink.reporter,
        label,
        &stack_id,
        &stack.stack_name,
        changes.len(),
        options.poll_interval,
    )
    .await?;
    let started = Instant::now();
    change_set::execute(&cfn, label, &arn, options.poll_interval).await?;
    let info = monitor.wait().await?;
    let Some(info) = info else {
        return Err(EngineError::StackFailed {
            stack: label.to_owned(),
            status: "DELETE_COMPLETE".to_owned(),
            reason: Some("the stack disappeared while deploying".to_owned()),
            failures: monitor.failures,
        });
    };
    if info.status != "CREATE_COMPLETE" && info.status != "UPDATE_COMPLETE" {
        return Err(EngineError::StackFailed {
            stack: label.to_owned(),
            status: info.status,
            reason: info.reason,
            failures: monitor.failures,
        });
    }
    let info = apply_termination_protection(&cfn, sink, stack, info).await?;
    sink.notice(
        label,
        format!(
            "{} in {:.1} s",
            info.status,
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(StackOutcome::Deployed {
        status: info.status,
        outputs: info.outputs,
        changes,
    })
}

/// Brings the stack into a state a change set can be created on, and returns it (`None`
/// when it does not exist).
async fn prepare(
    cfn: &Client,
    options: &DeployOptions,
    sink: &Sink<'_>,
    stack: &DeployableStack,
) -> Result<Option<StackInfo>, EngineError> {
    let label = stack.id.as_str();
    loop {
        let Some(info) = status::describe(cfn, label, &stack.stack_name).await? else {
            return Ok(None);
        };
        if info.is_busy() {
            sink.notice(
                label,
                format!(
                    "waiting: the stack is {} from an operation started elsewhere",
                    info.status
                ),
            );
            let mut monitor = follow(
                cfn,
                sink,
                label,
                &info,
                &stack.stack_name,
                options.poll_interval,
            )
            .await?;
            monitor.wait().await?;
            continue;
        }
        match info.status.as_str() {
            "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" => {
                sink.notice(
                    label,
                    format!(
                        "the stack is in {} after a failed first create, so it holds nothing: deleting it to create it again",
                        info.status
                    ),
                );
                delete_and_wait(
                    cfn,
                    options.poll_interval,
                    sink,
                    label,
                    &info,
                    &stack.stack_name,
                )
                .await?;
                return Ok(None);
            }
            "UPDATE_ROLLBACK_FAILED" if options.continue_rollback => {
                sink.notice(
                    label,
                    "continuing the failed rollback (ContinueUpdateRollback)".to_owned(),
                );
                let mut monitor = follow(
                    cfn,
                    sink,
                    label,
                    &info,
                    &stack.stack_name,
                    options.poll_interval,
                )
                .await?;
                cfn.continue_update_rollback()
                    .stack_name(&info.stack_id)
                    .send()
                    .await
                    .map_err(|error| EngineError::aws(label, "ContinueUpdateRollback", error))?;
                let settled = monitor.wait().await?;
                match settled {
                    Some(settled) if settled.status == "UPDATE_ROLLBACK_COMPLETE" => continue,
                    settled => {
                        return Err(EngineError::StackFailed {
                            stack: label.to_owned(),
                            status: settled
                                .as_ref()
                                .map(|s| s.status.clone())
                                .unwrap_or_else(|| "DELETE_COMPLETE".to_owned()),
                            reason: settled.and_then(|s| s.reason),
                            failures: monitor.failures,
                        });
                    }
                }
            }
            "UPDATE_ROLLBACK_FAILED" => {
                return Err(EngineError::UpdateRollbackFailed {
                    stack: label.to_owned(),
                    resources: failed_resources(cfn, label, &info.stack_id).await?,
                });
            }
            "CREATE_FAILED" | "UPDATE_FAILED" => {
                return Err(EngineError::NotDeployable {
                    stack: label.to_owned(),
                    status: info.status.clone(),
                    advice: "a deploy with rollback disabled failed: roll it back (aws cloudformation rollback-stack) or delete it, then deploy again".to_owned(),
                });
            }
            "DELETE_FAILED" => {
                return Err(EngineError::NotDeployable {
                    stack: label.to_owned(),
                    status: info.status.clone(),
                    advice: format!(
                        "a delete failed{}: run `destroy` again once the cause is fixed",
                        info.reason
                            .as_deref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    ),
                });
            }
            _ => return Ok(Some(info)),
        }
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

/// The template the stack was last deployed with.
pub(crate) async fn deployed_template(
    cfn: &Client,
    label: &str,
    stack_name: &str,
) -> Result<Json, EngineError> {
    let answer = cfn
        .get_template()
        .stack_name(stack_name)
        .template_stage(aws_sdk_cloudformation::types::TemplateStage::Original)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "GetTemplate", error))?;
    let body = answer.template_body().unwrap_or("{}");
    serde_json::from_str(body)
        .or_else(|_| serde_yaml_ng::from_str(body))
        .map_err(|error| EngineError::DeployedTemplate {
            stack: label.to_owned(),
            reason: error.to_string(),
        })
}

/// Refuses a deploy that removes an export another stack still imports: CloudFormation would
/// fail the update only after changing resources. Export names that are not plain strings in
/// the new template cannot be compared, so then the check is left to CloudFormation.
async fn check_removed_exports(
    cfn: &Client,
    label: &str,
    deployed: &StackInfo,
    template: &Json,
) -> Result<(), EngineError> {
    let mut kept = Vec::new();
    for output in template
        .get("Outputs")
        .and_then(Json::as_object)
        .into_iter()
        .flat_map(|outputs| outputs.values())
    {
        match output.get("Export").and_then(|export| export.get("Name")) {
            None => {}
            Some(Json::String(name)) => kept.push(name.as_str()),
            Some(_) => return Ok(()),
        }
    }
    for export in deployed
        .outputs
        .iter()
        .filter_map(|output| output.export_name.as_deref())
        .filter(|name| !kept.contains(name))
    {
        let mut importers = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let answer = match cfn
                .list_imports()
                .export_name(export)
                .set_next_token(token.clone())
                .send()
                .await
            {
                Ok(answer) => answer,
                Err(error) => {
                    let error = EngineError::aws(label, "ListImports", error);
                    match &error {
                        EngineError::Aws { message, .. }
                            if message.contains("is not imported by any stack") =>
                        {
                            break;
                        }
                        _ => return Err(error),
                    }
                }
            };
            importers.extend(answer.imports().iter().cloned());
            token = answer.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        if !importers.is_empty() {
            return Err(EngineError::ExportInUse {
                stack: label.to_owned(),
                export: export.to_owned(),
                importers,
            });
        }
    }
    Ok(())
}

/// Parameter values for the change set: those given for this stack (or for every stack),
/// and, on update, the previous value of every other parameter the stack already has.
fn parameters(
    options: &DeployOptions,
    stack: &DeployableStack,
    existing: Option<&StackInfo>,
) -> Vec<Parameter> {
    let declared: Vec<&String> = stack
        .template
        .get("Parameters")
        .and_then(Json::as_object)
        .map(|parameters| parameters.keys().collect())
        .unwrap_or_default();
    let mut values = Vec::new();
    for key in declared {
        let given = options
            .parameters
            .iter()
            .rev()
            .find(|p| &p.key == key && p.stack.as_ref().is_none_or(|s| *s == stack.id));
        if let Some(given) = given {
            values.push(
                Parameter::builder()
                    .parameter_key(key)
                    .parameter_value(&given.value)
                    .build(),
            );
        } else if existing.is_some_and(|info| info.parameter_keys.contains(key)) {
            values.push(
                Parameter::builder()
                    .parameter_key(key)
                    .use_previous_value(true)
                    .build(),
            );
        }
    }
    values
}

/// Why the change set needs the user's approval under `policy` (empty: it does not).
pub fn approval_reasons(
    policy: RequireApproval,
    changes: &[ChangeRow],
    security: &SecurityChanges,
) -> Vec<String> {
    let mut reasons = Vec::new();
    match policy {
        RequireApproval::Never => {}
        RequireApproval::AnyChange => {
            if !changes.is_empty() {
                reasons.push(format!("{} resource change(s)", changes.len()));
            }
        }
        RequireApproval::Broadening => {
            for change in changes.iter().filter(|change| change.replaces()) {
                reasons.push(format!(
                    "{} ({}) {} replaced",
                    change.logical_id,
                    change.resource_type,
                    if change.replacement == "True" {
                        "will be"
                    } else {
                        "may be"
                    }
                ));
            }
            if security.broadens() {
                reasons.push("IAM statements or security-group rules grant more access".to_owned());
            }
        }
    }
    reasons
}

/// Deletes a change set the user will not execute, and the empty stack a first change set
/// left in REVIEW_IN_PROGRESS, so that nothing is half-done. Failures here are reported as
/// notices: the original error matters more.
async fn abandon(cfn: &Client, sink: &Sink<'_>, stack: &DeployableStack, arn: &str, create: bool) {
    let label = stack.id.as_str();
    if let Err(error) = change_set::delete(cfn, label, arn).await {
        sink.notice(label, format!("could not delete the change set: {error}"));
    }
    if create
        && let Ok(Some(info)) = status::describe(cfn, label, &stack.stack_name).await
        && info.status == "REVIEW_IN_PROGRESS"
        && let Err(error) = cfn.delete_stack().stack_name(&info.stack_id).send().await
    {
        sink.notice(
            label,
            format!(
                "could not delete the empty stack: {}",
                EngineError::aws(label, "DeleteStack", error)
            ),
        );
    }
}

/// The outcome of a deploy that changed nothing (termination protection may still change).
async fn finish_unchanged(
    cfn: &Client,
    sink: &Sink<'_>,
    stack: &DeployableStack,
    existing: Option<StackInfo>,
) -> Result<StackOutcome, EngineError> {
    let outputs = match existing {
        Some(info) => {
            apply_termination_protection(cfn, sink, stack, info)
                .await?
                .outputs
        }
        None => Vec::new(),
    };
    Ok(StackOutcome::NoChanges { outputs })
}

/// Termination protection is not part of a change set: set it with its own call.
async fn apply_termination_protection(
    cfn: &Client,
    sink: &Sink<'_>,
    stack: &DeployableStack,
    info: StackInfo,
) -> Result<StackInfo, EngineError> {
    if info.termination_protection == stack.termination_protection {
        return Ok(info);
    }
    let label = stack.id.as_str();
    cfn.update_termination_protection()
        .stack_name(&info.stack_id)
        .enable_termination_protection(stack.termination_protection)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "UpdateTerminationProtection", error))?;
    sink.notice(
        label,
        format!(
            "termination protection turned {}",
            if stack.termination_protection {
                "on"
            } else {
                "off"
            }
        ),
    );
    Ok(StackInfo {
        termination_protection: stack.termination_protection,
        ..info
    })
}
