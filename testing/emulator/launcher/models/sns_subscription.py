"""SNS subscriptions.

What CloudFormation does
  AWS::SNS::Subscription subscribes `Endpoint` to `TopicArn` with `Protocol`
  and sets the subscription attributes given as properties
  (RawMessageDelivery, FilterPolicy with FilterPolicyScope, DeliveryPolicy,
  RedrivePolicy, SubscriptionRoleArn).  Ref returns the subscription ARN
  (`<topic arn>:<uuid>`).  Attributes update in place; a new TopicArn,
  Protocol or Endpoint is a new subscription.

What moto 5.2.1 does instead
  No model: the subscription is skipped, so nothing published to the topic
  reaches the queue or address of the template.

This model subscribes through moto's SNS backend, so
`sns.list_subscriptions_by_topic` and `get_subscription_attributes` show it
and publishing to the topic delivers to an SQS endpoint.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.sns.models import sns_backends

from ._base import CfnResource, as_json_text, props

_JSON_ATTRIBUTES = ("FilterPolicy", "DeliveryPolicy", "RedrivePolicy")
# FilterPolicyScope first: the filter policy is validated against it.
_ATTRIBUTES = ("FilterPolicyScope", "FilterPolicy", "RawMessageDelivery", "DeliveryPolicy", "RedrivePolicy", "SubscriptionRoleArn")


def _backend(account_id: str, region_name: str) -> Any:
    return sns_backends[account_id][region_name]


def _attribute_value(name: str, value: Any) -> Any:
    if name == "RawMessageDelivery":
        return str(value).lower() == "true"
    if name in _JSON_ATTRIBUTES:
        return as_json_text(value)
    return value


class Subscription(CfnResource, CloudFormationModel):
    def __init__(self, subscription: Any):
        self.subscription = subscription

    physical_resource_id = property(lambda self: self.subscription.arn)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Subscription"

    def _set_attributes(self, properties: dict, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        for name in _ATTRIBUTES:
            if name in properties:
                backend.set_subscription_attributes(self.subscription.arn, name, _attribute_value(name, properties[name]))

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = props(cloudformation_json)
        subscription = _backend(account_id, region_name).subscribe(
            properties["TopicArn"], properties["Endpoint"], properties["Protocol"]
        )
        model = cls(subscription)
        model._set_attributes(properties, account_id, region_name)
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        properties = props(cloudformation_json)
        current = original_resource.subscription
        if (properties["TopicArn"], properties["Endpoint"], properties["Protocol"]) != (
            current.topic.arn,
            current.endpoint,
            current.protocol,
        ):
            replacement = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
            original_resource.delete(account_id, region_name)
            return replacement
        if "FilterPolicy" not in properties and current.attributes.get("FilterPolicy"):
            _backend(account_id, region_name).set_subscription_attributes(current.arn, "FilterPolicy", "")
        original_resource._set_attributes(properties, account_id, region_name)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(account_id, region_name).unsubscribe(self.subscription.arn)
