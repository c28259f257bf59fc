"""patches/account_hosted_zones.py: a zone given with --hosted-zone exists with its
id from the start and after a reset, and a stack adds records to it."""

from __future__ import annotations

import unittest

from tests._harness import EmulatorTestCase, template


class AccountHostedZoneTest(EmulatorTestCase):
    def test_records_in_an_existing_zone(self) -> None:
        route53 = self.client("route53")
        zone = route53.get_hosted_zone(Id="Z0123456789ABCDEFGHIJ")["HostedZone"]
        self.assertEqual(zone["Name"], "gitana.example.com.")
        stack = self.deploy(
            "Dns",
            template(
                {
                    "Api": {
                        "Type": "AWS::Route53::RecordSet",
                        "Properties": {
                            "HostedZoneId": "Z0123456789ABCDEFGHIJ",
                            "Name": "api.gitana.example.com.",
                            "Type": "CNAME",
                            "TTL": "300",
                            "ResourceRecords": ["lb.example.net"],
                        },
                    }
                }
            ),
        )
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        records = route53.list_resource_record_sets(HostedZoneId="Z0123456789ABCDEFGHIJ")["ResourceRecordSets"]
        self.assertIn("api.gitana.example.com.", [r["Name"] for r in records])


if __name__ == "__main__":
    unittest.main()
