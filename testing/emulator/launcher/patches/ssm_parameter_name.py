"""AWS::SSM::Parameter without a Name.

What CloudFormation does
  `Name` is optional: without it CloudFormation names the parameter
  `CFN-<LogicalId>-<random>`, and an update keeps that name unless the
  template then gives one.

What moto 5.2.1 does instead
  It passes the missing name on to `put_parameter`, which fails with
  `AttributeError: 'NoneType' object has no attribute 'lower'` and the
  request answers an HTML 500.
"""

from __future__ import annotations

import copy
import random
import string
from typing import Any

from moto.ssm.models import Parameter


def _with_name(cloudformation_json: Any, name: str) -> Any:
    named = copy.deepcopy(cloudformation_json)
    named.setdefault("Properties", {})["Name"] = name
    return named


def generated_name(logical_id: str) -> str:
    suffix = "".join(random.choices(string.ascii_letters + string.digits, k=12))
    return f"CFN-{logical_id}-{suffix}"


def apply() -> None:
    create = Parameter.create_from_cloudformation_json.__func__
    update = Parameter.update_from_cloudformation_json.__func__

    def create_from_cloudformation_json(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        if not (cloudformation_json.get("Properties") or {}).get("Name"):
            cloudformation_json = _with_name(cloudformation_json, generated_name(kwargs.get("LogicalId", resource_name)))
        return create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    def update_from_cloudformation_json(cls: type, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> Any:
        if not (cloudformation_json.get("Properties") or {}).get("Name"):
            cloudformation_json = _with_name(cloudformation_json, original_resource.name)
        return update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)

    Parameter.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)
    Parameter.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)
