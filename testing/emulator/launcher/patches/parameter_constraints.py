"""Template parameters: AllowedPattern and AllowedValues are enforced.

What CloudFormation does
  CreateChangeSet, CreateStack and UpdateStack check every parameter's value
  (the one given, else the Default) against its AllowedPattern (the whole
  value must match; each member of a CommaDelimitedList or List<...>) and its
  AllowedValues, and refuse the call with a ValidationError:
  `Parameter 'ImageTag' must match pattern ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`,
  `Parameter 'Env' must be one of AllowedValues`, or, when the parameter has a
  ConstraintDescription, `Parameter ImageTag failed to satisfy constraint:
  <ConstraintDescription>`.  No stack or change set is made.

What moto 5.2.1 does instead
  It ignores both: a release with an image tag the template forbids (`1.0 beta`,
  `v1/2`) deploys.
"""

from __future__ import annotations

import re
from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack


def _members(value: Any, kind: str) -> list[str]:
    if kind == "CommaDelimitedList" or kind.startswith("List<"):
        return [item.strip() for item in str(value).split(",")]
    return [str(value)]


def check(template: str | None, parameters: dict[str, Any]) -> None:
    """Refuse `parameters` (given values; the Defaults fill in the rest) as CloudFormation does."""
    if not template:
        return
    try:
        declared = (Stack.parse_template(template) or {}).get("Parameters") or {}
    except Exception:  # moto reports a template it cannot read on its own
        return
    for key, slot in declared.items():
        if not isinstance(slot, dict):
            continue
        value = parameters.get(key, slot.get("Default"))
        if value is None:
            continue
        kind = str(slot.get("Type", "String"))
        description = slot.get("ConstraintDescription")
        pattern = slot.get("AllowedPattern")
        allowed = slot.get("AllowedValues")
        for member in _members(value, kind):
            if pattern is not None and not re.fullmatch(str(pattern), member):
                raise ValidationError(
                    message=f"Parameter {key} failed to satisfy constraint: {description}"
                    if description
                    else f"Parameter '{key}' must match pattern {pattern}"
                )
            if allowed is not None and member not in [str(v) for v in allowed]:
                raise ValidationError(
                    message=f"Parameter {key} failed to satisfy constraint: {description}"
                    if description
                    else f"Parameter '{key}' must be one of AllowedValues"
                )


def apply() -> None:
    original_change_set = CloudFormationBackend.create_change_set
    original_create = CloudFormationBackend.create_stack
    original_update = CloudFormationBackend.update_stack

    def create_change_set(self: CloudFormationBackend, stack_name: str, change_set_name: str, template: str, parameters: dict, *args: Any, **kwargs: Any) -> Any:
        check(template, parameters or {})
        return original_change_set(self, stack_name, change_set_name, template, parameters, *args, **kwargs)

    def create_stack(self: CloudFormationBackend, name: str, template: str, parameters: dict, *args: Any, **kwargs: Any) -> Any:
        check(template, parameters or {})
        return original_create(self, name, template, parameters, *args, **kwargs)

    def update_stack(self: CloudFormationBackend, name: str, template: str, role_arn: str | None, parameters: list, *args: Any, **kwargs: Any) -> Any:
        previous = self.get_stack(name).stack_parameters
        given = {
            p["ParameterKey"]: previous.get(p["ParameterKey"]) if p.get("UsePreviousValue") else p.get("ParameterValue")
            for p in parameters or []
        }
        check(template or self.get_stack(name).template, given)
        return original_update(self, name, template, role_arn, parameters, *args, **kwargs)

    CloudFormationBackend.create_change_set = create_change_set
    CloudFormationBackend.create_stack = create_stack
    CloudFormationBackend.update_stack = update_stack
