"""patches/change_set_changes.py (and the parameter side of dependent_updates.py): what
DescribeChangeSet lists for an update.

Plain moto 5.2.1 lists no change at all for a change set that changes only a parameter
(scenario 5's release: `Changes: []`), never lists the resources following a replaced one,
and gives no Replacement, Scope, Details or PhysicalResourceId.
"""

from __future__ import annotations

import json
import unittest

from tests._harness import REGION, EmulatorTestCase, template
from tests.test_ecs_ec2 import EcsEc2TestCase
from tests.test_scenario1 import snapshot_template

TASK = "WebTaskDefinition14A8C07A"
SERVICE = "WebService9D5B4598"


def summary(change_set: dict) -> dict[str, tuple]:
    """LogicalResourceId -> (Action, ResourceType, Replacement): what the deploy engine reads."""
    return {
        c["ResourceChange"]["LogicalResourceId"]: (
            c["ResourceChange"]["Action"],
            c["ResourceChange"]["ResourceType"],
            c["ResourceChange"].get("Replacement"),
        )
        for c in change_set["Changes"]
    }


def changes(change_set: dict) -> dict[str, dict]:
    return {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"] for c in change_set["Changes"]}


def attribute_users(resources: dict, targets: set[str]) -> set[str]:
    """The resources whose properties use an attribute (Fn::GetAtt, `${Id.Attribute}`) of one of `targets`."""
    found = set()
    for name, definition in resources.items():
        text = json.dumps(definition.get("Properties") or {})
        if name not in targets and any(f'"Fn::GetAtt": ["{t}"' in text or "${" + t + "." in text for t in targets):
            found.add(name)
    return found


def detail(name: str | None, recreation: str, evaluation: str, source: str, cause: str | None = None, attribute: str = "Properties") -> dict:
    target = {"Attribute": attribute, "RequiresRecreation": recreation}
    if name is not None:
        target["Name"] = name
    found = {"Target": target, "Evaluation": evaluation, "ChangeSource": source}
    if cause is not None:
        found["CausingEntity"] = cause
    return found


class ReleaseChangeSetTest(EcsEc2TestCase):
    """Scenario 5's release: only ImageTag changes, the template is the same."""

    def deploy_blue_green(self, variant: str) -> str:
        self.deploy("BlueGreenRepository", snapshot_template(f"templates__{variant}__BlueGreenRepository.snap"))
        body = snapshot_template(f"templates__{variant}__BlueGreen.snap")
        stack = self.deploy("BlueGreen", body, {"ImageTag": "1.0.0"})
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE", stack.get("StackStatusReason"))
        return body

    def test_ecs_release_lists_the_task_definition_and_the_service(self) -> None:
        body = self.deploy_blue_green("stacks")
        before = self.resources("BlueGreen")
        change_set = self.create_change_set("BlueGreen", body, {"ImageTag": "2.0.0"})
        self.assertEqual(change_set["Status"], "CREATE_COMPLETE", change_set.get("StatusReason"))
        # The task definition is replaced (ContainerDefinitions is create-only); the service
        # referring to it is updated in place; a resource using an attribute of either (the
        # release policy names the service by GetAtt Name) may see it change: Dynamic.
        resources = json.loads(body)["Resources"]
        followers = attribute_users(resources, {TASK, SERVICE})
        listed = summary(change_set)
        self.assertEqual(
            {k: v for k, v in listed.items() if k not in followers},
            {
                TASK: ("Modify", "AWS::ECS::TaskDefinition", "True"),
                SERVICE: ("Modify", "AWS::ECS::Service", "False"),
            },
        )
        self.assertEqual(set(listed), {TASK, SERVICE} | followers)
        listed = changes(change_set)
        for name in followers:
            self.assertEqual(listed[name]["Action"], "Modify")
            for found in listed[name]["Details"]:
                self.assertEqual((found["ChangeSource"], found["Evaluation"]), ("ResourceAttribute", "Dynamic"), name)
                self.assertIn(found["CausingEntity"].split(".")[0], {TASK, SERVICE})
        if "ReleaseRoleDefaultPolicy35FC12D9" in followers:
            self.assertEqual(listed["ReleaseRoleDefaultPolicy35FC12D9"]["Replacement"], "False")
        self.assertEqual(listed[TASK]["PhysicalResourceId"], before[TASK])
        self.assertEqual(listed[TASK]["Scope"], ["Properties"])
        self.assertEqual(
            listed[TASK]["Details"],
            [
                detail("ContainerDefinitions", "Always", "Dynamic", "DirectModification"),
                detail("ContainerDefinitions", "Always", "Static", "ParameterReference", "ImageTag"),
            ],
        )
        self.assertEqual(listed[SERVICE]["PhysicalResourceId"], before[SERVICE])
        self.assertEqual(listed[SERVICE]["Scope"], ["Properties"])
        self.assertEqual(
            listed[SERVICE]["Details"], [detail("TaskDefinition", "Never", "Static", "ResourceReference", TASK)]
        )

        # Executing it does what it said: a new revision, the service on it, nothing else replaced.
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        after = self.resources("BlueGreen")
        self.assertEqual({k for k in after if after[k] != before[k]}, {TASK})
        self.assertEqual(after[TASK].rsplit(":", 1)[1], "2")
        self.assertEqual(self.service("BlueGreen", SERVICE)["taskDefinition"], after[TASK])

        # The same tag again: no changes.
        self.assert_no_changes("BlueGreen", body, {"ImageTag": "2.0.0"})

    def test_codedeploy_release_lists_the_task_definition_only(self) -> None:
        """The CODE_DEPLOY service names its task definition by family: no reference, not listed."""
        body = self.deploy_blue_green("stacks-prod")
        change_set = self.create_change_set("BlueGreen", body, {"ImageTag": "2.0.0"})
        self.assertEqual(summary(change_set), {TASK: ("Modify", "AWS::ECS::TaskDefinition", "True")})
        self.assertEqual(json.loads(body)["Resources"][SERVICE]["Properties"]["TaskDefinition"], "blue-green-web")


def topic_stack(retention: int = 3600, extra: dict | None = None) -> dict:
    """A topic named by a parameter (TopicName is create-only), an SSM parameter holding its
    ARN (Ref), one holding the queue's ARN (GetAtt), one using the parameter through Fn::Sub."""
    resources = {
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Name"}}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": retention}},
        "TopicParam": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": "/app/topic", "Type": "String", "Value": {"Ref": "Topic"}},
        },
        "QueueParam": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": "/app/queue", "Type": "String", "Value": {"Fn::GetAtt": ["Queue", "Arn"]}},
        },
        "Release": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": "/app/release", "Type": "String", "Value": {"Fn::Sub": "release-${Name}"}},
        },
        **(extra or {}),
    }
    return template(
        resources, {"Topic": {"Ref": "Topic"}}, {"Name": {"Type": "String", "Default": "first"}}
    )


class ChangeSetChangesTest(EmulatorTestCase):
    def ssm(self, name: str) -> str:
        return self.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]

    def test_parameter_only_change_lists_users_and_followers(self) -> None:
        self.deploy("app", topic_stack())
        change_set = self.create_change_set("app", topic_stack(), {"Name": "second"})
        self.assertEqual(change_set["Status"], "CREATE_COMPLETE", change_set.get("StatusReason"))
        self.assertEqual(
            summary(change_set),
            {
                "Topic": ("Modify", "AWS::SNS::Topic", "True"),
                "TopicParam": ("Modify", "AWS::SSM::Parameter", "False"),
                "Release": ("Modify", "AWS::SSM::Parameter", "False"),
            },
        )
        listed = changes(change_set)
        self.assertEqual(
            listed["Release"]["Details"],
            [
                detail("Value", "Never", "Dynamic", "DirectModification"),
                detail("Value", "Never", "Static", "ParameterReference", "Name"),
            ],
        )
        self.assertEqual(listed["TopicParam"]["Details"], [detail("Value", "Never", "Static", "ResourceReference", "Topic")])
        self.assertEqual(listed["Topic"]["PhysicalResourceId"], f"arn:aws:sns:{REGION}:123456789012:first")

        # Executed, each listed resource is updated, the one using Fn::Sub too (plain moto: only Ref).
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        topic = f"arn:aws:sns:{REGION}:123456789012:second"
        self.assertEqual(self.outputs("app")["Topic"], topic)
        self.assertEqual(self.ssm("/app/topic"), topic)
        self.assertEqual(self.ssm("/app/release"), "release-second")

    def test_template_and_parameter_changes_are_listed_together(self) -> None:
        self.deploy("app", topic_stack(extra={"Old": {"Type": "AWS::SNS::Topic"}}))
        new = topic_stack(7200, {"New": {"Type": "AWS::SQS::Queue"}})
        new["Resources"]["Queue"]["Properties"]["Tags"] = [{"Key": "team", "Value": "web"}]
        change_set = self.create_change_set("app", new, {"Name": "second"})
        self.assertEqual(
            summary(change_set),
            {
                "New": ("Add", "AWS::SQS::Queue", None),
                "Topic": ("Modify", "AWS::SNS::Topic", "True"),
                "Queue": ("Modify", "AWS::SQS::Queue", "False"),
                "TopicParam": ("Modify", "AWS::SSM::Parameter", "False"),
                "QueueParam": ("Modify", "AWS::SSM::Parameter", "False"),
                "Release": ("Modify", "AWS::SSM::Parameter", "False"),
                "Old": ("Remove", "AWS::SNS::Topic", None),
            },
        )
        self.assertEqual([c["ResourceChange"]["Action"] for c in change_set["Changes"]][0], "Add")
        listed = changes(change_set)
        self.assertEqual(listed["Queue"]["Scope"], ["Properties", "Tags"])
        self.assertEqual(
            listed["Queue"]["Details"],
            [
                detail("MessageRetentionPeriod", "Never", "Static", "DirectModification"),
                detail(None, "Never", "Static", "DirectModification", attribute="Tags"),
            ],
        )
        # An attribute of a resource modified in place may change: Dynamic.
        self.assertEqual(
            listed["QueueParam"]["Details"], [detail("Value", "Never", "Dynamic", "ResourceAttribute", "Queue.Arn")]
        )
        self.assertNotIn("PhysicalResourceId", listed["New"])
        self.assertTrue(listed["Old"]["PhysicalResourceId"].startswith(f"arn:aws:sns:{REGION}:123456789012:app-Old-"))

        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(self.cfn.describe_stacks(StackName="app")["Stacks"][0]["StackStatus"], "UPDATE_COMPLETE")
        self.assertEqual(self.ssm("/app/topic"), f"arn:aws:sns:{REGION}:123456789012:second")

    def test_replacement_follows_references_into_create_only_properties(self) -> None:
        """A Ref to a replaced resource in a create-only property replaces the referrer too
        (Static: True); an attribute of a resource modified in place there may (Conditional)."""

        def body(name: str, retention: int) -> dict:
            return template(
                {
                    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name}},
                    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": retention}},
                    "ByTopic": {
                        "Type": "AWS::SSM::Parameter",
                        "Properties": {"Name": {"Fn::Sub": "/topics/${Topic.TopicName}-${Topic}"}, "Type": "String", "Value": "x"},
                    },
                    "ByTopicRef": {
                        "Type": "AWS::SSM::Parameter",
                        "Properties": {"Name": {"Fn::Join": ["", ["/ref/", {"Fn::Select": [5, {"Fn::Split": [":", {"Ref": "Topic"}]}]}]]}, "Type": "String", "Value": "x"},
                    },
                    "ByQueue": {
                        "Type": "AWS::SSM::Parameter",
                        "Properties": {"Name": {"Fn::Sub": "/queues/${Queue.QueueName}"}, "Type": "String", "Value": "x"},
                    },
                    "Follower": {
                        "Type": "AWS::SSM::Parameter",
                        "Properties": {"Name": "/follower", "Type": "String", "Value": {"Ref": "ByTopicRef"}},
                    },
                }
            )

        self.deploy("app", body("first", 3600))
        change_set = self.create_change_set("app", body("second", 7200))
        self.assertEqual(
            summary(change_set),
            {
                "Topic": ("Modify", "AWS::SNS::Topic", "True"),
                "Queue": ("Modify", "AWS::SQS::Queue", "False"),
                "ByTopic": ("Modify", "AWS::SSM::Parameter", "True"),
                "ByTopicRef": ("Modify", "AWS::SSM::Parameter", "True"),
                "ByQueue": ("Modify", "AWS::SSM::Parameter", "Conditional"),
                "Follower": ("Modify", "AWS::SSM::Parameter", "False"),
            },
        )
        listed = changes(change_set)
        self.assertEqual(
            listed["ByTopic"]["Details"],
            [
                detail("Name", "Always", "Dynamic", "ResourceAttribute", "Topic.TopicName"),
                detail("Name", "Always", "Static", "ResourceReference", "Topic"),
            ],
        )
        self.assertEqual(listed["ByQueue"]["Details"], [detail("Name", "Always", "Dynamic", "ResourceAttribute", "Queue.QueueName")])
        self.assertEqual(listed["Follower"]["Details"], [detail("Value", "Never", "Static", "ResourceReference", "ByTopicRef")])

    def test_a_parameter_used_through_a_condition(self) -> None:
        """An Fn::If whose condition tests the parameter: listed and updated (plain moto sees
        only a Ref written in the resource)."""
        body = template(
            {
                "Mode": {
                    "Type": "AWS::SSM::Parameter",
                    "Properties": {"Name": "/app/mode", "Type": "String", "Value": {"Fn::If": ["IsProd", "strict", "relaxed"]}},
                },
                "Other": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/app/other", "Type": "String", "Value": "x"}},
            },
            parameters={"Env": {"Type": "String", "Default": "dev"}},
        )
        body["Conditions"] = {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
        self.deploy("app", body)
        change_set = self.create_change_set("app", body, {"Env": "prod"})
        self.assertEqual(summary(change_set), {"Mode": ("Modify", "AWS::SSM::Parameter", "False")})
        self.assertEqual(changes(change_set)["Mode"]["Details"][1], detail("Value", "Never", "Static", "ParameterReference", "Env"))
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(self.ssm("/app/mode"), "strict")

    def test_same_values_still_make_no_change_set(self) -> None:
        """The existing answers for an identical update stay; the same template written
        differently with a Default now passed explicitly is no change either (plain moto: an
        empty change set that succeeds, as the text and the values passed differ)."""
        self.deploy("app", topic_stack())
        self.assert_no_changes("app", topic_stack())
        self.assert_no_changes("app", topic_stack(), {"Name": "first"})
        change_set = self.create_change_set("app", json.dumps(topic_stack(), indent=2), {"Name": "first"})
        self.assertEqual(change_set["Status"], "FAILED")
        self.assertEqual(
            change_set["StatusReason"],
            "The submitted information didn't contain changes. Submit different information to create a change set.",
        )
        self.assertEqual(change_set["Changes"], [])
        self.deploy("app", topic_stack(), {"Name": "second"})
        self.assert_no_changes("app", topic_stack(), {"Name": "second"})
        # UsePreviousValue, as the deploy engine passes the parameters it does not set.
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.create_change_set(
                StackName="app",
                ChangeSetName="previous",
                ChangeSetType="UPDATE",
                TemplateBody=json.dumps(topic_stack()),
                Parameters=[{"ParameterKey": "Name", "UsePreviousValue": True}],
            )
        self.assertEqual(caught.exception.response["Error"]["Message"], "No updates are to be performed.")

    def test_a_parameter_nothing_uses_changes_no_resource(self) -> None:
        """A new value of a parameter only an output uses: a change set without resource changes."""
        body = template(
            {"Queue": {"Type": "AWS::SQS::Queue"}},
            {"Label": {"Ref": "Label"}},
            {"Label": {"Type": "String", "Default": "a"}},
        )
        self.deploy("app", body)
        change_set = self.create_change_set("app", body, {"Label": "b"})
        self.assertEqual((change_set["Status"], change_set["Changes"]), ("CREATE_COMPLETE", []))
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(self.outputs("app")["Label"], "b")


if __name__ == "__main__":
    unittest.main()
