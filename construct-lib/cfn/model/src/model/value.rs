//! Typed values: a property that takes a string takes a [`Value<String>`], which is either a
//! literal or an intrinsic that yields a string, so an ARN cannot be passed where a port goes.

use std::fmt;
use std::marker::PhantomData;

use super::expr::{Expr, Pseudo, RefTarget};

/// A value of type `T` in a template: a literal or an intrinsic function that yields a `T`.
///
/// `T` is a marker: `String`, `i64`, `f64`, `bool`, [`Json`], a generated enum, or
/// `Vec<Value<E>>` for lists (see [`ListValue`]). Literals convert with `into()`:
///
/// ```
/// use cfn_l1_model::model::{Value, ListValue};
/// let name: Value<String> = "web".into();
/// let port: Value<i64> = 8080.into();
/// let zones: ListValue<String> = vec!["eu-west-1a", "eu-west-1b"].into();
/// # let _ = (name, port, zones);
/// ```
pub struct Value<T> {
    expr: Expr,
    _type: PhantomData<fn() -> T>,
}

/// A list value whose elements are themselves values (literals or intrinsics), or an intrinsic
/// that yields a whole list (`Fn::GetAZs`, `Fn::Split`, a `CommaDelimitedList` parameter...).
pub type ListValue<T> = Value<Vec<Value<T>>>;

/// Marker for properties typed as arbitrary JSON (policy documents, ...). Such values may
/// contain intrinsics anywhere inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Json {}

impl<T> Value<T> {
    /// Wraps an expression the caller knows to yield a `T`.
    pub fn from_expr(expr: Expr) -> Self {
        Value {
            expr,
            _type: PhantomData,
        }
    }

    /// A JSON literal taken as a `T` as it is, whatever its JSON type: templates often give
    /// a number as a string (`Port: "80"`) or a string property as a number, and
    /// CloudFormation converts them. `synth-cli migrate` writes these to keep a template as
    /// it was; new code should give values of the property's own type.
    ///
    /// ```
    /// use cfn_l1_model::model::{Expr, Value};
    /// let port = Value::<i64>::literal("80");
    /// assert_eq!(port.expr(), &Expr::String("80".to_owned()));
    /// ```
    pub fn literal(value: impl Into<serde_json::Value>) -> Self {
        Value::from_expr(Expr::from(value.into()))
    }

    /// The expression this value renders as.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Gives up the type and returns the expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// The same expression seen as arbitrary JSON, e.g. to place it in a policy document.
    pub fn into_json(self) -> Value<Json> {
        Value::from_expr(self.expr)
    }

    /// `Ref: AWS::NoValue`: the property is removed (useful as a branch of [`fns::if_`](super::fns::if_)).
    pub fn no_value() -> Self {
        Value::from_expr(Expr::Ref(RefTarget::Pseudo(Pseudo::NoValue)))
    }

    /// The literal string, if this value is one.
    pub fn as_literal_str(&self) -> Option<&str> {
        match &self.expr {
            Expr::String(s) => Some(s),
            _ => None,
        }
    }
}

impl<T> Clone for Value<T> {
    fn clone(&self) -> Self {
        Value::from_expr(self.expr.clone())
    }
}

impl<T> PartialEq for Value<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl<T> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

/// Implemented by every generated enumeration, so that a string value (a parameter, an
/// intrinsic) can stand where the enumeration is expected. A literal converts with the
/// enumeration's `From<&str>` (`LaunchType::from("FARGATE")`): only `Value<String>` converts
/// from a bare `&str`, so that `fns::if_(condition, "a", "b")` needs no annotation.
pub trait Enumerated {
    /// The value as CloudFormation spells it.
    fn as_str(&self) -> &str;
}

impl<E: Enumerated> From<Value<String>> for Value<E> {
    fn from(value: Value<String>) -> Self {
        Value::from_expr(value.into_expr())
    }
}

/// A value of an enumeration that the pinned registry data does not list (a newer value,
/// say). It is made only by converting a string (`LaunchType::from("NEW_VALUE")`) that
/// matches none of the known values, so that a known value is always its own variant,
/// never this one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For generated `From<&str>` impls only, after no known value matched.
    #[doc(hidden)]
    pub fn unlisted(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a list property accepts: a list value (a literal list or an intrinsic that yields
/// one, such as `Fn::GetAZs` or a `CommaDelimitedList` parameter), or anything iterable
/// whose items convert to values (a `Vec`, an array, an iterator).
///
/// ```
/// use cfn_l1_model::model::{IntoListValue, ListValue, Value, fns};
/// fn zones(list: impl IntoListValue<String>) -> ListValue<String> {
///     list.into_list_value()
/// }
/// let literal = zones(["eu-west-1a", "eu-west-1b"]);
/// let mapped = zones((1..=2).map(|n| format!("subnet-{n}")));
/// let intrinsic = zones(fns::get_azs(""));
/// # let _ = (literal, mapped, intrinsic);
/// ```
pub trait IntoListValue<T> {
    /// The list value.
    fn into_list_value(self) -> ListValue<T>;
}

impl<T> IntoListValue<T> for ListValue<T> {
    fn into_list_value(self) -> ListValue<T> {
        self
    }
}

impl<T, I> IntoListValue<T> for I
where
    I: IntoIterator,
    I::Item: Into<Value<T>>,
{
    fn into_list_value(self) -> ListValue<T> {
        Value::from_expr(Expr::List(
            self.into_iter().map(|v| v.into().into_expr()).collect(),
        ))
    }
}

impl From<&str> for Value<String> {
    fn from(value: &str) -> Self {
        Value::from_expr(Expr::String(value.to_owned()))
    }
}

impl From<String> for Value<String> {
    fn from(value: String) -> Self {
        Value::from_expr(Expr::String(value))
    }
}

impl From<&String> for Value<String> {
    fn from(value: &String) -> Self {
        Value::from_expr(Expr::String(value.clone()))
    }
}

impl From<&Value<String>> for Value<String> {
    fn from(value: &Value<String>) -> Self {
        value.clone()
    }
}

impl From<bool> for Value<bool> {
    fn from(value: bool) -> Self {
        Value::from_expr(Expr::Bool(value))
    }
}

macro_rules! integer_literals {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<i64> {
            fn from(value: $t) -> Self {
                Value::from_expr(Expr::Number(serde_json::Number::from(value)))
            }
        }
    )*};
}
integer_literals!(i64, i32, i16, i8, u32, u16, u8);

impl From<f64> for Value<f64> {
    /// Non-finite numbers have no JSON form and render as `null`.
    fn from(value: f64) -> Self {
        let expr = serde_json::Number::from_f64(value).map_or(Expr::Null, Expr::Number);
        Value::from_expr(expr)
    }
}

impl From<i64> for Value<f64> {
    fn from(value: i64) -> Self {
        Value::from_expr(Expr::Number(serde_json::Number::from(value)))
    }
}

impl From<i32> for Value<f64> {
    fn from(value: i32) -> Self {
        Value::from_expr(Expr::Number(serde_json::Number::from(value)))
    }
}

impl From<serde_json::Value> for Value<Json> {
    fn from(value: serde_json::Value) -> Self {
        Value::from_expr(Expr::from(value))
    }
}

impl From<Expr> for Value<Json> {
    fn from(value: Expr) -> Self {
        Value::from_expr(value)
    }
}

impl<T, V: Into<Value<T>>> From<Vec<V>> for ListValue<T> {
    fn from(items: Vec<V>) -> Self {
        Value::from_expr(Expr::List(
            items.into_iter().map(|v| v.into().into_expr()).collect(),
        ))
    }
}

impl<T, V: Into<Value<T>>, const N: usize> From<[V; N]> for ListValue<T> {
    fn from(items: [V; N]) -> Self {
        Value::from_expr(Expr::List(
            items.into_iter().map(|v| v.into().into_expr()).collect(),
        ))
    }
}

impl<T: Clone + Into<Value<U>>, U> From<&[T]> for ListValue<U> {
    fn from(items: &[T]) -> Self {
        Value::from_expr(Expr::List(
            items.iter().map(|v| v.clone().into().into_expr()).collect(),
        ))
    }
}
