//! One-line doc comments from the registry's Markdown documentation.

/// The first sentence of `text` (at most about 300 characters), made safe for rustdoc:
/// links keep their text, stray brackets and angle brackets are escaped.
pub fn summary(text: &str) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    let flat: String = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = strip_links(&flat);
    let sentence = first_sentence(&flat);
    escape(sentence.trim())
}

fn first_sentence(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut backticks = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'`' {
            backticks += 1;
        }
        let at_end = bytes.get(i + 1).is_none_or(|n| *n == b' ');
        if b == b'.' && at_end && backticks % 2 == 0 && i > 20 {
            let before = &text[..i];
            if before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("etc") {
                continue;
            }
            return text[..=i].to_owned();
        }
    }
    if text.chars().count() > 300 {
        let cut: String = text.chars().take(297).collect();
        return format!("{}...", cut.trim_end());
    }
    text.to_owned()
}

/// `[text](url)` → `text`.
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match (after.find(']'), after.find("](")) {
            (Some(close), Some(link)) if close == link => {
                let label = &after[..close];
                let url_start = &after[close + 2..];
                match url_start.find(')') {
                    Some(end) => {
                        out.push_str(&rest[..open]);
                        out.push_str(label);
                        rest = &url_start[end + 1..];
                    }
                    None => {
                        out.push_str(&rest[..=open]);
                        rest = after;
                    }
                }
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Rust string literal for `text`.
pub fn literal(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_sentence_and_link_text() {
        let doc = "The launch type on which to run your service. For more information, see [Amazon ECS Launch Types](https://docs.aws.amazon.com/x.html) in the guide.\n\nMore.";
        assert_eq!(
            summary(doc),
            "The launch type on which to run your service."
        );
        assert_eq!(
            summary("See [Docs](https://x) for <details>, e.g. this."),
            "See Docs for &lt;details&gt;, e.g. this."
        );
        assert_eq!(summary("Array [0] of x"), "Array \\[0\\] of x");
    }
}
