"""Resource policies of SNS topics, SQS queues and S3 buckets.

What CloudFormation does
  AWS::SNS::TopicPolicy sets the `Policy` attribute of each topic in `Topics`
  (deleting it restores the topic's default policy); AWS::SQS::QueuePolicy
  sets the `Policy` attribute of each queue URL in `Queues` (deleting it
  removes the policy); AWS::S3::BucketPolicy puts the bucket policy of
  `Bucket` (deleting it deletes the policy).  The documents may be given as
  JSON objects or strings.  For the two messaging types Ref and GetAtt Id are
  a generated id (`<stack>-<LogicalId>-<SUFFIX>`); a bucket policy is
  referred to by the same kind of generated id here (its Ref is not
  documented).

What moto 5.2.1 does instead
  No model for any of the three: they are skipped, so the policies never
  reach the topic, queue or bucket.

These models write the policy into moto's SNS, SQS and S3 backends, where
`sns.get_topic_attributes`, `sqs.get_queue_attributes` and
`s3.get_bucket_policy` show it.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends
from moto.utilities.utils import get_partition

from ._base import CfnResource, as_json_text, props


class _Policy(CfnResource):
    """A policy written to a list of targets; subclasses say how."""

    ATTRIBUTES = {"Id": "physical_resource_id"}
    TARGETS = ""  # the property listing the targets

    def __init__(self, policy_id: str, targets: list[str]):
        self.policy_id = policy_id
        self.targets = targets

    physical_resource_id = property(lambda self: self.policy_id)

    @classmethod
    def _targets(cls, properties: dict) -> list[str]:
        value = properties[cls.TARGETS]
        return value if isinstance(value, list) else [value]

    @classmethod
    def write(cls, target: str, document: str | None, account_id: str, region_name: str) -> None:
        raise NotImplementedError

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        targets = cls._targets(properties)
        for target in targets:
            cls.write(target, as_json_text(properties["PolicyDocument"]), account_id, region_name)
        return cls(resource_name, targets)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        targets = cls._targets(properties)
        for dropped in set(original_resource.targets) - set(targets):
            cls.write(dropped, None, account_id, region_name)
        for target in targets:
            cls.write(target, as_json_text(properties["PolicyDocument"]), account_id, region_name)
        original_resource.targets = targets
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        for target in self.targets:
            try:
                self.write(target, None, account_id, region_name)
            except Exception:  # the target went first: nothing left to clean
                pass


class TopicPolicy(_Policy, CloudFormationModel):
    TARGETS = "Topics"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def write(cls, target: str, document: str | None, account_id: str, region_name: str) -> None:
        topic = sns_backends[account_id][region_name].get_topic(target)
        if document is None:
            topic._policy_json = topic._create_default_topic_policy(topic.sns_backend.region_name, topic.account_id, topic.name)
        else:
            topic.policy = document


class QueuePolicy(_Policy, CloudFormationModel):
    TARGETS = "Queues"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SQS::QueuePolicy"

    @classmethod
    def write(cls, target: str, document: str | None, account_id: str, region_name: str) -> None:
        queue_name = target.rstrip("/").split("/")[-1]  # Queues are queue URLs
        sqs_backends[account_id][region_name].get_queue(queue_name).policy = document


class BucketPolicy(_Policy, CloudFormationModel):
    TARGETS = "Bucket"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @classmethod
    def write(cls, target: str, document: str | None, account_id: str, region_name: str) -> None:
        backend = s3_backends[account_id][get_partition(region_name)]
        if document is None:
            backend.delete_bucket_policy(target)
        else:
            backend.put_bucket_policy(target, document.encode("utf-8"))
