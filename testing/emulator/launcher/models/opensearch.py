"""Amazon OpenSearch Service domains.

What CloudFormation does
  AWS::OpenSearchService::Domain creates a domain.  Ref is the domain name;
  GetAtt Arn and DomainArn are `arn:aws:es:<region>:<account>:domain/<name>`,
  Id is `<account>/<name>`, DomainEndpoint the host name (no scheme):
  `search-<name>-<26 characters>.<region>.es.amazonaws.com` for a public domain,
  `vpc-<name>-<26 characters>.<region>.es.amazonaws.com` for one with
  VPCOptions; DomainEndpoints is the map of endpoints (`{"vpc": ...}`).
  Without DomainName a lower-case name of at most 28 characters is generated.
  Most options update in place; a new DomainName replaces the domain.

What moto 5.2.1 does instead
  It has an opensearch backend but no CloudFormation model, so the domain is
  skipped; its backend also gives every domain the endpoint `<name>.<region>.es.amazonaws.com`.

This model creates the domain in moto's opensearch backend and gives it the
endpoint format above, so `opensearch.describe_domain` agrees with GetAtt.
EngineVersion defaults to OpenSearch_2.11 when the template leaves it out.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.opensearch.models import opensearch_backends

from ._base import CfnResource, generated_name, props, random_chars, stack_name_of

DEFAULT_ENGINE_VERSION = "OpenSearch_2.11"

# CloudFormation property -> keyword of the backend's create_domain/update_domain_config
_OPTIONS = {
    "ClusterConfig": "cluster_config",
    "EBSOptions": "ebs_options",
    "SnapshotOptions": "snapshot_options",
    "VPCOptions": "vpc_options",
    "CognitoOptions": "cognito_options",
    "EncryptionAtRestOptions": "encryption_at_rest_options",
    "NodeToNodeEncryptionOptions": "node_to_node_encryption_options",
    "AdvancedOptions": "advanced_options",
    "LogPublishingOptions": "log_publishing_options",
    "DomainEndpointOptions": "domain_endpoint_options",
    "AdvancedSecurityOptions": "advanced_security_options",
    "OffPeakWindowOptions": "off_peak_window_options",
    "SoftwareUpdateOptions": "software_update_options",
}


def _backend(account_id: str, region_name: str) -> Any:
    return opensearch_backends[account_id][region_name]


def _options(properties: dict[str, Any]) -> dict[str, Any]:
    options = {keyword: properties.get(prop) for prop, keyword in _OPTIONS.items()}
    security = options["advanced_security_options"]
    if security:  # the master user's credentials are input only
        options["advanced_security_options"] = {k: v for k, v in security.items() if k != "MasterUserOptions"}
    policies = properties.get("AccessPolicies")
    options["access_policies"] = json.dumps(policies) if isinstance(policies, dict) else policies
    options["auto_tune_options"] = None
    return options


class Domain(CfnResource, CloudFormationModel):
    ATTRIBUTES = {
        "Arn": "arn",
        "DomainArn": "arn",
        "DomainEndpoint": "domain_endpoint",
        "DomainEndpoints": "domain_endpoints",
        "Id": "id",
    }

    def __init__(self, domain: Any):
        self.domain = domain

    arn = property(lambda self: self.domain.arn)
    id = property(lambda self: self.domain.domain_id)
    physical_resource_id = property(lambda self: self.domain.domain_name)

    @property
    def domain_endpoint(self) -> str:
        return self.domain.endpoint or self.domain.endpoints["vpc"]

    @property
    def domain_endpoints(self) -> dict[str, str]:
        return dict(self.domain.endpoints or {})

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::OpenSearchService::Domain"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DomainName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        name = properties.get("DomainName") or generated_name(stack_name_of(kwargs), kwargs["LogicalId"], 28, lowercase=True)
        domain = _backend(account_id, region_name).create_domain(
            domain_name=name,
            engine_version=properties.get("EngineVersion") or DEFAULT_ENGINE_VERSION,
            tag_list=properties.get("Tags") or [],
            is_es=False,
            elasticsearch_version=None,
            elasticsearch_cluster_config=None,
            **_options(properties),
        )
        host = f"{name}-{random_chars(26)}.{region_name}.es.amazonaws.com"
        if domain.vpc_options:
            domain.endpoints = {"vpc": f"vpc-{host}"}
        else:
            domain.endpoint = f"search-{host}"
        return cls(domain)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        if properties.get("DomainName", original_resource.domain.domain_name) != original_resource.domain.domain_name:
            replacement = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name, LogicalId=original_resource.logical_resource_id
            )
            original_resource.delete(account_id, region_name)
            return replacement
        _backend(account_id, region_name).update_domain_config(domain_name=original_resource.domain.domain_name, **_options(properties))
        if properties.get("EngineVersion"):
            original_resource.domain.engine_version.options = properties["EngineVersion"]
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.domain.domain_name in backend.domains:
            backend.delete_domain(self.domain.domain_name)
