"""Types moto 5.2.1 already models, checked with the properties our stacks use
(and patches/ecr_repository.py, patches/kms_key.py where moto fell short)."""

from __future__ import annotations

import json
import unittest

from tests._harness import REGION, EmulatorTestCase, template, vpc_resources

LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "expire untagged",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"},
        }
    ]
}


def key_policy() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


class EcrRepositoryTest(EmulatorTestCase):
    def repository(self, mutability: str = "IMMUTABLE", days: int = 14) -> dict:
        lifecycle = json.loads(json.dumps(LIFECYCLE))
        lifecycle["rules"][0]["selection"]["countNumber"] = days
        return template(
            {
                "Repo": {
                    "Type": "AWS::ECR::Repository",
                    "Properties": {
                        "RepositoryName": "web",
                        "ImageTagMutability": mutability,
                        "ImageScanningConfiguration": {"ScanOnPush": True},
                        "EncryptionConfiguration": {"EncryptionType": "KMS"},
                        "LifecyclePolicy": {"LifecyclePolicyText": json.dumps(lifecycle)},
                    },
                }
            },
            {"Ref": {"Ref": "Repo"}, "Arn": {"Fn::GetAtt": ["Repo", "Arn"]}, "Uri": {"Fn::GetAtt": ["Repo", "RepositoryUri"]}},
        )

    def test_repository_properties_and_attributes(self) -> None:
        self.deploy("ecr", self.repository())
        self.assertEqual(
            self.outputs("ecr"),
            {
                "Ref": "web",
                "Arn": f"arn:aws:ecr:{REGION}:123456789012:repository/web",
                "Uri": f"123456789012.dkr.ecr.{REGION}.amazonaws.com/web",
            },
        )
        ecr = self.client("ecr")
        repo = ecr.describe_repositories(repositoryNames=["web"])["repositories"][0]
        self.assertEqual(repo["imageTagMutability"], "IMMUTABLE")
        self.assertEqual(repo["imageScanningConfiguration"], {"scanOnPush": True})
        self.assertEqual(repo["encryptionConfiguration"]["encryptionType"], "KMS")
        self.assertIn("kmsKey", repo["encryptionConfiguration"])
        policy = json.loads(ecr.get_lifecycle_policy(repositoryName="web")["lifecyclePolicyText"])
        self.assertEqual(policy["rules"][0]["selection"]["countNumber"], 14)

    def test_repository_update_in_place(self) -> None:
        self.deploy("ecr", self.repository())
        self.deploy("ecr", self.repository(mutability="MUTABLE", days=30))
        ecr = self.client("ecr")
        repo = ecr.describe_repositories(repositoryNames=["web"])["repositories"][0]
        self.assertEqual(repo["imageTagMutability"], "MUTABLE")
        policy = json.loads(ecr.get_lifecycle_policy(repositoryName="web")["lifecyclePolicyText"])
        self.assertEqual(policy["rules"][0]["selection"]["countNumber"], 30)


class KmsKeyTest(EmulatorTestCase):
    def keys(self, rotation: bool = True) -> dict:
        return template(
            {
                "Key": {
                    "Type": "AWS::KMS::Key",
                    "Properties": {
                        "Description": "web",
                        "EnableKeyRotation": rotation,
                        "KeyPolicy": key_policy(),
                        "Tags": [{"Key": "Environment", "Value": "dev"}],
                    },
                },
                "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/web", "TargetKeyId": {"Ref": "Key"}}},
                "Plain": {"Type": "AWS::KMS::Key"},
            },
            {
                "Ref": {"Ref": "Key"},
                "Arn": {"Fn::GetAtt": ["Key", "Arn"]},
                "KeyId": {"Fn::GetAtt": ["Key", "KeyId"]},
                "Alias": {"Ref": "Alias"},
                "Plain": {"Ref": "Plain"},
            },
        )

    def test_key_and_alias(self) -> None:
        self.deploy("kms", self.keys())
        out = self.outputs("kms")
        self.assertRegex(out["Ref"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual(out["KeyId"], out["Ref"])
        self.assertEqual(out["Arn"], f"arn:aws:kms:{REGION}:123456789012:key/{out['Ref']}")
        self.assertEqual(out["Alias"], "alias/web")
        kms = self.client("kms")
        self.assertTrue(kms.get_key_rotation_status(KeyId=out["Ref"])["KeyRotationEnabled"])
        policy = json.loads(kms.get_key_policy(KeyId=out["Ref"], PolicyName="default")["Policy"])
        self.assertEqual(policy["Statement"][0]["Principal"], {"AWS": "arn:aws:iam::123456789012:root"})
        # CloudFormation's {Key, Value} tags reach the key (plain moto failed to create it).
        tags = kms.list_resource_tags(KeyId=out["Ref"])["Tags"]
        self.assertEqual(tags, [{"TagKey": "Environment", "TagValue": "dev"}])
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
        self.assertEqual(aliases["alias/web"], out["Ref"])
        # Without KeyPolicy the key gets the default policy: the account's root may do anything.
        default = json.loads(kms.get_key_policy(KeyId=out["Plain"], PolicyName="default")["Policy"])
        self.assertEqual(default["Statement"][0]["Principal"], {"AWS": "arn:aws:iam::123456789012:root"})

    def test_rotation_updates_in_place(self) -> None:
        self.deploy("kms", self.keys())
        key_id = self.outputs("kms")["Ref"]
        self.deploy("kms", self.keys(rotation=False))
        self.assertEqual(self.outputs("kms")["Ref"], key_id)
        self.assertFalse(self.client("kms").get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])


class EventsRuleTest(EmulatorTestCase):
    def test_rule_with_sns_and_sqs_targets(self) -> None:
        body = template(
            {
                "Topic": {"Type": "AWS::SNS::Topic"},
                "Queue": {"Type": "AWS::SQS::Queue"},
                "Rule": {
                    "Type": "AWS::Events::Rule",
                    "Properties": {
                        "ScheduleExpression": "rate(5 minutes)",
                        "State": "ENABLED",
                        "Targets": [
                            {"Id": "topic", "Arn": {"Ref": "Topic"}},
                            {"Id": "queue", "Arn": {"Fn::GetAtt": ["Queue", "Arn"]}},
                        ],
                    },
                },
            },
            {"Ref": {"Ref": "Rule"}, "Arn": {"Fn::GetAtt": ["Rule", "Arn"]}},
        )
        self.deploy("events", body)
        out = self.outputs("events")
        self.assertEqual(out["Arn"], f"arn:aws:events:{REGION}:123456789012:rule/{out['Ref']}")
        targets = self.client("events").list_targets_by_rule(Rule=out["Ref"])["Targets"]
        self.assertEqual({t["Id"] for t in targets}, {"topic", "queue"})
        self.assertTrue(all(t["Arn"].startswith(("arn:aws:sns:", "arn:aws:sqs:")) for t in targets))


class LogsResourcePolicyTest(EmulatorTestCase):
    def test_resource_policy(self) -> None:
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "es.amazonaws.com"},
                    "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                    "Resource": "*",
                }
            ],
        }
        body = template(
            {"Policy": {"Type": "AWS::Logs::ResourcePolicy", "Properties": {"PolicyName": "es-logs", "PolicyDocument": json.dumps(document)}}},
            {"Ref": {"Ref": "Policy"}},
        )
        self.deploy("logs", body)
        self.assertEqual(self.outputs("logs")["Ref"], "es-logs")
        policies = self.client("logs").describe_resource_policies()["resourcePolicies"]
        self.assertEqual([(p["policyName"], json.loads(p["policyDocument"])) for p in policies], [("es-logs", document)])


class EcsServiceTest(EmulatorTestCase):
    def test_service_connect_registries_and_volumes(self) -> None:
        resources = {
            **vpc_resources(),
            "Cluster": {"Type": "AWS::ECS::Cluster"},
            "Namespace": {"Type": "AWS::ServiceDiscovery::HttpNamespace", "Properties": {"Name": "internal"}},
            "Registry": {
                "Type": "AWS::ServiceDiscovery::Service",
                "Properties": {"Name": "api", "NamespaceId": {"Fn::GetAtt": ["Namespace", "Id"]}},
            },
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Family": "api",
                    "Cpu": "256",
                    "Memory": "512",
                    "NetworkMode": "awsvpc",
                    "RequiresCompatibilities": ["FARGATE"],
                    "Volumes": [{"Name": "scratch"}],
                    "ContainerDefinitions": [
                        {"Name": "init", "Image": "busybox", "Essential": False},
                        {
                            "Name": "app",
                            "Image": "nginx",
                            "Essential": True,
                            "PortMappings": [{"ContainerPort": 80, "Name": "http"}],
                            "MountPoints": [{"SourceVolume": "scratch", "ContainerPath": "/scratch"}],
                            "DependsOn": [{"ContainerName": "init", "Condition": "SUCCESS"}],
                        },
                    ],
                },
            },
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "Cluster": {"Ref": "Cluster"},
                    "TaskDefinition": {"Ref": "Task"},
                    "DesiredCount": 1,
                    "LaunchType": "FARGATE",
                    "NetworkConfiguration": {
                        "AwsvpcConfiguration": {"Subnets": [{"Ref": "SubnetA"}], "SecurityGroups": [{"Ref": "Sg"}]}
                    },
                    "ServiceRegistries": [{"RegistryArn": {"Fn::GetAtt": ["Registry", "Arn"]}}],
                    "ServiceConnectConfiguration": {
                        "Enabled": True,
                        "Namespace": {"Fn::GetAtt": ["Namespace", "Arn"]},
                        "Services": [{"PortName": "http", "ClientAliases": [{"Port": 80}]}],
                    },
                },
            },
        }
        body = template(resources, {"Service": {"Ref": "Service"}, "Name": {"Fn::GetAtt": ["Service", "Name"]}})
        self.deploy("ecs", body)
        out = self.outputs("ecs")
        self.assertTrue(out["Service"].startswith(f"arn:aws:ecs:{REGION}:123456789012:service/"))
        self.assertTrue(out["Service"].endswith(out["Name"]))
        task = self.client("ecs").describe_task_definition(taskDefinition="api")["taskDefinition"]
        self.assertEqual(task["volumes"][0]["name"], "scratch")
        app = next(c for c in task["containerDefinitions"] if c["name"] == "app")
        self.assertEqual(app["mountPoints"], [{"sourceVolume": "scratch", "containerPath": "/scratch"}])
        self.assertEqual(app["dependsOn"], [{"containerName": "init", "condition": "SUCCESS"}])


if __name__ == "__main__":
    unittest.main()
