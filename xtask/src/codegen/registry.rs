//! The registry module: data about every resource type (always compiled, whatever the
//! features), so that tools such as `diff` can predict replacements for any type.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::docs::literal;
use super::spec::Spec;

/// Type name → index in `RESOURCE_TYPES` (sorted by type name).
pub fn order(spec: &Spec) -> BTreeMap<&str, usize> {
    let mut names: Vec<&str> = spec
        .services
        .iter()
        .flat_map(|s| s.resources.iter().map(|r| r.cfn_type.as_str()))
        .collect();
    names.sort_unstable();
    names.into_iter().enumerate().map(|(i, n)| (n, i)).collect()
}

fn string_slice(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| literal(s)).collect();
    format!("&[{}]", quoted.join(", "))
}

pub fn source(spec: &Spec, header: &str) -> String {
    let mut resources: Vec<_> = spec
        .services
        .iter()
        .flat_map(|s| s.resources.iter())
        .collect();
    resources.sort_by(|a, b| a.cfn_type.cmp(&b.cfn_type));
    let mut out = String::from(header);
    let _ = writeln!(
        out,
        "//! Data about every resource type of the pinned registry data ({} types).\n\nuse crate::model::{{PropertyInfo, Replacement, ResourceTypeInfo, TagInfo, TagVariant}};\n",
        resources.len()
    );
    let _ = writeln!(
        out,
        "/// The version of `@aws-cdk/aws-service-spec` the types were generated from.\npub const SERVICE_SPEC_VERSION: &str = {};",
        literal(&spec.versions.service_spec)
    );
    let _ = writeln!(
        out,
        "/// The version of `cfn-lint` whose registry schemas gave the write-only and create-only paths.\npub const CFN_LINT_VERSION: &str = {};\n",
        literal(&spec.versions.cfn_lint)
    );
    out.push_str("const fn p(name: &'static str, required: bool, replacement: Replacement, write_only: bool) -> PropertyInfo {\n    PropertyInfo { name, required, replacement, write_only }\n}\n\n");
    out.push_str("use Replacement::{Always as A, Conditional as C, Never as N};\n\n");
    out.push_str("/// Every resource type, sorted by type name.\npub static RESOURCE_TYPES: &[ResourceTypeInfo] = &[\n");
    for r in resources {
        let mut properties = String::new();
        for p in &r.properties {
            let pointer = format!("/properties/{}", p.name);
            let replacement = match p.causes_replacement.as_str() {
                "yes" => "A",
                "maybe" => "C",
                _ if r.create_only.contains(&pointer) => "A",
                _ => "N",
            };
            let write_only = r.write_only.contains(&pointer);
            let _ = write!(
                properties,
                "p({}, {}, {replacement}, {write_only}), ",
                literal(&p.name),
                p.required
            );
        }
        let attributes: Vec<String> = r.attributes.keys().cloned().collect();
        let tagging = match &r.tagging {
            Some((property, variant)) => {
                let variant = match variant.as_str() {
                    "map" => "Map",
                    "asg" => "AutoScalingGroup",
                    _ => "Standard",
                };
                format!(
                    "Some(TagInfo {{ property: {}, variant: TagVariant::{variant} }})",
                    literal(property)
                )
            }
            None => "None".to_owned(),
        };
        let _ = writeln!(
            out,
            "    ResourceTypeInfo {{ type_name: {}, properties: &[{properties}], attributes: {}, create_only_paths: {}, write_only_paths: {}, tagging: {tagging}, stateful: {} }},",
            literal(&r.cfn_type),
            string_slice(&attributes),
            string_slice(&r.create_only),
            string_slice(&r.write_only),
            r.stateful,
        );
    }
    out.push_str("];\n\n");
    out.push_str("/// The data about a resource type, by its `AWS::Service::Type` name.\npub fn lookup(type_name: &str) -> Option<&'static ResourceTypeInfo> {\n    RESOURCE_TYPES\n        .binary_search_by(|t| t.type_name.cmp(type_name))\n        .ok()\n        .map(|i| &RESOURCE_TYPES[i])\n}\n");
    out
}
