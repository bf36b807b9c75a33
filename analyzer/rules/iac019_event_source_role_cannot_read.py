"""IAC019 event-source-role-cannot-read: a Lambda event source mapping whose function's role cannot
read the queue or stream it polls."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.findings import Finding, Related, Severity
from analyzer.iam import (
    ROLE_TYPES,
    Resolver,
    allows,
    effective_statements,
    names_non_service_principal,
    resource_resolver,
)
from analyzer.model import (
    Concat,
    Literal,
    Project,
    Ref,
    Resource,
    Value,
    get_path,
    items_of,
    iter_refs,
    render,
)
from analyzer.rules.base import Example, Rule, RuleContext

if TYPE_CHECKING:  # networkx loads with the graph, not with the rule
    from analyzer.graph import ResourceGraph

_MAPPING_TYPES = ("AWS::Lambda::EventSourceMapping",)
_FUNCTION_TYPES = ("AWS::Lambda::Function",)
# An alias or version names its function in FunctionName (CloudFormation and Pulumi alike).
_QUALIFIER_TYPES = ("AWS::Lambda::Alias", "AWS::Lambda::Version")
# Attributes of a function, alias or version reference that name it: CloudFormation ``Ref`` (None),
# ``Fn::GetAtt ... Arn``, Pulumi ``.arn`` / ``.name`` / ``.id``.
_NAME_ATTRIBUTES = (None, "Arn", "Name", "Id")


@dataclass(frozen=True, slots=True)
class _Source:
    """What Lambda needs on one kind of event source."""

    noun: str  # "SQS queue"
    checked: tuple[str, ...]  # actions Lambda checks when it creates the mapping
    advised: tuple[str, ...]  # everything the Lambda developer guide lists (for the fix)
    managed_policy: str  # the AWS managed policy that grants them
    cdk_grant: str  # the aws-cdk-lib grant that adds them
    cdk_event_source: str  # the aws-lambda-event-sources class that maps and grants


# Sources and the actions checked when CreateEventSourceMapping runs. Only actions whose absence is
# known to fail the creation are checked; the others the Lambda developer guide lists go into the fix.
# * SQS: "The provided execution role does not have permissions to call ReceiveMessage on SQS" and
#   "... DeleteMessage on SQS" (InvalidParameterValueException); the guide ("Lambda execution role
#   permissions", with-sqs) adds sqs:GetQueueAttributes.
# * Kinesis: "Cannot access stream ... Please ensure the role can perform the GetRecords,
#   GetShardIterator, DescribeStream, and ListShards Actions"; aws-cdk #7354 confirms DescribeStream is
#   validated at creation. A role without ListShards is known to deploy (serverless #8540), so only the
#   first three are checked. The guide (services-kinesis-create) lists DescribeStream,
#   DescribeStreamSummary, GetRecords, GetShardIterator, ListShards, SubscribeToShard.
# * DynamoDB streams: "Cannot access stream ... Please ensure the role can perform the GetRecords,
#   GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM"; ListStreams is
#   not resource-scoped, so it is advised, not checked. Managed policies AWSLambdaSQSQueueExecutionRole,
#   AWSLambdaKinesisExecutionRole, AWSLambdaDynamoDBExecutionRole (AWS managed policy reference).
_SOURCES = {
    "sqs": _Source(
        "SQS queue",
        ("sqs:ReceiveMessage", "sqs:DeleteMessage"),
        ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
        "AWSLambdaSQSQueueExecutionRole",
        "queue.grant_consume_messages(fn)",
        "SqsEventSource(queue)",
    ),
    "kinesis": _Source(
        "Kinesis stream",
        ("kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator"),
        (
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
            "kinesis:SubscribeToShard",
        ),
        "AWSLambdaKinesisExecutionRole",
        "stream.grant_read(fn)",
        "KinesisEventSource(stream, starting_position=...)",
    ),
    "dynamodb": _Source(
        "DynamoDB stream",
        ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
        (
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ),
        "AWSLambdaDynamoDBExecutionRole",
        "table.grant_stream_read(fn)",
        "DynamoEventSource(table, starting_position=...)",
    ),
}
# (resource type, attribute) of a reference that names a source -> its kind. A Kinesis stream
# consumer (enhanced fan-out) needs other actions and is left out, as are MSK, Kafka, MQ and
# DocumentDB sources: their checks are not documented precisely enough to report.
_SOURCE_REFS = {
    ("AWS::SQS::Queue", "Arn"): "sqs",
    ("AWS::Kinesis::Stream", "Arn"): "kinesis",
    ("AWS::DynamoDB::Table", "StreamArn"): "dynamodb",
    ("AWS::DynamoDB::GlobalTable", "StreamArn"): "dynamodb",
}
# A literal ARN: its service, and for the two stream services, the resource shape.
_LITERAL_SOURCES = (
    (re.compile(r"^arn:[^:]*:sqs:[^:]*:[^:]*:[^:/]+$"), "sqs"),
    (re.compile(r"^arn:[^:]*:kinesis:[^:]*:[^:]*:stream/[^/]+$"), "kinesis"),
    (re.compile(r"^arn:[^:]*:dynamodb:[^:]*:[^:]*:table/[^/]+/stream/[^/]+$"), "dynamodb"),
)
_UNKNOWN_PART = "\x00"  # stands for a non-literal part of an ARN when reading its service
# Resources that may do anything with a role handed to them (attach policies, among others).
_OPAQUE_REFERRERS = (
    "AWS::CloudFormation::Stack",
    "AWS::CloudFormation::CustomResource",
    "AWS::Serverless::Application",
)
# Resource-based policies that may let the role read the source without its own policies:
# (type, property naming the source). A same-account resource policy naming the role is enough.
_RESOURCE_POLICIES = (
    ("AWS::SQS::QueuePolicy", "Queues"),
    ("AWS::Kinesis::ResourcePolicy", "ResourceArn"),
)


@dataclass(frozen=True, slots=True)
class _Mapping:
    mapping: Resource
    function: Resource
    role: Resource
    kind: str
    source: Value  # the EventSourceArn value
    source_resource: Resource | None  # the queue/stream/table when it is in the project


class EventSourceRoleCannotRead(Rule):
    """
    ## What it does
    Finds a Lambda event source mapping (CloudFormation `AWS::Lambda::EventSourceMapping`, Pulumi
    `aws.lambda_.EventSourceMapping`, CDK `lambda_.EventSourceMapping` / `CfnEventSourceMapping`) on
    an SQS queue, a Kinesis stream or a DynamoDB stream whose function's execution role does not allow
    what Lambda checks when it creates the mapping: `sqs:ReceiveMessage` and `sqs:DeleteMessage` on
    the queue; `DescribeStream`, `GetRecords` and `GetShardIterator` on the stream (`kinesis:` or
    `dynamodb:`). The mapping's `FunctionName` must name a function of the project, its `Role` a role
    of the project, and the source must be a queue, stream or table of the project or a literal ARN.
    The role's inline policies, attached policies and AWS managed policies are read (`Action: "*"`,
    `sqs:*`, `sqs:Receive*`, `Resource: "*"` and resources that cover the source all count).

    The rule is silent when any link of that chain is unknown: a function or role from outside the
    stack, a policy document that is not fully known, a managed policy whose contents are not in
    iacscan's table (`AWSLambdaSQSQueueExecutionRole`, customer managed policies), a policy attached
    to a role that cannot be identified, a role handed to a nested stack or custom resource, a
    resource policy (`AWS::SQS::QueuePolicy`, `AWS::Kinesis::ResourcePolicy`) that may grant the
    role access, or a mapping created disabled. CDK's `fn.add_event_source(SqsEventSource(queue))`
    (and the Kinesis and DynamoDB event sources), `queue.grant_consume_messages(fn)`, the other
    `grant_*` methods and `initial_policy` are modelled as the statements CDK adds (or, when iacscan
    does not know a grant's actions, as a statement that may allow anything). MSK, self-managed
    Kafka, Amazon MQ and DocumentDB sources are not checked.

    ## Why is this bad
    Lambda validates the execution role when the mapping is created, so `CreateEventSourceMapping`
    fails and the stack rolls back: `The provided execution role does not have permissions to call
    ReceiveMessage on SQS`, or `Cannot access stream ... Please ensure the role can perform the
    GetRecords, GetShardIterator, DescribeStream ... Actions on your stream in IAM`. Sources: AWS Lambda
    developer guide ("Lambda execution role permissions" for SQS, Kinesis and DynamoDB) and the AWS
    managed policy reference (`AWSLambdaSQSQueueExecutionRole`, `AWSLambdaKinesisExecutionRole`,
    `AWSLambdaDynamoDBExecutionRole`). When the grant exists but sits in a separate policy resource
    that the mapping does not wait for, the same error is a race: that is IAC005's finding.

    ## Example
    ```yaml
    ProcessorRole:
      Type: AWS::IAM::Role
      Properties:
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    Processor:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt ProcessorRole.Arn
    ProcessorMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Processor
        EventSourceArn: !GetAtt OrderStream.Arn
    ```

    ## Use instead
    Grant the read actions on the source to the function's role:
    ```yaml
    Policies:
      - PolicyName: read-orders
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: [kinesis:DescribeStream, kinesis:DescribeStreamSummary, kinesis:GetRecords,
                       kinesis:GetShardIterator, kinesis:ListShards, kinesis:SubscribeToShard]
              Resource: !GetAtt OrderStream.Arn
    ```
    or attach `AWSLambdaKinesisExecutionRole`. In CDK, `stream.grant_read(fn)` (aws-cdk-lib 2's read
    actions include `kinesis:DescribeStream`), or `fn.add_event_source(KinesisEventSource(stream, ...))`
    in place of the mapping, which creates the mapping and the grant together; likewise
    `queue.grant_consume_messages(fn)` / `SqsEventSource` and `table.grant_stream_read(fn)` /
    `DynamoEventSource`.
    """

    id = "IAC019"
    name = "event-source-role-cannot-read"
    severity = Severity.ERROR
    summary = "an event source mapping's function role cannot read the queue or stream it polls"
    tags = ("iam", "deploy", "lambda")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project, graph = ctx.project, ctx.graph
        resolve = resource_resolver(project)
        for found in _mappings(project):
            missing = _missing_actions(project, graph, found, resolve)
            if missing:
                yield self._finding(found, missing, project.platform)

    def _finding(self, found: _Mapping, missing: list[str], platform: str) -> Finding:
        source = _SOURCES[found.kind]
        what = (
            f"{source.noun} '{found.source_resource.id}'"
            if found.source_resource is not None
            else f"{source.noun} {render(found.source)}"
        )
        statement = {
            "Effect": "Allow",
            "Action": list(source.advised),
            "Resource": _resource_text(found),
        }
        message = (
            f"Event source mapping '{found.mapping.id}' polls {what} for function '{found.function.id}', "
            f"but role '{found.role.id}' does not allow {', '.join(missing)} on it; Lambda checks this when "
            "it creates the mapping, so the deployment fails"
        )
        if platform == "cdk" and found.source_resource is not None:
            hint = (
                f"grant the read to the function: {source.cdk_grant} on '{found.source_resource.id}', or "
                f"use {source.cdk_event_source} with fn.add_event_source(...) in place of the mapping"
            )
        else:
            hint = (
                f"add to the policies of '{found.role.id}': {json.dumps(statement)} "
                f"(or attach the AWS managed policy {source.managed_policy})"
            )
        return self.finding(
            message,
            found.mapping.location_of("EventSourceArn"),
            hint,
            resource=found.mapping.id,
            key=f"{found.mapping.id}|{found.role.id}|{found.kind}",
            related=[Related(found.role.location, f"execution role of '{found.function.id}'")],
        )


def _resource_text(found: _Mapping) -> str:
    if found.source_resource is None:
        return render(found.source)
    attribute = "StreamArn" if found.kind == "dynamodb" else "Arn"
    return f"<{found.source_resource.id}.{attribute}>"


# -- the chain mapping -> function -> role, and the source --------------------------------------------


def _mappings(project: Project) -> Iterator[_Mapping]:
    for mapping in project.of_type(*_MAPPING_TYPES):
        enabled = mapping.prop("Enabled")
        if isinstance(enabled, Literal) and enabled.value in (False, "false", "False"):
            continue  # whether a disabled mapping is validated at creation is not documented
        function = _function_of(project, mapping.prop("FunctionName"))
        if function is None:
            continue
        role = _role_of(project, function)
        if role is None:
            continue
        source = mapping.prop("EventSourceArn")
        kind, source_resource = _source_kind(project, source)
        if kind is None or source is None:
            continue
        yield _Mapping(mapping, function, role, kind, source, source_resource)


def _function_of(project: Project, value: Value | None, depth: int = 0) -> Resource | None:
    """The project's function a ``FunctionName`` names: a reference (name or ARN, through an alias
    or version), or a literal equal to its literal name or ending in ``:function:<name>``."""
    if isinstance(value, Ref):
        target = project.resource(value.resource)
        if target is None or value.attribute not in _NAME_ATTRIBUTES:
            return None
        if target.type in _FUNCTION_TYPES:
            return target
        if target.type in _QUALIFIER_TYPES and depth < 2:
            return _function_of(project, target.prop("FunctionName"), depth + 1)
        return None
    if isinstance(value, Literal) and isinstance(value.value, str):
        text = value.value
        matches = [
            function
            for function in project.of_type(*_FUNCTION_TYPES)
            if isinstance(function.name, Literal)
            and isinstance(function.name.value, str)
            and (
                text == function.name.value
                or re.search(rf":function:{re.escape(function.name.value)}(?::[^:]+)?$", text) is not None
            )
        ]
        return matches[0] if len(matches) == 1 else None
    return None


def _role_of(project: Project, function: Resource) -> Resource | None:
    role = function.prop("Role")
    if not (isinstance(role, Ref) and role.attribute in ("Arn", None)):
        return None
    target = project.resource(role.resource)
    return target if target is not None and target.type in ROLE_TYPES else None


def _source_kind(project: Project, source: Value | None) -> tuple[str | None, Resource | None]:
    if isinstance(source, Ref):
        target = project.resource(source.resource)
        if target is None:
            return None, None
        return _SOURCE_REFS.get((target.type, source.attribute or "")), target
    text = _arn_text(source)
    if text is None:
        return None, None
    for pattern, kind in _LITERAL_SOURCES:
        if pattern.match(text):
            return kind, None
    return None, None


def _arn_text(value: Value | None) -> str | None:
    """A literal ARN, or a ``Concat`` whose service and resource shape are literal (the account,
    region and names may be unknown: they are kept as one placeholder character)."""
    if isinstance(value, Literal) and isinstance(value.value, str):
        return value.value
    if isinstance(value, Concat):
        pieces = [
            part.value if isinstance(part, Literal) and isinstance(part.value, str) else _UNKNOWN_PART
            for part in value.parts
        ]
        text = "".join(pieces)
        # The service must be literal: "arn:<partition>:<service>:" with only the partition unknown.
        if (
            re.match(r"^arn:[^:]*:(?:sqs|kinesis|dynamodb):", text)
            and _UNKNOWN_PART not in text.split(":")[2]
        ):
            return text
    return None


# -- what the role allows ---------------------------------------------------------------------------------


def _missing_actions(project: Project, graph: ResourceGraph, found: _Mapping, resolve: Resolver) -> list[str]:
    """The checked actions the role certainly lacks on the source; empty when any cannot be known."""
    if found.source_resource is not None and _may_have_resource_policy(project, found.source_resource):
        return []
    if _handed_elsewhere(project, graph, found.role):
        return []
    statements = effective_statements(project, graph, found.role.id)
    missing: list[str] = []
    for action in _SOURCES[found.kind].checked:
        verdict = allows(statements, action, found.source, resolve=resolve)
        if verdict is None:
            return []  # one unknown answer: the whole mapping is not judged
        if verdict is False:
            missing.append(action)
    return missing


def _handed_elsewhere(project: Project, graph: ResourceGraph, role: Resource) -> bool:
    """The role is handed to a nested stack or custom resource, which may attach policies to it
    that this project does not show."""
    for referrer_id in graph.referrers(role.id):
        referrer = project.resource(referrer_id)
        if referrer is not None and (
            referrer.type in _OPAQUE_REFERRERS or referrer.type.startswith("Custom::")
        ):
            return True
    return False


def _may_have_resource_policy(project: Project, source: Resource) -> bool:
    """A resource policy of the project that may apply to ``source`` and name an AWS principal."""
    if source.prop("ResourcePolicy") is not None:
        return True
    if get_path(source.prop("StreamSpecification"), "ResourcePolicy") is not None:
        return True
    for policy_type, target_property in _RESOURCE_POLICIES:
        for policy in project.of_type(policy_type):
            targets = policy.prop(target_property)
            named = {ref.resource for _, ref in iter_refs(targets)}
            identified = all(isinstance(item, Ref) for item in items_of(targets)) if targets else False
            if source.id not in named and identified:
                continue
            if names_non_service_principal(policy.prop("PolicyDocument")):
                return True
    return False


# -- examples -------------------------------------------------------------------------------------------

_CFN = """
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:
  OrderStream:
    Type: AWS::Kinesis::Stream
    Properties:
      Name: !Sub orders-${{EnvironmentSuffix}}
      ShardCount: 1
  OrderQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub orders-${{EnvironmentSuffix}}
  OrderTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub orders-${{EnvironmentSuffix}}
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      StreamSpecification: {{StreamViewType: NEW_IMAGE}}
  ProcessorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole{managed}
      Policies:
        - PolicyName: processor
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: cloudwatch:PutMetricData
                Resource: "*"{statement}
  Processor:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub processor-${{EnvironmentSuffix}}
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt ProcessorRole.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              return None
  ProcessorMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Processor
      EventSourceArn: {source}{marker}
      StartingPosition: LATEST
"""


def _cfn(source: str, statement: str = "", managed: str = "", marker: str = "", starting: bool = True) -> str:
    text = _CFN.format(source=source, statement=statement, managed=managed, marker=marker)
    return text if starting else text.replace("      StartingPosition: LATEST\n", "")


_KINESIS_READ = """
              - Effect: Allow
                Action: [kinesis:DescribeStream, kinesis:DescribeStreamSummary, kinesis:GetRecords,
                         kinesis:GetShardIterator, kinesis:ListShards, kinesis:SubscribeToShard]
                Resource: !GetAtt OrderStream.Arn"""
_SQS_ALL = """
              - Effect: Allow
                Action: sqs:*
                Resource: !GetAtt OrderQueue.Arn"""
_SQS_WILDCARDS = """
              - Effect: Allow
                Action: [sqs:Receive*, sqs:Delete*, sqs:GetQueueAttributes]
                Resource: "*\""""
_SQS_SEND_ONLY = """
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt OrderQueue.Arn"""
_STREAM_ON_TABLE = """
              - Effect: Allow
                Action: [dynamodb:DescribeStream, dynamodb:GetRecords, dynamodb:GetShardIterator,
                         dynamodb:ListStreams]
                Resource: !GetAtt OrderTable.Arn"""
_STREAM_PATTERN = """
              - Effect: Allow
                Action: [dynamodb:DescribeStream, dynamodb:GetRecords, dynamodb:GetShardIterator,
                         dynamodb:ListStreams]
                Resource: !Sub "${OrderTable.Arn}/stream/*\""""
_EVERYTHING = """
              - Effect: Allow
                Action: "*"
                Resource: "*\""""
_KINESIS_MANAGED = "\n        - arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole"
_CUSTOMER_MANAGED = "\n        - !Sub arn:aws:iam::${AWS::AccountId}:policy/stream-readers"

_SQS_JSON = """
{
  "Resources": {
    "JobQueue": {"Type": "AWS::SQS::Queue"},
    "WorkerRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [
          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
      }
    },
    "WorkerPolicy": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "worker",
        "Roles": [{"Ref": "WorkerRole"}],
        "PolicyDocument": {"Statement": [
          {"Effect": "Allow", "Action": @ACTIONS@, "Resource": {"Fn::GetAtt": ["JobQueue", "Arn"]}}]}
      }
    },
    "Worker": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "Handler": "index.handler",
        "Role": {"Fn::GetAtt": ["WorkerRole", "Arn"]},
        "Code": {"ZipFile": "def handler(event, context):\\n    return None\\n"}
      }
    },
    "WorkerMapping": {
      "Type": "AWS::Lambda::EventSourceMapping",
      "DependsOn": ["WorkerPolicy"],
      "Properties": {
        "FunctionName": {"Fn::GetAtt": ["Worker", "Arn"]},
        "EventSourceArn": {"Fn::GetAtt": ["JobQueue", "Arn"]}@MARKER@
      }
    }
  }
}
"""


def _sqs_json(actions: list[str], marker: str = "") -> str:
    return _SQS_JSON.replace("@ACTIONS@", json.dumps(actions)).replace("@MARKER@", marker)


_PULUMI_STACK = """
import json

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        queue = aws.sqs.Queue(f"jobs-{{args.environment_suffix}}")
        role = aws.iam.Role(
            f"worker-role-{{args.environment_suffix}}",
            assume_role_policy=json.dumps({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}),
        )
        aws.iam.RolePolicyAttachment(
            f"worker-logs-{{args.environment_suffix}}",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        )
        aws.iam.RolePolicy(
            f"worker-policy-{{args.environment_suffix}}",
            role=role.id,
            policy=queue.arn.apply(lambda arn: json.dumps({{"Version": "2012-10-17", "Statement": [
                {{"Effect": "Allow", "Action": {actions}, "Resource": arn}}]}})),
        )
        worker = aws.lambda_.Function(
            f"worker-{{args.environment_suffix}}",
            runtime="python3.12",
            handler="index.handler",
            role=role.arn,
            code=pulumi.AssetArchive({{"index.py": pulumi.StringAsset("def handler(e, c):\\n    return None\\n")}}),
        )
        aws.lambda_.EventSourceMapping(
            f"worker-jobs-{{args.environment_suffix}}",
            event_source_arn=queue.arn,  {marker}
            function_name=worker.arn,
        )
"""

_CDK_STACK = """
from aws_cdk import Stack, StackProps
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        stream = kinesis.Stream(self, "InventoryStream", shard_count=1)
        processor = lambda_.Function(
            self,
            "InventoryProcessor",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return None\\n"),
        )
{wiring}
"""

_CDK_MAPPING = """        lambda_.EventSourceMapping(
            self,
            "InventoryMapping",
            target=processor,
            event_source_arn=stream.stream_arn,  {marker}
            starting_position=lambda_.StartingPosition.LATEST,
        )"""
_CDK_EVENT_SOURCE = """        processor.add_event_source(
            sources.KinesisEventSource(stream, starting_position=lambda_.StartingPosition.LATEST)
        )"""
_CDK_GRANT = """        stream.grant_read(processor)
        stream.grant(processor, "kinesis:DescribeStream")"""


def _cdk(wiring: str) -> str:
    return _CDK_STACK.format(wiring=wiring)


EventSourceRoleCannotRead.INVALID = [
    Example.cfn_yaml(
        _cfn("!GetAtt OrderStream.Arn", marker="  # expect: IAC019"),
        title="Kinesis stream, role with basic execution only",
    ),
    Example.cfn_yaml(
        _cfn("!GetAtt OrderTable.StreamArn", _STREAM_ON_TABLE, marker="  # expect: IAC019"),
        title="DynamoDB stream actions granted on the table ARN, not the stream",
    ),
    Example.cfn_yaml(
        _cfn(
            "!Sub arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/clicks",
            _SQS_ALL,
            marker="  # expect: IAC019",
        ),
        title="literal Kinesis ARN, role reads only a queue",
    ),
    Example.cfn_json(
        _sqs_json(["sqs:SendMessage", "sqs:GetQueueAttributes"], "  // expect: IAC019"),
        title="SQS queue, attached policy can only send",
    ),
    Example.pulumi(
        _PULUMI_STACK.format(actions='["sqs:ReceiveMessage"]', marker="# expect: IAC019"),
        title="Pulumi: SQS mapping, RolePolicy without sqs:DeleteMessage",
    ),
    Example.cdk(
        _cdk(_CDK_MAPPING.format(marker="# expect: IAC019")),
        title="CDK: lambda_.EventSourceMapping grants nothing",
    ),
]

EventSourceRoleCannotRead.VALID = [
    Example.cfn_yaml(
        _cfn("!GetAtt OrderStream.Arn", _KINESIS_READ), title="Kinesis read actions on the stream"
    ),
    Example.cfn_yaml(
        _cfn("!GetAtt OrderStream.Arn", managed=_KINESIS_MANAGED), title="AWSLambdaKinesisExecutionRole"
    ),
    Example.cfn_yaml(_cfn("!GetAtt OrderQueue.Arn", _SQS_ALL, starting=False), title="sqs:* on the queue"),
    Example.cfn_yaml(
        _cfn("!GetAtt OrderQueue.Arn", _SQS_WILDCARDS, starting=False), title="sqs:Receive* on every resource"
    ),
    Example.cfn_yaml(_cfn("!GetAtt OrderTable.StreamArn", _STREAM_PATTERN), title="${Table.Arn}/stream/*"),
    Example.cfn_yaml(_cfn("!GetAtt OrderStream.Arn", _EVERYTHING), title='Action "*"'),
    Example.cfn_yaml(
        _cfn("!GetAtt OrderStream.Arn", managed=_CUSTOMER_MANAGED),
        title="a customer managed policy iacscan cannot read",
    ),
    Example.cfn_json(
        _sqs_json(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]),
        title="SQS queue, attached policy with the consume actions",
    ),
    Example.pulumi(
        _PULUMI_STACK.format(
            actions='["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]', marker=""
        ),
        title="Pulumi: RolePolicy with the consume actions",
    ),
    Example.cdk(_cdk(_CDK_EVENT_SOURCE), title="CDK: KinesisEventSource grants the read"),
    Example.cdk(
        _cdk(_CDK_GRANT + "\n" + _CDK_MAPPING.format(marker="")),
        title="CDK: stream.grant_read next to the mapping",
    ),
]
