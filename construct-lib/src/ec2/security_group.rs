//! Security groups and the connections model: `a.connections().allow_from(stack, &b, port)`
//! writes the ingress rule on `a` and, when `b` restricts its outbound traffic, the matching
//! egress rule on `b`. Nothing is open to the internet unless the user says so by name
//! ([`Connections::allow_from_any_ipv4`]).

use cfn_l1::ec2 as l1;
use cfn_l1::model::{ResourceRef, Value};

use super::vpc::Vpc;
use crate::core::scope::{Owner, Scope};
use crate::problem::quoted;

/// An IP protocol and port range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    protocol: &'static str,
    from: i64,
    to: i64,
}

impl Port {
    /// One TCP port.
    pub const fn tcp(port: u16) -> Self {
        Self {
            protocol: "tcp",
            from: port as i64,
            to: port as i64,
        }
    }

    /// A range of TCP ports, `from` to `to` inclusive.
    pub const fn tcp_range(from: u16, to: u16) -> Self {
        Self {
            protocol: "tcp",
            from: from as i64,
            to: to as i64,
        }
    }

    /// Every TCP port.
    pub const fn all_tcp() -> Self {
        Self::tcp_range(0, 65535)
    }

    /// One UDP port.
    pub const fn udp(port: u16) -> Self {
        Self {
            protocol: "udp",
            from: port as i64,
            to: port as i64,
        }
    }

    /// ICMP echo requests (ping).
    pub const fn icmp_ping() -> Self {
        Self {
            protocol: "icmp",
            from: 8,
            to: -1,
        }
    }

    /// Every protocol and port.
    pub const fn all_traffic() -> Self {
        Self {
            protocol: "-1",
            from: -1,
            to: -1,
        }
    }

    /// For rule ids and descriptions: `tcp 443`, `tcp 1024-65535`, `all traffic`.
    pub fn label(&self) -> String {
        match (self.protocol, self.from, self.to) {
            ("-1", _, _) => "all traffic".to_owned(),
            ("icmp", 8, -1) => "icmp ping".to_owned(),
            (protocol, from, to) if from == to => format!("{protocol} {from}"),
            (protocol, from, to) => format!("{protocol} {from}-{to}"),
        }
    }

    fn token(&self) -> String {
        self.label()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// The other side of a rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Peer {
    /// An IPv4 block (`10.0.0.0/16`; `0.0.0.0/0` is the internet).
    Ipv4(String),
    /// A security group, by id.
    SecurityGroup(Value<String>),
    /// A managed prefix list, by id.
    PrefixList(String),
}

/// Settings of a new [`SecurityGroup`].
#[derive(Clone, Debug)]
pub struct SecurityGroupBuilder {
    vpc_id: Value<String>,
    description: Option<String>,
    allow_all_outbound: bool,
}

impl SecurityGroupBuilder {
    /// The group's description. Default: its construct path.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether all outbound traffic is allowed. Default: `true`, as in the CDK and AWS;
    /// `false` leaves only the egress rules that [`Connections`] add.
    pub fn allow_all_outbound(mut self, allow: bool) -> Self {
        self.allow_all_outbound = allow;
        self
    }

    /// Adds the group under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> SecurityGroup {
        let mut scope = scope.scope(id);
        let path = scope.path();
        let mut l1_group = l1::SecurityGroup::new(self.description.unwrap_or_else(|| path.clone()))
            .vpc_id(self.vpc_id);
        if self.allow_all_outbound {
            l1_group = l1_group.security_group_egress(vec![
                l1::security_group::Egress::new("-1")
                    .cidr_ip("0.0.0.0/0")
                    .description("Allow all outbound traffic by default"),
            ]);
        } else {
            // Without an egress rule AWS adds "all outbound"; this rule matches nothing.
            l1_group = l1_group.security_group_egress(vec![
                l1::security_group::Egress::new("icmp")
                    .cidr_ip("255.255.255.255/32")
                    .from_port(252)
                    .to_port(86)
                    .description("Disallow all traffic"),
            ]);
        }
        let resource = scope.add("Resource", l1_group);
        SecurityGroup {
            group_id: resource.attr_group_id(),
            owner: Some(Owner::of(&scope)),
            allow_all_outbound: self.allow_all_outbound,
            resource: Some(resource),
        }
    }
}

/// A security group: created with [`SecurityGroup::builder`], or an existing one
/// ([`SecurityGroup::from_id`]). A cheap handle.
#[derive(Clone, Debug)]
pub struct SecurityGroup {
    group_id: Value<String>,
    owner: Option<Owner>,
    allow_all_outbound: bool,
    resource: Option<ResourceRef<l1::SecurityGroup>>,
}

impl SecurityGroup {
    /// Settings for a new group in `vpc`: no inbound rule; all outbound allowed unless
    /// [`SecurityGroupBuilder::allow_all_outbound`] says otherwise.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::{Port, SecurityGroup, Vpc};
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let lb = SecurityGroup::builder(&vpc).build(stack, "LbSg");
    /// let app_sg = SecurityGroup::builder(&vpc).build(stack, "AppSg");
    /// lb.connections().allow_from_any_ipv4(stack, Port::tcp(443), "HTTPS from the internet");
    /// app_sg.connections().allow_from(stack, &lb, Port::tcp(3000), "from the load balancer");
    /// ```
    pub fn builder(vpc: &Vpc) -> SecurityGroupBuilder {
        SecurityGroupBuilder {
            vpc_id: vpc.vpc_id(),
            description: None,
            allow_all_outbound: true,
        }
    }

    /// An existing group, by id. Rules are never added to it (it is not managed here);
    /// `allow_all_outbound` says whether it allows all outbound traffic, so that peers know
    /// whether to add egress rules for it.
    pub fn from_id(group_id: impl Into<Value<String>>, allow_all_outbound: bool) -> Self {
        Self {
            group_id: group_id.into(),
            owner: None,
            allow_all_outbound,
            resource: None,
        }
    }

    /// The group id.
    pub fn group_id(&self) -> Value<String> {
        self.group_id.clone()
    }

    /// The L1 resource (`None` for an existing group): the escape hatch.
    pub fn resource(&self) -> Option<&ResourceRef<l1::SecurityGroup>> {
        self.resource.as_ref()
    }

    /// Whether all outbound traffic is allowed.
    pub fn allows_all_outbound(&self) -> bool {
        self.allow_all_outbound
    }

    /// The connections of this group alone.
    pub fn connections(&self) -> Connections {
        Connections {
            security_groups: vec![self.clone()],
            default_port: None,
        }
    }

    /// Adds a rule under this group's construct; identical rules are added once. Through
    /// another stack than the group's, the rule is a resource of that stack (see
    /// `Owner::place`), which then deploys after the group's stack. An existing group is
    /// reported against `method`, the connections method the user called.
    fn add_rule(&self, scope: &mut impl Scope, method: &str, rule: Rule<'_>) {
        let what = format!("{} {}", rule.direction.word(), rule.port.label());
        let Some(owner) = &self.owner else {
            scope.problems().error(
                method,
                format!("{what} on an existing group"),
                "rules on groups this app creates; manage an existing group's rules where it is defined",
            );
            return;
        };
        let mut scope = owner.place(scope.stack_mut());
        if let Peer::Ipv4(cidr) = rule.peer
            && let Err(allowed) = super::cidr::parse(cidr)
        {
            scope.problems().error(method, quoted(cidr), allowed);
            return;
        }
        let id = format!(
            "{}{}{}",
            rule.direction.id(),
            peer_token(rule.peer_label),
            rule.port.token()
        );
        if scope.stack().has_child(scope.node(), &id) {
            return;
        }
        match rule.direction {
            Direction::Ingress => scope.add(&id, self.ingress(&rule)).id(),
            Direction::Egress => scope.add(&id, self.egress(&rule)).id(),
        };
    }

    fn ingress(&self, rule: &Rule<'_>) -> l1::SecurityGroupIngress {
        let port = rule.port;
        let mut ingress = l1::SecurityGroupIngress::new(port.protocol)
            .group_id(self.group_id.clone())
            .description(rule.description);
        if port.protocol != "-1" {
            ingress = ingress.from_port(port.from).to_port(port.to);
        }
        match rule.peer {
            Peer::Ipv4(cidr) => ingress.cidr_ip(cidr.as_str()),
            Peer::SecurityGroup(group) => ingress.source_security_group_id(group.clone()),
            Peer::PrefixList(list) => ingress.source_prefix_list_id(list.as_str()),
        }
    }

    fn egress(&self, rule: &Rule<'_>) -> l1::SecurityGroupEgress {
        let port = rule.port;
        let mut egress =
            l1::SecurityGroupEgress::new(l1::security_group_egress::SecurityGroupEgressRequired {
                group_id: self.group_id.clone(),
                ip_protocol: port.protocol.into(),
            })
            .description(rule.description);
        if port.protocol != "-1" {
            egress = egress.from_port(port.from).to_port(port.to);
        }
        match rule.peer {
            Peer::Ipv4(cidr) => egress.cidr_ip(cidr.as_str()),
            Peer::SecurityGroup(group) => egress.destination_security_group_id(group.clone()),
            Peer::PrefixList(list) => egress.destination_prefix_list_id(list.as_str()),
        }
    }
}

/// One rule to add to a group.
struct Rule<'a> {
    direction: Direction,
    peer: &'a Peer,
    /// A name of the peer for the rule's id.
    peer_label: &'a str,
    port: Port,
    description: &'a str,
}

#[derive(Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn id(self) -> &'static str {
        match self {
            Self::Ingress => "From",
            Self::Egress => "To",
        }
    }
    fn word(self) -> &'static str {
        match self {
            Self::Ingress => "ingress",
            Self::Egress => "egress",
        }
    }
}

fn peer_token(label: &str) -> String {
    label.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// What traffic a construct with security groups accepts and sends. Anything with security
/// groups (a service, a load balancer, a database) gives out its `Connections`.
#[derive(Clone, Debug)]
pub struct Connections {
    security_groups: Vec<SecurityGroup>,
    default_port: Option<Port>,
}

/// Something with security groups.
pub trait Connectable {
    /// Its connections.
    fn connections(&self) -> Connections;
    /// A name for rule ids and descriptions (a construct path).
    fn peer_label(&self) -> String;
}

impl Connectable for SecurityGroup {
    fn connections(&self) -> Connections {
        SecurityGroup::connections(self)
    }
    fn peer_label(&self) -> String {
        self.owner
            .as_ref()
            .map(|owner| owner.path.clone())
            .unwrap_or_else(|| {
                self.group_id
                    .as_literal_str()
                    .unwrap_or("ExistingGroup")
                    .to_owned()
            })
    }
}

impl Connections {
    /// Connections made of these groups.
    pub fn new(security_groups: Vec<SecurityGroup>) -> Self {
        Self {
            security_groups,
            default_port: None,
        }
    }

    /// The same connections, whose service listens on `port` (a database's 27017).
    pub fn with_default_port(mut self, port: Port) -> Self {
        self.default_port = Some(port);
        self
    }

    /// The port the service behind these groups listens on, when it has one.
    pub fn default_port(&self) -> Option<Port> {
        self.default_port
    }

    /// Allows the default port from `other` (see [`Connections::allow_from`]): what a
    /// database or a search domain needs to let one service in.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::{Connectable, Port, SecurityGroup, Vpc};
    /// let mut app = App::new();
    /// let stack = app.stack("Data");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let database = SecurityGroup::builder(&vpc).build(stack, "Database");
    /// let api = SecurityGroup::builder(&vpc).build(stack, "Api");
    /// database.connections().with_default_port(Port::tcp(27017)).allow_default_port_from(stack, &api);
    /// ```
    pub fn allow_default_port_from(&self, scope: &mut impl Scope, other: &impl Connectable) {
        let Some(port) = self.default_port else {
            scope.problems().error(
                "allow_default_port_from",
                format!("connections of {} without a default port", self.label()),
                "connections of a construct with a port (a database, a search domain); otherwise allow_from with a Port",
            );
            return;
        };
        let description = format!("from {}", other.peer_label());
        self.allow_between(scope, "allow_default_port_from", other, port, &description);
    }

    /// A name of these groups for messages: the first group's path.
    fn label(&self) -> String {
        self.security_groups
            .first()
            .map(Connectable::peer_label)
            .unwrap_or_else(|| "no security group".to_owned())
    }

    /// The groups.
    pub fn security_groups(&self) -> &[SecurityGroup] {
        &self.security_groups
    }

    /// Allows `port` from `other`: an ingress rule on each of these groups from each of
    /// `other`'s, and an egress rule on each of `other`'s groups that does not allow all
    /// outbound traffic. Rules on groups of another stack than `scope`'s are resources of
    /// `scope`'s stack, which then deploys after theirs.
    pub fn allow_from(
        &self,
        scope: &mut impl Scope,
        other: &impl Connectable,
        port: Port,
        description: &str,
    ) {
        self.allow_between(scope, "allow_from", other, port, description);
    }

    fn allow_between(
        &self,
        scope: &mut impl Scope,
        method: &str,
        other: &impl Connectable,
        port: Port,
        description: &str,
    ) {
        let label = other.peer_label();
        for source in other.connections().security_groups {
            for target in &self.security_groups {
                let peer = Peer::SecurityGroup(source.group_id());
                target.add_rule(
                    scope,
                    method,
                    Rule {
                        direction: Direction::Ingress,
                        peer: &peer,
                        peer_label: &label,
                        port,
                        description,
                    },
                );
                if !source.allow_all_outbound {
                    let target_label = target.peer_label();
                    let peer = Peer::SecurityGroup(target.group_id());
                    source.add_rule(
                        scope,
                        method,
                        Rule {
                            direction: Direction::Egress,
                            peer: &peer,
                            peer_label: &target_label,
                            port,
                            description,
                        },
                    );
                }
            }
        }
    }

    /// Allows `port` to `other` (the mirror of [`Connections::allow_from`]).
    pub fn allow_to(
        &self,
        scope: &mut impl Scope,
        other: &impl Connectable,
        port: Port,
        description: &str,
    ) {
        struct Mine<'a>(&'a Connections, String);
        impl Connectable for Mine<'_> {
            fn connections(&self) -> Connections {
                self.0.clone()
            }
            fn peer_label(&self) -> String {
                self.1.clone()
            }
        }
        let label = self
            .security_groups
            .first()
            .map(Connectable::peer_label)
            .unwrap_or_default();
        other
            .connections()
            .allow_between(scope, "allow_to", &Mine(self, label), port, description);
    }

    /// Allows `port` from an IPv4 block (`10.0.0.0/16`).
    pub fn allow_from_ipv4(
        &self,
        scope: &mut impl Scope,
        cidr: &str,
        port: Port,
        description: &str,
    ) {
        self.allow_from_block(scope, "allow_from_ipv4", cidr, port, description);
    }

    fn allow_from_block(
        &self,
        scope: &mut impl Scope,
        method: &str,
        cidr: &str,
        port: Port,
        description: &str,
    ) {
        let peer = Peer::Ipv4(cidr.to_owned());
        for target in &self.security_groups {
            target.add_rule(
                scope,
                method,
                Rule {
                    direction: Direction::Ingress,
                    peer: &peer,
                    peer_label: cidr,
                    port,
                    description,
                },
            );
        }
    }

    /// Allows `port` from anywhere on the internet (`0.0.0.0/0`): the only way this library
    /// opens a group to the internet, so that it is always a visible choice.
    pub fn allow_from_any_ipv4(&self, scope: &mut impl Scope, port: Port, description: &str) {
        self.allow_from_block(scope, "allow_from_any_ipv4", "0.0.0.0/0", port, description);
    }
}
