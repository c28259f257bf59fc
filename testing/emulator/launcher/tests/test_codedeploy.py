"""models/codedeploy.py and patches/codedeploy.py: CodeDeploy applications, deployment
configurations and deployment groups of an ECS service released by CodeDeploy; with
patches/ecs_service.py and ecs_task_definition.py: a CODE_DEPLOY service named by its
task definition family."""

from __future__ import annotations

import copy
import unittest

from tests._harness import ACCOUNT, REGION, template, vpc_resources
from tests.test_ecs_ec2 import EcsEc2TestCase

TAGS = [{"Key": "Environment", "Value": "test"}]


def codedeploy_template(
    canary_percentage: int = 25,
    termination_wait: int = 30,
    alarms_enabled: bool = True,
    controller: str = "CODE_DEPLOY",
    role_service: str = "codedeploy.amazonaws.com",
    config_name: dict | str | None = None,
) -> dict:
    """A Fargate service behind blue and green target groups, production and test
    listeners, released by a CodeDeploy deployment group with a custom canary."""
    resources = {
        **vpc_resources(),
        "Lb": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {"Subnets": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}], "SecurityGroups": [{"Ref": "Sg"}]},
        },
        "Blue": {
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {"Port": 8080, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}, "TargetType": "ip"},
        },
        "Green": {
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {"Port": 8080, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}, "TargetType": "ip"},
        },
        "Prod": {
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "LoadBalancerArn": {"Ref": "Lb"},
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Blue"}}],
            },
        },
        "Test": {
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "LoadBalancerArn": {"Ref": "Lb"},
                "Port": 9000,
                "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Green"}}],
            },
        },
        "Cluster": {"Type": "AWS::ECS::Cluster"},
        "Task": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "Family": "web",
                "ContainerDefinitions": [
                    {"Name": "app", "Image": {"Ref": "Image"}, "PortMappings": [{"ContainerPort": 8080}]}
                ],
                "Cpu": "256",
                "Memory": "512",
                "NetworkMode": "awsvpc",
                "RequiresCompatibilities": ["FARGATE"],
            },
        },
        "Service": {
            "Type": "AWS::ECS::Service",
            "DependsOn": ["Task", "Prod"],
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "DeploymentController": {"Type": controller},
                "DesiredCount": 2,
                "LaunchType": "FARGATE",
                # A family: ECS runs its latest ACTIVE revision; CodeDeploy releases the next ones.
                "TaskDefinition": "web",
                "LoadBalancers": [{"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "Blue"}}],
                "NetworkConfiguration": {
                    "AwsvpcConfiguration": {"Subnets": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}], "SecurityGroups": [{"Ref": "Sg"}]}
                },
            },
        },
        "Alarm": {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "Namespace": "AWS/ApplicationELB",
                "MetricName": "HTTPCode_Target_5XX_Count",
                "Dimensions": [{"Name": "TargetGroup", "Value": {"Fn::GetAtt": ["Green", "TargetGroupFullName"]}}],
                "Statistic": "Sum",
                "Period": 60,
                "EvaluationPeriods": 2,
                "Threshold": 5,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            },
        },
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": role_service}, "Action": "sts:AssumeRole"}],
                },
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"],
            },
        },
        "App": {"Type": "AWS::CodeDeploy::Application", "Properties": {"ComputePlatform": "ECS", "Tags": TAGS}},
        "Config": {
            "Type": "AWS::CodeDeploy::DeploymentConfig",
            "Properties": {
                "ComputePlatform": "ECS",
                "TrafficRoutingConfig": {
                    "Type": "TimeBasedCanary",
                    "TimeBasedCanary": {"CanaryPercentage": canary_percentage, "CanaryInterval": 10},
                },
            },
        },
        "Group": {
            "Type": "AWS::CodeDeploy::DeploymentGroup",
            "Properties": {
                "ApplicationName": {"Ref": "App"},
                "DeploymentConfigName": {"Ref": "Config"} if config_name is None else config_name,
                "ServiceRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                "DeploymentStyle": {"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
                "ECSServices": [{"ClusterName": {"Ref": "Cluster"}, "ServiceName": {"Fn::GetAtt": ["Service", "Name"]}}],
                "LoadBalancerInfo": {
                    "TargetGroupPairInfoList": [
                        {
                            "TargetGroups": [
                                {"Name": {"Fn::GetAtt": ["Blue", "TargetGroupName"]}},
                                {"Name": {"Fn::GetAtt": ["Green", "TargetGroupName"]}},
                            ],
                            "ProdTrafficRoute": {"ListenerArns": [{"Ref": "Prod"}]},
                            "TestTrafficRoute": {"ListenerArns": [{"Ref": "Test"}]},
                        }
                    ]
                },
                "BlueGreenDeploymentConfiguration": {
                    "DeploymentReadyOption": {"ActionOnTimeout": "CONTINUE_DEPLOYMENT", "WaitTimeInMinutes": 0},
                    "TerminateBlueInstancesOnDeploymentSuccess": {
                        "Action": "TERMINATE",
                        "TerminationWaitTimeInMinutes": termination_wait,
                    },
                },
                "AlarmConfiguration": {"Enabled": alarms_enabled, "Alarms": [{"Name": {"Ref": "Alarm"}}]},
                "AutoRollbackConfiguration": {"Enabled": True, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
                "Tags": TAGS,
            },
        },
    }
    if config_name == "":
        del resources["Group"]["Properties"]["DeploymentConfigName"]
    outputs = {
        "App": {"Ref": "App"},
        "Config": {"Ref": "Config"},
        "Group": {"Ref": "Group"},
        "Service": {"Ref": "Service"},
        "Cluster": {"Ref": "Cluster"},
        "Task": {"Ref": "Task"},
    }
    return template(resources, outputs, {"Image": {"Type": "String", "Default": "public.ecr.aws/nginx/nginx:1.27"}})


class CodeDeployTest(EcsEc2TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.codedeploy = self.client("codedeploy")

    def group(self, out: dict) -> dict:
        return self.codedeploy.get_deployment_group(applicationName=out["App"], deploymentGroupName=out["Group"])[
            "deploymentGroupInfo"
        ]

    def test_application_configuration_and_group(self) -> None:
        stack = self.deploy("cd", codedeploy_template())
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        out = self.outputs("cd")
        self.assertRegex(out["App"], r"^cd-App-[A-Z0-9]{12}$")
        self.assertRegex(out["Config"], r"^cd-Config-[A-Z0-9]{12}$")
        self.assertRegex(out["Group"], r"^cd-Group-[A-Z0-9]{12}$")

        application = self.codedeploy.get_application(applicationName=out["App"])["application"]
        self.assertEqual(application["computePlatform"], "ECS")
        app_arn = f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:application:{out['App']}"
        self.assertEqual(self.codedeploy.list_tags_for_resource(ResourceArn=app_arn)["Tags"], TAGS)

        config = self.codedeploy.get_deployment_config(deploymentConfigName=out["Config"])["deploymentConfigInfo"]
        self.assertEqual(config["computePlatform"], "ECS")
        self.assertEqual(
            config["trafficRoutingConfig"],
            {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 25, "canaryInterval": 10}},
        )

        group = self.group(out)
        self.assertEqual(group["deploymentConfigName"], out["Config"])
        self.assertEqual(group["computePlatform"], "ECS")
        self.assertEqual(group["ecsServices"], [{"clusterName": out["Cluster"], "serviceName": out["Service"].rsplit("/", 1)[1]}])
        self.assertEqual(group["deploymentStyle"], {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"})
        pair = group["loadBalancerInfo"]["targetGroupPairInfoList"][0]
        resources = self.resources("cd")
        elbv2 = self.client("elbv2")
        names = [
            elbv2.describe_target_groups(TargetGroupArns=[resources[k]])["TargetGroups"][0]["TargetGroupName"]
            for k in ("Blue", "Green")
        ]
        self.assertEqual([t["name"] for t in pair["targetGroups"]], names)
        self.assertEqual(pair["prodTrafficRoute"]["listenerArns"], [resources["Prod"]])
        self.assertEqual(pair["testTrafficRoute"]["listenerArns"], [resources["Test"]])
        self.assertEqual(
            group["blueGreenDeploymentConfiguration"]["terminateBlueInstancesOnDeploymentSuccess"],
            {"action": "TERMINATE", "terminationWaitTimeInMinutes": 30},
        )
        self.assertEqual(group["alarmConfiguration"], {"enabled": True, "alarms": [{"name": resources["Alarm"]}]})
        self.assertEqual(group["autoRollbackConfiguration"]["events"], ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"])
        group_arn = f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:{out['App']}/{out['Group']}"
        self.assertEqual(self.codedeploy.list_tags_for_resource(ResourceArn=group_arn)["Tags"], TAGS)

        # The service names its task definition by family: ECS runs the family's latest ACTIVE revision.
        service = self.service("cd", "Service")
        self.assertEqual(service["deploymentController"], {"type": "CODE_DEPLOY"})
        self.assertEqual(service["taskDefinition"], f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1")
        self.assert_no_changes("cd", codedeploy_template())

    def test_updates_in_place_and_a_replaced_configuration(self) -> None:
        self.deploy("cd", codedeploy_template())
        before = self.outputs("cd")
        group_id = self.group(before)["deploymentGroupId"]

        self.deploy("cd", codedeploy_template(termination_wait=60, alarms_enabled=False))
        self.assertEqual(self.outputs("cd"), before)
        group = self.group(before)
        self.assertEqual(group["deploymentGroupId"], group_id)
        self.assertEqual(
            group["blueGreenDeploymentConfiguration"]["terminateBlueInstancesOnDeploymentSuccess"]["terminationWaitTimeInMinutes"],
            60,
        )
        self.assertFalse(group["alarmConfiguration"]["enabled"])

        # CodeDeploy cannot change a configuration: a new one, the group moves to it, the old one goes.
        self.deploy("cd", codedeploy_template(canary_percentage=10))
        after = self.outputs("cd")
        self.assertNotEqual(after["Config"], before["Config"])
        self.assertEqual(self.group(after)["deploymentConfigName"], after["Config"])
        self.assertEqual(self.group(after)["deploymentGroupId"], group_id)
        with self.assertRaises(self.codedeploy.exceptions.DeploymentConfigDoesNotExistException):
            self.codedeploy.get_deployment_config(deploymentConfigName=before["Config"])

    def test_a_new_revision_leaves_a_code_deploy_service_alone(self) -> None:
        """The template's Image changes: a new revision of the family, the old one deregistered;
        the service's TaskDefinition (the family) did not change, so CloudFormation does not touch
        it and it keeps its revision until CodeDeploy deploys the new one."""
        self.deploy("cd", codedeploy_template())
        self.deploy("cd", codedeploy_template(), {"Image": "public.ecr.aws/nginx/nginx:1.28"})
        ecs = self.client("ecs")
        out = self.outputs("cd")
        self.assertEqual(out["Task"], f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:2")
        self.assertEqual(self.service("cd", "Service")["taskDefinition"], f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1")
        self.assertEqual(ecs.describe_task_definition(taskDefinition="web:1")["taskDefinition"]["status"], "INACTIVE")
        # The family alone names its latest ACTIVE revision.
        self.assertEqual(ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]["revision"], 2)

    def test_task_definition_of_a_code_deploy_service_is_not_updated(self) -> None:
        self.deploy("cd", codedeploy_template())
        body = codedeploy_template()
        body["Resources"]["Service"]["Properties"]["TaskDefinition"] = {"Ref": "Task"}
        error = self.execute_fails("cd", body)
        self.assertEqual(error["Code"], "InvalidParameterException")
        self.assertEqual(
            error["Message"],
            "Unable to update task definition on services with a CODE_DEPLOY deployment controller. "
            "Use AWS CodeDeploy to trigger a new deployment.",
        )

    def test_group_needs_a_code_deploy_service(self) -> None:
        error = self.execute_fails("cd", codedeploy_template(controller="ECS"))
        self.assertEqual(error["Code"], "InvalidECSServiceException")

    def test_group_needs_a_role_codedeploy_can_assume(self) -> None:
        error = self.execute_fails("cd", codedeploy_template(role_service="ecs-tasks.amazonaws.com"))
        self.assertEqual(error["Code"], "InvalidRoleException")
        self.assertIn("AWS CodeDeploy does not have the permissions required to assume the role", error["Message"])

    def test_predefined_configurations_and_the_ecs_default(self) -> None:
        configs = self.codedeploy.list_deployment_configs()["deploymentConfigsList"]
        self.assertIn("CodeDeployDefault.ECSAllAtOnce", configs)
        self.assertIn("CodeDeployDefault.ECSCanary10Percent5Minutes", configs)
        with self.assertRaises(self.codedeploy.exceptions.InvalidOperationException):
            self.codedeploy.delete_deployment_config(deploymentConfigName="CodeDeployDefault.ECSAllAtOnce")
        # Without DeploymentConfigName an ECS group gets CodeDeployDefault.ECSAllAtOnce.
        self.deploy("cd", codedeploy_template(config_name=""))
        self.assertEqual(self.group(self.outputs("cd"))["deploymentConfigName"], "CodeDeployDefault.ECSAllAtOnce")
        # A configuration of another compute platform is refused.
        error = self.execute_fails("other", codedeploy_template(config_name="CodeDeployDefault.OneAtATime"))
        self.assertEqual(error["Code"], "InvalidDeploymentConfigNameException")

    def test_removed_from_the_stack(self) -> None:
        self.deploy("cd", codedeploy_template())
        out = self.outputs("cd")
        body = copy.deepcopy(codedeploy_template())
        for name in ("App", "Config", "Group"):
            del body["Resources"][name]
            del body["Outputs"][name]
        self.deploy("cd", body)
        self.assertEqual(self.codedeploy.list_applications()["applications"], [])
        self.assertNotIn(out["Config"], self.codedeploy.list_deployment_configs()["deploymentConfigsList"])


class TaskDefinitionFamilyTest(EcsEc2TestCase):
    def test_a_family_names_its_latest_active_revision(self) -> None:
        ecs = self.client("ecs")
        for image in ("nginx:1", "nginx:2"):
            ecs.register_task_definition(family="fam", containerDefinitions=[{"name": "app", "image": image, "memory": 128}])
        self.assertEqual(ecs.describe_task_definition(taskDefinition="fam")["taskDefinition"]["revision"], 2)
        ecs.deregister_task_definition(taskDefinition="fam:2")
        # plain moto answers with revision 2, INACTIVE
        self.assertEqual(ecs.describe_task_definition(taskDefinition="fam")["taskDefinition"]["revision"], 1)
        ecs.deregister_task_definition(taskDefinition="fam:1")
        with self.assertRaises(ecs.exceptions.ClientException):
            ecs.describe_task_definition(taskDefinition="fam")


if __name__ == "__main__":
    unittest.main()
