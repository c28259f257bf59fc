//! CloudFormation's query-protocol XML answers, as documented in the API reference, for the
//! actions the deploy engine calls. Only the fields the engine reads are filled, plus the ones
//! the SDK requires.

const NAMESPACE: &str = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

/// The ARN moto and these scripts give a stack called `name`.
pub fn stack_id(name: &str) -> String {
    format!(
        "arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/00000000-0000-0000-0000-000000000001"
    )
}

/// The ARN of a change set called `name`.
pub fn change_set_id(name: &str) -> String {
    format!(
        "arn:aws:cloudformation:us-east-1:123456789012:changeSet/{name}/00000000-0000-0000-0000-000000000002"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn response(action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NAMESPACE}\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>scripted</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// An error answer.
pub fn error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\"><Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>scripted</RequestId></ErrorResponse>",
        escape(code),
        escape(message)
    )
}

/// The answer DescribeStacks gives for a stack that does not exist (HTTP 400).
pub fn missing_stack(name: &str) -> (u16, String) {
    (
        400,
        error(
            "ValidationError",
            &format!("Stack with id {name} does not exist"),
        ),
    )
}

/// A stack as DescribeStacks describes it.
#[derive(Clone, Debug, Default)]
pub struct StackXml<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its status.
    pub status: &'a str,
    /// Its status reason.
    pub reason: Option<&'a str>,
    /// (key, value) outputs.
    pub outputs: &'a [(&'a str, &'a str)],
    /// (key, value, export name) exported outputs.
    pub exports: &'a [(&'a str, &'a str, &'a str)],
    /// Termination protection.
    pub termination_protection: bool,
}

/// A DescribeStacks answer with one stack.
pub fn describe_stacks(stack: &StackXml<'_>) -> String {
    let outputs: String = stack
        .outputs
        .iter()
        .map(|(key, value)| {
            format!(
                "<member><OutputKey>{}</OutputKey><OutputValue>{}</OutputValue></member>",
                escape(key),
                escape(value)
            )
        })
        .chain(stack.exports.iter().map(|(key, value, export)| {
            format!(
                "<member><OutputKey>{}</OutputKey><OutputValue>{}</OutputValue><ExportName>{}</ExportName></member>",
                escape(key),
                escape(value),
                escape(export)
            )
        }))
        .collect();
    let reason = stack
        .reason
        .map(|r| format!("<StackStatusReason>{}</StackStatusReason>", escape(r)))
        .unwrap_or_default();
    response(
        "DescribeStacks",
        &format!(
            "<Stacks><member><StackName>{name}</StackName><StackId>{id}</StackId><CreationTime>2026-11-22T00:00:00Z</CreationTime><StackStatus>{status}</StackStatus>{reason}<EnableTerminationProtection>{tp}</EnableTerminationProtection><Outputs>{outputs}</Outputs></member></Stacks>",
            name = escape(stack.name),
            id = stack_id(stack.name),
            status = stack.status,
            tp = stack.termination_protection,
        ),
    )
}

/// A CreateChangeSet answer.
pub fn create_change_set(stack: &str, change_set: &str) -> String {
    response(
        "CreateChangeSet",
        &format!(
            "<Id>{}</Id><StackId>{}</StackId>",
            change_set_id(change_set),
            stack_id(stack)
        ),
    )
}

/// A resource change: (action, logical ID, type, replacement).
pub type Change<'a> = (&'a str, &'a str, &'a str, &'a str);

/// A DescribeChangeSet answer.
pub fn describe_change_set(
    stack: &str,
    change_set: &str,
    status: &str,
    reason: Option<&str>,
    changes: &[Change<'_>],
) -> String {
    let changes: String = changes
        .iter()
        .map(|(action, logical_id, resource_type, replacement)| {
            let replacement = if replacement.is_empty() {
                String::new()
            } else {
                format!("<Replacement>{replacement}</Replacement>")
            };
            format!(
                "<member><Type>Resource</Type><ResourceChange><Action>{action}</Action><LogicalResourceId>{logical_id}</LogicalResourceId><ResourceType>{resource_type}</ResourceType>{replacement}</ResourceChange></member>"
            )
        })
        .collect();
    let reason = reason
        .map(|r| format!("<StatusReason>{}</StatusReason>", escape(r)))
        .unwrap_or_default();
    response(
        "DescribeChangeSet",
        &format!(
            "<ChangeSetName>{change_set}</ChangeSetName><ChangeSetId>{}</ChangeSetId><StackId>{}</StackId><StackName>{stack}</StackName><Status>{status}</Status>{reason}<ExecutionStatus>AVAILABLE</ExecutionStatus><Changes>{changes}</Changes>",
            change_set_id(change_set),
            stack_id(stack)
        ),
    )
}

/// A stack event: (event id, logical ID, type, status, reason).
pub type Event<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// A DescribeStackEvents answer; `events` newest first, as CloudFormation orders them.
pub fn describe_stack_events(stack: &str, events: &[Event<'_>]) -> String {
    let members: String = events
        .iter()
        .map(|(id, logical_id, resource_type, status, reason)| {
            let reason = reason
                .map(|r| format!("<ResourceStatusReason>{}</ResourceStatusReason>", escape(r)))
                .unwrap_or_default();
            format!(
                "<member><StackId>{}</StackId><EventId>{id}</EventId><StackName>{stack}</StackName><LogicalResourceId>{logical_id}</LogicalResourceId><ResourceType>{resource_type}</ResourceType><Timestamp>2026-11-22T00:00:00Z</Timestamp><ResourceStatus>{status}</ResourceStatus>{reason}</member>",
                stack_id(stack)
            )
        })
        .collect();
    response(
        "DescribeStackEvents",
        &format!("<StackEvents>{members}</StackEvents>"),
    )
}

/// A DescribeStackResources answer: (logical ID, type, status).
pub fn describe_stack_resources(stack: &str, resources: &[(&str, &str, &str)]) -> String {
    let members: String = resources
        .iter()
        .map(|(logical_id, resource_type, status)| {
            format!(
                "<member><StackName>{stack}</StackName><StackId>{}</StackId><LogicalResourceId>{logical_id}</LogicalResourceId><PhysicalResourceId>{logical_id}-physical</PhysicalResourceId><ResourceType>{resource_type}</ResourceType><Timestamp>2026-11-22T00:00:00Z</Timestamp><ResourceStatus>{status}</ResourceStatus></member>",
                stack_id(stack)
            )
        })
        .collect();
    response(
        "DescribeStackResources",
        &format!("<StackResources>{members}</StackResources>"),
    )
}

/// A DescribeStackResource answer: one resource of `stack` and its physical id.
pub fn describe_stack_resource(stack: &str, logical_id: &str, physical_id: &str) -> String {
    response(
        "DescribeStackResource",
        &format!(
            "<StackResourceDetail><StackName>{stack}</StackName><StackId>{}</StackId><LogicalResourceId>{logical_id}</LogicalResourceId><PhysicalResourceId>{physical_id}</PhysicalResourceId><ResourceType>AWS::S3::Bucket</ResourceType><LastUpdatedTimestamp>2026-11-22T00:00:00Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></StackResourceDetail>",
            stack_id(stack)
        ),
    )
}

/// A GetTemplate answer.
pub fn get_template(template: &str) -> String {
    response(
        "GetTemplate",
        &format!("<TemplateBody>{}</TemplateBody>", escape(template)),
    )
}

/// A ListImports answer: the stacks importing an export.
pub fn list_imports(stacks: &[&str]) -> String {
    let members: String = stacks
        .iter()
        .map(|stack| format!("<member>{}</member>", escape(stack)))
        .collect();
    response("ListImports", &format!("<Imports>{members}</Imports>"))
}

/// The answer of an action whose result is empty (ExecuteChangeSet, DeleteStack, ...).
pub fn empty(action: &str) -> String {
    response(action, "")
}

/// A CreateStackRefactor answer.
pub fn create_stack_refactor(id: &str) -> String {
    response(
        "CreateStackRefactor",
        &format!("<StackRefactorId>{}</StackRefactorId>", escape(id)),
    )
}

/// A DescribeStackRefactor answer: `status` (CREATE_*), `execution` (AVAILABLE, EXECUTE_*,
/// ROLLBACK_*) and their reason.
pub fn describe_stack_refactor(
    id: &str,
    status: &str,
    execution: &str,
    reason: Option<&str>,
) -> String {
    let reason = reason.map(escape).unwrap_or_default();
    let reasons = if reason.is_empty() {
        String::new()
    } else if execution.starts_with("EXECUTE") || execution.starts_with("ROLLBACK") {
        format!("<ExecutionStatusReason>{reason}</ExecutionStatusReason>")
    } else {
        format!("<StatusReason>{reason}</StatusReason>")
    };
    response(
        "DescribeStackRefactor",
        &format!(
            "<StackRefactorId>{}</StackRefactorId><Status>{status}</Status><ExecutionStatus>{execution}</ExecutionStatus>{reasons}",
            escape(id)
        ),
    )
}

/// A move of a resource: (stack, logical ID) to (stack, logical ID).
pub type Move<'a> = ((&'a str, &'a str), (&'a str, &'a str));

/// A ListStackRefactorActions answer: one MOVE RESOURCE action per move.
pub fn list_stack_refactor_actions(moves: &[Move<'_>]) -> String {
    let location = |(stack, id): (&str, &str)| {
        format!(
            "<StackName>{}</StackName><LogicalResourceId>{}</LogicalResourceId>",
            escape(stack),
            escape(id)
        )
    };
    let members: String = moves
        .iter()
        .map(|(from, to)| {
            format!(
                "<member><Action>MOVE</Action><Entity>RESOURCE</Entity><PhysicalResourceId>physical-{}</PhysicalResourceId><Detection>MANUAL</Detection><ResourceMapping><Source>{}</Source><Destination>{}</Destination></ResourceMapping></member>",
                escape(from.1),
                location(*from),
                location(*to)
            )
        })
        .collect();
    response(
        "ListStackRefactorActions",
        &format!("<StackRefactorActions>{members}</StackRefactorActions>"),
    )
}

/// A DetectStackDrift answer.
pub fn detect_stack_drift(detection_id: &str) -> String {
    response(
        "DetectStackDrift",
        &format!(
            "<StackDriftDetectionId>{}</StackDriftDetectionId>",
            escape(detection_id)
        ),
    )
}

/// A DescribeStackDriftDetectionStatus answer: `status` (DETECTION_IN_PROGRESS,
/// DETECTION_COMPLETE, DETECTION_FAILED), the stack's drift status and the reason.
pub fn describe_stack_drift_detection_status(
    stack: &str,
    detection_id: &str,
    status: &str,
    drift: &str,
    reason: Option<&str>,
) -> String {
    let reason = reason
        .map(|r| {
            format!(
                "<DetectionStatusReason>{}</DetectionStatusReason>",
                escape(r)
            )
        })
        .unwrap_or_default();
    response(
        "DescribeStackDriftDetectionStatus",
        &format!(
            "<StackId>{}</StackId><StackDriftDetectionId>{}</StackDriftDetectionId><StackDriftStatus>{drift}</StackDriftStatus><DetectionStatus>{status}</DetectionStatus>{reason}<Timestamp>2026-12-02T00:00:00Z</Timestamp>",
            stack_id(stack),
            escape(detection_id)
        ),
    )
}

/// A property that differs: (path, expected, actual, difference type).
pub type PropertyDifference<'a> = (&'a str, &'a str, &'a str, &'a str);

/// A drifted resource: (logical ID, type, MODIFIED or DELETED, its differences).
pub type ResourceDrift<'a> = (&'a str, &'a str, &'a str, &'a [PropertyDifference<'a>]);

/// A DescribeStackResourceDrifts answer.
pub fn describe_stack_resource_drifts(stack: &str, drifts: &[ResourceDrift<'_>]) -> String {
    let members: String = drifts
        .iter()
        .map(|(id, ty, status, differences)| {
            let differences: String = differences
                .iter()
                .map(|(path, expected, actual, kind)| {
                    format!(
                        "<member><PropertyPath>{}</PropertyPath><ExpectedValue>{}</ExpectedValue><ActualValue>{}</ActualValue><DifferenceType>{kind}</DifferenceType></member>",
                        escape(path),
                        escape(expected),
                        escape(actual)
                    )
                })
                .collect();
            format!(
                "<member><StackId>{}</StackId><LogicalResourceId>{}</LogicalResourceId><PhysicalResourceId>physical-{}</PhysicalResourceId><ResourceType>{}</ResourceType><StackResourceDriftStatus>{status}</StackResourceDriftStatus><PropertyDifferences>{differences}</PropertyDifferences><Timestamp>2026-12-02T00:00:00Z</Timestamp></member>",
                stack_id(stack),
                escape(id),
                escape(id),
                escape(ty)
            )
        })
        .collect();
    response(
        "DescribeStackResourceDrifts",
        &format!("<StackResourceDrifts>{members}</StackResourceDrifts>"),
    )
}
