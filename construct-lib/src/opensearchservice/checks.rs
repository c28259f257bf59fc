//! The rules of a domain's settings, checked together: node counts against zone awareness,
//! subnets against zones, fine-grained access control against the encryption it needs.

use super::{DomainBuilder, LogType};
use crate::ec2::Subnet;
use crate::problem::{NameRule, Problems, quoted};

/// A domain name: 3 to 28 lowercase letters, digits and hyphens, starting with a letter.
const DOMAIN_NAME: NameRule = NameRule {
    min_len: 3,
    max_len: 28,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-',
    first: Some(|c| c.is_ascii_lowercase()),
    description: "3 to 28 lowercase letters, digits and hyphens, starting with a letter",
};

/// Reports every invalid setting; returns one subnet per zone the domain uses.
pub(super) fn check(builder: &DomainBuilder, problems: &mut Problems<'_>) -> Vec<Subnet> {
    if let Some(name) = &builder.name {
        problems.name("domain_name", name, &DOMAIN_NAME);
    }
    check_version(builder, problems);
    check_nodes(builder, problems);
    check_security(builder, problems);
    problems.range("ebs_volume_gib", builder.ebs_gib, 10..=24_576, "GiB");
    select_subnets(builder, problems)
}

fn check_version(builder: &DomainBuilder, problems: &mut Problems<'_>) {
    let version = builder.version.version();
    let well_formed = version
        .split_once('.')
        .is_some_and(|(major, minor)| major.parse::<u32>().is_ok() && minor.parse::<u32>().is_ok());
    if !well_formed {
        problems.error("engine_version", quoted(version), "major.minor (`2.19`)");
    }
}

fn check_nodes(builder: &DomainBuilder, problems: &mut Problems<'_>) {
    let (count, instance_type) = &builder.data_nodes;
    problems.range("data_nodes", *count, 1..=80, "nodes");
    check_instance_type("data_nodes", instance_type, problems);
    if let Some((masters, instance_type)) = &builder.masters {
        if ![3, 5].contains(masters) {
            problems.error(
                "dedicated_masters",
                format!("{masters} nodes"),
                "3 or 5 nodes (an odd number keeps a quorum when a node or zone is lost)",
            );
        }
        check_instance_type("dedicated_masters", instance_type, problems);
    }
    if let Some(zones) = builder.zone_awareness
        && problems.range("zone_awareness", zones, 2..=3, "zones")
        && !count.is_multiple_of(zones)
    {
        problems.error(
            "data_nodes",
            format!("{count} nodes over {zones} zones"),
            format!("a multiple of {zones}, so that every zone holds the same share of the shards"),
        );
    }
}

fn check_instance_type(setting: &str, instance_type: &str, problems: &mut Problems<'_>) {
    if !instance_type.ends_with(".search") || instance_type.split('.').count() != 3 {
        problems.error(
            setting,
            quoted(instance_type),
            "an OpenSearch instance type: <family>.<size>.search (`r6g.large.search`)",
        );
    }
}

/// Fine-grained access control needs all three encryptions; audit logs need it.
fn check_security(builder: &DomainBuilder, problems: &mut Problems<'_>) {
    if builder.master_user.is_some() {
        for (on, setting) in [
            (builder.encryption_at_rest, "encryption_at_rest"),
            (builder.node_to_node, "node_to_node_encryption"),
            (builder.enforce_https, "enforce_https"),
        ] {
            if !on {
                problems.error(
                    setting,
                    "false",
                    "true when fine-grained access control is on (OpenSearch requires encryption at rest, node-to-node encryption and HTTPS for it)",
                );
            }
        }
    }
    if builder.logs.contains(&LogType::AuditLogs) {
        problems.requires(
            builder.master_user.is_some(),
            "log",
            "AuditLogs",
            "fine_grained_access_control(...)",
        );
    }
    if builder.key.is_some() {
        problems.requires(
            builder.encryption_at_rest,
            "kms_key",
            "a key",
            "encryption_at_rest(true)",
        );
    }
    if !builder.tls_policy.starts_with("Policy-Min-TLS-") {
        problems.error(
            "tls_security_policy",
            quoted(&builder.tls_policy),
            "a TLS policy name such as Policy-Min-TLS-1-2-PFS-2023-10",
        );
    }
    for (index, statement) in builder.access_policy.iter().enumerate() {
        if statement.principal_list().is_empty() {
            problems.error(
                &format!("access_policy_statement[{index}]"),
                statement.action_list().join(", "),
                "a statement with a principal (an access policy is a resource policy)",
            );
        }
    }
}

/// One subnet per zone: the first `zones` subnets of the selection, which the VPC lists
/// one per zone.
fn select_subnets(builder: &DomainBuilder, problems: &mut Problems<'_>) -> Vec<Subnet> {
    let zones = builder.zone_awareness.unwrap_or(1) as usize;
    let subnets = match builder.vpc.select_subnets(&builder.subnets) {
        Ok(subnets) => subnets,
        Err(reason) => {
            problems.error("vpc_subnets", &builder.subnets, reason);
            return Vec::new();
        }
    };
    if subnets.len() < zones {
        problems.error(
            "vpc_subnets",
            format!("{}: {} subnet(s)", builder.subnets, subnets.len()),
            format!("a subnet in each of the {zones} zones of zone_awareness({zones})"),
        );
    }
    subnets.into_iter().take(zones).collect()
}
