"""GetAtt QueueUrl of AWS::SQS::Queue.

What CloudFormation does
  AWS::SQS::Queue answers Fn::GetAtt Arn, QueueName and QueueUrl; QueueUrl is
  the value Ref returns (`https://sqs.<region>.amazonaws.com/<account>/<name>`).

What moto 5.2.1 does instead
  It answers Arn and QueueName only; an output using QueueUrl (the
  standalone example's does) makes DescribeStacks fail.
"""

from __future__ import annotations

from typing import Any

from moto.sqs.models import Queue


def apply() -> None:
    original = Queue.get_cfn_attribute
    original_has = Queue.has_cfn_attr.__func__

    def get_cfn_attribute(self: Queue, attribute_name: str) -> Any:
        if attribute_name == "QueueUrl":
            return self.physical_resource_id
        return original(self, attribute_name)

    Queue.get_cfn_attribute = get_cfn_attribute
    Queue.has_cfn_attr = classmethod(lambda cls, attr: attr == "QueueUrl" or original_has(cls, attr))
