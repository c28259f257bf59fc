//! Scenario 2 (Gitana): what its two stacks must contain in each environment, the security
//! properties a production review looks for, its configuration files and their schema,
//! and a check over every task definition of the repository: no secret-looking value in
//! plain environment.

use construct_lib::assertions::{Match, Template};
use construct_lib::synthesize;
use serde_json::{Value as Json, json};
use stacks::config::{ScenarioConfig, config_dir};
use stacks::gitana::config::GitanaConfig;

fn template(env: &str, stack: &str) -> Template {
    Template::from_app(&stacks::app_for(env).expect("config loads"), stack)
}

/// The logical id of the one resource of `resource_type` whose id starts with `prefix`.
fn id_of(template: &Template, resource_type: &str, prefix: &str) -> String {
    let ids: Vec<String> = template
        .find_resources(resource_type, Match::any_value())
        .into_keys()
        .filter(|id| id.starts_with(prefix))
        .collect();
    assert_eq!(ids.len(), 1, "{resource_type} {prefix}: {ids:?}");
    ids[0].clone()
}

/// `{"Fn::ImportValue": "GitanaData:<logical id>:<attribute>"}`.
fn import_of(data: &Template, resource_type: &str, prefix: &str, attribute: &str) -> Json {
    json!({"Fn::ImportValue": format!("GitanaData:{}:{attribute}", id_of(data, resource_type, prefix))})
}

#[test]
fn dev_has_every_element_of_the_scenario() {
    let data = template("dev", "GitanaData");
    let services = template("dev", "GitanaServices");
    assert_data_stores(&data);
    assert_services_connected(&services);
    assert_api_configured_and_signed_in(&services, &data);
    for output in ["ApiUrl", "UiUrl", "AvUrl"] {
        services.has_output(output, Match::any_value());
    }
    services.resource_count_is("AWS::Route53::RecordSet", 0);
}

/// The network, DocumentDB, OpenSearch, the buckets and the topic's queue of dev.
fn assert_data_stores(data: &Template) {
    data.resource_count_is("AWS::EC2::Subnet", 6);
    data.resource_count_is("AWS::EC2::NatGateway", 1);
    data.resource_count_is("AWS::DocDB::DBInstance", 1);
    data.has_resource_properties(
        "AWS::DocDB::DBClusterParameterGroup",
        json!({"Parameters": {"tls": "enabled"}}),
    );
    data.has_resource(
        "AWS::DocDB::DBCluster",
        json!({"Properties": {"StorageEncrypted": true, "DeletionProtection": false, "BackupRetentionPeriod": 7},
               "DeletionPolicy": "Snapshot"}),
    );
    data.has_resource_properties(
        "AWS::OpenSearchService::Domain",
        json!({"ClusterConfig": {"InstanceCount": 1, "InstanceType": "t3.medium.search", "ZoneAwarenessEnabled": false},
               "EncryptionAtRestOptions": {"Enabled": true}, "NodeToNodeEncryptionOptions": {"Enabled": true},
               "DomainEndpointOptions": {"EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
               "AdvancedSecurityOptions": {"Enabled": true}}),
    );
    data.resource_count_is("AWS::S3::Bucket", 2);
    data.resource_count_is("AWS::S3::BucketPolicy", 2);
    data.has_resource_properties(
        "AWS::S3::Bucket",
        json!({"VersioningConfiguration": {"Status": "Enabled"},
               "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
                   "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
               "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}),
    );
    data.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({"Protocol": "sqs", "RawMessageDelivery": true}),
    );
    data.has_output("DatabaseEndpoint", Match::any_value());
    data.has_output("SearchEndpoint", Match::any_value());
}

/// Five services reaching each other by short names through Service Connect.
fn assert_services_connected(services: &Template) {
    services.resource_count_is("AWS::ECS::Service", 5);
    services.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 3);
    services.resource_count_is("AWS::IAM::Role", 2);
    services.has_resource_properties(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        json!({"Name": "gitana.local"}),
    );
    for name in ["api", "ui", "av", "clamav"] {
        services.has_resource_properties(
            "AWS::ECS::Service",
            json!({"ServiceConnectConfiguration": {"Enabled": true, "Services": [{"DiscoveryName": name}]}}),
        );
    }
    // The worker is a client only; ClamAV has no load balancer.
    services.has_resource_properties(
        "AWS::ECS::Service",
        Match::object_like([
            (
                "ServiceConnectConfiguration",
                Match::object_like([("Services", Match::absent())]),
            ),
            ("LoadBalancers", Match::absent()),
        ]),
    );
}

/// The API's and the worker's configuration, secrets and security group.
fn assert_api_configured_and_signed_in(services: &Template, data: &Template) {
    // The API's init container copies its configuration into the volume the API reads.
    services.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"Volumes": [{"Name": "config"}], "ContainerDefinitions": [
            {"Name": "init", "Essential": false, "MountPoints": [{"SourceVolume": "config", "ReadOnly": false}],
             "EntryPoint": ["sh", "-c"],
             "Environment": [{"Name": "CONFIG_BUCKET", "Value": import_of(data, "AWS::S3::Bucket", "Config", "Ref")}]},
            {"Name": "api", "DependsOn": [{"ContainerName": "init", "Condition": "SUCCESS"}],
             "MountPoints": [{"SourceVolume": "config", "ReadOnly": true}]}]}),
    );
    // The API signs in to the database and to OpenSearch with secrets read by field.
    services.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        Match::object_like([(
            "ContainerDefinitions",
            Match::array_with([Match::object_like([
                ("Name", Match::exact("api")),
                (
                    "Secrets",
                    Match::array_with([
                        Match::object_like([("Name", Match::exact("DB_PASSWORD"))]),
                        Match::object_like([("Name", Match::exact("SEARCH_PASSWORD"))]),
                        Match::object_like([("Name", Match::exact("LICENSE"))]),
                    ]),
                ),
            ])]),
        )]),
    );
    // The worker runs the API's image: it gets the same configuration, and its group
    // (the API's) may reach the API.
    services.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"Volumes": [{"Name": "config"}], "ContainerDefinitions": [
            {"Name": "init"}, {"Name": "api-worker", "DependsOn": [{"ContainerName": "init", "Condition": "SUCCESS"}]}]}),
    );
    let api_group = json!({"Fn::GetAtt": [id_of(services, "AWS::EC2::SecurityGroup", "ApiSecurityGroup"), "GroupId"]});
    services.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"GroupId": api_group, "SourceSecurityGroupId": api_group, "FromPort": 8080, "ToPort": 8080}),
    );
}

#[test]
fn prod_spreads_over_three_zones_protects_the_data_and_names_the_services() {
    let data = template("prod", "GitanaData");
    let services = template("prod", "GitanaServices");
    data.resource_count_is("AWS::EC2::NatGateway", 3);
    data.resource_count_is("AWS::DocDB::DBInstance", 3);
    data.has_resource_properties(
        "AWS::DocDB::DBCluster",
        json!({"DeletionProtection": true, "BackupRetentionPeriod": 14}),
    );
    data.has_resource_properties(
        "AWS::OpenSearchService::Domain",
        json!({"ClusterConfig": {"InstanceCount": 3, "DedicatedMasterCount": 3,
               "ZoneAwarenessEnabled": true, "ZoneAwarenessConfig": {"AvailabilityZoneCount": 3}},
               "EBSOptions": {"VolumeSize": 100}}),
    );
    services.resource_count_is("AWS::Route53::RecordSet", 3);
    services.has_resource_properties(
        "AWS::Route53::RecordSet",
        json!({"Name": "api.gitana.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ"}),
    );
    services.has_output(
        "ApiUrl",
        json!({"Value": {"Fn::Join": ["", ["http://", "api.gitana.example.com"]]}}),
    );
}

#[test]
fn the_database_and_the_domain_accept_only_the_api_on_their_ports() {
    for env in ["dev", "prod"] {
        let app = stacks::app_for(env).expect("config loads");
        let data = Template::from_app(&app, "GitanaData");
        let services = Template::from_app(&app, "GitanaServices");
        let api_group = json!({"Fn::GetAtt": [id_of(&services, "AWS::EC2::SecurityGroup", "ApiSecurityGroup"), "GroupId"]});
        for (group, port) in [
            ("DatabaseSecurityGroup", 27017),
            ("SearchSecurityGroup", 443),
        ] {
            let group_id = id_of(&data, "AWS::EC2::SecurityGroup", group);
            let imported = json!({"Fn::ImportValue": format!("GitanaData:{group_id}:GroupId")});
            let local = json!({"Fn::GetAtt": [group_id, "GroupId"]});
            let rules: Vec<Json> = [&data, &services]
                .into_iter()
                .flat_map(|t| {
                    t.find_resources("AWS::EC2::SecurityGroupIngress", Match::any_value())
                        .into_values()
                })
                .map(|rule| rule["Properties"].clone())
                .filter(|rule| rule["GroupId"] == imported || rule["GroupId"] == local)
                .collect();
            assert_eq!(rules.len(), 1, "{env} {group}: {rules:?}");
            assert_eq!(
                rules[0]["SourceSecurityGroupId"], api_group,
                "{env} {group}"
            );
            assert_eq!(
                (rules[0]["FromPort"].clone(), rules[0]["ToPort"].clone()),
                (json!(port), json!(port))
            );
            // No inline rule on the group itself.
            let inline = data.find_resources("AWS::EC2::SecurityGroup", Match::any_value());
            let own = &inline[&group_id]["Properties"];
            assert!(
                own.get("SecurityGroupIngress").is_none(),
                "{env} {group}: {own}"
            );
        }
    }
}

#[test]
fn the_queue_admits_only_the_topic_and_the_config_bucket_is_read_only() {
    let data = template("dev", "GitanaData");
    let services = template("dev", "GitanaServices");
    let policies = data.find_resources("AWS::SQS::QueuePolicy", Match::any_value());
    assert_eq!(policies.len(), 1);
    let statements =
        policies.values().next().expect("policy")["Properties"]["PolicyDocument"]["Statement"]
            .clone();
    assert_eq!(
        statements,
        json!([{"Effect": "Allow", "Action": "sqs:SendMessage", "Principal": {"Service": "sns.amazonaws.com"},
                "Resource": {"Fn::GetAtt": [id_of(&data, "AWS::SQS::Queue", "UiQueue"), "Arn"]},
                "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": id_of(&data, "AWS::SNS::Topic", "Notifications")}}}}])
    );
    let config_arn = import_of(&data, "AWS::S3::Bucket", "Config", "Arn");
    let mut actions = Vec::new();
    for policy in services
        .find_resources("AWS::IAM::Policy", Match::any_value())
        .into_values()
    {
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if statement.to_string().contains(&config_arn.to_string()) {
                actions.push(statement["Action"].clone());
            }
        }
    }
    assert_eq!(
        actions,
        [json!("s3:GetObject"), json!("s3:ListBucket")],
        "{actions:?}"
    );
}

#[test]
fn no_container_of_any_stack_has_a_secret_in_plain_environment() {
    const SECRET_WORDS: [&str; 7] = [
        "PASSWORD",
        "SECRET",
        "TOKEN",
        "PRIVATE_KEY",
        "API_KEY",
        "LICENSE",
        "CREDENTIAL",
    ];
    let mut checked = 0;
    for env in ["dev", "prod"] {
        let assembly = synthesize(&stacks::app_for(env).expect("config loads")).expect("valid");
        for stack in &assembly.stacks {
            let resources = stack.template["Resources"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for (id, resource) in resources
                .iter()
                .filter(|(_, r)| r["Type"] == "AWS::ECS::TaskDefinition")
            {
                for container in resource["Properties"]["ContainerDefinitions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    for variable in container["Environment"].as_array().into_iter().flatten() {
                        let name = variable["Name"]
                            .as_str()
                            .unwrap_or_default()
                            .to_ascii_uppercase();
                        let value = variable["Value"].to_string();
                        assert!(
                            !SECRET_WORDS.iter().any(|word| name.contains(word)),
                            "{env} {} {id} {}: {name} looks like a secret in plain environment; use secret(...)",
                            stack.name,
                            container["Name"]
                        );
                        assert!(
                            !value.contains("{{resolve:") && !value.contains("-----BEGIN"),
                            "{env} {} {id}: {name} holds a secret value: {value}",
                            stack.name
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 20, "the check saw only {checked} variables");
}

#[test]
fn the_schema_beside_the_configs_is_current_and_bad_configs_are_clear() {
    let path = config_dir().join("gitana").join("gitana.schema.json");
    let expected = GitanaConfig::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &expected).expect("schema written");
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == expected,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test -p stacks --test gitana` and review the change",
        path.display()
    );
    let dev = std::fs::read_to_string(config_dir().join("gitana/dev.json")).expect("dev");
    let dir = tempfile::tempdir().expect("temp dir");
    for (text, expected) in [
        (
            dev.replace("\"nat_gateways\"", "\"nats\""),
            "unknown field `nats`",
        ),
        (
            dev.replace(
                "\"cpu\": 256, \"memory_mib\": 512",
                "\"cpu\": 256, \"memory_mib\": 4096",
            ),
            "ui: cpu 256 with memory_mib 4096 is not a Fargate size",
        ),
        (
            dev.replace("\"log_retention_days\": 30", "\"log_retention_days\": 31"),
            "log_retention_days 31 is not a CloudWatch Logs period",
        ),
    ] {
        let file = dir.path().join("bad.json");
        std::fs::write(&file, text).expect("written");
        let error = GitanaConfig::load_file(&file)
            .expect_err("invalid")
            .to_string();
        assert!(error.contains(expected), "expected {expected:?} in {error}");
        assert!(
            error.ends_with("(see gitana.schema.json beside it)"),
            "{error}"
        );
    }
}
