//! The difference between two templates: resources added, removed and modified, down to the
//! changed property values, with the replacement each change causes (from the L1 registry's
//! create-only data), the other sections, and the IAM and security-group changes.

pub mod renames;
pub mod security;

use construct_lib::cfn::model::Replacement;
use construct_lib::cfn::registry;
use serde_json::Value as Json;

pub use renames::{Rename, ResourceAt};
pub use security::{RuleChange, SecurityChanges, StatementChange};

/// Added, removed or modified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the old template.
    Removed,
    /// In both, different.
    Modified,
}

impl ChangeKind {
    /// `+`, `-` or `~`, as diff tools print them.
    pub fn sign(self) -> char {
        match self {
            Self::Added => '+',
            Self::Removed => '-',
            Self::Modified => '~',
        }
    }
}

/// Whether a change replaces the resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Updated in place.
    Update,
    /// May be replaced, depending on the values.
    MayReplace,
    /// Replaced: a new resource is created and the old one deleted.
    Replace,
    /// The resource type is not in the registry data, so nothing can be said.
    Unknown,
}

/// One changed value inside a resource's properties.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyChange {
    /// The path (`ContainerDefinitions[0].Image`).
    pub path: String,
    /// The old value, if any.
    pub old: Option<Json>,
    /// The new value, if any.
    pub new: Option<Json>,
    /// What the change does to the resource.
    pub impact: Impact,
}

/// A resource that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDiff {
    /// Its logical ID.
    pub logical_id: String,
    /// Its type (the new one when the type changed).
    pub resource_type: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// For modified resources: the changed property values.
    pub properties: Vec<PropertyChange>,
    /// For modified resources: other changed attributes (`DependsOn`, `DeletionPolicy`,
    /// `Type`, ...).
    pub attributes: Vec<String>,
    /// The strongest impact of its changes (`Update` for added and removed resources).
    pub impact: Impact,
    /// For a renamed resource: where it was, or (removed here) where it went.
    pub moved: Option<Moved>,
}

/// Where a renamed resource comes from or goes to ([`renames`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moved {
    /// In the new templates here, the same resource as this one of the deployed templates;
    /// the entry's changes are those between the two definitions.
    From(ResourceAt),
    /// In the deployed template here, the same resource as this one of the new templates,
    /// in another stack.
    To(ResourceAt),
}

/// An output, parameter, condition or mapping that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionChange {
    /// `Outputs`, `Parameters`, `Conditions`, `Mappings`, `Rules`..., or `Template` for a
    /// top-level value (`Description`, `AWSTemplateFormatVersion`).
    pub section: String,
    /// The entry's name.
    pub name: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
}

/// Everything that differs between two templates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemplateDiff {
    /// Resources that differ, by logical ID.
    pub resources: Vec<ResourceDiff>,
    /// Other sections' entries that differ.
    pub sections: Vec<SectionChange>,
    /// IAM statements and security-group rules added or removed.
    pub security: SecurityChanges,
}

impl TemplateDiff {
    /// The changes that turn `old` into `new`. `Null` stands for "no template" (a stack that
    /// is not deployed).
    pub fn between(old: &Json, new: &Json) -> Self {
        Self {
            resources: resource_changes(old, new),
            sections: section_changes(old, new),
            security: SecurityChanges::between(old, new),
        }
    }

    /// Stack `stack`'s diff with the app's `renames` applied: a resource renamed within the
    /// stack is one entry ([`Moved::From`]) with the changes between its deployed and new
    /// definitions, references to renamed resources read as before; one moved to or from
    /// another stack is marked so on each side. `deployed(stack)` gives a stack's deployed
    /// template, `new` is this stack's new one.
    pub fn with_renames<'a>(
        mut self,
        stack: &str,
        renames: &[Rename],
        deployed: impl Fn(&str) -> Option<&'a Json>,
        new: &Json,
    ) -> Self {
        for rename in renames {
            if rename.to.stack == stack {
                let old = deployed(&rename.from.stack)
                    .and_then(|t| t.get("Resources"))
                    .and_then(|r| r.get(&rename.from.logical_id));
                let current = new
                    .get("Resources")
                    .and_then(|r| r.get(&rename.to.logical_id));
                if let (Some(old), Some(current)) = (old, current) {
                    let current = renames::as_before(current, stack, &rename.from.stack, renames);
                    let mut entry = modified_resource(&rename.to.logical_id, old, &current);
                    entry.moved = Some(Moved::From(rename.from.clone()));
                    self.resources.retain(|r| {
                        !(r.kind == ChangeKind::Added && r.logical_id == rename.to.logical_id)
                    });
                    self.resources.push(entry);
                }
            }
            if rename.from.stack == stack {
                let removed = |r: &ResourceDiff| {
                    r.kind == ChangeKind::Removed && r.logical_id == rename.from.logical_id
                };
                if rename.to.stack == stack {
                    self.resources.retain(|r| !removed(r));
                } else if let Some(entry) = self.resources.iter_mut().find(|r| removed(r)) {
                    entry.moved = Some(Moved::To(rename.to.clone()));
                }
            }
        }
        self.resources
            .sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
        self
    }

    /// Whether the templates are the same.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.sections.is_empty() && self.security.is_empty()
    }
}

/// The entries of a template section (`Resources`, `Outputs`, ...).
fn section(template: &Json, name: &str) -> serde_json::Map<String, Json> {
    template
        .get(name)
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default()
}

fn type_of(resource: &Json) -> String {
    resource
        .get("Type")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned()
}

/// Resources removed, added or changed, by logical ID.
fn resource_changes(old: &Json, new: &Json) -> Vec<ResourceDiff> {
    let (old_resources, new_resources) = (section(old, "Resources"), section(new, "Resources"));
    let whole = |id: &String, resource: &Json, kind| ResourceDiff {
        logical_id: id.clone(),
        resource_type: type_of(resource),
        kind,
        properties: Vec::new(),
        attributes: Vec::new(),
        impact: Impact::Update,
        moved: None,
    };
    let mut resources: Vec<ResourceDiff> = old_resources
        .iter()
        .filter(|(id, _)| !new_resources.contains_key(*id))
        .map(|(id, resource)| whole(id, resource, ChangeKind::Removed))
        .collect();
    for (id, new_resource) in &new_resources {
        match old_resources.get(id) {
            None => resources.push(whole(id, new_resource, ChangeKind::Added)),
            Some(old_resource) if old_resource != new_resource => {
                resources.push(modified_resource(id, old_resource, new_resource));
            }
            Some(_) => {}
        }
    }
    resources.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    resources
}

/// Entries of the other sections (and top-level keys) that differ.
fn section_changes(old: &Json, new: &Json) -> Vec<SectionChange> {
    let keys = |template: &Json| -> Vec<String> {
        template
            .as_object()
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut names: Vec<String> = keys(old);
    names.extend(keys(new));
    names.sort();
    names.dedup();
    let mut sections = Vec::new();
    for name in names.iter().filter(|name| *name != "Resources") {
        match (old.get(name), new.get(name)) {
            (Some(Json::Object(a)), Some(Json::Object(b))) => {
                for (key, value) in b {
                    match a.get(key) {
                        None => sections.push(entry(name, key, ChangeKind::Added)),
                        Some(before) if before != value => {
                            sections.push(entry(name, key, ChangeKind::Modified));
                        }
                        Some(_) => {}
                    }
                }
                for key in a.keys().filter(|key| !b.contains_key(*key)) {
                    sections.push(entry(name, key, ChangeKind::Removed));
                }
            }
            (a, b) if a != b => {
                let kind = match (a, b) {
                    (None, _) => ChangeKind::Added,
                    (_, None) => ChangeKind::Removed,
                    _ => ChangeKind::Modified,
                };
                sections.push(entry("Template", name, kind));
            }
            _ => {}
        }
    }
    sections
}

fn entry(section: &str, name: &str, kind: ChangeKind) -> SectionChange {
    SectionChange {
        section: section.to_owned(),
        name: name.to_owned(),
        kind,
    }
}

fn modified_resource(id: &str, old: &Json, new: &Json) -> ResourceDiff {
    let old_type = old.get("Type").and_then(Json::as_str).unwrap_or("");
    let new_type = new.get("Type").and_then(Json::as_str).unwrap_or("");
    let info = registry::lookup(new_type);
    let mut attributes = Vec::new();
    let mut keys: Vec<&String> = old
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .chain(new.as_object().into_iter().flat_map(|o| o.keys()))
        .filter(|key| *key != "Properties")
        .collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if old.get(key) != new.get(key) {
            attributes.push(key.clone());
        }
    }
    let mut properties = Vec::new();
    let empty = Json::Object(Default::default());
    leaf_changes(
        "",
        old.get("Properties").unwrap_or(&empty),
        new.get("Properties").unwrap_or(&empty),
        &mut properties,
    );
    for change in &mut properties {
        change.impact = match info {
            None => Impact::Unknown,
            Some(info) => impact_of(info, &change.path),
        };
    }
    let mut impact = properties
        .iter()
        .map(|change| change.impact)
        .max()
        .unwrap_or(Impact::Update);
    if old_type != new_type {
        impact = Impact::Replace;
    }
    ResourceDiff {
        logical_id: id.to_owned(),
        resource_type: new_type.to_owned(),
        kind: ChangeKind::Modified,
        properties,
        attributes,
        impact,
        moved: None,
    }
}

/// The impact of changing the value at `path` (`A.B[0].C`): replacement when the path is
/// inside a create-only path, else what the registry says of the top-level property.
fn impact_of(info: &construct_lib::cfn::model::ResourceTypeInfo, path: &str) -> Impact {
    let pointer: String = path
        .split('.')
        .map(|segment| segment.split('[').next().unwrap_or(segment))
        .collect::<Vec<_>>()
        .join("/");
    let pointer = format!("/properties/{pointer}");
    if info.create_only_paths.iter().any(|create_only| {
        pointer == *create_only || pointer.starts_with(&format!("{create_only}/"))
    }) {
        return Impact::Replace;
    }
    let top = path.split(['.', '[']).next().unwrap_or(path);
    match info.property(top).map(|property| property.replacement) {
        Some(Replacement::Always) => Impact::Replace,
        Some(Replacement::Conditional) => Impact::MayReplace,
        Some(Replacement::Never) => Impact::Update,
        None => Impact::Unknown,
    }
}

/// The changed leaves between two JSON values, as paths. Intrinsic functions (`{"Ref": ..}`
/// and `{"Fn::...": ..}`) count as leaves, so a changed reference is one change.
fn leaf_changes(path: &str, old: &Json, new: &Json, out: &mut Vec<PropertyChange>) {
    if old == new {
        return;
    }
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (old, new) {
        (Json::Object(a), Json::Object(b)) if !is_intrinsic(old) && !is_intrinsic(new) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => leaf_changes(&join(key), x, y, out),
                    (x, y) => out.push(change(join(key), x, y)),
                }
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            for index in 0..a.len().max(b.len()) {
                let item = format!("{path}[{index}]");
                match (a.get(index), b.get(index)) {
                    (Some(x), Some(y)) => leaf_changes(&item, x, y, out),
                    (x, y) => out.push(change(item, x, y)),
                }
            }
        }
        _ => out.push(change(path.to_owned(), Some(old), Some(new))),
    }
}

fn change(path: String, old: Option<&Json>, new: Option<&Json>) -> PropertyChange {
    PropertyChange {
        path,
        old: old.cloned(),
        new: new.cloned(),
        impact: Impact::Update,
    }
}

fn is_intrinsic(value: &Json) -> bool {
    value.as_object().is_some_and(|object| {
        object.len() == 1
            && object
                .keys()
                .all(|key| key == "Ref" || key.starts_with("Fn::") || key == "Condition")
    })
}

/// A value as a reviewer reads it: strings bare, `Ref` and `GetAtt` as `${Id}` and
/// `${Id.Attr}`, lists comma-separated, anything else as compact JSON.
pub fn show(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        Json::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Json::Object(object) if object.len() == 1 => {
            if let Some(Json::String(target)) = object.get("Ref") {
                return format!("${{{target}}}");
            }
            if let Some(Json::Array(parts)) = object.get("Fn::GetAtt")
                && let [Json::String(id), Json::String(attr)] = parts.as_slice()
            {
                return format!("${{{id}.{attr}}}");
            }
            value.to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn property_changes_carry_the_replacement_the_registry_predicts() {
        let old = json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16",
                "Tags": [{"Key": "Name", "Value": "a"}]}},
            "Gone": {"Type": "AWS::SNS::Topic"}
        }, "Outputs": {"Old": {"Value": "x"}}});
        let new = json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.1.0.0/16",
                "Tags": [{"Key": "Name", "Value": "b"}]}},
            "New": {"Type": "AWS::SNS::Topic"}
        }, "Outputs": {"Id": {"Value": {"Ref": "Vpc"}}}});
        let diff = TemplateDiff::between(&old, &new);
        let kinds: Vec<(&str, ChangeKind)> = diff
            .resources
            .iter()
            .map(|r| (r.logical_id.as_str(), r.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("Gone", ChangeKind::Removed),
                ("New", ChangeKind::Added),
                ("Vpc", ChangeKind::Modified)
            ]
        );
        let vpc = &diff.resources[2];
        assert_eq!(vpc.impact, Impact::Replace);
        let paths: Vec<(&str, Impact)> = vpc
            .properties
            .iter()
            .map(|p| (p.path.as_str(), p.impact))
            .collect();
        assert_eq!(
            paths,
            [
                ("CidrBlock", Impact::Replace),
                ("Tags[0].Value", Impact::Update)
            ]
        );
        assert_eq!(diff.sections.len(), 2);
        assert!(
            diff.sections
                .iter()
                .any(|s| s.name == "Id" && s.kind == ChangeKind::Added)
        );
    }

    #[test]
    fn renames_merge_into_one_entry_within_a_stack_and_mark_both_sides_across_stacks() {
        let old_data = json!({"Resources": {
            "Group": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "d", "SubnetIds": ["a"]}},
            "Cluster": {"Type": "AWS::DocDB::DBCluster", "Properties": {"DBSubnetGroupName": {"Ref": "Group"}, "Port": 27017}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/app"}},
        }});
        let new_data = json!({"Resources": {
            "DbGroup": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "d", "SubnetIds": ["a"]}},
            "DbCluster": {"Type": "AWS::DocDB::DBCluster", "Properties": {"DBSubnetGroupName": {"Ref": "DbGroup"}, "Port": 27018}},
        }});
        let new_app = json!({"Resources": {
            "AppLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/app"}},
        }});
        let renames = renames::detect(&[
            renames::StackTemplates {
                stack: "Data",
                old: &old_data,
                new: &new_data,
            },
            renames::StackTemplates {
                stack: "App",
                old: &Json::Null,
                new: &new_app,
            },
        ]);
        let deployed = |stack: &str| match stack {
            "Data" => Some(&old_data),
            _ => None,
        };
        let data = TemplateDiff::between(&old_data, &new_data)
            .with_renames("Data", &renames, deployed, &new_data);
        let entries: Vec<(&str, ChangeKind, Option<String>)> = data
            .resources
            .iter()
            .map(|r| {
                let moved = r.moved.as_ref().map(|m| match m {
                    Moved::From(at) => format!("from {at}"),
                    Moved::To(at) => format!("to {at}"),
                });
                (r.logical_id.as_str(), r.kind, moved)
            })
            .collect();
        assert_eq!(
            entries,
            [
                (
                    "DbCluster",
                    ChangeKind::Modified,
                    Some("from Data/Cluster".into())
                ),
                (
                    "DbGroup",
                    ChangeKind::Modified,
                    Some("from Data/Group".into())
                ),
                ("Logs", ChangeKind::Removed, Some("to App/AppLogs".into())),
            ]
        );
        // The reference to the renamed group is no change; the port is.
        let paths: Vec<&str> = data.resources[0]
            .properties
            .iter()
            .map(|p| p.path.as_str())
            .collect();
        assert_eq!(paths, ["Port"]);
        assert!(data.resources[1].properties.is_empty());
        let app = TemplateDiff::between(&Json::Null, &new_app)
            .with_renames("App", &renames, deployed, &new_app);
        assert_eq!(
            app.resources[0].moved,
            Some(Moved::From(ResourceAt {
                stack: "Data".into(),
                logical_id: "Logs".into()
            }))
        );
    }

    #[test]
    fn identical_templates_have_no_diff() {
        let template = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
        assert!(TemplateDiff::between(&template, &template).is_empty());
    }

    #[test]
    fn references_show_as_placeholders() {
        assert_eq!(show(&json!({"Ref": "Bucket"})), "${Bucket}");
        assert_eq!(
            show(&json!({"Fn::GetAtt": ["Bucket", "Arn"]})),
            "${Bucket.Arn}"
        );
        assert_eq!(show(&json!(["a", 1])), "a, 1");
    }
}
