"""patches/outputs_exports.py: outputs, exports and imports of change-set stacks."""

from __future__ import annotations

import unittest

from tests._harness import EmulatorTestCase, template

EXPORT = "producer-QueueArn"


def producer(exported: bool = True, extra_output: bool = False) -> dict:
    outputs = {"QueueUrl": {"Ref": "Queue"}}
    if exported:
        outputs["QueueArn"] = {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-QueueArn"}}}
    if extra_output:
        outputs["QueueName"] = {"Fn::GetAtt": ["Queue", "QueueName"]}
    return template({"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "producer-queue"}}}, outputs)


def consumer() -> dict:
    return template(
        {
            "Param": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Name": "/consumer/queue-arn", "Type": "String", "Value": {"Fn::ImportValue": EXPORT}},
            }
        },
        {"Imported": {"Fn::ImportValue": EXPORT}},
    )


class OutputsAndExportsTest(EmulatorTestCase):
    def test_outputs_and_exports_after_create_change_set(self) -> None:
        stack = self.deploy("producer", producer())
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        outputs = {o["OutputKey"]: o for o in stack["Outputs"]}
        self.assertEqual(outputs["QueueArn"]["OutputValue"], "arn:aws:sqs:eu-west-1:123456789012:producer-queue")
        self.assertEqual(outputs["QueueArn"]["ExportName"], EXPORT)
        self.assertTrue(outputs["QueueUrl"]["OutputValue"].endswith("/123456789012/producer-queue"))
        exports = self.cfn.list_exports()["Exports"]
        self.assertEqual(
            exports,
            [{"ExportingStackId": stack["StackId"], "Name": EXPORT, "Value": outputs["QueueArn"]["OutputValue"]}],
        )

    def test_outputs_follow_an_update_change_set(self) -> None:
        self.deploy("producer", producer())
        stack = self.deploy("producer", producer(extra_output=True))
        self.assertEqual(stack["StackStatus"], "UPDATE_COMPLETE")
        self.assertEqual(self.outputs("producer")["QueueName"], "producer-queue")

    def test_import_value_between_change_set_stacks(self) -> None:
        self.deploy("producer", producer())
        stack = self.deploy("consumer", consumer())
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        arn = "arn:aws:sqs:eu-west-1:123456789012:producer-queue"
        self.assertEqual(self.outputs("consumer")["Imported"], arn)
        value = self.client("ssm").get_parameter(Name="/consumer/queue-arn")["Parameter"]["Value"]
        self.assertEqual(value, arn)

    def test_update_removing_an_imported_export_fails_and_rolls_back(self) -> None:
        self.deploy("producer", producer())
        self.deploy("consumer", consumer())
        change_set = self.create_change_set("producer", producer(exported=False))
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])

        stack = self.cfn.describe_stacks(StackName="producer")["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "UPDATE_ROLLBACK_COMPLETE")
        reasons = [e.get("ResourceStatusReason") for e in self.events("producer")]
        self.assertIn(f"Export {EXPORT} cannot be deleted as it is in use by consumer", reasons)
        rollback = next(e for e in self.events("producer") if e["ResourceStatus"] == "UPDATE_ROLLBACK_IN_PROGRESS")
        self.assertEqual(rollback["ResourceStatusReason"], f"Export {EXPORT} cannot be deleted as it is in use by consumer")
        self.assertEqual([e["Name"] for e in self.cfn.list_exports()["Exports"]], [EXPORT])
        self.assertIn("QueueArn", self.outputs("producer"))
        described = self.cfn.describe_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(described["ExecutionStatus"], "EXECUTE_FAILED")

    def test_update_removing_an_unused_export_removes_it(self) -> None:
        self.deploy("producer", producer())
        stack = self.deploy("producer", producer(exported=False))
        self.assertEqual(stack["StackStatus"], "UPDATE_COMPLETE")
        self.assertEqual(self.cfn.list_exports()["Exports"], [])
        self.assertNotIn("QueueArn", self.outputs("producer"))

    def test_delete_of_a_stack_whose_export_is_imported_is_refused(self) -> None:
        self.deploy("producer", producer())
        self.deploy("consumer", consumer())
        self.cfn.delete_stack(StackName="producer")

        stack = self.cfn.describe_stacks(StackName="producer")["Stacks"][0]
        reason = f"Export {EXPORT} cannot be deleted as it is in use by consumer"
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        self.assertEqual(stack["StackStatusReason"], reason)
        latest, before = self.events("producer")[:2]
        self.assertEqual((latest["ResourceStatus"], latest["ResourceStatusReason"]), ("CREATE_COMPLETE", reason))
        self.assertEqual(before["ResourceStatus"], "DELETE_IN_PROGRESS")
        self.assertEqual(len(self.cfn.list_exports()["Exports"]), 1)

        # Once the importer is gone, the producer deletes as before.
        self.cfn.delete_stack(StackName="consumer")
        self.cfn.delete_stack(StackName="producer")
        self.assertEqual(self.cfn.list_exports()["Exports"], [])
        statuses = {s["StackName"]: s["StackStatus"] for s in self.cfn.list_stacks()["StackSummaries"]}
        self.assertEqual(statuses, {"producer": "DELETE_COMPLETE", "consumer": "DELETE_COMPLETE"})

    def test_export_names_are_unique_in_a_region(self) -> None:
        self.deploy("producer", producer())
        other = template(
            {"Topic": {"Type": "AWS::SNS::Topic"}},
            {"Arn": {"Value": {"Ref": "Topic"}, "Export": {"Name": EXPORT}}},
        )
        change_set = self.create_change_set("other", other)
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(
            caught.exception.response["Error"]["Message"],
            f"Export with name {EXPORT} is already exported by stack producer",
        )

    def test_update_change_set_records_parameters(self) -> None:
        body = template(
            {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Name"}}}},
            {"Name": {"Ref": "Name"}},
            parameters={"Name": {"Type": "String"}},
        )
        self.deploy("params", body, {"Name": "one"})
        self.deploy("params", body, {"Name": "two"})
        self.assertEqual(self.outputs("params")["Name"], "two")
        self.assert_no_changes("params", body, {"Name": "two"})


if __name__ == "__main__":
    unittest.main()
