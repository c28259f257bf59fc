//! Rust source text: literals, identifiers and JSON written so that `json!` reads it back.

use std::collections::BTreeSet;

use serde_json::Value as Json;

/// A Rust string literal of `s` (escapes included).
pub(crate) fn string(s: &str) -> String {
    format!("{s:?}")
}

/// Keywords a logical ID may spell once in snake case.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "become", "await", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "stack", "m", "cfn", "fns",
    "json",
];

/// A variable name for a logical ID, unique among `taken`: `MyVPC` → `my_vpc`.
pub(crate) fn variable(logical_id: &str, taken: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    let chars: Vec<char> = logical_id.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let starts_word = c.is_ascii_uppercase()
            && previous.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(char::is_ascii_lowercase))
            });
        if starts_word && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    let mut name = out.trim_matches('_').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "r_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

/// A number as a Rust literal of its own kind: integers as integers (with an `i64`
/// suffix beyond `i32`, where an unsuffixed literal would not fit the default), others as
/// `f64` with a decimal point.
pub(crate) fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        if i32::try_from(i).is_ok() {
            i.to_string()
        } else {
            format!("{i}i64")
        }
    } else if let Some(u) = n.as_u64() {
        format!("{u}u64")
    } else {
        float(n.as_f64().unwrap_or_default())
    }
}

/// An `f64` literal (`1.0`, `0.5`, `1e300`).
pub(crate) fn float(f: f64) -> String {
    format!("{f:?}")
}

/// `value` as the argument of `json!`: JSON whose strings are Rust literals.
pub(crate) fn json_macro(value: &Json) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    format!("json!({out})")
}

fn write_json(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // With a suffix beyond `i32`: `json!` gives a bare integer literal the type `i32`.
        Json::Number(n) => out.push_str(&number(n)),
        Json::String(s) => out.push_str(&string(s)),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&string(key));
                out.push_str(": ");
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn logical_ids_become_unique_snake_case_variables() {
        let mut taken = BTreeSet::new();
        assert_eq!(variable("MyVPC", &mut taken), "my_vpc");
        assert_eq!(
            variable("VPCGatewayAttachment", &mut taken),
            "vpc_gateway_attachment"
        );
        assert_eq!(variable("Subnet1a", &mut taken), "subnet1a");
        assert_eq!(variable("Type", &mut taken), "type_");
        assert_eq!(variable("MyVpc", &mut taken), "my_vpc_2");
        assert_eq!(variable("1st", &mut taken), "r_1st");
        assert_eq!(variable("Abstract", &mut taken), "abstract_");
        assert_eq!(variable("Become", &mut taken), "become_");
    }

    #[test]
    fn literals_are_valid_rust() {
        assert_eq!(string("a\"b\u{1b}"), "\"a\\\"b\\u{1b}\"");
        assert_eq!(number(&serde_json::Number::from(5)), "5");
        assert_eq!(
            number(&serde_json::Number::from(5_000_000_000i64)),
            "5000000000i64"
        );
        assert_eq!(float(1.0), "1.0");
        assert_eq!(
            json_macro(&json!({"a": [1, "x\n"], "b": null})),
            "json!({\"a\": [1, \"x\\n\"], \"b\": null})"
        );
        assert_eq!(
            json_macro(&json!(123456789012u64)),
            "json!(123456789012i64)"
        );
    }
}
