"""patches/list_imports.py: ListImports answered from the stacks' templates."""

from __future__ import annotations

import unittest

from tests._harness import EmulatorTestCase, template


def producer() -> dict:
    return template(
        {"Topic": {"Type": "AWS::SNS::Topic"}},
        {
            "TopicArn": {"Value": {"Ref": "Topic"}, "Export": {"Name": "shared-TopicArn"}},
            "Unused": {"Value": {"Fn::GetAtt": ["Topic", "TopicName"]}, "Export": {"Name": "shared-Unused"}},
        },
    )


def consumer(export_name_parameter: bool = False) -> dict:
    name = {"Fn::Sub": "${Source}-TopicArn"} if export_name_parameter else "shared-TopicArn"
    return template(
        {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [{"Key": "topic", "Value": {"Fn::ImportValue": name}}]}}},
        parameters={"Source": {"Type": "String", "Default": "shared"}} if export_name_parameter else None,
    )


class ListImportsTest(EmulatorTestCase):
    def test_lists_the_importing_stacks(self) -> None:
        self.deploy("shared", producer())
        self.deploy("app-a", consumer())
        self.deploy("app-b", consumer(export_name_parameter=True))  # the name built with Fn::Sub
        imports = self.cfn.list_imports(ExportName="shared-TopicArn")["Imports"]
        self.assertEqual(sorted(imports), ["app-a", "app-b"])

    def test_export_not_imported(self) -> None:
        self.deploy("shared", producer())
        self.deploy("app-a", consumer())
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.list_imports(ExportName="shared-Unused")
        error = caught.exception.response["Error"]
        self.assertEqual((error["Code"], error["Message"]), ("ValidationError", "Export 'shared-Unused' is not imported by any stack."))

    def test_export_that_does_not_exist(self) -> None:
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.list_imports(ExportName="nobody-exports-this")
        self.assertEqual(
            caught.exception.response["Error"]["Message"], "Export 'nobody-exports-this' is not imported by any stack."
        )

    def test_importer_removed(self) -> None:
        self.deploy("shared", producer())
        self.deploy("app-a", consumer())
        self.cfn.delete_stack(StackName="app-a")
        with self.assertRaises(self.cfn.exceptions.ClientError):
            self.cfn.list_imports(ExportName="shared-TopicArn")


if __name__ == "__main__":
    unittest.main()
