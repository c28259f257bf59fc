//! A struct per resource type and nested property type: its fields, the struct of its
//! required properties (named at the call site), its constructor, its setters (each with
//! the property's documentation, a `set_` form taking an `Option`, lists from any
//! iterable) and its rendering.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::super::docs::{literal, summary};
use super::super::naming::{snake, unique};
use super::super::spec::Property;
use super::plan::{FileContext, RType, describe_union, rust_type};

/// One field of a generated struct.
pub struct Field {
    rust_name: String,
    /// The `set_` setter's name (optional fields only).
    set_name: Option<String>,
    cfn_name: String,
    ty: RType,
    boxed: bool,
    required: bool,
    doc: String,
}

impl Field {
    /// The Rust field (and setter) name.
    pub fn rust_name(&self) -> &str {
        &self.rust_name
    }

    /// The CloudFormation property name.
    pub fn cfn_name(&self) -> &str {
        &self.cfn_name
    }

    /// Whether the constructor takes it.
    pub fn required(&self) -> bool {
        self.required
    }

    /// The field's type as written in the struct of required properties (unboxed).
    pub fn rendered_type(&self) -> String {
        self.ty.render()
    }

    /// The field's type without `Option`, boxed when it must be.
    fn inner_type(&self) -> String {
        if self.boxed {
            format!("Box<{}>", self.ty.render())
        } else {
            self.ty.render()
        }
    }

    /// `value`, converted by the setter, then boxed when the field is.
    fn converted(&self) -> String {
        let (_, convert) = self.ty.setter();
        if self.boxed {
            format!("Box::new({convert})")
        } else {
            convert.to_owned()
        }
    }
}

/// The fields of the type `owner_id` ("" for the resource itself).
pub fn fields(
    owner_id: &str,
    properties: &[Property],
    ctx: &FileContext<'_>,
    write_only: &BTreeSet<String>,
) -> Vec<Field> {
    let mut taken = BTreeSet::from(["new".to_owned()]);
    let rust_names: Vec<String> = properties
        .iter()
        .map(|p| unique(snake(&p.name), &mut taken))
        .collect();
    properties
        .iter()
        .zip(rust_names)
        .map(|(p, rust_name)| {
            let enum_name = ctx.enum_names.get(&(owner_id.to_owned(), p.name.clone()));
            let set_name = (!p.required).then(|| unique(format!("set_{rust_name}"), &mut taken));
            Field {
                set_name,
                cfn_name: p.name.clone(),
                ty: rust_type(&p.ty, enum_name.map(String::as_str), ctx),
                boxed: ctx.boxed.contains(&(owner_id.to_owned(), p.name.clone())),
                required: p.required,
                doc: field_doc(p, write_only.contains(&p.name)),
                rust_name,
            }
        })
        .collect()
}

/// `` `Name`: The name of the cluster. Required. Changing it replaces the resource. ``
fn field_doc(p: &Property, write_only: bool) -> String {
    let mut doc = summary(&p.doc);
    if doc.is_empty() {
        doc = format!("The `{}` property.", p.name);
    }
    let mut notes = String::new();
    if p.required {
        notes.push_str(" Required.");
    }
    match p.causes_replacement.as_str() {
        "yes" => notes.push_str(" Changing it replaces the resource."),
        "maybe" => notes.push_str(" Changing it may replace the resource."),
        _ => {}
    }
    if write_only {
        notes.push_str(" Write-only: CloudFormation never returns it.");
    }
    if let Some(default) = &p.default {
        let _ = write!(notes, " Default: `{}`.", default.replace('`', "'"));
    }
    if p.deprecated {
        notes.push_str(" Deprecated.");
    }
    if let Some(union) = describe_union(&p.ty) {
        notes.push_str(&union);
    }
    format!("`{}`: {doc}{notes}", p.name)
}

/// The struct `name` (documented with `doc`), its struct of required properties,
/// constructor, setters and rendering.
pub fn emit_struct(
    out: &mut String,
    name: &str,
    doc: &str,
    fields: &[Field],
    ctx: &FileContext<'_>,
) {
    let _ = writeln!(out, "/// {doc}");
    out.push_str("#[derive(Clone, Debug)]\n#[non_exhaustive]\n");
    let _ = writeln!(out, "pub struct {name} {{");
    for f in fields {
        let ty = if f.required {
            f.inner_type()
        } else {
            format!("Option<{}>", f.inner_type())
        };
        let _ = writeln!(out, "    /// {}\n    pub {}: {ty},", f.doc, f.rust_name);
    }
    out.push_str("}\n\n");
    let required = ctx.required_names.get(name);
    if let Some(required) = required {
        emit_required(out, name, required, fields);
    }
    let _ = writeln!(out, "impl {name} {{");
    emit_new(out, name, required.map(String::as_str), fields);
    for f in fields {
        emit_setters(out, f);
    }
    out.push_str("}\n\n");
    emit_to_expr(out, name, fields);
}

/// The struct of the required properties, so that they are named where they are given.
fn emit_required(out: &mut String, name: &str, required: &str, fields: &[Field]) {
    let _ = writeln!(
        out,
        "/// The required properties of a [`{name}`], each by name: `{name}::new({required} {{ .. }})`."
    );
    let _ = writeln!(out, "#[derive(Clone, Debug)]\npub struct {required} {{");
    for f in fields.iter().filter(|f| f.required) {
        let _ = writeln!(
            out,
            "    /// {}\n    pub {}: {},",
            f.doc,
            f.rust_name,
            f.ty.render()
        );
    }
    out.push_str("}\n\n");
}

/// `new`: no argument, the one required property, or the struct of required properties.
fn emit_new(out: &mut String, name: &str, required_struct: Option<&str>, fields: &[Field]) {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let (doc, params) = match (required.as_slice(), required_struct) {
        ([], _) => (format!("A `{name}` with no property set."), String::new()),
        ([one], _) => (
            format!("A `{name}` with its required property `{}`.", one.cfn_name),
            format!("{}: impl Into<{}>", one.rust_name, one.ty.render()),
        ),
        (_, Some(required)) => (
            format!("A `{name}` with its required properties, named in a [`{required}`]."),
            format!("required: {required}"),
        ),
        (_, None) => unreachable!("types with several required properties have a struct"),
    };
    let inline = if required.len() == 1 {
        ""
    } else {
        "    #[inline]\n"
    };
    let _ = writeln!(
        out,
        "    /// {doc}\n{inline}    pub fn new({params}) -> Self {{"
    );
    let _ = writeln!(out, "        {name} {{");
    for f in fields {
        let value = match (f.required, required.len()) {
            (false, _) => "None".to_owned(),
            (true, 1) => format!("{}.into()", f.rust_name),
            (true, _) => format!("required.{}", f.rust_name),
        };
        let value = if f.boxed && f.required {
            format!("Box::new({value})")
        } else {
            value
        };
        let _ = writeln!(out, "            {}: {value},", f.rust_name);
    }
    out.push_str("        }\n    }\n");
}

/// `x(value)`, and `set_x(Option)` for an optional property.
fn emit_setters(out: &mut String, f: &Field) {
    let (param, _) = f.ty.setter();
    let value = if f.required {
        f.converted()
    } else {
        format!("Some({})", f.converted())
    };
    let _ = writeln!(
        out,
        "\n    /// {}\n    pub fn {}(mut self, value: {param}) -> Self {{\n        self.{} = {value};\n        self\n    }}",
        f.doc, f.rust_name, f.rust_name
    );
    if let Some(set_name) = &f.set_name {
        let _ = writeln!(
            out,
            "\n    /// Sets `{}` to `value`, or leaves it out with `None` (see [`Self::{}`]).\n    #[inline]\n    pub fn {set_name}(mut self, value: Option<{}>) -> Self {{\n        self.{} = value;\n        self\n    }}",
            f.cfn_name,
            f.rust_name,
            f.inner_type(),
            f.rust_name
        );
    }
}

/// The rendering of the struct into its template object.
fn emit_to_expr(out: &mut String, name: &str, fields: &[Field]) {
    let _ = writeln!(out, "impl m::ToExpr for {name} {{");
    out.push_str("    #[inline]\n    fn to_expr(&self) -> m::Expr {\n");
    if fields.is_empty() {
        out.push_str("        m::ObjectBuilder::new().build()\n");
    } else {
        out.push_str("        let mut object = m::ObjectBuilder::new();\n");
        for f in fields {
            let _ = writeln!(
                out,
                "        object.field({}, &self.{});",
                literal(&f.cfn_name),
                f.rust_name
            );
        }
        out.push_str("        object.build()\n");
    }
    out.push_str("    }\n}\n\n");
}
