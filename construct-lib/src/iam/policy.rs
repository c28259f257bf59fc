//! Typed IAM policy statements and documents, rendered to the policy JSON CloudFormation
//! takes, with intrinsic values (ARNs of resources of the stack) kept as intrinsics.

use std::collections::BTreeMap;

use cfn_l1::model::{Expr, Json, Value};

use crate::problem::{Problems, quoted};

/// `s3:GetObject`, `ecr:Batch*` or `*`.
fn is_valid_action(action: &str) -> bool {
    action == "*"
        || action.split_once(':').is_some_and(|(service, name)| {
            !service.is_empty()
                && !name.is_empty()
                && service
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '*')
        })
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Refuses the actions, whatever else grants them.
    Deny,
}

/// Who a statement is about (trust and resource policies).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Principal {
    /// An AWS service (`ecs-tasks.amazonaws.com`).
    Service(String),
    /// An account id, or the ARN of a role or user.
    Aws(Value<String>),
    /// A federated identity provider, by ARN (an OIDC or SAML provider).
    Federated(Value<String>),
    /// Anyone (`"*"`); use only with conditions.
    Any,
}

impl Principal {
    /// An AWS service principal.
    pub fn service(name: impl Into<String>) -> Self {
        Self::Service(name.into())
    }

    /// An identity provider of the account, by ARN.
    pub fn federated(provider_arn: impl Into<Value<String>>) -> Self {
        Self::Federated(provider_arn.into())
    }

    fn render(principals: &[Principal]) -> Expr {
        if principals.iter().any(|p| matches!(p, Principal::Any)) {
            return Expr::String("*".to_owned());
        }
        let mut by_kind: BTreeMap<String, Vec<Expr>> = BTreeMap::new();
        for principal in principals {
            let (kind, value) = match principal {
                Principal::Service(name) => ("Service", Expr::String(name.clone())),
                Principal::Aws(value) => ("AWS", value.expr().clone()),
                Principal::Federated(arn) => ("Federated", arn.expr().clone()),
                Principal::Any => unreachable!("handled above"),
            };
            let entry = by_kind.entry(kind.to_owned()).or_default();
            if !entry.contains(&value) {
                entry.push(value);
            }
        }
        Expr::Object(
            by_kind
                .into_iter()
                .map(|(kind, mut values)| {
                    let value = if values.len() == 1 {
                        values.remove(0)
                    } else {
                        Expr::List(values)
                    };
                    (kind, value)
                })
                .collect(),
        )
    }
}

/// One statement of a policy.
///
/// ```
/// use construct_lib::iam::PolicyStatement;
/// let statement = PolicyStatement::allow()
///     .actions(["s3:GetObject", "s3:PutObject"])
///     .resource("arn:aws:s3:::assets/uploads/*")
///     .condition("Bool", "aws:SecureTransport", "true");
/// assert_eq!(statement.action_list(), ["s3:GetObject", "s3:PutObject"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyStatement {
    sid: Option<String>,
    effect: Effect,
    actions: Vec<String>,
    resources: Vec<Value<String>>,
    principals: Vec<Principal>,
    conditions: BTreeMap<String, BTreeMap<String, Vec<Value<String>>>>,
}

impl PolicyStatement {
    /// A statement with `effect` and nothing else yet.
    pub fn new(effect: Effect) -> Self {
        Self {
            sid: None,
            effect,
            actions: Vec::new(),
            resources: Vec::new(),
            principals: Vec::new(),
            conditions: BTreeMap::new(),
        }
    }

    /// An `Allow` statement.
    pub fn allow() -> Self {
        Self::new(Effect::Allow)
    }

    /// A `Deny` statement.
    pub fn deny() -> Self {
        Self::new(Effect::Deny)
    }

    /// The statement id. Default: none.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Adds an action (`s3:GetObject`; `*` wildcards allowed).
    pub fn action(mut self, action: impl Into<String>) -> Self {
        let action = action.into();
        if !self.actions.contains(&action) {
            self.actions.push(action);
        }
        self
    }

    /// Adds actions.
    pub fn actions<S: Into<String>>(self, actions: impl IntoIterator<Item = S>) -> Self {
        actions.into_iter().fold(self, |s, a| s.action(a))
    }

    /// Adds a resource ARN (a literal or a handle's ARN attribute).
    pub fn resource(mut self, arn: impl Into<Value<String>>) -> Self {
        let arn = arn.into();
        if !self.resources.contains(&arn) {
            self.resources.push(arn);
        }
        self
    }

    /// Adds resource ARNs.
    pub fn resources<V: Into<Value<String>>>(self, arns: impl IntoIterator<Item = V>) -> Self {
        arns.into_iter().fold(self, |s, a| s.resource(a))
    }

    /// Adds a principal (trust and resource policies).
    pub fn principal(mut self, principal: Principal) -> Self {
        if !self.principals.contains(&principal) {
            self.principals.push(principal);
        }
        self
    }

    /// Adds a condition: `operator` (`StringEquals`, `Bool`, `ArnLike`, ...), `key`
    /// (`aws:SourceArn`), a value; values of the same operator and key are alternatives.
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Value<String>>,
    ) -> Self {
        let values = self
            .conditions
            .entry(operator.into())
            .or_default()
            .entry(key.into())
            .or_default();
        let value = value.into();
        if !values.contains(&value) {
            values.push(value);
        }
        self
    }

    /// The effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The actions.
    pub fn action_list(&self) -> &[String] {
        &self.actions
    }

    /// The resources.
    pub fn resource_list(&self) -> &[Value<String>] {
        &self.resources
    }

    /// The principals.
    pub fn principal_list(&self) -> &[Principal] {
        &self.principals
    }

    /// Reports what is wrong with the statement in a policy attached to an identity (a
    /// role's own policy).
    pub(crate) fn check_identity_policy(&self, problems: &mut Problems<'_>) {
        if self.actions.is_empty() {
            problems.error(
                "actions",
                "none",
                "at least one action, such as s3:GetObject",
            );
        }
        for action in self.actions.iter().filter(|a| !is_valid_action(a)) {
            problems.error(
                "actions",
                quoted(action),
                "service:Action, such as s3:GetObject (`*` wildcards allowed)",
            );
        }
        if self.resources.is_empty() {
            problems.error(
                "resources",
                "none",
                "at least one resource ARN (an identity policy statement needs one)",
            );
        }
        if !self.principals.is_empty() {
            problems.error(
                "principal",
                format!("{} principal(s)", self.principals.len()),
                "no principal in a policy attached to a role; principals belong in trust and resource policies",
            );
        }
    }

    pub(crate) fn to_expr(&self) -> Expr {
        let mut map: BTreeMap<String, Expr> = BTreeMap::new();
        if let Some(sid) = &self.sid {
            map.insert("Sid".to_owned(), Expr::String(sid.clone()));
        }
        map.insert(
            "Effect".to_owned(),
            Expr::String(
                match self.effect {
                    Effect::Allow => "Allow",
                    Effect::Deny => "Deny",
                }
                .to_owned(),
            ),
        );
        let one_or_list = |mut items: Vec<Expr>| {
            if items.len() == 1 {
                items.remove(0)
            } else {
                Expr::List(items)
            }
        };
        if !self.actions.is_empty() {
            map.insert(
                "Action".to_owned(),
                one_or_list(
                    self.actions
                        .iter()
                        .map(|a| Expr::String(a.clone()))
                        .collect(),
                ),
            );
        }
        if !self.resources.is_empty() {
            map.insert(
                "Resource".to_owned(),
                one_or_list(self.resources.iter().map(|r| r.expr().clone()).collect()),
            );
        }
        if !self.principals.is_empty() {
            map.insert("Principal".to_owned(), Principal::render(&self.principals));
        }
        if !self.conditions.is_empty() {
            map.insert(
                "Condition".to_owned(),
                Expr::Object(
                    self.conditions
                        .iter()
                        .map(|(operator, keys)| {
                            (
                                operator.clone(),
                                Expr::Object(
                                    keys.iter()
                                        .map(|(key, values)| {
                                            (
                                                key.clone(),
                                                one_or_list(
                                                    values
                                                        .iter()
                                                        .map(|v| v.expr().clone())
                                                        .collect(),
                                                ),
                                            )
                                        })
                                        .collect(),
                                ),
                            )
                        })
                        .collect(),
                ),
            );
        }
        Expr::Object(map)
    }
}

/// A policy document: `Version` 2012-10-17 and statements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    statements: Vec<PolicyStatement>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement (an identical one is kept once).
    pub fn statement(mut self, statement: PolicyStatement) -> Self {
        self.add(statement);
        self
    }

    /// Adds a statement in place; returns whether it was new.
    pub fn add(&mut self, statement: PolicyStatement) -> bool {
        if self.statements.contains(&statement) {
            return false;
        }
        self.statements.push(statement);
        true
    }

    /// The statements.
    pub fn statements(&self) -> &[PolicyStatement] {
        &self.statements
    }

    /// The document as a template value.
    pub fn to_value(&self) -> Value<Json> {
        let mut map = BTreeMap::new();
        map.insert("Version".to_owned(), Expr::String("2012-10-17".to_owned()));
        map.insert(
            "Statement".to_owned(),
            Expr::List(
                self.statements
                    .iter()
                    .map(PolicyStatement::to_expr)
                    .collect(),
            ),
        );
        Value::from_expr(Expr::Object(map))
    }
}
