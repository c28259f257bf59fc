//! The two ways ECS runs tasks, as types. Task definitions and services are generic over
//! them ([`FargateTaskDefinition`](super::FargateTaskDefinition) is
//! `TaskDefinition<Fargate>`), so that one service model serves both, and a setting only
//! one of them accepts is a method of that one's builders only: `assign_public_ip` does not
//! exist on an EC2 service, placement strategies do not exist on a Fargate one.

use std::fmt::Debug;

mod sealed {
    pub trait Sealed {}
}

/// Where a task definition's tasks can run (`RequiresCompatibilities`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compatibility {
    /// AWS Fargate.
    Fargate,
    /// EC2 instances of the cluster.
    Ec2,
}

impl Compatibility {
    /// The name ECS gives it (`FARGATE`, `EC2`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fargate => "FARGATE",
            Self::Ec2 => "EC2",
        }
    }
}

/// What sizes a task: CPU units and memory, when set at the task level.
pub trait TaskSize: Clone + Debug + std::fmt::Display {
    /// The task's CPU units, if set.
    fn cpu(&self) -> Option<u32>;
    /// The task's memory in MiB, if set.
    fn memory_mib(&self) -> Option<u32>;
}

/// A launch type: [`Fargate`] or [`Ec2`]. Sealed: the library implements it for these two.
pub trait LaunchType: sealed::Sealed + Clone + Debug + 'static {
    /// What a task definition of this launch type is sized with.
    type TaskSize: TaskSize;
    /// The compatibility written in task definitions.
    const COMPATIBILITY: Compatibility;
}

/// Tasks on AWS Fargate (`awsvpc` networking, typed sizes).
#[derive(Clone, Copy, Debug)]
pub enum Fargate {}

/// Tasks on EC2 instances the cluster's capacity providers run (`bridge`, `host` or
/// `awsvpc` networking, placement strategies and constraints, daemon services).
#[derive(Clone, Copy, Debug)]
pub enum Ec2 {}

impl sealed::Sealed for Fargate {}
impl sealed::Sealed for Ec2 {}

impl LaunchType for Fargate {
    type TaskSize = super::FargateSize;
    const COMPATIBILITY: Compatibility = Compatibility::Fargate;
}

impl LaunchType for Ec2 {
    type TaskSize = Ec2TaskSize;
    const COMPATIBILITY: Compatibility = Compatibility::Ec2;
}

impl TaskSize for super::FargateSize {
    fn cpu(&self) -> Option<u32> {
        Some(super::FargateSize::cpu(*self))
    }
    fn memory_mib(&self) -> Option<u32> {
        Some(super::FargateSize::memory_mib(*self))
    }
}

/// The optional task-level size of an EC2 task definition: without it, each container's
/// memory (limit or reservation) sizes what the task reserves on an instance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ec2TaskSize {
    pub(crate) cpu: Option<u32>,
    pub(crate) memory_mib: Option<u32>,
}

impl std::fmt::Display for Ec2TaskSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let part = |value: Option<u32>, unit: &str| match value {
            Some(value) => format!("{value} {unit}"),
            None => format!("no task {unit}"),
        };
        write!(
            f,
            "{} / {}",
            part(self.cpu, "CPU units"),
            part(self.memory_mib, "MiB")
        )
    }
}

impl TaskSize for Ec2TaskSize {
    fn cpu(&self) -> Option<u32> {
        self.cpu
    }
    fn memory_mib(&self) -> Option<u32> {
        self.memory_mib
    }
}

/// How a task's containers are networked (`NetworkMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkMode {
    /// Docker's bridge on the instance: container ports map to host ports (host port 0 or
    /// none: a dynamic port from the instance's ephemeral range). EC2 only.
    Bridge,
    /// The instance's own network: a container port is the host port, so two tasks that
    /// use the same port cannot share an instance. EC2 only.
    Host,
    /// An elastic network interface per task, with its own security groups (Fargate, and
    /// EC2 within the instance's interface limits).
    AwsVpc,
    /// No external networking. EC2 only.
    None,
}

impl NetworkMode {
    /// The name ECS gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bridge => "bridge",
            Self::Host => "host",
            Self::AwsVpc => "awsvpc",
            Self::None => "none",
        }
    }
}

impl std::fmt::Display for NetworkMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
