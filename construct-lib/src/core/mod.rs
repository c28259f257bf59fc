//! The core model: app, stacks, the construct tree and template elements.

pub mod app;
pub mod condition;
pub mod duration;
pub mod environment;
pub mod hook;
pub mod mapping;
pub mod output;
pub mod parameter;
pub mod resource_options;
pub mod rule;
pub mod scope;
pub mod stack;
pub mod tags;
