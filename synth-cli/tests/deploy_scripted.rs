//! The deploy states moto cannot produce, driven through the real SDK client against a
//! scripted endpoint that answers in CloudFormation's XML wire format: failed resources and
//! rollbacks, a stack left in ROLLBACK_COMPLETE, UPDATE_ROLLBACK_FAILED, throttling, waits for
//! operations started elsewhere, outputs, both forms of "no changes", approval.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use construct_lib::cfn::{ec2, sns};
use construct_lib::{App, Scope, synthesize};
use synth_cli::assembly::Assembly;
use synth_cli::aws::{MAX_ATTEMPTS, Session, retry_config};
use synth_cli::deploy::{
    DeployEvent, DeployOptions, DeployReport, Recorder, RequireApproval, StackOutcome, deploy,
};
use synth_cli::error::EngineError;
use test_emulator::scripted::{Reply, ScriptedEndpoint};
use test_emulator::xml::{self, StackXml};

const STACK: &str = "Web";

fn session(endpoint: &ScriptedEndpoint) -> Session {
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint.url())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "test",
        )))
        // The product's retries (synth_cli::aws::retry_config), waiting 1 ms instead of
        // 500 ms before the first retry so that the tests stay fast.
        .retry_config(retry_config().with_initial_backoff(Duration::from_millis(1)))
        .build();
    Session::from_config(config)
}

fn assembly(termination_protection: bool) -> Assembly {
    let mut app = App::new();
    let stack = app.stack(STACK);
    stack.add("Topic", sns::Topic::new());
    stack.add("Vpc", ec2::VPC::new().cidr_block("10.0.0.0/16"));
    stack.output(
        "TopicArn",
        construct_lib::cfn::model::Value::from(
            "arn:aws:sns:us-east-1:123456789012:topic".to_owned(),
        ),
    );
    stack.set_termination_protection(termination_protection);
    Assembly::from_cloud_assembly(&synthesize(&app).expect("valid app"))
}

fn options() -> DeployOptions {
    DeployOptions {
        require_approval: RequireApproval::Never,
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

async fn run(
    endpoint: &ScriptedEndpoint,
    options: &DeployOptions,
    approve: bool,
) -> (DeployReport, Recorder) {
    let recorder = Recorder::new(approve);
    let report = deploy(
        &session(endpoint),
        &assembly(false),
        &[STACK.to_owned()],
        options,
        &recorder,
    )
    .await;
    (report, recorder)
}

fn stack(status: &str) -> Reply {
    Reply::ok(xml::describe_stacks(&StackXml {
        name: STACK,
        status,
        ..StackXml::default()
    }))
}

fn missing() -> Reply {
    let (status, body) = xml::missing_stack(STACK);
    Reply {
        status,
        body,
        content_type: "text/xml",
    }
}

fn events(events: &[xml::Event<'_>]) -> Reply {
    Reply::ok(xml::describe_stack_events(STACK, events))
}

const REVIEW: xml::Event<'static> = (
    "e0",
    STACK,
    "AWS::CloudFormation::Stack",
    "REVIEW_IN_PROGRESS",
    None,
);

/// A change set that becomes ready with these changes.
fn script_change_set(endpoint: &ScriptedEndpoint, changes: &[xml::Change<'_>]) {
    endpoint
        .script(
            "CreateChangeSet",
            [Reply::ok(xml::create_change_set(STACK, "cs1"))],
        )
        .script(
            "DescribeChangeSet",
            [
                Reply::ok(xml::describe_change_set(
                    STACK,
                    "cs1",
                    "CREATE_IN_PROGRESS",
                    None,
                    &[],
                )),
                Reply::ok(xml::describe_change_set(
                    STACK,
                    "cs1",
                    "CREATE_COMPLETE",
                    None,
                    changes,
                )),
            ],
        )
        .script(
            "ExecuteChangeSet",
            [Reply::ok(xml::empty("ExecuteChangeSet"))],
        )
        .script(
            "DeleteChangeSet",
            [Reply::ok(xml::empty("DeleteChangeSet"))],
        );
}

fn error_of(report: &DeployReport) -> &EngineError {
    report.stacks[0]
        .result
        .as_ref()
        .expect_err("the deploy fails")
}

/// The events of a first create that fails on the VPC and rolls back.
fn failed_create_events() -> Reply {
    events(&[
        (
            "e5",
            STACK,
            "AWS::CloudFormation::Stack",
            "ROLLBACK_COMPLETE",
            None,
        ),
        ("e4", "Topic", "AWS::SNS::Topic", "DELETE_COMPLETE", None),
        (
            "e3",
            "Topic",
            "AWS::SNS::Topic",
            "CREATE_FAILED",
            Some("Resource creation cancelled"),
        ),
        (
            "e2",
            "Vpc",
            "AWS::EC2::VPC",
            "CREATE_FAILED",
            Some("The CIDR '10.0.0.0/16' conflicts with another subnet"),
        ),
        (
            "e1",
            STACK,
            "AWS::CloudFormation::Stack",
            "CREATE_IN_PROGRESS",
            Some("User Initiated"),
        ),
        REVIEW,
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_create_reports_the_failing_resource_with_its_reason() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[
            ("Add", "Topic", "AWS::SNS::Topic", ""),
            ("Add", "Vpc", "AWS::EC2::VPC", ""),
        ],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                stack("ROLLBACK_IN_PROGRESS"),
                stack("ROLLBACK_COMPLETE"),
            ],
        )
        .script(
            "DescribeStackEvents",
            [events(&[REVIEW]), failed_create_events()],
        );
    let (report, recorder) = run(&endpoint, &options(), true).await;
    let error = error_of(&report);
    assert_eq!(
        error.to_string(),
        "stack Web ended in ROLLBACK_COMPLETE\n  Vpc (AWS::EC2::VPC) CREATE_FAILED: The CIDR '10.0.0.0/16' conflicts with another subnet"
    );
    let progress: Vec<(String, usize, usize)> = recorder
        .events()
        .into_iter()
        .filter_map(|event| match event {
            DeployEvent::Progress {
                event, done, total, ..
            } => Some((event.status, done, total)),
            _ => None,
        })
        .collect();
    assert_eq!(progress.len(), 5, "each new event once: {progress:?}");
    assert_eq!(progress[0], ("CREATE_IN_PROGRESS".to_owned(), 0, 2));
    assert_eq!(progress[3], ("DELETE_COMPLETE".to_owned(), 1, 2));
    let execute = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "ExecuteChangeSet")
        .expect("executed");
    assert_eq!(
        execute.param("ChangeSetName"),
        Some(xml::change_set_id("cs1").as_str()),
        "addressed by ARN"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stack_in_rollback_complete_is_deleted_and_created_again() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Add", "Topic", "AWS::SNS::Topic", "")]);
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("ROLLBACK_COMPLETE"),
                stack("DELETE_IN_PROGRESS"),
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                stack("CREATE_COMPLETE"),
            ],
        )
        .script("DeleteStack", [Reply::ok(xml::empty("DeleteStack"))])
        .script("DescribeStackEvents", [events(&[REVIEW])]);
    let (report, recorder) = run(&endpoint, &options(), true).await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let notices: Vec<String> = recorder
        .events()
        .into_iter()
        .filter_map(|event| match event {
            DeployEvent::Notice { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert!(
        notices[0].contains("the stack is in ROLLBACK_COMPLETE after a failed first create, so it holds nothing: deleting it to create it again"),
        "{notices:?}"
    );
    let create = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "CreateChangeSet")
        .expect("created");
    assert_eq!(create.param("ChangeSetType"), Some("CREATE"));
    let actions = endpoint.actions();
    let delete = actions
        .iter()
        .position(|a| a == "DeleteStack")
        .expect("deleted");
    let create = actions
        .iter()
        .position(|a| a == "CreateChangeSet")
        .expect("created");
    assert!(delete < create, "{actions:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn update_rollback_failed_names_the_resources_to_skip_and_can_be_continued() {
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script("DescribeStacks", [stack("UPDATE_ROLLBACK_FAILED")])
        .script(
            "DescribeStackResources",
            [Reply::ok(xml::describe_stack_resources(
                STACK,
                &[
                    ("Topic", "AWS::SNS::Topic", "UPDATE_COMPLETE"),
                    ("Vpc", "AWS::EC2::VPC", "UPDATE_FAILED"),
                ],
            ))],
        );
    let (report, _) = run(&endpoint, &options(), true).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web is in UPDATE_ROLLBACK_FAILED: a previous update could not roll back; resources to skip: Vpc. Fix them by hand or rerun with --continue-rollback"
    );
    assert!(!endpoint.actions().contains(&"CreateChangeSet".to_owned()));

    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "Topic", "AWS::SNS::Topic", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("UPDATE_ROLLBACK_FAILED"),
                stack("UPDATE_ROLLBACK_IN_PROGRESS"),
                stack("UPDATE_ROLLBACK_COMPLETE"),
                stack("UPDATE_ROLLBACK_COMPLETE"),
                stack("UPDATE_ROLLBACK_COMPLETE"),
                stack("UPDATE_COMPLETE"),
            ],
        )
        .script(
            "ContinueUpdateRollback",
            [Reply::ok(xml::empty("ContinueUpdateRollback"))],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(
                r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#,
            ))],
        )
        .script("DescribeStackEvents", [events(&[REVIEW])]);
    let continued = DeployOptions {
        continue_rollback: true,
        ..options()
    };
    let (report, _) = run(&endpoint, &continued, true).await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let actions = endpoint.actions();
    let resume = actions
        .iter()
        .position(|a| a == "ContinueUpdateRollback")
        .expect("continued");
    let create = actions
        .iter()
        .position(|a| a == "CreateChangeSet")
        .expect("created");
    assert!(resume < create, "{actions:?}");
    let create = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "CreateChangeSet")
        .expect("created");
    assert_eq!(create.param("ChangeSetType"), Some("UPDATE"));
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_retried_then_the_deploy_succeeds_with_its_outputs() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Add", "Topic", "AWS::SNS::Topic", "")]);
    let throttled = || Reply::error(400, "Throttling", "Rate exceeded");
    endpoint
        .script(
            "DescribeStacks",
            [
                throttled(),
                throttled(),
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                Reply::ok(xml::describe_stacks(&StackXml {
                    name: STACK,
                    status: "CREATE_COMPLETE",
                    outputs: &[("TopicArn", "arn:aws:sns:us-east-1:123456789012:topic")],
                    ..StackXml::default()
                })),
            ],
        )
        .script("DescribeStackEvents", [events(&[REVIEW])]);
    let (report, _) = run(&endpoint, &options(), true).await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let describes = endpoint
        .actions()
        .iter()
        .filter(|a| *a == "DescribeStacks")
        .count();
    assert_eq!(describes, 5, "two throttled calls retried");
    assert_eq!(
        report.outputs()[STACK]["TopicArn"],
        "arn:aws:sns:us-east-1:123456789012:topic"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_that_does_not_stop_fails_with_the_aws_message() {
    let endpoint = ScriptedEndpoint::start();
    endpoint.script(
        "DescribeStacks",
        [Reply::error(400, "Throttling", "Rate exceeded")],
    );
    let (report, _) = run(&endpoint, &options(), true).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: DescribeStacks failed: Throttling: Rate exceeded"
    );
    assert_eq!(MAX_ATTEMPTS, 8);
    assert_eq!(
        endpoint.actions().len(),
        MAX_ATTEMPTS as usize,
        "sent as often as the product retries"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_change_set_is_success_and_is_deleted() {
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script("DescribeStacks", [stack("UPDATE_COMPLETE")])
        .script("CreateChangeSet", [Reply::ok(xml::create_change_set(STACK, "cs1"))])
        .script(
            "DescribeChangeSet",
            [Reply::ok(xml::describe_change_set(
                STACK,
                "cs1",
                "FAILED",
                Some("The submitted information didn't contain changes. Submit different information to create a change set."),
                &[],
            ))],
        )
        .script("DeleteChangeSet", [Reply::ok(xml::empty("DeleteChangeSet"))]);
    let (report, recorder) = run(&endpoint, &options(), true).await;
    assert!(matches!(
        report.stacks[0].result,
        Ok(StackOutcome::NoChanges { .. })
    ));
    let delete = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "DeleteChangeSet")
        .expect("deleted");
    assert_eq!(
        delete.param("ChangeSetName"),
        Some(xml::change_set_id("cs1").as_str())
    );
    assert!(!endpoint.actions().contains(&"ExecuteChangeSet".to_owned()));
    assert!(
        recorder
            .events()
            .iter()
            .any(|e| matches!(e, DeployEvent::Notice { message, .. } if message == "no changes"))
    );

    // The other form: CreateChangeSet itself refuses.
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script("DescribeStacks", [stack("UPDATE_COMPLETE")])
        .script(
            "CreateChangeSet",
            [Reply::error(
                400,
                "ValidationError",
                "No updates are to be performed.",
            )],
        );
    let (report, _) = run(&endpoint, &options(), true).await;
    assert!(matches!(
        report.stacks[0].result,
        Ok(StackOutcome::NoChanges { .. })
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_first_change_set_leaves_nothing_behind() {
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script("DescribeStacks", [missing(), stack("REVIEW_IN_PROGRESS")])
        .script(
            "CreateChangeSet",
            [Reply::ok(xml::create_change_set(STACK, "cs1"))],
        )
        .script(
            "DescribeChangeSet",
            [Reply::ok(xml::describe_change_set(
                STACK,
                "cs1",
                "FAILED",
                Some("Template format error: Unresolved resource dependencies [Nope]"),
                &[],
            ))],
        )
        .script(
            "DeleteChangeSet",
            [Reply::ok(xml::empty("DeleteChangeSet"))],
        )
        .script("DeleteStack", [Reply::ok(xml::empty("DeleteStack"))]);
    let (report, _) = run(&endpoint, &options(), true).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: the change set failed: Template format error: Unresolved resource dependencies [Nope]"
    );
    let actions = endpoint.actions();
    assert!(
        actions.contains(&"DeleteChangeSet".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"DeleteStack".to_owned()),
        "the empty REVIEW_IN_PROGRESS stack: {actions:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replacement_needs_approval_and_a_refusal_changes_nothing() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Modify", "Vpc", "AWS::EC2::VPC", "True")]);
    endpoint
        .script("DescribeStacks", [stack("UPDATE_COMPLETE")])
        .script("GetTemplate", [Reply::ok(xml::get_template(r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.1.0.0/16"}}}}"#))]);
    let asking = DeployOptions {
        require_approval: RequireApproval::Broadening,
        ..options()
    };
    let (report, recorder) = run(&endpoint, &asking, false).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: the changes were not approved; nothing was changed"
    );
    assert!(!endpoint.actions().contains(&"ExecuteChangeSet".to_owned()));
    assert!(endpoint.actions().contains(&"DeleteChangeSet".to_owned()));
    let change_set = recorder
        .events()
        .into_iter()
        .find_map(|event| match event {
            DeployEvent::ChangeSet { changes, .. } => Some(changes),
            _ => None,
        })
        .expect("the change set was shown");
    assert!(change_set[0].replaces());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stack_busy_elsewhere_is_waited_for_then_updated_and_protected() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "Topic", "AWS::SNS::Topic", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
            ],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(r#"{"Resources":{}}"#))],
        )
        .script("DescribeStackEvents", [events(&[REVIEW])])
        .script(
            "UpdateTerminationProtection",
            [Reply::ok(xml::empty("UpdateTerminationProtection"))],
        );
    let recorder = Recorder::new(true);
    let report = deploy(
        &session(&endpoint),
        &assembly(true),
        &[STACK.to_owned()],
        &options(),
        &recorder,
    )
    .await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let notices: Vec<String> = recorder
        .events()
        .into_iter()
        .filter_map(|event| match event {
            DeployEvent::Notice { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(
        notices[0],
        "waiting: the stack is UPDATE_IN_PROGRESS from an operation started elsewhere"
    );
    assert!(
        notices.contains(&"termination protection turned on".to_owned()),
        "{notices:?}"
    );
    let protect = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "UpdateTerminationProtection")
        .expect("protected");
    assert_eq!(protect.param("EnableTerminationProtection"), Some("true"));
}

/// Runs the `synth-cli` binary against the scripted endpoint on an assembly of the Web stack.
fn synth_cli(endpoint: &ScriptedEndpoint, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new();
    app.stack(STACK).add("Topic", sns::Topic::new());
    synthesize(&app)
        .expect("valid")
        .write(dir.path(), construct_lib::Format::Json)
        .expect("written");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_synth-cli"));
    command
        .args(["deploy", "--yes", "--poll-interval", "0.01", "--app"])
        .arg(dir.path())
        .args(["--endpoint-url", &endpoint.url()])
        .args(extra);
    for name in test_emulator::AWS_ENV_TO_CLEAR {
        command.env_remove(name);
    }
    let output = command
        .envs(test_emulator::aws_env())
        .output()
        .expect("synth-cli runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_exits_4_on_a_failed_create_and_prints_the_reason() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Add", "Topic", "AWS::SNS::Topic", "")]);
    endpoint
        .script(
            "DescribeStacks",
            [
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                stack("ROLLBACK_COMPLETE"),
            ],
        )
        .script(
            "DescribeStackEvents",
            [
                events(&[REVIEW]),
                events(&[
                    (
                        "e3",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "ROLLBACK_COMPLETE",
                        None,
                    ),
                    (
                        "e2",
                        "Topic",
                        "AWS::SNS::Topic",
                        "CREATE_FAILED",
                        Some("Topic name already exists"),
                    ),
                    (
                        "e1",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "CREATE_IN_PROGRESS",
                        Some("User Initiated"),
                    ),
                    REVIEW,
                ]),
            ],
        );
    let (code, out, err) = synth_cli(&endpoint, &[]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("Web | 0/1 | ") && out.contains("| CREATE_FAILED                | AWS::SNS::Topic | Topic (Topic name already exists)"),
        "{out}"
    );
    assert!(out.contains("FAIL Web: failed after "), "{out}");
    assert!(
        err.contains("error: stack Web ended in ROLLBACK_COMPLETE\n  Topic (AWS::SNS::Topic) CREATE_FAILED: Topic name already exists"),
        "{err}"
    );
}

#[test]
fn the_command_line_prints_outputs_and_writes_the_outputs_file() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Add", "Topic", "AWS::SNS::Topic", "")]);
    endpoint
        .script(
            "DescribeStacks",
            [
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                Reply::ok(xml::describe_stacks(&StackXml {
                    name: STACK,
                    status: "CREATE_COMPLETE",
                    outputs: &[("TopicArn", "arn:aws:sns:us-east-1:123456789012:web")],
                    ..StackXml::default()
                })),
            ],
        )
        .script("DescribeStackEvents", [events(&[REVIEW])]);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("outputs.json");
    let (code, out, err) = synth_cli(
        &endpoint,
        &["--outputs-file", file.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("ok   Web: deployed (CREATE_COMPLETE)"),
        "{out}"
    );
    assert!(
        out.contains("Outputs:\nWeb.TopicArn = arn:aws:sns:us-east-1:123456789012:web\n"),
        "{out}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("outputs file")).expect("json");
    assert_eq!(
        written,
        serde_json::json!({"Web": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:web"}})
    );
}

#[test]
fn ctrl_c_stops_waiting_and_says_the_stack_keeps_deploying() {
    use std::io::{BufRead, BufReader, Read};
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Add", "Topic", "AWS::SNS::Topic", "")]);
    endpoint
        .script(
            "DescribeStacks",
            [
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                stack("CREATE_IN_PROGRESS"),
            ],
        )
        .script(
            "DescribeStackEvents",
            [
                events(&[REVIEW]),
                events(&[
                    (
                        "e1",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "CREATE_IN_PROGRESS",
                        Some("User Initiated"),
                    ),
                    REVIEW,
                ]),
            ],
        );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new();
    app.stack(STACK).add("Topic", sns::Topic::new());
    synthesize(&app)
        .expect("valid")
        .write(dir.path(), construct_lib::Format::Json)
        .expect("written");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_synth-cli"));
    command
        .args(["deploy", "--yes", "--poll-interval", "0.05", "--app"])
        .arg(dir.path())
        .args(["--endpoint-url", &endpoint.url()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for name in test_emulator::AWS_ENV_TO_CLEAR {
        command.env_remove(name);
    }
    let mut child = command
        .envs(test_emulator::aws_env())
        .spawn()
        .expect("synth-cli starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut seen = String::new();
    while !seen.contains("CREATE_IN_PROGRESS") {
        let mut line = String::new();
        if stdout.read_line(&mut line).expect("read") == 0 {
            break;
        }
        seen.push_str(&line);
    }
    assert!(seen.contains("CREATE_IN_PROGRESS"), "{seen}");
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("synth-cli ends");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("read");
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(
        err,
        "interrupted: stopped waiting. CloudFormation keeps deploying Web in AWS; `list --long` shows where they are\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn parameters_and_tags_reach_the_change_set() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "Topic", "AWS::SNS::Topic", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [Reply::ok(
                xml::describe_stacks(&StackXml {
                    name: STACK,
                    status: "UPDATE_COMPLETE",
                    ..StackXml::default()
                })
                .replace(
                    "<Outputs>",
                    "<Parameters><member><ParameterKey>Kept</ParameterKey><ParameterValue>old</ParameterValue></member></Parameters><Outputs>",
                ),
            )],
        )
        .script("GetTemplate", [Reply::ok(xml::get_template("{}"))])
        .script("DescribeStackEvents", [events(&[REVIEW])]);
    let mut app = App::new();
    let stack = app.stack(STACK);
    let name = stack.parameter("TopicName", construct_lib::Parameter::string());
    stack.parameter("Kept", construct_lib::Parameter::string());
    stack.add("Topic", sns::Topic::new().topic_name(name.value()));
    stack.add_tag("team", "web");
    let assembly = Assembly::from_cloud_assembly(&synthesize(&app).expect("valid"));
    let options = DeployOptions {
        parameters: vec![
            "Other:TopicName=wrong".parse().expect("valid"),
            "Web:TopicName=orders".parse().expect("valid"),
        ],
        tags: [("cost-center".to_owned(), "42".to_owned())].into(),
        ..options()
    };
    let report = deploy(
        &session(&endpoint),
        &assembly,
        &[STACK.to_owned()],
        &options,
        &Recorder::new(true),
    )
    .await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let create = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "CreateChangeSet")
        .expect("created");
    let mut sent: Vec<(String, String)> = create
        .params
        .iter()
        .filter(|(key, _)| key.starts_with("Parameters.") || key.starts_with("Tags."))
        .cloned()
        .collect();
    sent.sort();
    let expected: Vec<(String, String)> = [
        ("Parameters.member.1.ParameterKey", "Kept"),
        ("Parameters.member.1.UsePreviousValue", "true"),
        ("Parameters.member.2.ParameterKey", "TopicName"),
        ("Parameters.member.2.ParameterValue", "orders"),
        ("Tags.member.1.Key", "cost-center"),
        ("Tags.member.1.Value", "42"),
        ("Tags.member.2.Key", "team"),
        ("Tags.member.2.Value", "web"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(sent, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_delete_reports_the_failing_resource() {
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("CREATE_COMPLETE"),
                stack("DELETE_IN_PROGRESS"),
                stack("DELETE_FAILED"),
            ],
        )
        .script("DeleteStack", [Reply::ok(xml::empty("DeleteStack"))])
        .script(
            "DescribeStackEvents",
            [
                events(&[REVIEW]),
                events(&[
                    (
                        "e3",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "DELETE_FAILED",
                        Some("The following resource(s) failed to delete: [Vpc]."),
                    ),
                    (
                        "e2",
                        "Vpc",
                        "AWS::EC2::VPC",
                        "DELETE_FAILED",
                        Some("The vpc has dependencies and cannot be deleted."),
                    ),
                    (
                        "e1",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "DELETE_IN_PROGRESS",
                        Some("User Initiated"),
                    ),
                    REVIEW,
                ]),
            ],
        );
    let results = synth_cli::destroy::destroy(
        &session(&endpoint),
        &assembly(false),
        &[STACK.to_owned()],
        &synth_cli::destroy::DestroyOptions {
            poll_interval: Duration::from_millis(5),
            ..Default::default()
        },
        &Recorder::new(true),
    )
    .await;
    let error = results[0].1.as_ref().expect_err("the delete fails");
    assert_eq!(
        error.to_string(),
        "stack Web ended in DELETE_FAILED\n  Vpc (AWS::EC2::VPC) DELETE_FAILED: The vpc has dependencies and cannot be deleted."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_an_export_another_stack_imports_is_refused_before_any_change() {
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script(
            "DescribeStacks",
            [Reply::ok(xml::describe_stacks(&StackXml {
                name: STACK,
                status: "UPDATE_COMPLETE",
                exports: &[(
                    "ExportTopicRef",
                    "arn:aws:sns:us-east-1:123456789012:t",
                    "Web:Topic:Ref",
                )],
                ..StackXml::default()
            }))],
        )
        .script("ListImports", [Reply::ok(xml::list_imports(&["Consumer"]))]);
    let (report, _) = run(&endpoint, &options(), true).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: this deploy removes the export Web:Topic:Ref, which Consumer still import(s); CloudFormation would refuse it midway. First deploy the importing stacks without the reference while this stack keeps the export (`export_value`, see the README's \"References between stacks\"), then remove it"
    );
    assert_eq!(endpoint.actions(), ["DescribeStacks", "ListImports"]);
    let list = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "ListImports")
        .expect("asked");
    assert_eq!(list.param("ExportName"), Some("Web:Topic:Ref"));

    // Not imported any more: the deploy goes on.
    let endpoint = ScriptedEndpoint::start();
    endpoint
        .script(
            "DescribeStacks",
            [Reply::ok(xml::describe_stacks(&StackXml {
                name: STACK,
                status: "UPDATE_COMPLETE",
                exports: &[(
                    "ExportTopicRef",
                    "arn:aws:sns:us-east-1:123456789012:t",
                    "Web:Topic:Ref",
                )],
                ..StackXml::default()
            }))],
        )
        .script(
            "ListImports",
            [Reply::error(
                400,
                "ValidationError",
                "Export 'Web:Topic:Ref' is not imported by any stack.",
            )],
        )
        .script(
            "CreateChangeSet",
            [Reply::error(
                400,
                "ValidationError",
                "No updates are to be performed.",
            )],
        );
    let (report, _) = run(&endpoint, &options(), true).await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
}

#[tokio::test(flavor = "multi_thread")]
async fn execute_is_never_repeated_after_a_server_error_but_is_after_throttling() {
    let ready = || {
        let endpoint = ScriptedEndpoint::start();
        endpoint
            .script(
                "CreateChangeSet",
                [Reply::ok(xml::create_change_set(STACK, "cs1"))],
            )
            .script(
                "DescribeChangeSet",
                [Reply::ok(xml::describe_change_set(
                    STACK,
                    "cs1",
                    "CREATE_COMPLETE",
                    None,
                    &[("Add", "Topic", "AWS::SNS::Topic", "")],
                ))],
            )
            .script("DescribeStackEvents", [events(&[REVIEW])]);
        endpoint
    };
    let endpoint = ready();
    endpoint
        .script("DescribeStacks", [missing(), stack("REVIEW_IN_PROGRESS")])
        .script(
            "ExecuteChangeSet",
            [Reply {
                status: 500,
                body: "<!doctype html><title>500 Internal Server Error</title><h1>Internal Server Error</h1>".to_owned(),
                content_type: "text/xml",
            }],
        );
    let (report, _) = run(&endpoint, &options(), true).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: ExecuteChangeSet failed: the endpoint answered HTTP 500: 500 Internal Server Error Internal Server Error"
    );
    let executes = endpoint
        .actions()
        .iter()
        .filter(|a| *a == "ExecuteChangeSet")
        .count();
    assert_eq!(
        executes, 1,
        "a server error may mean the deploy started: never sent twice"
    );

    let endpoint = ready();
    endpoint
        .script(
            "DescribeStacks",
            [
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                stack("CREATE_COMPLETE"),
            ],
        )
        .script(
            "ExecuteChangeSet",
            [
                Reply::error(400, "Throttling", "Rate exceeded"),
                Reply::ok(xml::empty("ExecuteChangeSet")),
            ],
        );
    let (report, _) = run(&endpoint, &options(), true).await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let tokens: Vec<String> = endpoint
        .calls()
        .into_iter()
        .filter(|c| c.action == "ExecuteChangeSet")
        .filter_map(|c| c.param("ClientRequestToken").map(str::to_owned))
        .collect();
    assert_eq!(tokens.len(), 2, "throttled, then sent again");
    assert_eq!(tokens[0], tokens[1], "with the same token");
}

#[test]
fn a_failed_update_that_rolls_back_exits_4_with_the_failing_resource_and_its_reason() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "Topic", "AWS::SNS::Topic", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_ROLLBACK_IN_PROGRESS"),
                Reply::ok(xml::describe_stacks(&StackXml {
                    name: STACK,
                    status: "UPDATE_ROLLBACK_COMPLETE",
                    reason: Some("The following resource(s) failed to update: [Topic]."),
                    ..StackXml::default()
                })),
            ],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(
                r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#,
            ))],
        )
        .script(
            "DescribeStackEvents",
            [
                events(&[REVIEW]),
                events(&[
                    (
                        "e4",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "UPDATE_ROLLBACK_COMPLETE",
                        None,
                    ),
                    (
                        "e3",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "UPDATE_ROLLBACK_IN_PROGRESS",
                        Some("The following resource(s) failed to update: [Topic]."),
                    ),
                    (
                        "e2",
                        "Topic",
                        "AWS::SNS::Topic",
                        "UPDATE_FAILED",
                        Some("Invalid parameter: DisplayName"),
                    ),
                    (
                        "e1",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "UPDATE_IN_PROGRESS",
                        Some("User Initiated"),
                    ),
                    REVIEW,
                ]),
            ],
        );
    let (code, out, err) = synth_cli(&endpoint, &[]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("| UPDATE_FAILED                | AWS::SNS::Topic | Topic (Invalid parameter: DisplayName)"),
        "{out}"
    );
    assert!(out.contains("FAIL Web: failed after "), "{out}");
    assert_eq!(
        err,
        "error: stack Web ended in UPDATE_ROLLBACK_COMPLETE (The following resource(s) failed to update: [Topic].)\n  Topic (AWS::SNS::Topic) UPDATE_FAILED: Invalid parameter: DisplayName\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn any_change_asks_even_for_an_in_place_change_and_a_refusal_changes_nothing() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "Topic", "AWS::SNS::Topic", "False")],
    );
    endpoint
        .script("DescribeStacks", [stack("UPDATE_COMPLETE")])
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(r#"{"Resources":{}}"#))],
        );
    let options = DeployOptions {
        require_approval: RequireApproval::AnyChange,
        ..options()
    };
    let (report, recorder) = run(&endpoint, &options, false).await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: the changes were not approved; nothing was changed"
    );
    let asked: Vec<Vec<String>> = recorder
        .approval_requests()
        .into_iter()
        .map(|request| request.reasons)
        .collect();
    assert_eq!(asked, [["1 resource change(s)"]]);
    assert!(!endpoint.actions().contains(&"ExecuteChangeSet".to_owned()));
}

/// A stack over 51,200 bytes with an IAM role: it needs the staging bucket and
/// CAPABILITY_IAM.
fn large_assembly_with_a_role() -> Assembly {
    let mut app = App::new();
    let stack = app.stack(STACK);
    for index in 0..40 {
        stack.add(
            &format!("Topic{index}"),
            sns::Topic::new().display_name("x".repeat(1500)),
        );
    }
    stack.add(
        "Role",
        construct_lib::cfn::iam::Role::new(construct_lib::cfn::model::Value::from(
            serde_json::json!({"Version": "2012-10-17", "Statement": []}),
        )),
    );
    let assembly = Assembly::from_cloud_assembly(&synthesize(&app).expect("valid app"));
    assert!(assembly.stacks[0].template_body.len() > 51_200);
    assembly
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_template_goes_by_url_with_the_capabilities_it_needs() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(&endpoint, &[("Add", "Role", "AWS::IAM::Role", "")]);
    endpoint
        .script(
            "DescribeStacks",
            [
                missing(),
                stack("REVIEW_IN_PROGRESS"),
                stack("CREATE_COMPLETE"),
            ],
        )
        .script(
            "DescribeStackResource",
            [Reply::ok(xml::describe_stack_resource(
                "SynthToolkit",
                "StagingBucket",
                "synth-staging-bucket",
            ))],
        )
        .script("PutObject", [Reply::ok(String::new())])
        .script("DescribeStackEvents", [events(&[REVIEW])]);
    let assembly = large_assembly_with_a_role();
    let report = deploy(
        &session(&endpoint),
        &assembly,
        &[STACK.to_owned()],
        &options(),
        &Recorder::new(true),
    )
    .await;
    assert!(report.succeeded(), "{:?}", report.stacks[0].result);
    let calls = endpoint.calls();
    let upload = calls
        .iter()
        .find(|c| c.action == "PutObject")
        .expect("the template was uploaded");
    let path = upload.param("Path").expect("a path");
    assert!(
        path.starts_with("/synth-staging-bucket/templates/Web/") && path.ends_with(".json"),
        "{path}"
    );
    let create = calls
        .iter()
        .find(|c| c.action == "CreateChangeSet")
        .expect("a change set");
    let key = path.trim_start_matches("/synth-staging-bucket/");
    assert_eq!(
        create.param("TemplateURL"),
        Some(format!("https://synth-staging-bucket.s3.us-east-1.amazonaws.com/{key}").as_str())
    );
    assert_eq!(create.param("TemplateBody"), None);
    assert_eq!(
        create.param("Capabilities.member.1"),
        Some("CAPABILITY_IAM")
    );
    assert_eq!(create.param("Capabilities.member.2"), None);
}

const SERVICE_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/web/web-service";
const ALARM: &str = "Web-ReleaseAlarmsAlternate5xx-1A2B3C";

/// ECS's service deployment at one moment of a canary release.
fn service_deployment(status: &str, stage: &str, triggered: &[&str]) -> Reply {
    Reply::json(serde_json::json!({
        "serviceDeployments": [{
            "serviceDeploymentArn": "arn:aws:ecs:us-east-1:123456789012:service-deployment/web/web-service/d1",
            "serviceArn": SERVICE_ARN,
            "status": status,
            "lifecycleStage": stage,
            "statusReason": if triggered.is_empty() { serde_json::Value::Null } else {
                serde_json::json!("Service deployment rolled back because of the alarms")
            },
            "alarms": {
                "status": if triggered.is_empty() { "MONITORING" } else { "TRIGGERED" },
                "alarmNames": [ALARM],
                "triggeredAlarmNames": triggered,
            },
        }],
        "failures": [],
    }))
}

/// ECS's answers while a canary release runs: the service's ARN, its primary deployment,
/// and its service deployment moving through the stages until the alarm rolls it back.
fn script_release(endpoint: &ScriptedEndpoint) {
    endpoint
        .script(
            "DescribeStackResource",
            [Reply::ok(xml::describe_stack_resource(
                STACK,
                "WebService",
                SERVICE_ARN,
            ))],
        )
        .script(
            "DescribeServices",
            [Reply::json(serde_json::json!({
                "services": [{
                    "serviceArn": SERVICE_ARN,
                    "deployments": [{
                        "id": "ecs-svc/1",
                        "status": "PRIMARY",
                        "rolloutState": "IN_PROGRESS",
                        "runningCount": 2,
                        "desiredCount": 2,
                        "pendingCount": 0,
                    }],
                }],
                "failures": [],
            }))],
        )
        .script(
            "ListServiceDeployments",
            [Reply::json(serde_json::json!({
                "serviceDeployments": [{
                    "serviceDeploymentArn": "arn:aws:ecs:us-east-1:123456789012:service-deployment/web/web-service/d1",
                    "status": "IN_PROGRESS",
                }],
            }))],
        )
        .script(
            "DescribeServiceDeployments",
            [
                service_deployment("IN_PROGRESS", "TEST_TRAFFIC_SHIFT", &[]),
                service_deployment("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", &[]),
                service_deployment("ROLLBACK_IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", &[ALARM]),
                service_deployment("ROLLBACK_SUCCESSFUL", "CLEAN_UP", &[ALARM]),
            ],
        );
}

/// A release (an image tag change of the service) that ECS rolls back when the canary's
/// alarm fires, and CloudFormation with it: what the user sees.
#[test]
fn a_release_rolled_back_by_an_alarm_shows_its_progress_and_names_the_alarm() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "WebService", "AWS::ECS::Service", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                // Before any change set, deploy reads the deployed template (to name the
                // resources that moved), then the engine starts.
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_ROLLBACK_IN_PROGRESS"),
                stack("UPDATE_ROLLBACK_COMPLETE"),
            ],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(
                r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#,
            ))],
        )
        .script(
            "DescribeStackEvents",
            [
                events(&[REVIEW]),
                events(&[
                    (
                        "e4",
                        "WebService",
                        "AWS::ECS::Service",
                        "UPDATE_FAILED",
                        Some("Error occurred during operation 'ECS Deployment'"),
                    ),
                    (
                        "e1",
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "UPDATE_IN_PROGRESS",
                        Some("User Initiated"),
                    ),
                    REVIEW,
                ]),
            ],
        );
    script_release(&endpoint);
    let (code, out, err) = synth_cli(&endpoint, &[]);
    assert_eq!(code, 4, "{out}{err}");
    let release: Vec<&str> = out.lines().filter(|l| l.contains("| release |")).collect();
    assert_eq!(
        release,
        [
            "Web | release | WebService: IN_PROGRESS (TEST_TRAFFIC_SHIFT), 2/2 tasks",
            "Web | release | WebService: IN_PROGRESS (PRODUCTION_TRAFFIC_SHIFT), 2/2 tasks",
            "Web | release | WebService: ROLLBACK_IN_PROGRESS (PRODUCTION_TRAFFIC_SHIFT), 2/2 tasks, alarms in ALARM: Web-ReleaseAlarmsAlternate5xx-1A2B3C, Service deployment rolled back because of the alarms",
            "Web | release | WebService: ROLLBACK_SUCCESSFUL (CLEAN_UP), 2/2 tasks, alarms in ALARM: Web-ReleaseAlarmsAlternate5xx-1A2B3C, Service deployment rolled back because of the alarms",
        ],
        "{out}"
    );
    assert_eq!(
        err,
        "error: stack Web: the release of service WebService failed (ROLLBACK_SUCCESSFUL): alarm(s) Web-ReleaseAlarmsAlternate5xx-1A2B3C in ALARM (Service deployment rolled back because of the alarms); the stack ended in UPDATE_ROLLBACK_COMPLETE\n"
    );
}

/// An endpoint without ECS (or without the permission) leaves the deploy as it was, with
/// one notice.
#[test]
fn a_release_whose_service_cannot_be_read_goes_on_with_one_notice() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "WebService", "AWS::ECS::Service", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_COMPLETE"),
            ],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(
                r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#,
            ))],
        )
        .script("DescribeStackEvents", [events(&[REVIEW])])
        .script(
            "DescribeStackResource",
            [Reply::ok(xml::describe_stack_resource(
                STACK,
                "WebService",
                SERVICE_ARN,
            ))],
        )
        .script(
            "DescribeServices",
            [Reply::json_error(
                400,
                "AccessDeniedException",
                "not authorized to perform: ecs:DescribeServices",
            )],
        );
    let (code, out, err) = synth_cli(&endpoint, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let notices: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("cannot be followed"))
        .collect();
    assert_eq!(notices.len(), 1, "{out}");
    assert!(
        notices[0].contains("not authorized to perform: ecs:DescribeServices"),
        "{out}"
    );
    assert_eq!(
        endpoint
            .actions()
            .iter()
            .filter(|a| *a == "DescribeServices")
            .count(),
        1,
        "asked once, then left alone"
    );
}

/// A stack update that fails for another reason than the service's deployment, while ECS
/// still lists an old rolled-back deployment: no release is said to have failed.
#[test]
fn an_old_rolled_back_deployment_is_not_taken_for_this_release() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[("Modify", "WebService", "AWS::ECS::Service", "False")],
    );
    endpoint
        .script(
            "DescribeStacks",
            [
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_COMPLETE"),
                stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_ROLLBACK_COMPLETE"),
            ],
        )
        .script(
            "GetTemplate",
            [Reply::ok(xml::get_template(
                r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#,
            ))],
        )
        .script("DescribeStackEvents", [events(&[REVIEW])])
        .script(
            "DescribeStackResource",
            [Reply::ok(xml::describe_stack_resource(
                STACK,
                "WebService",
                SERVICE_ARN,
            ))],
        )
        .script(
            "DescribeServices",
            [Reply::json(serde_json::json!({
                "services": [{"serviceArn": SERVICE_ARN, "deployments": [{
                    "id": "ecs-svc/1", "status": "PRIMARY", "rolloutState": "COMPLETED",
                    "runningCount": 2, "desiredCount": 2,
                }]}],
                "failures": [],
            }))],
        )
        .script(
            "ListServiceDeployments",
            [Reply::json(serde_json::json!({
                "serviceDeployments": [{
                    "serviceDeploymentArn": "arn:aws:ecs:us-east-1:123456789012:service-deployment/web/web-service/old",
                    "status": "ROLLBACK_SUCCESSFUL",
                    "createdAt": 1_600_000_000,
                }],
            }))],
        );
    let (code, out, err) = synth_cli(&endpoint, &[]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        err.starts_with("error: stack Web ended in UPDATE_ROLLBACK_COMPLETE"),
        "{err}"
    );
    assert!(out.contains("WebService: COMPLETED, 2/2 tasks"), "{out}");
    assert!(
        !endpoint
            .actions()
            .contains(&"DescribeServiceDeployments".to_owned()),
        "the old deployment is not read"
    );
}

/// A stack with CloudFormation's CodeDeploy blue/green hook: a change set that replaces the
/// task definition (a green deployment) and changes another resource is refused before it
/// runs, naming both, and deleted: CloudFormation refuses such an update.
#[tokio::test(flavor = "multi_thread")]
async fn a_green_deployment_mixed_with_other_changes_is_refused_before_it_runs() {
    let endpoint = ScriptedEndpoint::start();
    script_change_set(
        &endpoint,
        &[
            ("Modify", "Task", "AWS::ECS::TaskDefinition", "True"),
            ("Modify", "Topic", "AWS::SNS::Topic", "False"),
        ],
    );
    endpoint.script("DescribeStacks", [stack("UPDATE_COMPLETE")]);
    let mut app = App::new();
    let hooked = app.stack(STACK);
    hooked.add("Topic", sns::Topic::new());
    hooked.add_transform("AWS::CodeDeployBlueGreen");
    let assembly = Assembly::from_cloud_assembly(&synthesize(&app).expect("valid app"));
    let recorder = Recorder::new(true);
    let report = deploy(
        &session(&endpoint),
        &assembly,
        &[STACK.to_owned()],
        &options(),
        &recorder,
    )
    .await;
    assert_eq!(
        error_of(&report).to_string(),
        "stack Web: the blue/green deployment (Task (AWS::ECS::TaskDefinition)) cannot be combined with changes to other resources (Topic (AWS::SNS::Topic)): CloudFormation's CodeDeploy hook refuses such an update. Deploy the other changes first with the running image (the same ImageTag), then the new image alone; nothing was changed"
    );
    assert!(!endpoint.actions().contains(&"ExecuteChangeSet".to_owned()));
    assert!(endpoint.actions().contains(&"DeleteChangeSet".to_owned()));
}
