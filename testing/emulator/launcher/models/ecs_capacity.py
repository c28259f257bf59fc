"""ECS capacity providers and their association with a cluster.

What CloudFormation does
  AWS::ECS::CapacityProvider creates a capacity provider for an Auto Scaling
  group (`AutoScalingGroupProvider`: the group's name or ARN, ManagedScaling,
  ManagedTerminationProtection, ManagedDraining).  Ref returns its name,
  generated as `<stack>-<LogicalId>-<SUFFIX>` when Name is absent; there is no
  GetAtt.  ManagedScaling, ManagedTerminationProtection, ManagedDraining and
  Tags update in place; a new Name or Auto Scaling group replaces it.  ECS
  refuses a name prefixed with "aws", "ecs" or "fargate" (so a generated name
  in a stack named so), managed termination protection for a group whose new
  instances are not protected from scale in, and deleting a capacity provider
  that a cluster still uses.

  AWS::ECS::ClusterCapacityProviderAssociations sets a cluster's capacity
  providers (its own and the AWS-managed FARGATE and FARGATE_SPOT) and its
  default capacity provider strategy, as PutClusterCapacityProviders does.
  Ref returns the cluster.  Both lists update in place; another Cluster
  replaces it; deleting it leaves the cluster without capacity providers.  ECS
  refuses a provider that does not exist, a default strategy naming a provider
  the cluster is not associated with, and removing a provider that a service
  of the cluster still uses in its strategy.

What moto 5.2.1 does instead
  It has both operations in its ECS backend (create_capacity_provider,
  put_cluster_capacity_providers) but no CloudFormation model for either:
  both resources are skipped ("No Moto CloudFormation support"), a Ref to the
  capacity provider resolves to nothing, and `ecs.describe_clusters` shows a
  cluster with no capacity providers.

These models call moto's ECS backend, so `ecs.describe_capacity_providers` and
`ecs.describe_clusters` show what the template made.
"""

from __future__ import annotations

from typing import Any

from moto.autoscaling.models import autoscaling_backends
from moto.core.common_models import CloudFormationModel
from moto.ecs.exceptions import EcsClientException

from patches._ecs import (
    FARGATE_PROVIDERS,
    api_tags,
    backend,
    check_strategy_is_associated,
    provider_name,
    strategy,
)

from ._base import CfnResource, props


def _auto_scaling_group(account_id: str, region_name: str, name_or_arn: str) -> Any:
    groups = autoscaling_backends[account_id][region_name].autoscaling_groups
    for group in groups.values():
        if name_or_arn in (group.name, group.arn):
            return group
    raise EcsClientException(f"The specified Auto Scaling group {name_or_arn} could not be found.")


def _asg_provider(account_id: str, region_name: str, properties: dict) -> dict[str, Any]:
    """The template's AutoScalingGroupProvider in the ECS API's form, checked as ECS checks it."""
    given = properties.get("AutoScalingGroupProvider") or {}
    group = _auto_scaling_group(account_id, region_name, given["AutoScalingGroupArn"])
    scaling = given.get("ManagedScaling") or {}
    details: dict[str, Any] = {
        # ECS accepts the group's name or ARN, and answers with the ARN.
        "autoScalingGroupArn": group.arn,
        "managedScaling": {
            key: int(scaling[name]) if name != "Status" else scaling[name]
            for name, key in (
                ("Status", "status"),
                ("TargetCapacity", "targetCapacity"),
                ("MinimumScalingStepSize", "minimumScalingStepSize"),
                ("MaximumScalingStepSize", "maximumScalingStepSize"),
                ("InstanceWarmupPeriod", "instanceWarmupPeriod"),
            )
            if name in scaling
        },
        "managedTerminationProtection": given.get("ManagedTerminationProtection", "DISABLED"),
        "managedDraining": given.get("ManagedDraining", "ENABLED"),
    }
    if details["managedTerminationProtection"] == "ENABLED" and not group.new_instances_protected_from_scale_in:
        raise EcsClientException(
            "The managed termination protection setting for the capacity provider is invalid. To enable "
            "managed termination protection for a capacity provider, the Auto Scaling group must have "
            "instance protection from scale in enabled."
        )
    return details


def _clusters_using(account_id: str, region_name: str, name: str) -> list[Any]:
    return [
        cluster
        for cluster in backend(account_id, region_name).clusters.values()
        if cluster.status == "ACTIVE" and name in {provider_name(p) for p in cluster.capacity_providers or []}
    ]


class CapacityProvider(CfnResource, CloudFormationModel):
    ATTRIBUTES: dict[str, str] = {}

    def __init__(self, provider: Any):
        self.provider = provider

    physical_resource_id = property(lambda self: self.provider.name)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ECS::CapacityProvider"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        if resource_name.lower().startswith(("aws", "ecs", "fargate")):
            raise EcsClientException(
                f"The capacity provider name {resource_name} is not valid: it cannot be prefixed with "
                '"aws", "ecs", or "fargate".'
            )
        details = _asg_provider(account_id, region_name, p)
        # moto keeps the dict it is given (adding its defaults), so managedDraining is described too.
        provider = backend(account_id, region_name).create_capacity_provider(resource_name, details, api_tags(p.get("Tags")))
        return cls(provider)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        current = original_resource.provider
        name = p.get("Name") or current.name
        details = _asg_provider(account_id, region_name, p)
        if name != current.name or details["autoScalingGroupArn"] != current.auto_scaling_group_provider["autoScalingGroupArn"]:
            # Replacement: the new provider first, the old one deleted afterwards.
            replacement = cls.create_from_cloudformation_json(
                p.get("Name") or new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return replacement
        current.auto_scaling_group_provider = current._prepare_asg_provider(details)
        current.update_status = "UPDATE_COMPLETE"
        current.tags = api_tags(p.get("Tags"))
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        if _clusters_using(account_id, region_name, self.provider.name):
            raise EcsClientException(
                "The capacity provider cannot be deleted because it is associated with cluster. Remove the "
                "capacity provider from the cluster and try again."
            )
        backend(account_id, region_name).delete_capacity_provider(self.provider.name)


class ClusterCapacityProviderAssociations(CfnResource, CloudFormationModel):
    ATTRIBUTES: dict[str, str] = {}

    def __init__(self, cluster: str):
        self.cluster = cluster

    physical_resource_id = property(lambda self: self.cluster)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ECS::ClusterCapacityProviderAssociations"

    @classmethod
    def _put(cls, cluster_name: str, p: dict, account_id: str, region_name: str) -> None:
        ecs = backend(account_id, region_name)
        cluster = ecs._get_cluster(cluster_name)
        providers = [provider_name(name) for name in p.get("CapacityProviders") or []]
        for name in providers:
            if name not in FARGATE_PROVIDERS and ecs._get_provider(name) is None:
                raise EcsClientException(
                    "The specified capacity provider does not exist. Specify a valid name or ARN and try again."
                )
        default = strategy(p.get("DefaultCapacityProviderStrategy"))
        check_strategy_is_associated(providers, default)
        cls._check_not_in_use(cluster, providers, account_id, region_name)
        ecs.put_cluster_capacity_providers(cluster.name, providers, default)

    @staticmethod
    def _check_not_in_use(cluster: Any, kept: list[str], account_id: str, region_name: str) -> None:
        """ECS refuses to take away a capacity provider that a service of the cluster uses."""
        removed = {provider_name(p) for p in cluster.capacity_providers or []} - set(kept)
        for service in backend(account_id, region_name).services.values():
            if service.cluster_arn != cluster.arn or service.status != "ACTIVE":
                continue
            used = {provider_name(item["capacityProvider"]) for item in getattr(service, "capacity_provider_strategy", None) or []}
            if used & removed:
                raise EcsClientException(
                    f"The specified capacity provider {sorted(used & removed)[0]} is in use and cannot be removed."
                )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        cls._put(p["Cluster"], p, account_id, region_name)
        return cls(p["Cluster"])

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        if provider_name(p["Cluster"]) != provider_name(original_resource.cluster):
            replacement = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
            original_resource.delete(account_id, region_name)
            return replacement
        cls._put(p["Cluster"], p, account_id, region_name)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        ecs = backend(account_id, region_name)
        cluster = ecs._get_cluster(self.cluster)
        self._check_not_in_use(cluster, [], account_id, region_name)
        ecs.put_cluster_capacity_providers(cluster.name, [], [])
