//! OpenSearch domains: secure defaults (in the VPC, encrypted, HTTPS with a modern TLS
//! policy), nodes and zones, fine-grained access control, logs with their resource policy,
//! grants, and every rule.

use construct_lib::assertions::{Match, Template};
use construct_lib::ec2::{Port, SecurityGroup, SubnetSelection, SubnetType, Vpc};
use construct_lib::iam::{PolicyStatement, Principal, Role};
use construct_lib::kms::Key;
use construct_lib::opensearchservice::{Domain, EngineVersion, LogType, MasterUser};
use construct_lib::{App, synthesize};
use serde_json::json;

fn errors(app: &App) -> String {
    synthesize(app).expect_err("invalid app").to_string()
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

#[test]
fn defaults_are_private_encrypted_and_https_only() {
    let mut app = App::new();
    let stack = app.stack("Search");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let domain = Domain::builder(&vpc).build(stack, "Search");
    let template = Template::from_app(&app, "Search");
    let private = vpc
        .select_subnets(&SubnetSelection::Type(SubnetType::PrivateWithEgress))
        .expect("private");
    template.has_resource(
        "AWS::OpenSearchService::Domain",
        json!({"Properties": {
            "EngineVersion": "OpenSearch_2.19",
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "r6g.large.search",
                              "DedicatedMasterEnabled": false, "ZoneAwarenessEnabled": false},
            "EBSOptions": {"EBSEnabled": true, "VolumeSize": 10, "VolumeType": "gp3"},
            "EncryptionAtRestOptions": {"Enabled": true},
            "NodeToNodeEncryptionOptions": {"Enabled": true},
            "DomainEndpointOptions": {"EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
            "VPCOptions": {"SubnetIds": [template.value_of(&private[0].subnet_id())]}},
            "DeletionPolicy": "Retain"}),
    );
    template.has_resource_properties(
        "AWS::OpenSearchService::Domain",
        Match::object_like([
            ("AccessPolicies", Match::absent()),
            ("AdvancedSecurityOptions", Match::absent()),
        ]),
    );
    assert_eq!(
        template.value_of(&domain.endpoint()),
        template.get_att(domain.resource(), "DomainEndpoint")
    );
    assert_eq!(domain.connections().default_port(), Some(Port::tcp(443)));
}

#[test]
fn zone_aware_domain_with_masters_fgac_logs_and_grants() {
    let mut app = App::new();
    let stack = app.stack("Search");
    let vpc = Vpc::builder().max_azs(3).build(stack, "Vpc");
    let key = Key::builder().build(stack, "Key");
    let api_role =
        Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "ApiRole");
    let domain = Domain::builder(&vpc)
        .engine_version(EngineVersion::opensearch("2.17"))
        .domain_name("gitana-search")
        .data_nodes(3, "r6g.xlarge.search")
        .dedicated_masters(3, "m6g.large.search")
        .zone_awareness(3)
        .ebs_volume_gib(100)
        .kms_key(&key)
        .fine_grained_access_control(MasterUser::GeneratedSecret {
            username: "admin".into(),
        })
        .log(LogType::SearchSlowLogs)
        .log(LogType::ApplicationLogs)
        .log(LogType::AuditLogs)
        .build(stack, "Search");
    domain.grant_read_write(stack, &api_role);
    let api = SecurityGroup::builder(&vpc).build(stack, "Api");
    domain.connections().allow_default_port_from(stack, &api);
    let template = Template::from_app(&app, "Search");
    let secret = domain.master_user_secret().expect("generated");
    template.has_resource_properties(
        "AWS::OpenSearchService::Domain",
        json!({
            "DomainName": "gitana-search", "EngineVersion": "OpenSearch_2.17",
            "ClusterConfig": {"InstanceCount": 3, "InstanceType": "r6g.xlarge.search",
                "DedicatedMasterEnabled": true, "DedicatedMasterCount": 3, "DedicatedMasterType": "m6g.large.search",
                "ZoneAwarenessEnabled": true, "ZoneAwarenessConfig": {"AvailabilityZoneCount": 3}},
            "EncryptionAtRestOptions": {"Enabled": true, "KmsKeyId": template.value_of(&key.key_id())},
            "AdvancedSecurityOptions": {"Enabled": true, "InternalUserDatabaseEnabled": true,
                "MasterUserOptions": {"MasterUserName": "admin", "MasterUserPassword": {"Fn::Join": ["", [
                    "{{resolve:secretsmanager:", template.value_of(&secret.arn()), ":SecretString:password::}}"]]}}},
            "AccessPolicies": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "es:ESHttp*",
                "Principal": {"AWS": "*"},
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/gitana-search/*"}}]},
        }),
    );
    // The generated password meets OpenSearch's policy (upper, lower, digit, special).
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        json!({"GenerateSecretString": {"ExcludePunctuation": false, "RequireEachIncludedType": true,
               "ExcludeCharacters": "\"'\\/@`{}[]()*", "GenerateStringKey": "password",
               "SecretStringTemplate": "{\"username\":\"admin\"}"}}),
    );
    assert_three_logs_published_through_a_scoped_policy(&template);
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{"Action": ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpDelete",
            "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpPatch"], "Effect": "Allow",
            "Resource": [template.value_of(&domain.arn()), {"Fn::Join": ["", [template.value_of(&domain.arn()), "/*"]]}]}]}}),
    );
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"FromPort": 443, "ToPort": 443, "IpProtocol": "tcp",
               "SourceSecurityGroupId": template.value_of(&api.group_id())}),
    );
    let subnets = template.find_resources("AWS::OpenSearchService::Domain", Match::any_value());
    let ids = &subnets.values().next().expect("domain")["Properties"]["VPCOptions"]["SubnetIds"];
    assert_eq!(
        ids.as_array().map(Vec::len),
        Some(3),
        "one subnet per zone: {ids}"
    );
}

/// The domain's three log groups, the resource policy that admits this account's domains
/// only, the domain waiting for it, and each log published.
fn assert_three_logs_published_through_a_scoped_policy(template: &Template) {
    template.resource_count_is("AWS::Logs::LogGroup", 3);
    let policy = template.logical_id_like("SearchLogsPolicy*");
    template.has_resource_properties(
        "AWS::Logs::ResourcePolicy",
        json!({"PolicyName": {"Fn::Sub": "${AWS::StackName}-SearchSearch-logs"},
               "PolicyDocument": {"Statement": [{"Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                   "Principal": {"Service": "es.amazonaws.com"},
                   "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                       "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/*"}}}}]}}),
    );
    template.has_resource(
        "AWS::OpenSearchService::Domain",
        json!({"DependsOn": [policy]}),
    );
    template.has_resource_properties(
        "AWS::OpenSearchService::Domain",
        Match::object_like([(
            "LogPublishingOptions",
            Match::object_like([
                (
                    "SEARCH_SLOW_LOGS",
                    Match::object_like([("Enabled", Match::exact(true))]),
                ),
                (
                    "ES_APPLICATION_LOGS",
                    Match::object_like([("Enabled", Match::exact(true))]),
                ),
                (
                    "AUDIT_LOGS",
                    Match::object_like([("Enabled", Match::exact(true))]),
                ),
            ]),
        )]),
    );
}

#[test]
fn a_role_as_master_user_and_an_access_policy_statement() {
    let mut app = App::new();
    let stack = app.stack("Search");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let admin = Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "Admin");
    Domain::builder(&vpc)
        .fine_grained_access_control(MasterUser::Role(admin.clone()))
        .access_policy_statement(
            PolicyStatement::allow()
                .action("es:ESHttpGet")
                .principal(Principal::Aws(admin.arn()))
                .resource("*"),
        )
        .build(stack, "Search");
    let template = Template::from_app(&app, "Search");
    template.has_resource_properties(
        "AWS::OpenSearchService::Domain",
        json!({"AdvancedSecurityOptions": {"Enabled": true, "InternalUserDatabaseEnabled": false,
               "MasterUserOptions": {"MasterUserARN": template.value_of(&admin.arn())}},
               "AccessPolicies": {"Statement": [{"Action": "es:ESHttpGet"}, {"Action": "es:ESHttp*",
                   "Resource": {"Fn::Sub": "arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/*/*"}}]}}),
    );
    template.resource_count_is("AWS::SecretsManager::Secret", 0);
}

#[test]
fn every_rule_is_reported() {
    let mut app = App::new();
    let stack = app.stack("Search");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    Domain::builder(&vpc)
        .domain_name("Gitana")
        .engine_version(EngineVersion::opensearch("latest"))
        .data_nodes(3, "r6g.large")
        .dedicated_masters(2, "m6g.large.search")
        .zone_awareness(2)
        .ebs_volume_gib(5)
        .encryption_at_rest(false)
        .node_to_node_encryption(false)
        .enforce_https(false)
        .kms_key(&Key::from_arn("arn:aws:kms:eu-west-1:123456789012:key/abc"))
        .tls_security_policy("TLS-1-0")
        .fine_grained_access_control(MasterUser::GeneratedSecret {
            username: "admin".into(),
        })
        .access_policy_statement(
            PolicyStatement::allow()
                .action("es:ESHttpGet")
                .resource("*"),
        )
        .build(stack, "Search");
    Domain::builder(&vpc)
        .zone_awareness(3)
        .data_nodes(3, "r6g.large.search")
        .build(stack, "ThreeZones");
    Domain::builder(&vpc)
        .log(LogType::AuditLogs)
        .zone_awareness(4)
        .build(stack, "Audit");
    Domain::builder(&vpc)
        .data_nodes(0, "r6g.large.search")
        .dedicated_masters(3, "m6g.large")
        .build(stack, "Empty");
    let text = errors(&app);
    for expected in [
        "error: Search/Search: domain_name = \"Gitana\": 3 to 28 lowercase letters, digits and hyphens, starting with a letter",
        "error: Search/Search: engine_version = \"latest\": major.minor (`2.19`)",
        "error: Search/Search: data_nodes = \"r6g.large\": an OpenSearch instance type: <family>.<size>.search",
        "error: Search/Search: dedicated_masters = 2 nodes: 3 or 5 nodes",
        "error: Search/Search: data_nodes = 3 nodes over 2 zones: a multiple of 2",
        "error: Search/Search: ebs_volume_gib = 5 GiB: 10 to 24576 GiB",
        "error: Search/Search: encryption_at_rest = false: true when fine-grained access control is on",
        "error: Search/Search: node_to_node_encryption = false: true when fine-grained access control is on",
        "error: Search/Search: enforce_https = false: true when fine-grained access control is on",
        "error: Search/Search: kms_key = a key: only together with encryption_at_rest(true)",
        "error: Search/Search: tls_security_policy = \"TLS-1-0\": a TLS policy name such as Policy-Min-TLS-1-2-PFS-2023-10",
        "error: Search/Search: access_policy_statement[0] = es:ESHttpGet: a statement with a principal",
        "error: Search/ThreeZones: vpc_subnets = the default subnets: 2 subnet(s): a subnet in each of the 3 zones of zone_awareness(3)",
        "error: Search/Audit: log = AuditLogs: only together with fine_grained_access_control(...)",
        "error: Search/Audit: zone_awareness = 4 zones: 2 to 3 zones",
        "error: Search/Empty: data_nodes = 0 nodes: 1 to 80 nodes",
        "error: Search/Empty: dedicated_masters = \"m6g.large\": an OpenSearch instance type",
    ] {
        assert_has(&text, expected);
    }
}
