"""IAM OpenID Connect identity providers.

What CloudFormation does
  AWS::IAM::OIDCProvider creates an IAM OIDC identity provider for `Url`
  (https, such as GitHub Actions' `https://token.actions.githubusercontent.com`)
  with its audiences (`ClientIdList`), optional `ThumbprintList` (IAM no longer
  needs thumbprints for providers such as GitHub, whose certificates it checks
  against its trusted CAs) and Tags.  Ref and GetAtt Arn return
  `arn:aws:iam::<account>:oidc-provider/<url without https://>`, the ARN a role's
  trust policy names as its `Federated` principal.  ClientIdList, ThumbprintList
  and Tags update in place; a new Url replaces the provider.  An account holds
  one provider per URL: IAM refuses a second one ("Provider with url <url>
  already exists.").

What moto 5.2.1 does instead
  Its IAM backend has CreateOpenIDConnectProvider, but there is no
  CloudFormation model: the resource is skipped ("No Moto CloudFormation
  support for AWS::IAM::OIDCProvider"), and a `Federated: {Ref: ...}` principal
  resolves to nothing, so the role's trust policy is stored with an empty
  Principal.  (Its own duplicate error says only "Unknown".)

This model calls moto's IAM backend, so `iam.list_open_id_connect_providers`
and `iam.get_open_id_connect_provider` show the provider.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from moto.core.common_models import CloudFormationModel
from moto.iam.exceptions import EntityAlreadyExists
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

from ._base import CfnResource, props


def _backend(account_id: str, region_name: str) -> Any:
    return iam_backends[account_id][get_partition(region_name)]


def _tags(p: dict) -> list[dict[str, str]]:
    return [{"Key": tag["Key"], "Value": tag["Value"]} for tag in p.get("Tags") or []]


def _host_and_path(url: str) -> str:
    parsed = urlparse(url)
    return parsed.netloc + parsed.path


class OIDCProvider(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Arn": "arn"}

    def __init__(self, provider: Any, account_id: str, region_name: str):
        self.provider = provider
        self.account_id = account_id
        self.region_name = region_name

    arn = property(lambda self: self.provider.arn)
    physical_resource_id = property(lambda self: self.provider.arn)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::IAM::OIDCProvider"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        iam = _backend(account_id, region_name)
        url = p["Url"]
        if any(_host_and_path(url) == provider.url for provider in iam.open_id_providers.values()):
            raise EntityAlreadyExists(f"Provider with url {url} already exists.")
        provider = iam.create_open_id_connect_provider(
            url, list(p.get("ThumbprintList") or []), list(p.get("ClientIdList") or []), _tags(p)
        )
        return cls(provider, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        provider = original_resource.provider
        if _host_and_path(p["Url"]) != provider.url:
            # Replacement: the new provider first, then the old one is deleted.
            replacement = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
            original_resource.delete(account_id, region_name)
            return replacement
        iam = _backend(account_id, region_name)
        # What Add/RemoveClientIDToOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint
        # and (Un)TagOpenIDConnectProvider leave behind.
        provider.client_id_list = list(p.get("ClientIdList") or [])
        iam.update_open_id_connect_provider_thumbprint(provider.arn, list(p.get("ThumbprintList") or []))
        provider.tags = iam._tag_verification(_tags(p))
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(account_id, region_name).delete_open_id_connect_provider(self.provider.arn)
