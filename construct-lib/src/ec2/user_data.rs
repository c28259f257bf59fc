//! User data: the script an instance runs at its first boot, built line by line. Lines may
//! hold references (a cluster name), so the script is a `Fn::Join` inside `Fn::Base64`.

use cfn_l1::model::{Value, fns};

/// A shell script run as root at the instance's first boot (cloud-init).
///
/// ```
/// use construct_lib::ec2::UserData;
/// let user_data = UserData::for_linux()
///     .command("dnf install -y amazon-ssm-agent")
///     .append_to_file("/etc/motd", "managed by construct-lib");
/// assert_eq!(user_data.lines().len(), 4);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserData {
    lines: Vec<Value<String>>,
    ecs_cluster: Option<Value<String>>,
}

impl UserData {
    /// A bash script (`#!/bin/bash`) that stops at the first failing command.
    pub fn for_linux() -> Self {
        Self {
            lines: vec!["#!/bin/bash".into(), "set -euo pipefail".into()],
            ecs_cluster: None,
        }
    }

    /// Adds a command line.
    pub fn command(mut self, command: impl Into<Value<String>>) -> Self {
        self.lines.push(command.into());
        self
    }

    /// Appends `line` to the file at `path` (created if missing).
    pub fn append_to_file(mut self, path: &str, line: impl Into<Value<String>>) -> Self {
        self.lines.push(fns::join(
            "",
            vec![
                Value::from("echo '"),
                line.into(),
                Value::from(format!("' >> {path}")),
            ],
        ));
        self
    }

    /// The script's lines.
    pub fn lines(&self) -> &[Value<String>] {
        &self.lines
    }

    /// Declares that the script joins the ECS cluster `cluster_name` (its `Ref`), for a
    /// script that writes `ECS_CLUSTER` itself; [`crate::ecs::AgentConfig`] declares it
    /// for you. A capacity provider checks that its instances join its cluster.
    pub fn joins_ecs_cluster(mut self, cluster_name: impl Into<Value<String>>) -> Self {
        self.ecs_cluster = Some(cluster_name.into());
        self
    }

    /// The ECS cluster the script joins, if it does.
    pub fn ecs_cluster(&self) -> Option<&Value<String>> {
        self.ecs_cluster.as_ref()
    }

    /// The `UserData` value of a launch template.
    pub(crate) fn to_base64(&self) -> Value<String> {
        fns::base64(fns::join("\n", self.lines.clone()))
    }
}
