//! Security groups and VPCs: ingress from anywhere, flow logs.

use serde_json::Value as Json;

use super::{ResourceView, Rule, Severity};

const SG_TYPES: &[&str] = &["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "SG1",
        severity: Severity::Error,
        title: "SSH or RDP open to the internet",
        why: "administration ports reachable from anywhere are scanned and attacked within minutes",
        fix: "allow the ports from a bastion, a VPN range or SSM Session Manager instead",
        checkov: &["CKV_AWS_24", "CKV_AWS_25"],
        cfn_lint: &[],
        resource_types: SG_TYPES,
        check: admin_ports_open,
    },
    Rule {
        id: "SG2",
        severity: Severity::Warning,
        title: "plain HTTP open to the internet",
        why: "traffic on port 80 travels unencrypted; public web entry points should serve HTTPS and redirect HTTP",
        fix: "serve HTTPS (443) and redirect port 80 to it, or suppress with the reason HTTP is acceptable",
        checkov: &["CKV_AWS_260"],
        cfn_lint: &[],
        resource_types: SG_TYPES,
        check: http_open,
    },
    Rule {
        id: "SG3",
        severity: Severity::Warning,
        title: "a port other than HTTP(S) open to the internet",
        why: "services other than the web entry point should be reachable from known sources only",
        fix: "allow the port from the security group or range that needs it",
        checkov: &[],
        cfn_lint: &[],
        resource_types: SG_TYPES,
        check: other_port_open,
    },
    Rule {
        id: "VPC1",
        severity: Severity::Warning,
        title: "a VPC without flow logs",
        why: "without flow logs there is no record of who talked to what when an incident is investigated",
        fix: "add a flow log to CloudWatch Logs or S3 (Vpc builder: flow_logs)",
        checkov: &[],
        cfn_lint: &[],
        resource_types: &["AWS::EC2::VPC"],
        check: no_flow_logs,
    },
];

/// The ingress rules of a group or a standalone ingress resource.
fn ingress_rules<'a>(view: &ResourceView<'a>) -> Vec<&'a Json> {
    match view.at("/SecurityGroupIngress").and_then(Json::as_array) {
        Some(rules) => rules.iter().collect(),
        None if view.has("/IpProtocol") => vec![view.properties],
        None => Vec::new(),
    }
}

fn from_anywhere(rule: &Json) -> bool {
    rule.get("CidrIp").and_then(Json::as_str) == Some("0.0.0.0/0")
        || rule.get("CidrIpv6").and_then(Json::as_str) == Some("::/0")
}

/// Whether `rule` lets traffic in on `port`.
fn covers(rule: &Json, port: i64) -> bool {
    if matches!(
        rule.get("IpProtocol").and_then(Json::as_str),
        Some("-1" | "all")
    ) {
        return true;
    }
    let bound = |key: &str| rule.get(key).and_then(Json::as_i64);
    match (bound("FromPort"), bound("ToPort")) {
        (Some(from), Some(to)) => from <= port && port <= to,
        _ => false,
    }
}

fn open_rules<'a>(view: &ResourceView<'a>) -> Vec<&'a Json> {
    ingress_rules(view)
        .into_iter()
        .filter(|r| from_anywhere(r))
        .collect()
}

fn admin_ports_open(view: &ResourceView<'_>) -> Option<String> {
    let ports: Vec<String> = [22, 3389]
        .into_iter()
        .filter(|port| open_rules(view).iter().any(|r| covers(r, *port)))
        .map(|p| p.to_string())
        .collect();
    (!ports.is_empty()).then(|| format!("port {} from anywhere", ports.join(" and ")))
}

fn http_open(view: &ResourceView<'_>) -> Option<String> {
    open_rules(view)
        .iter()
        .any(|r| covers(r, 80))
        .then(|| "port 80 from anywhere".to_owned())
}

fn other_port_open(view: &ResourceView<'_>) -> Option<String> {
    let others: Vec<String> = open_rules(view)
        .into_iter()
        .filter(|r| {
            let from = r.get("FromPort").and_then(Json::as_i64);
            let to = r.get("ToPort").and_then(Json::as_i64);
            // A single web or administration port is SG2's or SG1's alone.
            let single = matches!(
                (from, to),
                (Some(80), Some(80))
                    | (Some(443), Some(443))
                    | (Some(22), Some(22))
                    | (Some(3389), Some(3389))
            );
            !single
        })
        .map(|r| match (r.get("FromPort"), r.get("ToPort")) {
            (Some(from), Some(to)) if from == to => format!("port {from}"),
            (Some(from), Some(to)) => format!("ports {from}-{to}"),
            _ => "every port".to_owned(),
        })
        .collect();
    (!others.is_empty()).then(|| format!("{} from anywhere", others.join(", ")))
}

fn no_flow_logs(view: &ResourceView<'_>) -> Option<String> {
    let resources = view.template.get("Resources").and_then(Json::as_object)?;
    let logged = resources.values().any(|r| {
        r.get("Type").and_then(Json::as_str) == Some("AWS::EC2::FlowLog")
            && r.pointer("/Properties/ResourceId/Ref")
                .and_then(Json::as_str)
                == Some(view.logical_id)
    });
    (!logged).then(|| "no AWS::EC2::FlowLog names it".to_owned())
}
