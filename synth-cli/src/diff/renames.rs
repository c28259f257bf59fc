//! Rename detection: a resource that a change would delete in one place and create in another
//! (a construct moved to another scope, or to another stack, changes its logical ID) is the same
//! resource when both have the same type and the same create-only properties, the ones whose
//! change would replace it anyway. Such a pair is a rename, which CloudFormation's stack
//! refactoring can perform without replacing anything.
//!
//! Pairs are made only when they are unambiguous: a deleted resource pairs with a created one
//! when each is the other's only candidate, first among candidates whose properties are all
//! equal, then among those whose create-only properties are. References are compared through
//! the renames found so far (`{"Ref": "New"}` equals `{"Ref": "Old"}` once `Old` became `New`),
//! so that a moved cluster and its moved instances pair in successive rounds.

use std::collections::BTreeMap;

use construct_lib::cfn::model::Replacement;
use construct_lib::cfn::registry;
use serde_json::Value as Json;

/// A resource of a stack of the app.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceAt {
    /// The stack's id in the app.
    pub stack: String,
    /// The resource's logical ID.
    pub logical_id: String,
}

impl std::fmt::Display for ResourceAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.stack, self.logical_id)
    }
}

/// A resource deleted at `from` and created at `to` that is the same resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    /// Where it is in the deployed templates.
    pub from: ResourceAt,
    /// Where it is in the new templates.
    pub to: ResourceAt,
    /// Its type.
    pub resource_type: String,
}

/// A stack's deployed template (`Null` when not deployed) and its new one.
pub struct StackTemplates<'a> {
    /// The stack's id in the app.
    pub stack: &'a str,
    /// The deployed template.
    pub old: &'a Json,
    /// The template a deploy would send.
    pub new: &'a Json,
}

/// One side of a possible rename: a resource only in the old or only in the new templates.
struct Side<'a> {
    at: ResourceAt,
    resource_type: &'a str,
    properties: &'a Json,
}

/// The renames among the resources the stacks' changes would delete and create.
pub fn detect(stacks: &[StackTemplates<'_>]) -> Vec<Rename> {
    let deleted = only_in(stacks, |s| (s.old, s.new));
    let created = only_in(stacks, |s| (s.new, s.old));
    // New location → old location, for the references of the new side.
    let mut back: BTreeMap<ResourceAt, ResourceAt> = BTreeMap::new();
    let mut paired_old = vec![false; deleted.len()];
    let mut paired_new = vec![false; created.len()];
    loop {
        let mut progress = false;
        for exact in [true, false] {
            let candidates = |d: usize, c: usize| {
                !paired_old[d]
                    && !paired_new[c]
                    && same_resource(&deleted[d], &created[c], &back, exact)
            };
            let mut found = Vec::new();
            for d in 0..deleted.len() {
                let mine = nearest(
                    (0..created.len()).filter(|&c| candidates(d, c)).collect(),
                    |c| created[c].at.stack == deleted[d].at.stack,
                );
                if let [c] = mine[..] {
                    let theirs = nearest(
                        (0..deleted.len()).filter(|&o| candidates(o, c)).collect(),
                        |o| deleted[o].at.stack == created[c].at.stack,
                    );
                    if theirs == [d] {
                        found.push((d, c));
                    }
                }
            }
            for (d, c) in found {
                paired_old[d] = true;
                paired_new[c] = true;
                back.insert(created[c].at.clone(), deleted[d].at.clone());
                progress = true;
            }
            if progress {
                break;
            }
        }
        if !progress {
            break;
        }
    }
    let mut renames: Vec<Rename> = back
        .into_iter()
        .map(|(to, from)| {
            let resource_type = created
                .iter()
                .find(|side| side.at == to)
                .map(|side| side.resource_type.to_owned())
                .unwrap_or_default();
            Rename {
                from,
                to,
                resource_type,
            }
        })
        .collect();
    renames.sort_by(|a, b| a.from.cmp(&b.from));
    renames
}

/// The candidates in the same stack when there are any, else all: a move within a stack is
/// the common case, and two stacks of one app often hold look-alike resources.
fn nearest(all: Vec<usize>, same_stack: impl Fn(usize) -> bool) -> Vec<usize> {
    let same: Vec<usize> = all.iter().copied().filter(|&i| same_stack(i)).collect();
    if same.is_empty() { all } else { same }
}

/// The resources of `pick(stack).0` that `pick(stack).1` does not have, in every stack.
fn only_in<'a>(
    stacks: &[StackTemplates<'a>],
    pick: impl Fn(&StackTemplates<'a>) -> (&'a Json, &'a Json),
) -> Vec<Side<'a>> {
    let mut sides = Vec::new();
    for stack in stacks {
        let (these, others) = pick(stack);
        let Some(resources) = these.get("Resources").and_then(Json::as_object) else {
            continue;
        };
        let other = others.get("Resources").and_then(Json::as_object);
        for (id, resource) in resources {
            if other.is_some_and(|o| o.contains_key(id)) {
                continue;
            }
            sides.push(Side {
                at: ResourceAt {
                    stack: stack.stack.to_owned(),
                    logical_id: id.clone(),
                },
                resource_type: resource.get("Type").and_then(Json::as_str).unwrap_or(""),
                properties: resource.get("Properties").unwrap_or(&EMPTY),
            });
        }
    }
    sides
}

static EMPTY: Json = Json::Null;

/// Whether `old` and `new` are one resource: the same type, and all their properties (`exact`)
/// or their create-only ones equal, the new side's references read through `back`.
fn same_resource(
    old: &Side<'_>,
    new: &Side<'_>,
    back: &BTreeMap<ResourceAt, ResourceAt>,
    exact: bool,
) -> bool {
    if old.resource_type != new.resource_type {
        return false;
    }
    let renamed: BTreeMap<&str, &str> = back
        .iter()
        .filter(|(to, from)| to.stack == new.at.stack && from.stack == old.at.stack)
        .map(|(to, from)| (to.logical_id.as_str(), from.logical_id.as_str()))
        .collect();
    let new_properties = rewrite_references(new.properties, &renamed);
    // Across stacks, a reference that is the same text may not be the same value: a parameter,
    // `AWS::StackName` or a resource left behind resolve differently in the other stack.
    if old.at.stack != new.at.stack
        && (stack_dependent(old.properties, &renamed) || stack_dependent(&new_properties, &renamed))
    {
        return false;
    }
    if exact {
        return properties_equal(old.properties, &new_properties);
    }
    let Some(info) = registry::lookup(new.resource_type) else {
        return false;
    };
    // The registry's create-only paths, and the top-level properties whose change replaces
    // the resource (always or in some cases) by the service spec, which names some that the
    // schema's createOnlyProperties does not (S3's ObjectLockEnabled).
    let pointers: Vec<String> = info
        .create_only_paths
        .iter()
        .map(|path| create_only_pointer(path))
        .chain(
            info.properties
                .iter()
                .filter(|p| p.replacement != Replacement::Never)
                .map(|p| format!("/{}", p.name)),
        )
        .collect();
    let before = |pointer: &str| value_at(old.properties, pointer);
    let after = |pointer: &str| value_at(&new_properties, pointer);
    // Equal where it matters, and some evidence that it is the same resource: a value set
    // there, or logical IDs that read as the same construct moved into or out of a scope
    // (`DatabaseSubnets581555AE` and `StoresDatabaseSubnets9F1C2B3A`). Two unnamed resources
    // with nothing that identifies them pair only when all their properties are equal.
    pointers.iter().all(|p| before(p) == after(p))
        && (pointers.iter().any(|p| before(p).is_some())
            || moved_construct(&old.at.logical_id, &new.at.logical_id))
}

/// Whether two logical IDs read as one construct path moved into or out of a scope: without
/// their 8-character hash, one ends with the other.
fn moved_construct(old: &str, new: &str) -> bool {
    let stem = |id: &str| -> String {
        let hashed = id.len() > 8
            && id[id.len() - 8..]
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() && c.is_ascii_hexdigit());
        if hashed {
            id[..id.len() - 8].to_owned()
        } else {
            id.to_owned()
        }
    };
    let (old, new) = (stem(old), stem(new));
    let shorter = if old.len() < new.len() { &old } else { &new };
    // A one-word stem (`Bucket`) ends many unrelated IDs (`AccessLogsBucket`): not evidence.
    let words = shorter.chars().filter(char::is_ascii_uppercase).count();
    words >= 2 && old != new && (old.ends_with(&new) || new.ends_with(&old))
}

/// Whether `properties` refer to something whose value depends on the stack: a parameter, a
/// resource other than one moved along (in `moved`, new ID to old), or a stack pseudo
/// parameter.
fn stack_dependent(properties: &Json, moved: &BTreeMap<&str, &str>) -> bool {
    const SAME_EVERYWHERE: &[&str] = &[
        "AWS::AccountId",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::URLSuffix",
    ];
    let moved_along =
        |name: &str| moved.contains_key(name) || moved.values().any(|old| *old == name);
    referenced_names(properties)
        .iter()
        .any(|name| !SAME_EVERYWHERE.contains(&name.as_str()) && !moved_along(name))
}

/// The names `value` refers to: `Ref` targets, `Fn::GetAtt` resources, `${..}` in `Fn::Sub`,
/// and `DependsOn` entries (in a whole resource).
pub(crate) fn referenced_names(value: &Json) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Json::Object(object) => {
            for (key, item) in object {
                match (key.as_str(), item) {
                    ("Ref", Json::String(name)) => out.push(name.clone()),
                    ("Fn::GetAtt", Json::Array(parts)) => {
                        out.extend(parts.first().and_then(Json::as_str).map(str::to_owned));
                    }
                    ("Fn::GetAtt", Json::String(dotted)) => {
                        out.push(dotted.split('.').next().unwrap_or(dotted).to_owned());
                    }
                    ("Fn::Sub", sub) => out.extend(sub_references(sub)),
                    ("DependsOn", Json::String(id)) => out.push(id.clone()),
                    ("DependsOn", Json::Array(ids)) => {
                        out.extend(ids.iter().filter_map(Json::as_str).map(str::to_owned));
                    }
                    _ => out.extend(referenced_names(item)),
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|i| out.extend(referenced_names(i))),
        _ => {}
    }
    out
}

/// The names of `${Name}` and `${Name.Attr}` in an `Fn::Sub` string (not `${!Literal}`), and
/// those its variables' values refer to.
fn sub_references(sub: &Json) -> Vec<String> {
    let text = match sub {
        Json::String(s) => s.as_str(),
        Json::Array(items) => items.first().and_then(Json::as_str).unwrap_or(""),
        _ => "",
    };
    let mut out: Vec<String> = text
        .split("${")
        .skip(1)
        .filter_map(|part| part.split_once('}'))
        .map(|(name, _)| name)
        .filter(|name| !name.starts_with('!'))
        .map(|name| name.split('.').next().unwrap_or(name).to_owned())
        .collect();
    if let Json::Array(items) = sub {
        items
            .iter()
            .skip(1)
            .for_each(|i| out.extend(referenced_names(i)));
    }
    out
}

/// Absent properties and `{}` are the same thing.
fn properties_equal(a: &Json, b: &Json) -> bool {
    let empty = |v: &Json| v.is_null() || v.as_object().is_some_and(serde_json::Map::is_empty);
    (empty(a) && empty(b)) || a == b
}

/// `/properties/A/B/*/C` → `/A/B` (within the properties; an array's items compare as the
/// whole array).
fn create_only_pointer(path: &str) -> String {
    let inner = path.strip_prefix("/properties").unwrap_or(path);
    match inner.find("/*") {
        Some(star) => inner[..star].to_owned(),
        None => inner.to_owned(),
    }
}

fn value_at<'a>(properties: &'a Json, pointer: &str) -> Option<&'a Json> {
    if pointer.is_empty() {
        Some(properties)
    } else {
        properties.pointer(pointer)
    }
}

/// `value`, a resource of stack `stack` of the new templates that was in stack `was_in`, with
/// its references to resources that `renames` moved the same way read back as their old
/// logical IDs: what it would be before the renames, to compare with its deployed definition.
pub fn as_before(value: &Json, stack: &str, was_in: &str, renames: &[Rename]) -> Json {
    let renamed: BTreeMap<&str, &str> = renames
        .iter()
        .filter(|r| r.to.stack == stack && r.from.stack == was_in)
        .map(|r| (r.to.logical_id.as_str(), r.from.logical_id.as_str()))
        .collect();
    rewrite_references(value, &renamed)
}

/// `value` with its references (`Ref`, `Fn::GetAtt`, `${..}` in `Fn::Sub`) to the logical IDs
/// that are keys of `renamed` pointed at their values instead.
pub(crate) fn rewrite_references(value: &Json, renamed: &BTreeMap<&str, &str>) -> Json {
    if renamed.is_empty() {
        return value.clone();
    }
    match value {
        Json::Object(object) => {
            let mut out = serde_json::Map::new();
            for (key, item) in object {
                let item = match (key.as_str(), item) {
                    ("Ref", Json::String(id)) => Json::String(old_id(id, renamed)),
                    ("Fn::GetAtt", Json::Array(parts)) => {
                        let mut parts = parts.clone();
                        if let Some(Json::String(id)) = parts.first_mut() {
                            *id = old_id(id, renamed);
                        }
                        Json::Array(parts)
                    }
                    ("Fn::GetAtt", Json::String(dotted)) => {
                        let (id, attribute) = dotted.split_once('.').unwrap_or((dotted, ""));
                        Json::String(format!("{}.{attribute}", old_id(id, renamed)))
                    }
                    ("Fn::Sub", _) => sub_rewrite_references(item, renamed),
                    _ => rewrite_references(item, renamed),
                };
                out.insert(key.clone(), item);
            }
            Json::Object(out)
        }
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|i| rewrite_references(i, renamed))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn old_id(id: &str, renamed: &BTreeMap<&str, &str>) -> String {
    renamed
        .get(id)
        .map_or_else(|| id.to_owned(), |old| (*old).to_owned())
}

/// `Fn::Sub`'s string (alone or first in its list) with `${New}` and `${New.Attr}` read back.
fn sub_rewrite_references(value: &Json, renamed: &BTreeMap<&str, &str>) -> Json {
    let text = |s: &str| {
        let mut s = s.to_owned();
        for (new, old) in renamed {
            s = s
                .replace(&format!("${{{new}}}"), &format!("${{{old}}}"))
                .replace(&format!("${{{new}."), &format!("${{{old}."));
        }
        s
    };
    match value {
        Json::String(s) => Json::String(text(s)),
        Json::Array(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| match (i, item) {
                    (0, Json::String(s)) => Json::String(text(s)),
                    _ => rewrite_references(item, renamed),
                })
                .collect(),
        ),
        other => rewrite_references(other, renamed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(stack: &str, id: &str) -> ResourceAt {
        ResourceAt {
            stack: stack.to_owned(),
            logical_id: id.to_owned(),
        }
    }

    fn pairs(renames: &[Rename]) -> Vec<(String, String)> {
        renames
            .iter()
            .map(|r| (r.from.to_string(), r.to.to_string()))
            .collect()
    }

    #[test]
    fn a_moved_cluster_and_what_refers_to_it_pair_in_rounds() {
        let old = json!({"Resources": {
            "DatabaseSubnets1A2B": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "db", "SubnetIds": ["a", "b"]}},
            "DatabaseCluster3C4D": {"Type": "AWS::DocDB::DBCluster", "Properties": {"DBSubnetGroupName": {"Ref": "DatabaseSubnets1A2B"}, "StorageEncrypted": true, "BackupRetentionPeriod": 7}},
            "DatabaseInstance1": {"Type": "AWS::DocDB::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "DatabaseCluster3C4D"}, "DBInstanceClass": "db.t3.medium"}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }});
        let new = json!({"Resources": {
            "DataDatabaseSubnets9F": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "db", "SubnetIds": ["a", "b"]}},
            // An in-place change beside the move (a longer retention) does not prevent the pair.
            "DataDatabaseCluster8E": {"Type": "AWS::DocDB::DBCluster", "Properties": {"DBSubnetGroupName": {"Ref": "DataDatabaseSubnets9F"}, "StorageEncrypted": true, "BackupRetentionPeriod": 14}},
            "DataDatabaseInstance1": {"Type": "AWS::DocDB::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "DataDatabaseCluster8E"}, "DBInstanceClass": "db.t3.medium"}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }});
        let renames = detect(&[StackTemplates {
            stack: "Docs",
            old: &old,
            new: &new,
        }]);
        assert_eq!(
            pairs(&renames),
            [
                (
                    "Docs/DatabaseCluster3C4D".into(),
                    "Docs/DataDatabaseCluster8E".into()
                ),
                (
                    "Docs/DatabaseInstance1".into(),
                    "Docs/DataDatabaseInstance1".into()
                ),
                (
                    "Docs/DatabaseSubnets1A2B".into(),
                    "Docs/DataDatabaseSubnets9F".into()
                ),
            ]
        );
        assert_eq!(renames[0].resource_type, "AWS::DocDB::DBCluster");
    }

    #[test]
    fn a_changed_create_only_property_or_another_type_is_no_rename() {
        let old = json!({"Resources": {
            "OldBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a"}},
            "OldQueue": {"Type": "AWS::SQS::Queue"},
            "Locked": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "c", "Tags": []}},
        }});
        let new = json!({"Resources": {
            "NewBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
            "NewTopic": {"Type": "AWS::SNS::Topic"},
            // ObjectLockEnabled replaces a bucket (the service spec says so; the schema's
            // createOnlyProperties does not list it).
            "Unlocked": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "c", "ObjectLockEnabled": true}},
        }});
        let renames = detect(&[StackTemplates {
            stack: "S",
            old: &old,
            new: &new,
        }]);
        assert_eq!(renames, []);
    }

    #[test]
    fn logical_ids_of_a_construct_moved_into_or_out_of_a_scope_are_evidence() {
        assert!(moved_construct(
            "DatabaseSubnets581555AE",
            "StoresDatabaseSubnets9F1C2B3A"
        ));
        assert!(moved_construct(
            "StoresDatabaseSubnets9F1C2B3A",
            "DatabaseSubnets581555AE"
        ));
        assert!(moved_construct("JobQueue", "WorkersJobQueue"));
        assert!(!moved_construct("Bucket", "AccessLogsBucket"));
        assert!(!moved_construct("Queue", "Topic"));
        assert!(!moved_construct(
            "DatabaseSubnets581555AE",
            "DatabaseSubnets9F1C2B3A"
        ));
        let old = json!({"Resources": {"DatabaseSubnets581555AE": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "Subnets of Data/Database", "SubnetIds": ["a"]}}}});
        let new = json!({"Resources": {"StoresDatabaseSubnets9F1C2B3A": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "Subnets of Data/Stores/Database", "SubnetIds": ["a"]}}}});
        let renames = detect(&[StackTemplates {
            stack: "Data",
            old: &old,
            new: &new,
        }]);
        assert_eq!(
            pairs(&renames),
            [(
                "Data/DatabaseSubnets581555AE".into(),
                "Data/StoresDatabaseSubnets9F1C2B3A".into()
            )]
        );
    }

    #[test]
    fn nothing_identifying_and_different_properties_is_no_rename() {
        let old = json!({"Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}}}});
        let new = json!({"Resources": {"B": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}}});
        let renames = detect(&[StackTemplates {
            stack: "S",
            old: &old,
            new: &new,
        }]);
        assert_eq!(renames, []);
    }

    #[test]
    fn across_stacks_a_reference_to_the_stack_or_what_stays_is_no_rename() {
        let old_data = json!({"Resources": {
            "Named": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "${AWS::StackName}-logs"}}},
            "Keyed": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/keyed", "KmsKeyId": {"Ref": "Key"}}},
            "Key": {"Type": "AWS::KMS::Key"},
        }});
        let new_data = json!({"Resources": {"Key": {"Type": "AWS::KMS::Key"}}});
        let new_app = json!({"Resources": {
            "Named": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "${AWS::StackName}-logs"}}},
            "Keyed": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/keyed", "KmsKeyId": {"Ref": "Key"}}},
        }});
        let renames = detect(&[
            StackTemplates {
                stack: "Data",
                old: &old_data,
                new: &new_data,
            },
            StackTemplates {
                stack: "App",
                old: &Json::Null,
                new: &new_app,
            },
        ]);
        assert_eq!(renames, []);
    }

    #[test]
    fn ambiguous_candidates_pair_only_where_properties_tell_them_apart() {
        let old = json!({"Resources": {
            "A": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
            "B": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
            "C": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}},
            "D": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}},
        }});
        let new = json!({"Resources": {
            "A2": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
            "B2": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
            "C2": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}},
            "D2": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}},
        }});
        let renames = detect(&[StackTemplates {
            stack: "S",
            old: &old,
            new: &new,
        }]);
        // The two topics are indistinguishable: which one became which cannot be told.
        assert_eq!(
            pairs(&renames),
            [("S/A".into(), "S/A2".into()), ("S/B".into(), "S/B2".into()),]
        );
    }

    #[test]
    fn a_resource_moved_to_another_stack_pairs_across_stacks() {
        let old_data = json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/app", "RetentionInDays": 30}}}});
        let new_data = json!({"Resources": {}});
        let new_app = json!({"Resources": {"AppLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/app", "RetentionInDays": 30}}}});
        let renames = detect(&[
            StackTemplates {
                stack: "Data",
                old: &old_data,
                new: &new_data,
            },
            StackTemplates {
                stack: "App",
                old: &Json::Null,
                new: &new_app,
            },
        ]);
        assert_eq!(
            renames,
            [Rename {
                from: at("Data", "Logs"),
                to: at("App", "AppLogs"),
                resource_type: "AWS::Logs::LogGroup".into(),
            }]
        );
    }
}
