"""An update also updates the resources whose resolved properties it changed.

What CloudFormation does
  Properties are resolved against the updated resources: when an update
  replaces a resource (new physical id: a task definition's new revision) or
  changes one of its attributes (a launch template's LatestVersionNumber),
  every resource referring to it by Ref, Fn::GetAtt or Fn::Sub is updated with
  the new value, although its own definition did not change (the ECS service
  moves to the new revision, the Auto Scaling group to the new launch template
  version).  Resources that refer to each other are updated referenced first.
  The same holds when only a parameter changed: the task definition whose
  image uses the `ImageTag` parameter gets a new revision, and the service
  that refers to it moves to that revision.  A parameter counts as changed
  when its value differs from the one the stack uses (a value passed again,
  or `UsePreviousValue`, changes nothing), whether a resource uses it by Ref,
  in an Fn::Sub or through a condition of an Fn::If.

What moto 5.2.1 does instead
  `ResourceMap.update` updates only the resources whose definition differs
  between the two templates, in template order: the service keeps the old
  revision (which the replacement deregistered), the group the old version;
  and a changed resource updated before a changed resource it refers to gets
  the old value.  A resource that moto updates because a parameter it uses
  changed (its definition being the same) was not counted as updated at all.
  moto counts a parameter as changed when the value passed differs from the
  value *passed* before (a parameter left to its Default, or an SSM parameter
  passed again by UsePreviousValue, which gives its resolved value, counts
  as changed), and sees it only through a Ref written in the resource.

The patch orders the modified resources so that referenced ones come first;
after moto's update, it resolves again the properties of each resource whose
definition did not change but refers to an updated one, and updates it when
they differ from what they were before the update (and so on, in turn).  It
counts a parameter as changed by its value (`changed_parameters`, which
patches/change_set_changes.py uses too, so that a change set lists what its
execution updates).
"""

from __future__ import annotations

import re
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.parsing import ResourceMap

_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")
_UNRESOLVED = object()


def references(value: Any) -> set[str]:
    """The logical ids a template value refers to through Ref, Fn::GetAtt and Fn::Sub."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                target = item[0] if isinstance(item, list) else str(item).split(".", 1)[0]
                if isinstance(target, str):
                    found.add(target)
            elif key == "Fn::Sub":
                text, variables = (item[0], item[1]) if isinstance(item, list) and len(item) == 2 else (item, {})
                if isinstance(text, str):
                    found |= set(_SUB_NAME.findall(text)) - set(variables if isinstance(variables, dict) else {})
                found |= references(variables)
            else:
                found |= references(item)
    return found


def _normalized(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def changed_parameters(resource_map: ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None) -> set[str]:
    """The parameters of `template` whose value an update with `parameters` (the values
    passed, UsePreviousValue already replaced by the stack's value) changes: none passed
    keeps the values passed before (as moto's update does); a parameter not passed takes
    its Default.  A value equal to the one passed before or to the one resolved (an SSM
    parameter type's value) is no change."""
    old_slots = (resource_map._template or {}).get("Parameters") or {}
    new_slots = template.get("Parameters") or {}
    old_inputs = resource_map.input_parameters or {}
    new_inputs = parameters or old_inputs
    changed = set()
    for key, slot in new_slots.items():
        if key not in old_slots:
            changed.add(key)
            continue
        new = _normalized(new_inputs.get(key, (slot or {}).get("Default")))
        old = _normalized(old_inputs.get(key, (old_slots[key] or {}).get("Default")))
        if new not in (old, _normalized(resource_map.resolved_parameters.get(key))):
            changed.add(key)
    return changed


def _condition_names(value: Any) -> set[str]:
    """The conditions a template value names: Fn::If's first argument, {"Condition": name}."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _condition_names(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Fn::If" and isinstance(item, list) and item and isinstance(item[0], str):
                found.add(item[0])
                found |= _condition_names(item[1:])
            elif key == "Condition" and isinstance(item, str):
                found.add(item)
            else:
                found |= _condition_names(item)
    return found


def changed_conditions(template: dict[str, Any], changed: set[str]) -> dict[str, set[str]]:
    """The conditions of `template` that depend on the `changed` parameters (directly or
    through other conditions), each with those parameters."""
    conditions = template.get("Conditions") or {}
    result: dict[str, set[str]] = {}

    def visit(name: str, seen: frozenset[str]) -> set[str]:
        if name in result:
            return result[name]
        if name in seen or name not in conditions:
            return set()
        definition = conditions[name]
        causes = references(definition) & changed
        for other in _condition_names(definition):
            causes |= visit(other, seen | {name})
        result[name] = causes
        return causes

    for name in conditions:
        visit(name, frozenset())
    return {name: causes for name, causes in result.items() if causes}


def parameters_used(value: Any, changed: set[str], conditions: dict[str, set[str]]) -> set[str]:
    """The `changed` parameters `value` uses, by Ref, Fn::Sub or a condition of its Fn::If."""
    used = references(value) & changed
    for name in _condition_names(value):
        used |= conditions.get(name, set())
    return used


def _referenced_first(names: list[str], definitions: dict[str, Any]) -> list[str]:
    """`names` ordered so that a resource comes after those of `names` it refers to."""
    wanted, ordered, visiting = set(names), [], set()

    def visit(name: str) -> None:
        if name in ordered or name in visiting:
            return
        visiting.add(name)
        for target in sorted(references((definitions.get(name) or {}).get("Properties")) & wanted):
            visit(target)
        visiting.discard(name)
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def _resolve(resource_map: ResourceMap, name: str) -> Any:
    try:
        return parsing.clean_json((resource_map._resource_json_map[name] or {}).get("Properties"), resource_map)
    except Exception:  # a value that cannot be resolved now counts as changed
        return _UNRESOLVED


def apply() -> None:
    original_update = ResourceMap.update
    original_diff = ResourceMap.build_resource_diff

    def build_resource_diff(self: ResourceMap, other_template: dict[str, Any], parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        diff = original_diff(self, other_template, None)  # the definitions that changed
        changed = changed_parameters(self, other_template, parameters)
        if changed:
            conditions = changed_conditions(other_template, changed)
            old, new = self._resource_json_map, other_template["Resources"]
            for name, definition in new.items():
                if name in old and definition == old[name] and parameters_used(definition.get("Properties"), changed, conditions):
                    diff["Modify"].append(name)
        diff["Modify"] = _referenced_first(diff["Modify"], other_template["Resources"])
        return diff

    def update(self: ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        old_definitions = dict(self._resource_json_map)
        before = {
            name: _resolve(self, name)
            for name, definition in old_definitions.items()
            if name in self._parsed_resources and references((definition or {}).get("Properties"))
        }
        # What moto updates: changed definitions, and the resources using a changed parameter.
        modified = set(self.build_resource_diff(template, parameters)["Modify"])
        original_update(self, template, parameters)
        definitions = self._resource_json_map
        unchanged = [name for name in before if definitions.get(name) == old_definitions[name] and name not in modified]
        updated = {name for name in modified if name in definitions}
        while updated:
            candidates = [
                name
                for name in unchanged
                if name in self._parsed_resources and references(definitions[name].get("Properties")) & updated
            ]
            updated = set()
            for name in _referenced_first(candidates, definitions):
                if _resolve(self, name) == before[name]:
                    continue
                resource = parsing.parse_and_update_resource(
                    name, definitions[name], self, account_id=self._account_id, region_name=self._region_name
                )
                unchanged.remove(name)
                if resource is not None:
                    self._parsed_resources[name] = resource
                    updated.add(name)

    ResourceMap.build_resource_diff = build_resource_diff
    ResourceMap.update = update
