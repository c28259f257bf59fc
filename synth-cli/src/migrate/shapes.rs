//! The shapes of the generated L1 API (`l1-shapes.json.gz`, written by `cargo xtask codegen`
//! beside the generated code): for each resource type, its Rust path, and for it and each
//! of its nested property types the Rust name and type of every property, which ones the
//! constructor takes, and the variant of every enumerated value. Migration writes code
//! against these without linking every service's types.

use std::io::Read as _;
use std::sync::OnceLock;

use serde_json::Value as Json;

static SHAPES_GZ: &[u8] = include_bytes!("l1-shapes.json.gz");

/// The decompressed shapes, read once.
fn all() -> &'static Json {
    static SHAPES: OnceLock<Json> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut text = String::new();
        let read = flate2::read::GzDecoder::new(SHAPES_GZ).read_to_string(&mut text);
        // The file is generated and checked in CI (`cargo xtask codegen --check`): a
        // failure here is a broken build, not user input.
        read.ok()
            .and_then(|_| serde_json::from_str(&text).ok())
            .unwrap_or(Json::Null)
    })
}

/// Whether the L1 crate builds service `feature` by default (without `full` or the feature).
pub(crate) fn built_by_default(feature: &str) -> bool {
    all()["default_services"]
        .as_array()
        .is_some_and(|services| services.iter().any(|s| s.as_str() == Some(feature)))
}

/// The value marker of a `Value<T>`: what the property holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    String,
    I64,
    F64,
    Bool,
    Json,
    /// A generated enumeration: its Rust path and its type's shape, for the variants.
    Enum {
        path: String,
        name: String,
        resource: String,
    },
}

impl Marker {
    /// The marker as written in generated code (`String`, `m::Json`, `cfn::ecs::service::LaunchType`).
    pub(crate) fn rust(&self) -> String {
        match self {
            Marker::String => "String".to_owned(),
            Marker::I64 => "i64".to_owned(),
            Marker::F64 => "f64".to_owned(),
            Marker::Bool => "bool".to_owned(),
            Marker::Json => "m::Json".to_owned(),
            Marker::Enum { path, .. } => path.clone(),
        }
    }
}

/// The Rust type of a property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// `m::Value<M>`.
    Value(Marker),
    /// `m::ListValue<M>`.
    List(Marker),
    /// `Vec<T>` (of structs, tags, lists or maps).
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `m::Tag`.
    Tag,
    /// A nested property type of the resource's module.
    Struct(String),
}

/// One property of a struct.
#[derive(Clone, Debug)]
pub(crate) struct Prop {
    pub(crate) cfn: String,
    pub(crate) rust: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
}

/// A resource type's struct or one of its nested property types.
#[derive(Clone, Debug)]
pub(crate) struct StructShape {
    /// The Rust path of the struct.
    pub(crate) path: String,
    /// The struct of required properties the constructor takes (two or more required).
    pub(crate) required_struct: Option<String>,
    pub(crate) props: Vec<Prop>,
}

impl StructShape {
    /// The property named `cfn` in the template.
    pub(crate) fn prop(&self, cfn: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.cfn == cfn)
    }
}

/// One resource type's shapes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TypeShape {
    type_name: &'static str,
    shape: &'static Json,
}

impl TypeShape {
    /// The shapes of `type_name` (`AWS::S3::Bucket`), if the L1 crate has the type.
    pub(crate) fn of(type_name: &str) -> Option<TypeShape> {
        let (name, shape) = all()["types"].as_object()?.get_key_value(type_name)?;
        Some(TypeShape {
            type_name: name.as_str(),
            shape,
        })
    }

    /// The cargo feature (and module) of the type's service, `s3`.
    pub(crate) fn feature(&self) -> &'static str {
        self.shape["service"].as_str().unwrap_or_default()
    }

    /// `cfn::s3::Bucket`.
    pub(crate) fn resource_path(&self) -> String {
        format!("cfn::{}::{}", self.feature(), self.rust_name())
    }

    fn rust_name(&self) -> &'static str {
        self.shape["name"].as_str().unwrap_or_default()
    }

    /// `cfn::s3::bucket::Name`: a nested type or enum of the type's module.
    fn nested_path(&self, name: &str) -> String {
        let module = self.shape["module"].as_str().unwrap_or_default();
        format!("cfn::{}::{module}::{name}", self.feature())
    }

    /// The resource's own struct.
    pub(crate) fn resource(&self) -> Option<StructShape> {
        self.struct_shape(self.rust_name())
    }

    /// The struct `name` (the resource's or a nested type's).
    pub(crate) fn struct_shape(&self, name: &str) -> Option<StructShape> {
        let shape = self.shape["structs"].get(name)?;
        let path = if name == self.rust_name() {
            self.resource_path()
        } else {
            self.nested_path(name)
        };
        let props = shape["props"]
            .as_array()?
            .iter()
            .filter_map(|p| {
                Some(Prop {
                    cfn: p[0].as_str()?.to_owned(),
                    rust: p[1].as_str()?.to_owned(),
                    ty: self.parse_type(p[2].as_str()?),
                    required: p[3].as_bool()?,
                })
            })
            .collect();
        Some(StructShape {
            path,
            required_struct: shape["required"].as_str().map(|r| self.nested_path(r)),
            props,
        })
    }

    /// The accessor of `Fn::GetAtt` attribute `name` (`attr_arn`) and the type it returns.
    pub(crate) fn attribute(&self, name: &str) -> Option<(String, Ty)> {
        self.shape["attributes"]
            .as_array()?
            .iter()
            .find(|a| a[0].as_str() == Some(name))
            .and_then(|a| Some((a[1].as_str()?.to_owned(), self.parse_type(a[2].as_str()?))))
    }

    /// The variant of enumeration `name` that stands for `value`, if it lists it.
    pub(crate) fn variant(&self, name: &str, value: &str) -> Option<&'static str> {
        self.shape["enums"][name]
            .as_array()?
            .iter()
            .find(|pair| pair[0].as_str() == Some(value))
            .and_then(|pair| pair[1].as_str())
    }

    /// Reads a type as the generator wrote it (`m::ListValue<String>`, `Vec<Rule>`, ...).
    fn parse_type(&self, text: &str) -> Ty {
        let inner = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix('>'))
        };
        if let Some(marker) = inner("m::Value<") {
            Ty::Value(self.marker(marker))
        } else if let Some(marker) = inner("m::ListValue<") {
            Ty::List(self.marker(marker))
        } else if let Some(element) = inner("Vec<") {
            Ty::Vec(Box::new(self.parse_type(element)))
        } else if let Some(element) = inner("std::collections::BTreeMap<String, ") {
            Ty::Map(Box::new(self.parse_type(element)))
        } else if text == "m::Tag" {
            Ty::Tag
        } else {
            Ty::Struct(text.to_owned())
        }
    }

    fn marker(&self, text: &str) -> Marker {
        match text {
            "String" => Marker::String,
            "i64" => Marker::I64,
            "f64" => Marker::F64,
            "bool" => Marker::Bool,
            "m::Json" => Marker::Json,
            name => Marker::Enum {
                path: self.nested_path(name),
                name: name.to_owned(),
                resource: self.type_name.to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shapes_describe_the_generated_types() {
        let service = TypeShape::of("AWS::ECS::Service").expect("ECS services are generated");
        assert_eq!(service.resource_path(), "cfn::ecs::Service");
        let resource = service.resource().expect("its struct");
        let launch_type = resource.prop("LaunchType").expect("LaunchType");
        assert_eq!(launch_type.rust, "launch_type");
        let Ty::Value(Marker::Enum { path, name, .. }) = &launch_type.ty else {
            panic!("LaunchType is an enumeration: {:?}", launch_type.ty);
        };
        assert_eq!(path, "cfn::ecs::service::LaunchType");
        assert_eq!(service.variant(name, "FARGATE"), Some("Fargate"));
        let network = resource
            .prop("NetworkConfiguration")
            .expect("NetworkConfiguration");
        assert_eq!(network.ty, Ty::Struct("NetworkConfiguration".to_owned()));
        assert_eq!(
            resource.prop("Tags").map(|p| &p.ty),
            Some(&Ty::Vec(Box::new(Ty::Tag)))
        );
        let bucket = TypeShape::of("AWS::S3::Bucket").expect("buckets are generated");
        assert_eq!(
            bucket.attribute("Arn"),
            Some(("attr_arn".to_owned(), Ty::Value(Marker::String)))
        );
        assert!(TypeShape::of("AWS::Nothing::Here").is_none());
        assert!(built_by_default("ecs") && !built_by_default("appsync"));
    }
}
