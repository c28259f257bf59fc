//! The untyped expression tree that every property value is made of.
//!
//! A template is JSON in which some objects are intrinsic function calls. [`Expr`] keeps the
//! two apart: literals are plain variants, intrinsics are variants of their own that point at
//! template elements by id (never by a logical ID spelled as a string), so that logical IDs can
//! be derived late and references across stacks can be found at synthesis.

use std::collections::BTreeMap;

use super::ids::{ConditionId, MappingId, ParameterId, ResourceId};

/// A pseudo parameter that CloudFormation resolves at deploy time (`Ref: AWS::Region`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Pseudo {
    /// `AWS::AccountId`: the account the stack is deployed to.
    AccountId,
    /// `AWS::NotificationARNs`: the notification ARNs of the stack (a list).
    NotificationArns,
    /// `AWS::NoValue`: removes the property it is the value of (useful inside `Fn::If`).
    NoValue,
    /// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov`, ...
    Partition,
    /// `AWS::Region`: the region the stack is deployed to.
    Region,
    /// `AWS::StackId`: the ARN of the stack.
    StackId,
    /// `AWS::StackName`: the name of the stack.
    StackName,
    /// `AWS::URLSuffix`: `amazonaws.com` in most partitions.
    UrlSuffix,
}

impl Pseudo {
    /// The name CloudFormation knows the pseudo parameter by, e.g. `AWS::Region`.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }
}

/// What a `Ref` points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefTarget {
    /// A resource of some stack (its physical ID, name or ARN, depending on the type).
    Resource(ResourceId),
    /// A template parameter of some stack.
    Parameter(ParameterId),
    /// A pseudo parameter.
    Pseudo(Pseudo),
}

/// A template value: JSON literals plus CloudFormation's intrinsic functions.
///
/// Users rarely build an `Expr` by hand: typed [`Value`](super::Value)s wrap one, and the
/// functions in [`fns`](super::fns) build the intrinsics with their types checked.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Expr {
    /// JSON `null`.
    Null,
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Number(serde_json::Number),
    /// A string literal.
    String(String),
    /// A list whose elements may be literals or intrinsics.
    List(Vec<Expr>),
    /// An object whose values may be literals or intrinsics; keys render in sorted order.
    Object(BTreeMap<String, Expr>),
    /// `Ref`.
    Ref(RefTarget),
    /// `Fn::GetAtt` of a resource attribute (`Arn`, `Endpoint.Address`, ...).
    GetAtt(ResourceId, String),
    /// `Fn::Sub` with a template string and variables (`${Name}` in the string).
    Sub(String, BTreeMap<String, Expr>),
    /// `Fn::Join`: a delimiter and a list.
    Join(String, Box<Expr>),
    /// `Fn::Select`: an index and a list.
    Select(Box<Expr>, Box<Expr>),
    /// `Fn::Split`: a delimiter and a string.
    Split(String, Box<Expr>),
    /// `Fn::GetAZs`: the availability zones of a region (empty string: the stack's region).
    GetAzs(Box<Expr>),
    /// `Fn::If`: a condition, the value when true, the value when false.
    If(ConditionId, Box<Expr>, Box<Expr>),
    /// `Fn::ImportValue` of an export name.
    ImportValue(Box<Expr>),
    /// `Fn::FindInMap`: a mapping, a top-level key, a second-level key.
    FindInMap(MappingId, Box<Expr>, Box<Expr>),
    /// `Fn::Base64`.
    Base64(Box<Expr>),
    /// `Fn::Cidr`: an IP block, a count and the number of subnet bits.
    Cidr(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `Fn::Equals` (condition function).
    Equals(Box<Expr>, Box<Expr>),
    /// `Fn::And` (condition function, 2 to 10 conditions).
    And(Vec<Expr>),
    /// `Fn::Or` (condition function, 2 to 10 conditions).
    Or(Vec<Expr>),
    /// `Fn::Not` (condition function).
    Not(Box<Expr>),
    /// `{"Condition": name}`: a reference to a named condition inside a condition function.
    Condition(ConditionId),
    /// A rule-specific function (`Fn::Contains`, `Fn::EachMemberEquals`, `Fn::ValueOf`, ...),
    /// only valid inside the `Rules` section.
    RuleFunction(&'static str, Vec<Expr>),
}

impl Expr {
    /// A string literal.
    pub fn string(s: impl Into<String>) -> Expr {
        Expr::String(s.into())
    }

    /// An object of expressions (JSON that holds intrinsics somewhere inside, such as a
    /// policy document with a `Fn::Sub` in it).
    ///
    /// ```
    /// use cfn_l1_model::model::{Expr, fns};
    /// let statement = Expr::object([
    ///     ("Effect", Expr::string("Allow")),
    ///     ("Resource", fns::sub("arn:${AWS::Partition}:s3:::logs/*").into_expr()),
    /// ]);
    /// # let _ = statement;
    /// ```
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Expr)>) -> Expr {
        Expr::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A list of expressions.
    pub fn list(items: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::List(items.into_iter().collect())
    }

    /// Calls `visit` on this expression and every expression nested in it, depth first.
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr)) {
        visit(self);
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) => {}
            Expr::Ref(_) | Expr::GetAtt(..) | Expr::Condition(_) => {}
            Expr::List(items) | Expr::And(items) | Expr::Or(items) => {
                items.iter().for_each(|e| e.walk(visit))
            }
            Expr::RuleFunction(_, items) => items.iter().for_each(|e| e.walk(visit)),
            Expr::Object(map) | Expr::Sub(_, map) => map.values().for_each(|e| e.walk(visit)),
            Expr::Join(_, e)
            | Expr::Split(_, e)
            | Expr::GetAzs(e)
            | Expr::ImportValue(e)
            | Expr::Base64(e)
            | Expr::Not(e) => e.walk(visit),
            Expr::Select(a, b)
            | Expr::Equals(a, b)
            | Expr::If(_, a, b)
            | Expr::FindInMap(_, a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            Expr::Cidr(a, b, c) => {
                a.walk(visit);
                b.walk(visit);
                c.walk(visit);
            }
        }
    }
}

impl From<serde_json::Value> for Expr {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Expr::Null,
            serde_json::Value::Bool(b) => Expr::Bool(b),
            serde_json::Value::Number(n) => Expr::Number(n),
            serde_json::Value::String(s) => Expr::String(s),
            serde_json::Value::Array(items) => {
                Expr::List(items.into_iter().map(Expr::from).collect())
            }
            serde_json::Value::Object(map) => {
                Expr::Object(map.into_iter().map(|(k, v)| (k, Expr::from(v))).collect())
            }
        }
    }
}

impl From<&str> for Expr {
    fn from(value: &str) -> Self {
        Expr::String(value.to_owned())
    }
}

impl From<String> for Expr {
    fn from(value: String) -> Self {
        Expr::String(value)
    }
}
