//! The rule pack's findings as text: what `synth` prints after the stacks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets};

use crate::rules::Finding;

/// What the rule pack found, grouped by stack: a table of the unaccepted findings per stack
/// (rule, construct, what was found), the count of accepted ones, then each rule that found
/// something once, with why it matters and how to fix it. Empty when nothing was found.
pub fn render(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let open: Vec<&Finding> = findings.iter().filter(|f| f.suppressed.is_none()).collect();
    let mut text = format!(
        "findings: {} to fix, {} accepted with a reason\n",
        open.len(),
        findings.len() - open.len()
    );
    let mut by_stack: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &open {
        by_stack
            .entry(finding.stack.as_str())
            .or_default()
            .push(finding);
    }
    for (stack, found) in by_stack {
        let mut table = Table::new();
        table
            .load_style(presets::ASCII_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(vec!["Rule", "Construct", "Finding"]);
        for finding in found {
            table.add_row(vec![
                finding.rule,
                finding.path.as_str(),
                finding.detail.as_str(),
            ]);
        }
        let _ = writeln!(text, "{stack}\n{table}");
    }
    let mut rules: Vec<_> = open.iter().map(|f| f.rule()).collect();
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    for rule in rules {
        let _ = writeln!(
            text,
            "{} {}: {}. Fix: {}.",
            rule.id, rule.title, rule.why, rule.fix
        );
    }
    text
}
