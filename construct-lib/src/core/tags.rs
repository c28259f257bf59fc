//! Tags for every taggable resource under a construct: `Tags::of(scope).add(key, value)`,
//! with resource types included or excluded, and removal, as the CDK's tag aspect does.
//! Which resources take tags, and in which property and shape, comes from the L1
//! registry's tagging data, so no list is kept by hand; the one exception is the launch
//! template, tagged through `TagSpecifications` (itself, its instances and volumes), which
//! the registry does not list as taggable.

use std::collections::BTreeMap;

use super::scope::Scope;
use super::stack::Stack;
use crate::problem::{Problems, quoted};

/// The type tagged through `TagSpecifications` rather than a tag property.
pub(crate) const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";

/// One `add` or `remove`, kept in the stack and applied at synthesis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TagRule {
    /// The construct whose resources it applies to (with everything under it).
    pub(crate) node: usize,
    pub(crate) key: String,
    /// The value, or `None` to remove the tag.
    pub(crate) value: Option<String>,
    /// Only these resource types, when not empty.
    pub(crate) include: Vec<String>,
    /// Never these resource types.
    pub(crate) exclude: Vec<String>,
}

impl TagRule {
    fn applies_to(&self, type_name: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|t| t == type_name))
            && !self.exclude.iter().any(|t| t == type_name)
    }
}

/// Tags for the resources under one construct.
///
/// ```
/// use construct_lib::{App, Scope, Tags};
/// use construct_lib::cfn::sns::Topic;
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// stack.add("Alerts", Topic::new());
/// Tags::of(stack).add("Environment", "prod");
/// Tags::of(stack).add("CostCenter", "web").exclude_resource_types(["AWS::IAM::Role"]);
/// ```
#[derive(Debug)]
pub struct Tags<'a> {
    stack: &'a mut Stack,
    node: usize,
}

impl<'a> Tags<'a> {
    /// The tags of everything under `scope` (a stack: every resource of the stack).
    pub fn of(scope: &'a mut impl Scope) -> Self {
        let node = scope.node();
        Self {
            stack: scope.stack_mut(),
            node,
        }
    }

    /// Tags every taggable resource under the construct with `key` = `value`. A rule
    /// set on a deeper construct wins over one set higher up, a later one over an earlier
    /// one at the same depth; a tag the resource sets itself wins over both.
    pub fn add(self, key: impl Into<String>, value: impl Into<String>) -> TagRuleMut<'a> {
        self.push(key.into(), Some(value.into()))
    }

    /// Removes tag `key` (set by a rule higher up or on the stack) from the resources under
    /// the construct.
    pub fn remove(self, key: impl Into<String>) -> TagRuleMut<'a> {
        self.push(key.into(), None)
    }

    fn push(self, key: String, value: Option<String>) -> TagRuleMut<'a> {
        self.stack.tag_rules.push(TagRule {
            node: self.node,
            key,
            value,
            include: Vec::new(),
            exclude: Vec::new(),
        });
        let index = self.stack.tag_rules.len() - 1;
        TagRuleMut {
            stack: self.stack,
            index,
        }
    }
}

/// A tag rule just added, to narrow it to some resource types.
#[derive(Debug)]
pub struct TagRuleMut<'a> {
    stack: &'a mut Stack,
    index: usize,
}

impl TagRuleMut<'_> {
    /// Applies the rule to these resource types only (`AWS::EC2::Instance`). Default: every
    /// taggable type.
    pub fn include_resource_types<S: Into<String>>(
        self,
        types: impl IntoIterator<Item = S>,
    ) -> Self {
        self.stack.tag_rules[self.index]
            .include
            .extend(types.into_iter().map(Into::into));
        self
    }

    /// Never applies the rule to these resource types. Default: none excluded.
    pub fn exclude_resource_types<S: Into<String>>(
        self,
        types: impl IntoIterator<Item = S>,
    ) -> Self {
        self.stack.tag_rules[self.index]
            .exclude
            .extend(types.into_iter().map(Into::into));
        self
    }
}

/// The tags a resource of `type_name` at `node` gets: the stack's, then the rules of the
/// constructs above it (shallow first, then in the order given).
pub(crate) fn effective(stack: &Stack, node: usize, type_name: &str) -> BTreeMap<String, String> {
    let mut tags = stack.tags.clone();
    let depths = ancestors(stack, node);
    let mut rules: Vec<(usize, usize, &TagRule)> = stack
        .tag_rules
        .iter()
        .enumerate()
        .filter_map(|(index, rule)| depths.get(&rule.node).map(|depth| (*depth, index, rule)))
        .collect();
    rules.sort_by_key(|(depth, index, _)| (*depth, *index));
    for (_, _, rule) in rules
        .into_iter()
        .filter(|(_, _, rule)| rule.applies_to(type_name))
    {
        match &rule.value {
            Some(value) => tags.insert(rule.key.clone(), value.clone()),
            None => tags.remove(&rule.key),
        };
    }
    tags
}

/// `node` and the constructs above it, each with its depth (the stack is 0).
fn ancestors(stack: &Stack, node: usize) -> BTreeMap<usize, usize> {
    let mut chain = Vec::new();
    let mut current = Some(node);
    while let Some(index) = current {
        chain.push(index);
        current = stack.nodes.get(index).and_then(|n| n.parent);
    }
    chain.reverse();
    chain
        .into_iter()
        .enumerate()
        .map(|(depth, node)| (node, depth))
        .collect()
}

/// Checks a tag's key and value (the stack's and the rules').
pub(crate) fn check_tag(key: &str, value: Option<&str>, problems: &mut Problems<'_>) {
    if key.is_empty() || key.chars().count() > 128 || key.starts_with("aws:") {
        problems.error(
            "tag key",
            quoted(key),
            "1 to 128 characters, not starting with `aws:`",
        );
    }
    if let Some(value) = value
        && value.chars().count() > 256
    {
        problems.error(
            &format!("tag `{key}` value"),
            format!("{} characters", value.chars().count()),
            "at most 256 characters",
        );
    }
}

/// Reports every problem of the tag rules: keys, values, and resource types that do not
/// exist or take no tags.
pub(crate) fn check_rules(stack: &Stack, out: &mut Vec<crate::problem::Problem>) {
    for rule in &stack.tag_rules {
        let mut problems = Problems::new(stack.path_of(rule.node), out);
        check_tag(&rule.key, rule.value.as_deref(), &mut problems);
        for (setting, types) in [
            ("include_resource_types", &rule.include),
            ("exclude_resource_types", &rule.exclude),
        ] {
            for type_name in types {
                match cfn_l1::registry::lookup(type_name) {
                    None => problems.error(
                        setting,
                        quoted(type_name),
                        "a CloudFormation resource type, such as AWS::EC2::Instance",
                    ),
                    Some(info) if info.tagging.is_none() && type_name != LAUNCH_TEMPLATE => {
                        problems.error(
                            setting,
                            quoted(type_name),
                            "a resource type that takes tags (this one has no tag property)",
                        )
                    }
                    Some(_) => {}
                }
            }
        }
    }
}
