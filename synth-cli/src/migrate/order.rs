//! The order in which migrated elements are written: Rust needs a handle before its use,
//! so each condition comes after the conditions it names and each resource after the
//! resources it references or depends on. Template order is kept where nothing forces
//! another.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::values::intrinsic;

/// The names `value` refers to, by the kind of element they name (a parameter and a
/// condition may share a name: they live in different sections).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Referenced {
    /// Targets of `Ref` and `Fn::GetAtt`: parameters and resources.
    pub(crate) elements: BTreeSet<String>,
    /// Conditions named by `Fn::If` and `{"Condition": ..}`.
    pub(crate) conditions: BTreeSet<String>,
    /// Mappings named by `Fn::FindInMap`.
    pub(crate) mappings: BTreeSet<String>,
}

/// Adds the names `value` refers to.
pub(crate) fn references(value: &Json, out: &mut Referenced) {
    if let Some((name, argument)) = intrinsic(value) {
        let first = argument
            .as_array()
            .and_then(|items| items.first())
            .and_then(Json::as_str);
        match (name, argument, first) {
            ("Ref", Json::String(target), _) => {
                out.elements.insert(target.clone());
            }
            ("Fn::GetAtt", Json::String(dotted), _) => {
                if let Some((resource, _)) = dotted.split_once('.') {
                    out.elements.insert(resource.to_owned());
                }
            }
            ("Fn::GetAtt" | "Fn::ValueOf", _, Some(element)) => {
                out.elements.insert(element.to_owned());
            }
            ("Fn::FindInMap", _, Some(mapping)) => {
                out.mappings.insert(mapping.to_owned());
            }
            ("Fn::If", _, Some(condition)) => {
                out.conditions.insert(condition.to_owned());
            }
            _ => {}
        }
    }
    if let Some(Json::String(condition)) = value
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.get("Condition"))
    {
        out.conditions.insert(condition.clone());
    }
    match value {
        Json::Array(items) => items.iter().for_each(|v| references(v, out)),
        Json::Object(map) => map.values().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// The names in `DependsOn` (a name or a list of names).
pub(crate) fn depends_on(resource: &Json) -> Vec<String> {
    match resource.get("DependsOn") {
        Some(Json::String(one)) => vec![one.clone()],
        Some(Json::Array(many)) => many
            .iter()
            .filter_map(|d| d.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `names` (in template order) ordered so that each comes after those of `names` it
/// depends on (`dependencies`). `Err` with the names left when they form a cycle.
pub(crate) fn dependency_order(
    names: &[String],
    dependencies: &BTreeMap<String, BTreeSet<String>>,
) -> Result<Vec<String>, Vec<String>> {
    let known: BTreeSet<&String> = names.iter().collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut order = Vec::new();
    while order.len() < names.len() {
        let next = names.iter().find(|name| {
            !done.contains(*name)
                && dependencies
                    .get(*name)
                    .into_iter()
                    .flatten()
                    .all(|d| done.contains(d) || !known.contains(d))
        });
        match next {
            Some(name) => {
                done.insert(name.clone());
                order.push(name.clone());
            }
            None => {
                return Err(names
                    .iter()
                    .filter(|n| !done.contains(*n))
                    .cloned()
                    .collect());
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_found_in_every_form() {
        let mut found = Referenced::default();
        references(
            &json!({"a": [{"Ref": "P"}, {"Fn::GetAtt": "R.Arn"}, {"Fn::GetAtt": ["S", "Id"]}],
                    "b": {"Fn::If": ["C", {"Fn::FindInMap": ["M", "k", "v"]}, {"Condition": "D"}]}}),
            &mut found,
        );
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|n| (*n).to_owned())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(found.elements, set(&["P", "R", "S"]));
        assert_eq!(found.conditions, set(&["C", "D"]));
        assert_eq!(found.mappings, set(&["M"]));
    }

    #[test]
    fn dependencies_come_first_and_cycles_are_reported() {
        let names: Vec<String> = ["A", "B", "C"].into_iter().map(str::to_owned).collect();
        let mut dependencies = BTreeMap::new();
        dependencies.insert("A".to_owned(), BTreeSet::from(["C".to_owned()]));
        assert_eq!(
            dependency_order(&names, &dependencies),
            Ok(vec!["B".to_owned(), "C".to_owned(), "A".to_owned()])
        );
        dependencies.insert("C".to_owned(), BTreeSet::from(["A".to_owned()]));
        assert_eq!(
            dependency_order(&names, &dependencies),
            Err(vec!["A".to_owned(), "C".to_owned()])
        );
    }
}
