"""models/appautoscaling.py: scalable targets and scaling policies."""

from __future__ import annotations

import unittest

from tests._harness import REGION, EmulatorTestCase, template


def scaling(max_capacity: int = 10, target_value: float = 70.0) -> dict:
    resources = {
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "TableName": "orders",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            },
        },
        "Target": {
            "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
            "Properties": {
                "ServiceNamespace": "dynamodb",
                "ResourceId": {"Fn::Sub": "table/${Table}"},
                "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
                "MinCapacity": 5,
                "MaxCapacity": max_capacity,
                "ScheduledActions": [
                    {
                        "ScheduledActionName": "night",
                        "Schedule": "cron(0 22 * * ? *)",
                        "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2},
                    }
                ],
            },
        },
        "Policy": {
            "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
            "Properties": {
                "PolicyName": "reads",
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": {"Ref": "Target"},
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": target_value,
                    "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"},
                },
            },
        },
        "Direct": {
            "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
            "DependsOn": "Target",
            "Properties": {
                "PolicyName": "steps",
                "PolicyType": "StepScaling",
                "ServiceNamespace": "dynamodb",
                "ResourceId": "table/orders",
                "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
                "StepScalingPolicyConfiguration": {
                    "AdjustmentType": "ChangeInCapacity",
                    "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}],
                },
            },
        },
    }
    outputs = {
        "TargetRef": {"Ref": "Target"},
        "TargetId": {"Fn::GetAtt": ["Target", "Id"]},
        "PolicyRef": {"Ref": "Policy"},
        "PolicyArn": {"Fn::GetAtt": ["Policy", "Arn"]},
        "DirectRef": {"Ref": "Direct"},
    }
    return template(resources, outputs)


class ApplicationAutoScalingTest(EmulatorTestCase):
    def test_create(self) -> None:
        self.deploy("scaling", scaling())
        out = self.outputs("scaling")
        self.assertEqual(out["TargetRef"], "table/orders|dynamodb:table:ReadCapacityUnits|dynamodb")
        self.assertEqual(out["TargetId"], out["TargetRef"])
        self.assertRegex(
            out["PolicyRef"],
            rf"^arn:aws:autoscaling:{REGION}:123456789012:scalingPolicy:[0-9a-f-]{{36}}:resource/dynamodb/table/orders:policyName/reads$",
        )
        self.assertEqual(out["PolicyArn"], out["PolicyRef"])
        self.assertTrue(out["DirectRef"].endswith(":policyName/steps"))

        api = self.client("application-autoscaling")
        [target] = api.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
        self.assertEqual((target["ResourceId"], target["MinCapacity"], target["MaxCapacity"]), ("table/orders", 5, 10))
        policies = {p["PolicyName"]: p for p in api.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"]}
        self.assertEqual(set(policies), {"reads", "steps"})
        self.assertEqual(policies["reads"]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"], 70.0)
        actions = api.describe_scheduled_actions(ServiceNamespace="dynamodb")["ScheduledActions"]
        self.assertEqual([a["ScheduledActionName"] for a in actions], ["night"])

    def test_update_in_place(self) -> None:
        self.deploy("scaling", scaling())
        before = self.outputs("scaling")
        self.deploy("scaling", scaling(max_capacity=20, target_value=50.0))
        self.assertEqual(self.outputs("scaling"), before)  # same target id, same policy ARN
        api = self.client("application-autoscaling")
        [target] = api.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
        self.assertEqual(target["MaxCapacity"], 20)
        reads = [p for p in api.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"] if p["PolicyName"] == "reads"]
        self.assertEqual(reads[0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"], 50.0)

    def test_delete(self) -> None:
        self.deploy("scaling", scaling())
        self.cfn.delete_stack(StackName="scaling")
        api = self.client("application-autoscaling")
        self.assertEqual(api.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"], [])
        self.assertEqual(api.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"], [])
        self.assertEqual(api.describe_scheduled_actions(ServiceNamespace="dynamodb")["ScheduledActions"], [])


if __name__ == "__main__":
    unittest.main()
