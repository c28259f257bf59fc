//! Template hooks (the `Hooks` section): steps CloudFormation runs around a stack update,
//! such as the `AWS::CodeDeploy::BlueGreen` hook of the `AWS::CodeDeployBlueGreen`
//! transform. A hook names resources by logical ID; it does not read their values.

use std::collections::BTreeMap;

use cfn_l1::model::{Expr, RefTarget, ResourceId};

/// One entry of the template's `Hooks` section: a type and its properties.
///
/// In a hook's properties, [`Hook::logical_id_of`] stands for the logical ID of a resource
/// of the same stack, written as a string when the template is rendered (logical IDs are
/// chosen at synthesis). Other values are literals: CloudFormation hands the section to
/// the transform as written.
///
/// ```
/// use construct_lib::{App, Scope};
/// use construct_lib::core::hook::Hook;
/// use construct_lib::cfn::sns;
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let topic = stack.add("Alerts", sns::Topic::new());
/// stack.hook(
///     "Watch",
///     Hook::new("Example::Hook::Type")
///         .property("Target", Hook::logical_id_of(&topic))
///         .property("Mode", "strict"),
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Hook {
    pub(crate) hook_type: String,
    pub(crate) properties: BTreeMap<String, Expr>,
}

impl Hook {
    /// A hook of `hook_type` (`AWS::CodeDeploy::BlueGreen`, ...) with no properties yet.
    pub fn new(hook_type: impl Into<String>) -> Self {
        Self {
            hook_type: hook_type.into(),
            properties: BTreeMap::new(),
        }
    }

    /// Sets property `name`.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Expr>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// The hook's type.
    pub fn hook_type(&self) -> &str {
        &self.hook_type
    }

    /// The logical ID `resource` gets in the template, as a hook property value.
    pub fn logical_id_of(resource: impl Into<ResourceId>) -> Expr {
        Expr::Ref(RefTarget::Resource(resource.into()))
    }

    /// The logical ID of `resource` followed by `suffix`: the name of a resource the
    /// hook's transform creates beside it (the green copy of a blue task set, say).
    pub fn logical_id_with_suffix(resource: impl Into<ResourceId>, suffix: &str) -> Expr {
        Expr::Join(
            String::new(),
            Box::new(Expr::List(vec![
                Self::logical_id_of(resource),
                Expr::String(suffix.to_owned()),
            ])),
        )
    }
}

/// `expr` with the resources of `stack` it names written as their logical IDs (and a
/// logical ID joined with literals written as one string), as the `Hooks` section takes
/// them. Anything else stays as it is; the synthesis checks report intrinsic functions
/// left in a hook.
pub(crate) fn with_logical_ids(
    expr: &Expr,
    logical_id: &impl Fn(ResourceId) -> Option<String>,
) -> Expr {
    match expr {
        Expr::Ref(RefTarget::Resource(id)) => match logical_id(*id) {
            Some(name) => Expr::String(name),
            None => expr.clone(),
        },
        Expr::List(items) => Expr::List(
            items
                .iter()
                .map(|i| with_logical_ids(i, logical_id))
                .collect(),
        ),
        Expr::Object(entries) => Expr::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), with_logical_ids(v, logical_id)))
                .collect(),
        ),
        Expr::Join(delimiter, list) => {
            let joined = with_logical_ids(list, logical_id);
            match &joined {
                Expr::List(parts) if parts.iter().all(|p| matches!(p, Expr::String(_))) => {
                    let texts: Vec<&str> = parts
                        .iter()
                        .filter_map(|p| match p {
                            Expr::String(text) => Some(text.as_str()),
                            _ => None,
                        })
                        .collect();
                    Expr::String(texts.join(delimiter))
                }
                _ => Expr::Join(delimiter.clone(), Box::new(joined)),
            }
        }
        other => other.clone(),
    }
}
