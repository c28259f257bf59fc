"""Policy conditions: requests arrive over TLS, `Bool` is evaluated, and a
statement whose condition does not match is neutral.

What AWS does
  A statement applies only when its Condition matches the request; otherwise it
  neither allows nor denies (IAM's policy evaluation logic). Requests reach AWS's
  endpoints over HTTPS, so `aws:SecureTransport` is `true`, and a bucket policy's
  `Deny ... Condition: {"Bool": {"aws:SecureTransport": "false"}}` (the TLS-only
  policy every secure bucket has) denies plain-HTTP requests only.

What moto 5.2.1 does instead
  It evaluates `StringEquals` only and treats any other condition as met, and
  `IAMPolicyStatement.is_action_permitted` answers DENIED for any statement whose
  condition does not match, whatever its Effect. So the TLS-only Deny refused
  every object upload: PutObject to a bucket deployed with such a policy answered
  403.

The emulator's plain-HTTP endpoint stands in for AWS's HTTPS one, so requests
carry `aws:SecureTransport = true`.
"""

from __future__ import annotations

from typing import Any

from moto.iam import policy_conditions
from moto.iam.access_control import IAMPolicyStatement, PermissionResult

#: Context keys every request to the emulator has.
REQUEST_CONTEXT = {"aws:SecureTransport": "true"}


def bool_operation(expected_value: list[str] | str, actual_value: str) -> bool:
    """`Bool`: the context value is one of the expected `true`/`false` values."""
    expected = expected_value if isinstance(expected_value, list) else [expected_value]
    return str(actual_value).lower() in [str(value).lower() for value in expected]


def apply() -> None:
    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", bool_operation)
    original_check = IAMPolicyStatement._check_conditions
    original_permitted = IAMPolicyStatement.is_action_permitted

    def check_conditions(self: IAMPolicyStatement, incoming: dict[str, str] | None) -> bool:
        return original_check(self, {**REQUEST_CONTEXT, **(incoming or {})})

    def is_action_permitted(
        self: IAMPolicyStatement,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> Any:
        if self._statement.get("Condition") and not self._check_conditions(incoming_condition_values):
            return PermissionResult.NEUTRAL
        return original_permitted(self, action, resource, principal, incoming_condition_values)

    IAMPolicyStatement._check_conditions = check_conditions
    IAMPolicyStatement.is_action_permitted = is_action_permitted
