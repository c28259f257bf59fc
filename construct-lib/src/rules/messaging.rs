//! SNS, SQS and CloudWatch Logs: encryption with KMS, retention.

use serde_json::Value as Json;

use super::{ResourceView, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "SNS1",
        severity: Severity::Warning,
        title: "a topic without KMS encryption",
        why: "messages are stored unencrypted at rest while SNS delivers them",
        fix: "Topic builder: encryption_key(&key) (a customer key: CloudWatch alarms cannot publish to a topic under AWS's aws/sns key)",
        checkov: &["CKV_AWS_26"],
        cfn_lint: &[],
        resource_types: &["AWS::SNS::Topic"],
        check: topic_unencrypted,
    },
    Rule {
        id: "SQS1",
        severity: Severity::Warning,
        title: "a queue without a KMS key",
        why: "SQS-managed encryption protects the disks only; a KMS key also controls and records who reads the messages",
        fix: "Queue builder: encryption(QueueEncryption::Kms(...))",
        checkov: &["CKV_AWS_27"],
        cfn_lint: &[],
        resource_types: &["AWS::SQS::Queue"],
        check: queue_without_key,
    },
    Rule {
        id: "LOGS1",
        severity: Severity::Warning,
        title: "a log group without a KMS key",
        why: "logs often hold personal data or secrets printed by mistake; a key controls and records who reads them",
        fix: "give the log group a KMS key whose policy admits logs.<region>.amazonaws.com",
        checkov: &["CKV_AWS_158"],
        cfn_lint: &[],
        resource_types: &["AWS::Logs::LogGroup"],
        check: log_group_without_key,
    },
    Rule {
        id: "LOGS2",
        severity: Severity::Warning,
        title: "a log group that keeps logs forever",
        why: "logs kept without end cost more every month and keep personal data longer than needed",
        fix: "set a retention (RetentionDays)",
        checkov: &["CKV_AWS_66"],
        cfn_lint: &[],
        resource_types: &["AWS::Logs::LogGroup"],
        check: no_retention,
    },
];

fn topic_unencrypted(view: &ResourceView<'_>) -> Option<String> {
    (!view.has("/KmsMasterKeyId")).then(|| "no KmsMasterKeyId".to_owned())
}

fn queue_without_key(view: &ResourceView<'_>) -> Option<String> {
    (!view.has("/KmsMasterKeyId")).then(|| {
        if view.at("/SqsManagedSseEnabled").and_then(Json::as_bool) == Some(true) {
            "SQS-managed encryption only".to_owned()
        } else {
            "no KmsMasterKeyId".to_owned()
        }
    })
}

fn log_group_without_key(view: &ResourceView<'_>) -> Option<String> {
    (!view.has("/KmsKeyId")).then(|| "no KmsKeyId".to_owned())
}

fn no_retention(view: &ResourceView<'_>) -> Option<String> {
    (!view.has("/RetentionInDays")).then(|| "no RetentionInDays".to_owned())
}
