//! Template rules: checks of parameter values that CloudFormation runs before it creates or
//! updates anything.

use cfn_l1::model::{Expr, Value};

use super::parameter::ParameterRef;

/// A rule condition or assertion, built from the rule-specific functions.
///
/// ```
/// use construct_lib::{App, Parameter, Rule, RuleExpr, Scope};
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let env = stack.parameter("Env", Parameter::string());
/// let size = stack.parameter("InstanceType", Parameter::string());
/// stack.rule(
///     "ProdInstances",
///     Rule::new()
///         .when(RuleExpr::equals(env.value(), "prod"))
///         .assert(RuleExpr::contains(["m5.large", "m5.xlarge"], size.value()), "Prod needs m5 instances"),
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RuleExpr(pub(crate) Expr);

fn list(items: impl IntoIterator<Item = impl Into<Value<String>>>) -> Expr {
    Expr::List(items.into_iter().map(|i| i.into().into_expr()).collect())
}

impl RuleExpr {
    /// `Fn::Equals`.
    pub fn equals(left: Value<String>, right: impl Into<Value<String>>) -> Self {
        RuleExpr(Expr::Equals(
            Box::new(left.into_expr()),
            Box::new(right.into().into_expr()),
        ))
    }

    /// `Fn::Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(inner: RuleExpr) -> Self {
        RuleExpr(Expr::Not(Box::new(inner.0)))
    }

    /// `Fn::And`.
    pub fn and(items: impl IntoIterator<Item = RuleExpr>) -> Self {
        RuleExpr(Expr::And(items.into_iter().map(|r| r.0).collect()))
    }

    /// `Fn::Or`.
    pub fn or(items: impl IntoIterator<Item = RuleExpr>) -> Self {
        RuleExpr(Expr::Or(items.into_iter().map(|r| r.0).collect()))
    }

    /// `Fn::Contains`: `value` is one of `allowed`.
    pub fn contains(
        allowed: impl IntoIterator<Item = impl Into<Value<String>>>,
        value: Value<String>,
    ) -> Self {
        RuleExpr(Expr::RuleFunction(
            "Fn::Contains",
            vec![list(allowed), value.into_expr()],
        ))
    }

    /// `Fn::Contains` of a list value (a list parameter, say): `value` is one of `list`.
    pub fn list_contains(list: Value<Vec<Value<String>>>, value: Value<String>) -> Self {
        RuleExpr(Expr::RuleFunction(
            "Fn::Contains",
            vec![list.into_expr(), value.into_expr()],
        ))
    }

    /// `Fn::EachMemberEquals`: every member of `values` equals `value`.
    pub fn each_member_equals(
        values: Value<Vec<Value<String>>>,
        value: impl Into<Value<String>>,
    ) -> Self {
        RuleExpr(Expr::RuleFunction(
            "Fn::EachMemberEquals",
            vec![values.into_expr(), value.into().into_expr()],
        ))
    }

    /// `Fn::EachMemberIn`: every member of `values` is one of `allowed`.
    pub fn each_member_in(
        values: Value<Vec<Value<String>>>,
        allowed: impl IntoIterator<Item = impl Into<Value<String>>>,
    ) -> Self {
        RuleExpr(Expr::RuleFunction(
            "Fn::EachMemberIn",
            vec![values.into_expr(), list(allowed)],
        ))
    }

    /// `Fn::ValueOf`: an attribute (`VpcId`, `Tags`...) of the AWS resource an AWS-specific
    /// parameter names.
    pub fn value_of<T>(parameter: &ParameterRef<T>, attribute: &str) -> Value<String> {
        Value::from_expr(Expr::RuleFunction(
            "Fn::ValueOf",
            vec![parameter.value().into_expr(), Expr::string(attribute)],
        ))
    }

    /// `Fn::RefAll`: every value of an AWS-specific parameter type in the account and region.
    pub fn ref_all(parameter_type: &str) -> Value<Vec<Value<String>>> {
        Value::from_expr(Expr::RuleFunction(
            "Fn::RefAll",
            vec![Expr::string(parameter_type)],
        ))
    }
}

/// A rule: when its condition holds (always, by default), every assertion must hold.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Rule {
    pub(crate) condition: Option<RuleExpr>,
    pub(crate) assertions: Vec<(RuleExpr, Option<String>)>,
}

impl Rule {
    /// A rule with no condition and no assertions yet.
    pub fn new() -> Self {
        Rule::default()
    }

    /// Applies the rule only when `condition` holds. Default: always.
    pub fn when(mut self, condition: RuleExpr) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Adds an assertion, with the message shown when it fails.
    pub fn assert(mut self, assertion: RuleExpr, description: impl Into<String>) -> Self {
        self.assertions.push((assertion, Some(description.into())));
        self
    }

    /// Adds an assertion without a message: CloudFormation then reports only that the
    /// rule failed. Prefer [`Rule::assert`], whose message tells the deployer what to give.
    pub fn assert_without_description(mut self, assertion: RuleExpr) -> Self {
        self.assertions.push((assertion, None));
        self
    }
}
