"""AWS::ECS::Service: every property reaches the service; in-place updates; deletion.

What CloudFormation does
  CreateService with the template's LaunchType or CapacityProviderStrategy
  (neither: the cluster's default capacity provider strategy, else EC2),
  SchedulingStrategy (`DAEMON`: one task per container instance, no desired
  count), PlacementStrategies, PlacementConstraints, LoadBalancers,
  DeploymentConfiguration (circuit breaker; maximum/minimum percent default to
  200/100, 100/0 for a daemon), DeploymentController, NetworkConfiguration,
  ServiceRegistries, HealthCheckGracePeriodSeconds, EnableExecuteCommand,
  EnableECSManagedTags, PropagateTags, PlatformVersion, Role and Tags.  A
  replica service without DesiredCount starts with 1.  Ref returns the service
  ARN; GetAtt Name and ServiceArn.  A new ServiceName, Cluster,
  SchedulingStrategy or Role replaces the service; everything else updates
  in place (an update without DesiredCount keeps the current count).  ECS
  refuses both a launch type and a strategy, and a strategy naming a capacity
  provider the cluster is not associated with (which is why a service using
  one depends on the cluster's ClusterCapacityProviderAssociations).

  TaskDefinition may be an ARN, `family:revision` or a family alone, which
  names the family's latest ACTIVE revision; the service is described with
  the revision's ARN.  CloudFormation passes it to UpdateService only when the
  property's value changed: a new revision (the Ref of a replaced task
  definition) starts a new deployment of that revision, while an unchanged
  family name leaves the service on its revision.  A service with the
  CODE_DEPLOY deployment controller is released by CodeDeploy, not by
  UpdateService: ECS refuses to change its task definition ("Unable to update
  task definition on services with a CODE_DEPLOY deployment controller. Use
  AWS CodeDeploy to trigger a new deployment."), load balancers, network
  configuration or platform version; this is why such a template names the
  task definition by family (the release registers revisions and asks
  CodeDeploy to deploy them).  A service with the EXTERNAL controller (the
  `AWS::CodeDeployBlueGreen` transform's) is declared without task
  definition, load balancers, network configuration or launch type: its task
  sets (AWS::ECS::TaskSet) carry them, and it is described with its primary
  task set's task definition and load balancers.  DeploymentConfiguration keeps every key ECS
  has, the native blue/green ones included (Strategy BLUE_GREEN, CANARY or
  LINEAR, CanaryConfiguration, LinearConfiguration, BakeTimeInMinutes,
  Alarms, LifecycleHooks), as do LoadBalancers (AdvancedConfiguration:
  AlternateTargetGroupArn, ProductionListenerRule, TestListenerRule, RoleArn).

What moto 5.2.1 does instead
  The model passes the cluster, task definition and desired count only: the
  service is described as an EC2 `REPLICA` service without load balancers,
  strategy, placement, deployment configuration or tags, a daemon gets a
  desired count of 0 and no `DAEMON`, DesiredCount defaults to 0, GetAtt
  ServiceArn is refused, and stack deletion leaves the service ACTIVE.  On
  update it passes the template's TaskDefinition string as it is: a family
  name is stored on the service in place of a revision ARN, any task
  definition change of a CODE_DEPLOY service is accepted, and the service's
  deployment keeps naming the old revision.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.ecs.exceptions import InvalidParameterException
from moto.core.utils import utcnow
from moto.ecs.models import Service
from moto.moto_api._internal import mock_random

from ._ecs import (
    FARGATE_PROVIDERS,
    api_keys,
    api_tags,
    as_bool,
    backend,
    check_strategy_is_associated,
    follow_primary_task_set,
    is_external,
    provider_name,
    strategy,
)


# What UpdateService refuses to change on a CODE_DEPLOY service (CodeDeploy deploys them).
_CODE_DEPLOY_FIXED = {
    "TaskDefinition": "task definition",
    "LoadBalancers": "load balancers",
    "NetworkConfiguration": "network parameters",
    "PlatformVersion": "platform version",
}


def _cluster_name(p: dict) -> str:
    return str(p.get("Cluster") or "default").rsplit("/", 1)[-1]


def _deployment_configuration(p: dict, scheduling: str) -> dict[str, Any]:
    given = api_keys(p.get("DeploymentConfiguration") or {})
    daemon = scheduling == "DAEMON"
    configuration = {
        "maximumPercent": 100 if daemon else 200,
        "minimumHealthyPercent": 0 if daemon else 100,
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    }
    configuration.update(given)
    return configuration


def _placement(p: dict, account_id: str, region_name: str) -> tuple[str | None, list[dict[str, Any]]]:
    """The service's launch type and capacity provider strategy, as ECS settles them."""
    launch_type = p.get("LaunchType")
    items = strategy(p.get("CapacityProviderStrategy"))
    if launch_type and items:
        raise InvalidParameterException(
            "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."
        )
    cluster = backend(account_id, region_name)._get_cluster(_cluster_name(p))
    if (p.get("DeploymentController") or {}).get("Type") == "EXTERNAL" and not launch_type and not items:
        return None, []  # the task sets say where their tasks run
    if not launch_type and not items:
        items = list(cluster.default_capacity_provider_strategy or [])
        if not items:
            launch_type = "EC2"
    check_strategy_is_associated(cluster.capacity_providers, items)
    return launch_type, items


def _set_properties(service: Service, p: dict, launch_type: str | None, items: list[dict[str, Any]]) -> None:
    """What moto's create_service/update_service do not take, set on the service as ECS describes it."""
    service.launch_type = launch_type
    service.capacity_provider_strategy = items or None
    service.load_balancers = api_keys(p.get("LoadBalancers") or [])
    service.service_registries = api_keys(p.get("ServiceRegistries") or [])
    service.placement_constraints = api_keys(p.get("PlacementConstraints") or [])
    service.placement_strategy = api_keys(p.get("PlacementStrategies") or [])
    service.deployment_configuration = _deployment_configuration(p, service.scheduling_strategy)
    grace = p.get("HealthCheckGracePeriodSeconds")
    service.health_check_grace_period_seconds = None if grace is None else int(grace)
    service.enable_execute_command = as_bool(p.get("EnableExecuteCommand"))
    service.enable_ecs_managed_tags = as_bool(p.get("EnableECSManagedTags"))
    service.propagate_tags = p.get("PropagateTags") or "NONE"
    service.platform_version = p.get("PlatformVersion")
    service.tags = api_tags(p.get("Tags"))
    network = api_keys(p.get("NetworkConfiguration"))
    service.network_configuration = network or {}
    # What the service was made from, to tell which properties an update changes.
    service.cfn_properties = copy.deepcopy(p)
    fargate = launch_type == "FARGATE" or bool(items) and all(
        provider_name(item["capacityProvider"]) in FARGATE_PROVIDERS for item in items
    )
    for deployment in service.deployments:
        deployment["launchType"] = launch_type
        deployment["capacityProviderStrategy"] = items or None
        # A platform family is given for tasks on Fargate only.
        deployment["platformFamily"] = deployment.get("platformFamily") if fargate else None
        deployment["networkConfiguration"] = network
    if is_external(service):
        follow_primary_task_set(service)


def _desired_count(p: dict, scheduling: str, cluster: str, account_id: str, region_name: str) -> int:
    if scheduling == "DAEMON":
        # One task per container instance of the cluster.
        return len(backend(account_id, region_name).container_instances.get(cluster, {}))
    return int(p.get("DesiredCount", 1))


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Service:
    p = cloudformation_json.get("Properties") or {}
    launch_type, items = _placement(p, account_id, region_name)
    scheduling = p.get("SchedulingStrategy") or "REPLICA"
    cluster = _cluster_name(p)
    network = api_keys(p.get("NetworkConfiguration"))
    if network:
        # moto checks the subnets and security groups exist; the groups are optional.
        network["awsvpcConfiguration"].setdefault("securityGroups", [])
    service = backend(account_id, region_name).create_service(
        cluster,
        p.get("ServiceName") or resource_name,
        _desired_count(p, scheduling, cluster, account_id, region_name),
        task_definition_str=p.get("TaskDefinition"),
        scheduling_strategy=scheduling,
        deployment_controller=api_keys(p.get("DeploymentController")),
        launch_type=launch_type or "EC2",
        network_configuration=network,
        role_arn=p.get("Role"),
    )
    _set_properties(service, p, launch_type, items)
    return service


def _update(cls: type, original_resource: Service, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> Service:
    p = cloudformation_json.get("Properties") or {}
    name = p.get("ServiceName") or original_resource.name
    scheduling = p.get("SchedulingStrategy") or "REPLICA"
    if (
        name != original_resource.name
        or _cluster_name(p) != original_resource.cluster_name
        or scheduling != original_resource.scheduling_strategy
        or p.get("Role") != original_resource.role_arn
    ):
        replacement = _create(cls, p.get("ServiceName") or new_resource_name, cloudformation_json, account_id, region_name)
        original_resource.delete(account_id, region_name)
        return replacement
    launch_type, items = _placement(p, account_id, region_name)
    desired = None
    if scheduling == "DAEMON" or "DesiredCount" in p:
        desired = _desired_count(p, scheduling, original_resource.cluster_name, account_id, region_name)
    before = getattr(original_resource, "cfn_properties", {})
    changed = {key for key in _CODE_DEPLOY_FIXED if p.get(key) != before.get(key)}
    if (original_resource.deployment_controller or {}).get("type") == "CODE_DEPLOY" and changed:
        what = _CODE_DEPLOY_FIXED[sorted(changed)[-1]]
        raise InvalidParameterException(
            f"Unable to update {what} on services with a CODE_DEPLOY deployment controller. "
            "Use AWS CodeDeploy to trigger a new deployment."
        )
    ecs = backend(account_id, region_name)
    # CloudFormation passes the task definition only when the property changed; ECS keeps the ARN.
    revision = ecs.describe_task_definition(p["TaskDefinition"]).arn if "TaskDefinition" in changed else None
    service = ecs.update_service(
        {
            "cluster": original_resource.cluster_name,
            "service": original_resource.name,
            "task_definition": revision,
            "desired_count": desired,
        }
    )
    if revision and revision != (service.deployments[0]["taskDefinition"] if service.deployments else None):
        _new_deployment(service, revision)
    _set_properties(service, p, launch_type, items)
    return service


def _new_deployment(service: Service, revision: str) -> None:
    """The deployment ECS starts for a new revision; CloudFormation waits until it has
    replaced the previous one, so the service is left with that one deployment."""
    if not service.deployments:
        return
    now = utcnow()
    deployment = dict(service.deployments[0])
    deployment_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
    deployment.update(
        id=deployment_id,
        taskDefinition=revision,
        createdAt=now,
        updatedAt=now,
        rolloutStateReason=f"ECS deployment {deployment_id} in progress." if deployment.get("rolloutState") == "IN_PROGRESS"
        else f"ECS deployment {deployment_id} completed.",
    )
    service.deployments = [deployment]


def _delete(self: Service, account_id: str, region_name: str) -> None:
    if self.status == "ACTIVE":
        backend(account_id, region_name).delete_service(self.cluster_name, self.name, force=True)


def _get_cfn_attribute(self: Service, attribute_name: str) -> str:
    if attribute_name == "Name":
        return self.name
    if attribute_name == "ServiceArn":
        return self.arn
    raise UnformattedGetAttTemplateException()


def apply() -> None:
    Service.create_from_cloudformation_json = classmethod(_create)
    Service.update_from_cloudformation_json = classmethod(_update)
    Service.delete = _delete
    Service.get_cfn_attribute = _get_cfn_attribute
    Service.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Name", "ServiceArn"))
