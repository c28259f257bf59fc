"""ECS task sets of a service with the EXTERNAL deployment controller, and its primary task set.

What CloudFormation does
  AWS::ECS::TaskSet creates a task set (CreateTaskSet) in a service whose
  deployment controller is EXTERNAL, the kind of service the
  `AWS::CodeDeployBlueGreen` transform deploys: TaskDefinition, LaunchType or
  CapacityProviderStrategy, PlatformVersion, NetworkConfiguration
  (AwsVpcConfiguration), LoadBalancers, ServiceRegistries, ExternalId, Scale
  ({Unit: PERCENT, Value}: the share of the service's desired count it runs) and
  Tags.  GetAtt Id returns the task set's id (`ecs-svc/<digits>`); Ref returns
  its primary identifier, Cluster, Service and Id joined with `|`.  Scale and
  Tags update in place (UpdateTaskSet, TagResource); every other property is
  create-only: a new task set replaces it (a new task definition revision, say),
  and the old one is deleted in the cleanup phase of the update, once the
  PrimaryTaskSet has moved the service to the new one.  ECS refuses a task set
  in a service without the EXTERNAL controller, both a launch type and a
  capacity provider strategy, a strategy naming a provider the cluster is not
  associated with, and an `awsvpc` task definition without network
  configuration.

  AWS::ECS::PrimaryTaskSet makes the task set TaskSetId (id or ARN) the
  service's primary one (UpdateServicePrimaryTaskSet): that task set is
  described `PRIMARY`, the others `ACTIVE`, and the service takes its task
  definition and load balancers.  Ref returns Cluster and Service joined with
  `|`; no GetAtt.  TaskSetId updates in place; a new Cluster or Service
  replaces it.  Deleting it changes nothing in ECS (the task set stays primary).

What moto 5.2.1 does instead
  Neither type has a model: both are skipped ("No Moto CloudFormation
  support"), the service has no task set and GetAtt Id of the task set fails.
  Its ECS backend has the operations, with flaws the models work around:
  CreateTaskSet with a Scale starts the tasks through RunTask, which fails for
  `awsvpc` tasks (AttributeError on the network interface, an HTML 500) and for
  EC2 in a cluster without container instances; UpdateServicePrimaryTaskSet
  given a task set *id* leaves every task set ACTIVE; nothing checks the
  service's deployment controller.

These models call moto's ECS backend, so `ecs.describe_task_sets` and
`ecs.describe_services` (`taskSets`) show what the template made.  No tasks are
started (as for services: no container instance registers); a task set is
described with its computed desired count, all of it pending.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ecs.exceptions import InvalidParameterException, ServiceNotFoundException, TaskSetNotFoundException

from patches._ecs import (
    api_keys,
    api_tags,
    backend,
    check_strategy_is_associated,
    follow_primary_task_set,
    is_external,
    strategy,
)
from patches.replacement_cleanup import defer_delete

from ._base import CfnResource, props

# What a task set update changes in place; any other change replaces it.
_IN_PLACE = ("Scale", "Tags")


def _last(name_or_arn: Any) -> str:
    return str(name_or_arn).rsplit("/", 1)[-1]


def _service(ecs: Any, cluster: str, service: Any) -> Any:
    """The ACTIVE service `service` (name or ARN) of `cluster`, as ECS finds it."""
    found = ecs.services.get(f"{_last(cluster)}:{_last(service)}")
    if found is None or found.status != "ACTIVE":
        raise ServiceNotFoundException()
    return found


def _scale(p: dict) -> dict[str, Any]:
    given = p.get("Scale") or {}
    return {"value": float(given.get("Value", 100)), "unit": given.get("Unit") or "PERCENT"}


def _set_counts(task_set: Any, service: Any) -> None:
    """What ECS computes from the scale; no task starts in the emulator, so all are pending."""
    count = math.ceil(service.desired_count * task_set.scale["value"] / 100)
    task_set.computed_desired_count = count
    task_set.pending_count = count
    task_set.running_count = 0


def _load_balancers(p: dict) -> list[dict[str, Any]]:
    items = api_keys(p.get("LoadBalancers") or [])
    for item in items:
        if "containerPort" in item:
            item["containerPort"] = int(item["containerPort"])
    return items


def _network(p: dict) -> dict[str, Any] | None:
    """NetworkConfiguration in the ECS API's form: a task set's CloudFormation name is
    `AwsVpcConfiguration` (a service's `AwsvpcConfiguration`; both are taken)."""
    given = p.get("NetworkConfiguration") or {}
    vpc = given.get("AwsVpcConfiguration") or given.get("AwsvpcConfiguration")
    if not vpc:
        return None
    # moto's task network needs the list; ECS takes the VPC's default group when it is absent.
    return {"awsvpcConfiguration": {"securityGroups": [], **api_keys(vpc)}}


def _create_task_set(p: dict, account_id: str, region_name: str) -> Any:
    ecs = backend(account_id, region_name)
    cluster = ecs._get_cluster(str(p["Cluster"]))
    service = _service(ecs, cluster.name, p["Service"])
    if not is_external(service):
        raise InvalidParameterException(
            "Task sets can only be created in a service that uses the EXTERNAL deployment controller."
        )
    launch_type = p.get("LaunchType")
    items = strategy(p.get("CapacityProviderStrategy"))
    if launch_type and items:
        raise InvalidParameterException(
            "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."
        )
    if items:
        check_strategy_is_associated(cluster.capacity_providers, items)
    task_definition = ecs.describe_task_definition(str(p["TaskDefinition"]))
    network = _network(p)
    if network:
        service._validate_network(network)
    elif task_definition.network_mode == "awsvpc":
        raise InvalidParameterException("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
    task_set = ecs.create_task_set(
        service.name,
        cluster.name,
        task_definition.arn,
        external_id=p.get("ExternalId"),
        network_configuration=network,
        load_balancers=_load_balancers(p),
        service_registries=api_keys(p.get("ServiceRegistries") or []),
        launch_type=launch_type,
        capacity_provider_strategy=items,
        platform_version=p.get("PlatformVersion"),
        scale=None,  # moto would start the tasks through RunTask (see the module's docstring)
        tags=api_tags(p.get("Tags")),
    )
    if items:
        task_set.launch_type = None  # moto sets EC2 when no launch type is given
    task_set.scale = _scale(p)
    _set_counts(task_set, service)
    return task_set


class EcsTaskSet(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Id": "task_set_id"}

    def __init__(self, task_set: Any, properties: dict):
        self.task_set = task_set  # moto's ECS TaskSet
        self.cfn_properties = copy.deepcopy(properties)

    task_set_id = property(lambda self: self.task_set.id)

    @property
    def physical_resource_id(self) -> str:
        p = self.cfn_properties
        return f"{p['Cluster']}|{p['Service']}|{self.task_set.id}"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ECS::TaskSet"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        return cls(_create_task_set(p, account_id, region_name), p)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)

        def fixed(properties: dict) -> dict:
            return {k: v for k, v in properties.items() if k not in _IN_PLACE}

        if fixed(p) == fixed(original_resource.cfn_properties) and original_resource.exists(account_id, region_name):
            ecs = backend(account_id, region_name)
            task_set = original_resource.task_set
            ecs.update_task_set(task_set.cluster, task_set.service, task_set.task_set_arn, _scale(p))
            task_set.tags = api_tags(p.get("Tags"))
            _set_counts(task_set, _service(ecs, task_set.cluster, task_set.service))
            original_resource.cfn_properties = copy.deepcopy(p)
            return original_resource
        replacement = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        # Deleted in the cleanup phase, after the PrimaryTaskSet moved to the new task set.
        defer_delete(replacement, original_resource.delete)
        return replacement

    def exists(self, account_id: str, region_name: str) -> bool:
        ecs = backend(account_id, region_name)
        service = ecs.services.get(f"{_last(self.task_set.cluster)}:{_last(self.task_set.service)}")
        return service is not None and any(t is self.task_set for t in service.task_sets)

    def delete(self, account_id: str, region_name: str) -> None:
        if self.exists(account_id, region_name):
            backend(account_id, region_name).delete_task_set(
                self.task_set.cluster, self.task_set.service, self.task_set.task_set_arn
            )


def _make_primary(p: dict, account_id: str, region_name: str) -> None:
    ecs = backend(account_id, region_name)
    cluster = ecs._get_cluster(str(p["Cluster"]))
    service = _service(ecs, cluster.name, p["Service"])
    found = ecs.describe_task_sets(cluster.name, service.name, [str(p["TaskSetId"])])
    if not found:
        raise TaskSetNotFoundException()
    # By ARN: moto marks no task set PRIMARY when given the id.
    ecs.update_service_primary_task_set(cluster.name, service.name, found[0].task_set_arn)
    follow_primary_task_set(service)


class EcsPrimaryTaskSet(CfnResource, CloudFormationModel):
    ATTRIBUTES: dict[str, str] = {}

    def __init__(self, properties: dict):
        self.cfn_properties = copy.deepcopy(properties)

    @property
    def physical_resource_id(self) -> str:
        return f"{self.cfn_properties['Cluster']}|{self.cfn_properties['Service']}"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ECS::PrimaryTaskSet"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        _make_primary(p, account_id, region_name)
        return cls(p)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        before = original_resource.cfn_properties
        if any(_last(p[key]) != _last(before[key]) for key in ("Cluster", "Service")):
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        _make_primary(p, account_id, region_name)
        original_resource.cfn_properties = copy.deepcopy(p)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        """ECS has no call to unset a primary task set: nothing changes."""
