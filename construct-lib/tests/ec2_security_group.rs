//! Security groups and connections: defaults, the rules `allow_from` writes, explicit
//! internet access, and the misuse that is reported.

use construct_lib::assertions::{Match, Template};
use construct_lib::ec2::{Port, SecurityGroup, Vpc};
use construct_lib::{App, synthesize};
use serde_json::json;

#[test]
fn a_new_group_allows_all_outbound_and_nothing_inbound() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let group = SecurityGroup::builder(&vpc).build(stack, "AppSg");
    let template = Template::from_app(&app, "Web");
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        Match::object_like([
            ("GroupDescription", json!("Web/AppSg").into()),
            ("VpcId", template.value_of(&vpc.vpc_id()).into()),
            (
                "SecurityGroupEgress",
                json!([{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]).into(),
            ),
            ("SecurityGroupIngress", Match::absent()),
        ]),
    );
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 0);
    assert!(group.allows_all_outbound());
    assert!(group.resource().is_some());
}

#[test]
fn allow_from_writes_ingress_and_egress_only_where_outbound_is_restricted() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let lb = SecurityGroup::builder(&vpc)
        .allow_all_outbound(false)
        .description("load balancer")
        .build(stack, "LbSg");
    let service = SecurityGroup::builder(&vpc).build(stack, "ServiceSg");
    service
        .connections()
        .allow_from(stack, &lb, Port::tcp(3000), "from the load balancer");
    // The same rule twice is written once.
    service
        .connections()
        .allow_from(stack, &lb, Port::tcp(3000), "from the load balancer");
    let template = Template::from_app(&app, "Web");
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 1);
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({
            "GroupId": template.value_of(&service.group_id()),
            "SourceSecurityGroupId": template.value_of(&lb.group_id()),
            "IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3000,
            "Description": "from the load balancer",
        }),
    );
    template.resource_count_is("AWS::EC2::SecurityGroupEgress", 1);
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupEgress",
        json!({
            "GroupId": template.value_of(&lb.group_id()),
            "DestinationSecurityGroupId": template.value_of(&service.group_id()),
            "IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3000,
        }),
    );
    // The restricted group keeps AWS from adding "all outbound" with a rule matching nothing.
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        json!({
            "GroupDescription": "load balancer",
            "SecurityGroupEgress": [{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic"}],
        }),
    );
    assert!(
        template
            .logical_id_like("ServiceSgFromWebLbSgTcp3000*")
            .starts_with("ServiceSgFromWebLbSgTcp3000")
    );
}

#[test]
fn internet_access_is_explicit_and_allow_to_mirrors_allow_from() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let lb = SecurityGroup::builder(&vpc).build(stack, "LbSg");
    let db = SecurityGroup::builder(&vpc).build(stack, "DbSg");
    let api = SecurityGroup::builder(&vpc)
        .allow_all_outbound(false)
        .build(stack, "ApiSg");
    lb.connections()
        .allow_from_any_ipv4(stack, Port::tcp(443), "HTTPS from the internet");
    lb.connections().allow_from_ipv4(
        stack,
        "10.0.0.0/8",
        Port::all_traffic(),
        "from the corporate network",
    );
    api.connections()
        .allow_to(stack, &db, Port::tcp(5432), "to the database");
    let template = Template::from_app(&app, "Web");
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({"CidrIp": "0.0.0.0/0", "FromPort": 443, "Description": "HTTPS from the internet"}),
    );
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        Match::object_like([
            ("CidrIp", Match::exact("10.0.0.0/8")),
            ("IpProtocol", Match::exact("-1")),
            ("FromPort", Match::absent()),
        ]),
    );
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        json!({
            "GroupId": template.value_of(&db.group_id()),
            "SourceSecurityGroupId": template.value_of(&api.group_id()),
            "FromPort": 5432,
        }),
    );
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupEgress",
        json!({
            "GroupId": template.value_of(&api.group_id()),
            "DestinationSecurityGroupId": template.value_of(&db.group_id()),
        }),
    );
}

#[test]
fn rules_on_existing_groups_are_reported() {
    let mut app = App::new();
    let existing = SecurityGroup::from_id("sg-0123456789abcdef0", true);
    let other = app.stack("Other");
    existing
        .connections()
        .allow_from_any_ipv4(other, Port::tcp(22), "ssh");
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_eq!(
        text.lines().skip(1).map(str::trim).collect::<Vec<_>>(),
        [
            "error: Other: allow_from_any_ipv4 = ingress tcp 22 on an existing group: rules on groups this app creates; manage an existing group's rules where it is defined",
        ],
        "{text}"
    );
}

#[test]
fn ports_have_readable_labels() {
    assert_eq!(Port::tcp(443).label(), "tcp 443");
    assert_eq!(Port::tcp_range(1024, 65535).label(), "tcp 1024-65535");
    assert_eq!(Port::all_tcp().label(), "tcp 0-65535");
    assert_eq!(Port::udp(53).label(), "udp 53");
    assert_eq!(Port::icmp_ping().label(), "icmp ping");
    assert_eq!(Port::all_traffic().label(), "all traffic");
}

#[test]
fn a_block_that_is_not_an_ipv4_network_is_reported_on_the_group() {
    let mut app = App::new();
    let stack = app.stack("Web");
    let vpc = Vpc::builder().build(stack, "Vpc");
    let group = SecurityGroup::builder(&vpc).build(stack, "AppSg");
    group
        .connections()
        .allow_from_ipv4(stack, "office", Port::tcp(22), "SSH");
    group
        .connections()
        .allow_from_ipv4(stack, "10.0.0.1/16", Port::tcp(22), "SSH");
    let text = synthesize(&app).expect_err("invalid").to_string();
    assert_eq!(
        text.lines().skip(1).collect::<Vec<_>>(),
        [
            "  error: Web/AppSg: allow_from_ipv4 = \"10.0.0.1/16\": a network address: 10.0.0.1 is inside 10.0.0.0/16",
            "  error: Web/AppSg: allow_from_ipv4 = \"office\": an IPv4 block a.b.c.d/n, such as 10.0.0.0/16",
        ],
        "{text}"
    );
}
