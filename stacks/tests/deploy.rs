//! The repository's stacks deployed to moto's CloudFormation with the `synth` binary, as a
//! new user would.
//!
//! - The web service's network alone (the same `network::build`) deploys, re-deploys without
//!   changes, diffs clean; moto then cannot delete a stack that holds route tables
//!   (DependencyViolation: moto's route tables keep dependencies it never releases) and
//!   destroy must report that with moto's reason
//!   and exit 4.
//! - Scenario 1 as a whole meets moto's missing Cloud Map support: the ECS service's
//!   `Fn::GetAtt` of the Cloud Map service is refused (after moto created the network, which
//!   it then cannot delete). The template is not changed to
//!   please the emulator (it would then no longer be what deploys to AWS); the exact rejection is asserted, so that the test fails loudly
//!   the day moto or the stack changes.

use std::path::Path;
use std::process::Command;

use construct_lib::{App, Format, synthesize};
use test_emulator::moto::Moto;
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

fn synth(moto: &Moto, app_dir: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth"));
    command.args(args).args(["--endpoint-url", &moto.url()]);
    if let Some(dir) = app_dir {
        command.arg("--app").arg(dir);
    }
    if matches!(args.first(), Some(&"deploy" | &"destroy")) {
        command.args(["--poll-interval", "0.05"]);
    }
    for name in AWS_ENV_TO_CLEAR {
        command.env_remove(name);
    }
    let output = command.envs(aws_env()).output().expect("synth runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_network_deploys_redeploys_without_changes_diffs_clean_and_reports_moto_delete_limit() {
    let moto = Moto::start();
    let mut app = App::new();
    stacks::network::build(
        app.stack("WebServiceNetwork"),
        &stacks::network::NetworkConfig::default(),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    synthesize(&app)
        .expect("valid")
        .write(dir.path(), Format::Json)
        .expect("written");
    let app_dir = Some(dir.path());

    let (code, out, err) = synth(&moto, app_dir, &["deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("WebServiceNetwork: change set with 23 change(s)"),
        "{out}"
    );
    assert!(
        out.contains("ok   WebServiceNetwork: deployed (CREATE_COMPLETE)"),
        "{out}"
    );

    let (code, out, err) = synth(&moto, app_dir, &["deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok   WebServiceNetwork: no changes"), "{out}");

    let (code, out, err) = synth(&moto, app_dir, &["diff", "--all", "--fail"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "Stack WebServiceNetwork\nThere were no differences\n\n"
    );

    let (code, out, err) = synth(&moto, app_dir, &["destroy", "--all", "--force"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(out.contains("FAIL WebServiceNetwork: not deleted"), "{out}");
    assert!(
        err.starts_with(
            "error: stack WebServiceNetwork: DeleteStack failed: DependencyViolation: The vpc vpc-"
        ) && err.contains(" has dependencies and cannot be deleted."),
        "{err}"
    );
}

#[test]
fn scenario_1_meets_moto_missing_cloud_map_and_its_delete_limit() {
    let moto = Moto::start();
    let (code, out, err) = synth(&moto, None, &["deploy", "--all", "--yes"]);
    assert!(
        out.contains("WebService: change set with 52 change(s)"),
        "{out}"
    );
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        err.contains("error: stack WebService: ExecuteChangeSet failed: ValidationError: Template error: instance of Fn::GetAtt references undefined resource WebServiceCloudMapService"),
        "{err}"
    );
    // moto created the network before it failed, and cannot delete it again.
    let (code, out, err) = synth(&moto, None, &["destroy", "--all", "--force"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        err.starts_with(
            "error: stack WebService: DeleteStack failed: DependencyViolation: The vpc vpc-"
        ),
        "{err}"
    );
}
