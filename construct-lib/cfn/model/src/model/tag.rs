//! The `Tag` property type shared by every taggable resource with a list of tags.

use super::expr::Expr;
use super::to_expr::{ObjectBuilder, ToExpr};
use super::value::Value;

/// A `{Key, Value}` tag, as most taggable resources take them in their `Tags` list.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Tag {
    /// The tag key (1 to 128 characters, not starting with `aws:`).
    pub key: Value<String>,
    /// The tag value (0 to 256 characters).
    pub value: Value<String>,
}

impl Tag {
    /// A tag with its key and value.
    pub fn new(key: impl Into<Value<String>>, value: impl Into<Value<String>>) -> Self {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

impl ToExpr for Tag {
    fn to_expr(&self) -> Expr {
        let mut object = ObjectBuilder::new();
        object.field("Key", &self.key);
        object.field("Value", &self.value);
        object.build()
    }
}
