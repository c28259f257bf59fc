"""Test harness: one patched moto server for the whole run, driven with boto3.

The first `EmulatorTestCase` to run starts `launcher.py` as a subprocess on a
free loopback port; every test class of the run shares it (starting the
patched server costs about 3 s, mostly moto importing its EC2 data), moto's
state is reset before every test (POST /moto-api/reset), and the server is
stopped when the interpreter exits.  Stacks are deployed the way the deploy
engine does it: CreateChangeSet (CREATE or UPDATE), wait, ExecuteChangeSet.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from typing import Any

import boto3

LAUNCHER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "launcher.py")
REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account id
# Certificates the account holds before any stack (scenario 1 prod names this one).
ACCOUNT_CERTIFICATES = ["arn:aws:acm:eu-west-1:123456789012:certificate/5f4d2a1e-9c3b-4e7a-8f60-2b1d9e8c7a10"]
# A hosted zone the account holds before any stack (scenario 2 prod adds records to it).
ACCOUNT_ZONES = ["Z0123456789ABCDEFGHIJ=gitana.example.com"]
# An EC2 key pair the account holds in every region (the ECS-on-EC2 prod stacks' instances use it).
ACCOUNT_KEY_PAIRS = ["ops"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="moto-launcher-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, LAUNCHER, "--host", "127.0.0.1", "--port", str(self.port)]
            + [arg for arn in ACCOUNT_CERTIFICATES for arg in ("--acm-certificate", arn)]
            + [arg for zone in ACCOUNT_ZONES for arg in ("--hosted-zone", zone)]
            + [arg for name in ACCOUNT_KEY_PAIRS for arg in ("--key-pair", name)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"launcher did not start; see {self.log.name}:\n{self.log_text()}")
            time.sleep(0.05)

    def log_text(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)


_shared: Emulator | None = None


def shared_emulator() -> Emulator:
    global _shared
    if _shared is None or _shared.process.poll() is not None:
        _shared = Emulator()
        atexit.register(_shared.stop)
    return _shared


class EmulatorTestCase(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = shared_emulator()
        cls.cfn = cls.emulator.client("cloudformation")

    def setUp(self) -> None:
        self.emulator.reset()

    def client(self, service: str) -> Any:
        return self.emulator.client(service)

    # -- deploying through change sets -------------------------------------------------

    def create_change_set(self, stack_name: str, template: dict | str, parameters: dict | None = None) -> dict:
        """CreateChangeSet (CREATE for a new stack, UPDATE otherwise) and wait for it."""
        try:
            self.cfn.describe_stacks(StackName=stack_name)
            kind = "UPDATE"
        except self.cfn.exceptions.ClientError:
            kind = "CREATE"
        body = template if isinstance(template, str) else json.dumps(template)
        created = self.cfn.create_change_set(
            StackName=stack_name,
            ChangeSetName=f"cs-{stack_name}-{time.monotonic_ns()}",
            ChangeSetType=kind,
            TemplateBody=body,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        for _ in range(100):
            change_set = self.cfn.describe_change_set(ChangeSetName=created["Id"])
            if change_set["Status"] in ("CREATE_COMPLETE", "FAILED"):
                return change_set
            time.sleep(0.05)
        self.fail(f"change set {created['Id']} did not settle")

    def deploy(self, stack_name: str, template: dict | str, parameters: dict | None = None) -> dict:
        """Create or update `stack_name` through a change set; return the described stack."""
        change_set = self.create_change_set(stack_name, template, parameters)
        self.assertEqual(change_set["Status"], "CREATE_COMPLETE", change_set.get("StatusReason"))
        self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        return self.cfn.describe_stacks(StackName=stack_name)["Stacks"][0]

    def assert_no_changes(self, stack_name: str, template: dict | str, parameters: dict | None = None) -> None:
        """An identical update answers "no changes", in either of CloudFormation's two forms."""
        try:
            change_set = self.create_change_set(stack_name, template, parameters)
        except self.cfn.exceptions.ClientError as error:
            self.assertEqual(error.response["Error"]["Message"], "No updates are to be performed.")
            return
        self.assertEqual(change_set["Status"], "FAILED")
        self.assertIn("didn't contain changes", change_set["StatusReason"])

    def outputs(self, stack_name: str) -> dict[str, str]:
        stack = self.cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def events(self, stack_name: str) -> list[dict]:
        return self.cfn.describe_stack_events(StackName=stack_name)["StackEvents"]


def template(resources: dict, outputs: dict | None = None, parameters: dict | None = None) -> dict:
    body: dict = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    if parameters:
        body["Parameters"] = parameters
    if outputs:
        body["Outputs"] = {k: (v if isinstance(v, dict) and "Value" in v else {"Value": v}) for k, v in outputs.items()}
    return body


def vpc_resources() -> dict:
    """A VPC with two private subnets, the base several models need."""
    return {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "SubnetA": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24", "AvailabilityZone": f"{REGION}a"},
        },
        "SubnetB": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": f"{REGION}b"},
        },
        "Sg": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {"GroupDescription": "test", "VpcId": {"Ref": "Vpc"}},
        },
    }
