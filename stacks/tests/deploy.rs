//! The repository's stacks deployed to moto's CloudFormation with the `synth` binary, as a
//! new user would. The network stack computes its subnet blocks with `Fn::Cidr`, which moto
//! 5.2.1 does not implement: ExecuteChangeSet answers with an HTML 500 page. Per
//! EMULATOR.md the template is not changed to please the emulator; this test asserts that
//! exact rejection, so it fails loudly the day moto or the stack changes (the L2 `Vpc`
//! computes subnet blocks at synthesis, as the CDK does). Create, no-op, diff and destroy on
//! stacks moto can run are in `synth-cli/tests/deploy_moto.rs`.

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
fn repository_stacks_meet_the_emulator_limit_on_fn_cidr_and_leave_nothing_behind() {
    let moto = Moto::start();
    let (code, out, err) = synth(&moto, &["deploy", "--all", "--yes"]);
    assert!(
        out.contains("WebServiceNetwork: change set with 21 change(s)"),
        "{out}"
    );
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("FAIL WebServiceNetwork: failed after"),
        "{out}"
    );
    assert!(
        err.contains(
            "error: stack WebServiceNetwork: ExecuteChangeSet failed: the endpoint answered HTTP 500: 500 Internal Server Error"
        ),
        "{err}"
    );
    assert!(
        moto.logs("return select_list[select_index]") && moto.logs("KeyError: 0"),
        "moto's failure is Fn::Select over the unimplemented Fn::Cidr: {}",
        moto.log_text()
    );

    // The change set was refused, so nothing was created: diff shows everything as new.
    let (code, out, err) = synth(&moto, &["diff", "--all", "--fail"]);
    assert_eq!(code, 5, "{out}{err}");
    assert!(out.contains("(not deployed: everything is new)"), "{out}");
    assert!(out.contains("[+] AWS::EC2::VPC Vpc"), "{out}");

    // The stack moto left in REVIEW_IN_PROGRESS is removed by destroy.
    let (code, out, _) = synth(&moto, &["list", "--long"]);
    assert_eq!(code, 0);
    assert!(out.contains("REVIEW_IN_PROGRESS (us-east-1)"), "{out}");
    let (code, out, err) = synth(&moto, &["destroy", "--all", "--force"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok   WebServiceNetwork: deleted"), "{out}");
    let (_, out, _) = synth(&moto, &["list", "--long"]);
    assert!(out.contains("not deployed (us-east-1)"), "{out}");
}
