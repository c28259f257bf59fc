//! Template values as Rust expressions of the L1 value types: literals where the property's
//! type takes them, the typed intrinsic functions (`fns::sub`, `bucket.ref_value()`,
//! `mapping.find_in_map::<String>(..)`) otherwise, and `Value::literal` / `from_expr`
//! where the template gives a value of another JSON type than the schema's (a port as
//! `"80"`), so that the template synthesizes back as it was.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::Unrepresentable;
use super::rust;
use super::shapes::{Marker, Ty, TypeShape};

/// What a parameter's `Ref` yields, from its `Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParameterKind {
    /// `Value<String>` (strings and AWS-specific types).
    String,
    /// `Value<f64>` (`Number`).
    Number,
    /// `ListValue<String>` (every list type).
    List,
}

/// The variable of each element that is referred to, by logical ID.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pub(crate) resources: BTreeMap<String, String>,
    /// The CloudFormation type of each resource, for its typed attribute accessors.
    pub(crate) resource_types: BTreeMap<String, String>,
    pub(crate) parameters: BTreeMap<String, (String, ParameterKind)>,
    pub(crate) conditions: BTreeMap<String, String>,
    pub(crate) mappings: BTreeMap<String, String>,
}

/// The type a value must have where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// `m::Value<M>`.
    Value(Marker),
    /// `m::ListValue<M>`.
    List(Marker),
}

impl Want {
    /// The `T` of `m::Value<T>` for this type, for turbofishes.
    pub(crate) fn value_type(&self) -> String {
        match self {
            Want::Value(m) => m.rust(),
            Want::List(m) => format!("Vec<m::Value<{}>>", m.rust()),
        }
    }

    fn string() -> Want {
        Want::Value(Marker::String)
    }
}

/// A Rust expression for a value, and whether it is a literal that converts into the
/// wanted type with `Into` (a setter takes it as it is; a struct field needs `.into()`).
#[derive(Clone, Debug)]
pub(crate) struct Code {
    pub(crate) text: String,
    pub(crate) converts: bool,
}

impl Code {
    fn exact(text: String) -> Code {
        Code {
            text,
            converts: false,
        }
    }

    fn converting(text: String) -> Code {
        Code {
            text,
            converts: true,
        }
    }

    /// As a setter argument (`impl Into<T>`).
    pub(crate) fn arg(self) -> String {
        self.text
    }

    /// As a struct field or list element of exactly the wanted type.
    pub(crate) fn field(self) -> String {
        if self.converts {
            format!("{}.into()", self.text)
        } else {
            self.text
        }
    }

    /// As a value of exactly `want` where nothing says what the type is.
    pub(crate) fn typed(self, want: &Want) -> String {
        if self.converts {
            format!("m::Value::<{}>::from({})", want.value_type(), self.text)
        } else {
            self.text
        }
    }
}

/// The type an intrinsic function yields, before it is fitted to where it goes.
enum Yields {
    /// Already the wanted type (generic functions are given it).
    Wanted,
    /// A type of its own.
    Is(Want),
}

impl Yields {
    /// `m::Value<String>`.
    fn string() -> Yields {
        Yields::Is(Want::Value(Marker::String))
    }

    /// `m::ListValue<String>`.
    fn string_list() -> Yields {
        Yields::Is(Want::List(Marker::String))
    }
}

/// `{"Ref": ..}` or `{"Fn::Name": ..}`: the function's name and argument.
pub(crate) fn intrinsic(value: &Json) -> Option<(&str, &Json)> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let (name, argument) = map.iter().next()?;
    (name == "Ref" || name.starts_with("Fn::")).then_some((name.as_str(), argument))
}

/// Whether `value` holds an intrinsic function anywhere.
pub(crate) fn has_intrinsic(value: &Json) -> bool {
    if intrinsic(value).is_some() {
        return true;
    }
    match value {
        Json::Array(items) => items.iter().any(has_intrinsic),
        Json::Object(map) => map.values().any(has_intrinsic),
        _ => false,
    }
}

/// Writes values, collecting what cannot be represented.
pub(crate) struct Values<'a> {
    pub(crate) names: &'a Names,
    pub(crate) problems: Vec<Unrepresentable>,
}

impl Values<'_> {
    fn problem(&mut self, at: &str, what: String, why: &str) {
        self.problems.push(Unrepresentable {
            at: at.to_owned(),
            what,
            why: why.to_owned(),
        });
    }

    /// `value` as an expression of type `want`, at template path `at`.
    pub(crate) fn value(&mut self, value: &Json, want: &Want, at: &str) -> Code {
        if let Some((name, argument)) = intrinsic(value) {
            return self.function(name, argument, want, at);
        }
        match want {
            Want::Value(marker) => self.literal(value, marker, at),
            Want::List(marker) => self.list(value, marker, at),
        }
    }

    /// A literal at a `Value<M>`.
    fn literal(&mut self, value: &Json, marker: &Marker, at: &str) -> Code {
        match (value, marker) {
            (Json::String(s), Marker::String) => Code::converting(rust::string(s)),
            (
                Json::String(s),
                Marker::Enum {
                    path,
                    name,
                    resource,
                },
            ) => {
                let variant = TypeShape::of(resource).and_then(|t| t.variant(name, s));
                let text = match variant {
                    Some(variant) => format!("{path}::{variant}"),
                    None => format!("{path}::from({})", rust::string(s)),
                };
                Code::converting(text)
            }
            (Json::Number(n), Marker::I64) if n.is_i64() => Code::converting(rust::number(n)),
            // An integer stays an integer (`Value<f64>` takes `i32` and `i64`), so that it
            // renders as the template wrote it.
            (Json::Number(n), Marker::F64) if n.is_i64() || n.is_f64() => {
                let text = match n.as_i64() {
                    Some(_) => rust::number(n),
                    None => rust::float(n.as_f64().unwrap_or_default()),
                };
                Code::converting(text)
            }
            (Json::Bool(b), Marker::Bool) => Code::converting(b.to_string()),
            (_, Marker::Json) if !has_intrinsic(value) => Code::converting(rust::json_macro(value)),
            (_, Marker::Json) => {
                let expr = self.expr(value, at);
                Code::exact(format!("m::Value::<m::Json>::from({expr})"))
            }
            _ => self.other_literal(value, &Want::Value(marker.clone()), at),
        }
    }

    /// A literal of another JSON type than the property's, kept as it is.
    fn other_literal(&mut self, value: &Json, want: &Want, at: &str) -> Code {
        let t = want.value_type();
        if has_intrinsic(value) {
            let expr = self.expr(value, at);
            return Code::exact(format!("m::Value::<{t}>::from_expr({expr})"));
        }
        let literal = match value {
            Json::String(s) => rust::string(s),
            Json::Bool(b) => b.to_string(),
            Json::Null => "()".to_owned(),
            other => rust::json_macro(other),
        };
        Code::exact(format!("m::Value::<{t}>::literal({literal})"))
    }

    /// A literal list at a `ListValue<M>`.
    fn list(&mut self, value: &Json, marker: &Marker, at: &str) -> Code {
        let Json::Array(items) = value else {
            return self.other_literal(value, &Want::List(marker.clone()), at);
        };
        if items.is_empty() {
            return Code::converting(format!("Vec::<m::Value<{}>>::new()", marker.rust()));
        }
        let element = Want::Value(marker.clone());
        let codes: Vec<Code> = items
            .iter()
            .enumerate()
            .map(|(i, item)| self.value(item, &element, &format!("{at}.{i}")))
            .collect();
        if codes.iter().all(|c| c.converts) {
            let texts: Vec<String> = codes.into_iter().map(Code::arg).collect();
            return Code::converting(format!("[{}]", texts.join(", ")));
        }
        let texts: Vec<String> = codes.into_iter().map(Code::field).collect();
        Code::converting(format!("vec![{}]", texts.join(", ")))
    }

    /// `value` as an `m::Expr` (JSON with intrinsics anywhere inside).
    pub(crate) fn expr(&mut self, value: &Json, at: &str) -> String {
        if !has_intrinsic(value) {
            return match value {
                Json::String(s) => format!("m::Expr::string({})", rust::string(s)),
                other => format!("m::Expr::from({})", rust::json_macro(other)),
            };
        }
        if let Some((name, argument)) = intrinsic(value) {
            let code = self.function(name, argument, &Want::Value(Marker::Json), at);
            return format!("{}.into_expr()", code.text);
        }
        match value {
            Json::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, &format!("{at}.{i}")))
                    .collect();
                format!("m::Expr::list([{}])", items.join(", "))
            }
            Json::Object(map) => {
                let entries: Vec<String> = map
                    .iter()
                    .map(|(k, v)| {
                        let v = self.expr(v, &format!("{at}.{k}"));
                        format!("({}, {v})", rust::string(k))
                    })
                    .collect();
                format!("m::Expr::object([{}])", entries.join(", "))
            }
            _ => String::new(),
        }
    }

    /// `value` as an exact `m::Value<m::Json>`, for overrides.
    pub(crate) fn json_value(&mut self, value: &Json, at: &str) -> String {
        if has_intrinsic(value) {
            format!("m::Value::<m::Json>::from({})", self.expr(value, at))
        } else {
            format!("m::Value::<m::Json>::from({})", rust::json_macro(value))
        }
    }

    /// An intrinsic function call, fitted to `want`.
    fn function(&mut self, name: &str, argument: &Json, want: &Want, at: &str) -> Code {
        let at = format!("{at}.{name}");
        let written = match name {
            "Ref" => self.reference(argument, want, &at),
            "Fn::GetAtt" => self.get_att(argument, want, &at),
            "Fn::Sub" => self.sub(argument, &at),
            "Fn::Join" => self.join(argument, &at),
            "Fn::Select" => self.select(argument, &at),
            "Fn::Split" => self.split(argument, &at),
            "Fn::GetAZs" => {
                let region = self.value(argument, &Want::string(), &at).arg();
                Some((format!("fns::get_azs({region})"), Yields::string_list()))
            }
            "Fn::If" => self.if_(argument, want, &at),
            "Fn::ImportValue" => {
                let export = self.value(argument, &Want::string(), &at).arg();
                let t = want.value_type();
                Some((
                    format!("fns::import_value::<{t}>({export})"),
                    Yields::Wanted,
                ))
            }
            "Fn::FindInMap" => self.find_in_map(argument, want, &at),
            "Fn::Base64" => {
                let text = self.value(argument, &Want::string(), &at).arg();
                Some((format!("fns::base64({text})"), Yields::string()))
            }
            "Fn::Cidr" => self.cidr(argument, &at),
            "Fn::ValueOf" => self.value_of(argument, &at),
            "Fn::RefAll" => match argument {
                Json::String(t) => Some((
                    format!("RuleExpr::ref_all({})", rust::string(t)),
                    Yields::string_list(),
                )),
                _ => {
                    self.problem(&at, argument.to_string(), "a parameter type given as text");
                    None
                }
            },
            _ => {
                self.problem(
                    &at,
                    format!("`{name}`"),
                    "one of CloudFormation's own intrinsic functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::GetAZs, Fn::If, Fn::ImportValue, Fn::FindInMap, Fn::Base64, Fn::Cidr; in rules Fn::ValueOf, Fn::RefAll): the model has no language extensions (Fn::ForEach, Fn::Length, Fn::ToJsonString), macros (Fn::Transform) or Fn::GetStackOutput",
                );
                None
            }
        };
        let Some((text, yields)) = written else {
            return Code::exact(format!("m::Value::<{}>::no_value()", want.value_type()));
        };
        fit(text, yields, want)
    }

    fn reference(&mut self, argument: &Json, want: &Want, at: &str) -> Option<(String, Yields)> {
        let Some(name) = argument.as_str() else {
            self.problem(
                at,
                argument.to_string(),
                "`Ref` takes the name of a parameter, resource or pseudo parameter",
            );
            return None;
        };
        if let Some((variable, kind)) = self.names.parameters.get(name) {
            let yields = match kind {
                ParameterKind::String => Yields::string(),
                ParameterKind::Number => Yields::Is(Want::Value(Marker::F64)),
                ParameterKind::List => Yields::string_list(),
            };
            return Some((format!("{variable}.value()"), yields));
        }
        if let Some(variable) = self.names.resources.get(name) {
            return Some((format!("{variable}.ref_value()"), Yields::string()));
        }
        let pseudo = match name {
            "AWS::AccountId" => "fns::account_id()",
            "AWS::Region" => "fns::region()",
            "AWS::Partition" => "fns::partition()",
            "AWS::StackName" => "fns::stack_name()",
            "AWS::StackId" => "fns::stack_id()",
            "AWS::URLSuffix" => "fns::url_suffix()",
            "AWS::NotificationARNs" => {
                return Some(("fns::notification_arns()".to_owned(), Yields::string_list()));
            }
            "AWS::NoValue" => {
                let t = want.value_type();
                return Some((format!("m::Value::<{t}>::no_value()"), Yields::Wanted));
            }
            _ => {
                self.problem(
                    at,
                    format!("`{name}`"),
                    "a parameter, resource or pseudo parameter of the template",
                );
                return None;
            }
        };
        Some((pseudo.to_owned(), Yields::string()))
    }

    fn get_att(&mut self, argument: &Json, want: &Want, at: &str) -> Option<(String, Yields)> {
        let pair = match argument {
            Json::String(s) => s.split_once('.'),
            Json::Array(items) => match items.as_slice() {
                [Json::String(r), Json::String(a)] => Some((r.as_str(), a.as_str())),
                _ => None,
            },
            _ => None,
        };
        let Some((resource, attribute)) = pair else {
            self.problem(at, argument.to_string(), "a resource and an attribute name given as text (`Res.Attr` or `[Res, Attr]`; the model has no attribute name computed by an intrinsic)");
            return None;
        };
        let Some(variable) = self.names.resources.get(resource) else {
            self.problem(at, format!("`{resource}`"), "a resource of the template");
            return None;
        };
        let accessor = self
            .names
            .resource_types
            .get(resource)
            .and_then(|type_name| TypeShape::of(type_name))
            .and_then(|shape| shape.attribute(attribute));
        match accessor {
            Some((method, Ty::Value(marker))) => {
                return Some((
                    format!("{variable}.{method}()"),
                    Yields::Is(Want::Value(marker)),
                ));
            }
            Some((method, Ty::List(marker))) => {
                return Some((
                    format!("{variable}.{method}()"),
                    Yields::Is(Want::List(marker)),
                ));
            }
            _ => {}
        }
        let t = want.value_type();
        let attribute = rust::string(attribute);
        Some((
            format!("{variable}.get_att::<{t}>({attribute})"),
            Yields::Wanted,
        ))
    }

    fn sub(&mut self, argument: &Json, at: &str) -> Option<(String, Yields)> {
        match argument {
            Json::String(s) => Some((format!("fns::sub({})", rust::string(s)), Yields::string())),
            Json::Array(items) => match items.as_slice() {
                [Json::String(s), Json::Object(variables)] if variables.is_empty() => {
                    Some((format!("fns::sub({})", rust::string(s)), Yields::string()))
                }
                [Json::String(s), Json::Object(variables)] => {
                    let pairs: Vec<String> = variables
                        .iter()
                        .map(|(k, v)| {
                            let v = self.value(v, &Want::string(), &format!("{at}.{k}"));
                            format!("({}, {})", rust::string(k), v.typed(&Want::string()))
                        })
                        .collect();
                    let text =
                        format!("fns::sub_with({}, [{}])", rust::string(s), pairs.join(", "));
                    Some((text, Yields::string()))
                }
                _ => {
                    self.problem(
                        at,
                        argument.to_string(),
                        "a string, or a string and an object of variables",
                    );
                    None
                }
            },
            _ => {
                self.problem(
                    at,
                    argument.to_string(),
                    "a string, or a string and an object of variables",
                );
                None
            }
        }
    }

    fn join(&mut self, argument: &Json, at: &str) -> Option<(String, Yields)> {
        match argument.as_array().map(Vec::as_slice) {
            Some([Json::String(delimiter), list]) => {
                let list = self.value(list, &Want::List(Marker::String), at).arg();
                let text = format!("fns::join({}, {list})", rust::string(delimiter));
                Some((text, Yields::string()))
            }
            _ => {
                self.problem(
                    at,
                    argument.to_string(),
                    "a delimiter given as text and a list",
                );
                None
            }
        }
    }

    fn select(&mut self, argument: &Json, at: &str) -> Option<(String, Yields)> {
        match argument.as_array().map(Vec::as_slice) {
            Some([index, list]) => {
                let index = self.value(index, &Want::Value(Marker::I64), at).arg();
                let list = self.value(list, &Want::List(Marker::String), at).arg();
                Some((
                    format!("fns::select::<String>({index}, {list})"),
                    Yields::string(),
                ))
            }
            _ => {
                self.problem(at, argument.to_string(), "an index and a list");
                None
            }
        }
    }

    fn split(&mut self, argument: &Json, at: &str) -> Option<(String, Yields)> {
        match argument.as_array().map(Vec::as_slice) {
            Some([Json::String(delimiter), source]) => {
                let source = self.value(source, &Want::string(), at).arg();
                let text = format!("fns::split({}, {source})", rust::string(delimiter));
                Some((text, Yields::string_list()))
            }
            _ => {
                self.problem(
                    at,
                    argument.to_string(),
                    "a delimiter given as text and a string",
                );
                None
            }
        }
    }

    fn if_(&mut self, argument: &Json, want: &Want, at: &str) -> Option<(String, Yields)> {
        let Some([Json::String(condition), when_true, when_false]) =
            argument.as_array().map(Vec::as_slice)
        else {
            self.problem(at, argument.to_string(), "a condition name and two values");
            return None;
        };
        let Some(variable) = self.names.conditions.get(condition) else {
            self.problem(at, format!("`{condition}`"), "a condition of the template");
            return None;
        };
        let variable = variable.clone();
        let a = self.value(when_true, want, &format!("{at}.1")).arg();
        let b = self.value(when_false, want, &format!("{at}.2")).arg();
        let t = want.value_type();
        Some((
            format!("fns::if_::<{t}>({variable}, {a}, {b})"),
            Yields::Wanted,
        ))
    }

    fn find_in_map(&mut self, argument: &Json, want: &Want, at: &str) -> Option<(String, Yields)> {
        let Some([Json::String(mapping), top, key]) = argument.as_array().map(Vec::as_slice) else {
            self.problem(at, argument.to_string(), "a mapping name and two keys (the language extensions' default value is not in the model)");
            return None;
        };
        let Some(variable) = self.names.mappings.get(mapping) else {
            self.problem(at, format!("`{mapping}`"), "a mapping of the template");
            return None;
        };
        let variable = variable.clone();
        let top = self.value(top, &Want::string(), at).arg();
        let key = self.value(key, &Want::string(), at).arg();
        let t = want.value_type();
        Some((
            format!("{variable}.find_in_map::<{t}>({top}, {key})"),
            Yields::Wanted,
        ))
    }

    /// `Fn::ValueOf` (rules only): an attribute of what an AWS-specific parameter names.
    fn value_of(&mut self, argument: &Json, at: &str) -> Option<(String, Yields)> {
        let parameter = match argument.as_array().map(Vec::as_slice) {
            Some([Json::String(parameter), Json::String(attribute)]) => self
                .names
                .parameters
                .get(parameter)
                .map(|(v, _)| (v.clone(), attribute)),
            _ => None,
        };
        let Some((variable, attribute)) = parameter else {
            self.problem(
                at,
                argument.to_string(),
                "a parameter's name and an attribute name",
            );
            return None;
        };
        let text = format!(
            "RuleExpr::value_of(&{variable}, {})",
            rust::string(attribute)
        );
        Some((text, Yields::string()))
    }

    fn cidr(&mut self, argument: &Json, at: &str) -> Option<(String, Yields)> {
        let Some([block, count, bits]) = argument.as_array().map(Vec::as_slice) else {
            self.problem(
                at,
                argument.to_string(),
                "an IP block, a count and a number of bits",
            );
            return None;
        };
        let block = self.value(block, &Want::string(), at).arg();
        let count = self.value(count, &Want::Value(Marker::I64), at).arg();
        let bits = self.value(bits, &Want::Value(Marker::I64), at).arg();
        Some((
            format!("fns::cidr({block}, {count}, {bits})"),
            Yields::string_list(),
        ))
    }
}

/// A function's result as the wanted type: as it is when it has that type, converted
/// (`into_json`) or retyped (`from_expr`) when it does not.
fn fit(text: String, yields: Yields, want: &Want) -> Code {
    let yielded = match yields {
        Yields::Wanted => return Code::exact(text),
        Yields::Is(yielded) => yielded,
    };
    if &yielded == want {
        return Code::exact(text);
    }
    if let (Want::Value(_), Want::Value(Marker::Json)) = (&yielded, want) {
        return Code::exact(format!("{text}.into_json()"));
    }
    let t = want.value_type();
    Code::exact(format!("m::Value::<{t}>::from_expr({text}.into_expr())"))
}
