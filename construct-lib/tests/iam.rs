//! IAM roles, policy statements and the checks on them.

use construct_lib::assertions::Template;
use construct_lib::cfn::s3;
use construct_lib::iam::{ManagedPolicy, PolicyDocument, PolicyStatement, Principal, Role};
use construct_lib::{App, Duration, Scope, synthesize};
use serde_json::json;

#[test]
fn a_role_trusts_its_principals_and_grants_accumulate_in_one_policy() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let bucket = stack.add("Assets", s3::Bucket::new());
    let role = Role::builder(Principal::service("ecs-tasks.amazonaws.com"))
        .managed_policy(ManagedPolicy::aws_managed(
            "service-role/AmazonECSTaskExecutionRolePolicy",
        ))
        .description("runs the web tasks")
        .max_session_duration(Duration::hours(2))
        .build(stack, "TaskRole");
    let read = PolicyStatement::allow().actions(["s3:GetObject"]).resource(
        construct_lib::cfn::model::fns::join("", vec![bucket.attr_arn(), "/uploads/*".into()]),
    );
    role.add_to_policy(stack, read.clone());
    role.add_to_policy(stack, read);
    role.add_to_policy(
        stack,
        PolicyStatement::allow()
            .action("s3:ListBucket")
            .resource(bucket.attr_arn())
            .condition("StringLike", "s3:prefix", "uploads/*"),
    );
    let template = Template::from_app(&app, "Web");
    template.has_resource_properties(
        "AWS::IAM::Role",
        json!({
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]
            },
            "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}],
            "Description": "runs the web tasks",
            "MaxSessionDuration": 7200,
        }),
    );
    template.resource_count_is("AWS::IAM::Policy", 1);
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({
            "PolicyName": "WebTaskRoleDefaultPolicy",
            "Roles": [template.value_of(&role.name())],
            "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": {"Fn::Join": ["", [template.get_att(&bucket, "Arn"), "/uploads/*"]]}},
                {"Effect": "Allow", "Action": "s3:ListBucket",
                 "Resource": template.get_att(&bucket, "Arn"),
                 "Condition": {"StringLike": {"s3:prefix": "uploads/*"}}}
            ]}
        }),
    );
    assert!(role.resource().is_some());
}

#[test]
fn documents_render_principals_conditions_and_sids() {
    let document = PolicyDocument::new()
        .statement(
            PolicyStatement::deny()
                .sid("TlsOnly")
                .action("s3:*")
                .principal(Principal::Any)
                .resources(["arn:aws:s3:::b", "arn:aws:s3:::b/*"])
                .condition("Bool", "aws:SecureTransport", "false"),
        )
        .statement(
            PolicyStatement::allow()
                .action("sts:AssumeRole")
                .principal(Principal::service("a.amazonaws.com"))
                .principal(Principal::service("b.amazonaws.com"))
                .principal(Principal::Aws("123456789012".into())),
        );
    let mut app = App::new();
    let stack = app.stack("Docs");
    stack.add("Bucket", s3::Bucket::new());
    stack.add(
        "Policy",
        s3::BucketPolicy::new(s3::bucket_policy::BucketPolicyRequired {
            bucket: "b".into(),
            policy_document: document.to_value(),
        }),
    );
    let template = Template::from_app(&app, "Docs");
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        json!({"PolicyDocument": {"Statement": [
            {"Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*", "Principal": "*",
             "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Principal": {"AWS": "123456789012",
                           "Service": ["a.amazonaws.com", "b.amazonaws.com"]}}
        ]}}),
    );
}

#[test]
fn statements_that_cannot_work_in_a_role_policy_are_reported() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let role = Role::builder(Principal::service("ecs-tasks.amazonaws.com"))
        .max_session_duration(Duration::hours(13))
        .build(stack, "TaskRole");
    role.add_to_policy(stack, PolicyStatement::allow());
    role.add_to_policy(
        stack,
        PolicyStatement::allow()
            .action("GetObject")
            .resource("arn:aws:s3:::b/*")
            .principal(Principal::Any),
    );
    let existing = Role::from_arn("arn:aws:iam::123456789012:role/ops", "ops");
    existing.add_to_policy(
        stack,
        PolicyStatement::allow()
            .action("s3:GetObject")
            .resource("*"),
    );
    let text = synthesize(&app).expect_err("invalid").to_string();
    for expected in [
        "error: Web/TaskRole: max_session_duration = 13 hours: 1 hour to 12 hours",
        "error: Web/TaskRole/DefaultPolicy: actions = none: at least one action, such as s3:GetObject",
        "error: Web/TaskRole/DefaultPolicy: resources = none: at least one resource ARN (an identity policy statement needs one)",
        "error: Web/TaskRole/DefaultPolicy: actions = \"GetObject\": service:Action, such as s3:GetObject (`*` wildcards allowed)",
        "error: Web/TaskRole/DefaultPolicy: principal = 1 principal(s): no principal in a policy attached to a role; principals belong in trust and resource policies",
        "error: Web: add_to_policy = s3:GetObject on an existing role: statements on roles this app creates; attach a policy where the existing role is defined",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
}

#[test]
fn a_github_actions_role_trusts_one_repository_on_named_branches_and_environments() {
    use construct_lib::iam::{GithubActionsRole, GithubOidcProvider};
    let mut app = App::new();
    let stack = app.stack("Ci");
    let github = GithubOidcProvider::create(stack, "GitHub");
    let deployer = GithubActionsRole::builder(&github, "example-org/web")
        .branch("main")
        .environment("production")
        .build(stack, "Deployer");
    let existing = GithubOidcProvider::from_arn(
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
    GithubActionsRole::builder(&existing, "example-org/web")
        .environment("staging")
        .build(stack, "Staging");
    let template = Template::from_app(&app, "Ci");
    let provider = template.find_resources(
        "AWS::IAM::OIDCProvider",
        construct_lib::assertions::Match::any_value(),
    );
    let (provider_id, provider) = provider.iter().next().expect("one provider");
    assert_eq!(
        provider["Properties"],
        json!({"ClientIdList": ["sts.amazonaws.com"], "Url": "https://token.actions.githubusercontent.com"})
    );
    let roles = &template.to_json()["Resources"];
    let role_id = template.logical_id(deployer.resource().expect("created"));
    assert_eq!(
        roles[&role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": [
                    "repo:example-org/web:ref:refs/heads/main",
                    "repo:example-org/web:environment:production",
                ],
            }},
            "Effect": "Allow",
            "Principal": {"Federated": {"Ref": provider_id}},
        }])
    );
    let staging = roles
        .as_object()
        .expect("resources")
        .iter()
        .find(|(id, _)| id.starts_with("Staging"))
        .map(|(_, role)| role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0].clone())
        .expect("the staging role");
    assert_eq!(
        staging["Principal"],
        json!({"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"})
    );
}

#[test]
fn a_github_actions_role_refuses_wide_trust() {
    use construct_lib::iam::{GithubActionsRole, GithubOidcProvider};
    let mut app = App::new();
    let stack = app.stack("Ci");
    let github = GithubOidcProvider::create(stack, "GitHub");
    GithubActionsRole::builder(&github, "example-org").build(stack, "NoBranch");
    GithubActionsRole::builder(&github, "example-org/web")
        .branch("*")
        .environment("")
        .build(stack, "Wildcard");
    let text = synthesize(&app).expect_err("invalid").to_string();
    let lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    assert_eq!(
        lines,
        [
            "error: Ci/NoBranch: branch or environment = none: at least one branch or environment: a role that every workflow of the repository can assume (any branch, any pull request) is too wide",
            "error: Ci/NoBranch: repository = \"example-org\": owner/name (letters, digits, - _ .), as GitHub writes it",
            "error: Ci/Wildcard: branch or environment = \"repo:example-org/web:environment:\": an exact branch or environment name (no wildcard, not empty)",
            "error: Ci/Wildcard: branch or environment = \"repo:example-org/web:ref:refs/heads/*\": an exact branch or environment name (no wildcard, not empty)",
        ],
        "{text}"
    );
}

#[test]
fn a_created_github_provider_is_kept_and_the_accounts_provider_is_derived() {
    use construct_lib::iam::{GithubActionsRole, GithubOidcProvider};
    let mut app = App::new();
    let stack = app.stack("Ci");
    GithubOidcProvider::create(stack, "GitHub");
    let existing = GithubOidcProvider::of_account();
    GithubActionsRole::builder(&existing, "example-org/web")
        .branch("main")
        .build(stack, "Deployer");
    let template = Template::from_app(&app, "Ci");
    let resources = &template.to_json()["Resources"];
    let (_, provider) = resources
        .as_object()
        .expect("resources")
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::IAM::OIDCProvider")
        .expect("a provider");
    assert_eq!(provider["DeletionPolicy"], "Retain");
    assert_eq!(provider["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        template.value_of(&existing.arn()),
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"})
    );
}
