//! `drift` through the real SDK client against the scripted endpoint (moto 5.2.1 has no drift
//! detection): in sync, drifted with the properties that differ, a failed detection, a stack
//! not deployed, a refused call, an invalid assembly; exit codes 0 / 1 / 4 as CI reads them.

use std::path::Path;
use std::process::Command;

use construct_lib::cfn::{s3, sqs};
use construct_lib::{App, Format, Scope, synthesize};
use test_emulator::scripted::{Reply, ScriptedEndpoint};
use test_emulator::xml::{self, StackXml};
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn app(dir: &Path) {
    let mut app = App::new();
    let stack = app.stack("Web");
    stack.add("Bucket", s3::Bucket::new());
    stack.add("Queue", sqs::Queue::new());
    synthesize(&app)
        .expect("valid app")
        .write(dir, Format::Json)
        .expect("assembly written");
}

fn drift(endpoint: &ScriptedEndpoint) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    app(dir.path());
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth-cli"));
    command
        .args(["drift", "--poll-interval", "0.01", "--app"])
        .arg(dir.path())
        .args(["--endpoint-url", &endpoint.url()]);
    for name in AWS_ENV_TO_CLEAR {
        command.env_remove(name);
    }
    let output = command.envs(aws_env()).output().expect("synth-cli runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn deployed_endpoint() -> ScriptedEndpoint {
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script(
            "DescribeStacks",
            [Reply::ok(xml::describe_stacks(&StackXml {
                name: "Web",
                status: "UPDATE_COMPLETE",
                ..StackXml::default()
            }))],
        )
        .script(
            "DetectStackDrift",
            [Reply::ok(xml::detect_stack_drift("d-1"))],
        );
    endpoint
}

fn status(status: &str, drift: &str, reason: Option<&str>) -> Reply {
    Reply::ok(xml::describe_stack_drift_detection_status(
        "Web", "d-1", status, drift, reason,
    ))
}

#[test]
fn a_stack_in_sync_exits_0() {
    let endpoint = deployed_endpoint();
    endpoint
        .script(
            "DescribeStackDriftDetectionStatus",
            [
                status("DETECTION_IN_PROGRESS", "UNKNOWN", None),
                status("DETECTION_COMPLETE", "IN_SYNC", None),
            ],
        )
        .script(
            "DescribeStackResourceDrifts",
            [Reply::ok(xml::describe_stack_resource_drifts("Web", &[]))],
        );
    let run = drift(&endpoint);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert_eq!(run.out, "Web: in sync\n");
    let calls = endpoint.calls();
    let filters: Vec<&str> = calls
        .iter()
        .filter(|c| c.action == "DescribeStackResourceDrifts")
        .flat_map(|c| {
            [1, 2].map(|n| {
                c.param(&format!("StackResourceDriftStatusFilters.member.{n}"))
                    .unwrap_or("")
            })
        })
        .collect();
    assert_eq!(filters, ["MODIFIED", "DELETED"]);
}

#[test]
fn a_drifted_stack_shows_each_property_expected_and_actual_and_exits_1() {
    let endpoint = deployed_endpoint();
    endpoint
        .script(
            "DescribeStackDriftDetectionStatus",
            [status("DETECTION_COMPLETE", "DRIFTED", None)],
        )
        .script(
            "DescribeStackResourceDrifts",
            [Reply::ok(xml::describe_stack_resource_drifts(
                "Web",
                &[
                    (
                        "Bucket",
                        "AWS::S3::Bucket",
                        "MODIFIED",
                        &[(
                            "/VersioningConfiguration/Status",
                            "\"Enabled\"",
                            "\"Suspended\"",
                            "NOT_EQUAL",
                        )],
                    ),
                    ("Queue", "AWS::SQS::Queue", "DELETED", &[]),
                ],
            ))],
        );
    let run = drift(&endpoint);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    assert_eq!(
        run.out,
        "Web: drifted (2 resource(s))\n  MODIFIED Bucket (AWS::S3::Bucket)\n    /VersioningConfiguration/Status: expected \"Enabled\", actual \"Suspended\" (NOT_EQUAL)\n  DELETED Queue (AWS::SQS::Queue)\n"
    );
    assert_eq!(run.err, "drifted: Web differ from their templates\n");
}

#[test]
fn a_stack_none_of_whose_resources_could_be_checked_is_not_in_sync() {
    let endpoint = deployed_endpoint();
    endpoint
        .script(
            "DescribeStackDriftDetectionStatus",
            [status("DETECTION_COMPLETE", "NOT_CHECKED", None)],
        )
        .script(
            "DescribeStackResourceDrifts",
            [Reply::ok(xml::describe_stack_resource_drifts("Web", &[]))],
        );
    let run = drift(&endpoint);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains(
            "error: stack Web: drift detection ended DETECTION_COMPLETE with the stack NOT_CHECKED: no resource of the stack could be checked for drift"
        ),
        "{}",
        run.err
    );
}

#[test]
fn a_failed_detection_gives_its_reason_and_exits_4() {
    let endpoint = deployed_endpoint();
    endpoint
        .script(
            "DescribeStackDriftDetectionStatus",
            [status(
                "DETECTION_FAILED",
                "DRIFTED",
                Some("Failed to detect drift on resource [Queue]: access denied"),
            )],
        )
        .script(
            "DescribeStackResourceDrifts",
            [Reply::ok(xml::describe_stack_resource_drifts(
                "Web",
                &[("Bucket", "AWS::S3::Bucket", "DELETED", &[])],
            ))],
        );
    let run = drift(&endpoint);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains(
            "error: stack Web: drift detection ended DETECTION_FAILED: Failed to detect drift on resource [Queue]: access denied (drifted among the resources checked: Bucket)"
        ),
        "{}",
        run.err
    );
}

#[test]
fn a_stack_not_deployed_has_nothing_to_compare_and_a_refused_call_exits_4() {
    let endpoint = ScriptedEndpoint::start();
    let (status, body) = xml::missing_stack("Web");
    endpoint.script(
        "DescribeStacks",
        [Reply {
            status,
            ..Reply::ok(body)
        }],
    );
    let run = drift(&endpoint);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert_eq!(run.out, "Web: not deployed\n");
    assert!(!endpoint.actions().contains(&"DetectStackDrift".to_owned()));

    let endpoint = ScriptedEndpoint::start();
    endpoint.script(
        "DescribeStacks",
        [Reply::ok(xml::describe_stacks(&StackXml {
            name: "Web",
            status: "UPDATE_COMPLETE",
            ..StackXml::default()
        }))],
    );
    endpoint.script(
        "DetectStackDrift",
        [Reply::error(
            400,
            "AccessDenied",
            "User is not authorized to perform cloudformation:DetectStackDrift",
        )],
    );
    let run = drift(&endpoint);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains("DetectStackDrift failed") && run.err.contains("not authorized"),
        "{}",
        run.err
    );
}

#[test]
fn an_invalid_assembly_exits_4_not_the_1_of_drift() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("manifest.json"), "{not json").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_synth-cli"))
        .args(["drift", "--all", "--app"])
        .arg(dir.path())
        .output()
        .expect("synth-cli runs");
    let err = String::from_utf8_lossy(&output.stderr);
    // Every other command ends an invalid assembly with 1; for drift, 1 means "drifted".
    assert_eq!(output.status.code(), Some(4), "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("manifest.json"),
        "{err}"
    );
}
