//! What a real account refuses but cfn-lint and the emulator do not see: resources created
//! before what they need, and references that never resolve. Each rule on a minimal L1
//! stack (the check runs on every template, whoever wrote it) and on the L2 path (the
//! constructs wait for what they need by themselves).

use construct_lib::assertions::{Match, Template};
use construct_lib::cfn::ec2;
use construct_lib::cfn::ecs;
use construct_lib::cfn::ecs::task_definition as l1t;
use construct_lib::cfn::elasticloadbalancingv2 as elbv2;
use construct_lib::cfn::model::fns;
use construct_lib::cfn::sns;
use construct_lib::ec2::Vpc;
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize,
    FargateTaskDefinition,
};
use construct_lib::elbv2::{
    ApplicationLoadBalancer, ApplicationTargetGroup, ListenerAction, ListenerSettings,
};
use construct_lib::{App, Scope, Stack, synthesize};
use serde_json::json;

fn problems(app: &App) -> Vec<String> {
    let text = synthesize(app).expect_err("invalid").to_string();
    text.lines().skip(1).map(|l| l.trim().to_owned()).collect()
}

/// A VPC with an attached internet gateway and one subnet, by hand.
struct Network {
    attachment: construct_lib::cfn::model::ResourceRef<ec2::VPCGatewayAttachment>,
    gateway: construct_lib::cfn::model::ResourceRef<ec2::InternetGateway>,
    subnet: construct_lib::cfn::model::ResourceRef<ec2::Subnet>,
    table: construct_lib::cfn::model::ResourceRef<ec2::RouteTable>,
}

fn network(stack: &mut Stack) -> Network {
    let vpc = stack.add("Vpc", ec2::VPC::new().cidr_block("10.0.0.0/16"));
    let gateway = stack.add("Igw", ec2::InternetGateway::new());
    let attachment = stack.add(
        "Attach",
        ec2::VPCGatewayAttachment::new(vpc.ref_value()).internet_gateway_id(gateway.ref_value()),
    );
    let subnet = stack.add(
        "Subnet",
        ec2::Subnet::new(vpc.ref_value()).cidr_block("10.0.0.0/24"),
    );
    let table = stack.add("Table", ec2::RouteTable::new(vpc.ref_value()));
    Network {
        attachment,
        gateway,
        subnet,
        table,
    }
}

#[test]
fn l1_resources_that_need_the_gateway_attachment_are_reported_until_they_wait_for_it() {
    let build = |wait: bool| {
        let mut app = App::new();
        let stack = app.stack("Net");
        let net = network(stack);
        let route = stack.add(
            "Route",
            ec2::Route::new(net.table.ref_value())
                .destination_cidr_block("0.0.0.0/0")
                .gateway_id(net.gateway.ref_value()),
        );
        let eip = stack.add("Eip", ec2::EIP::new().domain("vpc"));
        let nat = stack.add(
            "Nat",
            ec2::NatGateway::new()
                .subnet_id(net.subnet.ref_value())
                .allocation_id(eip.attr_allocation_id()),
        );
        // No Scheme: internet-facing is the default.
        let lb = stack.add(
            "Lb",
            elbv2::LoadBalancer::new().subnets(vec![net.subnet.ref_value()]),
        );
        let private_nat = stack.add(
            "PrivateNat",
            ec2::NatGateway::new()
                .subnet_id(net.subnet.ref_value())
                .connectivity_type("private"),
        );
        if wait {
            stack.resource_options(&route).depends_on(net.attachment);
            stack.resource_options(&eip).depends_on(net.attachment);
            // Through the route is enough: it waits for the attachment.
            stack.resource_options(&nat).depends_on(route);
            stack.resource_options(&lb).depends_on(route);
        }
        let _ = private_nat;
        app
    };
    let allowed = "DependsOn the VPCGatewayAttachment (or a route through the gateway): CloudFormation may create it before the internet gateway is attached, and it fails with Gateway.NotAttached";
    assert_eq!(
        problems(&build(false)),
        [
            format!(
                "error: Net/Eip: DependsOn = an Elastic IP in a VPC without a dependency on the gateway attachment (Attach): {allowed}"
            ),
            format!(
                "error: Net/Lb: DependsOn = an internet-facing load balancer without a dependency on the gateway attachment (Attach): {allowed}"
            ),
            format!(
                "error: Net/Nat: DependsOn = a NAT gateway without a dependency on the gateway attachment (Attach): {allowed}"
            ),
            format!(
                "error: Net/Route: DependsOn = a route through the internet gateway without a dependency on the gateway attachment (Attach): {allowed}"
            ),
        ]
    );
    synthesize(&build(true)).expect("every resource waits for the attachment");
}

/// A cluster, a target group, a listener forwarding to it and a service registered in it,
/// by hand.
fn service_behind_listener(stack: &mut Stack, wait: bool, forward: bool) {
    let net = network(stack);
    let cluster = stack.add("Cluster", ecs::Cluster::new());
    let group = stack.add("Group", elbv2::TargetGroup::new().port(80).protocol("HTTP"));
    let lb = stack.add(
        "Lb",
        elbv2::LoadBalancer::new()
            .scheme("internal")
            .subnets(vec![net.subnet.ref_value()]),
    );
    let action = if forward {
        elbv2::listener::Action::new("forward").target_group_arn(group.ref_value())
    } else {
        elbv2::listener::Action::new("fixed-response")
            .fixed_response_config(elbv2::listener::FixedResponseConfig::new("404"))
    };
    let listener = stack.add(
        "Listener",
        elbv2::Listener::new(elbv2::listener::ListenerRequired {
            default_actions: vec![action],
            load_balancer_arn: lb.ref_value(),
        })
        .port(80),
    );
    let service = stack.add(
        "Service",
        ecs::Service::new()
            .cluster(cluster.ref_value())
            .load_balancers(vec![
                ecs::service::LoadBalancer::new()
                    .container_name("app")
                    .container_port(80)
                    .target_group_arn(group.ref_value()),
            ]),
    );
    if wait {
        stack.resource_options(&service).depends_on(listener);
    }
}

#[test]
fn an_l1_service_must_wait_for_the_listener_that_forwards_to_its_target_group() {
    let allowed = "a service that DependsOn a listener or listener rule of its stack forwarding to the group: ECS refuses a target group without a load balancer (\"does not have an associated load balancer\")";
    let mut app = App::new();
    service_behind_listener(app.stack("Web"), false, true);
    assert_eq!(
        problems(&app),
        [format!(
            "error: Web/Service: LoadBalancers = target group Group without a dependency on its listener (Listener): {allowed}"
        )]
    );
    let mut app = App::new();
    service_behind_listener(app.stack("Web"), true, false);
    assert_eq!(
        problems(&app),
        [format!(
            "error: Web/Service: LoadBalancers = target group Group, which no listener of this stack forwards to: {allowed}"
        )]
    );
    let mut app = App::new();
    service_behind_listener(app.stack("Web"), true, true);
    synthesize(&app).expect("the service waits for its listener");
}

#[test]
fn an_l1_container_secret_with_a_wildcard_arn_is_reported() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let wildcard = fns::sub(
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/db-??????",
    );
    let partial = fns::sub(
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/db",
    );
    let mut logging = l1t::LogConfiguration::new("splunk");
    let secret = |name: &str, value_from: construct_lib::cfn::model::Value<String>| {
        l1t::Secret::new(l1t::SecretRequired {
            name: name.into(),
            value_from,
        })
    };
    logging.secret_options = Some(vec![secret(
        "splunk-token",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:splunk-*".into(),
    )]);
    stack.add(
        "Task",
        ecs::TaskDefinition::new().container_definitions(vec![
            l1t::ContainerDefinition::new(l1t::ContainerDefinitionRequired {
                image: "nginx".into(),
                name: "app".into(),
            })
            .secrets([secret("DB_PASSWORD", wildcard), secret("DB_OK", partial)])
            .log_configuration(logging),
        ]),
    );
    let allowed = "the secret's full ARN, its ARN without the random suffix, or its name (or the parameter's ARN or name): ECS fetches exactly this id, and `?`/`*` are IAM policy wildcards no secret id contains, so every task would fail to start";
    assert_eq!(
        problems(&app),
        [
            format!(
                "error: Web/Task: ContainerDefinitions[app].LogConfiguration.SecretOptions[splunk-token].ValueFrom = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:splunk-*\": {allowed}"
            ),
            format!(
                "error: Web/Task: ContainerDefinitions[app].Secrets[DB_PASSWORD].ValueFrom = \"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:web/db-??????\": {allowed}"
            ),
        ]
    );
}

#[test]
fn resources_that_wait_for_each_other_are_a_cycle() {
    let mut app = App::new();
    let stack = app.stack("Loop");
    let a = stack.add("A", sns::Topic::new());
    let b = stack.add("B", sns::Topic::new().display_name(a.attr_topic_name()));
    let c = stack.add("C", sns::Topic::new());
    stack.resource_options(&a).depends_on(c);
    stack.resource_options(&c).depends_on(b);
    assert_eq!(
        problems(&app),
        [
            "error: Loop/A: DependsOn = a circular dependency: A -> C -> B -> A: resources that wait for each other one way only; remove a DependsOn or a reference"
        ]
    );
}

fn web_stack(listener_first: bool) -> App {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu256Mem512)
        .container(ContainerDefinition::new("app", ContainerImage::from_registry("nginx")).port(80))
        .build(stack, "Task");
    let service = FargateService::builder(&cluster, &task).build(stack, "Service");
    let lb = ApplicationLoadBalancer::builder(&vpc)
        .internet_facing(true)
        .build(stack, "Lb");
    let group = ApplicationTargetGroup::builder(&vpc, 80).build(stack, "Group");
    let http = ListenerSettings::http(80, ListenerAction::forward(&group));
    if listener_first {
        lb.add_listener(stack, "Http", http);
        group.add_service_target(stack, &service, "app");
    } else {
        group.add_service_target(stack, &service, "app");
        lb.add_listener(stack, "Http", http);
    }
    app
}

#[test]
fn l2_constructs_wait_for_the_gateway_their_routes_and_their_listener() {
    let templates: Vec<serde_json::Value> = [true, false]
        .into_iter()
        .map(|first| {
            synthesize(&web_stack(first)).expect("valid").stacks[0]
                .template
                .clone()
        })
        .collect();
    assert_eq!(
        templates[0], templates[1],
        "the order of the calls changes nothing"
    );
    for listener_first in [true, false] {
        let app = web_stack(listener_first);
        let template = Template::from_app(&app, "Web");
        template.has_resource(
            "AWS::EC2::EIP",
            json!({"DependsOn": [template.logical_id_like("VpcVPCGW*")]}),
        );
        template.has_resource(
            "AWS::EC2::NatGateway",
            json!({"DependsOn": [
                template.logical_id_like("VpcPublicSubnet1DefaultRoute*"),
                template.logical_id_like("VpcPublicSubnet1RouteTableAssociation*"),
            ]}),
        );
        template.has_resource(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            json!({"DependsOn": Match::array_with([
                Match::string_like("VpcPublicSubnet1DefaultRoute*"),
                Match::string_like("VpcPublicSubnet2DefaultRoute*"),
            ])}),
        );
        // The service waits for its private subnets' NAT routes and for the listener,
        // whichever was added first.
        template.has_resource(
            "AWS::ECS::Service",
            json!({"DependsOn": Match::array_with([
                Match::string_like("Http*"),
                Match::string_like("VpcPrivateSubnet1DefaultRoute*"),
                Match::string_like("VpcPrivateSubnet2DefaultRoute*"),
            ])}),
        );
    }
}
