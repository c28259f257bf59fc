//! AWS Secrets Manager (L2): [`Secret`], generated here or referenced by name or ARN. The L1
//! types are in [`crate::cfn::secretsmanager`].

use cfn_l1::model::{ResourceRef, Value, fns};
use cfn_l1::secretsmanager as l1;

use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Role};

/// Settings of a new [`Secret`], whose value Secrets Manager generates.
#[derive(Clone, Debug)]
pub struct SecretBuilder {
    description: Option<String>,
    length: i64,
    exclude_punctuation: bool,
    json_key: Option<(String, String)>,
}

impl SecretBuilder {
    /// The description. Default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The generated password's length. Default: 32.
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
        let mut generate = l1::secret::GenerateSecretString::new()
            .password_length(self.length)
            .exclude_punctuation(self.exclude_punctuation);
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
            resource: Some(resource),
        }
    }
}

/// A secret: generated with [`Secret::builder`], or an existing one
/// ([`Secret::from_name`], [`Secret::from_arn`]).
#[derive(Clone, Debug)]
pub struct Secret {
    arn: Value<String>,
    resource: Option<ResourceRef<l1::Secret>>,
}

impl Secret {
    /// Settings for a secret with a generated 32-character password.
    pub fn builder() -> SecretBuilder {
        SecretBuilder {
            description: None,
            length: 32,
            exclude_punctuation: true,
            json_key: None,
        }
    }

    /// An existing secret by name. Its ARN ends in a random suffix, so the ARN used in
    /// grants matches any suffix (`name-??????`).
    ///
    /// ```
    /// use construct_lib::secretsmanager::Secret;
    /// let secret = Secret::from_name("web/db-password");
    /// let _arn = secret.arn();
    /// ```
    pub fn from_name(name: impl Into<String>) -> Self {
        Self {
            arn: fns::sub(format!(
                "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{}-??????",
                name.into()
            )),
            resource: None,
        }
    }

    /// An existing secret by its full ARN.
    pub fn from_arn(arn: impl Into<Value<String>>) -> Self {
        Self {
            arn: arn.into(),
            resource: None,
        }
    }

    /// The secret's ARN (for a secret referenced by name, a pattern for grants).
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// The L1 secret (`None` for an existing secret).
    pub fn resource(&self) -> Option<&ResourceRef<l1::Secret>> {
        self.resource.as_ref()
    }

    /// Lets `role` read the secret's value, and nothing else.
    pub fn grant_read(&self, scope: &mut impl Scope, role: &Role) {
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions([
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                ])
                .resource(self.arn()),
        );
    }
}
