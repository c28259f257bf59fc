//! DocumentDB: secure defaults (TLS required, encrypted, generated credentials with host
//! and port, a snapshot on removal), every option, the connections model on its port, a
//! container reading one field of the secret, and every rule with its message.

use construct_lib::assertions::{Match, Template};
use construct_lib::docdb::{DatabaseCluster, LogExport, Tls};
use construct_lib::ec2::{Connectable, SubnetConfiguration, SubnetSelection, SubnetType, Vpc};
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize,
    FargateTaskDefinition,
};
use construct_lib::kms::Key;
use construct_lib::{App, Duration, RemovalPolicy, synthesize};
use serde_json::json;

fn errors(app: &App) -> String {
    synthesize(app).expect_err("invalid app").to_string()
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

#[test]
fn defaults_require_tls_encrypt_generate_credentials_and_snapshot() {
    let mut app = App::new();
    let stack = app.stack("Data");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let db = DatabaseCluster::builder(&vpc).build(stack, "Db");
    let template = Template::from_app(&app, "Data");
    template.has_resource_properties(
        "AWS::DocDB::DBClusterParameterGroup",
        json!({"Family": "docdb5.0", "Parameters": {"tls": "enabled"}}),
    );
    template.has_resource(
        "AWS::DocDB::DBCluster",
        json!({
            "Properties": {
                "EngineVersion": "5.0.0", "StorageEncrypted": true, "Port": 27017,
                "BackupRetentionPeriod": 7, "DeletionProtection": false,
                "MasterUsername": "docdbadmin",
                "MasterUserPassword": {"Fn::Join": ["", ["{{resolve:secretsmanager:",
                    template.ref_to(db.secret().resource().expect("generated")), ":SecretString:password::}}"]]},
            },
            "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot",
        }),
    );
    template.resource_count_is("AWS::DocDB::DBInstance", 1);
    template.has_resource(
        "AWS::DocDB::DBInstance",
        json!({"Properties": {"DBInstanceClass": "db.r6g.large"}, "DeletionPolicy": "Delete"}),
    );
    // The default VPC has private subnets (with egress) and no isolated ones.
    let subnets: Vec<_> = vpc
        .select_subnets(&SubnetSelection::Type(SubnetType::PrivateWithEgress))
        .expect("private subnets")
        .iter()
        .map(|s| template.value_of(&s.subnet_id()))
        .collect();
    template.has_resource_properties("AWS::DocDB::DBSubnetGroup", json!({"SubnetIds": subnets}));
    template.has_resource(
        "AWS::SecretsManager::Secret",
        json!({"Properties": {"GenerateSecretString": {
            "SecretStringTemplate": "{\"username\":\"docdbadmin\"}",
            "GenerateStringKey": "password", "ExcludePunctuation": true, "PasswordLength": 32}},
            "DeletionPolicy": "Retain"}),
    );
    template.has_resource_properties(
        "AWS::SecretsManager::SecretTargetAttachment",
        json!({"TargetType": "AWS::DocDB::DBCluster", "TargetId": template.ref_to(db.resource())}),
    );
    // The group admits nothing and sends nothing until connections say so.
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        json!({"GroupDescription": "Data/Db (DocumentDB)",
               "SecurityGroupEgress": [{"CidrIp": "255.255.255.255/32", "IpProtocol": "icmp"}]}),
    );
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 0);
    assert_eq!(db.port(), 27017);
    assert_eq!(
        template.value_of(&db.endpoint()),
        template.get_att(db.resource(), "Endpoint")
    );
    assert_eq!(
        template.value_of(&db.reader_endpoint()),
        template.get_att(db.resource(), "ReadEndpoint")
    );
}

#[test]
fn options_reach_the_template() {
    let mut app = App::new();
    let stack = app.stack("Data");
    let vpc = Vpc::builder()
        .max_azs(3)
        .subnet_configuration([
            SubnetConfiguration::public("Public"),
            SubnetConfiguration::private_with_egress("App"),
            SubnetConfiguration::isolated("Db"),
        ])
        .build(stack, "Vpc");
    let key = Key::builder().build(stack, "Key");
    DatabaseCluster::builder(&vpc)
        .engine_version("4.0.0")
        .instances(3)
        .instance_class("db.t4g.medium")
        .availability_zones(["eu-west-1a", "eu-west-1b"])
        .master_username("gitana")
        .tls(Tls::Tls12OrLater)
        .parameter("change_stream_log_retention_duration", "10800")
        .kms_key(&key)
        .backup_retention(Duration::days(7))
        .preferred_backup_window("03:00-04:00")
        .preferred_maintenance_window("sun:05:00-sun:06:00")
        .deletion_protection(true)
        .removal_policy(RemovalPolicy::Retain)
        .export_log(LogExport::Profiler)
        .export_log(LogExport::Audit)
        .build(stack, "Db");
    let template = Template::from_app(&app, "Data");
    template.has_resource_properties(
        "AWS::DocDB::DBClusterParameterGroup",
        json!({"Family": "docdb4.0", "Parameters": {"tls": "tls1.2+", "audit_logs": "enabled",
               "profiler": "enabled", "change_stream_log_retention_duration": "10800"}}),
    );
    template.has_resource(
        "AWS::DocDB::DBCluster",
        json!({"Properties": {
            "KmsKeyId": template.get_att(key.resource().expect("key"), "Arn"),
            "BackupRetentionPeriod": 7, "PreferredBackupWindow": "03:00-04:00",
            "PreferredMaintenanceWindow": "sun:05:00-sun:06:00", "DeletionProtection": true,
            "EnableCloudwatchLogsExports": ["audit", "profiler"], "MasterUsername": "gitana"},
            "DeletionPolicy": "Retain"}),
    );
    template.resource_count_is("AWS::DocDB::DBInstance", 3);
    template.has_resource(
        "AWS::DocDB::DBInstance",
        json!({"Properties": {"DBInstanceClass": "db.t4g.medium", "AvailabilityZone": "eu-west-1b"},
               "DeletionPolicy": "Retain"}),
    );
    // Isolated subnets are preferred when the VPC has them.
    let isolated: Vec<_> = vpc
        .select_subnets(&SubnetSelection::Tier("Db".into()))
        .expect("db tier")
        .iter()
        .map(|s| template.value_of(&s.subnet_id()))
        .collect();
    template.has_resource_properties("AWS::DocDB::DBSubnetGroup", json!({"SubnetIds": isolated}));
}

#[test]
fn a_service_reaches_the_cluster_on_its_port_and_reads_the_password_field() {
    let mut app = App::new();
    let stack = app.stack("Platform");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let db = DatabaseCluster::builder(&vpc)
        .instances(2)
        .build(stack, "Db");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu512Mem1024)
        .container(
            ContainerDefinition::new("api", ContainerImage::from_registry("nginx:1.27"))
                .port(8080)
                .env("DB_HOST", db.endpoint())
                .secret_field("DB_PASSWORD", &db.secret(), "password"),
        )
        .build(stack, "ApiTask");
    let api = FargateService::builder(&cluster, &task).build(stack, "Api");
    db.connections().allow_default_port_from(stack, &api);
    let template = Template::from_app(&app, "Platform");
    let attachment = template.logical_id_like("DbSecretAttachment*");
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"ContainerDefinitions": [{"Secrets": [{"Name": "DB_PASSWORD",
            "ValueFrom": {"Fn::Join": ["", [{"Ref": attachment}, ":password::"]]}}]}]}),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        Match::object_like([(
            "PolicyDocument",
            Match::object_like([(
                "Statement",
                Match::array_with([Match::from(json!({
                    "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    "Effect": "Allow",
                    "Resource": {"Ref": attachment}}))]),
            )]),
        )]),
    );
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        Match::object_like([
            ("IpProtocol", Match::exact("tcp")),
            ("FromPort", Match::exact(27017)),
            ("ToPort", Match::exact(27017)),
            (
                "GroupId",
                Match::exact(template.value_of(&db.connections().security_groups()[0].group_id())),
            ),
            (
                "SourceSecurityGroupId",
                Match::exact(
                    template
                        .value_of(&Connectable::connections(&api).security_groups()[0].group_id()),
                ),
            ),
            ("Description", Match::exact("from Platform/Api")),
        ]),
    );
}

#[test]
fn every_rule_is_reported_with_path_value_and_what_is_allowed() {
    let mut app = App::new();
    let stack = app.stack("Data");
    let vpc = Vpc::builder().max_azs(1).build(stack, "Vpc");
    DatabaseCluster::builder(&vpc)
        .engine_version("6.0.0")
        .instances(u32::MAX)
        .instance_class("r6g.large")
        .master_username("1admin")
        .storage_encrypted(false)
        .kms_key(&Key::from_arn("arn:aws:kms:eu-west-1:123456789012:key/abc"))
        .backup_retention(Duration::days(36))
        .preferred_backup_window("3:00-4:00")
        .preferred_maintenance_window("sun:05:00-sun:05:15")
        .parameter("tls", "disabled")
        .port(80)
        .availability_zones(["eu-west-1a", "eu-west-1b"])
        .build(stack, "Db");
    let text = errors(&app);
    for expected in [
        "error: Data/Db: engine_version = \"6.0.0\": one of 3.6.0, 4.0.0, 5.0.0, 8.0.0",
        "error: Data/Db: instances = 4294967295 instances: 1 to 16 instances",
        "error: Data/Db: instance_class = \"r6g.large\": a DocumentDB instance class: db.<family>.<size> (`db.r6g.large`)",
        "error: Data/Db: master_username = \"1admin\": 1 to 63 letters and digits, starting with a letter",
        "error: Data/Db: kms_key = a key: only together with storage_encrypted(true)",
        "error: Data/Db: backup_retention = 36 days: 1 day to 35 days",
        "error: Data/Db: preferred_backup_window = \"3:00-4:00\": hh24:mi-hh24:mi in UTC (`03:00-04:00`)",
        "error: Data/Db: preferred_maintenance_window = \"sun:05:00-sun:05:15\": a window of at least 30 minutes",
        "error: Data/Db: port = 80: 1150 to 65535 (DocumentDB refuses lower ports)",
        "error: Data/Db: parameter = \"tls\": the tls(Tls::...) setting, which is typed",
        "error: Data/Db: vpc_subnets = the private subnets with egress: 1 subnet: subnets in at least 2 availability zones (a DocumentDB subnet group needs them)",
        "error: Data/Db: availability_zones = 2 zones: at most the 1 zones of the subnet group",
    ] {
        assert_has(&text, expected);
    }
}

#[test]
fn overlapping_windows_and_partial_days_are_refused() {
    let mut app = App::new();
    let stack = app.stack("Data");
    let vpc = Vpc::builder().build(stack, "Vpc");
    DatabaseCluster::builder(&vpc)
        .preferred_backup_window("05:00-06:00")
        .preferred_maintenance_window("sun:05:30-sun:06:30")
        .backup_retention(Duration::hours(36))
        .build(stack, "Db");
    DatabaseCluster::builder(&vpc)
        .preferred_backup_window("05:00-05:20")
        .removal_policy(RemovalPolicy::RetainExceptOnCreate)
        .build(stack, "Short");
    DatabaseCluster::builder(&vpc)
        .vpc_subnets(SubnetSelection::Tier("Nope".into()))
        .preferred_maintenance_window("sunday:05:00-sunday:06:00")
        .build(stack, "Other");
    let text = errors(&app);
    assert_has(
        &text,
        "error: Data/Short: preferred_backup_window = \"05:00-05:20\": a window of at least 30 minutes",
    );
    assert_has(
        &text,
        "error: Data/Short: removal_policy = \"RetainExceptOnCreate\": one of Snapshot, Retain, Delete",
    );
    assert_has(
        &text,
        "error: Data/Db: preferred_backup_window = \"05:00-06:00\" (maintenance \"sun:05:30-sun:06:30\"): a backup window that does not overlap the maintenance window",
    );
    assert_has(
        &text,
        "error: Data/Db: backup_retention = 36 hours: whole days, 1 to 35 days",
    );
    assert_has(
        &text,
        "error: Data/Other: vpc_subnets = the subnets of tier \"Nope\": the VPC has no such subnets",
    );
    assert_has(
        &text,
        "error: Data/Other: preferred_maintenance_window = \"sunday:05:00-sunday:06:00\": ddd:hh24:mi-ddd:hh24:mi in UTC",
    );
}

#[test]
fn turning_tls_off_is_explicit_and_public_subnets_are_warned_about() {
    let mut app = App::new();
    let stack = app.stack("Data");
    let vpc = Vpc::builder().build(stack, "Vpc");
    DatabaseCluster::builder(&vpc)
        .tls(Tls::Disabled)
        .vpc_subnets(SubnetSelection::Type(SubnetType::Public))
        .build(stack, "Db");
    let assembly = synthesize(&app).expect("valid");
    let warnings: Vec<String> = assembly.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "warning: Data/Db: vpc_subnets = the public subnets: private or isolated subnets"
        )),
        "{warnings:?}"
    );
    Template::from_app(&app, "Data").has_resource_properties(
        "AWS::DocDB::DBClusterParameterGroup",
        json!({"Parameters": {"tls": "disabled"}}),
    );
}
