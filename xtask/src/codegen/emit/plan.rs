//! The names and shapes decided for one resource file before anything is emitted: the Rust
//! type of every property, the enums of enumerated values, the names of nested types and
//! which fields must be boxed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::super::naming::{pascal, unique};
use super::super::spec::{Property, ResourceType};

/// The Rust type of a property.
pub enum RType {
    /// `m::Value<marker>`: a literal or an intrinsic.
    Value(String),
    /// `m::ListValue<marker>`: a list of values, or an intrinsic that yields a list.
    ValueList(String),
    /// `Vec<T>` of structs or tags.
    List(String),
    /// Any other type (struct, map, `m::Tag`).
    Other(String),
}

impl RType {
    /// The type as it is written in a field.
    pub fn render(&self) -> String {
        match self {
            RType::Value(marker) => format!("m::Value<{marker}>"),
            RType::ValueList(marker) => format!("m::ListValue<{marker}>"),
            RType::List(element) => format!("Vec<{element}>"),
            RType::Other(t) => t.clone(),
        }
    }

    /// The parameter type of a setter, and the expression that turns `value` into the
    /// field's type.
    pub fn setter(&self) -> (String, &'static str) {
        match self {
            RType::Value(_) | RType::Other(_) => {
                (format!("impl Into<{}>", self.render()), "value.into()")
            }
            RType::ValueList(marker) => (
                format!("impl m::IntoListValue<{marker}>"),
                "value.into_list_value()",
            ),
            RType::List(element) => (
                format!("impl IntoIterator<Item = {element}>"),
                "value.into_iter().collect()",
            ),
        }
    }
}

/// The enumerated values of a string type, or of the elements of a list or map of strings.
fn enum_values(ty: &Json) -> Option<Vec<String>> {
    match ty["type"].as_str() {
        Some("string") => {
            let mut seen = BTreeSet::new();
            let values: Vec<String> = ty["allowedValues"]
                .as_array()?
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .filter(|v| seen.insert(v.clone()))
                .collect();
            (!values.is_empty()).then_some(values)
        }
        Some("array") | Some("map") => enum_values(&ty["element"]),
        _ => None,
    }
}

/// An enum of a property's enumerated values.
pub struct EnumDef {
    pub name: String,
    pub owner: String,
    pub property: String,
    pub values: Vec<String>,
}

/// Names and shapes decided for one resource file.
pub struct FileContext<'a> {
    /// typeDefinition `$id` → Rust type name.
    pub type_names: BTreeMap<&'a str, String>,
    /// Rust type name → the name of its struct of required properties, if it has one.
    pub required_names: BTreeMap<String, String>,
    /// (owner `$id`, or "" for the resource; property name) → enum name.
    pub enum_names: BTreeMap<(String, String), String>,
    pub enums: Vec<EnumDef>,
    /// (owner, property) pairs whose struct-typed field must be boxed (recursive types).
    pub boxed: BTreeSet<(String, String)>,
    /// The name of the attribute accessor struct.
    pub attributes_name: String,
}

/// The Rust type of a property type `ty` (its enum name, if it has one).
pub fn rust_type(ty: &Json, enum_name: Option<&str>, ctx: &FileContext<'_>) -> RType {
    match ty["type"].as_str() {
        Some("string") | Some("date-time") => {
            RType::Value(enum_name.unwrap_or("String").to_owned())
        }
        Some("integer") => RType::Value("i64".to_owned()),
        Some("number") => RType::Value("f64".to_owned()),
        Some("boolean") => RType::Value("bool".to_owned()),
        Some("tag") => RType::Other("m::Tag".to_owned()),
        Some("ref") => {
            let id = ty["reference"]["$ref"].as_str().unwrap_or_default();
            match ctx.type_names.get(id) {
                Some(name) => RType::Other(name.clone()),
                None => RType::Value("m::Json".to_owned()),
            }
        }
        Some("array") => match rust_type(&ty["element"], enum_name, ctx) {
            RType::Value(marker) => RType::ValueList(marker),
            element => RType::List(element.render()),
        },
        Some("map") => {
            let element = rust_type(&ty["element"], enum_name, ctx).render();
            RType::Other(format!("std::collections::BTreeMap<String, {element}>"))
        }
        // `json`, unions and anything newer: arbitrary JSON.
        _ => RType::Value("m::Json".to_owned()),
    }
}

/// ` Accepts any of: string, integer (given as JSON).` for a union type.
pub fn describe_union(ty: &Json) -> Option<String> {
    if ty["type"].as_str() != Some("union") {
        return None;
    }
    let kinds: Vec<&str> = ty["types"]
        .as_array()?
        .iter()
        .filter_map(|t| t["type"].as_str())
        .collect();
    Some(format!(
        " Accepts any of: {} (given as JSON).",
        kinds.join(", ")
    ))
}

/// Plans the names of everything in the file of `resource`, whose type is `rust_name`.
pub fn plan<'a>(resource: &'a ResourceType, rust_name: &str) -> FileContext<'a> {
    let mut taken: BTreeSet<String> = BTreeSet::from([rust_name.to_owned()]);
    let attributes_name = unique(format!("{rust_name}Attributes"), &mut taken);
    let mut type_names = BTreeMap::new();
    for t in &resource.type_defs {
        let mut name = pascal(&t.name);
        if name == rust_name {
            name.push_str("Property");
        }
        type_names.insert(t.id.as_str(), unique(name, &mut taken));
    }
    let required_names = required_names(resource, rust_name, &type_names, &mut taken);
    let (enum_names, enums) = plan_enums(resource, rust_name, &type_names, &mut taken);
    FileContext {
        type_names,
        required_names,
        enum_names,
        enums,
        boxed: boxed_fields(resource),
        attributes_name,
    }
}

/// `ServiceRequired` for every type with two or more required properties: those are
/// named at the call site, so that they cannot be given in the wrong order.
fn required_names(
    resource: &ResourceType,
    rust_name: &str,
    type_names: &BTreeMap<&str, String>,
    taken: &mut BTreeSet<String>,
) -> BTreeMap<String, String> {
    let owners = std::iter::once((rust_name.to_owned(), &resource.properties)).chain(
        resource
            .type_defs
            .iter()
            .map(|t| (type_names[t.id.as_str()].clone(), &t.properties)),
    );
    owners
        .filter(|(_, properties)| properties.iter().filter(|p| p.required).count() >= 2)
        .map(|(name, _)| {
            let required = unique(format!("{name}Required"), taken);
            (name, required)
        })
        .collect()
}

type EnumPlan = (BTreeMap<(String, String), String>, Vec<EnumDef>);

/// One enum per distinct list of enumerated values of a property.
fn plan_enums(
    resource: &ResourceType,
    rust_name: &str,
    type_names: &BTreeMap<&str, String>,
    taken: &mut BTreeSet<String>,
) -> EnumPlan {
    let mut enum_names = BTreeMap::new();
    let mut enums: Vec<EnumDef> = Vec::new();
    let owners: Vec<(&str, String, &Vec<Property>)> =
        std::iter::once(("", rust_name.to_owned(), &resource.properties))
            .chain(resource.type_defs.iter().map(|t| {
                (
                    t.id.as_str(),
                    type_names[t.id.as_str()].clone(),
                    &t.properties,
                )
            }))
            .collect();
    for (owner_id, owner_name, properties) in owners {
        for p in properties {
            let Some(values) = enum_values(&p.ty) else {
                continue;
            };
            let base = pascal(&p.name);
            let existing = enums.iter().find(|e| {
                (e.name == base || e.name == format!("{owner_name}{base}")) && e.values == values
            });
            let name = match existing {
                Some(e) => e.name.clone(),
                None => {
                    let candidate = if taken.contains(&base) {
                        format!("{owner_name}{base}")
                    } else {
                        base
                    };
                    let name = unique(candidate, taken);
                    enums.push(EnumDef {
                        name: name.clone(),
                        owner: owner_name.clone(),
                        property: p.name.clone(),
                        values,
                    });
                    name
                }
            };
            enum_names.insert((owner_id.to_owned(), p.name.clone()), name);
        }
    }
    (enum_names, enums)
}

/// The `ref` type definition a property points at directly (not through a list or map).
fn direct_ref(ty: &Json) -> Option<&str> {
    (ty["type"].as_str() == Some("ref"))
        .then(|| ty["reference"]["$ref"].as_str())
        .flatten()
}

/// A struct field of a type that can reach the struct again through struct fields would
/// make an infinitely sized type: those are boxed.
fn boxed_fields(resource: &ResourceType) -> BTreeSet<(String, String)> {
    let edges: BTreeMap<&str, Vec<(&str, &str)>> = resource
        .type_defs
        .iter()
        .map(|t| {
            let targets = t
                .properties
                .iter()
                .filter_map(|p| direct_ref(&p.ty).map(|r| (r, p.name.as_str())))
                .collect();
            (t.id.as_str(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node) {
                let next = edges.get(node).into_iter().flatten();
                stack.extend(next.map(|(target, _)| *target));
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for (owner, targets) in &edges {
        for (target, property) in targets {
            if reaches(target, owner) {
                boxed.insert(((*owner).to_owned(), (*property).to_owned()));
            }
        }
    }
    boxed
}
