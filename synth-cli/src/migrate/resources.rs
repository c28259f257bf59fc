//! Resources as L1 builders: `cfn::s3::Bucket::new().bucket_name(..)`, nested property
//! types through their own constructors and setters, then the resource's attributes
//! (`DependsOn`, `Condition`, policies, metadata) through its options. What the typed
//! structs cannot hold (an intrinsic where a nested type goes, a property the pinned
//! registry data does not list) becomes a property override at its path, so that the
//! template still synthesizes back as it was.

use serde_json::{Map, Value as Json};

use super::rust;
use super::shapes::{StructShape, Ty, TypeShape};
use super::values::{Code, Values, Want, intrinsic};

/// An override a resource needs: a dotted path under the resource object and the value
/// (`None`: delete what is there).
pub(crate) type Override = (String, Option<Json>);

/// Writes one resource.
pub(crate) struct ResourceWriter<'v, 'n> {
    pub(crate) values: &'v mut Values<'n>,
    shape: TypeShape,
    /// Template path of the resource, for messages (`Resources.Bucket`).
    at: String,
    overrides: Vec<Override>,
}

impl<'v, 'n> ResourceWriter<'v, 'n> {
    pub(crate) fn new(values: &'v mut Values<'n>, shape: TypeShape, at: String) -> Self {
        ResourceWriter {
            values,
            shape,
            at,
            overrides: Vec::new(),
        }
    }

    /// The builder expression of the resource with `properties`, and the overrides it needs
    /// (paths under the resource object: `Properties.X.Y`).
    pub(crate) fn builder(mut self, properties: &Json) -> (String, Vec<Override>) {
        let Some(shape) = self.shape.resource() else {
            return (String::new(), self.overrides);
        };
        let empty = Json::Object(Map::new());
        let properties = if properties.is_null() {
            &empty
        } else {
            properties
        };
        if intrinsic(properties).is_some() || !properties.is_object() {
            // `Properties: !If [...]`: the resource is built with placeholders for what it
            // requires, and the whole object is the template's.
            let text = self.construct(&shape, &Map::new(), "Properties");
            self.overrides.clear();
            self.overrides
                .push(("Properties".to_owned(), Some(properties.clone())));
            return (text.unwrap_or_default(), self.overrides);
        }
        let text = self.struct_value(&shape, properties, "Properties");
        if text.is_none() {
            self.values.problems.push(super::Unrepresentable {
                at: format!("{}.Properties", self.at),
                what: "the properties".to_owned(),
                why: "property names without dots, and required properties the L1 type can be built with".to_owned(),
            });
        }
        (text.unwrap_or_default(), self.overrides)
    }

    /// `Type::new(required..)` followed by a setter per optional property; `None` when a
    /// required property is missing or does not fit its type.
    fn struct_value(&mut self, shape: &StructShape, object: &Json, path: &str) -> Option<String> {
        let mark = self.overrides.len();
        let text = self.struct_fields(shape, object, path);
        if text.is_none() {
            // The whole object goes to one override: drop what its parts asked for.
            self.overrides.truncate(mark);
        }
        text
    }

    fn struct_fields(&mut self, shape: &StructShape, object: &Json, path: &str) -> Option<String> {
        let map = object.as_object()?;
        if intrinsic(object).is_some() {
            return None;
        }
        let mut text = self.construct(shape, map, path)?;
        for (key, value) in map {
            if key.contains('.') {
                // A dotted override path cannot address this key: the whole object is
                // the template's.
                return None;
            }
            let child = format!("{path}.{key}");
            match shape.prop(key) {
                Some(prop) if !prop.required => match self.field(&prop.ty, value, &child) {
                    Some(code) => {
                        text.push_str(&format!("\n.{}({})", prop.rust, code.arg()));
                    }
                    None => self.overrides.push((child, Some(value.clone()))),
                },
                Some(_) => {}
                None => self.overrides.push((child, Some(value.clone()))),
            }
        }
        Some(text)
    }

    /// The constructor call with the required properties. A required property that is
    /// missing, or that its type cannot hold, gets a placeholder that an override then
    /// deletes or replaces with the template's value.
    fn construct(
        &mut self,
        shape: &StructShape,
        map: &Map<String, Json>,
        path: &str,
    ) -> Option<String> {
        let required: Vec<_> = shape.props.iter().filter(|p| p.required).collect();
        let mut fields = Vec::new();
        for prop in &required {
            let child = format!("{path}.{}", prop.cfn);
            let code = match map.get(&prop.cfn) {
                Some(value) => match self.field(&prop.ty, value, &child) {
                    Some(code) => code,
                    None => {
                        self.overrides.push((child, Some(value.clone())));
                        self.placeholder(&prop.ty, 0)?
                    }
                },
                None => {
                    self.overrides.push((child, None));
                    self.placeholder(&prop.ty, 0)?
                }
            };
            fields.push((prop.rust.clone(), code));
        }
        constructor_call(shape, fields)
    }

    /// A value of type `ty` that stands in for a required property until an override
    /// deletes or replaces it (`Ref: AWS::NoValue` for values).
    fn placeholder(&mut self, ty: &Ty, depth: usize) -> Option<Code> {
        let exact = |text: String| Code {
            text,
            converts: false,
        };
        Some(match ty {
            Ty::Value(_) | Ty::List(_) => {
                let want = match ty {
                    Ty::List(m) => Want::List(m.clone()),
                    Ty::Value(m) => Want::Value(m.clone()),
                    _ => return None,
                };
                exact(format!("m::Value::<{}>::no_value()", want.value_type()))
            }
            Ty::Vec(element) => match element.as_ref() {
                Ty::Struct(name) => {
                    let path = self.shape.struct_shape(name)?.path;
                    exact(format!("Vec::<{path}>::new()"))
                }
                Ty::Tag => exact("Vec::<m::Tag>::new()".to_owned()),
                _ => exact("Vec::new()".to_owned()),
            },
            Ty::Map(_) => exact("std::collections::BTreeMap::new()".to_owned()),
            Ty::Tag => exact(
                "m::Tag::new(m::Value::<String>::no_value(), m::Value::<String>::no_value())"
                    .to_owned(),
            ),
            Ty::Struct(name) if depth < 8 => {
                let shape = self.shape.struct_shape(name)?;
                let mut fields = Vec::new();
                for prop in shape.props.iter().filter(|p| p.required) {
                    fields.push((prop.rust.clone(), self.placeholder(&prop.ty, depth + 1)?));
                }
                exact(constructor_call(&shape, fields)?)
            }
            Ty::Struct(_) => return None,
        })
    }

    /// A property value of type `ty`; `None` when it does not fit the type (it then goes
    /// to an override).
    fn field(&mut self, ty: &Ty, value: &Json, path: &str) -> Option<Code> {
        let at = format!("{}.{path}", self.at);
        match ty {
            Ty::Value(marker) => Some(self.values.value(value, &Want::Value(marker.clone()), &at)),
            Ty::List(marker) => Some(self.values.value(value, &Want::List(marker.clone()), &at)),
            Ty::Struct(name) => {
                let shape = self.shape.struct_shape(name)?;
                let text = self.struct_value(&shape, value, path)?;
                Some(Code {
                    text,
                    converts: false,
                })
            }
            Ty::Vec(element) => self.vec(element, value, path),
            Ty::Map(element) => self.map(element, value, path),
            Ty::Tag => self.tag(value, &at),
        }
    }

    fn vec(&mut self, element: &Ty, value: &Json, path: &str) -> Option<Code> {
        let items = value.as_array()?;
        let mark = self.overrides.len();
        let mut texts = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match self.field(element, item, &format!("{path}.{i}")) {
                Some(code) => texts.push(code.field()),
                None => {
                    // The whole list goes to one override: drop what its elements asked.
                    self.overrides.truncate(mark);
                    return None;
                }
            }
        }
        Some(Code {
            text: format!("vec![{}]", texts.join(", ")),
            converts: false,
        })
    }

    fn map(&mut self, element: &Ty, value: &Json, path: &str) -> Option<Code> {
        let map = value.as_object()?;
        if intrinsic(value).is_some() {
            return None;
        }
        if map.is_empty() {
            return Some(Code {
                text: "std::collections::BTreeMap::new()".to_owned(),
                converts: false,
            });
        }
        let mark = self.overrides.len();
        let mut entries = Vec::new();
        for (key, item) in map {
            let code = self.field(element, item, &format!("{path}.{key}"));
            // An override under a key with a dot cannot be addressed by a dotted path: the
            // whole map is then the template's.
            let unaddressable = key.contains('.') && self.overrides.len() > mark;
            let Some(code) = code.filter(|_| !unaddressable) else {
                self.overrides.truncate(mark);
                return None;
            };
            entries.push(format!(
                "({}.to_owned(), {})",
                rust::string(key),
                code.field()
            ));
        }
        Some(Code {
            text: format!("std::collections::BTreeMap::from([{}])", entries.join(", ")),
            converts: false,
        })
    }

    fn tag(&mut self, value: &Json, at: &str) -> Option<Code> {
        let map = value.as_object()?;
        let (Some(key), Some(tag_value), 2) = (map.get("Key"), map.get("Value"), map.len()) else {
            return None;
        };
        let string = Want::Value(super::shapes::Marker::String);
        let key = self.values.value(key, &string, &format!("{at}.Key")).arg();
        let tag_value = self
            .values
            .value(tag_value, &string, &format!("{at}.Value"))
            .arg();
        Some(Code {
            text: format!("m::Tag::new({key}, {tag_value})"),
            converts: false,
        })
    }
}

/// `Type::new()`, `Type::new(value)` or `Type::new(TypeRequired { .. })`.
fn constructor_call(shape: &StructShape, mut fields: Vec<(String, Code)>) -> Option<String> {
    Some(match (fields.len(), &shape.required_struct) {
        (0, _) => format!("{}::new()", shape.path),
        (1, _) => {
            let (_, code) = fields.remove(0);
            format!("{}::new({})", shape.path, code.arg())
        }
        (_, Some(required_struct)) => {
            let fields: Vec<String> = fields
                .into_iter()
                .map(|(name, code)| format!("{name}: {}", code.field()))
                .collect();
            format!(
                "{}::new({required_struct} {{ {} }})",
                shape.path,
                fields.join(", ")
            )
        }
        (_, None) => return None,
    })
}
