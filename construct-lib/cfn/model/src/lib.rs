//! The hand-written model under the generated L1 types, and the generated registry data.
//!
//! - [`model`]: typed [`Value`](model::Value)s, the expression tree with every intrinsic
//!   function, element ids and the [`Resource`](model::Resource) trait.
//! - [`registry`] (generated): data about every resource type of the pinned registry data.

pub mod model;
pub mod registry;
