//! Mappings: two-level lookup tables read with `Fn::FindInMap`.

use std::collections::BTreeMap;

use cfn_l1::model::{Expr, MappingId, Value};

/// A mapping: top-level key → second-level key → value.
///
/// ```
/// use construct_lib::{App, Mapping, Scope};
/// use construct_lib::cfn::model::{fns, Value};
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let sizes = stack.mapping(
///     "Sizes",
///     Mapping::new().entry("dev", "Count", 1).entry("prod", "Count", 3),
/// );
/// let _count: Value<String> = sizes.find_in_map("prod", "Count");
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Mapping {
    pub(crate) entries: BTreeMap<String, BTreeMap<String, Expr>>,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Self {
        Mapping::default()
    }

    /// Sets `top` → `key` → `value` (a string, number, boolean or list of strings).
    pub fn entry(
        mut self,
        top: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.entries
            .entry(top.into())
            .or_default()
            .insert(key.into(), Expr::from(value.into()));
        self
    }
}

/// A handle to a mapping of a stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MappingRef {
    pub(crate) id: MappingId,
}

impl MappingRef {
    /// `Fn::FindInMap`: the value at `top` → `key`.
    pub fn find_in_map<T>(
        &self,
        top: impl Into<Value<String>>,
        key: impl Into<Value<String>>,
    ) -> Value<T> {
        Value::from_expr(Expr::FindInMap(
            self.id,
            Box::new(top.into().into_expr()),
            Box::new(key.into().into_expr()),
        ))
    }

    /// The id of the mapping.
    pub fn id(&self) -> MappingId {
        self.id
    }
}
