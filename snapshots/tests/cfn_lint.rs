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
    let with_hooks = without_hooks(&mut templates);
    // --include-checks I would add informational findings; errors and warnings must be zero.
    let (success, report) = lint(&cfn_lint, &templates);
    assert!(
        success && report.trim().is_empty(),
        "cfn-lint found problems:\n{report}"
    );
    // cfn-lint (1.58) knows no `Hooks` section: the templates that have one are linted
    // above without it (the synthesis checks read the hook), and here whole, where that
    // must be its only finding.
    if !with_hooks.is_empty() {
        let (_, report) = lint(&cfn_lint, &with_hooks);
        let unexpected: Vec<&str> = report
            .lines()
            .filter(|line| {
                !line.ends_with(
                    ":E1001:Additional properties are not allowed ('Hooks' was unexpected)",
                )
            })
            .collect();
        assert!(unexpected.is_empty(), "cfn-lint found problems:\n{report}");
        assert_eq!(report.lines().count(), with_hooks.len(), "{report}");
    }
}

/// Replaces each template with a `Hooks` section by a copy without it; returns the
/// originals.
fn without_hooks(templates: &mut [std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    let mut originals = Vec::new();
    for path in templates.iter_mut() {
        let text = std::fs::read_to_string(&*path).expect("read template");
        let mut template: serde_json::Value = serde_json::from_str(&text).expect("template JSON");
        let Some(object) = template.as_object_mut() else {
            continue;
        };
        if object.remove("Hooks").is_some() {
            let copy = path.with_extension("without-hooks.json");
            std::fs::write(&copy, serde_json::to_string(&template).expect("JSON")).expect("write");
            originals.push(std::mem::replace(path, copy));
        }
    }
    originals
}

/// Runs cfn-lint over `templates`: whether it exited 0, and its parseable report.
fn lint(cfn_lint: &std::path::Path, templates: &[std::path::PathBuf]) -> (bool, String) {
    let output = Command::new(cfn_lint)
        .arg("--format")
        .arg("parseable")
        .args(templates)
        .output()
        .expect("run cfn-lint");
    let mut report = String::from_utf8_lossy(&output.stdout).into_owned();
    report.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), report)
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
