//! Reads CloudFormation template text: JSON, or YAML with the short forms of the intrinsic
//! functions (`!Ref Name`, `!Sub '...'`, `!GetAtt Res.Attr`), which a plain YAML reader
//! rejects or misreads. Every short form becomes its long form (`{"Fn::Sub": ...}`), as
//! CloudFormation reads it.

use serde_json::{Map, Number, Value as Json};
use serde_yaml_ng::Value as Yaml;

/// Parses `text` as JSON, or else as YAML with CloudFormation's short forms.
///
/// # Errors
/// The YAML parser's message when the text is neither (JSON that fails to parse is read as
/// YAML, of which JSON is a subset, so the message is about the position of the fault).
pub fn parse(text: &str) -> Result<Json, String> {
    if let Ok(json) = serde_json::from_str::<Json>(text) {
        return Ok(json);
    }
    let yaml: Yaml = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    to_json(yaml)
}

/// The long form of a short-form tag: `!Ref` → `Ref`, `!Condition` → `Condition`, any
/// other `!Name` → `Fn::Name`.
fn long_form(tag: &str) -> String {
    let name = tag.trim_start_matches('!');
    match name {
        "Ref" | "Condition" => name.to_owned(),
        _ => format!("Fn::{name}"),
    }
}

fn to_json(yaml: Yaml) -> Result<Json, String> {
    Ok(match yaml {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(b),
        Yaml::Number(n) => number(&n)?,
        Yaml::String(s) => Json::String(s),
        Yaml::Sequence(items) => {
            Json::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                object.insert(key_text(key)?, to_json(value)?);
            }
            Json::Object(object)
        }
        Yaml::Tagged(tagged) if tagged.tag.to_string().trim_start_matches('!').is_empty() => {
            // The non-specific tag `!` marks a plain value.
            to_json(tagged.value)?
        }
        Yaml::Tagged(tagged) => {
            let name = long_form(&tagged.tag.to_string());
            let mut object = Map::new();
            object.insert(name, to_json(tagged.value)?);
            Json::Object(object)
        }
    })
}

/// Text values that YAML 1.1, which CloudFormation reads templates with, resolves to
/// something else when they are written unquoted: `yes`/`no`/`on`/`off`/`y`/`n` (booleans)
/// and `1:20`-style sexagesimal numbers. This reader follows YAML 1.2, where they are text;
/// since quoting is not kept, each such value is returned (with its path) for the caller to
/// warn about.
pub fn yaml_1_1_suspects(value: &Json) -> Vec<String> {
    let mut out = Vec::new();
    collect_suspects(value, "", &mut out);
    out
}

fn collect_suspects(value: &Json, at: &str, out: &mut Vec<String>) {
    match value {
        Json::String(s) if reads_otherwise_in_yaml_1_1(s) => out.push(format!("{at} = {s:?}")),
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_suspects(item, &format!("{at}.{i}"), out);
            }
        }
        Json::Object(map) => {
            for (key, item) in map {
                let at = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                collect_suspects(item, &at, out);
            }
        }
        _ => {}
    }
}

fn reads_otherwise_in_yaml_1_1(text: &str) -> bool {
    const BOOLEANS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF",
    ];
    if BOOLEANS.contains(&text) {
        return true;
    }
    // Sexagesimal: digits, then `:` groups of at most two digits (`1:20`, `190:20:30`).
    let body = text.trim_start_matches(['-', '+']);
    let mut groups = body.split(':');
    let head_is_number = groups
        .next()
        .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit() || b == b'_'));
    let rest: Vec<&str> = groups.collect();
    head_is_number
        && !rest.is_empty()
        && rest
            .iter()
            .all(|g| (1..=2).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
        && rest.iter().all(|g| g.parse::<u8>().is_ok_and(|n| n < 60))
}

fn number(n: &serde_yaml_ng::Number) -> Result<Json, String> {
    if let Some(i) = n.as_i64() {
        return Ok(Json::Number(i.into()));
    }
    if let Some(u) = n.as_u64() {
        return Ok(Json::Number(u.into()));
    }
    n.as_f64()
        .and_then(Number::from_f64)
        .map(Json::Number)
        .ok_or_else(|| format!("{n} is not a number JSON can hold"))
}

/// A mapping key as text: templates key by strings, but YAML reads `80:` as a number.
fn key_text(key: Yaml) -> Result<String, String> {
    match key {
        Yaml::String(s) => Ok(s),
        Yaml::Bool(b) => Ok(b.to_string()),
        Yaml::Number(n) => Ok(n.to_string()),
        Yaml::Null => Ok("null".to_owned()),
        Yaml::Tagged(tagged) if tagged.tag.to_string().trim_start_matches('!').is_empty() => {
            key_text(tagged.value)
        }
        other => Err(format!("a mapping key must be text, not {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_forms_become_long_forms() {
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${AWS::StackName}-b'\n      Tags:\n        - Key: !Ref Env\n          Value: !GetAtt Q.Arn\n      X: !If [C, !Condition D, !Join ['', [a]]]\n";
        let json = parse(text).expect("parses");
        let properties = &json["Resources"]["B"]["Properties"];
        assert_eq!(
            properties["BucketName"],
            json!({"Fn::Sub": "${AWS::StackName}-b"})
        );
        assert_eq!(properties["Tags"][0]["Key"], json!({"Ref": "Env"}));
        assert_eq!(
            properties["Tags"][0]["Value"],
            json!({"Fn::GetAtt": "Q.Arn"})
        );
        assert_eq!(
            properties["X"],
            json!({"Fn::If": ["C", {"Condition": "D"}, {"Fn::Join": ["", ["a"]]}]})
        );
    }

    #[test]
    fn json_is_read_as_json_and_numeric_keys_as_text() {
        assert_eq!(parse("{\"a\": 1}").expect("json"), json!({"a": 1}));
        assert_eq!(parse("80: http\n").expect("yaml"), json!({"80": "http"}));
        assert_eq!(parse("! \"Ref\": X\n").expect("yaml"), json!({"Ref": "X"}));
    }

    #[test]
    fn values_yaml_1_1_would_read_otherwise_are_found() {
        let json = parse("A: yes\nB: [On, '1:20', 'ok', '10:75']\nC: 190:20:30\nD: 8080:80\n")
            .expect("yaml");
        assert_eq!(
            yaml_1_1_suspects(&json),
            vec![
                "A = \"yes\"".to_owned(),
                "B.0 = \"On\"".to_owned(),
                "B.1 = \"1:20\"".to_owned(),
                "C = \"190:20:30\"".to_owned()
            ]
        );
    }

    #[test]
    fn text_that_is_neither_is_an_error_with_the_position() {
        let error = parse("a: [1,\n").expect_err("invalid");
        assert!(error.contains("line"), "{error}");
    }
}
