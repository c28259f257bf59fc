//! Every template the repository synthesizes passes checkov (pinned by
//! `scripts/install-tools.sh`): no failed check, and every skipped check skipped by a
//! suppression whose reason is in the template (`Metadata.checkov.skip`, written from
//! `Scope::suppress`).

use std::path::Path;
use std::process::Command;

use construct_lib::{Format, synthesize};
use serde_json::Value as Json;

/// A check checkov reported on a template, with its result.
#[derive(Debug)]
struct Check {
    id: String,
    resource: String,
    file: String,
    comment: Option<String>,
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on {} in {}", self.id, self.resource, self.file)
    }
}

/// The failed and the skipped checks of a checkov run over `dir`.
fn scan(dir: &Path) -> (Vec<Check>, Vec<Check>) {
    let checkov = snapshots::checkov();
    assert!(
        checkov.exists(),
        "checkov not found at {}: run scripts/install-tools.sh (the README's test command does) or set CHECKOV",
        checkov.display()
    );
    let output = Command::new(&checkov)
        .args(["--directory"])
        .arg(dir)
        // No network: the BC-ID mapping download is not needed for CKV ids.
        .args([
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--compact",
            "--skip-download",
        ])
        .output()
        .expect("run checkov");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "checkov's report is not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    // One framework gives one report object; checkov gives a list for several.
    let reports: Vec<&Json> = match &report {
        Json::Array(reports) => reports.iter().collect(),
        one => vec![one],
    };
    let checks = |kind: &str| -> Vec<Check> {
        reports
            .iter()
            .flat_map(|r| r["results"][kind].as_array().into_iter().flatten())
            .map(|c| Check {
                id: c["check_id"].as_str().unwrap_or_default().to_owned(),
                resource: c["resource"].as_str().unwrap_or_default().to_owned(),
                file: c["file_path"].as_str().unwrap_or_default().to_owned(),
                comment: c["check_result"]["suppress_comment"]
                    .as_str()
                    .map(str::to_owned),
            })
            .collect()
    };
    for r in &reports {
        let errors = r["results"]["parsing_errors"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(errors, 0, "checkov could not parse a template: {r}");
    }
    (checks("failed_checks"), checks("skipped_checks"))
}

#[test]
fn every_template_passes_checkov_with_reasons_for_what_it_skips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut templates = 0;
    for (app_name, app) in snapshots::all_apps() {
        let assembly = synthesize(&app).unwrap_or_else(|e| panic!("{app_name}: {e}"));
        assembly
            .write(&dir.path().join(app_name), Format::Json)
            .expect("write assembly");
        templates += assembly.stacks.len();
    }
    assert!(
        templates >= 20,
        "expected every scenario's templates, got {templates}"
    );
    let (failed, skipped) = scan(dir.path());
    let failed: Vec<String> = failed.iter().map(ToString::to_string).collect();
    assert!(
        failed.is_empty(),
        "checkov failed {} check(s): mend them or accept each with Scope::suppress and a reason:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(
        !skipped.is_empty(),
        "the scenarios accept findings: checkov should see them skipped"
    );
    // checkov writes "No comment provided" for a skip without a comment.
    let unexplained: Vec<String> = skipped
        .iter()
        .filter(|c| {
            c.comment
                .as_deref()
                .is_none_or(|s| s.is_empty() || s == "No comment provided")
        })
        .map(ToString::to_string)
        .collect();
    assert!(
        unexplained.is_empty(),
        "skipped without a reason:\n{}",
        unexplained.join("\n")
    );
}

#[test]
fn checkov_does_flag_a_template_it_must_reject() {
    // Guards the test above: a topic without a key fails CKV_AWS_26, and the same topic with
    // a suppression written by the library is skipped with its reason.
    let dir = tempfile::tempdir().expect("temp dir");
    let topic = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "Alerts"}}}}"#;
    std::fs::write(dir.path().join("bare.template.json"), topic).expect("write");
    let mut app = construct_lib::App::new();
    let stack = app.stack("Accepted");
    construct_lib::Scope::add(stack, "Topic", construct_lib::cfn::sns::Topic::new());
    construct_lib::Scope::suppress(stack, "SNS1", "alarm names and states only");
    synthesize(&app)
        .expect("valid")
        .write(&dir.path().join("accepted"), Format::Json)
        .expect("write");
    let (failed, skipped) = scan(dir.path());
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(
        (failed[0].id.as_str(), failed[0].resource.as_str()),
        ("CKV_AWS_26", "AWS::SNS::Topic.Topic")
    );
    assert!(failed[0].file.contains("bare"), "{failed:?}");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].id, "CKV_AWS_26");
    assert_eq!(
        skipped[0].comment.as_deref(),
        Some("SNS1: alarm names and states only")
    );
}
