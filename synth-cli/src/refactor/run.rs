//! Performing a [`RefactorPlan`] through CloudFormation's stack refactoring: CreateStackRefactor
//! with the stack definitions and explicit resource mappings, DescribeStackRefactor until it is
//! created, ListStackRefactorActions for what it will do, ExecuteStackRefactor, and
//! DescribeStackRefactor until the execution settles.

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{ResourceLocation, ResourceMapping, StackDefinition};

use super::plan::RefactorPlan;
use crate::aws::Session;
use crate::deploy::change_set::TemplateSource;
use crate::deploy::staging;
use crate::error::EngineError;

/// The label refactor errors carry in place of a stack (a refactor spans stacks).
const LABEL: &str = "(refactor)";

/// One action of a created refactor, as ListStackRefactorActions gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefactorAction {
    /// `MOVE` or `CREATE`.
    pub action: String,
    /// `RESOURCE` or `STACK`.
    pub entity: String,
    /// The physical ID of the resource, if any.
    pub physical_id: String,
    /// `Stack/LogicalId -> Stack/LogicalId`, or CloudFormation's description.
    pub description: String,
}

/// Where the refactor runs: the region's client, and the staging stack for templates over
/// 51,200 bytes (uploaded as `deploy` uploads them).
pub struct Target<'a> {
    /// The session.
    pub session: &'a Session,
    /// The region of every stack of the refactor.
    pub region: &'a str,
    /// The staging stack (`bootstrap`).
    pub toolkit_stack: &'a str,
}

/// Creates the refactor and waits until CloudFormation has checked it and it can be executed;
/// returns its id and actions.
pub async fn create(
    target: &Target<'_>,
    plan: &RefactorPlan,
    poll: Duration,
) -> Result<(String, Vec<RefactorAction>), EngineError> {
    let cfn = target.session.cloudformation(target.region);
    let answer = cfn
        .create_stack_refactor()
        .description("Renames found by synth-cli")
        .enable_stack_creation(plan.creates_stacks())
        .set_stack_definitions(Some(stack_definitions(target, plan).await?))
        .set_resource_mappings(Some(resource_mappings(plan)))
        .send()
        .await
        .map_err(|error| EngineError::aws(LABEL, "CreateStackRefactor", error))?;
    let id = answer
        .stack_refactor_id()
        .ok_or_else(|| EngineError::Aws {
            stack: LABEL.to_owned(),
            operation: "CreateStackRefactor",
            code: None,
            message: "the answer has no stack refactor id".to_owned(),
        })?
        .to_owned();
    wait_created(&cfn, &id, poll).await?;
    let actions = actions(&cfn, &id).await?;
    Ok((id, actions))
}

/// Each stack's template, in the request or (over 51,200 bytes) staged in S3.
async fn stack_definitions(
    target: &Target<'_>,
    plan: &RefactorPlan,
) -> Result<Vec<StackDefinition>, EngineError> {
    let mut definitions = Vec::new();
    for stack in &plan.stacks {
        let source = staging::template_source(
            target.session,
            target.region,
            target.toolkit_stack,
            &stack.stack,
            &stack.stack_name,
            &stack.template.to_string(),
        )
        .await?;
        let definition = StackDefinition::builder().stack_name(&stack.stack_name);
        definitions.push(match source {
            TemplateSource::Body(body) => definition.template_body(body).build(),
            TemplateSource::Url(url) => definition.template_url(url).build(),
        });
    }
    Ok(definitions)
}

fn resource_mappings(plan: &RefactorPlan) -> Vec<ResourceMapping> {
    let location = |(stack, id): &(String, String)| {
        ResourceLocation::builder()
            .stack_name(stack)
            .logical_resource_id(id)
            .build()
    };
    plan.mappings
        .iter()
        .map(|mapping| {
            ResourceMapping::builder()
                .source(location(&mapping.source))
                .destination(location(&mapping.destination))
                .build()
        })
        .collect()
}

/// Waits until CloudFormation has checked the refactor and it can be executed.
async fn wait_created(cfn: &Client, id: &str, poll: Duration) -> Result<(), EngineError> {
    loop {
        let state = describe(cfn, id).await?;
        match (state.status.as_str(), state.execution_status.as_str()) {
            ("CREATE_IN_PROGRESS", _) => tokio::time::sleep(poll).await,
            ("CREATE_COMPLETE", "AVAILABLE") => return Ok(()),
            ("CREATE_COMPLETE", execution) => {
                return Err(EngineError::RefactorFailed {
                    id: id.to_owned(),
                    status: format!("CREATE_COMPLETE but {execution}"),
                    reason: state.execution_reason.or(state.status_reason),
                });
            }
            (other, _) => {
                return Err(EngineError::RefactorFailed {
                    id: id.to_owned(),
                    status: other.to_owned(),
                    reason: state.status_reason,
                });
            }
        }
    }
}

/// How many polls a refactor may stay AVAILABLE after ExecuteStackRefactor before the wait
/// gives up (CloudFormation documents no delay before the execution starts).
const POLLS_BEFORE_EXECUTION_STARTS: u32 = 30;

/// Executes a created refactor and follows it until it settles. A refactor still AVAILABLE
/// after [`POLLS_BEFORE_EXECUTION_STARTS`] polls ends as an error: the execution never began.
pub async fn execute(cfn: &Client, id: &str, poll: Duration) -> Result<(), EngineError> {
    cfn.execute_stack_refactor()
        .stack_refactor_id(id)
        .send()
        .await
        .map_err(|error| EngineError::aws(LABEL, "ExecuteStackRefactor", error))?;
    let mut waiting_to_start = 0;
    loop {
        let state = describe(cfn, id).await?;
        match state.execution_status.as_str() {
            "EXECUTE_COMPLETE" => return Ok(()),
            "AVAILABLE" if waiting_to_start < POLLS_BEFORE_EXECUTION_STARTS => {
                waiting_to_start += 1;
                tokio::time::sleep(poll).await;
            }
            "EXECUTE_IN_PROGRESS" | "ROLLBACK_IN_PROGRESS" => {
                tokio::time::sleep(poll).await;
            }
            other => {
                return Err(EngineError::RefactorFailed {
                    id: id.to_owned(),
                    status: other.to_owned(),
                    reason: if other == "AVAILABLE" {
                        Some("the execution did not start".to_owned())
                    } else {
                        state.execution_reason.or(state.status_reason)
                    },
                });
            }
        }
    }
}

/// What DescribeStackRefactor says.
struct RefactorState {
    status: String,
    status_reason: Option<String>,
    execution_status: String,
    execution_reason: Option<String>,
}

async fn describe(cfn: &Client, id: &str) -> Result<RefactorState, EngineError> {
    let answer = cfn
        .describe_stack_refactor()
        .stack_refactor_id(id)
        .send()
        .await
        .map_err(|error| EngineError::aws(LABEL, "DescribeStackRefactor", error))?;
    Ok(RefactorState {
        status: answer
            .status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        status_reason: answer.status_reason().map(str::to_owned),
        execution_status: answer
            .execution_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        execution_reason: answer.execution_status_reason().map(str::to_owned),
    })
}

async fn actions(cfn: &Client, id: &str) -> Result<Vec<RefactorAction>, EngineError> {
    let mut actions = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let answer = cfn
            .list_stack_refactor_actions()
            .stack_refactor_id(id)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|error| EngineError::aws(LABEL, "ListStackRefactorActions", error))?;
        for action in answer.stack_refactor_actions() {
            let location = |l: Option<&ResourceLocation>| {
                l.map(|l| {
                    format!(
                        "{}/{}",
                        l.stack_name().unwrap_or("?"),
                        l.logical_resource_id().unwrap_or("?")
                    )
                })
            };
            let mapping = action.resource_mapping();
            let description = match (
                location(mapping.and_then(ResourceMapping::source)),
                location(mapping.and_then(ResourceMapping::destination)),
            ) {
                (Some(from), Some(to)) => format!("{from} -> {to}"),
                _ => action.description().unwrap_or_default().to_owned(),
            };
            actions.push(RefactorAction {
                action: action
                    .action()
                    .map(|a| a.as_str().to_owned())
                    .unwrap_or_default(),
                entity: action
                    .entity()
                    .map(|e| e.as_str().to_owned())
                    .unwrap_or_default(),
                physical_id: action.physical_resource_id().unwrap_or_default().to_owned(),
                description,
            });
        }
        token = answer.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(actions);
        }
    }
}
