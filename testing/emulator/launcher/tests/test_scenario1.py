"""Scenario 1 (the WebService stack, dev and prod) deployed through change sets.

Plain moto 5.2.1 refuses these templates at ExecuteChangeSet with
`Template error: instance of Fn::GetAtt references undefined resource
WebServiceCloudMapService5A2E8460` (no Cloud Map model).  With the patch layer
they reach CREATE_COMPLETE with their outputs, an identical update answers "no
changes", and the Cloud Map, auto scaling and bucket policy resources exist in
moto's service backends.
"""

from __future__ import annotations

import json
import os
import unittest

from tests._harness import EmulatorTestCase

SNAPSHOTS = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "snapshots", "tests", "snapshots"
)


def snapshot_template(name: str) -> str:
    """The JSON body of an insta snapshot: what follows the `---` header block."""
    with open(os.path.join(SNAPSHOTS, name), encoding="utf-8") as f:
        text = f.read()
    _, _header, body = text.split("---\n", 2)
    json.loads(body)  # must be a whole template
    return body


class Scenario1Test(EmulatorTestCase):
    def deploy_and_check(self, snapshot: str) -> None:
        body = snapshot_template(snapshot)
        stack = self.deploy("WebService", body)
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")

        outputs = self.outputs("WebService")
        self.assertEqual(set(outputs), {"PrivateSubnetIds", "PublicSubnetIds", "UploadsBucket", "Url", "VpcId"})
        self.assertRegex(outputs["VpcId"], r"^vpc-[0-9a-f]+$")
        self.assertRegex(outputs["PrivateSubnetIds"], r"^subnet-[0-9a-f]+,subnet-[0-9a-f]+$")
        self.assertIn("elb.amazonaws.com", outputs["Url"])

        # The resources plain moto skipped now exist in its service backends.
        resources = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in self.cfn.list_stack_resources(StackName="WebService")["StackResourceSummaries"]
        }
        namespace_id = resources["ClusterDefaultNamespaceCCC149AD"]
        self.assertRegex(namespace_id, r"^ns-")
        namespace = self.client("servicediscovery").get_namespace(Id=namespace_id)["Namespace"]
        self.assertEqual((namespace["Name"], namespace["Type"]), ("apps.local", "DNS_PRIVATE"))
        service = self.client("servicediscovery").get_service(Id=resources["WebServiceCloudMapService5A2E8460"])["Service"]
        self.assertEqual((service["Name"], service["NamespaceId"]), ("web", namespace_id))

        target_id = resources["WebServiceTaskCountTarget6A8B0618"]
        self.assertRegex(target_id, r"^service/[^/]+/[^|]+\|ecs:service:DesiredCount\|ecs$")
        scaling = self.client("application-autoscaling")
        targets = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
        self.assertEqual([t["ResourceId"] for t in targets], [target_id.split("|")[0]])
        policies = scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
        self.assertEqual(len(policies), 2)
        self.assertEqual(
            {p["PolicyARN"] for p in policies},
            {resources["WebServiceTaskCountCpu2AC7995F"], resources["WebServiceTaskCountRequests8EC86F30"]},
        )

        policy = json.loads(self.client("s3").get_bucket_policy(Bucket=outputs["UploadsBucket"])["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "TlsOnly")

        # Deploying the same template again is "no changes".
        self.assert_no_changes("WebService", body)

    def test_dev_template(self) -> None:
        self.deploy_and_check("templates__stacks__WebService.snap")

    def test_prod_template(self) -> None:
        self.deploy_and_check("templates__stacks-prod__WebService.snap")

    def test_delete_stack(self) -> None:
        """DeleteStack behaves as on plain moto, whose EC2 models leave the route
        tables behind: the VPC's DependencyViolation ends the call.  The
        resources of the patch layer are gone by then."""
        self.deploy("WebService", snapshot_template("templates__stacks__WebService.snap"))
        bucket = self.outputs("WebService")["UploadsBucket"]
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.delete_stack(StackName="WebService")
        self.assertEqual(caught.exception.response["Error"]["Code"], "DependencyViolation")
        self.assertIn("has dependencies and cannot be deleted", caught.exception.response["Error"]["Message"])

        self.assertEqual(self.client("servicediscovery").list_namespaces()["Namespaces"], [])
        self.assertEqual(self.client("servicediscovery").list_services()["Services"], [])
        scaling = self.client("application-autoscaling")
        self.assertEqual(scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"], [])
        self.assertEqual(scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"], [])
        s3 = self.client("s3")
        s3.head_bucket(Bucket=bucket)  # DeletionPolicy Retain
        with self.assertRaises(s3.exceptions.ClientError) as no_policy:
            s3.get_bucket_policy(Bucket=bucket)
        self.assertEqual(no_policy.exception.response["Error"]["Code"], "NoSuchBucketPolicy")

if __name__ == "__main__":
    unittest.main()
