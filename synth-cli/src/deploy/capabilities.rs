//! The capabilities a template needs CloudFormation to be told about, read from the template
//! itself so that the user never has to pass them.

use aws_sdk_cloudformation::types::Capability;
use serde_json::Value as Json;

/// IAM resource types, and the property that names them (which needs `CAPABILITY_NAMED_IAM`).
const IAM_TYPES: &[(&str, Option<&str>)] = &[
    ("AWS::IAM::AccessKey", None),
    ("AWS::IAM::Group", Some("GroupName")),
    ("AWS::IAM::InstanceProfile", Some("InstanceProfileName")),
    ("AWS::IAM::ManagedPolicy", Some("ManagedPolicyName")),
    ("AWS::IAM::Policy", None),
    ("AWS::IAM::Role", Some("RoleName")),
    ("AWS::IAM::RolePolicy", None),
    ("AWS::IAM::User", Some("UserName")),
    ("AWS::IAM::UserPolicy", None),
    ("AWS::IAM::GroupPolicy", None),
    ("AWS::IAM::UserToGroupAddition", None),
];

/// The capabilities `template` needs: `CAPABILITY_IAM` for IAM resources,
/// `CAPABILITY_NAMED_IAM` when one of them has a name, `CAPABILITY_AUTO_EXPAND` for
/// transforms (macros) and nested stacks (which may hold either).
pub fn required(template: &Json) -> Vec<Capability> {
    let mut iam = false;
    let mut named = false;
    let mut expand = template.get("Transform").is_some() || contains_key(template, "Fn::Transform");
    for resource in template
        .get("Resources")
        .and_then(Json::as_object)
        .into_iter()
        .flat_map(|resources| resources.values())
    {
        let resource_type = resource.get("Type").and_then(Json::as_str).unwrap_or("");
        if let Some((_, name_property)) = IAM_TYPES.iter().find(|(t, _)| *t == resource_type) {
            iam = true;
            if let Some(name_property) = name_property
                && resource
                    .get("Properties")
                    .and_then(|p| p.get(name_property))
                    .is_some()
            {
                named = true;
            }
        }
        if resource_type == "AWS::CloudFormation::Stack"
            || resource_type.starts_with("AWS::Serverless::")
        {
            expand = true;
            iam = true;
            named = true;
        }
    }
    let mut capabilities = Vec::new();
    if iam {
        capabilities.push(Capability::CapabilityIam);
    }
    if named {
        capabilities.push(Capability::CapabilityNamedIam);
    }
    if expand {
        capabilities.push(Capability::CapabilityAutoExpand);
    }
    capabilities
}

fn contains_key(value: &Json, key: &str) -> bool {
    match value {
        Json::Object(object) => object.iter().any(|(k, v)| k == key || contains_key(v, key)),
        Json::Array(items) => items.iter().any(|item| contains_key(item, key)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn iam_named_iam_and_transforms_are_detected() {
        assert!(required(&json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}})).is_empty());
        assert_eq!(
            required(&json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}})),
            [Capability::CapabilityIam]
        );
        assert_eq!(
            required(&json!({"Resources": {"R": {"Type": "AWS::IAM::Role",
                "Properties": {"RoleName": "x"}}}})),
            [Capability::CapabilityIam, Capability::CapabilityNamedIam]
        );
        assert_eq!(
            required(&json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}})),
            [Capability::CapabilityAutoExpand]
        );
    }
}
