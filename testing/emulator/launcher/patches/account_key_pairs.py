"""EC2 key pairs: instances need an existing one; `--key-pair` makes one exist.

What EC2 and CloudFormation do
  RunInstances with a KeyName (given directly or by the launch template) that
  is not a key pair of the account and region fails with
  `InvalidKeyPair.NotFound`; an Auto Scaling group launching from such a
  launch template cannot launch its instances, and CloudFormation fails the
  group's creation.  A template can only name a key pair that already exists
  (the prod ECS-on-EC2 stacks name `ops`).

What moto 5.2.1 does instead
  It launches the instances with any key name unless
  MOTO_ENABLE_KEYPAIR_VALIDATION is set; and its key pairs can only be made
  through the API, with new key material, after every reset.

The patch turns moto's own key pair validation on, and
`launcher.py --key-pair NAME` (repeatable) makes each named key pair exist in
every account and region, from the start and again after every
/moto-api/reset, as a key pair of the account would.
"""

from __future__ import annotations

from moto import settings
from moto.ec2.models import EC2Backend


def apply(names: list[str]) -> None:
    settings.ENABLE_KEYPAIR_VALIDATION = True
    if not names:
        return
    original_init = EC2Backend.__init__

    def __init__(self: EC2Backend, region_name: str, account_id: str) -> None:
        original_init(self, region_name, account_id)
        for name in names:
            # ed25519: quick to make, and the material is never used.
            self.create_key_pair(name, key_type="ed25519", tags={})

    EC2Backend.__init__ = __init__
