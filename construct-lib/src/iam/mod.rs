//! AWS IAM (L2): typed [`PolicyStatement`]s and [`PolicyDocument`]s, and [`Role`], to which
//! grants add least-privilege statements. The L1 types are in [`crate::cfn::iam`].

pub mod github_actions;
pub mod policy;
pub mod role;

pub use github_actions::{GithubActionsRole, GithubActionsRoleBuilder, GithubOidcProvider};
pub use policy::{Effect, PolicyDocument, PolicyStatement, Principal};
pub use role::{ManagedPolicy, Role, RoleBuilder};
