"""Fn::GetAtt attributes of Elastic Load Balancing v2 load balancers and target groups.

What CloudFormation does
  AWS::ElasticLoadBalancingV2::LoadBalancer answers GetAtt LoadBalancerFullName
  (`app/<name>/<id>`, the ARN's resource part after `loadbalancer/`),
  SecurityGroups, CanonicalHostedZoneID and LoadBalancerArn besides DNSName and
  LoadBalancerName.  AWS::ElasticLoadBalancingV2::TargetGroup answers
  TargetGroupFullName (`targetgroup/<name>/<id>`), TargetGroupName,
  TargetGroupArn and LoadBalancerArns.  Auto scaling policies on
  ALBRequestCountPerTarget build their ResourceLabel from the two full names.

What moto 5.2.1 does instead
  The load balancer raises NotImplementedError for LoadBalancerFullName,
  SecurityGroups and CanonicalHostedZoneID (the value silently becomes
  nothing), and the target group has no `get_cfn_attribute` at all, so any
  GetAtt of it fails with an HTML 500 (AttributeError).  Scenario 1's
  request-count scaling policy needs both.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup

_LOAD_BALANCER = {
    "LoadBalancerFullName": lambda lb: lb.arn.split(":loadbalancer/", 1)[1],
    "SecurityGroups": lambda lb: list(lb.security_groups or []),
    "CanonicalHostedZoneID": lambda lb: lb.canonical_hosted_zone_id,
    "LoadBalancerArn": lambda lb: lb.arn,
}

_TARGET_GROUP = {
    "TargetGroupFullName": lambda tg: tg.arn.split(":", 5)[5],
    "TargetGroupName": lambda tg: tg.name,
    "TargetGroupArn": lambda tg: tg.arn,
    "LoadBalancerArns": lambda tg: list(tg.load_balancer_arns),
}


def apply() -> None:
    original = FakeLoadBalancer.get_cfn_attribute
    original_has = FakeLoadBalancer.has_cfn_attr.__func__

    def load_balancer_attribute(self: FakeLoadBalancer, attribute_name: str) -> Any:
        if attribute_name in _LOAD_BALANCER:
            return _LOAD_BALANCER[attribute_name](self)
        return original(self, attribute_name)

    def load_balancer_has(cls: type, attr: str) -> bool:
        return attr in _LOAD_BALANCER or original_has(cls, attr)

    def target_group_attribute(self: FakeTargetGroup, attribute_name: str) -> Any:
        if attribute_name not in _TARGET_GROUP:
            raise UnformattedGetAttTemplateException()
        return _TARGET_GROUP[attribute_name](self)

    FakeLoadBalancer.get_cfn_attribute = load_balancer_attribute
    FakeLoadBalancer.has_cfn_attr = classmethod(load_balancer_has)
    FakeTargetGroup.get_cfn_attribute = target_group_attribute
    FakeTargetGroup.has_cfn_attr = classmethod(lambda cls, attr: attr in _TARGET_GROUP)
