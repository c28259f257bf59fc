//! IAM: administrator policies, write access on every resource, trust too wide.

use serde_json::Value as Json;

use super::{ResourceView, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "IAM1",
        severity: Severity::Error,
        title: "a policy allows every action on every resource",
        why: "whoever holds it is an administrator: one leaked credential or bug reaches everything in the account",
        fix: "grant the actions the code calls on the resources it uses (the constructs' grant_* methods do)",
        checkov: &["CKV_AWS_62"],
        cfn_lint: &[],
        resource_types: &[
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::Role",
        ],
        check: administrator,
    },
    Rule {
        id: "IAM2",
        severity: Severity::Warning,
        title: "a policy allows write actions on every resource",
        why: "a write on `*` reaches every resource of that service in the account, not the one the code uses",
        fix: "name the resources' ARNs or narrow the statement with a Condition (actions that take no ARN, such as ecs:RegisterTaskDefinition, are not counted)",
        checkov: &["CKV_AWS_111"],
        cfn_lint: &[],
        resource_types: &[
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::Role",
        ],
        check: write_on_everything,
    },
    Rule {
        id: "IAM3",
        severity: Severity::Error,
        title: "a role trusts every AWS principal",
        why: "any account may assume the role",
        fix: "trust the service, account or identity provider that assumes it",
        checkov: &[],
        cfn_lint: &[],
        resource_types: &["AWS::IAM::Role"],
        check: trusts_everyone,
    },
];

/// Actions that take no resource ARN (Service Authorization Reference): `*` is their only
/// resource.
const NO_RESOURCE_ARN: &[&str] = &[
    "cloudwatch:PutMetricData",
    "ecr:GetAuthorizationToken",
    "ecs:DiscoverPollEndpoint",
    "ecs:DeregisterTaskDefinition",
    "ecs:RegisterTaskDefinition",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
];

/// The Allow statements of every policy document of the resource.
fn allow_statements<'a>(view: &ResourceView<'a>) -> Vec<&'a Json> {
    let mut documents: Vec<&Json> = view.at("/PolicyDocument").into_iter().collect();
    for policy in view
        .at("/Policies")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        documents.extend(policy.get("PolicyDocument"));
    }
    documents
        .into_iter()
        .flat_map(|d| list(d.get("Statement")))
        .filter(|s| s.get("Effect").and_then(Json::as_str) == Some("Allow"))
        .collect()
}

/// A value that may be one item or a list of them.
fn list(value: Option<&Json>) -> Vec<&Json> {
    match value {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

fn strings(value: Option<&Json>) -> Vec<&str> {
    list(value).into_iter().filter_map(Json::as_str).collect()
}

fn on_everything(statement: &Json) -> bool {
    strings(statement.get("Resource")).contains(&"*")
}

fn administrator(view: &ResourceView<'_>) -> Option<String> {
    allow_statements(view)
        .into_iter()
        .any(|s| {
            on_everything(s)
                && strings(s.get("Action"))
                    .iter()
                    .any(|a| *a == "*" || *a == "*:*")
        })
        .then(|| "Action `*` on Resource `*`".to_owned())
}

/// A write: not a read (`Describe*`, `Get*`, `List*`, ...) and not an action without ARN.
fn is_write(action: &str) -> bool {
    let verb = action.split(':').nth(1).unwrap_or(action);
    let read = [
        "Describe", "Get", "List", "BatchGet", "Head", "Search", "Lookup",
    ]
    .iter()
    .any(|prefix| verb.starts_with(prefix));
    !read && !NO_RESOURCE_ARN.contains(&action) && verb != "*"
}

fn write_on_everything(view: &ResourceView<'_>) -> Option<String> {
    // A condition (say `ecs:cluster` equal to one cluster's ARN) is how actions whose
    // resource cannot be named are narrowed; checkov's CKV_AWS_111 counts it too.
    let writes: Vec<&str> = allow_statements(view)
        .into_iter()
        .filter(|s| on_everything(s) && s.get("Condition").is_none())
        .flat_map(|s| strings(s.get("Action")))
        .filter(|a| is_write(a))
        .collect();
    (!writes.is_empty()).then(|| format!("{} on Resource `*`", writes.join(", ")))
}

fn trusts_everyone(view: &ResourceView<'_>) -> Option<String> {
    let trust = view.at("/AssumeRolePolicyDocument")?;
    list(trust.get("Statement"))
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Json::as_str) == Some("Allow"))
        .any(|s| {
            let principal = s.get("Principal");
            principal.and_then(Json::as_str) == Some("*")
                || strings(principal.and_then(|p| p.get("AWS"))).contains(&"*")
        })
        .then(|| "Principal `*` in the trust policy".to_owned())
}
