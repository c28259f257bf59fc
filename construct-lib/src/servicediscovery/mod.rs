//! AWS Cloud Map (L2): a private DNS namespace in a VPC, where services register so others
//! find them by name (`api.apps.local`). The L1 types are in [`crate::cfn::servicediscovery`].

use cfn_l1::model::{ResourceRef, Value};
use cfn_l1::servicediscovery as l1;

use crate::core::scope::Scope;
use crate::ec2::Vpc;
use crate::problem::{NameRule, quoted};

/// A Cloud Map service name: what ECS and Cloud Map accept as one DNS label.
const SERVICE_NAME: NameRule = NameRule {
    min_len: 1,
    max_len: 63,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_',
    first: Some(|c| c != '-'),
    description: "1 to 63 lower-case letters, digits, hyphens and underscores, not starting with a hyphen",
};

/// Whether `name` is a DNS name: dot-separated labels of letters, digits and hyphens.
fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
        })
}

/// Settings of a new [`PrivateDnsNamespace`].
#[derive(Clone, Debug)]
pub struct PrivateDnsNamespaceBuilder {
    name: String,
    vpc: Vpc,
    description: Option<String>,
}

impl PrivateDnsNamespaceBuilder {
    /// The namespace's description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds the namespace under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> PrivateDnsNamespace {
        let mut scope = scope.scope(id);
        if !is_dns_name(&self.name) {
            scope.problems().error(
                "name",
                quoted(&self.name),
                "a DNS name: dot-separated labels of letters, digits and hyphens (apps.local)",
            );
        }
        let mut namespace = l1::PrivateDnsNamespace::new(self.name.as_str()).vpc(self.vpc.vpc_id());
        if let Some(description) = &self.description {
            namespace = namespace.description(description.as_str());
        }
        let resource = scope.add("Resource", namespace);
        PrivateDnsNamespace {
            name: self.name,
            id: resource.attr_id(),
            arn: resource.attr_arn(),
            resource,
        }
    }
}

/// A private DNS namespace. A cheap handle.
#[derive(Clone, Debug)]
pub struct PrivateDnsNamespace {
    name: String,
    id: Value<String>,
    arn: Value<String>,
    resource: ResourceRef<l1::PrivateDnsNamespace>,
}

impl PrivateDnsNamespace {
    /// Settings for a namespace `name` (`apps.local`) in `vpc`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::servicediscovery::PrivateDnsNamespace;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let namespace = PrivateDnsNamespace::builder("apps.local", &vpc).build(stack, "Namespace");
    /// assert_eq!(namespace.name(), "apps.local");
    /// ```
    pub fn builder(name: impl Into<String>, vpc: &Vpc) -> PrivateDnsNamespaceBuilder {
        PrivateDnsNamespaceBuilder {
            name: name.into(),
            vpc: vpc.clone(),
            description: None,
        }
    }

    /// The namespace's DNS name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The namespace id.
    pub fn namespace_id(&self) -> Value<String> {
        self.id.clone()
    }

    /// The namespace ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The L1 namespace: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::PrivateDnsNamespace> {
        &self.resource
    }

    /// Adds a Cloud Map service `name` (A records, 60 s TTL, health from ECS) and returns its
    /// ARN, for an ECS service's registry.
    pub(crate) fn register(&self, scope: &mut impl Scope, id: &str, name: &str) -> Value<String> {
        scope.problems().name("cloud_map", name, &SERVICE_NAME);
        let service = scope.add(
            id,
            l1::Service::new()
                .name(name)
                .namespace_id(self.namespace_id())
                .dns_config(
                    l1::service::DnsConfig::new(vec![l1::service::DnsRecord::new(
                        l1::service::DnsRecordRequired {
                            ttl: 60.0.into(),
                            type_: "A".into(),
                        },
                    )])
                    .routing_policy("MULTIVALUE"),
                )
                .health_check_custom_config(l1::service::HealthCheckCustomConfig::new()),
        );
        service.attr_arn()
    }
}
