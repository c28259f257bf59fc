//! The repository's stacks deployed to moto's CloudFormation with the `synth` binary, as a
//! new user would: deploy, deploy again (no changes), diff (nothing), destroy. moto cannot
//! delete a stack that holds route tables (DependencyViolation, see EMULATOR.md): destroy
//! must report that failure with the emulator's reason and a non-zero exit, which this test
//! asserts so that it fails loudly the day moto changes.

use std::process::Command;

use test_emulator::moto::Moto;
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

fn synth(moto: &Moto, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth"));
    command.args(args).args(["--endpoint-url", &moto.url()]);
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
fn repository_stacks_deploy_redeploy_without_changes_diff_clean_and_report_moto_delete_limit() {
    let moto = Moto::start();
    let (code, out, err) = synth(&moto, &["deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("WebServiceNetwork: change set with 23 change(s)"),
        "{out}"
    );
    assert!(
        out.contains("ok   WebServiceNetwork: deployed (CREATE_COMPLETE)"),
        "{out}"
    );

    let (code, out, err) = synth(&moto, &["deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok   WebServiceNetwork: no changes"), "{out}");

    let (code, out, err) = synth(&moto, &["diff", "--all", "--fail"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "Stack WebServiceNetwork\nThere were no differences\n\n"
    );

    let (code, out, err) = synth(&moto, &["destroy", "--all", "--force"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(out.contains("FAIL WebServiceNetwork: not deleted"), "{out}");
    assert!(
        err.starts_with(
            "error: stack WebServiceNetwork: DeleteStack failed: DependencyViolation: The vpc vpc-"
        ) && err.contains(" has dependencies and cannot be deleted."),
        "{err}"
    );
}
