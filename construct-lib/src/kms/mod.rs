//! AWS KMS (L2): a customer managed [`Key`] with rotation on, an optional alias, a key
//! policy that grants add service statements to, and grants to roles. Stores that take a
//! customer key (`DatabaseCluster`, `Topic`, `Queue`, `Bucket`, `Repository`) take a `&Key`.
//! The L1 types are in [`crate::cfn::kms`].

use cfn_l1::kms as l1;
use cfn_l1::model::{ResourceRef, Value, fns};

use crate::core::resource_options::RemovalPolicy;
use crate::core::scope::{Owner, Scope};
use crate::iam::{PolicyDocument, PolicyStatement, Principal, Role};
use crate::problem::NameRule;

/// An alias: `alias/` then letters, digits and `/_-`, not `alias/aws/` (AWS's own keys).
const ALIAS_NAME: NameRule = NameRule {
    min_len: 7,
    max_len: 256,
    allowed: |c| c.is_ascii_alphanumeric() || "/_-".contains(c),
    first: None,
    description: "`alias/` then 1 to 250 letters, digits and /_- (not `alias/aws/`, which AWS keeps for its own keys)",
};

/// Settings of a new [`Key`].
#[derive(Clone, Debug)]
pub struct KeyBuilder {
    alias: Option<String>,
    description: Option<String>,
    rotation: bool,
    pending_window_days: Option<i64>,
    removal_policy: RemovalPolicy,
    statements: Vec<PolicyStatement>,
}

impl KeyBuilder {
    /// An alias for the key (`alias/gitana`). Default: none.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// The description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether KMS rotates the key material every year. Default: `true`.
    pub fn enable_key_rotation(mut self, rotation: bool) -> Self {
        self.rotation = rotation;
        self
    }

    /// Days between the key's removal and its deletion, 7 to 30 (data encrypted with it is
    /// lost after that). Default: 30.
    pub fn pending_window_days(mut self, days: i64) -> Self {
        self.pending_window_days = Some(days);
        self
    }

    /// What happens to the key when it leaves the stack. Default: [`RemovalPolicy::Retain`]
    /// (a deleted key makes everything encrypted with it unreadable).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Adds a statement to the key policy (after the one that lets the account's IAM
    /// policies grant use of the key). Default: none.
    pub fn policy_statement(mut self, statement: PolicyStatement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Adds the key under construct `id` of `scope`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::iam::{Principal, Role};
    /// use construct_lib::kms::Key;
    /// let mut app = App::new();
    /// let stack = app.stack("Data");
    /// let key = Key::builder().alias("alias/data").build(stack, "Key");
    /// let role = Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "TaskRole");
    /// key.grant_encrypt_decrypt(stack, &role);
    /// ```
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Key {
        let mut scope = scope.scope(id);
        self.check(&mut scope);
        let mut document = PolicyDocument::new().statement(account_administers());
        for statement in self.statements.iter().cloned() {
            document.add(statement);
        }
        let mut key = l1::Key::new()
            .enable_key_rotation(self.rotation)
            .key_policy(document.to_value());
        if let Some(description) = &self.description {
            key = key.description(description.as_str());
        }
        if let Some(days) = self.pending_window_days {
            key = key.pending_window_in_days(days);
        }
        let resource = scope.add("Resource", key);
        scope
            .resource_options(&resource)
            .removal_policy(self.removal_policy);
        scope.state::<KeyPolicy>().document = document;
        if let Some(alias) = &self.alias {
            scope.add(
                "Alias",
                l1::Alias::new(l1::alias::AliasRequired {
                    alias_name: alias.as_str().into(),
                    target_key_id: resource.attr_arn(),
                }),
            );
        }
        Key {
            arn: resource.attr_arn(),
            id: resource.ref_value(),
            owner: Some(Owner::of(&scope)),
            resource: Some(resource),
        }
    }

    fn check(&self, scope: &mut impl Scope) {
        let mut problems = scope.problems();
        if let Some(days) = self.pending_window_days {
            problems.range("pending_window_days", days, 7..=30, "days");
        }
        if let Some(alias) = &self.alias
            && problems.name("alias", alias, &ALIAS_NAME)
            && (!alias.starts_with("alias/") || alias.starts_with("alias/aws/"))
        {
            problems.error(
                "alias",
                crate::problem::quoted(alias),
                ALIAS_NAME.description,
            );
        }
        for (index, statement) in self.statements.iter().enumerate() {
            if statement.principal_list().is_empty() {
                problems.error(
                    &format!("policy_statement[{index}]"),
                    statement.action_list().join(", "),
                    "a statement with a principal (a key policy is a resource policy)",
                );
            }
        }
    }
}

/// The statement every key policy starts with: the account's IAM policies may grant use
/// of the key. Without it, only the key policy could, and a policy mistake would lock the
/// key for good (KMS's default key policy).
fn account_administers() -> PolicyStatement {
    PolicyStatement::allow()
        .action("kms:*")
        .principal(Principal::Aws(fns::sub(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
        )))
        .resource("*")
}

/// A customer managed KMS key: created with [`Key::builder`], or an existing one by ARN.
#[derive(Clone, Debug)]
pub struct Key {
    arn: Value<String>,
    id: Value<String>,
    owner: Option<Owner>,
    resource: Option<ResourceRef<l1::Key>>,
}

impl Key {
    /// Settings for a new key: symmetric, rotated yearly, kept when removed from the stack,
    /// with the account's IAM policies allowed to grant its use.
    pub fn builder() -> KeyBuilder {
        KeyBuilder {
            alias: None,
            description: None,
            rotation: true,
            pending_window_days: None,
            removal_policy: RemovalPolicy::Retain,
            statements: Vec::new(),
        }
    }

    /// An existing key by ARN; grants name it, its key policy cannot be changed here.
    pub fn from_arn(arn: impl Into<Value<String>>) -> Self {
        let arn = arn.into();
        Self {
            id: arn.clone(),
            arn,
            owner: None,
            resource: None,
        }
    }

    /// The key's ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The key's id (`Ref`), or the ARN of an existing key.
    pub fn key_id(&self) -> Value<String> {
        self.id.clone()
    }

    /// The L1 key (`None` for an existing key).
    pub fn resource(&self) -> Option<&ResourceRef<l1::Key>> {
        self.resource.as_ref()
    }

    /// Lets `role` encrypt and decrypt with the key (and generate data keys), and nothing
    /// else.
    pub fn grant_encrypt_decrypt(&self, scope: &mut impl Scope, role: &Role) {
        self.grant(
            scope,
            role,
            &[
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
            ],
        );
    }

    /// Lets `role` decrypt with the key.
    pub fn grant_decrypt(&self, scope: &mut impl Scope, role: &Role) {
        self.grant(scope, role, &["kms:Decrypt"]);
    }

    /// Lets `role` encrypt with the key (and generate data keys, which encrypting a message
    /// for SNS or SQS needs).
    pub fn grant_encrypt(&self, scope: &mut impl Scope, role: &Role) {
        self.grant(
            scope,
            role,
            &["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
        );
    }

    /// Lets `role` use the key for `actions` (an identity statement: the key policy lets the
    /// account's policies grant it).
    pub fn grant(&self, scope: &mut impl Scope, role: &Role, actions: &[&str]) {
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions(actions.iter().copied())
                .resource(self.arn()),
        );
    }

    /// Adds `statement` (with a principal: a service such as `events.amazonaws.com`) to the
    /// key policy; an identical statement is added once. Only through the key's own stack:
    /// a key policy is one property of the key.
    pub fn add_to_resource_policy(&self, scope: &mut impl Scope, statement: PolicyStatement) {
        let actions = statement.action_list().join(", ");
        let Some(owner) = &self.owner else {
            scope.problems().error(
                "add_to_resource_policy",
                format!("{actions} on an existing key"),
                "statements on keys this app creates; change an existing key's policy where it is defined",
            );
            return;
        };
        let Some(mut scope) = owner.reopen(
            scope.stack_mut(),
            "add_to_resource_policy",
            actions,
            "key policy statements added through the stack that owns the key",
        ) else {
            return;
        };
        let state = scope.state::<KeyPolicy>();
        if !state.document.add(statement) {
            return;
        }
        let value = state.document.to_value();
        if let Some(resource) = &self.resource
            && let Some(key) = scope.l1_mut(resource)
        {
            key.key_policy = Some(value);
        }
    }
}

/// The key policy a key keeps between calls.
#[derive(Debug, Default)]
struct KeyPolicy {
    document: PolicyDocument,
}
