//! The template sections other than `Resources`, as calls on the stack: parameters with
//! their constraints, mappings, conditions, outputs, and the template's description,
//! metadata and transforms.

use serde_json::{Map, Value as Json};

use super::Unrepresentable;
use super::rust;
use super::shapes::Marker;
use super::values::{ParameterKind, Values, Want, has_intrinsic, intrinsic};

fn problem(values: &mut Values<'_>, at: &str, what: String, why: &str) {
    values.problems.push(Unrepresentable {
        at: at.to_owned(),
        what,
        why: why.to_owned(),
    });
}

/// `AwsParameterType::VpcId`, or `Other("...")` for types the enum does not name.
fn aws_type(name: &str) -> String {
    let known = match name {
        "AWS::EC2::AvailabilityZone::Name" => "AvailabilityZoneName",
        "AWS::EC2::Image::Id" => "ImageId",
        "AWS::EC2::Instance::Id" => "InstanceId",
        "AWS::EC2::KeyPair::KeyName" => "KeyPairName",
        "AWS::EC2::SecurityGroup::GroupName" => "SecurityGroupName",
        "AWS::EC2::SecurityGroup::Id" => "SecurityGroupId",
        "AWS::EC2::Subnet::Id" => "SubnetId",
        "AWS::EC2::Volume::Id" => "VolumeId",
        "AWS::EC2::VPC::Id" => "VpcId",
        "AWS::Route53::HostedZone::Id" => "HostedZoneId",
        other => {
            return format!(
                "AwsParameterType::Other({}.to_owned())",
                rust::string(other)
            );
        }
    };
    format!("AwsParameterType::{known}")
}

/// The constructor of a parameter of template type `type_name`, and what its `Ref` yields.
pub(crate) fn parameter_constructor(type_name: &str) -> (String, ParameterKind) {
    if let Some(inner) = type_name
        .strip_prefix("AWS::SSM::Parameter::Value<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        return ssm_constructor(inner);
    }
    match type_name {
        "String" => ("Parameter::string()".to_owned(), ParameterKind::String),
        "Number" => ("Parameter::number()".to_owned(), ParameterKind::Number),
        "List<Number>" => ("Parameter::number_list()".to_owned(), ParameterKind::List),
        "CommaDelimitedList" => (
            "Parameter::comma_delimited_list()".to_owned(),
            ParameterKind::List,
        ),
        "AWS::SSM::Parameter::Name" => (
            "Parameter::ssm_parameter_name()".to_owned(),
            ParameterKind::String,
        ),
        other => match other
            .strip_prefix("List<")
            .and_then(|r| r.strip_suffix('>'))
        {
            Some(element) => (
                format!("Parameter::aws_list({})", aws_type(element)),
                ParameterKind::List,
            ),
            None => (
                format!("Parameter::aws({})", aws_type(other)),
                ParameterKind::String,
            ),
        },
    }
}

/// The constructor of an `AWS::SSM::Parameter::Value<inner>` parameter.
fn ssm_constructor(inner: &str) -> (String, ParameterKind) {
    let list = "Vec<m::Value<String>>";
    match inner {
        "String" => (
            "Parameter::<String>::of_type(ParameterType::SsmString)".to_owned(),
            ParameterKind::String,
        ),
        "List<String>" | "CommaDelimitedList" => (
            format!("Parameter::<{list}>::of_type(ParameterType::SsmStringList)"),
            ParameterKind::List,
        ),
        _ => match inner
            .strip_prefix("List<")
            .and_then(|r| r.strip_suffix('>'))
        {
            Some(element) => (
                format!(
                    "Parameter::<{list}>::of_type(ParameterType::SsmAwsList({}))",
                    aws_type(element)
                ),
                ParameterKind::List,
            ),
            None => (
                format!(
                    "Parameter::<String>::of_type(ParameterType::SsmAws({}))",
                    aws_type(inner)
                ),
                ParameterKind::String,
            ),
        },
    }
}

/// A scalar as the text CloudFormation takes it as (parameter values are strings).
fn scalar_text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn whole_number(value: &Json) -> Option<u32> {
    match value {
        Json::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn real_number(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The parameter's settings as builder calls after its constructor.
pub(crate) fn parameter_settings(
    values: &mut Values<'_>,
    declaration: &Map<String, Json>,
    at: &str,
) -> String {
    let mut text = String::new();
    for (key, value) in declaration {
        let setting = match key.as_str() {
            "Type" => continue,
            "Default" => scalar_text(value).map(|v| format!(".default({})", rust::string(&v))),
            "Description" | "AllowedPattern" | "ConstraintDescription" => {
                let method = match key.as_str() {
                    "Description" => "description",
                    "AllowedPattern" => "allowed_pattern",
                    _ => "constraint_description",
                };
                value
                    .as_str()
                    .map(|v| format!(".{method}({})", rust::string(v)))
            }
            "AllowedValues" => value.as_array().and_then(|items| {
                let texts: Option<Vec<String>> = items
                    .iter()
                    .map(|v| scalar_text(v).map(|t| rust::string(&t)))
                    .collect();
                texts.map(|t| format!(".allowed_values([{}])", t.join(", ")))
            }),
            "MinLength" => whole_number(value).map(|n| format!(".min_length({n})")),
            "MaxLength" => whole_number(value).map(|n| format!(".max_length({n})")),
            "MinValue" => real_number(value).map(|n| format!(".min_value({})", rust::float(n))),
            "MaxValue" => real_number(value).map(|n| format!(".max_value({})", rust::float(n))),
            "NoEcho" => match scalar_text(value).as_deref() {
                Some("true") => Some(".no_echo()".to_owned()),
                Some("false") => Some(String::new()),
                _ => None,
            },
            _ => None,
        };
        match setting {
            Some(setting) => text.push_str(&setting),
            None => problem(
                values,
                &format!("{at}.{key}"),
                value.to_string(),
                "a parameter setting of CloudFormation's (Type, Default, Description, AllowedValues, AllowedPattern, ConstraintDescription, MinLength, MaxLength, MinValue, MaxValue, NoEcho) with a value of its type",
            ),
        }
    }
    text
}

/// `Mapping::new().entry(..)...` of a mapping's two-level table.
pub(crate) fn mapping(values: &mut Values<'_>, table: &Json, at: &str) -> String {
    let mut text = "Mapping::new()".to_owned();
    let Some(table) = table.as_object() else {
        problem(values, at, table.to_string(), "an object of objects");
        return text;
    };
    for (top, entries) in table {
        let Some(entries) = entries.as_object() else {
            problem(
                values,
                &format!("{at}.{top}"),
                entries.to_string(),
                "an object of values",
            );
            continue;
        };
        for (key, value) in entries {
            let value = match value {
                Json::String(s) => rust::string(s),
                other => rust::json_macro(other),
            };
            text.push_str(&format!(
                "\n.entry({}, {}, {value})",
                rust::string(top),
                rust::string(key)
            ));
        }
    }
    text
}

/// A condition expression as `Condition::...`.
pub(crate) fn condition(values: &mut Values<'_>, expression: &Json, at: &str) -> String {
    if let Some(Json::String(name)) = expression
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.get("Condition"))
    {
        if let Some(variable) = values.names.conditions.get(name) {
            return format!("Condition::reference(&{variable})");
        }
        problem(
            values,
            at,
            format!("`{name}`"),
            "a condition of the template",
        );
        return String::new();
    }
    let string = Want::Value(Marker::String);
    match intrinsic(expression) {
        Some(("Fn::Equals", Json::Array(sides))) if sides.len() == 2 => {
            let left = values
                .value(&sides[0], &string, &format!("{at}.0"))
                .typed(&string);
            let right = values.value(&sides[1], &string, &format!("{at}.1")).arg();
            format!("Condition::equals({left}, {right})")
        }
        Some((name @ ("Fn::And" | "Fn::Or"), Json::Array(items))) => {
            let inner: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, item)| condition(values, item, &format!("{at}.{i}")))
                .collect();
            let function = if name == "Fn::And" { "and" } else { "or" };
            format!("Condition::{function}([{}])", inner.join(", "))
        }
        Some(("Fn::Not", Json::Array(items))) if items.len() == 1 => {
            format!(
                "Condition::not({})",
                condition(values, &items[0], &format!("{at}.0"))
            )
        }
        _ => {
            problem(
                values,
                at,
                expression.to_string(),
                "a condition function: Fn::Equals, Fn::And, Fn::Or, Fn::Not or a {\"Condition\": name}",
            );
            String::new()
        }
    }
}

/// `Output::new(value)` with its description, export and condition.
pub(crate) fn output(values: &mut Values<'_>, declaration: &Json, at: &str) -> String {
    let string = Want::Value(Marker::String);
    let Some(declaration) = declaration.as_object() else {
        problem(
            values,
            at,
            declaration.to_string(),
            "an object with a Value",
        );
        return String::new();
    };
    let value = declaration.get("Value").unwrap_or(&Json::Null);
    let value = values
        .value(value, &string, &format!("{at}.Value"))
        .typed(&string);
    let mut text = format!("Output::new({value})");
    for (key, setting) in declaration {
        let at = format!("{at}.{key}");
        match (key.as_str(), setting) {
            ("Value", _) => {}
            ("Description", Json::String(d)) => {
                text.push_str(&format!("\n.description({})", rust::string(d)));
            }
            ("Export", Json::Object(export))
                if export.len() == 1 && export.contains_key("Name") =>
            {
                let name = values.value(&export["Name"], &string, &at).arg();
                text.push_str(&format!("\n.export_name({name})"));
            }
            ("Condition", Json::String(c)) => match values.names.conditions.get(c) {
                Some(variable) => text.push_str(&format!("\n.condition({variable})")),
                None => problem(values, &at, format!("`{c}`"), "a condition of the template"),
            },
            _ => problem(
                values,
                &at,
                setting.to_string(),
                "an output setting: Value, Description (text), Export ({\"Name\": ..}) or Condition (a condition's name)",
            ),
        }
    }
    text
}

/// A rule (`RuleCondition`, `Assertions`) as `Rule::new()...`.
pub(crate) fn rule(values: &mut Values<'_>, declaration: &Json, at: &str) -> String {
    let mut text = "Rule::new()".to_owned();
    let Some(declaration) = declaration.as_object() else {
        problem(
            values,
            at,
            declaration.to_string(),
            "an object with Assertions",
        );
        return text;
    };
    if let Some(condition) = declaration.get("RuleCondition") {
        let condition = rule_expr(values, condition, &format!("{at}.RuleCondition"));
        text.push_str(&format!("\n.when({condition})"));
    }
    let assertions = declaration.get("Assertions").and_then(Json::as_array);
    for (i, assertion) in assertions.into_iter().flatten().enumerate() {
        let at = format!("{at}.Assertions.{i}");
        let check = assertion.get("Assert").unwrap_or(&Json::Null);
        let check = rule_expr(values, check, &format!("{at}.Assert"));
        match assertion.get("AssertDescription") {
            Some(Json::String(d)) => {
                text.push_str(&format!("\n.assert({check}, {})", rust::string(d)))
            }
            None => text.push_str(&format!("\n.assert_without_description({check})")),
            Some(other) => problem(
                values,
                &at,
                other.to_string(),
                "an AssertDescription given as text",
            ),
        }
    }
    for key in declaration
        .keys()
        .filter(|k| *k != "RuleCondition" && *k != "Assertions")
    {
        problem(
            values,
            &format!("{at}.{key}"),
            key.clone(),
            "RuleCondition and Assertions",
        );
    }
    text
}

/// A rule function as `RuleExpr::...`.
fn rule_expr(values: &mut Values<'_>, expression: &Json, at: &str) -> String {
    let string = Want::Value(Marker::String);
    let list = Want::List(Marker::String);
    let Some((name, Json::Array(args))) = intrinsic(expression) else {
        problem(
            values,
            at,
            expression.to_string(),
            "a rule function: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn",
        );
        return String::new();
    };
    let sub = |values: &mut Values<'_>, i: usize| rule_expr(values, &args[i], &format!("{at}.{i}"));
    match (name, args.len()) {
        ("Fn::Equals", 2) => {
            let left = values.value(&args[0], &string, at).typed(&string);
            let right = values.value(&args[1], &string, at).arg();
            format!("RuleExpr::equals({left}, {right})")
        }
        ("Fn::Not", 1) => format!("RuleExpr::not({})", sub(values, 0)),
        ("Fn::And" | "Fn::Or", _) => {
            let inner: Vec<String> = (0..args.len()).map(|i| sub(values, i)).collect();
            let function = if name == "Fn::And" { "and" } else { "or" };
            format!("RuleExpr::{function}([{}])", inner.join(", "))
        }
        ("Fn::Contains", 2) => {
            let value = values.value(&args[1], &string, at).typed(&string);
            match &args[0] {
                Json::Array(_) if !has_intrinsic(&args[0]) => {
                    let items = values.value(&args[0], &list, at).arg();
                    format!("RuleExpr::contains({items}, {value})")
                }
                other => {
                    let items = values.value(other, &list, at).typed(&list);
                    format!("RuleExpr::list_contains({items}, {value})")
                }
            }
        }
        ("Fn::EachMemberEquals", 2) => {
            let members = values.value(&args[0], &list, at).typed(&list);
            let value = values.value(&args[1], &string, at).arg();
            format!("RuleExpr::each_member_equals({members}, {value})")
        }
        ("Fn::EachMemberIn", 2) if !has_intrinsic(&args[1]) => {
            let members = values.value(&args[0], &list, at).typed(&list);
            let allowed = values.value(&args[1], &list, at).arg();
            format!("RuleExpr::each_member_in({members}, {allowed})")
        }
        _ => {
            problem(
                values,
                at,
                expression.to_string(),
                "a rule function: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn (with a literal list of allowed values)",
            );
            String::new()
        }
    }
}

/// The template's description, metadata and transforms as calls on the stack.
pub(crate) fn template_settings(
    values: &mut Values<'_>,
    template: &Map<String, Json>,
) -> Vec<String> {
    let mut calls = Vec::new();
    for (key, value) in template {
        match (key.as_str(), value) {
            ("AWSTemplateFormatVersion", Json::String(v)) if v == "2010-09-09" => {}
            ("Parameters" | "Mappings" | "Conditions" | "Resources" | "Outputs" | "Rules", _) => {}
            ("Description", Json::String(d)) => {
                calls.push(format!("stack.set_description({});", rust::string(d)));
            }
            ("Metadata", Json::Object(entries)) => {
                for (k, v) in entries {
                    if has_intrinsic(v) {
                        problem(
                            values,
                            &format!("Metadata.{k}"),
                            v.to_string(),
                            "template metadata without intrinsic functions",
                        );
                        continue;
                    }
                    let v = match v {
                        Json::String(s) => rust::string(s),
                        other => rust::json_macro(other),
                    };
                    calls.push(format!("stack.add_metadata({}, {v});", rust::string(k)));
                }
            }
            ("Transform", Json::String(t)) => {
                calls.push(format!("stack.add_transform({});", rust::string(t)));
            }
            ("Transform", Json::Array(items)) if items.iter().all(Json::is_string) => {
                for t in items.iter().filter_map(Json::as_str) {
                    calls.push(format!("stack.add_transform({});", rust::string(t)));
                }
            }
            (
                "AWSTemplateFormatVersion" | "Description" | "Metadata" | "Transform" | "Hooks",
                _,
            ) => problem(
                values,
                key,
                value.to_string(),
                "AWSTemplateFormatVersion 2010-09-09, a Description as text, Metadata without intrinsic functions, Transform names (Hooks are not migrated yet)",
            ),
            // A section the model does not type (the SAM transform's `Globals`), after the
            // elements it may name: see `extra_sections`.
            _ => {}
        }
    }
    calls
}

/// Sections the model does not type (`Globals`), as `stack.add_section(..)`.
pub(crate) fn extra_sections(values: &mut Values<'_>, template: &Map<String, Json>) -> Vec<String> {
    template
        .iter()
        .filter(|(key, _)| !construct_lib::synth::TEMPLATE_SECTIONS.contains(&key.as_str()))
        .map(|(key, value)| {
            let value = values.expr(value, key);
            format!("stack.add_section({}, {value});", rust::string(key))
        })
        .collect()
}
