//! AWS Cloud Map (L2): a private DNS namespace in a VPC, where services register so others
//! find them by name (`api.apps.local`). The L1 types are in [`crate::cfn::servicediscovery`].

use cfn_l1::model::{ResourceRef, Value};
use cfn_l1::servicediscovery as l1;

use crate::core::scope::Scope;
use crate::ec2::Vpc;
use crate::problem::Problem;

/// A private DNS namespace. A cheap handle.
#[derive(Clone, Debug)]
pub struct PrivateDnsNamespace {
    name: String,
    id: Value<String>,
    arn: Value<String>,
    resource: ResourceRef<l1::PrivateDnsNamespace>,
}

impl PrivateDnsNamespace {
    /// Adds the namespace `name` (`apps.local`) to `vpc` under construct `id` of `scope`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::Vpc;
    /// use construct_lib::servicediscovery::PrivateDnsNamespace;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let namespace = PrivateDnsNamespace::new(stack, "Namespace", "apps.local", &vpc);
    /// assert_eq!(namespace.name(), "apps.local");
    /// ```
    pub fn new(scope: &mut impl Scope, id: &str, name: &str, vpc: &Vpc) -> Self {
        let mut scope = scope.scope(id);
        let valid = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
            });
        if !valid {
            let path = scope.path();
            scope.stack_mut().problems.push(Problem::error(
                path,
                "name",
                format!("{name:?}"),
                "a DNS name: dot-separated labels of letters, digits and hyphens (apps.local)",
            ));
        }
        let resource = scope.add(
            "Resource",
            l1::PrivateDnsNamespace::new(name).vpc(vpc.vpc_id()),
        );
        Self {
            name: name.to_owned(),
            id: resource.attr_id(),
            arn: resource.attr_arn(),
            resource,
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
        let valid = !name.is_empty()
            && name.len() <= 63
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && !name.starts_with('-');
        if !valid {
            let path = format!("{}/{id}", scope.path());
            scope.stack_mut().problems.push(Problem::error(
                path,
                "cloud_map name",
                format!("{name:?}"),
                "1 to 63 lower-case letters, digits, hyphens and underscores, not starting with a hyphen",
            ));
        }
        let service = scope.add(
            id,
            l1::Service::new()
                .name(name)
                .namespace_id(self.namespace_id())
                .dns_config(
                    l1::service::DnsConfig::new(vec![l1::service::DnsRecord::new(60.0, "A")])
                        .routing_policy("MULTIVALUE"),
                )
                .health_check_custom_config(l1::service::HealthCheckCustomConfig::new()),
        );
        service.attr_arn()
    }
}
