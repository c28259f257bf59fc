"""patches/resource_properties.py, sqs_queue_url.py, elbv2_attributes.py and
dependent_updates.py: smaller gaps met while deploying the scenarios."""

from __future__ import annotations

import unittest

from tests._harness import REGION, EmulatorTestCase, template, vpc_resources


def topic_and_queue(retention: int) -> dict:
    return template(
        {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": retention}},
        },
        {"TopicArn": {"Ref": "Topic"}, "QueueUrl": {"Ref": "Queue"}, "QueueUrlAtt": {"Fn::GetAtt": ["Queue", "QueueUrl"]}},
    )


class StackUpdateTest(EmulatorTestCase):
    def test_update_leaves_resources_without_properties_alone(self) -> None:
        self.deploy("app", topic_and_queue(3600))
        before = self.outputs("app")
        change_set = self.create_change_set("app", topic_and_queue(7200))
        changes = [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in change_set["Changes"]]
        self.assertEqual(changes, [("Modify", "Queue")])
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(self.outputs("app")["TopicArn"], before["TopicArn"])
        self.assertEqual(len(self.client("sns").list_topics()["Topics"]), 1)

    def test_update_follows_a_replaced_resource(self) -> None:
        """A new TopicName replaces the topic; the parameter whose Value refers to it is
        updated although its own definition did not change (patches/dependent_updates.py)."""

        def topic_and_parameter(name: str) -> dict:
            return template(
                {
                    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name}},
                    "Param": {
                        "Type": "AWS::SSM::Parameter",
                        "Properties": {"Name": "/app/topic", "Type": "String", "Value": {"Ref": "Topic"}},
                    },
                },
                {"Topic": {"Ref": "Topic"}},
            )

        self.deploy("app", topic_and_parameter("first"))
        self.deploy("app", topic_and_parameter("second"))
        topic = self.outputs("app")["Topic"]
        self.assertEqual(topic, f"arn:aws:sns:{REGION}:123456789012:second")
        self.assertEqual(self.client("ssm").get_parameter(Name="/app/topic")["Parameter"]["Value"], topic)

    def test_a_parameter_change_is_followed_too(self) -> None:
        """Only a parameter changes: moto updates the topic that uses it (a new TopicName, a
        replacement); the parameter referring to the topic follows it
        (patches/dependent_updates.py; plain moto left it naming the deleted topic)."""
        body = template(
            {
                "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Name"}}},
                "Param": {
                    "Type": "AWS::SSM::Parameter",
                    "Properties": {"Name": "/app/topic", "Type": "String", "Value": {"Ref": "Topic"}},
                },
            },
            {"Topic": {"Ref": "Topic"}},
            {"Name": {"Type": "String", "Default": "first"}},
        )
        self.deploy("app", body)
        self.deploy("app", body, {"Name": "second"})
        topic = self.outputs("app")["Topic"]
        self.assertEqual(topic, f"arn:aws:sns:{REGION}:123456789012:second")
        self.assertEqual(self.client("ssm").get_parameter(Name="/app/topic")["Parameter"]["Value"], topic)

    def test_update_replace_policy_retain_keeps_the_old_resource(self) -> None:
        """patches/update_replace_policy.py: a new image replaces the task definition (a new
        revision); with UpdateReplacePolicy Retain the old revision stays ACTIVE, without it
        it is deregistered (plain moto deregisters it either way)."""
        from tests.test_ecs_ec2 import task_definition

        def body(image: str, retain: bool) -> dict:
            task = task_definition(image=image)
            if retain:
                task["UpdateReplacePolicy"] = "Retain"
            return template({"Task": task}, {"Task": {"Ref": "Task"}})

        ecs = self.client("ecs")
        for retain, status in ((True, "ACTIVE"), (False, "INACTIVE")):
            stack = f"retain-{str(retain).lower()}"
            self.deploy(stack, body("public.ecr.aws/nginx/nginx:1.27", retain))
            first = self.outputs(stack)["Task"]
            self.deploy(stack, body("public.ecr.aws/nginx/nginx:1.28", retain))
            self.assertNotEqual(self.outputs(stack)["Task"], first)
            self.assertEqual(ecs.describe_task_definition(taskDefinition=first)["taskDefinition"]["status"], status)

    def test_queue_url_attribute(self) -> None:
        self.deploy("app", topic_and_queue(3600))
        out = self.outputs("app")
        self.assertEqual(out["QueueUrlAtt"], out["QueueUrl"])
        self.assertRegex(out["QueueUrl"], rf"^https://sqs\.{REGION}\.amazonaws\.com/123456789012/app-Queue-[A-Z0-9]+$")

    def test_load_balancer_and_target_group_attributes(self) -> None:
        resources = {
            **vpc_resources(),
            "Lb": {
                "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "Properties": {"Subnets": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}], "SecurityGroups": [{"Ref": "Sg"}]},
            },
            "Tg": {
                "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                "Properties": {"Port": 80, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}, "TargetType": "ip"},
            },
        }
        outputs = {
            "LbArn": {"Ref": "Lb"},
            "LbFullName": {"Fn::GetAtt": ["Lb", "LoadBalancerFullName"]},
            "LbSecurityGroups": {"Fn::Join": [",", {"Fn::GetAtt": ["Lb", "SecurityGroups"]}]},
            "TgArn": {"Ref": "Tg"},
            "TgFullName": {"Fn::GetAtt": ["Tg", "TargetGroupFullName"]},
            "TgName": {"Fn::GetAtt": ["Tg", "TargetGroupName"]},
        }
        self.deploy("lb", template(resources, outputs))
        out = self.outputs("lb")
        self.assertTrue(out["LbArn"].endswith(f":loadbalancer/{out['LbFullName']}"))
        self.assertRegex(out["LbFullName"], r"^app/[^/]+/[0-9a-f]+$")
        self.assertRegex(out["LbSecurityGroups"], r"^sg-[0-9a-f]+$")
        self.assertTrue(out["TgArn"].endswith(f":{out['TgFullName']}"))
        self.assertEqual(out["TgFullName"].split("/")[:2], ["targetgroup", out["TgName"]])


if __name__ == "__main__":
    unittest.main()
