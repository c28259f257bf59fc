"""AWS::ECS::Cluster: its properties reach the cluster; updates in place; deletion.

What CloudFormation does
  The cluster is created with its ClusterSettings (containerInsights),
  Configuration, ServiceConnectDefaults, Tags, and, when given,
  CapacityProviders and DefaultCapacityProviderStrategy.  Only a new
  ClusterName replaces it: settings, configuration, tags and capacity
  providers update in place, and a cluster whose name was generated keeps it.
  Deleting the stack deletes the cluster (ECS refuses while services of the
  cluster are active).

What moto 5.2.1 does instead
  The model passes the name alone: `describe_clusters` shows containerInsights
  `disabled` for a template that enables it, no tags, no configuration.  Its
  update compares the stored name with a freshly generated one, so any change
  to a cluster without ClusterName replaces it (new name, new ARN, its services
  left behind).  It has no delete, so the cluster stays ACTIVE after its stack
  is deleted.
"""

from __future__ import annotations

from typing import Any

from moto.ecs.exceptions import ECSException
from moto.ecs.models import Cluster

from ._ecs import api_keys, api_tags, backend, provider_name, strategy


def _settings(properties: dict) -> list[dict[str, str]] | None:
    settings = properties.get("ClusterSettings")
    return None if settings is None else [{"name": s["Name"], "value": s["Value"]} for s in settings]


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Cluster:
    p = cloudformation_json.get("Properties") or {}
    providers = p.get("CapacityProviders")
    default = p.get("DefaultCapacityProviderStrategy")
    cluster = backend(account_id, region_name).create_cluster(
        cluster_name=resource_name,
        tags=api_tags(p.get("Tags")) or None,
        cluster_settings=_settings(p),
        configuration=api_keys(p.get("Configuration")),
        capacity_providers=None if providers is None else [provider_name(x) for x in providers],
        default_capacity_provider_strategy=None if default is None else strategy(default),
        service_connect_defaults=api_keys(p.get("ServiceConnectDefaults")),
    )
    return cluster


def _update(cls: type, original_resource: Cluster, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> Cluster:
    p = cloudformation_json.get("Properties") or {}
    name = p.get("ClusterName") or original_resource.name
    if name != original_resource.name:
        replacement = _create(cls, name, cloudformation_json, account_id, region_name)
        original_resource.delete(account_id, region_name)
        return replacement
    cluster = original_resource
    cluster.settings = _settings(p) or [{"name": "containerInsights", "value": "disabled"}]
    cluster.configuration = api_keys(p.get("Configuration"))
    cluster.service_connect_defaults = api_keys(p.get("ServiceConnectDefaults"))
    cluster.tags = api_tags(p.get("Tags")) or None
    if "CapacityProviders" in p or "DefaultCapacityProviderStrategy" in p:
        backend(account_id, region_name).put_cluster_capacity_providers(
            cluster.name,
            [provider_name(x) for x in p.get("CapacityProviders") or []],
            strategy(p.get("DefaultCapacityProviderStrategy")),
        )
    return cluster


def _delete(self: Cluster, account_id: str, region_name: str) -> None:
    ecs = backend(account_id, region_name)
    if any(s.cluster_arn == self.arn and s.status == "ACTIVE" for s in ecs.services.values()):
        raise ECSException("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.")
    ecs.delete_cluster(self.arn)


def apply() -> None:
    Cluster.create_from_cloudformation_json = classmethod(_create)
    Cluster.update_from_cloudformation_json = classmethod(_update)
    Cluster.delete = _delete
