//! `refactor` and `deploy --refactor` through the real SDK client against the scripted endpoint
//! (moto 5.2.1 has no stack refactoring): what CreateStackRefactor is sent, the moves and
//! CloudFormation's actions shown, execution followed to the end, and each way it can fail.

use std::path::Path;
use std::process::Command;

use construct_lib::cfn::docdb;
use construct_lib::{App, Format, Scope, synthesize};
use serde_json::json;
use test_emulator::scripted::{Reply, ScriptedEndpoint};
use test_emulator::xml::{self, StackXml};
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

const ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stackRefactor/r-1";

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn synth_cli(endpoint: &ScriptedEndpoint, dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth-cli"));
    command
        .args(args)
        .args(["--app", dir.to_str().expect("utf-8 path")])
        .args(["--endpoint-url", &endpoint.url(), "--poll-interval", "0.01"]);
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

/// The stack as deployed: a subnet group and a cluster referring to it.
fn deployed() -> serde_json::Value {
    json!({"Resources": {
        "Group": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "db", "SubnetIds": ["subnet-1", "subnet-2"]}},
        "Cluster": {"Type": "AWS::DocDB::DBCluster", "Properties": {"DBSubnetGroupName": {"Ref": "Group"}, "StorageEncrypted": true}},
    }})
}

/// The same two resources under a new scope (new logical IDs), as the app now has them.
fn moved_app(dir: &Path) {
    let mut app = App::new();
    let stack = app.stack("Docs");
    let group = stack.add(
        "DbGroup",
        docdb::DBSubnetGroup::new(docdb::db_subnet_group::DBSubnetGroupRequired {
            db_subnet_group_description: "db".into(),
            subnet_ids: ["subnet-1", "subnet-2"].into(),
        }),
    );
    stack.add(
        "DbCluster",
        docdb::DBCluster::new()
            .db_subnet_group_name(group.ref_value())
            .storage_encrypted(true),
    );
    synthesize(&app)
        .expect("valid app")
        .write(dir, Format::Json)
        .expect("assembly written");
}

fn endpoint_with_deployed_stack() -> ScriptedEndpoint {
    let endpoint = ScriptedEndpoint::start();
    endpoint.script(
        "DescribeStacks",
        [Reply::ok(xml::describe_stacks(&StackXml {
            name: "Docs",
            status: "UPDATE_COMPLETE",
            ..StackXml::default()
        }))],
    );
    endpoint.script(
        "GetTemplate",
        [Reply::ok(xml::get_template(&deployed().to_string()))],
    );
    endpoint.script(
        "CreateStackRefactor",
        [Reply::ok(xml::create_stack_refactor(ID))],
    );
    endpoint.script(
        "ListStackRefactorActions",
        [Reply::ok(xml::list_stack_refactor_actions(&[
            (("Docs", "Cluster"), ("Docs", "DbCluster")),
            (("Docs", "Group"), ("Docs", "DbGroup")),
        ]))],
    );
    endpoint.script(
        "ExecuteStackRefactor",
        [Reply::ok(xml::empty("ExecuteStackRefactor"))],
    );
    endpoint
}

fn describe(status: &str, execution: &str, reason: Option<&str>) -> Reply {
    Reply::ok(xml::describe_stack_refactor(ID, status, execution, reason))
}

#[test]
fn refactor_sends_the_deployed_template_with_only_the_renames_and_follows_execution() {
    let dir = tempfile::tempdir().expect("temp dir");
    moved_app(dir.path());
    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [
            describe("CREATE_IN_PROGRESS", "UNAVAILABLE", None),
            describe("CREATE_COMPLETE", "AVAILABLE", None),
            describe("CREATE_COMPLETE", "EXECUTE_IN_PROGRESS", None),
            describe("CREATE_COMPLETE", "EXECUTE_COMPLETE", None),
        ],
    );
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--yes"]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    for text in [
        "Moves (same type and replacement-causing properties):\n  Docs/Cluster -> Docs/DbCluster (AWS::DocDB::DBCluster)\n  Docs/Group -> Docs/DbGroup (AWS::DocDB::DBSubnetGroup)\n",
        "  MOVE RESOURCE: Docs/Cluster -> Docs/DbCluster [physical-Cluster]\n",
        "ok   refactor: 2 resource(s) moved (arn:aws:cloudformation:us-east-1:123456789012:stackRefactor/r-1)",
    ] {
        assert!(
            run.out.contains(text),
            "`{text}` missing from:\n{}",
            run.out
        );
    }
    let calls = endpoint.calls();
    let create = calls
        .iter()
        .find(|c| c.action == "CreateStackRefactor")
        .expect("CreateStackRefactor sent");
    assert_eq!(create.param("EnableStackCreation"), Some("false"));
    assert_eq!(
        create.param("StackDefinitions.member.1.StackName"),
        Some("Docs")
    );
    let sent: serde_json::Value = serde_json::from_str(
        create
            .param("StackDefinitions.member.1.TemplateBody")
            .expect("a template body"),
    )
    .expect("JSON template");
    // The deployed definitions under the new IDs, the reference following the group.
    assert_eq!(
        sent,
        json!({"Resources": {
            "DbGroup": {"Type": "AWS::DocDB::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "db", "SubnetIds": ["subnet-1", "subnet-2"]}},
            "DbCluster": {"Type": "AWS::DocDB::DBCluster", "Properties": {"DBSubnetGroupName": {"Ref": "DbGroup"}, "StorageEncrypted": true}},
        }})
    );
    let mapping = |n: usize, side: &str, field: &str| {
        create
            .param(&format!("ResourceMappings.member.{n}.{side}.{field}"))
            .map(str::to_owned)
    };
    assert_eq!(
        mapping(1, "Source", "LogicalResourceId").as_deref(),
        Some("Cluster")
    );
    assert_eq!(
        mapping(1, "Destination", "LogicalResourceId").as_deref(),
        Some("DbCluster")
    );
    assert_eq!(
        mapping(1, "Destination", "StackName").as_deref(),
        Some("Docs")
    );
    assert_eq!(
        mapping(2, "Source", "LogicalResourceId").as_deref(),
        Some("Group")
    );
    let actions: Vec<String> = calls.iter().map(|c| c.action.clone()).collect();
    let executed = actions.iter().position(|a| a == "ExecuteStackRefactor");
    let listed = actions.iter().position(|a| a == "ListStackRefactorActions");
    assert!(listed < executed && executed.is_some(), "{actions:?}");
}

#[test]
fn a_refactor_cloudformation_refuses_is_reported_with_its_reason_and_not_executed() {
    let dir = tempfile::tempdir().expect("temp dir");
    moved_app(dir.path());
    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [describe(
            "CREATE_FAILED",
            "UNAVAILABLE",
            Some("Resource type AWS::DocDB::DBCluster is not supported"),
        )],
    );
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--yes"]);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains(
            "error: refactor arn:aws:cloudformation:us-east-1:123456789012:stackRefactor/r-1 ended CREATE_FAILED: Resource type AWS::DocDB::DBCluster is not supported; nothing was moved (fix what the reason names, then run refactor again)"
        ),
        "{}",
        run.err
    );
    assert!(
        !endpoint
            .actions()
            .contains(&"ExecuteStackRefactor".to_owned())
    );
}

#[test]
fn a_failed_execution_says_that_cloudformation_rolled_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    moved_app(dir.path());
    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [
            describe("CREATE_COMPLETE", "AVAILABLE", None),
            describe("CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS", None),
            describe(
                "CREATE_COMPLETE",
                "ROLLBACK_COMPLETE",
                Some("Stack Docs is in UPDATE_IN_PROGRESS"),
            ),
        ],
    );
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--yes"]);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains(
            "ended ROLLBACK_COMPLETE: Stack Docs is in UPDATE_IN_PROGRESS; CloudFormation rolled the stacks back as far as it could (`list --long` shows their states)"
        ),
        "{}",
        run.err
    );
}

#[test]
fn without_a_terminal_or_yes_the_moves_are_shown_and_not_executed() {
    let dir = tempfile::tempdir().expect("temp dir");
    moved_app(dir.path());
    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [describe("CREATE_COMPLETE", "AVAILABLE", None)],
    );
    for args in [&["refactor"][..], &["deploy", "--refactor"][..]] {
        let run = synth_cli(&endpoint, dir.path(), args);
        assert_eq!(run.code, 6, "{}{}", run.out, run.err);
        assert!(
            run.out.contains("Docs/Cluster -> Docs/DbCluster"),
            "{}",
            run.out
        );
        assert!(
            run.err.contains(
                "error: there is no terminal to confirm the moves: review them above, then rerun with --yes; nothing was moved"
            ),
            "{}",
            run.err
        );
    }
    let actions = endpoint.actions();
    assert!(
        !actions.contains(&"CreateStackRefactor".to_owned()),
        "{actions:?}"
    );
    assert!(
        !actions.contains(&"CreateChangeSet".to_owned()),
        "deploy stopped: {actions:?}"
    );
}

#[test]
fn no_moved_resource_means_nothing_to_refactor() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The deployed group and cluster are gone from the app and nothing of their kind is new.
    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [describe("CREATE_COMPLETE", "EXECUTE_COMPLETE", None)],
    );
    let mut app = App::new();
    let stack = app.stack("Docs");
    stack.add("Unrelated", construct_lib::cfn::sns::Topic::new());
    synthesize(&app)
        .expect("valid app")
        .write(dir.path(), Format::Json)
        .expect("assembly written");
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--yes"]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(
        run.out.contains("No resource moved: nothing to refactor."),
        "{}",
        run.out
    );
    assert!(
        !endpoint
            .actions()
            .contains(&"CreateStackRefactor".to_owned())
    );
}

#[test]
fn moves_in_stacks_of_two_regions_are_refused_since_a_refactor_is_regional() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new();
    for (name, region) in [("East", "us-east-1"), ("West", "eu-west-1")] {
        app.stack_in(name, construct_lib::Environment::region(region))
            .add(
                "Topic",
                construct_lib::cfn::sns::Topic::new().topic_name("alerts"),
            );
    }
    synthesize(&app)
        .expect("valid app")
        .write(dir.path(), Format::Json)
        .expect("assembly written");
    // Both stacks run a template where the topic is under another logical ID.
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script(
            "DescribeStacks",
            [Reply::ok(xml::describe_stacks(&StackXml {
                name: "East",
                status: "UPDATE_COMPLETE",
                ..StackXml::default()
            }))],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(
                &json!({"Resources": {"Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}}}})
                    .to_string(),
            ))],
        );
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--all", "--yes"]);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.out
            .contains("  East/Alerts -> East/Topic (AWS::SNS::Topic)"),
        "{}",
        run.out
    );
    assert!(
        run.err.contains(
            "error: refactor: the stacks East, West are in different regions (us-east-1, eu-west-1); a stack refactor works within one region, so select the stacks of one region"
        ),
        "{}",
        run.err
    );
    assert!(
        !endpoint
            .actions()
            .contains(&"CreateStackRefactor".to_owned())
    );
    // A refactor executes: it cannot be combined with leaving the change sets for review.
    let both = synth_cli(
        &endpoint,
        dir.path(),
        &["deploy", "--all", "--refactor", "--no-execute"],
    );
    assert_eq!(both.code, 2, "{}{}", both.out, both.err);
    assert!(both.err.contains("cannot be used with"), "{}", both.err);
}

#[test]
fn a_refactor_that_cannot_be_executed_or_never_starts_is_not_waited_for_forever() {
    let dir = tempfile::tempdir().expect("temp dir");
    moved_app(dir.path());
    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [describe(
            "CREATE_COMPLETE",
            "UNAVAILABLE",
            Some("Stack Docs has a stack policy"),
        )],
    );
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--yes"]);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains("ended CREATE_COMPLETE but UNAVAILABLE: Stack Docs has a stack policy; nothing was moved"),
        "{}",
        run.err
    );
    assert!(
        !endpoint
            .actions()
            .contains(&"ExecuteStackRefactor".to_owned())
    );

    let endpoint = endpoint_with_deployed_stack();
    endpoint.script(
        "DescribeStackRefactor",
        [describe("CREATE_COMPLETE", "AVAILABLE", None)],
    );
    let run = synth_cli(&endpoint, dir.path(), &["refactor", "--yes"]);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err
            .contains("ended AVAILABLE: the execution did not start; nothing was moved"),
        "{}",
        run.err
    );
}
