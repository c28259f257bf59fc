"""AWS::KMS::Key: optional KeyPolicy, GetAtt KeyId, updates.

What CloudFormation does
  KeyPolicy is optional (without it the key gets the default policy that lets
  the account's root do anything) and may be a JSON object.  Ref and GetAtt
  KeyId return the key id, GetAtt Arn the key ARN.  Description, KeyPolicy,
  EnableKeyRotation, Enabled and Tags update in place; a new KeySpec or
  KeyUsage replaces the key.

What moto 5.2.1 does instead
  It requires KeyPolicy (a template without it fails with an HTML 500,
  KeyError), passes CloudFormation's `{Key, Value}` tags to the KMS API,
  which expects `{TagKey, TagValue}` (KeyError: the key is never created and
  every GetAtt of it is "undefined"), and stores an object policy as it is, so GetKeyPolicy cannot
  answer; GetAtt KeyId is refused; and the model has no update method, so
  after any change to the key its Ref resolves to nothing.
"""

from __future__ import annotations

import json
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.kms.models import Key, kms_backends


def _kms_tags(tags: Any) -> list[dict[str, str]]:
    """CloudFormation's `{Key, Value}` tags in the KMS API's `{TagKey, TagValue}` form."""
    return [{"TagKey": tag.get("Key", tag.get("TagKey")), "TagValue": tag.get("Value", tag.get("TagValue"))} for tag in tags or []]


def _text(policy: Any) -> str | None:
    return policy if policy is None or isinstance(policy, str) else json.dumps(policy)


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Key:
    properties = cloudformation_json.get("Properties") or {}
    key = kms_backends[account_id][region_name].create_key(
        policy=_text(properties.get("KeyPolicy")),
        key_usage=properties.get("KeyUsage", "ENCRYPT_DECRYPT"),
        key_spec=properties.get("KeySpec", "SYMMETRIC_DEFAULT"),
        description=properties.get("Description", ""),
        tags=_kms_tags(properties.get("Tags")),
        multi_region=str(properties.get("MultiRegion", False)).lower() == "true",
    )
    _set_mutable(key, properties)
    return key


def _set_mutable(key: Key, properties: dict) -> None:
    key.description = properties.get("Description", "")
    key.key_rotation_status = str(properties.get("EnableKeyRotation", False)).lower() == "true"
    key.enabled = str(properties.get("Enabled", True)).lower() == "true"
    key.key_state = "Enabled" if key.enabled else "Disabled"
    key.policy = _text(properties.get("KeyPolicy")) or key.generate_default_policy()


def _update(cls: type, original_resource: Key, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> Key:
    properties = cloudformation_json.get("Properties") or {}
    if (properties.get("KeySpec", "SYMMETRIC_DEFAULT"), properties.get("KeyUsage", "ENCRYPT_DECRYPT")) != (
        original_resource.key_spec,
        original_resource.key_usage,
    ):
        return _create(cls, new_resource_name, cloudformation_json, account_id, region_name)
    _set_mutable(original_resource, properties)
    kms_backends[account_id][region_name].tag_resource(original_resource.id, _kms_tags(properties.get("Tags")))
    return original_resource


def _get_cfn_attribute(self: Key, attribute_name: str) -> str:
    if attribute_name == "Arn":
        return self.arn
    if attribute_name == "KeyId":
        return self.id
    raise UnformattedGetAttTemplateException()


def apply() -> None:
    Key.create_from_cloudformation_json = classmethod(_create)
    Key.update_from_cloudformation_json = classmethod(_update)
    Key.get_cfn_attribute = _get_cfn_attribute
    Key.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Arn", "KeyId"))
