//! AWS Systems Manager Parameter Store (L2): references to existing parameters, for
//! containers' secrets and settings. The L1 types are in [`crate::cfn::ssm`].

use cfn_l1::model::{Value, fns};

use crate::core::scope::Scope;
use crate::iam::{PolicyStatement, Role};
use crate::problem::{LateProblem, NameRule};

/// A parameter's name: what Parameter Store accepts (a path of letters, digits, `_.-`).
const PARAMETER_NAME: NameRule = NameRule {
    min_len: 1,
    max_len: 2048,
    allowed: |c| c.is_ascii_alphanumeric() || "_.-/".contains(c),
    first: None,
    description: "a parameter name: letters, digits and _.-/ (/web/api-key), not an ARN",
};

/// An existing parameter (`String`, `StringList` or `SecureString`), by name.
#[derive(Clone, Debug, PartialEq)]
pub struct StringParameter {
    name: String,
    /// What is wrong with the name, reported where the parameter is used.
    mistake: Option<LateProblem>,
}

impl StringParameter {
    /// The parameter called `name` (`/web/api-key` or `web-api-key`).
    ///
    /// ```
    /// use construct_lib::ssm::StringParameter;
    /// let key = StringParameter::from_name("/web/api-key");
    /// assert_eq!(key.name(), "/web/api-key");
    /// ```
    pub fn from_name(name: impl Into<String>) -> Self {
        let name = name.into();
        let mistake =
            LateProblem::unless_name("StringParameter::from_name", &name, &PARAMETER_NAME);
        Self { name, mistake }
    }

    /// The parameter's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameter's ARN (a path name's leading `/` is not doubled).
    pub fn arn(&self) -> Value<String> {
        fns::sub(format!(
            "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{}",
            self.name.trim_start_matches('/')
        ))
    }

    /// Lets `role` read the parameter, and nothing else. (A `SecureString` encrypted with a
    /// customer key also needs `kms:Decrypt` on that key.) A name that cannot be one is
    /// reported here, at `scope`'s path.
    pub fn grant_read(&self, scope: &mut impl Scope, role: &Role) {
        if let Some(mistake) = &self.mistake {
            mistake.report(&mut scope.problems());
        }
        role.add_to_policy(
            scope,
            PolicyStatement::allow()
                .actions(["ssm:GetParameters", "ssm:GetParameter"])
                .resource(self.arn()),
        );
    }
}
