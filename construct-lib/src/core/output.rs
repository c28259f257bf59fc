//! Stack outputs, optionally exported for other stacks.

use cfn_l1::model::{ConditionId, Expr, Value};

/// A stack output.
///
/// ```
/// use construct_lib::{App, Output, Scope};
/// use construct_lib::cfn::model::fns;
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// stack.output("Region", Output::new(fns::region()).description("Where the stack runs"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub(crate) value: Expr,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Value<String>>,
    pub(crate) condition: Option<ConditionId>,
}

impl Output {
    /// An output of `value`. Default: no description, not exported, unconditional.
    pub fn new<T>(value: Value<T>) -> Self {
        Output {
            value: value.into_expr(),
            description: None,
            export_name: None,
            condition: None,
        }
    }

    /// What the output is (up to 1,024 bytes). Default: none.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Exports the value under this name for `Fn::ImportValue` in other stacks of the region.
    /// Default: not exported. References between stacks of one app need no explicit export.
    pub fn export_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.export_name = Some(name.into());
        self
    }

    /// Creates the output only when the condition holds. Default: always.
    pub fn condition(mut self, condition: impl Into<ConditionId>) -> Self {
        self.condition = Some(condition.into());
        self
    }
}

impl<T> From<Value<T>> for Output {
    fn from(value: Value<T>) -> Self {
        Output::new(value)
    }
}
