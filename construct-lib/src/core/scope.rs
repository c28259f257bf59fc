//! Scopes: where constructs are added. A [`Stack`] is the root scope; [`Scope::scope`] opens
//! a child construct, so that everything an L2 construct creates sits under its path.

use cfn_l1::model::{
    ConditionId, MappingId, ParameterId, Resource, ResourceId, ResourceRef, StackId,
};

use super::condition::{Condition, ConditionRef};
use super::hook::Hook;
use super::mapping::{Mapping, MappingRef};
use super::output::Output;
use super::parameter::{Parameter, ParameterRef};
use super::resource_options::ResourceOptions;
use super::rule::Rule;
use super::stack::{Element, Namespace, ResourceEntry, Stack};
use crate::problem::Problems;

/// A place in a stack's construct tree where constructs are added: the stack itself or a
/// construct inside it ([`ScopeMut`]). L2 constructs take `&mut impl Scope`.
pub trait Scope {
    /// The stack the scope belongs to.
    fn stack(&self) -> &Stack;
    /// The stack the scope belongs to.
    fn stack_mut(&mut self) -> &mut Stack;
    /// The tree node of the scope.
    fn node(&self) -> usize;

    /// The construct path of the scope, e.g. `Network/Vpc`.
    fn path(&self) -> String {
        self.stack().path_of(self.node())
    }

    /// Reports problems of this construct: each one names the construct's path. Every
    /// construct reports this way, so that messages read the same everywhere.
    fn problems(&mut self) -> Problems<'_> {
        let path = self.path();
        Problems::new(path, &mut self.stack_mut().problems)
    }

    /// Reports problems of a part of this construct, at its path (`Web/Role/DefaultPolicy`
    /// for part `DefaultPolicy`).
    fn problems_of(&mut self, part: &str) -> Problems<'_> {
        let path = format!("{}/{part}", self.path());
        Problems::new(path, &mut self.stack_mut().problems)
    }

    /// The value of type `T` that this construct keeps in its stack between calls on its
    /// handle (created with `T::default()` on first use). Constructs keep what only they
    /// need here (a role its policy document, a target group its listeners), in types of
    /// their own module, so that the stack stores them without knowing what they are.
    fn state<T: Default + std::any::Any + std::fmt::Debug + Send + Sync>(&mut self) -> &mut T {
        let node = self.node();
        self.stack_mut().state_at(node)
    }

    /// Opens a child construct `id` (unique among its siblings), under which an L2 construct
    /// places what it creates.
    fn scope(&mut self, id: &str) -> ScopeMut<'_> {
        let parent = self.node();
        let node = self.stack_mut().add_node(parent, id);
        ScopeMut {
            stack: self.stack_mut(),
            node,
        }
    }

    /// Adds an L1 resource with construct id `id` and returns its handle.
    ///
    /// ```
    /// use construct_lib::{App, Scope};
    /// use construct_lib::cfn::s3::Bucket;
    /// let mut app = App::new();
    /// let stack = app.stack("Storage");
    /// let bucket = stack.add("Assets", Bucket::new().bucket_name("my-assets"));
    /// let _arn = bucket.attr_arn();
    /// ```
    fn add<R: Resource>(&mut self, id: &str, resource: R) -> ResourceRef<R> {
        let parent = self.node();
        let stack = self.stack_mut();
        let node = stack.add_node(parent, id);
        let index = stack.resources.len() as u32;
        stack.resources.push(ResourceEntry {
            node,
            resource: Box::new(resource),
            options: ResourceOptions::default(),
        });
        ResourceRef::new(ResourceId {
            stack: stack.id,
            index,
        })
    }

    /// Adds a template parameter.
    fn parameter<T>(&mut self, id: &str, parameter: Parameter<T>) -> ParameterRef<T> {
        let (stack, index) = add_element(
            self,
            (id, Namespace::Elements),
            |s| &mut s.parameters,
            parameter.spec,
        );
        ParameterRef::new(ParameterId { stack, index })
    }

    /// Adds a named condition.
    fn condition(&mut self, id: &str, condition: Condition) -> ConditionRef {
        let (stack, index) = add_element(
            self,
            (id, Namespace::Conditions),
            |s| &mut s.conditions,
            condition,
        );
        ConditionRef {
            id: ConditionId { stack, index },
        }
    }

    /// Adds a mapping.
    fn mapping(&mut self, id: &str, mapping: Mapping) -> MappingRef {
        let (stack, index) = add_element(
            self,
            (id, Namespace::Mappings),
            |s| &mut s.mappings,
            mapping,
        );
        MappingRef {
            id: MappingId { stack, index },
        }
    }

    /// Adds an output (a [`Value`](cfn_l1::model::Value) or an [`Output`] with settings).
    fn output(&mut self, id: &str, output: impl Into<Output>) {
        add_element(
            self,
            (id, Namespace::Outputs),
            |s| &mut s.outputs,
            output.into(),
        );
    }

    /// Adds a template rule.
    fn rule(&mut self, id: &str, rule: Rule) {
        add_element(self, (id, Namespace::Rules), |s| &mut s.rules, rule);
    }

    /// Accepts the findings of rule `rule` (an id of [`crate::rules`], `ELB1`) on every
    /// resource at or under this construct, for `reason`. The reason is written into each
    /// such resource's `Metadata`, where checkov (`checkov.skip`) and cfn-lint
    /// (`cfn-lint.config.ignore_checks`) read it. An unknown rule, an empty reason, or a
    /// suppression that covers no finding is reported at synthesis.
    ///
    /// ```
    /// use construct_lib::{App, Scope, synthesize};
    /// use construct_lib::cfn::sns;
    /// let mut app = App::new();
    /// let stack = app.stack("Alerts");
    /// stack.add("Topic", sns::Topic::new());
    /// stack.suppress("SNS1", "alarm notifications only: no message content worth a key");
    /// let assembly = synthesize(&app).expect("valid");
    /// assert_eq!(assembly.findings[0].suppressed.as_deref(), Some("alarm notifications only: no message content worth a key"));
    /// ```
    fn suppress(&mut self, rule: &str, reason: &str) {
        self.suppress_under("", rule, reason);
    }

    /// [`Scope::suppress`] for the construct at `path` under this one (`Web/LoadBalancer`,
    /// the construct ids below this scope joined by `/`), such as a part an L2 construct
    /// created.
    fn suppress_under(&mut self, path: &str, rule: &str, reason: &str) {
        let node = self.node();
        self.stack_mut().suppressions.push((
            node,
            path.trim_matches('/').to_owned(),
            rule.to_owned(),
            reason.to_owned(),
        ));
    }

    /// Adds an entry to the template's `Hooks` section (the hook's transform is the
    /// caller's to add, with [`Stack::add_transform`]).
    fn hook(&mut self, id: &str, hook: Hook) {
        add_element(self, (id, Namespace::Hooks), |s| &mut s.hooks, hook);
    }

    /// The attributes and overrides of a resource of this stack (`DependsOn`,
    /// `DeletionPolicy`, logical ID override, property overrides, ...).
    ///
    /// A handle of another stack is reported as a problem at synthesis and its changes are
    /// discarded.
    fn resource_options<R: Resource>(&mut self, resource: &ResourceRef<R>) -> &mut ResourceOptions {
        let stack = self.stack_mut();
        let id = resource.id();
        if id.stack == stack.id && (id.index as usize) < stack.resources.len() {
            return &mut stack.resources[id.index as usize].options;
        }
        stack.problems().error(
            "resource_options",
            format!("a `{}` handle of another stack", R::TYPE_NAME),
            "change a resource's options through the stack that owns it",
        );
        &mut stack.discarded_options
    }

    /// The L1 resource behind a handle, to change its properties after it was added (the
    /// escape hatch under every L2 construct). `None` for a handle of another stack.
    fn l1_mut<R: Resource>(&mut self, resource: &ResourceRef<R>) -> Option<&mut R> {
        let stack = self.stack_mut();
        let id = resource.id();
        if id.stack != stack.id {
            return None;
        }
        stack
            .resources
            .get_mut(id.index as usize)?
            .resource
            .as_any_mut()
            .downcast_mut::<R>()
    }
}

/// Adds a tree node `id` under the scope and the element to its list; returns the stack and
/// the element's index in the list.
fn add_element<S: Scope + ?Sized, T>(
    scope: &mut S,
    (id, namespace): (&str, Namespace),
    list: fn(&mut Stack) -> &mut Vec<Element<T>>,
    value: T,
) -> (StackId, u32) {
    let parent = scope.node();
    let stack = scope.stack_mut();
    let node = stack.add_node_in(parent, id, namespace);
    let elements = list(stack);
    let index = elements.len() as u32;
    elements.push(Element { node, value });
    (stack.id, index)
}

impl Scope for Stack {
    fn stack(&self) -> &Stack {
        self
    }
    fn stack_mut(&mut self) -> &mut Stack {
        self
    }
    fn node(&self) -> usize {
        0
    }
}

/// Whether the construct `owner` (none: an existing one) belongs to `scope`'s stack.
pub(crate) fn owned_by(scope: &impl Scope, owner: Option<&Owner>) -> bool {
    owner.is_none_or(|owner| owner.stack == scope.stack().id)
}

/// Where a construct was created, kept in its handle, so that later changes made through
/// the handle (a rule on a security group, a statement on a role, a target on a service)
/// land under that construct, in its stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    /// The construct's stack.
    pub(crate) stack: StackId,
    /// The construct's tree node.
    pub(crate) node: usize,
    /// The construct's path, for messages.
    pub(crate) path: String,
}

impl Owner {
    /// The construct `scope` is.
    pub(crate) fn of(scope: &impl Scope) -> Self {
        Self {
            stack: scope.stack().id,
            node: scope.node(),
            path: scope.path(),
        }
    }

    /// The construct, reopened through `stack` when that is its stack (`None` otherwise,
    /// silently: for changes that only matter within one stack, such as `DependsOn`).
    pub(crate) fn within<'a>(&self, stack: &'a mut Stack) -> Option<ScopeMut<'a>> {
        (self.stack == stack.id).then_some(ScopeMut {
            stack,
            node: self.node,
        })
    }

    /// Where a change to the construct made through `stack` lands: under the construct
    /// itself in its own stack; from another stack, under a construct of `stack`'s root
    /// named after the construct's path (`DataDbSecurityGroup`). There the change only
    /// references the construct, so `stack` imports its values and deploys after it: an
    /// ingress rule, a policy statement or a queue policy written by the dependent stack
    /// never makes the owner's stack depend back on it (the CDK places cross-stack rules
    /// the same way, when it can see the dependency).
    pub(crate) fn place<'a>(&self, stack: &'a mut Stack) -> ScopeMut<'a> {
        let node = if self.stack == stack.id {
            self.node
        } else {
            let id: String = self
                .path
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            stack.child_or_new(0, &id)
        };
        ScopeMut { stack, node }
    }

    /// Problems of the construct, reported through `scope`'s stack.
    pub(crate) fn problems<'a>(&self, scope: &'a mut impl Scope) -> Problems<'a> {
        Problems::new(self.path.clone(), &mut scope.stack_mut().problems)
    }

    /// The construct, reopened for a change made through `stack`. When `stack` is another
    /// stack than the owner's, the change (`what` = `value`) is reported at synthesis with
    /// `allowed`, and `None` is returned: changes go through the stack that owns the
    /// construct.
    pub(crate) fn reopen<'a>(
        &self,
        stack: &'a mut Stack,
        what: &str,
        value: String,
        allowed: &str,
    ) -> Option<ScopeMut<'a>> {
        if self.stack != stack.id {
            let value = format!("{value} added through stack `{}`", stack.name());
            self.problems(stack).error(what, value, allowed);
            return None;
        }
        Some(ScopeMut {
            stack,
            node: self.node,
        })
    }
}

/// A construct inside a stack, opened with [`Scope::scope`].
#[derive(Debug)]
pub struct ScopeMut<'a> {
    stack: &'a mut Stack,
    node: usize,
}

impl Scope for ScopeMut<'_> {
    fn stack(&self) -> &Stack {
        self.stack
    }
    fn stack_mut(&mut self) -> &mut Stack {
        self.stack
    }
    fn node(&self) -> usize {
        self.node
    }
}
