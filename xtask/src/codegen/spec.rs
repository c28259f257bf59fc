//! Reads the pinned registry data (`xtask/schema/`) into the model the emitters work from.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use serde_json::Value as Json;

/// The versions of the data, from `xtask/schema/versions.json`.
pub struct Versions {
    pub service_spec: String,
    pub cfn_lint: String,
    pub region: String,
}

pub struct Spec {
    pub versions: Versions,
    /// Sorted by short name.
    pub services: Vec<Service>,
    /// Type names in cfn-lint's registry schemas (us-east-1), for the report.
    pub registry_type_names: BTreeSet<String>,
}

pub struct Service {
    /// `ecs`: the module and feature name.
    pub short_name: String,
    /// `AWS::ECS`.
    pub namespace: String,
    /// Sorted by CloudFormation type name.
    pub resources: Vec<ResourceType>,
}

pub struct ResourceType {
    pub cfn_type: String,
    pub name: String,
    pub doc: String,
    pub properties: Vec<Property>,
    /// GetAtt name → (type, documentation).
    pub attributes: BTreeMap<String, (Json, String)>,
    /// Nested property types, sorted by name.
    pub type_defs: Vec<TypeDef>,
    pub tagging: Option<(String, String)>,
    /// What `Ref` returns: the `cfnRefIdentifier` properties, else the primary identifier.
    pub ref_identifier: Vec<String>,
    pub create_only: Vec<String>,
    pub write_only: Vec<String>,
}

pub struct TypeDef {
    pub id: String,
    pub name: String,
    pub doc: String,
    pub properties: Vec<Property>,
}

pub struct Property {
    pub name: String,
    pub ty: Json,
    pub required: bool,
    /// `yes`, `maybe` or empty.
    pub causes_replacement: String,
    pub doc: String,
    pub default: Option<String>,
    pub deprecated: bool,
}

fn read_json(path: &Path) -> Result<Json, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let text = if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| format!("decompressing {}: {e}", path.display()))?;
        text
    } else {
        String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
}

fn str_of<'a>(value: &'a Json, key: &str) -> &'a str {
    value.get(key).and_then(Json::as_str).unwrap_or_default()
}

fn properties(object: &Json) -> Vec<Property> {
    let mut out: Vec<Property> = object
        .get("properties")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(name, p)| Property {
            name: name.clone(),
            ty: p.get("type").cloned().unwrap_or(Json::Null),
            required: p.get("required").and_then(Json::as_bool).unwrap_or(false),
            causes_replacement: str_of(p, "causesReplacement").to_owned(),
            doc: str_of(p, "documentation").to_owned(),
            default: p
                .get("defaultValue")
                .and_then(Json::as_str)
                .map(str::to_owned),
            deprecated: p
                .get("deprecated")
                .is_some_and(|d| !d.is_null() && d != &Json::Bool(false)),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn entities<'a>(schema: &'a Json, table: &str) -> impl Iterator<Item = &'a Json> {
    schema[table]["entities"].as_array().into_iter().flatten()
}

fn forward<'a>(schema: &'a Json, relation: &str, id: &str) -> Vec<&'a str> {
    schema[relation]["forward"][id]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("$id").and_then(Json::as_str))
        .collect()
}

pub fn load(schema_dir: &Path) -> Result<Spec, String> {
    let versions_json = read_json(&schema_dir.join("versions.json"))?;
    let versions = Versions {
        service_spec: str_of(&versions_json, "awsServiceSpec").to_owned(),
        cfn_lint: str_of(&versions_json, "cfnLint").to_owned(),
        region: str_of(&versions_json, "region").to_owned(),
    };
    let db = read_json(&schema_dir.join(format!(
        "aws-service-spec-{}.db.json.gz",
        versions.service_spec
    )))?;
    let flags = read_json(&schema_dir.join(format!("cfn-lint-{}.flags.json", versions.cfn_lint)))?;
    let flag_types = flags["types"]
        .as_object()
        .ok_or("flags file has no `types`")?;
    let schema = &db["schema"];

    let resources_by_id: BTreeMap<&str, &Json> = entities(schema, "resource")
        .map(|e| (str_of(e, "$id"), e))
        .collect();
    let type_defs_by_id: BTreeMap<&str, &Json> = entities(schema, "typeDefinition")
        .map(|e| (str_of(e, "$id"), e))
        .collect();

    let mut services = Vec::new();
    for service in entities(schema, "service") {
        let mut resources = Vec::new();
        for resource_id in forward(schema, "hasResource", str_of(service, "$id")) {
            let resource = resources_by_id.get(resource_id).ok_or_else(|| {
                format!(
                    "service {} names unknown resource {resource_id}",
                    str_of(service, "name")
                )
            })?;
            let cfn_type = str_of(resource, "cloudFormationType").to_owned();
            let mut type_defs: Vec<TypeDef> = forward(schema, "usesType", resource_id)
                .into_iter()
                .map(|id| {
                    let t = type_defs_by_id
                        .get(id)
                        .ok_or_else(|| format!("{cfn_type} uses unknown type definition {id}"))?;
                    Ok(TypeDef {
                        id: id.to_owned(),
                        name: str_of(t, "name").to_owned(),
                        doc: str_of(t, "documentation").to_owned(),
                        properties: properties(t),
                    })
                })
                .collect::<Result<_, String>>()?;
            type_defs.sort_by(|a, b| a.name.cmp(&b.name));
            let tagging = resource.get("tagInformation").map(|t| {
                (
                    str_of(t, "tagPropertyName").to_owned(),
                    str_of(t, "variant").to_owned(),
                )
            });
            let flags = flag_types.get(&cfn_type);
            let paths = |key: &str| -> Vec<String> {
                flags
                    .and_then(|f| f[key].as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            };
            let identifier = |key: &str| -> Vec<String> {
                resource[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            };
            let mut ref_identifier = identifier("cfnRefIdentifier");
            if ref_identifier.is_empty() {
                ref_identifier = identifier("primaryIdentifier");
            }
            resources.push(ResourceType {
                ref_identifier,
                name: str_of(resource, "name").to_owned(),
                doc: str_of(resource, "documentation").to_owned(),
                properties: properties(resource),
                attributes: resource
                    .get("attributes")
                    .and_then(Json::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(name, a)| {
                        let ty = a.get("type").cloned().unwrap_or(Json::Null);
                        (name.clone(), (ty, str_of(a, "documentation").to_owned()))
                    })
                    .collect(),
                type_defs,
                tagging,
                create_only: paths("createOnly"),
                write_only: paths("writeOnly"),
                cfn_type,
            });
        }
        if resources.is_empty() {
            continue;
        }
        resources.sort_by(|a, b| a.cfn_type.cmp(&b.cfn_type));
        services.push(Service {
            short_name: str_of(service, "shortName").to_owned(),
            namespace: str_of(service, "cloudFormationNamespace").to_owned(),
            resources,
        });
    }
    services.sort_by(|a, b| a.short_name.cmp(&b.short_name));
    Ok(Spec {
        versions,
        services,
        registry_type_names: flag_types.keys().cloned().collect(),
    })
}
