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
    /// Whether it holds data that deleting or replacing it loses (the service spec's
    /// `isStateful`).
    pub stateful: bool,
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
    let data = Data::new(&db["schema"], flag_types);
    let mut services = Vec::new();
    for service in entities(data.schema, "service") {
        let resources = data.resources_of(service)?;
        if resources.is_empty() {
            continue;
        }
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

/// The registry data, indexed.
struct Data<'a> {
    schema: &'a Json,
    flag_types: &'a serde_json::Map<String, Json>,
    resources_by_id: BTreeMap<&'a str, &'a Json>,
    type_defs_by_id: BTreeMap<&'a str, &'a Json>,
}

impl<'a> Data<'a> {
    fn new(schema: &'a Json, flag_types: &'a serde_json::Map<String, Json>) -> Self {
        Self {
            schema,
            flag_types,
            resources_by_id: entities(schema, "resource")
                .map(|e| (str_of(e, "$id"), e))
                .collect(),
            type_defs_by_id: entities(schema, "typeDefinition")
                .map(|e| (str_of(e, "$id"), e))
                .collect(),
        }
    }

    /// The resource types of a service, sorted by type name.
    fn resources_of(&self, service: &Json) -> Result<Vec<ResourceType>, String> {
        let mut resources = Vec::new();
        for resource_id in forward(self.schema, "hasResource", str_of(service, "$id")) {
            let resource = self.resources_by_id.get(resource_id).ok_or_else(|| {
                format!(
                    "service {} names unknown resource {resource_id}",
                    str_of(service, "name")
                )
            })?;
            resources.push(self.resource(resource_id, resource)?);
        }
        resources.sort_by(|a, b| a.cfn_type.cmp(&b.cfn_type));
        Ok(resources)
    }

    fn resource(&self, resource_id: &str, resource: &Json) -> Result<ResourceType, String> {
        let cfn_type = str_of(resource, "cloudFormationType").to_owned();
        let flags = self.flag_types.get(&cfn_type);
        let paths = |key: &str| -> Vec<String> { strings(flags.map(|f| &f[key])) };
        let mut ref_identifier = strings(resource.get("cfnRefIdentifier"));
        if ref_identifier.is_empty() {
            ref_identifier = strings(resource.get("primaryIdentifier"));
        }
        Ok(ResourceType {
            ref_identifier,
            name: str_of(resource, "name").to_owned(),
            doc: str_of(resource, "documentation").to_owned(),
            properties: properties(resource),
            attributes: attributes(resource),
            type_defs: self.type_defs(resource_id, &cfn_type)?,
            tagging: resource.get("tagInformation").map(|t| {
                (
                    str_of(t, "tagPropertyName").to_owned(),
                    str_of(t, "variant").to_owned(),
                )
            }),
            create_only: paths("createOnly"),
            write_only: paths("writeOnly"),
            stateful: resource
                .get("isStateful")
                .and_then(Json::as_bool)
                .unwrap_or(false),
            cfn_type,
        })
    }

    /// The nested property types a resource uses, sorted by name.
    fn type_defs(&self, resource_id: &str, cfn_type: &str) -> Result<Vec<TypeDef>, String> {
        let mut type_defs: Vec<TypeDef> = forward(self.schema, "usesType", resource_id)
            .into_iter()
            .map(|id| {
                let t = self
                    .type_defs_by_id
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
        Ok(type_defs)
    }
}

/// The strings of a JSON array (none when it is not one).
fn strings(value: Option<&Json>) -> Vec<String> {
    value
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect()
}

/// GetAtt name → (type, documentation).
fn attributes(resource: &Json) -> BTreeMap<String, (Json, String)> {
    resource
        .get("attributes")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(name, a)| {
            let ty = a.get("type").cloned().unwrap_or(Json::Null);
            (name.clone(), (ty, str_of(a, "documentation").to_owned()))
        })
        .collect()
}
