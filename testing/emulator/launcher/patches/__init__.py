"""Patches that make moto 5.2.1's CloudFormation behave more like CloudFormation.

`apply_all()` applies every behaviour patch of this package and defines the
resource models of the sibling `models` package; call it once, before moto's
server handles its first request.
"""

from __future__ import annotations

_applied = False


def apply_all(
    acm_certificates: list[str] | None = None,
    hosted_zones: list[str] | None = None,
    key_pairs: list[str] | None = None,
) -> None:
    """`acm_certificates`: ARNs of certificates the account is to hold from the start;
    `hosted_zones`: `ID=NAME` of the public hosted zones it is to hold;
    `key_pairs`: names of the EC2 key pairs it is to hold (in every region)."""
    global _applied
    if _applied:
        return
    from moto.cloudformation import parsing

    from . import (
        account_certificates,
        account_hosted_zones,
        account_key_pairs,
        autoscaling_group,
        change_set_changes,
        codedeploy,
        codedeploy_blue_green,
        dependent_updates,
        depends_on,
        ecr_repository,
        ecs_capacity_providers,
        ecs_cluster,
        ecs_service,
        ecs_task_definition,
        elbv2_attributes,
        elbv2_forward_config,
        get_azs,
        kms_key,
        list_imports,
        outputs_exports,
        parameter_constraints,
        policy_conditions,
        replacement_cleanup,
        resource_properties,
        sqs_queue_url,
        ssm_parameter_name,
        stack_parameters,
        update_replace_policy,
    )

    outputs_exports.apply()
    list_imports.apply()
    resource_properties.apply()
    elbv2_attributes.apply()
    elbv2_forward_config.apply()
    sqs_queue_url.apply()
    ecr_repository.apply()
    kms_key.apply()
    policy_conditions.apply()
    ssm_parameter_name.apply()
    depends_on.apply()
    dependent_updates.apply()
    replacement_cleanup.apply()  # after dependent_updates: cleanup comes after the follow-up updates
    change_set_changes.apply()
    get_azs.apply()
    autoscaling_group.apply()
    ecs_cluster.apply()
    ecs_task_definition.apply()
    ecs_service.apply()
    ecs_capacity_providers.apply()
    codedeploy.apply()
    codedeploy_blue_green.apply()  # after change_set_changes: it reads the change set's changes
    stack_parameters.apply()
    parameter_constraints.apply()
    update_replace_policy.apply()
    account_certificates.apply(acm_certificates or [])
    account_hosted_zones.apply(hosted_zones or [])
    account_key_pairs.apply(key_pairs or [])

    import models  # noqa: F401  (defining the classes registers them)

    # moto caches the model list on first use; make sure it sees ours.
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    _applied = True
