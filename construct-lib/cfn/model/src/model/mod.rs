//! The hand-written model the generated types are built on: typed values, the expression
//! tree, element ids, the resource trait and registry data types.

pub mod expr;
pub mod fns;
pub mod ids;
pub mod resource;
pub mod tag;
pub mod to_expr;
pub mod value;

pub use expr::{Expr, Pseudo, RefTarget};
pub use ids::{ConditionId, MappingId, ParameterId, ResourceId, StackId};
pub use resource::{
    DynResource, PropertyInfo, Replacement, Resource, ResourceRef, ResourceTypeInfo, TagInfo,
    TagVariant, get_att,
};
pub use tag::Tag;
pub use to_expr::{ObjectBuilder, ToExpr};
pub use value::{Enumerated, IntoListValue, Json, ListValue, UnknownValue, Value};
