//! Address planning for a VPC: the VPC block checked, and subnet blocks allocated at
//! synthesis (literal CIDRs in the template, as the CDK does, so a diff shows the real
//! ranges) or checked when the user gives them.

use ipnet::Ipv4Net;

/// The smallest and largest VPC and subnet blocks AWS allows.
pub const MIN_PREFIX: u8 = 16;
/// The smallest block AWS allows (`/28`, 16 addresses).
pub const MAX_PREFIX: u8 = 28;

/// Parses `text` as an IPv4 block `a.b.c.d/n` whose address is the network address.
pub fn parse(text: &str) -> Result<Ipv4Net, String> {
    let block: Ipv4Net = text
        .parse()
        .map_err(|_| "an IPv4 block a.b.c.d/n, such as 10.0.0.0/16".to_owned())?;
    if block.network() != block.addr() {
        return Err(format!(
            "a network address: {} is inside {}",
            block.addr(),
            block.trunc()
        ));
    }
    Ok(block)
}

/// Whether the prefix length is one AWS allows for VPCs and subnets (`/16` to `/28`).
pub fn prefix_allowed(prefix: u8) -> bool {
    (MIN_PREFIX..=MAX_PREFIX).contains(&prefix)
}

/// What one subnet group asks for: a prefix length per subnet, or nothing (an equal share of
/// what the sized groups leave).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// The prefix length, or `None` for an equal share.
    pub prefix: Option<u8>,
    /// How many subnets (one per availability zone).
    pub count: usize,
}

/// Allocates blocks for `requests` from the start of `vpc`. Groups without a size share
/// what the sized groups leave equally (each subnet the largest power-of-two block that
/// fits). Larger blocks are placed first, so that every block is aligned and none overlap;
/// among equal sizes the request order holds. Returns one list of blocks per request, or
/// what does not fit.
pub fn allocate(vpc: Ipv4Net, requests: &[Request]) -> Result<Vec<Vec<Ipv4Net>>, String> {
    let vpc_size = 1u64 << (32 - vpc.prefix_len());
    let sized: u64 = requests
        .iter()
        .filter_map(|r| r.prefix.map(|p| (1u64 << (32 - p)) * r.count as u64))
        .sum();
    if sized > vpc_size {
        return Err(format!(
            "the subnets need {sized} addresses but {vpc} has {vpc_size}"
        ));
    }
    let unsized_count: usize = requests
        .iter()
        .filter(|r| r.prefix.is_none())
        .map(|r| r.count)
        .sum();
    let share_prefix = if unsized_count == 0 {
        None
    } else {
        let share = (vpc_size - sized) / unsized_count as u64;
        if share == 0 {
            return Err(format!(
                "no address space is left in {vpc} for the subnets without a size"
            ));
        }
        // The largest power of two not above the share.
        let bits = 63 - share.leading_zeros() as u8;
        let prefix = 32 - bits.min(32 - vpc.prefix_len());
        if prefix > MAX_PREFIX {
            return Err(format!(
                "the subnets without a size would get /{prefix} blocks of {vpc}; AWS allows /{MAX_PREFIX} at the smallest"
            ));
        }
        Some(prefix)
    };
    // Largest blocks first keeps every block aligned; the result keeps the request order.
    let mut order: Vec<(usize, u8)> = requests
        .iter()
        .enumerate()
        .map(|(index, r)| (index, r.prefix.or(share_prefix).unwrap_or(MAX_PREFIX)))
        .collect();
    order.sort_by_key(|&(index, prefix)| (prefix, index));
    let mut next = u64::from(u32::from(vpc.network()));
    let end = next + vpc_size;
    let mut blocks: Vec<Vec<Ipv4Net>> = vec![Vec::new(); requests.len()];
    for (index, prefix) in order {
        let size = 1u64 << (32 - prefix);
        for _ in 0..requests[index].count {
            next = next.div_ceil(size) * size;
            if next + size > end {
                return Err(format!("the subnets do not fit in {vpc}"));
            }
            let address = std::net::Ipv4Addr::from(next as u32);
            blocks[index].push(Ipv4Net::new(address, prefix).map_err(|e| e.to_string())?);
            next += size;
        }
    }
    Ok(blocks)
}

/// The first pair of blocks that overlap, if any.
pub fn first_overlap(blocks: &[Ipv4Net]) -> Option<(Ipv4Net, Ipv4Net)> {
    for (i, a) in blocks.iter().enumerate() {
        for b in &blocks[i + 1..] {
            if a.contains(b) || b.contains(a) {
                return Some((*a, *b));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Ipv4Net {
        text.parse().expect("valid block")
    }

    #[test]
    fn equal_shares_split_the_vpc() {
        let blocks = allocate(
            net("10.0.0.0/16"),
            &[
                Request {
                    prefix: None,
                    count: 2,
                },
                Request {
                    prefix: None,
                    count: 2,
                },
            ],
        )
        .expect("fits");
        assert_eq!(blocks[0], [net("10.0.0.0/18"), net("10.0.64.0/18")]);
        assert_eq!(blocks[1], [net("10.0.128.0/18"), net("10.0.192.0/18")]);
    }

    #[test]
    fn shares_take_what_sized_groups_leave_and_larger_blocks_go_first() {
        let blocks = allocate(
            net("10.0.0.0/16"),
            &[
                Request {
                    prefix: Some(24),
                    count: 2,
                },
                Request {
                    prefix: None,
                    count: 2,
                },
            ],
        )
        .expect("fits");
        assert_eq!(blocks[0], [net("10.0.128.0/24"), net("10.0.129.0/24")]);
        assert_eq!(blocks[1], [net("10.0.0.0/18"), net("10.0.64.0/18")]);
        let all: Vec<Ipv4Net> = blocks.concat();
        assert_eq!(first_overlap(&all), None);
    }

    #[test]
    fn too_many_addresses_and_too_small_shares_are_refused() {
        let error = allocate(
            net("10.0.0.0/24"),
            &[Request {
                prefix: Some(24),
                count: 2,
            }],
        )
        .expect_err("too big");
        assert_eq!(
            error,
            "the subnets need 512 addresses but 10.0.0.0/24 has 256"
        );
        let error = allocate(
            net("10.0.0.0/26"),
            &[Request {
                prefix: None,
                count: 6,
            }],
        )
        .expect_err("too small");
        assert_eq!(
            error,
            "the subnets without a size would get /29 blocks of 10.0.0.0/26; AWS allows /28 at the smallest"
        );
    }

    #[test]
    fn blocks_parse_as_network_addresses_only() {
        assert_eq!(parse("10.0.0.0/16"), Ok(net("10.0.0.0/16")));
        assert_eq!(
            parse("10.0.0.1/16"),
            Err("a network address: 10.0.0.1 is inside 10.0.0.0/16".to_owned())
        );
        assert!(parse("10.0.0.0").is_err());
        assert_eq!(
            first_overlap(&[net("10.0.0.0/24"), net("10.0.0.128/25")]),
            Some((net("10.0.0.0/24"), net("10.0.0.128/25")))
        );
    }
}
