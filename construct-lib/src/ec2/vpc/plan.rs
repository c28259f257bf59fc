//! The checks of a VPC's settings and its address plan: the zones, the VPC block, the
//! tiers, each subnet's block (allocated here, or given and checked), and how many NAT
//! gateways. Every problem is reported; what cannot be planned is `None`.

use cfn_l1::model::{Value, fns};
use ipnet::Ipv4Net;

use super::super::cidr::{self, Request};
use super::{SubnetConfiguration, SubnetType, VpcBuilder};
use crate::problem::{Problems, quoted};

/// The most availability zones a region has (us-east-1's six): `Fn::Select` past a region's
/// last zone fails the deploy.
const MOST_ZONES_IN_A_REGION: usize = 6;

/// What the VPC will be made of.
pub(super) struct Plan {
    /// The availability zones, literal or `Fn::Select` of `Fn::GetAZs`.
    pub(super) zones: Vec<Value<String>>,
    /// Each tier's subnet blocks, one per zone (`None` when the plan has errors).
    pub(super) blocks: Option<Vec<Vec<Ipv4Net>>>,
    /// The index of the first public tier, where NAT gateways go.
    pub(super) public_tier: Option<usize>,
    /// How many NAT gateways.
    pub(super) nat_count: usize,
}

/// Checks every setting of `builder` and plans its addresses.
pub(super) fn plan(builder: &VpcBuilder, problems: &mut Problems<'_>) -> Plan {
    let zones = zones(builder, problems);
    let vpc_block = vpc_block(&builder.cidr, problems);
    check_tiers(&builder.subnets, vpc_block, problems);
    let blocks = vpc_block.and_then(|vpc| {
        if builder.subnets.iter().all(|t| !placed(t)) {
            allocated_blocks(&builder.subnets, vpc, zones.len(), problems)
        } else {
            given_blocks(&builder.subnets, vpc, zones.len(), problems)
        }
    });
    let public_tier = builder
        .subnets
        .iter()
        .position(|t| t.subnet_type == SubnetType::Public);
    let nat_count = nat_count(builder, zones.len(), public_tier.is_some(), problems);
    Plan {
        zones,
        blocks,
        public_tier,
        nat_count,
    }
}

fn zones(builder: &VpcBuilder, problems: &mut Problems<'_>) -> Vec<Value<String>> {
    match &builder.availability_zones {
        Some(zones) => {
            if zones.is_empty() {
                problems.error(
                    "availability_zones",
                    "none",
                    "at least one availability zone",
                );
            }
            zones
                .iter()
                .map(|zone| Value::from(zone.as_str()))
                .collect()
        }
        None => {
            if builder.max_azs == 0 {
                problems.error("max_azs", 0, "at least 1 availability zone");
            } else if builder.max_azs > MOST_ZONES_IN_A_REGION {
                problems.error(
                    "max_azs",
                    builder.max_azs,
                    format!(
                        "at most {MOST_ZONES_IN_A_REGION} availability zones (the most a region has); name the zones with availability_zones"
                    ),
                );
            }
            (0..builder.max_azs.min(MOST_ZONES_IN_A_REGION))
                .map(|index| fns::select(index as i64, fns::get_azs("")))
                .collect()
        }
    }
}

fn vpc_block(text: &str, problems: &mut Problems<'_>) -> Option<Ipv4Net> {
    match cidr::parse(text) {
        Ok(block) if cidr::prefix_allowed(block.prefix_len()) => Some(block),
        Ok(block) => {
            problems.error(
                "cidr",
                quoted(text),
                format!(
                    "a block from /{} to /{} (AWS's VPC sizes), not /{}",
                    cidr::MIN_PREFIX,
                    cidr::MAX_PREFIX,
                    block.prefix_len()
                ),
            );
            None
        }
        Err(allowed) => {
            problems.error("cidr", quoted(text), allowed);
            None
        }
    }
}

fn check_tiers(
    tiers: &[SubnetConfiguration],
    vpc_block: Option<Ipv4Net>,
    problems: &mut Problems<'_>,
) {
    if tiers.is_empty() {
        problems.error("subnet_configuration", "none", "at least one subnet tier");
    }
    for (index, tier) in tiers.iter().enumerate() {
        if tiers[..index].iter().any(|t| t.name == tier.name) {
            problems.error(
                "subnet_configuration",
                quoted(&tier.name),
                "tier names unique within the VPC",
            );
        }
        if tier.name.is_empty() || !tier.name.chars().all(|c| c.is_ascii_alphanumeric()) {
            problems.error(
                "subnet_configuration",
                quoted(&tier.name),
                "a tier name of letters and digits",
            );
        }
        if let Some(mask) = tier.cidr_mask
            && (!cidr::prefix_allowed(mask) || vpc_block.is_some_and(|b| mask < b.prefix_len()))
        {
            problems.error(
                &format!("subnet_configuration[{}].cidr_mask", tier.name),
                mask,
                format!(
                    "/{} to /{}, and not larger than the VPC block",
                    cidr::MIN_PREFIX,
                    cidr::MAX_PREFIX
                ),
            );
        }
    }
}

/// Blocks allocated from the VPC block, larger first.
fn allocated_blocks(
    tiers: &[SubnetConfiguration],
    vpc: Ipv4Net,
    zone_count: usize,
    problems: &mut Problems<'_>,
) -> Option<Vec<Vec<Ipv4Net>>> {
    let mask_allowed = |mask: u8| cidr::prefix_allowed(mask) && mask >= vpc.prefix_len();
    if tiers
        .iter()
        .any(|t| t.cidr_mask.is_some_and(|m| !mask_allowed(m)))
    {
        return None; // reported with the tier
    }
    let requests: Vec<Request> = tiers
        .iter()
        .map(|tier| Request {
            prefix: tier.cidr_mask,
            count: zone_count,
        })
        .collect();
    match cidr::allocate(vpc, &requests) {
        Ok(blocks) => Some(blocks),
        Err(reason) => {
            problems.error(
                "subnet_configuration",
                format!("{} tier(s) x {zone_count} zone(s) in {vpc}", tiers.len()),
                format!("subnets that fit the VPC block: {reason}"),
            );
            None
        }
    }
}

/// The blocks every tier gives, checked: one per zone, inside the VPC block, sizes AWS
/// allows, no overlaps.
fn given_blocks(
    tiers: &[SubnetConfiguration],
    vpc: Ipv4Net,
    zone_count: usize,
    problems: &mut Problems<'_>,
) -> Option<Vec<Vec<Ipv4Net>>> {
    let explicit = tiers.iter().filter(|t| placed(t)).count();
    if explicit != tiers.len() {
        problems.error(
            "subnet_configuration",
            format!(
                "{explicit} of {} tiers with cidr_blocks or first_block",
                tiers.len()
            ),
            "cidr_blocks or first_block on every tier or on none",
        );
        return None;
    }
    let mut valid = true;
    let mut all = Vec::new();
    for tier in tiers {
        if let Some(first) = tier.first_block {
            let blocks = numbered_blocks(tier, first, vpc, zone_count, problems);
            valid &= blocks.is_some();
            all.push(blocks.unwrap_or_default());
            continue;
        }
        let setting = format!("subnet_configuration[{}].cidr_blocks", tier.name);
        if tier.cidr_blocks.len() != zone_count {
            problems.error(
                &setting,
                format!("{} block(s)", tier.cidr_blocks.len()),
                format!("one block per availability zone ({zone_count})"),
            );
            valid = false;
        }
        let parsed: Vec<Ipv4Net> = tier
            .cidr_blocks
            .iter()
            .filter_map(|text| subnet_block(text, vpc, &setting, problems))
            .collect();
        valid &= parsed.len() == tier.cidr_blocks.len();
        all.push(parsed);
    }
    if let Some((a, b)) = cidr::first_overlap(&all.concat()) {
        problems.error(
            "subnet_configuration",
            format!("{a} and {b}"),
            "subnet blocks that do not overlap",
        );
        valid = false;
    }
    valid.then_some(all)
}

/// Whether the tier places its subnets itself.
fn placed(tier: &SubnetConfiguration) -> bool {
    !tier.cidr_blocks.is_empty() || tier.first_block.is_some()
}

/// Blocks `first`, `first + 1`, ... of the tier's size in `vpc`, one per zone.
fn numbered_blocks(
    tier: &SubnetConfiguration,
    first: u32,
    vpc: Ipv4Net,
    zone_count: usize,
    problems: &mut Problems<'_>,
) -> Option<Vec<Ipv4Net>> {
    let setting = format!("subnet_configuration[{}].first_block", tier.name);
    if !tier.cidr_blocks.is_empty() {
        problems.error(
            &setting,
            first,
            "first_block or cidr_blocks on a tier, not both",
        );
        return None;
    }
    let Some(mask) = tier.cidr_mask.filter(|m| *m >= vpc.prefix_len()) else {
        problems.error(
            &setting,
            first,
            "a cidr_mask on the tier, the size of each numbered block",
        );
        return None;
    };
    let available = vpc.subnets(mask).map(Iterator::count).unwrap_or(0);
    let last = first as usize + zone_count;
    if last > available {
        problems.error(
            &setting,
            format!("{first} (blocks {first} to {} of /{mask})", last - 1),
            format!("blocks that fit the VPC block {vpc}: it holds {available} blocks of /{mask}, numbered 0 to {}", available.saturating_sub(1)),
        );
        return None;
    }
    vpc.subnets(mask)
        .ok()
        .map(|blocks| blocks.skip(first as usize).take(zone_count).collect())
}

/// One given subnet block, if it is valid inside `vpc`.
fn subnet_block(
    text: &str,
    vpc: Ipv4Net,
    setting: &str,
    problems: &mut Problems<'_>,
) -> Option<Ipv4Net> {
    let allowed = match cidr::parse(text) {
        Ok(block) if !vpc.contains(&block) => format!("a block inside the VPC block {vpc}"),
        Ok(block) if !cidr::prefix_allowed(block.prefix_len()) => format!(
            "a block from /{} to /{}",
            cidr::MIN_PREFIX,
            cidr::MAX_PREFIX
        ),
        Ok(block) => return Some(block),
        Err(allowed) => allowed,
    };
    problems.error(setting, quoted(text), allowed);
    None
}

fn nat_count(
    builder: &VpcBuilder,
    zone_count: usize,
    has_public: bool,
    problems: &mut Problems<'_>,
) -> usize {
    let has_egress = builder
        .subnets
        .iter()
        .any(|tier| tier.subnet_type == SubnetType::PrivateWithEgress);
    let count = match builder.nat_gateways {
        Some(count) => count,
        None if has_egress => zone_count,
        None => 0,
    };
    if count > zone_count {
        problems.error(
            "nat_gateways",
            count,
            format!("at most one per availability zone ({zone_count})"),
        );
    }
    if count > 0 && !has_public {
        problems.error(
            "nat_gateways",
            count,
            "0 when there is no public subnet tier to place them in",
        );
    }
    if count == 0 && has_egress {
        problems.error(
            "nat_gateways",
            0,
            "at least 1 for private subnets with egress; use isolated subnets for none",
        );
    }
    count
}
