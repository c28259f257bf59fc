"""Helpers shared by the resource models of this package.

moto's parser only looks at *direct* subclasses of `CloudFormationModel`, so
the shared behaviour lives in a mixin: every model is declared as
`class X(CfnResource, CloudFormationModel)`.
"""

from __future__ import annotations

import json
import string
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.moto_api._internal import mock_random


class CfnResource:
    """GetAtt and bookkeeping common to the models.

    `ATTRIBUTES` maps each Fn::GetAtt name the real resource type supports to
    the instance attribute (or property) that answers it.
    """

    ATTRIBUTES: dict[str, str] = {}

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.ATTRIBUTES:
            raise UnformattedGetAttTemplateException()
        return getattr(self, self.ATTRIBUTES[attribute_name])

    def is_created(self) -> bool:
        return True


def props(cloudformation_json: dict[str, Any]) -> dict[str, Any]:
    return cloudformation_json.get("Properties") or {}


def random_chars(length: int, alphabet: str = string.ascii_lowercase + string.digits) -> str:
    return "".join(mock_random.choice(alphabet) for _ in range(length))


def generated_name(stack_name: str, logical_id: str, max_length: int, lowercase: bool = False) -> str:
    """A physical name the way CloudFormation makes one up: `<stack>-<logical id>-<SUFFIX>`,
    shortened to fit `max_length` (the suffix is kept whole)."""
    suffix = random_chars(12, string.ascii_uppercase + string.digits)
    head = f"{stack_name}-{logical_id}"[: max_length - len(suffix) - 1].rstrip("-")
    name = f"{head}-{suffix}"
    return name.lower() if lowercase else name


def stack_name_of(kwargs: dict[str, Any]) -> str:
    """The stack name, from the StackId (`arn:...:stack/<name>/<uuid>`) moto passes
    to create_from_cloudformation_json; "stack" when a replacement is made without it."""
    stack_id = kwargs.get("StackId")
    return stack_id.rsplit(":", 1)[-1].split("/")[1] if stack_id else "stack"


def as_json_text(document: Any) -> str:
    """Policy documents may be given as an object or as a JSON string."""
    return document if isinstance(document, str) else json.dumps(document)
