"""IAC022 on small worktrees of each platform: what is reported, and every way the rule stays silent
when a link of task definition -> execution role -> policies -> secret source is unknown or granted."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Finding
from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value, render
from analyzer.rules.base import Example, RuleContext
from analyzer.rules.iac022_task_secrets_execution_role_cannot_read import (
    TaskSecretsExecutionRoleCannotRead,
    _covers,
    _resolver,
    _source,
)

_TEMPLATE = """
Resources:
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: db-creds-dev
  OtherSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: other-dev
  ApiKey:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /shop/dev/api-key
      Type: String
      Value: x
  ExecRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns: @MANAGED@
      Policies:
        - PolicyName: exec
          PolicyDocument:
            Statement: @STATEMENTS@
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ExecutionRoleArn: @ROLE@
      ContainerDefinitions:
        - Name: web
          Image: nginx
          Secrets:
            - Name: SECRET
              ValueFrom: @SOURCE@
@EXTRA@"""

_MANAGED = "[arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]"
_LOGS = [{"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}]


def template(
    *,
    statements: list[dict] | None = None,
    managed: str = _MANAGED,
    role: str = "!GetAtt ExecRole.Arn",
    source: str = "!Ref DbSecret",
    extra: str = "",
) -> str:
    return (
        _TEMPLATE.replace("@STATEMENTS@", json.dumps(statements if statements is not None else _LOGS))
        .replace("@MANAGED@", managed)
        .replace("@ROLE@", role)
        .replace("@SOURCE@", source)
        .replace("@EXTRA@", textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") if extra else "")
    )


def findings_of(root: Path, files: Mapping[str, str]) -> list[Finding]:
    Example(dict(files)).materialize(root)
    result = scan([root], Config(), rules=[TaskSecretsExecutionRoleCannotRead])
    assert not [f for f in result.findings if f.rule_id in ("IAC900", "IAC901")], result.findings
    return [f for f in result.findings if f.rule_id == "IAC022"]


def cfn(root: Path, text: str) -> list[Finding]:
    return findings_of(root, {"lib/TapStack.yml": text})


def _allow(action: str | list[str], resource: object) -> dict[str, object]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


# -- CloudFormation: what is reported -------------------------------------------------------------------


def test_secret_with_only_the_managed_policy_is_reported_at_value_from(tmp_path: Path) -> None:
    text = template()
    [finding] = cfn(tmp_path, text)
    assert text.splitlines()[finding.location.line].strip().startswith("ValueFrom:")
    assert "'Task'" in finding.message and "'web'" in finding.message and "secret 'SECRET'" in finding.message
    assert "Secrets Manager secret 'DbSecret'" in finding.message and "'ExecRole'" in finding.message
    assert "secretsmanager:GetSecretValue" in finding.message and "AccessDeniedException" in finding.message
    assert "no task started from it can run" in finding.message
    assert '"secretsmanager:GetSecretValue"' in finding.fix_hint and "<DbSecret ARN>" in finding.fix_hint
    assert finding.key == "Task|web|secret 'SECRET'|ExecRole"
    assert finding.related[0].message == "execution role of 'Task'"


def test_a_service_running_the_task_is_named_in_the_outcome(tmp_path: Path) -> None:
    extra = """
    Service:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: !Ref Task
    """
    [finding] = cfn(tmp_path, template(extra=extra))
    assert "never reaches a steady state" in finding.message


@pytest.mark.parametrize(
    ("source", "statements", "action"),
    [
        # a JSON key suffix names the same secret
        ('!Sub "${DbSecret}:password::"', _LOGS, "secretsmanager:GetSecretValue"),
        # granted on another secret of the project
        (
            "!Ref DbSecret",
            [_allow("secretsmanager:GetSecretValue", {"Ref": "OtherSecret"})],
            "GetSecretValue",
        ),
        # granted by name, without the six random characters every secret ARN ends in
        (
            "!Ref DbSecret",
            [_allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:db-creds-dev")],
            "GetSecretValue",
        ),
        # ssm:GetParameter is not what the agent calls
        ("!Ref ApiKey", [_allow("ssm:GetParameter", "*")], "ssm:GetParameters"),
        # a parameter name is not its ARN
        ("!Ref ApiKey", [_allow("ssm:GetParameters", {"Ref": "ApiKey"})], "ssm:GetParameters"),
        # a literal parameter name outside the granted tree
        ("/shop/dev/db-url", [_allow("ssm:GetParameters", "arn:aws:ssm:*:*:parameter/other/*")], "ssm:"),
        # a literal secret ARN with a JSON key, only the task role's kind of grant
        (
            '!Sub "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:legacy-AbCdEf:key::"',
            [_allow("s3:GetObject", "*")],
            "GetSecretValue",
        ),
        # Deny wins
        (
            "!Ref DbSecret",
            [
                _allow("secretsmanager:*", "*"),
                {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"},
            ],
            "GetSecretValue",
        ),
    ],
)
def test_reported_sources(tmp_path: Path, source: str, statements: list[dict], action: str) -> None:
    [finding] = cfn(tmp_path, template(source=source, statements=statements))
    assert action in finding.message


@pytest.mark.parametrize(
    ("source", "reported"),
    [
        # a partial ARN (ECS accepts it): IAM is asked about the full ARN, which db-creds-* covers
        ('"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds"', False),
        # full or partial cannot be told: both readings are covered
        ('"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds-AbCdEf"', False),
        ('"arn:aws:secretsmanager:us-east-1:123456789012:secret:other"', True),
    ],
)
def test_literal_secret_arns_may_be_partial(tmp_path: Path, source: str, reported: bool) -> None:
    statements = [_allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:db-creds-*")]
    assert len(cfn(tmp_path, template(source=source, statements=statements))) == (1 if reported else 0)


def test_literal_parameter_name_is_compared_as_its_arn(tmp_path: Path) -> None:
    statements = [_allow("ssm:GetParameters", "arn:aws:ssm:*:*:parameter/other/*")]
    [finding] = cfn(tmp_path, template(source="shop-api-key", statements=statements))
    assert "SSM parameter shop-api-key" in finding.message
    assert "arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shop-api-key" in finding.fix_hint


def test_log_secret_options_and_repository_credentials_are_read(tmp_path: Path) -> None:
    text = template().replace(
        "          Secrets:\n",
        "          RepositoryCredentials: {CredentialsParameter: !Ref OtherSecret}\n"
        "          LogConfiguration:\n"
        "            LogDriver: splunk\n"
        "            SecretOptions: [{Name: splunk-token, ValueFrom: !Ref ApiKey}]\n"
        "          Secrets:\n",
    )
    found = cfn(tmp_path, text)
    assert sorted(f.key.split("|")[2] for f in found) == [
        "log option 'splunk-token'",
        "repository credentials",
        "secret 'SECRET'",
    ]


# -- CloudFormation: allowed, or not known ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "statements"),
    [
        ("!Ref DbSecret", [_allow("secretsmanager:GetSecretValue", {"Ref": "DbSecret"})]),
        ('!Sub "${DbSecret}:password::"', [_allow("secretsmanager:Get*", {"Ref": "DbSecret"})]),
        ("!Ref DbSecret", [_allow("*", "*")]),
        (
            "!Ref DbSecret",
            [_allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:db-creds-*")],
        ),
        ("!Ref DbSecret", [{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]),
        ("!Ref ApiKey", [_allow("ssm:*", "arn:aws:ssm:*:*:parameter/shop/*")]),
        ("!Ref ApiKey", [_allow("ssm:GetParameters", {"Fn::Sub": "arn:aws:ssm:*:*:parameter${ApiKey}"})]),
        ("/shop/dev/db-url", [_allow("ssm:GetParameters", "arn:aws:ssm:*:*:parameter/shop/*")]),
        ("shop-db-url", [_allow("ssm:GetParameters", "arn:aws:ssm:*:*:parameter/shop-*")]),
        # Region and account literal in the pattern, unknown in the value: not known
        (
            "!Ref ApiKey",
            [_allow("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/shop/dev/api-key")],
        ),
        # a condition iacscan does not evaluate
        (
            "!Ref DbSecret",
            [
                {
                    **_allow("secretsmanager:GetSecretValue", "*"),
                    "Condition": {"StringEquals": {"aws:ResourceTag/app": "shop"}},
                }
            ],
        ),
    ],
)
def test_allowed_or_unknown_grants_are_silent(tmp_path: Path, source: str, statements: list[dict]) -> None:
    assert cfn(tmp_path, template(source=source, statements=statements)) == []


@pytest.mark.parametrize(
    "source",
    [
        "!Ref SecretArnParameter",  # a template parameter
        "!GetAtt Database.MasterUserSecret.SecretArn",  # another resource's attribute
        "!ImportValue shared-secret-arn",
        "arn:aws:s3:::bucket/key",  # neither service
        "arn",  # too short to tell
        '!Sub "${SecretArnParameter}:password::"',
    ],
)
def test_unknown_sources_are_silent(tmp_path: Path, source: str) -> None:
    extra = """
    Database:
      Type: AWS::RDS::DBInstance
    """
    text = template(source=source, extra=extra)
    text = "Parameters:\n  SecretArnParameter:\n    Type: String\n" + text
    assert cfn(tmp_path, text) == []


@pytest.mark.parametrize(
    ("role", "managed", "extra"),
    [
        ("arn:aws:iam::123456789012:role/shared-exec", _MANAGED, ""),  # a role from outside the stack
        ("!Ref ExecRole", _MANAGED, ""),  # a name, not the ARN
        ("!GetAtt ExecRole.Arn", "[arn:aws:iam::aws:policy/SecretsManagerReadWrite]", ""),  # not in the table
        ("!GetAtt ExecRole.Arn", "[!Sub 'arn:aws:iam::${AWS::AccountId}:policy/read-secrets']", ""),
        (
            "!GetAtt ExecRole.Arn",
            _MANAGED,
            """
            Extra:
              Type: AWS::IAM::Policy
              Properties:
                PolicyName: extra
                Roles: [!ImportValue some-role-name]
                PolicyDocument: {Statement: []}
            """,
        ),
        (
            "!GetAtt ExecRole.Arn",
            _MANAGED,
            """
            Grants:
              Type: Custom::AttachPolicies
              Properties:
                ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:attach
                Role: !Ref ExecRole
            """,
        ),
        (
            "!GetAtt ExecRole.Arn",
            _MANAGED,
            """
            DbSecretPolicy:
              Type: AWS::SecretsManager::ResourcePolicy
              Properties:
                SecretId: !Ref DbSecret
                ResourcePolicy:
                  Statement:
                    - Effect: Allow
                      Principal: {AWS: !GetAtt ExecRole.Arn}
                      Action: secretsmanager:GetSecretValue
                      Resource: "*"
            """,
        ),
    ],
)
def test_unknown_roles_and_policies_are_silent(tmp_path: Path, role: str, managed: str, extra: str) -> None:
    assert cfn(tmp_path, template(role=role, managed=managed, extra=extra)) == []


@pytest.mark.parametrize(
    ("statements", "reported"),
    [
        (_LOGS, True),  # whatever the parameter names, the role reads no secret at all
        ([_allow("ssm:GetParameters", "arn:aws:ssm:*:*:parameter/other/*")], False),  # may be overridden
        ([_allow("secretsmanager:GetSecretValue", "*")], False),  # an override may be a secret ARN
    ],
)
def test_a_template_parameter_default_is_judged_only_without_any_read(
    tmp_path: Path, statements: list[dict], reported: bool
) -> None:
    text = "Parameters:\n  KeyName:\n    Type: String\n    Default: /shop/dev/key\n" + template(
        source="!Ref KeyName", statements=statements
    )
    assert len(cfn(tmp_path, text)) == (1 if reported else 0)


def test_no_execution_role_is_left_to_ecs(tmp_path: Path) -> None:
    text = template().replace("      ExecutionRoleArn: !GetAtt ExecRole.Arn\n", "")
    assert cfn(tmp_path, text) == []


def test_opaque_inline_policy_is_silent(tmp_path: Path) -> None:
    text = (
        template()
        .replace('Statement: [{"Effect"', 'Statement: !If [Cond, [], [{"Effect"')
        .replace('"*"}]\n', '"*"}]]\n', 1)
    )
    text = "Conditions:\n  Cond: !Equals [a, b]\n" + text
    assert cfn(tmp_path, text) == []


# -- Pulumi and CDK -------------------------------------------------------------------------------------------

_PULUMI = """
import json
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        s = args.environment_suffix
        secret = aws.secretsmanager.Secret(f"db-{s}", name=f"db-{s}")
        role = aws.iam.Role(f"exec-{s}", assume_role_policy=json.dumps({"Statement": []}))
        aws.iam.RolePolicyAttachment(
            f"exec-managed-{s}",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        )
@GRANT@
        aws.ecs.TaskDefinition(
            f"task-{s}",
            family=f"task-{s}",
            execution_role_arn=role.arn,
            container_definitions=@DEFINITIONS@,
        )
"""
_APPLY = (
    'secret.arn.apply(lambda arn: json.dumps([{"name": "web", "image": "nginx", '
    '"secrets": [{"name": "DB", "valueFrom": arn}]}]))'
)
_JSON_DUMPS = (
    'pulumi.Output.json_dumps([{"name": "web", "image": "nginx", '
    '"secrets": [{"name": "DB", "valueFrom": secret.arn}]}])'
)
_UNKNOWN_DEFINITIONS = "build_definitions(secret.arn)"
_POLICY = """        aws.iam.RolePolicy(
            f"exec-read-{s}",
            role=role.id,
            policy=secret.arn.apply(lambda arn: json.dumps({"Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": arn}]})),
        )"""


def pulumi(root: Path, definitions: str, grant: str = "") -> list[Finding]:
    stack = _PULUMI.replace("@DEFINITIONS@", definitions).replace("@GRANT@", grant)
    return findings_of(root, Example.pulumi(stack).files)


@pytest.mark.parametrize("definitions", [_APPLY, _JSON_DUMPS])
def test_pulumi_container_definitions_are_read(tmp_path: Path, definitions: str) -> None:
    [finding] = pulumi(tmp_path, definitions)
    assert "Secrets Manager secret 'db-{s}'" in finding.message
    assert finding.location.path == "lib/tap_stack.py"


@pytest.mark.parametrize(("definitions", "grant"), [(_APPLY, _POLICY), (_UNKNOWN_DEFINITIONS, "")])
def test_pulumi_granted_or_unknown_is_silent(tmp_path: Path, definitions: str, grant: str) -> None:
    assert pulumi(tmp_path, definitions, grant) == []


_CDK = """
from aws_cdk import Stack
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        secret = secretsmanager.Secret(self, "DbSecret")
        role = iam.Role(self, "ExecRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
        ecs.CfnTaskDefinition(
            self,
            "TaskDefinition",
            execution_role_arn=role.role_arn,
            container_definitions=[
                ecs.CfnTaskDefinition.ContainerDefinitionProperty(
                    name="api",
                    image="nginx",
                    secrets=[ecs.CfnTaskDefinition.SecretProperty(name="DB", value_from=secret.secret_arn)],
                )
            ],
        )
@MORE@
"""
_CDK_L2_SAME_ROLE = """        task = ecs.FargateTaskDefinition(self, "Other", execution_role=role)
        task.add_container(
            "web",
            image=ecs.ContainerImage.from_registry("nginx"),
            secrets={"DB": ecs.Secret.from_secrets_manager(secret)},
        )"""


def cdk(root: Path, more: str = "") -> list[Finding]:
    return findings_of(root, Example.cdk(_CDK.replace("@MORE@", more)).files)


def test_cdk_level1_task_definition_is_judged(tmp_path: Path) -> None:
    [finding] = cdk(tmp_path)
    assert "'TapStack{environment_suffix}/ExecRole'" in finding.message or "ExecRole" in finding.message


@pytest.mark.parametrize(
    "more",
    [
        "        secret.grant_read(role)",
        _CDK_L2_SAME_ROLE,  # an L2 task definition's add_container(secrets=...) grants to the same role
    ],
)
def test_cdk_grants_are_silent(tmp_path: Path, more: str) -> None:
    assert cdk(tmp_path, more) == []


# -- values ------------------------------------------------------------------------------------------------------

_WHERE = Location("lib/TapStack.yml", 1)


def _project(*resources: Resource) -> Project:
    return Project(root="/x", platform="cloudformation", resources=resources)


def test_sources_and_their_arns() -> None:
    secret = Resource("Db", "AWS::SecretsManager::Secret", _WHERE, name=Literal("db"))
    parameter = Resource("Key", "AWS::SSM::Parameter", _WHERE, name=Literal("/app/key"))
    project = _project(secret, parameter)
    kind, arn, source = _source(project, Concat((Ref("Db"), Literal(":password:AWSCURRENT:"))))  # type: ignore[misc]
    assert (kind, source) == ("secretsmanager", secret)
    assert render(arn).startswith("arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-")
    kind, arn, source = _source(project, Ref("Key", "Name"))  # type: ignore[misc]
    assert (kind, render(arn)) == ("ssm", "arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/key")
    _, arn, _ = _source(
        project, Literal("arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf:json:AWSPREVIOUS:")
    )  # type: ignore[misc]
    assert render(arn) == "arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf"
    assert _source(project, Ref("Db", "Name")) is None  # a bare secret name is read as a parameter name
    assert _source(project, Literal("arn:aws:ssm:us-east-1:1:document/x")) is None
    assert _source(project, Concat((Unknown("?"), Literal("/key")))) is None


def test_secret_arn_needs_a_wildcard_for_its_random_suffix() -> None:
    secret = Resource("Db", "AWS::SecretsManager::Secret", _WHERE, name=Literal("db"))
    project = _project(secret)
    _, arn, _ = _source(project, Ref("Db"))  # type: ignore[misc]
    resolve = _resolver(project)

    def verdict(resource: str) -> bool | None:
        return _covers(Literal(resource), arn, resolve)

    assert verdict("arn:aws:secretsmanager:*:*:secret:db") is False
    assert verdict("arn:aws:secretsmanager:*:*:secret:db-*") is True
    assert verdict("arn:aws:secretsmanager:*:*:secret:db-??????") is None  # each random character unknown
    assert verdict("arn:aws:secretsmanager:*:*:secret:other-*") is False
    assert verdict("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*") is None  # Region unknown
    assert verdict("arn:aws:secretsmanager:*:*:*") is True
    assert _covers(Ref("Db"), arn, resolve) is True
    assert _covers(Ref("Unrelated", "Arn"), arn, resolve) is None


_VALUES: st.SearchStrategy[Value] = st.recursive(
    st.one_of(
        st.builds(Literal, st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30))),
        st.builds(
            Ref,
            st.sampled_from(["Role", "Secret", "Param", "Task", "Missing"]),
            st.sampled_from([None, "Arn", "Name", "Id", "X"]),
        ),
        st.builds(
            Unknown, st.text(max_size=5), st.sampled_from([Origin.NONE, Origin.ACCOUNT, Origin.REGION])
        ),
        st.sampled_from(
            [
                Literal("arn:aws:ssm:us-east-1:1:parameter/x"),
                Literal("arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf:k::"),
                Literal("/app/x"),
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
                        [
                            "Statement",
                            "Effect",
                            "Action",
                            "Resource",
                            "Principal",
                            "Name",
                            "name",
                            "Secrets",
                            "secrets",
                            "ValueFrom",
                            "valueFrom",
                            "RepositoryCredentials",
                            "CredentialsParameter",
                            "LogConfiguration",
                            "SecretOptions",
                        ]
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
@given(role=_VALUES, containers=_VALUES, document=_VALUES, name=_VALUES)
def test_arbitrary_values_never_crash(role: Value, containers: Value, document: Value, name: Value) -> None:
    resources = (
        Resource("Secret", "AWS::SecretsManager::Secret", _WHERE, name=name),
        Resource("Param", "AWS::SSM::Parameter", _WHERE, name=name),
        Resource(
            "Role", "AWS::IAM::Role", _WHERE, {"Policies": Literal((Literal({"PolicyDocument": document}),))}
        ),
        Resource(
            "Task",
            "AWS::ECS::TaskDefinition",
            _WHERE,
            {"ExecutionRoleArn": role, "ContainerDefinitions": containers},
        ),
        Resource(
            "Policy",
            "AWS::SecretsManager::ResourcePolicy",
            _WHERE,
            {"SecretId": role, "ResourcePolicy": document},
        ),
    )
    project = _project(*resources)
    found = list(TaskSecretsExecutionRoleCannotRead().check(RuleContext(project, ResourceGraph(project))))
    assert all(f.rule_id == "IAC022" and f.resource == "Task" for f in found)


# -- sample repositories -----------------------------------------------------------------------------------

_SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
_SAMPLE_FINDINGS = {
    "cfn-ecs-secrets": [
        "lib/TapStack.yml:92 OrdersTaskDefinition|orders-api|secret 'DB_PASSWORD'|TaskExecutionRole",
        "lib/TapStack.yml:94 OrdersTaskDefinition|orders-api|secret 'PAYMENT_API_KEY'|TaskExecutionRole",
    ],
}


@pytest.mark.parametrize("name", sorted(path.name for path in _SAMPLES.iterdir() if path.is_dir()))
def test_samples(name: str) -> None:
    """The flawed sample yields exactly its findings; its clean twin and every other sample, none."""
    result = scan([_SAMPLES / name], Config(), rules=[TaskSecretsExecutionRoleCannotRead])
    got = sorted(
        f"{f.location.path}:{f.location.line} {f.key}" for f in result.findings if f.rule_id == "IAC022"
    )
    assert got == sorted(_SAMPLE_FINDINGS.get(name, []))
