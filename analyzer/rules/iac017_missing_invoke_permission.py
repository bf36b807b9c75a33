"""IAC017 missing-invoke-permission: code makes a function an EventBridge target at run time, and
nothing lets EventBridge invoke it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from analyzer.findings import Finding, Related, Severity
from analyzer.graph import EdgeKind, ResourceGraph
from analyzer.iam import action_matches
from analyzer.model import Literal, Location, Project, Ref, Resource, Value
from analyzer.rules.base import Example, Rule, RuleContext

_FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
_PERMISSION_TYPES = ("AWS::Lambda::Permission",)
# The principal EventBridge invokes Lambda targets as. Source: EventBridge user guide, "Using
# resource-based policies for Amazon EventBridge" (Lambda targets need lambda:InvokeFunction for
# events.amazonaws.com in the function's resource policy; a target RoleArn does not replace it).
_EVENTS_PRINCIPAL = "events.amazonaws.com"
# (client, operation, path of the target ARNs) of calls that make something an EventBridge target.
_TARGET_CALLS = (("events", "PutTargets", ("Targets", "[]", "Arn")),)


@dataclass(frozen=True, slots=True)
class _RuntimeTarget:
    function: Resource  # the function made a target
    caller: Resource  # whose code makes it one
    location: Location  # the put_targets call


class MissingInvokePermission(Rule):
    """
    ## What it does
    Finds a Lambda function that the code of another function makes the target of EventBridge rules
    at run time (`events.put_targets(Targets=[{"Arn": os.environ["REMINDER_ARN"], ...}])`, the ARN
    resolved through the caller's environment variables to a function of the stack) when no
    `AWS::Lambda::Permission` (Pulumi `aws.lambda_.Permission`, CDK `add_permission`) lets
    `events.amazonaws.com` invoke that function. Silent when the target ARN cannot be resolved, or a
    permission exists whose principal or action cannot be read.

    ## Why is this bad
    `put_rule` and `put_targets` succeed, and every time the rule fires EventBridge fails to invoke
    the function (`FailedInvocations` in CloudWatch, nothing in the function's logs). A Lambda target
    is authorized only by the function's resource policy; `iam:PassRole` does not help (see IAC003).

    ## Example
    ```yaml
    ReminderFunction:
      Type: AWS::Lambda::Function
      ...
    DetectorFunction:
      Type: AWS::Lambda::Function
      Properties:
        Environment: {Variables: {REMINDER_ARN: !GetAtt ReminderFunction.Arn}}
        Code:
          ZipFile: |
            events.put_targets(Rule=name, Targets=[{"Id": "1", "Arn": os.environ["REMINDER_ARN"]}])
    ```

    ## Use instead
    ```yaml
    ReminderEventsPermission:
      Type: AWS::Lambda::Permission
      Properties:
        Action: lambda:InvokeFunction
        FunctionName: !Ref ReminderFunction
        Principal: events.amazonaws.com
        SourceArn: !Sub arn:aws:events:${AWS::Region}:${AWS::AccountId}:rule/appointment-reminder-*
    ```
    """

    id = "IAC017"
    name = "missing-invoke-permission"
    severity = Severity.ERROR
    summary = "a function made an EventBridge target at run time has no invoke permission for EventBridge"
    tags = ("iam", "runtime", "lambda")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project, graph = ctx.project, ctx.graph
        reported: set[str] = set()
        for target in _runtime_targets(project):
            function = target.function
            if function.id in reported or _permission_state(project, graph, function) is not False:
                continue
            reported.add(function.id)
            permission = {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": f"<{function.id}>",
                    "Principal": _EVENTS_PRINCIPAL,
                    "SourceArn": "arn:aws:events:<region>:<account>:rule/<prefix of the rules the code creates>*",
                },
            }
            yield self.finding(
                f"Function '{function.id}' is made an EventBridge target at run time by the code of "
                f"'{target.caller.id}', but no Lambda permission lets {_EVENTS_PRINCIPAL} invoke it: every "
                "invocation by those rules fails",
                function.location,
                "add a resource policy statement for EventBridge, e.g. " + json.dumps(permission),
                resource=function.id,
                key=f"{function.id}|{target.caller.id}",
                related=[Related(target.location, "put_targets makes it a target here")],
            )


def _runtime_targets(project: Project) -> Iterator[_RuntimeTarget]:
    for caller in project.resources:
        code = caller.code
        if code is None or not code.sdk_calls:
            continue
        # Imported here: the Python layer (libcst) is loaded only when a function has SDK calls.
        from analyzer.python.lambda_code import argument_values, environment_value

        for call in code.sdk_calls:
            for client, operation, path in _TARGET_CALLS:
                if (call.service, call.operation) != (client, operation):
                    continue
                for arn in argument_values(call.arguments, path):
                    function = _function_of(project, environment_value(caller, arn))
                    if function is not None:
                        yield _RuntimeTarget(function, caller, call.location)


def _function_of(project: Project, value: Value) -> Resource | None:
    """The stack's function a target ARN names: a reference, or a literal naming its function name."""
    if isinstance(value, Ref):
        target = project.resource(value.resource)
        if target is not None and target.type in _FUNCTION_TYPES and value.attribute in (None, "Arn"):
            return target
        return None
    if isinstance(value, Literal) and isinstance(value.value, str):
        for function in project.of_type(*_FUNCTION_TYPES):
            name = function.name
            if (
                isinstance(name, Literal)
                and isinstance(name.value, str)
                and value.value.endswith(":function:" + name.value)
            ):
                return function
    return None


def _permission_state(project: Project, graph: ResourceGraph, function: Resource) -> bool | None:
    """True: EventBridge may invoke the function; False: certainly not; None: cannot know."""
    result: bool | None = False
    for permission in _permissions_for(project, graph, function):
        principal = permission.prop("Principal")
        action = permission.prop("Action")
        principal_text = principal.value if isinstance(principal, Literal) else None
        action_text = action.value if isinstance(action, Literal) else None
        if not isinstance(principal_text, str) or not isinstance(action_text, str):
            result = None
            continue
        if principal_text in (_EVENTS_PRINCIPAL, "*") and action_matches(
            action_text, "lambda:InvokeFunction"
        ):
            return True
    if result is False and _unresolved_permissions(project, function):
        return None
    return result


def _permissions_for(project: Project, graph: ResourceGraph, function: Resource) -> list[Resource]:
    found = {edge.source for edge in graph.edges(EdgeKind.PERMISSION, target=function.id)}
    name = function.name.value if isinstance(function.name, Literal) else None
    for permission in project.of_type(*_PERMISSION_TYPES):
        target = permission.prop("FunctionName")
        if (isinstance(target, Ref) and target.resource == function.id) or (
            isinstance(target, Literal) and isinstance(name, str) and str(target.value).endswith(name)
        ):
            found.add(permission.id)
    return [resource for resource in project.resources if resource.id in found]


def _unresolved_permissions(project: Project, function: Resource) -> bool:
    """A permission whose function cannot be identified might be this function's."""
    for permission in project.of_type(*_PERMISSION_TYPES):
        target = permission.prop("FunctionName")
        if not isinstance(target, Ref | Literal):
            return True
    return False


# -- examples -------------------------------------------------------------------------------------------

_TEMPLATE = """
Resources:
  ReminderRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
  ReminderFunction:{marker}
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: index.handler
      Role: !GetAtt ReminderRole.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              return event
  DetectorFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: index.handler
      Role: !GetAtt ReminderRole.Arn
      Environment:
        Variables:
          REMINDER_ARN: !GetAtt ReminderFunction.Arn
      Code:
        ZipFile: |
          import os
          import boto3
          events = boto3.client("events")
          def handler(event, context):
              events.put_rule(Name=event["name"], ScheduleExpression="rate(1 day)")
              events.put_targets(Rule=event["name"], Targets=[{target}])
{extra}"""

_LAMBDA_TARGET = '{{"Id": "1", "Arn": os.environ["REMINDER_ARN"]}}'
_PERMISSION = """
  ReminderEventsPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref ReminderFunction
      Principal: events.amazonaws.com
"""

MissingInvokePermission.VALID = [
    Example.cfn_yaml(
        _TEMPLATE.format(marker="", target=_LAMBDA_TARGET.format(), extra=_PERMISSION),
        title="seed 004: the permission exists",
    ),
    Example.cfn_yaml(
        _TEMPLATE.format(marker="", target='{"Id": "1", "Arn": event["target"]}', extra=""),
        title="target ARN from the event: unknown",
    ),
    Example.cfn_yaml(
        _TEMPLATE.format(
            marker="",
            target=_LAMBDA_TARGET.format(),
            extra=_PERMISSION.replace("lambda:InvokeFunction", "lambda:*"),
        ),
        title="permission with lambda:*",
    ),
]

MissingInvokePermission.INVALID = [
    Example.cfn_yaml(
        _TEMPLATE.format(marker="  # expect: IAC017", target=_LAMBDA_TARGET.format(), extra=""),
        title="no permission at all",
    ),
    Example.cfn_yaml(
        _TEMPLATE.format(
            marker="  # expect: IAC017",
            target=_LAMBDA_TARGET.format(),
            extra=_PERMISSION.replace("events.amazonaws.com", "s3.amazonaws.com"),
        ),
        title="permission for another service",
    ),
]

_CDK_STACK = '''
from aws_cdk import Stack, StackProps
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

DETECTOR = """
import os
import boto3

events = boto3.client("events")


def handler(event, context):
    events.put_rule(Name=event["name"], ScheduleExpression="rate(1 day)")
    events.put_targets(Rule=event["name"], Targets=[{{"Id": "1", "Arn": os.environ["REMINDER_ARN"]}}])
"""


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        reminder = lambda_.Function(  {marker}
            self,
            "Reminder",
            runtime=lambda_.Runtime.PYTHON_3_11,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return event\\n"),
        )
{extra}
        lambda_.Function(
            self,
            "Detector",
            runtime=lambda_.Runtime.PYTHON_3_11,
            handler="index.handler",
            environment={{"REMINDER_ARN": reminder.function_arn}},
            code=lambda_.Code.from_inline(DETECTOR),
        )
'''

_CDK_PERMISSION = """\
        lambda_.CfnPermission(
            self,
            "ReminderEvents",
            action="lambda:InvokeFunction",
            function_name=reminder.function_name,
            principal="events.amazonaws.com",
        )"""

MissingInvokePermission.VALID.append(
    Example.cdk(
        _CDK_STACK.format(marker="", extra=_CDK_PERMISSION), title="CDK: a permission for EventBridge"
    )
)
MissingInvokePermission.INVALID.append(
    Example.cdk(_CDK_STACK.format(marker="# expect: IAC017", extra=""), title="CDK: no permission")
)
