"""CloudFormation resource models that moto 5.2.1 lacks or gets wrong.

moto's template parser finds a model through
`CloudFormationModel.__subclasses__()`, keyed by `cloudformation_type()`; every
class here is a direct subclass, so importing this package is enough to
register it (a class defined later wins over moto's own for the same type).
"""

from . import (  # noqa: F401
    appautoscaling,
    cloudwatch,
    codedeploy,
    docdb,
    ecs_capacity,
    ecs_task_set,
    iam_oidc,
    opensearch,
    policies,
    secretsmanager,
    servicediscovery,
    sns_subscription,
)
