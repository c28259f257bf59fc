//! What the user reads when a command cannot run: no credentials, no region, stacks that do
//! not exist, a missing assembly, an offline diff, a destroy nobody confirmed. These need no
//! endpoint: the `synth-cli` binary runs with a controlled environment.

use std::path::Path;
use std::process::Command;

use construct_lib::cfn::sns;
use construct_lib::{App, Format, Scope, synthesize};
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Runs `synth-cli` with `env` as its only AWS settings (no files, no instance metadata).
fn synth_cli(args: &[&str], env: &[(&str, String)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth-cli"));
    command.args(args);
    for name in
        AWS_ENV_TO_CLEAR
            .iter()
            .chain(&["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"])
    {
        command.env_remove(name);
    }
    command
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let output = command.output().expect("synth-cli runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn assembly(dir: &Path, stacks: &[&str]) -> String {
    let mut app = App::new();
    for name in stacks {
        app.stack(name)
            .add("Topic", sns::Topic::new().display_name(*name));
    }
    synthesize(&app)
        .expect("valid")
        .write(dir, Format::Json)
        .expect("written");
    dir.to_str().expect("utf-8").to_owned()
}

fn credentials_without_region() -> Vec<(&'static str, String)> {
    aws_env()
        .into_iter()
        .filter(|(name, _)| *name != "AWS_REGION")
        .collect()
}

#[test]
fn no_credentials_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = assembly(dir.path(), &["Web"]);
    let run = synth_cli(
        &["deploy", "--yes", "--app", &app, "--region", "us-east-1"],
        &[],
    );
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.starts_with("error: no AWS credentials found ("),
        "{}",
        run.err
    );
    assert!(
        run.err.contains(
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or configure the default credential chain"
        ),
        "{}",
        run.err
    );
    let list = synth_cli(&["list", "--long", "--app", &app], &[]);
    assert_eq!(list.code, 0, "{}", list.err);
    assert_eq!(
        list.out,
        "Web\taws://unknown-account/unknown-region\tdepends on: -\tstatus unknown: no AWS credentials\n"
    );
}

#[test]
fn no_region_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = assembly(dir.path(), &["Web"]);
    let run = synth_cli(
        &["deploy", "--yes", "--app", &app],
        &credentials_without_region(),
    );
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains(
            "error: stack Web: no AWS region: pass --region, set AWS_REGION, configure a region for the profile, or give the stack an environment with a region"
        ),
        "{}",
        run.err
    );
}

#[test]
fn stack_selection_errors_name_the_stacks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = assembly(dir.path(), &["Web", "Api"]);
    let ambiguous = synth_cli(&["deploy", "--app", &app], &aws_env());
    assert_eq!(ambiguous.code, 2);
    assert_eq!(
        ambiguous.err,
        "error: this app has 2 stacks (Web, Api): name the stacks to use, or pass --all\n"
    );
    let unknown = synth_cli(&["destroy", "Nope", "--app", &app], &aws_env());
    assert_eq!(unknown.code, 2);
    assert_eq!(
        unknown.err,
        "error: no stack matches `Nope`; the stacks are: Web, Api\n"
    );
    let empty = synth_cli(&["deploy"], &aws_env());
    assert_eq!(empty.code, 2);
    assert_eq!(
        empty.err,
        "error: the app has no stacks (to use a cloud assembly directory, pass --app DIR)\n"
    );
}

#[test]
fn a_missing_or_broken_assembly_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nothing");
    let run = synth_cli(
        &["deploy", "--app", missing.to_str().expect("utf-8")],
        &aws_env(),
    );
    assert_eq!(run.code, 3);
    assert!(
        run.err.starts_with(&format!(
            "error: cannot read {}: ",
            missing.join("manifest.json").display()
        )),
        "{}",
        run.err
    );
    std::fs::write(dir.path().join("manifest.json"), "{not json").expect("written");
    let broken = synth_cli(
        &["diff", "--app", dir.path().to_str().expect("utf-8")],
        &aws_env(),
    );
    assert_eq!(broken.code, 1);
    assert!(
        broken.err.contains("manifest.json is not valid JSON"),
        "{}",
        broken.err
    );
}

#[test]
fn diff_against_a_template_file_works_offline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = assembly(dir.path(), &["Web", "Api"]);
    let old = dir.path().join("old.yaml");
    std::fs::write(
        &old,
        // A YAML template with a short form (`!Sub`), as CloudFormation keeps one deployed
        // from YAML.
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: Old\n  Gone:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-gone'\n",
    )
    .expect("written");
    let old = old.to_str().expect("utf-8");
    let run = synth_cli(&["diff", "Web", "--app", &app, "--template", old], &[]);
    assert_eq!(run.code, 0, "{}", run.err);
    assert_eq!(
        run.out,
        "Stack Web\nResources\n[-] AWS::SQS::Queue Gone\n[~] AWS::SNS::Topic Topic\n    [~] DisplayName: Old -> Web\nTemplate\n[+] AWSTemplateFormatVersion\n\n"
    );
    let fail = synth_cli(
        &["diff", "Web", "--app", &app, "--template", old, "--fail"],
        &[],
    );
    assert_eq!(fail.code, 5);
    let two = synth_cli(&["diff", "--all", "--app", &app, "--template", old], &[]);
    assert_eq!(two.code, 2);
    assert_eq!(
        two.err,
        "error: --template compares one stack, but 2 are selected (Web, Api): name one stack\n"
    );
    let unreadable = synth_cli(
        &[
            "diff",
            "Web",
            "--app",
            &app,
            "--template",
            "/nonexistent.json",
        ],
        &[],
    );
    assert_eq!(unreadable.code, 3);
    assert!(
        unreadable
            .err
            .starts_with("error: cannot read /nonexistent.json: "),
        "{}",
        unreadable.err
    );
}

#[test]
fn destroy_without_a_terminal_needs_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = assembly(dir.path(), &["Web"]);
    let run = synth_cli(&["destroy", "--app", &app], &aws_env());
    assert_eq!(run.code, 6);
    assert_eq!(
        run.err,
        "error: destroy deletes Web and there is no terminal to confirm: rerun with --force\n"
    );
}

#[test]
fn malformed_parameters_and_tags_are_usage_errors() {
    let run = synth_cli(&["deploy", "--parameters", "novalue"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.err
            .contains("parameter `novalue` must look like [STACK:]KEY=VALUE"),
        "{}",
        run.err
    );
    let run = synth_cli(&["deploy", "--tags", "=x"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains("tag `=x` must look like KEY=VALUE"),
        "{}",
        run.err
    );
}
