//! GitHub Actions as an identity provider: the account's OIDC provider for
//! `token.actions.githubusercontent.com` ([`GithubOidcProvider`]) and a role that workflows
//! of one repository, on given branches or environments only, assume without stored keys
//! ([`GithubActionsRole`]).

use cfn_l1::iam as l1;
use cfn_l1::model::{Value, fns};

use super::policy::{PolicyStatement, Principal};
use super::role::Role;
use crate::Duration;
use crate::RemovalPolicy;
use crate::core::scope::Scope;
use crate::problem::quoted;

/// The issuer of GitHub Actions' tokens.
const ISSUER: &str = "token.actions.githubusercontent.com";
/// The audience GitHub's `aws-actions/configure-aws-credentials` asks tokens for.
const AUDIENCE: &str = "sts.amazonaws.com";

/// The account's OIDC identity provider for GitHub Actions. An account has at most one per
/// issuer: create it in one stack ([`Self::create`]) and name it elsewhere by ARN
/// ([`Self::from_arn`]).
#[derive(Clone, Debug)]
pub struct GithubOidcProvider {
    arn: Value<String>,
}

impl GithubOidcProvider {
    /// Creates the provider (`https://token.actions.githubusercontent.com`, audience
    /// `sts.amazonaws.com`) under construct `id`. IAM trusts GitHub's certificate authority
    /// itself, so no thumbprint is written. The provider is the account's, shared by every
    /// role that GitHub workflows assume: it is kept when the stack is deleted or the
    /// resource replaced (`Retain`), and creating it fails in an account that has one (use
    /// [`Self::of_account`] there).
    pub fn create(scope: &mut impl Scope, id: &str) -> Self {
        let mut scope = scope.scope(id);
        let resource = scope.add(
            "Resource",
            l1::OIDCProvider::new()
                .url(format!("https://{ISSUER}"))
                .client_id_list(vec![AUDIENCE]),
        );
        scope
            .resource_options(&resource)
            .removal_policy(RemovalPolicy::Retain);
        Self {
            arn: resource.ref_value(),
        }
    }

    /// The provider the stack's account already has: its ARN follows from the account and
    /// partition the stack deploys to.
    pub fn of_account() -> Self {
        Self {
            arn: fns::sub(format!(
                "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/{ISSUER}"
            )),
        }
    }

    /// A provider by ARN
    /// (`arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`).
    pub fn from_arn(arn: impl Into<Value<String>>) -> Self {
        Self { arn: arn.into() }
    }

    /// The provider's ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }
}

/// Settings of a role for GitHub Actions workflows: [`GithubActionsRole::builder`].
#[derive(Clone, Debug)]
pub struct GithubActionsRoleBuilder {
    provider: GithubOidcProvider,
    repository: String,
    subjects: Vec<String>,
    description: Option<String>,
    max_session_duration: Option<Duration>,
}

impl GithubActionsRoleBuilder {
    /// Workflows running on `branch` (`main`) may assume the role.
    pub fn branch(mut self, branch: impl AsRef<str>) -> Self {
        let subject = format!(
            "repo:{}:ref:refs/heads/{}",
            self.repository,
            branch.as_ref()
        );
        self.subjects.push(subject);
        self
    }

    /// Jobs of GitHub environment `environment` (`production`) may assume the role; the
    /// environment's protection rules (reviewers, branches) then guard it.
    pub fn environment(mut self, environment: impl AsRef<str>) -> Self {
        let subject = format!(
            "repo:{}:environment:{}",
            self.repository,
            environment.as_ref()
        );
        self.subjects.push(subject);
        self
    }

    /// The role's description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The longest session, 1 to 12 hours. Default: 1 hour.
    pub fn max_session_duration(mut self, duration: Duration) -> Self {
        self.max_session_duration = Some(duration);
        self
    }

    /// Adds the role under construct `id`; grant it what the workflows do.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Role {
        self.check(scope, id);
        // `sub` names the repository and the branch or environment exactly: a wildcard
        // would let any branch (or a fork's pull request) assume the role.
        let mut trust = PolicyStatement::allow()
            .action("sts:AssumeRoleWithWebIdentity")
            .principal(Principal::federated(self.provider.arn()))
            .condition("StringEquals", format!("{ISSUER}:aud"), AUDIENCE);
        for subject in &self.subjects {
            trust = trust.condition("StringEquals", format!("{ISSUER}:sub"), subject.as_str());
        }
        let mut role = Role::builder_with_trust(trust);
        if let Some(description) = self.description {
            role = role.description(description);
        }
        if let Some(duration) = self.max_session_duration {
            role = role.max_session_duration(duration);
        }
        role.build(scope, id)
    }

    fn check(&self, scope: &mut impl Scope, id: &str) {
        let mut problems = scope.problems_of(id);
        let parts: Vec<&str> = self.repository.split('/').collect();
        let valid_part = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        if parts.len() != 2 || !parts.iter().all(|part| valid_part(part)) {
            problems.error(
                "repository",
                quoted(&self.repository),
                "owner/name (letters, digits, - _ .), as GitHub writes it",
            );
        }
        if self.subjects.is_empty() {
            problems.error(
                "branch or environment",
                "none",
                "at least one branch or environment: a role that every workflow of the repository can assume (any branch, any pull request) is too wide",
            );
        }
        for subject in &self.subjects {
            if subject.contains('*') || subject.ends_with(':') || subject.ends_with('/') {
                problems.error(
                    "branch or environment",
                    quoted(subject),
                    "an exact branch or environment name (no wildcard, not empty)",
                );
            }
        }
    }
}

/// A role that GitHub Actions workflows assume through the account's OIDC provider.
///
/// ```
/// use construct_lib::App;
/// use construct_lib::iam::{GithubActionsRole, GithubOidcProvider, PolicyStatement};
/// let mut app = App::new();
/// let stack = app.stack("Ci");
/// let github = GithubOidcProvider::create(stack, "GitHub");
/// let deployer = GithubActionsRole::builder(&github, "example-org/web")
///     .environment("production")
///     .build(stack, "Deployer");
/// deployer.add_to_policy(stack, PolicyStatement::allow()
///     .action("ecs:DescribeServices")
///     .resource("arn:aws:ecs:eu-west-1:123456789012:service/web/api"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct GithubActionsRole;

impl GithubActionsRole {
    /// Settings for a role that workflows of `repository` (`owner/name`) assume through
    /// `provider`; name the branches or environments that may.
    pub fn builder(
        provider: &GithubOidcProvider,
        repository: impl Into<String>,
    ) -> GithubActionsRoleBuilder {
        GithubActionsRoleBuilder {
            provider: provider.clone(),
            repository: repository.into(),
            subjects: Vec::new(),
            description: None,
            max_session_duration: None,
        }
    }
}
