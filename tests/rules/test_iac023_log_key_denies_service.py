"""IAC023 on small worktrees of each platform: a log group (or a CloudTrail trail) encrypted with a
KMS key of the project whose key policy grants the service nothing, and every way the rule stays
silent."""

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
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import Example, RuleContext
from analyzer.rules.iac023_log_key_denies_service import LogKeyDeniesService

_TEMPLATE = """
Parameters:
  ExternalKey:
    Type: String
  LogsPrincipal:
    Type: String
Resources:
  LogKey:
    Type: AWS::KMS::Key@KEY_EXTRA@
    Properties:
      EnableKeyRotation: true@POLICY@
  AppLogs:
    Type: AWS::Logs::LogGroup@GROUP_EXTRA@
    Properties:
      LogGroupName: /app/orders-dev
      KmsKeyId: @KEY@
"""

_ROOT = {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}}}
_ROOT = {**_ROOT, "Action": "kms:*", "Resource": "*"}
_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
_LOGS = {
    "Effect": "Allow",
    "Principal": {"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}},
    "Action": _ACTIONS,
    "Resource": "*",
}


def template(
    statements: list[dict] | None = None,
    *,
    key: str = "!GetAtt LogKey.Arn",
    key_extra: str = "",
    group_extra: str = "",
    extra: str = "",
) -> str:
    policy = ""
    if statements is not None:
        policy = "\n      KeyPolicy:\n        Statement: " + json.dumps(statements)
    text = (
        _TEMPLATE.replace("@POLICY@", policy)
        .replace("@KEY@", key)
        .replace("@KEY_EXTRA@", key_extra)
        .replace("@GROUP_EXTRA@", group_extra)
    )
    return text + (textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") + "\n" if extra else "")


def findings_of(root: Path, files: dict[str, str]) -> list[Finding]:
    Example(files).materialize(root)
    result = scan([root], Config(), rules=[LogKeyDeniesService])
    assert not [f for f in result.findings if f.rule_id in ("IAC900", "IAC901")], result.findings
    return [f for f in result.findings if f.rule_id == "IAC023"]


def cfn(root: Path, text: str) -> list[Finding]:
    return findings_of(root, {"lib/TapStack.yml": text})


# -- CloudFormation: what is reported ------------------------------------------------------------------


def test_root_only_policy_names_both_resources_the_error_and_the_fix(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, template([_ROOT]))
    assert finding.location.line == 17 and finding.resource == "AppLogs"
    assert "Log group 'AppLogs' (lib/TapStack.yml:13:3)" in finding.message
    assert "KMS key 'LogKey' (lib/TapStack.yml:7:3)" in finding.message
    assert "grants CloudWatch Logs none of" in finding.message
    assert (
        "is not allowed to be used with Arn 'arn:aws:logs:<region>:<account>:log-group:/app/orders-dev'"
        in (finding.message)
    )
    assert (
        "logs.${AWS::Region}.amazonaws.com" in finding.fix_hint and "kms:GenerateDataKey*" in finding.fix_hint
    )
    assert finding.related[0].location.line == 7
    assert finding.key == "AppLogs|LogKey"


def test_key_without_policy_gets_the_default_policy(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, template(None))
    assert "has no key policy, so AWS applies the default one" in finding.message


@pytest.mark.parametrize(
    "statements",
    [
        [_ROOT, {**_LOGS, "Principal": {"Service": "cloudtrail.amazonaws.com"}}],
        [_ROOT, {**_LOGS, "Principal": {"Service": ["lambda.amazonaws.com", "sns.amazonaws.com"]}}],
        [_ROOT, {**_LOGS, "Principal": {"AWS": {"Fn::GetAtt": ["SomeRole", "Arn"]}}}],
        [_ROOT, {**_LOGS, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}],
        [_ROOT, {**_LOGS, "Action": ["kms:CreateGrant", "kms:ScheduleKeyDeletion"]}],
        [_ROOT, {**_LOGS, "Effect": "Deny", "Principal": "*"}],
        [_ROOT, {**_LOGS, "Principal": {"Service": {"Fn::Sub": "lambda.${AWS::Region}.amazonaws.com"}}}],
    ],
    ids=["cloudtrail", "other-services", "role", "other-account", "other-actions", "deny-all", "lambda-sub"],
)
def test_policies_that_grant_logs_nothing(tmp_path: Path, statements: list[dict]) -> None:
    extra = "SomeRole:\n  Type: AWS::IAM::Role\n  Properties:\n    AssumeRolePolicyDocument: {}"
    assert len(cfn(tmp_path, template(statements, extra=extra))) == 1


def test_arn_built_around_the_key_id_is_the_key(tmp_path: Path) -> None:
    key = '!Sub "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${LogKey}"'
    assert len(cfn(tmp_path, template([_ROOT], key=key))) == 1


def test_json_template(tmp_path: Path) -> None:
    document = {
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [_ROOT]}}},
            "Logs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}},
            },
        }
    }
    [finding] = findings_of(tmp_path, {"lib/TapStack.json": json.dumps(document, indent=2)})
    assert finding.resource == "Logs" and "<generated name>" in finding.message
    assert '{"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}}' in finding.fix_hint


# -- CloudFormation: silence ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statements",
    [
        [_ROOT, _LOGS],
        [_ROOT, {**_LOGS, "Principal": {"Service": "logs.eu-west-1.amazonaws.com"}}],
        [
            _ROOT,
            {**_LOGS, "Principal": {"Service": ["lambda.amazonaws.com", "logs.us-east-1.amazonaws.com"]}},
        ],
        [_ROOT, {**_LOGS, "Principal": "*"}],
        [_ROOT, {**_LOGS, "Principal": {"AWS": "*"}}],
        [_ROOT, {**_LOGS, "Action": "kms:*"}],
        [_ROOT, {**_LOGS, "Action": ["kms:Decrypt", "kms:GenerateDataKey"]}],  # partial: not judged
        [_ROOT, {**_LOGS, "Principal": {"Service": "logs.amazonaws.com"}}],  # undocumented form
        [_ROOT, {**_LOGS, "Principal": {"Service": {"Ref": "LogsPrincipal"}}}],  # unreadable
        [_ROOT, {**_LOGS, "Principal": {"AWS": {"Ref": "LogsPrincipal"}}}],  # may be "*"
        [
            _ROOT,
            {
                **_LOGS,
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": {
                            "Fn::Sub": "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"
                        }
                    }
                },
            },
        ],
        [
            _ROOT,
            _LOGS,
            {**_LOGS, "Effect": "Deny", "Condition": {"StringNotEquals": {"kms:CallerAccount": "1"}}},
        ],
        [_ROOT, {**_LOGS, "Action": None, "NotAction": ["kms:ScheduleKeyDeletion"]}],
        [_ROOT, {"Effect": {"Ref": "LogsPrincipal"}, "Principal": "*", "Action": "kms:*", "Resource": "*"}],
    ],
    ids=[
        "documented",
        "literal-region",
        "list",
        "star",
        "aws-star",
        "kms-star",
        "partial",
        "global-principal",
        "unreadable-service",
        "unreadable-aws",
        "encryption-context",
        "conditional-deny",
        "not-action",
        "unknown-effect",
    ],
)
def test_policies_that_may_let_logs_use_the_key(tmp_path: Path, statements: list[dict]) -> None:
    cleaned = [{k: v for k, v in statement.items() if v is not None} for statement in statements]
    assert cfn(tmp_path, template(cleaned)) == []


@pytest.mark.parametrize(
    "key",
    [
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "!Ref ExternalKey",
        "alias/orders-logs",
        "!Ref LogKey",  # a key id: CloudFormation asks for an ARN, a different failure
        '!Sub "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/${LogKey}"',
        "!ImportValue shared-log-key-arn",
    ],
)
def test_keys_that_are_not_the_projects_key_by_arn(tmp_path: Path, key: str) -> None:
    assert cfn(tmp_path, template([_ROOT], key=key)) == []


def test_conditions_on_key_or_log_group(tmp_path: Path) -> None:
    conditions = "Conditions:\n  IsProd: !Equals [!Ref LogsPrincipal, prod]"
    assert cfn(tmp_path / "a", template([_ROOT], key_extra="\n    Condition: IsProd", extra="")) == []
    assert (
        cfn(tmp_path / "b", template([_ROOT], group_extra="\n    Condition: IsProd") + conditions + "\n")
        == []
    )


def test_unreadable_policy_document(tmp_path: Path) -> None:
    text = template(None).replace(
        "EnableKeyRotation: true", "EnableKeyRotation: true\n      KeyPolicy: !Ref LogsPrincipal"
    )
    assert cfn(tmp_path, text) == []


# -- Pulumi ----------------------------------------------------------------------------------------------

_PULUMI = """
import json

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        region = aws.get_region().name
@BODY@
"""


def pulumi(root: Path, body: str) -> list[Finding]:
    files = {
        "tap.py": "from lib.tap_stack import TapStack, TapStackArgs\n\nTapStack('tap', TapStackArgs())\n",
        "Pulumi.yaml": "name: tap\nruntime: python\n",
        "lib/__init__.py": "",
        "lib/tap_stack.py": _PULUMI.replace("@BODY@", textwrap.indent(textwrap.dedent(body), " " * 8)),
    }
    return findings_of(root, files)


def test_pulumi_key_without_policy(tmp_path: Path) -> None:
    body = """
    key = aws.kms.Key(f"logs-key-{suffix}", enable_key_rotation=True)
    aws.cloudwatch.LogGroup(f"app-{suffix}", kms_key_id=key.arn)
    """
    [finding] = pulumi(tmp_path, body)
    assert "has no key policy" in finding.message
    assert 'f"logs.{aws.get_region().name}.amazonaws.com"' in finding.fix_hint


def test_pulumi_regional_principal_from_get_region(tmp_path: Path) -> None:
    body = """
    key = aws.kms.Key(
        f"logs-key-{suffix}",
        policy=json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
             "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"},
        ]}),
    )
    aws.cloudwatch.LogGroup(f"app-{suffix}", kms_key_id=key.arn)
    """
    assert pulumi(tmp_path, body) == []


@pytest.mark.parametrize(
    "other",
    [
        'aws.kms.KeyPolicy(f"policy-{suffix}", key_id=key.id, policy="{}")',
        'aws.kms.Grant(f"grant-{suffix}", key_id=key.key_id, grantee_principal="x", operations=["Encrypt"])',
        'aws.kms.KeyPolicy(f"policy-{suffix}", key_id=some_key_id(), policy="{}")',
    ],
    ids=["key-policy", "grant", "unknown-key"],
)
def test_pulumi_policy_set_apart_from_the_key(tmp_path: Path, other: str) -> None:
    body = f"""
    key = aws.kms.Key(f"logs-key-{{suffix}}")
    aws.cloudwatch.LogGroup(f"app-{{suffix}}", kms_key_id=key.arn)
    {other}
    """
    assert pulumi(tmp_path, body) == []


def test_pulumi_policy_and_grant_of_another_key_do_not_hide_the_defect(tmp_path: Path) -> None:
    body = """
    key = aws.kms.Key(f"logs-key-{suffix}")
    other = aws.kms.Key(f"other-key-{suffix}")
    aws.cloudwatch.LogGroup(f"app-{suffix}", kms_key_id=key.arn)
    aws.kms.KeyPolicy(f"policy-{suffix}", key_id=other.id, policy="{}")
    aws.kms.Grant(f"grant-{suffix}", key_id=other.key_id, grantee_principal="x", operations=["Encrypt"])
    """
    [finding] = pulumi(tmp_path, body)
    assert finding.key.startswith("app-") and "logs-key-" in finding.key


def test_pulumi_key_in_undecided_branch(tmp_path: Path) -> None:
    body = """
    key = None
    if pulumi.Config().get_bool("encrypt"):
        key = aws.kms.Key(f"logs-key-{suffix}")
        aws.cloudwatch.LogGroup(f"app-{suffix}", kms_key_id=key.arn)
    """
    assert pulumi(tmp_path, body) == []


# -- CDK -------------------------------------------------------------------------------------------------

_CDK = """
from aws_cdk import Stack, StackProps
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
@BODY@
"""


def cdk(root: Path, body: str) -> list[Finding]:
    files = {
        "tap.py": "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack, TapStackProps\n\n"
        "app = cdk.App()\nTapStack(app, 'TapStackdev', TapStackProps(environment_suffix='dev'))\napp.synth()\n",
        "cdk.json": '{"app": "python3 tap.py"}\n',
        "lib/__init__.py": "",
        "lib/tap_stack.py": _CDK.replace("@BODY@", textwrap.indent(textwrap.dedent(body), " " * 8)),
    }
    return findings_of(root, files)


def test_cdk_l1_key_and_log_group(tmp_path: Path) -> None:
    body = """
    key = kms.CfnKey(self, "LogKey", key_policy={"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{self.account}:root"},
         "Action": "kms:*", "Resource": "*"}]})
    logs.CfnLogGroup(self, "AppLogs", kms_key_id=key.attr_arn)
    """
    [finding] = cdk(tmp_path, body)
    assert "Stack.of(self).region" in finding.fix_hint


@pytest.mark.parametrize(
    "body",
    [
        """
        key = kms.Key(self, "LogKey")
        logs.LogGroup(self, "AppLogs", encryption_key=key)
        """,
        """
        key = kms.Key(self, "LogKey")
        key.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], resources=["*"]))
        logs.CfnLogGroup(self, "AppLogs", kms_key_id=key.key_arn)
        """,
        """
        key = kms.CfnKey(self, "LogKey", key_policy=iam.PolicyDocument(statements=[iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com")],
            actions=["kms:Encrypt*"], resources=["*"])]))
        logs.CfnLogGroup(self, "AppLogs", kms_key_id=key.attr_arn)
        """,
    ],
    ids=["l2-key", "l2-key-resource-policy", "l1-policy-document"],
)
def test_cdk_keys_whose_policy_is_not_known_whole(tmp_path: Path, body: str) -> None:
    assert cdk(tmp_path, body) == []


# -- arbitrary input -----------------------------------------------------------------------------------

_WHERE = Location("lib/TapStack.yml", 1)
_LEAVES = st.one_of(
    st.none().map(Literal),
    st.booleans().map(Literal),
    st.sampled_from(
        [
            "*",
            "kms:*",
            "kms:Encrypt*",
            "Allow",
            "Deny",
            "logs.amazonaws.com",
            "logs.x.amazonaws.com",
            ":key/",
            "",
        ]
    ).map(Literal),
    st.text(max_size=6).map(Literal),
    st.sampled_from(["Key", "Logs", "Nope"]).flatmap(
        lambda target: st.sampled_from([None, "Arn", "Id"]).map(lambda attribute: Ref(target, attribute))
    ),
    st.builds(lambda: Unknown("the region", Origin.REGION, hint="AWS::Region")),
    st.builds(lambda: Unknown("anything")),
)
_KEYS = ["Statement", "Effect", "Action", "NotAction", "Resource", "Principal", "Service", "AWS"]
_KEYS += ["Condition", "ArnLike", "kms:EncryptionContext:aws:logs:arn"]
_VALUES: st.SearchStrategy[Value] = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: Literal(tuple(items))),
        st.builds(
            lambda items: Literal(dict(items)),
            st.lists(
                st.tuples(
                    st.sampled_from(_KEYS),
                    inner,
                ),
                max_size=4,
            ),
        ),
        st.builds(lambda items: Concat(tuple(items)), st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key_id=_VALUES, document=_VALUES, policy_target=_VALUES)
def test_arbitrary_values_never_crash(key_id: Value, document: Value, policy_target: Value) -> None:
    resources = (
        Resource("Key", "AWS::KMS::Key", _WHERE, {"KeyPolicy": document}),
        Resource("Logs", "AWS::Logs::LogGroup", _WHERE, {"KmsKeyId": key_id}),
        Resource("Other", "AWS::Logs::LogGroup", _WHERE, {"KmsKeyId": document}),
        Resource("Trail", "AWS::CloudTrail::Trail", _WHERE, {"KMSKeyId": key_id, "KmsKeyId": document}),
        Resource("Changer", "Pulumi::AWS::KMS::KeyPolicy", _WHERE, {"KeyId": policy_target}),
    )
    project = Project(root="/x", platform="cloudformation", resources=resources)
    found = list(LogKeyDeniesService().check(RuleContext(project, ResourceGraph(project))))
    assert all(f.rule_id == "IAC023" and f.resource in ("Logs", "Other", "Trail") for f in found)
    # A policy document that is not a dict of statements is never judged.
    if not (isinstance(document, Literal) and isinstance(document.value, dict)):
        assert found == []


# -- CloudTrail trails ---------------------------------------------------------------------------------

_TRAIL = """
Resources:
  TrailKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement: @STATEMENTS@
  Trail:
    Type: AWS::CloudTrail::Trail@EXTRA@
    Properties:
      IsLogging: true
      S3BucketName: central-audit-logs
      KMSKeyId: !GetAtt TrailKey.Arn
"""
_CLOUDTRAIL = {
    "Effect": "Allow",
    "Principal": {"Service": "cloudtrail.amazonaws.com"},
    "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
    "Resource": "*",
}


def trail(statements: list[dict], extra: str = "") -> str:
    return _TRAIL.replace("@STATEMENTS@", json.dumps(statements)).replace("@EXTRA@", extra)


def test_trail_key_without_cloudtrail_statement(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, trail([_ROOT, _LOGS]))  # CloudWatch Logs, not CloudTrail
    assert finding.location.line == 12 and finding.resource == "Trail"
    assert (
        "CloudTrail trail 'Trail'" in finding.message
        and "InsufficientEncryptionPolicyException" in finding.message
    )
    assert "grants CloudTrail none of kms:GenerateDataKey*, kms:DescribeKey" in finding.message
    assert '{"Service": "cloudtrail.amazonaws.com"}' in finding.fix_hint


@pytest.mark.parametrize(
    "statements",
    [
        [_ROOT, _CLOUDTRAIL],
        [_ROOT, {**_CLOUDTRAIL, "Action": "kms:GenerateDataKey*"}],
        [
            _ROOT,
            {
                **_CLOUDTRAIL,
                "Condition": {
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": {
                            "Fn::Sub": "arn:aws:cloudtrail:*:${AWS::AccountId}:trail/*"
                        }
                    }
                },
            },
        ],
        [_ROOT, {**_CLOUDTRAIL, "Principal": {"Service": {"Fn::ImportValue": "audit-principal"}}}],
        [_ROOT, {**_CLOUDTRAIL, "Principal": "*"}],
    ],
    ids=["documented", "generate-only", "encryption-context", "unreadable-service", "star"],
)
def test_trail_keys_that_may_let_cloudtrail_use_them(tmp_path: Path, statements: list[dict]) -> None:
    assert cfn(tmp_path, trail(statements)) == []


def test_trail_takes_the_key_id(tmp_path: Path) -> None:
    text = trail([_ROOT]).replace("KMSKeyId: !GetAtt TrailKey.Arn", "KMSKeyId: !Ref TrailKey")
    assert [f.key for f in cfn(tmp_path, text)] == ["Trail|TrailKey"]


def test_trail_under_condition(tmp_path: Path) -> None:
    text = (
        trail([_ROOT], extra="\n    Condition: Audit")
        + "Conditions:\n  Audit: !Equals [!Ref AWS::Region, us-east-1]\n"
    )
    assert cfn(tmp_path, text) == []


def test_pulumi_trail_and_log_group_on_a_key_without_policy(tmp_path: Path) -> None:
    body = """
    key = aws.kms.Key(f"audit-key-{suffix}")
    group = aws.cloudwatch.LogGroup(f"audit-{suffix}", kms_key_id=key.arn)
    aws.cloudtrail.Trail(f"trail-{suffix}", s3_bucket_name="central-audit-logs", kms_key_id=key.arn)
    """
    found = pulumi(tmp_path, body)
    assert sorted(f.message.split(" '", 1)[0] for f in found) == ["CloudTrail trail", "Log group"]
