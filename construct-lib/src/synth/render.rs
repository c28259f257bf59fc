//! Renders expressions to template JSON, resolving element ids to logical IDs and turning
//! references to other stacks into imports.

use std::collections::BTreeMap;

use cfn_l1::model::{Expr, RefTarget, ResourceId, StackId};
use serde_json::{Map, Value as Json, json};

use crate::problem::Problem;

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
}

/// What another stack must export for a reference to it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExportTarget {
    Ref(RefTarget),
    GetAtt(ResourceId, String),
}

/// A reference from one stack to a value of another.
#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub(crate) consumer: StackId,
    pub(crate) consumer_path: String,
    pub(crate) producer: StackId,
    pub(crate) producer_path: String,
    pub(crate) target: ExportTarget,
}

/// The output logical ID and the export name under which a producer exports a target.
pub(crate) fn export_names(names: &StackNames, target: &ExportTarget) -> (String, String) {
    let (logical, suffix) = match target {
        ExportTarget::Ref(RefTarget::Resource(id)) => {
            (names.resources[id.index as usize].clone(), "Ref".to_owned())
        }
        ExportTarget::Ref(RefTarget::Parameter(id)) => (
            names.parameters[id.index as usize].clone(),
            "Ref".to_owned(),
        ),
        ExportTarget::Ref(RefTarget::Pseudo(p)) => (p.name().replace("::", ""), "Ref".to_owned()),
        ExportTarget::GetAtt(id, attribute) => (
            names.resources[id.index as usize].clone(),
            attribute.clone(),
        ),
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
    fn own(&self) -> &StackNames {
        &self.names[&self.stack]
    }

    fn foreign_element(&mut self, what: &str, stack: StackId) -> Json {
        let owner = self
            .names
            .get(&stack)
            .map_or("a stack outside this app".to_owned(), |n| {
                format!("stack `{}`", n.stack_name)
            });
        self.problems.push(Problem::error(
            self.path.clone(),
            what,
            format!("a {what} of {owner}"),
            format!(
                "{what}s can only be used in their own stack; declare one in `{}`",
                self.own().stack_name
            ),
        ));
        Json::Null
    }

    fn import(&mut self, producer: StackId, target: ExportTarget) -> Json {
        let Some(names) = self.names.get(&producer) else {
            self.problems.push(Problem::error(
                self.path.clone(),
                "reference",
                "a value of a stack outside this app",
                "add the stack to the same App to reference its values",
            ));
            return Json::Null;
        };
        let producer_path = match &target {
            ExportTarget::Ref(RefTarget::Resource(id)) | ExportTarget::GetAtt(id, _) => {
                names.resource_paths[id.index as usize].clone()
            }
            ExportTarget::Ref(RefTarget::Parameter(id)) => {
                names.parameter_paths[id.index as usize].clone()
            }
            ExportTarget::Ref(RefTarget::Pseudo(_)) => names.stack_name.clone(),
        };
        let (_, export_name) = export_names(names, &target);
        self.imports.push(Import {
            consumer: self.stack,
            consumer_path: self.path.clone(),
            producer,
            producer_path,
            target,
        });
        json!({ "Fn::ImportValue": export_name })
    }

    fn list(&mut self, items: &[Expr]) -> Json {
        Json::Array(items.iter().map(|e| self.render(e)).collect())
    }

    /// Renders an expression.
    pub(crate) fn render(&mut self, expr: &Expr) -> Json {
        match expr {
            Expr::Null => Json::Null,
            Expr::Bool(b) => Json::Bool(*b),
            Expr::Number(n) => Json::Number(n.clone()),
            Expr::String(s) => Json::String(s.clone()),
            Expr::List(items) => self.list(items),
            Expr::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    let value = self.render(v);
                    out.insert(k.clone(), value);
                }
                Json::Object(out)
            }
            Expr::Ref(RefTarget::Pseudo(p)) => json!({ "Ref": p.name() }),
            Expr::Ref(RefTarget::Resource(id)) if id.stack != self.stack => {
                self.import(id.stack, ExportTarget::Ref(RefTarget::Resource(*id)))
            }
            Expr::Ref(RefTarget::Parameter(id)) if id.stack != self.stack => {
                self.import(id.stack, ExportTarget::Ref(RefTarget::Parameter(*id)))
            }
            Expr::Ref(RefTarget::Resource(id)) => {
                json!({ "Ref": self.own().resources[id.index as usize] })
            }
            Expr::Ref(RefTarget::Parameter(id)) => {
                json!({ "Ref": self.own().parameters[id.index as usize] })
            }
            Expr::GetAtt(id, attribute) if id.stack != self.stack => {
                self.import(id.stack, ExportTarget::GetAtt(*id, attribute.clone()))
            }
            Expr::GetAtt(id, attribute) => {
                json!({ "Fn::GetAtt": [self.own().resources[id.index as usize], attribute] })
            }
            Expr::Sub(template, variables) if variables.is_empty() => {
                json!({ "Fn::Sub": template })
            }
            Expr::Sub(template, variables) => {
                let mut vars = Map::new();
                for (k, v) in variables {
                    let value = self.render(v);
                    vars.insert(k.clone(), value);
                }
                json!({ "Fn::Sub": [template, vars] })
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
                if condition.stack != self.stack {
                    return self.foreign_element("condition", condition.stack);
                }
                let name = self.own().conditions[condition.index as usize].clone();
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
            Expr::Condition(condition) => {
                if condition.stack != self.stack {
                    return self.foreign_element("condition", condition.stack);
                }
                json!({ "Condition": self.own().conditions[condition.index as usize] })
            }
            Expr::RuleFunction(name, args) => {
                let args = self.list(args);
                let mut out = Map::new();
                out.insert((*name).to_owned(), args);
                Json::Object(out)
            }
            _ => Json::Null,
        }
    }
}
