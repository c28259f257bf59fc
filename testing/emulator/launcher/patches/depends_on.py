"""Change sets create resources after the resources they `DependsOn`.

What CloudFormation does
  A resource is created only once every resource named in its `DependsOn`
  is complete, whatever the order of the template, and whether the stack is
  created by CreateStack or by executing a change set.  An ECS service that
  uses a capacity provider strategy `DependsOn` the cluster's
  ClusterCapacityProviderAssociations for that reason: ECS refuses a strategy
  naming a provider the cluster is not yet associated with.

What moto 5.2.1 does instead
  CreateStack orders the resources by DependsOn, but ExecuteChangeSet (which
  goes through `ResourceMap.update`) creates the added resources in template
  order, the alphabetical order of the logical ids in a synthesized template,
  creating a referenced resource on first reference: DependsOn is ignored.

The patch makes the resource map create a resource's DependsOn resources
before the resource itself, however its creation was reached.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.parsing import ResourceMap


def apply() -> None:
    original_getitem = ResourceMap.__getitem__

    def __getitem__(self: ResourceMap, key: str) -> Any:
        if key not in self._parsed_resources:
            resource_json = self._resource_json_map.get(key)
            if isinstance(resource_json, dict):
                depends_on = resource_json.get("DependsOn") or []
                pending: set[str] = self.__dict__.setdefault("_depends_on_pending", set())
                if key not in pending:
                    pending.add(key)
                    try:
                        for dependency in [depends_on] if isinstance(depends_on, str) else depends_on:
                            if dependency in self._resource_json_map:
                                self[dependency]
                    finally:
                        pending.discard(key)
        return original_getitem(self, key)

    ResourceMap.__getitem__ = __getitem__
