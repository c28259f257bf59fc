"""Route 53 hosted zones that exist in the account before any stack is deployed.

What CloudFormation does
  A template may add records to an existing hosted zone by id (scenario 2's
  prod services stack aliases `api.`, `ui.` and `av.` in its configured zone).
  The records are created when the zone exists, and fail with NoSuchHostedZone
  otherwise.

What moto 5.2.1 does instead
  It performs the same check, but its Route 53 backend only makes zones with
  random ids, so a template naming a fixed zone id can never be deployed.

`launcher.py --hosted-zone ID=NAME` (repeatable) makes each named public zone
exist in every account, from the start and again after every /moto-api/reset,
as a zone of the account would.
"""

from __future__ import annotations

from moto.route53.models import Route53Backend


def parse(text: str) -> tuple[str, str]:
    """`Z0123=example.com` → (`Z0123`, `example.com`)."""
    zone_id, _, name = text.partition("=")
    if not zone_id or not name:
        raise ValueError(f"--hosted-zone {text!r}: expected ID=NAME, such as Z0123456789ABCDEFGHIJ=example.com")
    # Route 53 keeps names fully qualified, with the final dot.
    return zone_id, name if name.endswith(".") else f"{name}."


def apply(zones: list[str]) -> None:
    parsed = [parse(text) for text in zones]
    if not parsed:
        return
    original_init = Route53Backend.__init__

    def __init__(self: Route53Backend, region_name: str, account_id: str) -> None:
        original_init(self, region_name, account_id)
        for zone_id, name in parsed:
            zone = self.create_hosted_zone(name, private_zone=False, caller_reference=f"account-{zone_id}")
            del self.zones[zone.resource_id]
            zone.resource_id = zone_id
            for record_set in zone.rrsets:
                record_set.hosted_zone_id = zone_id
            self.zones[zone_id] = zone

    Route53Backend.__init__ = __init__
