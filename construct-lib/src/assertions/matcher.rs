//! Patterns that template values are matched against, with a message that says where and
//! how a value differs.

use serde_json::Value as Json;

/// A pattern for a template value.
///
/// A plain JSON value converts into a pattern ([`From<Json>`]): objects match like
/// [`Match::object_like`] (the value may have more keys, at every depth), arrays match element
/// by element with the same length, other values match exactly.
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
                Some(text) if glob(pattern, text) => Ok(()),
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

impl From<Json> for Match {
    fn from(value: Json) -> Self {
        match value {
            Json::Object(object) => {
                Self::ObjectLike(object.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
            Json::Array(items) => Self::Array(items.into_iter().map(Into::into).collect()),
            other => Self::Exact(other),
        }
    }
}

fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if text.len() < first.len() + last.len() || !text.starts_with(first) || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
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
}
