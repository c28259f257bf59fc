//! Conditions: named boolean expressions over parameters that decide whether resources and
//! outputs are created and which branch of `Fn::If` applies.

use cfn_l1::model::{ConditionId, Expr, Value};

/// A condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`).
///
/// ```
/// use construct_lib::{App, Condition, Parameter, Scope};
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let env = stack.parameter("Env", Parameter::string().allowed_values(["dev", "prod"]));
/// let is_prod = stack.condition("IsProd", Condition::equals(env.value(), "prod"));
/// let _not_prod = stack.condition("IsNotProd", Condition::not(Condition::reference(&is_prod)));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Condition(pub(crate) Expr);

impl Condition {
    /// `Fn::Equals`: both values are equal.
    pub fn equals<T>(left: Value<T>, right: impl Into<Value<T>>) -> Self {
        Condition(Expr::Equals(
            Box::new(left.into_expr()),
            Box::new(right.into().into_expr()),
        ))
    }

    /// `Fn::And`: all hold (2 to 10 conditions).
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Condition(Expr::And(conditions.into_iter().map(|c| c.0).collect()))
    }

    /// `Fn::Or`: at least one holds (2 to 10 conditions).
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Condition(Expr::Or(conditions.into_iter().map(|c| c.0).collect()))
    }

    /// `Fn::Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(condition: Condition) -> Self {
        Condition(Expr::Not(Box::new(condition.0)))
    }

    /// Another named condition of the same stack.
    pub fn reference(condition: &ConditionRef) -> Self {
        Condition(Expr::Condition(condition.id))
    }

    /// The number of operands of `Fn::And`/`Fn::Or`, when this is one.
    pub(crate) fn operand_count(&self) -> Option<(&'static str, usize)> {
        match &self.0 {
            Expr::And(items) => Some(("Fn::And", items.len())),
            Expr::Or(items) => Some(("Fn::Or", items.len())),
            _ => None,
        }
    }
}

/// A handle to a named condition of a stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConditionRef {
    pub(crate) id: ConditionId,
}

impl ConditionRef {
    /// The id of the condition.
    pub fn id(&self) -> ConditionId {
        self.id
    }
}

impl From<&ConditionRef> for ConditionId {
    fn from(value: &ConditionRef) -> Self {
        value.id
    }
}

impl From<ConditionRef> for ConditionId {
    fn from(value: ConditionRef) -> Self {
        value.id
    }
}
