//! A service of the `EXTERNAL` deployment controller, deployed by CloudFormation's
//! CodeDeploy blue/green hook ([`Deployment::CodeDeployHook`]): the service keeps its
//! count, name and tags; what runs the tasks (task definition, launch type or capacity
//! providers, network, platform version, load balancers) is its task set's, made primary
//! by an `AWS::ECS::PrimaryTaskSet`. This is the shape of CloudFormation's blue/green
//! template example; the hook's transform copies the task set into a green one when a
//! stack update replaces the task definition.

use cfn_l1::ecs as l1;
use cfn_l1::ecs::primary_task_set as l1p;
use cfn_l1::ecs::task_set as l1t;
use cfn_l1::model::ResourceRef;

use super::{Deployment, ServiceBuilder};
use crate::core::scope::Scope;
use crate::ec2::{SecurityGroup, Subnet};
use crate::ecs::launch::{Compatibility, LaunchType};
use crate::problem::Problems;

/// What an `EXTERNAL` service cannot have here, and why.
pub(super) fn check<L: LaunchType>(builder: &ServiceBuilder<L>, problems: &mut Problems<'_>) {
    if !matches!(builder.deployment, Deployment::CodeDeployHook) {
        return;
    }
    let refuse = |problems: &mut Problems<'_>, setting: &str, value: &str, allowed: &str| {
        problems.error(
            setting,
            format!("{value} with Deployment::CodeDeployHook"),
            allowed,
        );
    };
    if L::COMPATIBILITY != Compatibility::Fargate {
        refuse(
            problems,
            "deployment",
            "an EC2 service",
            "a Fargate service (task sets of EC2 services are not supported yet); use Deployment::CodeDeploy with an EcsDeploymentGroup",
        );
    }
    if builder.service_connect.is_some() {
        refuse(
            problems,
            "service_connect",
            "Service Connect",
            "no Service Connect: ECS offers it with the ECS deployment controller only",
        );
    }
    if let Some(name) = &builder.cloud_map_name {
        refuse(
            problems,
            "cloud_map",
            name,
            "no Cloud Map registration (it would belong to the task set, which this library does not register yet)",
        );
    }
}

/// Takes out of `service` what belongs to its task set, for [`add`].
pub(super) fn take_task_set_settings(service: &mut l1::Service) -> TaskSetSettings {
    TaskSetSettings {
        task_definition: service.task_definition.take(),
        strategies: service.capacity_provider_strategy.take(),
        platform_version: service.platform_version.take(),
        fargate: service.launch_type.take().is_some(),
        network: service.network_configuration.take().is_some(),
    }
}

/// What the task set runs, taken from the service's template.
pub(super) struct TaskSetSettings {
    task_definition: Option<cfn_l1::model::Value<String>>,
    strategies: Option<Vec<cfn_l1::ecs::service::CapacityProviderStrategyItem>>,
    platform_version: Option<cfn_l1::model::Value<String>>,
    fargate: bool,
    network: bool,
}

/// The task set of `service` (construct `TaskSet`, all of the service's tasks: scale 100%)
/// and the resource that makes it primary (construct `PrimaryTaskSet`).
pub(super) fn add<L: LaunchType>(
    scope: &mut impl Scope,
    builder: &ServiceBuilder<L>,
    service: &ResourceRef<l1::Service>,
    settings: TaskSetSettings,
    network: (&[Subnet], &[SecurityGroup]),
) -> ResourceRef<l1::TaskSet> {
    let cluster = builder.cluster.name();
    let mut task_set = l1::TaskSet::new(l1t::TaskSetRequired {
        cluster: cluster.clone(),
        service: service.ref_value(),
        task_definition: settings
            .task_definition
            .unwrap_or_else(|| builder.task.arn()),
    })
    .scale(l1t::Scale::new().unit(l1t::Unit::Percent).value(100.0))
    .set_platform_version(settings.platform_version)
    .set_capacity_provider_strategy(settings.strategies.map(|items| {
        items
            .into_iter()
            .map(|item| {
                l1t::CapacityProviderStrategyItem::new()
                    .set_base(item.base)
                    .set_capacity_provider(item.capacity_provider)
                    .set_weight(item.weight)
            })
            .collect()
    }));
    if settings.fargate {
        task_set = task_set.launch_type(l1t::LaunchType::Fargate);
    }
    if settings.network {
        task_set = task_set.network_configuration(network_configuration(builder, network));
    }
    let task_set = scope.add("TaskSet", task_set);
    scope.add(
        "PrimaryTaskSet",
        l1::PrimaryTaskSet::new(l1p::PrimaryTaskSetRequired {
            cluster,
            service: service.ref_value(),
            task_set_id: task_set.attr_id(),
        }),
    );
    task_set
}

fn network_configuration<L: LaunchType>(
    builder: &ServiceBuilder<L>,
    (subnets, security_groups): (&[Subnet], &[SecurityGroup]),
) -> l1t::NetworkConfiguration {
    let awsvpc =
        l1t::AwsVpcConfiguration::new(subnets.iter().map(Subnet::subnet_id).collect::<Vec<_>>())
            .security_groups(
                security_groups
                    .iter()
                    .map(SecurityGroup::group_id)
                    .collect::<Vec<_>>(),
            )
            .assign_public_ip(if builder.fargate_public_ip {
                l1t::AssignPublicIp::Enabled
            } else {
                l1t::AssignPublicIp::Disabled
            });
    l1t::NetworkConfiguration::new().aws_vpc_configuration(awsvpc)
}
