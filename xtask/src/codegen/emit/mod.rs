//! Emits the Rust source of one resource type: its struct (documented with what `Ref`
//! returns), its nested property types (`structs.rs`), the enums of its enumerated values
//! (`enums.rs`), its `Resource` impl and its `GetAtt` accessors.

mod enums;
mod plan;
mod shapes;
mod structs;

pub use shapes::resource_shape;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value as Json;

use super::docs::{literal, summary};
use super::naming::{pascal, snake, unique};
use super::spec::ResourceType;
use plan::FileContext;

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

/// ` `Ref` returns its `QueueUrl`.`, from the resource's reference identifier.
fn ref_doc(resource: &ResourceType) -> String {
    let described = |name: &str| -> String {
        let doc = resource
            .attributes
            .get(name)
            .map(|(_, doc)| summary(doc))
            .filter(|doc| !doc.is_empty());
        match doc {
            Some(doc) => format!("`{name}` ({})", doc.trim_end_matches('.')),
            None => format!("`{name}`"),
        }
    };
    match resource.ref_identifier.as_slice() {
        [] => String::new(),
        [one] => format!(" `Ref` returns its {}.", described(one)),
        many => {
            let names: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            format!(
                " `Ref` returns its primary identifier: {}, joined with `|`.",
                names.join(", ")
            )
        }
    }
}

/// The source of one resource file.
pub fn resource_file(resource: &ResourceType, registry_index: usize, header: &str) -> String {
    let rust_name = resource_rust_name(resource);
    let ctx = plan::plan(resource, &rust_name);
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
    out.push_str("\n#![allow(clippy::new_without_default, clippy::should_implement_trait)]\n\nuse cfn_l1_model::model as m;\n\n");

    let resource_fields = structs::fields("", &resource.properties, &ctx, &write_only);
    let doc = format!(
        "`{}`: {}{}",
        resource.cfn_type,
        summary(&resource.doc),
        ref_doc(resource)
    );
    structs::emit_struct(&mut out, &rust_name, &doc, &resource_fields, &ctx);
    let _ = writeln!(
        out,
        "impl m::Resource for {rust_name} {{\n    const TYPE_NAME: &'static str = {};\n    type Attributes = {};\n\n    #[inline]\n    fn type_info() -> &'static m::ResourceTypeInfo {{\n        &cfn_l1_model::registry::RESOURCE_TYPES[{registry_index}]\n    }}\n}}\n",
        literal(&resource.cfn_type),
        ctx.attributes_name
    );
    emit_attributes(&mut out, resource, &rust_name, &ctx);
    for t in &resource.type_defs {
        let name = &ctx.type_names[t.id.as_str()];
        let mut doc = summary(&t.doc);
        if doc.is_empty() {
            doc = format!("The `{}` property type.", t.name);
        }
        let doc = format!("`{}.{}`: {doc}", resource.cfn_type, t.name);
        let type_fields = structs::fields(&t.id, &t.properties, &ctx, &BTreeSet::new());
        structs::emit_struct(&mut out, name, &doc, &type_fields, &ctx);
    }
    for e in &ctx.enums {
        enums::emit_enum(&mut out, e);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Each `Fn::GetAtt` attribute of `resource`: its name, the accessor's name, the type it
/// returns and its documentation.
pub fn attribute_methods(resource: &ResourceType) -> Vec<(&str, String, String, &str)> {
    let mut taken = BTreeSet::new();
    resource
        .attributes
        .iter()
        .map(|(name, (ty, doc))| {
            let method = unique(
                format!("attr_{}", snake(name).trim_end_matches('_')),
                &mut taken,
            );
            (name.as_str(), method, attribute_type(ty), doc.as_str())
        })
        .collect()
}

/// The accessor struct of the `Fn::GetAtt` attributes.
fn emit_attributes(
    out: &mut String,
    resource: &ResourceType,
    rust_name: &str,
    ctx: &FileContext<'_>,
) {
    let attributes_name = &ctx.attributes_name;
    let _ = writeln!(
        out,
        "/// The `Fn::GetAtt` attributes of `{}`, reached through a `ResourceRef<{rust_name}>`.\n#[derive(Clone, Copy, Debug)]{}\npub struct {attributes_name}(m::ResourceId);\n\nimpl From<m::ResourceId> for {attributes_name} {{\n    #[inline]\n    fn from(id: m::ResourceId) -> Self {{\n        {attributes_name}(id)\n    }}\n}}\n",
        resource.cfn_type,
        if resource.attributes.is_empty() {
            "\n#[allow(dead_code)] // this type has no attributes"
        } else {
            ""
        }
    );
    if resource.attributes.is_empty() {
        return;
    }
    let _ = writeln!(out, "impl {attributes_name} {{");
    let mut first = true;
    for (name, method, ty, doc) in attribute_methods(resource) {
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
            "    /// `{name}`: {doc}\n    #[inline]\n    pub fn {method}(&self) -> {ty} {{\n        m::get_att(self.0, {})\n    }}",
            literal(name)
        );
    }
    out.push_str("}\n\n");
}
