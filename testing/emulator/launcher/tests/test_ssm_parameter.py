"""patches/ssm_parameter_name.py: a parameter without Name gets CloudFormation's
generated name, keeps it on update, and can hold an imported value."""

from __future__ import annotations

import unittest

from tests._harness import EmulatorTestCase, template


class SsmParameterNameTest(EmulatorTestCase):
    def test_generated_name_kept_on_update(self) -> None:
        def stack(value: str) -> dict:
            return template(
                {"Marker": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": value}}},
                {"Name": {"Ref": "Marker"}},
            )

        created = self.deploy("Params", stack("one"))
        name = created["Outputs"][0]["OutputValue"]
        self.assertRegex(name, r"^CFN-Marker-[A-Za-z0-9]{12}$")
        ssm = self.client("ssm")
        self.assertEqual(ssm.get_parameter(Name=name)["Parameter"]["Value"], "one")
        updated = self.deploy("Params", stack("two"))
        self.assertEqual(updated["Outputs"][0]["OutputValue"], name)
        self.assertEqual(ssm.get_parameter(Name=name)["Parameter"]["Value"], "two")

    def test_an_imported_value(self) -> None:
        self.deploy("Producer", template({"Topic": {"Type": "AWS::SNS::Topic"}}, {"Topic": {"Value": {"Ref": "Topic"}, "Export": {"Name": "Producer:Topic"}}}))
        consumer = self.deploy(
            "Consumer",
            template(
                {"Marker": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": {"Fn::ImportValue": "Producer:Topic"}}}},
                {"Name": {"Ref": "Marker"}},
            ),
        )
        self.assertEqual(consumer["StackStatus"], "CREATE_COMPLETE")


if __name__ == "__main__":
    unittest.main()
