//! Constructs of one stack granted or connected to constructs of another: what is needed
//! lands in the stack that depends on the other (the ingress rule, the role's policy, the
//! queue policy with the topic's ARN imported), so that no cycle appears; a real cycle is
//! still an error naming both paths.

use construct_lib::assertions::{Match, Template};
use construct_lib::docdb::DatabaseCluster;
use construct_lib::ec2::{Connectable, Port, Vpc};
use construct_lib::ecs::{
    Cluster, ContainerDefinition, ContainerImage, FargateService, FargateSize,
    FargateTaskDefinition,
};
use construct_lib::iam::{Principal, Role};
use construct_lib::sns::{Subscription, Topic};
use construct_lib::sqs::Queue;
use construct_lib::{App, synthesize};
use serde_json::json;

#[test]
fn connections_grants_and_subscriptions_land_in_the_dependent_stack() {
    let mut app = App::new();
    let data = app.stack("Data");
    let vpc = Vpc::builder().build(data, "Vpc");
    let db = DatabaseCluster::builder(&vpc).build(data, "Db");
    let topic = Topic::builder().build(data, "Notifications");
    let shared_role =
        Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(data, "NodeRole");

    let services = app.stack("Services");
    let queue = Queue::builder().build(services, "Inbox");
    let cluster = Cluster::builder(&vpc).build(services, "Cluster");
    let task = FargateTaskDefinition::builder(FargateSize::Cpu512Mem1024)
        .task_role(&shared_role)
        .container(
            ContainerDefinition::new("api", ContainerImage::from_registry("nginx:1.27"))
                .port(8080)
                .secret_field("DB_PASSWORD", &db.secret(), "password"),
        )
        .build(services, "ApiTask");
    let api = FargateService::builder(&cluster, &task).build(services, "Api");
    db.connections().allow_default_port_from(services, &api);
    topic.grant_publish(services, &shared_role);
    queue.grant_consume_messages(services, &shared_role);
    topic.add_subscription(services, Subscription::sqs(&queue));

    let assembly = synthesize(&app).expect("no cycle");
    assert_eq!(
        assembly.stack("Services").expect("services").dependencies,
        ["Data"]
    );
    assert!(
        assembly
            .stack("Data")
            .expect("data")
            .dependencies
            .is_empty()
    );

    let data = Template::from_app(&app, "Data");
    data.resource_count_is("AWS::EC2::SecurityGroupIngress", 0);
    data.resource_count_is("AWS::IAM::Policy", 0);
    data.resource_count_is("AWS::SNS::Subscription", 0);

    let services = Template::from_app(&app, "Services");
    let import =
        |pattern: &str| Match::object_like([("Fn::ImportValue", Match::string_like(pattern))]);
    // The ingress rule on the database's group, written by the stack that connects to it.
    let rule_id = services.logical_id_like("DataDbSecurityGroupFromServicesApi*");
    services.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        Match::object_like([
            ("GroupId", import("Data:DbSecurityGroup*:GroupId")),
            ("FromPort", Match::exact(27017)),
            ("ToPort", Match::exact(27017)),
            (
                "SourceSecurityGroupId",
                Match::exact(
                    services
                        .value_of(&Connectable::connections(&api).security_groups()[0].group_id()),
                ),
            ),
        ]),
    );
    assert!(rule_id.starts_with("DataDbSecurityGroup"), "{rule_id}");
    // The shared role's statements for this stack's resources: a policy of this stack on
    // the imported role, named after the stack so that it never replaces the role's own.
    services.has_resource_properties(
        "AWS::IAM::Policy",
        Match::object_like([
            (
                "PolicyName",
                Match::exact("ServicesDataNodeRoleDefaultPolicy"),
            ),
            ("Roles", Match::array_with([import("Data:NodeRole*:Ref")])),
        ]),
    );
    // The subscription and queue policy live with the queue; the topic's ARN is imported.
    services.has_resource_properties(
        "AWS::SNS::Subscription",
        Match::object_like([
            ("TopicArn", import("Data:Notifications*:Ref")),
            ("Protocol", Match::exact("sqs")),
        ]),
    );
    let policy = services.find_resources("AWS::SQS::QueuePolicy", Match::any_value());
    let statement = &policy.values().next().expect("queue policy")["Properties"]["PolicyDocument"]
        ["Statement"][0];
    import("Data:Notifications*:Ref")
        .check(&statement["Condition"]["ArnEquals"]["aws:SourceArn"])
        .expect("the topic's ARN, imported");
    // The service waits for the policies that let its tasks start (the execution role's,
    // and the shared task role's policy of this stack).
    let policy = services.logical_id_like("DataNodeRoleDefaultPolicy*");
    let service = services.find_resources("AWS::ECS::Service", Match::any_value());
    let depends_on = service.values().next().expect("service")["DependsOn"].clone();
    assert!(
        depends_on
            .as_array()
            .is_some_and(|d| d.contains(&json!(policy))),
        "{depends_on}"
    );
}

#[test]
fn a_queue_policy_through_another_stack_is_refused_and_a_cycle_names_both_paths() {
    let mut app = App::new();
    let queues = app.stack("Queues");
    let queue = Queue::builder().build(queues, "Inbox");
    let events = app.stack("Events");
    let topic = Topic::builder().build(events, "Notifications");
    // Subscribing through the topic's stack would put a second policy on the queue.
    topic.add_subscription(events, Subscription::sqs(&queue));
    let text = synthesize(&app).expect_err("refused").to_string();
    assert!(
        text.contains("error: Events/Notifications: add_subscription = the queue Queues/Inbox, through stack `Events`: a subscription made while building the queue's stack (pass that stack to add_subscription)"),
        "{text}"
    );
    assert!(!text.contains("Subscription"), "{text}");
    assert_eq!(
        text.lines().count(),
        2,
        "one problem, nothing half-done: {text}"
    );

    // A rule of one stack cannot target the queue of another: said at the rule.
    let mut app = App::new();
    let queues = app.stack("Queues");
    let queue = Queue::builder().build(queues, "Jobs");
    let services = app.stack("Services");
    construct_lib::events::Rule::builder()
        .schedule(construct_lib::events::Schedule::daily_at(3, 0))
        .target(construct_lib::events::Target::sqs(&queue))
        .build(services, "Tick");
    let text = synthesize(&app).expect_err("refused").to_string();
    assert!(
        text.contains("error: Services/Tick: target[0] = Queues/Jobs, of another stack: a topic or queue of the rule's own stack"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");

    // A rule each way between two stacks is a real cycle.
    let mut app = App::new();
    let a = app.stack("A");
    let vpc = Vpc::builder().build(a, "Vpc");
    let group_a = construct_lib::ec2::SecurityGroup::builder(&vpc).build(a, "GroupA");
    let b = app.stack("B");
    let group_b = construct_lib::ec2::SecurityGroup::builder(&vpc).build(b, "GroupB");
    group_a
        .connections()
        .allow_from(b, &group_b, Port::tcp(80), "b to a");
    let a = app.stack_mut("A").expect("A");
    group_b
        .connections()
        .allow_from(a, &group_a, Port::tcp(81), "a to b");
    let text = synthesize(&app).expect_err("cycle").to_string();
    assert!(text.contains("cross-stack references = a cycle"), "{text}");
    assert!(
        text.contains(
            "or make the grant or connection through the dependent stack (the scope argument)"
        ),
        "{text}"
    );
    assert!(
        text.contains("`A/BGroupB/FromAGroupATcp81` uses `B/GroupB/Resource`"),
        "{text}"
    );
    assert!(text.contains("`B/GroupB/Resource` uses `A/"), "{text}");
}
