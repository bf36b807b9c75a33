"""IAC019 on small worktrees of each platform: what is reported, and every way the rule stays silent
when a link of mapping -> function -> role -> policies -> source is unknown or granted."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Finding
from analyzer.graph import ResourceGraph
from analyzer.iam import allows, arn_matches, normalize_document, resource_arn, resource_resolver
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import Example, RuleContext
from analyzer.rules.iac019_event_source_role_cannot_read import EventSourceRoleCannotRead

_TEMPLATE = """
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  OtherJobs:
    Type: AWS::SQS::Queue
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns: @MANAGED@
      Policies:
        - PolicyName: worker
          PolicyDocument:
            Statement: @STATEMENTS@
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker-fn
      Runtime: python3.12
      Handler: index.handler
      Role: @ROLE@
      Code:
        ZipFile: |
          def handler(event, context):
              return None
  WorkerAlias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Worker
      FunctionVersion: $LATEST
      Name: live
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: @FUNCTION@
      EventSourceArn: @SOURCE@@MAPPING_EXTRA@
@EXTRA@"""

_BASIC = '["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]'
_CONSUME = [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"], "Resource": "*"}]


def template(
    *,
    statements: list[dict] | None = None,
    managed: str = _BASIC,
    role: str = "!GetAtt WorkerRole.Arn",
    function: str = "!Ref Worker",
    source: str = "!GetAtt Jobs.Arn",
    mapping_extra: str = "",
    extra: str = "",
) -> str:
    rendered = json.dumps(
        statements if statements is not None else [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]
    )
    return (
        _TEMPLATE.replace("@STATEMENTS@", rendered)
        .replace("@MANAGED@", managed)
        .replace("@ROLE@", role)
        .replace("@FUNCTION@", function)
        .replace("@SOURCE@", source)
        .replace("@MAPPING_EXTRA@", mapping_extra)
        .replace("@EXTRA@", textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") if extra else "")
    )


def findings_of(root: Path, files: dict[str, str]) -> list[Finding]:
    Example(files).materialize(root)
    result = scan([root], Config(), rules=[EventSourceRoleCannotRead])
    assert not [f for f in result.findings if f.rule_id in ("IAC900", "IAC901")], result.findings
    return [f for f in result.findings if f.rule_id == "IAC019"]


def cfn(root: Path, text: str) -> list[Finding]:
    return findings_of(root, {"lib/TapStack.yml": text})


# -- CloudFormation: what is reported -------------------------------------------------------------------


def test_sqs_without_consume_actions_is_reported_at_the_source_property(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, template())
    assert finding.location.path == "lib/TapStack.yml"
    assert template().splitlines()[finding.location.line].strip().startswith("EventSourceArn:")
    assert "sqs:ReceiveMessage, sqs:DeleteMessage" in finding.message
    assert (
        "'Mapping'" in finding.message and "'Worker'" in finding.message and "'WorkerRole'" in finding.message
    )
    assert "AWSLambdaSQSQueueExecutionRole" in finding.fix_hint
    assert '"sqs:GetQueueAttributes"' in finding.fix_hint and "<Jobs.Arn>" in finding.fix_hint
    assert finding.key == "Mapping|WorkerRole|sqs"
    assert finding.related[0].message == "execution role of 'Worker'"


def test_only_the_missing_actions_are_named(tmp_path: Path) -> None:
    statements = [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}]
    [finding] = cfn(tmp_path, template(statements=statements))
    assert "does not allow sqs:DeleteMessage on it" in finding.message


def test_grant_on_another_queue_is_reported(tmp_path: Path) -> None:
    statements = [
        {
            "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
            "Resource": {"Fn::GetAtt": ["OtherJobs", "Arn"]},
        }
    ]
    assert len(cfn(tmp_path, template(statements=statements))) == 1


def test_deny_wins_over_allow(tmp_path: Path) -> None:
    statements = [*_CONSUME, {"Effect": "Deny", "Action": "sqs:DeleteMessage", "Resource": "*"}]
    [finding] = cfn(tmp_path, template(statements=statements))
    assert "sqs:DeleteMessage" in finding.message and "ReceiveMessage" not in finding.message


@pytest.mark.parametrize(
    "function",
    [
        "!GetAtt Worker.Arn",
        "!Ref WorkerAlias",
        "worker-fn",
        "arn:aws:lambda:us-east-1:123456789012:function:worker-fn:live",
    ],
)
def test_function_named_by_reference_alias_or_literal(tmp_path: Path, function: str) -> None:
    assert len(cfn(tmp_path, template(function=function))) == 1


def test_kinesis_and_dynamodb_sources(tmp_path: Path) -> None:
    [kinesis] = cfn(tmp_path / "k", template(source="!GetAtt Clicks.Arn"))
    assert "kinesis:DescribeStream, kinesis:GetRecords, kinesis:GetShardIterator" in kinesis.message
    assert "AWSLambdaKinesisExecutionRole" in kinesis.fix_hint
    [dynamodb] = cfn(tmp_path / "d", template(source="!GetAtt Orders.StreamArn"))
    assert "dynamodb:DescribeStream" in dynamodb.message and "<Orders.StreamArn>" in dynamodb.fix_hint


def test_a_complete_managed_policy_for_another_source_does_not_help(tmp_path: Path) -> None:
    managed = '["arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole"]'
    assert len(cfn(tmp_path, template(managed=managed))) == 1  # SQS source, Kinesis policy


def test_literal_arns_say_which_service(tmp_path: Path) -> None:
    queue = "!Sub arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs"
    assert len(cfn(tmp_path / "q", template(source=queue))) == 1
    stream = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
    assert len(cfn(tmp_path / "s", template(source=stream))) == 1
    # A Kafka cluster or an MQ broker: not judged.
    kafka = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc"
    assert cfn(tmp_path / "k", template(source=kafka)) == []
    # The service itself unknown: not judged.
    assert cfn(tmp_path / "u", template(source="!Sub arn:aws:${Service}:us-east-1:123456789012:jobs")) == []


def test_resource_policy_with_a_service_principal_only_does_not_silence(tmp_path: Path) -> None:
    extra = """
    JobsPolicy:
      Type: AWS::SQS::QueuePolicy
      Properties:
        Queues: [!Ref Jobs]
        PolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {Service: sns.amazonaws.com}
              Action: sqs:SendMessage
              Resource: !GetAtt Jobs.Arn
    """
    assert len(cfn(tmp_path, template(extra=extra))) == 1


# -- CloudFormation: silence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statements",
    [
        _CONSUME,
        [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        [{"Effect": "Allow", "Action": "sqs:*", "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]}}],
        [{"Effect": "Allow", "Action": ["sqs:Receive*", "SQS:deletemessage"], "Resource": "*"}],
        [
            {
                "Effect": "Allow",
                "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                "Resource": {"Fn::Sub": "arn:aws:sqs:*:*:*"},
            }
        ],
        [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}],
    ],
    ids=["exact", "star", "service-wildcard", "action-wildcards", "arn-pattern", "not-action"],
)
def test_grants_that_cover_the_queue(tmp_path: Path, statements: list[dict]) -> None:
    assert cfn(tmp_path, template(statements=statements)) == []


@pytest.mark.parametrize(
    "managed",
    [
        "[arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]",  # contents not in the table
        "[!Sub 'arn:aws:iam::${AWS::AccountId}:policy/queue-readers']",  # customer managed
        "!Ref ManagedPolicies",  # a parameter
        "[arn:aws:iam::aws:policy/AdministratorAccess]",  # known: allows everything
    ],
)
def test_managed_policies_that_may_or_do_allow(tmp_path: Path, managed: str) -> None:
    text = template(managed=managed)
    if "ManagedPolicies" in managed:
        text = "Parameters:\n  ManagedPolicies:\n    Type: CommaDelimitedList\n" + text
    assert cfn(tmp_path, text) == []


def test_unknown_policy_documents_are_silent(tmp_path: Path) -> None:
    conditioned = [{**_CONSUME[0], "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}}]
    assert cfn(tmp_path / "c", template(statements=conditioned)) == []
    unknown_action = [{"Effect": "Allow", "Action": {"Ref": "Actions"}, "Resource": "*"}]
    text = "Parameters:\n  Actions:\n    Type: String\n" + template(statements=unknown_action)
    assert cfn(tmp_path / "a", text) == []


def test_a_policy_attached_to_an_unidentified_role_may_be_this_roles(tmp_path: Path) -> None:
    extra = """
    Readers:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: readers
        Roles: [!ImportValue shared-worker-role]
        PolicyDocument:
          Statement:
            - {Effect: Allow, Action: "sqs:*", Resource: "*"}
    """
    assert cfn(tmp_path, template(extra=extra)) == []


def test_role_handed_to_a_nested_stack_may_gain_policies_there(tmp_path: Path) -> None:
    extra = """
    Permissions:
      Type: AWS::CloudFormation::Stack
      Properties:
        TemplateURL: https://example.com/permissions.yml
        Parameters:
          WorkerRoleName: !Ref WorkerRole
    """
    assert cfn(tmp_path, template(extra=extra)) == []


def test_separately_attached_policy_is_read(tmp_path: Path) -> None:
    extra = """
    WorkerQueuePolicy:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: queue
        Roles: [!Ref WorkerRole]
        PolicyDocument:
          Statement:
            - {Effect: Allow, Action: [sqs:ReceiveMessage, sqs:DeleteMessage], Resource: !GetAtt Jobs.Arn}
    """
    assert cfn(tmp_path, template(extra=extra)) == []


@pytest.mark.parametrize(
    ("role", "function"),
    [
        ("arn:aws:iam::123456789012:role/shared-worker", "!Ref Worker"),  # role from outside the stack
        ("!ImportValue worker-role-arn", "!Ref Worker"),
        ("!GetAtt WorkerRole.Arn", "elsewhere-fn"),  # function from outside the stack
        ("!GetAtt WorkerRole.Arn", "!ImportValue worker-fn"),
    ],
)
def test_unknown_function_or_role(tmp_path: Path, role: str, function: str) -> None:
    assert cfn(tmp_path, template(role=role, function=function)) == []


def test_resource_policy_naming_a_role_or_unknown_queues(tmp_path: Path) -> None:
    extra = """
    JobsPolicy:
      Type: AWS::SQS::QueuePolicy
      Properties:
        Queues: [@QUEUES@]
        PolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: !GetAtt WorkerRole.Arn}
              Action: [sqs:ReceiveMessage, sqs:DeleteMessage]
              Resource: "*"
    """
    assert cfn(tmp_path / "r", template(extra=extra.replace("@QUEUES@", "!Ref Jobs"))) == []
    assert cfn(tmp_path / "u", template(extra=extra.replace("@QUEUES@", "!ImportValue queue-url"))) == []
    # A policy on another queue of the stack says nothing about this one.
    assert len(cfn(tmp_path / "o", template(extra=extra.replace("@QUEUES@", "!Ref OtherJobs")))) == 1


def test_disabled_mapping_and_other_sources(tmp_path: Path) -> None:
    assert cfn(tmp_path / "d", template(mapping_extra="\n      Enabled: false")) == []
    extra = """
    Broker:
      Type: AWS::MSK::Cluster
      Properties:
        ClusterName: orders
        KafkaVersion: 3.6.0
        NumberOfBrokerNodes: 2
        BrokerNodeGroupInfo: {InstanceType: kafka.m5.large, ClientSubnets: [subnet-1, subnet-2]}
    """
    assert cfn(tmp_path / "m", template(source="!Ref Broker", extra=extra)) == []


def test_dynamodb_stream_grants(tmp_path: Path) -> None:
    actions = [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    ]
    source = "!GetAtt Orders.StreamArn"
    pattern = [{"Effect": "Allow", "Action": actions, "Resource": {"Fn::Sub": "${Orders.Arn}/stream/*"}}]
    assert cfn(tmp_path / "p", template(statements=pattern, source=source)) == []
    exact = [{"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["Orders", "StreamArn"]}}]
    assert cfn(tmp_path / "e", template(statements=exact, source=source)) == []
    managed = '["arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"]'
    assert cfn(tmp_path / "m", template(managed=managed, source=source)) == []
    on_table = [{"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["Orders", "Arn"]}}]
    assert len(cfn(tmp_path / "t", template(statements=on_table, source=source))) == 1


def test_json_template(tmp_path: Path) -> None:
    document = {
        "Resources": {
            "Jobs": {"Type": "AWS::SQS::Queue"},
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ]
                    }
                },
            },
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Code": {"ZipFile": "def handler(e, c):\n    return None\n"},
                },
            },
            "Mapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "FunctionName": {"Ref": "Fn"},
                    "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]},
                },
            },
        }
    }
    [finding] = findings_of(tmp_path, {"lib/TapStack.json": json.dumps(document, indent=2)})
    assert finding.resource == "Mapping"


# -- Pulumi --------------------------------------------------------------------------------------------------

_PULUMI = """
import json

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        stream = aws.kinesis.Stream("clicks", shard_count=1)
        role = aws.iam.Role("reader-role", assume_role_policy=json.dumps({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]}))
@GRANT@
        reader = aws.lambda_.Function("reader", runtime="python3.12", handler="index.handler", role=role.arn,
            code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(e, c):\\n    return None\\n")}))
        aws.lambda_.EventSourceMapping("reader-clicks", event_source_arn=stream.arn, function_name=reader.name,
            starting_position="LATEST")
"""


def pulumi(root: Path, grant: str) -> list[Finding]:
    return findings_of(root, Example.pulumi(_PULUMI.replace("@GRANT@", grant)).files)


def test_pulumi_kinesis_reader(tmp_path: Path) -> None:
    assert len(pulumi(tmp_path / "none", "")) == 1
    managed = (
        '        aws.iam.RolePolicyAttachment("reader-kinesis", role=role.name,\n'
        "            policy_arn=aws.iam.ManagedPolicy.AWS_LAMBDA_KINESIS_EXECUTION_ROLE)"
    )
    assert pulumi(tmp_path / "managed", managed) == []
    inline = (
        '        aws.iam.RolePolicy("reader-policy", role=role.id, policy=stream.arn.apply(lambda arn: json.dumps(\n'
        '            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": arn,\n'
        '             "Action": ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator"]}]})))'
    )
    assert pulumi(tmp_path / "inline", inline) == []
    # A managed policy of the stack attached with PolicyAttachment (roles=[...]) is read too.
    attached = (
        '        policy = aws.iam.Policy("reader", policy=stream.arn.apply(lambda arn: json.dumps(\n'
        '            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": arn,\n'
        '             "Action": ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator"]}]})))\n'
        '        aws.iam.PolicyAttachment("reader-attach", roles=[role.name], policy_arn=policy.arn)'
    )
    assert pulumi(tmp_path / "attached", attached) == []
    assert len(pulumi(tmp_path / "detached", attached.replace("roles=[role.name]", 'users=["ci"]'))) == 1
    # A policy whose document comes from outside the stack may grant anything.
    opaque = (
        '        aws.iam.RolePolicy("reader-policy", role=role.id, policy=pulumi.Config().require("policy"))'
    )
    assert pulumi(tmp_path / "opaque", opaque) == []


# -- CDK --------------------------------------------------------------------------------------------------------

_CDK = """
from aws_cdk import Stack, StackProps
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        queue = sqs.Queue(self, "Jobs")
        table = dynamodb.Table(self, "Orders",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            stream=dynamodb.StreamViewType.NEW_IMAGE)
        worker = lambda_.Function(self, "Worker", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler",
            code=lambda_.Code.from_inline("def handler(e, c):\\n    return None\\n"))
@WIRING@
"""


def cdk(root: Path, wiring: str) -> list[Finding]:
    return findings_of(root, Example.cdk(_CDK.replace("@WIRING@", textwrap.indent(wiring, " " * 8))).files)


def test_cdk_mappings_without_grants(tmp_path: Path) -> None:
    [l1] = cdk(
        tmp_path / "l1",
        'lambda_.CfnEventSourceMapping(self, "M", function_name=worker.function_name,\n'
        "    event_source_arn=queue.queue_arn)",
    )
    assert l1.resource.endswith("/M")
    [method] = cdk(
        tmp_path / "method", 'worker.add_event_source_mapping("FromJobs", event_source_arn=queue.queue_arn)'
    )
    assert method.resource.endswith("/Worker/FromJobs")
    [stream] = cdk(
        tmp_path / "l2",
        'lambda_.EventSourceMapping(self, "M", target=worker, event_source_arn=table.table_stream_arn,\n'
        "    starting_position=lambda_.StartingPosition.LATEST)",
    )
    assert "DynamoDB stream" in stream.message
    assert "table.grant_stream_read(fn) on '" in stream.fix_hint and "/Orders'" in stream.fix_hint
    assert "DynamoEventSource" in stream.fix_hint


@pytest.mark.parametrize(
    "grant",
    [
        "worker.add_event_source(sources.SqsEventSource(queue))",
        "queue.grant_consume_messages(worker)",
        "queue.grant(worker, 'sqs:ReceiveMessage', 'sqs:DeleteMessage')",
        "worker.add_to_role_policy(iam.PolicyStatement(actions=['sqs:*'], resources=[queue.queue_arn]))",
        "queue.grant_purge(worker)\nqueue.grant_consume_messages(worker.role)",
        "queue.grant_consume_messages(worker.grant_principal)",
        "iam.Grant.add_to_principal(grantee=worker, actions=['sqs:ReceiveMessage', 'sqs:DeleteMessage'],\n"
        "    resource_arns=[queue.queue_arn])",
        "worker.role.attach_inline_policy(iam.Policy(self, 'P', statements=[\n"
        "    iam.PolicyStatement(actions=['sqs:*'], resources=['*'])]))",
    ],
)
def test_cdk_grants_silence_the_queue_mapping(tmp_path: Path, grant: str) -> None:
    wiring = (
        grant
        + '\nlambda_.CfnEventSourceMapping(self, "M", function_name=worker.function_name,\n    event_source_arn=queue.queue_arn)'
    )
    assert cdk(tmp_path, wiring) == []


def test_cdk_initial_policy_lands_on_the_function_role(tmp_path: Path) -> None:
    stack = _CDK.replace(
        'code=lambda_.Code.from_inline("def handler(e, c):\\n    return None\\n"))',
        'code=lambda_.Code.from_inline("def handler(e, c):\\n    return None\\n"),\n'
        "            initial_policy=[iam.PolicyStatement(actions=['sqs:ReceiveMessage', 'sqs:DeleteMessage'],\n"
        "                                                resources=[queue.queue_arn])])",
    )
    assert stack != _CDK
    wiring = 'lambda_.EventSourceMapping(self, "M", target=worker, event_source_arn=queue.queue_arn)'
    files = Example.cdk(stack.replace("@WIRING@", textwrap.indent(wiring, " " * 8))).files
    assert findings_of(tmp_path, files) == []


def test_cdk_stream_event_sources_and_unmodelled_grants(tmp_path: Path) -> None:
    mapping = '\nlambda_.CfnEventSourceMapping(self, "M", function_name=worker.function_name,\n    event_source_arn=table.table_stream_arn)'
    # DynamoEventSource grants the stream read (its own mapping is then fine, and so is a second one).
    source = "worker.add_event_source(sources.DynamoEventSource(table, starting_position=lambda_.StartingPosition.LATEST))"
    assert cdk(tmp_path / "source", source + mapping) == []
    # table.grant_stream_read is not in the CDK tables: it may grant the read, so nothing is said.
    assert cdk(tmp_path / "grant", "table.grant_stream_read(worker)" + mapping) == []
    # A grant on an unrelated resource does not hide the missing read.
    assert len(cdk(tmp_path / "other", "queue.grant_send_messages(worker)" + mapping)) == 1


def test_cdk_unmodelled_grant_never_grants_pass_role(tmp_path: Path) -> None:
    """The statement an unknown grant leaves may allow anything but iam:PassRole (IAC003 unchanged)."""
    Example.cdk(_CDK.replace("@WIRING@", "        table.grant_stream_read(worker)")).materialize(tmp_path)
    result = scan([tmp_path], Config(), rules=[EventSourceRoleCannotRead])
    [project_result] = result.projects
    project = project_result.project
    [policy] = [r for r in project.resources if r.id.endswith("Worker/ServiceRole/DefaultPolicy")]
    statements = normalize_document(policy.prop("PolicyDocument"))
    assert allows(statements, "iam:PassRole", Ref("Other", "Arn")) is False
    assert allows(statements, "dynamodb:GetRecords", Ref("x/Orders", "StreamArn")) is None


# -- iam helpers ------------------------------------------------------------------------------------------------

_WHERE = Location("lib/TapStack.yml", 1)


def _project(*resources: Resource) -> Project:
    return Project(root="/x", platform="cloudformation", resources=resources)


def test_resource_arns_and_resolver() -> None:
    queue = Resource("Jobs", "AWS::SQS::Queue", _WHERE, name=Literal("jobs-dev"))
    other = Resource("Other", "AWS::SQS::Queue", _WHERE)
    table = Resource("Orders", "AWS::DynamoDB::Table", _WHERE)
    project = _project(queue, other, table)
    resolve = resource_resolver(project)
    arn = resource_arn(queue, "Arn")
    assert (
        isinstance(arn, Concat)
        and arn.parts[0] == Literal("arn:aws:sqs:")
        and arn.parts[-1] == Literal("jobs-dev")
    )
    assert resource_arn(queue, None) is None and resource_arn(table, "Arn") is not None
    # Two queues of the project never share an ARN; a queue's own ARN matches itself.
    assert arn_matches(Ref("Other", "Arn"), Ref("Jobs", "Arn"), resolve) is False
    assert arn_matches(Ref("Jobs", "Arn"), Ref("Jobs", "Arn"), resolve) is True
    assert arn_matches(Literal("arn:aws:sqs:*:*:jobs-*"), Ref("Jobs", "Arn"), resolve) is True
    assert arn_matches(Literal("arn:aws:sns:*"), Ref("Jobs", "Arn"), resolve) is False
    # After an unknown region or account, any text may follow: not judged.
    assert arn_matches(Literal("arn:aws:sqs:*:*:mail-*"), Ref("Jobs", "Arn"), resolve) is None
    # A table's ARN does not cover its stream; "<table ARN>/stream/*" does.
    stream = Ref("Orders", "StreamArn")
    assert arn_matches(Ref("Orders", "Arn"), stream, resolve) is False
    assert arn_matches(Concat((Ref("Orders", "Arn"), Literal("/stream/*"))), stream, resolve) is True
    # An unknown pattern is not judged.
    assert arn_matches(Unknown("a parameter"), stream, resolve) is None


# -- robustness -------------------------------------------------------------------------------------------------

_VALUES: st.SearchStrategy[Value] = st.recursive(
    st.one_of(
        st.builds(Literal, st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30))),
        st.builds(
            Ref,
            st.sampled_from(["Fn", "Role", "Queue", "Missing", "Mapping"]),
            st.sampled_from([None, "Arn", "Name", "StreamArn", "X"]),
        ),
        st.builds(Unknown, st.text(max_size=5), st.sampled_from([Origin.NONE, Origin.ACCOUNT])),
        st.sampled_from(
            [
                Literal("arn:aws:sqs:us-east-1:1:q"),
                Literal("arn:aws:kinesis:us-east-1:1:stream/s"),
                Literal("arn:aws:dynamodb:us-east-1:1:table/t/stream/l"),
                Literal("*"),
            ]
        ),
    ),
    lambda inner: st.one_of(
        st.builds(lambda items: Literal(tuple(items)), st.lists(inner, max_size=3)),
        st.builds(
            lambda items: Literal(dict(items)),
            st.lists(
                st.tuples(
                    st.sampled_from(
                        ["Statement", "Effect", "Action", "Resource", "Principal", "Condition", "NotAction"]
                    ),
                    inner,
                ),
                max_size=4,
            ),
        ),
        st.builds(lambda items: Concat(tuple(items)), st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(function=_VALUES, role=_VALUES, source=_VALUES, document=_VALUES, enabled=_VALUES)
def test_arbitrary_values_never_crash(
    function: Value, role: Value, source: Value, document: Value, enabled: Value
) -> None:
    resources = (
        Resource("Queue", "AWS::SQS::Queue", _WHERE),
        Resource(
            "Role", "AWS::IAM::Role", _WHERE, {"Policies": Literal((Literal({"PolicyDocument": document}),))}
        ),
        Resource("Fn", "AWS::Lambda::Function", _WHERE, {"Role": role}, name=Literal("fn")),
        Resource(
            "Mapping",
            "AWS::Lambda::EventSourceMapping",
            _WHERE,
            {"FunctionName": function, "EventSourceArn": source, "Enabled": enabled},
        ),
        Resource("Policy", "AWS::SQS::QueuePolicy", _WHERE, {"Queues": source, "PolicyDocument": document}),
    )
    project = _project(*resources)
    found = list(EventSourceRoleCannotRead().check(RuleContext(project, ResourceGraph(project))))
    assert all(f.rule_id == "IAC019" and f.resource == "Mapping" for f in found)
