"""models/sns_subscription.py and models/policies.py: subscriptions, topic,
queue and bucket policies; and the standalone-example Alerts stack."""

from __future__ import annotations

import json
import unittest

from tests._harness import REGION, EmulatorTestCase, template
from tests.test_scenario1 import snapshot_template


def allow(service: str, action: str, resource: dict | str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": action, "Resource": resource}],
    }


def messaging(raw: bool = True, region_filter: str = "eu") -> dict:
    resources = {
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "orders-archive"}},
        "ToQueue": {
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "TopicArn": {"Ref": "Topic"},
                "Protocol": "sqs",
                "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]},
                "RawMessageDelivery": raw,
                "FilterPolicy": {"region": [region_filter]},
            },
        },
        "TopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {"Topics": [{"Ref": "Topic"}], "PolicyDocument": allow("events.amazonaws.com", "sns:Publish", {"Ref": "Topic"})},
        },
        "QueuePolicy": {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": [{"Ref": "Queue"}],
                "PolicyDocument": allow("sns.amazonaws.com", "sqs:SendMessage", {"Fn::GetAtt": ["Queue", "Arn"]}),
            },
        },
        "BucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "Bucket"},
                "PolicyDocument": allow("logging.s3.amazonaws.com", "s3:PutObject", {"Fn::Sub": "${Bucket.Arn}/*"}),
            },
        },
    }
    outputs = {
        "Subscription": {"Ref": "ToQueue"},
        "Topic": {"Ref": "Topic"},
        "QueueUrl": {"Ref": "Queue"},
        "TopicPolicy": {"Ref": "TopicPolicy"},
        "QueuePolicy": {"Ref": "QueuePolicy"},
        "QueuePolicyId": {"Fn::GetAtt": ["QueuePolicy", "Id"]},
    }
    return template(resources, outputs)


class MessagingTest(EmulatorTestCase):
    def test_create(self) -> None:
        self.deploy("msg", messaging())
        out = self.outputs("msg")
        self.assertRegex(out["Subscription"], rf"^{out['Topic']}:[0-9a-f-]{{36}}$")
        self.assertRegex(out["QueuePolicy"], r"^msg-QueuePolicy-[A-Z0-9]{12}$")
        self.assertEqual(out["QueuePolicyId"], out["QueuePolicy"])

        sns, sqs, s3 = self.client("sns"), self.client("sqs"), self.client("s3")
        [subscription] = sns.list_subscriptions_by_topic(TopicArn=out["Topic"])["Subscriptions"]
        self.assertEqual((subscription["SubscriptionArn"], subscription["Protocol"]), (out["Subscription"], "sqs"))
        attributes = sns.get_subscription_attributes(SubscriptionArn=out["Subscription"])["Attributes"]
        self.assertEqual(attributes["RawMessageDelivery"], "true")
        self.assertEqual(json.loads(attributes["FilterPolicy"]), {"region": ["eu"]})

        # Delivery follows the subscription: raw, and only what the filter lets through.
        for region in ("us", "eu"):
            sns.publish(
                TopicArn=out["Topic"],
                Message=f"order from {region}",
                MessageAttributes={"region": {"DataType": "String", "StringValue": region}},
            )
        messages = sqs.receive_message(QueueUrl=out["QueueUrl"], MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in messages], ["order from eu"])

        queue_policy = json.loads(sqs.get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["Policy"])["Attributes"]["Policy"])
        self.assertEqual(queue_policy["Statement"][0]["Principal"], {"Service": "sns.amazonaws.com"})
        topic_policy = json.loads(sns.get_topic_attributes(TopicArn=out["Topic"])["Attributes"]["Policy"])
        self.assertEqual(topic_policy["Statement"][0]["Principal"], {"Service": "events.amazonaws.com"})
        bucket_policy = json.loads(s3.get_bucket_policy(Bucket="orders-archive")["Policy"])
        self.assertEqual(bucket_policy["Statement"][0]["Resource"], "arn:aws:s3:::orders-archive/*")

    def test_update_in_place(self) -> None:
        self.deploy("msg", messaging())
        before = self.outputs("msg")
        self.deploy("msg", messaging(raw=False, region_filter="us"))
        self.assertEqual(self.outputs("msg")["Subscription"], before["Subscription"])
        attributes = self.client("sns").get_subscription_attributes(SubscriptionArn=before["Subscription"])["Attributes"]
        self.assertEqual(attributes["RawMessageDelivery"], "false")
        self.assertEqual(json.loads(attributes["FilterPolicy"]), {"region": ["us"]})

    def test_delete_removes_subscription_and_policies(self) -> None:
        self.deploy("msg", messaging())
        out = self.outputs("msg")
        body = messaging()
        for name in ("ToQueue", "TopicPolicy", "QueuePolicy", "BucketPolicy"):
            del body["Resources"][name]
        body["Outputs"] = {k: v for k, v in body["Outputs"].items() if k in ("Topic", "QueueUrl")}
        self.deploy("msg", body)  # the resources leave in an update
        sns, sqs = self.client("sns"), self.client("sqs")
        self.assertEqual(sns.list_subscriptions_by_topic(TopicArn=out["Topic"])["Subscriptions"], [])
        self.assertNotIn("Policy", sqs.get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["Policy"]).get("Attributes", {}))
        topic_policy = json.loads(sns.get_topic_attributes(TopicArn=out["Topic"])["Attributes"]["Policy"])
        self.assertEqual(topic_policy["Id"], "__default_policy_ID")
        with self.assertRaises(self.cfn.exceptions.ClientError):
            self.client("s3").get_bucket_policy(Bucket="orders-archive")

    def test_standalone_example_alerts(self) -> None:
        """The standalone example: an email and a queue subscription to one topic."""
        stack = self.deploy("Alerts", snapshot_template("templates__standalone-example__Alerts.snap"))
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        out = self.outputs("Alerts")
        self.assertEqual(out["Region"], REGION)
        subscriptions = self.client("sns").list_subscriptions_by_topic(TopicArn=out["TopicArn"])["Subscriptions"]
        self.assertEqual(
            sorted((s["Protocol"], s["Endpoint"]) for s in subscriptions),
            [("email", "ops@example.com"), ("sqs", f"arn:aws:sqs:{REGION}:123456789012:{out['QueueUrl'].rsplit('/', 1)[1]}")],
        )


if __name__ == "__main__":
    unittest.main()
