//! Scenario 1 (a Fargate web service behind a load balancer): what the web service stack must
//! contain in each environment,
//! its configuration files and their schema, and `--env`.

use construct_lib::assertions::{Match, Template};
use serde_json::json;
use stacks::web_service::config::{ScenarioConfig, WebServiceConfig, config_dir};

fn template(env: &str) -> Template {
    Template::from_app(&stacks::app_for(env).expect("config loads"), "WebService")
}

#[test]
fn dev_has_every_element_of_the_scenario() {
    let t = template("dev");
    t.has_resource_properties(
        "AWS::ECS::Cluster",
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]}),
    );
    t.resource_count_is("AWS::EC2::NatGateway", 2);
    t.resource_count_is("AWS::EC2::Subnet", 4);
    t.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"Cpu": "512", "Memory": "1024", "ContainerDefinitions": [
            {"Name": "init", "Essential": false},
            {"Name": "metrics-agent", "Essential": false},
            {"Name": "app", "PortMappings": [{"ContainerPort": 3000, "Name": "http"}],
             "DependsOn": [{"ContainerName": "init", "Condition": "COMPLETE"}],
             "Secrets": [{"Name": "DB_PASSWORD"}, {"Name": "API_KEY"}],
             "HealthCheck": {"StartPeriod": 30},
             "LogConfiguration": {"LogDriver": "awslogs"}}
        ]}),
    );
    t.has_resource_properties(
        "AWS::ECS::Service",
        // The task count scales (2 to 10): no DesiredCount for a deploy to reset it to.
        json!({"DesiredCount": Match::absent(), "HealthCheckGracePeriodSeconds": 60,
               "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
                                           "MinimumHealthyPercent": 50, "MaximumPercent": 200},
               "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "DISABLED"}}}),
    );
    t.has_resource_properties(
        "AWS::ECS::Service",
        json!({"CapacityProviderStrategy": [{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]}),
    );
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        json!({"Port": 80, "Protocol": "HTTP", "DefaultActions": [{"Type": "forward"}]}),
    );
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        json!({"HealthCheckPath": "/health", "TargetType": "ip", "Port": 3000}),
    );
    t.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        json!({"MinCapacity": 2, "MaxCapacity": 10}),
    );
    t.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        json!({"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0,
            "ScaleOutCooldown": 60, "ScaleInCooldown": 120}}),
    );
    t.has_resource_properties(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        json!({"Name": "apps.local"}),
    );
    // The task role may get and put under one prefix of the uploads bucket, nothing else.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [Match::string_like("Uploads*"), "Arn"]}, "/uploads/*"]]}
        }]}}),
    );
    t.has_output("Url", json!({}));
}

#[test]
fn prod_uses_https_with_a_redirect_firelens_and_the_single_container_task() {
    let t = template("prod");
    t.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"ContainerDefinitions": [
            {"Name": "log-router"},
            {"Name": "app", "DependsOn": Match::absent()}
        ]}),
    );
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        json!({"Port": 443, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
    );
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        json!({"Port": 80, "DefaultActions": [{"Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}),
    );
    t.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"Cpu": "1024", "Memory": "2048", "ContainerDefinitions": Match::array_with([
            Match::object_like([("Name", Match::exact("log-router")),
                                ("FirelensConfiguration", json!({"Type": "fluentbit"}).into())]),
            Match::object_like([("Name", Match::exact("app")),
                                ("LogConfiguration", json!({"LogDriver": "awsfirelens",
                                    "Options": {"region": {"Ref": "AWS::Region"}}}).into())]),
        ])}),
    );
    t.has_resource_properties(
        "AWS::Logs::LogGroup",
        json!({"LogGroupName": "/web/prod", "RetentionInDays": 365}),
    );
}

#[test]
fn the_schema_beside_the_configs_is_current() {
    let path = config_dir().join("web-service.schema.json");
    let expected = WebServiceConfig::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &expected).expect("schema written");
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == expected,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test -p stacks --test web_service` and review the change",
        path.display()
    );
}

#[test]
fn bad_config_files_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dev = std::fs::read_to_string(config_dir().join("dev.json")).expect("dev config");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        path
    };
    let cases = [
        (
            "unknown.json",
            dev.replace("\"max_azs\"", "\"max_zones\""),
            "unknown field `max_zones`",
        ),
        (
            "size.json",
            dev.replace("\"memory_mib\": 1024", "\"memory_mib\": 9999"),
            "cpu 512 with memory_mib 9999 is not a Fargate size; valid with cpu 512: 1024, 2048, 3072, 4096",
        ),
        (
            "retention.json",
            dev.replace("\"log_retention_days\": 30", "\"log_retention_days\": 31"),
            "log_retention_days 31 is not a CloudWatch Logs period",
        ),
        (
            "bounds.json",
            dev.replace("\"min_tasks\": 2", "\"min_tasks\": 20"),
            "min_tasks 20 is above max_tasks 10",
        ),
        (
            "syntax.json",
            "{".to_owned(),
            "EOF while parsing an object at line 1 column 1",
        ),
    ];
    for (name, text, expected) in cases {
        let path = write(name, &text);
        let error = WebServiceConfig::load_file(&path)
            .expect_err(name)
            .to_string();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(
            error.contains(expected),
            "{name}: expected {expected:?} in {error}"
        );
        assert!(
            error.ends_with("(see web-service.schema.json beside it)"),
            "{error}"
        );
    }
    let missing = stacks::app_for("staging")
        .expect_err("no such environment")
        .to_string();
    assert!(
        missing.contains("staging.json")
            && missing.contains("the environments are the JSON files in"),
        "{missing}"
    );
}

#[test]
fn the_synth_binary_selects_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_synth"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("synth runs")
    };
    let prod = run(&["--env", "prod", "--out", "prod.out"]);
    assert!(
        prod.status.success(),
        "{}",
        String::from_utf8_lossy(&prod.stderr)
    );
    let manifest =
        std::fs::read_to_string(dir.path().join("prod.out/manifest.json")).expect("manifest");
    assert!(
        manifest.contains("aws://123456789012/eu-west-1"),
        "{manifest}"
    );
    // A config that cannot be read is an I/O error: exit 3, as the README says.
    let unknown = run(&["--env=staging"]);
    assert_eq!(unknown.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&unknown.stderr).starts_with("error: cannot read "));
    let missing = run(&["--env"]);
    assert_eq!(missing.status.code(), Some(2));
    // The command line's own parser says so (the option is in `--help`, not hand-parsed).
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .starts_with("error: a value is required for '--env <ENV>' but none was supplied"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}
