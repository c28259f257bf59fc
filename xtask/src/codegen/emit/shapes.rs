//! The shape of one resource type's generated Rust API, as data: what `synth-cli migrate`
//! needs to write code against the generated types (their paths, the Rust name and type of
//! every property, which ones the constructor takes, the variant of every enumerated value,
//! the accessor of every `Fn::GetAtt` attribute)
//! without linking every service's code itself.

use std::collections::BTreeSet;

use serde_json::{Value as Json, json};

use super::super::spec::{Property, ResourceType};
use super::enums::variants;
use super::plan::{self, FileContext};
use super::structs::{Field, fields};
use super::{attribute_methods, resource_rust_name};

/// `{"required": "XRequired" | null, "props": [[cfn name, rust name, rust type, required]]}`.
fn struct_shape(name: &str, fields: &[Field], ctx: &FileContext<'_>) -> Json {
    let props: Vec<Json> = fields
        .iter()
        .map(|f| json!([f.cfn_name(), f.rust_name(), f.rendered_type(), f.required()]))
        .collect();
    json!({ "required": ctx.required_names.get(name), "props": props })
}

/// The shape of `resource`, generated into `cfn_l1::{service}::{module}`.
pub fn resource_shape(resource: &ResourceType, service: &str, module: &str) -> Json {
    let rust_name = resource_rust_name(resource);
    let ctx = plan::plan(resource, &rust_name);
    let owners = std::iter::once(("", rust_name.clone(), &resource.properties)).chain(
        resource.type_defs.iter().map(|t| {
            (
                t.id.as_str(),
                ctx.type_names[t.id.as_str()].clone(),
                &t.properties,
            )
        }),
    );
    let mut structs = serde_json::Map::new();
    for (owner_id, name, properties) in owners {
        let properties: &Vec<Property> = properties;
        let owner_fields = fields(owner_id, properties, &ctx, &BTreeSet::new());
        structs.insert(name.clone(), struct_shape(&name, &owner_fields, &ctx));
    }
    let enums: serde_json::Map<String, Json> = ctx
        .enums
        .iter()
        .map(|e| {
            let values: Vec<Json> = variants(e)
                .into_iter()
                .map(|(variant, value)| json!([value, variant]))
                .collect();
            (e.name.clone(), Json::Array(values))
        })
        .collect();
    let attributes: Vec<Json> = attribute_methods(resource)
        .into_iter()
        .map(|(name, method, ty, _)| json!([name, method, ty]))
        .collect();
    json!({
        "service": service,
        "module": module,
        "name": rust_name,
        "structs": structs,
        "enums": enums,
        "attributes": attributes,
    })
}
