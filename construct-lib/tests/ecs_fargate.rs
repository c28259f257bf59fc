//! ECS on Fargate behind an ALB: defaults, the permissions the task definition derives, the
//! wiring between service, target group and load balancer, scaling, Cloud Map, and every
//! rule checked on containers, services, load balancers and scaling.

use construct_lib::applicationautoscaling::{
    Metric, RequestCountScaling, ScalingStep, Schedule, StepScaling, TargetTracking,
};
use construct_lib::assertions::{Match, Template};
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{
    CapacityProvider, CapacityProviderStrategy, Cluster, ContainerDefinition, ContainerImage,
    DependencyCondition, FargateService, FargateSize, FargateTaskDefinition, HealthCheck, Logging,
    PortMapping, Rolling,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction, ListenerSettings, RoutingRule,
};
use construct_lib::secretsmanager::Secret;
use construct_lib::ssm::StringParameter;
use construct_lib::{App, Duration, synthesize};
use serde_json::json;

fn app_container() -> ContainerDefinition {
    ContainerDefinition::new(
        "app",
        ContainerImage::from_registry("ghcr.io/acme/web:1.4.2"),
    )
    .port_mapping(PortMapping::tcp(3000).name("http"))
    .env("NODE_ENV", "production")
    .health_check(HealthCheck::shell(
        "curl -f http://localhost:3000/health || exit 1",
    ))
}

/// A web service behind an ALB with secrets, scaling and Cloud Map: the parts the tests
/// below look at, and its template.
struct WebService {
    template: Template,
    vpc: Vpc,
    task: FargateTaskDefinition,
    lb: ApplicationLoadBalancer,
    target: ApplicationTargetGroup,
    api_key: StringParameter,
}

fn web_service() -> WebService {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc)
        .container_insights(true)
        .default_cloud_map_namespace("apps.local")
        .build(stack, "Cluster");
    let db_password = Secret::from_name("web/db-password");
    let api_key = StringParameter::from_name("/web/api-key");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu512Mem1024)
        .volume("shared")
        .container(
            ContainerDefinition::new(
                "init",
                ContainerImage::from_registry("ghcr.io/acme/migrate:1.4.2"),
            )
            .essential(false)
            .command(["npm", "run", "migrate"]),
        )
        .container(
            app_container()
                .secret("DB_PASSWORD", &db_password)
                .ssm_secret("API_KEY", &api_key)
                .depends_on("init", DependencyCondition::Complete)
                .mount("shared", "/data", false)
                .ulimit("nofile", 65536, 65536)
                .stop_timeout(Duration::seconds(60)),
        )
        .build(stack, "Task");
    let service = FargateService::builder(&cluster, &task)
        .deployment(
            Rolling::new()
                .min_healthy_percent(50)
                .max_healthy_percent(200),
        )
        .cloud_map("web")
        .enable_execute_command(true)
        .health_check_grace_period(Duration::minutes(1))
        .build(stack, "Service");
    let lb = ApplicationLoadBalancer::builder(&vpc)
        .internet_facing(true)
        .build(stack, "Lb");
    let target = ApplicationTargetGroup::builder(&vpc, 3000)
        .health_check_path("/health")
        .build(stack, "Target");
    let http = ListenerSettings::http(80, ListenerAction::forward(&target));
    lb.add_listener(stack, "Http", http);
    target.add_service_target(stack, &service, "app");
    let scaling = service.auto_scale_task_count(stack, 2..=10);
    scaling.scale_on_cpu_utilization(
        stack,
        "Cpu",
        TargetTracking::new(70.0)
            .scale_out_cooldown(Duration::seconds(60))
            .scale_in_cooldown(Duration::minutes(2)),
    );
    let requests = RequestCountScaling::new(&lb, &target, TargetTracking::new(500.0));
    scaling.scale_on_request_count(stack, "Requests", requests);
    let night = Schedule::cron("0 22 * * ? *");
    scaling.scale_on_schedule(stack, "Night", night, 1..=2);

    WebService {
        template: Template::from_app(&app, "Web"),
        vpc,
        task,
        lb,
        target,
        api_key,
    }
}

#[test]
fn the_cluster_has_container_insights_and_a_namespace() {
    let WebService { template, vpc, .. } = web_service();
    template.has_resource_properties(
        "AWS::ECS::Cluster",
        json!({"CapacityProviders": ["FARGATE", "FARGATE_SPOT"],
               "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]}),
    );
    template.has_resource_properties(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        json!({"Name": "apps.local", "Vpc": template.value_of(&vpc.vpc_id())}),
    );
}

#[test]
fn the_task_definition_runs_both_containers_and_names_secrets_by_arn() {
    let WebService { template, task, .. } = web_service();
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({
            "Cpu": "512", "Memory": "1024", "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "ExecutionRoleArn": template.value_of(&task.execution_role().arn()),
            "TaskRoleArn": template.value_of(&task.task_role().arn()),
            "Volumes": [{"Name": "shared"}],
            "ContainerDefinitions": [
                {"Name": "init", "Essential": false, "Command": ["npm", "run", "migrate"]},
                {"Name": "app", "Essential": true,
                 "PortMappings": [{"ContainerPort": 3000, "Protocol": "tcp", "Name": "http"}],
                 "Environment": [{"Name": "NODE_ENV", "Value": "production"}],
                 // What ECS resolves: the secret's ARN without the random suffix (never the
                 // `-??????` wildcard of the grant) and the parameter's ARN.
                 "Secrets": [
                    {"Name": "DB_PASSWORD", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/db-password"}},
                    {"Name": "API_KEY", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/web/api-key"}}],
                 "DependsOn": [{"ContainerName": "init", "Condition": "COMPLETE"}],
                 "MountPoints": [{"SourceVolume": "shared", "ContainerPath": "/data", "ReadOnly": false}],
                 "Ulimits": [{"Name": "nofile", "SoftLimit": 65536, "HardLimit": 65536}],
                 "StopTimeout": 60,
                 "HealthCheck": {"Command": ["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"],
                                 "Interval": 30, "Retries": 3, "Timeout": 5},
                 "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                     "awslogs-group": template.value_of(&task.log_group().expect("group").name()),
                     "awslogs-stream-prefix": "app"}}}
            ]
        }),
    );
}

#[test]
fn the_roles_get_exactly_what_the_containers_use() {
    let WebService {
        template,
        task,
        api_key,
        ..
    } = web_service();
    // The execution role reads exactly the two secrets and writes to the log group.
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({
            "Roles": [template.value_of(&task.execution_role().name())],
            "PolicyDocument": {"Statement": [
                {"Action": ["logs:CreateLogStream", "logs:PutLogEvents"]},
                // The grant matches any suffix of the secret's ARN: a wildcard IAM takes.
                {"Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                 "Resource": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/db-password-??????"}},
                {"Action": ["ssm:GetParameters", "ssm:GetParameter"],
                 "Resource": template.value_of(&api_key.arn())}
            ]}
        }),
    );
    // ECS Exec gives the task role the SSM channels only.
    template.has_resource_properties(
        "AWS::IAM::Policy",
        json!({
            "Roles": [template.value_of(&task.task_role().name())],
            "PolicyDocument": {"Statement": [{"Action": [
                "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], "Resource": "*"}]}
        }),
    );
}

#[test]
fn the_service_is_registered_with_its_target_group_and_cloud_map() {
    let WebService {
        template, target, ..
    } = web_service();
    template.has_resource_properties(
        "AWS::ECS::Service",
        json!({
            // The task count scales: no DesiredCount to reset it on every deploy.
            "DesiredCount": Match::absent(), "LaunchType": "FARGATE", "EnableExecuteCommand": true,
            "DeploymentConfiguration": {
                "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
                "MinimumHealthyPercent": 50, "MaximumPercent": 200},
            "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "DISABLED"}},
            "HealthCheckGracePeriodSeconds": 60,
            "LoadBalancers": [{"ContainerName": "app", "ContainerPort": 3000,
                               "TargetGroupArn": template.value_of(&target.arn())}],
            "ServiceRegistries": [{"RegistryArn": {"Fn::GetAtt": [template.logical_id_like("ServiceCloudMapService*"), "Arn"]}}]
        }),
    );
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        json!({"Scheme": "internet-facing", "Type": "application"}),
    );
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        json!({"TargetType": "ip", "Port": 3000, "HealthCheckPath": "/health"}),
    );
}

#[test]
fn the_load_balancer_is_open_to_the_internet_and_the_service_only_to_it() {
    let WebService { template, lb, .. } = web_service();
    // The listener's port is open to the internet; the service only to the load balancer.
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"CidrIp": "0.0.0.0/0", "FromPort": 80,
               "GroupId": template.value_of(&lb.security_group().group_id())}),
    );
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"FromPort": 3000,
               "SourceSecurityGroupId": template.value_of(&lb.security_group().group_id())}),
    );
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 2);
}

#[test]
fn the_task_count_scales_on_cpu_requests_and_a_schedule() {
    let WebService {
        template,
        lb,
        target,
        ..
    } = web_service();
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        json!({"MinCapacity": 2, "MaxCapacity": 10, "ScalableDimension": "ecs:service:DesiredCount",
               "ServiceNamespace": "ecs",
               "ScheduledActions": [{"ScheduledActionName": "Night", "Schedule": "cron(0 22 * * ? *)",
                                     "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2}}]}),
    );
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        json!({"PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 70.0, "ScaleOutCooldown": 60, "ScaleInCooldown": 120,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}),
    );
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        json!({"TargetTrackingScalingPolicyConfiguration": {"PredefinedMetricSpecification": {
            "PredefinedMetricType": "ALBRequestCountPerTarget",
            "ResourceLabel": {"Fn::Join": ["/", [template.value_of(&lb.full_name()), template.value_of(&target.full_name())]]}}}}),
    );
    template.has_resource_properties(
        "AWS::ServiceDiscovery::Service",
        json!({"Name": "web", "DnsConfig": {"DnsRecords": [{"Type": "A", "TTL": 60.0}]}}),
    );
}

/// A worker on Fargate Spot, logging through FireLens, scaled in steps on a queue backlog.
fn spot_worker_app() -> App {
    let mut app = App::new();
    let stack = app.stack("Jobs");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu1024Mem2048)
        .container(
            ContainerDefinition::new(
                "log-router",
                ContainerImage::from_registry(
                    "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
                ),
            )
            .fluent_bit_log_router()
            .memory_reservation_mib(50),
        )
        .container(
            ContainerDefinition::new(
                "worker",
                ContainerImage::from_registry("ghcr.io/acme/worker:2.0"),
            )
            .logging(Logging::firelens([("Name", "cloudwatch")])),
        )
        .build(stack, "Task");
    let worker = FargateService::builder(&cluster, &task)
        .capacity_provider(CapacityProviderStrategy::new(CapacityProvider::FargateSpot).weight(4))
        .capacity_provider(CapacityProviderStrategy::new(CapacityProvider::Fargate).base(1))
        .propagate_tags_from_task_definition()
        .build(stack, "Worker");
    let backlog = Metric {
        namespace: "AWS/SQS".to_owned(),
        name: "ApproximateNumberOfMessagesVisible".to_owned(),
        dimensions: vec![("QueueName".to_owned(), "jobs".into())],
        statistic: "Maximum".to_owned(),
    };
    let steps = StepScaling::new(
        backlog,
        [
            ScalingStep {
                lower: None,
                upper: Some(10.0),
                change: -1,
            },
            ScalingStep {
                lower: Some(100.0),
                upper: Some(500.0),
                change: 2,
            },
            ScalingStep {
                lower: Some(500.0),
                upper: None,
                change: 5,
            },
        ],
    )
    .cooldown(Duration::minutes(2));
    worker
        .auto_scale_task_count(stack, 1..=20)
        .scale_on_metric(stack, "Queue", steps);
    app
}

#[test]
fn a_spot_worker_firelens_and_step_scaling() {
    let app = spot_worker_app();
    let template = Template::from_app(&app, "Jobs");
    template.has_resource_properties(
        "AWS::ECS::Service",
        Match::object_like([
            ("LaunchType", Match::absent()),
            (
                "CapacityProviderStrategy",
                json!([
                {"CapacityProvider": "FARGATE_SPOT", "Weight": 4, "Base": 0},
                {"CapacityProvider": "FARGATE", "Weight": 1, "Base": 1}])
                .into(),
            ),
            ("LoadBalancers", Match::absent()),
            ("PropagateTags", Match::exact("TASK_DEFINITION")),
        ]),
    );
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"ContainerDefinitions": [
            {"Name": "log-router", "FirelensConfiguration": {"Type": "fluentbit"}},
            {"Name": "worker", "LogConfiguration": {"LogDriver": "awsfirelens", "Options": {"Name": "cloudwatch"}}}
        ]}),
    );
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"Threshold": 100.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold", "MetricName": "ApproximateNumberOfMessagesVisible"}),
    );
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({"Threshold": 10.0, "ComparisonOperator": "LessThanOrEqualToThreshold"}),
    );
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        json!({"PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {"StepAdjustments": [
            {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 400.0, "ScalingAdjustment": 2},
            {"MetricIntervalLowerBound": 400.0, "ScalingAdjustment": 5}]}}),
    );
}

fn errors(build: impl FnOnce(&mut construct_lib::Stack)) -> String {
    let mut app = App::new();
    build(app.stack("Web"));
    synthesize(&app).expect_err("invalid").to_string()
}

/// Every problem line, exactly: one mistake gives one line.
fn assert_problems(text: &str, expected: &[&str]) {
    let lines: Vec<&str> = text.lines().skip(1).map(str::trim).collect();
    assert_eq!(lines, expected, "{text}");
}

/// What `containers_are_checked_together` reports, one line per mistake.
const CONTAINER_PROBLEMS: &[&str] = &[
    "error: Web/Empty: container = none: at least one container",
    "error: Web/Rules: container depends_on = app -> side -> app: dependencies without a cycle",
    "error: Web/Rules: container[app].depends_on = \"app\": another container",
    "error: Web/Rules: container[app].depends_on = \"missing\": a container of the task (app, logs, side)",
    "error: Web/Rules: container[app].depends_on = \"side\" COMPLETE: \"side\" non-essential (an essential container that exits stops the task)",
    "error: Web/Rules: container[app].depends_on = \"side\" HEALTHY: a health check on \"side\", or another condition",
    "error: Web/Rules: container[app].health_check.interval = 1 second: 5 seconds to 300 seconds",
    "error: Web/Rules: container[app].health_check.retries = 11: 1 to 10",
    "error: Web/Rules: container[app].memory_reservation_mib = 200 MiB: at most the memory limit (100 MiB)",
    "error: Web/Rules: container[app].mount = \"nowhere\": a volume of the task (none)",
    "error: Web/Rules: container[app].port_mapping = \"http\": port mapping names unique in the task",
    "error: Web/Rules: container[app].stop_timeout = 3 minutes: at most 120 seconds",
    "error: Web/Rules: container[logs].logging = FireLens: a log router in the task (fluent_bit_log_router on one container)",
    "error: Web/Rules: container[logs].port = 0: 1 to 65535",
    "error: Web/Rules: ephemeral_storage_gib = 500 GiB: 21 to 200 GiB",
    "error: Web/Sums: container = \"a\": container names unique in the task",
    "error: Web/Sums: container = \"bad name\": 1 to 255 letters, digits, hyphens and underscores",
    "error: Web/Sums: container = no essential container: at least one essential container (the task stops when it does)",
    "error: Web/Sums: container cpu = 400 units in all: at most the task's 256 units (256 CPU units / 512 MiB)",
    "error: Web/Sums: container memory = 600 MiB in all: at most the task's 512 MiB (256 CPU units / 512 MiB)",
];

#[test]
fn containers_are_checked_together() {
    let text = errors(|s| {
        let image = || ContainerImage::from_registry("nginx");
        FargateTaskDefinition::builder(FargateSize::Cpu256Mem512).build(s, "Empty");
        FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new("a", image())
                    .essential(false)
                    .cpu(200)
                    .memory_limit_mib(400),
            )
            .container(
                ContainerDefinition::new("a", image())
                    .essential(false)
                    .cpu(200)
                    .memory_reservation_mib(200),
            )
            .container(ContainerDefinition::new("bad name", image()).essential(false))
            .build(s, "Sums");
        FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(
                ContainerDefinition::new("app", image())
                    .port_mapping(PortMapping::tcp(80).name("http"))
                    .port_mapping(PortMapping::tcp(81).name("http"))
                    .depends_on("missing", DependencyCondition::Start)
                    .depends_on("app", DependencyCondition::Start)
                    .depends_on("side", DependencyCondition::Healthy)
                    .depends_on("side", DependencyCondition::Complete)
                    .mount("nowhere", "/x", true)
                    .stop_timeout(Duration::minutes(3))
                    .memory_limit_mib(100)
                    .memory_reservation_mib(200)
                    .health_check(
                        HealthCheck::shell("true")
                            .interval(Duration::seconds(1))
                            .retries(11),
                    ),
            )
            .container(
                ContainerDefinition::new("side", image())
                    .depends_on("app", DependencyCondition::Start),
            )
            .container(
                ContainerDefinition::new("logs", image())
                    .essential(false)
                    .port(0)
                    .logging(Logging::firelens::<&str, &str>([])),
            )
            .ephemeral_storage_gib(500)
            .build(s, "Rules");
    });
    assert_problems(&text, CONTAINER_PROBLEMS);
}

/// What `services_load_balancers_and_scaling_are_checked` reports, one line per mistake.
const SERVICE_PROBLEMS: &[&str] = &[
    "error: Web/Http/Api: conditions = none: at least one condition (path_patterns, host_headers)",
    "error: Web/Http/Api: priority = 0: 1 to 50000",
    "error: Web/Lb: idle_timeout = 0 seconds: 1 second to 4000 seconds",
    "error: Web/Lb: vpc_subnets = the public subnets: the VPC has no such subnets; its tiers are: Data (isolated)",
    "error: Web/Service: add_service_target = app:8080: a container port of the task definition (app:3000)",
    "error: Web/Service: capacity_provider = every weight 0: at least one provider with a weight above 0",
    "error: Web/Service: capacity_provider = several providers with a base: a base on one provider at most",
    "error: Web/Service: cloud_map = \"web\": a cluster with a default Cloud Map namespace (default_cloud_map_namespace)",
    "error: Web/Service: max_healthy_percent = 50%: 100 to 200%",
    "error: Web/Service: min_healthy_percent = 150%: 0 to 100%",
    "error: Web/Service: vpc_subnets = the subnets of tier \"App\": the VPC has no such subnets; its tiers are: Data (isolated)",
    "error: Web/Service/TaskCount: auto_scale_task_count = minimum 5, maximum 2: a minimum not above the maximum",
    "error: Web/Service/TaskCount: scale_on_schedule = \"Bad\" cron \"every day\": a cron expression of 6 fields (0 8 * * ? *)",
    "error: Web/Service/TaskCount: scale_on_schedule = \"Fast\" every 30 seconds: a rate of whole minutes, at least 1 minute",
    "error: Web/Service/TaskCount/Cpu: target = 150%: 1 to 100%",
    "error: Web/Service/TaskCount/Steps: steps = [0, 10) +1 and [5, +inf) +2: steps that do not overlap",
    "error: Web/Target: health_check_path = \"health\": a path starting with /",
    "error: Web/Target: healthy_threshold = 1: 2 to 10",
    "error: Web/Target: unhealthy_threshold = 11: 2 to 10",
];

#[test]
fn services_load_balancers_and_scaling_are_checked() {
    let text = errors(|s| {
        let vpc = Vpc::builder()
            .subnet_configuration([construct_lib::ec2::SubnetConfiguration::isolated("Data")])
            .build(s, "Vpc");
        let cluster = Cluster::builder(&vpc).build(s, "Cluster");
        let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
            .container(app_container())
            .build(s, "Task");
        let service = FargateService::builder(&cluster, &task)
            .vpc_subnets(construct_lib::ec2::SubnetSelection::Tier("App".into()))
            .deployment(
                Rolling::new()
                    .min_healthy_percent(150)
                    .max_healthy_percent(50),
            )
            .cloud_map("web")
            .capacity_provider(
                CapacityProviderStrategy::new(CapacityProvider::Fargate)
                    .weight(0)
                    .base(1),
            )
            .capacity_provider(
                CapacityProviderStrategy::new(CapacityProvider::FargateSpot)
                    .weight(0)
                    .base(1),
            )
            .build(s, "Service");
        let lb = ApplicationLoadBalancer::builder(&vpc)
            .internet_facing(true)
            .idle_timeout(Duration::seconds(0))
            .build(s, "Lb");
        let target = ApplicationTargetGroup::builder(&vpc, 8080)
            .health_check_path("health")
            .healthy_threshold(1)
            .unhealthy_threshold(11)
            .build(s, "Target");
        target.add_service_target(s, &service, "app");
        let http = ListenerSettings::http(80, ListenerAction::FixedResponse(404));
        let listener = lb.add_listener(s, "Http", http);
        listener.add_rule(
            s,
            "Api",
            RoutingRule::new(0, ListenerAction::forward(&target)),
        );
        let scaling = service.auto_scale_task_count(s, std::ops::RangeInclusive::new(5, 2));
        scaling.scale_on_cpu_utilization(s, "Cpu", TargetTracking::new(150.0));
        scaling.scale_on_schedule(s, "Bad", Schedule::cron("every day"), 1..=1);
        scaling.scale_on_schedule(s, "Fast", Schedule::Rate(Duration::seconds(30)), 1..=1);
        let metric = Metric {
            namespace: "X".into(),
            name: "Y".into(),
            dimensions: vec![],
            statistic: "Average".into(),
        };
        let steps = [
            ScalingStep {
                lower: Some(0.0),
                upper: Some(10.0),
                change: 1,
            },
            ScalingStep {
                lower: Some(5.0),
                upper: None,
                change: 2,
            },
        ];
        scaling.scale_on_metric(s, "Steps", StepScaling::new(metric, steps));
    });
    assert_problems(&text, SERVICE_PROBLEMS);
}

#[test]
fn the_service_waits_for_its_roles_policies_even_for_later_grants() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(app_container())
        .build(stack, "Task");
    FargateService::builder(&cluster, &task).build(stack, "Service");
    // Granted after the service exists: the service must still wait for it.
    construct_lib::s3::Bucket::builder()
        .build(stack, "Uploads")
        .grant_get_put(stack, task.task_role(), Some("uploads/"));
    let template = Template::from_app(&app, "Web");
    template.has_resource(
        "AWS::ECS::Service",
        json!({"DependsOn": Match::array_with([
            Match::string_like("TaskExecutionRoleDefaultPolicy*"),
            Match::string_like("TaskTaskRoleDefaultPolicy*"),
        ])}),
    );
}

#[test]
fn scaling_lives_under_each_service_and_leaves_the_count_to_scaling() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(app_container())
        .build(stack, "Task");
    // Two scaled services in one stack: their scaling resources do not collide.
    for (name, count) in [("Api", None), ("Worker", Some(3))] {
        let mut service = FargateService::builder(&cluster, &task);
        if let Some(count) = count {
            service = service.desired_count(count);
        }
        let service = service.build(stack, name);
        let scaling = service.auto_scale_task_count(stack, 2..=10);
        assert_eq!(scaling.path(), format!("Web/{name}/TaskCount"));
        scaling.scale_on_cpu_utilization(stack, "Cpu", TargetTracking::new(70.0));
    }
    FargateService::builder(&cluster, &task).build(stack, "Fixed");
    let assembly = synthesize(&app).expect("valid");
    assert_eq!(
        assembly
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "warning: Web/Worker: desired_count = 3: left out of the template because the task count scales: a DesiredCount would reset the count scaling chose on every deploy; the service starts with 1 task and scaling raises it to its minimum (set the minimum instead)"
        ]
    );
    let template = Template::from_app(&app, "Web");
    for name in ["Api", "Worker"] {
        template.has_resource_properties(
            "AWS::ApplicationAutoScaling::ScalableTarget",
            json!({"MinCapacity": 2, "ResourceId": {"Fn::Join": ["/", ["service",
                {"Ref": template.logical_id_like("Cluster*")},
                {"Fn::GetAtt": [template.logical_id_like(&format!("{name}Service*")), "Name"]}]]}}),
        );
        template.has_resource_properties(
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            json!({"PolicyName": format!("Web{name}TaskCountCpu")}),
        );
    }
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 2);
    // Scaled services leave DesiredCount out; the fixed one keeps the default of 1.
    template.resource_count_is("AWS::ECS::Service", 3);
    let counts: Vec<Option<i64>> = template
        .find_resources("AWS::ECS::Service", json!({}))
        .values()
        .map(|service| service["Properties"]["DesiredCount"].as_i64())
        .collect();
    assert_eq!(
        counts.iter().filter(|c| c.is_none()).count(),
        2,
        "{counts:?}"
    );
    assert!(counts.contains(&Some(1)), "{counts:?}");
}
