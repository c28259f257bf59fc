//! `migrate` as a user runs it: the module it writes, where, and every way it refuses.
//! (That migrated modules compile and synthesize back equal is proven on whole corpora by
//! `testing/migrate-corpus`, which `scripts/test.sh` runs.)

use std::path::Path;

use clap::Parser;
use construct_lib::App;
use synth_cli::cli::Cli;
use synth_cli::commands::execute;

fn run(args: &[&str]) -> (u8, String, String) {
    let cli = Cli::try_parse_from(std::iter::once("synth-cli").chain(args.iter().copied()))
        .expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(&App::new(), cli, &mut out, &mut err).code();
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the template");
    path.to_str().expect("utf-8").to_owned()
}

const SAMPLE: &str = "Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Condition: IsProd
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub '${AWS::StackName}-logs'
      VersioningConfiguration:
        Status: Enabled
      NotInTheSchema: 1
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: \"5\"
      FifoQueue: 'no'
      Tags:
        - Key: env
          Value: !Ref Env
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    CreationPolicy:
      ResourceSignal: {Count: 2, Timeout: PT5M}
    UpdatePolicy:
      AutoScalingRollingUpdate: {MaxBatchSize: 1, SuspendProcesses: [AlarmNotification]}
    Properties: {MaxSize: '2', MinSize: '1'}
  Hooked:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      CodeDeployLambdaAliasUpdate: {ApplicationName: a, DeploymentGroupName: g, BeforeAllowTrafficHook: h}
    Properties: {MaxSize: '2', MinSize: '1'}
  Handle:
    Type: AWS::CloudFormation::WaitConditionHandle
Outputs:
  LogsArn:
    Condition: IsProd
    Value: !GetAtt Logs.Arn
";

#[test]
fn a_yaml_template_with_short_forms_becomes_typed_builders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = write(dir.path(), "sample.yaml", SAMPLE);
    let (code, out, err) = run(&["migrate", &template]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "pub fn build(stack: &mut Stack) {",
        "let env = stack.parameter(",
        ".allowed_values([\"dev\", \"prod\"])",
        "let is_prod = stack.condition(\"IsProd\", Condition::equals(env.value(), \"prod\"));",
        ".bucket_name(fns::sub(\"${AWS::StackName}-logs\"))",
        "cfn::s3::bucket::VersioningConfigurationStatus::Enabled",
        ".condition(is_prod)",
        ".deletion_policy(RemovalPolicy::Retain)",
        // The schema's type is an integer; the template's string is kept as it is.
        ".delay_seconds(m::Value::<i64>::literal(\"5\"))",
        ".tags(vec![m::Tag::new(\"env\", env.value())])",
        // What the registry data does not list stays, as an override.
        ".add_property_override(\"NotInTheSchema\", m::Value::<m::Json>::from(json!(1)))",
        "Output::new(logs.attr_arn()).condition(is_prod)",
        // Policies as the typed structs, unless they hold what those do not have.
        "signal_count: Some(2.into())",
        "signal_timeout: Some(\"PT5M\".into())",
        "max_batch_size: Some(1.into())",
        "suspend_processes: vec![\"AlarmNotification\".to_owned()]",
        ".add_override(",
        "\"UpdatePolicy\",",
        "\"BeforeAllowTrafficHook\": \"h\"",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(
        err.contains("services used: autoscaling, cloudformation, s3, sqs\nnot built by default, so add to the app's Cargo.toml (beside construct-lib): cfn-l1 = { path = \"<checkout>/construct-lib/cfn\", features = [\"cloudformation\"] } (or give construct-lib the `full` feature)\n"),
        "{err}"
    );
    assert!(
        out.contains("//! The services it uses: `autoscaling`, `cloudformation`, `s3`, `sqs`; not built by default: `cloudformation` (features of `cfn-l1`, or `construct-lib`'s `full`)."),
        "{out}"
    );
    assert!(
        err.contains("1 value(s) the typed structs cannot hold are kept as property overrides"),
        "{err}"
    );
    assert!(
        err.contains("warning: CloudFormation reads YAML 1.1, where these values are booleans or numbers when written unquoted; they are kept as text here (quote them in the template, or change the module): Resources.Queue.Properties.FifoQueue = \"no\""),
        "{err}"
    );
}

#[test]
fn out_writes_the_module_and_will_not_replace_a_file_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = write(
        dir.path(),
        "t.json",
        r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#,
    );
    let module = dir.path().join("legacy.rs");
    let module_arg = module.to_str().expect("utf-8");
    let (code, out, err) = run(&["migrate", &template, "--out", module_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    let written = std::fs::read_to_string(&module).expect("the module is written");
    assert!(
        written.contains("stack.add(\"T\", cfn::sns::Topic::new());"),
        "{written}"
    );
    let (code, _, err) = run(&["migrate", &template, "--out", module_arg]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("legacy.rs exists: pass --force to replace it, or choose another --out"),
        "{err}"
    );
    let (code, _, err) = run(&["migrate", &template, "--out", module_arg, "--force"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn what_the_model_cannot_express_is_refused_all_at_once_with_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = write(
        dir.path(),
        "t.yaml",
        "Parameters:
  Env: {Type: String}
Conditions:
  Env: !Equals [!Ref Env, prod]
Resources:
  Env:
    Type: AWS::SNS::Topic
  Mod:
    Type: My::Private::Thing::MODULE
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !ToJsonString [a]
      DisplayName: !Ref Missing
  Dotted:
    Type: AWS::SNS::Topic
    Properties: {a.b: 1}
",
    );
    let module = dir.path().join("legacy.rs");
    let (code, out, err) = run(&[
        "migrate",
        &template,
        "--out",
        module.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(!module.exists(), "nothing is written");
    for expected in [
        "error: 5 part(s) of the template cannot be represented:",
        "Resources.Dotted.Properties: the properties cannot be represented; allowed: property names without dots, and required properties the L1 type can be built with",
        "Resources.Env: `Env`, also the name of a parameter, cannot be represented; allowed: one name for a parameter or resource: `Ref` names either",
        "Resources.Mod.Type: `My::Private::Thing::MODULE` cannot be represented; allowed: a resource type of the L1 crate",
        "Resources.Topic.Properties.TopicName.Fn::ToJsonString: `Fn::ToJsonString` cannot be represented; allowed: one of CloudFormation's own intrinsic functions (Ref, Fn::GetAtt,",
        "Resources.Topic.Properties.DisplayName.Ref: `Missing` cannot be represented; allowed: a parameter, resource or pseudo parameter of the template",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn unreadable_text_a_non_template_and_a_missing_file_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = write(dir.path(), "broken.yaml", "Resources: [1,\n");
    let (code, _, err) = run(&["migrate", &broken]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("error: the template is neither JSON nor YAML: "),
        "{err}"
    );

    let list = write(dir.path(), "list.json", "[1, 2]");
    let (code, _, err) = run(&["migrate", &list]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: the document is not a CloudFormation template: it needs to be an object with a `Resources` object"),
        "{err}"
    );

    let missing = dir.path().join("missing.yaml");
    let (code, _, err) = run(&["migrate", missing.to_str().expect("utf-8")]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("error: cannot read ") && err.contains("missing.yaml"),
        "{err}"
    );
}
