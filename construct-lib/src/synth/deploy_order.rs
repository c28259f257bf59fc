//! Checks of each rendered template for what a real account refuses but neither cfn-lint
//! nor the emulator sees: resources CloudFormation may create before what they need
//! exists, and references that can never resolve. They run on the template itself, so
//! they hold for hand-written L1 resources as much as for L2 constructs.
//!
//! CloudFormation creates a resource after every resource it references (`Ref`,
//! `Fn::GetAtt`, `Fn::Sub`) or names in `DependsOn`, and in any order otherwise. The
//! rules, from CloudFormation's DependsOn guide and the ECS and Secrets Manager guides:
//! - in a VPC whose internet gateway the template attaches, NAT gateways, Elastic IPs,
//!   internet-facing load balancers and routes through the gateway wait for the
//!   attachment, or fail with `Gateway.NotAttached` / "no internet gateway attached";
//! - an ECS service registered with a target group waits for a listener (or listener
//!   rule) that forwards to the group, or ECS fails with "The target group ... does not
//!   have an associated load balancer";
//! - a container secret's `ValueFrom` names a secret or parameter exactly: `?` and `*`
//!   are IAM policy wildcards that no secret id contains, so such a value never resolves
//!   and every task fails to start;
//! - an ECS service's deployment settings agree with its strategy and controller
//!   (`deployments.rs`);
//! - a template with CloudFormation's CodeDeploy blue/green hook keeps to what
//!   CloudFormation allows there (`codedeploy_hook.rs`);
//! - the references and `DependsOn` of the resources do not go round in a circle.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::render::StackNames;
use crate::problem::{Problem, Problems, quoted};

/// Every problem of one rendered template.
pub(crate) fn problems(template: &Json, names: &StackNames) -> Vec<Problem> {
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return Vec::new();
    };
    let graph = Graph::of(resources);
    let mut report = Report {
        paths: names
            .resources
            .iter()
            .map(String::as_str)
            .zip(names.resource_paths.iter().map(String::as_str))
            .chain(
                names
                    .hooks
                    .iter()
                    .map(String::as_str)
                    .zip(names.hook_paths.iter().map(String::as_str)),
            )
            .collect(),
        problems: Vec::new(),
    };
    gateway_attachments(&graph, &mut report);
    listeners(&graph, &mut report);
    secret_references(&graph, &mut report);
    super::deployments::check(&graph, &mut report);
    super::codedeploy_hook::check(template, &names.stack_name, &mut report);
    cycles(&graph, &mut report);
    report.problems
}

/// Problems reported at the construct path of a resource, by logical ID.
pub(super) struct Report<'n> {
    paths: BTreeMap<&'n str, &'n str>,
    problems: Vec<Problem>,
}

impl Report<'_> {
    pub(super) fn at(&mut self, logical_id: &str) -> Problems<'_> {
        let path = self.paths.get(logical_id).copied().unwrap_or(logical_id);
        Problems::new(path.to_owned(), &mut self.problems)
    }
}

/// The resources of a template and what each one waits for.
pub(super) struct Graph<'a> {
    resources: &'a serde_json::Map<String, Json>,
    /// Logical ID → the resources it references or depends on directly.
    edges: BTreeMap<&'a str, BTreeSet<String>>,
}

impl<'a> Graph<'a> {
    fn of(resources: &'a serde_json::Map<String, Json>) -> Self {
        let edges = resources
            .iter()
            .map(|(id, resource)| {
                let mut targets = BTreeSet::new();
                if let Some(properties) = resource.get("Properties") {
                    collect_references(properties, &mut targets);
                }
                match resource.get("DependsOn") {
                    Some(Json::String(one)) => {
                        targets.insert(one.clone());
                    }
                    Some(Json::Array(many)) => {
                        targets.extend(many.iter().filter_map(Json::as_str).map(str::to_owned));
                    }
                    _ => {}
                }
                targets.retain(|target| resources.contains_key(target));
                (id.as_str(), targets)
            })
            .collect();
        Self { resources, edges }
    }

    /// The resources of type `type_name`, with their properties.
    pub(super) fn of_type(
        &self,
        type_name: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Json)> + 'a {
        self.resources
            .iter()
            .filter(move |(_, resource)| {
                resource.get("Type").and_then(Json::as_str) == Some(type_name)
            })
            .map(|(id, resource)| {
                let properties = resource.get("Properties").unwrap_or(&Json::Null);
                (id.as_str(), properties)
            })
    }

    /// What `id` waits for directly.
    fn successors(&self, id: &str) -> Vec<&str> {
        self.edges
            .get(id)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }

    pub(super) fn type_of(&self, id: &str) -> Option<&str> {
        self.resources.get(id)?.get("Type")?.as_str()
    }

    fn property(&self, id: &str, name: &str) -> Option<&'a Json> {
        self.resources.get(id)?.get("Properties")?.get(name)
    }

    /// Whether `from` is created after one of `targets`, directly or through others.
    fn waits_for_any(&self, from: &str, targets: &BTreeSet<String>) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = vec![from];
        while let Some(node) = stack.pop() {
            for next in self.edges.get(node).into_iter().flatten() {
                if targets.contains(next) {
                    return true;
                }
                if seen.insert(next.as_str()) {
                    stack.push(next);
                }
            }
        }
        false
    }

    /// The VPC (logical ID) a subnet of this template is in.
    fn vpc_of_subnet(&self, subnet: &Json) -> Option<String> {
        let subnet = ref_target(subnet)?;
        (self.type_of(&subnet)? == "AWS::EC2::Subnet")
            .then(|| self.property(&subnet, "VpcId").and_then(ref_target))
            .flatten()
    }
}

/// The logical IDs an expression references: `Ref`, `Fn::GetAtt` and `Fn::Sub` variables.
fn collect_references(value: &Json, out: &mut BTreeSet<String>) {
    match value {
        Json::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Json::String(target)) => {
                        out.insert(target.clone());
                    }
                    ("Fn::GetAtt", Json::Array(parts)) => {
                        if let Some(target) = parts.first().and_then(Json::as_str) {
                            out.insert(target.to_owned());
                        }
                    }
                    ("Fn::GetAtt", Json::String(dotted)) => {
                        out.insert(dotted.split('.').next().unwrap_or_default().to_owned());
                    }
                    ("Fn::Sub", sub) => sub_references(sub, out),
                    _ => collect_references(inner, out),
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|item| collect_references(item, out)),
        _ => {}
    }
}

/// `${Name}` and `${Name.Attribute}` of a `Fn::Sub`, except its own variables and
/// `${!Literal}` escapes.
fn sub_references(sub: &Json, out: &mut BTreeSet<String>) {
    let (text, variables) = match sub {
        Json::String(text) => (text.as_str(), None),
        Json::Array(parts) => match (parts.first(), parts.get(1)) {
            (Some(Json::String(text)), variables) => (text.as_str(), variables),
            _ => return,
        },
        _ => return,
    };
    if let Some(variables) = variables {
        collect_references(variables, out);
    }
    let local = variables.and_then(Json::as_object);
    for name in sub_variables(text) {
        let target = name.split('.').next().unwrap_or_default();
        if !local.is_some_and(|l| l.contains_key(target)) {
            out.insert(target.to_owned());
        }
    }
}

/// The names inside `${...}` of a `Fn::Sub` template.
fn sub_variables(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        if !rest.starts_with('!') {
            names.push(&rest[..end]);
        }
        rest = &rest[end + 1..];
    }
    names
}

/// The logical ID a `{"Ref": ...}` names.
pub(super) fn ref_target(value: &Json) -> Option<String> {
    value.get("Ref")?.as_str().map(str::to_owned)
}

/// The literal text of an expression, as far as it is known: literal strings, `Fn::Sub`
/// templates, `Fn::Join` parts.
fn literal_text(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        Json::Object(map) => match map.iter().next() {
            Some((key, Json::String(text))) if key == "Fn::Sub" => text.clone(),
            Some((key, Json::Array(parts))) if key == "Fn::Sub" => {
                parts.first().map(literal_text).unwrap_or_default()
            }
            Some((key, Json::Array(parts))) if key == "Fn::Join" => parts
                .get(1)
                .and_then(Json::as_array)
                .map(|items| items.iter().map(literal_text).collect())
                .unwrap_or_default(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// Resources with a public address or route wait for their VPC's gateway attachment.
fn gateway_attachments(graph: &Graph<'_>, report: &mut Report<'_>) {
    // VPC → attachments of internet gateways to it; gateway → its attachments.
    let mut by_vpc: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut by_gateway: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, properties) in graph.of_type("AWS::EC2::VPCGatewayAttachment") {
        let Some(gateway) = properties.get("InternetGatewayId").and_then(ref_target) else {
            continue;
        };
        by_gateway.entry(gateway).or_default().insert(id.to_owned());
        if let Some(vpc) = properties.get("VpcId").and_then(ref_target) {
            by_vpc.entry(vpc).or_default().insert(id.to_owned());
        }
    }
    if by_gateway.is_empty() {
        return;
    }
    let all: BTreeSet<String> = by_gateway.values().flatten().cloned().collect();
    for (id, what, attachments) in needing_gateway(graph, &by_vpc, &by_gateway, &all) {
        if !graph.waits_for_any(id, &attachments) {
            let names: Vec<&str> = attachments.iter().map(String::as_str).collect();
            report.at(id).error(
                "DependsOn",
                format!("{what} without a dependency on the gateway attachment ({})", names.join(", ")),
                "DependsOn the VPCGatewayAttachment (or a route through the gateway): CloudFormation may create it before the internet gateway is attached, and it fails with Gateway.NotAttached",
            );
        }
    }
}

/// (logical ID, what it is, the attachments it must wait for) of every resource that
/// needs an attached internet gateway.
fn needing_gateway<'g>(
    graph: &Graph<'g>,
    by_vpc: &BTreeMap<String, BTreeSet<String>>,
    by_gateway: &BTreeMap<String, BTreeSet<String>>,
    all: &BTreeSet<String>,
) -> Vec<(&'g str, &'static str, BTreeSet<String>)> {
    let of_subnets = |subnets: Vec<&Json>| -> Option<BTreeSet<String>> {
        let vpc = subnets.into_iter().find_map(|s| graph.vpc_of_subnet(s))?;
        by_vpc.get(&vpc).cloned()
    };
    let mut out = Vec::new();
    for (id, properties) in graph.of_type("AWS::EC2::NatGateway") {
        let private = properties.get("ConnectivityType").and_then(Json::as_str) == Some("private");
        if let (false, Some(attachments)) = (
            private,
            of_subnets(properties.get("SubnetId").into_iter().collect()),
        ) {
            out.push((id, "a NAT gateway", attachments));
        }
    }
    for (id, properties) in graph.of_type("AWS::EC2::EIP") {
        if properties.get("Domain").and_then(Json::as_str) == Some("vpc") {
            out.push((id, "an Elastic IP in a VPC", all.clone()));
        }
    }
    for (id, properties) in graph.of_type("AWS::EC2::Route") {
        let gateway = properties.get("GatewayId").and_then(ref_target);
        if let Some(attachments) = gateway.and_then(|g| by_gateway.get(&g)) {
            out.push((
                id,
                "a route through the internet gateway",
                attachments.clone(),
            ));
        }
    }
    for type_name in [
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancing::LoadBalancer",
    ] {
        for (id, properties) in graph.of_type(type_name) {
            let scheme = properties.get("Scheme").and_then(Json::as_str);
            let gateway_type = properties.get("Type").and_then(Json::as_str) == Some("gateway");
            if scheme == Some("internal") || gateway_type {
                continue;
            }
            let mut subnets: Vec<&Json> = properties
                .get("Subnets")
                .and_then(Json::as_array)
                .map(|s| s.iter().collect())
                .unwrap_or_default();
            let mappings = properties.get("SubnetMappings").and_then(Json::as_array);
            subnets.extend(
                mappings
                    .into_iter()
                    .flatten()
                    .filter_map(|m| m.get("SubnetId")),
            );
            if let Some(attachments) = of_subnets(subnets) {
                out.push((id, "an internet-facing load balancer", attachments));
            }
        }
    }
    out
}

/// ECS services registered with a target group of this template wait for a listener or
/// rule that forwards to it.
fn listeners(graph: &Graph<'_>, report: &mut Report<'_>) {
    let mut forwarders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (type_name, actions) in [
        ("AWS::ElasticLoadBalancingV2::Listener", "DefaultActions"),
        ("AWS::ElasticLoadBalancingV2::ListenerRule", "Actions"),
    ] {
        for (id, properties) in graph.of_type(type_name) {
            for group in forwarded_groups(properties.get(actions)) {
                forwarders.entry(group).or_default().insert(id.to_owned());
            }
        }
    }
    for (id, properties) in graph.of_type("AWS::ECS::Service") {
        let registrations = properties.get("LoadBalancers").and_then(Json::as_array);
        for group in registrations.into_iter().flatten() {
            let Some(group) = group.get("TargetGroupArn").and_then(ref_target) else {
                continue;
            };
            if graph.type_of(&group) != Some("AWS::ElasticLoadBalancingV2::TargetGroup") {
                continue;
            }
            let waits = forwarders
                .get(&group)
                .is_some_and(|listeners| graph.waits_for_any(id, listeners));
            if !waits {
                let value = match forwarders.get(&group) {
                    None => {
                        format!("target group {group}, which no listener of this stack forwards to")
                    }
                    Some(listeners) => format!(
                        "target group {group} without a dependency on its listener ({})",
                        listeners.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                report.at(id).error(
                    "LoadBalancers",
                    value,
                    "a service that DependsOn a listener or listener rule of its stack forwarding to the group: ECS refuses a target group without a load balancer (\"does not have an associated load balancer\")",
                );
            }
        }
    }
}

/// The target groups (logical IDs) that listener actions forward to.
fn forwarded_groups(actions: Option<&Json>) -> Vec<String> {
    let mut groups = Vec::new();
    for action in actions.and_then(Json::as_array).into_iter().flatten() {
        groups.extend(action.get("TargetGroupArn").and_then(ref_target));
        let weighted = action
            .get("ForwardConfig")
            .and_then(|f| f.get("TargetGroups"))
            .and_then(Json::as_array);
        for group in weighted.into_iter().flatten() {
            groups.extend(group.get("TargetGroupArn").and_then(ref_target));
        }
    }
    groups
}

/// Container secrets name what ECS fetches exactly: no IAM wildcards.
fn secret_references(graph: &Graph<'_>, report: &mut Report<'_>) {
    for (id, properties) in graph.of_type("AWS::ECS::TaskDefinition") {
        let containers = properties
            .get("ContainerDefinitions")
            .and_then(Json::as_array);
        for container in containers.into_iter().flatten() {
            let name = container.get("Name").and_then(Json::as_str).unwrap_or("?");
            let secrets = container.get("Secrets").and_then(Json::as_array);
            let log_secrets = container
                .get("LogConfiguration")
                .and_then(|l| l.get("SecretOptions"))
                .and_then(Json::as_array);
            let sources = [
                ("Secrets", secrets),
                ("LogConfiguration.SecretOptions", log_secrets),
            ];
            for (list, entries) in sources {
                for secret in entries.into_iter().flatten() {
                    let text = secret
                        .get("ValueFrom")
                        .map(literal_text)
                        .unwrap_or_default();
                    if text.contains(['?', '*']) {
                        let secret_name = secret.get("Name").and_then(Json::as_str).unwrap_or("?");
                        report.at(id).error(
                            &format!("ContainerDefinitions[{name}].{list}[{secret_name}].ValueFrom"),
                            quoted(&text),
                            "the secret's full ARN, its ARN without the random suffix, or its name (or the parameter's ARN or name): ECS fetches exactly this id, and `?`/`*` are IAM policy wildcards no secret id contains, so every task would fail to start",
                        );
                    }
                }
            }
        }
    }
}

/// References and `DependsOn` that go round in a circle: CloudFormation refuses the
/// template ("Circular dependency between resources").
fn cycles(graph: &Graph<'_>, report: &mut Report<'_>) {
    let next = |id: &&str| graph.successors(id);
    for cycle in crate::graph::cycles(graph.edges.keys().copied(), next) {
        report.at(cycle[0]).error(
            "DependsOn",
            format!("a circular dependency: {}", cycle.join(" -> ")),
            "resources that wait for each other one way only; remove a DependsOn or a reference",
        );
    }
}
