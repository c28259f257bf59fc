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
  that refers to it moves to that revision.

What moto 5.2.1 does instead
  `ResourceMap.update` updates only the resources whose definition differs
  between the two templates, in template order: the service keeps the old
  revision (which the replacement deregistered), the group the old version;
  and a changed resource updated before a changed resource it refers to gets
  the old value.  A resource that moto updates because a parameter it uses
  changed (its definition being the same) was not counted as updated at all.

The patch orders the modified resources so that referenced ones come first;
after moto's update, it resolves again the properties of each resource whose
definition did not change but refers to an updated one, and updates it when
they differ from what they were before the update (and so on, in turn).
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
        diff = original_diff(self, other_template, parameters)
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
