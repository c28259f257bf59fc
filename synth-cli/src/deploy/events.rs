//! What the engine reports while it works, as data: the command line prints these, another
//! tool can show them its own way.

use std::time::Duration;

use crate::diff::SecurityChanges;

/// One resource change of a change set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    /// `Add`, `Modify`, `Remove`, `Import` or `Dynamic`.
    pub action: String,
    /// The resource's logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `True`, `Conditional` or `False` (empty when CloudFormation does not say).
    pub replacement: String,
    /// What CloudFormation does with the old resource under its policies: `Delete`, `Retain`,
    /// `Snapshot`, `ReplaceAndDelete`, `ReplaceAndRetain`, `ReplaceAndSnapshot` (empty when it
    /// does not say).
    pub policy_action: String,
}

impl ChangeRow {
    /// Whether the change replaces the resource (`True`) or may (`Conditional`).
    pub fn replaces(&self) -> bool {
        self.replacement == "True" || self.replacement == "Conditional"
    }
}

/// One stack event (a resource or the stack changing status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackEventRow {
    /// When it happened (RFC 3339).
    pub timestamp: String,
    /// The resource's logical ID (the stack name for the stack itself).
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// The new status (`CREATE_COMPLETE`).
    pub status: String,
    /// CloudFormation's reason, if any.
    pub reason: Option<String>,
}

impl StackEventRow {
    /// Whether this event reports a failure (`CREATE_FAILED`, ...) other than a
    /// cancellation caused by another failure.
    pub fn is_failure(&self) -> bool {
        self.status.ends_with("_FAILED")
            && !self
                .reason
                .as_deref()
                .is_some_and(|reason| reason.contains("cancelled"))
    }
}

/// What happened, in order, for one stack.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DeployEvent {
    /// Work on the stack starts.
    Started {
        /// The stack id.
        stack: String,
        /// The region.
        region: String,
    },
    /// Something the user should know (a stack deleted to be re-created, a wait).
    Notice {
        /// The stack id.
        stack: String,
        /// The message.
        message: String,
    },
    /// The change set is ready; these are its changes.
    ChangeSet {
        /// The stack id.
        stack: String,
        /// The change set ARN.
        arn: String,
        /// Its resource changes.
        changes: Vec<ChangeRow>,
        /// IAM statements and security-group rules it adds or removes.
        security: SecurityChanges,
    },
    /// A stack event arrived while deploying or deleting.
    Progress {
        /// The stack id.
        stack: String,
        /// The event.
        event: StackEventRow,
        /// Resources finished so far.
        done: usize,
        /// Resources the operation touches.
        total: usize,
        /// Time since the operation started.
        elapsed: Duration,
    },
    /// The deployment of an ECS service the operation changes moved on (a release).
    ServiceDeployment {
        /// The stack id.
        stack: String,
        /// The service's logical ID.
        service: String,
        /// Its deployment now.
        state: super::services::ServiceDeploymentState,
    },
    /// The stack is done (the result says how it ended).
    Finished {
        /// The stack id.
        stack: String,
        /// How long the stack took.
        elapsed: Duration,
    },
}

impl DeployEvent {
    /// The stack the event is about.
    pub fn stack(&self) -> &str {
        match self {
            Self::Started { stack, .. }
            | Self::Notice { stack, .. }
            | Self::ChangeSet { stack, .. }
            | Self::Progress { stack, .. }
            | Self::ServiceDeployment { stack, .. }
            | Self::Finished { stack, .. } => stack,
        }
    }
}

/// What the engine asks the user before it changes something.
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovalRequest {
    /// The stack id.
    pub stack: String,
    /// Why approval is needed (replacements, broadened access).
    pub reasons: Vec<String>,
}

/// Receives the engine's events and answers its questions. Called from the engine's tasks,
/// so it must be shareable; events of different stacks may interleave.
pub trait Reporter: Send + Sync {
    /// An event happened.
    fn event(&self, event: DeployEvent);
    /// May the engine go on? Called only when the options require approval.
    fn approve(&self, request: &ApprovalRequest) -> Approval;
}

/// The answer to an [`ApprovalRequest`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Approval {
    /// Go on.
    Approved,
    /// Stop; nothing is changed.
    Declined,
    /// Nobody can answer (no terminal); the text says how to approve.
    Unanswerable(String),
}

/// A reporter that keeps every event and approval request, for tools and tests that look at
/// them afterwards.
#[derive(Debug, Default)]
pub struct Recorder {
    events: std::sync::Mutex<Vec<DeployEvent>>,
    requests: std::sync::Mutex<Vec<ApprovalRequest>>,
    /// The answer to every approval request. Default: declined.
    pub approve: bool,
}

impl Recorder {
    /// A recorder that answers every approval request with `approve`.
    pub fn new(approve: bool) -> Self {
        Self {
            approve,
            ..Self::default()
        }
    }

    /// The approval requests so far.
    pub fn approval_requests(&self) -> Vec<ApprovalRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The events so far.
    pub fn events(&self) -> Vec<DeployEvent> {
        self.events
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl Reporter for Recorder {
    fn event(&self, event: DeployEvent) {
        self.events
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(event);
    }

    fn approve(&self, request: &ApprovalRequest) -> Approval {
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(request.clone());
        if self.approve {
            Approval::Approved
        } else {
            Approval::Declined
        }
    }
}

/// The engine's side of a [`Reporter`]: events and notices for one run.
pub(crate) struct Sink<'a> {
    /// Where events go.
    pub reporter: &'a dyn Reporter,
}

impl Sink<'_> {
    /// Reports an event.
    pub fn emit(&self, event: DeployEvent) {
        self.reporter.event(event);
    }

    /// Reports a notice about `stack`.
    pub fn notice(&self, stack: &str, message: String) {
        self.reporter.event(DeployEvent::Notice {
            stack: stack.to_owned(),
            message,
        });
    }
}
