"""ECS on EC2: capacity providers and their cluster association (models/ecs_capacity.py),
the ECS cluster, task definition and service patches, Auto Scaling groups, key pairs,
Fn::GetAZs, DependsOn in change sets, SSM parameter types; then scenarios 3
(Ec2Cluster) and 4 (JavaWebapp), dev and prod, deployed through change sets."""

from __future__ import annotations

import json
import os
import unittest

from tests._harness import ACCOUNT, REGION, EmulatorTestCase, template, vpc_resources
from tests.test_scenario1 import snapshot_template

AL2_IMAGE_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
AL2023_IMAGE_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
IMAGE_PARAMETER = {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": AL2_IMAGE_PARAMETER}
TAGS = [{"Key": "Environment", "Value": "test"}]


def ecs_ec2_resources(
    protected: bool = True,
    target_capacity: int = 100,
    max_size: str = "2",
    key_name: str | None = None,
    default_weight: int = 1,
    asg_tags: list | None = None,
) -> dict:
    """A VPC, a launch template from the ECS-optimized AMI, an Auto Scaling group,
    a cluster, its capacity provider and their association (as scenario 3 has them)."""
    data: dict = {"ImageId": {"Ref": "ImageId"}, "InstanceType": "t3.medium"}
    if key_name:
        data["KeyName"] = key_name
    return {
        **vpc_resources(),
        "Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": data}},
        "Asg": {
            "Type": "AWS::AutoScaling::AutoScalingGroup",
            "Properties": {
                "LaunchTemplate": {
                    "LaunchTemplateId": {"Ref": "Lt"},
                    "Version": {"Fn::GetAtt": ["Lt", "LatestVersionNumber"]},
                },
                "MinSize": "1",
                "MaxSize": max_size,
                "HealthCheckGracePeriod": 0,
                "NewInstancesProtectedFromScaleIn": protected,
                "VPCZoneIdentifier": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}],
                "Tags": asg_tags or [{"Key": "Environment", "PropagateAtLaunch": True, "Value": "test"}],
            },
        },
        "Cluster": {
            "Type": "AWS::ECS::Cluster",
            "Properties": {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}], "Tags": TAGS},
        },
        "Capacity": {
            "Type": "AWS::ECS::CapacityProvider",
            "Properties": {
                "AutoScalingGroupProvider": {
                    "AutoScalingGroupArn": {"Ref": "Asg"},
                    "ManagedScaling": {"Status": "ENABLED", "TargetCapacity": target_capacity, "InstanceWarmupPeriod": 300},
                    "ManagedTerminationProtection": "ENABLED",
                    "ManagedDraining": "ENABLED",
                },
                "Tags": TAGS,
            },
        },
        "Providers": {
            "Type": "AWS::ECS::ClusterCapacityProviderAssociations",
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "CapacityProviders": ["FARGATE", "FARGATE_SPOT", {"Ref": "Capacity"}],
                "DefaultCapacityProviderStrategy": [{"CapacityProvider": {"Ref": "Capacity"}, "Weight": default_weight, "Base": 0}],
            },
        },
    }


def ecs_ec2_template(**kwargs: object) -> dict:
    return template(
        ecs_ec2_resources(**kwargs),  # type: ignore[arg-type]
        {"Capacity": {"Ref": "Capacity"}, "Providers": {"Ref": "Providers"}, "Cluster": {"Ref": "Cluster"}},
        {"ImageId": IMAGE_PARAMETER},
    )


def task_definition(image: str = "public.ecr.aws/nginx/nginx:1.27", tags: list | None = None, network_mode: str = "bridge") -> dict:
    return {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {
            "ContainerDefinitions": [
                {
                    "Name": "app",
                    "Image": image,
                    "Memory": 512,
                    "MemoryReservation": 256,
                    "PortMappings": [{"ContainerPort": 80, "HostPort": 0, "Protocol": "tcp"}],
                    "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "app", "awslogs-stream-prefix": "App"}},
                    "MountPoints": [{"ContainerPath": "/rootfs", "ReadOnly": True, "SourceVolume": "root"}],
                }
            ],
            "NetworkMode": network_mode,
            "RequiresCompatibilities": ["EC2"],
            "TaskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/task",
            "Volumes": [{"Name": "root", "Host": {"SourcePath": "/"}}],
            "Tags": tags if tags is not None else TAGS,
        },
    }


class EcsEc2TestCase(EmulatorTestCase):
    def resources(self, stack: str) -> dict[str, str]:
        return {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in self.cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
        }

    def execute_fails(self, stack: str, body: dict, parameters: dict | None = None) -> dict:
        """ExecuteChangeSet refuses the change set; the error as the client sees it."""
        change_set = self.create_change_set(stack, body, parameters)
        self.assertEqual(change_set["Status"], "CREATE_COMPLETE", change_set.get("StatusReason"))
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        return caught.exception.response["Error"]

    def service(self, stack: str, logical_id: str) -> dict:
        resources = self.resources(stack)
        arn = resources[logical_id]
        cluster = arn.split("/")[1]
        return self.client("ecs").describe_services(cluster=cluster, services=[arn], include=["TAGS"])["services"][0]


class CapacityProviderTest(EcsEc2TestCase):
    def test_capacity_provider_and_association(self) -> None:
        self.deploy("cap", ecs_ec2_template())
        outputs = self.outputs("cap")
        self.assertRegex(outputs["Capacity"], r"^cap-Capacity-[A-Z0-9]{12}$")
        self.assertEqual(outputs["Providers"], outputs["Cluster"])  # Ref: the cluster

        ecs = self.client("ecs")
        group = self.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"][0]
        provider = ecs.describe_capacity_providers(capacityProviders=[outputs["Capacity"]], include=["TAGS"])["capacityProviders"][0]
        self.assertEqual(provider["status"], "ACTIVE")
        self.assertEqual(provider["capacityProviderArn"], f"arn:aws:ecs:{REGION}:{ACCOUNT}:capacity-provider/{outputs['Capacity']}")
        asg_provider = provider["autoScalingGroupProvider"]
        self.assertEqual(asg_provider["autoScalingGroupArn"], group["AutoScalingGroupARN"])
        self.assertEqual(asg_provider["managedScaling"]["status"], "ENABLED")
        self.assertEqual(asg_provider["managedScaling"]["targetCapacity"], 100)
        self.assertEqual(asg_provider["managedTerminationProtection"], "ENABLED")
        self.assertEqual(asg_provider["managedDraining"], "ENABLED")
        self.assertEqual(provider["tags"], [{"key": "Environment", "value": "test"}])

        cluster = ecs.describe_clusters(clusters=[outputs["Cluster"]])["clusters"][0]
        self.assertEqual(cluster["capacityProviders"], ["FARGATE", "FARGATE_SPOT", outputs["Capacity"]])
        self.assertEqual(
            cluster["defaultCapacityProviderStrategy"], [{"capacityProvider": outputs["Capacity"], "weight": 1, "base": 0}]
        )
        self.assert_no_changes("cap", ecs_ec2_template())

    def test_describe_capacity_providers_lists_all_with_fargate(self) -> None:
        self.deploy("cap", ecs_ec2_template())
        ecs = self.client("ecs")
        names = [p["name"] for p in ecs.describe_capacity_providers()["capacityProviders"]]
        self.assertEqual(names, ["FARGATE", "FARGATE_SPOT", self.outputs("cap")["Capacity"]])
        fargate = ecs.describe_capacity_providers(capacityProviders=["FARGATE_SPOT"])["capacityProviders"]
        self.assertEqual([(p["name"], p["status"]) for p in fargate], [("FARGATE_SPOT", "ACTIVE")])

    def test_updates_in_place(self) -> None:
        self.deploy("cap", ecs_ec2_template())
        before = self.outputs("cap")
        self.deploy("cap", ecs_ec2_template(target_capacity=90, default_weight=2))
        after = self.outputs("cap")
        self.assertEqual(after, before)
        ecs = self.client("ecs")
        provider = ecs.describe_capacity_providers(capacityProviders=[after["Capacity"]])["capacityProviders"][0]
        self.assertEqual(provider["autoScalingGroupProvider"]["managedScaling"]["targetCapacity"], 90)
        cluster = ecs.describe_clusters(clusters=[after["Cluster"]])["clusters"][0]
        self.assertEqual(cluster["defaultCapacityProviderStrategy"][0]["weight"], 2)

    def test_managed_termination_protection_needs_protected_instances(self) -> None:
        error = self.execute_fails("cap", ecs_ec2_template(protected=False))
        self.assertEqual(error["Code"], "ClientException")
        self.assertIn("the Auto Scaling group must have instance protection from scale in enabled", error["Message"])

    def test_names_prefixed_aws_ecs_or_fargate_are_refused(self) -> None:
        """The generated name starts with the stack's: a stack named ecs-... cannot have one."""
        error = self.execute_fails("ecs-cluster", ecs_ec2_template())
        self.assertEqual(error["Code"], "ClientException")
        self.assertIn('cannot be prefixed with "aws", "ecs", or "fargate"', error["Message"])

    def test_default_strategy_must_name_an_associated_provider(self) -> None:
        body = ecs_ec2_template()
        body["Resources"]["Providers"]["Properties"]["CapacityProviders"] = ["FARGATE"]
        error = self.execute_fails("cap", body)
        self.assertIn("not associated with the cluster", error["Message"])

    def test_removing_the_association_and_provider(self) -> None:
        self.deploy("cap", ecs_ec2_template())
        name = self.outputs("cap")["Capacity"]
        body = ecs_ec2_template()
        del body["Resources"]["Providers"], body["Resources"]["Capacity"]
        body["Outputs"] = {"Cluster": {"Value": {"Ref": "Cluster"}}}
        self.deploy("cap", body)
        ecs = self.client("ecs")
        cluster = ecs.describe_clusters(clusters=[self.outputs("cap")["Cluster"]])["clusters"][0]
        self.assertEqual(cluster.get("capacityProviders", []), [])
        self.assertEqual(cluster.get("defaultCapacityProviderStrategy", []), [])
        failures = ecs.describe_capacity_providers(capacityProviders=[name])["failures"]
        self.assertEqual([f["reason"] for f in failures], ["MISSING"])


class ClusterTaskDefinitionServiceTest(EcsEc2TestCase):
    def services_template(self, **service: object) -> dict:
        resources = ecs_ec2_resources()
        resources["Task"] = task_definition()
        resources["Daemon"] = {
            "Type": "AWS::ECS::Service",
            "Properties": {
                "Cluster": {"Ref": "Cluster"},
                "TaskDefinition": {"Ref": "Task"},
                "LaunchType": "EC2",
                "SchedulingStrategy": "DAEMON",
                "Tags": TAGS,
            },
        }
        properties: dict = {
            "Cluster": {"Ref": "Cluster"},
            "TaskDefinition": {"Ref": "Task"},
            "CapacityProviderStrategy": [{"CapacityProvider": {"Ref": "Capacity"}, "Weight": 1, "Base": 0}],
            "DesiredCount": 2,
            "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": True, "Rollback": True}},
            "PlacementStrategies": [{"Type": "spread", "Field": "attribute:ecs.availability-zone"}, {"Type": "binpack", "Field": "MEMORY"}],
            "PlacementConstraints": [{"Type": "memberOf", "Expression": "attribute:ecs.instance-type in [t3.medium]"}],
            "Tags": TAGS,
        }
        properties.update(service)
        properties = {k: v for k, v in properties.items() if v is not None}
        # First in template order, which moto follows: only DependsOn makes it wait.
        resources = {"AaaApp": {"Type": "AWS::ECS::Service", "DependsOn": ["Providers"], "Properties": properties}, **resources}
        return template(
            resources,
            {
                "App": {"Ref": "AaaApp"},
                "AppArn": {"Fn::GetAtt": ["AaaApp", "ServiceArn"]},
                "AppName": {"Fn::GetAtt": ["AaaApp", "Name"]},
                "Task": {"Fn::GetAtt": ["Task", "TaskDefinitionArn"]},
                "Cluster": {"Ref": "Cluster"},
            },
            {"ImageId": IMAGE_PARAMETER},
        )

    def test_cluster_settings_tags_and_update_in_place(self) -> None:
        self.deploy("app", ecs_ec2_template())
        name = self.outputs("app")["Cluster"]
        ecs = self.client("ecs")
        cluster = ecs.describe_clusters(clusters=[name], include=["TAGS", "SETTINGS"])["clusters"][0]
        self.assertEqual(cluster["settings"], [{"name": "containerInsights", "value": "enabled"}])
        self.assertEqual(cluster["tags"], [{"key": "Environment", "value": "test"}])

        body = ecs_ec2_template()
        body["Resources"]["Cluster"]["Properties"]["ClusterSettings"][0]["Value"] = "disabled"
        self.deploy("app", body)
        self.assertEqual(self.outputs("app")["Cluster"], name)  # same cluster, no replacement
        cluster = ecs.describe_clusters(clusters=[name], include=["SETTINGS"])["clusters"][0]
        self.assertEqual(cluster["settings"], [{"name": "containerInsights", "value": "disabled"}])
        self.assertEqual(len(cluster["capacityProviders"]), 3)

    def test_task_definition_properties_and_updates(self) -> None:
        self.deploy("app", self.services_template())
        arn = self.outputs("app")["Task"]
        self.assertEqual(self.resources("app")["Task"], arn)
        self.assertRegex(arn, rf"^arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/app-Task-[A-Z0-9]{{12}}:1$")
        ecs = self.client("ecs")
        described = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
        task = described["taskDefinition"]
        self.assertEqual(task["networkMode"], "bridge")
        self.assertEqual(task["requiresCompatibilities"], ["EC2"])
        self.assertEqual(task["taskRoleArn"], f"arn:aws:iam::{ACCOUNT}:role/task")
        self.assertEqual(task["volumes"], [{"name": "root", "host": {"sourcePath": "/"}}])
        container = task["containerDefinitions"][0]
        self.assertEqual(container["memoryReservation"], 256)
        self.assertEqual(container["mountPoints"], [{"sourceVolume": "root", "containerPath": "/rootfs", "readOnly": True}])
        # Log driver options are data: their keys keep their case.
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-stream-prefix"], "App")
        self.assertEqual(described["tags"], [{"key": "Environment", "value": "test"}])

        # Tags only: in place.
        body = self.services_template()
        body["Resources"]["Task"] = task_definition(tags=[{"Key": "Environment", "Value": "other"}])
        self.deploy("app", body)
        self.assertEqual(self.outputs("app")["Task"], arn)
        # A new image: a new revision of the same family; the old one is deregistered.
        body["Resources"]["Task"] = task_definition(image="public.ecr.aws/nginx/nginx:1.28")
        self.deploy("app", body)
        new_arn = self.outputs("app")["Task"]
        self.assertEqual(new_arn, arn[: -len("1")] + "2")
        self.assertEqual(ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]["status"], "INACTIVE")
        # The services refer to it: they move to the new revision (patches/dependent_updates.py).
        self.assertEqual(self.service("app", "AaaApp")["taskDefinition"], new_arn)
        self.assertEqual(self.service("app", "Daemon")["taskDefinition"], new_arn)

    def test_host_network_mode(self) -> None:
        body = self.services_template()
        body["Resources"]["Task"] = task_definition(network_mode="host")
        self.deploy("app", body)
        task = self.client("ecs").describe_task_definition(taskDefinition=self.outputs("app")["Task"])["taskDefinition"]
        self.assertEqual(task["networkMode"], "host")

    def test_services(self) -> None:
        self.deploy("app", self.services_template())
        outputs = self.outputs("app")
        self.assertEqual(outputs["App"], outputs["AppArn"])
        app = self.service("app", "AaaApp")
        self.assertEqual(outputs["AppName"], app["serviceName"])
        self.assertNotIn("launchType", app)
        capacity = self.resources("app")["Capacity"]
        self.assertEqual(app["capacityProviderStrategy"], [{"capacityProvider": capacity, "weight": 1, "base": 0}])
        self.assertEqual(app["desiredCount"], 2)
        self.assertEqual(app["schedulingStrategy"], "REPLICA")
        self.assertEqual(
            app["placementStrategy"],
            [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "MEMORY"}],
        )
        self.assertEqual(app["placementConstraints"], [{"type": "memberOf", "expression": "attribute:ecs.instance-type in [t3.medium]"}])
        self.assertEqual(
            app["deploymentConfiguration"],
            {"deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 200, "minimumHealthyPercent": 100},
        )
        self.assertEqual(app["tags"], [{"key": "Environment", "value": "test"}])
        self.assertEqual(app["taskDefinition"], outputs["Task"])

        daemon = self.service("app", "Daemon")
        self.assertEqual((daemon["schedulingStrategy"], daemon["launchType"]), ("DAEMON", "EC2"))
        self.assertEqual(daemon["desiredCount"], 0)  # no container instance has registered
        self.assertEqual(daemon["deploymentConfiguration"]["maximumPercent"], 100)
        self.assertEqual(daemon["deploymentConfiguration"]["minimumHealthyPercent"], 0)
        self.assert_no_changes("app", self.services_template())

    def test_service_without_launch_type_or_strategy_uses_the_cluster_default(self) -> None:
        self.deploy("app", self.services_template(CapacityProviderStrategy=None, DesiredCount=None))
        app = self.service("app", "AaaApp")
        self.assertEqual(app["capacityProviderStrategy"][0]["capacityProvider"], self.resources("app")["Capacity"])
        self.assertEqual(app["desiredCount"], 1)  # CloudFormation's default

    def test_launch_type_and_strategy_together_are_refused(self) -> None:
        error = self.execute_fails("app", self.services_template(LaunchType="EC2"))
        self.assertEqual(error["Code"], "InvalidParameterException")
        self.assertIn("Specifying both a launch type and capacity provider strategy is not supported", error["Message"])

    def test_strategy_needs_the_association_first(self) -> None:
        """Without DependsOn the service may be created before the association: ECS refuses it."""
        body = self.services_template()
        del body["Resources"]["AaaApp"]["DependsOn"]
        error = self.execute_fails("app", body)
        self.assertIn("not associated with the cluster", error["Message"])

    def test_service_updates_in_place_and_deletion(self) -> None:
        self.deploy("app", self.services_template())
        arn = self.outputs("app")["App"]
        self.deploy("app", self.services_template(DesiredCount=3, PlacementStrategies=[{"Type": "random"}]))
        self.assertEqual(self.outputs("app")["App"], arn)
        app = self.service("app", "AaaApp")
        self.assertEqual((app["desiredCount"], app["placementStrategy"]), (3, [{"type": "random"}]))
        # Without DesiredCount an update keeps the current count.
        self.deploy("app", self.services_template(DesiredCount=None))
        self.assertEqual(self.service("app", "AaaApp")["desiredCount"], 3)

        body = self.services_template()
        del body["Resources"]["AaaApp"]
        body["Outputs"] = {"Cluster": {"Value": {"Ref": "Cluster"}}}
        self.deploy("app", body)
        cluster = self.outputs("app")["Cluster"]
        gone = self.client("ecs").describe_services(cluster=cluster, services=[arn])["services"][0]
        self.assertEqual(gone["status"], "INACTIVE")


class AutoScalingGroupTest(EcsEc2TestCase):
    def test_grace_period_and_update_in_place(self) -> None:
        self.deploy("asg", ecs_ec2_template())
        autoscaling = self.client("autoscaling")
        group = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"][0]
        self.assertEqual(group["HealthCheckGracePeriod"], 0)
        self.assertTrue(group["NewInstancesProtectedFromScaleIn"])
        self.assertEqual(sorted(group["AvailabilityZones"]), [f"{REGION}a", f"{REGION}b"])
        instances = {i["InstanceId"] for i in group["Instances"]}

        tags = [{"Key": "Environment", "PropagateAtLaunch": True, "Value": "other"}]
        self.deploy("asg", ecs_ec2_template(max_size="4", asg_tags=tags))
        updated = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
        self.assertEqual(len(updated), 1)
        self.assertEqual(updated[0]["AutoScalingGroupARN"], group["AutoScalingGroupARN"])
        self.assertEqual(updated[0]["MaxSize"], 4)
        self.assertEqual({i["InstanceId"] for i in updated[0]["Instances"]}, instances)
        self.assertEqual([(t["Key"], t["Value"]) for t in updated[0]["Tags"]], [("Environment", "other")])
        # The capacity provider still names the same group.
        name = self.outputs("asg")["Capacity"]
        provider = self.client("ecs").describe_capacity_providers(capacityProviders=[name])["capacityProviders"][0]
        self.assertEqual(provider["autoScalingGroupProvider"]["autoScalingGroupArn"], group["AutoScalingGroupARN"])

    def test_group_follows_the_launch_template_version(self) -> None:
        """A new instance type makes a new launch template version; the group, whose own
        definition did not change, moves to it (patches/dependent_updates.py)."""
        self.deploy("asg", ecs_ec2_template())
        body = ecs_ec2_template()
        body["Resources"]["Lt"]["Properties"]["LaunchTemplateData"]["InstanceType"] = "t3.large"
        self.deploy("asg", body)
        group = self.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"][0]
        self.assertEqual(group["LaunchTemplate"]["Version"], "2")

    def test_instances_need_an_existing_key_pair(self) -> None:
        error = self.execute_fails("asg", ecs_ec2_template(key_name="missing"))
        self.assertEqual(error["Code"], "InvalidKeyPair.NotFound")

    def test_key_pair_of_the_account(self) -> None:
        """`--key-pair ops` (given by the harness): the account holds it, in every region."""
        self.deploy("asg", ecs_ec2_template(key_name="ops"))
        ec2 = self.client("ec2")
        self.assertEqual([k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]], ["ops"])
        instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
        self.assertEqual({i["KeyName"] for i in instances}, {"ops"})


class TemplateFeaturesTest(EcsEc2TestCase):
    def test_get_azs_answers_with_the_stack_region(self) -> None:
        zones = [f"{REGION}a", f"{REGION}b", f"{REGION}c"]
        body = template(
            {
                "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
                "Subnet": {
                    "Type": "AWS::EC2::Subnet",
                    "Properties": {
                        "VpcId": {"Ref": "Vpc"},
                        "CidrBlock": "10.0.1.0/24",
                        "AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]},
                    },
                },
            },
            {
                "Empty": {"Fn::Join": [",", {"Fn::GetAZs": ""}]},
                "Region": {"Fn::Join": [",", {"Fn::GetAZs": {"Ref": "AWS::Region"}}]},
                "Named": {"Fn::Join": [",", {"Fn::GetAZs": "us-east-2"}]},
                "Subnet": {"Ref": "Subnet"},
            },
        )
        self.deploy("azs", body)
        outputs = self.outputs("azs")
        self.assertEqual(outputs["Empty"], ",".join(zones))
        self.assertEqual(outputs["Region"], ",".join(zones))
        self.assertEqual(outputs["Named"], "us-east-2a,us-east-2b,us-east-2c")
        subnet = self.client("ec2").describe_subnets(SubnetIds=[outputs["Subnet"]])["Subnets"][0]
        self.assertEqual(subnet["AvailabilityZone"], f"{REGION}b")

    def test_public_ecs_ami_parameters(self) -> None:
        """moto already holds AWS's public ECS-optimized AMI parameters and their AMIs."""
        body = template(
            {
                "Al2": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": {"Ref": "Al2Image"}}}},
                "Al2023": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": {"Ref": "Al2023Image"}}}},
            },
            {"Al2": {"Ref": "Al2"}, "Al2023": {"Ref": "Al2023"}},
            {
                "Al2Image": IMAGE_PARAMETER,
                "Al2023Image": {**IMAGE_PARAMETER, "Default": AL2023_IMAGE_PARAMETER},
                "Secret": {"Type": "String", "NoEcho": True, "Default": "hidden"},
            },
        )
        stack = self.deploy("ami", body)
        ssm, ec2 = self.client("ssm"), self.client("ec2")
        parameters = {p["ParameterKey"]: p for p in stack["Parameters"]}
        for key, name, prefix in (("Al2", AL2_IMAGE_PARAMETER, "amzn2-ami-ecs-hvm-"), ("Al2023", AL2023_IMAGE_PARAMETER, "al2023-ami-ecs-hvm-")):
            image_id = ssm.get_parameter(Name=name)["Parameter"]["Value"]
            self.assertRegex(image_id, r"^ami-[0-9a-f]+$")
            image = ec2.describe_images(ImageIds=[image_id])["Images"][0]
            self.assertTrue(image["Name"].startswith(prefix), image["Name"])
            versions = ec2.describe_launch_template_versions(LaunchTemplateId=self.outputs("ami")[key])["LaunchTemplateVersions"]
            self.assertEqual(versions[0]["LaunchTemplateData"]["ImageId"], image_id)
            # DescribeStacks: the parameter's name, and the value used as ResolvedValue.
            self.assertEqual(parameters[f"{key}Image"]["ParameterValue"], name)
            self.assertEqual(parameters[f"{key}Image"]["ResolvedValue"], image_id)
        self.assertEqual(parameters["Secret"]["ParameterValue"], "****")
        self.assert_no_changes("ami", body)


class ScenariosTest(EcsEc2TestCase):
    """Scenarios 3 (Ec2Cluster) and 4 (JavaWebapp, with its JavaWebappRepository stack
    when the template imports from it), dev and prod, from `snapshots/tests/snapshots/`
    (the synthesizer's current output).  What is checked is read from the template
    deployed."""

    def deploy_scenario(self, stack: str, body: str) -> tuple[dict, dict[str, str]]:
        if "Fn::ImportValue" in body:
            self.deploy("JavaWebappRepository", snapshot_template(self.repository_snapshot))
        deployed = self.deploy(stack, body)
        self.assertEqual(deployed["StackStatus"], "CREATE_COMPLETE")
        tmpl = json.loads(body)
        outputs = self.outputs(stack)
        self.assertEqual(set(outputs), set(tmpl["Outputs"]))
        self.assertTrue(all(outputs.values()), outputs)
        self.assertIn("elb.amazonaws.com", outputs["Url"])
        parameters = {p["ParameterKey"]: p for p in deployed["Parameters"]}
        image = parameters["InstancesImageIdB19D2F5E"]
        self.assertEqual(image["ParameterValue"], tmpl["Parameters"]["InstancesImageIdB19D2F5E"]["Default"])
        self.assertRegex(image["ResolvedValue"], r"^ami-[0-9a-f]+$")
        self.assert_no_changes(stack, body)
        return tmpl, self.resources(stack)

    def check_ecs_on_ec2(self, tmpl: dict, resources: dict[str, str]) -> str:
        """The launch template, group, capacity provider and cluster; returns the environment."""
        ecs, ec2 = self.client("ecs"), self.client("ec2")
        declared = tmpl["Resources"]
        env = next(t["Value"] for t in declared["Cluster22BD0AA0"]["Properties"]["Tags"] if t["Key"] == "Environment")
        # Launch template: the image id resolved from AWS's public SSM parameter.
        parameter = tmpl["Parameters"]["InstancesImageIdB19D2F5E"]["Default"]
        image_id = self.client("ssm").get_parameter(Name=parameter)["Parameter"]["Value"]
        data = ec2.describe_launch_template_versions(LaunchTemplateId=resources["InstancesBF2E5964"])["LaunchTemplateVersions"][0][
            "LaunchTemplateData"
        ]
        declared_data = declared["InstancesBF2E5964"]["Properties"]["LaunchTemplateData"]
        self.assertEqual((data["ImageId"], data["InstanceType"]), (image_id, declared_data["InstanceType"]))
        self.assertEqual(data.get("KeyName"), declared_data.get("KeyName"))
        # Auto Scaling group: launch template version, protection, tags, zones of the region.
        declared_group = declared["InstanceGroupA53731E2"]["Properties"]
        group = self.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[resources["InstanceGroupA53731E2"]])[
            "AutoScalingGroups"
        ][0]
        self.assertEqual(group["LaunchTemplate"]["LaunchTemplateId"], resources["InstancesBF2E5964"])
        self.assertEqual(group["LaunchTemplate"]["Version"], "1")
        self.assertEqual((group["MinSize"], group["MaxSize"]), (int(declared_group["MinSize"]), int(declared_group["MaxSize"])))
        protected = declared_group["NewInstancesProtectedFromScaleIn"]
        self.assertEqual(group["NewInstancesProtectedFromScaleIn"], protected)
        self.assertEqual(group["HealthCheckGracePeriod"], declared_group["HealthCheckGracePeriod"])
        self.assertEqual(len(group["AvailabilityZones"]), len(declared_group["VPCZoneIdentifier"]))
        self.assertTrue(all(zone.startswith(REGION) for zone in group["AvailabilityZones"]), group["AvailabilityZones"])
        self.assertIn(("Environment", env, True), [(t["Key"], t["Value"], t["PropagateAtLaunch"]) for t in group["Tags"]])
        self.assertEqual(len(group["Instances"]), group["DesiredCapacity"])
        self.assertTrue(all(i["ProtectedFromScaleIn"] == protected for i in group["Instances"]))
        instance_ids = [i["InstanceId"] for i in group["Instances"]]
        for reservation in ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]:
            for instance in reservation["Instances"]:
                self.assertEqual(instance["ImageId"], image_id)
                self.assertIn({"Key": "Environment", "Value": env}, instance["Tags"])
        # The capacity provider on that group, associated with the cluster as its default.
        declared_provider = declared["ClusterCapacity4BFBD35B"]["Properties"]["AutoScalingGroupProvider"]
        provider_name = resources["ClusterCapacity4BFBD35B"]
        provider = ecs.describe_capacity_providers(capacityProviders=[provider_name])["capacityProviders"][0]
        asg_provider = provider["autoScalingGroupProvider"]
        self.assertEqual(asg_provider["autoScalingGroupArn"], group["AutoScalingGroupARN"])
        self.assertEqual(asg_provider["managedTerminationProtection"], declared_provider["ManagedTerminationProtection"])
        self.assertEqual(asg_provider["managedDraining"], declared_provider["ManagedDraining"])
        self.assertEqual(asg_provider["managedScaling"]["targetCapacity"], declared_provider["ManagedScaling"]["TargetCapacity"])
        cluster = ecs.describe_clusters(clusters=[resources["Cluster22BD0AA0"]], include=["TAGS", "SETTINGS"])["clusters"][0]
        self.assertEqual(resources["ClusterCapacityProviders3D45EBB3"], cluster["clusterName"])
        self.assertEqual(cluster["capacityProviders"], ["FARGATE", "FARGATE_SPOT", provider_name])
        self.assertEqual(cluster["defaultCapacityProviderStrategy"], [{"capacityProvider": provider_name, "weight": 1, "base": 0}])
        self.assertEqual(cluster["tags"], [{"key": "Environment", "value": env}])
        self.assertEqual(cluster["settings"], [{"name": s["Name"], "value": s["Value"]} for s in declared["Cluster22BD0AA0"]["Properties"]["ClusterSettings"]])
        return env

    def check_service(self, tmpl: dict, stack: str, logical_id: str, resources: dict[str, str]) -> dict:
        declared = tmpl["Resources"][logical_id]["Properties"]
        service = self.service(stack, logical_id)
        self.assertNotIn("launchType", service)
        self.assertEqual(
            service["capacityProviderStrategy"],
            [{"capacityProvider": resources["ClusterCapacity4BFBD35B"], "weight": 1, "base": 0}],
        )
        self.assertEqual(service["desiredCount"], declared["DesiredCount"])
        target_group = declared["LoadBalancers"][0]["TargetGroupArn"]["Ref"]
        self.assertEqual(
            service["loadBalancers"],
            [{"targetGroupArn": resources[target_group], "containerName": "app", "containerPort": declared["LoadBalancers"][0]["ContainerPort"]}],
        )
        self.assertEqual(service["deploymentConfiguration"]["deploymentCircuitBreaker"], {"enable": True, "rollback": True})
        self.assertEqual(service.get("healthCheckGracePeriodSeconds"), declared.get("HealthCheckGracePeriodSeconds"))
        self.assertEqual(service["propagateTags"], declared.get("PropagateTags", "NONE"))
        group = self.client("elbv2").describe_target_groups(TargetGroupArns=[resources[target_group]])["TargetGroups"][0]
        self.assertEqual(group["TargetType"], "instance")
        return service

    def check_ec2_cluster(self, body: str) -> None:
        tmpl, resources = self.deploy_scenario("Ec2Cluster", body)
        env = self.check_ecs_on_ec2(tmpl, resources)
        outputs = self.outputs("Ec2Cluster")
        ecs = self.client("ecs")
        app = self.check_service(tmpl, "Ec2Cluster", "AppServiceDA0C09AE", resources)
        instance_type = tmpl["Resources"]["InstancesBF2E5964"]["Properties"]["LaunchTemplateData"]["InstanceType"]
        self.assertEqual(app["placementConstraints"], [{"type": "memberOf", "expression": f"attribute:ecs.instance-type in [{instance_type}]"}])
        self.assertEqual(
            app["placementStrategy"], [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "MEMORY"}]
        )
        task = ecs.describe_task_definition(taskDefinition=app["taskDefinition"])["taskDefinition"]
        self.assertEqual((task["networkMode"], task["containerDefinitions"][0]["portMappings"][0]["hostPort"]), ("bridge", 0))

        agent = self.service("Ec2Cluster", "MetricsAgentServiceA0F344B4")
        self.assertEqual((agent["schedulingStrategy"], agent["launchType"]), ("DAEMON", "EC2"))
        self.assertNotIn("capacityProviderStrategy", agent)
        task = ecs.describe_task_definition(taskDefinition=agent["taskDefinition"], include=["TAGS"])
        self.assertEqual(task["taskDefinition"]["networkMode"], "host")
        self.assertEqual(task["taskDefinition"]["requiresCompatibilities"], ["EC2"])
        self.assertEqual({v["name"]: v["host"]["sourcePath"] for v in task["taskDefinition"]["volumes"]}, {"proc": "/proc", "root": "/"})
        self.assertEqual(task["tags"], [{"key": "Environment", "value": env}])

        # The stopped-task rule matches the cluster's own ARN.
        rule = self.client("events").describe_rule(Name=resources["StoppedTasks645C1506"])
        cluster_arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{resources['Cluster22BD0AA0']}"
        self.assertEqual(json.loads(rule["EventPattern"])["detail"]["clusterArn"], [cluster_arn])
        subscriptions = self.client("sns").list_subscriptions_by_topic(TopicArn=outputs["AlertsTopic"])["Subscriptions"]
        expected = [("email", "ops@example.com")] if "AlertsEmailopsexamplecom01CE7BED" in tmpl["Resources"] else []
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subscriptions], expected)

    def check_java_webapp(self, body: str) -> None:
        tmpl, resources = self.deploy_scenario("JavaWebapp", body)
        self.check_ecs_on_ec2(tmpl, resources)
        if "RepositoryD2FDC1F1" in resources:
            repository, uri = resources["RepositoryD2FDC1F1"], self.outputs("JavaWebapp")["RepositoryUri"]
        else:
            repository = self.resources("JavaWebappRepository")["RepositoryD2FDC1F1"]
            uri = self.outputs("JavaWebappRepository")["RepositoryUri"]
        self.assertEqual(uri, f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{repository}")
        service = self.check_service(tmpl, "JavaWebapp", "ServiceA513FD59", resources)
        task = self.client("ecs").describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        container = task["containerDefinitions"][0]
        self.assertEqual(container["image"], f"{uri}:1.0.0")
        self.assertEqual((container["portMappings"][0]["containerPort"], container["portMappings"][0]["hostPort"]), (8080, 8081))
        policy = json.loads(self.client("ecr").get_lifecycle_policy(repositoryName=repository)["lifecyclePolicyText"])
        self.assertEqual(policy["rules"][0]["selection"]["countType"], "imageCountMoreThan")

    repository_snapshot = "templates__stacks__JavaWebappRepository.snap"

    def test_ec2_cluster_dev(self) -> None:
        self.check_ec2_cluster(snapshot_template("templates__stacks__Ec2Cluster.snap"))

    def test_ec2_cluster_prod(self) -> None:
        self.check_ec2_cluster(snapshot_template("templates__stacks-prod__Ec2Cluster.snap"))

    def test_java_webapp_dev(self) -> None:
        self.check_java_webapp(snapshot_template("templates__stacks__JavaWebapp.snap"))

    def test_java_webapp_prod(self) -> None:
        self.repository_snapshot = "templates__stacks-prod__JavaWebappRepository.snap"
        self.check_java_webapp(snapshot_template("templates__stacks-prod__JavaWebapp.snap"))

    def test_delete_stack(self) -> None:
        """DeleteStack ends as in scenario 1 (moto's route tables: DependencyViolation), after
        the ECS resources are gone: services, association, capacity provider, task definitions."""
        self.deploy("Ec2Cluster", snapshot_template("templates__stacks__Ec2Cluster.snap"))
        resources = self.resources("Ec2Cluster")
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.delete_stack(StackName="Ec2Cluster")
        self.assertEqual(caught.exception.response["Error"]["Code"], "DependencyViolation")
        ecs = self.client("ecs")
        cluster = ecs.describe_clusters(clusters=[resources["Cluster22BD0AA0"]])["clusters"][0]
        self.assertEqual(cluster["status"], "INACTIVE")
        self.assertEqual(cluster.get("capacityProviders", []), [])
        provider = ecs.describe_capacity_providers(capacityProviders=[resources["ClusterCapacity4BFBD35B"]])
        self.assertEqual([f["reason"] for f in provider["failures"]], ["MISSING"])
        for logical_id in ("AppServiceDA0C09AE", "MetricsAgentServiceA0F344B4"):
            service = ecs.describe_services(cluster=resources["Cluster22BD0AA0"], services=[resources[logical_id]])["services"][0]
            self.assertEqual(service["status"], "INACTIVE")
        for logical_id in ("AppTaskAAA9102D", "MetricsAgentTask116C3A9A"):
            task = ecs.describe_task_definition(taskDefinition=resources[logical_id])["taskDefinition"]
            self.assertEqual(task["status"], "INACTIVE")
        self.assertEqual(self.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"], [])

    def test_fargate_services_of_scenario_2(self) -> None:
        """The ECS patches keep scenario 2's Fargate services (network configuration, load
        balancers, Service Connect) deploying, re-deploying without changes, and deletable."""
        data = snapshot_template("templates__stacks__GitanaData.snap")
        services = snapshot_template("templates__stacks__GitanaServices.snap")
        self.deploy("GitanaData", data)
        self.assertEqual(self.deploy("GitanaServices", services)["StackStatus"], "CREATE_COMPLETE")
        api = self.service("GitanaServices", "ApiService405D81B8")
        self.assertEqual(api["launchType"], "FARGATE")
        self.assertEqual(api["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"], "DISABLED")
        self.assertEqual(len(api["loadBalancers"]), 1)
        self.assert_no_changes("GitanaServices", services)
        self.cfn.delete_stack(StackName="GitanaServices")
        ecs = self.client("ecs")
        service = ecs.describe_services(cluster=api["clusterArn"], services=[api["serviceArn"]])["services"][0]
        self.assertEqual(service["status"], "INACTIVE")
        self.assertEqual(ecs.describe_clusters(clusters=[api["clusterArn"]])["clusters"][0]["status"], "INACTIVE")
        self.assertEqual(self.cfn.describe_stacks(StackName="GitanaData")["Stacks"][0]["StackStatus"], "CREATE_COMPLETE")


if __name__ == "__main__":
    unittest.main()
