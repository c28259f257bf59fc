"""CodeDeploy: deployment configurations, deletions, updates, and the checks of an ECS group.

What CodeDeploy does
  An account has the predefined deployment configurations
  (`CodeDeployDefault.OneAtATime`, `...ECSAllAtOnce`, `...ECSCanary10Percent5Minutes`,
  `...LambdaLinear10PercentEvery1Minute`...) and the ones it creates with
  CreateDeploymentConfig (for ECS and Lambda a TrafficRoutingConfig: AllAtOnce,
  TimeBasedCanary or TimeBasedLinear; for EC2/on-premises MinimumHealthyHosts);
  GetDeploymentConfig and ListDeploymentConfigs show them; DeleteDeploymentConfig
  refuses a predefined configuration and one a deployment group uses.
  DeleteApplication deletes the application and its deployment groups;
  DeleteDeploymentGroup and UpdateDeploymentGroup (renaming too) exist.
  GetDeploymentGroup shows the group's AlarmConfiguration.  A group without a
  deployment configuration gets its platform's default (`CodeDeployDefault.ECSAllAtOnce`
  for ECS, `CodeDeployDefault.LambdaAllAtOnce` for Lambda, `...OneAtATime` for
  EC2/on-premises).  CreateDeploymentGroup/UpdateDeploymentGroup refuse a
  configuration that does not exist or is of another compute platform, a
  service role CodeDeploy cannot assume (missing, or not trusting
  `codedeploy.amazonaws.com`), and, for an ECS application, anything but one
  ECS service that exists and uses the CODE_DEPLOY deployment controller,
  deployed BLUE_GREEN WITH_TRAFFIC_CONTROL through one target group pair
  (two existing target groups, existing production and test listeners).

What moto 5.2.1 does instead
  No deployment configurations at all (no Create/Get/List/Delete), no
  DeleteApplication, DeleteDeploymentGroup nor UpdateDeploymentGroup;
  GetDeploymentGroup answers `alarmConfiguration: {}` whatever was given; the
  default configuration is `CodeDeployDefault.OneAtATime` for every platform;
  nothing of the group is checked.

The CloudFormation models of `models/codedeploy.py` are built on these.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from moto.codedeploy.exceptions import DeploymentGroupAlreadyExistsException
from moto.codedeploy.models import CodeDeployBackend, DeploymentGroup
from moto.codedeploy.responses import CodeDeployResponse
from moto.core.exceptions import ServiceException
from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.ecs.models import ecs_backends
from moto.elbv2.models import elbv2_backends
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition


class _Error(ServiceException):
    """Serialized by the protocol of the answering service: JSON for CodeDeploy's API, an XML
    error for CloudFormation's ExecuteChangeSet (moto's CodeDeploy errors are JSON only)."""

    def __init__(self, message: str):
        super().__init__(type(self).__name__, message)


class DeploymentConfigAlreadyExistsException(_Error):
    pass


class DeploymentConfigDoesNotExistException(_Error):
    pass


class DeploymentConfigInUseException(_Error):
    pass


class InvalidOperationException(_Error):
    pass


class InvalidDeploymentConfigNameException(_Error):
    pass


class InvalidRoleException(_Error):
    pass


class InvalidECSServiceException(_Error):
    pass


class InvalidDeploymentStyleException(_Error):
    pass


class InvalidTargetGroupPairException(_Error):
    pass


class InvalidComputePlatformException(_Error):
    pass


def _routing(kind: str, percentage: int | None = None, interval: int | None = None) -> dict[str, Any]:
    if kind == "AllAtOnce":
        return {"type": "AllAtOnce"}
    key = "timeBasedCanary" if kind == "TimeBasedCanary" else "timeBasedLinear"
    unit = "canary" if kind == "TimeBasedCanary" else "linear"
    return {"type": kind, key: {f"{unit}Percentage": percentage, f"{unit}Interval": interval}}


# name: (compute platform, minimumHealthyHosts, trafficRoutingConfig)
PREDEFINED: dict[str, tuple[str, dict | None, dict | None]] = {
    "CodeDeployDefault.AllAtOnce": ("Server", {"type": "FLEET_PERCENT", "value": 0}, None),
    "CodeDeployDefault.HalfAtATime": ("Server", {"type": "FLEET_PERCENT", "value": 50}, None),
    "CodeDeployDefault.OneAtATime": ("Server", {"type": "HOST_COUNT", "value": 1}, None),
    "CodeDeployDefault.ECSAllAtOnce": ("ECS", None, _routing("AllAtOnce")),
    "CodeDeployDefault.ECSCanary10Percent5Minutes": ("ECS", None, _routing("TimeBasedCanary", 10, 5)),
    "CodeDeployDefault.ECSCanary10Percent15Minutes": ("ECS", None, _routing("TimeBasedCanary", 10, 15)),
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": ("ECS", None, _routing("TimeBasedLinear", 10, 1)),
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes": ("ECS", None, _routing("TimeBasedLinear", 10, 3)),
    "CodeDeployDefault.LambdaAllAtOnce": ("Lambda", None, _routing("AllAtOnce")),
    "CodeDeployDefault.LambdaCanary10Percent5Minutes": ("Lambda", None, _routing("TimeBasedCanary", 10, 5)),
    "CodeDeployDefault.LambdaCanary10Percent10Minutes": ("Lambda", None, _routing("TimeBasedCanary", 10, 10)),
    "CodeDeployDefault.LambdaCanary10Percent15Minutes": ("Lambda", None, _routing("TimeBasedCanary", 10, 15)),
    "CodeDeployDefault.LambdaCanary10Percent30Minutes": ("Lambda", None, _routing("TimeBasedCanary", 10, 30)),
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute": ("Lambda", None, _routing("TimeBasedLinear", 10, 1)),
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes": ("Lambda", None, _routing("TimeBasedLinear", 10, 2)),
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes": ("Lambda", None, _routing("TimeBasedLinear", 10, 3)),
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes": ("Lambda", None, _routing("TimeBasedLinear", 10, 10)),
}
DEFAULT_CONFIG = {
    "Server": "CodeDeployDefault.OneAtATime",
    "ECS": "CodeDeployDefault.ECSAllAtOnce",
    "Lambda": "CodeDeployDefault.LambdaAllAtOnce",
}


class DeploymentConfig:
    def __init__(
        self,
        name: str,
        compute_platform: str,
        minimum_healthy_hosts: dict | None,
        traffic_routing_config: dict | None,
        zonal_config: dict | None = None,
        predefined: bool = False,
    ):
        self.deployment_config_id = str(uuid.uuid4())
        self.name = name
        self.compute_platform = compute_platform
        self.minimum_healthy_hosts = minimum_healthy_hosts
        self.traffic_routing_config = traffic_routing_config
        self.zonal_config = zonal_config
        self.predefined = predefined
        self.create_time = iso_8601_datetime_with_milliseconds()

    def to_dict(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "deploymentConfigId": self.deployment_config_id,
            "deploymentConfigName": self.name,
            "createTime": self.create_time,
            "computePlatform": self.compute_platform,
        }
        for key, value in (
            ("minimumHealthyHosts", self.minimum_healthy_hosts),
            ("trafficRoutingConfig", self.traffic_routing_config),
            ("zonalConfig", self.zonal_config),
        ):
            if value:
                info[key] = value
        return info


# -- backend ------------------------------------------------------------------------------


def _configs(self: CodeDeployBackend) -> dict[str, DeploymentConfig]:
    if not hasattr(self, "deployment_configs"):
        self.deployment_configs = {
            name: DeploymentConfig(name, platform, hosts, routing, predefined=True)
            for name, (platform, hosts, routing) in PREDEFINED.items()
        }
    return self.deployment_configs


def create_deployment_config(
    self: CodeDeployBackend,
    deployment_config_name: str,
    compute_platform: str | None = None,
    minimum_healthy_hosts: dict | None = None,
    traffic_routing_config: dict | None = None,
    zonal_config: dict | None = None,
) -> str:
    configs = _configs(self)
    if deployment_config_name in configs:
        raise DeploymentConfigAlreadyExistsException(
            f"A deployment configuration named {deployment_config_name} already exists with the user or AWS account."
        )
    platform = compute_platform or "Server"
    if platform in ("ECS", "Lambda") and minimum_healthy_hosts:
        raise InvalidComputePlatformException(
            f"Minimum healthy hosts cannot be specified for a deployment configuration of the {platform} compute platform."
        )
    if platform == "Server" and traffic_routing_config:
        raise InvalidComputePlatformException(
            "Traffic routing configuration can only be specified for the ECS and Lambda compute platforms."
        )
    config = DeploymentConfig(
        deployment_config_name,
        platform,
        minimum_healthy_hosts,
        traffic_routing_config or ({"type": "AllAtOnce"} if platform != "Server" else None),
        zonal_config,
    )
    configs[deployment_config_name] = config
    return config.deployment_config_id


def get_deployment_config(self: CodeDeployBackend, deployment_config_name: str) -> DeploymentConfig:
    config = _configs(self).get(deployment_config_name)
    if config is None:
        raise DeploymentConfigDoesNotExistException(
            f"The deployment configuration {deployment_config_name} does not exist with the user or AWS account."
        )
    return config


def delete_deployment_config(self: CodeDeployBackend, deployment_config_name: str) -> None:
    config = get_deployment_config(self, deployment_config_name)
    if config.predefined:
        raise InvalidOperationException("The default deployment configurations cannot be deleted.")
    for groups in self.deployment_groups.values():
        if any(str(group.deployment_config_name) == deployment_config_name for group in groups.values()):
            raise DeploymentConfigInUseException(
                f"The deployment configuration {deployment_config_name} is in use by a deployment group."
            )
    del _configs(self)[deployment_config_name]


def delete_application(self: CodeDeployBackend, application_name: str) -> None:
    self.get_application(application_name)
    for name in list(self.deployment_groups.get(application_name, {})):
        delete_deployment_group(self, application_name, name)
    self.deployment_groups.pop(application_name, None)
    del self.applications[application_name]
    self.tagger.delete_all_tags_for_resource(_application_arn(self, application_name))


def delete_deployment_group(self: CodeDeployBackend, application_name: str, deployment_group_name: str) -> None:
    self.get_deployment_group(application_name, deployment_group_name)
    del self.deployment_groups[application_name][deployment_group_name]
    self.tagger.delete_all_tags_for_resource(_group_arn(self, application_name, deployment_group_name))


def _application_arn(self: CodeDeployBackend, application_name: str) -> str:
    return f"arn:{get_partition(self.region_name)}:codedeploy:{self.region_name}:{self.account_id}:application:{application_name}"


def _group_arn(self: CodeDeployBackend, application_name: str, group_name: str) -> str:
    return (
        f"arn:{get_partition(self.region_name)}:codedeploy:{self.region_name}:{self.account_id}:"
        f"deploymentgroup:{application_name}/{group_name}"
    )


def _check_role(self: CodeDeployBackend, role_arn: str | None) -> None:
    message = f"AWS CodeDeploy does not have the permissions required to assume the role {role_arn}."
    if not role_arn:
        raise InvalidRoleException("The service role ARN must be specified.")
    try:
        role = iam_backends[self.account_id][get_partition(self.region_name)].get_role_by_arn(role_arn)
    except Exception:
        raise InvalidRoleException(message) from None
    document = role.assume_role_policy_document
    document = json.loads(document) if isinstance(document, str) else document
    statements = document.get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        services = (statement.get("Principal") or {}).get("Service") if isinstance(statement.get("Principal"), dict) else None
        services = [services] if isinstance(services, str) else services or []
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        if statement.get("Effect") == "Allow" and "codedeploy.amazonaws.com" in services and "sts:AssumeRole" in actions:
            return
    raise InvalidRoleException(message)


def _check_ecs_group(self: CodeDeployBackend, group: dict[str, Any]) -> None:
    """What CodeDeploy requires of a deployment group of an ECS application."""
    style = group.get("deployment_style") or {}
    if (style.get("deploymentType"), style.get("deploymentOption")) != ("BLUE_GREEN", "WITH_TRAFFIC_CONTROL"):
        raise InvalidDeploymentStyleException(
            "An ECS deployment group must use the BLUE_GREEN deployment type WITH_TRAFFIC_CONTROL."
        )
    services = group.get("ecs_services") or []
    if len(services) != 1:
        raise InvalidECSServiceException("An ECS deployment group must name exactly one ECS service.")
    ecs = ecs_backends[self.account_id][self.region_name]
    cluster, name = services[0].get("clusterName", ""), services[0].get("serviceName", "")
    try:
        service = ecs._get_service(cluster, name)
    except Exception:
        raise InvalidECSServiceException(f"The ECS service {name} in cluster {cluster} does not exist.") from None
    if service.status != "ACTIVE":
        raise InvalidECSServiceException(f"The ECS service {name} in cluster {cluster} does not exist.")
    if (service.deployment_controller or {}).get("type") != "CODE_DEPLOY":
        raise InvalidECSServiceException(
            "Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller."
        )
    pairs = (group.get("load_balancer_info") or {}).get("targetGroupPairInfoList") or []
    if len(pairs) != 1:
        raise InvalidTargetGroupPairException("An ECS deployment group needs exactly one target group pair.")
    elbv2 = elbv2_backends[self.account_id][self.region_name]
    names = {target_group.name for target_group in elbv2.target_groups.values()}
    given = [target_group.get("name") for target_group in pairs[0].get("targetGroups") or []]
    if len(given) != 2 or len(set(given)) != 2:
        raise InvalidTargetGroupPairException("A target group pair must name two different target groups.")
    for name in given:
        if name not in names:
            raise InvalidTargetGroupPairException(f"The target group {name} does not exist.")
    listeners = {arn for balancer in elbv2.load_balancers.values() for arn in balancer.listeners}
    prod = (pairs[0].get("prodTrafficRoute") or {}).get("listenerArns") or []
    test = (pairs[0].get("testTrafficRoute") or {}).get("listenerArns") or []
    if len(prod) != 1:
        raise InvalidTargetGroupPairException("A target group pair needs one production listener.")
    for arn in prod + test:
        if arn not in listeners:
            raise InvalidTargetGroupPairException(f"The listener {arn} does not exist.")


def _checked_config_name(self: CodeDeployBackend, application_name: str, group: dict[str, Any]) -> str:
    """The group's deployment configuration (its platform's default when none), checked."""
    application = self.get_application(application_name)
    platform = application.compute_platform or "Server"
    name = str(group.get("deployment_config_name") or DEFAULT_CONFIG[platform])
    config = get_deployment_config(self, name)
    if config.compute_platform != platform:
        raise InvalidDeploymentConfigNameException(
            f"The deployment configuration {name} is for the {config.compute_platform} compute platform; "
            f"the application {application_name} uses {platform}."
        )
    _check_role(self, group.get("service_role_arn"))
    if platform == "ECS":
        _check_ecs_group(self, group)
    return name


def _wrap_create_deployment_group(original: Any) -> Any:
    def create_deployment_group(self: CodeDeployBackend, application_name: str, deployment_group_name: str, *args: Any, **kwargs: Any) -> str:
        names = (
            "deployment_config_name ec2_tag_filters on_premises_instance_tag_filters auto_scaling_groups "
            "service_role_arn"
        ).split()
        kwargs.update(dict(zip(names, args)))
        if application_name in self.applications and deployment_group_name not in self.deployment_groups.get(application_name, {}):
            kwargs["deployment_config_name"] = _checked_config_name(self, application_name, kwargs)
        return original(self, application_name, deployment_group_name, **kwargs)

    return create_deployment_group


def update_deployment_group(
    self: CodeDeployBackend, application_name: str, current_deployment_group_name: str, new_deployment_group_name: str | None = None, **changes: Any
) -> DeploymentGroup:
    """UpdateDeploymentGroup: the given settings replace the group's (`changes` use
    create_deployment_group's argument names); a new name renames it."""
    group = self.get_deployment_group(application_name, current_deployment_group_name)
    settings = {
        key: getattr(group, key)
        for key in (
            "deployment_config_name service_role_arn ec2_tag_filters on_premises_instance_tag_filters auto_scaling_groups "
            "trigger_configurations alarm_configuration auto_rollback_configuration outdated_instances_strategy "
            "deployment_style blue_green_deployment_configuration load_balancer_info ec2_tag_set ecs_services "
            "on_premises_tag_set termination_hook_enabled"
        ).split()
    }
    settings.update({key: value for key, value in changes.items() if value is not None})
    settings["deployment_config_name"] = _checked_config_name(self, application_name, settings)
    new_name = new_deployment_group_name or current_deployment_group_name
    if new_name != current_deployment_group_name and new_name in self.deployment_groups[application_name]:
        raise DeploymentGroupAlreadyExistsException(f"Deployment group {new_name} already exists.")
    for key, value in settings.items():
        setattr(group, key, value)
    if new_name != current_deployment_group_name:
        del self.deployment_groups[application_name][current_deployment_group_name]
        group.deployment_group_name = new_name
        self.deployment_groups[application_name][new_name] = group
    return group


def _group_to_dict(original: Any) -> Any:
    def to_dict(self: DeploymentGroup) -> dict[str, Any]:
        info = original(self)
        alarms = self.alarm_configuration
        info["alarmConfiguration"] = alarms if isinstance(alarms, dict) else {}
        return info

    return to_dict


# -- API ------------------------------------------------------------------------------------


def _create_deployment_config_api(self: CodeDeployResponse) -> str:
    config_id = create_deployment_config(
        self.codedeploy_backend,
        self._get_param("deploymentConfigName"),
        self._get_param("computePlatform"),
        self._get_param("minimumHealthyHosts"),
        self._get_param("trafficRoutingConfig"),
        self._get_param("zonalConfig"),
    )
    return json.dumps({"deploymentConfigId": config_id})


def _get_deployment_config_api(self: CodeDeployResponse) -> str:
    config = get_deployment_config(self.codedeploy_backend, self._get_param("deploymentConfigName"))
    return json.dumps({"deploymentConfigInfo": config.to_dict()})


def _list_deployment_configs_api(self: CodeDeployResponse) -> str:
    return json.dumps({"deploymentConfigsList": sorted(_configs(self.codedeploy_backend))})


def _delete_deployment_config_api(self: CodeDeployResponse) -> str:
    delete_deployment_config(self.codedeploy_backend, self._get_param("deploymentConfigName"))
    return "{}"


def _delete_application_api(self: CodeDeployResponse) -> str:
    delete_application(self.codedeploy_backend, self._get_param("applicationName"))
    return "{}"


def _delete_deployment_group_api(self: CodeDeployResponse) -> str:
    delete_deployment_group(
        self.codedeploy_backend, self._get_param("applicationName"), self._get_param("deploymentGroupName")
    )
    return json.dumps({"hooksNotCleanedUp": []})


_UPDATE_PARAMS = {
    "deployment_config_name": "deploymentConfigName",
    "ec2_tag_filters": "ec2TagFilters",
    "on_premises_instance_tag_filters": "onPremisesInstanceTagFilters",
    "auto_scaling_groups": "autoScalingGroups",
    "service_role_arn": "serviceRoleArn",
    "trigger_configurations": "triggerConfigurations",
    "alarm_configuration": "alarmConfiguration",
    "auto_rollback_configuration": "autoRollbackConfiguration",
    "outdated_instances_strategy": "outdatedInstancesStrategy",
    "deployment_style": "deploymentStyle",
    "blue_green_deployment_configuration": "blueGreenDeploymentConfiguration",
    "load_balancer_info": "loadBalancerInfo",
    "ec2_tag_set": "ec2TagSet",
    "ecs_services": "ecsServices",
    "on_premises_tag_set": "onPremisesTagSet",
    "termination_hook_enabled": "terminationHookEnabled",
}


def _update_deployment_group_api(self: CodeDeployResponse) -> str:
    update_deployment_group(
        self.codedeploy_backend,
        self._get_param("applicationName"),
        self._get_param("currentDeploymentGroupName"),
        self._get_param("newDeploymentGroupName"),
        **{key: self._get_param(param) for key, param in _UPDATE_PARAMS.items()},
    )
    return json.dumps({"hooksNotCleanedUp": []})


def apply() -> None:
    CodeDeployBackend.create_deployment_config = create_deployment_config
    CodeDeployBackend.get_deployment_config = get_deployment_config
    CodeDeployBackend.delete_deployment_config = delete_deployment_config
    CodeDeployBackend.delete_application = delete_application
    CodeDeployBackend.delete_deployment_group = delete_deployment_group
    CodeDeployBackend.update_deployment_group = update_deployment_group
    CodeDeployBackend.create_deployment_group = _wrap_create_deployment_group(CodeDeployBackend.create_deployment_group)
    DeploymentGroup.to_dict = _group_to_dict(DeploymentGroup.to_dict)
    CodeDeployResponse.create_deployment_config = _create_deployment_config_api
    CodeDeployResponse.get_deployment_config = _get_deployment_config_api
    CodeDeployResponse.list_deployment_configs = _list_deployment_configs_api
    CodeDeployResponse.delete_deployment_config = _delete_deployment_config_api
    CodeDeployResponse.delete_application = _delete_application_api
    CodeDeployResponse.delete_deployment_group = _delete_deployment_group_api
    CodeDeployResponse.update_deployment_group = _update_deployment_group_api
