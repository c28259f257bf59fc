//! The AWS CDK CLI (pinned by `scripts/install-tools.sh`) reads the cloud assembly that
//! `cargo run --bin synth` writes: `cdk ls` lists the stacks and `cdk diff` works offline.

use std::path::PathBuf;
use std::process::Command;

fn cdk() -> PathBuf {
    std::env::var_os("CDK_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/tools/node/node_modules/.bin/cdk")
        })
}

#[test]
fn cdk_cli_lists_and_diffs_the_synthesized_assembly() {
    let cdk = cdk();
    assert!(
        cdk.exists(),
        "CDK CLI not found at {}: run scripts/install-tools.sh or set CDK_CLI",
        cdk.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cdk.out");
    let status = Command::new(env!("CARGO_BIN_EXE_synth"))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .status()
        .expect("run synth");
    assert!(status.success());

    let ls = Command::new(&cdk)
        .args(["ls", "--app"])
        .arg(&out)
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CI", "true")
        .output()
        .expect("run cdk ls");
    let listed = String::from_utf8_lossy(&ls.stdout);
    assert!(
        ls.status.success(),
        "cdk ls failed: {}",
        String::from_utf8_lossy(&ls.stderr)
    );
    // Every stack of the repository, a stack after those it depends on.
    assert_eq!(
        listed.lines().map(str::trim).collect::<Vec<_>>(),
        [
            "WebService",
            "GitanaData",
            "GitanaServices",
            "Ec2Cluster",
            "JavaWebappRepository",
            "JavaWebapp",
            "BlueGreenRepository",
            "BlueGreen"
        ]
    );

    let template = out.join("WebService.template.json");
    let same = cdk_diff(&cdk, &out, &template);
    assert!(same.contains("There were no differences"), "{same}");

    // Against an older template (without the uploads bucket): the
    // CDK CLI reads our assembly and reports what would change.
    let text = std::fs::read_to_string(&template).expect("template");
    let mut older: serde_json::Value = serde_json::from_str(&text).expect("JSON template");
    let resources = older["Resources"].as_object_mut().expect("resources");
    let bucket = resources
        .keys()
        .find(|id| id.starts_with("Uploads"))
        .cloned()
        .expect("the uploads bucket");
    resources.remove(&bucket);
    let older_path = dir.path().join("older.template.json");
    std::fs::write(&older_path, older.to_string()).expect("written");
    let changed = cdk_diff(&cdk, &out, &older_path);
    assert!(!changed.contains("There were no differences"), "{changed}");
    assert!(
        changed.contains(&format!("[+] AWS::S3::Bucket {bucket}")),
        "the added bucket is reported: {changed}"
    );
}

/// `cdk diff --app OUT --template FILE` (offline), its whole output; it must succeed.
fn cdk_diff(cdk: &std::path::Path, out: &std::path::Path, template: &std::path::Path) -> String {
    let diff = Command::new(cdk)
        .args(["diff", "WebService", "--app"])
        .arg(out)
        .arg("--template")
        .arg(template)
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CI", "true")
        .output()
        .expect("run cdk diff");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&diff.stdout),
        String::from_utf8_lossy(&diff.stderr)
    );
    assert!(diff.status.success(), "cdk diff failed: {text}");
    text
}
