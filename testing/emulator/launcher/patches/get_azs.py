"""Fn::GetAZs answers with the stack's region's Availability Zones.

What CloudFormation does
  `{"Fn::GetAZs": ""}` (or `{"Fn::GetAZs": {"Ref": "AWS::Region"}}`) returns
  the Availability Zones of the region the stack is deployed in, in
  alphabetical order: `eu-west-1a`, `eu-west-1b`, `eu-west-1c` in eu-west-1;
  a region name returns that region's zones.

What moto 5.2.1 does instead
  An empty argument means its DEFAULT_REGION, us-east-1, whatever the stack's
  region, and every region gets zones a to d: an eu-west-1 stack puts its
  subnets in `us-east-1a`... (and its Auto Scaling groups there too).  A
  `Ref` argument is not resolved: the zones come out as `{'Ref': ...}a`.

The patch answers with the zones moto's EC2 backend knows for the region
(the ones `ec2.describe_availability_zones` lists).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.ec2.models import ec2_backends


def apply() -> None:
    original = parsing.clean_json

    def clean_json(resource_json: Any, resources_map: Any) -> Any:
        region_name = getattr(resources_map, "_region_name", None)
        if isinstance(resource_json, dict) and "Fn::GetAZs" in resource_json and region_name:
            region = original(resource_json["Fn::GetAZs"], resources_map) or region_name
            zones = ec2_backends[resources_map._account_id][region].describe_availability_zones()
            return sorted(zone.name for zone in zones if zone.zone_type == "availability-zone")
        return original(resource_json, resources_map)

    # The parser's own recursive calls go through the module's name, so they see this too.
    parsing.clean_json = clean_json
