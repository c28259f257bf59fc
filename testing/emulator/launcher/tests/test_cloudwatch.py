"""models/cloudwatch.py: metric alarms."""

from __future__ import annotations

import unittest

from tests._harness import REGION, EmulatorTestCase, template


def alarms(threshold: int = 100) -> dict:
    resources = {
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}},
        "Backlog": {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": "jobs are piling up",
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["Queue", "QueueName"]}}],
                "Statistic": "Maximum",
                "Period": 60,
                "EvaluationPeriods": 5,
                "DatapointsToAlarm": 3,
                "Threshold": threshold,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "Topic"}],
                "OKActions": [{"Ref": "Topic"}],
            },
        },
        "ErrorRate": {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmName": "error-rate",
                "EvaluationPeriods": 1,
                "Threshold": 5,
                "ComparisonOperator": "GreaterThanThreshold",
                "Metrics": [
                    {"Id": "rate", "Expression": "100 * errors / requests", "ReturnData": True},
                    {
                        "Id": "errors",
                        "ReturnData": False,
                        "MetricStat": {
                            "Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count"},
                            "Period": 60,
                            "Stat": "Sum",
                        },
                    },
                    {
                        "Id": "requests",
                        "ReturnData": False,
                        "MetricStat": {
                            "Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount"},
                            "Period": 60,
                            "Stat": "Sum",
                        },
                    },
                ],
            },
        },
    }
    outputs = {
        "Backlog": {"Ref": "Backlog"},
        "BacklogArn": {"Fn::GetAtt": ["Backlog", "Arn"]},
        "ErrorRate": {"Ref": "ErrorRate"},
        "ErrorRateArn": {"Fn::GetAtt": ["ErrorRate", "Arn"]},
    }
    return template(resources, outputs)


class AlarmTest(EmulatorTestCase):
    def test_create(self) -> None:
        self.deploy("alarms", alarms())
        out = self.outputs("alarms")
        self.assertRegex(out["Backlog"], r"^alarms-Backlog-[A-Z0-9]{12}$")
        self.assertEqual(out["BacklogArn"], f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:{out['Backlog']}")
        self.assertEqual(out["ErrorRate"], "error-rate")
        self.assertEqual(out["ErrorRateArn"], f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:error-rate")

        described = {a["AlarmName"]: a for a in self.client("cloudwatch").describe_alarms()["MetricAlarms"]}
        backlog = described[out["Backlog"]]
        self.assertEqual(backlog["Dimensions"], [{"Name": "QueueName", "Value": "jobs"}])
        self.assertEqual((backlog["Threshold"], backlog["DatapointsToAlarm"]), (100.0, 3))
        self.assertEqual(len(backlog["AlarmActions"]), 1)
        self.assertEqual([m["Id"] for m in described["error-rate"]["Metrics"]], ["rate", "errors", "requests"])

    def test_update_in_place(self) -> None:
        self.deploy("alarms", alarms())
        before = self.outputs("alarms")
        self.deploy("alarms", alarms(threshold=500))
        self.assertEqual(self.outputs("alarms"), before)
        described = {a["AlarmName"]: a for a in self.client("cloudwatch").describe_alarms()["MetricAlarms"]}
        self.assertEqual(set(described), {before["Backlog"], "error-rate"})
        self.assertEqual(described[before["Backlog"]]["Threshold"], 500.0)

    def test_delete(self) -> None:
        self.deploy("alarms", alarms())
        self.cfn.delete_stack(StackName="alarms")
        self.assertEqual(self.client("cloudwatch").describe_alarms()["MetricAlarms"], [])


if __name__ == "__main__":
    unittest.main()
