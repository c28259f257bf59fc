"""Which stacks import an export: the question ListImports and the export guards ask.

CloudFormation records, when a stack is created or updated, every
`Fn::ImportValue` it resolved, and refuses to remove or delete an export that
some stack still imports.  moto 5.2.1 keeps no such record.  This module
answers the same question from the live stacks' templates: a stack imports
export X when its template holds an `Fn::ImportValue` whose argument resolves
(against that stack's own parameters, mappings and pseudo parameters) to X.

Stacks still in REVIEW_IN_PROGRESS (a CREATE change set not yet executed) have
imported nothing yet and are skipped.
"""

from __future__ import annotations

from typing import Any, Iterator

from moto.cloudformation.parsing import clean_json

_NOT_DEPLOYED = {"REVIEW_IN_PROGRESS", "DELETE_COMPLETE"}


def _import_arguments(node: Any) -> Iterator[Any]:
    """Yield the argument of every Fn::ImportValue found anywhere in `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::ImportValue":
                yield value
            else:
                yield from _import_arguments(value)
    elif isinstance(node, list):
        for item in node:
            yield from _import_arguments(item)


def imported_names(stack: Any) -> set[str]:
    """Export names that `stack` imports (as far as they can be resolved).

    Only the sections CloudFormation evaluates count: Resources, Outputs and
    Conditions (a mention in the template's Metadata imports nothing)."""
    template = stack.template_dict or {}
    sections = [template.get(k) for k in ("Resources", "Outputs", "Conditions")]
    names = set()
    for argument in _import_arguments(sections):
        if isinstance(argument, str):
            names.add(argument)
            continue
        try:
            resolved = clean_json(argument, stack.resource_map)
        except Exception:  # an argument we cannot resolve imports nothing we know of
            continue
        if isinstance(resolved, str):
            names.add(resolved)
    return names


def importing_stacks(backend: Any, export_name: str, exclude_stack_id: str | None = None) -> list[str]:
    """Names of the deployed stacks of `backend` that import `export_name`."""
    importers = []
    for stack in backend.stacks.values():
        if stack.stack_id == exclude_stack_id or stack.status in _NOT_DEPLOYED:
            continue
        if export_name in imported_names(stack):
            importers.append(stack.name)
    return importers


def in_use_reason(backend: Any, stack: Any, export_names: list[str]) -> str | None:
    """CloudFormation's reason for refusing to remove the first export still in use.

    Wording as CloudFormation reports it in stack events and StackStatusReason,
    e.g. `Export vpc-demo:SubnetIds cannot be deleted as it is in use by app-a and app-b`.
    """
    for name in export_names:
        users = importing_stacks(backend, name, exclude_stack_id=stack.stack_id)
        if users:
            return f"Export {name} cannot be deleted as it is in use by {' and '.join(users)}"
    return None
