"""models/iam_oidc.py: IAM OpenID Connect providers, and roles trusting them."""

from __future__ import annotations

import unittest

from tests._harness import ACCOUNT, EmulatorTestCase, template

GITHUB = "https://token.actions.githubusercontent.com"
GITHUB_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"


def provider(client_ids: list[str] | None = None, tags: list[dict] | None = None, url: str = GITHUB) -> dict:
    resources = {
        "Github": {
            "Type": "AWS::IAM::OIDCProvider",
            # No ThumbprintList: IAM checks GitHub's certificate against its trusted CAs.
            "Properties": {
                "Url": url,
                "ClientIdList": client_ids or ["sts.amazonaws.com"],
                "Tags": tags or [{"Key": "Environment", "Value": "test"}],
            },
        },
        "Release": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRoleWithWebIdentity",
                            "Principal": {"Federated": {"Ref": "Github"}},
                            "Condition": {
                                "StringEquals": {
                                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                    "token.actions.githubusercontent.com:sub": "repo:example-org/web:environment:dev",
                                }
                            },
                        }
                    ],
                }
            },
        },
    }
    return template(resources, {"Provider": {"Ref": "Github"}, "ProviderArn": {"Fn::GetAtt": ["Github", "Arn"]}, "Role": {"Ref": "Release"}})


class OidcProviderTest(EmulatorTestCase):
    def test_provider_and_a_role_trusting_it(self) -> None:
        self.deploy("oidc", provider())
        out = self.outputs("oidc")
        self.assertEqual(out["Provider"], GITHUB_ARN)
        self.assertEqual(out["ProviderArn"], GITHUB_ARN)
        iam = self.client("iam")
        described = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(described["Url"], "token.actions.githubusercontent.com")
        self.assertEqual(described["ClientIDList"], ["sts.amazonaws.com"])
        self.assertEqual(described["Tags"], [{"Key": "Environment", "Value": "test"}])
        # plain moto skips the provider and stores the trust policy with an empty Principal
        trust = iam.get_role(RoleName=out["Role"])["Role"]["AssumeRolePolicyDocument"]
        self.assertEqual(trust["Statement"][0]["Principal"], {"Federated": GITHUB_ARN})
        self.assert_no_changes("oidc", provider())

    def test_update_in_place(self) -> None:
        self.deploy("oidc", provider())
        self.deploy("oidc", provider(["sts.amazonaws.com", "other"], [{"Key": "Environment", "Value": "prod"}]))
        self.assertEqual(self.outputs("oidc")["Provider"], GITHUB_ARN)
        described = self.client("iam").get_open_id_connect_provider(OpenIDConnectProviderArn=GITHUB_ARN)
        self.assertEqual(described["ClientIDList"], ["sts.amazonaws.com", "other"])
        self.assertEqual(described["Tags"], [{"Key": "Environment", "Value": "prod"}])

    def test_a_new_url_replaces_it(self) -> None:
        self.deploy("oidc", provider())
        self.deploy("oidc", provider(url="https://gitlab.example.com"))
        arn = f"arn:aws:iam::{ACCOUNT}:oidc-provider/gitlab.example.com"
        self.assertEqual(self.outputs("oidc")["Provider"], arn)
        listed = self.client("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"]
        self.assertEqual([p["Arn"] for p in listed], [arn])

    def test_one_provider_per_url_in_an_account(self) -> None:
        self.deploy("oidc", provider())
        change_set = self.create_change_set("again", provider())
        with self.assertRaises(self.cfn.exceptions.ClientError) as caught:
            self.cfn.execute_change_set(ChangeSetName=change_set["ChangeSetId"])
        error = caught.exception.response["Error"]
        self.assertEqual(error["Code"], "EntityAlreadyExists")
        self.assertEqual(error["Message"], f"Provider with url {GITHUB} already exists.")

    def test_deleted_with_the_stack(self) -> None:
        self.deploy("oidc", provider())
        self.cfn.delete_stack(StackName="oidc")
        self.assertEqual(self.client("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"], [])


if __name__ == "__main__":
    unittest.main()
