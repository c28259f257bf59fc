//! When a synthesized template equals the template it was migrated from.
//!
//! Both are compared as JSON after the rewrites below, each of which CloudFormation itself
//! reads as the same template; nothing else is forgiven:
//! - `AWSTemplateFormatVersion` absent is `2010-09-09` (the only version there is);
//! - `Fn::GetAtt: "Res.Attr"` is `["Res", "Attr"]`; `Fn::Sub: [text, {}]` is `text`;
//! - `DependsOn: X` is `[X]`, and its order and repeats do not matter;
//! - a parameter's `Default` and `AllowedValues` are text (`5` is `"5"`), its length and
//!   value bounds numbers, and `NoEcho: false` is no `NoEcho`;
//! - a single `Transform` in a list is that transform; empty optional sections and empty
//!   `Properties` are absent.
//!
//! Numbers are compared exactly (`1` is not `1.0`: CloudFormation passes some values on as
//! text), except a parameter's bounds, which are numbers to CloudFormation either way.

use serde_json::{Map, Value as Json};

/// `template` rewritten to the canonical form described in the module documentation.
pub fn normalize(template: &Json) -> Json {
    let Some(map) = template.as_object() else {
        return template.clone();
    };
    let mut out = Map::new();
    out.insert(
        "AWSTemplateFormatVersion".to_owned(),
        Json::String("2010-09-09".to_owned()),
    );
    for (key, value) in map {
        let value = match key.as_str() {
            "Parameters" => parameters(value),
            "Resources" => resources(value),
            "Transform" => match value {
                Json::Array(items) if items.len() == 1 => items[0].clone(),
                other => other.clone(),
            },
            _ => functions(value),
        };
        let empty = matches!(&value, Json::Object(m) if m.is_empty()) && key != "Resources";
        if !empty {
            out.insert(key.clone(), value);
        }
    }
    Json::Object(out)
}

/// The paths at which two templates differ after [`normalize`], at most `limit` of them.
pub fn differences(expected: &Json, actual: &Json, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    compare(
        &normalize(expected),
        &normalize(actual),
        "",
        &mut out,
        limit,
    );
    out
}

fn compare(expected: &Json, actual: &Json, at: &str, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit {
        return;
    }
    match (expected, actual) {
        (Json::Object(a), Json::Object(b)) => {
            for (key, value) in a {
                let path = format!("{at}/{key}");
                match b.get(key) {
                    Some(other) => compare(value, other, &path, out, limit),
                    None => out.push(format!("{path}: missing (expected {})", short(value))),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{at}/{key}: not expected ({})", short(&b[key])));
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{at}/{i}"), out, limit);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: expected {}, got {}", short(a), short(b))),
    }
}

fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.len() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

/// `Fn::GetAtt` and `Fn::Sub` in their canonical forms, everywhere in `value`.
fn functions(value: &Json) -> Json {
    match value {
        Json::Object(map) if map.len() == 1 => {
            let (name, argument) = map
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or_default();
            let argument = functions(argument);
            let argument = match (name, argument) {
                ("Fn::GetAtt", Json::String(dotted)) => match dotted.split_once('.') {
                    Some((resource, attribute)) => Json::Array(vec![
                        Json::String(resource.to_owned()),
                        Json::String(attribute.to_owned()),
                    ]),
                    None => Json::String(dotted),
                },
                ("Fn::Sub", Json::Array(items))
                    if items.len() == 2 && items[1].as_object().is_some_and(Map::is_empty) =>
                {
                    items[0].clone()
                }
                (_, argument) => argument,
            };
            let mut out = Map::new();
            out.insert(name.to_owned(), argument);
            Json::Object(out)
        }
        Json::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), functions(v))).collect())
        }
        Json::Array(items) => Json::Array(items.iter().map(functions).collect()),
        other => other.clone(),
    }
}

fn scalar_text(value: &Json) -> Json {
    match value {
        Json::Number(n) => Json::String(n.to_string()),
        Json::Bool(b) => Json::String(b.to_string()),
        other => other.clone(),
    }
}

/// A parameter bound as an `f64` number, whether written `"1"`, `1` or `1.0`.
fn number(value: &Json) -> Json {
    let parsed = match value {
        Json::String(s) => s.trim().parse::<f64>().ok(),
        Json::Number(n) => n.as_f64(),
        _ => None,
    };
    parsed
        .and_then(serde_json::Number::from_f64)
        .map_or_else(|| value.clone(), Json::Number)
}

fn parameters(section: &Json) -> Json {
    let Some(section) = section.as_object() else {
        return section.clone();
    };
    let normalized = section.iter().map(|(id, declaration)| {
        let Some(declaration) = declaration.as_object() else {
            return (id.clone(), declaration.clone());
        };
        let mut out = Map::new();
        for (key, value) in declaration {
            let value = match key.as_str() {
                "Default" => scalar_text(value),
                "AllowedValues" => match value {
                    Json::Array(items) => Json::Array(items.iter().map(scalar_text).collect()),
                    other => other.clone(),
                },
                "MinLength" | "MaxLength" | "MinValue" | "MaxValue" => number(value),
                "NoEcho" => match scalar_text(value).as_str() {
                    Some("false") => continue,
                    Some("true") => Json::Bool(true),
                    _ => value.clone(),
                },
                _ => value.clone(),
            };
            out.insert(key.clone(), value);
        }
        (id.clone(), Json::Object(out))
    });
    Json::Object(normalized.collect())
}

fn resources(section: &Json) -> Json {
    let Some(section) = section.as_object() else {
        return section.clone();
    };
    let normalized = section.iter().map(|(id, resource)| {
        let Some(resource) = resource.as_object() else {
            return (id.clone(), resource.clone());
        };
        let mut out = Map::new();
        for (key, value) in resource {
            let value = match (key.as_str(), value) {
                ("DependsOn", Json::String(one)) => Json::Array(vec![Json::String(one.clone())]),
                ("DependsOn", Json::Array(many)) => {
                    let mut names: Vec<Json> = many.clone();
                    names.sort_by_key(ToString::to_string);
                    names.dedup();
                    Json::Array(names)
                }
                ("Properties", Json::Object(p)) if p.is_empty() => continue,
                (_, other) => functions(other),
            };
            out.insert(key.clone(), value);
        }
        (id.clone(), Json::Object(out))
    });
    Json::Object(normalized.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equivalent_spellings_are_equal() {
        let written = json!({
            "Parameters": {"N": {"Type": "Number", "Default": 5, "NoEcho": "false", "MinValue": "1"}},
            "Resources": {"A": {"Type": "T", "DependsOn": "B", "Properties": {"X": {"Fn::GetAtt": "B.Arn"}, "Y": {"Fn::Sub": ["s", {}]}, "Z": 1}}},
            "Outputs": {}
        });
        let synthesized = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Parameters": {"N": {"Type": "Number", "Default": "5", "MinValue": 1.0}},
            "Resources": {"A": {"Type": "T", "DependsOn": ["B"], "Properties": {"X": {"Fn::GetAtt": ["B", "Arn"]}, "Y": {"Fn::Sub": "s"}, "Z": 1}}}
        });
        assert_eq!(
            differences(&written, &synthesized, 10),
            Vec::<String>::new()
        );
    }

    #[test]
    fn real_differences_are_named_by_path() {
        let written = json!({"Resources": {"A": {"Type": "T", "Properties": {"Port": "80"}}}});
        let synthesized =
            json!({"Resources": {"A": {"Type": "T", "Properties": {"Port": 80, "Extra": true}}}});
        assert_eq!(
            differences(&written, &synthesized, 10),
            vec![
                "/Resources/A/Properties/Port: expected \"80\", got 80".to_owned(),
                "/Resources/A/Properties/Extra: not expected (true)".to_owned(),
            ]
        );
    }
}
