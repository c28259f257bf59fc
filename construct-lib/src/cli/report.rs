//! `synth --report FILE`: the rule pack's findings as a file for other tools. A `.sarif`
//! file is SARIF 2.1.0 (what code-scanning tools such as GitHub's show: one result per
//! finding, at the template file and the construct path, accepted ones as in-source
//! suppressions with their reason); any other name is plain JSON.

use std::path::{Path, PathBuf};

use crate::rules::{self, Finding, Severity};
use serde_json::{Value as Json, json};

use super::SynthError;

/// Writes the report of `findings` to `path`; `out` is the assembly directory the
/// templates were written to, which SARIF locations name.
pub fn write(path: &Path, out: &Path, findings: &[Finding]) -> Result<(), SynthError> {
    let sarif = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sarif"));
    let report = if sarif {
        sarif_log(out, findings)
    } else {
        plain(findings)
    };
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    std::fs::write(path, text + "\n").map_err(|source| SynthError::Report {
        path: PathBuf::from(path),
        source,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `{"findings": [{stack, path, logicalId, type, rule, severity, title, detail, why, fix,
/// checkov, suppressed}]}`.
fn plain(findings: &[Finding]) -> Json {
    let findings: Vec<Json> = findings
        .iter()
        .map(|f| {
            let rule = f.rule();
            json!({
                "stack": f.stack,
                "path": f.path,
                "logicalId": f.logical_id,
                "type": f.resource_type,
                "rule": rule.id,
                "severity": level(f.severity),
                "title": rule.title,
                "detail": f.detail,
                "why": rule.why,
                "fix": rule.fix,
                "checkov": rule.checkov,
                "suppressed": f.suppressed,
            })
        })
        .collect();
    json!({ "findings": findings })
}

/// A SARIF 2.1.0 log with one run: every rule of the pack, and one result per finding.
fn sarif_log(out: &Path, findings: &[Finding]) -> Json {
    let rules: Vec<Json> = rules::all()
        .map(|rule| {
            json!({
                "id": rule.id,
                "name": rule.id,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.why},
                "help": {"text": rule.fix},
                "defaultConfiguration": {"level": level(rule.severity)},
                "properties": {"checkov": rule.checkov, "resourceTypes": rule.resource_types},
            })
        })
        .collect();
    let results: Vec<Json> = findings.iter().map(|f| sarif_result(out, f)).collect();
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "synth",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn sarif_result(out: &Path, finding: &Finding) -> Json {
    let rule = finding.rule();
    let template = out.join(format!("{}.template.json", finding.stack));
    let mut result = json!({
        "ruleId": rule.id,
        "level": level(finding.severity),
        "message": {"text": format!("{}: {} ({})", rule.title, finding.detail, finding.path)},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": template.to_string_lossy()}},
            "logicalLocations": [
                {"fullyQualifiedName": finding.path, "kind": "resource"},
                {"name": finding.logical_id, "kind": "resource"},
            ],
        }],
    });
    if let Some(reason) = &finding.suppressed {
        result["suppressions"] = json!([{"kind": "inSource", "justification": reason}]);
    }
    result
}
