"""Secrets Manager resources.

What CloudFormation does
  AWS::SecretsManager::Secret creates a secret, either with `SecretString` or
  with a value generated from `GenerateSecretString` (a random password of
  PasswordLength characters without ExcludeCharacters; with
  SecretStringTemplate + GenerateStringKey the password is added under that
  key to the template's JSON object).  Without `Name` the secret is named
  `<LogicalId>-<12 random characters>`.  Ref and GetAtt Id return the ARN,
  which ends in `-` and 6 random characters.
  AWS::SecretsManager::SecretTargetAttachment adds the connection details of a
  database to the secret's JSON: for a DocumentDB cluster `engine` ("mongo"),
  `host`, `port` (a number) and `dbClusterIdentifier`; for RDS the engine name
  and `dbInstanceIdentifier` or `dbClusterIdentifier`.  Ref (and GetAtt Id)
  return the secret's ARN.

What moto 5.2.1 does instead
  It has a secretsmanager backend but no CloudFormation model: secrets in a
  template are skipped, a Ref to them resolves to nothing, and an IAM policy
  naming them loses its Resource (MalformedPolicyDocument).

These models create the secret in moto's secretsmanager backend, so
`secretsmanager.get_secret_value` returns what the real service would.
Deleting the stack deletes the secret without a recovery window, so the same
name can be deployed again at once.
"""

from __future__ import annotations

import json
import string
import uuid
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.rds.models import rds_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.secretsmanager.utils import random_password

from ._base import CfnResource, props, random_chars
from .docdb import docdb_state


def _backend(account_id: str, region_name: str) -> Any:
    return secretsmanager_backends[account_id][region_name]


def generate_secret_string(spec: dict[str, Any]) -> str:
    """The value GenerateSecretString describes."""
    password = random_password(
        int(spec.get("PasswordLength", 32)),
        spec.get("ExcludeCharacters", ""),
        bool(spec.get("ExcludeNumbers", False)),
        bool(spec.get("ExcludePunctuation", False)),
        bool(spec.get("ExcludeUppercase", False)),
        bool(spec.get("ExcludeLowercase", False)),
        bool(spec.get("IncludeSpace", False)),
        bool(spec.get("RequireEachIncludedType", True)),
    )
    if "SecretStringTemplate" not in spec:
        return password
    document = json.loads(spec["SecretStringTemplate"])
    document[spec["GenerateStringKey"]] = password
    return json.dumps(document)


def _secret_string(properties: dict[str, Any]) -> str | None:
    if "GenerateSecretString" in properties:
        return generate_secret_string(properties["GenerateSecretString"])
    return properties.get("SecretString")


class Secret(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Id": "arn"}

    def __init__(self, secret: Any, properties: dict[str, Any]):
        self.secret = secret
        self.properties = properties

    arn = property(lambda self: self.secret.arn)
    physical_resource_id = property(lambda self: self.secret.arn)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SecretsManager::Secret"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        name = properties.get("Name") or f"{kwargs['LogicalId']}-{random_chars(12, string.ascii_letters + string.digits)}"
        backend = _backend(account_id, region_name)
        backend.create_secret(
            name=name,
            secret_string=_secret_string(properties),
            secret_binary=None,
            description=properties.get("Description"),
            tags=properties.get("Tags"),
            kms_key_id=properties.get("KmsKeyId"),
            client_request_token=None,
            replica_regions=properties.get("ReplicaRegions") or [],
            force_overwrite=False,
        )
        return cls(backend.describe_secret(name), properties)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        old = original_resource.properties
        if properties.get("Name") != old.get("Name"):
            original_resource.delete(account_id, region_name)  # Name: replacement
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name, LogicalId=original_resource.logical_resource_id
            )
        backend = _backend(account_id, region_name)
        name = original_resource.secret.name
        value_changed = any(properties.get(k) != old.get(k) for k in ("SecretString", "GenerateSecretString"))
        backend.update_secret(
            name,
            secret_string=_secret_string(properties) if value_changed else None,
            client_request_token=str(uuid.uuid4()),  # what the SDKs send
            kms_key_id=properties.get("KmsKeyId"),
            description=properties.get("Description"),
        )
        backend.untag_resource(name, [t["Key"] for t in old.get("Tags") or []])
        backend.tag_resource(name, properties.get("Tags") or [])
        original_resource.properties = properties
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.secret.name in backend.secrets:
            backend.delete_secret(self.secret.name, recovery_window_in_days=None, force_delete_without_recovery=True)


def connection_details(target_type: str, target_id: str, account_id: str, region_name: str) -> dict[str, Any]:
    """The keys the real service adds to an attached secret, per target type."""
    if target_type.startswith("AWS::DocDB::"):
        state = docdb_state(account_id, region_name)
        if target_type == "AWS::DocDB::DBCluster":
            cluster = state["clusters"][target_id]
            return {"engine": "mongo", "host": cluster.endpoint, "port": cluster.port, "dbClusterIdentifier": target_id}
        if target_type == "AWS::DocDB::DBInstance":
            instance = state["instances"][target_id]
            return {"engine": "mongo", "host": instance.endpoint, "port": instance.port, "dbInstanceIdentifier": target_id}
    rds = rds_backends[account_id][region_name]
    if target_type == "AWS::RDS::DBCluster":
        cluster = rds.clusters[target_id]
        return {"engine": cluster.engine, "host": cluster.endpoint, "port": int(cluster.port), "dbClusterIdentifier": target_id}
    if target_type == "AWS::RDS::DBInstance":
        instance = rds.databases[target_id]
        return {"engine": instance.engine, "host": instance.address, "port": int(instance.port), "dbInstanceIdentifier": target_id}
    raise NotImplementedError(f"SecretTargetAttachment TargetType {target_type}")


class SecretTargetAttachment(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Id": "physical_resource_id"}

    def __init__(self, secret_arn: str):
        self.secret_arn = secret_arn

    physical_resource_id = property(lambda self: self.secret_arn)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SecretsManager::SecretTargetAttachment"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        backend = _backend(account_id, region_name)
        secret = backend.describe_secret(properties["SecretId"])
        current = backend.get_secret_value(secret.name, version_id=None, version_stage=None)["SecretString"]
        document = json.loads(current or "{}")
        document.update(connection_details(properties["TargetType"], properties["TargetId"].lower(), account_id, region_name))
        backend.update_secret(secret.name, secret_string=json.dumps(document), client_request_token=str(uuid.uuid4()))
        return cls(secret.arn)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        """Detaching leaves the secret's value as it is, as the real service does."""
