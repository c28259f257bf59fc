//! The guard on data: a change set that would delete or replace a resource holding data stops
//! before it is executed, unless the user named that resource (`--allow-data-loss
//! STACK/LOGICAL_ID`).
//!
//! Which types hold data comes from the registry data ([`ResourceTypeInfo::stateful`], the
//! service spec's `isStateful`: databases, buckets, domains, file systems, queues, log groups,
//! secrets, keys, tables, streams), plus the types in [`HOLDS_DATA_TOO`], which that data does
//! not flag. A resource whose policy keeps its data loses nothing: `DeletionPolicy` for a
//! resource the change set removes (from the deployed template, the one CloudFormation
//! applies), `UpdateReplacePolicy` for one it replaces (from the new template), when it is
//! `Retain`, `RetainExceptOnCreate` or `Snapshot`.
//!
//! [`ResourceTypeInfo::stateful`]: construct_lib::cfn::model::ResourceTypeInfo::stateful

use construct_lib::cfn::registry;
use serde_json::Value as Json;

use super::events::ChangeRow;

/// Types that hold data although the registry data does not flag them: an ECR repository holds
/// the images that tasks run, and deleting it deletes them (with `EmptyOnDelete`) or fails.
pub const HOLDS_DATA_TOO: &[&str] = &["AWS::ECR::Repository"];

/// What a change set does to a resource that holds data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// The resource is removed from the stack and deleted.
    Deleted,
    /// A new resource replaces it and the old one is deleted.
    Replaced,
    /// CloudFormation decides at execution whether it is replaced (`Conditional`).
    MayBeReplaced,
}

/// A resource whose data the change set would lose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataLoss {
    /// Its logical ID.
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// What happens to it.
    pub loss: Loss,
    /// The policy that lets it go, as the template has it (`DeletionPolicy Delete (the
    /// default)`).
    pub policy: String,
}

impl std::fmt::Display for DataLoss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.loss {
            Loss::Deleted => "would be deleted",
            Loss::Replaced => "would be replaced",
            Loss::MayBeReplaced => "may be replaced",
        };
        write!(
            f,
            "{} ({}) {what}, and its {}",
            self.logical_id, self.resource_type, self.policy
        )
    }
}

/// Whether resources of this type hold data.
pub fn holds_data(resource_type: &str) -> bool {
    registry::lookup(resource_type).is_some_and(|info| info.stateful)
        || HOLDS_DATA_TOO.contains(&resource_type)
}

/// The resources of `changes` whose data would be lost, leaving out those in `allowed` (logical
/// IDs the user accepts the loss of). `deployed` is the stack's current template (`Null` for a
/// new stack), `new` the one the change set deploys.
pub fn losses(
    changes: &[ChangeRow],
    deployed: &Json,
    new: &Json,
    allowed: &[&str],
) -> Vec<DataLoss> {
    changes
        .iter()
        .filter(|change| holds_data(&change.resource_type))
        .filter(|change| !allowed.contains(&change.logical_id.as_str()))
        .filter_map(|change| loss_of(change, deployed, new))
        .collect()
}

fn loss_of(change: &ChangeRow, deployed: &Json, new: &Json) -> Option<DataLoss> {
    let (loss, template, attribute) = match (change.action.as_str(), change.replacement.as_str()) {
        ("Remove", _) => (Loss::Deleted, deployed, "DeletionPolicy"),
        ("Modify", "True") => (Loss::Replaced, new, "UpdateReplacePolicy"),
        ("Modify", "Conditional") => (Loss::MayBeReplaced, new, "UpdateReplacePolicy"),
        _ => return None,
    };
    let policy = template
        .get("Resources")
        .and_then(|resources| resources.get(&change.logical_id))
        .and_then(|resource| resource.get(attribute));
    let policy = match policy {
        Some(Json::String(kept)) if keeps_data(kept) => return None,
        Some(Json::String(other)) => format!("{attribute} is {other}"),
        Some(_) => format!("{attribute} is an expression, which may resolve to Delete"),
        None => format!("{attribute} is Delete (the default)"),
    };
    Some(DataLoss {
        logical_id: change.logical_id.clone(),
        resource_type: change.resource_type.clone(),
        loss,
        policy,
    })
}

fn keeps_data(policy: &str) -> bool {
    matches!(policy, "Retain" | "RetainExceptOnCreate" | "Snapshot")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(action: &str, id: &str, ty: &str, replacement: &str) -> ChangeRow {
        ChangeRow {
            action: action.to_owned(),
            logical_id: id.to_owned(),
            resource_type: ty.to_owned(),
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn the_registry_flags_data_and_the_supplement_adds_repositories() {
        for ty in [
            "AWS::S3::Bucket",
            "AWS::DocDB::DBCluster",
            "AWS::Logs::LogGroup",
            "AWS::SQS::Queue",
            "AWS::SecretsManager::Secret",
            "AWS::KMS::Key",
            "AWS::OpenSearchService::Domain",
            "AWS::DynamoDB::Table",
            "AWS::EFS::FileSystem",
            "AWS::ECR::Repository",
        ] {
            assert!(holds_data(ty), "{ty} holds data");
        }
        for ty in [
            "AWS::ECS::Service",
            "AWS::IAM::Role",
            "AWS::EC2::SecurityGroup",
            "AWS::Nope::X",
        ] {
            assert!(!holds_data(ty), "{ty} holds no data");
        }
    }

    #[test]
    fn deletions_and_replacements_of_data_are_losses_unless_a_policy_keeps_it() {
        let deployed = json!({"Resources": {
            "Old": {"Type": "AWS::S3::Bucket"},
            "Kept": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
            "Logs": {"Type": "AWS::Logs::LogGroup"},
        }});
        let new = json!({"Resources": {
            "Logs": {"Type": "AWS::Logs::LogGroup", "UpdateReplacePolicy": "Delete"},
            "Db": {"Type": "AWS::DocDB::DBCluster", "UpdateReplacePolicy": "Snapshot"},
            "Queue": {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": {"Fn::If": ["C", "Retain", "Delete"]}},
        }});
        let changes = [
            change("Remove", "Old", "AWS::S3::Bucket", ""),
            change("Remove", "Kept", "AWS::S3::Bucket", ""),
            change("Modify", "Logs", "AWS::Logs::LogGroup", "True"),
            change("Modify", "Db", "AWS::DocDB::DBCluster", "True"),
            change("Modify", "Queue", "AWS::SQS::Queue", "Conditional"),
            change("Modify", "Role", "AWS::IAM::Role", "True"),
            change("Modify", "Bucket", "AWS::S3::Bucket", "False"),
            change("Add", "New", "AWS::S3::Bucket", ""),
        ];
        let lines: Vec<String> = losses(&changes, &deployed, &new, &[])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "Old (AWS::S3::Bucket) would be deleted, and its DeletionPolicy is Delete (the default)",
                "Logs (AWS::Logs::LogGroup) would be replaced, and its UpdateReplacePolicy is Delete",
                "Queue (AWS::SQS::Queue) may be replaced, and its UpdateReplacePolicy is an expression, which may resolve to Delete",
            ]
        );
        assert_eq!(
            losses(&changes, &deployed, &new, &["Old", "Logs", "Queue"]),
            []
        );
    }
}
