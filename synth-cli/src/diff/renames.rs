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
                let mine: Vec<usize> = (0..created.len()).filter(|&c| candidates(d, c)).collect();
                if let [c] = mine[..] {
                    let theirs = (0..deleted.len()).filter(|&o| candidates(o, c)).count();
                    if theirs == 1 {
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
    let new_properties = read_back(new.properties, &renamed);
    if exact {
        return properties_equal(old.properties, &new_properties);
    }
    let Some(info) = registry::lookup(new.resource_type) else {
        return false;
    };
    let same =
        |pointer: &str| value_at(old.properties, pointer) == value_at(&new_properties, pointer);
    // The registry's create-only paths, and the top-level properties whose change replaces
    // the resource (always or in some cases) by the service spec, which names some that the
    // schema's createOnlyProperties does not (S3's ObjectLockEnabled).
    info.create_only_paths
        .iter()
        .all(|path| same(&create_only_pointer(path)))
        && info
            .properties
            .iter()
            .filter(|p| p.replacement != Replacement::Never)
            .all(|p| same(&format!("/{}", p.name)))
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

/// `value`, from stack `stack` of the new templates, with its references to resources that
/// `renames` moved within that stack read back as their old logical IDs: what it would be
/// before the renames, to compare with its deployed definition.
pub fn as_before(value: &Json, stack: &str, renames: &[Rename]) -> Json {
    let renamed: BTreeMap<&str, &str> = renames
        .iter()
        .filter(|r| r.to.stack == stack && r.from.stack == stack)
        .map(|r| (r.to.logical_id.as_str(), r.from.logical_id.as_str()))
        .collect();
    read_back(value, &renamed)
}

/// `value` with its references to renamed resources (`Ref`, `Fn::GetAtt`, `${..}` in
/// `Fn::Sub`) pointed back at their old logical IDs.
fn read_back(value: &Json, renamed: &BTreeMap<&str, &str>) -> Json {
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
                    ("Fn::Sub", _) => sub_read_back(item, renamed),
                    _ => read_back(item, renamed),
                };
                out.insert(key.clone(), item);
            }
            Json::Object(out)
        }
        Json::Array(items) => Json::Array(items.iter().map(|i| read_back(i, renamed)).collect()),
        other => other.clone(),
    }
}

fn old_id(id: &str, renamed: &BTreeMap<&str, &str>) -> String {
    renamed
        .get(id)
        .map_or_else(|| id.to_owned(), |old| (*old).to_owned())
}

/// `Fn::Sub`'s string (alone or first in its list) with `${New}` and `${New.Attr}` read back.
fn sub_read_back(value: &Json, renamed: &BTreeMap<&str, &str>) -> Json {
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
                    _ => read_back(item, renamed),
                })
                .collect(),
        ),
        other => read_back(other, renamed),
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
