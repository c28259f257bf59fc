//! Amazon S3 (L2): [`Bucket`] with secure defaults (public access blocked, encrypted,
//! TLS only) and grants scoped to a key prefix. The L1 types are in [`crate::cfn::s3`].

use cfn_l1::model::{ResourceRef, Value, fns};
use cfn_l1::s3 as l1;
use cfn_l1::s3::bucket::{
    AbortIncompleteMultipartUpload, BucketEncryption, LifecycleConfiguration,
    NoncurrentVersionExpiration, PublicAccessBlockConfiguration, Rule, RuleStatus, SSEAlgorithm,
    ServerSideEncryptionByDefault, ServerSideEncryptionRule, VersioningConfiguration,
};

use crate::Duration;
use crate::core::resource_options::RemovalPolicy;
use crate::core::scope::Scope;
use crate::iam::{PolicyDocument, PolicyStatement, Principal, Role};
use crate::problem::{Problems, quoted};

/// S3's naming rules for general purpose buckets, in words.
const BUCKET_NAME_RULE: &str = "3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, without `..`, not an IP address, not starting with xn-- or sthree- or ending with -s3alias or --ol-s3";

/// Whether `name` follows S3's naming rules for general purpose buckets.
fn is_bucket_name(name: &str) -> bool {
    let allowed = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    let edges = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let reserved = ["xn--", "sthree-"].iter().any(|p| name.starts_with(p))
        || ["-s3alias", "--ol-s3"].iter().any(|s| name.ends_with(s));
    (3..=63).contains(&name.len())
        && allowed
        && edges(name.chars().next())
        && edges(name.chars().last())
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !reserved
}

/// A lifecycle rule: what expires, and when.
///
/// ```
/// use construct_lib::Duration;
/// use construct_lib::s3::LifecycleRule;
/// let rule = LifecycleRule::prefix("tmp/").expire_after(Duration::days(7));
/// # let _ = rule;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifecycleRule {
    prefix: Option<String>,
    expiration: Option<Duration>,
    noncurrent_expiration: Option<Duration>,
}

impl LifecycleRule {
    /// A rule for every object.
    pub fn all_objects() -> Self {
        Self {
            prefix: None,
            expiration: None,
            noncurrent_expiration: None,
        }
    }

    /// A rule for the objects under `prefix` (`logs/`).
    pub fn prefix(prefix: impl Into<String>) -> Self {
        Self {
            prefix: Some(prefix.into()),
            ..Self::all_objects()
        }
    }

    /// Objects expire this long after creation, in whole days. Default: never.
    pub fn expire_after(mut self, age: Duration) -> Self {
        self.expiration = Some(age);
        self
    }

    /// Old versions expire this long after they become noncurrent, in whole days (for a
    /// versioned bucket). Default: never.
    pub fn expire_noncurrent_after(mut self, age: Duration) -> Self {
        self.noncurrent_expiration = Some(age);
        self
    }

    /// Reports what is wrong with rule `index` of a bucket.
    fn check(&self, index: usize, versioned: bool, problems: &mut Problems<'_>) {
        let setting = format!("lifecycle_rule[{index}]");
        if self.expiration.is_none() && self.noncurrent_expiration.is_none() {
            problems.error(
                &setting,
                "no expiration",
                "expire_after or expire_noncurrent_after",
            );
        }
        for (name, age) in [
            ("expire_after", self.expiration),
            ("expire_noncurrent_after", self.noncurrent_expiration),
        ] {
            if let Some(age) = age
                && (age.whole_days().is_none() || age < Duration::days(1))
            {
                problems.error(
                    &format!("{setting}.{name}"),
                    age,
                    "whole days, at least 1 day",
                );
            }
        }
        if let Some(age) = self.noncurrent_expiration {
            problems.requires(
                versioned,
                &format!("{setting}.expire_noncurrent_after"),
                age,
                "versioned(true)",
            );
        }
    }

    fn to_l1(&self, index: usize) -> Rule {
        let days = |age: Duration| i64::try_from(age.whole_days().unwrap_or(0)).unwrap_or(i64::MAX);
        let mut rule = Rule::new(RuleStatus::Enabled).id(format!("Rule{index}"));
        if let Some(prefix) = &self.prefix {
            rule = rule.prefix(prefix.as_str());
        }
        if let Some(age) = self.expiration {
            rule = rule.expiration_in_days(days(age));
        }
        if let Some(age) = self.noncurrent_expiration {
            rule = rule.noncurrent_version_expiration(NoncurrentVersionExpiration::new(days(age)));
        }
        rule
    }
}

/// Settings of a new [`Bucket`].
#[derive(Clone, Debug)]
pub struct BucketBuilder {
    name: Option<String>,
    versioned: bool,
    kms_key_arn: Option<Value<String>>,
    enforce_ssl: bool,
    lifecycle: Vec<LifecycleRule>,
    removal_policy: RemovalPolicy,
}

impl BucketBuilder {
    /// The bucket's name: S3's rules (3 to 63 lowercase letters, digits, dots and hyphens). Default:
    /// generated by CloudFormation (a fixed name blocks replacement and is global across accounts).
    pub fn bucket_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether objects keep their old versions. Default: `false`.
    pub fn versioned(mut self, versioned: bool) -> Self {
        self.versioned = versioned;
        self
    }

    /// Encrypts with this KMS key instead of S3-managed keys. Default: S3-managed (SSE-S3).
    pub fn kms_key(mut self, key_arn: impl Into<Value<String>>) -> Self {
        self.kms_key_arn = Some(key_arn.into());
        self
    }

    /// Whether a bucket policy refuses requests without TLS. Default: `true`.
    pub fn enforce_ssl(mut self, enforce: bool) -> Self {
        self.enforce_ssl = enforce;
        self
    }

    /// Adds a lifecycle rule. Default: none (incomplete multipart uploads are always
    /// aborted after 7 days).
    pub fn lifecycle_rule(mut self, rule: LifecycleRule) -> Self {
        self.lifecycle.push(rule);
        self
    }

    /// What happens to the bucket when it leaves the stack. Default:
    /// [`RemovalPolicy::Retain`] (data outlives the stack).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Adds the bucket under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Bucket {
        let mut scope = scope.scope(id);
        let mut problems = scope.problems();
        if let Some(name) = &self.name
            && !is_bucket_name(name)
        {
            problems.error("bucket_name", quoted(name), BUCKET_NAME_RULE);
        }
        for (index, rule) in self.lifecycle.iter().enumerate() {
            rule.check(index, self.versioned, &mut problems);
        }
        let resource = scope.add("Resource", self.to_l1());
        scope
            .resource_options(&resource)
            .removal_policy(self.removal_policy);
        let handle = Bucket {
            name: resource.ref_value(),
            arn: resource.attr_arn(),
            resource: Some(resource),
        };
        if self.enforce_ssl {
            scope.add(
                "Policy",
                l1::BucketPolicy::new(l1::bucket_policy::BucketPolicyRequired {
                    bucket: handle.name(),
                    policy_document: tls_only(&handle).to_value(),
                }),
            );
        }
        handle
    }

    fn to_l1(&self) -> l1::Bucket {
        let encryption = match &self.kms_key_arn {
            None => ServerSideEncryptionByDefault::new(SSEAlgorithm::Aes256),
            Some(key) => ServerSideEncryptionByDefault::new(SSEAlgorithm::AwsKms)
                .kms_master_key_id(key.clone()),
        };
        let mut rules = vec![
            Rule::new(RuleStatus::Enabled)
                .id("AbortIncompleteUploads")
                .abort_incomplete_multipart_upload(AbortIncompleteMultipartUpload::new(7)),
        ];
        rules.extend(
            self.lifecycle
                .iter()
                .enumerate()
                .map(|(i, rule)| rule.to_l1(i)),
        );
        let mut bucket = l1::Bucket::new()
            .bucket_encryption(BucketEncryption::new(vec![
                ServerSideEncryptionRule::new().server_side_encryption_by_default(encryption),
            ]))
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            )
            .lifecycle_configuration(LifecycleConfiguration::new(rules));
        if self.versioned {
            bucket = bucket.versioning_configuration(VersioningConfiguration::new(
                cfn_l1::s3::bucket::VersioningConfigurationStatus::Enabled,
            ));
        }
        if let Some(name) = &self.name {
            bucket = bucket.bucket_name(name.as_str());
        }
        bucket
    }
}

/// Refuses every request made without TLS.
fn tls_only(bucket: &Bucket) -> PolicyDocument {
    PolicyDocument::new().statement(
        PolicyStatement::deny()
            .sid("TlsOnly")
            .action("s3:*")
            .principal(Principal::Any)
            .resources([bucket.arn(), bucket.objects_arn("")])
            .condition("Bool", "aws:SecureTransport", "false"),
    )
}

/// A bucket: created with [`Bucket::builder`], or an existing one by name.
#[derive(Clone, Debug)]
pub struct Bucket {
    name: Value<String>,
    arn: Value<String>,
    resource: Option<ResourceRef<l1::Bucket>>,
}

impl Bucket {
    /// Settings for a new bucket: public access blocked, SSE-S3 encryption, TLS only,
    /// unversioned, kept when removed from the stack.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::iam::{Principal, Role};
    /// use construct_lib::s3::Bucket;
    /// let mut app = App::new();
    /// let stack = app.stack("Web");
    /// let bucket = Bucket::builder().versioned(true).build(stack, "Uploads");
    /// let role = Role::builder(Principal::service("ecs-tasks.amazonaws.com")).build(stack, "TaskRole");
    /// bucket.grant_read_write(stack, &role, Some("uploads/"));
    /// ```
    pub fn builder() -> BucketBuilder {
        BucketBuilder {
            name: None,
            versioned: false,
            kms_key_arn: None,
            enforce_ssl: true,
            lifecycle: Vec::new(),
            removal_policy: RemovalPolicy::Retain,
        }
    }

    /// An existing bucket by name.
    pub fn from_name(name: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            arn: fns::sub(format!("arn:${{AWS::Partition}}:s3:::{name}")),
            name: Value::from(name),
            resource: None,
        }
    }

    /// The bucket name.
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The bucket ARN.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The ARN of the objects under `prefix` (`""`: every object).
    pub fn objects_arn(&self, prefix: &str) -> Value<String> {
        fns::join("", vec![self.arn(), Value::from(format!("/{prefix}*"))])
    }

    /// The L1 bucket (`None` for an existing bucket).
    pub fn resource(&self) -> Option<&ResourceRef<l1::Bucket>> {
        self.resource.as_ref()
    }

    /// Lets `role` read objects under `prefix` (`None`: all) and list them.
    pub fn grant_read(&self, scope: &mut impl Scope, role: &Role, prefix: Option<&str>) {
        self.grant_objects(scope, role, prefix, &["s3:GetObject"]);
        self.grant_list(scope, role, prefix);
    }

    /// Lets `role` put objects under `prefix` (`None`: anywhere), and nothing else.
    pub fn grant_put(&self, scope: &mut impl Scope, role: &Role, prefix: Option<&str>) {
        self.grant_objects(
            scope,
            role,
            prefix,
            &["s3:PutObject", "s3:AbortMultipartUpload"],
        );
    }

    /// Lets `role` get and put objects under `prefix`, and nothing else (no list, no delete).
    pub fn grant_get_put(&self, scope: &mut impl Scope, role: &Role, prefix: Option<&str>) {
        self.grant_objects(scope, role, prefix, &["s3:GetObject", "s3:PutObject"]);
    }

    /// Lets `role` get, put and delete objects under `prefix` and list them.
    pub fn grant_read_write(&self, scope: &mut impl Scope, role: &Role, prefix: Option<&str>) {
        self.grant_objects(
            scope,
            role,
            prefix,
            &[
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:AbortMultipartUpload",
            ],
        );
        self.grant_list(scope, role, prefix);
    }

    fn grant_objects(
        &self,
        scope: &mut impl Scope,
        role: &Role,
        prefix: Option<&str>,
        actions: &[&str],
    ) {
        if let Some(prefix) = prefix.filter(|p| p.contains('*')) {
            scope.problems().error(
                "grant prefix",
                crate::problem::quoted(prefix),
                "a key prefix without wildcards (`uploads/`): the grant adds the `*` itself",
            );
        }
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions(actions.iter().copied())
                .resource(self.objects_arn(prefix.unwrap_or(""))),
        );
    }

    fn grant_list(&self, scope: &mut impl Scope, role: &Role, prefix: Option<&str>) {
        let mut statement = PolicyStatement::allow()
            .action("s3:ListBucket")
            .resource(self.arn());
        if let Some(prefix) = prefix {
            statement = statement.condition("StringLike", "s3:prefix", format!("{prefix}*"));
        }
        role.add_to_policy(scope, statement);
    }
}
