"""ACM certificates that exist in the account before any stack is deployed.

What CloudFormation does
  A template may name an existing ACM certificate by ARN (scenario 1's prod
  HTTPS listener does).  The listener is created when the certificate exists
  in the account and region, and fails with CertificateNotFound otherwise.

What moto 5.2.1 does instead
  It performs the same check, but its ACM backend only makes certificates with
  random ARNs (ImportCertificate accepts an ARN only to re-import an existing
  one), so a template naming a fixed ARN can never be deployed.

`launcher.py --acm-certificate ARN` (repeatable) makes each named certificate
exist, issued, in the account and region of its ARN, from the start and again
after every /moto-api/reset, as a certificate of the account would.  The
certificate itself is a self-signed one for example.com, made once per process.
"""

from __future__ import annotations

import functools

from moto.acm.models import AWSCertificateManagerBackend, CertBundle


@functools.cache
def _pem() -> tuple[bytes, bytes]:
    bundle = CertBundle.generate_cert("example.com", account_id="000000000000", region="us-east-1")
    return bundle.cert, bundle.key


def apply(arns: list[str]) -> None:
    if not arns:
        return
    original_init = AWSCertificateManagerBackend.__init__

    def __init__(self: AWSCertificateManagerBackend, region_name: str, account_id: str) -> None:
        original_init(self, region_name, account_id)
        for arn in arns:
            _, _, _, region, account, _ = arn.split(":", 5)
            if (region, account) == (region_name, account_id):
                certificate, key = _pem()
                self._certificates[arn] = CertBundle(
                    account_id, certificate, key, region=region_name, arn=arn, cert_type="AMAZON_ISSUED"
                )

    AWSCertificateManagerBackend.__init__ = __init__
