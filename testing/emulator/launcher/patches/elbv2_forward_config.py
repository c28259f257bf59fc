"""AWS::ElasticLoadBalancingV2::Listener: a forward action may name its target groups in ForwardConfig.

What CloudFormation does
  A listener's `forward` default action names one target group by
  TargetGroupArn or several, weighted, in
  `ForwardConfig: {TargetGroups: [{TargetGroupArn, Weight}], TargetGroupStickinessConfig}`
  (the form of AWS's ECS blue/green template, the production listener
  forwarding to the blue target group with weight 1).

What moto 5.2.1 does instead
  Its ELBv2 API takes ForwardConfig, but the CloudFormation listener model reads
  `action["TargetGroupArn"]` for every forward action: a KeyError, an HTML 500,
  and a listener with ForwardConfig never deploys.

The patch passes a forward action's ForwardConfig on to the API (with its
TargetGroupArn when both are given).
"""

from __future__ import annotations

from typing import Any

from moto.elbv2.models import ELBv2Backend


def apply() -> None:
    original = ELBv2Backend.convert_and_validate_properties

    def convert_and_validate_properties(self: ELBv2Backend, properties: dict[str, Any]) -> list[dict[str, Any]]:
        actions = properties.get("DefaultActions") or []
        if not any(a.get("Type") == "forward" and "ForwardConfig" in a for a in actions):
            return original(self, properties)
        converted = []
        for action in actions:
            if action.get("Type") == "forward" and "ForwardConfig" in action:
                kept = {"Type": "forward", "ForwardConfig": action["ForwardConfig"]}
                if "TargetGroupArn" in action:
                    kept["TargetGroupArn"] = action["TargetGroupArn"]
                converted.append(kept)
            else:
                converted += original(self, {**properties, "DefaultActions": [action]})
        return converted

    ELBv2Backend.convert_and_validate_properties = convert_and_validate_properties
