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
    fn text_that_is_neither_is_an_error_with_the_position() {
        let error = parse("a: [1,\n").expect_err("invalid");
        assert!(error.contains("line"), "{error}");
    }
}
