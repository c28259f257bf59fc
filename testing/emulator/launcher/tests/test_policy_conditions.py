"""patches/policy_conditions.py: a statement whose condition does not match is
neutral, so a TLS-only bucket policy (Deny when aws:SecureTransport is false)
lets requests through, and an Allow with an unmet condition grants nothing."""

from __future__ import annotations

import json
import unittest

from tests._harness import EmulatorTestCase, template


def tls_only(extra: list[dict] | None = None) -> dict:
    statements = [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": ["Bucket", "Arn"]}, {"Fn::Sub": "${Bucket.Arn}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    return {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "tls-only"}},
        "Policy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "Bucket"},
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements + (extra or [])},
            },
        },
    }


class PolicyConditionsTest(EmulatorTestCase):
    def test_a_tls_only_bucket_accepts_objects(self) -> None:
        self.deploy("Bucket", template(tls_only()))
        s3 = self.client("s3")
        policy = json.loads(s3.get_bucket_policy(Bucket="tls-only")["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "TlsOnly")
        # Plain moto answered 403 here: the unmet Deny condition counted as a denial.
        s3.put_object(Bucket="tls-only", Key="a.txt", Body=b"hello")
        self.assertEqual(s3.get_object(Bucket="tls-only", Key="a.txt")["Body"].read(), b"hello")

    def test_an_unconditional_deny_still_denies(self) -> None:
        deny = {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": "${Bucket.Arn}/locked/*"},
        }
        self.deploy("Bucket", template(tls_only([deny])))
        s3 = self.client("s3")
        with self.assertRaises(s3.exceptions.ClientError) as refused:
            s3.put_object(Bucket="tls-only", Key="locked/a.txt", Body=b"no")
        self.assertIn("403", str(refused.exception))
        s3.put_object(Bucket="tls-only", Key="open/a.txt", Body=b"yes")


if __name__ == "__main__":
    unittest.main()
