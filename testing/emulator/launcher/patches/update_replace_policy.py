"""UpdateReplacePolicy Retain: a replacement keeps the old resource.

What CloudFormation does
  When an update replaces a resource whose `UpdateReplacePolicy` is `Retain`,
  CloudFormation creates the new resource and only removes the old one from
  the stack; it is not deleted.  A task definition keeps its previous revision
  ACTIVE (scenario 5's CodeDeploy variant retains the revision its service
  runs: CodeDeploy, not CloudFormation, moves the service to the new one); a
  log group or repository replaced under a new name stays.  `Delete` (the
  default) deletes the old resource during the cleanup.

What moto 5.2.1 does instead
  It ignores the attribute: the models delete the replaced resource as part of
  their update, so the revision a CODE_DEPLOY service still runs is
  deregistered.

The patch runs the update of a resource whose UpdateReplacePolicy is Retain
with the old resource's `delete` made a no-op, which covers the models that
delete the resource they replace through that method (those of this layer and
its ECS patches; a moto model that deletes through its class instead is not
covered).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing

_original = parsing.parse_and_update_resource


def parse_and_update_resource(
    logical_id: str, resource_json: dict[str, Any], resources_map: Any, account_id: str, region_name: str
) -> Any:
    if (resource_json or {}).get("UpdateReplacePolicy") != "Retain":
        return _original(logical_id, resource_json, resources_map, account_id, region_name)
    old = resources_map[logical_id]
    if isinstance(old, str) or not hasattr(old, "delete"):
        return _original(logical_id, resource_json, resources_map, account_id, region_name)
    old.delete = lambda *args, **kwargs: None  # shadows the class's method on this instance only
    try:
        return _original(logical_id, resource_json, resources_map, account_id, region_name)
    finally:
        old.__dict__.pop("delete", None)


def apply() -> None:
    # ResourceMap.update looks the function up in the module, as does patches/dependent_updates.py.
    parsing.parse_and_update_resource = parse_and_update_resource
