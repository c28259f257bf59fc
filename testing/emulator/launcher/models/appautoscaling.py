"""Application Auto Scaling resources.

What CloudFormation does
  AWS::ApplicationAutoScaling::ScalableTarget registers a scalable target.
  Its Ref (and GetAtt Id) is `<ResourceId>|<ScalableDimension>|<ServiceNamespace>`,
  e.g. `service/my-cluster/my-service|ecs:service:DesiredCount|ecs`, the value
  a ScalingPolicy's `ScalingTargetId` takes.  Capacities, SuspendedState and
  ScheduledActions update in place.
  AWS::ApplicationAutoScaling::ScalingPolicy puts a scaling policy, given either
  `ScalingTargetId` or ResourceId/ScalableDimension/ServiceNamespace; its Ref
  (and GetAtt Arn) is the policy ARN
  (`arn:aws:autoscaling:<region>:<account>:scalingPolicy:<uuid>:resource/...`).

What moto 5.2.1 does instead
  It has an applicationautoscaling backend but no CloudFormation model, so both
  types are skipped and the ECS service of scenario 1 is never registered.

These models call the backend's register_scalable_target / put_scaling_policy /
put_scheduled_action, so `application-autoscaling.describe_*` see them.
"""

from __future__ import annotations

from typing import Any

from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.core.common_models import CloudFormationModel

from ._base import CfnResource, props


def _backend(account_id: str, region_name: str) -> Any:
    return applicationautoscaling_backends[account_id][region_name]


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


class ScalableTarget(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Id": "physical_resource_id"}

    def __init__(self, namespace: str, resource_id: str, dimension: str):
        self.service_namespace = namespace
        self.resource_id = resource_id
        self.scalable_dimension = dimension
        self.scheduled_action_names: list[str] = []

    @property
    def physical_resource_id(self) -> str:
        return f"{self.resource_id}|{self.scalable_dimension}|{self.service_namespace}"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApplicationAutoScaling::ScalableTarget"

    def _apply(self, properties: dict, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        backend.register_scalable_target(
            self.service_namespace,
            self.resource_id,
            self.scalable_dimension,
            min_capacity=_int_or_none(properties.get("MinCapacity")),
            max_capacity=_int_or_none(properties.get("MaxCapacity")),
            role_arn=properties.get("RoleARN"),
            suspended_state=properties.get("SuspendedState"),
        )
        wanted = properties.get("ScheduledActions") or []
        for name in set(self.scheduled_action_names) - {a["ScheduledActionName"] for a in wanted}:
            backend.delete_scheduled_action(self.service_namespace, name, self.resource_id, self.scalable_dimension)
        for action in wanted:
            backend.put_scheduled_action(
                service_namespace=self.service_namespace,
                schedule=action["Schedule"],
                timezone=action.get("Timezone"),
                scheduled_action_name=action["ScheduledActionName"],
                resource_id=self.resource_id,
                scalable_dimension=self.scalable_dimension,
                start_time=action.get("StartTime"),
                end_time=action.get("EndTime"),
                scalable_target_action=action.get("ScalableTargetAction"),
            )
        self.scheduled_action_names = [a["ScheduledActionName"] for a in wanted]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        target = cls(properties["ServiceNamespace"], properties["ResourceId"], properties["ScalableDimension"])
        target._apply(properties, account_id, region_name)
        return target

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        key = (properties["ServiceNamespace"], properties["ResourceId"], properties["ScalableDimension"])
        if key != (original_resource.service_namespace, original_resource.resource_id, original_resource.scalable_dimension):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        original_resource._apply(properties, account_id, region_name)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        for name in self.scheduled_action_names:
            backend.delete_scheduled_action(self.service_namespace, name, self.resource_id, self.scalable_dimension)
        if backend._scalable_target_exists(self.resource_id, self.scalable_dimension):
            backend.deregister_scalable_target(self.service_namespace, self.resource_id, self.scalable_dimension)


class ScalingPolicy(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Arn": "arn"}

    def __init__(self, policy: Any):
        self.policy = policy

    arn = property(lambda self: self.policy.policy_arn)
    physical_resource_id = property(lambda self: self.policy.policy_arn)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApplicationAutoScaling::ScalingPolicy"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "PolicyName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        if properties.get("ScalingTargetId"):
            resource_id, dimension, namespace = properties["ScalingTargetId"].split("|")
        else:
            resource_id = properties["ResourceId"]
            dimension = properties["ScalableDimension"]
            namespace = properties["ServiceNamespace"]
        policy = _backend(account_id, region_name).put_scaling_policy(
            policy_name=resource_name,
            service_namespace=namespace,
            resource_id=resource_id,
            scalable_dimension=dimension,
            policy_body=properties.get("StepScalingPolicyConfiguration")
            or properties.get("TargetTrackingScalingPolicyConfiguration"),
            policy_type=properties.get("PolicyType"),
        )
        return cls(policy)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        # put_scaling_policy replaces a policy of the same key in place; a new
        # name or target is a new policy, so the old one goes.
        new = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        old = original_resource.policy
        if (old.policy_name, old.resource_id, old.scalable_dimension) != (
            new.policy.policy_name,
            new.policy.resource_id,
            new.policy.scalable_dimension,
        ):
            original_resource.delete(account_id, region_name)
        else:
            new.policy.policy_arn = old.policy_arn  # an in-place update keeps the ARN
        return new

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        p = self.policy
        key = p.formulate_key(p.service_namespace, p.resource_id, p.scalable_dimension, p.policy_name)
        if backend.policies.get(key) is p:
            backend.delete_scaling_policy(p.policy_name, p.service_namespace, p.resource_id, p.scalable_dimension)
