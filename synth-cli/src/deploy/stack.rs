//! Deploying one stack: bring it into a state it can be deployed onto (`prepare.rs`),
//! create the change set, show it, ask when needed, execute it, follow it to the end.

use std::time::Instant;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Parameter, StackStatus, Tag};
use serde_json::Value as Json;

use super::change_set::{self, ChangeSetRequest, ChangeSetState};
use super::data_guard;
use super::events::{Approval, ApprovalRequest, ChangeRow, DeployEvent, Sink};
use super::prepare::prepare;
use super::services::ServiceWatch;
use super::status::{self, Monitor, StackInfo};
use super::{DeployOptions, RequireApproval, StackOutcome, capabilities, exports, staging};
use super::{blue_green_hook, routes};
use crate::assembly::DeployableStack;
use crate::aws::Session;
use crate::diff::SecurityChanges;
use crate::error::{EngineError, ReleaseFailure};

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
    let run = StackDeploy {
        cfn: session.cloudformation(&region),
        session,
        region,
        options,
        sink: Sink {
            reporter: sink.reporter,
        },
        stack,
    };
    run.run().await
}

/// One stack's deploy: what its steps share.
struct StackDeploy<'a> {
    cfn: Client,
    session: &'a Session,
    region: String,
    options: &'a DeployOptions,
    sink: Sink<'a>,
    stack: &'a DeployableStack,
}

impl StackDeploy<'_> {
    fn label(&self) -> &str {
        &self.stack.id
    }

    /// The steps, in order; each may end the deploy.
    async fn run(&self) -> Result<StackOutcome, EngineError> {
        let existing = prepare(&self.cfn, self.options, &self.sink, self.stack).await?;
        let create = existing.as_ref().is_none_or(StackInfo::never_created);
        if let Some(info) = existing.as_ref().filter(|_| !create) {
            exports::check_removed(&self.cfn, self.label(), info, &self.stack.template).await?;
        }
        let Some(arn) = self.create_change_set(existing.as_ref(), create).await? else {
            return self.finish_unchanged(existing).await;
        };
        let changes =
            match change_set::wait(&self.cfn, self.label(), &arn, self.options.poll_interval)
                .await?
            {
                ChangeSetState::Ready(changes) => changes,
                ChangeSetState::Empty => {
                    change_set::delete(&self.cfn, self.label(), &arn).await?;
                    self.sink.notice(self.label(), "no changes".to_owned());
                    return self.finish_unchanged(existing).await;
                }
                ChangeSetState::Failed(reason) => {
                    self.abandon(&arn, create).await;
                    return Err(EngineError::ChangeSetFailed {
                        stack: self.label().to_owned(),
                        reason,
                    });
                }
            };
        if let Some(mixed) = blue_green_hook::mixed_update(&self.stack.template, &changes) {
            self.abandon(&arn, create).await;
            return Err(EngineError::BlueGreenMixed {
                stack: self.label().to_owned(),
                deployment: mixed.deployment,
                others: mixed.others,
            });
        }
        let deployed = self.deployed(create).await?;
        let security = SecurityChanges::between(&deployed, &self.stack.template);
        self.sink.emit(DeployEvent::ChangeSet {
            stack: self.label().to_owned(),
            arn: arn.clone(),
            changes: changes.clone(),
            security: security.clone(),
        });
        if !self.options.execute {
            self.warn_data_loss(&changes, &deployed);
            return Ok(StackOutcome::ChangeSetCreated { arn, changes });
        }
        self.guard_data(&arn, create, &changes, &deployed).await?;
        self.approve(&arn, create, &changes, &security).await?;
        self.execute(&arn, changes).await
    }

    /// Creates the change set; `None` when CloudFormation says there is nothing to change.
    async fn create_change_set(
        &self,
        existing: Option<&StackInfo>,
        create: bool,
    ) -> Result<Option<String>, EngineError> {
        let stack = self.stack;
        let template = staging::template_source(
            self.session,
            &self.region,
            &self.options.toolkit_stack,
            self.label(),
            &stack.stack_name,
            &stack.template_body,
        )
        .await?;
        if matches!(template, change_set::TemplateSource::Url(_)) {
            let size = stack.template_body.len();
            let message = format!(
                "template is {size} bytes (over {} without indentation): uploaded to the staging bucket",
                staging::MAX_TEMPLATE_BODY
            );
            self.sink.notice(self.label(), message);
        }
        let request = ChangeSetRequest {
            label: self.label(),
            stack_name: &stack.stack_name,
            create,
            template,
            capabilities: capabilities::required(&stack.template),
            parameters: parameters(self.options, stack, existing.filter(|_| !create)),
            tags: self
                .options
                .tags
                .iter()
                .chain(&stack.tags)
                .map(|(key, value)| Tag::builder().key(key).value(value).build())
                .collect(),
        };
        match change_set::create(&self.cfn, request).await {
            Ok(arn) => Ok(Some(arn)),
            Err(EngineError::Aws { message, .. }) if change_set::means_no_changes(&message) => {
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// IAM and security-group changes against the deployed template.
    /// The template the stack runs now (`Null` for a stack this deploy creates).
    async fn deployed(&self, create: bool) -> Result<Json, EngineError> {
        if create {
            Ok(Json::Null)
        } else {
            deployed_template(&self.cfn, self.label(), &self.stack.stack_name).await
        }
    }

    /// For a change set left for review: says which resources executing it would lose the
    /// data of, since it will be executed elsewhere, without the guard.
    fn warn_data_loss(&self, changes: &[ChangeRow], deployed: &Json) {
        let losses = data_guard::losses(changes, deployed, &self.stack.template, &[]);
        if !losses.is_empty() {
            let list: Vec<String> = losses.iter().map(ToString::to_string).collect();
            self.sink.notice(
                self.label(),
                format!(
                    "executing this change set loses data (deploy would refuse it): {}",
                    list.join("; ")
                ),
            );
        }
    }

    /// Stops before execution when the change set would delete or replace a resource that
    /// holds data and that the user did not name with `--allow-data-loss`; the change set is
    /// deleted, so nothing changed.
    async fn guard_data(
        &self,
        arn: &str,
        create: bool,
        changes: &[ChangeRow],
        deployed: &Json,
    ) -> Result<(), EngineError> {
        let prefix = format!("{}/", self.label());
        let allowed: Vec<&str> = self
            .options
            .allow_data_loss
            .iter()
            .filter_map(|named| named.strip_prefix(&prefix))
            .collect();
        let losses = data_guard::losses(changes, deployed, &self.stack.template, &allowed);
        if losses.is_empty() {
            return Ok(());
        }
        self.abandon(arn, create).await;
        Err(EngineError::DataLoss {
            stack: self.label().to_owned(),
            losses,
        })
    }

    /// Asks for approval when the policy wants it; a refusal deletes the change set (and
    /// the empty stack a first change set made).
    async fn approve(
        &self,
        arn: &str,
        create: bool,
        changes: &[ChangeRow],
        security: &SecurityChanges,
    ) -> Result<(), EngineError> {
        let mut reasons = approval_reasons(self.options.require_approval, changes, security);
        let routes = routes::traffic_routes(&self.stack.template);
        reasons.extend(routes::routing_reasons(
            self.options.require_approval,
            changes,
            &routes,
        ));
        if reasons.is_empty() {
            return Ok(());
        }
        let request = ApprovalRequest {
            stack: self.label().to_owned(),
            reasons,
        };
        let advice = match self.sink.reporter.approve(&request) {
            Approval::Approved => return Ok(()),
            Approval::Declined => None,
            Approval::Unanswerable(advice) => Some(advice),
        };
        self.abandon(arn, create).await;
        Err(EngineError::NotApproved {
            stack: self.label().to_owned(),
            advice,
        })
    }

    /// Executes the change set and follows the stack until it settles.
    async fn execute(
        &self,
        arn: &str,
        changes: Vec<ChangeRow>,
    ) -> Result<StackOutcome, EngineError> {
        let label = self.label();
        let stack_id = status::describe(&self.cfn, label, &self.stack.stack_name)
            .await?
            .map(|info| info.stack_id)
            .unwrap_or_else(|| self.stack.stack_name.clone());
        let mut monitor = Monitor::start(
            &self.cfn,
            self.sink.reporter,
            label,
            &stack_id,
            &self.stack.stack_name,
            changes.len(),
            self.options.poll_interval,
        )
        .await?;
        monitor.follow_services(ServiceWatch::new(
            self.session.ecs(&self.region),
            self.cfn.clone(),
            label,
            &stack_id,
            &changes,
        ));
        let started = Instant::now();
        change_set::execute(&self.cfn, label, arn, self.options.poll_interval).await?;
        let info = match monitor.wait().await? {
            Some(info) if info.is_deployed() => info,
            settled => {
                if let Some((service, state)) = monitor.failed_release() {
                    return Err(EngineError::ReleaseFailed(Box::new(ReleaseFailure {
                        stack: label.to_owned(),
                        service,
                        status: state.status,
                        alarms: state.triggered_alarms,
                        reason: state.reason,
                        stack_status: settled
                            .as_ref()
                            .map_or(StackStatus::DeleteComplete, |s| s.status.clone()),
                    })));
                }
                return Err(EngineError::StackFailed {
                    stack: label.to_owned(),
                    status: settled
                        .as_ref()
                        .map_or(StackStatus::DeleteComplete, |s| s.status.clone()),
                    reason: match settled {
                        Some(info) => info.reason,
                        None => Some("the stack disappeared while deploying".to_owned()),
                    },
                    failures: monitor.failures,
                });
            }
        };
        let info = apply_termination_protection(&self.cfn, &self.sink, self.stack, info).await?;
        let seconds = started.elapsed().as_secs_f64();
        self.sink
            .notice(label, format!("{} in {seconds:.1} s", info.status.as_str()));
        Ok(StackOutcome::Deployed {
            status: info.status,
            outputs: info.outputs,
            changes,
        })
    }

    async fn abandon(&self, arn: &str, create: bool) {
        abandon(&self.cfn, &self.sink, self.stack, arn, create).await;
    }

    async fn finish_unchanged(
        &self,
        existing: Option<StackInfo>,
    ) -> Result<StackOutcome, EngineError> {
        finish_unchanged(&self.cfn, &self.sink, self.stack, existing).await
    }
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
    // A stack deployed from a YAML template keeps it as written, short forms included.
    crate::template_text::parse(body).map_err(|reason| EngineError::DeployedTemplate {
        stack: label.to_owned(),
        reason,
    })
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

/// Types that every change replaces by design and that hold nothing: an ECS task definition
/// is a new revision for any change (all its properties are create-only), so each release
/// replaces it; asking for that would ask for every release.
fn replaced_by_design(resource_type: &str) -> bool {
    // A new revision, or the task set that runs it (a green deployment of CloudFormation's
    // CodeDeploy hook).
    matches!(
        resource_type,
        "AWS::ECS::TaskDefinition" | "AWS::ECS::TaskSet"
    )
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
            for change in changes
                .iter()
                .filter(|change| change.replaces() && !replaced_by_design(&change.resource_type))
            {
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
        && info.never_created()
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
