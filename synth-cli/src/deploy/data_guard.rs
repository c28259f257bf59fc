//! The guard on data: a change set that would delete or replace a resource holding data stops
//! before it is executed, unless the user named that resource (`--allow-data-loss
//! STACK/LOGICAL_ID`).
//!
//! Which types hold data comes from the registry data ([`ResourceTypeInfo::stateful`], the
//! service spec's `isStateful`: databases, buckets, domains, file systems, queues, log groups,
//! secrets, keys, tables, streams), plus the types in [`HOLDS_DATA_TOO`], which that data does
//! not flag.
//!
//! Whether the data survives is what the change set itself says first: each resource change
//! carries CloudFormation's `PolicyAction` (`Delete`, `Retain`, `Snapshot`, `ReplaceAndDelete`,
//! `ReplaceAndRetain`, `ReplaceAndSnapshot`). Where it gives none, the templates decide, the
//! cautious way: a removal follows the deployed template's `DeletionPolicy` (CloudFormation's
//! default where none is set: `Snapshot` for RDS clusters and stand-alone instances, `Delete`
//! otherwise); a replacement keeps the data only when the deployed and the new template both
//! set an `UpdateReplacePolicy` that keeps it, since AWS does not document which of the two
//! applies when they differ. `Snapshot` keeps data only for the types in [`SNAPSHOT_TYPES`]:
//! for any other type CloudFormation deletes the resource.
//!
//! [`ResourceTypeInfo::stateful`]: construct_lib::cfn::model::ResourceTypeInfo::stateful

use construct_lib::cfn::registry;
use serde_json::Value as Json;

use super::events::ChangeRow;

/// Types that hold data although the registry data does not flag them: an ECR repository holds
/// the images that tasks run; the others are stores, brokers, archives and tables whose
/// deletion takes their contents.
pub const HOLDS_DATA_TOO: &[&str] = &[
    "AWS::AmazonMQ::Broker",
    "AWS::Backup::LogicallyAirGappedBackupVault",
    "AWS::CloudTrail::EventDataStore",
    "AWS::DSQL::Cluster",
    "AWS::DocDBElastic::Cluster",
    "AWS::ECR::Repository",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::Events::Archive",
    "AWS::KMS::ReplicaKey",
    "AWS::MSK::Cluster",
    "AWS::MSK::ServerlessCluster",
    "AWS::MemoryDB::Cluster",
    "AWS::S3Express::DirectoryBucket",
    "AWS::S3Tables::Table",
    "AWS::S3Tables::TableBucket",
    "AWS::S3Vectors::VectorBucket",
    "AWS::Timestream::Database",
    "AWS::Timestream::Table",
];

/// The types whose `Snapshot` policy takes a snapshot before deleting (cfn-lint 1.58.0's
/// `valid_snapshot_types`, after AWS's DeletionPolicy documentation); for any other type
/// CloudFormation deletes the resource.
pub const SNAPSHOT_TYPES: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

/// What a change set does to a resource that holds data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// The resource is removed from the stack and deleted.
    Deleted,
    /// A new resource replaces it and the old one is deleted.
    Replaced,
    /// CloudFormation decides at execution whether it is replaced (`Conditional`).
    MayBeReplaced,
    /// CloudFormation cannot tell what will happen to it (action `Dynamic`).
    Undetermined,
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
            Loss::Undetermined => "may be deleted or replaced (CloudFormation cannot tell)",
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
    let loss = match (change.action.as_str(), change.replacement.as_str()) {
        ("Remove", _) => Loss::Deleted,
        ("Modify", "True") => Loss::Replaced,
        ("Modify", "Conditional") => Loss::MayBeReplaced,
        ("Dynamic", _) => Loss::Undetermined,
        _ => return None,
    };
    let snapshots = SNAPSHOT_TYPES.contains(&change.resource_type.as_str());
    let policy = match change.policy_action.as_str() {
        "Retain" | "ReplaceAndRetain" => return None,
        "Snapshot" | "ReplaceAndSnapshot" if snapshots => return None,
        "" => from_templates(change, loss, deployed, new)?,
        other => format!("policy action (from the change set) is {other}"),
    };
    Some(DataLoss {
        logical_id: change.logical_id.clone(),
        resource_type: change.resource_type.clone(),
        loss,
        policy,
    })
}

/// The policy that lets the data go, read from the templates; `None` when they keep it.
fn from_templates(change: &ChangeRow, loss: Loss, deployed: &Json, new: &Json) -> Option<String> {
    let resource = |template: &Json| {
        template
            .get("Resources")
            .and_then(|resources| resources.get(&change.logical_id))
            .cloned()
            .unwrap_or(Json::Null)
    };
    let (before, after) = (resource(deployed), resource(new));
    let removal = policy_of(&change.resource_type, &before, "DeletionPolicy");
    let replacement = [&before, &after]
        .into_iter()
        .map(|r| policy_of(&change.resource_type, r, "UpdateReplacePolicy"))
        .find(|p| !p.keeps);
    let verdict = match loss {
        Loss::Deleted => Some(removal).filter(|p| !p.keeps),
        Loss::Replaced | Loss::MayBeReplaced => replacement,
        Loss::Undetermined => Some(removal).filter(|p| !p.keeps).or(replacement),
    };
    verdict.map(|p| p.text)
}

/// A policy attribute as the guard reads it.
struct Policy {
    keeps: bool,
    text: String,
}

fn policy_of(resource_type: &str, resource: &Json, attribute: &str) -> Policy {
    let snapshots = SNAPSHOT_TYPES.contains(&resource_type);
    match resource.get(attribute) {
        Some(Json::String(value)) => Policy {
            keeps: match value.as_str() {
                "Retain" => true,
                "RetainExceptOnCreate" => attribute == "DeletionPolicy",
                "Snapshot" => snapshots,
                _ => false,
            },
            text: if value == "Snapshot" && !snapshots {
                format!(
                    "{attribute} is Snapshot, which {resource_type} does not take, so CloudFormation deletes it"
                )
            } else {
                format!("{attribute} is {value}")
            },
        },
        Some(_) => Policy {
            keeps: false,
            text: format!("{attribute} is an expression, which may resolve to Delete"),
        },
        None if attribute == "DeletionPolicy" && snapshot_by_default(resource_type, resource) => {
            Policy {
                keeps: true,
                text: format!("{attribute} is Snapshot (the default)"),
            }
        }
        None => Policy {
            keeps: false,
            text: format!("{attribute} is Delete (the default)"),
        },
    }
}

/// CloudFormation snapshots an RDS cluster, and an RDS instance outside a cluster, when it
/// deletes one without a DeletionPolicy.
fn snapshot_by_default(resource_type: &str, resource: &Json) -> bool {
    match resource_type {
        "AWS::RDS::DBCluster" => true,
        "AWS::RDS::DBInstance" => resource
            .get("Properties")
            .and_then(|p| p.get("DBClusterIdentifier"))
            .is_none(),
        _ => false,
    }
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
            policy_action: String::new(),
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
            "Db": {"Type": "AWS::DocDB::DBCluster", "UpdateReplacePolicy": "Snapshot"},
            "Queue": {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": "Retain"},
            "Store": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Snapshot"},
            "Late": {"Type": "AWS::S3::Bucket"},
            "Rds": {"Type": "AWS::RDS::DBCluster"},
            "Member": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "Rds"}}},
        }});
        let new = json!({"Resources": {
            "Logs": {"Type": "AWS::Logs::LogGroup", "UpdateReplacePolicy": "Delete"},
            "Db": {"Type": "AWS::DocDB::DBCluster", "UpdateReplacePolicy": "Snapshot"},
            "Queue": {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": {"Fn::If": ["C", "Retain", "Delete"]}},
            "Store": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Snapshot"},
            // Retain set in the same update as the replacement: AWS does not say which
            // template's policy applies, so the deployed one's Delete counts.
            "Late": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain"},
        }});
        let changes = [
            change("Remove", "Old", "AWS::S3::Bucket", ""),
            change("Remove", "Kept", "AWS::S3::Bucket", ""),
            change("Modify", "Logs", "AWS::Logs::LogGroup", "True"),
            change("Modify", "Db", "AWS::DocDB::DBCluster", "True"),
            change("Modify", "Queue", "AWS::SQS::Queue", "Conditional"),
            change("Modify", "Store", "AWS::S3::Bucket", "True"),
            change("Modify", "Late", "AWS::S3::Bucket", "True"),
            change("Remove", "Rds", "AWS::RDS::DBCluster", ""),
            change("Remove", "Member", "AWS::RDS::DBInstance", ""),
            change("Dynamic", "Unknown", "AWS::SQS::Queue", ""),
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
                "Logs (AWS::Logs::LogGroup) would be replaced, and its UpdateReplacePolicy is Delete (the default)",
                "Queue (AWS::SQS::Queue) may be replaced, and its UpdateReplacePolicy is an expression, which may resolve to Delete",
                "Store (AWS::S3::Bucket) would be replaced, and its UpdateReplacePolicy is Snapshot, which AWS::S3::Bucket does not take, so CloudFormation deletes it",
                "Late (AWS::S3::Bucket) would be replaced, and its UpdateReplacePolicy is Delete (the default)",
                "Member (AWS::RDS::DBInstance) would be deleted, and its DeletionPolicy is Delete (the default)",
                "Unknown (AWS::SQS::Queue) may be deleted or replaced (CloudFormation cannot tell), and its DeletionPolicy is Delete (the default)",
            ]
        );
        let named = ["Old", "Logs", "Queue", "Store", "Late", "Member", "Unknown"];
        assert_eq!(losses(&changes, &deployed, &new, &named), []);
    }

    #[test]
    fn the_change_sets_policy_action_decides_when_it_is_given() {
        let with_action = |action: &str| ChangeRow {
            policy_action: action.to_owned(),
            ..change("Modify", "Store", "AWS::S3::Bucket", "True")
        };
        let nothing = json!({});
        for kept in ["Retain", "ReplaceAndRetain"] {
            assert_eq!(
                losses(&[with_action(kept)], &nothing, &nothing, &[]),
                [],
                "{kept}"
            );
        }
        // A bucket takes no snapshot: CloudFormation deletes it whatever the change set says.
        let snapshot = losses(
            &[with_action("ReplaceAndSnapshot")],
            &nothing,
            &nothing,
            &[],
        );
        assert_eq!(snapshot.len(), 1);
        let volume = ChangeRow {
            resource_type: "AWS::EC2::Volume".to_owned(),
            ..with_action("ReplaceAndSnapshot")
        };
        assert_eq!(losses(&[volume], &nothing, &nothing, &[]), []);
        let lost = losses(&[with_action("ReplaceAndDelete")], &nothing, &nothing, &[]);
        assert_eq!(
            lost[0].to_string(),
            "Store (AWS::S3::Bucket) would be replaced, and its policy action (from the change set) is ReplaceAndDelete"
        );
    }
}
