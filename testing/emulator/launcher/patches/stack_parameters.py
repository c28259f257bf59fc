"""DescribeStacks Parameters: SSM parameter types show the name and ResolvedValue; NoEcho.

What CloudFormation does
  For a parameter of type `AWS::SSM::Parameter::Value<...>` (the ECS stacks'
  `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`, defaulting to
  `/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id`),
  DescribeStacks gives the Systems Manager parameter's *name* as
  ParameterValue and the value the stack used as ResolvedValue; resources get
  the value.  A NoEcho parameter is shown as `****`.

What moto 5.2.1 does instead
  ParameterValue is the resolved value (an AMI id where the template and
  the deploy said `/aws/service/...`), and no ResolvedValue.  Its NoEcho test
  compares the parameter's *value* with the NoEcho parameter *names*, so a
  NoEcho value is shown as it is.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.models import Stack


def _parameter_list(self: Stack) -> list[dict[str, Any]]:
    resource_map = self.resource_map
    declared = (resource_map._template or {}).get("Parameters") or {}
    parameters = []
    for key, value in resource_map.resolved_parameters.items():
        entry: dict[str, Any] = {"ParameterKey": key, "ParameterValue": value}
        slot = declared.get(key) or {}
        if str(slot.get("Type", "")).startswith("AWS::SSM::Parameter::"):
            entry["ParameterValue"] = resource_map.input_parameters.get(key, slot.get("Default"))
            entry["ResolvedValue"] = ",".join(value) if isinstance(value, list) else value
        if key in resource_map.no_echo_parameter_keys or str(slot.get("NoEcho", "")).lower() == "true":
            entry["ParameterValue"] = "****"
        parameters.append(entry)
    return parameters


def apply() -> None:
    Stack.parameter_list = property(_parameter_list)  # type: ignore[assignment]
