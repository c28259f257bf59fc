//! The commands as a user runs them: exit codes and what they print.

use clap::Parser;
use construct_lib::cfn::sns;
use construct_lib::{App, Scope};
use synth_cli::cli::Cli;
use synth_cli::commands::execute;

fn app() -> App {
    let mut app = App::new();
    let topic = app.stack("Producer").add("Topic", sns::Topic::new());
    app.stack("Consumer").output("Arn", topic.ref_value());
    app
}

fn run(app: &App, args: &[&str]) -> (u8, String, String) {
    let cli = Cli::try_parse_from(std::iter::once("synth").chain(args.iter().copied()))
        .expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(app, cli, &mut out, &mut err).code();
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn synth_writes_the_assembly_and_prints_each_stack() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let (code, out, err) = run(
        &app(),
        &[
            "synth",
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--format",
            "yaml",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Producer: 1 resources, "), "{out}");
    assert!(
        out.contains("Consumer: 0 resources, ") && out.contains("bytes, after Producer"),
        "{out}"
    );
    assert!(out.contains("wrote 2 stack(s) to "), "{out}");
    for file in [
        "manifest.json",
        "Producer.template.json",
        "Consumer.template.yaml",
    ] {
        assert!(out_dir.join(file).exists(), "{file}");
    }
}

#[test]
fn synth_prints_the_rule_findings_and_strict_fails_on_them_writing_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let out_arg = out_dir.to_str().expect("utf-8");
    let (code, out, err) = run(&app(), &["synth", "--out", out_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(" ms\nfindings: 1 to fix, 0 accepted with a reason\nProducer\n"),
        "{out}"
    );
    assert!(
        out.contains("| SNS1 | Producer/Topic | no KmsMasterKeyId |"),
        "{out}"
    );
    assert!(
        out.contains("SNS1 a topic without KMS encryption: messages are stored unencrypted at rest while SNS delivers them. Fix: Topic builder: encryption_key(&key)"),
        "{out}"
    );
    let strict_dir = dir.path().join("strict");
    let (code, _, err) = run(
        &app(),
        &[
            "synth",
            "--strict",
            "--out",
            strict_dir.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        err.trim(),
        "error: 1 finding(s) of the rule pack not accepted (--strict): fix them, or accept each with suppress(rule, reason)"
    );
    assert!(!strict_dir.exists(), "nothing written");
}

#[test]
fn synth_is_the_default_command_and_quiet_prints_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out, _) = run(
        &app(),
        &["--out", dir.path().to_str().expect("utf-8"), "--quiet"],
    );
    assert_eq!(code, 0);
    assert!(out.is_empty(), "{out}");
    assert!(dir.path().join("manifest.json").exists());
}

#[test]
fn synth_of_an_invalid_app_prints_every_problem_exits_1_and_writes_nothing() {
    let mut app = App::new();
    app.stack("bad_name");
    app.stack("Other").set_description("x".repeat(2000));
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let (code, _, err) = run(&app, &["synth", "--out", out_dir.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("2 problem(s) found, nothing was written"),
        "{err}"
    );
    assert!(
        err.contains("error: bad_name: stack name = \"bad_name\""),
        "{err}"
    );
    assert!(
        err.contains("error: Other: Description = 2000 bytes: at most 1024 bytes"),
        "{err}"
    );
    assert!(!out_dir.exists());
}

#[test]
fn synth_reports_an_unwritable_output_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("file");
    std::fs::write(&file, "x").expect("write");
    let (code, _, err) = run(
        &app(),
        &["synth", "--out", file.join("sub").to_str().expect("utf-8")],
    );
    assert_eq!(code, 3);
    assert!(err.starts_with("error: writing "), "{err}");
}

#[test]
fn list_prints_names_and_long_adds_environment_and_dependencies() {
    let (code, out, _) = run(&app(), &["list"]);
    assert_eq!(code, 0);
    assert_eq!(out, "Producer\nConsumer\n");
    let (code, out, _) = run(&app(), &["list", "--long"]);
    assert_eq!(code, 0);
    // The last column is the deployed status, which depends on this machine's credentials:
    // tests/deploy_moto.rs and tests/errors.rs check it against known setups.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("Producer\taws://unknown-account/unknown-region\tdepends on: -\t"),
        "{out}"
    );
    assert!(
        lines[1]
            .starts_with("Consumer\taws://unknown-account/unknown-region\tdepends on: Producer\t"),
        "{out}"
    );
}

#[test]
fn synth_writes_the_findings_as_sarif_or_json_for_other_tools() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let sarif = dir.path().join("findings.sarif");
    let json = dir.path().join("findings.json");
    for report in [&sarif, &json] {
        let args = [
            "synth",
            "--quiet",
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--report",
            report.to_str().expect("utf-8"),
        ];
        let (code, _, err) = run(&app(), &args);
        assert_eq!(code, 0, "{err}");
    }
    let read = |path: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).expect("report written")).expect("JSON")
    };
    let log = read(&sarif);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert!(
        run["tool"]["driver"]["rules"]
            .as_array()
            .is_some_and(|rules| rules.iter().any(|r| r["id"] == "SNS1"))
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "SNS1");
    assert_eq!(result["level"], "warning");
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "Producer/Topic"
    );
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|uri| uri.ends_with("Producer.template.json"))
    );
    let plain = read(&json);
    assert_eq!(plain["findings"][0]["rule"], "SNS1");
    assert_eq!(
        plain["findings"][0]["checkov"],
        serde_json::json!(["CKV_AWS_26"])
    );
    assert_eq!(plain["findings"][0]["suppressed"], serde_json::Value::Null);
}

#[test]
fn an_accepted_finding_is_a_sarif_suppression_with_its_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("findings.sarif");
    let mut app = App::new();
    let stack = app.stack("Alerts");
    stack.add("Topic", sns::Topic::new());
    stack.suppress("SNS1", "alarm notifications only");
    let out = dir.path().join("out");
    let args = [
        "synth",
        "--quiet",
        "--strict",
        "--out",
        out.to_str().expect("utf-8"),
        "--report",
        sarif.to_str().expect("utf-8"),
    ];
    let (code, _, err) = run(&app, &args);
    assert_eq!(code, 0, "accepted findings pass --strict: {err}");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("written")).expect("JSON");
    assert_eq!(
        log["runs"][0]["results"][0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "alarm notifications only"}])
    );
}
