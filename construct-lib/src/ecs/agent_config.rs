//! `AgentConfig`: the `/etc/ecs/ecs.config` an instance writes at first boot, so that its
//! ECS agent joins a cluster with the given settings; rendered as [`UserData`].

use cfn_l1::model::{Value, fns};

use super::cluster::Cluster;
use crate::Duration;
use crate::ec2::UserData;

/// When the agent pulls images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImagePullBehavior {
    /// Pull, and use the cached image if the pull fails (the agent's default).
    Default,
    /// Always pull; fail the task if the pull fails.
    Always,
    /// Pull only if the image is not cached.
    Once,
    /// Use the cached image if there is one.
    PreferCached,
}

impl ImagePullBehavior {
    fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Always => "always",
            Self::Once => "once",
            Self::PreferCached => "prefer-cached",
        }
    }
}

/// A setting of the ECS agent (a line of `/etc/ecs/ecs.config`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AgentSetting {
    /// `ECS_ENABLE_SPOT_INSTANCE_DRAINING`: drain the instance when a Spot interruption
    /// notice arrives.
    SpotInstanceDraining(bool),
    /// `ECS_CONTAINER_STOP_TIMEOUT`: how long containers get between SIGTERM and SIGKILL.
    ContainerStopTimeout(Duration),
    /// `ECS_IMAGE_PULL_BEHAVIOR`.
    ImagePullBehavior(ImagePullBehavior),
    /// `ECS_RESERVED_MEMORY`: MiB kept from tasks for the system.
    ReservedMemoryMib(u32),
    /// `ECS_AWSVPC_BLOCK_IMDS`: tasks in `awsvpc` networking cannot reach the instance
    /// metadata service (and the instance role).
    AwsVpcBlockImds(bool),
    /// `ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST`: task roles for tasks in `host` networking.
    TaskIamRoleNetworkHost(bool),
    /// `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE`: the `awslogs` driver writes with the
    /// task's execution role rather than the instance role (agent 1.16 or later).
    AwsLogsExecutionRoleOverride(bool),
    /// `ECS_ENABLE_CONTAINER_METADATA`: the container metadata file.
    ContainerMetadata(bool),
    /// `ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION`: how long stopped containers are kept.
    TaskCleanupWait(Duration),
    /// Any other `ECS_` variable, by name and value.
    Other(String, String),
}

impl AgentSetting {
    fn line(&self) -> String {
        let flag = |on: &bool| on.to_string();
        let seconds = |d: &Duration| format!("{}s", d.to_seconds());
        match self {
            Self::SpotInstanceDraining(on) => {
                format!("ECS_ENABLE_SPOT_INSTANCE_DRAINING={}", flag(on))
            }
            Self::ContainerStopTimeout(d) => format!("ECS_CONTAINER_STOP_TIMEOUT={}", seconds(d)),
            Self::ImagePullBehavior(b) => format!("ECS_IMAGE_PULL_BEHAVIOR={}", b.as_str()),
            Self::ReservedMemoryMib(mib) => format!("ECS_RESERVED_MEMORY={mib}"),
            Self::AwsVpcBlockImds(on) => format!("ECS_AWSVPC_BLOCK_IMDS={}", flag(on)),
            Self::TaskIamRoleNetworkHost(on) => {
                format!("ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST={}", flag(on))
            }
            Self::AwsLogsExecutionRoleOverride(on) => {
                format!("ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE={}", flag(on))
            }
            Self::ContainerMetadata(on) => format!("ECS_ENABLE_CONTAINER_METADATA={}", flag(on)),
            Self::TaskCleanupWait(d) => {
                format!("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION={}", seconds(d))
            }
            Self::Other(name, value) => format!("{name}={value}"),
        }
    }
}

/// The agent configuration that makes an instance join `cluster`.
///
/// ```
/// use construct_lib::App;
/// use construct_lib::ec2::Vpc;
/// use construct_lib::ecs::{AgentConfig, AgentSetting, Cluster};
/// let mut app = App::new();
/// let stack = app.stack("Fleet");
/// let vpc = Vpc::builder().build(stack, "Vpc");
/// let cluster = Cluster::builder(&vpc).build(stack, "Cluster");
/// let user_data = AgentConfig::new(&cluster)
///     .setting(AgentSetting::SpotInstanceDraining(true))
///     .user_data()
///     .command("echo joined");
/// assert!(user_data.ecs_cluster().is_some());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AgentConfig {
    cluster_name: Value<String>,
    settings: Vec<AgentSetting>,
}

impl AgentConfig {
    /// Joins `cluster`, with the agent's defaults, `ECS_AWSVPC_BLOCK_IMDS=true` (tasks
    /// with their own interface use their task role, not the instance's) and
    /// `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true` (task logs are written with each
    /// task's execution role, which is granted its own log group only, so the instance role
    /// needs no `logs:` permission on `*`; ecs-init sets the same on the ECS-optimized AMIs).
    pub fn new(cluster: &Cluster) -> Self {
        Self {
            cluster_name: cluster.name(),
            settings: vec![
                AgentSetting::AwsVpcBlockImds(true),
                AgentSetting::AwsLogsExecutionRoleOverride(true),
            ],
        }
    }

    /// Adds a setting (a later one of the same name wins, as in the file).
    pub fn setting(mut self, setting: AgentSetting) -> Self {
        self.settings.push(setting);
        self
    }

    /// A Linux script that writes the configuration; add commands to it.
    pub fn user_data(&self) -> UserData {
        let mut user_data = UserData::for_linux().append_to_file(
            "/etc/ecs/ecs.config",
            fns::join(
                "",
                vec![Value::from("ECS_CLUSTER="), self.cluster_name.clone()],
            ),
        );
        for setting in &self.settings {
            user_data = user_data.append_to_file("/etc/ecs/ecs.config", setting.line());
        }
        user_data.joins_ecs_cluster(self.cluster_name.clone())
    }
}
