//! AWS CodeDeploy (L2) for Amazon ECS: blue/green deployments of a service that CodeDeploy
//! controls ([`Deployment::CodeDeploy`](crate::ecs::Deployment::CodeDeploy)). An
//! [`EcsApplication`] holds [`EcsDeploymentGroup`]s; a group names the service, its two
//! target groups, the production listener (and a test listener), how traffic moves
//! ([`EcsDeploymentConfig`]: predefined, or a custom time-based canary or linear shift), how
//! long the old tasks stay, and when CodeDeploy rolls back (failure, alarms). The L1 types are
//! in [`crate::cfn::codedeploy`].
//!
//! A CodeDeploy service does not take a new task definition from a stack update: a release
//! is a CodeDeploy deployment (an AppSpec naming the new task definition), created by CI.
//!
//! A [`BlueGreenHook`] lets CloudFormation run the deployment instead, in the stack update
//! that replaces the task definition (the `AWS::CodeDeployBlueGreen` transform, for a
//! service built with [`Deployment::CodeDeployHook`](crate::ecs::Deployment::CodeDeployHook)).

mod application;
mod blue_green_hook;
mod deployment_config;
mod deployment_group;

pub use application::{EcsApplication, EcsApplicationBuilder};
pub use blue_green_hook::{
    BlueGreenHook, BlueGreenHookBuilder, HOOK_TYPE, LifecycleEvent, TRANSFORM,
};
pub use deployment_config::EcsDeploymentConfig;
pub use deployment_group::{AutoRollback, EcsDeploymentGroup, EcsDeploymentGroupBuilder};
