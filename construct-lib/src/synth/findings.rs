//! Runs the rule pack ([`crate::rules`]) over a rendered template: checks the stack's
//! suppressions, writes the accepted findings' reasons into the resources' `Metadata`,
//! and turns unaccepted errors into synthesis problems.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::render::StackNames;
use crate::core::stack::Stack;
use crate::problem::{Problem, Problems, quoted};
use crate::rules::{self, Finding, Severity, Suppression};

/// The findings of `template`, whose suppressed ones are now in its `Metadata`; problems
/// of the suppressions and the unaccepted errors go to `problems`.
pub(super) fn check(
    stack: &Stack,
    template: &mut Json,
    names: &StackNames,
    problems: &mut Vec<Problem>,
) -> Vec<Finding> {
    let paths: BTreeMap<String, String> = names
        .resources
        .iter()
        .cloned()
        .zip(names.resource_paths.iter().cloned())
        .collect();
    let suppressions = suppressions(stack, names, problems);
    let findings = rules::check_template(&stack.name, template, &paths, &suppressions);
    for suppression in &suppressions {
        if !findings.iter().any(|f| suppression.covers(&f.path, f.rule)) {
            Problems::new(suppression.path.clone(), problems).warning(
                &format!("suppress({})", suppression.rule),
                "covers no finding",
                "a suppression of a rule that finds something at or under this construct: remove it, or check the path",
            );
        }
    }
    for finding in findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.suppressed.is_none())
    {
        let rule = finding.rule();
        Problems::new(finding.path.clone(), problems).error(
            &format!("rule {} ({})", rule.id, rule.title),
            &finding.detail,
            format!(
                "{}: {}; or accept it with suppress(\"{}\", reason)",
                rule.why, rule.fix, rule.id
            ),
        );
    }
    findings
}

/// The stack's suppressions with their absolute paths; the invalid ones reported and left
/// out.
fn suppressions(
    stack: &Stack,
    names: &StackNames,
    problems: &mut Vec<Problem>,
) -> Vec<Suppression> {
    let mut valid = Vec::new();
    for (node, under, rule, reason) in &stack.suppressions {
        let base = stack.path_of(*node);
        let path = if under.is_empty() {
            base.clone()
        } else {
            format!("{base}/{under}")
        };
        let mut report = Problems::new(base.clone(), problems);
        let setting = format!("suppress({})", quoted(rule));
        if rules::rule(rule).is_none() {
            let ids: Vec<&str> = rules::all().map(|r| r.id).collect();
            report.error(
                &setting,
                quoted(rule),
                format!("a rule of the pack: {}", ids.join(", ")),
            );
            continue;
        }
        if reason.trim().is_empty() {
            report.error(&setting, "no reason", "a reason: why the finding is accepted here (it is written into the template for the scanners)");
            continue;
        }
        if reason.contains("checkov:skip") {
            report.error(&setting, quoted(reason), "a reason without `checkov:skip` (checkov reads that text anywhere in a resource as a suppression of its own)");
            continue;
        }
        let exists = names
            .resource_paths
            .iter()
            .any(|p| p == &path || p.starts_with(&format!("{path}/")));
        if !exists {
            report.error(
                &setting,
                quoted(&path),
                format!("the path of a construct under {base} that has resources"),
            );
            continue;
        }
        valid.push(Suppression {
            path,
            rule: rule.clone(),
            reason: reason.trim().to_owned(),
        });
    }
    valid
}
