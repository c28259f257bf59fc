//! The L2 `Vpc`: defaults, options, import, subnet selection, and every validation rule with
//! the message it gives.

use construct_lib::cfn::model::Value;
use construct_lib::ec2::{
    GatewayEndpoint, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcAttributes,
};
use construct_lib::{App, synthesize};
use serde_json::{Value as Json, json};

fn template(app: &App, stack: &str) -> Json {
    synthesize(app)
        .expect("valid app")
        .stack(stack)
        .expect("stack")
        .template
        .clone()
}

fn of_type<'a>(template: &'a Json, resource_type: &str) -> Vec<(&'a String, &'a Json)> {
    template["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == resource_type)
        .collect()
}

fn errors(build: impl FnOnce(&mut construct_lib::Stack)) -> String {
    let mut app = App::new();
    build(app.stack("Net"));
    synthesize(&app).expect_err("invalid").to_string()
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

#[test]
fn defaults_give_two_zones_of_public_and_private_subnets_with_a_nat_each() {
    let mut app = App::new();
    let vpc = Vpc::builder().build(app.stack("Net"), "Vpc");
    let t = template(&app, "Net");
    let vpcs = of_type(&t, "AWS::EC2::VPC");
    assert_eq!(vpcs.len(), 1);
    assert_eq!(
        vpcs[0].1["Properties"],
        json!({"CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true, "EnableDnsSupport": true,
               "Tags": [{"Key": "Name", "Value": "Net/Vpc"}]})
    );
    let mut blocks: Vec<&str> = of_type(&t, "AWS::EC2::Subnet")
        .iter()
        .map(|(_, s)| {
            s["Properties"]["CidrBlock"]
                .as_str()
                .expect("literal block")
        })
        .collect();
    blocks.sort();
    assert_eq!(
        blocks,
        [
            "10.0.0.0/18",
            "10.0.128.0/18",
            "10.0.192.0/18",
            "10.0.64.0/18"
        ]
    );
    assert_eq!(of_type(&t, "AWS::EC2::NatGateway").len(), 2);
    assert_eq!(of_type(&t, "AWS::EC2::EIP").len(), 2);
    assert_eq!(of_type(&t, "AWS::EC2::InternetGateway").len(), 1);
    assert_eq!(of_type(&t, "AWS::EC2::Route").len(), 4);
    let zone = &t["Resources"]["VpcPublicSubnet2Subnet416A9F58"]["Properties"]["AvailabilityZone"];
    assert_eq!(zone, &json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]}));
    assert_eq!(vpc.subnets().len(), 4);
    assert_eq!(vpc.subnets()[0].tier(), "Public");
    assert_eq!(vpc.subnets()[0].cidr_block(), Some("10.0.0.0/18"));
    assert!(vpc.resource().is_some());
    assert!(vpc.internet_gateway_id().is_some());
}

#[test]
fn tiers_masks_zones_one_nat_and_an_s3_endpoint() {
    let mut app = App::new();
    let vpc = Vpc::builder()
        .cidr("10.1.0.0/16")
        .availability_zones(["eu-west-1a", "eu-west-1b", "eu-west-1c"])
        .subnet_configuration([
            SubnetConfiguration::public("Ingress").cidr_mask(24),
            SubnetConfiguration::private_with_egress("App").cidr_mask(20),
            SubnetConfiguration::isolated("Data").cidr_mask(24),
        ])
        .nat_gateways(1)
        .gateway_endpoint(GatewayEndpoint::S3)
        .build(app.stack("Net"), "Vpc");
    let t = template(&app, "Net");
    assert_eq!(of_type(&t, "AWS::EC2::Subnet").len(), 9);
    assert_eq!(of_type(&t, "AWS::EC2::NatGateway").len(), 1);
    let routes = of_type(&t, "AWS::EC2::Route");
    // 3 public routes to the gateway, 3 private routes to the one NAT, none for Data.
    assert_eq!(routes.len(), 6);
    let nat_routes: Vec<&Json> = routes
        .iter()
        .filter_map(|(_, r)| r["Properties"].get("NatGatewayId"))
        .collect();
    assert_eq!(nat_routes.len(), 3);
    assert!(nat_routes.iter().all(|r| *r == nat_routes[0]));
    let app = vpc
        .select_subnets(&SubnetSelection::Tier("App".to_owned()))
        .expect("App");
    let app_blocks: Vec<&str> = app.iter().map(|s| s.cidr_block().expect("block")).collect();
    assert_eq!(app_blocks, ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/20"]);
    let data = vpc
        .select_subnets(&SubnetSelection::Type(SubnetType::PrivateIsolated))
        .expect("Data");
    // Larger blocks first keeps every block aligned: the /20s, then the /24s in tier order.
    assert_eq!(vpc.subnets()[0].cidr_block(), Some("10.1.48.0/24"));
    assert_eq!(data[0].cidr_block(), Some("10.1.51.0/24"));
    let endpoint = of_type(&t, "AWS::EC2::VPCEndpoint");
    assert_eq!(endpoint.len(), 1);
    assert_eq!(
        endpoint[0].1["Properties"]["ServiceName"],
        json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"})
    );
    assert_eq!(
        endpoint[0].1["Properties"]["RouteTableIds"]
            .as_array()
            .expect("tables")
            .len(),
        9
    );
    let zone = vpc.subnets()[0].availability_zone().expect("zone");
    assert_eq!(zone.as_literal_str(), Some("eu-west-1a"));
    // The default selection is the private subnets with egress.
    let default = vpc
        .select_subnets(&SubnetSelection::Default)
        .expect("private");
    assert!(default.iter().all(|s| s.tier() == "App"));
}

#[test]
fn explicit_blocks_are_used_as_given() {
    let mut app = App::new();
    let vpc = Vpc::builder()
        .cidr("10.20.0.0/16")
        .subnet_configuration([
            SubnetConfiguration::public("Public").cidr_blocks(["10.20.0.0/24", "10.20.1.0/24"]),
            SubnetConfiguration::private_with_egress("Private")
                .cidr_blocks(["10.20.50.0/24", "10.20.51.0/24"]),
        ])
        .build(app.stack("Net"), "Vpc");
    template(&app, "Net");
    let blocks: Vec<&str> = vpc
        .subnets()
        .iter()
        .filter_map(|s| s.cidr_block())
        .collect();
    assert_eq!(
        blocks,
        [
            "10.20.0.0/24",
            "10.20.1.0/24",
            "10.20.50.0/24",
            "10.20.51.0/24"
        ]
    );
}

#[test]
fn an_imported_vpc_creates_nothing_and_selects_its_subnets() {
    let mut app = App::new();
    app.stack("Net");
    let vpc = Vpc::from_attributes(VpcAttributes {
        vpc_id: Value::from("vpc-123"),
        cidr_block: None,
        availability_zones: vec![Value::from("eu-west-1a"), Value::from("eu-west-1b")],
        public_subnet_ids: vec![Value::from("subnet-a"), Value::from("subnet-b")],
        private_subnet_ids: vec![],
        isolated_subnet_ids: vec![Value::from("subnet-c"), Value::from("subnet-d")],
    });
    assert_eq!(of_type(&template(&app, "Net"), "AWS::EC2::VPC").len(), 0);
    assert!(vpc.resource().is_none());
    let chosen = vpc
        .select_subnets(&SubnetSelection::Default)
        .expect("isolated");
    let ids: Vec<String> = chosen
        .iter()
        .filter_map(|s| s.subnet_id().as_literal_str().map(str::to_owned))
        .collect();
    assert_eq!(ids, ["subnet-c", "subnet-d"]);
    assert_eq!(chosen[0].subnet_type(), SubnetType::PrivateIsolated);
    let error = vpc
        .select_subnets(&SubnetSelection::Type(SubnetType::PrivateWithEgress))
        .expect_err("none");
    assert_eq!(
        error,
        "the VPC has no such subnets; its tiers are: Public (public), Isolated (isolated)"
    );
}

#[test]
fn invalid_vpc_blocks() {
    let text = errors(|s| {
        Vpc::builder().cidr("10.0.0/16").build(s, "A");
        Vpc::builder().cidr("10.0.0.1/16").build(s, "B");
        Vpc::builder().cidr("10.0.0.0/8").build(s, "C");
    });
    assert_has(
        &text,
        "error: Net/A: cidr = \"10.0.0/16\": an IPv4 block a.b.c.d/n, such as 10.0.0.0/16",
    );
    assert_has(
        &text,
        "error: Net/B: cidr = \"10.0.0.1/16\": a network address: 10.0.0.1 is inside 10.0.0.0/16",
    );
    assert_has(
        &text,
        "error: Net/C: cidr = \"10.0.0.0/8\": a block from /16 to /28 (AWS's VPC sizes), not /8",
    );
}

#[test]
fn invalid_zones_and_tiers() {
    let text = errors(|s| {
        Vpc::builder()
            .max_azs(0)
            .subnet_configuration([SubnetConfiguration::isolated("Data")])
            .build(s, "A");
        Vpc::builder()
            .availability_zones(Vec::<String>::new())
            .subnet_configuration([SubnetConfiguration::isolated("Data")])
            .build(s, "B");
        Vpc::builder().subnet_configuration([]).build(s, "C");
        Vpc::builder()
            .subnet_configuration([
                SubnetConfiguration::isolated("Data"),
                SubnetConfiguration::isolated("Data"),
                SubnetConfiguration::isolated("Bad-Name"),
            ])
            .build(s, "D");
        Vpc::builder()
            .cidr("10.0.0.0/20")
            .subnet_configuration([
                SubnetConfiguration::isolated("Small").cidr_mask(29),
                SubnetConfiguration::isolated("Big").cidr_mask(18),
            ])
            .build(s, "E");
        // A hostile count is reported, not made into as many zones.
        Vpc::builder().max_azs(usize::MAX).build(s, "F");
    });
    // Every mistake once: the masks that are not allowed are not also allocated.
    assert_eq!(
        text.lines().skip(1).map(str::trim).collect::<Vec<_>>(),
        [
            "error: Net/A: max_azs = 0: at least 1 availability zone",
            "error: Net/B: availability_zones = none: at least one availability zone",
            "error: Net/C: subnet_configuration = none: at least one subnet tier",
            "error: Net/D: subnet_configuration = \"Bad-Name\": a tier name of letters and digits",
            "error: Net/D: subnet_configuration = \"Data\": tier names unique within the VPC",
            "error: Net/E: subnet_configuration[Big].cidr_mask = 18: /16 to /28, and not larger than the VPC block",
            "error: Net/E: subnet_configuration[Small].cidr_mask = 29: /16 to /28, and not larger than the VPC block",
            &format!(
                "error: Net/F: max_azs = {}: at most 6 availability zones (the most a region has); name the zones with availability_zones",
                usize::MAX
            ),
        ],
        "{text}"
    );
}

#[test]
fn subnets_that_do_not_fit() {
    let text = errors(|s| {
        Vpc::builder()
            .cidr("10.0.0.0/24")
            .subnet_configuration([SubnetConfiguration::isolated("Data").cidr_mask(24)])
            .build(s, "A");
        Vpc::builder()
            .cidr("10.0.0.0/26")
            .max_azs(3)
            .subnet_configuration([
                SubnetConfiguration::isolated("A"),
                SubnetConfiguration::isolated("B"),
            ])
            .build(s, "B");
    });
    assert_has(
        &text,
        "error: Net/A: subnet_configuration = 1 tier(s) x 2 zone(s) in 10.0.0.0/24: subnets that fit the VPC block: the subnets need 512 addresses but 10.0.0.0/24 has 256",
    );
    assert_has(
        &text,
        "error: Net/B: subnet_configuration = 2 tier(s) x 3 zone(s) in 10.0.0.0/26: subnets that fit the VPC block: the subnets without a size would get /29 blocks of 10.0.0.0/26; AWS allows /28 at the smallest",
    );
}

#[test]
fn invalid_explicit_blocks() {
    let text = errors(|s| {
        Vpc::builder()
            .subnet_configuration([
                SubnetConfiguration::public("Public").cidr_blocks(["10.0.0.0/24", "10.0.1.0/24"]),
                SubnetConfiguration::private_with_egress("Private"),
            ])
            .build(s, "Mixed");
        Vpc::builder()
            .subnet_configuration([
                SubnetConfiguration::public("Public").cidr_blocks(["10.0.0.0/24"]),
                SubnetConfiguration::private_with_egress("Private").cidr_blocks([
                    "10.1.0.0/24",
                    "10.0.0.0/29",
                    "10.0.0.0/25x",
                ]),
            ])
            .build(s, "Wrong");
        Vpc::builder()
            .subnet_configuration([
                SubnetConfiguration::public("Public").cidr_blocks(["10.0.0.0/24", "10.0.1.0/24"]),
                SubnetConfiguration::private_with_egress("Private")
                    .cidr_blocks(["10.0.0.128/25", "10.0.2.0/24"]),
            ])
            .build(s, "Overlap");
    });
    assert_has(
        &text,
        "error: Net/Mixed: subnet_configuration = 1 of 2 tiers with cidr_blocks or first_block: cidr_blocks or first_block on every tier or on none",
    );
    assert_has(
        &text,
        "error: Net/Wrong: subnet_configuration[Public].cidr_blocks = 1 block(s): one block per availability zone (2)",
    );
    assert_has(
        &text,
        "error: Net/Wrong: subnet_configuration[Private].cidr_blocks = 3 block(s): one block per availability zone (2)",
    );
    assert_has(
        &text,
        "error: Net/Wrong: subnet_configuration[Private].cidr_blocks = \"10.1.0.0/24\": a block inside the VPC block 10.0.0.0/16",
    );
    assert_has(
        &text,
        "error: Net/Wrong: subnet_configuration[Private].cidr_blocks = \"10.0.0.0/29\": a block from /16 to /28",
    );
    assert_has(
        &text,
        "error: Net/Wrong: subnet_configuration[Private].cidr_blocks = \"10.0.0.0/25x\": an IPv4 block a.b.c.d/n, such as 10.0.0.0/16",
    );
    assert_has(
        &text,
        "error: Net/Overlap: subnet_configuration = 10.0.0.0/24 and 10.0.0.128/25: subnet blocks that do not overlap",
    );
}

#[test]
fn invalid_nat_gateway_counts() {
    let text = errors(|s| {
        Vpc::builder().nat_gateways(3).build(s, "TooMany");
        Vpc::builder()
            .nat_gateways(1)
            .subnet_configuration([SubnetConfiguration::isolated("Data")])
            .build(s, "NoPublic");
        Vpc::builder().nat_gateways(0).build(s, "NoEgress");
    });
    assert_has(
        &text,
        "error: Net/TooMany: nat_gateways = 3: at most one per availability zone (2)",
    );
    assert_has(
        &text,
        "error: Net/NoPublic: nat_gateways = 1: 0 when there is no public subnet tier to place them in",
    );
    assert_has(
        &text,
        "error: Net/NoEgress: nat_gateways = 0: at least 1 for private subnets with egress; use isolated subnets for none",
    );
}

#[test]
fn flow_logs_go_to_a_group_only_their_role_may_write() {
    use construct_lib::assertions::Template;
    use construct_lib::logs::RetentionDays;
    let mut app = App::new();
    let vpc = Vpc::builder()
        .flow_logs(RetentionDays::ThreeMonths)
        .build(app.stack("Net"), "Vpc");
    let t = Template::from_app(&app, "Net");
    t.has_resource_properties(
        "AWS::EC2::FlowLog",
        json!({"ResourceId": t.value_of(&vpc.vpc_id()), "ResourceType": "VPC", "TrafficType": "ALL",
               "LogDestinationType": "cloud-watch-logs", "MaxAggregationInterval": 600}),
    );
    t.has_resource_properties("AWS::Logs::LogGroup", json!({"RetentionInDays": 90}));
    t.has_resource_properties(
        "AWS::IAM::Role",
        json!({"AssumeRolePolicyDocument": {"Statement": [{"Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
               "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                             "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*"}}}}]}}),
    );
    // The flow log waits for its role's permissions.
    t.has_resource(
        "AWS::EC2::FlowLog",
        json!({"DependsOn": [t.logical_id_like("VpcFlowLogsRoleDefaultPolicy*")]}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        json!({"PolicyDocument": {"Statement": [{"Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
               "Resource": {"Fn::GetAtt": [t.logical_id_like("VpcFlowLogsLogGroup*"), "Arn"]}}]}}),
    );
}

#[test]
fn numbered_blocks_follow_the_terraform_plan_and_must_fit() {
    let mut app = App::new();
    let stack = app.stack("Net");
    Vpc::builder()
        .cidr("10.30.0.0/16")
        .max_azs(3)
        .subnet_configuration([
            SubnetConfiguration::public("Public")
                .cidr_mask(24)
                .first_block(0),
            SubnetConfiguration::private_with_egress("Private")
                .cidr_mask(24)
                .first_block(50),
        ])
        .build(stack, "Vpc");
    let template = construct_lib::assertions::Template::from_app(&app, "Net");
    let mut blocks: Vec<String> = template
        .find_resources(
            "AWS::EC2::Subnet",
            construct_lib::assertions::Match::any_value(),
        )
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
            "10.30.0.0/24",
            "10.30.1.0/24",
            "10.30.2.0/24",
            "10.30.50.0/24",
            "10.30.51.0/24",
            "10.30.52.0/24"
        ]
    );
    let text = errors(|s| {
        Vpc::builder()
            .cidr("10.0.0.0/20")
            .subnet_configuration([
                SubnetConfiguration::public("Public").first_block(0),
                SubnetConfiguration::private_with_egress("Private")
                    .cidr_mask(24)
                    .first_block(15),
            ])
            .build(s, "Numbered");
        Vpc::builder()
            .subnet_configuration([
                SubnetConfiguration::public("Public")
                    .cidr_mask(24)
                    .first_block(0),
                SubnetConfiguration::private_with_egress("Private")
                    .cidr_mask(24)
                    .first_block(1),
            ])
            .build(s, "Overlapping");
    });
    assert_has(
        &text,
        "error: Net/Numbered: subnet_configuration[Public].first_block = 0: a cidr_mask on the tier, the size of each numbered block",
    );
    assert_has(
        &text,
        "error: Net/Numbered: subnet_configuration[Private].first_block = 15 (blocks 15 to 16 of /24): blocks that fit the VPC block 10.0.0.0/20: it holds 16 blocks of /24, numbered 0 to 15",
    );
    assert_has(
        &text,
        "error: Net/Overlapping: subnet_configuration = 10.0.1.0/24 and 10.0.1.0/24: subnet blocks that do not overlap",
    );
}
