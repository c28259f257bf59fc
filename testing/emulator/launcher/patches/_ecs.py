"""Helpers shared by the ECS patches and models: CloudFormation's property casing
to the ECS API's, and the checks ECS makes of capacity provider strategies."""

from __future__ import annotations

from typing import Any

from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.models import ecs_backends

# CloudFormation names whose ECS API name is not just the first letter lowered.
_RENAMED = {
    "PlacementStrategies": "placementStrategy",
    "EFSVolumeConfiguration": "efsVolumeConfiguration",
    "FSxWindowsFileServerVolumeConfiguration": "fsxWindowsFileServerVolumeConfiguration",
    "EnableECSManagedTags": "enableECSManagedTags",
}
# Maps whose keys are data (log driver options, Docker labels), kept as written.
_FREE_MAPS = {"Options", "DockerLabels", "DriverOpts", "Labels"}

# The AWS-managed capacity providers every cluster may use.
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def backend(account_id: str, region_name: str) -> Any:
    return ecs_backends[account_id][region_name]


def is_external(service: Any) -> bool:
    """Whether the service's tasks are run by task sets (the EXTERNAL deployment controller)."""
    return (getattr(service, "deployment_controller", None) or {}).get("type") == "EXTERNAL"


def follow_primary_task_set(service: Any) -> None:
    """An EXTERNAL service is described with its primary task set's task definition and load
    balancers (what UpdateServicePrimaryTaskSet moves to the service); nothing without one."""
    primary = next((t for t in getattr(service, "task_sets", None) or [] if t.status == "PRIMARY"), None)
    if primary is not None:
        service.task_definition = primary.task_definition
        service.load_balancers = [dict(item) for item in primary.load_balancers or []]


def api_keys(value: Any) -> Any:
    """A CloudFormation property value (PascalCase keys) in the ECS API's camelCase."""
    if isinstance(value, list):
        return [api_keys(item) for item in value]
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            name = _RENAMED.get(key) or key[:1].lower() + key[1:]
            converted[name] = dict(item) if key in _FREE_MAPS and isinstance(item, dict) else api_keys(item)
        return converted
    return value


def api_tags(tags: Any) -> list[dict[str, str]]:
    """CloudFormation `{Key, Value}` tags as the ECS API's `{key, value}`."""
    return [{"key": tag["Key"], "value": tag["Value"]} for tag in tags or []]


def as_bool(value: Any, default: bool = False) -> bool:
    return default if value is None else str(value).lower() == "true"


def strategy(items: Any) -> list[dict[str, Any]]:
    """A capacity provider strategy as ECS keeps it (weight and base default to 0)."""
    return [
        {
            "capacityProvider": item["CapacityProvider"],
            "weight": int(item.get("Weight", 0)),
            "base": int(item.get("Base", 0)),
        }
        for item in items or []
    ]


def provider_name(name_or_arn: str) -> str:
    return name_or_arn.rsplit("/", 1)[-1]


def check_strategy_is_associated(associated: list[str] | None, items: list[dict[str, Any]]) -> None:
    """ECS refuses a strategy naming a capacity provider the cluster is not associated with
    (`associated`: the cluster's capacity providers)."""
    names = {provider_name(p) for p in associated or []}
    for item in items:
        if provider_name(item["capacityProvider"]) not in names:
            raise InvalidParameterException(
                "The specified capacity provider strategy cannot contain a capacity provider that is not "
                "associated with the cluster. Associate the capacity provider with the cluster or specify "
                "a valid capacity provider and try again."
            )
