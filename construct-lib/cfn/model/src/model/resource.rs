//! What every generated resource type provides, and the data kept about each type.

use std::any::Any;
use std::fmt;

use super::expr::{Expr, RefTarget};
use super::ids::ResourceId;
use super::to_expr::ToExpr;
use super::value::Value;

/// Whether changing a property replaces the resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Replacement {
    /// Changing it updates the resource in place (or with interruption).
    Never,
    /// Changing it creates a new resource and deletes the old one (`createOnly`).
    Always,
    /// Changing it may replace the resource, depending on other values.
    Conditional,
}

/// How a resource type takes tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TagVariant {
    /// A list of `{Key, Value}` objects.
    Standard,
    /// An object of key → value strings.
    Map,
    /// A list of `{Key, Value, PropagateAtLaunch}` objects (Auto Scaling groups).
    AutoScalingGroup,
}

/// Where and how a resource type takes tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TagInfo {
    /// The property holding the tags, usually `Tags`.
    pub property: &'static str,
    /// Its shape.
    pub variant: TagVariant,
}

/// Data about one top-level property of a resource type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PropertyInfo {
    /// The CloudFormation property name, e.g. `ClusterName`.
    pub name: &'static str,
    /// Whether the property must be set.
    pub required: bool,
    /// Whether changing it replaces the resource.
    pub replacement: Replacement,
    /// Whether CloudFormation never returns it (secrets, one-time inputs).
    pub write_only: bool,
}

/// Data about one resource type, from the pinned registry data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResourceTypeInfo {
    /// `AWS::Service::Type`.
    pub type_name: &'static str,
    /// The top-level properties, sorted by name.
    pub properties: &'static [PropertyInfo],
    /// The attributes `Fn::GetAtt` accepts, sorted.
    pub attributes: &'static [&'static str],
    /// JSON pointers of the properties whose change replaces the resource
    /// (`/properties/Name`, nested ones included), from the registry schema.
    pub create_only_paths: &'static [&'static str],
    /// JSON pointers of the write-only properties, from the registry schema.
    pub write_only_paths: &'static [&'static str],
    /// How the type takes tags, if it does.
    pub tagging: Option<TagInfo>,
    /// Whether a resource of this type holds data that deleting or replacing it loses
    /// (databases, buckets, file systems, queues, log groups, secrets, keys, tables), from
    /// the service spec's `isStateful` flag.
    pub stateful: bool,
}

impl ResourceTypeInfo {
    /// The data about one property, by CloudFormation name.
    pub fn property(&self, name: &str) -> Option<&'static PropertyInfo> {
        let properties: &'static [PropertyInfo] = self.properties;
        properties
            .binary_search_by(|p| p.name.cmp(name))
            .ok()
            .map(|i| &properties[i])
    }

    /// Whether `Fn::GetAtt` accepts this attribute name.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes.binary_search(&name).is_ok()
    }
}

/// A CloudFormation resource type with typed properties (implemented by every generated type).
/// `Send + Sync`, so that the stacks of an app synthesize in parallel.
pub trait Resource: ToExpr + Any + fmt::Debug + Send + Sync {
    /// `AWS::Service::Type`.
    const TYPE_NAME: &'static str;

    /// The typed `Fn::GetAtt` accessors of this type, reached through a [`ResourceRef`].
    type Attributes: From<ResourceId> + Copy;

    /// The registry data about this type.
    fn type_info() -> &'static ResourceTypeInfo;
}

/// A resource whose type is known only at run time: what a stack stores.
pub trait DynResource: Any + fmt::Debug + Send + Sync {
    /// `AWS::Service::Type`.
    fn type_name(&self) -> &'static str;
    /// The registry data about this type.
    fn type_info(&self) -> &'static ResourceTypeInfo;
    /// The `Properties` object.
    fn properties(&self) -> Expr;
    /// For downcasting to the concrete type.
    fn as_any(&self) -> &dyn Any;
    /// For downcasting to the concrete type.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<R: Resource> DynResource for R {
    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }
    fn type_info(&self) -> &'static ResourceTypeInfo {
        R::type_info()
    }
    fn properties(&self) -> Expr {
        self.to_expr()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A handle to a resource added to a stack: cheap to copy, typed by the resource type. It
/// dereferences to the type's attribute accessors, so `bucket.attr_arn()` reads as it should.
pub struct ResourceRef<T: Resource> {
    id: ResourceId,
    attributes: T::Attributes,
}

impl<T: Resource> ResourceRef<T> {
    /// A handle to the resource with this id. Stacks hand these out; there is little reason to
    /// build one by hand.
    pub fn new(id: ResourceId) -> Self {
        ResourceRef {
            id,
            attributes: T::Attributes::from(id),
        }
    }

    /// The id of the resource.
    pub fn id(&self) -> ResourceId {
        self.id
    }

    /// `Ref` of the resource (its physical ID, name or ARN, as its type defines).
    pub fn ref_value(&self) -> Value<String> {
        Value::from_expr(Expr::Ref(RefTarget::Resource(self.id)))
    }

    /// `Fn::GetAtt` of any attribute, for attributes the registry data does not list yet.
    pub fn get_att<V>(&self, attribute: &str) -> Value<V> {
        get_att(self.id, attribute)
    }
}

/// `Fn::GetAtt` of a resource attribute (what the generated accessors call).
pub fn get_att<V>(resource: ResourceId, attribute: &str) -> Value<V> {
    Value::from_expr(Expr::GetAtt(resource, attribute.to_owned()))
}

impl<T: Resource> std::ops::Deref for ResourceRef<T> {
    type Target = T::Attributes;

    fn deref(&self) -> &T::Attributes {
        &self.attributes
    }
}

impl<T: Resource> Clone for ResourceRef<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Resource> Copy for ResourceRef<T> {}

impl<T: Resource> PartialEq for ResourceRef<T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<T: Resource> Eq for ResourceRef<T> {}

impl<T: Resource> fmt::Debug for ResourceRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResourceRef")
            .field(&T::TYPE_NAME)
            .field(&self.id)
            .finish()
    }
}

impl<T: Resource> From<&ResourceRef<T>> for ResourceId {
    fn from(value: &ResourceRef<T>) -> Self {
        value.id
    }
}

impl<T: Resource> From<ResourceRef<T>> for ResourceId {
    fn from(value: ResourceRef<T>) -> Self {
        value.id
    }
}
