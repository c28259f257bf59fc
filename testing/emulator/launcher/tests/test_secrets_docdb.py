"""models/secretsmanager.py and models/docdb.py: a DocumentDB cluster with its
generated master secret, attached the way CDK-style templates do it."""

from __future__ import annotations

import json
import unittest

from tests._harness import REGION, EmulatorTestCase, template, vpc_resources

EXCLUDED = "\"@/\\"


def database(description: str = "master user", length: int = 24, instance_class: str = "db.t3.medium") -> dict:
    resources = {
        **vpc_resources(),
        "Secret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": description,
                "GenerateSecretString": {
                    "SecretStringTemplate": json.dumps({"username": "docdbadmin"}),
                    "GenerateStringKey": "password",
                    "ExcludeCharacters": EXCLUDED,
                    "PasswordLength": length,
                },
            },
        },
        "Subnets": {
            "Type": "AWS::DocDB::DBSubnetGroup",
            "Properties": {"DBSubnetGroupDescription": "docdb", "SubnetIds": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}]},
        },
        "Params": {
            "Type": "AWS::DocDB::DBClusterParameterGroup",
            "Properties": {"Description": "tls on", "Family": "docdb5.0", "Parameters": {"tls": "enabled"}},
        },
        "Cluster": {
            "Type": "AWS::DocDB::DBCluster",
            "Properties": {
                "EngineVersion": "5.0.0",
                "MasterUsername": {"Fn::Sub": "{{resolve:secretsmanager:${Secret}:SecretString:username}}"},
                "MasterUserPassword": {"Fn::Sub": "{{resolve:secretsmanager:${Secret}:SecretString:password}}"},
                "DBSubnetGroupName": {"Ref": "Subnets"},
                "DBClusterParameterGroupName": {"Ref": "Params"},
                "VpcSecurityGroupIds": [{"Fn::GetAtt": ["Sg", "GroupId"]}],
                "StorageEncrypted": True,
            },
        },
        "Instance": {
            "Type": "AWS::DocDB::DBInstance",
            "Properties": {"DBClusterIdentifier": {"Ref": "Cluster"}, "DBInstanceClass": instance_class},
        },
        "Attachment": {
            "Type": "AWS::SecretsManager::SecretTargetAttachment",
            "Properties": {"SecretId": {"Ref": "Secret"}, "TargetId": {"Ref": "Cluster"}, "TargetType": "AWS::DocDB::DBCluster"},
        },
        # Plain moto dropped the Resource of this policy (MalformedPolicyDocument): the secret resolved to nothing.
        "ReadSecret": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": {"Ref": "Secret"}}],
                }
            },
        },
    }
    outputs = {
        "SecretRef": {"Ref": "Secret"},
        "SecretId": {"Fn::GetAtt": ["Secret", "Id"]},
        "AttachmentRef": {"Ref": "Attachment"},
        "SubnetsRef": {"Ref": "Subnets"},
        "ParamsRef": {"Ref": "Params"},
        "ClusterRef": {"Ref": "Cluster"},
        "Endpoint": {"Fn::GetAtt": ["Cluster", "Endpoint"]},
        "ReadEndpoint": {"Fn::GetAtt": ["Cluster", "ReadEndpoint"]},
        "Port": {"Fn::GetAtt": ["Cluster", "Port"]},
        "ResourceId": {"Fn::GetAtt": ["Cluster", "ClusterResourceId"]},
        "InstanceRef": {"Ref": "Instance"},
        "InstanceEndpoint": {"Fn::GetAtt": ["Instance", "Endpoint"]},
        "InstancePort": {"Fn::GetAtt": ["Instance", "Port"]},
    }
    return template(resources, outputs)


class SecretsAndDocDbTest(EmulatorTestCase):
    def test_create(self) -> None:
        self.deploy("db", database())
        out = self.outputs("db")

        self.assertRegex(out["SecretRef"], rf"^arn:aws:secretsmanager:{REGION}:123456789012:secret:Secret-[A-Za-z0-9]{{12}}-[A-Za-z0-9]{{6}}$")
        self.assertEqual(out["SecretId"], out["SecretRef"])
        self.assertEqual(out["AttachmentRef"], out["SecretRef"])

        cluster = out["ClusterRef"]
        self.assertRegex(cluster, r"^db-cluster-[a-z0-9]{12}$")
        endpoint = rf"^{cluster}\.cluster-([a-z0-9]{{12}})\.{REGION}\.docdb\.amazonaws\.com$"
        self.assertRegex(out["Endpoint"], endpoint)
        suffix = out["Endpoint"].split(".")[1][len("cluster-") :]
        self.assertEqual(out["ReadEndpoint"], f"{cluster}.cluster-ro-{suffix}.{REGION}.docdb.amazonaws.com")
        self.assertEqual(out["Port"], "27017")
        self.assertRegex(out["ResourceId"], r"^cluster-[A-Z0-9]{26}$")
        self.assertEqual(out["InstanceEndpoint"], f"{out['InstanceRef']}.{suffix}.{REGION}.docdb.amazonaws.com")
        self.assertEqual(out["InstancePort"], "27017")

        value = json.loads(self.client("secretsmanager").get_secret_value(SecretId=out["SecretRef"])["SecretString"])
        self.assertEqual(value["username"], "docdbadmin")
        self.assertEqual(len(value["password"]), 24)
        self.assertFalse(set(value["password"]) & set(EXCLUDED))
        self.assertEqual(
            {k: value[k] for k in ("engine", "host", "port", "dbClusterIdentifier")},
            {"engine": "mongo", "host": out["Endpoint"], "port": 27017, "dbClusterIdentifier": cluster},
        )

        docdb = self.client("docdb")
        group = docdb.describe_db_subnet_groups(DBSubnetGroupName=out["SubnetsRef"])["DBSubnetGroups"][0]
        self.assertEqual(len(group["Subnets"]), 2)
        params = docdb.describe_db_cluster_parameter_groups(DBClusterParameterGroupName=out["ParamsRef"])
        self.assertEqual(params["DBClusterParameterGroups"][0]["DBParameterGroupFamily"], "docdb5.0")

        policy = self.client("iam").list_policies(Scope="Local")["Policies"][0]
        version = self.client("iam").get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
        self.assertEqual(version["PolicyVersion"]["Document"]["Statement"][0]["Resource"], out["SecretRef"])

    def test_update(self) -> None:
        self.deploy("db", database())
        before = self.outputs("db")
        secrets = self.client("secretsmanager")
        first = json.loads(secrets.get_secret_value(SecretId=before["SecretRef"])["SecretString"])

        # A new description and instance class: same secret, same value, same cluster and instance.
        self.deploy("db", database(description="master user, rotated by hand", instance_class="db.r6g.large"))
        self.assertEqual(self.outputs("db"), before)
        self.assertEqual(secrets.describe_secret(SecretId=before["SecretRef"])["Description"], "master user, rotated by hand")
        self.assertEqual(json.loads(secrets.get_secret_value(SecretId=before["SecretRef"])["SecretString"]), first)

        # A new GenerateSecretString: a new password.
        self.deploy("db", database(length=32))
        value = json.loads(secrets.get_secret_value(SecretId=before["SecretRef"])["SecretString"])
        self.assertEqual(len(value["password"]), 32)

    def test_delete(self) -> None:
        self.deploy("db", database())
        self.cfn.delete_stack(StackName="db")
        self.assertEqual(self.client("secretsmanager").list_secrets()["SecretList"], [])
        self.assertEqual(self.client("docdb").describe_db_subnet_groups()["DBSubnetGroups"], [])
        statuses = {s["StackName"]: s["StackStatus"] for s in self.cfn.list_stacks()["StackSummaries"]}
        self.assertEqual(statuses["db"], "DELETE_COMPLETE")

    def test_named_secret_and_plain_string(self) -> None:
        body = template(
            {"Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "web/prod/api-key", "SecretString": "s3cr3t"}}},
            {"Ref": {"Ref": "Secret"}},
        )
        self.deploy("named", body)
        arn = self.outputs("named")["Ref"]
        self.assertRegex(arn, rf"^arn:aws:secretsmanager:{REGION}:123456789012:secret:web/prod/api-key-[A-Za-z0-9]{{6}}$")
        self.assertEqual(self.client("secretsmanager").get_secret_value(SecretId="web/prod/api-key")["SecretString"], "s3cr3t")

    def test_attachment_to_an_rds_instance(self) -> None:
        body = template(
            {
                "Secret": {
                    "Type": "AWS::SecretsManager::Secret",
                    "Properties": {
                        "GenerateSecretString": {
                            "SecretStringTemplate": json.dumps({"username": "app"}),
                            "GenerateStringKey": "password",
                            "ExcludePunctuation": True,
                        }
                    },
                },
                "Db": {
                    "Type": "AWS::RDS::DBInstance",
                    "Properties": {
                        "DBInstanceIdentifier": "orders",
                        "Engine": "postgres",
                        "DBInstanceClass": "db.t3.micro",
                        "AllocatedStorage": "20",
                        "MasterUsername": "app",
                        "MasterUserPassword": "placeholder-password",
                        "Port": "5432",  # moto's RDS model defaults every engine to 3306
                    },
                },
                "Attachment": {
                    "Type": "AWS::SecretsManager::SecretTargetAttachment",
                    "Properties": {"SecretId": {"Ref": "Secret"}, "TargetId": {"Ref": "Db"}, "TargetType": "AWS::RDS::DBInstance"},
                },
            },
            {"Secret": {"Ref": "Attachment"}, "Host": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}},
        )
        self.deploy("rds", body)
        out = self.outputs("rds")
        value = json.loads(self.client("secretsmanager").get_secret_value(SecretId=out["Secret"])["SecretString"])
        self.assertEqual(len(value["password"]), 32)
        self.assertEqual(
            {k: value[k] for k in ("username", "engine", "host", "port", "dbInstanceIdentifier")},
            {"username": "app", "engine": "postgres", "host": out["Host"], "port": 5432, "dbInstanceIdentifier": "orders"},
        )


if __name__ == "__main__":
    unittest.main()
