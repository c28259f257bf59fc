//! `ApplicationLoadBalancer`: in public subnets (internet-facing) or private ones, with a
//! security group of its own that listeners open.

use cfn_l1::elasticloadbalancingv2 as l1;
use cfn_l1::model::{ResourceRef, Value};

use super::listener::{Listener, ListenerSettings};
use crate::Duration;
use crate::cloudwatch::{Metric, Statistic};
use crate::core::scope::{Owner, Scope};
use crate::ec2::{
    Connectable, Connections, SecurityGroup, Subnet, SubnetSelection, SubnetType, Vpc,
};

/// Settings of a new [`ApplicationLoadBalancer`].
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancerBuilder {
    vpc: Vpc,
    internet_facing: bool,
    subnets: Option<SubnetSelection>,
    idle_timeout: Option<Duration>,
}

impl ApplicationLoadBalancerBuilder {
    /// Whether the load balancer has public addresses. Default: `false` (internal).
    pub fn internet_facing(mut self, internet_facing: bool) -> Self {
        self.internet_facing = internet_facing;
        self
    }

    /// The subnets. Default: public subnets when internet-facing, else private.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// How long an idle connection is kept, 1 to 4000 seconds. Default: 60 seconds.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Adds the load balancer under construct `id` of `scope`, with its own security group
    /// (no inbound rule until a listener opens its port). An internet-facing load balancer
    /// waits for its subnets' routes to the internet gateway: created before the gateway is
    /// attached, it fails.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> ApplicationLoadBalancer {
        let mut scope = scope.scope(id);
        let path = scope.path();
        let subnets = self.subnets(&mut scope);
        let group = SecurityGroup::builder(&self.vpc)
            .description(format!("Load balancer {path}"))
            .build(&mut scope, "SecurityGroup");
        let resource = scope.add("Resource", self.to_l1(&subnets, &group));
        if self.internet_facing {
            Subnet::wait_for_routes(&mut scope, resource.id(), &subnets);
        }
        ApplicationLoadBalancer {
            arn: resource.ref_value(),
            dns_name: resource.attr_dns_name(),
            full_name: resource.attr_load_balancer_full_name(),
            internet_facing: self.internet_facing,
            vpc: self.vpc,
            security_group: group,
            owner: Owner::of(&scope),
            resource,
        }
    }

    /// The selected subnets, after checking them and the other settings.
    fn subnets(&self, scope: &mut impl Scope) -> Vec<Subnet> {
        let selection = self.subnets.clone().unwrap_or(if self.internet_facing {
            SubnetSelection::Type(SubnetType::Public)
        } else {
            SubnetSelection::Default
        });
        let mut problems = scope.problems();
        if let Some(timeout) = self.idle_timeout {
            let seconds = Duration::seconds(1)..=Duration::seconds(4000);
            problems.range("idle_timeout", timeout, seconds, "");
        }
        let subnets = match self.vpc.select_subnets(&selection) {
            Ok(subnets) => subnets,
            Err(reason) => {
                problems.error("vpc_subnets", &selection, reason);
                return Vec::new();
            }
        };
        if self.internet_facing
            && subnets
                .iter()
                .any(|s| s.subnet_type() != SubnetType::Public)
        {
            problems.error(
                "vpc_subnets",
                &selection,
                "public subnets for an internet-facing load balancer",
            );
        }
        subnets
    }

    fn to_l1(&self, subnets: &[Subnet], group: &SecurityGroup) -> l1::LoadBalancer {
        let mut attributes = vec![
            l1::load_balancer::LoadBalancerAttribute::new()
                .key("routing.http.drop_invalid_header_fields.enabled")
                .value("true"),
        ];
        if let Some(timeout) = self.idle_timeout {
            attributes.push(
                l1::load_balancer::LoadBalancerAttribute::new()
                    .key("idle_timeout.timeout_seconds")
                    .value(timeout.to_seconds().to_string()),
            );
        }
        l1::LoadBalancer::new()
            .type_("application")
            .scheme(if self.internet_facing {
                "internet-facing"
            } else {
                "internal"
            })
            .subnets(subnets.iter().map(Subnet::subnet_id).collect::<Vec<_>>())
            .security_groups(vec![group.group_id()])
            .load_balancer_attributes(attributes)
    }
}

/// An application load balancer. A cheap handle.
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancer {
    arn: Value<String>,
    dns_name: Value<String>,
    full_name: Value<String>,
    internet_facing: bool,
    vpc: Vpc,
    security_group: SecurityGroup,
    owner: Owner,
    resource: ResourceRef<l1::LoadBalancer>,
}

impl ApplicationLoadBalancer {
    /// Settings for a load balancer in `vpc`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::elbv2::{ApplicationLoadBalancer, ListenerAction, ListenerSettings};
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let lb = ApplicationLoadBalancer::builder(&vpc).internet_facing(true).build(stack, "Lb");
    /// lb.add_listener(stack, "Http", ListenerSettings::http(80, ListenerAction::FixedResponse(404)));
    /// ```
    pub fn builder(vpc: &Vpc) -> ApplicationLoadBalancerBuilder {
        ApplicationLoadBalancerBuilder {
            vpc: vpc.clone(),
            internet_facing: false,
            subnets: None,
            idle_timeout: None,
        }
    }

    /// The load balancer ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// Its DNS name.
    pub fn dns_name(&self) -> Value<String> {
        self.dns_name.clone()
    }

    /// Its full name (`app/name/id`), for metrics.
    pub fn full_name(&self) -> Value<String> {
        self.full_name.clone()
    }

    /// The id of the Route 53 zone of its DNS name, for alias records.
    pub fn canonical_hosted_zone_id(&self) -> Value<String> {
        self.resource.attr_canonical_hosted_zone_id()
    }

    /// A metric of this load balancer (`AWS/ApplicationELB`, dimension `LoadBalancer`),
    /// averaged over 5 minutes.
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/ApplicationELB", name).dimension("LoadBalancer", self.full_name())
    }

    /// The time targets take to respond (`TargetResponseTime`, average over 5 minutes).
    pub fn metric_target_response_time(&self) -> Metric {
        self.metric("TargetResponseTime")
    }

    /// The requests it received (`RequestCount`, sum over 5 minutes).
    pub fn metric_request_count(&self) -> Metric {
        self.metric("RequestCount").statistic(Statistic::Sum)
    }

    /// Whether it has public addresses.
    pub fn internet_facing(&self) -> bool {
        self.internet_facing
    }

    /// Its security group.
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// The VPC.
    pub fn vpc(&self) -> &Vpc {
        &self.vpc
    }

    /// The L1 load balancer: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::LoadBalancer> {
        &self.resource
    }

    /// Adds a listener (construct `id`, under `scope`). Its port is opened to the internet
    /// when the load balancer is internet-facing (the one place this library does so by
    /// itself), else to the VPC's block (when it is known at synthesis; otherwise open it
    /// with `connections()`). Services behind the groups it forwards to wait for it.
    pub fn add_listener(
        &self,
        scope: &mut impl Scope,
        id: &str,
        settings: ListenerSettings,
    ) -> Listener {
        Listener::create(scope, id, self, settings)
    }

    /// The construct path, for messages and rule descriptions.
    pub(crate) fn path(&self) -> &str {
        &self.owner.path
    }
}

impl Connectable for ApplicationLoadBalancer {
    fn connections(&self) -> Connections {
        self.security_group.connections()
    }
    fn peer_label(&self) -> String {
        self.owner.path.clone()
    }
}
