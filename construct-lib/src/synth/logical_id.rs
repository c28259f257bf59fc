//! Logical IDs from construct paths.
//!
//! The scheme:
//! - an element added directly to the stack with an alphanumeric id of at most 255
//!   characters keeps that id (`Vpc` → `Vpc`), so hand-written L1 stacks read naturally;
//! - otherwise the path components below the stack, with non-alphanumeric characters
//!   removed, components named `Resource` or `Default` dropped (an L2's main resource) and
//!   repeated neighbours dropped, are joined and cut to 240 characters, then the first 8 hex
//!   digits of the SHA-256 of the full path (components joined by `/`) are appended:
//!   `Vpc/PublicSubnet1/RouteTable` → `VpcPublicSubnet1RouteTable3F2A61C4`.
//!
//! The hash keeps two paths that read alike (`A-B/C` and `AB/C`) apart; it depends only on
//! the path, so reordering code that builds other constructs changes nothing. Any resource's
//! ID can be overridden ([`ResourceOptions::override_logical_id`](crate::ResourceOptions::override_logical_id)).

use sha2::{Digest, Sha256};

/// The logical ID of the element at `components` (the path below the stack).
pub fn logical_id(components: &[&str]) -> String {
    if let [single] = components
        && is_valid(single)
    {
        return (*single).to_owned();
    }
    let mut human = String::new();
    let mut previous = "";
    for component in components {
        let clean: String = component
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if clean.is_empty()
            || clean == previous
            || (components.len() > 1 && (clean == "Resource" || clean == "Default"))
        {
            continue;
        }
        human.push_str(&clean);
        previous = component;
    }
    let human: String = human.chars().take(240).collect();
    let digest = Sha256::digest(components.join("/").as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02X}")).collect();
    format!("{human}{hash}")
}

/// Whether `id` can be a logical ID: 1 to 255 ASCII letters and digits.
pub fn is_valid(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_alphanumeric_ids_are_kept() {
        assert_eq!(logical_id(&["Vpc"]), "Vpc");
    }

    #[test]
    fn nested_paths_get_a_readable_prefix_and_a_stable_hash() {
        let id = logical_id(&["Vpc", "PublicSubnet1", "RouteTable"]);
        assert!(id.starts_with("VpcPublicSubnet1RouteTable"), "{id}");
        assert_eq!(id.len(), "VpcPublicSubnet1RouteTable".len() + 8);
        assert_eq!(id, logical_id(&["Vpc", "PublicSubnet1", "RouteTable"]));
        assert!(is_valid(&id));
    }

    #[test]
    fn resource_and_default_components_and_repeats_are_dropped() {
        let id = logical_id(&["Bucket", "Resource"]);
        assert!(id.starts_with("Bucket") && id.len() == 14, "{id}");
        let id = logical_id(&["Web", "Web", "Service"]);
        assert!(id.starts_with("WebService"), "{id}");
    }

    #[test]
    fn paths_that_read_alike_differ() {
        let a = logical_id(&["A-B", "C"]);
        let b = logical_id(&["AB", "C"]);
        assert_ne!(a, b);
        assert_eq!(&a[..3], &b[..3]);
    }

    #[test]
    fn non_alphanumeric_top_level_ids_are_hashed() {
        let id = logical_id(&["my-bucket"]);
        assert!(id.starts_with("mybucket") && is_valid(&id), "{id}");
    }

    #[test]
    fn long_paths_are_cut_to_fit() {
        let long = "A".repeat(300);
        let id = logical_id(&[&long, "B"]);
        assert_eq!(id.len(), 248);
        assert!(is_valid(&id));
    }
}
