//! An enum per list of enumerated values: a variant per known value, converted from the
//! string CloudFormation uses, and an `Unknown` variant for values the pinned data does not
//! list, which only a string that matches no known value can produce.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::super::docs::literal;
use super::super::naming::{unique, variant};
use super::plan::EnumDef;

/// The variant name of each of `e`'s values.
pub fn variants(e: &EnumDef) -> Vec<(String, &String)> {
    let mut taken = BTreeSet::from(["Unknown".to_owned()]);
    e.values
        .iter()
        .map(|v| (unique(variant(v), &mut taken), v))
        .collect()
}

/// The enum `e`, its `Enumerated` and `From<&str>` impls and its conversion to a value.
pub fn emit_enum(out: &mut String, e: &EnumDef) {
    let variants = variants(e);
    let _ = writeln!(
        out,
        "/// Values of `{}.{}`; converts from the string CloudFormation uses (`{}`).",
        e.owner,
        e.property,
        e.values[0].replace('`', "'")
    );
    out.push_str("#[derive(Clone, Debug, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    let _ = writeln!(out, "pub enum {} {{", e.name);
    for (name, value) in &variants {
        let _ = writeln!(out, "    /// `{}`", value.replace('`', "'"));
        let _ = writeln!(out, "    {name},");
    }
    out.push_str(
        "    /// A value the pinned registry data does not list (made from a string that matches\n    /// no known value).\n    Unknown(m::UnknownValue),\n}\n\n",
    );
    let name = &e.name;
    let _ = writeln!(
        out,
        "impl m::Enumerated for {name} {{\n    #[inline]\n    fn as_str(&self) -> &str {{\n        match self {{"
    );
    for (variant, value) in &variants {
        let _ = writeln!(out, "            {name}::{variant} => {},", literal(value));
    }
    let _ = writeln!(
        out,
        "            {name}::Unknown(value) => value.as_str(),\n        }}\n    }}\n}}\n"
    );
    let _ = writeln!(
        out,
        "impl From<&str> for {name} {{\n    #[inline]\n    fn from(value: &str) -> Self {{\n        match value {{"
    );
    for (variant, value) in &variants {
        let _ = writeln!(out, "            {} => {name}::{variant},", literal(value));
    }
    let _ = writeln!(
        out,
        "            other => {name}::Unknown(m::UnknownValue::unlisted(other)),\n        }}\n    }}\n}}\n"
    );
    let _ = writeln!(
        out,
        "impl From<{name}> for m::Value<{name}> {{\n    #[inline]\n    fn from(value: {name}) -> Self {{\n        m::Value::from_expr(m::Expr::String(m::Enumerated::as_str(&value).to_owned()))\n    }}\n}}\n"
    );
}
