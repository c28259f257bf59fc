//! CodeDeploy blue/green deployments run by CloudFormation (`BlueGreenHook`, the
//! `AWS::CodeDeployBlueGreen` transform): the EXTERNAL service with its task set, the
//! hook's section, its role, and every limit CloudFormation puts on such stacks.

use construct_lib::assertions::Template;
use construct_lib::codedeploy::{BlueGreenHook, EcsDeploymentConfig, LifecycleEvent};
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, Deployment, FargateService, FargateSize,
    FargateTaskDefinition,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, Listener, ListenerAction, ListenerSettings,
};
use construct_lib::iam::{Principal, Role};
use construct_lib::{App, Duration, Scope, Stack, synthesize};
use serde_json::{Value as Json, json};

/// A load-balanced Fargate service deployed by the hook: what the tests build on.
struct Web {
    service: FargateService,
    blue: ApplicationTargetGroup,
    green: ApplicationTargetGroup,
    production: Listener,
    test: Listener,
}

fn web(stack: &mut Stack, deployment: Deployment) -> Web {
    let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(
            ContainerDefinition::new("app", ContainerImage::from_registry("nginx:1.27")).port(80),
        )
        .build(stack, "Task");
    let service = FargateService::builder(&cluster, &task)
        .desired_count(2)
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
    Web {
        service,
        blue,
        green,
        production,
        test,
    }
}

fn hooked(build: impl FnOnce(&mut Stack, &Web)) -> Template {
    let mut app = App::new();
    let stack = app.stack("Web");
    let parts = web(stack, Deployment::CodeDeployHook);
    build(stack, &parts);
    Template::from_app(&app, "Web")
}

/// The logical ID of construct path `path` (its parts joined) with its hash.
fn id(template: &Template, path: &str) -> String {
    let resources = template.to_json()["Resources"]
        .as_object()
        .expect("resources")
        .clone();
    let found: Vec<String> = resources
        .keys()
        .filter(|id| id.len() == path.len() + 8 && id.starts_with(path))
        .cloned()
        .collect();
    assert_eq!(found.len(), 1, "one logical ID for {path}: {found:?}");
    found[0].clone()
}

/// The template's one hook.
fn only_hook(template: &Template) -> Json {
    let hooks = template.to_json()["Hooks"]
        .as_object()
        .expect("a Hooks section")
        .clone();
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    hooks.values().next().cloned().unwrap_or_default()
}

fn errors(build: impl FnOnce(&mut Stack)) -> String {
    let mut app = App::new();
    build(app.stack("Web"));
    synthesize(&app).expect_err("invalid").to_string()
}

/// Every problem line, exactly, in any order.
fn assert_problems(text: &str, expected: &[&str]) {
    let mut lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    lines.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(lines, expected, "{text}");
}

fn canary_hook(stack: &mut Stack, web: &Web) -> BlueGreenHook {
    BlueGreenHook::builder(&web.service, &web.blue, &web.green, &web.production)
        .test_listener(&web.test)
        .traffic(EcsDeploymentConfig::canary(25, Duration::minutes(10)))
        .termination_wait(Duration::minutes(5))
        .lifecycle_function(LifecycleEvent::AfterAllowTestTraffic, "check-green")
        .build(stack, "Releases")
}

#[test]
fn the_hook_names_the_service_its_task_set_groups_and_listeners_by_logical_id() {
    let t = hooked(|stack, web| {
        canary_hook(stack, web);
    });
    let j = t.to_json();
    assert_eq!(j["Transform"], "AWS::CodeDeployBlueGreen");
    let hook = only_hook(&t);
    let (task, task_set) = (id(&t, "Task"), id(&t, "ServiceTaskSet"));
    assert_eq!(hook["Type"], "AWS::CodeDeploy::BlueGreen", "{hook}");
    assert!(j["Hooks"].as_object().is_some_and(|h| {
        h.keys()
            .all(|k| k.starts_with("Releases") && k.len() == "Releases".len() + 8)
    }));
    assert_eq!(
        hook["Properties"],
        json!({
            "ServiceRole": "Web-Releases",
            "TrafficRoutingConfig": {"Type": "TimeBasedCanary", "TimeBasedCanary": {"StepPercentage": 25, "BakeTimeMins": 10}},
            "AdditionalOptions": {"TerminationWaitTimeInMinutes": 5},
            "LifecycleEventHooks": {"AfterAllowTestTraffic": "check-green"},
            "Applications": [{
                "Target": {"Type": "AWS::ECS::Service", "LogicalID": id(&t, "Service")},
                "ECSAttributes": {
                    "TaskDefinitions": [task.clone(), format!("{task}Green")],
                    "TaskSets": [task_set.clone(), format!("{task_set}Green")],
                    "TrafficRouting": {
                        "ProdTrafficRoute": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "LogicalID": id(&t, "Http")},
                        "TestTrafficRoute": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "LogicalID": id(&t, "Test")},
                        "TargetGroups": [id(&t, "Blue"), id(&t, "Green")],
                    },
                },
            }],
        })
    );
    // The role is named (the hook names it) and may invoke the function the managed
    // policy does not cover (it covers `CodeDeployHook_*` only).
    let role = &j["Resources"][id(&t, "ReleasesServiceRole")];
    assert_eq!(role["Properties"]["RoleName"], "Web-Releases");
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "codedeploy.amazonaws.com"})
    );
    let policy = &j["Resources"][id(&t, "ReleasesServiceRoleDefaultPolicy")];
    let statements = &policy["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[1]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:check-green"})
    );
    // The green task set copies the blue one's tags: ECS asks for ecs:TagResource then.
    assert_eq!(statements[0]["Sid"], "TagNewTaskSets");
    assert_eq!(
        statements[0]["Condition"],
        json!({"StringEquals": {"ecs:CreateAction": "CreateTaskSet"}})
    );
}

#[test]
fn the_service_keeps_its_count_and_its_task_set_runs_the_tasks() {
    let t = hooked(|stack, web| {
        canary_hook(stack, web);
    });
    let j = t.to_json();
    let service = &j["Resources"][id(&t, "Service")]["Properties"];
    assert_eq!(service["DeploymentController"], json!({"Type": "EXTERNAL"}));
    assert_eq!(service["DesiredCount"], 2);
    for moved in [
        "TaskDefinition",
        "LaunchType",
        "NetworkConfiguration",
        "LoadBalancers",
        "PlatformVersion",
    ] {
        assert!(
            service.get(moved).is_none(),
            "{moved} belongs to the task set: {service}"
        );
    }
    let task_set = &j["Resources"][id(&t, "ServiceTaskSet")];
    let properties = &task_set["Properties"];
    assert_eq!(properties["TaskDefinition"], json!({"Ref": id(&t, "Task")}));
    assert_eq!(properties["Service"], json!({"Ref": id(&t, "Service")}));
    assert_eq!(properties["LaunchType"], "FARGATE");
    assert_eq!(
        properties["Scale"],
        json!({"Unit": "PERCENT", "Value": 100.0})
    );
    assert_eq!(
        properties["LoadBalancers"],
        json!([{"ContainerName": "app", "ContainerPort": 80, "TargetGroupArn": {"Ref": id(&t, "Blue")}}])
    );
    assert_eq!(
        properties["NetworkConfiguration"]["AwsVpcConfiguration"]["AssignPublicIp"],
        "DISABLED"
    );
    // The task set registers tasks in the group: it waits for the listener, the
    // execution role's policy and the subnets' routes, as a service would.
    let depends: Vec<&str> = task_set["DependsOn"]
        .as_array()
        .expect("DependsOn")
        .iter()
        .filter_map(Json::as_str)
        .collect();
    assert!(depends.contains(&id(&t, "Http").as_str()), "{depends:?}");
    assert!(
        depends
            .iter()
            .any(|d| d.starts_with("TaskExecutionRoleDefaultPolicy")),
        "{depends:?}"
    );
    assert!(
        depends.iter().any(|d| d.contains("DefaultRoute")),
        "{depends:?}"
    );
    let primary = &j["Resources"][id(&t, "ServicePrimaryTaskSet")]["Properties"];
    assert_eq!(
        primary["TaskSetId"],
        json!({"Fn::GetAtt": [id(&t, "ServiceTaskSet"), "Id"]})
    );
}

#[test]
fn traffic_all_at_once_and_linear_are_written_as_the_hook_takes_them() {
    let traffic = |config: EcsDeploymentConfig| {
        let t = hooked(|stack, web| {
            BlueGreenHook::builder(&web.service, &web.blue, &web.green, &web.production)
                .traffic(config)
                .build(stack, "Releases");
        });
        let hook = only_hook(&t)["Properties"].clone();
        assert!(
            hook.get("AdditionalOptions").is_none() && hook.get("LifecycleEventHooks").is_none()
        );
        assert!(
            hook["Applications"][0]["ECSAttributes"]["TrafficRouting"]
                .get("TestTrafficRoute")
                .is_none()
        );
        hook["TrafficRoutingConfig"].clone()
    };
    assert_eq!(
        traffic(EcsDeploymentConfig::AllAtOnce),
        json!({"Type": "AllAtOnce"})
    );
    assert_eq!(
        traffic(EcsDeploymentConfig::linear(20, Duration::minutes(2))),
        json!({"Type": "TimeBasedLinear", "TimeBasedLinear": {"StepPercentage": 20, "BakeTimeMins": 2}})
    );
}

#[test]
fn a_release_role_may_start_the_hooks_deployments_and_pass_its_role() {
    let t = hooked(|stack, web| {
        let hook = canary_hook(stack, web);
        let ci = Role::builder(Principal::service("codebuild.amazonaws.com")).build(stack, "Ci");
        hook.grant_deploy(stack, &ci);
        web.service.grant_release(stack, &ci);
    });
    let j = t.to_json();
    let statements =
        j["Resources"][id(&t, "CiDefaultPolicy")]["Properties"]["PolicyDocument"]["Statement"]
            .clone();
    let by_sid = |sid: &str| {
        statements
            .as_array()
            .and_then(|all| all.iter().find(|s| s["Sid"] == sid))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        by_sid("CodeDeployBlueGreenHook")["Action"],
        json!([
            "codedeploy:CreateCloudFormationDeployment",
            "codedeploy:Get*"
        ])
    );
    assert_eq!(
        by_sid("PassTheHookRole")["Resource"],
        json!({"Fn::GetAtt": [id(&t, "ReleasesServiceRole"), "Arn"]})
    );
    // CloudFormation applies the transform and creates, switches and deletes the green
    // task set with the caller's permissions, and moves the listeners' traffic.
    assert_eq!(
        by_sid("ApplyTheTransform")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:aws:transform/CodeDeployBlueGreen"})
    );
    assert_eq!(
        by_sid("GreenTaskSets")["Resource"][1],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-set/${Cluster}/${Service}/*", {
            "Cluster": {"Ref": id(&t, "Cluster")},
            "Service": {"Fn::GetAtt": [id(&t, "Service"), "Name"]},
        }]})
    );
    assert_eq!(
        by_sid("TagNewTaskSets")["Condition"],
        json!({"StringEquals": {"ecs:CreateAction": "CreateTaskSet"}})
    );
    assert_eq!(
        by_sid("MoveListenerTraffic")["Resource"],
        json!([{"Ref": id(&t, "Http")}, {"Ref": id(&t, "Test")}])
    );
    // The release updates the task definition only: the service is followed, not updated,
    // and it has no ECS service deployments to follow (its task sets are its deployments).
    assert_eq!(
        by_sid("FollowTheService")["Action"],
        json!("ecs:DescribeServices")
    );
    assert_eq!(by_sid("FollowServiceDeployments"), Json::Null);
}

#[test]
fn the_hook_refuses_what_it_cannot_deploy() {
    let text = errors(|stack| {
        let web = web(stack, Deployment::default());
        BlueGreenHook::builder(&web.service, &web.blue, &web.blue, &web.production)
            .test_listener(&web.production)
            .traffic(EcsDeploymentConfig::Canary10Percent5Minutes)
            .termination_wait(Duration::seconds(90))
            .build(stack, "Releases");
        BlueGreenHook::builder(&web.service, &web.green, &web.blue, &web.production)
            .traffic(EcsDeploymentConfig::linear(20, Duration::seconds(30)))
            .role_name("no spaces allowed")
            .build(stack, "Again");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Releases: service = Web/Service (ROLLING deployments): a service built with .deployment(Deployment::CodeDeployHook): the hook deploys the task set of an EXTERNAL-controller service",
            "error: Web/Releases: traffic step = 10%: 14% to 99%: the hook's time-based shifts move 14% or more per step",
            "error: Web/Releases: termination_wait = 90 seconds: whole minutes (CodeDeploy counts waits in minutes)",
            "error: Web/Releases: green target group = Web/Blue: another target group than the blue one: CodeDeploy registers the green task set in it",
            "error: Web/Releases: test_listener = Web/Http: another listener than the production one (another port)",
            "error: Web/Again: service = Web/Service (ROLLING deployments): a service built with .deployment(Deployment::CodeDeployHook): the hook deploys the task set of an EXTERNAL-controller service",
            "error: Web/Again: traffic bake time = 30 seconds: whole minutes (the hook counts bake times in minutes)",
            "error: Web/Again: green target group = Web/Blue: a target group no service is registered in: CodeDeploy registers the green task set in it",
            "error: Web/Again: blue target group = Web/Green: the target group Web/Service is registered in (add_service_target)",
            "error: Web/Again/ServiceRole: role_name = \"no spaces allowed\": 1 to 64 letters, digits and + = , . @ _ -",
        ],
    );
}

#[test]
fn one_hook_per_stack() {
    let text = errors(|stack| {
        let web = web(stack, Deployment::CodeDeployHook);
        canary_hook(stack, &web);
        BlueGreenHook::builder(&web.service, &web.blue, &web.green, &web.production)
            .build(stack, "Again");
    });
    assert_problems(
        &text,
        &[
            "error: Web/Again: BlueGreenHook = a second hook in the stack: one CodeDeploy blue/green hook per stack: CloudFormation deploys a single ECS service with it",
        ],
    );
}

#[test]
fn a_service_for_the_hook_is_a_fargate_service_without_what_ecs_refuses_with_task_sets() {
    let text = errors(|stack| {
        let vpc = Vpc::builder().max_azs(2).build(stack, "Vpc");
        let cluster = Cluster::builder(&vpc)
            .default_cloud_map_namespace("apps.local")
            .build(stack, "Cluster");
        let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80),
            )
            .build(stack, "Task");
        FargateService::builder(&cluster, &task)
            .deployment(Deployment::CodeDeployHook)
            .cloud_map("web")
            .build(stack, "Service");
        let ec2_task = construct_lib::ecs::Ec2TaskDefinition::builder()
            .container(
                ContainerDefinition::new("app", ContainerImage::from_registry("nginx"))
                    .memory_limit_mib(256),
            )
            .build(stack, "Ec2Task");
        construct_lib::ecs::Ec2Service::builder(&cluster, &ec2_task)
            .deployment(Deployment::CodeDeployHook)
            .build(stack, "Ec2");
    });
    let relevant: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("CodeDeployHook"))
        .map(str::trim)
        .collect();
    let mut relevant = relevant;
    relevant.sort_unstable();
    assert_eq!(
        relevant,
        [
            "error: Web/Ec2: deployment = an EC2 service with Deployment::CodeDeployHook: a Fargate service (task sets of EC2 services are not supported yet); use Deployment::CodeDeploy with an EcsDeploymentGroup",
            "error: Web/Service: cloud_map = web with Deployment::CodeDeployHook: no Cloud Map registration (it would belong to the task set, which this library does not register yet)",
        ],
        "{text}"
    );
}

/// A stack deployed by the hook, with `more` added: what the template checks see.
fn hooked_errors(more: impl FnOnce(&mut Stack, &Web)) -> String {
    errors(|stack| {
        let web = web(stack, Deployment::CodeDeployHook);
        canary_hook(stack, &web);
        more(stack, &web);
    })
}

#[test]
fn a_stack_with_the_hook_has_no_outputs_imports_nested_stacks_or_hidden_values() {
    use construct_lib::Parameter;
    use construct_lib::cfn::model::fns;
    use construct_lib::cfn::ssm;
    let text = hooked_errors(|stack, web| {
        stack.output("ServiceName", web.service.name());
        stack.parameter("Token", Parameter::string().no_echo());
        stack.add(
            "Imported",
            ssm::Parameter::new(ssm::parameter::ParameterRequired {
                type_: ssm::parameter::Type::String.into(),
                value: fns::import_value("Shared-Url"),
            }),
        );
        stack.add(
            "Resolved",
            ssm::Parameter::new(ssm::parameter::ParameterRequired {
                type_: ssm::parameter::Type::String.into(),
                value: "{{resolve:ssm:/web/url}}".into(),
            }),
        );
    });
    assert_problems(
        &text,
        &[
            "error: Web: Outputs.ServiceName = an output (values other stacks use are exported through outputs): no outputs in a stack with the CodeDeploy blue/green hook (CloudFormation refuses it there)",
            "error: Web: Parameters.Token.NoEcho = true: no NoEcho parameters in a stack with the CodeDeploy blue/green hook (CloudFormation refuses it there): CodeDeploy cannot update values it cannot read",
            "error: Web/Imported: Fn::ImportValue = a value of another stack: no imports in a stack with the CodeDeploy blue/green hook (CloudFormation refuses it there): name the other stack's resource, or keep it in this stack",
            "error: Web/Resolved: dynamic reference = {{resolve:...}}: no dynamic references in a stack with the CodeDeploy blue/green hook (CloudFormation refuses it there): CodeDeploy cannot update values it cannot read",
        ],
    );
}

#[test]
fn a_hook_written_by_hand_is_checked_like_the_constructs_one() {
    use construct_lib::cfn::model::Expr;
    use construct_lib::core::hook::Hook;
    let text = errors(|stack| {
        let web = web(stack, Deployment::default());
        let task = Hook::logical_id_of(web.service.task_definition().resource());
        let application = Expr::Object(
            [
                (
                    "Target".to_owned(),
                    Expr::from(json!({"Type": "AWS::ECS::Service"})),
                ),
                (
                    "ECSAttributes".to_owned(),
                    Expr::Object(
                        [
                            (
                                "TaskDefinitions".to_owned(),
                                Expr::List(vec![task.clone(), task]),
                            ),
                            ("TaskSets".to_owned(), Expr::from(json!(["Nowhere"]))),
                            (
                                "TrafficRouting".to_owned(),
                                Expr::from(json!({"TargetGroups": []})),
                            ),
                        ]
                        .into_iter()
                        .collect(),
                    ),
                ),
            ]
            .into_iter()
            .collect(),
        );
        let mut application = application;
        if let Expr::Object(entries) = &mut application {
            entries.insert(
                "Target".to_owned(),
                Expr::Object(
                    [
                        ("Type".to_owned(), Expr::from("AWS::ECS::Service")),
                        (
                            "LogicalID".to_owned(),
                            Hook::logical_id_of(web.service.resource()),
                        ),
                    ]
                    .into_iter()
                    .collect(),
                ),
            );
        }
        stack.hook(
            "ByHand",
            Hook::new("AWS::CodeDeploy::BlueGreen")
                .property("ServiceRole", web.service.name().into_expr())
                .property(
                    "Applications",
                    Expr::List(vec![application.clone(), application]),
                ),
        );
        let _ = (&web.blue, &web.green, &web.production, &web.test);
    });
    assert_problems(
        &text,
        &[
            "error: Web/ByHand: Transform = not declared: the template's Transform to include AWS::CodeDeployBlueGreen, which runs the hook",
            "error: Web/ByHand: Properties = an intrinsic function: literal values: the transform reads the hook as written (resources by logical ID, the role by name)",
            "error: Web/ByHand: Applications = 2 entries: exactly one: the hook deploys a single ECS service",
            "error: Web/ByHand: Applications[0].Target.LogicalID = ServiceA513FD59 (deployment controller ECS): a service of the EXTERNAL deployment controller, whose task sets the hook deploys",
            "error: Web/ByHand: Applications[0].TaskDefinitions[1] = Task8487B061 (the template's AWS::ECS::TaskDefinition): a logical ID no resource has: the transform creates the green resource under it",
            "error: Web/ByHand: Applications[0].TaskSets[0] = Nowhere (no resource of the template): the logical ID of a resource of type AWS::ECS::TaskSet in the template",
            "error: Web/ByHand: Applications[0].TaskSets[1] = missing: a logical ID of the template",
            "error: Web/ByHand: Applications[0].TargetGroups[0] = missing: a logical ID of the template",
            "error: Web/ByHand: Applications[0].TargetGroups[1] = missing: a logical ID of the template",
            "error: Web/ByHand: Applications[0].ProdTrafficRoute.LogicalID = missing: a logical ID of the template",
        ],
    );
}

#[test]
fn alarms_do_not_roll_a_hook_deployment_back() {
    use construct_lib::cloudwatch::{Alarm, Metric};
    let text = errors(|stack| {
        let web = web(stack, Deployment::CodeDeployHook);
        let alarm = Alarm::builder(
            Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
            5.0,
        )
        .build(stack, "Errors");
        web.service.rollback_on_alarms(stack, &[alarm]);
    });
    assert_problems(
        &text,
        &[
            "error: Web/Service: rollback_on_alarms = Web/Errors: no alarms: ECS does not watch alarms for the EXTERNAL controller, and CloudFormation's CodeDeploy hook takes none (a failed deployment rolls the stack back); use Deployment::CodeDeploy with a deployment group for alarm rollback",
        ],
    );
}
