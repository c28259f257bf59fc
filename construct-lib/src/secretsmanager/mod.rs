//! AWS Secrets Manager (L2): [`Secret`], generated here or referenced by name or ARN. The L1
//! types are in [`crate::cfn::secretsmanager`].

use cfn_l1::model::{ResourceRef, Value, fns};
use cfn_l1::secretsmanager as l1;

use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Role};
use crate::problem::{LateProblem, NameRule};

/// A secret's name: what Secrets Manager accepts.
const SECRET_NAME: NameRule = NameRule {
    min_len: 1,
    max_len: 512,
    allowed: |c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c),
    first: None,
    description: "a secret name: 1 to 512 letters, digits and /_+=.@- (for an ARN, use Secret::from_arn)",
};

/// Settings of a new [`Secret`], whose value Secrets Manager generates.
#[derive(Clone, Debug)]
pub struct SecretBuilder {
    description: Option<String>,
    length: i64,
    exclude_punctuation: bool,
    exclude_characters: Option<String>,
    require_each_type: bool,
    json_key: Option<(String, String)>,
}

impl SecretBuilder {
    /// The description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The generated password's length, 1 to 4,096 characters. Default: 32.
    pub fn password_length(mut self, length: i64) -> Self {
        self.length = length;
        self
    }

    /// Whether punctuation is left out of the password (some clients mishandle it).
    /// Default: `true`.
    pub fn exclude_punctuation(mut self, exclude: bool) -> Self {
        self.exclude_punctuation = exclude;
        self
    }

    /// Characters the password never contains (`"@/` for a database that refuses them).
    /// Default: none beyond [`SecretBuilder::exclude_punctuation`].
    pub fn exclude_characters(mut self, characters: impl Into<String>) -> Self {
        self.exclude_characters = Some(characters.into());
        self
    }

    /// Whether the password holds at least one character of every included type
    /// (uppercase, lowercase, digit, and punctuation unless excluded), as services with a
    /// password policy require. Default: `true`.
    pub fn require_each_included_type(mut self, require: bool) -> Self {
        self.require_each_type = require;
        self
    }

    /// Generates a JSON secret: `template` (`{"username":"app"}`) with the password under
    /// `key`. Default: the password alone.
    pub fn json_with_password(
        mut self,
        template: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        self.json_key = Some((template.into(), key.into()));
        self
    }

    /// Adds the secret under construct `id` of `scope`.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> Secret {
        let mut scope = scope.scope(id);
        scope
            .problems()
            .range("password_length", self.length, 1..=4096, "characters");
        let mut generate = l1::secret::GenerateSecretString::new()
            .password_length(self.length)
            .exclude_punctuation(self.exclude_punctuation)
            .require_each_included_type(self.require_each_type);
        if let Some(characters) = self.exclude_characters {
            generate = generate.exclude_characters(characters);
        }
        if let Some((template, key)) = self.json_key {
            generate = generate
                .secret_string_template(template)
                .generate_string_key(key);
        }
        let mut secret = l1::Secret::new().generate_secret_string(generate);
        if let Some(description) = self.description {
            secret = secret.description(description);
        }
        let resource = scope.add("Resource", secret);
        Secret {
            arn: resource.ref_value(),
            policy_arn: resource.ref_value(),
            resource: Some(resource),
            mistake: None,
        }
    }
}

/// A secret: generated with [`Secret::builder`], or an existing one
/// ([`Secret::from_name`], [`Secret::from_arn`]).
#[derive(Clone, Debug)]
pub struct Secret {
    /// What references it: the full ARN, or the ARN without its random suffix.
    arn: Value<String>,
    /// What IAM statements name: the full ARN, or the ARN with a wildcard suffix.
    policy_arn: Value<String>,
    resource: Option<ResourceRef<l1::Secret>>,
    /// What is wrong with the name or ARN it was made from, reported where it is used.
    mistake: Option<LateProblem>,
}

impl Secret {
    /// Settings for a secret with a generated 32-character password.
    pub fn builder() -> SecretBuilder {
        SecretBuilder {
            description: None,
            length: 32,
            exclude_punctuation: true,
            exclude_characters: None,
            require_each_type: true,
            json_key: None,
        }
    }

    /// A secret this library created, referenced as `arn` (the secret's own ARN, or the
    /// ARN a target attachment returns once it has written the target's details).
    pub(crate) fn created(arn: Value<String>, resource: ResourceRef<l1::Secret>) -> Self {
        Self {
            policy_arn: arn.clone(),
            arn,
            resource: Some(resource),
            mistake: None,
        }
    }

    /// An existing secret of this account and region, by name.
    ///
    /// A secret's ARN ends in a random suffix that its name does not give. References
    /// ([`Secret::arn`], what containers receive) use the ARN without the suffix, which
    /// Secrets Manager resolves; grants ([`Secret::policy_arn`]) match any suffix
    /// (`name-??????`), a wildcard that is valid in IAM policies only.
    ///
    /// ```
    /// use construct_lib::secretsmanager::Secret;
    /// use construct_lib::cfn::model::fns;
    /// let secret = Secret::from_name("web/db-password");
    /// assert_eq!(secret.arn(), fns::sub("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/db-password"));
    /// assert_eq!(secret.policy_arn(), fns::sub("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:web/db-password-??????"));
    /// ```
    pub fn from_name(name: impl Into<String>) -> Self {
        let name = name.into();
        let partial = format!(
            "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{name}"
        );
        Self {
            policy_arn: fns::sub(format!("{partial}-??????")),
            arn: fns::sub(partial),
            resource: None,
            mistake: LateProblem::unless_name("Secret::from_name", &name, &SECRET_NAME),
        }
    }

    /// An existing secret by its full ARN (with the random suffix).
    pub fn from_arn(arn: impl Into<Value<String>>) -> Self {
        let arn = arn.into();
        let mistake = arn
            .as_literal_str()
            .filter(|text| !(text.starts_with("arn:") && text.contains(":secretsmanager:")))
            .map(|text| {
                LateProblem::new(
                    "Secret::from_arn",
                    text,
                    "a Secrets Manager ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX); for a name, use Secret::from_name",
                )
            });
        Self {
            policy_arn: arn.clone(),
            arn,
            resource: None,
            mistake,
        }
    }

    /// The secret's ARN, to reference it (a container's `ValueFrom`, an application's
    /// setting): the full ARN, or for a secret known by name, its ARN without the random
    /// suffix.
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The ARN IAM statements name: the full ARN, or for a secret known by name, its ARN
    /// with a `-??????` wildcard for the random suffix. Never a reference: the wildcard
    /// resolves nowhere else.
    pub fn policy_arn(&self) -> Value<String> {
        self.policy_arn.clone()
    }

    /// A dynamic reference to field `field` of this JSON secret
    /// (`{{resolve:secretsmanager:ARN:SecretString:password::}}`), for a property that
    /// takes the secret's value at deploy (a database's master password) without the value
    /// ever being in the template.
    pub fn resolve_field(&self, field: &str) -> Value<String> {
        resolve_field(self.arn(), field)
    }

    /// The L1 secret (`None` for an existing secret).
    pub fn resource(&self) -> Option<&ResourceRef<l1::Secret>> {
        self.resource.as_ref()
    }

    /// Lets `role` read the secret's value, and nothing else. A secret made from a name or
    /// ARN that cannot be one is reported here, at `scope`'s path.
    pub fn grant_read(&self, scope: &mut impl Scope, role: &Role) {
        if let Some(mistake) = &self.mistake {
            mistake.report(&mut scope.problems());
        }
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                ])
                .resource(self.policy_arn()),
        );
    }
}

/// `{{resolve:secretsmanager:<secret>:SecretString:<field>::}}` of the secret `secret`
/// (its ARN or `Ref`).
pub(crate) fn resolve_field(secret: Value<String>, field: &str) -> Value<String> {
    fns::join(
        "",
        vec![
            Value::from("{{resolve:secretsmanager:"),
            secret,
            Value::from(format!(":SecretString:{field}::}}}}")),
        ],
    )
}
