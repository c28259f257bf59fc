//! Security and best-practice rules, run at synthesis over every resource of every stack.
//! They read the rendered template, so they judge L1 resources as much as L2 constructs.
//!
//! Each [`Rule`] has an id, a severity, a title, why it matters and how to fix it, and the
//! ids of the checkov checks (and cfn-lint rules) that look at the same thing. A finding can
//! be suppressed with a reason on a construct or resource ([`Scope::suppress`]); the
//! reason is written into the resource's `Metadata` in the forms checkov
//! (`checkov.skip`) and cfn-lint (`cfn-lint.config.ignore_checks`) read, so that the
//! scanners a team runs in CI agree with the synthesis.
//!
//! [`Scope::suppress`]: crate::Scope::suppress

mod compute;
mod data;
mod iam;
mod load_balancing;
mod messaging;
mod network;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Value as Json, json};

pub use crate::problem::Severity;

/// A rule of the pack.
#[derive(Debug)]
pub struct Rule {
    /// The rule's id (`IAM2`), to suppress it by.
    pub id: &'static str,
    /// Error (synthesis fails unless suppressed) or warning.
    pub severity: Severity,
    /// What the rule finds, in one line.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The checkov checks that look at the same thing (`CKV_AWS_2`).
    pub checkov: &'static [&'static str],
    /// The cfn-lint rules that look at the same thing.
    pub cfn_lint: &'static [&'static str],
    /// The resource types it reads.
    pub resource_types: &'static [&'static str],
    /// What is wrong with the resource, when something is.
    pub check: fn(&ResourceView<'_>) -> Option<String>,
}

/// One resource as a rule sees it.
#[derive(Clone, Copy, Debug)]
pub struct ResourceView<'a> {
    /// The logical ID.
    pub logical_id: &'a str,
    /// `Properties` (JSON `null` when absent).
    pub properties: &'a Json,
    /// The whole template, for rules that look at other resources.
    pub template: &'a Json,
}

impl<'a> ResourceView<'a> {
    /// The property at `pointer` (`/DefaultActions/0/Type`).
    pub fn at(&self, pointer: &str) -> Option<&'a Json> {
        self.properties.pointer(pointer)
    }

    /// Whether the property at `pointer` is set.
    pub fn has(&self, pointer: &str) -> bool {
        self.at(pointer).is_some_and(|v| !v.is_null())
    }
}

/// Every rule of the pack, by service.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        iam::RULES,
        network::RULES,
        load_balancing::RULES,
        compute::RULES,
        messaging::RULES,
        data::RULES,
    ]
    .into_iter()
    .flatten()
}

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    all().find(|rule| rule.id == id)
}

/// What a rule found on one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The stack.
    pub stack: String,
    /// The construct path of the resource.
    pub path: String,
    /// Its logical ID.
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// The rule's id.
    pub rule: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// What was found on this resource.
    pub detail: String,
    /// The reason it is accepted, when a suppression covers it.
    pub suppressed: Option<String>,
}

impl Finding {
    /// The rule that found it.
    pub fn rule(&self) -> &'static Rule {
        rule(self.rule).unwrap_or_else(|| unreachable!("findings come from the pack"))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = self.rule();
        write!(
            f,
            "{}: {} {}: {} ({})",
            self.path, rule.id, rule.title, self.detail, rule.fix
        )
    }
}

/// The findings of every rule on the resources of `template`, a CloudFormation template
/// from anywhere (paths are the logical IDs; nothing is suppressed): for checking templates
/// written by other tools, and for tests.
///
/// ```
/// use construct_lib::rules;
/// use serde_json::json;
/// let template = json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}});
/// let findings = rules::check("Alerts", &template);
/// assert_eq!(findings[0].rule, "SNS1");
/// assert_eq!(findings[0].detail, "no KmsMasterKeyId");
/// ```
pub fn check(stack: &str, template: &Json) -> Vec<Finding> {
    find(stack, template, &BTreeMap::new(), &[])
}

/// A suppression of one rule under a construct path, with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suppression {
    pub(crate) path: String,
    pub(crate) rule: String,
    pub(crate) reason: String,
}

impl Suppression {
    pub(crate) fn covers(&self, path: &str, rule: &str) -> bool {
        self.rule == rule
            && (path == self.path
                || path.starts_with(&self.path) && path[self.path.len()..].starts_with('/'))
    }
}

/// Runs every rule over the resources of `template` (logical ID → construct path in
/// `paths`); writes the suppressions of what they find into the resources' `Metadata`.
pub(crate) fn check_template(
    stack: &str,
    template: &mut Json,
    paths: &BTreeMap<String, String>,
    suppressions: &[Suppression],
) -> Vec<Finding> {
    let findings = find(stack, template, paths, suppressions);
    for finding in findings.iter().filter(|f| f.suppressed.is_some()) {
        if let Some(resource) = template.pointer_mut(&format!("/Resources/{}", finding.logical_id))
        {
            write_suppression(resource, finding);
        }
    }
    findings
}

fn find(
    stack: &str,
    template: &Json,
    paths: &BTreeMap<String, String>,
    suppressions: &[Suppression],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return findings;
    };
    for (logical_id, resource) in resources {
        let resource_type = resource
            .get("Type")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let view = ResourceView {
            logical_id,
            properties: resource.get("Properties").unwrap_or(&Json::Null),
            template,
        };
        let path = paths
            .get(logical_id)
            .cloned()
            .unwrap_or_else(|| logical_id.clone());
        for rule in all().filter(|r| r.resource_types.contains(&resource_type)) {
            let Some(detail) = (rule.check)(&view) else {
                continue;
            };
            let suppressed = suppressions
                .iter()
                .find(|s| s.covers(&path, rule.id))
                .map(|s| s.reason.clone());
            findings.push(Finding {
                stack: stack.to_owned(),
                path: path.clone(),
                logical_id: logical_id.clone(),
                resource_type: resource_type.to_owned(),
                rule: rule.id,
                severity: rule.severity,
                detail,
                suppressed,
            });
        }
    }
    findings
}

/// The suppression in the forms the scanners read: checkov's `skip` entries (id and
/// comment) and cfn-lint's `ignore_checks`.
fn write_suppression(resource: &mut Json, finding: &Finding) {
    let rule = finding.rule();
    let reason = finding.suppressed.as_deref().unwrap_or_default();
    // A rule no scanner shares leaves the template as it was (the reason stays in the code
    // and in the findings).
    let Some(object) = resource
        .as_object_mut()
        .filter(|_| !rule.checkov.is_empty() || !rule.cfn_lint.is_empty())
    else {
        return;
    };
    let metadata = object.entry("Metadata").or_insert_with(|| json!({}));
    let comment = format!("{}: {reason}", rule.id);
    for id in rule.checkov {
        push(
            metadata,
            "/checkov/skip",
            json!({"id": id, "comment": comment}),
        );
    }
    for id in rule.cfn_lint {
        push(metadata, "/cfn-lint/config/ignore_checks", json!(id));
    }
}

/// Appends `value` to the list at `pointer` under `metadata` (made on first use), once.
fn push(metadata: &mut Json, pointer: &str, value: Json) {
    let mut node = metadata;
    let keys: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, key) in keys.iter().enumerate() {
        let last = i + 1 == keys.len();
        let Some(object) = node.as_object_mut() else {
            return;
        };
        node = object
            .entry((*key).to_owned())
            .or_insert_with(|| if last { json!([]) } else { json!({}) });
    }
    if let Some(list) = node.as_array_mut()
        && !list.contains(&value)
    {
        list.push(value);
    }
}
