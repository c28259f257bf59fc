"""patches/parameter_constraints.py: AllowedPattern and AllowedValues of template parameters."""

from __future__ import annotations

import unittest

from tests._harness import EmulatorTestCase, template

TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"


def tagged_parameter(description: bool = True) -> dict:
    image_tag = {"Type": "String", "Default": "1.0.0", "AllowedPattern": TAG_PATTERN}
    if description:
        image_tag["ConstraintDescription"] = "a Docker image tag"
    return template(
        {"Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": {"Ref": "ImageTag"}}}},
        {"Tag": {"Ref": "ImageTag"}},
        {
            "ImageTag": image_tag,
            "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]},
            "Zones": {"Type": "CommaDelimitedList", "Default": "a,b", "AllowedPattern": "[a-c]"},
        },
    )


class ParameterConstraintTest(EmulatorTestCase):
    def refused(self, stack: str, body: dict, parameters: dict) -> str:
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.create_change_set(stack, body, parameters)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationError")
        return caught.exception.response["Error"]["Message"]

    def test_a_value_outside_the_pattern_is_refused(self) -> None:
        message = self.refused("app", tagged_parameter(), {"ImageTag": "1.0 beta"})
        self.assertEqual(message, "Parameter ImageTag failed to satisfy constraint: a Docker image tag")
        # No stack was made (plain moto deploys it).
        with self.assertRaises(self.cfn.exceptions.ClientError):
            self.cfn.describe_stacks(StackName="app")
        message = self.refused("app", tagged_parameter(description=False), {"ImageTag": "v1/2"})
        self.assertEqual(message, f"Parameter 'ImageTag' must match pattern {TAG_PATTERN}")

    def test_allowed_values_and_list_members(self) -> None:
        self.assertEqual(self.refused("app", tagged_parameter(), {"Env": "test"}), "Parameter 'Env' must be one of AllowedValues")
        self.assertEqual(self.refused("app", tagged_parameter(), {"Zones": "a,d"}), "Parameter 'Zones' must match pattern [a-c]")

    def test_an_update_with_a_bad_value_leaves_the_stack_as_it_was(self) -> None:
        self.deploy("app", tagged_parameter(), {"ImageTag": "1.2.3"})
        self.refused("app", tagged_parameter(), {"ImageTag": "-latest"})
        self.assertEqual(self.outputs("app")["Tag"], "1.2.3")
        self.deploy("app", tagged_parameter(), {"ImageTag": "1.2.4_rc.1"})
        self.assertEqual(self.outputs("app")["Tag"], "1.2.4_rc.1")


if __name__ == "__main__":
    unittest.main()
