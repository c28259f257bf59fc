"""The ListImports action.

What CloudFormation does
  `ListImports(ExportName=X)` returns the names of the stacks that import X
  through `Fn::ImportValue`.  When no stack imports it, the call fails with
  ValidationError `Export 'X' is not imported by any stack.` (the same answer
  is assumed here for a name that is not exported at all).

What moto 5.2.1 does instead
  The action is not implemented: the server raises NotImplementedError, which
  reaches the client as an HTML 500 page.

The patch adds `CloudFormationBackend.list_imports` (answered from the live
stacks' templates, see `imports_index`) and the matching response method.
Pagination is not implemented: every importer comes back in one page.
"""

from __future__ import annotations

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from .imports_index import importing_stacks


def list_imports(self: CloudFormationBackend, export_name: str) -> list[str]:
    export = self.exports.get(export_name)
    importers = []
    if export is not None:
        importers = importing_stacks(self, export_name, exclude_stack_id=export.exporting_stack_id)
    if not importers:
        raise ValidationError(message=f"Export '{export_name}' is not imported by any stack.")
    return importers


def list_imports_response(self: CloudFormationResponse) -> ActionResult:
    export_name = self._get_param("ExportName")
    return ActionResult({"Imports": self.cloudformation_backend.list_imports(export_name)})


def apply() -> None:
    CloudFormationBackend.list_imports = list_imports
    CloudFormationResponse.list_imports = list_imports_response
