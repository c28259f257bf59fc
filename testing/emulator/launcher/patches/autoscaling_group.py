"""AWS::AutoScaling::AutoScalingGroup: HealthCheckGracePeriod 0, updates in place.

What CloudFormation does
  HealthCheckGracePeriod is taken as given and defaults to 0.  Only a new
  AutoScalingGroupName replaces the group: sizes, launch template version,
  subnets, health check settings, scale-in protection, tags and target groups
  update the same group (same ARN, its instances kept), and an update without
  DesiredCapacity keeps the current capacity.

What moto 5.2.1 does instead
  It creates the group with `HealthCheckGracePeriod or 300`, so 0 is
  described as 300.  Every update deletes the group and creates it again:
  new ARN (a capacity provider naming the group is left pointing at the old
  one), new instances.
"""

from __future__ import annotations

from typing import Any

from moto.autoscaling.models import FakeAutoScalingGroup, autoscaling_backends


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def apply() -> None:
    original_create = FakeAutoScalingGroup.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    original_update = FakeAutoScalingGroup.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        group = original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        p = cloudformation_json.get("Properties") or {}
        group.health_check_grace_period = int(p.get("HealthCheckGracePeriod", 0))
        return group

    def update(cls: type, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> Any:
        p = cloudformation_json.get("Properties") or {}
        name = p.get("AutoScalingGroupName") or original_resource.name
        if name != original_resource.name:
            return original_update(cls, original_resource, name, cloudformation_json, account_id, region_name)
        backend = autoscaling_backends[account_id][region_name]
        group = backend.update_auto_scaling_group(
            name=name,
            availability_zones=p.get("AvailabilityZones") or [],
            desired_capacity=_int(p.get("DesiredCapacity")),
            max_size=_int(p.get("MaxSize")),
            min_size=_int(p.get("MinSize")),
            launch_config_name=p.get("LaunchConfigurationName"),
            launch_template=p.get("LaunchTemplate") or {},
            vpc_zone_identifier=",".join(p.get("VPCZoneIdentifier") or []) or None,
            health_check_period=int(p.get("HealthCheckGracePeriod", 0)),
            health_check_type=p.get("HealthCheckType") or "EC2",
            new_instances_protected_from_scale_in=str(p.get("NewInstancesProtectedFromScaleIn", False)).lower() == "true",
            mixed_instances_policy=p.get("MixedInstancesPolicy") or None,
        )
        group.default_cooldown = int(p.get("Cooldown", 300))
        group.termination_policies = p.get("TerminationPolicies") or ["Default"]
        group.tags = [dict(tag) for tag in p.get("Tags") or []]
        wanted = list(p.get("TargetGroupARNs") or [])
        removed = [arn for arn in group.target_group_arns if arn not in wanted]
        if removed:
            backend.detach_load_balancer_target_groups(name, removed)
        added = [arn for arn in wanted if arn not in group.target_group_arns]
        if added:
            backend.attach_load_balancer_target_groups(name, added)
        return group

    FakeAutoScalingGroup.create_from_cloudformation_json = classmethod(create)
    FakeAutoScalingGroup.update_from_cloudformation_json = classmethod(update)
