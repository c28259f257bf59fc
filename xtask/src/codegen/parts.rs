//! How the generated services are laid out over the part crates (`construct-lib/cfn/parts/pNN`)
//! and re-exported by the `cfn-l1` facade: which service goes where, the parts' `lib.rs` and
//! `Cargo.toml`, the facade's exports and features.
//!
//! rustc checks one crate on one core, so the services are spread over several crates of about
//! equal size that build in parallel, each needing less memory. A service larger than a part's
//! share (QuickSight, whose three dashboard-like resources carry about 2 MB of nested types
//! each) is split by resource type over several parts, so that no part is left building alone
//! on a core at the end of a `--features full` build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::spec;

/// How many crates the generated services are spread over.
pub const PARTS: usize = 8;

/// One generated resource type: its module, its struct and its source.
pub struct ResourceFile {
    /// `task_definition`: the module within the service.
    pub module: String,
    /// `TaskDefinition`: the resource's struct, re-exported by the service module.
    pub rust_name: String,
    pub content: String,
}

/// A service with its generated resource files.
pub struct ServiceSources<'a> {
    pub service: &'a spec::Service,
    pub resources: Vec<ResourceFile>,
}

/// The part of a service that one part crate holds: all its resource types, or a share.
struct Piece<'a> {
    service: &'a spec::Service,
    resources: Vec<ResourceFile>,
    /// How many pieces the service is split into (1: not split).
    of: usize,
}

impl Piece<'_> {
    fn size(&self) -> usize {
        self.resources.iter().map(|r| r.content.len()).sum()
    }
}

/// Every file of the parts and the facade, keyed by path relative to `construct-lib/cfn`.
pub fn layout(
    services: Vec<ServiceSources<'_>>,
    header: &str,
    default_services: &[&str],
) -> BTreeMap<PathBuf, String> {
    let total: usize = services
        .iter()
        .flat_map(|s| &s.resources)
        .map(|r| r.content.len())
        .sum();
    let share = total.div_ceil(PARTS);
    let pieces: Vec<Piece<'_>> = services.into_iter().flat_map(|s| split(s, share)).collect();
    let mut files = BTreeMap::new();
    // Service short name → the part crates holding it, for the facade's features and exports.
    let mut holders: BTreeMap<&str, (&spec::Service, Vec<String>)> = BTreeMap::new();
    let mut part_names = Vec::new();
    for (part, part_pieces) in (1..=PARTS).zip(balance(pieces)) {
        let crate_name = format!("cfn-l1-p{part:02}");
        let dir = PathBuf::from(format!("parts/p{part:02}"));
        let mut names = Vec::new();
        for piece in part_pieces {
            let name = piece.service.short_name.as_str();
            files.insert(
                dir.join(format!("src/{name}/mod.rs")),
                service_mod(&piece, header),
            );
            for resource in piece.resources {
                files.insert(
                    dir.join(format!("src/{name}/{}.rs", resource.module)),
                    resource.content,
                );
            }
            holders
                .entry(name)
                .or_insert_with(|| (piece.service, Vec::new()))
                .1
                .push(crate_name.clone());
            names.push(name.to_owned());
        }
        files.insert(dir.join("src/lib.rs"), part_lib(part, &names, header));
        files.insert(
            dir.join("Cargo.toml"),
            part_cargo_toml(&crate_name, part, &names, header),
        );
        part_names.push(crate_name);
    }
    files.insert(
        PathBuf::from("src/generated.rs"),
        facade_exports(&holders, header),
    );
    files.insert(
        PathBuf::from("Cargo.toml"),
        facade_cargo_toml(&holders, &part_names, default_services, header),
    );
    files
}

/// The service as one piece, or split by resource type (largest first onto the lightest
/// piece) into as many pieces as it has shares of a part.
fn split(sources: ServiceSources<'_>, share: usize) -> Vec<Piece<'_>> {
    let size: usize = sources.resources.iter().map(|r| r.content.len()).sum();
    let of = size.div_ceil(share.max(1)).clamp(1, PARTS);
    let mut resources: Vec<(usize, ResourceFile)> =
        sources.resources.into_iter().enumerate().collect();
    resources.sort_by(|a, b| {
        b.1.content
            .len()
            .cmp(&a.1.content.len())
            .then(a.0.cmp(&b.0))
    });
    let mut loads = vec![0usize; of];
    let mut shares: Vec<Vec<(usize, ResourceFile)>> = (0..of).map(|_| Vec::new()).collect();
    for (index, resource) in resources {
        let lightest = (0..of).min_by_key(|&p| (loads[p], p)).unwrap_or(0);
        loads[lightest] += resource.content.len();
        shares[lightest].push((index, resource));
    }
    shares
        .into_iter()
        .map(|mut share| {
            // Within a piece, the resource types keep the service's order.
            share.sort_by_key(|(index, _)| *index);
            Piece {
                service: sources.service,
                resources: share.into_iter().map(|(_, r)| r).collect(),
                of,
            }
        })
        .collect()
}

/// The pieces spread over the parts: largest first onto the lightest part, so that the parts
/// take about the same time to build.
fn balance(pieces: Vec<Piece<'_>>) -> Vec<Vec<Piece<'_>>> {
    let mut order: Vec<(usize, Piece<'_>)> = pieces.into_iter().enumerate().collect();
    order.sort_by(|a, b| b.1.size().cmp(&a.1.size()).then(a.0.cmp(&b.0)));
    let mut loads = [0usize; PARTS];
    let mut per_part: Vec<Vec<(usize, Piece<'_>)>> = (0..PARTS).map(|_| Vec::new()).collect();
    for (index, piece) in order {
        // Two pieces of one service never share a part: each part has one module per service.
        let holds = |p: usize| {
            per_part[p].iter().any(|(_, other): &(usize, Piece<'_>)| {
                other.service.short_name == piece.service.short_name
            })
        };
        let lightest = (0..PARTS)
            .filter(|&p| !holds(p))
            .min_by_key(|&p| (loads[p], p))
            .unwrap_or(0);
        loads[lightest] += piece.size();
        per_part[lightest].push((index, piece));
    }
    per_part
        .into_iter()
        .map(|mut part| {
            part.sort_by_key(|(index, _)| *index);
            part.into_iter().map(|(_, piece)| piece).collect()
        })
        .collect()
}

/// A service module within a part: its resource modules and their structs.
fn service_mod(piece: &Piece<'_>, header: &str) -> String {
    let service = piece.service;
    let mut out = String::from(header);
    if piece.of == 1 {
        let _ = writeln!(
            out,
            "//! `{}`: {} resource type(s). Enabled by the `{}` feature.\n",
            service.namespace,
            piece.resources.len(),
            service.short_name
        );
    } else {
        let _ = writeln!(
            out,
            "//! `{}`: {} of its {} resource types; the others are in other part crates, and\n//! `cfn-l1` re-exports them together. Enabled by the `{}` feature.\n",
            service.namespace,
            piece.resources.len(),
            service.resources.len(),
            service.short_name
        );
    }
    for resource in &piece.resources {
        let _ = writeln!(
            out,
            "pub mod {};\npub use {}::{};",
            resource.module, resource.module, resource.rust_name
        );
    }
    out
}

/// A part crate's `lib.rs`: its services, each behind its feature.
fn part_lib(part: usize, names: &[String], header: &str) -> String {
    let mut lib = String::from(header);
    let _ = writeln!(
        lib,
        "//! Generated L1 types, part {part} of {PARTS}: {} service(s). Use them through `cfn-l1`.\n",
        names.len()
    );
    for name in names {
        let _ = writeln!(lib, "#[cfg(feature = \"{name}\")]\npub mod {name};");
    }
    lib
}

/// The facade's re-exports of every service module, each behind its feature; a service split
/// over several parts becomes one module that re-exports all its pieces.
fn facade_exports(holders: &BTreeMap<&str, (&spec::Service, Vec<String>)>, header: &str) -> String {
    let mut out = String::from(header);
    out.push_str(
        "//! Re-exports of the generated service modules, each behind its cargo feature.\n\n",
    );
    for (name, (service, crates)) in holders {
        let libs: Vec<String> = crates.iter().map(|c| c.replace('-', "_")).collect();
        if let [lib] = libs.as_slice() {
            let _ = writeln!(out, "#[cfg(feature = \"{name}\")]\npub use {lib}::{name};");
            continue;
        }
        let _ = writeln!(
            out,
            "#[cfg(feature = \"{name}\")]\npub mod {name} {{\n    //! `{}`: {} resource type(s). Enabled by the `{name}` feature.\n",
            service.namespace,
            service.resources.len()
        );
        for lib in &libs {
            let _ = writeln!(out, "    pub use {lib}::{name}::*;");
        }
        out.push_str("}\n");
    }
    out
}

fn toml_header(header: &str) -> String {
    header.replace("// ", "# ")
}

fn part_cargo_toml(crate_name: &str, part: usize, services: &[String], header: &str) -> String {
    let mut out = toml_header(header);
    let _ = writeln!(
        out,
        "[package]\nname = \"{crate_name}\"\ndescription = \"Generated L1 types, part {part} of {PARTS}; use them through cfn-l1.\"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\npublish = false\n\n[dependencies]\ncfn-l1-model = {{ path = \"../../model\" }}\n\n[features]"
    );
    for name in services {
        let _ = writeln!(out, "{name} = []");
    }
    out.push_str("\n[lints]\nworkspace = true\n");
    out
}

fn facade_cargo_toml(
    holders: &BTreeMap<&str, (&spec::Service, Vec<String>)>,
    parts: &[String],
    default_services: &[&str],
    header: &str,
) -> String {
    let mut out = toml_header(header);
    out.push_str(
        "[package]\nname = \"cfn-l1\"\ndescription = \"Typed CloudFormation resources (L1) for every resource type of the pinned registry data.\"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\npublish = false\n\n[dependencies]\ncfn-l1-model = { path = \"model\" }\n",
    );
    for part in parts {
        let _ = writeln!(
            out,
            "{part} = {{ path = \"parts/{}\", optional = true }}",
            &part[7..]
        );
    }
    let quoted = |names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "\n[features]\ndefault = [{}]",
        quoted(&mut default_services.iter().copied())
    );
    let _ = writeln!(
        out,
        "# Every service.\nfull = [{}]",
        quoted(&mut holders.keys().copied())
    );
    for (name, (_, crates)) in holders {
        let enables: Vec<String> = crates
            .iter()
            .flat_map(|c| [format!("\"dep:{c}\""), format!("\"{c}/{name}\"")])
            .collect();
        let _ = writeln!(out, "{name} = [{}]", enables.join(", "));
    }
    out.push_str("\n[lints]\nworkspace = true\n");
    out
}
