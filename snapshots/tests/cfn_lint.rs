//! Every template the repository synthesizes passes cfn-lint (pinned by
//! `scripts/install-tools.sh`) with no error and no warning.

use std::process::Command;

use construct_lib::{Format, synthesize};

#[test]
fn every_template_passes_cfn_lint() {
    let cfn_lint = snapshots::cfn_lint();
    assert!(
        cfn_lint.exists(),
        "cfn-lint not found at {}: run scripts/install-tools.sh (the README's test command does) or set CFN_LINT",
        cfn_lint.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut templates = Vec::new();
    for (app_name, app) in snapshots::all_apps() {
        let out = dir.path().join(app_name);
        let assembly = synthesize(&app).unwrap_or_else(|e| panic!("{app_name}: {e}"));
        assembly.write(&out, Format::Json).expect("write assembly");
        templates.extend(assembly.stacks.iter().map(|s| out.join(s.template_file())));
    }
    assert!(
        templates.len() >= 2,
        "expected templates from the stacks and the example"
    );
    // --include-checks I would add informational findings; errors and warnings must be zero.
    let output = Command::new(&cfn_lint)
        .arg("--format")
        .arg("parseable")
        .args(&templates)
        .output()
        .expect("run cfn-lint");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "cfn-lint found problems (exit {:?}):\n{report}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn cfn_lint_does_flag_a_broken_template() {
    // Guards the test above: a template cfn-lint must reject makes it exit non-zero.
    let cfn_lint = snapshots::cfn_lint();
    assert!(
        cfn_lint.exists(),
        "cfn-lint not found at {}",
        cfn_lint.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.template.json");
    std::fs::write(&path, r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"NoSuchProperty": 1}}}}"#).expect("write");
    let output = Command::new(&cfn_lint)
        .arg(&path)
        .output()
        .expect("run cfn-lint");
    assert!(
        !output.status.success(),
        "cfn-lint accepted a broken template"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("NoSuchProperty"));
}
