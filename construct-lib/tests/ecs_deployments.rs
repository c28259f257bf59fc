//! Deployment strategies of ECS services: rolling updates, ECS blue/green with all-at-once,
//! canary and linear traffic shifts (the alternate target group, the weighted production
//! and test rules, the infrastructure role, lifecycle hooks, alarm rollback), the CodeDeploy
//! controller; and every rule ECS and CloudFormation apply to them.

use construct_lib::assertions::{Match, Template};
use construct_lib::cloudwatch::{Alarm, Metric};
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{
    BlueGreen, Cluster, ContainerDefinition, ContainerImage, Deployment, Ec2Service,
    Ec2TaskDefinition, FargateService, FargateSize, FargateTaskDefinition, LifecycleHook,
    LifecycleStage, Rolling,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, Listener, ListenerAction, ListenerSettings,
    RoutingRule,
};
use construct_lib::{App, Duration, Scope, Stack, synthesize};
use serde_json::{Value as Json, json};

/// The parts of a load-balanced web service.
struct Web {
    vpc: Vpc,
    cluster: Cluster,
    task: FargateTaskDefinition,
    lb: ApplicationLoadBalancer,
    group: ApplicationTargetGroup,
}

fn parts(stack: &mut Stack) -> Web {
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .family("web")
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .build(stack, "Task");
    let lb = ApplicationLoadBalancer::builder(&vpc)
        .internet_facing(true)
        .build(stack, "Lb");
    let group = ApplicationTargetGroup::builder(&vpc, 80)
        .health_check_path("/health")
        .build(stack, "Group");
    Web {
        vpc,
        cluster,
        task,
        lb,
        group,
    }
}

fn http(stack: &mut Stack, web: &Web, id: &str, port: u16, action: ListenerAction) -> Listener {
    web.lb
        .add_listener(stack, id, ListenerSettings::http(port, action))
}

fn alarm(stack: &mut Stack, web: &Web) -> Alarm {
    let metric = Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")
        .dimension("LoadBalancer", web.lb.full_name());
    Alarm::builder(metric, 5.0).build(stack, "Errors")
}

/// A Fargate service deployed by `deployment` behind the group and an HTTP listener.
fn service_with(deployment: impl FnOnce(&mut Stack, &Web) -> Deployment) -> Template {
    let mut app = App::new();
    let stack = app.stack("Web");
    let web = parts(stack);
    let deployment = deployment(stack, &web);
    http(stack, &web, "Http", 80, ListenerAction::forward(&web.group));
    let service = FargateService::builder(&web.cluster, &web.task)
        .deployment(deployment)
        .build(stack, "Service");
    web.group.add_service_target(stack, &service, "app");
    Template::from_app(&app, "Web")
}

/// The logical ID of construct path `path` (its parts joined) with its hash.
fn id(template: &Template, path: &str) -> String {
    let resources = template.to_json()["Resources"]
        .as_object()
        .expect("resources");
    let found: Vec<&String> = resources
        .keys()
        .filter(|id| id.len() == path.len() + 8 && id.starts_with(path))
        .collect();
    assert_eq!(found.len(), 1, "one logical ID for {path}: {found:?}");
    found[0].clone()
}

fn service_properties(template: &Template) -> Json {
    let services = template.find_resources("AWS::ECS::Service", Match::any_value());
    let (_, service) = services.iter().next().expect("one service");
    service["Properties"].clone()
}

#[test]
fn a_canary_gets_its_alternate_group_weighted_rules_role_hooks_and_alarm() {
    let template = service_with(|stack, web| {
        let test = http(stack, web, "Test", 8080, ListenerAction::FixedResponse(404));
        let errors = alarm(stack, web);
        BlueGreen::canary(25.0, Duration::minutes(10))
            .bake_time(Duration::minutes(15))
            .test_listener(&test)
            .rollback_on_alarm(&errors)
            .lifecycle_hook(LifecycleHook::lambda(
                "arn:aws:lambda:eu-west-1:123456789012:function:smoke",
                [LifecycleStage::PostTestTrafficShift],
            ))
            .into()
    });
    assert_canary_configuration(&template);
    assert_weighted_rules_to_a_copy_of_the_group(&template);
    assert_infrastructure_and_hook_roles(&template);
}

/// The strategy, bake times, alarm and hook, and the load balancer's advanced configuration.
fn assert_canary_configuration(template: &Template) {
    let properties = service_properties(template);
    assert_eq!(
        properties["DeploymentConfiguration"],
        json!({
            "Alarms": {"AlarmNames": [{"Ref": id(template, "Errors")}], "Enable": true, "Rollback": true},
            "BakeTimeInMinutes": 15,
            "CanaryConfiguration": {"CanaryBakeTimeInMinutes": 10, "CanaryPercent": 25.0},
            "LifecycleHooks": [{
                "HookTargetArn": "arn:aws:lambda:eu-west-1:123456789012:function:smoke",
                "LifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"],
                "RoleArn": {"Fn::GetAtt": [id(template, "ServiceLifecycleHookRole"), "Arn"]},
            }],
            "Strategy": "CANARY",
        })
    );
    assert_eq!(
        properties["LoadBalancers"][0]["AdvancedConfiguration"],
        json!({
            "AlternateTargetGroupArn": {"Ref": id(template, "GroupAlternate")},
            "ProductionListenerRule": {"Ref": id(template, "HttpGroupProduction")},
            "RoleArn": {"Fn::GetAtt": [id(template, "ServiceInfrastructureRole"), "Arn"]},
            "TestListenerRule": {"Ref": id(template, "TestGroupTest")},
        })
    );
}

/// The production and test rules forward everything to the group (100) and its alternate
/// (0), last among the listener's rules; the alternate copies the group.
fn assert_weighted_rules_to_a_copy_of_the_group(template: &Template) {
    let group = id(template, "Group");
    let alternate = id(template, "GroupAlternate");
    let weighted = json!([{
        "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": {"Ref": group}, "Weight": 100},
            {"TargetGroupArn": {"Ref": alternate}, "Weight": 0},
        ]},
        "Type": "forward",
    }]);
    let rules = template.find_resources(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        Match::any_value(),
    );
    for rule in [
        id(template, "HttpGroupProduction"),
        id(template, "TestGroupTest"),
    ] {
        let properties = &rules[rule.as_str()]["Properties"];
        assert_eq!(properties["Actions"], weighted, "{rule}");
        assert_eq!(properties["Priority"], json!(50000), "{rule}");
        assert_eq!(
            properties["Conditions"],
            json!([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}])
        );
    }
    let groups = template.find_resources(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Match::any_value(),
    );
    assert_eq!(groups[group.as_str()], groups[alternate.as_str()]);
    assert_eq!(
        groups[alternate.as_str()]["Properties"]["HealthCheckPath"],
        json!("/health")
    );
}

/// ECS's infrastructure role with AWS's managed policy; the hook role may invoke the hook's
/// function only, and the service waits for that permission.
fn assert_infrastructure_and_hook_roles(template: &Template) {
    template.has_resource_properties(
        "AWS::IAM::Role",
        Match::object_like([
            ("AssumeRolePolicyDocument", Match::object_like([("Statement", Match::exact(json!([{
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "ecs.amazonaws.com"},
            }])))])),
            ("ManagedPolicyArns", Match::exact(json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"}]))),
        ]),
    );
    let hook_role = id(template, "ServiceLifecycleHookRole");
    template.has_resource_properties(
        "AWS::IAM::Policy",
        Match::object_like([
            (
                "PolicyDocument",
                Match::exact(json!({
                    "Statement": [{
                        "Action": "lambda:InvokeFunction",
                        "Effect": "Allow",
                        "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:smoke",
                    }],
                    "Version": "2012-10-17",
                })),
            ),
            ("Roles", Match::exact(json!([{"Ref": hook_role}]))),
        ]),
    );
    let service = id(template, "Service");
    let depends_on = template.to_json()["Resources"][&service]["DependsOn"].clone();
    let hook_policy = id(template, "ServiceLifecycleHookRoleDefaultPolicy");
    assert!(
        depends_on
            .as_array()
            .is_some_and(|d| d.contains(&json!(hook_policy))),
        "the service waits for the hook role's policy: {depends_on}"
    );
}

#[test]
fn linear_and_all_at_once_shifts_write_their_strategy() {
    let linear = service_with(|_, _| BlueGreen::linear(10.0, Duration::minutes(6)).into());
    assert_eq!(
        service_properties(&linear)["DeploymentConfiguration"],
        json!({
            "BakeTimeInMinutes": 10,
            "LinearConfiguration": {"StepBakeTimeInMinutes": 6, "StepPercent": 10.0},
            "Strategy": "LINEAR",
        })
    );
    let all = service_with(|_, _| {
        BlueGreen::all_at_once()
            .bake_time(Duration::minutes(0))
            .into()
    });
    assert_eq!(
        service_properties(&all)["DeploymentConfiguration"],
        json!({"BakeTimeInMinutes": 0, "Strategy": "BLUE_GREEN"})
    );
    // No hooks, no hook role; no circuit breaker outside rolling updates.
    all.resource_count_is("AWS::IAM::Role", 3);
}

#[test]
fn rolling_updates_keep_the_circuit_breaker_and_roll_back_on_alarms() {
    let template = service_with(|stack, web| {
        Rolling::new()
            .min_healthy_percent(50)
            .rollback_on_alarm(&alarm(stack, web))
            .into()
    });
    let errors = id(&template, "Errors");
    assert_eq!(
        service_properties(&template)["DeploymentConfiguration"],
        json!({
            "Alarms": {"AlarmNames": [{"Ref": errors}], "Enable": true, "Rollback": true},
            "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
            "MinimumHealthyPercent": 50,
        })
    );
    template.resource_count_is("AWS::ElasticLoadBalancingV2::TargetGroup", 1);
    template.resource_count_is("AWS::ElasticLoadBalancingV2::ListenerRule", 0);
}

#[test]
fn a_codedeploy_service_has_the_controller_and_nothing_of_ecs_deployments() {
    let template = service_with(|_, _| Deployment::CodeDeploy);
    let properties = service_properties(&template);
    assert_eq!(
        properties["DeploymentController"],
        json!({"Type": "CODE_DEPLOY"})
    );
    assert_eq!(properties.get("DeploymentConfiguration"), None);
    assert_eq!(
        properties["LoadBalancers"][0].get("AdvancedConfiguration"),
        None
    );
    // By family, so that stack updates register revisions without changing the service;
    // then the service waits for the task definition explicitly.
    assert_eq!(properties["TaskDefinition"], json!("web"));
    let service = id(&template, "Service");
    let task = id(&template, "Task");
    let depends_on = &template.to_json()["Resources"][&service]["DependsOn"];
    assert!(
        depends_on
            .as_array()
            .is_some_and(|d| d.contains(&json!(task))),
        "{depends_on}"
    );
}

#[test]
fn a_codedeploy_service_needs_a_task_family() {
    let text = errors(|stack| {
        let web = parts(stack);
        let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80),
            )
            .build(stack, "Unnamed");
        FargateService::builder(&web.cluster, &task)
            .deployment(Deployment::CodeDeploy)
            .build(stack, "Service");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Service: deployment = CODE_DEPLOY with a task definition without a family: a task definition with a family (TaskDefinitionBuilder::family): a CodeDeploy service names its task definition by family, because CloudFormation cannot change the task definition of a CODE_DEPLOY service",
        ],
    );
}

#[test]
fn a_routing_rule_becomes_the_production_rule_whatever_the_order() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let web = parts(stack);
    let service = FargateService::builder(&web.cluster, &web.task)
        .deployment(BlueGreen::all_at_once())
        .build(stack, "Service");
    // The target first, the listener and its rule after.
    web.group.add_service_target(stack, &service, "app");
    let listener = http(stack, &web, "Http", 80, ListenerAction::FixedResponse(404));
    listener.add_rule(
        stack,
        "Api",
        RoutingRule::new(10, ListenerAction::forward(&web.group)).path_patterns(["/api/*"]),
    );
    let alternate_of = web.group.alternate(stack).expect("an alternate group");
    let template = Template::from_app(&app, "Web");
    let rule = id(&template, "HttpApi");
    let alternate = id(&template, "GroupAlternate");
    let properties = service_properties(&template);
    assert_eq!(
        properties["LoadBalancers"][0]["AdvancedConfiguration"]["ProductionListenerRule"],
        json!({"Ref": rule})
    );
    let rules = template.find_resources(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        Match::any_value(),
    );
    assert_eq!(rules.len(), 1, "the user's rule is the production rule");
    assert_eq!(
        rules[rule.as_str()]["Properties"]["Actions"][0]["ForwardConfig"]["TargetGroups"][1],
        json!({"TargetGroupArn": {"Ref": alternate}, "Weight": 0})
    );
    assert_eq!(rules[rule.as_str()]["Properties"]["Priority"], json!(10));
    assert_eq!(
        template.value_of(&alternate_of.arn()),
        json!({"Ref": alternate})
    );
}

fn errors(build: impl FnOnce(&mut Stack)) -> String {
    let mut app = App::new();
    build(app.stack("Web"));
    synthesize(&app).expect_err("invalid").to_string()
}

/// Every problem line, exactly: problems are reported in sorted order.
fn assert_problems(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(lines, expected, "{text}");
}

/// A service deployed by `deployment`, registered behind an HTTP listener.
fn deployed(stack: &mut Stack, web: &Web, id: &str, deployment: impl Into<Deployment>) {
    let group = ApplicationTargetGroup::builder(&web.vpc, 80).build(stack, &format!("{id}Group"));
    let service = FargateService::builder(&web.cluster, &web.task)
        .deployment(deployment)
        .build(stack, id);
    group.add_service_target(stack, &service, "app");
    let port = 8000 + u16::try_from(id.len()).unwrap_or(0);
    http(
        stack,
        web,
        &format!("{id}Http"),
        port,
        ListenerAction::forward(&group),
    );
}

#[test]
fn traffic_shifts_outside_ecs_ranges_are_refused() {
    let text = errors(|stack| {
        let web = parts(stack);
        deployed(
            stack,
            &web,
            "Tiny",
            BlueGreen::canary(0.05, Duration::minutes(10)),
        );
        deployed(
            stack,
            &web,
            "Over",
            BlueGreen::canary(100.5, Duration::seconds(90)),
        );
        deployed(
            stack,
            &web,
            "Fraction",
            BlueGreen::canary(12.34, Duration::days(2)),
        );
        deployed(
            stack,
            &web,
            "Step",
            BlueGreen::linear(2.0, Duration::minutes(5)),
        );
        deployed(
            stack,
            &web,
            "Long",
            BlueGreen::linear(10.0, Duration::minutes(240)).bake_time(Duration::minutes(30)),
        );
        deployed(
            stack,
            &web,
            "Bake",
            BlueGreen::all_at_once().bake_time(Duration::seconds(30)),
        );
        deployed(
            stack,
            &web,
            "Hook",
            BlueGreen::all_at_once().lifecycle_hook(LifecycleHook::lambda(
                "arn:aws:lambda:eu-west-1:1:function:f",
                [],
            )),
        );
    });
    assert_problems(
        &text,
        &[
            "error: Web/Tiny: canary percent = 0.05%: 0.1% to 100%, in steps of 0.1",
            "error: Web/Over: canary percent = 100.5%: 0.1% to 100%, in steps of 0.1",
            "error: Web/Over: canary bake_time = 90 seconds: whole minutes (ECS counts bake times in minutes)",
            "error: Web/Fraction: canary percent = 12.34%: 0.1% to 100%, in steps of 0.1",
            "error: Web/Fraction: canary bake_time = 2 days: at most 1440 minutes",
            "error: Web/Step: linear step_percent = 2%: 3% to 100%, in steps of 0.1",
            "error: Web/Long: bake_time = 2190 minutes with the LINEAR bake times: at most 1980 minutes (33 hours) in all: CloudFormation refuses longer deployments (its operations time out after 36 hours)",
            "error: Web/Bake: bake_time = 30 seconds: whole minutes (ECS counts bake times in minutes)",
            "error: Web/Hook: lifecycle_hook = no stage: at least one LifecycleStage at which ECS calls the function",
        ],
    );
}

#[test]
fn blue_green_routes_need_one_production_route_and_a_group_of_their_own() {
    let text = errors(|stack| {
        let web = parts(stack);
        let service = FargateService::builder(&web.cluster, &web.task)
            .deployment(BlueGreen::all_at_once())
            .build(stack, "Service");
        let rolling = FargateService::builder(&web.cluster, &web.task).build(stack, "Rolling");
        web.group.add_service_target(stack, &service, "app");
        web.group.add_service_target(stack, &rolling, "app");
        http(stack, &web, "Http", 80, ListenerAction::forward(&web.group));
        http(
            stack,
            &web,
            "Other",
            81,
            ListenerAction::forward(&web.group),
        );

        let other_lb = ApplicationLoadBalancer::builder(&web.vpc).build(stack, "OtherLb");
        let elsewhere = other_lb.add_listener(
            stack,
            "Test",
            ListenerSettings::http(9000, ListenerAction::FixedResponse(404)),
        );
        deployed(
            stack,
            &web,
            "Tested",
            BlueGreen::all_at_once().test_listener(&elsewhere),
        );
    });
    assert_problems(
        &text,
        &[
            "error: Web/Group: add_service_target = Web/Rolling beside Web/Service: a target group of its own for a blue/green service: ECS moves the group's traffic to an alternate group during a deployment, which the other service's tasks never join",
            "error: Web/Group: listener = Web/Other also forwards to the group of blue/green service Web/Service: one listener or rule forwarding to the target group of a blue/green service: ECS moves the weights of one production rule (Web/Http)",
            "error: Web/TestedGroup: test_listener = Web/Test: a listener of the load balancer that carries the production traffic (Web/Lb): ECS shifts test traffic between the same two target groups",
        ],
    );
}

#[test]
fn the_production_listener_is_not_a_test_listener_and_priorities_are_unique() {
    let text = errors(|stack| {
        let web = parts(stack);
        let listener = http(stack, &web, "Http", 80, ListenerAction::forward(&web.group));
        let service = FargateService::builder(&web.cluster, &web.task)
            .deployment(BlueGreen::all_at_once().test_listener(&listener))
            .build(stack, "Service");
        web.group.add_service_target(stack, &service, "app");
        let api = ApplicationTargetGroup::builder(&web.vpc, 80).build(stack, "Api");
        listener.add_rule(
            stack,
            "A",
            RoutingRule::new(7, ListenerAction::forward(&api)).path_patterns(["/a"]),
        );
        listener.add_rule(
            stack,
            "B",
            RoutingRule::new(7, ListenerAction::forward(&api)).path_patterns(["/b"]),
        );
    });
    assert_problems(
        &text,
        &[
            "error: Web/Group: test_listener = Web/Http: another listener than the production one (another port): its rule would take the production traffic",
            "error: Web/Http: priority = 7 (rule \"B\"): a priority no other rule of this listener has (ELB refuses the second rule)",
        ],
    );
}

#[test]
fn a_daemon_service_is_deployed_by_rolling_updates_only() {
    let text = errors(|stack| {
        let web = parts(stack);
        let task = Ec2TaskDefinition::builder()
            .container(
                ContainerDefinition::new("agent", ContainerImage::from_registry("nginx"))
                    .memory_limit_mib(128),
            )
            .build(stack, "AgentTask");
        Ec2Service::builder(&web.cluster, &task)
            .daemon()
            .deployment(Deployment::CodeDeploy)
            .build(stack, "Agent");
    });
    assert!(
        text.contains("error: Web/Agent: deployment = CODE_DEPLOY with daemon scheduling: a rolling update on a daemon service: blue/green and CodeDeploy deployments start a second set of tasks, and a daemon runs one task per instance"),
        "{text}"
    );
}

#[test]
fn l1_services_get_the_same_deployment_rules() {
    use construct_lib::cfn::ecs::service as l1s;
    let text = errors(|stack| {
        let web = parts(stack);
        let canary = FargateService::builder(&web.cluster, &web.task)
            .deployment(BlueGreen::canary(10.0, Duration::minutes(5)))
            .build(stack, "Canary");
        let code_deploy = FargateService::builder(&web.cluster, &web.task)
            .deployment(Deployment::CodeDeploy)
            .build(stack, "CodeDeploy");
        // Escape hatches: what the typed settings cannot express.
        if let Some(service) = stack.l1_mut(canary.resource()) {
            let deployment = service.deployment_configuration.as_mut().expect("set");
            deployment.deployment_circuit_breaker = Some(l1s::DeploymentCircuitBreaker::new(
                l1s::DeploymentCircuitBreakerRequired {
                    enable: true.into(),
                    rollback: true.into(),
                },
            ));
            deployment.linear_configuration = Some(l1s::LinearConfiguration::new());
        }
        if let Some(service) = stack.l1_mut(code_deploy.resource()) {
            service.deployment_configuration =
                Some(l1s::DeploymentConfiguration::new().strategy(l1s::Strategy::BlueGreen));
        }
    });
    assert_problems(
        &text,
        &[
            "error: Web/Canary/Service: DeploymentConfiguration.DeploymentCircuitBreaker = with strategy CANARY: no circuit breaker with this strategy: ECS uses the circuit breaker for rolling updates only; roll back on alarms (Alarms) instead",
            "error: Web/Canary/Service: DeploymentConfiguration.LinearConfiguration = with strategy CANARY: a LinearConfiguration only with strategy LINEAR",
            "error: Web/Canary/Service: DeploymentConfiguration.Strategy = CANARY without a load balancer or Service Connect: a load balancer target group (add_service_target) or Service Connect to shift traffic through; without either, use BLUE_GREEN or a rolling update",
            "error: Web/CodeDeploy/Service: DeploymentConfiguration.Strategy = with the CODE_DEPLOY deployment controller: no Strategy with the CODE_DEPLOY controller: it decides how tasks are replaced and rolls back on its own alarms (a CodeDeploy deployment group's AutoRollbackConfiguration and AlarmConfiguration)",
        ],
    );
}

/// A canary service behind an HTTP listener whose release is granted to role `Ci`.
fn released_by_ci() -> Template {
    use construct_lib::iam::{Principal, Role};
    let mut app = App::new();
    let stack = app.stack("Web");
    let web = parts(stack);
    http(stack, &web, "Http", 80, ListenerAction::forward(&web.group));
    let service = FargateService::builder(&web.cluster, &web.task)
        .deployment(BlueGreen::canary(10.0, Duration::minutes(5)))
        .build(stack, "Service");
    web.group.add_service_target(stack, &service, "app");
    let ci = Role::builder(Principal::service("codebuild.amazonaws.com")).build(stack, "Ci");
    service.grant_release(stack, &ci);
    Template::from_app(&app, "Web")
}

/// The statements of the CI role's policy, in order.
fn ci_statements(template: &Template) -> Vec<Json> {
    let ci_id = id(template, "Ci");
    let policy = template
        .find_resources("AWS::IAM::Policy", Match::any_value())
        .into_values()
        .find(|p| p["Properties"]["Roles"] == json!([{"Ref": ci_id}]))
        .expect("the CI role's policy");
    policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .clone()
}

#[test]
fn a_release_grant_reaches_this_service_and_its_stack_only() {
    let template = released_by_ci();
    let statements = ci_statements(&template);
    let sids: Vec<&str> = statements
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    assert_eq!(
        sids,
        [
            "RegisterTaskDefinitions",
            "TaskDefinitionRevisions",
            "PassTaskRoles",
            "ReadTaskRoles",
            "UpdateAndFollowTheService",
            "FollowServiceDeployments",
            "UpdateTheServiceStack",
            "PassTheInfrastructureRole",
        ]
    );
    let resource = |i: usize| statements[i]["Resource"].clone();
    assert_eq!(
        resource(1),
        json!({"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/web:*"})
    );
    assert_eq!(resource(4), json!({"Ref": id(&template, "Service")}));
    assert_eq!(
        resource(6),
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/Web/*"})
    );
    assert_eq!(
        resource(7),
        json!({"Fn::GetAtt": [id(&template, "ServiceInfrastructureRole"), "Arn"]})
    );
}

/// What CloudFormation's service and task definition handlers call besides the update
/// (their schemas' permissions): the service's tags, stopping a deployment on rollback,
/// reading the roles a task definition names.
#[test]
fn a_release_grant_holds_what_the_resource_handlers_call() {
    let statements = ci_statements(&released_by_ci());
    let actions = |sid: &str| {
        statements
            .iter()
            .find(|s| s["Sid"] == sid)
            .map(|s| s["Action"].clone())
            .unwrap_or_default()
    };
    assert_eq!(
        actions("UpdateAndFollowTheService"),
        json!([
            "ecs:DescribeServices",
            "ecs:ListServiceDeployments",
            "ecs:ListTagsForResource",
            "ecs:TagResource",
            "ecs:UntagResource",
            "ecs:UpdateService"
        ])
    );
    assert_eq!(
        actions("FollowServiceDeployments"),
        json!([
            "ecs:DescribeServiceDeployments",
            "ecs:StopServiceDeployment"
        ])
    );
    assert_eq!(actions("ReadTaskRoles"), json!("iam:GetRole"));
}
