//! `LaunchTemplate`: how instances of an Auto Scaling group start: image, instance type,
//! user data, an instance role and profile, a security group, IMDSv2 and an encrypted root
//! volume by default.

use cfn_l1::ec2 as l1;
use cfn_l1::ec2::launch_template as l1lt;
use cfn_l1::iam as iam_l1;
use cfn_l1::model::{ResourceRef, Value};

use super::machine_image::MachineImage;
use super::security_group::{Connectable, Connections, SecurityGroup};
use super::user_data::UserData;
use super::vpc::Vpc;
use crate::core::scope::{Owner, Scope};
use crate::iam::{ManagedPolicy, Principal, Role};
use crate::problem::{Problems, quoted};

/// Settings of a new [`LaunchTemplate`].
#[derive(Clone, Debug)]
pub struct LaunchTemplateBuilder {
    vpc: Vpc,
    instance_type: String,
    image: MachineImage,
    user_data: Option<UserData>,
    role: Option<Role>,
    security_groups: Vec<SecurityGroup>,
    key_name: Option<String>,
    require_imdsv2: bool,
    hop_limit: u32,
    root_volume_gib: u32,
    root_device_name: String,
    detailed_monitoring: bool,
    session_manager: bool,
}

impl LaunchTemplateBuilder {
    /// The script instances run at first boot. Default: none.
    pub fn user_data(mut self, user_data: UserData) -> Self {
        self.user_data = Some(user_data);
        self
    }

    /// The role instances run as. Default: a role for `ec2.amazonaws.com` without
    /// permissions (an ECS capacity provider grants it the instance permissions).
    pub fn role(mut self, role: &Role) -> Self {
        self.role = Some(role.clone());
        self
    }

    /// Adds a security group. Default: one created for the instances (all outbound, no
    /// inbound until connections allow it).
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// The EC2 key pair for SSH. Default: none (reach instances with Session Manager).
    pub fn key_name(mut self, name: impl Into<String>) -> Self {
        self.key_name = Some(name.into());
        self
    }

    /// Whether the instance metadata service requires session tokens (IMDSv2). Default:
    /// `true`.
    pub fn require_imdsv2(mut self, require: bool) -> Self {
        self.require_imdsv2 = require;
        self
    }

    /// How many network hops a metadata response may travel, 1 to 64. Default: 1, so that
    /// containers in `bridge` networking cannot read the instance role's credentials (they
    /// use their task role); 2 lets them reach the metadata service.
    pub fn http_put_response_hop_limit(mut self, hops: u32) -> Self {
        self.hop_limit = hops;
        self
    }

    /// The size of the encrypted gp3 root volume in GiB, at least the image's (30 GiB for
    /// the ECS-optimized AMIs) and at most 16,384. Default: 30.
    pub fn root_volume_gib(mut self, gib: u32) -> Self {
        self.root_volume_gib = gib;
        self
    }

    /// The root device name of the image. Default: `/dev/xvda` (Amazon Linux).
    pub fn root_device_name(mut self, name: impl Into<String>) -> Self {
        self.root_device_name = name.into();
        self
    }

    /// Whether CloudWatch collects instance metrics every minute (charged) instead of
    /// every five. Default: `false`.
    pub fn detailed_monitoring(mut self, enabled: bool) -> Self {
        self.detailed_monitoring = enabled;
        self
    }

    /// Whether Session Manager can open shells on the instances (the created role gets
    /// the AWS managed policy `AmazonSSMManagedInstanceCore`; the SSM agent ships with the
    /// Amazon Linux AMIs): a way in without SSH or open ports. Default: `false`.
    pub fn session_manager(mut self, enabled: bool) -> Self {
        self.session_manager = enabled;
        self
    }

    /// Adds the launch template under construct `id` of `scope`, with its role, instance
    /// profile and security group.
    pub fn build(self, scope: &mut impl Scope, id: &str) -> LaunchTemplate {
        let mut scope = scope.scope(id);
        self.check(&mut scope.problems());
        let role = self.role.clone().unwrap_or_else(|| {
            let mut role = Role::builder(Principal::service("ec2.amazonaws.com"));
            if self.session_manager {
                role =
                    role.managed_policy(ManagedPolicy::aws_managed("AmazonSSMManagedInstanceCore"));
            }
            role.build(&mut scope, "InstanceRole")
        });
        let profile = scope.add(
            "InstanceProfile",
            iam_l1::InstanceProfile::new(vec![role.name()]),
        );
        let security_groups = if self.security_groups.is_empty() {
            vec![SecurityGroup::builder(&self.vpc).build(&mut scope, "SecurityGroup")]
        } else {
            self.security_groups.clone()
        };
        let image_id = self.image.image_id(&mut scope, "ImageId");
        let data = self.data(image_id, profile.attr_arn(), &security_groups);
        let resource = scope.add("Resource", l1::LaunchTemplate::new(data));
        LaunchTemplate {
            id: resource.ref_value(),
            latest_version: resource.attr_latest_version_number(),
            role,
            security_groups,
            user_data: self.user_data,
            owner: Owner::of(&scope),
            resource,
        }
    }

    fn check(&self, problems: &mut Problems<'_>) {
        self.image.check(problems);
        if self.session_manager && self.role.is_some() {
            problems.error(
                "session_manager",
                "with a role of your own",
                "the launch template's own role (attach AmazonSSMManagedInstanceCore to your role where it is defined)",
            );
        }
        problems.range("http_put_response_hop_limit", self.hop_limit, 1..=64, "");
        problems.range("root_volume_gib", self.root_volume_gib, 1..=16_384, "GiB");
        if matches!(self.image, MachineImage::EcsOptimized(_)) && self.root_volume_gib < 30 {
            problems.error(
                "root_volume_gib",
                format!("{} GiB", self.root_volume_gib),
                format!(
                    "at least 30 GiB, the size of the image's snapshot ({})",
                    self.image.label()
                ),
            );
        }
        if !is_instance_type(&self.instance_type) {
            problems.error(
                "instance_type",
                quoted(&self.instance_type),
                "an instance type: family.size (m7i.large, t4g.medium)",
            );
        }
        if let MachineImage::EcsOptimized(ami) = &self.image {
            let graviton = instance_family_is_arm64(&self.instance_type);
            if ami.is_arm64() != graviton {
                problems.error(
                    "machine_image",
                    self.image.label(),
                    format!(
                        "an image for the architecture of {} ({}): choose the {} variant",
                        quoted(&self.instance_type),
                        if graviton { "64-bit ARM" } else { "x86-64" },
                        if graviton { "Arm64" } else { "x86-64" }
                    ),
                );
            }
        }
    }

    fn data(
        &self,
        image_id: Value<String>,
        profile_arn: Value<String>,
        security_groups: &[SecurityGroup],
    ) -> l1lt::LaunchTemplateData {
        let mut data = l1lt::LaunchTemplateData::new()
            .image_id(image_id)
            .instance_type(self.instance_type.as_str())
            .iam_instance_profile(l1lt::IamInstanceProfile::new().arn(profile_arn))
            .security_group_ids(
                security_groups
                    .iter()
                    .map(SecurityGroup::group_id)
                    .collect::<Vec<_>>(),
            )
            .metadata_options(
                l1lt::MetadataOptions::new()
                    .http_endpoint("enabled")
                    .http_tokens(if self.require_imdsv2 {
                        "required"
                    } else {
                        "optional"
                    })
                    .http_put_response_hop_limit(i64::from(self.hop_limit)),
            )
            .block_device_mappings(vec![
                l1lt::BlockDeviceMapping::new()
                    .device_name(self.root_device_name.as_str())
                    .ebs(
                        l1lt::Ebs::new()
                            .encrypted(true)
                            .delete_on_termination(true)
                            .volume_size(i64::from(self.root_volume_gib))
                            .volume_type("gp3"),
                    ),
            ])
            .monitoring(l1lt::Monitoring::new().enabled(self.detailed_monitoring));
        if let Some(user_data) = &self.user_data {
            data = data.user_data(user_data.to_base64());
        }
        if let Some(key) = &self.key_name {
            data = data.key_name(key.as_str());
        }
        data
    }
}

/// `family.size` with a family of letters and digits (and `-` for a few, `u-6tb1`).
fn is_instance_type(name: &str) -> bool {
    let mut parts = name.split('.');
    let family = parts.next().unwrap_or_default();
    let size = parts.next().unwrap_or_default();
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    parts.next().is_none()
        && word(family)
        && word(size)
        && family.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Graviton families: the letters after the generation digit start with `g` (`m7g`,
/// `c6gn`, `t4g`, `r8gd`, `g5g`), and `a1`; `g4dn` and `g5` are x86 GPU families.
pub(crate) fn instance_family_is_arm64(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or_default();
    let after_letters = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = after_letters.trim_start_matches(|c: char| c.is_ascii_digit());
    family == "a1" || suffix.starts_with('g')
}

/// A launch template. A cheap handle.
#[derive(Clone, Debug)]
pub struct LaunchTemplate {
    id: Value<String>,
    latest_version: Value<String>,
    role: Role,
    security_groups: Vec<SecurityGroup>,
    user_data: Option<UserData>,
    owner: Owner,
    resource: ResourceRef<l1::LaunchTemplate>,
}

impl LaunchTemplate {
    /// Settings for instances of `instance_type` booting `image`, in `vpc`.
    ///
    /// ```
    /// use construct_lib::App;
    /// use construct_lib::ec2::{EcsOptimizedAmi, LaunchTemplate, MachineImage, UserData, Vpc};
    /// let mut app = App::new();
    /// let stack = app.stack("Fleet");
    /// let vpc = Vpc::builder().build(stack, "Vpc");
    /// let template = LaunchTemplate::builder(&vpc, "m7i.large", MachineImage::ecs_optimized(EcsOptimizedAmi::AmazonLinux2023))
    ///     .user_data(UserData::for_linux().command("echo hello"))
    ///     .build(stack, "LaunchTemplate");
    /// let _role = template.role();
    /// ```
    pub fn builder(
        vpc: &Vpc,
        instance_type: impl Into<String>,
        image: MachineImage,
    ) -> LaunchTemplateBuilder {
        LaunchTemplateBuilder {
            vpc: vpc.clone(),
            instance_type: instance_type.into(),
            image,
            user_data: None,
            role: None,
            security_groups: Vec::new(),
            key_name: None,
            require_imdsv2: true,
            hop_limit: 1,
            root_volume_gib: 30,
            root_device_name: "/dev/xvda".to_owned(),
            detailed_monitoring: false,
            session_manager: false,
        }
    }

    /// The launch template id.
    pub fn launch_template_id(&self) -> Value<String> {
        self.id.clone()
    }

    /// Its latest version number.
    pub fn latest_version(&self) -> Value<String> {
        self.latest_version.clone()
    }

    /// The role instances run as.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The instances' security groups.
    pub fn security_groups(&self) -> &[SecurityGroup] {
        &self.security_groups
    }

    /// The user data, if any.
    pub fn user_data(&self) -> Option<&UserData> {
        self.user_data.as_ref()
    }

    /// The construct path, for messages.
    pub fn path(&self) -> &str {
        &self.owner.path
    }

    /// The L1 launch template: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<l1::LaunchTemplate> {
        &self.resource
    }
}

impl Connectable for LaunchTemplate {
    fn connections(&self) -> Connections {
        Connections::new(self.security_groups.clone())
    }
    fn peer_label(&self) -> String {
        self.owner.path.clone()
    }
}
