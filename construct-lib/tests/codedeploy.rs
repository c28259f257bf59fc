//! CodeDeploy blue/green deployments of ECS services: the application, predefined and custom
//! deployment configurations, the deployment group with its target group pair, listeners,
//! termination wait, rollback and alarms; release alarms; and every rule they follow.

use construct_lib::assertions::{Match, Template};
use construct_lib::cloudwatch::Alarm;
use construct_lib::codedeploy::{
    AutoRollback, EcsApplication, EcsDeploymentConfig, EcsDeploymentGroup,
};
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{
    BlueGreen, Cluster, ContainerDefinition, ContainerImage, Deployment, FargateService,
    FargateSize, FargateTaskDefinition, ReleaseAlarms,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, Listener, ListenerAction, ListenerSettings,
};
use construct_lib::patterns::LoadBalancedFargateService;
use construct_lib::sns::Topic;
use construct_lib::{App, Duration, Stack, synthesize};
use serde_json::{Value as Json, json};

/// A CodeDeploy-controlled service in `blue`, with `green`, a production and a test listener.
struct Releasable {
    vpc: Vpc,
    service: FargateService,
    lb: ApplicationLoadBalancer,
    blue: ApplicationTargetGroup,
    green: ApplicationTargetGroup,
    production: Listener,
    test: Listener,
}

fn releasable(stack: &mut Stack, deployment: Deployment) -> Releasable {
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .family("web")
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .build(stack, "Task");
    let service = FargateService::builder(&cluster, &task)
        .deployment(deployment)
        .build(stack, "Service");
    let lb = ApplicationLoadBalancer::builder(&vpc)
        .internet_facing(true)
        .build(stack, "Lb");
    let blue = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "Blue");
    let green = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "Green");
    let production = lb.add_listener(
        stack,
        "Http",
        ListenerSettings::http(80, ListenerAction::forward(&blue)),
    );
    let test = lb.add_listener(
        stack,
        "Test",
        ListenerSettings::http(8080, ListenerAction::forward(&green)),
    );
    blue.add_service_target(stack, &service, "app");
    Releasable {
        vpc,
        service,
        lb,
        blue,
        green,
        production,
        test,
    }
}

fn only(template: &Template, resource_type: &str) -> (String, Json) {
    let found = template.find_resources(resource_type, Match::any_value());
    assert_eq!(found.len(), 1, "one {resource_type}");
    let (id, resource) = found.iter().next().expect("one");
    (id.clone(), resource.clone())
}

#[test]
fn a_deployment_group_with_a_custom_canary_alarms_and_test_traffic() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let web = releasable(stack, Deployment::CodeDeploy);
    let alarms = ReleaseAlarms::new().build(stack, "Guard", &web.blue, &web.lb);
    let application = EcsApplication::builder()
        .application_name("web")
        .build(stack, "App");
    EcsDeploymentGroup::builder(&web.service, &web.blue, &web.green, &web.production)
        .application(&application)
        .test_listener(&web.test)
        .deployment_config(EcsDeploymentConfig::canary(25, Duration::minutes(10)))
        .termination_wait(Duration::minutes(15))
        .alarms(&alarms)
        .build(stack, "Releases");
    let template = Template::from_app(&app, "Web");
    assert_custom_canary_group(&template, &web, &application, &alarms);
    assert_codedeploy_service_and_role(&template);
}

/// The custom configuration, and the group: application, style, termination wait, target
/// group pair and listeners, service, rollback and alarms.
fn assert_custom_canary_group(
    template: &Template,
    web: &Releasable,
    application: &EcsApplication,
    alarms: &[Alarm],
) {
    let (config, config_resource) = only(template, "AWS::CodeDeploy::DeploymentConfig");
    assert_eq!(
        config_resource["Properties"],
        json!({
            "ComputePlatform": "ECS",
            "TrafficRoutingConfig": {
                "TimeBasedCanary": {"CanaryInterval": 10, "CanaryPercentage": 25},
                "Type": "TimeBasedCanary",
            },
        })
    );
    let (_, group) = only(template, "AWS::CodeDeploy::DeploymentGroup");
    let properties = &group["Properties"];
    assert_eq!(properties["DeploymentConfigName"], json!({"Ref": config}));
    assert_eq!(
        properties["ApplicationName"],
        template.value_of(&application.name())
    );
    assert_eq!(
        properties["DeploymentStyle"],
        json!({"DeploymentOption": "WITH_TRAFFIC_CONTROL", "DeploymentType": "BLUE_GREEN"})
    );
    assert_eq!(
        properties["BlueGreenDeploymentConfiguration"]["TerminateBlueInstancesOnDeploymentSuccess"],
        json!({"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 15})
    );
    assert_eq!(
        properties["LoadBalancerInfo"]["TargetGroupPairInfoList"][0],
        json!({
            "ProdTrafficRoute": {"ListenerArns": [template.value_of(&web.production.arn())]},
            "TargetGroups": [
                {"Name": template.value_of(&web.blue.name())},
                {"Name": template.value_of(&web.green.name())},
            ],
            "TestTrafficRoute": {"ListenerArns": [template.value_of(&web.test.arn())]},
        })
    );
    assert_eq!(
        properties["ECSServices"],
        json!([{
            "ClusterName": template.value_of(&web.service.cluster().name()),
            "ServiceName": template.value_of(&web.service.name()),
        }])
    );
    assert_eq!(
        properties["AutoRollbackConfiguration"],
        json!({"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]})
    );
    let alarm_names: Vec<Json> = alarms
        .iter()
        .map(|a| json!({"Name": template.value_of(&a.name())}))
        .collect();
    assert_eq!(
        properties["AlarmConfiguration"],
        json!({"Alarms": alarm_names, "Enabled": true})
    );
}

/// The service is CodeDeploy's; CodeDeploy's role has AWS's managed policy.
fn assert_codedeploy_service_and_role(template: &Template) {
    let (_, service) = only(template, "AWS::ECS::Service");
    assert_eq!(
        service["Properties"]["DeploymentController"],
        json!({"Type": "CODE_DEPLOY"})
    );
    template.has_resource_properties(
        "AWS::IAM::Role",
        Match::object_like([(
            "ManagedPolicyArns",
            Match::exact(json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSCodeDeployRoleForECS"}])),
        )]),
    );
}

#[test]
fn predefined_configurations_are_named_and_rollback_can_be_turned_off() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let web = releasable(stack, Deployment::CodeDeploy);
    EcsDeploymentGroup::builder(&web.service, &web.blue, &web.green, &web.production)
        .deployment_config(EcsDeploymentConfig::Linear10PercentEvery3Minutes)
        .auto_rollback(AutoRollback {
            failed_deployment: false,
            stopped_deployment: false,
            deployment_in_alarm: false,
        })
        .build(stack, "Releases");
    let template = Template::from_app(&app, "Web");
    template.resource_count_is("AWS::CodeDeploy::DeploymentConfig", 0);
    template.resource_count_is("AWS::CodeDeploy::Application", 1);
    let (_, group) = only(&template, "AWS::CodeDeploy::DeploymentGroup");
    assert_eq!(
        group["Properties"]["DeploymentConfigName"],
        json!("CodeDeployDefault.ECSLinear10PercentEvery3Minutes")
    );
    assert_eq!(
        group["Properties"]["AutoRollbackConfiguration"],
        json!({"Enabled": false})
    );
    assert_eq!(group["Properties"].get("AlarmConfiguration"), None);
}

fn errors(build: impl FnOnce(&mut Stack)) -> String {
    let mut app = App::new();
    build(app.stack("Web"));
    synthesize(&app).expect_err("invalid").to_string()
}

fn assert_problems(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(lines, expected, "{text}");
}

#[test]
fn a_deployment_group_refuses_what_codedeploy_refuses() {
    let text = errors(|stack| {
        let web = releasable(stack, Deployment::CodeDeploy);
        let alarms = ReleaseAlarms::new()
            .target_response_time_ms(500)
            .build(stack, "Guard", &web.blue, &web.lb);
        let many: Vec<&Alarm> = alarms
            .iter()
            .chain(alarms.iter())
            .chain(alarms.iter())
            .chain(alarms.iter())
            .collect();
        let stray = ApplicationTargetGroup::builder(&web.vpc, 80).build(stack, "Stray");
        EcsDeploymentGroup::builder(&web.service, &stray, &web.blue, &web.production)
            .test_listener(&web.production)
            .deployment_config(EcsDeploymentConfig::canary(100, Duration::seconds(90)))
            .termination_wait(Duration::days(3))
            .alarms(many)
            .deployment_group_name("web releases")
            .build(stack, "Releases");
        EcsDeploymentGroup::builder(&web.service, &web.blue, &web.blue, &web.production)
            .deployment_config(EcsDeploymentConfig::linear(0, Duration::minutes(0)))
            .termination_wait(Duration::seconds(30))
            .build(stack, "Same");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Releases: blue target group = Web/Stray: the target group Web/Service is registered in (add_service_target)",
            "error: Web/Releases: green target group = Web/Blue: a target group no service is registered in: CodeDeploy registers the new tasks in it",
            "error: Web/Releases: test_listener = Web/Http: another listener than the production one (another port)",
            "error: Web/Releases: canary percent = 100%: 1 to 99%",
            "error: Web/Releases: canary interval = 90 seconds: whole minutes (CodeDeploy counts intervals in minutes)",
            "error: Web/Releases: termination_wait = 3 days: at most 2880 minutes",
            "error: Web/Releases: alarm = 12 alarms: at most 10 alarms per deployment group (CodeDeploy's limit)",
            "error: Web/Releases: deployment_group_name = \"web releases\": 1 to 100 letters, digits and . _ + = , @ -",
            "error: Web/Same: green target group = Web/Blue: another target group than the blue one: CodeDeploy registers the new tasks in it",
            "error: Web/Same: linear percent = 0%: 1 to 99%",
            "error: Web/Same: linear interval = 0 minutes: at least 1 minute",
            "error: Web/Same: termination_wait = 30 seconds: whole minutes (CodeDeploy counts waits in minutes)",
        ],
    );
}

#[test]
fn codedeploy_groups_deploy_codedeploy_services_only_and_their_alarms_stay_on_the_group() {
    let text = errors(|stack| {
        let web = releasable(stack, BlueGreen::all_at_once().into());
        EcsDeploymentGroup::builder(&web.service, &web.blue, &web.green, &web.production)
            .build(stack, "Releases");
    });
    assert!(
        text.contains("error: Web/Releases: service = Web/Service (BLUE_GREEN deployments): a service built with .deployment(Deployment::CodeDeploy): CodeDeploy deploys only services of the CODE_DEPLOY deployment controller"),
        "{text}"
    );
    let text = errors(|stack| {
        let web = releasable(stack, Deployment::CodeDeploy);
        let alarms = ReleaseAlarms::new().build(stack, "Guard", &web.blue, &web.lb);
        web.service.rollback_on_alarms(stack, &alarms);
    });
    assert_problems(
        &text,
        &[
            "error: Web/Service: rollback_on_alarms = Web/Guard/Production5xx, Web/Guard/ProductionUnhealthyHosts: the alarms of the service's CodeDeploy deployment group: ECS does not watch alarms for the CODE_DEPLOY controller",
        ],
    );
}

#[test]
fn release_alarms_watch_both_groups_of_a_blue_green_pattern_and_notify() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let web = LoadBalancedFargateService::builder(&cluster)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .deployment(BlueGreen::canary(25.0, Duration::minutes(10)))
        .test_listener_port(8080)
        .build(stack, "Web");
    let topic = Topic::builder().build(stack, "Releases");
    let alarms = ReleaseAlarms::new()
        .target_response_time_ms(800)
        .notify(&topic)
        .build(stack, "Guard", web.target_group(), web.load_balancer());
    web.service().rollback_on_alarms(stack, &alarms);
    let template = Template::from_app(&app, "Web");
    assert_eq!(alarms.len(), 6, "three kinds on two groups");
    template.resource_count_is("AWS::CloudWatch::Alarm", 6);
    let (_, service) = only(&template, "AWS::ECS::Service");
    let names: Vec<Json> = alarms
        .iter()
        .map(|a| template.value_of(&a.name()))
        .collect();
    assert_eq!(
        service["Properties"]["DeploymentConfiguration"]["Alarms"],
        json!({"AlarmNames": names, "Enable": true, "Rollback": true})
    );
    assert!(
        service["Properties"]["LoadBalancers"][0]["AdvancedConfiguration"]
            .get("TestListenerRule")
            .is_some()
    );
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        Match::object_like([
            ("MetricName", Match::exact("TargetResponseTime")),
            ("Threshold", Match::exact(0.8)),
            ("Period", Match::exact(60)),
            ("EvaluationPeriods", Match::exact(2)),
            ("ComparisonOperator", Match::exact("GreaterThanThreshold")),
            ("TreatMissingData", Match::exact("notBreaching")),
            (
                "AlarmActions",
                Match::exact(json!([template.value_of(&topic.arn())])),
            ),
            (
                "OKActions",
                Match::exact(json!([template.value_of(&topic.arn())])),
            ),
        ]),
    );
}

#[test]
fn the_pattern_gives_a_codedeploy_service_its_green_group_and_test_listener() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let web = LoadBalancedFargateService::builder(&cluster)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .task_definition(|task| task.family("web"))
        .deployment(Deployment::CodeDeploy)
        .test_listener_port(9000)
        .build(stack, "Web");
    web.deployment_group()
        .deployment_config(EcsDeploymentConfig::canary(25, Duration::minutes(10)))
        .build(stack, "Releases");
    let green = web.green_target_group().expect("a green group").clone();
    let test = web.test_listener().expect("a test listener").clone();
    let template = Template::from_app(&app, "Web");
    let (_, group) = only(&template, "AWS::CodeDeploy::DeploymentGroup");
    let pair = &group["Properties"]["LoadBalancerInfo"]["TargetGroupPairInfoList"][0];
    assert_eq!(
        pair["TargetGroups"][1],
        json!({"Name": template.value_of(&green.name())})
    );
    assert_eq!(
        pair["TestTrafficRoute"],
        json!({"ListenerArns": [template.value_of(&test.arn())]})
    );
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        Match::object_like([
            ("Port", Match::exact(9000)),
            (
                "DefaultActions",
                Match::exact(
                    json!([{"TargetGroupArn": template.value_of(&green.arn()), "Type": "forward"}]),
                ),
            ),
        ]),
    );
}

#[test]
fn a_codedeploy_pattern_needs_a_test_listener() {
    let text = errors(|stack| {
        let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        LoadBalancedFargateService::builder(&cluster)
            .container(
                ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27"))
                    .port(80),
            )
            .task_definition(|task| task.family("web"))
            .deployment(Deployment::CodeDeploy)
            .build(stack, "Web");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Web: test_listener_port = none with a CODE_DEPLOY deployment: a test listener port (test_listener_port): its listener forwards to the green target group, which must be attached to the load balancer before CodeDeploy registers the new tasks in it",
        ],
    );
}

#[test]
fn release_alarm_settings_are_checked() {
    let text = errors(|stack| {
        let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
        let web = LoadBalancedFargateService::builder(&cluster)
            .container(
                ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27"))
                    .port(80),
            )
            .test_listener_port(8080)
            .build(stack, "Web");
        ReleaseAlarms::new()
            .no_target_5xx_count()
            .no_unhealthy_hosts()
            .evaluation_periods(0)
            .build(stack, "Guard", web.target_group(), web.load_balancer());
    });
    assert_problems(
        &text,
        &[
            "error: Web/Guard: alarms = none: at least one alarm (target_5xx_count, target_response_time_ms, unhealthy_hosts)",
            "error: Web/Guard: evaluation_periods = 0: 1 to 60",
            "error: Web/Web: test_listener_port = 8080 with a ROLLING deployment: a BlueGreen or CodeDeploy deployment (.deployment(...)): test traffic is a stage of theirs",
        ],
    );
}

#[test]
fn the_pattern_names_a_codedeploy_family_watches_the_green_group_and_grants_releases() {
    use construct_lib::iam::{Principal, Role};
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let web = LoadBalancedFargateService::builder(&cluster)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .deployment(Deployment::CodeDeploy)
        .test_listener_port(9000)
        .build(stack, "Api");
    let alarms = web.release_alarms(stack, "Guard", ReleaseAlarms::new());
    let group = web
        .deployment_group()
        .alarms(&alarms)
        .approval_wait(Duration::minutes(30))
        .build(stack, "Releases");
    let ci = Role::builder(Principal::service("codebuild.amazonaws.com")).build(stack, "Ci");
    group.grant_create_deployment(stack, &ci);
    let template = Template::from_app(&app, "Web");
    let (_, task) = only(&template, "AWS::ECS::TaskDefinition");
    assert_eq!(
        task["Properties"]["Family"], "Web-Api",
        "from the stack and path"
    );
    let (_, service) = only(&template, "AWS::ECS::Service");
    assert_eq!(service["Properties"]["TaskDefinition"], "Web-Api");
    let ids: Vec<String> = template
        .find_resources("AWS::CloudWatch::Alarm", Match::any_value())
        .into_keys()
        .collect();
    assert_eq!(
        ids.iter().filter(|id| id.starts_with("GuardGreen")).count(),
        2,
        "{ids:?}"
    );
    let (_, deployment_group) = only(&template, "AWS::CodeDeploy::DeploymentGroup");
    assert_eq!(
        deployment_group["Properties"]["BlueGreenDeploymentConfiguration"]["DeploymentReadyOption"],
        json!({"ActionOnTimeout": "STOP_DEPLOYMENT", "WaitTimeInMinutes": 30})
    );
    let policy = template
        .find_resources("AWS::IAM::Policy", Match::any_value())
        .into_values()
        .find(|p| p["Properties"]["PolicyDocument"]["Statement"][0]["Sid"] == "CodeDeployReleases")
        .expect("the CI role's policy");
    let statement = &policy["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Resource"].as_array().map(Vec::len), Some(3));
    assert!(
        statement["Action"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("codedeploy:CreateDeployment")))
    );
}

#[test]
fn an_approval_wait_is_whole_minutes_within_two_days() {
    let text = errors(|stack| {
        let web = releasable(stack, Deployment::CodeDeploy);
        EcsDeploymentGroup::builder(&web.service, &web.blue, &web.green, &web.production)
            .approval_wait(Duration::seconds(0))
            .build(stack, "Zero");
        EcsDeploymentGroup::builder(&web.service, &web.blue, &web.green, &web.production)
            .approval_wait(Duration::days(3))
            .build(stack, "Long");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Zero: approval_wait = 0 seconds: at least 1 minute",
            "error: Web/Long: approval_wait = 3 days: at most 2880 minutes",
        ],
    );
}
