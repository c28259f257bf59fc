//! What can go wrong when the engine talks to AWS: one typed error for deploy, diff, destroy
//! and bootstrap, each message naming the stack and saying what to do.

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::StackStatus;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;

/// A resource that failed, with CloudFormation's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceFailure {
    /// The resource's logical ID.
    pub logical_id: String,
    /// The resource type (`AWS::EC2::VPC`).
    pub resource_type: String,
    /// The failed status (`CREATE_FAILED`).
    pub status: String,
    /// CloudFormation's reason.
    pub reason: String,
}

impl std::fmt::Display for ResourceFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}) {}: {}",
            self.logical_id, self.resource_type, self.status, self.reason
        )
    }
}

/// Why a stack could not be deployed, diffed or destroyed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// Neither the stack's environment, `--region`, nor the AWS configuration gives a region.
    #[error(
        "stack {stack}: no AWS region: pass --region, set AWS_REGION, configure a region for the profile, or give the stack an environment with a region"
    )]
    NoRegion {
        /// The stack.
        stack: String,
    },
    /// The default credential chain found nothing.
    #[error(
        "no AWS credentials found ({reason}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or configure the default credential chain"
    )]
    NoCredentials {
        /// What the credential chain said.
        reason: String,
    },
    /// The stack's environment names another account than the credentials'.
    #[error(
        "stack {stack} deploys to account {expected}, but the credentials are for account {actual}: use credentials for account {expected} (--profile)"
    )]
    AccountMismatch {
        /// The stack.
        stack: String,
        /// The account in the stack's environment.
        expected: String,
        /// The account of the credentials.
        actual: String,
    },
    /// A change set combines the green deployment of CloudFormation's CodeDeploy
    /// blue/green hook with updates of other resources, which CloudFormation refuses.
    #[error(
        "stack {stack}: the blue/green deployment ({}) cannot be combined with changes to other resources ({}): CloudFormation's CodeDeploy hook refuses such an update. Deploy the other changes first with the running image (the same ImageTag), then the new image alone; nothing was changed",
        .deployment.join(", "),
        .others.join(", ")
    )]
    BlueGreenMixed {
        /// The stack.
        stack: String,
        /// The replacements that start the deployment.
        deployment: Vec<String>,
        /// The other changes.
        others: Vec<String>,
    },
    /// The change set would delete or replace resources that hold data, and the user did
    /// not name them with `--allow-data-loss`.
    #[error(
        "stack {stack}: the change set would lose data, so it was not executed and nothing changed:\n{}\nTo keep the data: a resource that only moved in the code (a new scope or stack) is moved without replacement by `refactor` (or `deploy --refactor`); otherwise give it a Retain policy (its construct's removal policy; Snapshot only for the types that take snapshots) and deploy that first with the resource still in place, or undo the change. To accept the loss, pass {}",
        .losses.iter().map(|loss| format!("  - {loss}")).collect::<Vec<_>>().join("\n"),
        .losses.iter().map(|loss| format!("--allow-data-loss {stack}/{}", loss.logical_id)).collect::<Vec<_>>().join(" ")
    )]
    DataLoss {
        /// The stack.
        stack: String,
        /// The resources whose data would be lost.
        losses: Vec<crate::deploy::data_guard::DataLoss>,
    },
    /// A drift detection did not complete (for some resources, CloudFormation says why).
    #[error(
        "stack {stack}: drift detection ended {status}: {reason}{}",
        if .drifted.is_empty() { String::new() } else { format!(" (drifted among the resources checked: {})", .drifted.join(", ")) }
    )]
    DriftDetectionFailed {
        /// The stack.
        stack: String,
        /// `DETECTION_FAILED`.
        status: String,
        /// CloudFormation's reason.
        reason: String,
        /// The resources found drifted before it failed.
        drifted: Vec<String>,
    },
    /// A rename that stack refactoring cannot perform as found.
    #[error("refactor: {0}; nothing was moved")]
    RefactorUnsupported(#[from] crate::refactor::Unsupported),
    /// CloudFormation refused or failed a stack refactor.
    #[error(
        "refactor {id} ended {status}: {}; {}",
        .reason.as_deref().unwrap_or("no reason given"),
        if .status.starts_with("EXECUTE_FAILED") || .status.starts_with("ROLLBACK") {
            "CloudFormation rolled the stacks back as far as it could (`list --long` shows their states)"
        } else {
            "nothing was moved (fix what the reason names, then run refactor again)"
        }
    )]
    RefactorFailed {
        /// The stack refactor's id.
        id: String,
        /// `CREATE_FAILED`, `EXECUTE_FAILED`, `ROLLBACK_COMPLETE`, `ROLLBACK_FAILED`, ...
        status: String,
        /// CloudFormation's reason.
        reason: Option<String>,
    },
    /// The stacks a refactor touches are in different regions (a refactor is regional).
    #[error(
        "refactor: the stacks {stacks} are in different regions ({regions}); a stack refactor works within one region, so select the stacks of one region"
    )]
    RefactorRegions {
        /// The stacks.
        stacks: String,
        /// Their regions.
        regions: String,
    },
    /// A call to AWS failed.
    #[error("stack {stack}: {operation} failed: {message}")]
    Aws {
        /// The stack.
        stack: String,
        /// The API operation (`CreateChangeSet`).
        operation: &'static str,
        /// The AWS error code, when the endpoint gave one (`ValidationError`).
        code: Option<String>,
        /// The error message, with the endpoint's answer when it was not an AWS error.
        message: String,
    },
    /// A template over 51,200 bytes needs the staging bucket, which is not there.
    #[error(
        "stack {stack}: its template is {size} bytes without indentation, over the 51,200 bytes CloudFormation takes in a request, so it is uploaded to the staging bucket, but the {region} staging stack {toolkit} is not deployed: run `bootstrap --region {region}` first"
    )]
    NotBootstrapped {
        /// The stack.
        stack: String,
        /// The template size in bytes, without indentation.
        size: usize,
        /// The region without a staging stack.
        region: String,
        /// The staging stack's name.
        toolkit: String,
    },
    /// The template is over what CloudFormation takes even from S3.
    #[error(
        "stack {stack}: its template is {size} bytes; CloudFormation takes at most 1,000,000 bytes: split the stack"
    )]
    TemplateTooLarge {
        /// The stack.
        stack: String,
        /// The template size in bytes.
        size: usize,
    },
    /// CloudFormation could not create the change set.
    #[error("stack {stack}: the change set failed: {reason}")]
    ChangeSetFailed {
        /// The stack.
        stack: String,
        /// CloudFormation's reason.
        reason: String,
    },
    /// The deploy (or delete) ended in a failed state.
    #[error("stack {stack} ended in {}{}{}", .status.as_str(), reason_suffix(.reason), failures_suffix(.failures))]
    StackFailed {
        /// The stack.
        stack: String,
        /// The final stack status.
        status: StackStatus,
        /// The stack's status reason, if any.
        reason: Option<String>,
        /// The first resources that failed, oldest first.
        failures: Vec<ResourceFailure>,
    },
    /// A release failed: an ECS service's deployment failed or was rolled back (by its
    /// circuit breaker, an alarm or a lifecycle hook), and the stack with it.
    #[error("{0}")]
    ReleaseFailed(Box<ReleaseFailure>),
    /// A previous update failed to roll back.
    #[error(
        "stack {stack} is in UPDATE_ROLLBACK_FAILED: a previous update could not roll back; resources to skip: {}. Fix them by hand or rerun with --continue-rollback",
        if .resources.is_empty() { "none found".to_owned() } else { .resources.join(", ") }
    )]
    UpdateRollbackFailed {
        /// Logical IDs of the resources that failed to roll back.
        resources: Vec<String>,
        /// The stack.
        stack: String,
    },
    /// The stack is in a state nothing can be deployed onto.
    #[error("stack {stack} is in {}: {advice}", .status.as_str())]
    NotDeployable {
        /// The stack.
        stack: String,
        /// Its status.
        status: StackStatus,
        /// What to do.
        advice: String,
    },
    /// A stack was asked for that the assembly does not have.
    #[error("stack {stack} is not in the cloud assembly")]
    NotInAssembly {
        /// The stack.
        stack: String,
    },
    /// The user (or `--require-approval`) declined the change set.
    #[error("stack {stack}: the changes were not approved; nothing was changed{}", .advice.as_deref().map(|a| format!(" ({a})")).unwrap_or_default())]
    NotApproved {
        /// The stack.
        stack: String,
        /// How to approve, when the prompt could not be shown.
        advice: Option<String>,
    },
    /// A stack this one depends on did not deploy.
    #[error("stack {stack} was skipped: the stack it depends on, {dependency}, did not {verb}")]
    Skipped {
        /// The stack.
        stack: String,
        /// The dependency that failed or was skipped.
        dependency: String,
        /// `deploy` or `delete`.
        verb: &'static str,
    },
    /// The deploy would remove an export that other stacks still import.
    #[error(
        "stack {stack}: this deploy removes the export {export}, which {} still import(s); CloudFormation would refuse it midway. First deploy the importing stacks without the reference while this stack keeps the export (`export_value`, see the README's \"References between stacks\"), then remove it",
        .importers.join(", ")
    )]
    ExportInUse {
        /// The stack.
        stack: String,
        /// The export name.
        export: String,
        /// The stacks importing it.
        importers: Vec<String>,
    },
    /// The deployed template is neither JSON nor YAML.
    #[error("stack {stack}: the deployed template cannot be read: {reason}")]
    DeployedTemplate {
        /// The stack.
        stack: String,
        /// The parse error.
        reason: String,
    },
}

fn reason_suffix(reason: &Option<String>) -> String {
    reason
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}

/// A release that failed: which service, how ECS ended its deployment and why, and how the
/// stack ended.
#[derive(Debug)]
pub struct ReleaseFailure {
    /// The stack.
    pub stack: String,
    /// The service's logical ID.
    pub service: String,
    /// ECS's status of the deployment (`ROLLBACK_SUCCESSFUL`, `FAILED`).
    pub status: String,
    /// The alarms that fired, if ECS says.
    pub alarms: Vec<String>,
    /// ECS's reason, if any.
    pub reason: Option<String>,
    /// The stack's final status.
    pub stack_status: StackStatus,
}

impl std::fmt::Display for ReleaseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stack {}: the release of service {} failed ({}){}{}; the stack ended in {}",
            self.stack,
            self.service,
            self.status,
            release_alarms(&self.alarms),
            reason_suffix(&self.reason),
            self.stack_status.as_str()
        )
    }
}

/// `: alarm(s) A, B in ALARM`, or nothing.
fn release_alarms(alarms: &[String]) -> String {
    if alarms.is_empty() {
        String::new()
    } else {
        format!(": alarm(s) {} in ALARM", alarms.join(", "))
    }
}

fn failures_suffix(failures: &[ResourceFailure]) -> String {
    failures
        .iter()
        .map(|failure| format!("\n  {failure}"))
        .collect()
}

impl EngineError {
    /// An SDK error of `operation` on `stack`, with the AWS code and message when there are
    /// some, else the endpoint's answer (emulators sometimes answer with an HTML page).
    pub fn aws<E, R>(stack: &str, operation: &'static str, error: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + RawBody,
    {
        let code = error.code().map(str::to_owned);
        let message = match (error.code(), error.message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.to_owned(),
            _ => match error.raw_response().and_then(RawBody::text) {
                // Not an AWS error document (an emulator's HTML error page, a proxy): what
                // the endpoint said is the useful part.
                Some(body) => format!("the endpoint answered {body}"),
                None => {
                    // Connection errors: the first clause names the cause; the rest repeats
                    // internal structures.
                    let detail = DisplayErrorContext(&error).to_string();
                    detail.split(" (").next().unwrap_or(&detail).to_owned()
                }
            },
        };
        Self::Aws {
            stack: stack.to_owned(),
            operation,
            code,
            message,
        }
    }

    /// Whether AWS refused the call for its rate (the request was not run).
    pub fn is_throttling(&self) -> bool {
        matches!(self, Self::Aws { code: Some(code), .. }
            if matches!(code.as_str(), "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException"))
    }

    /// Whether this is CloudFormation's "Stack with id X does not exist".
    pub fn is_missing_stack(&self) -> bool {
        matches!(self, Self::Aws { code: Some(code), message, .. }
            if code == "ValidationError" && message.contains("does not exist"))
    }
}

/// The text of a raw HTTP answer, shortened and without markup, for error messages.
pub trait RawBody {
    /// The status and body text, if the body is in memory.
    fn text(&self) -> Option<String>;
}

impl RawBody for aws_smithy_runtime_api::http::Response {
    fn text(&self) -> Option<String> {
        let bytes = self.body().bytes()?;
        let text = String::from_utf8_lossy(bytes);
        let mut plain = String::new();
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    plain.push(' ');
                }
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = plain.chars().take(400).collect();
        Some(format!("HTTP {}: {short}", self.status().as_u16()))
    }
}
