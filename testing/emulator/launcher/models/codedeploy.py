"""CodeDeploy applications, deployment configurations and deployment groups.

What CloudFormation does
  AWS::CodeDeploy::Application creates an application (ComputePlatform
  `Server`, `Lambda` or `ECS`; `Server` when absent).  Ref returns its name,
  generated as `<stack>-<LogicalId>-<SUFFIX>` without ApplicationName; no
  GetAtt.  A new ApplicationName or ComputePlatform replaces it; Tags update in
  place.  Deleting it deletes its deployment groups too.

  AWS::CodeDeploy::DeploymentConfig creates a deployment configuration
  (TrafficRoutingConfig `AllAtOnce`, `TimeBasedCanary` {CanaryPercentage,
  CanaryInterval} or `TimeBasedLinear` for ECS and Lambda; MinimumHealthyHosts
  for EC2/on-premises).  Ref returns its name (generated the same way); no
  GetAtt.  CodeDeploy cannot change a configuration, so every property change
  replaces it (a named one cannot be replaced: CloudFormation refuses the
  update); it cannot be deleted while a deployment group uses it.

  AWS::CodeDeploy::DeploymentGroup creates a deployment group of an
  application: its deployment configuration, service role, deployment style,
  ECSServices, LoadBalancerInfo (TargetGroupPairInfoList with production and
  test listeners), BlueGreenDeploymentConfiguration, AlarmConfiguration,
  AutoRollbackConfiguration, TriggerConfigurations, tag filters and Tags.  Ref
  returns its name (generated the same way); no GetAtt.  A new ApplicationName
  or DeploymentGroupName replaces it; everything else is an
  UpdateDeploymentGroup.  CodeDeploy's checks apply (see
  `patches/codedeploy.py`): the configuration must exist and fit the
  application's platform, the service role must trust CodeDeploy, an ECS group
  needs its one CODE_DEPLOY service, BLUE_GREEN WITH_TRAFFIC_CONTROL and one
  target group pair.

What moto 5.2.1 does instead
  It has a CodeDeploy backend (applications and deployment groups, no
  deployment configurations) but no CloudFormation model of any of the three:
  they are skipped ("No Moto CloudFormation support"), their Refs resolve to
  nothing, and a policy naming the application or group ARNs names
  `...:application:` with no name.

These models call the CodeDeploy backend (with `patches/codedeploy.py`), so
`codedeploy.get_application`, `get_deployment_config` and
`get_deployment_group` show what the template made.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.codedeploy.models import codedeploy_backends
from moto.core.common_models import CloudFormationModel
from moto.utilities.utils import get_partition

from patches import codedeploy as api

from ._base import CfnResource, props

# CloudFormation names whose API name is not just the first letter lowered.
_RENAMED = {"ECSServices": "ecsServices", "Ec2TagFilters": "ec2TagFilters", "Ec2TagSet": "ec2TagSet"}
# Lists of EC2/on-premises tag filters keep the API's own `Key`/`Value`/`Type`.
_KEPT = {"Ec2TagFilters", "OnPremisesInstanceTagFilters", "Ec2TagGroup", "OnPremisesTagGroup", "Tags"}
_BOOLEANS = {"Enabled", "IgnorePollAlarmFailure", "TerminationHookEnabled"}
_NUMBERS = {
    "WaitTimeInMinutes",
    "TerminationWaitTimeInMinutes",
    "CanaryInterval",
    "CanaryPercentage",
    "LinearInterval",
    "LinearPercentage",
    "Value",
}


def _backend(account_id: str, region_name: str) -> Any:
    return codedeploy_backends[account_id][region_name]


def api_keys(value: Any, key: str = "") -> Any:
    """A CloudFormation property value in the CodeDeploy API's casing."""
    if key in _KEPT:
        return value
    if key in _BOOLEANS:
        return str(value).lower() == "true"
    if key in _NUMBERS and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if key in ("Ec2TagSet", "OnPremisesTagSet"):
        # {Ec2TagSetList: [{Ec2TagGroup: [...]}]} -> {ec2TagSetList: [[...]]}
        inner = "Ec2TagSetList" if key == "Ec2TagSet" else "OnPremisesTagSetList"
        group = "Ec2TagGroup" if key == "Ec2TagSet" else "OnPremisesTagGroup"
        return {inner[0].lower() + inner[1:]: [list(item.get(group) or []) for item in value.get(inner) or []]}
    if isinstance(value, list):
        return [api_keys(item, key) for item in value]
    if isinstance(value, dict):
        return {_RENAMED.get(k) or k[:1].lower() + k[1:]: api_keys(v, k) for k, v in value.items()}
    return value


def _cannot_replace(name: str) -> ValidationError:
    return ValidationError(
        message=(
            "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
            f"Rename {name} and update the stack again."
        )
    )


class Application(CfnResource, CloudFormationModel):
    ATTRIBUTES: dict[str, str] = {}

    def __init__(self, name: str, account_id: str, region_name: str):
        self.name = name
        self.account_id = account_id
        self.region_name = region_name

    physical_resource_id = property(lambda self: self.name)

    @property
    def arn(self) -> str:
        return f"arn:{get_partition(self.region_name)}:codedeploy:{self.region_name}:{self.account_id}:application:{self.name}"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CodeDeploy::Application"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "ApplicationName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        _backend(account_id, region_name).create_application(
            resource_name, p.get("ComputePlatform") or "Server", list(p.get("Tags") or [])
        )
        return cls(resource_name, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        backend = _backend(account_id, region_name)
        current = backend.get_application(original_resource.name)
        name = p.get("ApplicationName") or original_resource.name
        if name != original_resource.name or (p.get("ComputePlatform") or "Server") != current.compute_platform:
            if p.get("ApplicationName") and name == original_resource.name:
                raise _cannot_replace(name)
            replacement = cls.create_from_cloudformation_json(
                p.get("ApplicationName") or new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return replacement
        tags = list(p.get("Tags") or [])
        current.tags = tags
        backend.tagger.delete_all_tags_for_resource(original_resource.arn)
        if tags:
            backend.tagger.tag_resource(original_resource.arn, tags)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.name in backend.applications:
            api.delete_application(backend, self.name)


class DeploymentConfig(CfnResource, CloudFormationModel):
    ATTRIBUTES: dict[str, str] = {}

    def __init__(self, name: str, properties: dict):
        self.name = name
        self.properties = properties

    physical_resource_id = property(lambda self: self.name)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CodeDeploy::DeploymentConfig"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DeploymentConfigName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        api.create_deployment_config(
            _backend(account_id, region_name),
            resource_name,
            p.get("ComputePlatform") or "Server",
            api_keys(p.get("MinimumHealthyHosts")),
            api_keys(p.get("TrafficRoutingConfig")),
            api_keys(p.get("ZonalConfig")),
        )
        return cls(resource_name, dict(p))

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        if p == original_resource.properties:
            return original_resource
        # Every property is create-only: a replacement, the new configuration first; the old one
        # goes in the cleanup, once the groups using it have moved to the new one.
        if p.get("DeploymentConfigName") and p["DeploymentConfigName"] == original_resource.name:
            raise _cannot_replace(original_resource.name)
        replacement = cls.create_from_cloudformation_json(
            p.get("DeploymentConfigName") or new_resource_name, cloudformation_json, account_id, region_name
        )
        _retired.setdefault((account_id, region_name), set()).add(original_resource.name)
        _clean_up(account_id, region_name)
        return replacement

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.name in api._configs(backend):
            api.delete_deployment_config(backend, self.name)


# Replaced configurations still used by a group of the stack, deleted when no longer used.
_retired: dict[tuple[str, str], set[str]] = {}


def _clean_up(account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    retired = _retired.get((account_id, region_name), set())
    for name in sorted(retired):
        try:
            if name in api._configs(backend):
                api.delete_deployment_config(backend, name)
        except api.DeploymentConfigInUseException:
            continue
        retired.discard(name)


def _group_settings(p: dict) -> dict[str, Any]:
    """The template's deployment group as create_deployment_group's keyword arguments."""
    converted = api_keys({k: v for k, v in p.items() if k not in ("ApplicationName", "DeploymentGroupName", "Deployment")})
    settings = {key: converted.get(param) for key, param in api._UPDATE_PARAMS.items()}
    settings["tags"] = list(p.get("Tags") or [])
    return settings


class DeploymentGroup(CfnResource, CloudFormationModel):
    ATTRIBUTES: dict[str, str] = {}

    def __init__(self, application_name: str, name: str, account_id: str, region_name: str):
        self.application_name = application_name
        self.name = name
        self.account_id = account_id
        self.region_name = region_name

    physical_resource_id = property(lambda self: self.name)

    @property
    def arn(self) -> str:
        return (
            f"arn:{get_partition(self.region_name)}:codedeploy:{self.region_name}:{self.account_id}:"
            f"deploymentgroup:{self.application_name}/{self.name}"
        )

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CodeDeploy::DeploymentGroup"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DeploymentGroupName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        _backend(account_id, region_name).create_deployment_group(
            application_name=p["ApplicationName"], deployment_group_name=resource_name, **_group_settings(p)
        )
        return cls(p["ApplicationName"], resource_name, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        p = props(cloudformation_json)
        name = p.get("DeploymentGroupName") or original_resource.name
        if p["ApplicationName"] != original_resource.application_name or name != original_resource.name:
            if p.get("DeploymentGroupName") and name == original_resource.name:
                raise _cannot_replace(name)
            replacement = cls.create_from_cloudformation_json(
                p.get("DeploymentGroupName") or new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return replacement
        # UpdateDeploymentGroup with every setting of the template: what it no longer gives is
        # reset as at creation.  Checked first, then the group is made again with its id.
        backend = _backend(account_id, region_name)
        settings = _group_settings(p)
        api._checked_config_name(backend, original_resource.application_name, settings)
        group_id = backend.get_deployment_group(original_resource.application_name, original_resource.name).deployment_group_id
        api.delete_deployment_group(backend, original_resource.application_name, original_resource.name)
        backend.create_deployment_group(
            application_name=original_resource.application_name, deployment_group_name=original_resource.name, **settings
        )
        backend.get_deployment_group(original_resource.application_name, original_resource.name).deployment_group_id = group_id
        _clean_up(account_id, region_name)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.name in backend.deployment_groups.get(self.application_name, {}):
            api.delete_deployment_group(backend, self.application_name, self.name)
        _clean_up(account_id, region_name)
