"""models/servicediscovery.py: Cloud Map namespaces and services."""

from __future__ import annotations

import unittest

from tests._harness import REGION, EmulatorTestCase, template, vpc_resources

ARN = f"arn:aws:servicediscovery:{REGION}:123456789012"


def cloud_map(description: str = "web tier", ttl: int = 60) -> dict:
    resources = {
        **vpc_resources(),
        "Private": {
            "Type": "AWS::ServiceDiscovery::PrivateDnsNamespace",
            "Properties": {"Name": "apps.local", "Vpc": {"Ref": "Vpc"}, "Description": description},
        },
        "Http": {"Type": "AWS::ServiceDiscovery::HttpNamespace", "Properties": {"Name": "internal"}},
        "Web": {
            "Type": "AWS::ServiceDiscovery::Service",
            "Properties": {
                "Name": "web",
                "Description": description,
                "NamespaceId": {"Fn::GetAtt": ["Private", "Id"]},
                "DnsConfig": {"DnsRecords": [{"Type": "A", "TTL": ttl}], "RoutingPolicy": "MULTIVALUE"},
                "HealthCheckCustomConfig": {"FailureThreshold": 1},
            },
        },
    }
    outputs = {
        "PrivateRef": {"Ref": "Private"},
        "PrivateId": {"Fn::GetAtt": ["Private", "Id"]},
        "PrivateArn": {"Fn::GetAtt": ["Private", "Arn"]},
        "PrivateZone": {"Fn::GetAtt": ["Private", "HostedZoneId"]},
        "HttpRef": {"Ref": "Http"},
        "HttpArn": {"Fn::GetAtt": ["Http", "Arn"]},
        "WebRef": {"Ref": "Web"},
        "WebId": {"Fn::GetAtt": ["Web", "Id"]},
        "WebArn": {"Fn::GetAtt": ["Web", "Arn"]},
        "WebName": {"Fn::GetAtt": ["Web", "Name"]},
    }
    return template(resources, outputs)


class ServiceDiscoveryTest(EmulatorTestCase):
    def test_create(self) -> None:
        self.deploy("map", cloud_map())
        out = self.outputs("map")
        self.assertRegex(out["PrivateRef"], r"^ns-[a-z0-9]+$")
        self.assertEqual(out["PrivateId"], out["PrivateRef"])
        self.assertEqual(out["PrivateArn"], f"{ARN}:namespace/{out['PrivateRef']}")
        self.assertRegex(out["PrivateZone"], r"^[A-Z0-9]+$")
        self.assertEqual(out["HttpArn"], f"{ARN}:namespace/{out['HttpRef']}")
        self.assertRegex(out["WebRef"], r"^srv-[a-z0-9]+$")
        self.assertEqual(out["WebId"], out["WebRef"])
        self.assertEqual(out["WebArn"], f"{ARN}:service/{out['WebRef']}")
        self.assertEqual(out["WebName"], "web")

        sd = self.client("servicediscovery")
        private = sd.get_namespace(Id=out["PrivateRef"])["Namespace"]
        self.assertEqual((private["Name"], private["Type"]), ("apps.local", "DNS_PRIVATE"))
        self.assertTrue(private["Properties"]["DnsProperties"]["HostedZoneId"].endswith(out["PrivateZone"]))
        self.client("route53").get_hosted_zone(Id=out["PrivateZone"])
        self.assertEqual(sd.get_namespace(Id=out["HttpRef"])["Namespace"]["Type"], "HTTP")
        service = sd.get_service(Id=out["WebRef"])["Service"]
        self.assertEqual(service["NamespaceId"], out["PrivateRef"])
        self.assertEqual(service["DnsConfig"]["DnsRecords"], [{"Type": "A", "TTL": 60}])

    def test_update_in_place(self) -> None:
        self.deploy("map", cloud_map())
        before = self.outputs("map")
        self.deploy("map", cloud_map(description="web tier, v2", ttl=30))
        self.assertEqual(self.outputs("map"), before)
        sd = self.client("servicediscovery")
        service = sd.get_service(Id=before["WebRef"])["Service"]
        self.assertEqual(service["Description"], "web tier, v2")
        self.assertEqual(service["DnsConfig"]["DnsRecords"], [{"Type": "A", "TTL": 30}])
        self.assertEqual(sd.get_namespace(Id=before["PrivateRef"])["Namespace"]["Description"], "web tier, v2")

    def test_delete(self) -> None:
        self.deploy("map", cloud_map())
        self.cfn.delete_stack(StackName="map")
        sd = self.client("servicediscovery")
        self.assertEqual(sd.list_namespaces()["Namespaces"], [])
        self.assertEqual(sd.list_services()["Services"], [])


if __name__ == "__main__":
    unittest.main()
