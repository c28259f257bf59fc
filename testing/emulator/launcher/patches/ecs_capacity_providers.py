"""ECS DescribeCapacityProviders: all providers when none is named, FARGATE and FARGATE_SPOT.

What ECS does
  DescribeCapacityProviders without `capacityProviders` describes every
  capacity provider of the account and region, the AWS-managed FARGATE and
  FARGATE_SPOT included (status ACTIVE, no autoScalingGroupProvider); with
  names, each of these can be named as well.

What moto 5.2.1 does instead
  Without names it iterates over None: an HTML 500.  FARGATE and FARGATE_SPOT
  are unknown (failure MISSING), although clusters may be associated with
  them.
"""

from __future__ import annotations

from typing import Any

from moto.ecs.models import CapacityProviderFailure, EC2ContainerServiceBackend
from moto.utilities.utils import get_partition

from ._ecs import FARGATE_PROVIDERS


class ManagedCapacityProvider:
    """FARGATE or FARGATE_SPOT as ECS describes them."""

    def __init__(self, name: str, account_id: str, region_name: str):
        self.name = name
        self.capacity_provider_arn = f"arn:{get_partition(region_name)}:ecs:{region_name}:{account_id}:capacity-provider/{name}"
        self.status = "ACTIVE"
        self.tags: list[dict[str, str]] = []


def apply() -> None:
    def describe_capacity_providers(self: EC2ContainerServiceBackend, names: list[str] | None) -> tuple[list[Any], list[Any]]:
        managed = [ManagedCapacityProvider(name, self.account_id, self.region_name) for name in FARGATE_PROVIDERS]
        if not names:
            return [*managed, *self.capacity_providers.values()], []
        providers, failures = [], []
        for name in names:
            found = self._get_provider(name) or next(
                (m for m in managed if name in (m.name, m.capacity_provider_arn)), None
            )
            if found:
                providers.append(found)
            else:
                failures.append(CapacityProviderFailure("MISSING", name, self.account_id, self.region_name))
        return providers, failures

    EC2ContainerServiceBackend.describe_capacity_providers = describe_capacity_providers
