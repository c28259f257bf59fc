//! Assertions for users' tests: synthesize a stack and check its template by resource type and
//! pattern, without spelling logical IDs.
//!
//! ```
//! use construct_lib::assertions::{Match, Template};
//! use construct_lib::ec2::Vpc;
//! use construct_lib::App;
//! use serde_json::json;
//!
//! let mut app = App::new();
//! let vpc = Vpc::builder().nat_gateways(1).build(app.stack("Net"), "Vpc");
//! let template = Template::from_app(&app, "Net");
//! template.resource_count_is("AWS::EC2::NatGateway", 1);
//! template.has_resource_properties("AWS::EC2::VPC", json!({"CidrBlock": "10.0.0.0/16"}));
//! // The route of the first private subnet goes to the NAT gateway, whatever its logical ID.
//! let private = &vpc.subnets()[2];
//! template.has_resource_properties(
//!     "AWS::EC2::Route",
//!     json!({
//!         "RouteTableId": template.value_of(&private.route_table_id().expect("created here")),
//!         "NatGatewayId": {"Ref": template.logical_id_like("*NATGateway*")},
//!     }),
//! );
//! ```

mod matcher;

/// insta, for [`assert_stack_snapshot!`](crate::assert_stack_snapshot) (feature `insta`).
#[cfg(feature = "insta")]
#[doc(hidden)]
pub use insta as __insta;

/// Snapshots the template of stack `$stack` of `$app` with insta (feature `insta`): the
/// first run writes `snapshots/<test file>__<stack>.snap` for review, later runs compare.
///
/// ```ignore
/// construct_lib::assert_stack_snapshot!(app, "Web");
/// ```
#[cfg(feature = "insta")]
#[macro_export]
macro_rules! assert_stack_snapshot {
    ($app:expr, $stack:expr) => {{
        let template = $crate::assertions::Template::from_app(&$app, $stack);
        $crate::assertions::__insta::assert_json_snapshot!(
            ::std::string::ToString::to_string($stack),
            template.to_json()
        );
    }};
}

use std::collections::BTreeMap;

use cfn_l1::model::{Resource, ResourceRef, StackId, Value};
use serde_json::{Value as Json, json};

use crate::core::app::App;
use crate::synth::{Renderer, StackNames, names_of, synthesize};
pub use matcher::Match;

/// A synthesized stack's template, with the logical IDs of its resources, for assertions.
/// Every assertion panics with a message that shows what was found, like `assert!`.
pub struct Template {
    stack: String,
    json: Json,
    /// The stack's id and the names of every stack of the app, to render handles and values
    /// as the template does (`None` for a template given as JSON).
    names: Option<(StackId, BTreeMap<StackId, StackNames>)>,
    /// What the rule pack found in this stack.
    findings: Vec<crate::rules::Finding>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Template")
            .field("stack", &self.stack)
            .field("json", &self.json)
            .finish_non_exhaustive()
    }
}

impl Template {
    /// Synthesizes `app` and takes the template of stack `stack`.
    ///
    /// # Panics
    /// When the app is invalid (the message lists every problem) or has no such stack.
    pub fn from_app(app: &App, stack: &str) -> Self {
        let assembly = synthesize(app).unwrap_or_else(|errors| panic!("{errors}"));
        let Some(artifact) = assembly.stack(stack) else {
            let names: Vec<&str> = app.stacks().iter().map(|s| s.name()).collect();
            panic!("no stack {stack:?}; the app has: {}", names.join(", "));
        };
        let names = app
            .stacks()
            .iter()
            .find(|s| s.name() == stack)
            .map(|source| (source.id, names_of(app)));
        let findings = assembly
            .findings
            .iter()
            .filter(|f| f.stack == stack)
            .cloned()
            .collect();
        Self {
            stack: stack.to_owned(),
            json: artifact.template.clone(),
            names,
            findings,
        }
    }

    /// What the rule pack ([`crate::rules`]) found in the stack, accepted or not.
    pub fn findings(&self) -> &[crate::rules::Finding] {
        &self.findings
    }

    /// Asserts that the rule pack found nothing in the stack that is not accepted with a
    /// reason ([`Scope::suppress`](crate::Scope::suppress)).
    ///
    /// # Panics
    /// With every unaccepted finding, its rule and how to fix it.
    ///
    /// ```
    /// use construct_lib::{App, Scope};
    /// use construct_lib::assertions::Template;
    /// use construct_lib::cfn::sns;
    /// let mut app = App::new();
    /// let stack = app.stack("Alerts");
    /// stack.add("Topic", sns::Topic::new());
    /// stack.suppress("SNS1", "alarm notifications only");
    /// Template::from_app(&app, "Alerts").assert_no_findings();
    /// ```
    pub fn assert_no_findings(&self) {
        let open: Vec<String> = self
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .map(ToString::to_string)
            .collect();
        assert!(
            open.is_empty(),
            "stack {}: {} finding(s) not accepted:\n  {}",
            self.stack,
            open.len(),
            open.join("\n  ")
        );
    }

    /// A template given as JSON (no handles can be resolved against it).
    pub fn from_json(json: Json) -> Self {
        let findings = crate::rules::check("template", &json);
        Self {
            stack: "template".to_owned(),
            json,
            names: None,
            findings,
        }
    }

    /// The whole template.
    pub fn to_json(&self) -> &Json {
        &self.json
    }

    /// The logical ID of a resource of this stack.
    ///
    /// # Panics
    /// When the handle belongs to another stack.
    pub fn logical_id<R: Resource>(&self, resource: &ResourceRef<R>) -> String {
        let id = resource.id();
        self.names
            .as_ref()
            .filter(|(own, _)| *own == id.stack)
            .and_then(|(own, names)| names[own].resources.get(id.index as usize))
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "the {} handle is not a resource of stack {}",
                    R::TYPE_NAME,
                    self.stack
                )
            })
    }

    /// The one logical ID of the template matching `pattern` (`*` matches any run of
    /// characters), for resources an L2 construct created without giving out a handle.
    ///
    /// # Panics
    /// When no resource or several match.
    pub fn logical_id_like(&self, pattern: &str) -> String {
        let matcher = Match::string_like(pattern);
        let found: Vec<&String> = self
            .json
            .get("Resources")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(|(id, _)| id)
            .filter(|id| matcher.check(&Json::String((*id).clone())).is_ok())
            .collect();
        match found.as_slice() {
            [one] => (*one).clone(),
            _ => panic!(
                "stack {}: expected one logical ID like {pattern:?}, found {found:?}",
                self.stack
            ),
        }
    }

    /// `{"Ref": ID}` of a resource of this stack: a pattern for "references this resource".
    pub fn ref_to<R: Resource>(&self, resource: &ResourceRef<R>) -> Json {
        json!({ "Ref": self.logical_id(resource) })
    }

    /// `{"Fn::GetAtt": [ID, attribute]}` of a resource of this stack.
    pub fn get_att<R: Resource>(&self, resource: &ResourceRef<R>, attribute: &str) -> Json {
        json!({ "Fn::GetAtt": [self.logical_id(resource), attribute] })
    }

    /// A value (a handle's `ref_value()` or `attr_*()`, a literal, an intrinsic) as it
    /// appears in this template, to use in a pattern.
    ///
    /// # Panics
    /// For a template given as JSON, which has no handles.
    pub fn value_of<T>(&self, value: &Value<T>) -> Json {
        let Some((stack, names)) = &self.names else {
            panic!("a template given as JSON cannot render values; use Template::from_app");
        };
        let mut renderer = Renderer {
            names,
            stack: *stack,
            path: self.stack.clone(),
            imports: Vec::new(),
            problems: Vec::new(),
        };
        renderer.render(value.expr())
    }

    /// Every resource of `resource_type` that matches `pattern` (the whole resource:
    /// `Type`, `Properties`, `DependsOn`, ...), by logical ID.
    pub fn find_resources(
        &self,
        resource_type: &str,
        pattern: impl Into<Match>,
    ) -> BTreeMap<String, Json> {
        let pattern = pattern.into();
        self.of_type(resource_type)
            .filter(|(_, resource)| pattern.check(resource).is_ok())
            .map(|(id, resource)| (id.clone(), resource.clone()))
            .collect()
    }

    /// Asserts that the template has exactly `count` resources of `resource_type`.
    pub fn resource_count_is(&self, resource_type: &str, count: usize) {
        let found: Vec<&String> = self.of_type(resource_type).map(|(id, _)| id).collect();
        assert!(
            found.len() == count,
            "stack {}: expected {count} {resource_type}, found {}: {found:?}",
            self.stack,
            found.len()
        );
    }

    /// Asserts that some resource of `resource_type` has `Properties` matching `pattern` (a
    /// JSON value matches like [`Match::object_like`] at every depth).
    pub fn has_resource_properties(&self, resource_type: &str, pattern: impl Into<Match>) {
        let pattern = pattern.into();
        self.assert_some(resource_type, "properties", |resource| {
            pattern.check(resource.get("Properties").unwrap_or(&Json::Null))
        });
    }

    /// Asserts that some resource of `resource_type` matches `pattern` as a whole
    /// (`{"DependsOn": [...], "DeletionPolicy": "Retain"}`).
    pub fn has_resource(&self, resource_type: &str, pattern: impl Into<Match>) {
        let pattern = pattern.into();
        self.assert_some(resource_type, "resource", |resource| {
            pattern.check(resource)
        });
    }

    /// Asserts that an output `id` (`*` for any) matches `pattern`
    /// (`{"Value": ..., "Export": {"Name": ...}}`).
    pub fn has_output(&self, id: &str, pattern: impl Into<Match>) {
        let pattern = pattern.into();
        let outputs = self.json.get("Outputs").and_then(Json::as_object);
        let mut misses = Vec::new();
        for (name, output) in outputs.into_iter().flatten() {
            if id != "*" && name != id {
                continue;
            }
            match pattern.check(output) {
                Ok(()) => return,
                Err(miss) => misses.push(format!("  {name}: {miss}")),
            }
        }
        panic!(
            "stack {}: no output {id} matches; {}",
            self.stack,
            if misses.is_empty() {
                "there is no such output".to_owned()
            } else {
                format!("the candidates differ:\n{}", misses.join("\n"))
            }
        );
    }

    fn of_type<'a>(
        &'a self,
        resource_type: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.json
            .get("Resources")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .filter(move |(_, resource)| {
                resource.get("Type").and_then(Json::as_str) == Some(resource_type)
            })
    }

    fn assert_some(
        &self,
        resource_type: &str,
        what: &str,
        check: impl Fn(&Json) -> Result<(), String>,
    ) {
        let mut misses = Vec::new();
        for (id, resource) in self.of_type(resource_type) {
            match check(resource) {
                Ok(()) => return,
                Err(miss) => misses.push(format!("  {id}: {miss}")),
            }
        }
        panic!(
            "stack {}: no {resource_type} {what} match; {}",
            self.stack,
            if misses.is_empty() {
                format!("the stack has no {resource_type}")
            } else {
                format!("the candidates differ:\n{}", misses.join("\n"))
            }
        );
    }
}
