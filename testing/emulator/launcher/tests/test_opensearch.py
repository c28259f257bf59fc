"""models/opensearch.py: OpenSearch Service domains."""

from __future__ import annotations

import json
import unittest

from tests._harness import REGION, EmulatorTestCase, template, vpc_resources


def domains(instance_count: int = 2) -> dict:
    resources = {
        **vpc_resources(),
        "Search": {
            "Type": "AWS::OpenSearchService::Domain",
            "Properties": {
                "DomainName": "orders-search",
                "EngineVersion": "OpenSearch_2.11",
                "ClusterConfig": {"InstanceType": "t3.small.search", "InstanceCount": instance_count, "ZoneAwarenessEnabled": True},
                "EBSOptions": {"EBSEnabled": True, "VolumeSize": 10, "VolumeType": "gp3"},
                "VPCOptions": {"SubnetIds": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}], "SecurityGroupIds": [{"Ref": "Sg"}]},
                "EncryptionAtRestOptions": {"Enabled": True},
                "NodeToNodeEncryptionOptions": {"Enabled": True},
                "DomainEndpointOptions": {"EnforceHTTPS": True},
                "AdvancedSecurityOptions": {
                    "Enabled": True,
                    "InternalUserDatabaseEnabled": True,
                    "MasterUserOptions": {"MasterUserName": "admin", "MasterUserPassword": "Secret-123"},
                },
                "AccessPolicies": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*", "Resource": "*"}],
                },
            },
        },
        "Public": {"Type": "AWS::OpenSearchService::Domain", "Properties": {"ClusterConfig": {"InstanceCount": 1}}},
    }
    outputs = {
        "Ref": {"Ref": "Search"},
        "Arn": {"Fn::GetAtt": ["Search", "Arn"]},
        "DomainArn": {"Fn::GetAtt": ["Search", "DomainArn"]},
        "Endpoint": {"Fn::GetAtt": ["Search", "DomainEndpoint"]},
        "Id": {"Fn::GetAtt": ["Search", "Id"]},
        "PublicRef": {"Ref": "Public"},
        "PublicEndpoint": {"Fn::GetAtt": ["Public", "DomainEndpoint"]},
    }
    return template(resources, outputs)


class OpenSearchTest(EmulatorTestCase):
    def test_create(self) -> None:
        self.deploy("search", domains())
        out = self.outputs("search")
        self.assertEqual(out["Ref"], "orders-search")
        self.assertEqual(out["Arn"], f"arn:aws:es:{REGION}:123456789012:domain/orders-search")
        self.assertEqual(out["DomainArn"], out["Arn"])
        self.assertEqual(out["Id"], "123456789012/orders-search")
        self.assertRegex(out["Endpoint"], rf"^vpc-orders-search-[a-z0-9]{{26}}\.{REGION}\.es\.amazonaws\.com$")
        self.assertRegex(out["PublicRef"], r"^[a-z][a-z0-9-]{2,27}$")
        self.assertRegex(out["PublicEndpoint"], rf"^search-{out['PublicRef']}-[a-z0-9]{{26}}\.{REGION}\.es\.amazonaws\.com$")

        api = self.client("opensearch")
        status = api.describe_domain(DomainName="orders-search")["DomainStatus"]
        self.assertEqual(status["Endpoints"], {"vpc": out["Endpoint"]})
        self.assertEqual(status["EngineVersion"], "OpenSearch_2.11")
        self.assertEqual(status["ClusterConfig"]["InstanceCount"], 2)
        self.assertNotIn("MasterUserOptions", status["AdvancedSecurityOptions"])
        self.assertEqual(json.loads(status["AccessPolicies"])["Statement"][0]["Action"], "es:*")
        public = api.describe_domain(DomainName=out["PublicRef"])["DomainStatus"]
        self.assertEqual(public["Endpoint"], out["PublicEndpoint"])

    def test_update_in_place(self) -> None:
        self.deploy("search", domains())
        before = self.outputs("search")
        self.deploy("search", domains(instance_count=4))
        self.assertEqual(self.outputs("search"), before)
        config = self.client("opensearch").describe_domain(DomainName="orders-search")["DomainStatus"]
        self.assertEqual(config["ClusterConfig"]["InstanceCount"], 4)

    def test_delete(self) -> None:
        self.deploy("search", domains())
        self.cfn.delete_stack(StackName="search")
        self.assertEqual(self.client("opensearch").list_domain_names()["DomainNames"], [])


if __name__ == "__main__":
    unittest.main()
