"""Resources declared without `Properties` are not changed by unrelated updates.

What CloudFormation does
  An update touches only the resources whose definition changed; a resource
  declared without a `Properties` block (`"Topic": {"Type": "AWS::SNS::Topic"}`)
  keeps its physical id across updates of other resources, and change sets
  do not list it.

What moto 5.2.1 does instead
  `parse_resource` adds `"Properties": {}` to the resource's definition *in the
  stack's stored template*.  At the next update that definition differs from
  the new template's, so moto counts the resource as modified: change sets list
  it, and types whose name is generated (an SNS topic without TopicName, say)
  are replaced, with a new ARN, on every update of the stack.

The patch hands moto's parser a copy instead of the stored definition.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing


def apply() -> None:
    original = parsing.parse_resource

    def parse_resource(resource_json: dict[str, Any], resources_map: Any) -> Any:
        if "Properties" not in resource_json:
            resource_json = {**resource_json, "Properties": {}}
        return original(resource_json, resources_map)

    parsing.parse_resource = parse_resource
