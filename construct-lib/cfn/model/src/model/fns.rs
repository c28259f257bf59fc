//! CloudFormation's intrinsic functions, pseudo parameters and dynamic references, typed.
//!
//! ```
//! use cfn_l1_model::model::{fns, Value, ListValue};
//! let zones: ListValue<String> = fns::get_azs("");
//! let first: Value<String> = fns::select(0, zones);
//! let arn = fns::sub("arn:${AWS::Partition}:s3:::my-bucket/*");
//! # let _ = (first, arn);
//! ```

use std::collections::BTreeMap;

use super::expr::{Expr, Pseudo, RefTarget};
use super::ids::ConditionId;
use super::value::{ListValue, Value};

fn boxed<T>(value: Value<T>) -> Box<Expr> {
    Box::new(value.into_expr())
}

/// `Fn::Sub` of a string that uses only pseudo parameters and template element names.
pub fn sub(template: impl Into<String>) -> Value<String> {
    Value::from_expr(Expr::Sub(template.into(), BTreeMap::new()))
}

/// `Fn::Sub` with variables: each `${name}` in `template` is replaced by its value.
///
/// ```
/// use cfn_l1_model::model::{fns, Value};
/// let bucket: Value<String> = "my-bucket".into();
/// let arn = fns::sub_with("arn:${AWS::Partition}:s3:::${Bucket}/*", [("Bucket", bucket)]);
/// # let _ = arn;
/// ```
pub fn sub_with<K: Into<String>>(
    template: impl Into<String>,
    variables: impl IntoIterator<Item = (K, Value<String>)>,
) -> Value<String> {
    let variables = variables
        .into_iter()
        .map(|(k, v)| (k.into(), v.into_expr()))
        .collect();
    Value::from_expr(Expr::Sub(template.into(), variables))
}

/// `Fn::Join`: the elements of `list` joined by `delimiter`.
pub fn join(delimiter: impl Into<String>, list: impl Into<ListValue<String>>) -> Value<String> {
    Value::from_expr(Expr::Join(delimiter.into(), boxed(list.into())))
}

/// `Fn::Select`: the element at `index` of `list`.
pub fn select<T>(index: impl Into<Value<i64>>, list: impl Into<ListValue<T>>) -> Value<T> {
    Value::from_expr(Expr::Select(boxed(index.into()), boxed(list.into())))
}

/// `Fn::Split`: `source` split at each `delimiter`.
pub fn split(delimiter: impl Into<String>, source: impl Into<Value<String>>) -> ListValue<String> {
    Value::from_expr(Expr::Split(delimiter.into(), boxed(source.into())))
}

/// `Fn::GetAZs`: the availability zones of `region` (`""` for the stack's region).
pub fn get_azs(region: impl Into<Value<String>>) -> ListValue<String> {
    Value::from_expr(Expr::GetAzs(boxed(region.into())))
}

/// `Fn::If`: `when_true` if the condition holds, else `when_false`.
pub fn if_<T>(
    condition: impl Into<ConditionId>,
    when_true: impl Into<Value<T>>,
    when_false: impl Into<Value<T>>,
) -> Value<T> {
    Value::from_expr(Expr::If(
        condition.into(),
        boxed(when_true.into()),
        boxed(when_false.into()),
    ))
}

/// `Fn::ImportValue`: the value another stack exports under `export_name`.
///
/// References between stacks of the same app need no explicit import: using a value of one
/// stack in another makes the export and the import at synthesis.
pub fn import_value<T>(export_name: impl Into<Value<String>>) -> Value<T> {
    Value::from_expr(Expr::ImportValue(boxed(export_name.into())))
}

/// `Fn::Base64`: `value` encoded in base64 (user data).
pub fn base64(value: impl Into<Value<String>>) -> Value<String> {
    Value::from_expr(Expr::Base64(boxed(value.into())))
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved out of `ip_block`.
pub fn cidr(
    ip_block: impl Into<Value<String>>,
    count: impl Into<Value<i64>>,
    cidr_bits: impl Into<Value<i64>>,
) -> ListValue<String> {
    Value::from_expr(Expr::Cidr(
        boxed(ip_block.into()),
        boxed(count.into()),
        boxed(cidr_bits.into()),
    ))
}

fn pseudo<T>(p: Pseudo) -> Value<T> {
    Value::from_expr(Expr::Ref(RefTarget::Pseudo(p)))
}

/// `AWS::AccountId`.
pub fn account_id() -> Value<String> {
    pseudo(Pseudo::AccountId)
}

/// `AWS::Region`.
pub fn region() -> Value<String> {
    pseudo(Pseudo::Region)
}

/// `AWS::Partition`.
pub fn partition() -> Value<String> {
    pseudo(Pseudo::Partition)
}

/// `AWS::StackName`.
pub fn stack_name() -> Value<String> {
    pseudo(Pseudo::StackName)
}

/// `AWS::StackId`.
pub fn stack_id() -> Value<String> {
    pseudo(Pseudo::StackId)
}

/// `AWS::URLSuffix`.
pub fn url_suffix() -> Value<String> {
    pseudo(Pseudo::UrlSuffix)
}

/// `AWS::NotificationARNs`.
pub fn notification_arns() -> ListValue<String> {
    pseudo(Pseudo::NotificationArns)
}

/// Dynamic references (`{{resolve:...}}`): values CloudFormation reads from Secrets Manager or
/// Systems Manager at deploy time, so that secrets never appear in the template.
pub mod dynamic {
    use super::Value;

    /// `{{resolve:ssm:NAME}}` (or `NAME:VERSION`): a plain SSM parameter.
    pub fn ssm(parameter_name: &str, version: Option<u32>) -> Value<String> {
        let version = version.map(|v| format!(":{v}")).unwrap_or_default();
        format!("{{{{resolve:ssm:{parameter_name}{version}}}}}").into()
    }

    /// `{{resolve:ssm-secure:NAME}}` (or `NAME:VERSION`): a SecureString SSM parameter (only
    /// some resource properties accept it).
    pub fn ssm_secure(parameter_name: &str, version: Option<u32>) -> Value<String> {
        let version = version.map(|v| format!(":{v}")).unwrap_or_default();
        format!("{{{{resolve:ssm-secure:{parameter_name}{version}}}}}").into()
    }

    /// `{{resolve:secretsmanager:SECRET:SecretString:JSON_KEY::}}`: a secret, or one JSON key
    /// of it, at its current version.
    pub fn secrets_manager(secret_id: &str, json_key: Option<&str>) -> Value<String> {
        match json_key {
            Some(key) => {
                format!("{{{{resolve:secretsmanager:{secret_id}:SecretString:{key}::}}}}").into()
            }
            None => format!("{{{{resolve:secretsmanager:{secret_id}}}}}").into(),
        }
    }
}
