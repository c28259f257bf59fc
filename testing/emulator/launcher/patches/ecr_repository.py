"""AWS::ECR::Repository: property casing, LifecyclePolicy, RepositoryPolicyText.

What CloudFormation does
  ImageScanningConfiguration (`{"ScanOnPush": true}`) and
  EncryptionConfiguration (`{"EncryptionType": "KMS", "KmsKey": ...}`) reach
  the repository, so DescribeRepositories shows `scanOnPush` and
  `encryptionType`; LifecyclePolicy.LifecyclePolicyText and
  RepositoryPolicyText are put on the repository.  Without RepositoryName the
  generated name is lower case.  Everything but the name and the encryption
  updates in place.

What moto 5.2.1 does instead
  It stores the two configurations in CloudFormation's casing, which the ECR
  API does not read back (scanOnPush shows as `{}`), ignores LifecyclePolicy
  and RepositoryPolicyText, generates mixed-case names, and on update replaces
  a KMS-encrypted repository (its stored config gains a `kmsKey` that the
  template's never equals) or one without RepositoryName (it makes up a new
  name each time).
"""

from __future__ import annotations

import json
from typing import Any

from moto.ecr.models import Repository, ecr_backends


def _truthy(value: Any) -> bool:
    return str(value).lower() == "true"


def _api_case(properties: dict[str, Any]) -> dict[str, Any]:
    """The configurations in the ECR API's casing (idempotent)."""
    converted = dict(properties)
    scan = properties.get("ImageScanningConfiguration")
    if scan is not None:
        converted["ImageScanningConfiguration"] = {"scanOnPush": _truthy(scan.get("ScanOnPush", scan.get("scanOnPush", False)))}
    encryption = properties.get("EncryptionConfiguration")
    if encryption is not None:
        kind = encryption.get("EncryptionType") or encryption.get("encryptionType")
        key = encryption.get("KmsKey") or encryption.get("kmsKey")
        converted["EncryptionConfiguration"] = {"encryptionType": kind, **({"kmsKey": key} if key else {})}
    return converted


def _put_policies(repository: Repository, properties: dict[str, Any], account_id: str, region_name: str) -> None:
    backend = ecr_backends[account_id][region_name]
    lifecycle = (properties.get("LifecyclePolicy") or {}).get("LifecyclePolicyText")
    if lifecycle:
        backend.put_lifecycle_policy(None, repository.name, lifecycle)
    elif repository.lifecycle_policy:
        backend.delete_lifecycle_policy(None, repository.name)
    policy = properties.get("RepositoryPolicyText")
    if policy:
        backend.set_repository_policy(None, repository.name, policy if isinstance(policy, str) else json.dumps(policy))
    elif repository.policy:
        backend.delete_repository_policy(None, repository.name)


def apply() -> None:
    original_create = Repository.create_from_cloudformation_json.__func__
    original_update = Repository.update_from_cloudformation_json.__func__

    def create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Repository:
        properties = cloudformation_json.get("Properties") or {}
        if "RepositoryName" not in properties:
            resource_name = resource_name.lower()
        converted = {**cloudformation_json, "Properties": _api_case(properties)}
        repository = original_create(cls, resource_name, converted, account_id, region_name, **kwargs)
        _put_policies(repository, properties, account_id, region_name)
        return repository

    def update(cls: type, original_resource: Repository, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> Repository:
        properties = cloudformation_json.get("Properties") or {}
        converted = _api_case(properties)
        name = properties.get("RepositoryName", original_resource.name)
        wanted = converted.get("EncryptionConfiguration") or {"encryptionType": "AES256"}
        current = original_resource.encryption_configuration
        if name == original_resource.name and wanted["encryptionType"] == current.get("encryptionType") and (
            wanted.get("kmsKey", current.get("kmsKey")) == current.get("kmsKey")
        ):
            converted["EncryptionConfiguration"] = current  # moto's in-place path
        repository = original_update(cls, original_resource, name, {**cloudformation_json, "Properties": converted}, account_id, region_name)
        _put_policies(repository, properties, account_id, region_name)
        return repository

    Repository.create_from_cloudformation_json = classmethod(create)
    Repository.update_from_cloudformation_json = classmethod(update)
