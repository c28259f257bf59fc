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
