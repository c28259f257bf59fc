"""patches/codedeploy_blue_green.py and models/ecs_task_set.py (with patches/replacement_cleanup.py,
patches/elbv2_forward_config.py and the EXTERNAL service of patches/ecs_service.py): ECS blue/green
deployments through CodeDeploy run by CloudFormation, with the `AWS::CodeDeployBlueGreen` transform
and its `AWS::CodeDeploy::BlueGreen` hook."""

from __future__ import annotations

import copy
import json
import unittest

import yaml

from tests._harness import ACCOUNT, REGION, vpc_resources
from tests.test_ecs_ec2 import EcsEc2TestCase

HOOK = "CodeDeployBlueGreenHook"
FAILED = "Transform AWS::CodeDeployBlueGreen failed with: "
IMAGE = "public.ecr.aws/nginx/nginx"


def blue_green_template(transform: bool = True, primary: bool = True) -> dict:
    """AWS's ECS blue/green template in short: an ALB with production and test listeners and
    blue and green target groups, a Fargate task definition whose image tag is a parameter, a
    service with the EXTERNAL deployment controller, its task set and primary task set, and the
    hook naming them."""
    resources = {
        **vpc_resources(),
        "Alb": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {"Subnets": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}], "SecurityGroups": [{"Ref": "Sg"}]},
        },
        "Blue": {
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {"Port": 80, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}, "TargetType": "ip"},
        },
        "Green": {
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {"Port": 80, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}, "TargetType": "ip"},
        },
        # The production listener in the form of AWS's example (ForwardConfig, weighted).
        "AlbHttp": {
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "LoadBalancerArn": {"Ref": "Alb"},
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [
                    {"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": "Blue"}, "Weight": 1}]}}
                ],
            },
        },
        "AlbTest": {
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "LoadBalancerArn": {"Ref": "Alb"},
                "Port": 8080,
                "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Blue"}}],
            },
        },
        "Cluster": {"Type": "AWS::ECS::Cluster"},
        "WebTaskDef": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "Family": "web",
                "Cpu": "256",
                "Memory": "512",
                "NetworkMode": "awsvpc",
                "RequiresCompatibilities": ["FARGATE"],
                "ContainerDefinitions": [
                    {
                        "Name": "app",
                        "Image": {"Fn::Sub": IMAGE + ":${ImageTag}"},
                        "PortMappings": [{"ContainerPort": 80, "Protocol": "tcp"}],
                    }
                ],
            },
        },
        "WebService": {
            "Type": "AWS::ECS::Service",
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "DesiredCount": 2,
                "DeploymentController": {"Type": "EXTERNAL"},
                "SchedulingStrategy": "REPLICA",
                "PropagateTags": "SERVICE",
                "EnableECSManagedTags": True,
                "HealthCheckGracePeriodSeconds": 60,
                "Tags": [{"Key": "Environment", "Value": "test"}],
            },
        },
        "WebTaskSet": {
            "Type": "AWS::ECS::TaskSet",
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "Service": {"Ref": "WebService"},
                "TaskDefinition": {"Ref": "WebTaskDef"},
                "LaunchType": "FARGATE",
                "PlatformVersion": "1.4.0",
                "Scale": {"Unit": "PERCENT", "Value": 100},
                "NetworkConfiguration": {
                    "AwsVpcConfiguration": {
                        "AssignPublicIp": "DISABLED",
                        "SecurityGroups": [{"Ref": "Sg"}],
                        "Subnets": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}],
                    }
                },
                "LoadBalancers": [{"ContainerName": "app", "ContainerPort": 80, "TargetGroupArn": {"Ref": "Blue"}}],
            },
        },
    }
    if primary:
        resources["WebPrimaryTaskSet"] = {
            "Type": "AWS::ECS::PrimaryTaskSet",
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "Service": {"Ref": "WebService"},
                "TaskSetId": {"Fn::GetAtt": ["WebTaskSet", "Id"]},
            },
        }
    body: dict = {"AWSTemplateFormatVersion": "2010-09-09"}
    if transform:
        body["Transform"] = ["AWS::CodeDeployBlueGreen"]
    body["Parameters"] = {"ImageTag": {"Type": "String", "Default": "1.27"}}
    body["Hooks"] = {
        HOOK: {
            "Type": "AWS::CodeDeploy::BlueGreen",
            "Properties": {
                "ServiceRole": "blue-green-codedeploy",
                "TrafficRoutingConfig": {"Type": "TimeBasedCanary", "TimeBasedCanary": {"StepPercentage": 25, "BakeTimeMins": 10}},
                "AdditionalOptions": {"TerminationWaitTimeInMinutes": 5},
                "Applications": [
                    {
                        "Target": {"Type": "AWS::ECS::Service", "LogicalID": "WebService"},
                        "ECSAttributes": {
                            "TaskDefinitions": ["WebTaskDef", "WebTaskDefGreen"],
                            "TaskSets": ["WebTaskSet", "WebTaskSetGreen"],
                            "TrafficRouting": {
                                "ProdTrafficRoute": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "LogicalID": "AlbHttp"},
                                "TestTrafficRoute": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "LogicalID": "AlbTest"},
                                "TargetGroups": ["Blue", "Green"],
                            },
                        },
                    }
                ],
            },
        }
    }
    body["Resources"] = resources
    return body


class BlueGreenTestCase(EcsEc2TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ecs = self.client("ecs")

    def task_sets(self, stack: str, *ids: str) -> list[dict]:
        service = self.resources(stack)["WebService"]
        return self.ecs.describe_task_sets(cluster=service.split("/")[1], service=service, taskSets=list(ids), include=["TAGS"])[
            "taskSets"
        ]

    def changes(self, change_set: dict) -> list[tuple[str, str, str | None]]:
        return [
            (c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"], c["ResourceChange"].get("Replacement"))
            for c in change_set["Changes"]
        ]

    def hook_events(self, stack: str) -> list[dict]:
        return [e for e in reversed(self.events(stack)) if e["LogicalResourceId"] == HOOK]

    def refused(self, stack: str, body: dict | str) -> str:
        """CreateChangeSet answers a ValidationError; its message."""
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.create_change_set(stack, body, {"ImageTag": "1.27"})
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationError")
        return caught.exception.response["Error"]["Message"]


class GreenDeploymentTest(BlueGreenTestCase):
    def test_create_then_a_new_image_is_a_green_deployment(self) -> None:
        stack = self.deploy("bg", blue_green_template(), {"ImageTag": "1.27"})
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        resources = self.resources("bg")
        service_arn, cluster = resources["WebService"], resources["Cluster"]
        # Ref: the primary identifiers joined with "|" (Cluster, Service, Id; Cluster, Service).
        self.assertRegex(resources["WebTaskSet"], rf"^{cluster}\|{service_arn}\|ecs-svc/\d+$")
        self.assertEqual(resources["WebPrimaryTaskSet"], f"{cluster}|{service_arn}")
        self.assertNotIn(HOOK, resources)  # a hook is no resource
        self.assertEqual(self.hook_events("bg"), [])  # nor does a creation run it

        [blue] = self.task_sets("bg")
        td1 = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1"
        self.assertEqual(blue["status"], "PRIMARY")
        self.assertEqual(blue["taskDefinition"], td1)
        self.assertEqual(blue["launchType"], "FARGATE")
        self.assertEqual(blue["platformVersion"], "1.4.0")
        self.assertEqual(blue["scale"], {"value": 100.0, "unit": "PERCENT"})
        self.assertEqual(blue["computedDesiredCount"], 2)
        self.assertEqual(blue["networkConfiguration"]["awsvpcConfiguration"]["subnets"], [resources["SubnetA"], resources["SubnetB"]])
        self.assertEqual(blue["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"], [resources["Sg"]])
        self.assertEqual(
            blue["loadBalancers"], [{"targetGroupArn": resources["Blue"], "containerName": "app", "containerPort": 80}]
        )
        self.assertEqual(resources["WebTaskSet"].rsplit("|", 1)[1], blue["id"])

        # The service has no launch type of its own; it shows its primary task set's revision and load balancers.
        service = self.service("bg", "WebService")
        self.assertEqual(service["deploymentController"], {"type": "EXTERNAL"})
        self.assertNotIn("launchType", service)
        self.assertEqual(service["taskDefinition"], td1)
        self.assertEqual(service["loadBalancers"], blue["loadBalancers"])
        self.assertEqual([t["id"] for t in service["taskSets"]], [blue["id"]])

        listener = self.client("elbv2").describe_listeners(ListenerArns=[resources["AlbHttp"]])["Listeners"][0]
        self.assertEqual(
            listener["DefaultActions"][0]["ForwardConfig"]["TargetGroups"], [{"TargetGroupArn": resources["Blue"], "Weight": 1}]
        )

        # The stack keeps the template as submitted, Transform and Hooks included.
        kept = self.cfn.get_template(StackName="bg", TemplateStage="Original")["TemplateBody"]
        self.assertEqual(json.loads(json.dumps(kept)), blue_green_template())
        summary = self.cfn.get_template_summary(StackName="bg")
        self.assertEqual(summary["DeclaredTransforms"], ["AWS::CodeDeployBlueGreen"])
        self.assert_no_changes("bg", blue_green_template(), {"ImageTag": "1.27"})

        # A new image: the task definition is replaced, and with it the task set; the primary task set follows.
        change_set = self.create_change_set("bg", blue_green_template(), {"ImageTag": "1.28"})
        self.assertEqual(change_set["Status"], "CREATE_COMPLETE", change_set.get("StatusReason"))
        self.assertEqual(
            self.changes(change_set),
            [("Modify", "WebTaskDef", "True"), ("Modify", "WebTaskSet", "True"), ("Modify", "WebPrimaryTaskSet", "False")],
        )
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        self.assertEqual(self.cfn.describe_stacks(StackName="bg")["Stacks"][0]["StackStatus"], "UPDATE_COMPLETE")

        td2 = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:2"
        revision = self.ecs.describe_task_definition(taskDefinition=td2)["taskDefinition"]
        self.assertEqual(revision["containerDefinitions"][0]["image"], f"{IMAGE}:1.28")
        self.assertEqual(self.ecs.describe_task_definition(taskDefinition=td1)["taskDefinition"]["status"], "INACTIVE")
        [green] = self.task_sets("bg")
        self.assertNotEqual(green["id"], blue["id"])
        self.assertEqual((green["status"], green["taskDefinition"]), ("PRIMARY", td2))
        self.assertEqual(self.task_sets("bg", blue["id"]), [])  # the blue task set is gone
        service = self.service("bg", "WebService")
        self.assertEqual(service["taskDefinition"], td2)
        self.assertEqual([t["id"] for t in service["taskSets"]], [green["id"]])
        after = self.resources("bg")
        self.assertEqual(after["WebTaskSet"].rsplit("|", 1)[1], green["id"])
        self.assertEqual(after["WebService"], service_arn)

        # The stack events show the hook running the deployment.
        events = self.hook_events("bg")
        self.assertEqual([e["ResourceStatus"] for e in events], ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"])
        self.assertEqual({e["ResourceType"] for e in events}, {"AWS::CodeDeploy::BlueGreen"})
        self.assertEqual(
            events[0]["ResourceStatusReason"],
            "Blue/green deployment of WebService started (WebTaskDef, WebTaskSet replaced; "
            "traffic routing TimeBasedCanary: 25%, the rest after 10 minutes)",
        )
        self.assertEqual(
            events[1]["ResourceStatusReason"],
            f"Blue/green deployment of WebService complete: task set {green['id']} (task definition {td2}) is primary; "
            f"task set {blue['id']} deleted",
        )
        self.assert_no_changes("bg", blue_green_template(), {"ImageTag": "1.28"})

    def test_without_a_primary_task_set_resource_the_hook_makes_the_green_set_primary(self) -> None:
        self.deploy("bg", blue_green_template(primary=False), {"ImageTag": "1.27"})
        [blue] = self.task_sets("bg")
        self.assertEqual(blue["status"], "ACTIVE")
        self.deploy("bg", blue_green_template(primary=False), {"ImageTag": "1.28"})
        [green] = self.task_sets("bg")
        self.assertEqual(green["status"], "PRIMARY")
        self.assertEqual(self.service("bg", "WebService")["taskDefinition"], green["taskDefinition"])

    def test_a_yaml_template_with_the_transform_as_a_string(self) -> None:
        body = blue_green_template()
        body["Transform"] = "AWS::CodeDeployBlueGreen"
        text = yaml.safe_dump(body, sort_keys=False)
        self.deploy("bg", text, {"ImageTag": "1.27"})
        self.assert_no_changes("bg", text, {"ImageTag": "1.27"})
        [blue] = self.task_sets("bg")
        self.deploy("bg", text, {"ImageTag": "1.28"})
        [green] = self.task_sets("bg")
        self.assertNotEqual(green["id"], blue["id"])
        self.assertEqual([e["ResourceStatus"] for e in self.hook_events("bg")], ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"])

    def test_scale_and_tags_update_in_place(self) -> None:
        self.deploy("bg", blue_green_template(), {"ImageTag": "1.27"})
        [before] = self.task_sets("bg")
        body = blue_green_template()
        body["Resources"]["WebTaskSet"]["Properties"]["Scale"]["Value"] = 50
        body["Resources"]["WebTaskSet"]["Properties"]["Tags"] = [{"Key": "Color", "Value": "blue"}]
        change_set = self.create_change_set("bg", body, {"ImageTag": "1.27"})
        # The primary task set uses an attribute of the modified task set: listed, Dynamic (patches/change_set_changes.py).
        self.assertEqual(self.changes(change_set), [("Modify", "WebTaskSet", "False"), ("Modify", "WebPrimaryTaskSet", "False")])
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        [after] = self.task_sets("bg")
        self.assertEqual(after["id"], before["id"])
        self.assertEqual((after["scale"], after["computedDesiredCount"]), ({"value": 50.0, "unit": "PERCENT"}, 1))
        self.assertEqual(after["tags"], [{"key": "Color", "value": "blue"}])
        self.assertEqual(self.hook_events("bg"), [])  # no green deployment

    def test_delete_stack(self) -> None:
        self.deploy("bg", blue_green_template(), {"ImageTag": "1.27"})
        service_arn = self.resources("bg")["WebService"]
        self.cfn.delete_stack(StackName="bg")
        with self.assertRaises(self.cfn.exceptions.ClientError):
            self.cfn.describe_stacks(StackName="bg")
        services = self.ecs.describe_services(cluster=service_arn.split("/")[1], services=[service_arn])["services"]
        self.assertEqual([s["status"] for s in services], ["INACTIVE"])
        self.assertEqual(services[0]["taskSets"], [])


class HookRulesTest(BlueGreenTestCase):
    def test_a_green_deployment_cannot_come_with_other_changes(self) -> None:
        self.deploy("bg", blue_green_template(), {"ImageTag": "1.27"})
        [blue] = self.task_sets("bg")
        body = blue_green_template()
        body["Resources"]["WebService"]["Properties"]["DesiredCount"] = 3
        body["Resources"]["Queue"] = {"Type": "AWS::SQS::Queue"}
        change_set = self.create_change_set("bg", body, {"ImageTag": "1.28"})
        self.assertEqual(change_set["Status"], "FAILED")
        self.assertEqual(change_set["ExecutionStatus"], "UNAVAILABLE")
        self.assertEqual(
            change_set["StatusReason"],
            FAILED + "The blue/green deployment (WebTaskDef, WebTaskSet replaced) cannot be combined with updates to "
            "other resources in the same stack update: Queue (Add), WebService (Modify). "
            "Update them in a separate stack update.",
        )
        self.assertEqual(self.task_sets("bg"), [blue])
        self.assertEqual(self.cfn.describe_stacks(StackName="bg")["Stacks"][0]["StackStatus"], "CREATE_COMPLETE")

        # One after the other: the other changes (an ordinary update), then the image (a green deployment).
        self.deploy("bg", body, {"ImageTag": "1.27"})
        self.assertEqual(self.service("bg", "WebService")["desiredCount"], 3)
        self.assertEqual(self.task_sets("bg")[0]["id"], blue["id"])
        self.assertEqual(self.hook_events("bg"), [])
        self.deploy("bg", body, {"ImageTag": "1.28"})
        [green] = self.task_sets("bg")
        self.assertNotEqual(green["id"], blue["id"])
        self.assertEqual(green["computedDesiredCount"], 3)

    def test_refused_template_elements(self) -> None:
        rule = "is not supported in a template with the AWS::CodeDeploy::BlueGreen hook"
        cases: dict[str, tuple[dict, str]] = {}

        body = blue_green_template()
        body["Outputs"] = {"Url": {"Value": {"Fn::GetAtt": ["Alb", "DNSName"]}}}
        cases["Outputs"] = (body, f"Declaring Outputs {rule} (Outputs: Url).")

        body = blue_green_template()
        body["Resources"]["Cluster"]["Properties"] = {"ClusterName": {"Fn::ImportValue": "shared-cluster-name"}}
        cases["Fn::ImportValue"] = (body, f"Importing values with Fn::ImportValue {rule} (used in: Cluster).")

        body = blue_green_template()
        body["Resources"]["Child"] = {
            "Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "https://s3.amazonaws.com/bucket/child.json"},
        }
        cases["nested stack"] = (body, f"A nested stack (AWS::CloudFormation::Stack) {rule} (resources: Child).")

        body = blue_green_template()
        applications = body["Hooks"][HOOK]["Properties"]["Applications"]
        applications.append(copy.deepcopy(applications[0]))
        cases["two Applications"] = (
            body,
            f"The AWS::CodeDeploy::BlueGreen hook {HOOK} declares 2 Applications; "
            "a blue/green deployment can only target a single ECS service.",
        )

        body = blue_green_template()
        body["Parameters"]["ApiKey"] = {"Type": "String", "NoEcho": True, "Default": "secret"}
        cases["NoEcho"] = (body, f"A parameter with NoEcho {rule} (parameters: ApiKey).")

        body = blue_green_template()
        container = body["Resources"]["WebTaskDef"]["Properties"]["ContainerDefinitions"][0]
        container["Environment"] = [{"Name": "TOKEN", "Value": "{{resolve:ssm:/web/token}}"}]
        cases["dynamic reference"] = (body, f"A dynamic reference ({{{{resolve:...}}}}) {rule} (used in: WebTaskDef).")

        body = blue_green_template()
        del body["Hooks"][HOOK]["Properties"]["Applications"][0]["ECSAttributes"]["TaskSets"]
        cases["malformed hook"] = (
            body,
            'Failed to transform template. Failed to parse the "Hooks" section for the provided template. '
            "Please ensure the AWS::CodeDeploy::BlueGreen Hook matches the expected schema.",
        )

        body = blue_green_template()
        body["Hooks"][HOOK]["Properties"]["Applications"][0]["ECSAttributes"]["TaskDefinitions"][0] = "Missing"
        cases["unknown blue task definition"] = (
            body,
            f"The AWS::CodeDeploy::BlueGreen hook {HOOK} names Missing as its blue task definition, "
            "but the template has no AWS::ECS::TaskDefinition resource Missing.",
        )

        for name, (body, message) in cases.items():
            with self.subTest(name):
                self.assertEqual(self.refused("refused", body), FAILED + message)
                # No stack was made.
                with self.assertRaises(self.cfn.exceptions.ClientError):
                    self.cfn.describe_stacks(StackName="refused")

        # An update to such a template is refused the same way; the stack is left as it was.
        self.deploy("bg", blue_green_template(), {"ImageTag": "1.27"})
        body, message = cases["Outputs"]
        self.assertEqual(self.refused("bg", body), FAILED + message)
        self.assertEqual(self.cfn.describe_stacks(StackName="bg")["Stacks"][0]["StackStatus"], "CREATE_COMPLETE")
        # Without the hook the same elements are fine.
        del body["Hooks"]
        del body["Transform"]
        self.deploy("plain", body, {"ImageTag": "1.27"})
        self.assertIn("Url", self.outputs("plain"))

    def test_a_hook_without_the_transform(self) -> None:
        """CloudFormation deploys the template, but the hook cannot run the first green deployment
        (a reported answer, for a template missing its Transform)."""
        self.deploy("bg", blue_green_template(transform=False), {"ImageTag": "1.27"})
        change_set = self.create_change_set("bg", blue_green_template(transform=False), {"ImageTag": "1.28"})
        self.assertEqual(change_set["Status"], "FAILED")
        self.assertEqual(
            change_set["StatusReason"],
            f"'{HOOK}' of type AWS::CodeDeploy::BlueGreen failed with message: The TaskDefinition logical Id "
            "[WebTaskDef] is the same between initial and final template, CodeDeploy can't perform BlueGreen "
            "style update properly",
        )

    def test_a_task_set_needs_an_external_service(self) -> None:
        body = blue_green_template(transform=False)
        del body["Hooks"]
        body["Resources"]["WebService"]["Properties"]["DeploymentController"] = {"Type": "ECS"}
        error = self.execute_fails("bg", body, {"ImageTag": "1.27"})
        self.assertEqual(error["Code"], "InvalidParameterException")
        self.assertEqual(
            error["Message"], "Task sets can only be created in a service that uses the EXTERNAL deployment controller."
        )


if __name__ == "__main__":
    unittest.main()
