//! The rule pack: each rule's finding on the smallest resource that has it (and not on the
//! fixed resource), suppressions with their reasons written for checkov and cfn-lint, and
//! every mistake in a suppression.

use construct_lib::cfn::{ec2, sns};
use construct_lib::rules::{self, Severity};
use construct_lib::{App, Scope, synthesize};
use serde_json::{Value as Json, json};

/// The rules that find something on a template of `resources`, with what they found.
fn found(resources: Json) -> Vec<(&'static str, String)> {
    let template = json!({"Resources": resources});
    rules::check("Test", &template)
        .into_iter()
        .map(|f| (f.rule, f.detail))
        .collect()
}

fn one(resource_type: &str, properties: Json) -> Vec<(&'static str, String)> {
    found(json!({"R": {"Type": resource_type, "Properties": properties}}))
}

fn has(found: &[(&'static str, String)], rule: &str, detail: &str) -> bool {
    found.iter().any(|(r, d)| *r == rule && d == detail)
}

fn rules_of(found: &[(&'static str, String)]) -> Vec<&'static str> {
    found.iter().map(|(r, _)| *r).collect()
}

#[test]
fn iam_rules_find_administrators_writes_on_everything_and_open_trust() {
    let policy = |action: Json, resource: Json| {
        one(
            "AWS::IAM::Policy",
            json!({"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}}),
        )
    };
    assert!(has(
        &policy(json!("*"), json!("*")),
        "IAM1",
        "Action `*` on Resource `*`"
    ));
    let writes = policy(
        json!(["s3:PutObject", "s3:GetObject", "ecr:GetAuthorizationToken"]),
        json!("*"),
    );
    assert_eq!(
        writes,
        [("IAM2", "s3:PutObject on Resource `*`".to_owned())]
    );
    assert!(policy(json!("s3:PutObject"), json!("arn:aws:s3:::b/*")).is_empty());
    let narrowed = one(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "ecs:Poll", "Resource": "*",
            "Condition": {"ArnEquals": {"ecs:cluster": "arn:aws:ecs:eu-west-1:1:cluster/c"}}}]}}),
    );
    assert!(narrowed.is_empty(), "a condition narrows `*`: {narrowed:?}");
    let role = one(
        "AWS::IAM::Role",
        json!({"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}),
    );
    assert_eq!(
        role,
        [("IAM3", "Principal `*` in the trust policy".to_owned())]
    );
}

#[test]
fn network_rules_find_ports_open_to_the_internet_and_vpcs_without_flow_logs() {
    let ingress = |from: i64, to: i64| {
        one(
            "AWS::EC2::SecurityGroupIngress",
            json!({"IpProtocol": "tcp", "FromPort": from, "ToPort": to, "CidrIp": "0.0.0.0/0", "GroupId": "sg-1"}),
        )
    };
    assert_eq!(
        ingress(22, 22),
        [("SG1", "port 22 from anywhere".to_owned())]
    );
    assert_eq!(
        ingress(80, 80),
        [("SG2", "port 80 from anywhere".to_owned())]
    );
    assert!(ingress(443, 443).is_empty());
    assert_eq!(
        ingress(5432, 5432),
        [("SG3", "port 5432 from anywhere".to_owned())]
    );
    let group = one(
        "AWS::EC2::SecurityGroup",
        json!({"GroupDescription": "g", "SecurityGroupIngress": [{"IpProtocol": "-1", "CidrIpv6": "::/0"}]}),
    );
    assert_eq!(rules_of(&group), ["SG1", "SG2", "SG3"]);
    assert!(has(&group, "SG3", "every port from anywhere"));
    let vpc = json!({"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}});
    assert_eq!(
        found(json!({"Vpc": vpc})),
        [("VPC1", "no AWS::EC2::FlowLog names it".to_owned())]
    );
    let logged = found(
        json!({"Vpc": vpc, "Log": {"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceId": {"Ref": "Vpc"}, "ResourceType": "VPC"}}}),
    );
    assert!(logged.is_empty(), "{logged:?}");
}

#[test]
fn load_balancing_rules_find_plain_http_old_tls_and_missing_logs() {
    let listener = |properties: Json| one("AWS::ElasticLoadBalancingV2::Listener", properties);
    assert_eq!(
        listener(json!({"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "forward"}]})),
        [("ELB1", "HTTP on port 80".to_owned())]
    );
    assert!(listener(json!({"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS"}}]})).is_empty());
    assert_eq!(
        listener(json!({"Protocol": "HTTPS", "Port": 443})),
        [("ELB2", "no SslPolicy (ELB's default)".to_owned())]
    );
    assert_eq!(
        listener(json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-2016-08"})),
        [("ELB2", "SslPolicy ELBSecurityPolicy-2016-08".to_owned())]
    );
    assert!(
        listener(json!({"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}))
            .is_empty()
    );
    let lb = one("AWS::ElasticLoadBalancingV2::LoadBalancer", json!({}));
    assert_eq!(rules_of(&lb), ["ELB3", "ELB4"]);
    let fixed = one(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        json!({"LoadBalancerAttributes": [
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
        ]}),
    );
    assert!(fixed.is_empty());
}

#[test]
fn ecs_rules_find_risky_containers_host_networking_and_clusters_without_insights() {
    let task = one(
        "AWS::ECS::TaskDefinition",
        json!({"ContainerDefinitions": [
            {"Name": "app", "Privileged": true, "Environment": [{"Name": "DB_PASSWORD", "Value": "x"}, {"Name": "PORT", "Value": "80"}]},
            {"Name": "sidecar", "LogConfiguration": {"LogDriver": "awslogs"}},
        ]}),
    );
    assert_eq!(
        task,
        [
            ("ECS1", "privileged: app".to_owned()),
            ("ECS2", "environment app DB_PASSWORD".to_owned()),
            ("ECS3", "no LogConfiguration: app".to_owned()),
        ]
    );
    assert_eq!(
        one("AWS::ECS::Cluster", json!({})),
        [("ECS4", "containerInsights is not enabled".to_owned())]
    );
    assert!(
        one(
            "AWS::ECS::Cluster",
            json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]})
        )
        .is_empty()
    );
    let network = |mode: &str| {
        one(
            "AWS::ECS::TaskDefinition",
            json!({"NetworkMode": mode, "ContainerDefinitions": [{"Name": "app", "LogConfiguration": {"LogDriver": "awslogs"}}]}),
        )
    };
    assert_eq!(network("host"), [("ECS5", "NetworkMode host".to_owned())]);
    assert!(network("awsvpc").is_empty());
}

#[test]
fn image_and_instance_rules_find_unscanned_repositories_and_exposed_instances() {
    assert_eq!(
        rules_of(&one("AWS::ECR::Repository", json!({}))),
        ["ECR1", "ECR2", "ECR3"]
    );
    assert!(one("AWS::ECR::Repository", json!({"ImageScanningConfiguration": {"ScanOnPush": true}, "ImageTagMutability": "IMMUTABLE", "EncryptionConfiguration": {"EncryptionType": "KMS"}})).is_empty());
    assert_eq!(
        one(
            "AWS::EC2::LaunchTemplate",
            json!({"LaunchTemplateData": {}})
        ),
        [(
            "EC2-1",
            "MetadataOptions.HttpTokens is not required".to_owned()
        )]
    );
    let template = |data: Json| {
        let mut data = data;
        data["MetadataOptions"] = json!({"HttpTokens": "required"});
        one(
            "AWS::EC2::LaunchTemplate",
            json!({"LaunchTemplateData": data}),
        )
    };
    assert_eq!(
        template(json!({"BlockDeviceMappings": [
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}},
            {"DeviceName": "/dev/xvdb", "Ebs": {"Encrypted": true}}]})),
        [("EC2-2", "/dev/xvda not encrypted".to_owned())]
    );
    assert_eq!(
        template(
            json!({"NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": true}]})
        ),
        [("EC2-3", "AssociatePublicIpAddress true".to_owned())]
    );
    assert!(template(json!({"BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true}}]})).is_empty());
}

#[test]
fn a_symmetric_key_without_rotation_is_found() {
    assert_eq!(
        one("AWS::KMS::Key", json!({"KeyPolicy": {}})),
        [("KMS1", "EnableKeyRotation is not true".to_owned())]
    );
    assert!(one("AWS::KMS::Key", json!({"EnableKeyRotation": true})).is_empty());
    assert!(
        one(
            "AWS::KMS::Key",
            json!({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})
        )
        .is_empty()
    );
}

#[test]
fn messaging_rules_find_unencrypted_topics_queues_and_logs() {
    assert_eq!(
        one("AWS::SNS::Topic", json!({})),
        [("SNS1", "no KmsMasterKeyId".to_owned())]
    );
    assert!(one("AWS::SNS::Topic", json!({"KmsMasterKeyId": {"Ref": "Key"}})).is_empty());
    assert_eq!(
        one("AWS::SQS::Queue", json!({"SqsManagedSseEnabled": true})),
        [("SQS1", "SQS-managed encryption only".to_owned())]
    );
    assert_eq!(
        one("AWS::Logs::LogGroup", json!({})),
        [
            ("LOGS1", "no KmsKeyId".to_owned()),
            ("LOGS2", "no RetentionInDays".to_owned())
        ]
    );
}

#[test]
fn data_rules_find_buckets_secrets_databases_search_domains_and_deployments() {
    assert_eq!(
        rules_of(&one("AWS::S3::Bucket", json!({}))),
        ["S3-1", "S3-2"]
    );
    assert!(has(
        &one(
            "AWS::S3::Bucket",
            json!({"LoggingConfiguration": {}, "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true}})
        ),
        "S3-2",
        "RestrictPublicBuckets not true"
    ));
    assert_eq!(
        one(
            "AWS::SecretsManager::Secret",
            json!({"KmsKeyId": "alias/aws/secretsmanager"})
        ),
        [("SM1", "KmsKeyId alias/aws/secretsmanager".to_owned())]
    );
    assert!(
        one(
            "AWS::SecretsManager::Secret",
            json!({"KmsKeyId": {"Ref": "Key"}})
        )
        .is_empty()
    );
    assert_eq!(
        one("AWS::DocDB::DBCluster", json!({"BackupRetentionPeriod": 3})),
        [
            ("DOCDB1", "BackupRetentionPeriod 3".to_owned()),
            ("DOCDB2", "StorageEncrypted is not true".to_owned())
        ]
    );
    assert_eq!(
        one(
            "AWS::OpenSearchService::Domain",
            json!({"EncryptionAtRestOptions": {"Enabled": true}})
        ),
        [
            ("OS1", "AUDIT_LOGS not published".to_owned()),
            ("OS2", "not encrypted between nodes".to_owned())
        ]
    );
    assert_eq!(
        one(
            "AWS::CodeDeploy::DeploymentGroup",
            json!({"AutoRollbackConfiguration": {"Enabled": true, "Events": ["DEPLOYMENT_STOP_ON_ALARM"]}})
        ),
        [(
            "CD1",
            "AutoRollbackConfiguration does not roll back on DEPLOYMENT_FAILURE".to_owned()
        )]
    );
}

#[test]
fn every_rule_has_an_id_a_title_a_reason_and_a_fix_and_ids_are_unique() {
    let mut ids: Vec<&str> = rules::all().map(|r| r.id).collect();
    assert!(ids.len() >= 30, "{ids:?}");
    for rule in rules::all() {
        assert!(
            !rule.title.is_empty() && !rule.why.is_empty() && !rule.fix.is_empty(),
            "{}",
            rule.id
        );
        assert!(!rule.resource_types.is_empty(), "{}", rule.id);
    }
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate rule ids");
}

/// An app whose stack `Web` holds an SNS topic and a security group open on SSH.
fn app(suppress: impl FnOnce(&mut construct_lib::Stack)) -> App {
    let mut app = App::new();
    let stack = app.stack("Web");
    let mut parts = stack.scope("Parts");
    parts.add("Topic", sns::Topic::new());
    parts.add(
        "Ssh",
        ec2::SecurityGroupIngress::new("tcp")
            .from_port(22)
            .to_port(22)
            .cidr_ip("0.0.0.0/0")
            .group_id("sg-12345678"),
    );
    suppress(stack);
    app
}

#[test]
fn an_error_finding_stops_synthesis_with_the_rule_why_and_fix() {
    let text = synthesize(&app(|_| {})).expect_err("SSH open").to_string();
    assert!(
        text.contains("error: Web/Parts/Ssh: rule SG1 (SSH or RDP open to the internet) = port 22 from anywhere: administration ports reachable from anywhere are scanned and attacked within minutes: allow the ports from a bastion, a VPN range or SSM Session Manager instead; or accept it with suppress(\"SG1\", reason)"),
        "{text}"
    );
}

#[test]
fn a_suppression_of_a_rule_no_scanner_shares_leaves_the_template_alone() {
    let mut app = App::new();
    let stack = app.stack("Web");
    stack.add(
        "Task",
        construct_lib::cfn::ecs::TaskDefinition::new().network_mode("host"),
    );
    stack.suppress_under("Task", "ECS5", "a daemon that reads the host's metrics");
    let assembly = synthesize(&app).expect("accepted");
    let task = &assembly.stacks[0].template["Resources"]["Task"];
    assert!(task.get("Metadata").is_none(), "{task}");
    assert_eq!(
        assembly.findings[0].suppressed.as_deref(),
        Some("a daemon that reads the host's metrics")
    );
}

#[test]
fn a_suppression_with_a_reason_is_written_where_checkov_and_cfn_lint_read_it() {
    let assembly = synthesize(&app(|stack| {
        stack.suppress_under("Parts/Ssh", "SG1", "a bastion test range, deleted nightly");
        stack.suppress("SNS1", "alarm notifications only");
    }))
    .expect("accepted");
    let template = &assembly.stacks[0].template;
    let resources = template["Resources"].as_object().expect("resources");
    let ssh = resources
        .iter()
        .find(|(id, _)| id.starts_with("PartsSsh"))
        .map(|(_, r)| r)
        .expect("ssh");
    assert_eq!(
        ssh["Metadata"]["checkov"]["skip"],
        json!([
            {"id": "CKV_AWS_24", "comment": "SG1: a bastion test range, deleted nightly"},
            {"id": "CKV_AWS_25", "comment": "SG1: a bastion test range, deleted nightly"},
        ])
    );
    let topic = resources
        .iter()
        .find(|(id, _)| id.starts_with("PartsTopic"))
        .map(|(_, r)| r)
        .expect("topic");
    assert_eq!(topic["Metadata"]["checkov"]["skip"][0]["id"], "CKV_AWS_26");
    let accepted: Vec<(&str, Option<&str>, Severity)> = assembly
        .findings
        .iter()
        .map(|f| (f.rule, f.suppressed.as_deref(), f.severity))
        .collect();
    assert_eq!(
        accepted,
        [
            (
                "SG1",
                Some("a bastion test range, deleted nightly"),
                Severity::Error
            ),
            ("SNS1", Some("alarm notifications only"), Severity::Warning),
        ]
    );
}

#[test]
fn a_suppression_without_reason_of_an_unknown_rule_or_path_is_an_error() {
    let text = synthesize(&app(|stack| {
        stack.suppress("SG1", "  ");
        stack.suppress("NOPE1", "because");
        stack.suppress_under("Parts/Missing", "SNS1", "because");
        stack.suppress("SNS1", "see checkov:skip=CKV_AWS_26:x");
    }))
    .expect_err("invalid suppressions")
    .to_string();
    for expected in [
        "error: Web: suppress(\"SG1\") = no reason: a reason: why the finding is accepted here (it is written into the template for the scanners)",
        "error: Web: suppress(\"NOPE1\") = \"NOPE1\": a rule of the pack: IAM1,",
        "error: Web: suppress(\"SNS1\") = \"Web/Parts/Missing\": the path of a construct under Web that has resources",
        "error: Web: suppress(\"SNS1\") = \"see checkov:skip=CKV_AWS_26:x\": a reason without `checkov:skip` (checkov reads that text anywhere in a resource as a suppression of its own)",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}

#[test]
fn a_suppression_that_covers_no_finding_is_a_warning() {
    let assembly = synthesize(&app(|stack| {
        stack.suppress_under("Parts/Ssh", "SG1", "a bastion test range, deleted nightly");
        stack.suppress_under("Parts/Topic", "ECS1", "no container here");
    }))
    .expect("valid");
    let warnings: Vec<String> = assembly.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: Web/Parts/Topic: suppress(ECS1) = covers no finding: a suppression of a rule that finds something at or under this construct: remove it, or check the path"
        ]
    );
}

#[test]
fn the_template_assertion_lists_the_findings_not_accepted() {
    use construct_lib::assertions::Template;
    let template =
        Template::from_json(json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}));
    assert_eq!(template.findings().len(), 1);
    let message = std::panic::catch_unwind(|| template.assert_no_findings())
        .expect_err("a finding")
        .downcast::<String>()
        .map(|m| *m)
        .unwrap_or_default();
    assert_eq!(
        message,
        "stack template: 1 finding(s) not accepted:\n  Topic: SNS1 a topic without KMS encryption: no KmsMasterKeyId (Topic builder: encryption_key(&key) (a customer key: CloudWatch alarms cannot publish to a topic under AWS's aws/sns key))"
    );
}
