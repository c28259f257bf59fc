//! Typed AWS infrastructure: describe stacks as Rust code, synthesize CloudFormation.
//!
//! ```
//! use construct_lib::{App, Output, Scope};
//! use construct_lib::cfn::ec2::{Subnet, VPC};
//! use construct_lib::cfn::model::fns;
//!
//! let mut app = App::new();
//! let stack = app.stack("Network");
//! let vpc = stack.add("Vpc", VPC::new().cidr_block("10.0.0.0/16"));
//! let zone = fns::select(0, fns::get_azs(""));
//! stack.add("Subnet", Subnet::new(vpc.ref_value()).cidr_block("10.0.0.0/24").availability_zone(zone));
//! stack.output("VpcId", Output::new(vpc.ref_value()).description("The VPC"));
//!
//! let assembly = construct_lib::synthesize(&app).expect("valid");
//! assert_eq!(assembly.stacks[0].resource_count, 2);
//! ```

pub mod applicationautoscaling;
pub mod assertions;
pub mod autoscaling;
#[cfg(feature = "cli")]
pub mod cli;
pub mod cloudwatch;
pub mod codedeploy;
pub mod core;
pub mod docdb;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod elbv2;
pub mod events;
mod graph;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod opensearchservice;
pub mod patterns;
pub mod problem;
pub mod route53;
pub mod rules;
pub mod s3;
pub mod secretsmanager;
pub mod servicediscovery;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod synth;
pub mod wildcard;

/// The generated L1 types: `cfn::ecs::Service`, `cfn::model::Value`, ...
pub use cfn_l1 as cfn;
/// The JSON crate of the API (`Mapping::entry`, `Stack::add_metadata` and
/// `Value::literal` take its values), so that code written by `synth-cli migrate` needs no
/// dependency of its own: `construct_lib::serde_json::json!`.
pub use serde_json;

pub use crate::core::app::App;
pub use crate::core::condition::{Condition, ConditionRef};
pub use crate::core::duration::Duration;
pub use crate::core::environment::Environment;
pub use crate::core::mapping::{Mapping, MappingRef};
pub use crate::core::output::Output;
pub use crate::core::parameter::{AwsParameterType, Parameter, ParameterRef, ParameterType};
pub use crate::core::resource_options::{
    CreationPolicy, RemovalPolicy, ResourceOptions, RollingUpdate, UpdatePolicy,
};
pub use crate::core::rule::{Rule, RuleExpr};
pub use crate::core::scope::{Scope, ScopeMut};
pub use crate::core::stack::Stack;
pub use crate::core::tags::{TagRuleMut, Tags};
pub use crate::problem::{NameRule, Problem, Problems, Severity, ValidationErrors};
pub use crate::synth::{CloudAssembly, Format, StackArtifact, WriteError, synthesize};
