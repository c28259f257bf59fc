//! Renders expressions to template JSON, resolving element ids to logical IDs and turning
//! references to other stacks into imports.

use std::collections::BTreeMap;

use cfn_l1::model::{ConditionId, Expr, ParameterId, RefTarget, ResourceId, StackId};
use serde_json::{Map, Value as Json, json};

use crate::problem::{Problem, Problems};

/// The logical IDs and paths of one stack's elements, by element index.
#[derive(Debug, Default)]
pub(crate) struct StackNames {
    pub(crate) stack_name: String,
    pub(crate) resources: Vec<String>,
    pub(crate) resource_paths: Vec<String>,
    pub(crate) parameters: Vec<String>,
    pub(crate) parameter_paths: Vec<String>,
    pub(crate) conditions: Vec<String>,
    pub(crate) mappings: Vec<String>,
    pub(crate) hooks: Vec<String>,
    pub(crate) hook_paths: Vec<String>,
}

/// A value of one stack that another stack uses, and so must be exported.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExportTarget {
    /// `Ref` of a resource.
    Resource(ResourceId),
    /// `Fn::GetAtt` of a resource attribute.
    Attribute(ResourceId, String),
    /// `Ref` of a parameter.
    Parameter(ParameterId),
}

impl ExportTarget {
    /// The exportable value an expression is, if it is one.
    pub(crate) fn of(expr: &Expr) -> Option<Self> {
        match expr {
            Expr::Ref(RefTarget::Resource(id)) => Some(ExportTarget::Resource(*id)),
            Expr::Ref(RefTarget::Parameter(id)) => Some(ExportTarget::Parameter(*id)),
            Expr::GetAtt(id, attribute) => Some(ExportTarget::Attribute(*id, attribute.clone())),
            _ => None,
        }
    }

    /// The stack that owns the value.
    pub(crate) fn stack(&self) -> StackId {
        match self {
            ExportTarget::Resource(id) | ExportTarget::Attribute(id, _) => id.stack,
            ExportTarget::Parameter(id) => id.stack,
        }
    }

    /// The logical ID and construct path of the element, in its own stack.
    fn element<'n>(&self, names: &'n StackNames) -> (&'n str, &'n str) {
        match self {
            ExportTarget::Resource(id) | ExportTarget::Attribute(id, _) => {
                let i = id.index as usize;
                (&names.resources[i], &names.resource_paths[i])
            }
            ExportTarget::Parameter(id) => {
                let i = id.index as usize;
                (&names.parameters[i], &names.parameter_paths[i])
            }
        }
    }

    /// The output logical ID and the export name under which the owner exports the value.
    pub(crate) fn export_names(&self, names: &StackNames) -> (String, String) {
        let (logical, _) = self.element(names);
        let suffix = match self {
            ExportTarget::Attribute(_, attribute) => attribute.as_str(),
            _ => "Ref",
        };
        let alnum: String = suffix.chars().filter(char::is_ascii_alphanumeric).collect();
        let dashed: String = suffix
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let output_id = super::logical_id::logical_id(&[&format!("Export{logical}{alnum}")]);
        (
            output_id,
            format!("{}:{logical}:{dashed}", names.stack_name),
        )
    }

    /// The value as its own stack renders it (the `Value` of the export output).
    pub(crate) fn local_value(&self, names: &StackNames) -> Json {
        let (logical, _) = self.element(names);
        match self {
            ExportTarget::Attribute(_, attribute) => json!({ "Fn::GetAtt": [logical, attribute] }),
            _ => json!({ "Ref": logical }),
        }
    }
}

/// A reference from one stack to a value of another.
#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub(crate) consumer: StackId,
    pub(crate) consumer_path: String,
    pub(crate) producer_path: String,
    pub(crate) target: ExportTarget,
}

/// Renders expressions of one stack.
pub(crate) struct Renderer<'a> {
    pub(crate) names: &'a BTreeMap<StackId, StackNames>,
    pub(crate) stack: StackId,
    /// The construct path of the element being rendered, for messages.
    pub(crate) path: String,
    pub(crate) imports: Vec<Import>,
    pub(crate) problems: Vec<Problem>,
}

impl Renderer<'_> {
    /// Problems of the element being rendered.
    pub(crate) fn problems(&mut self) -> Problems<'_> {
        Problems::new(self.path.clone(), &mut self.problems)
    }

    fn own(&self) -> &StackNames {
        &self.names[&self.stack]
    }

    /// The name of a condition for a `Condition` attribute; a condition of another stack is
    /// reported.
    pub(crate) fn condition_name(&mut self, condition: ConditionId) -> Json {
        if condition.stack != self.stack {
            return self.foreign_element("condition", condition.stack);
        }
        json!(self.own().conditions[condition.index as usize])
    }

    fn foreign_element(&mut self, what: &str, stack: StackId) -> Json {
        let owner = self
            .names
            .get(&stack)
            .map_or("a stack outside this app".to_owned(), |n| {
                format!("stack `{}`", n.stack_name)
            });
        let allowed = format!(
            "{what}s can only be used in their own stack; declare one in `{}`",
            self.own().stack_name
        );
        self.problems()
            .error(what, format!("a {what} of {owner}"), allowed);
        Json::Null
    }

    fn import(&mut self, target: ExportTarget) -> Json {
        let Some(names) = self.names.get(&target.stack()) else {
            self.problems().error(
                "reference",
                "a value of a stack outside this app",
                "add the stack to the same App to reference its values",
            );
            return Json::Null;
        };
        let (_, producer_path) = target.element(names);
        let (_, export_name) = target.export_names(names);
        self.imports.push(Import {
            consumer: self.stack,
            consumer_path: self.path.clone(),
            producer_path: producer_path.to_owned(),
            target,
        });
        json!({ "Fn::ImportValue": export_name })
    }

    fn list(&mut self, items: &[Expr]) -> Json {
        Json::Array(items.iter().map(|e| self.render(e)).collect())
    }

    /// Renders an expression.
    /// Each value of an object (or of `Fn::Sub`'s variables) rendered.
    fn entries(&mut self, map: &BTreeMap<String, Expr>) -> Map<String, Json> {
        map.iter()
            .map(|(k, v)| (k.clone(), self.render(v)))
            .collect()
    }

    /// A rule-specific function (`Fn::Contains`, `Fn::ValueOf`, ...).
    fn rule_function(&mut self, name: &str, args: &[Expr]) -> Json {
        let mut args = self.list(args);
        if name == "Fn::ValueOf" {
            value_of_names_its_parameter(&mut args);
        }
        let mut out = Map::new();
        out.insert(name.to_owned(), args);
        Json::Object(out)
    }

    pub(crate) fn render(&mut self, expr: &Expr) -> Json {
        match expr {
            Expr::Null => Json::Null,
            Expr::Bool(b) => Json::Bool(*b),
            Expr::Number(n) => Json::Number(n.clone()),
            Expr::String(s) => Json::String(s.clone()),
            Expr::List(items) => self.list(items),
            Expr::Object(map) => Json::Object(self.entries(map)),
            Expr::Ref(RefTarget::Pseudo(p)) => json!({ "Ref": p.name() }),
            Expr::Ref(_) | Expr::GetAtt(..) => match ExportTarget::of(expr) {
                Some(target) if target.stack() != self.stack => self.import(target),
                Some(target) => target.local_value(self.own()),
                None => Json::Null,
            },
            Expr::Sub(template, variables) if variables.is_empty() => {
                json!({ "Fn::Sub": template })
            }
            Expr::Sub(template, variables) => {
                json!({ "Fn::Sub": [template, self.entries(variables)] })
            }
            Expr::Join(delimiter, list) => json!({ "Fn::Join": [delimiter, self.render(list)] }),
            Expr::Select(index, list) => {
                json!({ "Fn::Select": [self.render(index), self.render(list)] })
            }
            Expr::Split(delimiter, source) => {
                json!({ "Fn::Split": [delimiter, self.render(source)] })
            }
            Expr::GetAzs(region) => json!({ "Fn::GetAZs": self.render(region) }),
            Expr::If(condition, a, b) => {
                let name = self.condition_name(*condition);
                json!({ "Fn::If": [name, self.render(a), self.render(b)] })
            }
            Expr::ImportValue(name) => json!({ "Fn::ImportValue": self.render(name) }),
            Expr::FindInMap(mapping, top, key) => {
                if mapping.stack != self.stack {
                    return self.foreign_element("mapping", mapping.stack);
                }
                let name = self.own().mappings[mapping.index as usize].clone();
                json!({ "Fn::FindInMap": [name, self.render(top), self.render(key)] })
            }
            Expr::Base64(value) => json!({ "Fn::Base64": self.render(value) }),
            Expr::Cidr(block, count, bits) => {
                json!({ "Fn::Cidr": [self.render(block), self.render(count), self.render(bits)] })
            }
            Expr::Equals(a, b) => json!({ "Fn::Equals": [self.render(a), self.render(b)] }),
            Expr::And(items) => json!({ "Fn::And": self.list(items) }),
            Expr::Or(items) => json!({ "Fn::Or": self.list(items) }),
            Expr::Not(item) => json!({ "Fn::Not": [self.render(item)] }),
            Expr::Condition(condition) => json!({ "Condition": self.condition_name(*condition) }),
            Expr::RuleFunction(name, args) => self.rule_function(name, args),
            other => {
                // `Expr` may gain variants in a newer model crate than this renderer knows.
                self.problems().error(
                    "expression",
                    format!("{other:?}"),
                    "an expression this version of construct-lib can render",
                );
                Json::Null
            }
        }
    }
}

/// `Fn::ValueOf` takes the parameter's logical ID, not its value: `{"Ref": "Subnets"}`
/// becomes `"Subnets"`.
fn value_of_names_its_parameter(args: &mut Json) {
    if let Some(first) = args.as_array_mut().and_then(|a| a.first_mut())
        && let Some(name) = first.get("Ref").and_then(Json::as_str).map(str::to_owned)
    {
        *first = Json::String(name);
    }
}
