//! When a deploy asks for approval: every change under `any-change`; under `broadening`
//! (the default) a replacement, an IAM statement or security-group rule that grants more, or
//! a `Deny` statement taken away; never under `never`. The templates are what the library
//! synthesizes.

use construct_lib::ec2::{Port, SecurityGroup, Vpc};
use construct_lib::iam::{PolicyStatement, Principal, Role};
use construct_lib::s3::Bucket;
use construct_lib::{App, Scope, Stack, synthesize};
use serde_json::Value as Json;
use synth_cli::deploy::ChangeRow;
use synth_cli::deploy::RequireApproval::{AnyChange, Broadening, Never};
use synth_cli::deploy::stack::approval_reasons;
use synth_cli::diff::SecurityChanges;

const BROADENS: &str = "IAM statements or security-group rules grant more access";

fn template(build: impl FnOnce(&mut Stack)) -> Json {
    let mut app = App::new();
    build(app.stack("Web"));
    synthesize(&app).expect("valid").stacks[0].template.clone()
}

fn modify(logical_id: &str, replacement: &str) -> ChangeRow {
    ChangeRow {
        action: "Modify".to_owned(),
        logical_id: logical_id.to_owned(),
        resource_type: "AWS::SNS::Topic".to_owned(),
        replacement: replacement.to_owned(),
        policy_action: String::new(),
    }
}

#[test]
fn any_change_asks_for_every_change_and_never_asks_for_none() {
    let none = SecurityChanges::default();
    let changes = [modify("Topic", "False"), modify("Queue", "False")];
    assert_eq!(
        approval_reasons(AnyChange, &changes, &none),
        ["2 resource change(s)"]
    );
    assert!(approval_reasons(AnyChange, &[], &none).is_empty());
    assert!(approval_reasons(Never, &[modify("Topic", "True")], &none).is_empty());
    // An in-place change that grants nothing: broadening does not ask.
    assert!(approval_reasons(Broadening, &changes, &none).is_empty());
}

#[test]
fn broadening_asks_for_replacements() {
    let none = SecurityChanges::default();
    assert_eq!(
        approval_reasons(
            Broadening,
            &[modify("Topic", "True"), modify("Queue", "Conditional")],
            &none
        ),
        [
            "Topic (AWS::SNS::Topic) will be replaced",
            "Queue (AWS::SNS::Topic) may be replaced"
        ]
    );
}

#[test]
fn broadening_asks_for_a_wider_security_group_or_role() {
    let base = |stack: &mut Stack| {
        let vpc = Vpc::builder().build(stack, "Vpc");
        SecurityGroup::builder(&vpc).build(stack, "Sg")
    };
    let before = template(|stack| {
        base(stack);
    });
    let opened = template(|stack| {
        let group = base(stack);
        group
            .connections()
            .allow_from_any_ipv4(stack, Port::tcp(22), "ssh");
        // The rule pack refuses SSH from anywhere unless accepted: this is the broadening.
        stack.suppress_under(
            "Sg",
            "SG1",
            "the broadening this test shows; never deployed",
        );
    });
    let security = SecurityChanges::between(&before, &opened);
    assert_eq!(approval_reasons(Broadening, &[], &security), [BROADENS]);
    // Closing it again is not broadening.
    let closed = SecurityChanges::between(&opened, &before);
    assert!(approval_reasons(Broadening, &[], &closed).is_empty());

    let role = |stack: &mut Stack| {
        Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "Role")
    };
    let granted = template(|stack| {
        role(stack).add_to_policy(
            stack,
            PolicyStatement::allow()
                .action("s3:GetObject")
                .resource("*"),
        );
    });
    let plain = template(|stack| {
        role(stack);
    });
    let security = SecurityChanges::between(&plain, &granted);
    assert_eq!(approval_reasons(Broadening, &[], &security), [BROADENS]);
}

#[test]
fn removing_a_deny_statement_is_broadening() {
    let tls_only = template(|stack| {
        Bucket::builder().build(stack, "Data");
    });
    let any_transport = template(|stack| {
        Bucket::builder().enforce_ssl(false).build(stack, "Data");
    });
    let security = SecurityChanges::between(&tls_only, &any_transport);
    assert!(
        security
            .statements
            .iter()
            .any(|s| !s.added && s.effect == "Deny"),
        "{security:?}"
    );
    assert_eq!(approval_reasons(Broadening, &[], &security), [BROADENS]);
    // Adding the Deny back restricts: no question.
    let security = SecurityChanges::between(&any_transport, &tls_only);
    assert!(approval_reasons(Broadening, &[], &security).is_empty());
}

#[test]
fn a_new_task_definition_revision_is_a_release_not_a_replacement_to_approve() {
    let none = SecurityChanges::default();
    let release = [
        ChangeRow {
            action: "Modify".to_owned(),
            logical_id: "WebTaskDefinition".to_owned(),
            resource_type: "AWS::ECS::TaskDefinition".to_owned(),
            replacement: "True".to_owned(),
            policy_action: String::new(),
        },
        ChangeRow {
            action: "Modify".to_owned(),
            logical_id: "WebService".to_owned(),
            resource_type: "AWS::ECS::Service".to_owned(),
            replacement: "False".to_owned(),
            policy_action: String::new(),
        },
    ];
    assert!(approval_reasons(Broadening, &release, &none).is_empty());
    assert_eq!(
        approval_reasons(AnyChange, &release, &none),
        ["2 resource change(s)"]
    );
}
