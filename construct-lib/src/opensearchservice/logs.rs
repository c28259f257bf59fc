//! The domain's logs: a log group per log type, and the one CloudWatch Logs resource policy
//! that lets OpenSearch write to them (without it, creating the domain fails).

use std::collections::BTreeMap;

use cfn_l1::logs as l1_logs;
use cfn_l1::model::{ResourceRef, fns};
use cfn_l1::opensearchservice::domain as l1d;

use crate::core::scope::Scope;
use crate::iam::{PolicyDocument, PolicyStatement, Principal};
use crate::logs::LogGroup;

/// A log an OpenSearch domain publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogType {
    /// Slow search queries.
    SearchSlowLogs,
    /// Slow indexing requests.
    IndexSlowLogs,
    /// Errors and warnings of the engine.
    ApplicationLogs,
    /// Who did what (needs fine-grained access control).
    AuditLogs,
}

impl LogType {
    /// The key of `LogPublishingOptions`.
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::SearchSlowLogs => "SEARCH_SLOW_LOGS",
            Self::IndexSlowLogs => "INDEX_SLOW_LOGS",
            Self::ApplicationLogs => "ES_APPLICATION_LOGS",
            Self::AuditLogs => "AUDIT_LOGS",
        }
    }

    fn construct_id(self) -> &'static str {
        match self {
            Self::SearchSlowLogs => "SearchSlowLogs",
            Self::IndexSlowLogs => "IndexSlowLogs",
            Self::ApplicationLogs => "ApplicationLogs",
            Self::AuditLogs => "AuditLogs",
        }
    }
}

/// The publishing options, and the resource policy the domain must wait for.
pub(super) struct LogOptions {
    pub(super) options: BTreeMap<String, l1d::LogPublishingOption>,
    pub(super) policy: Option<ResourceRef<l1_logs::ResourcePolicy>>,
}

/// Adds a log group per log type and the resource policy over them.
pub(super) fn add_log_groups(scope: &mut impl Scope, logs: &[LogType]) -> LogOptions {
    let mut options = BTreeMap::new();
    let mut arns = Vec::new();
    for log in logs {
        let group = LogGroup::builder().build(scope, log.construct_id());
        options.insert(
            log.key().to_owned(),
            l1d::LogPublishingOption::new()
                .enabled(true)
                .cloud_watch_logs_log_group_arn(group.arn()),
        );
        arns.push(group.arn());
    }
    if arns.is_empty() {
        return LogOptions {
            options,
            policy: None,
        };
    }
    let document = PolicyDocument::new().statement(
        PolicyStatement::allow()
            .actions(["logs:PutLogEvents", "logs:CreateLogStream"])
            .principal(Principal::service("es.amazonaws.com"))
            .resources(arns)
            // Only this account's domains may write (confused-deputy conditions, as the
            // OpenSearch Service guide gives them; the domain's own ARN would be a cycle).
            .condition("StringEquals", "aws:SourceAccount", fns::account_id())
            .condition(
                "ArnLike",
                "aws:SourceArn",
                fns::sub("arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/*"),
            ),
    );
    // Resource policy names are unique per account and region (at most 10 of them): one
    // per domain, named after the stack and the domain's path.
    let path: String = scope
        .path()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let policy = scope.add(
        "LogsPolicy",
        l1_logs::ResourcePolicy::new(l1_logs::resource_policy::ResourcePolicyRequired {
            policy_document: document.to_value(),
            policy_name: fns::sub(format!("${{AWS::StackName}}-{path}-logs")),
        }),
    );
    LogOptions {
        options,
        policy: Some(policy),
    }
}
