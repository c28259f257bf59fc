//! Template parameters: typed, with their constraints.

use std::marker::PhantomData;

use cfn_l1::model::{Expr, ParameterId, RefTarget, Value};

use crate::problem::{Problems, quoted};

/// AWS-specific parameter types: CloudFormation checks that the value names an existing
/// resource of the type in the account.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AwsParameterType {
    /// `AWS::EC2::AvailabilityZone::Name`
    AvailabilityZoneName,
    /// `AWS::EC2::Image::Id`
    ImageId,
    /// `AWS::EC2::Instance::Id`
    InstanceId,
    /// `AWS::EC2::KeyPair::KeyName`
    KeyPairName,
    /// `AWS::EC2::SecurityGroup::GroupName`
    SecurityGroupName,
    /// `AWS::EC2::SecurityGroup::Id`
    SecurityGroupId,
    /// `AWS::EC2::Subnet::Id`
    SubnetId,
    /// `AWS::EC2::Volume::Id`
    VolumeId,
    /// `AWS::EC2::VPC::Id`
    VpcId,
    /// `AWS::Route53::HostedZone::Id`
    HostedZoneId,
    /// A type this list does not name yet, spelled as CloudFormation does.
    Other(String),
}

impl AwsParameterType {
    /// The type as CloudFormation spells it.
    pub fn as_str(&self) -> &str {
        match self {
            AwsParameterType::AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            AwsParameterType::ImageId => "AWS::EC2::Image::Id",
            AwsParameterType::InstanceId => "AWS::EC2::Instance::Id",
            AwsParameterType::KeyPairName => "AWS::EC2::KeyPair::KeyName",
            AwsParameterType::SecurityGroupName => "AWS::EC2::SecurityGroup::GroupName",
            AwsParameterType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            AwsParameterType::SubnetId => "AWS::EC2::Subnet::Id",
            AwsParameterType::VolumeId => "AWS::EC2::Volume::Id",
            AwsParameterType::VpcId => "AWS::EC2::VPC::Id",
            AwsParameterType::HostedZoneId => "AWS::Route53::HostedZone::Id",
            AwsParameterType::Other(name) => name,
        }
    }
}

/// The `Type` of a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterType {
    /// `String`
    String,
    /// `Number`
    Number,
    /// `List<Number>`
    NumberList,
    /// `CommaDelimitedList`
    CommaDelimitedList,
    /// An AWS-specific type, e.g. `AWS::EC2::VPC::Id`.
    Aws(AwsParameterType),
    /// A list of an AWS-specific type, e.g. `List<AWS::EC2::Subnet::Id>`.
    AwsList(AwsParameterType),
    /// `AWS::SSM::Parameter::Name`: the name of an SSM parameter.
    SsmParameterName,
    /// `AWS::SSM::Parameter::Value<String>`: the value of the SSM parameter whose name is
    /// given (the ECS-optimized AMI id, say).
    SsmString,
    /// `AWS::SSM::Parameter::Value<List<String>>`
    SsmStringList,
    /// `AWS::SSM::Parameter::Value<AWS-specific type>`
    SsmAws(AwsParameterType),
    /// `AWS::SSM::Parameter::Value<List<AWS-specific type>>`
    SsmAwsList(AwsParameterType),
}

impl ParameterType {
    /// The type as CloudFormation spells it.
    pub fn name(&self) -> String {
        match self {
            ParameterType::String => "String".to_owned(),
            ParameterType::Number => "Number".to_owned(),
            ParameterType::NumberList => "List<Number>".to_owned(),
            ParameterType::CommaDelimitedList => "CommaDelimitedList".to_owned(),
            ParameterType::Aws(t) => t.as_str().to_owned(),
            ParameterType::AwsList(t) => format!("List<{}>", t.as_str()),
            ParameterType::SsmParameterName => "AWS::SSM::Parameter::Name".to_owned(),
            ParameterType::SsmString => "AWS::SSM::Parameter::Value<String>".to_owned(),
            ParameterType::SsmStringList => "AWS::SSM::Parameter::Value<List<String>>".to_owned(),
            ParameterType::SsmAws(t) => format!("AWS::SSM::Parameter::Value<{}>", t.as_str()),
            ParameterType::SsmAwsList(t) => {
                format!("AWS::SSM::Parameter::Value<List<{}>>", t.as_str())
            }
        }
    }

    fn is_number(&self) -> bool {
        matches!(self, ParameterType::Number)
    }

    /// Whether values are comma-separated lists, whose items CloudFormation checks against
    /// `AllowedValues` one by one.
    fn is_list(&self) -> bool {
        matches!(
            self,
            ParameterType::CommaDelimitedList
                | ParameterType::NumberList
                | ParameterType::AwsList(_)
        )
    }
}

/// A parameter declaration, typed by the value it yields (`String`, `f64`, or a list).
///
/// Every setting is optional: by default a parameter has no default value (the deployer must
/// give one), no description, no constraints and is echoed.
///
/// ```
/// use construct_lib::{App, Parameter, Scope};
/// let mut app = App::new();
/// let stack = app.stack("Web");
/// let tag = stack.parameter(
///     "ImageTag",
///     Parameter::string().default("latest").description("The image tag to deploy").allowed_pattern("[a-z0-9.-]+"),
/// );
/// let _value = tag.value();
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter<T> {
    pub(crate) spec: ParameterSpec,
    _type: PhantomData<fn() -> T>,
}

/// The untyped settings of a parameter (what the stack stores).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ParameterSpec {
    pub(crate) parameter_type: ParameterType,
    pub(crate) default: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) allowed_values: Vec<String>,
    pub(crate) allowed_pattern: Option<String>,
    pub(crate) constraint_description: Option<String>,
    pub(crate) min_length: Option<u32>,
    pub(crate) max_length: Option<u32>,
    pub(crate) min_value: Option<f64>,
    pub(crate) max_value: Option<f64>,
    pub(crate) no_echo: bool,
}

impl<T> Parameter<T> {
    /// A parameter of any type, spelled as a [`ParameterType`]: for the types the named
    /// constructors ([`Parameter::string`], [`Parameter::number`], ...) do not cover, such
    /// as an SSM parameter type without a default. `T` is the type of the value it yields.
    ///
    /// ```
    /// use construct_lib::{Parameter, ParameterType};
    /// let ami = Parameter::<String>::of_type(ParameterType::SsmString);
    /// # let _ = ami;
    /// ```
    pub fn of_type(parameter_type: ParameterType) -> Self {
        Parameter::of(parameter_type)
    }

    fn of(parameter_type: ParameterType) -> Self {
        Parameter {
            spec: ParameterSpec {
                parameter_type,
                default: None,
                description: None,
                allowed_values: Vec::new(),
                allowed_pattern: None,
                constraint_description: None,
                min_length: None,
                max_length: None,
                min_value: None,
                max_value: None,
                no_echo: false,
            },
            _type: PhantomData,
        }
    }

    /// The value used when the deployer gives none. Default: none (a value is required).
    pub fn default(mut self, value: impl ToString) -> Self {
        self.spec.default = Some(value.to_string());
        self
    }

    /// What the parameter is for (up to 4,000 characters). Default: none.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.spec.description = Some(text.into());
        self
    }

    /// The only values accepted. Default: any value.
    pub fn allowed_values<S: ToString>(mut self, values: impl IntoIterator<Item = S>) -> Self {
        self.spec.allowed_values = values.into_iter().map(|v| v.to_string()).collect();
        self
    }

    /// A regular expression string values must match. Default: none.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.spec.allowed_pattern = Some(pattern.into());
        self
    }

    /// The message shown when a constraint is not met. Default: CloudFormation's own.
    pub fn constraint_description(mut self, text: impl Into<String>) -> Self {
        self.spec.constraint_description = Some(text.into());
        self
    }

    /// The shortest string value accepted. Default: none.
    pub fn min_length(mut self, length: u32) -> Self {
        self.spec.min_length = Some(length);
        self
    }

    /// The longest string value accepted. Default: none.
    pub fn max_length(mut self, length: u32) -> Self {
        self.spec.max_length = Some(length);
        self
    }

    /// The smallest number accepted. Default: none.
    pub fn min_value(mut self, value: f64) -> Self {
        self.spec.min_value = Some(value);
        self
    }

    /// The largest number accepted. Default: none.
    pub fn max_value(mut self, value: f64) -> Self {
        self.spec.max_value = Some(value);
        self
    }

    /// Masks the value in the console and API output (`NoEcho`). Default: false.
    pub fn no_echo(mut self) -> Self {
        self.spec.no_echo = true;
        self
    }
}

impl Parameter<String> {
    /// A `String` parameter.
    pub fn string() -> Self {
        Parameter::of(ParameterType::String)
    }

    /// An AWS-specific parameter, e.g. `AWS::EC2::VPC::Id`.
    pub fn aws(parameter_type: AwsParameterType) -> Self {
        Parameter::of(ParameterType::Aws(parameter_type))
    }

    /// The value of an SSM parameter, named by the default (or the deployer).
    ///
    /// ```
    /// use construct_lib::Parameter;
    /// let ami = Parameter::ssm_string("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id");
    /// # let _ = ami;
    /// ```
    pub fn ssm_string(parameter_name: impl Into<String>) -> Self {
        Parameter::of(ParameterType::SsmString).default(parameter_name.into())
    }

    /// The value of an SSM parameter holding an AWS-specific value (an image id, say).
    pub fn ssm_aws(parameter_type: AwsParameterType, parameter_name: impl Into<String>) -> Self {
        Parameter::of(ParameterType::SsmAws(parameter_type)).default(parameter_name.into())
    }

    /// The name of an SSM parameter (`AWS::SSM::Parameter::Name`).
    pub fn ssm_parameter_name() -> Self {
        Parameter::of(ParameterType::SsmParameterName)
    }
}

impl Parameter<f64> {
    /// A `Number` parameter.
    pub fn number() -> Self {
        Parameter::of(ParameterType::Number)
    }
}

impl Parameter<Vec<Value<String>>> {
    /// A `CommaDelimitedList` parameter.
    pub fn comma_delimited_list() -> Self {
        Parameter::of(ParameterType::CommaDelimitedList)
    }

    /// A `List<Number>` parameter (its elements are strings in templates).
    pub fn number_list() -> Self {
        Parameter::of(ParameterType::NumberList)
    }

    /// A list of an AWS-specific type, e.g. `List<AWS::EC2::Subnet::Id>`.
    pub fn aws_list(parameter_type: AwsParameterType) -> Self {
        Parameter::of(ParameterType::AwsList(parameter_type))
    }

    /// The value of an SSM `StringList` parameter.
    pub fn ssm_string_list(parameter_name: impl Into<String>) -> Self {
        Parameter::of(ParameterType::SsmStringList).default(parameter_name.into())
    }

    /// The value of an SSM parameter holding a list of an AWS-specific type.
    pub fn ssm_aws_list(
        parameter_type: AwsParameterType,
        parameter_name: impl Into<String>,
    ) -> Self {
        Parameter::of(ParameterType::SsmAwsList(parameter_type)).default(parameter_name.into())
    }
}

impl ParameterSpec {
    /// Reports what is wrong with the declaration.
    pub(crate) fn check(&self, problems: &mut Problems<'_>) {
        let is_number = self.parameter_type.is_number();
        if let (Some(min), Some(max)) = (self.min_length, self.max_length)
            && min > max
        {
            problems.error("MinLength", min, format!("at most MaxLength ({max})"));
        }
        if let (Some(min), Some(max)) = (self.min_value, self.max_value)
            && min > max
        {
            problems.error("MinValue", min, format!("at most MaxValue ({max})"));
        }
        if !is_number && (self.min_value.is_some() || self.max_value.is_some()) {
            problems.error("MinValue/MaxValue", "set", "only on Number parameters");
        }
        if let Some(default) = &self.default {
            self.check_default(default, problems);
        }
    }

    /// The default against the allowed values, lengths and numbers.
    fn check_default(&self, default: &str, problems: &mut Problems<'_>) {
        let items: Vec<&str> = if self.parameter_type.is_list() {
            default.split(',').map(str::trim).collect()
        } else {
            vec![default]
        };
        let allowed = |item: &&str| self.allowed_values.iter().any(|v| v == item);
        if !self.allowed_values.is_empty() && !allowed(&default) && !items.iter().all(allowed) {
            problems.error(
                "Default",
                quoted(default),
                format!(
                    "{}one of the AllowedValues: {}",
                    if items.len() > 1 { "each item " } else { "" },
                    self.allowed_values.join(", ")
                ),
            );
        }
        let length = default.chars().count() as u32;
        if self.min_length.is_some_and(|min| length < min)
            || self.max_length.is_some_and(|max| length > max)
        {
            problems.error(
                "Default",
                quoted(default),
                format!(
                    "a length {}",
                    bounds(self.min_length, self.max_length, "MinLength", "MaxLength")
                ),
            );
        }
        if self.parameter_type.is_number() {
            match default.parse::<f64>() {
                Err(_) => problems.error(
                    "Default",
                    quoted(default),
                    "a number (the parameter is a Number)",
                ),
                Ok(n)
                    if self.min_value.is_some_and(|min| n < min)
                        || self.max_value.is_some_and(|max| n > max) =>
                {
                    problems.error(
                        "Default",
                        quoted(default),
                        format!(
                            "a number {}",
                            bounds(self.min_value, self.max_value, "MinValue", "MaxValue")
                        ),
                    );
                }
                Ok(_) => {}
            }
        }
        if default.len() > 4096 {
            problems.error(
                "Default",
                format!("{} bytes", default.len()),
                "at most 4,096 bytes",
            );
        }
    }

    pub(crate) fn type_name(&self) -> String {
        self.parameter_type.name()
    }
}

/// A handle to a parameter of a stack.
pub struct ParameterRef<T> {
    pub(crate) id: ParameterId,
    _type: PhantomData<fn() -> T>,
}

impl<T> ParameterRef<T> {
    pub(crate) fn new(id: ParameterId) -> Self {
        ParameterRef {
            id,
            _type: PhantomData,
        }
    }

    /// `Ref` of the parameter: the value the deployer gave.
    pub fn value(&self) -> Value<T> {
        Value::from_expr(Expr::Ref(RefTarget::Parameter(self.id)))
    }

    /// The id of the parameter.
    pub fn id(&self) -> ParameterId {
        self.id
    }
}

impl<T> Clone for ParameterRef<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ParameterRef<T> {}

impl<T> std::fmt::Debug for ParameterRef<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ParameterRef").field(&self.id).finish()
    }
}

/// `from MinLength 3 to MaxLength 8`, `of at least MinValue 1`, as the bounds are set.
fn bounds<T: std::fmt::Display>(
    min: Option<T>,
    max: Option<T>,
    min_name: &str,
    max_name: &str,
) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("from {min_name} {min} to {max_name} {max}"),
        (Some(min), None) => format!("of at least {min_name} {min}"),
        (None, Some(max)) => format!("of at most {max_name} {max}"),
        (None, None) => "without bounds".to_owned(),
    }
}
