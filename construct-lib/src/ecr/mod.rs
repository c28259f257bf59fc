//! Amazon ECR (L2): [`Repository`] with scan on push, immutable tags and encryption on by
//! default, typed [`LifecycleRule`]s rendered to ECR's policy text, and `grant_pull`. A
//! container uses it with `ContainerImage::from_ecr_repository(&repository, tag)`, which
//! grants the pull to the task's execution role. The L1 types are in [`crate::cfn::ecr`].

use cfn_l1::ecr as l1;
use cfn_l1::ecr::repository::{
    EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
    LifecyclePolicy,
};
use cfn_l1::model::{ResourceRef, Value};
use serde_json::json;

use crate::core::resource_options::RemovalPolicy;
use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Role};
use crate::kms::Key;
use crate::problem::{NameRule, Problems};

/// A repository's name: lowercase letters, digits and `._-/`, 2 to 256 characters.
const REPOSITORY_NAME: NameRule = NameRule {
    min_len: 2,
    max_len: 256,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c),
    first: Some(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
    description: "2 to 256 lowercase letters, digits and ._-/, starting with a letter or digit",
};

/// Which images a lifecycle rule looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
enum TagSelection {
    Any,
    Untagged,
    Tagged(Vec<String>),
}

/// When a lifecycle rule expires images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expiry {
    /// All but the newest `n` images.
    MoreThan(u32),
    /// Images pushed more than `n` days ago.
    OlderThanDays(u32),
}

/// An image lifecycle rule. Rules are evaluated by priority (lowest first); a rule over
/// every image ([`LifecycleRule::keep_last_images`]) must come last.
///
/// ```
/// use construct_lib::ecr::LifecycleRule;
/// let rules = [
///     LifecycleRule::expire_untagged_after_days(7),
///     LifecycleRule::keep_last_tagged(["release-"], 50),
///     LifecycleRule::keep_last_images(200),
/// ];
/// # let _ = rules;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifecycleRule {
    selection: TagSelection,
    expiry: Expiry,
    priority: Option<u32>,
    description: Option<String>,
}

impl LifecycleRule {
    /// Keeps the newest `count` images, tagged or not, and expires the rest.
    pub fn keep_last_images(count: u32) -> Self {
        Self::new(TagSelection::Any, Expiry::MoreThan(count))
    }

    /// Expires untagged images `days` after their push.
    pub fn expire_untagged_after_days(days: u32) -> Self {
        Self::new(TagSelection::Untagged, Expiry::OlderThanDays(days))
    }

    /// Keeps the newest `count` images with a tag starting with one of `prefixes`.
    pub fn keep_last_tagged<S: Into<String>>(
        prefixes: impl IntoIterator<Item = S>,
        count: u32,
    ) -> Self {
        Self::new(
            TagSelection::Tagged(prefixes.into_iter().map(Into::into).collect()),
            Expiry::MoreThan(count),
        )
    }

    /// Expires images with a tag starting with one of `prefixes` `days` after their push.
    pub fn expire_tagged_after_days<S: Into<String>>(
        prefixes: impl IntoIterator<Item = S>,
        days: u32,
    ) -> Self {
        Self::new(
            TagSelection::Tagged(prefixes.into_iter().map(Into::into).collect()),
            Expiry::OlderThanDays(days),
        )
    }

    fn new(selection: TagSelection, expiry: Expiry) -> Self {
        Self {
            selection,
            expiry,
            priority: None,
            description: None,
        }
    }

    /// The rule's priority, unique in the repository (lowest first). Default: after the
    /// rules with a priority, in the order added, with a rule over every image last.
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = Some(priority);
        self
    }

    /// The description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    fn check(&self, index: usize, problems: &mut Problems<'_>) {
        let setting = format!("lifecycle_rule[{index}]");
        let count = match self.expiry {
            Expiry::MoreThan(count) | Expiry::OlderThanDays(count) => count,
        };
        problems.range(&format!("{setting}.count"), count, 1..=u32::MAX, "");
        if let TagSelection::Tagged(prefixes) = &self.selection
            && (prefixes.is_empty() || prefixes.iter().any(String::is_empty))
        {
            problems.error(
                &format!("{setting}.tag_prefixes"),
                format!("{prefixes:?}"),
                "at least one non-empty tag prefix",
            );
        }
        if self.priority == Some(0) {
            problems.error(&format!("{setting}.priority"), 0, "1 or more");
        }
    }

    fn to_json(&self, priority: u32) -> serde_json::Value {
        let mut selection = serde_json::Map::new();
        let status = match &self.selection {
            TagSelection::Any => "any",
            TagSelection::Untagged => "untagged",
            TagSelection::Tagged(prefixes) => {
                selection.insert("tagPrefixList".into(), json!(prefixes));
                "tagged"
            }
        };
        selection.insert("tagStatus".into(), json!(status));
        match self.expiry {
            Expiry::MoreThan(count) => {
                selection.insert("countType".into(), json!("imageCountMoreThan"));
                selection.insert("countNumber".into(), json!(count));
            }
            Expiry::OlderThanDays(days) => {
                selection.insert("countType".into(), json!("sinceImagePushed"));
                selection.insert("countUnit".into(), json!("days"));
                selection.insert("countNumber".into(), json!(days));
            }
        }
        let mut rule = json!({
            "rulePriority": priority,
            "selection": selection,
            "action": {"type": "expire"},
        });
        if let Some(description) = &self.description {
            rule["description"] = json!(description);
        }
        rule
    }
}

/// The policy text for `rules`: explicit priorities kept, the others numbered after the
/// highest one in the order given, with rules over every image moved last (ECR requires
/// the `any` rule to have the highest priority).
fn lifecycle_policy_text(rules: &[LifecycleRule]) -> String {
    let mut next = rules.iter().filter_map(|r| r.priority).max().unwrap_or(0);
    let mut ordered: Vec<&LifecycleRule> = rules
        .iter()
        .filter(|r| r.selection != TagSelection::Any)
        .collect();
    ordered.extend(rules.iter().filter(|r| r.selection == TagSelection::Any));
    let mut numbered: Vec<(u32, &LifecycleRule)> = ordered
        .into_iter()
        .map(|rule| {
            let priority = rule.priority.unwrap_or_else(|| {
                next += 1;
                next
            });
            (priority, rule)
        })
        .collect();
    numbered.sort_by_key(|(priority, _)| *priority);
    let rules: Vec<serde_json::Value> = numbered.iter().map(|(p, rule)| rule.to_json(*p)).collect();
    json!({ "rules": rules }).to_string()
}

/// Checks the rules together: unique priorities, and a rule over every image last.
fn check_rules(rules: &[LifecycleRule], problems: &mut Problems<'_>) {
    for (index, rule) in rules.iter().enumerate() {
        rule.check(index, problems);
        if let Some(priority) = rule.priority
            && rules[..index].iter().any(|r| r.priority == Some(priority))
        {
            problems.error(
                &format!("lifecycle_rule[{index}].priority"),
                priority,
                "a priority no other rule of the repository has",
            );
        }
    }
    let any_rules: Vec<&LifecycleRule> = rules
        .iter()
        .filter(|r| r.selection == TagSelection::Any)
        .collect();
    if any_rules.len() > 1 {
        problems.error(
            "lifecycle_rule",
            format!("{} rules over every image", any_rules.len()),
            "at most one keep_last_images rule",
        );
    }
    if let Some(any_priority) = any_rules.first().and_then(|r| r.priority)
        && let Some(higher) = rules
            .iter()
            .filter(|r| r.selection != TagSelection::Any)
            .filter_map(|r| r.priority)
            .find(|p| *p >= any_priority)
    {
        problems.error(
            "lifecycle_rule",
            format!("keep_last_images at priority {any_priority}, another rule at {higher}"),
            "the rule over every image last, with the highest priority (ECR evaluates it last)",
        );
    }
}

/// How a repository's images are encrypted at rest (fixed when the repository is created).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum RepositoryEncryption {
    /// AES-256 with keys ECR manages: this library's default before rule ECR3 (keep it for
    /// a repository created with that default: changing the encryption replaces the
    /// repository, and a retained old repository keeps the images).
    Aes256,
    /// KMS with AWS's managed key for ECR (`aws/ecr`): no charge for the key, each use
    /// recorded in CloudTrail; pulls need no key permission, whoever deletes the
    /// repository needs `kms:RetireGrant`.
    #[default]
    AwsManagedKms,
    /// KMS with this customer managed key, whose policy must let the pulling roles decrypt.
    Kms(Key),
}

/// Settings of a new [`Repository`].
#[derive(Clone, Debug)]
pub struct RepositoryBuilder {
    name: Option<String>,
    scan_on_push: bool,
    immutable_tags: bool,
    encryption: RepositoryEncryption,
    lifecycle: Vec<LifecycleRule>,
    removal_policy: RemovalPolicy,
    empty_on_delete: bool,
}

impl RepositoryBuilder {
    /// The repository's name (`gitana/api`). Default: generated by CloudFormation.
    pub fn repository_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether every pushed image is scanned for vulnerabilities. Default: `true`.
    pub fn scan_on_push(mut self, scan: bool) -> Self {
        self.scan_on_push = scan;
        self
    }

    /// Whether a tag, once pushed, can never point at another image (deployments then run
    /// exactly the image that was tested). Default: `true`.
    pub fn immutable_tags(mut self, immutable: bool) -> Self {
        self.immutable_tags = immutable;
        self
    }

    /// Encrypts images with this customer managed key: shorthand for
    /// `encryption(RepositoryEncryption::Kms(key.clone()))`.
    pub fn encryption_key(mut self, key: &Key) -> Self {
        self.encryption = RepositoryEncryption::Kms(key.clone());
        self
    }

    /// How images are encrypted at rest. Default:
    /// [`RepositoryEncryption::AwsManagedKms`] (it was AES-256 before; see there). Fixed at
    /// creation: changing it replaces the repository, images and all.
    pub fn encryption(mut self, encryption: RepositoryEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Adds a lifecycle rule. Default: none (images are kept forever).
    pub fn lifecycle_rule(mut self, rule: LifecycleRule) -> Self {
        self.lifecycle.push(rule);
        self
    }

    /// What happens to the repository when it leaves the stack. Default:
    /// [`RemovalPolicy::Retain`]. With `Delete`, see [`RepositoryBuilder::empty_on_delete`].
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Whether deleting the repository deletes its images too (otherwise a repository with
    /// images cannot be deleted). Default: `false`.
    pub fn empty_on_delete(mut self, empty: bool) -> Self {
        self.empty_on_delete = empty;
        self
    }

    /// Adds the repository under construct `id` of `scope`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ecr::{LifecycleRule, Repository};
    /// let mut app = App::new();
    /// let stack = app.stack("Images");
    /// let repository = Repository::builder()
    ///     .lifecycle_rule(LifecycleRule::expire_untagged_after_days(7))
    ///     .lifecycle_rule(LifecycleRule::keep_last_images(100))
    ///     .build(stack, "Api");
    /// # let _ = repository;
    /// ```
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Repository {
        let mut scope = scope.scope(id);
        {
            let mut problems = scope.problems();
            if let Some(name) = &self.name {
                problems.name("repository_name", name, &REPOSITORY_NAME);
            }
            check_rules(&self.lifecycle, &mut problems);
            if self.empty_on_delete {
                problems.requires(
                    self.removal_policy == RemovalPolicy::Delete,
                    "empty_on_delete",
                    true,
                    "removal_policy(RemovalPolicy::Delete)",
                );
            }
        }
        let resource = scope.add("Resource", self.to_l1());
        scope
            .resource_options(&resource)
            .removal_policy(self.removal_policy);
        Repository {
            arn: resource.attr_arn(),
            name: resource.ref_value(),
            uri: resource.attr_repository_uri(),
            resource: Some(resource),
        }
    }

    fn to_l1(&self) -> l1::Repository {
        let encryption = match &self.encryption {
            RepositoryEncryption::Aes256 => EncryptionConfiguration::new(EncryptionType::Aes256),
            // With no key named, ECR uses its AWS managed key.
            RepositoryEncryption::AwsManagedKms => {
                EncryptionConfiguration::new(EncryptionType::Kms)
            }
            RepositoryEncryption::Kms(key) => {
                EncryptionConfiguration::new(EncryptionType::Kms).kms_key(key.arn())
            }
        };
        let mut repository = l1::Repository::new()
            .image_scanning_configuration(
                ImageScanningConfiguration::new().scan_on_push(self.scan_on_push),
            )
            .image_tag_mutability(if self.immutable_tags {
                ImageTagMutability::Immutable
            } else {
                ImageTagMutability::Mutable
            })
            .encryption_configuration(encryption);
        if let Some(name) = &self.name {
            repository = repository.repository_name(name.as_str());
        }
        if !self.lifecycle.is_empty() {
            repository = repository.lifecycle_policy(
                LifecyclePolicy::new()
                    .lifecycle_policy_text(lifecycle_policy_text(&self.lifecycle)),
            );
        }
        if self.empty_on_delete {
            repository = repository.empty_on_delete(true);
        }
        repository
    }
}

/// An ECR repository: created with [`Repository::builder`], or an existing one by name.
#[derive(Clone, Debug)]
pub struct Repository {
    arn: Value<String>,
    name: Value<String>,
    uri: Value<String>,
    resource: Option<ResourceRef<l1::Repository>>,
}

impl Repository {
    /// Settings for a new repository: scan on push, immutable tags, KMS with AWS's managed
    /// key, no lifecycle rules, kept when removed from the stack.
    pub fn builder() -> RepositoryBuilder {
        RepositoryBuilder {
            name: None,
            scan_on_push: true,
            immutable_tags: true,
            encryption: RepositoryEncryption::AwsManagedKms,
            lifecycle: Vec::new(),
            removal_policy: RemovalPolicy::Retain,
            empty_on_delete: false,
        }
    }

    /// An existing repository of this account and region, by name.
    pub fn from_name(name: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            arn: cfn_l1::model::fns::sub(format!(
                "arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{name}"
            )),
            uri: cfn_l1::model::fns::sub(format!(
                "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/{name}"
            )),
            name: Value::from(name),
            resource: None,
        }
    }

    /// The repository's ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The repository's name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The repository's URI (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/gitana/api`).
    pub fn uri(&self) -> Value<String> {
        self.uri.clone()
    }

    /// The L1 repository (`None` for an existing one).
    pub fn resource(&self) -> Option<&ResourceRef<l1::Repository>> {
        self.resource.as_ref()
    }

    /// Lets `role` pull images from this repository (and get the registry token, which has
    /// no resource to scope it to).
    pub fn grant_pull(&self, scope: &mut impl Scope, role: &Role) {
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                ])
                .resource(self.arn()),
        );
        grant_authorization_token(scope, role);
    }

    /// Lets `role` push images to (and pull from) this repository, and see which tags it
    /// holds (`DescribeImages`, so that CI can skip a push of an immutable tag).
    pub fn grant_pull_push(&self, scope: &mut impl Scope, role: &Role) {
        self.grant_pull(scope, role);
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "ecr:DescribeImages",
                    "ecr:PutImage",
                    "ecr:InitiateLayerUpload",
                    "ecr:UploadLayerPart",
                    "ecr:CompleteLayerUpload",
                ])
                .resource(self.arn()),
        );
    }
}

/// `ecr:GetAuthorizationToken` on `*`: the token is per registry, not per repository.
pub(crate) fn grant_authorization_token(scope: &mut impl Scope, role: &Role) {
    role.add_to_policy(
        scope,
        PolicyStatement::allow()
            .action("ecr:GetAuthorizationToken")
            .resource("*"),
    );
}
