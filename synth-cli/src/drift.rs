//! Drift: what changed in the account behind CloudFormation's back. DetectStackDrift starts a
//! detection, DescribeStackDriftDetectionStatus is followed until it ends, and
//! DescribeStackResourceDrifts lists each modified or deleted resource with the properties that
//! differ (expected by the template, actual in the account).

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::StackResourceDriftStatus;

use crate::error::EngineError;

/// One property that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyDrift {
    /// Its path (`/VersioningConfiguration/Status`).
    pub path: String,
    /// What the template says (JSON text), if anything.
    pub expected: Option<String>,
    /// What the account has (JSON text), if anything.
    pub actual: Option<String>,
    /// `ADD`, `REMOVE` or `NOT_EQUAL`.
    pub kind: String,
}

/// A resource that drifted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceDrift {
    /// Its logical ID.
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// `MODIFIED` or `DELETED`.
    pub status: String,
    /// The properties that differ (none for a deleted resource).
    pub properties: Vec<PropertyDrift>,
}

/// What a detection found for one stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackDrift {
    /// Every checked resource is as the template says.
    InSync,
    /// Some resources differ.
    Drifted(Vec<ResourceDrift>),
    /// The stack is not deployed: nothing to compare.
    NotDeployed,
}

/// Detects the drift of the stack `stack_name` (`label` in messages), polling every `poll`.
/// A detection that fails (for some resources, CloudFormation says why) is an error that
/// carries what it did find.
pub async fn detect(
    cfn: &Client,
    label: &str,
    stack_name: &str,
    poll: Duration,
) -> Result<StackDrift, EngineError> {
    let started = cfn
        .detect_stack_drift()
        .stack_name(stack_name)
        .send()
        .await
        .map_err(|error| EngineError::aws(label, "DetectStackDrift", error))?;
    let id = started
        .stack_drift_detection_id()
        .ok_or_else(|| EngineError::Aws {
            stack: label.to_owned(),
            operation: "DetectStackDrift",
            code: None,
            message: "the answer has no detection id".to_owned(),
        })?
        .to_owned();
    let detection = loop {
        let answer = cfn
            .describe_stack_drift_detection_status()
            .stack_drift_detection_id(&id)
            .send()
            .await
            .map_err(|error| EngineError::aws(label, "DescribeStackDriftDetectionStatus", error))?;
        let status = answer
            .detection_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default();
        if status == "DETECTION_IN_PROGRESS" {
            tokio::time::sleep(poll).await;
            continue;
        }
        let stack_status = answer
            .stack_drift_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default();
        break (
            status,
            stack_status,
            answer.detection_status_reason().map(str::to_owned),
        );
    };
    let (status, stack_status, reason) = detection;
    let drifts = resource_drifts(cfn, label, stack_name).await?;
    match status.as_str() {
        // Nothing drifted, but nothing was checked either (types drift detection skips).
        "DETECTION_COMPLETE" if drifts.is_empty() && stack_status != "IN_SYNC" => {
            Err(EngineError::DriftDetectionFailed {
                stack: label.to_owned(),
                status: format!("{status} with the stack {stack_status}"),
                reason: "no resource of the stack could be checked for drift".to_owned(),
                drifted: Vec::new(),
            })
        }
        "DETECTION_COMPLETE" if drifts.is_empty() => Ok(StackDrift::InSync),
        "DETECTION_COMPLETE" => Ok(StackDrift::Drifted(drifts)),
        _ => Err(EngineError::DriftDetectionFailed {
            stack: label.to_owned(),
            status,
            reason: reason.unwrap_or_else(|| "no reason given".to_owned()),
            drifted: drifts.iter().map(|d| d.logical_id.clone()).collect(),
        }),
    }
}

/// The modified and deleted resources of the last detection, with their differences.
async fn resource_drifts(
    cfn: &Client,
    label: &str,
    stack_name: &str,
) -> Result<Vec<ResourceDrift>, EngineError> {
    let mut drifts = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let answer = cfn
            .describe_stack_resource_drifts()
            .stack_name(stack_name)
            .stack_resource_drift_status_filters(StackResourceDriftStatus::Modified)
            .stack_resource_drift_status_filters(StackResourceDriftStatus::Deleted)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|error| EngineError::aws(label, "DescribeStackResourceDrifts", error))?;
        for drift in answer.stack_resource_drifts() {
            drifts.push(ResourceDrift {
                logical_id: drift.logical_resource_id().unwrap_or_default().to_owned(),
                resource_type: drift.resource_type().unwrap_or_default().to_owned(),
                status: drift
                    .stack_resource_drift_status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                properties: drift
                    .property_differences()
                    .iter()
                    .map(|p| PropertyDrift {
                        path: p.property_path().unwrap_or_default().to_owned(),
                        expected: p.expected_value().map(str::to_owned),
                        actual: p.actual_value().map(str::to_owned),
                        kind: p
                            .difference_type()
                            .map(|d| d.as_str().to_owned())
                            .unwrap_or_default(),
                    })
                    .collect(),
            });
        }
        token = answer.next_token().map(str::to_owned);
        if token.is_none() {
            drifts.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
            return Ok(drifts);
        }
    }
}
