"""Amazon DocumentDB resources.

What CloudFormation does
  AWS::DocDB::DBCluster creates a cluster; Ref is the (lower-case) cluster
  identifier; GetAtt Endpoint is `<id>.cluster-<suffix>.<region>.docdb.amazonaws.com`,
  ReadEndpoint `<id>.cluster-ro-<suffix>...`, Port the port as a string
  ("27017" by default) and ClusterResourceId `cluster-<26 characters>`; the
  suffix is the same for every cluster of an account and region.
  AWS::DocDB::DBInstance adds an instance to a cluster; Ref is the instance
  identifier, GetAtt Endpoint `<id>.<suffix>.<region>.docdb.amazonaws.com` and
  Port.  A cluster cannot be deleted while it has instances.
  AWS::DocDB::DBSubnetGroup and AWS::DocDB::DBClusterParameterGroup create the
  group; Ref is its (lower-case) name.

What moto 5.2.1 does instead
  No model for any AWS::DocDB type: the resources are skipped.  The DocumentDB
  API shares RDS's endpoint and moto's RDS backend answers it, but it refuses
  the engine: "Engine 'docdb' is not supported".

So clusters and instances are kept by these models (on moto's RDS backend
object, so that /moto-api/reset clears them), while subnet groups and cluster
parameter groups, which do not depend on the engine, are created in moto's RDS
backend and are visible through `docdb.describe_db_subnet_groups` /
`describe_db_cluster_parameter_groups`.
"""

from __future__ import annotations

import string
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.models import ec2_backends
from moto.rds.exceptions import DBClusterNotFoundError, DBClusterToBeDeletedHasActiveMembers
from moto.rds.models import rds_backends

from ._base import CfnResource, generated_name, props, random_chars, stack_name_of


def docdb_state(account_id: str, region_name: str) -> dict[str, Any]:
    """Clusters, instances and the account's endpoint suffix for one region."""
    backend = rds_backends[account_id][region_name]
    state = backend.__dict__.get("_cfn_docdb")
    if state is None:
        state = backend.__dict__["_cfn_docdb"] = {"clusters": {}, "instances": {}, "suffix": random_chars(12)}
    return state


def _identifier(properties: dict, name_property: str, kwargs: dict) -> str:
    if properties.get(name_property):
        return properties[name_property].lower()
    return generated_name(stack_name_of(kwargs), kwargs["LogicalId"], 63, lowercase=True)


class DBCluster(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"ClusterResourceId": "resource_id", "Endpoint": "endpoint", "ReadEndpoint": "read_endpoint", "Port": "port_text"}

    def __init__(self, identifier: str, properties: dict, account_id: str, region_name: str):
        suffix = docdb_state(account_id, region_name)["suffix"]
        self.identifier = identifier
        self.properties = properties
        self.port = int(properties.get("Port", 27017))
        self.resource_id = "cluster-" + random_chars(26, string.ascii_uppercase + string.digits)
        self.endpoint = f"{identifier}.cluster-{suffix}.{region_name}.docdb.amazonaws.com"
        self.read_endpoint = f"{identifier}.cluster-ro-{suffix}.{region_name}.docdb.amazonaws.com"
        self.members: set[str] = set()

    port_text = property(lambda self: str(self.port))
    physical_resource_id = property(lambda self: self.identifier)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::DocDB::DBCluster"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DBClusterIdentifier"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        cluster = cls(_identifier(properties, "DBClusterIdentifier", kwargs), properties, account_id, region_name)
        docdb_state(account_id, region_name)["clusters"][cluster.identifier] = cluster
        return cluster

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        if properties.get("DBClusterIdentifier", original_resource.identifier).lower() != original_resource.identifier:
            # Replacement: the new cluster first; the old one goes in the clean-up,
            # after its instances have been replaced too.
            replacement = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name, LogicalId=original_resource.logical_resource_id
            )
            docdb_state(account_id, region_name)["clusters"].pop(original_resource.identifier, None)
            return replacement
        original_resource.properties = properties
        original_resource.port = int(properties.get("Port", 27017))
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        if self.members:
            raise DBClusterToBeDeletedHasActiveMembers()
        docdb_state(account_id, region_name)["clusters"].pop(self.identifier, None)


class DBInstance(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Endpoint": "endpoint", "Port": "port_text"}

    def __init__(self, identifier: str, cluster: DBCluster, properties: dict, account_id: str, region_name: str):
        suffix = docdb_state(account_id, region_name)["suffix"]
        self.identifier = identifier
        self.cluster = cluster
        self.properties = properties
        self.endpoint = f"{identifier}.{suffix}.{region_name}.docdb.amazonaws.com"

    port = property(lambda self: self.cluster.port)
    port_text = property(lambda self: str(self.cluster.port))
    physical_resource_id = property(lambda self: self.identifier)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::DocDB::DBInstance"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DBInstanceIdentifier"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        state = docdb_state(account_id, region_name)
        cluster_id = properties["DBClusterIdentifier"].lower()
        if cluster_id not in state["clusters"]:
            raise DBClusterNotFoundError(cluster_id)
        instance = cls(_identifier(properties, "DBInstanceIdentifier", kwargs), state["clusters"][cluster_id], properties, account_id, region_name)
        state["instances"][instance.identifier] = instance
        instance.cluster.members.add(instance.identifier)
        return instance

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        if properties["DBClusterIdentifier"].lower() != original_resource.cluster.identifier or (
            properties.get("DBInstanceIdentifier", original_resource.identifier).lower() != original_resource.identifier
        ):
            original_resource.delete(account_id, region_name)  # replacement
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name, LogicalId=original_resource.logical_resource_id
            )
        original_resource.properties = properties  # instance class, windows...: in place
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        docdb_state(account_id, region_name)["instances"].pop(self.identifier, None)
        self.cluster.members.discard(self.identifier)


class DBSubnetGroup(CfnResource, CloudFormationModel):
    def __init__(self, group: Any):
        self.group = group

    physical_resource_id = property(lambda self: self.group.name)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::DocDB::DBSubnetGroup"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DBSubnetGroupName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        subnets = [ec2_backends[account_id][region_name].get_subnet(s) for s in properties["SubnetIds"]]
        group = rds_backends[account_id][region_name].create_subnet_group(
            _identifier(properties, "DBSubnetGroupName", kwargs),
            properties["DBSubnetGroupDescription"],
            subnets,
            properties.get("Tags") or [],
        )
        return cls(group)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        original_resource.group.description = properties["DBSubnetGroupDescription"]
        original_resource.group.subnets = [ec2_backends[account_id][region_name].get_subnet(s) for s in properties["SubnetIds"]]
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        rds_backends[account_id][region_name].subnet_groups.pop(self.group.name, None)


class DBClusterParameterGroup(CfnResource, CloudFormationModel):
    def __init__(self, group: Any):
        self.group = group

    physical_resource_id = property(lambda self: self.group.name)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::DocDB::DBClusterParameterGroup"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def _set_parameters(group: Any, parameters: dict[str, Any]) -> None:
        group.parameters.clear()
        group.update_cluster_parameters(
            [{"ParameterName": k, "ParameterValue": str(v), "ApplyMethod": "pending-reboot"} for k, v in parameters.items()]
        )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        group = rds_backends[account_id][region_name].create_db_cluster_parameter_group(
            _identifier(properties, "Name", kwargs), properties["Family"], properties["Description"], properties.get("Tags")
        )
        cls._set_parameters(group, properties.get("Parameters") or {})
        return cls(group)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        cls._set_parameters(original_resource.group, props(cloudformation_json).get("Parameters") or {})
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        rds_backends[account_id][region_name].db_cluster_parameter_groups.pop(self.group.name, None)
