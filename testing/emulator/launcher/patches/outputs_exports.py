"""Outputs and exports of stacks deployed through change sets.

What CloudFormation does
  ExecuteChangeSet leaves the stack exactly as CreateStack/UpdateStack would:
  DescribeStacks lists its Outputs, ListExports lists its exports, and other
  stacks can `Fn::ImportValue` them.  An export that another stack imports is
  protected:
  * an update that would remove it fails and rolls back; the stack event
    (status UPDATE_ROLLBACK_IN_PROGRESS) says
    `Export <name> cannot be deleted as it is in use by <stack>` and the stack
    ends in UPDATE_ROLLBACK_COMPLETE, its resources and exports unchanged;
  * DeleteStack is accepted, but the stack is not deleted: after the
    DELETE_IN_PROGRESS event the stack returns to its previous status, with the
    same sentence as the event's reason and as StackStatusReason.
  Two stacks may not export the same name:
  `Export with name <name> is already exported by stack <stack>`.

What moto 5.2.1 does instead
  * `ChangeSet.apply()` only updates the resource map; it never rebuilds the
    stack's output map and the backend registers exports only in
    `create_stack`, so after a change set the stack has no outputs and no
    exports, and importers fail with `No export named ... found`.
  * A stack created by a CREATE change set gets an empty dict instead of the
    backend's exports, so its own `Fn::ImportValue` finds nothing.
  * An UPDATE change set does not record the new parameter values.
  * Nothing protects an imported export from removal or deletion.

The patch wraps `create_change_set`, `execute_change_set` and `delete_stack`
of `CloudFormationBackend`.  Export names the new template will declare are
resolved before execution with the template's parameters, mappings and
conditions; a name that depends on a resource cannot be known before the
resources exist and turns the pre-execution checks off for that update.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation.parsing import ResourceMap, clean_json

from .imports_index import in_use_reason


def planned_export_names(backend: Any, stack: Any, template: dict, parameters: dict) -> set[str] | None:
    """Export names `template` will declare, or None when one cannot be resolved yet."""
    outputs = template.get("Outputs") or {}
    if not any(isinstance(o, dict) and "Export" in o for o in outputs.values()):
        return set()
    try:
        scratch = ResourceMap(
            stack.stack_id,
            stack.name,
            parameters,
            {},
            region_name=backend.region_name,
            account_id=backend.account_id,
            template={**template, "Resources": {}},  # resources must not be created here
            cross_stack_resources=backend.exports,
        )
        scratch.load_mapping()
        scratch.load_parameters()
        scratch.load_conditions()
        names = set()
        for output in outputs.values():
            if "Export" not in output:
                continue
            condition = output.get("Condition")
            if condition and not scratch.lazy_condition_map[condition]:
                continue
            name = clean_json(output["Export"].get("Name"), scratch)
            if not isinstance(name, str):
                return None
            names.add(name)
        return names
    except Exception:  # a name that needs a resource or a missing parameter
        return None


def _stack_exports(backend: Any, stack: Any) -> list[str]:
    return [n for n, e in backend.exports.items() if e.exporting_stack_id == stack.stack_id]


def _check_unique(backend: Any, stack: Any, names: set[str]) -> None:
    for name in sorted(names):
        owner = backend.exports.get(name)
        if owner is not None and owner.exporting_stack_id != stack.stack_id:
            owner_stack = backend.stacks.get(owner.exporting_stack_id)
            owner_name = owner_stack.name if owner_stack else owner.exporting_stack_id
            raise ValidationError(
                stack.stack_id,
                message=f"Export with name {name} is already exported by stack {owner_name}",
            )


def _fail_update(stack: Any, change_set: Any, reason: str) -> None:
    """Record the update as CloudFormation reports an export guard: rolled back."""
    stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
    stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
    stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"
    change_set.execution_status = "EXECUTE_FAILED"


def _refresh_outputs(backend: Any, stack: Any, change_set: Any) -> None:
    """What `Stack.update` does after its resources, and `create_stack` for exports."""
    stack._parse_template()
    stack.description = stack.template_dict.get("Description")
    if change_set.parameters:
        stack.parameters = change_set.parameters
    stack.output_map = stack._create_output_map()
    for name in _stack_exports(backend, stack):
        del backend.exports[name]
    for export in stack.exports:
        backend.exports[export.name] = export


def apply() -> None:
    original_create = CloudFormationBackend.create_change_set
    original_execute = CloudFormationBackend.execute_change_set
    original_delete = CloudFormationBackend.delete_stack

    def create_change_set(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        change_set_id, stack_id = original_create(self, *args, **kwargs)
        # A new stack must resolve Fn::ImportValue against the region's exports.
        self.stacks[stack_id].resource_map.cross_stack_resources = self.exports
        return change_set_id, stack_id

    def execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        parameters = dict(change_set.parameters or {})
        if change_set.change_set_type == "UPDATE":
            parameters = {**stack.resource_map.input_parameters, **parameters}
        names = planned_export_names(self, stack, change_set.template_dict, parameters)
        if names is not None:
            if change_set.change_set_type == "UPDATE":
                removed = [n for n in _stack_exports(self, stack) if n not in names]
                reason = in_use_reason(self, stack, removed)
                if reason:
                    _fail_update(stack, change_set, reason)
                    return
            _check_unique(self, stack, names)
        original_execute(self, change_set_name, stack_name)
        stack.status_reason = None
        _refresh_outputs(self, stack, change_set)

    def delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
        stack = self.stacks.get(name_or_stack_id) or next(
            (s for s in self.stacks.values() if s.name == name_or_stack_id), None
        )
        if stack is not None:
            reason = in_use_reason(self, stack, _stack_exports(self, stack))
            if reason:
                previous = stack.status
                stack._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
                stack._add_stack_event(previous, resource_status_reason=reason)
                stack.status_reason = reason
                return
        original_delete(self, name_or_stack_id)

    CloudFormationBackend.create_change_set = create_change_set
    CloudFormationBackend.execute_change_set = execute_change_set
    CloudFormationBackend.delete_stack = delete_stack
