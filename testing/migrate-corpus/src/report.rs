//! The report: per set, how many templates migrate, compile, synthesize and come back
//! equal; then why each of the others does not.

use std::fmt::Write as _;

use crate::corpus::{Entry, Expectation, Outcome, Set};

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text)
}

/// Why the entry did not come back equal, in one or a few lines.
fn reason(entry: &Entry) -> String {
    match &entry.outcome {
        Outcome::NotMigrated(why) => {
            let lines: Vec<&str> = why.lines().skip(1).map(str::trim).take(4).collect();
            if lines.is_empty() {
                format!("not migrated: {}", first_line(why))
            } else {
                format!("not migrated: {}", lines.join("; "))
            }
        }
        Outcome::NotCompiled(error) => format!("does not compile: {error}"),
        Outcome::NotSynthesized(error) => {
            let lines: Vec<&str> = error
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .take(3)
                .collect();
            format!("does not synthesize: {}", lines.join("; "))
        }
        Outcome::Differs(differences) => format!("differs: {}", differences.join("; ")),
        Outcome::Migrated | Outcome::Compiled | Outcome::Equal => String::new(),
    }
}

/// Counts of one set: templates, migrated, compiled, synthesized, equal.
fn counts(set: &str, entries: &[Entry]) -> [usize; 5] {
    let mut counts = [0; 5];
    for entry in entries.iter().filter(|e| e.set == set) {
        let stage = match entry.outcome {
            Outcome::NotMigrated(_) => 0,
            Outcome::Migrated | Outcome::NotCompiled(_) => 1,
            Outcome::Compiled | Outcome::NotSynthesized(_) => 2,
            Outcome::Differs(_) => 3,
            Outcome::Equal => 4,
        };
        for count in counts.iter_mut().take(stage + 1) {
            *count += 1;
        }
    }
    counts
}

/// Whether `set` reached its expectation.
pub fn meets(set: &Set, entries: &[Entry]) -> bool {
    let [total, .., equal] = counts(&set.name, entries);
    match set.expectation {
        Expectation::All => equal == total,
        Expectation::AtLeast(n) => equal >= n,
    }
}

/// The report as Markdown.
pub fn render(sets: &[Set], entries: &[Entry]) -> String {
    let mut out = String::from(
        "# migrate: templates that synthesize back equal\n\n| set | templates | migrated | compiled | synthesized | equal | values kept as overrides |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for set in sets {
        let [total, migrated, compiled, synthesized, equal] = counts(&set.name, entries);
        let overrides: usize = entries
            .iter()
            .filter(|e| e.set == set.name)
            .map(|e| e.overrides)
            .sum();
        let _ = writeln!(
            out,
            "| {} | {total} | {migrated} | {compiled} | {synthesized} | {equal} | {overrides} |",
            set.name
        );
    }
    for set in sets {
        let others: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.set == set.name && !matches!(e.outcome, Outcome::Equal))
            .collect();
        if others.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {}: the {} others\n", set.name, others.len());
        for entry in others {
            let _ = writeln!(out, "- `{}`: {}", entry.name, reason(entry));
        }
    }
    out
}
