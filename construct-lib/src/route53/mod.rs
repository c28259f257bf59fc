//! Amazon Route 53 (L2): a [`HostedZone`] given by id and name (from configuration: no
//! lookups at synthesis), alias A/AAAA records to a load balancer, and CNAME records. The
//! L1 types are in [`crate::cfn::route53`].

use cfn_l1::model::{ResourceRef, Value};
use cfn_l1::route53 as l1;

use crate::Duration;
use crate::core::scope::Scope;
use crate::elbv2::ApplicationLoadBalancer;
use crate::problem::{Problems, quoted};

/// An existing public or private hosted zone.
///
/// ```
/// use construct_lib::App;
/// use construct_lib::route53::HostedZone;
/// let zone = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com");
/// assert_eq!(zone.name(), "example.com");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostedZone {
    id: String,
    name: String,
}

impl HostedZone {
    /// The zone with this id (`Z0123456789ABCDEFGHIJ`) and domain name (`example.com`).
    /// Both are checked where the zone is used.
    pub fn from_attributes(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into().trim_end_matches('.').to_owned(),
        }
    }

    /// The zone's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The zone's domain name, without the final dot.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds an alias A record `record_name` (`api`, relative to the zone, or `""` for the
    /// apex) to `load_balancer`, under construct `id` of `scope`.
    pub fn add_alias_a(
        &self,
        scope: &mut impl Scope,
        id: &str,
        record_name: &str,
        load_balancer: &ApplicationLoadBalancer,
    ) -> ResourceRef<l1::RecordSet> {
        self.add_alias(scope, id, record_name, "A", load_balancer)
    }

    /// Adds an alias AAAA record (for a dual-stack load balancer); see
    /// [`HostedZone::add_alias_a`].
    pub fn add_alias_aaaa(
        &self,
        scope: &mut impl Scope,
        id: &str,
        record_name: &str,
        load_balancer: &ApplicationLoadBalancer,
    ) -> ResourceRef<l1::RecordSet> {
        self.add_alias(scope, id, record_name, "AAAA", load_balancer)
    }

    fn add_alias(
        &self,
        scope: &mut impl Scope,
        id: &str,
        record_name: &str,
        record_type: &str,
        load_balancer: &ApplicationLoadBalancer,
    ) -> ResourceRef<l1::RecordSet> {
        let mut scope = scope.scope(id);
        let name = self.check_name(&mut scope.problems(), record_name);
        let target = l1::record_set::AliasTarget::new(l1::record_set::AliasTargetRequired {
            dns_name: load_balancer.dns_name(),
            hosted_zone_id: load_balancer.canonical_hosted_zone_id(),
        })
        // Route 53 answers only while the load balancer has healthy targets somewhere.
        .evaluate_target_health(true);
        let record = self.record(name, record_type).alias_target(target);
        scope.add("Resource", record)
    }

    /// Adds a CNAME record `record_name` (relative to the zone; not the apex) pointing at
    /// `target` (`app.example.net`), cached for `ttl` (at most 2 days; default 5 minutes
    /// when `None`).
    pub fn add_cname(
        &self,
        scope: &mut impl Scope,
        id: &str,
        record_name: &str,
        target: impl Into<Value<String>>,
        ttl: Option<Duration>,
    ) -> ResourceRef<l1::RecordSet> {
        let mut scope = scope.scope(id);
        let ttl = ttl.unwrap_or(Duration::minutes(5));
        let name = {
            let mut problems = scope.problems();
            problems.range("ttl", ttl, Duration::seconds(0)..=Duration::days(2), "");
            if record_name.is_empty() {
                problems.error(
                    "record_name",
                    "\"\" (the zone apex)",
                    "a name below the apex: DNS allows no CNAME at the apex (use an alias record there)",
                );
            }
            self.check_name(&mut problems, record_name)
        };
        let record = self
            .record(name, "CNAME")
            .ttl(ttl.to_seconds().to_string())
            .resource_records(vec![target.into()]);
        scope.add("Resource", record)
    }

    fn record(&self, name: String, record_type: &str) -> l1::RecordSet {
        l1::RecordSet::new(l1::record_set::RecordSetRequired {
            name: name.into(),
            type_: record_type.into(),
        })
        .hosted_zone_id(self.id.as_str())
    }

    /// The record's full name (`api.example.com.`), with the zone's and the name's problems
    /// reported.
    fn check_name(&self, problems: &mut Problems<'_>, record_name: &str) -> String {
        let id_ok = self.id.len() <= 32
            && self.id.starts_with('Z')
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !id_ok {
            problems.error(
                "hosted_zone_id",
                quoted(&self.id),
                "a hosted zone id: Z and up to 31 uppercase letters and digits",
            );
        }
        let written = record_name.trim_end_matches('.');
        let relative = if written == self.name {
            ""
        } else {
            written
                .strip_suffix(&format!(".{}", self.name))
                .unwrap_or(written)
        };
        let full = if relative.is_empty() {
            self.name.clone()
        } else {
            format!("{relative}.{}", self.name)
        };
        let labels_ok = full.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '*')
        });
        if !labels_ok || full.len() > 253 {
            problems.error(
                "record_name",
                quoted(record_name),
                format!("a DNS name in {}: labels of 1 to 63 letters, digits and hyphens, 253 characters in all", self.name),
            );
        }
        format!("{full}.")
    }
}
