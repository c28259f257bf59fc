//! Renames without replacement: the resources `diff` pairs as renamed ([`crate::diff::renames`])
//! are moved to their new logical IDs (or stacks) through CloudFormation's stack refactoring,
//! so that the deploy that follows has nothing left to replace.
//!
//! [`plan`] builds what CreateStackRefactor takes (the deployed templates with only the renames
//! applied, and one resource mapping per rename) and refuses a move that would leave a
//! reference behind; [`run`] performs it.

pub mod plan;
pub mod run;

pub use plan::{Mapping, PlanStack, RefactorPlan, StackDefinition, Unsupported};
pub use run::RefactorAction;
