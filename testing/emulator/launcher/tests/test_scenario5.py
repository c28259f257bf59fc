"""Scenario 5 (BlueGreen: a Fargate service released as a canary) deployed through change sets.

The templates are the current snapshots: `templates__stacks__BlueGreen.snap` (dev, ECS's
native blue/green CANARY strategy: alternate target group, weighted production and test
listener rules, infrastructure role, rollback alarms; the GitHub OIDC provider and a release
role trusting it) and `templates__stacks-prod__BlueGreen.snap` (prod, released by CodeDeploy:
a CODE_DEPLOY service naming its task definition by family, an application, a custom
TimeBasedCanary configuration and a deployment group; the release role trusts the OIDC
provider the prod account already holds), each with its `...BlueGreenRepository.snap`
deployed first, as the service imports its repository from it; and the two other variants
(`blue-green-codedeploy`: CodeDeploy in dev, `blue-green-ecs-prod`: ECS in prod).

Plain moto 5.2.1 deploys the ECS variant to CREATE_COMPLETE but without the OIDC provider
(the release role trusts an empty Principal), and its ImageTag release leaves the service on
the old, deregistered, revision; it deploys the CodeDeploy variant without any of the
CodeDeploy resources (their Refs empty, the release policy naming `...:application:`); it
accepts an ImageTag the template's AllowedPattern forbids.
"""

from __future__ import annotations

import json
import unittest

from tests._harness import ACCOUNT, REGION
from tests.test_ecs_ec2 import EcsEc2TestCase
from tests.test_scenario1 import snapshot_template

GITHUB_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"


class Scenario5Test(EcsEc2TestCase):
    def deploy_scenario(self, variant: str) -> tuple[str, dict, dict]:
        """Repository then service stack; CREATE_COMPLETE with their outputs; the service
        stack's template, outputs and physical ids."""
        repository = self.deploy("BlueGreenRepository", snapshot_template(f"templates__{variant}__BlueGreenRepository.snap"))
        self.assertEqual(repository["StackStatus"], "CREATE_COMPLETE")
        self.assertIn("RepositoryUri", self.outputs("BlueGreenRepository"))
        body = snapshot_template(f"templates__{variant}__BlueGreen.snap")
        stack = self.deploy("BlueGreen", body)
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE", stack.get("StackStatusReason"))
        outputs = self.outputs("BlueGreen")
        # Every output the template declares; Url and ReleaseRoleArn in each variant.
        self.assertEqual(set(outputs), set(json.loads(body)["Outputs"]))
        self.assertLessEqual({"ReleaseRoleArn", "Url"}, set(outputs))
        self.assertRegex(outputs["Url"], r"^http://.+\.elb\.amazonaws\.com$")
        self.assertRegex(outputs["ReleaseRoleArn"], rf"^arn:aws:iam::{ACCOUNT}:role/BlueGreen-ReleaseRole")
        self.assert_no_changes("BlueGreen", body)
        return body, outputs, self.resources("BlueGreen")

    def image(self, task_definition: str) -> str:
        described = self.client("ecs").describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
        return described["containerDefinitions"][0]["image"]

    def trust(self, role_arn: str) -> dict:
        role = self.client("iam").get_role(RoleName=role_arn.rsplit("/", 1)[1])["Role"]
        return role["AssumeRolePolicyDocument"]["Statement"][0]

    def release(self, body: str, tag: str) -> dict:
        """What the release role does after pushing an image: an update of ImageTag only."""
        stack = self.deploy("BlueGreen", body, {"ImageTag": tag})
        self.assertEqual(stack["StackStatus"], "UPDATE_COMPLETE")
        self.assertEqual({p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}, {"ImageTag": tag})
        return self.resources("BlueGreen")

    def check_ecs_canary(self, variant: str, creates_provider: bool) -> None:
        body, outputs, resources = self.deploy_scenario(variant)
        repository_uri = self.outputs("BlueGreenRepository")["RepositoryUri"]
        trust = self.trust(outputs["ReleaseRoleArn"])
        self.assertEqual(trust["Principal"], {"Federated": GITHUB_ARN})
        if creates_provider:
            self.assertEqual(resources["GithubOidcF2899967"], GITHUB_ARN)
            provider = self.client("iam").get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
            self.assertEqual(provider["ClientIDList"], ["sts.amazonaws.com"])

        service = self.service("BlueGreen", "WebService9D5B4598")
        revision = resources["WebTaskDefinition14A8C07A"]
        self.assertEqual(service["taskDefinition"], revision)
        self.assertEqual(self.image(revision), f"{repository_uri}:1.0.0")
        self.assertEqual(service["deploymentController"], {"type": "ECS"})
        deployment = service["deploymentConfiguration"]
        declared = json.loads(body)["Resources"]["WebService9D5B4598"]["Properties"]["DeploymentConfiguration"]
        self.assertEqual(deployment["strategy"], "CANARY")
        self.assertEqual(
            deployment["canaryConfiguration"],
            {
                "canaryPercent": declared["CanaryConfiguration"]["CanaryPercent"],
                "canaryBakeTimeInMinutes": declared["CanaryConfiguration"]["CanaryBakeTimeInMinutes"],
            },
        )
        self.assertEqual(deployment["bakeTimeInMinutes"], declared["BakeTimeInMinutes"])
        self.assertEqual((deployment["alarms"]["enable"], deployment["alarms"]["rollback"]), (True, True))
        alarms = sorted(v for k, v in resources.items() if k.startswith("ReleaseAlarms"))
        self.assertEqual(sorted(deployment["alarms"]["alarmNames"]), alarms)
        self.assertEqual(len(self.client("cloudwatch").describe_alarms(AlarmNames=alarms)["MetricAlarms"]), 6)
        advanced = service["loadBalancers"][0]["advancedConfiguration"]
        self.assertEqual(advanced["alternateTargetGroupArn"], resources["WebTargetGroupAlternateCC8C3EFE"])
        self.assertEqual(advanced["productionListenerRule"], resources["WebHttpTargetGroupProduction6EB63D28"])
        self.assertEqual(advanced["testListenerRule"], resources["WebTestListenerTargetGroupTestCBF2A564"])
        self.assertEqual(advanced["roleArn"].rsplit("/", 1)[1], resources["WebServiceInfrastructureRole10E778D1"])
        rule = self.client("elbv2").describe_rules(RuleArns=[advanced["productionListenerRule"]])["Rules"][0]
        weights = {t["TargetGroupArn"]: t["Weight"] for t in rule["Actions"][0]["ForwardConfig"]["TargetGroups"]}
        self.assertEqual(
            weights,
            {service["loadBalancers"][0]["targetGroupArn"]: 100, advanced["alternateTargetGroupArn"]: 0},
        )

        # A release: a new revision with the new image, and the service moves to it.
        after = self.release(body, "1.0.1")
        new_revision = after["WebTaskDefinition14A8C07A"]
        self.assertEqual(new_revision.rsplit(":", 1)[1], "2")
        self.assertEqual(self.image(new_revision), f"{repository_uri}:1.0.1")
        service = self.service("BlueGreen", "WebService9D5B4598")
        self.assertEqual(service["taskDefinition"], new_revision)
        self.assertEqual([d["taskDefinition"] for d in service["deployments"]], [new_revision])
        ecs = self.client("ecs")
        self.assertEqual(ecs.describe_task_definition(taskDefinition=revision)["taskDefinition"]["status"], "INACTIVE")
        self.assertEqual(self.outputs("BlueGreen"), outputs)

        # A tag the template's AllowedPattern forbids is refused before anything changes.
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.create_change_set("BlueGreen", body, {"ImageTag": "1.0.2 beta"})
        self.assertIn("Parameter ImageTag failed to satisfy constraint", caught.exception.response["Error"]["Message"])

    def check_codedeploy_canary(self, variant: str, creates_provider: bool) -> None:
        body, outputs, resources = self.deploy_scenario(variant)
        self.assertEqual(self.trust(outputs["ReleaseRoleArn"])["Principal"], {"Federated": GITHUB_ARN})
        self.assertEqual(creates_provider, "GithubOidcF2899967" in resources)

        service = self.service("BlueGreen", "WebService9D5B4598")
        self.assertEqual(service["deploymentController"], {"type": "CODE_DEPLOY"})
        # TaskDefinition "blue-green-web": ECS runs the family's latest ACTIVE revision.
        revision = resources["WebTaskDefinition14A8C07A"]
        self.assertEqual(revision, f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/blue-green-web:1")
        self.assertEqual(service["taskDefinition"], revision)

        codedeploy = self.client("codedeploy")
        application = resources["ReleasesApplicationFEF451D7"]
        # What a release needs, where the template outputs it: Refs are names, the revision's ARN.
        expected = {
            "CodeDeployApplication": application,
            "CodeDeployDeploymentGroup": resources["Releases1CA04BEC"],
            "TaskDefinitionArn": revision,
        }
        self.assertEqual({k: outputs[k] for k in expected if k in outputs}, {k: v for k, v in expected.items() if k in outputs})
        self.assertRegex(application, r"^BlueGreen-ReleasesApplicationFEF451D7-[A-Z0-9]{12}$")
        self.assertEqual(codedeploy.get_application(applicationName=application)["application"]["computePlatform"], "ECS")
        config = codedeploy.get_deployment_config(deploymentConfigName=resources["ReleasesDeploymentConfig3163CF50"])
        self.assertEqual(
            config["deploymentConfigInfo"]["trafficRoutingConfig"],
            {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 25, "canaryInterval": 10}},
        )
        group = codedeploy.get_deployment_group(applicationName=application, deploymentGroupName=resources["Releases1CA04BEC"])[
            "deploymentGroupInfo"
        ]
        self.assertEqual(group["deploymentConfigName"], resources["ReleasesDeploymentConfig3163CF50"])
        self.assertEqual(group["ecsServices"][0]["serviceName"], service["serviceName"])
        self.assertEqual(group["ecsServices"][0]["clusterName"], resources["Cluster22BD0AA0"])
        pair = group["loadBalancerInfo"]["targetGroupPairInfoList"][0]
        self.assertEqual(pair["prodTrafficRoute"]["listenerArns"], [resources["WebHttpEF7CA23D"]])
        self.assertEqual(pair["testTrafficRoute"]["listenerArns"], [resources["WebTestListenerD507329B"]])
        alarms = sorted(v for k, v in resources.items() if k.startswith("ReleaseAlarms"))
        self.assertEqual(sorted(a["name"] for a in group["alarmConfiguration"]["alarms"]), alarms)
        self.assertTrue(group["autoRollbackConfiguration"]["enabled"])

        # The release policy names the application and the group (plain moto: `...:application:`).
        iam = self.client("iam")
        role = outputs["ReleaseRoleArn"].rsplit("/", 1)[1]
        policy = iam.get_role_policy(RoleName=role, PolicyName="BlueGreenReleaseRoleDefaultPolicy")["PolicyDocument"]
        statement = next(s for s in policy["Statement"] if s.get("Sid") == "CodeDeployReleases")
        prefix = f"arn:aws:codedeploy:{REGION}:{ACCOUNT}"
        self.assertEqual(
            statement["Resource"][:2],
            [f"{prefix}:application:{application}", f"{prefix}:deploymentgroup:{application}/{resources['Releases1CA04BEC']}"],
        )

        # A release registers the new revision; CodeDeploy, not CloudFormation, deploys it.
        after = self.release(body, "1.0.1")
        self.assertEqual(after["WebTaskDefinition14A8C07A"].rsplit(":", 1)[1], "2")
        self.assertEqual(self.service("BlueGreen", "WebService9D5B4598")["taskDefinition"], revision)
        # The revision the service runs is kept when the template says so (UpdateReplacePolicy Retain).
        retained = json.loads(body)["Resources"]["WebTaskDefinition14A8C07A"].get("UpdateReplacePolicy") == "Retain"
        status = self.client("ecs").describe_task_definition(taskDefinition=revision)["taskDefinition"]["status"]
        self.assertEqual(status, "ACTIVE" if retained else "INACTIVE")
        self.assertEqual(
            self.client("ecs").describe_task_definition(taskDefinition="blue-green-web")["taskDefinition"]["revision"], 2
        )

    def test_ecs_canary_dev(self) -> None:
        self.check_ecs_canary("stacks", creates_provider=True)

    def test_codedeploy_canary_prod(self) -> None:
        self.check_codedeploy_canary("stacks-prod", creates_provider=False)
        # The email subscription of the release events.
        resources = self.resources("BlueGreen")
        subscriptions = self.client("sns").list_subscriptions_by_topic(TopicArn=resources["ReleaseEvents25835748"])
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subscriptions["Subscriptions"]], [("email", "ops@example.com")])

    def test_codedeploy_canary_dev(self) -> None:
        self.check_codedeploy_canary("blue-green-codedeploy", creates_provider=True)

    def test_ecs_canary_prod(self) -> None:
        self.check_ecs_canary("blue-green-ecs-prod", creates_provider=False)


if __name__ == "__main__":
    unittest.main()
