//! Patterns that template values are matched against, with a message that says where and
//! how a value differs.

use serde_json::Value as Json;

/// A pattern for a template value.
///
/// A plain JSON value converts into a pattern ([`From<Json>`]): objects match like
/// [`Match::object_like`] (the value may have more keys, at every depth), arrays match element
/// by element with the same length, other values match exactly. Patterns can sit inside
/// `json!({...})` (`json!({"Tags": Match::absent()})`).
///
/// ```
/// use construct_lib::assertions::Match;
/// use serde_json::json;
/// let pattern = Match::object_like([
///     ("CidrBlock", Match::string_like("10.0.*")),
///     ("Tags", Match::array_with([json!({"Key": "Name"}).into()])),
///     ("Ipv6CidrBlock", Match::absent()),
/// ]);
/// let value = json!({"CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "a"}]});
/// assert_eq!(pattern.check(&value), Ok(()));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Match {
    /// Exactly this value, at every depth.
    Exact(Json),
    /// An object with at least these keys, each matching its pattern.
    ObjectLike(Vec<(String, Match)>),
    /// An array with exactly these elements, in order.
    Array(Vec<Match>),
    /// An array that has, in order but not necessarily adjacent, elements matching these.
    ArrayWith(Vec<Match>),
    /// The key is absent (only meaningful as an object pattern's value).
    Absent,
    /// Any value that is present.
    AnyValue,
    /// A string matching this pattern, where `*` matches any run of characters.
    StringLike(String),
}

impl Match {
    /// Exactly `value`, at every depth (no extra keys anywhere).
    pub fn exact(value: impl Into<Json>) -> Self {
        Self::Exact(value.into())
    }

    /// An object with at least these keys, each matching its pattern.
    pub fn object_like<K: Into<String>>(entries: impl IntoIterator<Item = (K, Match)>) -> Self {
        Self::ObjectLike(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// An array containing elements matching `patterns`, in that order.
    pub fn array_with(patterns: impl IntoIterator<Item = Match>) -> Self {
        Self::ArrayWith(patterns.into_iter().collect())
    }

    /// The key must be absent.
    pub fn absent() -> Self {
        Self::Absent
    }

    /// Any present value.
    pub fn any_value() -> Self {
        Self::AnyValue
    }

    /// A string where `*` matches any run of characters (`"arn:aws:s3:::*"`).
    pub fn string_like(pattern: impl Into<String>) -> Self {
        Self::StringLike(pattern.into())
    }

    /// `Ok` when `value` matches, else where and how it differs.
    pub fn check(&self, value: &Json) -> Result<(), String> {
        self.check_at("", Some(value))
    }

    fn check_at(&self, path: &str, value: Option<&Json>) -> Result<(), String> {
        let at = if path.is_empty() { "/" } else { path };
        let Some(value) = value else {
            return match self {
                Self::Absent => Ok(()),
                _ => Err(format!("{at}: missing")),
            };
        };
        match self {
            Self::Absent => Err(format!("{at}: expected no value, found {value}")),
            Self::AnyValue => Ok(()),
            Self::Exact(expected) => {
                if expected == value {
                    Ok(())
                } else {
                    Err(format!("{at}: expected {expected}, found {value}"))
                }
            }
            Self::StringLike(pattern) => match value.as_str() {
                Some(text) if crate::wildcard::matches(pattern, text) => Ok(()),
                _ => Err(format!(
                    "{at}: expected a string like {pattern:?}, found {value}"
                )),
            },
            Self::ObjectLike(entries) => {
                let Some(object) = value.as_object() else {
                    return Err(format!("{at}: expected an object, found {value}"));
                };
                for (key, pattern) in entries {
                    pattern.check_at(&format!("{path}/{key}"), object.get(key))?;
                }
                Ok(())
            }
            Self::Array(patterns) => {
                let Some(items) = value.as_array() else {
                    return Err(format!("{at}: expected an array, found {value}"));
                };
                if items.len() != patterns.len() {
                    return Err(format!(
                        "{at}: expected {} element(s), found {}: {value}",
                        patterns.len(),
                        items.len()
                    ));
                }
                for (index, (pattern, item)) in patterns.iter().zip(items).enumerate() {
                    pattern.check_at(&format!("{path}/{index}"), Some(item))?;
                }
                Ok(())
            }
            Self::ArrayWith(patterns) => {
                let Some(items) = value.as_array() else {
                    return Err(format!("{at}: expected an array, found {value}"));
                };
                let mut rest = items.iter().enumerate();
                for pattern in patterns {
                    let found = rest.by_ref().any(|(index, item)| {
                        pattern
                            .check_at(&format!("{path}/{index}"), Some(item))
                            .is_ok()
                    });
                    if !found {
                        return Err(format!(
                            "{at}: no element (in order) matches {}, in {value}",
                            pattern.describe()
                        ));
                    }
                }
                Ok(())
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Exact(value) => value.to_string(),
            Self::ObjectLike(entries) => format!(
                "an object like {{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.describe()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Self::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::ArrayWith(items) => format!(
                "an array with [{}]",
                items
                    .iter()
                    .map(Self::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::Absent => "nothing".to_owned(),
            Self::AnyValue => "any value".to_owned(),
            Self::StringLike(pattern) => format!("a string like {pattern:?}"),
        }
    }
}

/// The key under which a pattern travels inside a JSON value (see the `Serialize` impl).
const MARKER: &str = "$match";

impl Match {
    /// The pattern as a marked JSON value, so that it can sit inside `json!({...})` and come
    /// back as a pattern when the value is converted into one.
    fn to_json(&self) -> Json {
        let list = |items: &[Match]| Json::Array(items.iter().map(Match::to_json).collect());
        match self {
            Self::Exact(value) => serde_json::json!({ MARKER: "exact", "value": value }),
            Self::ObjectLike(entries) => serde_json::json!({
                MARKER: "object_like",
                "entries": entries.iter().map(|(k, v)| serde_json::json!([k, v.to_json()])).collect::<Vec<_>>(),
            }),
            Self::Array(items) => serde_json::json!({ MARKER: "array", "items": list(items) }),
            Self::ArrayWith(items) => {
                serde_json::json!({ MARKER: "array_with", "items": list(items) })
            }
            Self::Absent => serde_json::json!({ MARKER: "absent" }),
            Self::AnyValue => serde_json::json!({ MARKER: "any_value" }),
            Self::StringLike(pattern) => {
                serde_json::json!({ MARKER: "string_like", "pattern": pattern })
            }
        }
    }

    fn from_marked(kind: &str, object: &serde_json::Map<String, Json>) -> Option<Self> {
        let items = |key: &str| -> Vec<Match> {
            object
                .get(key)
                .and_then(Json::as_array)
                .map(|items| items.iter().cloned().map(Match::from).collect())
                .unwrap_or_default()
        };
        Some(match kind {
            "exact" => Self::Exact(object.get("value").cloned().unwrap_or(Json::Null)),
            "object_like" => Self::ObjectLike(
                object
                    .get("entries")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|entry| {
                        let key = entry.get(0)?.as_str()?.to_owned();
                        Some((key, Match::from(entry.get(1)?.clone())))
                    })
                    .collect(),
            ),
            "array" => Self::Array(items("items")),
            "array_with" => Self::ArrayWith(items("items")),
            "absent" => Self::Absent,
            "any_value" => Self::AnyValue,
            "string_like" => Self::StringLike(object.get("pattern")?.as_str()?.to_owned()),
            _ => return None,
        })
    }
}

/// Lets a pattern sit inside `json!({...})`: `json!({"Tags": Match::absent()})`.
impl serde::Serialize for Match {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl From<Json> for Match {
    fn from(value: Json) -> Self {
        match value {
            Json::Object(object) => {
                if let Some(kind) = object.get(MARKER).and_then(Json::as_str)
                    && let Some(pattern) = Match::from_marked(kind, &object)
                {
                    return pattern;
                }
                Self::ObjectLike(object.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
            Json::Array(items) => Self::Array(items.into_iter().map(Into::into).collect()),
            other => Self::Exact(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn mismatches_say_where() {
        let pattern: Match = json!({"A": {"B": [1, 2]}}).into();
        assert_eq!(
            pattern.check(&json!({"A": {"B": [1, 3], "C": 0}})),
            Err("/A/B/1: expected 2, found 3".to_owned())
        );
        assert_eq!(
            pattern.check(&json!({"A": {}})),
            Err("/A/B: missing".to_owned())
        );
        assert_eq!(
            Match::object_like([("X", Match::absent())]).check(&json!({"X": 1})),
            Err("/X: expected no value, found 1".to_owned())
        );
        assert_eq!(
            Match::array_with([Match::exact(3)]).check(&json!([1, 2])),
            Err("/: no element (in order) matches 3, in [1,2]".to_owned())
        );
        assert_eq!(
            Match::string_like("arn:*:s3").check(&json!("arn:x:sqs")),
            Err("/: expected a string like \"arn:*:s3\", found \"arn:x:sqs\"".to_owned())
        );
        assert_eq!(
            Match::exact(json!({"A": 1})).check(&json!({"A": 1, "B": 2})),
            Err("/: expected {\"A\":1}, found {\"A\":1,\"B\":2}".to_owned())
        );
        assert_eq!(Match::any_value().check(&json!(null)), Ok(()));
    }

    #[test]
    fn patterns_travel_inside_json_values() {
        let pattern: Match = json!({
            "A": Match::absent(),
            "B": Match::array_with([Match::string_like("x*")]),
            "C": Match::exact(json!({"D": 1})),
            "E": Match::object_like([("F", Match::any_value())]),
        })
        .into();
        assert_eq!(
            pattern.check(&json!({"B": ["y", "xz"], "C": {"D": 1}, "E": {"F": 0, "G": 1}})),
            Ok(())
        );
        assert_eq!(
            pattern.check(&json!({"A": 1, "B": [], "C": {"D": 1}, "E": {}})),
            Err("/A: expected no value, found 1".to_owned())
        );
    }
}
