//! Deploys purpose-built stacks to moto's CloudFormation (started per test on a free loopback
//! port) with the `synth-cli` binary, as a CI step would: create, update, no-op, diff, large
//! templates through the staging bucket, several stacks in dependency order, destroy. Exit
//! codes and what the user reads are asserted.

use std::path::Path;
use std::process::Command;

use construct_lib::cfn::{sns, sqs, ssm};
use construct_lib::{App, Format, Scope, synthesize};
use test_emulator::moto::Moto;
use test_emulator::{AWS_ENV_TO_CLEAR, aws_env};

struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Runs `synth-cli ARGS --app DIR --endpoint-url URL` with dummy credentials (`bootstrap`
/// takes no `--app`).
fn synth_cli(moto: &Moto, dir: &Path, args: &[&str]) -> Run {
    synth_cli_with(moto, dir, args, &[])
}

/// [`synth_cli`] with some environment variables changed (`None`: removed).
fn synth_cli_with(moto: &Moto, dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synth-cli"));
    command.args(args);
    if args.first() != Some(&"bootstrap") {
        command.args(["--app", dir.to_str().expect("utf-8 path")]);
    }
    command.args(["--endpoint-url", &moto.url()]);
    for name in AWS_ENV_TO_CLEAR {
        command.env_remove(name);
    }
    command.envs(aws_env());
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("synth-cli runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn write_assembly(app: &App, dir: &Path) {
    synthesize(app)
        .expect("valid app")
        .write(dir, Format::Json)
        .expect("assembly written");
}

fn topic_app(display_name: &str) -> App {
    let mut app = App::new();
    let stack = app.stack("Topics");
    stack.add("Alerts", sns::Topic::new().display_name(display_name));
    stack.add("Jobs", sqs::Queue::new());
    app
}

#[test]
fn create_update_no_op_diff_and_destroy() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| synth_cli(&moto, dir.path(), args);
    let deploy = ["deploy", "--yes", "--poll-interval", "0.05"];
    write_assembly(&topic_app("first"), dir.path());
    let diff = run(&["diff", "--fail"]);
    expect(
        &diff,
        5,
        &[
            "(not deployed: everything is new)",
            "[+] AWS::SNS::Topic Alerts",
        ],
    );
    let create = run(&deploy);
    expect(
        &create,
        0,
        &[
            "Topics: change set with 2 change(s)",
            "| Add    | Alerts",
            "ok   Topics: deployed (CREATE_COMPLETE)",
        ],
    );
    expect(&run(&["diff", "--fail"]), 0, &["There were no differences"]);
    expect(&run(&deploy), 0, &["ok   Topics: no changes"]);

    write_assembly(&topic_app("second"), dir.path());
    let changed = run(&["diff", "--fail"]);
    expect(
        &changed,
        5,
        &[
            "[~] AWS::SNS::Topic Alerts",
            "[~] DisplayName: first -> second",
        ],
    );
    let update = run(&deploy);
    expect(
        &update,
        0,
        &[
            "| Modify | Alerts",
            "ok   Topics: deployed (UPDATE_COMPLETE)",
        ],
    );
    expect(&run(&["diff", "--fail"]), 0, &[]);
    expect(
        &run(&["list", "--long"]),
        0,
        &["UPDATE_COMPLETE (us-east-1)"],
    );

    let destroy = run(&["destroy", "--force", "--poll-interval", "0.05"]);
    expect(&destroy, 0, &["ok   Topics: deleted"]);
    expect(&run(&["list", "--long"]), 0, &["not deployed (us-east-1)"]);
    expect(
        &run(&["destroy", "--force"]),
        0,
        &["ok   Topics: was not deployed"],
    );
}

/// Asserts the exit code of `run` and that its output has each of `texts`.
fn expect(run: &Run, code: i32, texts: &[&str]) {
    assert_eq!(run.code, code, "{}{}", run.out, run.err);
    for text in texts {
        assert!(
            run.out.contains(text),
            "`{text}` missing from:\n{}",
            run.out
        );
    }
}

/// Over 51,200 bytes: 120 SSM parameters with 400-character values.
fn large_app() -> App {
    let mut app = App::new();
    let stack = app.stack("Large");
    for index in 0..120 {
        stack.add(
            &format!("Setting{index}"),
            ssm::Parameter::new(ssm::parameter::ParameterRequired {
                type_: ssm::parameter::Type::String.into(),
                value: "x".repeat(400).into(),
            })
            .name(format!("/large/setting{index}")),
        );
    }
    app
}

/// Over 51,200 bytes as written (indented), under it without indentation: 450 short SSM
/// parameters.
fn indented_large_app() -> App {
    let mut app = App::new();
    let stack = app.stack("Indented");
    for index in 0..450 {
        stack.add(
            &format!("Setting{index}"),
            ssm::Parameter::new(ssm::parameter::ParameterRequired {
                type_: ssm::parameter::Type::String.into(),
                value: "x".into(),
            }),
        );
    }
    app
}

#[test]
fn a_template_large_only_by_its_indentation_is_sent_in_the_request_without_bootstrap() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&indented_large_app(), dir.path());
    let text =
        std::fs::read_to_string(dir.path().join("Indented.template.json")).expect("template");
    let compact = serde_json::from_str::<serde_json::Value>(&text)
        .expect("JSON")
        .to_string()
        .len();
    assert!(
        text.len() > 51_200 && compact <= 51_200,
        "the test template must be over the limit with indentation only: {} / {compact} bytes",
        text.len()
    );
    let deploy = synth_cli(
        &moto,
        dir.path(),
        &["deploy", "--yes", "--poll-interval", "0.05"],
    );
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);
    assert!(!deploy.out.contains("staging bucket"), "{}", deploy.out);
    assert!(
        deploy
            .out
            .contains("ok   Indented: deployed (CREATE_COMPLETE)"),
        "{}",
        deploy.out
    );
}

#[test]
fn templates_over_51200_bytes_need_bootstrap_then_deploy_through_the_staging_bucket() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&large_app(), dir.path());
    let text = std::fs::read_to_string(dir.path().join("Large.template.json")).expect("template");
    let size = text.len();
    // Deploy sends it without indentation: that is the size CloudFormation's limit meets.
    let compact = serde_json::from_str::<serde_json::Value>(&text)
        .expect("JSON")
        .to_string()
        .len();
    assert!(
        compact > 51_200 && compact < size,
        "the test template must be large: {size} bytes"
    );

    let refused = synth_cli(&moto, dir.path(), &["deploy", "--yes"]);
    assert_eq!(refused.code, 4, "{}{}", refused.out, refused.err);
    assert!(
        refused.err.contains(&format!(
            "stack Large: its template is {compact} bytes without indentation, over the 51,200 bytes CloudFormation takes in a request"
        )) && refused.err.contains("run `bootstrap --region us-east-1` first"),
        "{}",
        refused.err
    );

    let bootstrap = synth_cli(&moto, dir.path(), &["bootstrap", "--poll-interval", "0.05"]);
    assert_eq!(bootstrap.code, 0, "{}{}", bootstrap.out, bootstrap.err);
    assert!(
        bootstrap.out.contains("SynthToolkit: bootstrapped"),
        "{}",
        bootstrap.out
    );
    let again = synth_cli(&moto, dir.path(), &["bootstrap"]);
    assert!(
        again.out.contains("SynthToolkit: already bootstrapped"),
        "{}",
        again.out
    );

    let deploy = synth_cli(
        &moto,
        dir.path(),
        &["deploy", "--yes", "--poll-interval", "0.05"],
    );
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);
    assert!(
        deploy.out.contains(&format!(
            "Large: template is {size} bytes (over 51200 without indentation): uploaded to the staging bucket"
        )),
        "{}",
        deploy.out
    );
    assert!(
        deploy
            .out
            .contains("ok   Large: deployed (CREATE_COMPLETE)"),
        "{}",
        deploy.out
    );
}

/// Producer exports a topic ARN that Consumer stores in an SSM parameter; Audit depends on
/// Consumer; Other is independent.
fn cross_stack_app() -> App {
    let mut app = App::new();
    let topic = app.stack("Producer").add("Events", sns::Topic::new());
    let consumer = app.stack("Consumer");
    consumer.add(
        "EventsArn",
        ssm::Parameter::new(ssm::parameter::ParameterRequired {
            type_: ssm::parameter::Type::String.into(),
            value: topic.ref_value(),
        }),
    );
    let stored = consumer.add("Marker", sqs::Queue::new());
    app.stack("Audit")
        .output("ConsumerQueue", stored.ref_value());
    app.stack("Other").add("Queue", sqs::Queue::new());
    app
}

#[test]
fn several_stacks_deploy_in_dependency_order_concurrently_and_destroy_in_reverse() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&cross_stack_app(), dir.path());
    let deploy = synth_cli(
        &moto,
        dir.path(),
        &[
            "deploy",
            "--all",
            "--yes",
            "--concurrency",
            "2",
            "--poll-interval",
            "0.05",
        ],
    );
    let out = &deploy.out;
    let position = |text: &str| {
        out.find(text)
            .unwrap_or_else(|| panic!("`{text}` missing from:\n{out}"))
    };
    // Producer and Other are independent: both start before either finishes.
    assert!(position("Other: deploying") < position("Producer: CREATE_COMPLETE in"));
    assert!(position("Producer: deploying") < position("Other: CREATE_COMPLETE in"));
    // Consumer waits for Producer.
    assert!(position("Producer: CREATE_COMPLETE in") < position("Consumer: deploying"));
    assert!(
        out.contains("ok   Producer: deployed (CREATE_COMPLETE)"),
        "{out}"
    );
    assert!(
        out.contains("ok   Other: deployed (CREATE_COMPLETE)"),
        "{out}"
    );
    // Consumer imports Producer's export (the patched emulator keeps exports of stacks
    // created through change sets, as CloudFormation does); Audit waits for Consumer.
    assert_eq!(deploy.code, 0, "{out}{}", deploy.err);
    assert!(position("Consumer: CREATE_COMPLETE in") < position("Audit: deploying"));
    assert!(
        out.contains("ok   Consumer: deployed (CREATE_COMPLETE)"),
        "{out}"
    );
    assert!(
        out.contains("ok   Audit: deployed (CREATE_COMPLETE)"),
        "{out}"
    );

    destroy_in_reverse(&moto, dir.path());
}

/// Destroys the cross-stack app: dependents first.
fn destroy_in_reverse(moto: &Moto, dir: &Path) {
    let destroy = synth_cli(
        moto,
        dir,
        &["destroy", "--all", "--force", "--poll-interval", "0.05"],
    );
    expect(
        &destroy,
        0,
        &[
            "ok   Audit: deleted",
            "ok   Consumer: deleted",
            "ok   Producer: deleted",
            "ok   Other: deleted",
        ],
    );
    assert!(
        before(&destroy.out, "Audit: deleting", "Consumer: deleting"),
        "{}",
        destroy.out
    );
    assert!(
        before(&destroy.out, "Consumer: deleting", "Producer: deleting"),
        "{}",
        destroy.out
    );
}

fn role_app() -> App {
    let mut app = App::new();
    app.stack("Access").add(
        "TaskRole",
        construct_lib::cfn::iam::Role::new(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]
        })),
    );
    app
}

#[test]
fn broadened_access_needs_approval_and_without_a_terminal_nothing_is_left_behind() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&role_app(), dir.path());
    let refused = synth_cli(&moto, dir.path(), &["deploy", "--poll-interval", "0.05"]);
    assert_eq!(refused.code, 6, "{}{}", refused.out, refused.err);
    assert!(
        refused.out.contains("IAM statement changes:"),
        "{}",
        refused.out
    );
    assert!(
        refused.out.contains("| + | TaskRole AssumeRolePolicyDocument | Allow  | {\"Service\":\"ecs-tasks.amazonaws.com\"} | sts:AssumeRole |"),
        "{}",
        refused.out
    );
    assert!(
        refused.err.contains(
            "error: stack Access: the changes were not approved; nothing was changed (approval needed because IAM statements or security-group rules grant more access, and there is no terminal to ask: review the changes above, then rerun with --yes or --require-approval never)"
        ),
        "{}",
        refused.err
    );
    let list = synth_cli(&moto, dir.path(), &["list", "--long"]);
    assert!(
        list.out.contains("not deployed (us-east-1)"),
        "{}",
        list.out
    );

    let approved = synth_cli(
        &moto,
        dir.path(),
        &[
            "deploy",
            "--require-approval",
            "never",
            "--poll-interval",
            "0.05",
        ],
    );
    assert_eq!(approved.code, 0, "{}{}", approved.out, approved.err);
}

#[test]
fn no_execute_leaves_the_change_set_for_review() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&topic_app("review"), dir.path());
    let run = synth_cli(&moto, dir.path(), &["deploy", "--no-execute"]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(
        run.out.contains("ok   Topics: change set left for review (--no-execute): arn:aws:cloudformation:us-east-1:123456789012:changeSet/synth-"),
        "{}",
        run.out
    );
    let list = synth_cli(&moto, dir.path(), &["list", "--long"]);
    assert!(
        list.out.contains("REVIEW_IN_PROGRESS (us-east-1)"),
        "{}",
        list.out
    );
}

#[test]
fn a_stack_bound_to_another_account_is_refused() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new();
    app.stack_in(
        "Elsewhere",
        construct_lib::Environment::new("111111111111", "us-east-1"),
    )
    .add("Topic", sns::Topic::new());
    write_assembly(&app, dir.path());
    let run = synth_cli(&moto, dir.path(), &["deploy", "--yes"]);
    assert_eq!(run.code, 4, "{}{}", run.out, run.err);
    assert!(
        run.err.contains("error: stack Elsewhere deploys to account 111111111111, but the credentials are for account 123456789012: use credentials for account 111111111111 (--profile)"),
        "{}",
        run.err
    );
}

/// Base; Service depends on Base; Tools stands alone.
fn layered_app() -> App {
    let mut app = App::new();
    let base = app.stack("Base");
    base.add("Events", sns::Topic::new());
    let base = base.id();
    let service = app.stack("Service");
    service.add("Jobs", sqs::Queue::new());
    service.add_dependency(base);
    app.stack("Tools").add("Queue", sqs::Queue::new());
    app
}

/// Whether `first` is printed before `then` in `out`.
fn before(out: &str, first: &str, then: &str) -> bool {
    match (out.find(first), out.find(then)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

#[test]
fn stack_selection_pulls_dependencies_into_deploy_and_dependents_into_destroy() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&layered_app(), dir.path());
    let run = |args: &[&str]| synth_cli(&moto, dir.path(), args);
    // Deploying a stack deploys what it depends on first, and nothing else.
    let deploy = run(&["deploy", "Service", "--yes", "--poll-interval", "0.05"]);
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);
    assert!(
        before(&deploy.out, "Base: deploying", "Service: deploying"),
        "{}",
        deploy.out
    );
    assert!(!deploy.out.contains("Tools"), "{}", deploy.out);
    // Wildcards select by name.
    let deploy = run(&["deploy", "T*", "--yes", "--poll-interval", "0.05"]);
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);
    assert!(
        deploy.out.contains("ok   Tools: deployed"),
        "{}",
        deploy.out
    );
    // Destroying a stack destroys what depends on it first (the risky default), and nothing
    // else.
    let destroy = run(&["destroy", "Base", "--force", "--poll-interval", "0.05"]);
    assert_eq!(destroy.code, 0, "{}{}", destroy.out, destroy.err);
    assert!(
        before(&destroy.out, "Service: deleting", "Base: deleting"),
        "{}",
        destroy.out
    );
    assert!(
        destroy.out.contains("ok   Service: deleted"),
        "{}",
        destroy.out
    );
    assert!(
        destroy.out.contains("ok   Base: deleted"),
        "{}",
        destroy.out
    );
    assert!(!destroy.out.contains("Tools"), "{}", destroy.out);
    // --exclusively: only the stacks named, in either direction.
    let deploy = run(&[
        "deploy",
        "Service",
        "--exclusively",
        "--yes",
        "--poll-interval",
        "0.05",
    ]);
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);
    assert!(!deploy.out.contains("Base"), "{}", deploy.out);
    let deploy = run(&["deploy", "Base", "--yes", "--poll-interval", "0.05"]);
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);
    let destroy = run(&[
        "destroy",
        "Base",
        "--exclusively",
        "--force",
        "--poll-interval",
        "0.05",
    ]);
    assert_eq!(destroy.code, 0, "{}{}", destroy.out, destroy.err);
    assert!(!destroy.out.contains("Service"), "{}", destroy.out);
    let list = run(&["list", "--long"]);
    let statuses: Vec<&str> = list.out.lines().collect();
    assert_eq!(
        statuses,
        [
            "Base\taws://unknown-account/unknown-region\tdepends on: -\tnot deployed (us-east-1)",
            "Service\taws://unknown-account/unknown-region\tdepends on: Base\tCREATE_COMPLETE (us-east-1)",
            "Tools\taws://unknown-account/unknown-region\tdepends on: -\tCREATE_COMPLETE (us-east-1)",
        ],
        "{}",
        list.err
    );
}

#[test]
fn the_region_comes_from_the_stack_then_the_flag_then_the_environment_then_the_profile() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new();
    app.stack("Anywhere").add("Queue", sqs::Queue::new());
    app.stack_in("Pinned", construct_lib::Environment::region("eu-central-1"))
        .add("Queue", sqs::Queue::new());
    write_assembly(&app, dir.path());
    let config = dir.path().join("aws-config");
    std::fs::write(
        &config,
        "[default]\nregion = eu-west-3\n\n[profile ops]\nregion = ap-southeast-2\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .expect("config written");
    let config = config.to_str().expect("utf-8 path");
    let regions = |args: &[&str], env: &[(&str, Option<&str>)]| -> Vec<String> {
        let mut env = env.to_vec();
        env.push(("AWS_CONFIG_FILE", Some(config)));
        let mut command = vec!["list", "--long"];
        command.extend_from_slice(args);
        let run = synth_cli_with(&moto, dir.path(), &command, &env);
        assert_eq!(run.code, 0, "{}{}", run.out, run.err);
        run.out
            .lines()
            .map(|line| {
                line.rsplit('(')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(')')
                    .to_owned()
            })
            .collect()
    };
    let no_region = ("AWS_REGION", None);
    // A stack's own region always wins; --region beats AWS_REGION.
    assert_eq!(
        regions(
            &["--region", "eu-north-1"],
            &[("AWS_REGION", Some("us-west-2"))]
        ),
        ["eu-north-1", "eu-central-1"]
    );
    // AWS_REGION beats the profile's region.
    assert_eq!(
        regions(&[], &[("AWS_REGION", Some("us-west-2"))]),
        ["us-west-2", "eu-central-1"]
    );
    // Else the profile's: the default one, --profile, or AWS_PROFILE.
    assert_eq!(regions(&[], &[no_region]), ["eu-west-3", "eu-central-1"]);
    assert_eq!(
        regions(&["--profile", "ops"], &[no_region]),
        ["ap-southeast-2", "eu-central-1"]
    );
    assert_eq!(
        regions(&[], &[no_region, ("AWS_PROFILE", Some("ops"))]),
        ["ap-southeast-2", "eu-central-1"]
    );
    assert_eq!(
        regions(
            &["--profile", "ops", "--region", "eu-north-1"],
            &[no_region]
        ),
        ["eu-north-1", "eu-central-1"]
    );
}

/// Producer exports its topic's ARN; Consumer stores it while `imports` says so, else a
/// literal.
fn reference_app(imports: bool) -> App {
    let mut app = App::new();
    let topic = app.stack("Producer").add("Events", sns::Topic::new());
    let value = if imports {
        topic.ref_value()
    } else {
        "no topic".into()
    };
    app.stack("Consumer").add(
        "EventsArn",
        ssm::Parameter::new(ssm::parameter::ParameterRequired {
            type_: ssm::parameter::Type::String.into(),
            value,
        }),
    );
    app
}

#[test]
fn removing_the_last_import_is_ordered_by_deploy_itself_without_a_failed_update() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&reference_app(true), dir.path());
    let deploy = synth_cli(
        &moto,
        dir.path(),
        &["deploy", "--all", "--yes", "--poll-interval", "0.05"],
    );
    assert_eq!(deploy.code, 0, "{}{}", deploy.out, deploy.err);

    // The consumer's use is removed: Producer no longer exports, Consumer no longer imports.
    let dir = tempfile::tempdir().expect("temp dir");
    write_assembly(&reference_app(false), dir.path());
    // Deploying Producer alone would make CloudFormation refuse midway: refused up front.
    let alone = synth_cli(
        &moto,
        dir.path(),
        &["deploy", "Producer", "--yes", "--poll-interval", "0.05"],
    );
    assert_eq!(alone.code, 4, "{}{}", alone.out, alone.err);
    assert!(
        alone.err.contains(
            "this deploy removes the export Producer:Events:Ref, which Consumer still import(s)"
        ),
        "{}",
        alone.err
    );

    let deploy = synth_cli(
        &moto,
        dir.path(),
        &["deploy", "--all", "--yes", "--poll-interval", "0.05"],
    );
    let out = &deploy.out;
    assert_eq!(deploy.code, 0, "{out}{}", deploy.err);
    assert!(
        out.contains("Producer: keeps export(s) Producer:Events:Ref while Consumer still import(s) them: deploys Producer with them, then Consumer, then Producer without them"),
        "{out}"
    );
    let position = |text: &str| {
        out.find(text)
            .unwrap_or_else(|| panic!("`{text}` missing from:\n{out}"))
    };
    let removing = position(
        "Producer: Consumer no longer import(s) Producer:Events:Ref: removing the export(s)",
    );
    assert!(position("Consumer: UPDATE_COMPLETE in") < removing, "{out}");
    assert!(
        out.contains("ok   Producer: deployed (UPDATE_COMPLETE)"),
        "{out}"
    );
    assert!(
        out.contains("ok   Consumer: deployed (UPDATE_COMPLETE)"),
        "{out}"
    );
    for failure in ["FAILED", "ROLLBACK", "FAIL "] {
        assert!(!out.contains(failure), "no failed update on the way: {out}");
    }

    // A clean state: nothing left to change, nothing to diff, and the export is gone.
    let again = synth_cli(&moto, dir.path(), &["deploy", "--all", "--yes"]);
    assert_eq!(again.code, 0, "{}{}", again.out, again.err);
    assert!(
        again.out.contains("ok   Producer: no changes")
            && again.out.contains("ok   Consumer: no changes"),
        "{}",
        again.out
    );
    let diff = synth_cli(&moto, dir.path(), &["diff", "--all", "--fail"]);
    assert_eq!(diff.code, 0, "{}{}", diff.out, diff.err);
    let list = synth_cli(&moto, dir.path(), &["list", "--long"]);
    assert!(list.out.contains("UPDATE_COMPLETE"), "{}", list.out);
}

fn bucket_app(name: &str) -> App {
    let mut app = App::new();
    let stack = app.stack("Data");
    stack.add(
        "Store",
        construct_lib::cfn::s3::Bucket::new().bucket_name(name),
    );
    app
}

#[test]
fn a_change_that_replaces_a_bucket_is_stopped_before_execution_unless_named() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| synth_cli(&moto, dir.path(), args);
    let deploy = ["deploy", "--yes", "--poll-interval", "0.05"];
    write_assembly(&bucket_app("guard-first"), dir.path());
    expect(&run(&deploy), 0, &["ok   Data: deployed (CREATE_COMPLETE)"]);

    // BucketName is create-only: the new name replaces the bucket and deletes the old one.
    write_assembly(&bucket_app("guard-second"), dir.path());
    let refused = run(&deploy);
    expect(&refused, 6, &["| Modify | Store"]);
    assert!(
        refused.err.contains(
            "error: stack Data: the change set would lose data, so it was not executed and nothing changed:\n  - Store (AWS::S3::Bucket) would be replaced, and its UpdateReplacePolicy is Delete (the default)\nTo keep the data: a resource that only moved in the code (a new scope or stack) is moved without replacement by `refactor` (or `deploy --refactor`); otherwise give it a Retain policy (its construct's removal policy; Snapshot only for the types that take snapshots) and deploy that first with the resource still in place, or undo the change. To accept the loss, pass --allow-data-loss Data/Store"
        ),
        "{}",
        refused.err
    );
    let review = run(&["deploy", "--no-execute"]);
    expect(
        &review,
        0,
        &[
            "executing this change set loses data (deploy would refuse it): Store (AWS::S3::Bucket) would be replaced",
        ],
    );
    // Nothing changed: the stack still runs the first template.
    expect(
        &run(&["list", "--long"]),
        0,
        &["CREATE_COMPLETE (us-east-1)"],
    );
    expect(
        &run(&["diff", "--fail"]),
        5,
        &["guard-first -> guard-second"],
    );

    let named_elsewhere = run(&[
        "deploy",
        "--yes",
        "--poll-interval",
        "0.05",
        "--allow-data-loss",
        "Other/Store",
    ]);
    expect(&named_elsewhere, 6, &[]);
    let malformed = run(&["deploy", "--yes", "--allow-data-loss", "Store"]);
    assert_eq!(malformed.code, 2, "{}{}", malformed.out, malformed.err);
    assert!(
        malformed.err.contains("`Store` is not STACK/LOGICAL_ID"),
        "{}",
        malformed.err
    );
    let accepted = run(&[
        "deploy",
        "--yes",
        "--poll-interval",
        "0.05",
        "--allow-data-loss",
        "Data/Store",
    ]);
    expect(&accepted, 0, &["ok   Data: deployed (UPDATE_COMPLETE)"]);
}

#[test]
fn diff_shows_a_resource_whose_logical_id_moved_as_renamed_not_deleted_and_created() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| synth_cli(&moto, dir.path(), args);
    write_assembly(&bucket_app("renamed-bucket"), dir.path());
    expect(
        &run(&["deploy", "--yes", "--poll-interval", "0.05"]),
        0,
        &["ok   Data: deployed (CREATE_COMPLETE)"],
    );
    // The same bucket under another id, with one in-place change beside the move.
    let mut app = App::new();
    let stack = app.stack("Data");
    stack.add(
        "Archive",
        construct_lib::cfn::s3::Bucket::new()
            .bucket_name("renamed-bucket")
            .tags([construct_lib::cfn::model::Tag::new("Team", "data")]),
    );
    write_assembly(&app, dir.path());
    let diff = run(&["diff", "--fail"]);
    expect(
        &diff,
        5,
        &[
            "[>] AWS::S3::Bucket Archive (renamed from Store)\n    [~] Tags: (absent) -> {\"Key\":\"Team\",\"Value\":\"data\"}\n",
        ],
    );
    assert!(
        diff.out.contains("1 resource(s) marked [>] moved: `refactor` (or `deploy --refactor`) moves them without replacement; a plain `deploy` would delete them and create new ones."),
        "{}",
        diff.out
    );
    assert!(
        !diff.out.contains("[-]") && !diff.out.contains("[+]"),
        "{}",
        diff.out
    );
    // A plain deploy says so before its change set, and how to move instead.
    let deploy = run(&["deploy", "--no-execute", "--poll-interval", "0.05"]);
    assert!(
        deploy.out.contains("Moved resources: this deploy replaces each one (creates it anew, deletes the old one); `deploy --refactor` moves them instead:\n  Data/Archive renamed from Data/Store (AWS::S3::Bucket)\n"),
        "{}",
        deploy.out
    );
}
