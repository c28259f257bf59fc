//! AWS IAM (L2): typed [`PolicyStatement`]s and [`PolicyDocument`]s, and [`Role`], to which
//! grants add least-privilege statements. The L1 types are in [`crate::cfn::iam`].

pub mod policy;
pub mod role;

pub use policy::{Effect, PolicyDocument, PolicyStatement, Principal};
pub use role::{ManagedPolicy, Role, RoleBuilder};
