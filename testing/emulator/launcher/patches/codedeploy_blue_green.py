"""The `AWS::CodeDeployBlueGreen` transform and its `AWS::CodeDeploy::BlueGreen` hook.

What CloudFormation does
  A template declaring `"Transform": "AWS::CodeDeployBlueGreen"` (or a list
  holding it) may have a top-level `Hooks` section with an
  `AWS::CodeDeploy::BlueGreen` hook: ServiceRole, TrafficRoutingConfig
  (AllAtOnce, TimeBasedCanary or TimeBasedLinear {StepPercentage,
  BakeTimeMins}), AdditionalOptions (TerminationWaitTimeInMinutes),
  LifecycleEventHooks and one Applications entry: the target ECS service
  (EXTERNAL deployment controller) by logical id, and the logical ids of the
  blue and green task definitions, task sets and target groups and of the
  production and test listeners (the green task definition and task set are
  the transform's own, not in Resources).  The hook is no resource: the stack
  keeps the template as submitted (GetTemplate, Original stage), Transform and
  Hooks included, so the same template deployed again is "no changes".

  A stack update that replaces the hook's task definition or task set (a new
  image, say) is a green deployment: CloudFormation, through CodeDeploy,
  registers the green task definition, creates the green task set, shifts
  traffic as configured, makes it the service's primary task set and deletes
  the blue ones; the stack events show the hook
  (`AWS::CodeDeploy::BlueGreen`) in progress, then complete.  Such an update
  cannot be combined with updates to other resources in the same stack update.
  Templates with the hook cannot declare Outputs or use Fn::ImportValue, hold
  nested stacks, target more than one ECS service, nor use NoEcho parameters
  or dynamic references.  A malformed hook fails the transform: `Transform
  AWS::CodeDeployBlueGreen failed with: Failed to transform template. Failed
  to parse the "Hooks" section for the provided template. Please ensure the
  AWS::CodeDeploy::BlueGreen Hook matches the expected schema.`  A template
  with the hook but without the transform deploys, but its first green
  deployment fails: `'<Hook>' of type AWS::CodeDeploy::BlueGreen failed with
  message: The TaskDefinition logical Id [<blue>] is the same between initial
  and final template, CodeDeploy can't perform BlueGreen style update
  properly`.

What moto 5.2.1 does instead
  It ignores `Transform` and `Hooks` altogether: no rule is checked, a green
  deployment is an ordinary update (with no model for AWS::ECS::TaskSet and
  AWS::ECS::PrimaryTaskSet, see models/ecs_task_set.py, nothing is deployed
  at all), and no event names the hook.  GetTemplateSummary leaves
  DeclaredTransforms out.

The patch checks the template's rules at CreateChangeSet (a ValidationError;
reports show CloudFormation failing the change set instead, see README.md),
fails an UPDATE change set whose green deployment comes with other changes
(Status FAILED, the reason naming them), and executes a green deployment as the
replacements it is (new revision, new task set, primary task set switched, old
task set deleted by patches/replacement_cleanup.py) between two events of the
hook; GetTemplateSummary lists DeclaredTransforms.  Traffic is not shifted:
the new task set has the template's load balancers, and the listeners keep
their target groups.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from moto.cloudformation import responses
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Event, Stack

from ._ecs import backend, follow_primary_task_set

TRANSFORM = "AWS::CodeDeployBlueGreen"
HOOK_TYPE = "AWS::CodeDeploy::BlueGreen"
FAILED = f"Transform {TRANSFORM} failed with: "
SCHEMA = (
    FAILED + 'Failed to transform template. Failed to parse the "Hooks" section for the provided template. '
    "Please ensure the AWS::CodeDeploy::BlueGreen Hook matches the expected schema."
)
# The resources of a green deployment: those the hook names, what their replacement reaches.
_TRIGGERS = ("AWS::ECS::TaskDefinition", "AWS::ECS::TaskSet")
_FOLLOWERS = ("AWS::ECS::PrimaryTaskSet",)


@dataclass
class Hook:
    logical_id: str
    service: str
    task_definitions: list[str]
    task_sets: list[str]
    target_groups: list[str]
    listeners: list[str]
    traffic: dict[str, Any]


def transforms(template: dict[str, Any]) -> list[str]:
    declared = template.get("Transform")
    if isinstance(declared, str):
        return [declared]
    return [t for t in declared or [] if isinstance(t, str)]


def blue_green_hooks(template: dict[str, Any]) -> dict[str, Any]:
    hooks = template.get("Hooks")
    if not isinstance(hooks, dict):
        return {}
    return {name: hook for name, hook in hooks.items() if isinstance(hook, dict) and hook.get("Type") == HOOK_TYPE}


def _names(value: Any, count: int) -> list[str]:
    if not isinstance(value, list) or len(value) != count or not all(isinstance(v, str) and v for v in value):
        raise ValidationError(message=SCHEMA)
    return value


def _route(value: Any) -> str:
    if not isinstance(value, dict) or value.get("Type") != "AWS::ElasticLoadBalancingV2::Listener":
        raise ValidationError(message=SCHEMA)
    return _names([value.get("LogicalID")], 1)[0]


def parse_hook(logical_id: str, definition: dict[str, Any]) -> Hook:
    """The hook's settings; a ValidationError when it does not match the hook's schema or
    targets more than one service."""
    p = definition.get("Properties")
    if not isinstance(p, dict) or not isinstance(p.get("ServiceRole"), str):
        raise ValidationError(message=SCHEMA)
    applications = p.get("Applications")
    if not isinstance(applications, list) or not applications:
        raise ValidationError(message=SCHEMA)
    if len(applications) > 1:
        raise ValidationError(
            message=FAILED + f"The {HOOK_TYPE} hook {logical_id} declares {len(applications)} Applications; "
            "a blue/green deployment can only target a single ECS service."
        )
    application = applications[0] if isinstance(applications[0], dict) else {}
    target = application.get("Target") or {}
    attributes = application.get("ECSAttributes") or {}
    routing = attributes.get("TrafficRouting") if isinstance(attributes, dict) else None
    if not isinstance(target, dict) or target.get("Type") != "AWS::ECS::Service" or not isinstance(routing, dict):
        raise ValidationError(message=SCHEMA)
    traffic = p.get("TrafficRoutingConfig") or {"Type": "AllAtOnce"}
    if not isinstance(traffic, dict) or traffic.get("Type") not in ("AllAtOnce", "TimeBasedCanary", "TimeBasedLinear"):
        raise ValidationError(message=SCHEMA)
    return Hook(
        logical_id=logical_id,
        service=_names([target.get("LogicalID")], 1)[0],
        task_definitions=_names(attributes.get("TaskDefinitions"), 2),
        task_sets=_names(attributes.get("TaskSets"), 2),
        target_groups=_names(routing.get("TargetGroups"), 2),
        listeners=[_route(routing.get("ProdTrafficRoute")), _route(routing.get("TestTrafficRoute"))],
        traffic=traffic,
    )


def _check_references(hook: Hook, resources: dict[str, Any]) -> None:
    """The blue resources the hook names are the template's; the green ones are the transform's."""
    expected = [
        (hook.service, "AWS::ECS::Service", "target service"),
        (hook.task_definitions[0], "AWS::ECS::TaskDefinition", "blue task definition"),
        (hook.task_sets[0], "AWS::ECS::TaskSet", "blue task set"),
        (hook.target_groups[0], "AWS::ElasticLoadBalancingV2::TargetGroup", "blue target group"),
        (hook.target_groups[1], "AWS::ElasticLoadBalancingV2::TargetGroup", "green target group"),
        (hook.listeners[0], "AWS::ElasticLoadBalancingV2::Listener", "production listener"),
        (hook.listeners[1], "AWS::ElasticLoadBalancingV2::Listener", "test listener"),
    ]
    for name, kind, role in expected:
        if (resources.get(name) or {}).get("Type") != kind:
            raise ValidationError(
                message=FAILED + f"The {HOOK_TYPE} hook {hook.logical_id} names {name} as its {role}, "
                f"but the template has no {kind} resource {name}."
            )
    for name, role in ((hook.task_definitions[1], "green task definition"), (hook.task_sets[1], "green task set")):
        if name in resources:
            raise ValidationError(
                message=FAILED + f"The {HOOK_TYPE} hook {hook.logical_id} names {name} as its {role}, which the "
                "transform creates during a green deployment; it cannot be a resource of the template."
            )


def _contains(value: Any, test: Any) -> bool:
    if isinstance(value, dict):
        return any(test(k, v) or _contains(v, test) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains(item, test) for item in value)
    return False


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _where(template: dict[str, Any], found: Any) -> list[str]:
    """The resources (logical ids) and other sections of `template` in which `found` holds."""
    places = [name for name, resource in (template.get("Resources") or {}).items() if found(resource)]
    places += [section for section in ("Conditions", "Mappings", "Hooks") if found(template.get(section))]
    return places


def check_template(template: dict[str, Any]) -> None:
    """Refuse, as the transform does, a template with the hook that breaks one of its rules."""
    hooks = blue_green_hooks(template)
    if TRANSFORM not in transforms(template) or not hooks:
        return
    if len(hooks) > 1:
        raise ValidationError(
            message=FAILED + f"The template declares {len(hooks)} {HOOK_TYPE} hooks ({', '.join(hooks)}); "
            "a blue/green deployment can only target a single ECS service."
        )
    resources = template.get("Resources") or {}
    for name, definition in hooks.items():
        _check_references(parse_hook(name, definition), resources)
    rule = f"is not supported in a template with the {HOOK_TYPE} hook"
    outputs = template.get("Outputs")
    if outputs:
        names = ", ".join(outputs) if isinstance(outputs, dict) else "Outputs"
        raise ValidationError(message=FAILED + f"Declaring Outputs {rule} (Outputs: {names}).")
    imports = _where(template, lambda value: _contains(value, lambda k, v: k == "Fn::ImportValue"))
    if imports:
        raise ValidationError(message=FAILED + f"Importing values with Fn::ImportValue {rule} (used in: {', '.join(imports)}).")
    nested = [name for name, r in resources.items() if isinstance(r, dict) and r.get("Type") == "AWS::CloudFormation::Stack"]
    if nested:
        raise ValidationError(
            message=FAILED + f"A nested stack (AWS::CloudFormation::Stack) {rule} (resources: {', '.join(nested)})."
        )
    no_echo = [
        name
        for name, slot in (template.get("Parameters") or {}).items()
        if isinstance(slot, dict) and str(slot.get("NoEcho", "false")).lower() == "true"
    ]
    if no_echo:
        raise ValidationError(message=FAILED + f"A parameter with NoEcho {rule} (parameters: {', '.join(no_echo)}).")
    dynamic = _where(template, lambda value: any("{{resolve:" in s for s in _strings(value)))
    if dynamic:
        raise ValidationError(
            message=FAILED + f"A dynamic reference ({{{{resolve:...}}}}) {rule} (used in: {', '.join(dynamic)})."
        )


@dataclass
class GreenDeployment:
    hook: Hook
    replaced: list[str]


def _fail(change_set: ChangeSet, reason: str) -> None:
    change_set.status = "FAILED"
    change_set.execution_status = "UNAVAILABLE"
    change_set.status_reason = reason


def plan(change_set: ChangeSet, template: dict[str, Any]) -> None:
    """Mark an UPDATE change set that replaces the hook's task definition or task set as a
    green deployment, or fail it as CloudFormation does."""
    hooks = blue_green_hooks(template)
    if len(hooks) != 1:
        return
    try:
        hook = parse_hook(*next(iter(hooks.items())))
    except ValidationError:
        return  # without the transform nothing reads the hook before a green deployment
    changes = list(change_set.changes or [])
    blue = (hook.task_definitions[0], hook.task_sets[0])
    replaced = [
        c.logical_resource_id
        for c in changes
        if c.action == "Modify"
        and c.logical_resource_id in blue
        and c.resource_type in _TRIGGERS
        and getattr(c, "replacement", None) in ("True", "Conditional")
    ]
    if not replaced:
        return
    if TRANSFORM not in transforms(template):
        _fail(
            change_set,
            f"'{hook.logical_id}' of type {HOOK_TYPE} failed with message: The TaskDefinition logical Id "
            f"[{hook.task_definitions[0]}] is the same between initial and final template, CodeDeploy can't "
            "perform BlueGreen style update properly",
        )
        return
    others = [c for c in changes if c.logical_resource_id not in blue and c.resource_type not in _FOLLOWERS]
    if others:
        listed = ", ".join(f"{c.logical_resource_id} ({c.action})" for c in others)
        _fail(
            change_set,
            FAILED + f"The blue/green deployment ({', '.join(replaced)} replaced) cannot be combined with updates "
            f"to other resources in the same stack update: {listed}. Update them in a separate stack update.",
        )
        return
    change_set.blue_green_deployment = GreenDeployment(hook, replaced)


def _hook_event(stack: Stack, hook: Hook, status: str, reason: str) -> None:
    event = Event(
        stack_id=stack.stack_id,
        stack_name=stack.name,
        logical_resource_id=hook.logical_id,
        physical_resource_id="",
        resource_type=HOOK_TYPE,
        resource_status=status,
        resource_status_reason=reason,
        resource_properties=None,
    )
    event.sendToSns(stack.account_id, stack.region_name, stack.notification_arns)
    stack.events.append(event)


def _traffic(config: dict[str, Any]) -> str:
    kind = config.get("Type")
    step = (config.get(kind) or {}) if kind != "AllAtOnce" else {}
    if kind == "TimeBasedCanary":
        return f"TimeBasedCanary: {step.get('StepPercentage')}%, the rest after {step.get('BakeTimeMins')} minutes"
    if kind == "TimeBasedLinear":
        return f"TimeBasedLinear: {step.get('StepPercentage')}% every {step.get('BakeTimeMins')} minutes"
    return "AllAtOnce"


def _task_set(stack: Stack, hook: Hook) -> Any:
    """moto's task set behind the hook's blue task set resource, if any."""
    resource = stack.resource_map._parsed_resources.get(hook.task_sets[0])
    return getattr(resource, "task_set", None)


def _execute(change_set: ChangeSet, deployment: GreenDeployment, original_apply: Any) -> None:
    stack, hook = change_set.stack, deployment.hook
    before = _task_set(stack, hook)
    _hook_event(
        stack,
        hook,
        "UPDATE_IN_PROGRESS",
        f"Blue/green deployment of {hook.service} started ({', '.join(deployment.replaced)} replaced; "
        f"traffic routing {_traffic(hook.traffic)})",
    )
    try:
        original_apply(change_set)
        after = _task_set(stack, hook)
        service = stack.resource_map._parsed_resources.get(hook.service)
        if after is not None and service is not None and after.status != "PRIMARY":
            # Without an AWS::ECS::PrimaryTaskSet resource CodeDeploy makes the green set primary itself.
            ecs = backend(stack.account_id, stack.region_name)
            ecs.update_service_primary_task_set(service.cluster_name, service.name, after.task_set_arn)
            follow_primary_task_set(service)
    except Exception as error:
        _hook_event(stack, hook, "UPDATE_FAILED", f"Blue/green deployment of {hook.service} failed: {error}")
        raise
    if after is None:
        reason = f"Blue/green deployment of {hook.service} complete"
    else:
        reason = (
            f"Blue/green deployment of {hook.service} complete: task set {after.id} "
            f"(task definition {after.task_definition}) is primary"
        )
        if before is not None and before is not after:
            reason += f"; task set {before.id} deleted"
    _hook_event(stack, hook, "UPDATE_COMPLETE", reason)


def apply() -> None:
    original_create = CloudFormationBackend.create_change_set
    original_apply = ChangeSet.apply
    original_summary = responses.get_template_summary_response_from_template

    def get_template_summary_response_from_template(template_body: str) -> dict[str, Any]:
        summary = original_summary(template_body)
        summary["DeclaredTransforms"] = transforms(summary)
        return summary

    def create_change_set(
        self: CloudFormationBackend, stack_name: str, change_set_name: str, template: str, parameters: dict, *args: Any, **kwargs: Any
    ) -> Any:
        try:
            body = Stack.parse_template(template) if template else None
        except Exception:  # moto reports a template it cannot read on its own
            body = None
        if isinstance(body, dict):
            check_template(body)
        change_set_id, stack_id = original_create(self, stack_name, change_set_name, template, parameters, *args, **kwargs)
        change_set = self.change_sets.get(change_set_id)
        if (
            isinstance(body, dict)
            and change_set is not None
            and change_set.change_set_type == "UPDATE"
            and change_set.status == "CREATE_COMPLETE"
        ):
            plan(change_set, copy.deepcopy(body))
        return change_set_id, stack_id

    def apply_change_set(self: ChangeSet) -> None:
        deployment = getattr(self, "blue_green_deployment", None)
        if deployment is None:
            original_apply(self)
        else:
            _execute(self, deployment, original_apply)

    CloudFormationBackend.create_change_set = create_change_set
    ChangeSet.apply = apply_change_set
    # CloudFormationResponse.get_template_summary looks the function up in its module.
    responses.get_template_summary_response_from_template = get_template_summary_response_from_template
