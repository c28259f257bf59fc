//! S3, Secrets Manager, DocumentDB, OpenSearch and CodeDeploy: access logs, customer
//! keys, backups, audit logs, encryption, rollback.

use serde_json::Value as Json;

use super::{ResourceView, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "S3-1",
        severity: Severity::Warning,
        title: "a bucket without access logs",
        why: "without server access logs there is no record of who read or changed the objects",
        fix: "log to another bucket (LoggingConfiguration)",
        checkov: &["CKV_AWS_18"],
        cfn_lint: &[],
        resource_types: &["AWS::S3::Bucket"],
        check: bucket_without_logs,
    },
    Rule {
        id: "S3-2",
        severity: Severity::Warning,
        title: "a bucket without a full public access block",
        why: "the template leaves public access to the account's settings and S3's defaults for new buckets; one ACL or policy mistake can then make the objects public",
        fix: "block all public access (the library's buckets do)",
        checkov: &["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
        cfn_lint: &[],
        resource_types: &["AWS::S3::Bucket"],
        check: public_access_not_blocked,
    },
    Rule {
        id: "SM1",
        severity: Severity::Warning,
        title: "a secret under AWS's managed key",
        why: "with AWS's key, any principal of the account allowed to read the secret can decrypt it; a customer key adds its own policy",
        fix: "give the secret a customer-managed KMS key",
        checkov: &["CKV_AWS_149"],
        cfn_lint: &[],
        resource_types: &["AWS::SecretsManager::Secret"],
        check: secret_with_aws_key,
    },
    Rule {
        id: "DOCDB1",
        severity: Severity::Warning,
        title: "a DocumentDB cluster keeps backups less than 7 days",
        why: "a mistake found after the retention window cannot be restored from",
        fix: "keep backups 7 days or more (backup_retention)",
        checkov: &["CKV_AWS_360"],
        cfn_lint: &[],
        resource_types: &["AWS::DocDB::DBCluster"],
        check: short_backups,
    },
    Rule {
        id: "DOCDB2",
        severity: Severity::Error,
        title: "a DocumentDB cluster without storage encryption",
        why: "the data, its backups and snapshots are stored unencrypted, and this cannot be changed later",
        fix: "set StorageEncrypted (the library's clusters do)",
        checkov: &["CKV_AWS_74"],
        cfn_lint: &[],
        resource_types: &["AWS::DocDB::DBCluster"],
        check: docdb_unencrypted,
    },
    Rule {
        id: "OS1",
        severity: Severity::Warning,
        title: "an OpenSearch domain without audit logs",
        why: "without audit logs there is no record of who queried or changed the indices",
        fix: "publish AUDIT_LOGS to CloudWatch Logs (needs fine-grained access control)",
        checkov: &["CKV_AWS_317"],
        cfn_lint: &[],
        resource_types: &["AWS::OpenSearchService::Domain"],
        check: no_audit_logs,
    },
    Rule {
        id: "OS2",
        severity: Severity::Error,
        title: "an OpenSearch domain without encryption at rest or between nodes",
        why: "the indices or the traffic between nodes are readable by whoever reaches the disks or the network",
        fix: "enable EncryptionAtRestOptions and NodeToNodeEncryptionOptions (the library's domains do)",
        checkov: &["CKV_AWS_5", "CKV_AWS_6"],
        cfn_lint: &[],
        resource_types: &["AWS::OpenSearchService::Domain"],
        check: search_unencrypted,
    },
    Rule {
        id: "CD1",
        severity: Severity::Warning,
        title: "a CodeDeploy deployment group that does not roll back a failed deployment",
        why: "a failed release stays half done until someone notices",
        fix: "AutoRollback::default() (on failure and on alarms)",
        checkov: &[],
        cfn_lint: &[],
        resource_types: &["AWS::CodeDeploy::DeploymentGroup"],
        check: no_rollback,
    },
    Rule {
        id: "KMS1",
        severity: Severity::Warning,
        title: "a symmetric key without automatic rotation",
        why: "the same key material encrypts for years: a leaked or broken key exposes everything ever encrypted under it",
        fix: "EnableKeyRotation true (the library's keys rotate yearly by default)",
        checkov: &["CKV_AWS_7"],
        cfn_lint: &[],
        resource_types: &["AWS::KMS::Key"],
        check: key_without_rotation,
    },
];

fn bucket_without_logs(view: &ResourceView<'_>) -> Option<String> {
    (!view.has("/LoggingConfiguration")).then(|| "no LoggingConfiguration".to_owned())
}

fn public_access_not_blocked(view: &ResourceView<'_>) -> Option<String> {
    let settings = [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ];
    let open: Vec<&str> = settings
        .into_iter()
        .filter(|s| {
            view.at(&format!("/PublicAccessBlockConfiguration/{s}"))
                .and_then(Json::as_bool)
                != Some(true)
        })
        .collect();
    (!open.is_empty()).then(|| format!("{} not true", open.join(", ")))
}

fn secret_with_aws_key(view: &ResourceView<'_>) -> Option<String> {
    match view.at("/KmsKeyId") {
        None => Some("no KmsKeyId (aws/secretsmanager)".to_owned()),
        Some(Json::String(key)) if key.contains("aws/") => Some(format!("KmsKeyId {key}")),
        Some(_) => None,
    }
}

fn short_backups(view: &ResourceView<'_>) -> Option<String> {
    let days = view
        .at("/BackupRetentionPeriod")
        .and_then(Json::as_i64)
        .unwrap_or(1);
    (days < 7).then(|| format!("BackupRetentionPeriod {days}"))
}

fn docdb_unencrypted(view: &ResourceView<'_>) -> Option<String> {
    (view.at("/StorageEncrypted").and_then(Json::as_bool) != Some(true))
        .then(|| "StorageEncrypted is not true".to_owned())
}

fn no_audit_logs(view: &ResourceView<'_>) -> Option<String> {
    (view
        .at("/LogPublishingOptions/AUDIT_LOGS/Enabled")
        .and_then(Json::as_bool)
        != Some(true))
    .then(|| "AUDIT_LOGS not published".to_owned())
}

fn search_unencrypted(view: &ResourceView<'_>) -> Option<String> {
    let on = |pointer: &str| view.at(pointer).and_then(Json::as_bool) == Some(true);
    let missing: Vec<&str> = [
        ("/EncryptionAtRestOptions/Enabled", "at rest"),
        ("/NodeToNodeEncryptionOptions/Enabled", "between nodes"),
    ]
    .into_iter()
    .filter(|(pointer, _)| !on(pointer))
    .map(|(_, what)| what)
    .collect();
    (!missing.is_empty()).then(|| format!("not encrypted {}", missing.join(" or ")))
}

fn no_rollback(view: &ResourceView<'_>) -> Option<String> {
    let enabled = view
        .at("/AutoRollbackConfiguration/Enabled")
        .and_then(Json::as_bool)
        == Some(true);
    let on_failure = view
        .at("/AutoRollbackConfiguration/Events")
        .and_then(Json::as_array)
        .is_some_and(|e| e.iter().any(|e| e == "DEPLOYMENT_FAILURE"));
    (!(enabled && on_failure))
        .then(|| "AutoRollbackConfiguration does not roll back on DEPLOYMENT_FAILURE".to_owned())
}

fn key_without_rotation(view: &ResourceView<'_>) -> Option<String> {
    // Only symmetric encryption keys can rotate automatically.
    let symmetric = view
        .at("/KeySpec")
        .and_then(Json::as_str)
        .is_none_or(|spec| spec == "SYMMETRIC_DEFAULT");
    let rotates = view.at("/EnableKeyRotation").and_then(Json::as_bool) == Some(true);
    (symmetric && !rotates).then(|| "EnableKeyRotation is not true".to_owned())
}
