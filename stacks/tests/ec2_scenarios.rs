//! Scenarios 3 (ec2-cluster) and 4 (java-webapp): what their stacks must contain in each
//! environment, the security properties a production review looks for (the instances admit
//! the app port from the load balancer only and SSH from the configured block only), the
//! Environment tag on every resource that takes tags (by the L1 registry), and their
//! configuration files and schemas.

use construct_lib::assertions::{Match, Template};
use serde_json::{Value as Json, json};
use stacks::config::{ScenarioConfig, config_dir};
use stacks::ec2_cluster::config::Ec2ClusterConfig;
use stacks::java_webapp::config::JavaWebappConfig;

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

fn group_id(template: &Template, prefix: &str) -> Json {
    json!({"Fn::GetAtt": [id_of(template, "AWS::EC2::SecurityGroup", prefix), "GroupId"]})
}

/// Every ingress rule of `group` (a `GroupId` value): its `SecurityGroupIngress` resources
/// and the group's inline rules, as (protocol, from, to, source), sorted.
fn ingress_of(template: &Template, group: &Json) -> Vec<(String, i64, i64, Json)> {
    let resources = &template.to_json()["Resources"];
    let rule = |r: &Json| {
        let source = if r["CidrIp"].is_null() {
            r["SourceSecurityGroupId"].clone()
        } else {
            r["CidrIp"].clone()
        };
        let protocol = r["IpProtocol"].as_str().unwrap_or_default().to_owned();
        let port = |name: &str| r[name].as_i64().unwrap_or(-1);
        (protocol, port("FromPort"), port("ToPort"), source)
    };
    let standalone = resources
        .as_object()
        .expect("resources")
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .map(|r| &r["Properties"])
        .filter(|p| &p["GroupId"] == group);
    let own = group["Fn::GetAtt"][0].as_str().unwrap_or_default();
    let inline = resources[own]["Properties"]["SecurityGroupIngress"]
        .as_array()
        .into_iter()
        .flatten();
    let mut rules: Vec<_> = standalone.chain(inline).map(rule).collect();
    rules.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    rules
}

/// Every resource whose type takes tags, by the L1 registry, carries `Environment` =
/// `env`; returns how many were checked.
fn assert_every_taggable_resource_is_tagged(template: &Template, env: &str) -> usize {
    let mut checked = 0;
    for (id, resource) in template.to_json()["Resources"]
        .as_object()
        .expect("resources")
    {
        let type_name = resource["Type"].as_str().unwrap_or_default();
        let taggable = construct_lib::cfn::registry::lookup(type_name)
            .is_some_and(|info| info.tagging.is_some());
        if !taggable {
            continue;
        }
        let tags = &resource["Properties"]["Tags"];
        let tagged = match tags {
            Json::Array(items) => items
                .iter()
                .any(|t| t["Key"] == "Environment" && t["Value"] == env),
            // Map-shaped tags (a few types take `{key: value}`).
            Json::Object(map) => map.get("Environment") == Some(&json!(env)),
            _ => false,
        };
        assert!(tagged, "{id} ({type_name}) lacks Environment={env}: {tags}");
        checked += 1;
    }
    checked
}

#[test]
fn ec2_cluster_dev_has_every_element_of_the_scenario() {
    let t = template("dev", "Ec2Cluster");
    assert_planned_network(&t);
    let cluster = id_of(&t, "AWS::ECS::Cluster", "Cluster");
    assert_instances_join_the_cluster(&t, &cluster);
    assert_app_behind_the_load_balancer(&t);
    assert_metrics_agent_on_every_instance(&t);
    assert_failures_notify_the_topic(&t, &cluster);
    assert!(assert_every_taggable_resource_is_tagged(&t, "dev") > 30);
    assert_launch_template_tags_what_it_launches(&t, "dev");
}

/// Subnets planned as the Terraform module plans them, one NAT gateway.
fn assert_planned_network(t: &Template) {
    let mut blocks: Vec<String> = t
        .find_resources("AWS::EC2::Subnet", Match::any_value())
        .values()
        .map(|s| {
            s["Properties"]["CidrBlock"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    blocks.sort();
    assert_eq!(
        blocks,
        [
            "10.40.0.0/24",
            "10.40.1.0/24",
            "10.40.50.0/24",
            "10.40.51.0/24"
        ]
    );
    t.resource_count_is("AWS::EC2::InternetGateway", 1);
    t.resource_count_is("AWS::EC2::NatGateway", 1);
}

/// The AMI comes from the public SSM parameter of the ECS-optimized Amazon Linux 2023, the
/// user data joins `cluster`, the group is the cluster's capacity, Session Manager instead
/// of SSH.
fn assert_instances_join_the_cluster(t: &Template, cluster: &str) {
    let parameters = t.to_json()["Parameters"].clone();
    let (image, spec) = parameters
        .as_object()
        .expect("parameters")
        .iter()
        .find(|(_, p)| p["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
        .map(|(k, v)| (k.clone(), v.clone()))
        .expect("an image parameter");
    assert_eq!(
        spec["Default"],
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
    );
    t.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        json!({"LaunchTemplateData": {"ImageId": {"Ref": image}, "InstanceType": "t3.medium",
            "MetadataOptions": {"HttpTokens": "required"}, "KeyName": Match::absent()}}),
    );
    let user_data = t.find_resources("AWS::EC2::LaunchTemplate", Match::any_value());
    let user_data = user_data.values().next().expect("launch template")["Properties"]
        ["LaunchTemplateData"]["UserData"]
        .to_string();
    assert!(
        user_data.contains(&format!("\"ECS_CLUSTER=\",{{\"Ref\":\"{cluster}\"}}")),
        "{user_data}"
    );
    // Instances in the private subnets, protected for the capacity provider.
    t.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        json!({"MinSize": "1", "MaxSize": "3", "NewInstancesProtectedFromScaleIn": false}),
    );
    t.has_resource_properties(
        "AWS::ECS::CapacityProvider",
        json!({"AutoScalingGroupProvider": {"ManagedScaling": {"Status": "ENABLED", "TargetCapacity": 100},
            "ManagedTerminationProtection": "DISABLED", "ManagedDraining": "ENABLED"}}),
    );
    // Session Manager instead of SSH.
    t.has_resource_properties(
        "AWS::IAM::Role",
        json!({"ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}]}),
    );
    t.resource_count_is("AWS::ECS::ClusterCapacityProviderAssociations", 1);
}

/// The app: bridge, dynamic host port, binpack and an instance-type constraint, behind an
/// internet-facing load balancer.
fn assert_app_behind_the_load_balancer(t: &Template) {
    t.has_resource_properties(
        "AWS::ECS::Service",
        json!({"DesiredCount": 2, "HealthCheckGracePeriodSeconds": 60, "PropagateTags": "SERVICE",
            "PlacementStrategies": [{"Type": "spread", "Field": "attribute:ecs.availability-zone"}, {"Type": "binpack", "Field": "MEMORY"}],
            "PlacementConstraints": [{"Type": "memberOf", "Expression": "attribute:ecs.instance-type in [t3.medium]"}]}),
    );
    t.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"NetworkMode": "bridge", "ContainerDefinitions": [Match::object_like([
            ("PortMappings", Match::exact(json!([{"ContainerPort": 80, "HostPort": 0, "Protocol": "tcp"}]))),
            ("MemoryReservation", Match::exact(256)), ("Memory", Match::exact(512))])]}),
    );
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        json!({"Scheme": "internet-facing"}),
    );
}

/// The metrics agent on every instance, publishing to its namespace only; log groups for
/// the agent and the containers.
fn assert_metrics_agent_on_every_instance(t: &Template) {
    t.has_resource_properties(
        "AWS::ECS::Service",
        json!({"SchedulingStrategy": "DAEMON", "LaunchType": "EC2"}),
    );
    t.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"NetworkMode": "host",
            "Volumes": [{"Name": "proc", "Host": {"SourcePath": "/proc"}}, {"Name": "root", "Host": {"SourcePath": "/"}}]}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{"Action": "cloudwatch:PutMetricData", "Effect": "Allow", "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "ECS/ContainerInstances"}}}]}}),
    );
    // Log groups for the agent and the containers.
    // The two tasks' groups and the VPC's flow logs.
    t.resource_count_is("AWS::Logs::LogGroup", 3);
    t.has_resource_properties("AWS::Logs::LogGroup", json!({"RetentionInDays": 7}));
}

/// Tasks of `cluster` that stopped on a failure, and its failed deployments, notify the
/// topic, which admits EventBridge.
fn assert_failures_notify_the_topic(t: &Template, cluster: &str) {
    let topic = id_of(t, "AWS::SNS::Topic", "Alerts");
    t.has_resource_properties(
        "AWS::Events::Rule",
        json!({"EventPattern": {"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
                "detail": {"lastStatus": ["STOPPED"], "stopCode": ["EssentialContainerExited", "TaskFailedToStart"],
                    "clusterArn": [{"Fn::GetAtt": [cluster, "Arn"]}]}},
               "Targets": [{"Arn": {"Ref": topic}, "Id": Match::any_value()}]}),
    );
    t.has_resource_properties(
        "AWS::Events::Rule",
        json!({"EventPattern": {"source": ["aws.ecs"], "detail-type": ["ECS Deployment State Change"],
                "detail": {"eventName": ["SERVICE_DEPLOYMENT_FAILED"]},
                "resources": [{"prefix": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ecs:", {"Ref": "AWS::Region"},
                    ":", {"Ref": "AWS::AccountId"}, ":service/", {"Ref": cluster}, "/"]]}}]},
               "Targets": [{"Arn": {"Ref": topic}, "Id": Match::any_value()}]}),
    );
    t.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        json!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like([
            ("Principal", Match::exact(json!({"Service": "events.amazonaws.com"}))),
            ("Action", Match::exact("sns:Publish")),
        ])])}}),
    );
}

/// The launch template carries the tag for itself, its instances and their volumes
/// (`TagSpecifications`: the registry lists no tag property for the type).
fn assert_launch_template_tags_what_it_launches(template: &Template, env: &str) {
    let tag = json!([{"Key": "Environment", "Value": env}]);
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        json!({
            "TagSpecifications": [{"ResourceType": "launch-template", "Tags": tag.clone()}],
            "LaunchTemplateData": {"TagSpecifications": [
                {"ResourceType": "instance", "Tags": tag.clone()},
                {"ResourceType": "volume", "Tags": tag},
            ]},
        }),
    );
}

#[test]
fn ec2_cluster_instances_admit_the_app_from_the_load_balancer_and_ssh_from_one_block() {
    for (env, ssh) in [("dev", None), ("prod", Some("10.99.0.0/24"))] {
        let t = template(env, "Ec2Cluster");
        let instances = group_id(&t, "InstancesSecurityGroup");
        let lb = group_id(&t, "LoadBalancerSecurityGroup");
        let mut expected = vec![("tcp".to_owned(), 32768, 65535, lb)];
        if let Some(block) = ssh {
            expected.push(("tcp".to_owned(), 22, 22, json!(block)));
        }
        expected.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        assert_eq!(ingress_of(&t, &instances), expected, "{env}");
    }
}

#[test]
fn ec2_cluster_prod_spreads_over_three_zones_with_a_key_and_an_alert_address() {
    let t = template("prod", "Ec2Cluster");
    t.resource_count_is("AWS::EC2::Subnet", 6);
    t.resource_count_is("AWS::EC2::NatGateway", 3);
    t.has_resource_properties(
        "AWS::EC2::Subnet",
        json!({"CidrBlock": "10.50.52.0/24", "MapPublicIpOnLaunch": false}),
    );
    t.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        json!({"LaunchTemplateData": {"InstanceType": "m7i.large", "KeyName": "ops"}}),
    );
    t.has_resource_properties(
        "AWS::ECS::Cluster",
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]}),
    );
    t.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({"Protocol": "email", "Endpoint": "ops@example.com"}),
    );
    assert!(assert_every_taggable_resource_is_tagged(&t, "prod") > 30);
}

#[test]
fn java_webapp_dev_has_every_element_of_the_scenario() {
    let images = template("dev", "JavaWebappRepository");
    images.has_resource_properties(
        "AWS::ECR::Repository",
        json!({"ImageScanningConfiguration": {"ScanOnPush": true},
               "LifecyclePolicy": {"LifecyclePolicyText": Match::string_like("*\"countNumber\":10*")}}),
    );
    let repository = id_of(&images, "AWS::ECR::Repository", "Repository");
    let t = template("dev", "JavaWebapp");
    t.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        json!({"NetworkMode": "bridge", "RequiresCompatibilities": ["EC2"],
            "ContainerDefinitions": [Match::object_like([
                ("Image", Match::exact(json!({"Fn::Join": ["", [{"Fn::ImportValue": format!("JavaWebappRepository:{repository}:RepositoryUri")}, ":1.0.0"]]}))),
                ("PortMappings", Match::exact(json!([{"ContainerPort": 8080, "HostPort": 8081, "Protocol": "tcp"}]))),
                ("MemoryReservation", Match::exact(768)),
                ("Memory", Match::exact(1536)),
            ])]}),
    );
    t.has_resource_properties(
        "AWS::ECS::Service",
        json!({"DesiredCount": 1, "HealthCheckGracePeriodSeconds": 180, "PropagateTags": "SERVICE",
            "DeploymentConfiguration": {"MinimumHealthyPercent": 0, "MaximumPercent": 100,
            "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}}}),
    );
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        json!({"TargetType": "instance", "Port": 8080, "HealthCheckPath": "/health", "HealthCheckPort": "traffic-port"}),
    );
    assert!(assert_every_taggable_resource_is_tagged(&t, "dev") > 25);
    assert_launch_template_tags_what_it_launches(&t, "dev");
    assert_eq!(assert_every_taggable_resource_is_tagged(&images, "dev"), 1);
}

#[test]
fn java_webapp_instances_admit_the_host_port_from_the_load_balancer_and_ssh_from_one_block() {
    for env in ["dev", "prod"] {
        let t = template(env, "JavaWebapp");
        let instances = group_id(&t, "InstancesSecurityGroup");
        let lb = group_id(&t, "LoadBalancerSecurityGroup");
        let mut expected = vec![
            ("tcp".to_owned(), 8081, 8081, lb),
            ("tcp".to_owned(), 22, 22, json!("10.99.0.0/24")),
        ];
        expected.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        assert_eq!(ingress_of(&t, &instances), expected, "{env}");
    }
}

#[test]
fn java_webapp_prod_keeps_more_images_and_runs_three_tasks() {
    let images = template("prod", "JavaWebappRepository");
    images.has_resource_properties(
        "AWS::ECR::Repository",
        json!({"LifecyclePolicy": {"LifecyclePolicyText": Match::string_like("*\"countNumber\":30*")}}),
    );
    let t = template("prod", "JavaWebapp");
    t.has_resource_properties(
        "AWS::ECS::Service",
        json!({"DesiredCount": 3, "DeploymentConfiguration": {"MinimumHealthyPercent": 66, "MaximumPercent": 100}}),
    );
    t.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        json!({"MinSize": "3", "MaxSize": "6"}),
    );
    assert!(assert_every_taggable_resource_is_tagged(&t, "prod") > 25);
}

/// A config schema beside its configs is current; a bad config names the problem.
fn check_schema(
    dir: &str,
    schema: &str,
    expected: &str,
    load: impl Fn(&std::path::Path) -> String,
) {
    let path = config_dir().join(dir).join(schema);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, expected).expect("schema written");
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == expected,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test -p stacks --test ec2_scenarios` and review the change",
        path.display()
    );
    let dev = std::fs::read_to_string(config_dir().join(dir).join("dev.json")).expect("dev");
    let temp = tempfile::tempdir().expect("temp dir");
    for (text, message) in [
        (dev.replace("\"zones\"", "\"azs\""), "unknown field `azs`"),
        (
            dev.replace("\"log_retention_days\": 7", "\"log_retention_days\": 8"),
            "log_retention_days 8 is not a CloudWatch Logs period",
        ),
    ] {
        let file = temp.path().join("bad.json");
        std::fs::write(&file, text).expect("written");
        let error = load(&file);
        assert!(error.contains(message), "expected {message:?} in {error}");
        assert!(
            error.ends_with(&format!("(see {schema} beside it)")),
            "{error}"
        );
    }
}

#[test]
fn the_schemas_beside_the_configs_are_current_and_bad_configs_are_clear() {
    check_schema(
        "ec2-cluster",
        "ec2-cluster.schema.json",
        &Ec2ClusterConfig::schema_json(),
        |file| {
            Ec2ClusterConfig::load_file(file)
                .expect_err("invalid")
                .to_string()
        },
    );
    check_schema(
        "java-webapp",
        "java-webapp.schema.json",
        &JavaWebappConfig::schema_json(),
        |file| {
            JavaWebappConfig::load_file(file)
                .expect_err("invalid")
                .to_string()
        },
    );
}
