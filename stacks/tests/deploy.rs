//! The repository's stacks deployed to moto's CloudFormation with the `synth` binary, as a
//! new user would.
//!
//! - The web service's network alone (the same `network::build`) deploys, re-deploys without
//!   changes, diffs clean; moto then cannot delete a stack that holds route tables
//!   (DependencyViolation: moto's route tables keep dependencies it never releases) and
//!   destroy must report that with moto's reason
//!   and exit 4.
//! - Every stack of scenarios 1 and 2 (dev and prod) deploys in full to the patched moto of
//!   `testing/emulator/launcher` (which models Cloud Map, scaling, Secrets Manager,
//!   DocumentDB, OpenSearch, subscriptions and policies, and keeps exports of stacks created
//!   through change sets), with its outputs; a second deploy says no changes, diff is clean.
//!   Templates are never changed to please the emulator.
//! - Scenario 5 with CloudFormation's CodeDeploy hook deploys, is released by a new image
//!   tag alone (the hook's green deployment), and a new tag combined with another change is
//!   refused with nothing changed.

use std::path::Path;
use std::process::Command;

use construct_lib::{App, Format, synthesize};
use test_emulator::moto::Moto;
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

fn synth(moto: &Moto, app_dir: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    synth_at(&moto.url(), app_dir, args)
}

/// [`synth`] against any endpoint (moto, or a scripted one).
fn synth_at(endpoint: &str, app_dir: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth"));
    command.args(args).args(["--endpoint-url", endpoint]);
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
        out.contains("WebServiceNetwork: change set with 27 change(s)"),
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

/// The certificate scenario 1's prod stack names: the emulator's account holds it.
const PROD_CERTIFICATE: &str =
    "arn:aws:acm:eu-west-1:123456789012:certificate/5f4d2a1e-9c3b-4e7a-8f60-2b1d9e8c7a10";

/// The key pair scenarios 3 and 4's prod instances name: the emulator's account holds it.
const PROD_KEY_PAIR: &str = "ops";

/// The hosted zone scenario 2's prod config names: the emulator's account holds it.
const PROD_ZONE: &str = "Z0123456789ABCDEFGHIJ=gitana.example.com";

/// Every stack of the repository.
const STACKS: [&str; 8] = [
    "WebService",
    "GitanaData",
    "GitanaServices",
    "Ec2Cluster",
    "JavaWebappRepository",
    "JavaWebapp",
    "BlueGreenRepository",
    "BlueGreen",
];

/// Deploys every stack of the repository for `env` (scenarios 1 to 5), deploys again
/// (no changes), diffs (clean), and returns the first deploy's output.
fn deploy_everything(moto: &Moto, env: &str) -> String {
    let (code, out, err) = synth(moto, None, &["--env", env, "deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{env}: {out}{err}");
    for stack in STACKS {
        assert!(
            out.contains(&format!("ok   {stack}: deployed (CREATE_COMPLETE)")),
            "{env} {stack}: {out}"
        );
    }
    let (code, again, err) = synth(moto, None, &["--env", env, "deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{env}: {again}{err}");
    for stack in STACKS {
        assert!(
            again.contains(&format!("ok   {stack}: no changes")),
            "{env} {stack}: {again}"
        );
    }
    let (code, diff, err) = synth(moto, None, &["--env", env, "diff", "--all", "--fail"]);
    assert_eq!(code, 0, "{env}: {diff}{err}");
    assert_eq!(
        diff.matches("There were no differences").count(),
        STACKS.len(),
        "{env}: {diff}"
    );
    out
}

#[test]
fn every_scenario_deploys_in_full_with_its_outputs_redeploys_without_changes_and_diffs_clean() {
    let moto = Moto::start();
    let out = deploy_everything(&moto, "dev");
    // GitanaServices imports from GitanaData, so it waits for it.
    let data_done = out
        .find("GitanaData: CREATE_COMPLETE in")
        .expect("data deployed");
    let services_start = out
        .find("GitanaServices: deploying")
        .expect("services deployed");
    assert!(data_done < services_start, "{out}");
    for output in [
        "Url",
        "UploadsBucket",
        "DatabaseEndpoint",
        "SearchEndpoint",
        "ApiUrl",
        "UiUrl",
        "AvUrl",
        "AlertsTopic",
        "RepositoryUri",
        "ReleaseRoleArn",
    ] {
        assert!(
            out.contains(&format!(".{output} = ")),
            "output {output} missing:\n{out}"
        );
    }
    assert!(out.contains(".docdb.amazonaws.com"), "{out}");
    assert!(out.contains(".es.amazonaws.com"), "{out}");
    release_by_image_tag(&moto);
    // moto keeps route tables it never releases, so deleting a VPC fails: reported with
    // moto's reason, after the services stack (which holds none) was deleted.
    let (code, out, err) = synth(&moto, None, &["destroy", "--all", "--force"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(out.contains("ok   GitanaServices: deleted"), "{out}");
    assert!(
        err.contains("DeleteStack failed: DependencyViolation: The vpc vpc-"),
        "{err}"
    );
}

/// Scenario 5 (dev: ECS native canary): a new `ImageTag` alone is a release (no approval
/// asked: a new task definition revision is no replacement to approve); the deploy follows
/// the service's deployment while CloudFormation updates it.
fn release_by_image_tag(moto: &Moto) {
    let release = [
        "--env",
        "dev",
        "deploy",
        "BlueGreen",
        "--exclusively",
        "--parameters",
        "ImageTag=2.0.0",
    ];
    let (code, out, err) = synth(moto, None, &release);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("ok   BlueGreen: deployed (UPDATE_COMPLETE)"),
        "{out}"
    );
    assert!(out.contains("BlueGreen | release | WebService"), "{out}");
    assert!(
        !out.contains("BlueGreenRepository"),
        "the repository's stack is left alone: {out}"
    );
    // A tag that is not a Docker tag is refused by the parameter's pattern.
    let bad = release.map(|arg| {
        if arg == "ImageTag=2.0.0" {
            "ImageTag=2.0 beta"
        } else {
            arg
        }
    });
    let (code, out, err) = synth(moto, None, &bad);
    assert_eq!(code, 4, "{out}{err}");
    assert!(err.contains("failed to satisfy constraint"), "{err}");
}

#[test]
fn every_scenario_deploys_in_full_for_prod() {
    let moto = Moto::start_with(&[
        "--acm-certificate",
        PROD_CERTIFICATE,
        "--hosted-zone",
        PROD_ZONE,
        "--key-pair",
        PROD_KEY_PAIR,
    ]);
    let out = deploy_everything(&moto, "prod");
    assert!(out.contains("deploying in eu-west-1"), "{out}");
    assert!(
        out.contains("ApiUrl = http://api.gitana.example.com"),
        "{out}"
    );
    // Scenario 5 in prod: CodeDeploy releases; the stack says what a deployment needs.
    for output in [
        "CodeDeployApplication",
        "CodeDeployDeploymentGroup",
        "TaskDefinitionArn",
    ] {
        assert!(
            out.contains(&format!("BlueGreen.{output} = ")),
            "{output}: {out}"
        );
    }
}

/// Scenario 5 with its third strategy (CodeDeploy run by CloudFormation's hook), written
/// as a cloud assembly in `dir`: `desired_count` tasks.
fn hook_variant(dir: &Path, desired_count: u32) {
    use stacks::blue_green::config::{BlueGreenConfig, ReleaseStrategy};
    use stacks::config::ScenarioConfig;
    let mut config = BlueGreenConfig::load("dev").expect("config");
    config.release.strategy = ReleaseStrategy::CodeDeployHookCanary;
    config.desired_count = desired_count;
    synthesize(&stacks::blue_green::blue_green_app(&config))
        .expect("valid")
        .write(dir, Format::Json)
        .expect("written");
}

#[test]
fn scenario_5_released_by_cloudformations_codedeploy_hook() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    hook_variant(dir.path(), 2);
    let app = Some(dir.path());
    let (code, out, err) = synth(&moto, app, &["deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("ok   BlueGreen: deployed (CREATE_COMPLETE)"),
        "{out}"
    );
    let (code, out, err) = synth(&moto, app, &["deploy", "--all", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok   BlueGreen: no changes"), "{out}");
    // A new tag alone is the hook's green deployment: no approval asked (a new revision
    // and its task set are replaced by design).
    let release = [
        "deploy",
        "BlueGreen",
        "--exclusively",
        "--parameters",
        "ImageTag=2.0.0",
    ];
    let (code, out, err) = synth(&moto, app, &release);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("ok   BlueGreen: deployed (UPDATE_COMPLETE)"),
        "{out}"
    );
    assert!(
        out.contains("AWS::CodeDeploy::BlueGreen"),
        "the hook's events: {out}"
    );
    assert!(
        out.contains("AWS::ECS::TaskSet        | !! REPLACE (True)"),
        "{out}"
    );
    // A new tag with another change is refused before anything changes.
    let mixed = tempfile::tempdir().expect("temp dir");
    hook_variant(mixed.path(), 3);
    let again = [
        "deploy",
        "BlueGreen",
        "--exclusively",
        "--yes",
        "--parameters",
        "ImageTag=3.0.0",
    ];
    let (code, out, err) = synth(&moto, Some(mixed.path()), &again);
    assert_eq!(code, 4, "{out}{err}");
    assert!(err.contains("cannot be combined with"), "{err}");
    assert!(err.contains("WebService9D5B4598 (Modify)"), "{err}");
    let (code, out, err) = synth(&moto, app, &["diff", "BlueGreen", "--fail"]);
    assert_eq!(code, 0, "still the released template: {out}{err}");
}

/// Scenario 2's stacks written as a cloud assembly in `dir`, the DocumentDB cluster under
/// `scope` (absent: directly in the data stack); returns the data stack's template.
fn gitana_variant(dir: &Path, scope: Option<&str>) -> serde_json::Value {
    use stacks::config::ScenarioConfig;
    use stacks::gitana::config::GitanaConfig;
    let mut config = GitanaConfig::load("dev").expect("config");
    config.database.scope = scope.map(str::to_owned);
    let mut app = App::new();
    stacks::gitana::gitana_stacks(&mut app, &config);
    let assembly = synthesize(&app).expect("valid");
    assembly.write(dir, Format::Json).expect("written");
    let text = std::fs::read_to_string(dir.join("GitanaData.template.json")).expect("template");
    serde_json::from_str(&text).expect("JSON")
}

/// The scripted answers for a deployed GitanaData running `deployed`, and a refactor that
/// CloudFormation accepts and completes. The deploy that follows is answered with an empty
/// change set, which after this move CloudFormation would not give (the security group, whose
/// description names the construct path, is replaced, and the export names change): what
/// this test shows is the refactor and its place before the change set; the deploy's own
/// steps are those of `synth-cli/tests/deploy_scripted.rs`.
fn scripted_refactor(deployed: &serde_json::Value) -> test_emulator::scripted::ScriptedEndpoint {
    use test_emulator::scripted::{Reply, ScriptedEndpoint};
    use test_emulator::xml::{self, StackXml};
    const ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stackRefactor/gitana";
    let endpoint = ScriptedEndpoint::start();
    let refactor = |status: &str, execution: &str| {
        Reply::ok(xml::describe_stack_refactor(ID, status, execution, None))
    };
    endpoint
        .script(
            "DescribeStacks",
            [Reply::ok(xml::describe_stacks(&StackXml {
                name: "GitanaData",
                status: "UPDATE_COMPLETE",
                ..StackXml::default()
            }))],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(&deployed.to_string()))],
        )
        .script(
            "CreateStackRefactor",
            [Reply::ok(xml::create_stack_refactor(ID))],
        )
        .script(
            "DescribeStackRefactor",
            [
                refactor("CREATE_IN_PROGRESS", "UNAVAILABLE"),
                refactor("CREATE_COMPLETE", "AVAILABLE"),
                refactor("CREATE_COMPLETE", "EXECUTE_IN_PROGRESS"),
                refactor("CREATE_COMPLETE", "EXECUTE_COMPLETE"),
            ],
        )
        .script(
            "ListStackRefactorActions",
            [Reply::ok(xml::list_stack_refactor_actions(&[]))],
        )
        .script(
            "ExecuteStackRefactor",
            [Reply::ok(xml::empty("ExecuteStackRefactor"))],
        )
        .script(
            "CreateChangeSet",
            [Reply::error(
                400,
                "ValidationError",
                "No updates are to be performed.",
            )],
        );
    endpoint
}

#[test]
fn scenario_2_moving_the_docdb_cluster_to_another_scope_is_a_rename_that_deploy_refactor_performs()
{
    let before = tempfile::tempdir().expect("temp dir");
    let deployed = gitana_variant(before.path(), None);
    let after = tempfile::tempdir().expect("temp dir");
    let moved = gitana_variant(after.path(), Some("Stores"));
    let (old_cluster, new_cluster) = (
        ids_of(&deployed, "AWS::DocDB::DBCluster"),
        ids_of(&moved, "AWS::DocDB::DBCluster"),
    );
    assert_ne!(
        old_cluster, new_cluster,
        "the move changes the cluster's logical ID"
    );

    // Offline: the deployed template as a file.
    let file = before.path().join("deployed.json");
    std::fs::write(&file, deployed.to_string()).expect("written");
    let file = file.to_str().expect("utf-8 path");
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth"));
    command
        .args(["diff", "GitanaData", "--exclusively", "--template", file])
        .arg("--app")
        .arg(after.path());
    let output = command.output().expect("synth runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_docdb_shown_renamed(&out, &deployed, &moved);

    // Against the scripted endpoint: the refactor, then the deploy, after one `--yes`.
    let endpoint = scripted_refactor(&deployed);
    let (code, out, err) = synth_at(
        &endpoint.url(),
        Some(after.path()),
        &[
            "deploy",
            "GitanaData",
            "--exclusively",
            "--refactor",
            "--yes",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!(
            "GitanaData/{} -> GitanaData/{} (AWS::DocDB::DBCluster)",
            old_cluster[0], new_cluster[0]
        )),
        "{out}"
    );
    assert!(out.contains("ok   refactor:"), "{out}");
    let calls = endpoint.calls();
    let create = calls
        .iter()
        .find(|c| c.action == "CreateStackRefactor")
        .expect("a refactor was created");
    let sent: serde_json::Value = serde_json::from_str(
        create
            .param("StackDefinitions.member.1.TemplateBody")
            .expect("template"),
    )
    .expect("JSON");
    assert_cluster_sent_as_deployed(&sent, &deployed, &moved);
    let actions: Vec<&str> = calls.iter().map(|c| c.action.as_str()).collect();
    let executed = actions.iter().position(|a| *a == "ExecuteStackRefactor");
    let change_set = actions.iter().position(|a| *a == "CreateChangeSet");
    assert!(executed.is_some() && executed < change_set, "{actions:?}");
}

/// The logical IDs of the resources of type `ty` in `template`.
fn ids_of(template: &serde_json::Value, ty: &str) -> Vec<String> {
    template["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(id, _)| id.clone())
        .collect()
}

/// `diff` shows the cluster, its instance and subnet group as renamed, never deleted or added.
fn assert_docdb_shown_renamed(out: &str, deployed: &serde_json::Value, moved: &serde_json::Value) {
    for ty in [
        "AWS::DocDB::DBCluster",
        "AWS::DocDB::DBInstance",
        "AWS::DocDB::DBSubnetGroup",
    ] {
        let (old, new) = (ids_of(deployed, ty), ids_of(moved, ty));
        assert_eq!(
            old.len(),
            new.len(),
            "{ty}: as many before as after the move"
        );
        assert!(!old.is_empty(), "{ty} in the scenario");
        for (old, new) in old.iter().zip(&new) {
            let line = format!("[>] {ty} {new} (renamed from {old})");
            assert!(out.contains(&line), "`{line}` missing from:\n{out}");
        }
        assert!(!out.contains(&format!("[-] {ty}")), "{out}");
        assert!(!out.contains(&format!("[+] {ty}")), "{out}");
    }
}

/// The refactor's template is the deployed one with only keys renamed: as many resources, and
/// the cluster as deployed under its new ID, referring to its subnet group's new ID.
fn assert_cluster_sent_as_deployed(
    sent: &serde_json::Value,
    deployed: &serde_json::Value,
    moved: &serde_json::Value,
) {
    assert_eq!(
        sent["Resources"].as_object().map(|r| r.len()),
        deployed["Resources"].as_object().map(|r| r.len())
    );
    let (old_cluster, new_cluster) = (
        &ids_of(deployed, "AWS::DocDB::DBCluster")[0],
        &ids_of(moved, "AWS::DocDB::DBCluster")[0],
    );
    let group = &ids_of(moved, "AWS::DocDB::DBSubnetGroup")[0];
    assert!(sent["Resources"].get(old_cluster.as_str()).is_none());
    let cluster = &sent["Resources"][new_cluster.as_str()];
    assert_eq!(
        cluster["Properties"]["DBSubnetGroupName"],
        serde_json::json!({"Ref": group})
    );
    // Every other property and attribute as deployed.
    let mut expected = deployed["Resources"][old_cluster.as_str()].clone();
    expected["Properties"]["DBSubnetGroupName"] = serde_json::json!({"Ref": group});
    let mut sent_cluster = cluster.clone();
    for value in [&mut expected, &mut sent_cluster] {
        // References to other moved resources (parameters, secret) carry their new IDs.
        let properties = value["Properties"].as_object_mut().expect("properties");
        properties.remove("DBClusterParameterGroupName");
        properties.remove("MasterUserPassword");
    }
    assert_eq!(sent_cluster, expected);
}
