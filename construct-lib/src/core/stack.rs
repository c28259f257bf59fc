//! A stack: one CloudFormation template, its construct tree and its elements.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use cfn_l1::model::{DynResource, Expr, StackId, Value};

use super::condition::Condition;
use super::environment::Environment;
use super::hook::Hook;
use super::mapping::Mapping;
use super::output::Output;
use super::parameter::ParameterSpec;
use super::resource_options::ResourceOptions;
use super::rule::Rule;
use crate::problem::{Problem, Problems, quoted};

static NEXT_STACK_ID: AtomicU32 = AtomicU32::new(1);

/// Which ids a node's id must differ from among its siblings. CloudFormation keeps the
/// logical IDs of each template section apart, except that parameters share theirs with
/// resources; constructs hold resources, so they share that one too. An output may thus be
/// named as the resource it exports, as templates often do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Namespace {
    /// Constructs, resources and parameters.
    Elements,
    Conditions,
    Mappings,
    Outputs,
    Rules,
    Hooks,
}

/// A node of the construct tree: every construct, resource and template element has one.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) namespace: Namespace,
    pub(crate) parent: Option<usize>,
    pub(crate) children: Vec<usize>,
}

/// A resource and its attributes.
#[derive(Debug)]
pub(crate) struct ResourceEntry {
    pub(crate) node: usize,
    pub(crate) resource: Box<dyn DynResource>,
    pub(crate) options: ResourceOptions,
}

/// A value a construct keeps in its stack (see [`Scope::state`](crate::Scope::state)).
pub(crate) trait ConstructState: Any + fmt::Debug + Send + Sync {
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> ConstructState for T {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A template element that has a node in the tree.
#[derive(Debug)]
pub(crate) struct Element<T> {
    pub(crate) node: usize,
    pub(crate) value: T,
}

/// One CloudFormation stack: created with [`App::stack`](crate::App::stack), filled through
/// the [`Scope`](crate::Scope) methods, synthesized into one template.
#[derive(Debug)]
pub struct Stack {
    pub(crate) id: StackId,
    pub(crate) name: String,
    pub(crate) environment: Environment,
    pub(crate) description: Option<String>,
    pub(crate) tags: BTreeMap<String, String>,
    /// `Tags::of(scope)` rules, in the order given.
    pub(crate) tag_rules: Vec<super::tags::TagRule>,
    pub(crate) termination_protection: bool,
    pub(crate) nodes: Vec<Node>,
    pub(crate) resources: Vec<ResourceEntry>,
    pub(crate) parameters: Vec<Element<ParameterSpec>>,
    pub(crate) conditions: Vec<Element<Condition>>,
    pub(crate) mappings: Vec<Element<Mapping>>,
    pub(crate) outputs: Vec<Element<Output>>,
    pub(crate) rules: Vec<Element<Rule>>,
    pub(crate) hooks: Vec<Element<Hook>>,
    /// `Scope::suppress` calls: the node, a path under it (empty: the node itself), the
    /// rule and the reason.
    pub(crate) suppressions: Vec<(usize, String, String, String)>,
    pub(crate) transforms: Vec<String>,
    pub(crate) metadata: BTreeMap<String, Expr>,
    /// Top-level sections the model does not type (`Stack::add_section`).
    pub(crate) sections: BTreeMap<String, Expr>,
    pub(crate) dependencies: Vec<StackId>,
    pub(crate) kept_exports: Vec<Expr>,
    pub(crate) problems: Vec<Problem>,
    /// What constructs keep between calls on their handles (a role's policy document, the
    /// listeners of a target group), one value per construct and type: each module owns
    /// its types, so the core knows nothing of what they hold.
    pub(crate) states: BTreeMap<(usize, TypeId), Box<dyn ConstructState>>,
    /// Options changed through a handle of another stack land here and are discarded (the
    /// mistake is reported as a problem).
    pub(crate) discarded_options: ResourceOptions,
}

impl Stack {
    pub(crate) fn new(name: &str, environment: Environment) -> Self {
        Stack {
            id: StackId(NEXT_STACK_ID.fetch_add(1, Ordering::Relaxed)),
            name: name.to_owned(),
            environment,
            description: None,
            tags: BTreeMap::new(),
            tag_rules: Vec::new(),
            termination_protection: false,
            nodes: vec![Node {
                id: name.to_owned(),
                namespace: Namespace::Elements,
                parent: None,
                children: Vec::new(),
            }],
            resources: Vec::new(),
            parameters: Vec::new(),
            conditions: Vec::new(),
            mappings: Vec::new(),
            outputs: Vec::new(),
            rules: Vec::new(),
            hooks: Vec::new(),
            suppressions: Vec::new(),
            transforms: Vec::new(),
            metadata: BTreeMap::new(),
            sections: BTreeMap::new(),
            dependencies: Vec::new(),
            kept_exports: Vec::new(),
            problems: Vec::new(),
            states: BTreeMap::new(),
            discarded_options: ResourceOptions::default(),
        }
    }

    /// The stack name (also the name of the deployed CloudFormation stack).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The id other stacks' handles use to point at this stack.
    pub fn id(&self) -> StackId {
        self.id
    }

    /// Where the stack deploys.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// Sets where the stack deploys. Default: environment-agnostic.
    pub fn set_environment(&mut self, environment: Environment) -> &mut Self {
        self.environment = environment;
        self
    }

    /// The template `Description` (at most 1,024 bytes). Default: none.
    pub fn set_description(&mut self, description: impl Into<String>) -> &mut Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a tag to every taggable resource of the stack (a resource's own tag of the same
    /// key wins) and to the stack itself at deploy.
    pub fn add_tag(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Protects the deployed stack against deletion. Default: false.
    pub fn set_termination_protection(&mut self, enabled: bool) -> &mut Self {
        self.termination_protection = enabled;
        self
    }

    /// Adds a template `Transform` (macro), e.g. `AWS::Serverless-2016-10-31`.
    pub fn add_transform(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        if !self.transforms.contains(&name) {
            self.transforms.push(name);
        }
        self
    }

    /// Adds a template-level `Metadata` entry.
    pub fn add_metadata(
        &mut self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> &mut Self {
        self.metadata.insert(key.into(), Expr::from(value.into()));
        self
    }

    /// Adds a top-level template section the model does not type, such as the `Globals`
    /// of the SAM transform (`AWS::Serverless-2016-10-31`); its value may hold intrinsic
    /// functions. A section the stack writes itself (`Resources`, `Parameters`, ...) is
    /// reported at synthesis: use the stack's own methods for those.
    ///
    /// ```
    /// use construct_lib::{App, cfn::model::Expr};
    /// use construct_lib::serde_json::json;
    /// let mut app = App::new();
    /// let stack = app.stack("Api");
    /// stack
    ///     .add_transform("AWS::Serverless-2016-10-31")
    ///     .add_section("Globals", Expr::from(json!({"Function": {"Timeout": 30}})));
    /// ```
    pub fn add_section(&mut self, name: impl Into<String>, value: impl Into<Expr>) -> &mut Self {
        self.sections.insert(name.into(), value.into());
        self
    }

    /// Deploys this stack after `other` even when no reference says so.
    pub fn add_dependency(&mut self, other: StackId) -> &mut Self {
        if !self.dependencies.contains(&other) {
            self.dependencies.push(other);
        }
        self
    }

    /// Keeps exporting a value of this stack under the name an automatic cross-stack
    /// reference gave it, even when no stack of the app imports it any more.
    ///
    /// This is the first of the two deploys that remove a consumer safely: deploy the
    /// consumer without the reference while the producer keeps the export (this call), then
    /// remove this call and deploy again. See the README, "References between stacks".
    pub fn export_value<T>(&mut self, value: Value<T>) -> &mut Self {
        self.kept_exports.push(value.into_expr());
        self
    }

    /// The logical ID a resource of this stack gets in the template: its override, else the
    /// one derived from its construct path. `None` for a handle of another stack.
    ///
    /// ```
    /// use construct_lib::{App, Scope};
    /// use construct_lib::cfn::sns::Topic;
    /// let mut app = App::new();
    /// let stack = app.stack("Alerts");
    /// let topic = stack.add("Topic", Topic::new());
    /// assert_eq!(stack.logical_id(&topic).as_deref(), Some("Topic"));
    /// ```
    pub fn logical_id<R: cfn_l1::model::Resource>(
        &self,
        resource: &cfn_l1::model::ResourceRef<R>,
    ) -> Option<String> {
        let id = resource.id();
        if id.stack != self.id {
            return None;
        }
        self.resources
            .get(id.index as usize)
            .map(|entry| self.logical_id_of(entry))
    }

    /// The logical ID of a resource entry: its override, else derived from its path.
    pub(crate) fn logical_id_of(&self, entry: &ResourceEntry) -> String {
        entry.options.logical_id.clone().unwrap_or_else(|| {
            crate::synth::logical_id::logical_id(&self.components_of(entry.node))
        })
    }

    /// The construct path of a node: the stack name, then each construct id.
    pub(crate) fn path_of(&self, node: usize) -> String {
        self.components_of(node)
            .into_iter()
            .fold(self.name.clone(), |mut path, c| {
                path.push('/');
                path.push_str(c);
                path
            })
    }

    /// The construct ids from below the stack down to the node.
    pub(crate) fn components_of(&self, node: usize) -> Vec<&str> {
        let mut components = Vec::new();
        let mut current = Some(node);
        while let Some(index) = current {
            let n = &self.nodes[index];
            if n.parent.is_some() {
                components.push(n.id.as_str());
            }
            current = n.parent;
        }
        components.reverse();
        components
    }

    /// Makes resource `waiting` of this stack depend on resource `on` (`DependsOn`).
    pub(crate) fn add_dependency_of(
        &mut self,
        waiting: cfn_l1::model::ResourceId,
        on: cfn_l1::model::ResourceId,
    ) {
        if waiting.stack == self.id
            && let Some(entry) = self.resources.get_mut(waiting.index as usize)
        {
            entry.options.depends_on(on);
        }
    }

    /// Whether construct `parent` already has a child construct, resource or parameter `id`.
    pub(crate) fn has_child(&self, parent: usize, id: &str) -> bool {
        self.has_child_in(parent, id, Namespace::Elements)
    }

    fn has_child_in(&self, parent: usize, id: &str, namespace: Namespace) -> bool {
        self.nodes.get(parent).is_some_and(|node| {
            node.children
                .iter()
                .any(|&c| self.nodes[c].id == id && self.nodes[c].namespace == namespace)
        })
    }

    /// The state of type `T` that construct `node` keeps, created empty on first use.
    pub(crate) fn state_at<T: Default + Any + fmt::Debug + Send + Sync>(
        &mut self,
        node: usize,
    ) -> &mut T {
        let entry = self
            .states
            .entry((node, TypeId::of::<T>()))
            .or_insert_with(|| Box::new(T::default()));
        // Through the trait object: the box itself would also be `Any`.
        let state: &mut dyn ConstructState = entry.as_mut();
        match state.as_any_mut().downcast_mut::<T>() {
            Some(state) => state,
            None => unreachable!("states are keyed by their type id"),
        }
    }

    /// Child `id` of construct `parent`: the existing one, or a new one.
    pub(crate) fn child_or_new(&mut self, parent: usize, id: &str) -> usize {
        let existing = self.nodes.get(parent).and_then(|node| {
            node.children.iter().find(|&&c| {
                self.nodes[c].id == id && self.nodes[c].namespace == Namespace::Elements
            })
        });
        match existing {
            Some(&child) => child,
            None => self.add_node(parent, id),
        }
    }

    /// Adds a child node, reporting an invalid or repeated id.
    pub(crate) fn add_node(&mut self, parent: usize, id: &str) -> usize {
        self.add_node_in(parent, id, Namespace::Elements)
    }

    /// Adds a child node of a template section's namespace, reporting an invalid id or one
    /// another child of the same namespace has.
    pub(crate) fn add_node_in(&mut self, parent: usize, id: &str, namespace: Namespace) -> usize {
        let parent_path = self.path_of(parent);
        if id.is_empty() || id.contains('/') {
            Problems::new(parent_path, &mut self.problems).error(
                "construct id",
                quoted(id),
                "a non-empty id without `/` (it is a path separator)",
            );
        } else if self.has_child_in(parent, id, namespace) {
            let allowed = format!("an id not used by another child of `{parent_path}`");
            Problems::new(format!("{parent_path}/{id}"), &mut self.problems).error(
                "construct id",
                quoted(id),
                allowed,
            );
        }
        let index = self.nodes.len();
        self.nodes.push(Node {
            id: id.to_owned(),
            namespace,
            parent: Some(parent),
            children: Vec::new(),
        });
        self.nodes[parent].children.push(index);
        index
    }
}

/// Stacks synthesize in parallel: an app must stay shareable between threads.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<crate::App>();
};
