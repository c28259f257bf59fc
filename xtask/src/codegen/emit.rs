//! Emits the Rust source of one resource type: its struct, its nested property types, the
//! enums of its enumerated values, its `Resource` impl and its `GetAtt` accessors.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value as Json;

use super::docs::{literal, summary};
use super::naming::{pascal, snake, unique, variant};
use super::spec::{Property, ResourceType};

/// The Rust type of a property, split by whether it is a [`Value`] (literal or intrinsic).
enum RType {
    /// `m::Value<marker>`.
    Value(String),
    /// Any other type (struct, `Vec`, `BTreeMap`, `m::Tag`).
    Other(String),
}

impl RType {
    fn render(&self) -> String {
        match self {
            RType::Value(marker) => match marker.strip_prefix("Vec<m::Value<") {
                Some(inner) => format!("m::ListValue<{}", &inner[..inner.len() - 1]),
                None => format!("m::Value<{marker}>"),
            },
            RType::Other(t) => t.clone(),
        }
    }
}

/// The enumerated values of a string type, or of the elements of a list or map of strings.
fn enum_values(ty: &Json) -> Option<Vec<String>> {
    match ty["type"].as_str() {
        Some("string") => {
            let values: Vec<String> = ty["allowedValues"]
                .as_array()?
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            let mut seen = BTreeSet::new();
            let values: Vec<String> = values
                .into_iter()
                .filter(|v| seen.insert(v.clone()))
                .collect();
            (!values.is_empty()).then_some(values)
        }
        Some("array") | Some("map") => enum_values(&ty["element"]),
        _ => None,
    }
}

struct EnumDef {
    name: String,
    owner: String,
    property: String,
    values: Vec<String>,
}

/// Names and shapes decided for one resource file.
struct FileContext<'a> {
    /// typeDefinition `$id` → Rust type name.
    type_names: BTreeMap<&'a str, String>,
    /// (owner `$id`, or "" for the resource; property name) → enum name.
    enum_names: BTreeMap<(String, String), String>,
    enums: Vec<EnumDef>,
    /// (owner, property) pairs whose struct-typed field must be boxed (recursive types).
    boxed: BTreeSet<(String, String)>,
    /// The name of the attribute accessor struct.
    attributes_name: String,
}

fn rust_type(ty: &Json, enum_name: Option<&str>, ctx: &FileContext<'_>) -> RType {
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
            RType::Value(marker) => RType::Value(format!("Vec<m::Value<{marker}>>")),
            RType::Other(t) => RType::Other(format!("Vec<{t}>")),
        },
        Some("map") => {
            let element = rust_type(&ty["element"], enum_name, ctx).render();
            RType::Other(format!("std::collections::BTreeMap<String, {element}>"))
        }
        // `json`, unions and anything newer: arbitrary JSON.
        _ => RType::Value("m::Json".to_owned()),
    }
}

fn describe_union(ty: &Json) -> Option<String> {
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

/// The `ref` type definition a property points at directly (not through a list or map).
fn direct_ref(ty: &Json) -> Option<&str> {
    (ty["type"].as_str() == Some("ref"))
        .then(|| ty["reference"]["$ref"].as_str())
        .flatten()
}

fn plan<'a>(resource: &'a ResourceType, rust_name: &str) -> FileContext<'a> {
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

    let mut enum_names = BTreeMap::new();
    let mut enums: Vec<EnumDef> = Vec::new();
    let owners = std::iter::once(("", rust_name.to_owned(), &resource.properties)).chain(
        resource.type_defs.iter().map(|t| {
            (
                t.id.as_str(),
                type_names[t.id.as_str()].clone(),
                &t.properties,
            )
        }),
    );
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
                    let name = unique(candidate, &mut taken);
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

    // A struct field of a type that can reach the struct again through struct fields would
    // make an infinitely sized type: box it.
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
                stack.extend(
                    edges
                        .get(node)
                        .into_iter()
                        .flatten()
                        .map(|(target, _)| *target),
                );
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
    FileContext {
        type_names,
        enum_names,
        enums,
        boxed,
        attributes_name,
    }
}

struct Field {
    rust_name: String,
    cfn_name: String,
    /// The type without `Option`/`Box`.
    ty: String,
    boxed: bool,
    required: bool,
    doc: String,
}

fn fields(
    owner_id: &str,
    properties: &[Property],
    ctx: &FileContext<'_>,
    write_only: &BTreeSet<String>,
) -> Vec<Field> {
    let mut taken = BTreeSet::from(["new".to_owned()]);
    properties
        .iter()
        .map(|p| {
            let enum_name = ctx.enum_names.get(&(owner_id.to_owned(), p.name.clone()));
            let ty = rust_type(&p.ty, enum_name.map(String::as_str), ctx).render();
            let mut doc = summary(&p.doc);
            if doc.is_empty() {
                doc = format!("The `{}` property.", p.name);
            }
            let mut notes = String::new();
            if p.required {
                notes.push_str(" Required.");
            }
            match p.causes_replacement.as_str() {
                "yes" => notes.push_str(" Changing it replaces the resource."),
                "maybe" => notes.push_str(" Changing it may replace the resource."),
                _ => {}
            }
            if write_only.contains(&p.name) {
                notes.push_str(" Write-only: CloudFormation never returns it.");
            }
            if let Some(default) = &p.default {
                let _ = write!(notes, " Default: `{}`.", default.replace('`', "'"));
            }
            if p.deprecated {
                notes.push_str(" Deprecated.");
            }
            if let Some(union) = describe_union(&p.ty) {
                notes.push_str(&union);
            }
            Field {
                rust_name: unique(snake(&p.name), &mut taken),
                cfn_name: p.name.clone(),
                ty,
                boxed: ctx.boxed.contains(&(owner_id.to_owned(), p.name.clone())),
                required: p.required,
                doc: format!("`{}`: {doc}{notes}", p.name),
            }
        })
        .collect()
}

fn emit_struct(out: &mut String, name: &str, doc: &str, fields: &[Field]) {
    let _ = writeln!(out, "/// {doc}");
    out.push_str("#[derive(Clone, Debug)]\n#[non_exhaustive]\n");
    let _ = writeln!(out, "pub struct {name} {{");
    for f in fields {
        let ty = if f.boxed {
            format!("Box<{}>", f.ty)
        } else {
            f.ty.clone()
        };
        let ty = if f.required {
            ty
        } else {
            format!("Option<{ty}>")
        };
        let _ = writeln!(out, "    /// {}\n    pub {}: {ty},", f.doc, f.rust_name);
    }
    out.push_str("}\n\n");

    let _ = writeln!(out, "impl {name} {{");
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params: Vec<String> = required
        .iter()
        .map(|f| format!("{}: impl Into<{}>", f.rust_name, f.ty))
        .collect();
    if required.is_empty() {
        let _ = writeln!(out, "    /// A `{name}` with no property set.");
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.cfn_name))
            .collect();
        let _ = writeln!(
            out,
            "    /// A `{name}` with its required properties: {}.",
            names.join(", ")
        );
    }
    let _ = writeln!(out, "    pub fn new({}) -> Self {{", params.join(", "));
    let _ = writeln!(out, "        {name} {{");
    for f in fields {
        let value = match (f.required, f.boxed) {
            (true, true) => format!("Box::new({}.into())", f.rust_name),
            (true, false) => format!("{}.into()", f.rust_name),
            (false, _) => "None".to_owned(),
        };
        let _ = writeln!(out, "            {}: {value},", f.rust_name);
    }
    out.push_str("        }\n    }\n");
    for f in fields {
        let value = if f.boxed {
            "Box::new(value.into())"
        } else {
            "value.into()"
        };
        let value = if f.required {
            value.to_owned()
        } else {
            format!("Some({value})")
        };
        let _ = writeln!(
            out,
            "\n    /// Sets `{}`.\n    pub fn {}(mut self, value: impl Into<{}>) -> Self {{\n        self.{} = {value};\n        self\n    }}",
            f.cfn_name, f.rust_name, f.ty, f.rust_name
        );
    }
    out.push_str("}\n\n");

    let _ = writeln!(out, "impl m::ToExpr for {name} {{");
    out.push_str("    fn to_expr(&self) -> m::Expr {\n");
    if fields.is_empty() {
        out.push_str("        m::ObjectBuilder::new().build()\n");
    } else {
        out.push_str("        let mut object = m::ObjectBuilder::new();\n");
        for f in fields {
            let _ = writeln!(
                out,
                "        object.field({}, &self.{});",
                literal(&f.cfn_name),
                f.rust_name
            );
        }
        out.push_str("        object.build()\n");
    }
    out.push_str("    }\n}\n\n");
}

fn emit_enum(out: &mut String, e: &EnumDef) {
    let _ = writeln!(out, "/// Values of `{}.{}`.", e.owner, e.property);
    out.push_str("#[derive(Clone, Debug, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    let _ = writeln!(out, "pub enum {} {{", e.name);
    let mut taken = BTreeSet::from(["Other".to_owned()]);
    let variants: Vec<(String, &String)> = e
        .values
        .iter()
        .map(|v| (unique(variant(v), &mut taken), v))
        .collect();
    for (name, value) in &variants {
        let _ = writeln!(out, "    /// `{}`", value.replace('`', "'"));
        let _ = writeln!(out, "    {name},");
    }
    out.push_str(
        "    /// A value the pinned registry data does not list.\n    Other(String),\n}\n\n",
    );
    let _ = writeln!(out, "impl m::Enumerated for {} {{", e.name);
    out.push_str("    fn as_str(&self) -> &str {\n        match self {\n");
    for (name, value) in &variants {
        let _ = writeln!(out, "            {}::{name} => {},", e.name, literal(value));
    }
    let _ = writeln!(out, "            {}::Other(value) => value,", e.name);
    out.push_str("        }\n    }\n}\n\n");
    let _ = writeln!(
        out,
        "impl From<{0}> for m::Value<{0}> {{\n    fn from(value: {0}) -> Self {{\n        m::Value::from_expr(m::Expr::String(m::Enumerated::as_str(&value).to_owned()))\n    }}\n}}\n",
        e.name
    );
}

/// The value type of a `GetAtt` attribute: scalars and lists of scalars are typed, anything
/// else (objects) is JSON.
fn attribute_type(ty: &Json) -> String {
    let scalar = |t: &Json| match t["type"].as_str() {
        Some("string") | Some("date-time") => Some("String"),
        Some("integer") => Some("i64"),
        Some("number") => Some("f64"),
        Some("boolean") => Some("bool"),
        _ => None,
    };
    match (ty["type"].as_str(), scalar(ty)) {
        (_, Some(s)) => format!("m::Value<{s}>"),
        (Some("array"), None) => match scalar(&ty["element"]) {
            Some(s) => format!("m::ListValue<{s}>"),
            None => "m::Value<m::Json>".to_owned(),
        },
        _ => "m::Value<m::Json>".to_owned(),
    }
}

/// The Rust type name of a resource type.
pub fn resource_rust_name(resource: &ResourceType) -> String {
    pascal(&resource.name)
}

/// The source of one resource file.
pub fn resource_file(resource: &ResourceType, registry_index: usize, header: &str) -> String {
    let rust_name = resource_rust_name(resource);
    let ctx = plan(resource, &rust_name);
    let attributes_name = ctx.attributes_name.clone();
    let write_only: BTreeSet<String> = resource
        .write_only
        .iter()
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .map(str::to_owned)
        .collect();

    let mut out = String::new();
    out.push_str(header);
    let _ = writeln!(
        out,
        "//! `{}`: {}",
        resource.cfn_type,
        summary(&resource.doc)
    );
    out.push_str(
        "\n#![allow(
    clippy::new_without_default,
    clippy::should_implement_trait,
    clippy::too_many_arguments
)]\n\nuse cfn_l1_model::model as m;\n\n",
    );

    let resource_fields = fields("", &resource.properties, &ctx, &write_only);
    let doc = format!("`{}`: {}", resource.cfn_type, summary(&resource.doc));
    emit_struct(&mut out, &rust_name, &doc, &resource_fields);

    let _ = writeln!(
        out,
        "impl m::Resource for {rust_name} {{\n    const TYPE_NAME: &'static str = {};\n    type Attributes = {attributes_name};\n\n    fn type_info() -> &'static m::ResourceTypeInfo {{\n        &cfn_l1_model::registry::RESOURCE_TYPES[{registry_index}]\n    }}\n}}\n",
        literal(&resource.cfn_type)
    );

    let _ = writeln!(
        out,
        "/// The `Fn::GetAtt` attributes of `{}`, reached through a `ResourceRef<{rust_name}>`.\n#[derive(Clone, Copy, Debug)]{}\npub struct {attributes_name}(m::ResourceId);\n\nimpl From<m::ResourceId> for {attributes_name} {{\n    fn from(id: m::ResourceId) -> Self {{\n        {attributes_name}(id)\n    }}\n}}\n",
        resource.cfn_type,
        if resource.attributes.is_empty() {
            "\n#[allow(dead_code)] // this type has no attributes"
        } else {
            ""
        }
    );
    if !resource.attributes.is_empty() {
        let mut taken = BTreeSet::new();
        let _ = writeln!(out, "impl {attributes_name} {{");
        let mut first = true;
        for (name, (ty, doc)) in &resource.attributes {
            let ty = attribute_type(ty);
            let method = unique(
                format!("attr_{}", snake(name).trim_end_matches('_')),
                &mut taken,
            );
            let mut doc = summary(doc);
            if doc.is_empty() {
                doc = "The attribute.".to_owned();
            }
            if !first {
                out.push('\n');
            }
            first = false;
            let _ = writeln!(
                out,
                "    /// `{name}`: {doc}\n    pub fn {method}(&self) -> {ty} {{\n        m::get_att(self.0, {})\n    }}",
                literal(name)
            );
        }
        out.push_str("}\n\n");
    }

    for t in &resource.type_defs {
        let name = &ctx.type_names[t.id.as_str()];
        let mut doc = summary(&t.doc);
        if doc.is_empty() {
            doc = format!("The `{}` property type.", t.name);
        }
        let doc = format!("`{}.{}`: {doc}", resource.cfn_type, t.name);
        let type_fields = fields(&t.id, &t.properties, &ctx, &BTreeSet::new());
        emit_struct(&mut out, name, &doc, &type_fields);
    }
    for e in &ctx.enums {
        emit_enum(&mut out, e);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
