//! The app: every stack of a program, synthesized together so that references between them
//! become exports and imports.

use super::environment::Environment;
use super::stack::Stack;

/// The root of a program's infrastructure: a set of stacks.
///
/// ```
/// use construct_lib::{App, Environment, Scope};
/// use construct_lib::cfn::sns::Topic;
/// let mut app = App::new();
/// let stack = app.stack_in("Alerts", Environment::new("123456789012", "eu-west-1"));
/// stack.add("Topic", Topic::new());
/// let assembly = construct_lib::synthesize(&app).expect("valid app");
/// assert_eq!(assembly.stacks[0].name, "Alerts");
/// ```
#[derive(Debug, Default)]
pub struct App {
    pub(crate) stacks: Vec<Stack>,
}

impl App {
    /// An app with no stacks.
    pub fn new() -> Self {
        App::default()
    }

    /// Adds an environment-agnostic stack named `name` and returns it. The name must match
    /// `^[A-Za-z][A-Za-z0-9-]*$` and be at most 128 characters (checked at synthesis).
    pub fn stack(&mut self, name: &str) -> &mut Stack {
        self.stack_in(name, Environment::agnostic())
    }

    /// Adds a stack deployed to `environment`.
    pub fn stack_in(&mut self, name: &str, environment: Environment) -> &mut Stack {
        let index = self.stacks.len();
        self.stacks.push(Stack::new(name, environment));
        &mut self.stacks[index]
    }

    /// The stacks, in the order they were added.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// A stack by name, to add to it again.
    pub fn stack_mut(&mut self, name: &str) -> Option<&mut Stack> {
        self.stacks.iter_mut().find(|s| s.name == name)
    }
}
