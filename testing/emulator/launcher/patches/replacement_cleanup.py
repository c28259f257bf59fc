"""A replaced resource is deleted after the update, once nothing refers to it any more.

What CloudFormation does
  An update that replaces a resource creates the new one first, then updates
  the resources that refer to it, and deletes the old one only in the cleanup
  phase at the end of the update (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS).  A
  task set replaced by a blue/green deployment (a new task definition revision)
  so stays in its service until the service's primary task set has moved to
  the new one; only then is it deleted.  A failure of the cleanup does not fail
  the update.

What moto 5.2.1 does instead
  There is no cleanup phase: a model deletes the resource it replaces inside
  its own update, before the resources that refer to it are updated (the old
  task set, still the service's primary one, would be deleted before the
  PrimaryTaskSet names the new one).

The patch lets a model put the deletion off: `defer_delete(new, old.delete)`
keeps the bound method on the new resource (taken when the replacement is made,
so the no-op that patches/update_replace_policy.py puts in place for
UpdateReplacePolicy Retain is kept too), and after `ResourceMap.update` (the
resources that follow a replacement included, patches/dependent_updates.py)
every deferred deletion runs, in the order the replacements were made.  Only
the models that call it are concerned (models/ecs_task_set.py); the others
still delete the old resource at once.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any, Callable

from moto.cloudformation.parsing import ResourceMap

_ATTRIBUTE = "_deferred_deletes"
_order = itertools.count()


def defer_delete(new_resource: Any, delete: Callable[..., Any]) -> None:
    """Run `delete(account_id, region_name)` in the cleanup phase of the current update."""
    pending = new_resource.__dict__.setdefault(_ATTRIBUTE, [])
    pending.append((next(_order), delete))


def _cleanup(resource_map: ResourceMap) -> None:
    pending = []
    for resource in list(resource_map._parsed_resources.values()):
        deletes = getattr(resource, "__dict__", {}).pop(_ATTRIBUTE, None) if not isinstance(resource, (str, dict, list)) else None
        pending += deletes or []
    for _, delete in sorted(pending, key=lambda item: item[0]):
        try:
            delete(resource_map._account_id, resource_map._region_name)
        except Exception as error:  # CloudFormation reports DELETE_FAILED and completes the update
            print(f"replacement_cleanup: {error!r}; the replaced resource is left in place", file=sys.stderr)


def apply() -> None:
    # Applied after patches/dependent_updates.py, so that its follow-up updates come first.
    original_update = ResourceMap.update

    def update(self: ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        original_update(self, template, parameters)
        _cleanup(self)

    ResourceMap.update = update
