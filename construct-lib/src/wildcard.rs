//! `*` wildcards, as users type them for stack names on the command line and for strings in
//! assertion patterns.

/// Whether `text` matches `pattern`, where `*` matches any run of characters (also none) and
/// everything else matches itself.
///
/// ```
/// use construct_lib::wildcard::matches;
/// assert!(matches("Web*", "WebService"));
/// assert!(matches("*Net*", "WebNetwork"));
/// assert!(!matches("A*A", "A"));
/// assert!(matches("Web", "Web"));
/// ```
pub fn matches(pattern: &str, text: &str) -> bool {
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
    use super::matches;

    #[test]
    fn stars_match_anywhere_and_nothing_else_does() {
        assert!(matches("Web*", "WebNetwork"));
        assert!(matches("*", "A"));
        assert!(matches("a*b*c", "a-b-c"));
        assert!(!matches("Web*", "Api"));
        assert!(!matches("a*b*c", "a-c-b"));
        assert!(!matches("Web", "Web2"));
    }
}
