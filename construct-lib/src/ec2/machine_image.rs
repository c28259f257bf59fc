//! Machine images for launch templates: the ECS-optimized Amazon Linux AMIs through their
//! public SSM parameters (resolved by CloudFormation at each deploy, so instances launched
//! later get the AMI of the last deploy), an image id read from any SSM parameter, or a
//! fixed AMI id.

use cfn_l1::model::Value;

use crate::core::parameter::{AwsParameterType, Parameter};
use crate::core::scope::Scope;

/// An ECS-optimized Amazon Linux AMI, published by AWS as a public SSM parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EcsOptimizedAmi {
    /// Amazon Linux 2023, x86-64.
    AmazonLinux2023,
    /// Amazon Linux 2023, 64-bit ARM (Graviton).
    AmazonLinux2023Arm64,
    /// Amazon Linux 2023 with the NVIDIA drivers (GPU instances), x86-64.
    AmazonLinux2023Gpu,
    /// Amazon Linux 2, x86-64.
    AmazonLinux2,
    /// Amazon Linux 2, 64-bit ARM (Graviton).
    AmazonLinux2Arm64,
    /// Amazon Linux 2 with the NVIDIA drivers (GPU instances), x86-64.
    AmazonLinux2Gpu,
}

impl EcsOptimizedAmi {
    /// The public SSM parameter holding the recommended AMI id.
    pub fn ssm_parameter(self) -> &'static str {
        match self {
            Self::AmazonLinux2023 => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
            }
            Self::AmazonLinux2023Arm64 => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
            }
            Self::AmazonLinux2023Gpu => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"
            }
            Self::AmazonLinux2 => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
            }
            Self::AmazonLinux2Arm64 => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id"
            }
            Self::AmazonLinux2Gpu => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id"
            }
        }
    }

    /// Whether the AMI runs on 64-bit ARM instances.
    pub fn is_arm64(self) -> bool {
        matches!(self, Self::AmazonLinux2023Arm64 | Self::AmazonLinux2Arm64)
    }
}

/// The image instances boot from.
///
/// ```
/// use construct_lib::ec2::{EcsOptimizedAmi, MachineImage};
/// let image = MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023);
/// assert_eq!(image.ssm_parameter(), Some("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MachineImage {
    /// An ECS-optimized Amazon Linux AMI.
    EcsOptimized(EcsOptimizedAmi),
    /// The AMI id in an SSM parameter (public or of the account).
    SsmParameter(String),
    /// A fixed AMI id (`ami-0123456789abcdef0`).
    Id(String),
}

impl MachineImage {
    /// The ECS-optimized Amazon Linux AMI `ami`, read from its public SSM parameter.
    pub fn ecs_optimized(ami: EcsOptimizedAmi) -> Self {
        Self::EcsOptimized(ami)
    }

    /// The AMI id held by SSM parameter `name`.
    pub fn from_ssm_parameter(name: impl Into<String>) -> Self {
        Self::SsmParameter(name.into())
    }

    /// A fixed AMI id.
    pub fn id(ami_id: impl Into<String>) -> Self {
        Self::Id(ami_id.into())
    }

    /// The SSM parameter the image id is read from, if any.
    pub fn ssm_parameter(&self) -> Option<&str> {
        match self {
            Self::EcsOptimized(ami) => Some(ami.ssm_parameter()),
            Self::SsmParameter(name) => Some(name),
            Self::Id(_) => None,
        }
    }

    /// For messages.
    pub(crate) fn label(&self) -> String {
        match self {
            Self::Id(id) => crate::problem::quoted(id),
            _ => self
                .ssm_parameter()
                .map(crate::problem::quoted)
                .unwrap_or_default(),
        }
    }

    /// The image id in a template: a template parameter of type
    /// `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` (construct `id` of `scope`),
    /// whose default names the SSM parameter, or the fixed id.
    pub(crate) fn image_id(&self, scope: &mut impl Scope, id: &str) -> Value<String> {
        let name = match self {
            Self::Id(ami) => return Value::from(ami.as_str()),
            Self::EcsOptimized(ami) => ami.ssm_parameter(),
            Self::SsmParameter(name) => name.as_str(),
        };
        let parameter = Parameter::ssm_aws(AwsParameterType::ImageId, name)
            .description(format!("The AMI id, from SSM parameter {name}"));
        scope.parameter(id, parameter).value()
    }

    /// Reports a malformed AMI id or parameter name.
    pub(crate) fn check(&self, problems: &mut crate::problem::Problems<'_>) {
        match self {
            Self::Id(id) => {
                let hex = id.strip_prefix("ami-").filter(|rest| {
                    (rest.len() == 8 || rest.len() == 17)
                        && rest.chars().all(|c| c.is_ascii_hexdigit())
                });
                if hex.is_none() {
                    problems.error(
                        "machine_image",
                        crate::problem::quoted(id),
                        "an AMI id: ami- and 8 or 17 hexadecimal digits",
                    );
                }
            }
            Self::SsmParameter(name) if name.is_empty() => {
                problems.error(
                    "machine_image",
                    "an empty SSM parameter name",
                    "the name of the SSM parameter holding the AMI id",
                );
            }
            _ => {}
        }
    }
}
