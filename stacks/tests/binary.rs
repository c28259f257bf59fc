//! The `synth` binary as a user runs it: what it prints and its exit codes.

use std::process::Command;

#[test]
fn synth_binary_writes_the_repository_stacks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_synth"))
        .current_dir(dir.path())
        .output()
        .expect("run synth");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("WebService: 56 resources, "), "{stdout}");
    assert!(stdout.contains("\nGitanaData: 58 resources, "), "{stdout}");
    assert!(
        stdout.contains("\nGitanaServices: 53 resources, ")
            && stdout.contains(", after GitanaData\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\nEc2Cluster: 57 resources, "), "{stdout}");
    assert!(
        stdout.contains("\nJavaWebappRepository: 1 resources, "),
        "{stdout}"
    );
    assert!(
        stdout.contains("\nJavaWebapp: 47 resources, ")
            && stdout.contains(", after JavaWebappRepository\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\nBlueGreenRepository: 1 resources, ")
            && stdout.contains("\nBlueGreen: 56 resources, ")
            && stdout.contains(", after BlueGreenRepository\n"),
        "{stdout}"
    );
    assert!(stdout.contains("wrote 8 stack(s) to cdk.out"), "{stdout}");
    // Every finding of the rule pack is mended or accepted with a reason (stacks/src/accepted.rs).
    assert!(stdout.contains("\nfindings: 0 to fix, "), "{stdout}");
    let manifest =
        std::fs::read_to_string(dir.path().join("cdk.out/manifest.json")).expect("manifest");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("json");
    for stack in [
        "WebService",
        "GitanaData",
        "GitanaServices",
        "Ec2Cluster",
        "JavaWebappRepository",
        "JavaWebapp",
        "BlueGreenRepository",
        "BlueGreen",
    ] {
        assert_eq!(
            manifest["artifacts"][stack]["type"], "aws:cloudformation:stack",
            "{stack}"
        );
    }
    assert_eq!(
        manifest["artifacts"]["GitanaServices"]["dependencies"],
        serde_json::json!(["GitanaData"])
    );
    assert_eq!(
        manifest["artifacts"]["JavaWebapp"]["dependencies"],
        serde_json::json!(["JavaWebappRepository"])
    );
}

#[test]
fn synth_binary_rejects_unknown_arguments_with_exit_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_synth"))
        .arg("--bogus")
        .output()
        .expect("run synth");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unexpected argument '--bogus'"));
}

fn run_synth(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run synth");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn help_shows_the_app_options_and_context_values_in_the_parser() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, help, _) = run_synth(dir.path(), &["--help"]);
    assert_eq!(code, Some(0));
    assert!(
        help.contains("--env <ENV>") && help.contains("[default: dev]"),
        "{help}"
    );
    assert!(help.contains("-c, --context <KEY=VALUE>"), "{help}");
    // The description is the command line's, not the app options' doc comment.
    assert!(help.starts_with("Synthesizes this app's stacks"), "{help}");
}

#[test]
fn env_is_accepted_before_and_after_the_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, before, err) = run_synth(dir.path(), &["--env", "prod", "list", "--long"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, after, err) = run_synth(dir.path(), &["list", "--long", "--env=prod"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(before, after);
    assert!(
        before.contains("GitanaServices\taws://") && before.contains("depends on: GitanaData"),
        "{before}"
    );
}

#[test]
fn an_unknown_environment_names_the_missing_file_with_exit_3() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run_synth(dir.path(), &["--env", "qa"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.starts_with("error: cannot read ") && err.contains("config/qa.json"),
        "{err}"
    );
    assert!(!dir.path().join("cdk.out").exists());
}

#[test]
fn a_context_value_without_equals_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for bad in ["stage", "=prod", " stage=prod"] {
        let (code, _, err) = run_synth(dir.path(), &["-c", bad]);
        assert_eq!(code, Some(2), "{bad}: {err}");
    }
    let (code, _, err) = run_synth(dir.path(), &["-c", "stage"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "context value `stage` must look like KEY=VALUE with a KEY without spaces, such as -c stage=prod"
        ),
        "{err}"
    );
}

/// Without the `deploy` feature the binary only synthesizes; the deploy commands say where
/// they are instead of "unrecognized subcommand".
#[cfg(not(feature = "deploy"))]
#[test]
fn deploy_commands_name_synth_cli_in_a_synth_only_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in ["deploy", "diff", "destroy", "bootstrap"] {
        let (code, out, err) = run_synth(dir.path(), &[command, "--all"]);
        assert_eq!(code, Some(2), "{command}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(&format!(
                "`{command}` is a command of synth-cli, and this app only synthesizes"
            )) && err.contains(&format!("`synth-cli {command} --app cdk.out`")),
            "{err}"
        );
    }
    let (code, _, err) = run_synth(dir.path(), &["deplyo"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unrecognized subcommand 'deplyo'"), "{err}");
    // The app is not built for a command it cannot run: a missing config does not hide
    // where the command is.
    let (code, _, err) = run_synth(dir.path(), &["--env", "missing", "deploy"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("`deploy` is a command of synth-cli"), "{err}");
}

#[test]
fn synth_options_before_a_command_are_refused_not_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run_synth(dir.path(), &["--out", "elsewhere", "synth"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("synth's options (--out, --format, --quiet, --strict, --report) were given before the command `synth`"),
        "{err}"
    );
    assert!(!dir.path().join("elsewhere").exists() && !dir.path().join("cdk.out").exists());
}
