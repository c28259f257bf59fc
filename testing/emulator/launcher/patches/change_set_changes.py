"""DescribeChangeSet lists what an update will do, parameter changes and references included.

What CloudFormation does
  An UPDATE change set lists every resource whose resolved properties change:
  * a resource whose definition changed: one `ResourceChangeDetail` per changed
    property (`Target` `{Attribute: Properties, Name, RequiresRecreation}`, or
    `{Attribute: Tags}` for the Tags property, `Metadata`, ...), ChangeSource
    `DirectModification`, Evaluation `Static`;
  * a resource whose definition is the same but uses a parameter whose value
    changed: for each such property, two details, `DirectModification`
    `Dynamic` and `ParameterReference` `Static` with the parameter as
    CausingEntity (the documented "Modifying an input parameter value" example);
  * a resource referring to a resource that will be replaced: `ResourceReference`
    with the replaced resource as CausingEntity, `Static` when the replacement is
    certain (Replacement True), `Dynamic` when it is Conditional; a resource
    using an attribute (Fn::GetAtt) of a modified resource: `ResourceAttribute`
    `Dynamic`, CausingEntity `<LogicalId>.<Attribute>` -- and so on, in turn.
  `RequiresRecreation` is the property's update behaviour (`Always` for a
  create-only property, `Conditionally`, `Never`); `Replacement` is `True` when a
  Static detail needs `Always`, `Conditional` when a detail needs `Conditionally`
  or a Dynamic one `Always`, `False` otherwise; `Scope` lists the Target
  attributes; Modify and Remove carry the PhysicalResourceId.  So scenario 5's
  release (only `ImageTag` changes) lists the task definition whose image uses
  it (`Modify`, Replacement `True`: ContainerDefinitions is create-only), the
  service referring to it (`Modify`, Replacement `False`, TaskDefinition:
  ResourceReference) and the release policy using the service's Name attribute
  (`Modify`, `False`, ResourceAttribute Dynamic).  A change set that changes neither the template nor any
  parameter's value fails: `The submitted information didn't contain changes.
  Submit different information to create a change set.`

What moto 5.2.1 does instead
  `ChangeSet.diff` compares the resources' definitions only (its parameter
  check is not given the parameters): a change set changing only a parameter
  lists no change at all (`Changes: []`) although executing it updates
  resources; resources following a replaced resource are never listed; no
  Replacement, Scope, Details nor PhysicalResourceId.  It fails the change set
  only when the parameters passed are the ones passed before, so passing a
  parameter's Default explicitly, or an SSM parameter by UsePreviousValue,
  makes an empty change set that succeeds.

The patch computes the changes of an UPDATE change set from the stack's
resource map, the new template and the parameters, with the update behaviour of
each property read from the resource type registry this repository generates
(`construct-lib/cfn/model/src/registry.rs`, `p("Name", required, A|C|N, ...)`);
a type or property it does not hold counts as `Conditionally`.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from moto.cloudformation.models import Change, ChangeSet, CloudFormationBackend
from moto.cloudformation.parsing import ResourceMap

from .dependent_updates import changed_conditions, changed_parameters, parameters_used

REGISTRY = Path(__file__).resolve().parents[4] / "construct-lib" / "cfn" / "model" / "src" / "registry.rs"
NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."

_ENTRY = re.compile(r'type_name:\s*"([^"]+)"|\bp\(\s*"(\w+)",\s*(?:true|false),\s*([ACN]),')
_BEHAVIOUR = {"A": "Always", "C": "Conditionally", "N": "Never"}
_SUB = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")
# Resource attributes other than Properties a change can target (ResourceTargetDefinition.Attribute).
_TEMPLATE_ATTRIBUTES = ("Metadata", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy")


@lru_cache(maxsize=1)
def update_behaviours() -> dict[str, dict[str, str]]:
    """Resource type -> property -> RequiresRecreation, from the generated registry."""
    try:
        text = REGISTRY.read_text(encoding="utf-8")
    except OSError as error:
        print(f"change_set_changes: no resource type registry ({error}); every change counts as Conditionally", file=sys.stderr)
        return {}
    types: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for match in _ENTRY.finditer(text):
        if match.group(1):
            current = types.setdefault(match.group(1), {})
        else:
            current[match.group(2)] = _BEHAVIOUR[match.group(3)]
    return types


def requires_recreation(resource_type: str, prop: str) -> str:
    return update_behaviours().get(resource_type, {}).get(prop, "Conditionally")


def _uses(value: Any) -> list[tuple[str, str | None]]:
    """What a template value refers to, in order: (name, None) for a Ref or `${name}`,
    (name, attribute) for an Fn::GetAtt or `${name.attribute}`."""
    found: list[tuple[str, str | None]] = []
    if isinstance(value, list):
        for item in value:
            found += _uses(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.append((item, None))
            elif key == "Fn::GetAtt":
                parts = item if isinstance(item, list) else str(item).split(".", 1)
                if len(parts) == 2 and isinstance(parts[0], str):
                    found.append((parts[0], parts[1] if isinstance(parts[1], str) else str(parts[1])))
            elif key == "Fn::Sub":
                text, variables = (item[0], item[1]) if isinstance(item, list) and len(item) == 2 else (item, {})
                local = set(variables) if isinstance(variables, dict) else set()
                if isinstance(text, str):
                    found += [(name, attribute or None) for name, attribute in _SUB.findall(text) if name not in local]
                found += _uses(variables)
            else:
                found += _uses(item)
    return found


def _detail(attribute: str, name: str | None, recreation: str, evaluation: str, source: str, cause: str | None = None) -> dict[str, Any]:
    target: dict[str, Any] = {"Attribute": attribute}
    if name is not None:
        target["Name"] = name
    target["RequiresRecreation"] = recreation
    detail: dict[str, Any] = {"Target": target, "Evaluation": evaluation, "ChangeSource": source}
    if cause is not None:
        detail["CausingEntity"] = cause
    return detail


def _target(resource_type: str, prop: str) -> tuple[str, str | None, str]:
    if prop == "Tags":
        return "Tags", None, requires_recreation(resource_type, prop)
    return "Properties", prop, requires_recreation(resource_type, prop)


def replacement_of(details: list[dict[str, Any]]) -> str:
    """ResourceChange.Replacement: the most intrusive of the details."""
    rank = 0
    for detail in details:
        recreation = detail["Target"]["RequiresRecreation"]
        if recreation == "Always":
            rank = max(rank, 2 if detail["Evaluation"] == "Static" else 1)
        elif recreation == "Conditionally":
            rank = max(rank, 1)
    return ("False", "Conditional", "True")[rank]


def _reference_details(
    before: dict[str, Any], after: dict[str, Any], name: str, modified: set[str], replacement: dict[str, str]
) -> list[dict[str, Any]]:
    """The details of `name` due to resources it refers to: Refs to replaced ones (Static
    when the replacement is certain), attributes of modified ones (Dynamic)."""
    old_props, new_props = before.get("Properties") or {}, after.get("Properties") or {}
    details: list[dict[str, Any]] = []
    for prop, value in new_props.items():
        if old_props.get(prop) != value:
            continue  # a direct modification already
        attribute, prop_name, recreation = _target(after.get("Type", ""), prop)
        for target, target_attribute in _uses(value):
            if target == name or target not in modified:
                continue
            if target_attribute is None:
                if replacement[target] == "False":
                    continue
                evaluation = "Static" if replacement[target] == "True" else "Dynamic"
                detail = _detail(attribute, prop_name, recreation, evaluation, "ResourceReference", target)
            else:
                cause = f"{target}.{target_attribute}"
                detail = _detail(attribute, prop_name, recreation, "Dynamic", "ResourceAttribute", cause)
            if detail not in details:
                details.append(detail)
    return details


def plan(resource_map: ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None) -> tuple[list[Change], set[str]]:
    """The changes an update of `resource_map` to `template` with `parameters` makes, and
    the parameters whose value it changes."""
    old = resource_map._resource_json_map or {}
    new = template.get("Resources") or {}
    changed = changed_parameters(resource_map, template, parameters)
    conditions = changed_conditions(template, changed)
    common = [name for name in new if name in old]

    # What does not depend on other resources: direct modifications, parameters.
    own: dict[str, list[dict[str, Any]]] = {}
    for name in common:
        before, after = old[name] or {}, new[name] or {}
        kind = after.get("Type", "")
        old_props, new_props = before.get("Properties") or {}, after.get("Properties") or {}
        details = []
        for prop in list(new_props) + [p for p in old_props if p not in new_props]:
            attribute, prop_name, recreation = _target(kind, prop)
            if old_props.get(prop) != new_props.get(prop):
                details.append(_detail(attribute, prop_name, recreation, "Static", "DirectModification"))
                continue
            causes = parameters_used(new_props[prop], changed, conditions)
            if causes:
                details.append(_detail(attribute, prop_name, recreation, "Dynamic", "DirectModification"))
                details += [
                    _detail(attribute, prop_name, recreation, "Static", "ParameterReference", cause) for cause in sorted(causes)
                ]
        for attribute in _TEMPLATE_ATTRIBUTES:
            if before.get(attribute) != after.get(attribute):
                details.append(_detail(attribute, None, "Never", "Static", "DirectModification"))
        own[name] = details

    # References to replaced resources and attributes of modified ones, in turn until nothing
    # moves (a replacement only grows: False, Conditional, True).
    modified = {name for name in common if own[name] or old[name] != new[name]}
    replacement = {name: replacement_of(own[name]) for name in modified}
    details_of = dict(own)
    for _ in range(len(common) * 3 + 1):
        moved = False
        for name in common:
            details = own[name] + _reference_details(old[name] or {}, new[name] or {}, name, modified, replacement)
            if details != details_of[name]:
                details_of[name] = details
                moved = True
            if details and name not in modified:
                modified.add(name)
                moved = True
            if name in modified and replacement.get(name) != replacement_of(details):
                replacement[name] = replacement_of(details)
                moved = True
        if not moved:
            break

    changes = []
    for name in new:
        if name not in old:
            changes.append(_change("Add", name, new[name].get("Type", ""), None, None, []))
    for name in common:
        if name in modified:
            changes.append(_change("Modify", name, new[name].get("Type", ""), _physical_id(resource_map, name), replacement[name], details_of[name]))
    for name in old:
        if name not in new:
            changes.append(_change("Remove", name, (old[name] or {}).get("Type", ""), _physical_id(resource_map, name), None, []))
    return changes, changed


def _physical_id(resource_map: ResourceMap, name: str) -> str | None:
    resource = resource_map._parsed_resources.get(name)
    if resource is None or isinstance(resource, (str, list)):
        return None
    try:
        value = resource.physical_resource_id
    except Exception:  # some models compute it from state that may be gone
        return None
    return value if isinstance(value, str) else None


def _change(action: str, name: str, resource_type: str, physical_id: str | None, replacement: str | None, details: list[dict[str, Any]]) -> Change:
    change = Change(action=action, logical_resource_id=name, resource_type=resource_type)
    if physical_id:
        change.physical_resource_id = physical_id
    if replacement is not None:
        change.replacement = replacement
    scope: list[str] = []
    for detail in details:
        if detail["Target"]["Attribute"] not in scope:
            scope.append(detail["Target"]["Attribute"])
    change.scope = scope
    change.details = details
    return change


def apply() -> None:
    original_diff = ChangeSet.diff
    original_create = CloudFormationBackend.create_change_set

    def diff(self: ChangeSet) -> list[Change]:
        self.changed_parameters = set()
        if self.change_set_type != "UPDATE":
            return original_diff(self)
        try:
            changes, self.changed_parameters = plan(self.stack.resource_map, self.template_dict, self.parameters)
        except Exception as error:  # a template moto reports on its own when executing
            print(f"change_set_changes: {error!r}; moto's own diff used", file=sys.stderr)
            return original_diff(self)
        return changes

    def create_change_set(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        change_set_id, stack_id = original_create(self, *args, **kwargs)
        change_set = self.change_sets.get(change_set_id)
        stack = self.stacks.get(stack_id)
        if (
            change_set is not None
            and stack is not None
            and change_set.change_set_type == "UPDATE"
            and change_set.status == "CREATE_COMPLETE"
            and not change_set.changes
            and not getattr(change_set, "changed_parameters", None)
            and stack.has_template(change_set.template)
        ):
            # The same template and the same values (a Default or an SSM value passed again).
            change_set.status = "FAILED"
            change_set.execution_status = "UNAVAILABLE"
            change_set.status_reason = NO_CHANGES
        return change_set_id, stack_id

    ChangeSet.diff = diff
    CloudFormationBackend.create_change_set = create_change_set
