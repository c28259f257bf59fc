"""AWS::ECS::TaskDefinition: every property reaches the task definition; updates; GetAtt.

What CloudFormation does
  RegisterTaskDefinition with all the template's properties: NetworkMode
  (`bridge`, `host`, `awsvpc`), RequiresCompatibilities, TaskRoleArn,
  ExecutionRoleArn, Cpu, Memory, PlacementConstraints, PidMode, IpcMode,
  RuntimePlatform, EphemeralStorage, ProxyConfiguration, Volumes (host paths,
  EFS) and Tags.  Without Family the family is a generated
  `<stack>-<LogicalId>-<SUFFIX>`.  Ref and GetAtt TaskDefinitionArn return the
  revision's ARN.  A change to anything but Tags registers a new revision (a
  replacement: new ARN) and deregisters the old one; Tags update in place.
  Deleting the resource deregisters the revision.

  ECS names a revision by ARN, `family:revision` or the family alone, which
  means the family's latest ACTIVE revision (DescribeTaskDefinition,
  CreateService, UpdateService, RunTask); a family without an ACTIVE
  revision names none.

What moto 5.2.1 does instead
  Only the container definitions, volumes and memory are passed: a `host`
  task definition is described as `bridge`, roles, compatibilities, CPU and
  tags are lost, and the family is `task-definition-<6 digits>`.  On update
  it compares its camelCase container definitions with the template's
  PascalCase ones (always different) and re-registers them with PascalCase
  keys.  GetAtt TaskDefinitionArn is refused and there is no delete.  A
  family alone names its latest revision even when that one is INACTIVE
  (deregistered by a replacement, say).
"""

from __future__ import annotations

import copy
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.ecs.exceptions import TaskDefinitionNotFoundException
from moto.ecs.models import EC2ContainerServiceBackend, TaskDefinition

from ._ecs import api_keys, api_tags, backend


def _register(family: str, p: dict, account_id: str, region_name: str) -> TaskDefinition:
    memory = p.get("Memory")
    cpu = p.get("Cpu")
    task_definition = backend(account_id, region_name).register_task_definition(
        family=family,
        container_definitions=api_keys(p.get("ContainerDefinitions") or []),
        volumes=api_keys(p.get("Volumes")),
        network_mode=p.get("NetworkMode"),
        tags=api_tags(p.get("Tags")),
        placement_constraints=api_keys(p.get("PlacementConstraints")),
        requires_compatibilities=p.get("RequiresCompatibilities"),
        cpu=None if cpu is None else str(cpu),
        memory=None if memory is None else str(memory),
        task_role_arn=p.get("TaskRoleArn"),
        execution_role_arn=p.get("ExecutionRoleArn"),
        proxy_configuration=api_keys(p.get("ProxyConfiguration")),
        inference_accelerators=api_keys(p.get("InferenceAccelerators")),
        runtime_platform=api_keys(p.get("RuntimePlatform")),
        ipc_mode=p.get("IpcMode"),
        pid_mode=p.get("PidMode"),
        ephemeral_storage=api_keys(p.get("EphemeralStorage")),
    )
    # What the revision was made from, to tell a replacement from a tag update.
    task_definition.cfn_properties = copy.deepcopy(p)
    return task_definition


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> TaskDefinition:
    p = cloudformation_json.get("Properties") or {}
    return _register(p.get("Family") or resource_name, p, account_id, region_name)


def _update(
    cls: type, original_resource: TaskDefinition, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
) -> TaskDefinition:
    p = cloudformation_json.get("Properties") or {}
    before = {k: v for k, v in (getattr(original_resource, "cfn_properties", None) or {}).items() if k != "Tags"}
    if before and before == {k: v for k, v in p.items() if k != "Tags"}:
        original_resource.tags = api_tags(p.get("Tags"))
        original_resource.cfn_properties = copy.deepcopy(p)
        return original_resource
    # A new revision; with the same Family (or none) it joins the same family.
    family = p.get("Family") or (original_resource.family if not before.get("Family") else new_resource_name)
    replacement = _register(family, p, account_id, region_name)
    original_resource.delete(account_id, region_name)
    return replacement


def _delete(self: TaskDefinition, account_id: str, region_name: str) -> None:
    if self.status == "ACTIVE":
        backend(account_id, region_name).deregister_task_definition(self.arn)


def _get_cfn_attribute(self: TaskDefinition, attribute_name: str) -> str:
    if attribute_name == "TaskDefinitionArn":
        return self.arn
    raise UnformattedGetAttTemplateException()


def _describe_task_definition(self: EC2ContainerServiceBackend, task_definition_str: str) -> TaskDefinition:
    name = task_definition_str.split("/")[-1]
    if ":" in name:
        return _original_describe(self, task_definition_str)
    revisions = self.task_definitions.get(name) or {}
    active = [number for number, revision in revisions.items() if revision.status == "ACTIVE"]
    if not active:
        raise TaskDefinitionNotFoundException()
    return revisions[max(active)]


_original_describe = EC2ContainerServiceBackend.describe_task_definition


def apply() -> None:
    EC2ContainerServiceBackend.describe_task_definition = _describe_task_definition
    TaskDefinition.create_from_cloudformation_json = classmethod(_create)
    TaskDefinition.update_from_cloudformation_json = classmethod(_update)
    TaskDefinition.delete = _delete
    TaskDefinition.get_cfn_attribute = _get_cfn_attribute
    TaskDefinition.has_cfn_attr = classmethod(lambda cls, attr: attr == "TaskDefinitionArn")
