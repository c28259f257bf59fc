"""AWS Cloud Map (ServiceDiscovery) resources.

What CloudFormation does
  AWS::ServiceDiscovery::PrivateDnsNamespace / HttpNamespace create a
  namespace (`ns-...`); Ref is the namespace id, GetAtt Id, Arn and (private
  DNS only) HostedZoneId.  AWS::ServiceDiscovery::Service creates a service
  (`srv-...`); Ref is the service id, GetAtt Id, Arn and Name.  Description,
  DNS records and health check settings update in place.

What moto 5.2.1 does instead
  It has a servicediscovery backend but no CloudFormation model, so these
  resources are skipped ("No Moto CloudFormation support") and every Ref/GetAtt
  to them fails, e.g. the ECS service's `ServiceRegistries` of scenario 1.

These models create the resources in moto's servicediscovery backend, so
`servicediscovery.get_namespace/get_service` see them.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.servicediscovery.models import servicediscovery_backends

from ._base import CfnResource, props


def _backend(account_id: str, region_name: str) -> Any:
    return servicediscovery_backends[account_id][region_name]


class _Namespace(CfnResource):
    """State shared by the two namespace types: the backend's Namespace object."""

    ATTRIBUTES = {"Id": "id", "Arn": "arn"}

    def __init__(self, namespace: Any, account_id: str, region_name: str):
        self.namespace = namespace
        self.account_id = account_id
        self.region_name = region_name

    id = property(lambda self: self.namespace.id)
    arn = property(lambda self: self.namespace.arn)
    physical_resource_id = property(lambda self: self.namespace.id)

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @classmethod
    def _create(cls, resource_name: str, properties: dict, backend: Any) -> str:
        raise NotImplementedError

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        backend = _backend(account_id, region_name)
        operation_id = cls._create(resource_name, props(cloudformation_json), backend)
        namespace_id = backend.get_operation(operation_id).targets["NAMESPACE"]
        return cls(backend.get_namespace(namespace_id), account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        if new_resource_name != original_resource.namespace.name or properties.get("Vpc") != original_resource.namespace.vpc:
            original_resource.delete(account_id, region_name)  # Name and Vpc: replacement
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        original_resource.namespace.description = properties.get("Description")
        if "Properties" in properties:
            dns = dict(properties["Properties"].get("DnsProperties") or {})
            hosted_zone_id = original_resource.namespace.dns_properties.get("HostedZoneId")
            original_resource.namespace.dns_properties = {**dns, "HostedZoneId": hosted_zone_id}
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.namespace.id in backend.namespaces:
            backend.delete_namespace(self.namespace.id)


class PrivateDnsNamespace(_Namespace, CloudFormationModel):
    ATTRIBUTES = {**_Namespace.ATTRIBUTES, "HostedZoneId": "hosted_zone_id"}

    @property
    def hosted_zone_id(self) -> str:
        # moto's backend keeps Route 53's "/hostedzone/<id>" form; GetAtt answers the bare id.
        return self.namespace.dns_properties["HostedZoneId"].rsplit("/", 1)[-1]

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::PrivateDnsNamespace"

    @classmethod
    def _create(cls, resource_name: str, properties: dict, backend: Any) -> str:
        return backend.create_private_dns_namespace(
            name=resource_name,
            creator_request_id=None,
            description=properties.get("Description"),
            vpc=properties["Vpc"],
            tags=properties.get("Tags") or [],
            properties=dict(properties.get("Properties") or {}),
        )


class HttpNamespace(_Namespace, CloudFormationModel):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::HttpNamespace"

    @classmethod
    def _create(cls, resource_name: str, properties: dict, backend: Any) -> str:
        return backend.create_http_namespace(
            name=resource_name,
            creator_request_id=None,
            description=properties.get("Description"),
            tags=properties.get("Tags") or [],
        )


class Service(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Id": "id", "Arn": "arn", "Name": "name"}

    def __init__(self, service: Any):
        self.service = service

    id = property(lambda self: self.service.id)
    arn = property(lambda self: self.service.arn)
    name = property(lambda self: self.service.name)
    physical_resource_id = property(lambda self: self.service.id)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::Service"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        dns_config = properties.get("DnsConfig")
        namespace_id = properties.get("NamespaceId") or (dns_config or {}).get("NamespaceId")
        service = _backend(account_id, region_name).create_service(
            name=resource_name,
            namespace_id=namespace_id,
            creator_request_id=None,
            description=properties.get("Description"),
            dns_config=dns_config,
            health_check_config=properties.get("HealthCheckConfig"),
            health_check_custom_config=properties.get("HealthCheckCustomConfig"),
            tags=properties.get("Tags") or [],
            service_type=properties.get("Type"),
        )
        return cls(service)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        namespace_id = properties.get("NamespaceId") or (properties.get("DnsConfig") or {}).get("NamespaceId")
        name = properties.get("Name", original_resource.name)  # moto makes up a new name on every update
        if name != original_resource.name or namespace_id != original_resource.service.namespace_id:
            original_resource.delete(account_id, region_name)  # Name and NamespaceId: replacement
            return cls.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
        details = {k: properties[k] for k in ("Description", "DnsConfig", "HealthCheckConfig") if k in properties}
        _backend(account_id, region_name).update_service(original_resource.id, details)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(account_id, region_name).delete_service(self.service.id)
