//! Rust names for CloudFormation names.

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that generated code must not shadow.
const RESERVED_TYPES: &[&str] = &[
    "Box", "BTreeMap", "Err", "None", "Ok", "Option", "Result", "Self", "Some", "String", "Vec",
];

/// `snake_case` that keeps acronyms whole: `WAFv2` → `wafv2` (not `wa_fv2`), `ARNs` → `arns`,
/// `Ipv6CidrBlock` → `ipv6_cidr_block`, `HTTPServer` → `http_server`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let lower_follows = next.is_some_and(|n| n.is_ascii_lowercase());
            let starts_word = prev.is_ascii_lowercase()
                || prev.is_ascii_digit() && lower_follows
                || prev.is_ascii_uppercase()
                    && lower_follows
                    && !is_acronym_suffix(&chars[i + 1..]);
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    let out = out.trim_matches('_').to_owned();
    if out.is_empty() {
        return "value".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("n{out}");
    }
    if KEYWORDS.contains(&out.as_str()) {
        return format!("{out}_");
    }
    out
}

/// A lowercase run after an acronym that belongs to it: the plural `s` (`ARNs`) or a version
/// (`WAFv2`).
fn is_acronym_suffix(rest: &[char]) -> bool {
    let lower: String = rest.iter().take_while(|c| c.is_ascii_lowercase()).collect();
    let after = rest.get(lower.len()).copied();
    match lower.as_str() {
        "s" => after.is_none_or(|c| !c.is_ascii_lowercase()),
        "v" => after.is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// `PascalCase` for type names: keeps the CloudFormation spelling, drops other characters.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper_next = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper_next {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper_next = false;
        } else {
            upper_next = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&out.as_str()) {
        out.push_str("Property");
    }
    out
}

/// An enum variant for an enumerated value: `FARGATE_SPOT` → `FargateSpot`,
/// `t3.micro` → `T3Micro`, `application/json` → `ApplicationJson`.
pub fn variant(value: &str) -> String {
    let mut out = String::new();
    for chunk in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|c| !c.is_empty())
    {
        let mixed = chunk.chars().any(|c| c.is_ascii_uppercase())
            && chunk.chars().any(|c| c.is_ascii_lowercase());
        let mut chars = chunk.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            if mixed {
                out.extend(chars);
            } else {
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            }
        }
    }
    if out.is_empty() {
        out.push_str("Empty");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" || out == "Other" {
        out.push_str("Value");
    }
    out
}

/// Makes `name` unique among `taken` by appending a number, and records it.
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let pascal_case = name.starts_with(|c: char| c.is_ascii_uppercase());
    (2..)
        .map(|n| match (pascal_case, name.ends_with('_')) {
            (true, _) | (false, true) => format!("{name}{n}"),
            (false, false) => format!("{name}_{n}"),
        })
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_keeps_acronyms_whole() {
        assert_eq!(snake("WAFv2"), "wafv2");
        assert_eq!(snake("NotificationARNs"), "notification_arns");
        assert_eq!(snake("Ipv6CidrBlock"), "ipv6_cidr_block");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("VpcId"), "vpc_id");
        assert_eq!(snake("S3Bucket"), "s3_bucket");
        assert_eq!(snake("Type"), "type_");
        assert_eq!(snake("EnableECSManagedTags"), "enable_ecs_managed_tags");
        assert_eq!(snake("Endpoint.Address"), "endpoint_address");
    }

    #[test]
    fn variants_are_pascal_case() {
        assert_eq!(variant("FARGATE_SPOT"), "FargateSpot");
        assert_eq!(variant("t3.micro"), "T3Micro");
        assert_eq!(variant("1.4.0"), "V140");
        assert_eq!(variant("OTHER"), "OtherValue");
        assert_eq!(variant("*"), "Empty");
    }

    #[test]
    fn reserved_type_names_get_a_suffix() {
        assert_eq!(pascal("String"), "StringProperty");
        assert_eq!(pascal("Tag"), "Tag");
    }
}
