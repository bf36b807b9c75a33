"""IAC020 on small worktrees of each platform: trails and load balancer access logs whose bucket
policy does not let the service write, and every way the rule stays silent when it cannot know."""

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
from analyzer.iam import allows, normalize_document
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import Example, RuleContext
from analyzer.rules.iac005_missing_dependency import MissingDependency
from analyzer.rules.iac020_log_bucket_policy_denies_delivery import LogBucketPolicyDeniesDelivery

_TEMPLATE = """
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs-dev-bucket@BUCKET_EXTRA@
@POLICY@
  Trail:
    Type: AWS::CloudTrail::Trail@TRAIL_EXTRA@
    Properties:
      IsLogging: true
      S3BucketName: @BUCKET@@TRAIL_PROPS@
"""


def template(
    statements: list[dict] | None = None,
    *,
    bucket: str = "!Ref LogBucket",
    trail_extra: str = "",
    trail_props: str = "",
    bucket_extra: str = "",
    policy_extra: str = "",
    extra: str = "",
) -> str:
    policy = ""
    if statements is not None:
        policy = (
            "  LogBucketPolicy:\n    Type: AWS::S3::BucketPolicy\n"
            + policy_extra
            + "    Properties:\n      Bucket: !Ref LogBucket\n      PolicyDocument:\n"
            + "        Statement: "
            + json.dumps(statements)
            + "\n"
        )
    text = (
        _TEMPLATE.replace("@POLICY@", policy.rstrip("\n"))
        .replace("@BUCKET@", bucket)
        .replace("@TRAIL_EXTRA@", trail_extra)
        .replace("@TRAIL_PROPS@", trail_props)
        .replace("@BUCKET_EXTRA@", bucket_extra)
    )
    return text + (textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") + "\n" if extra else "")


_ARN = {"Fn::GetAtt": ["LogBucket", "Arn"]}
_OBJECTS = {"Fn::Sub": "${LogBucket.Arn}/AWSLogs/${AWS::AccountId}/*"}
_CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}
_ACL = {"Effect": "Allow", "Principal": _CLOUDTRAIL, "Action": "s3:GetBucketAcl", "Resource": _ARN}
_WRITE = {"Effect": "Allow", "Principal": _CLOUDTRAIL, "Action": "s3:PutObject", "Resource": _OBJECTS}
_ACL_CONDITION = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}


def findings_of(root: Path, files: dict[str, str], *rules: type) -> list[Finding]:
    Example(files).materialize(root)
    result = scan([root], Config(), rules=list(rules) or [LogBucketPolicyDeniesDelivery])
    assert not [f for f in result.findings if f.rule_id in ("IAC900", "IAC901")], result.findings
    return [f for f in result.findings if f.rule_id in ("IAC020", "IAC005")]


def cfn(root: Path, text: str) -> list[Finding]:
    return findings_of(root, {"lib/TapStack.yml": text})


# -- CloudTrail: what is reported ----------------------------------------------------------------------


def test_trail_bucket_without_policy_names_both_resources_and_the_fix(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, template())
    assert finding.rule_id == "IAC020" and finding.location.line == 11
    assert "CloudTrail trail 'Trail' (lib/TapStack.yml:7:3)" in finding.message
    assert "bucket 'LogBucket' (lib/TapStack.yml:2:3)" in finding.message
    assert "no bucket policy" in finding.message and "InsufficientS3BucketPolicyException" in finding.message
    assert '"Service": "cloudtrail.amazonaws.com"' in finding.fix_hint
    assert '"Action": "s3:GetBucketAcl"' in finding.fix_hint and "AWSLogs/<account id>/*" in finding.fix_hint
    assert "DependsOn" in finding.fix_hint
    assert finding.related[0].location.line == 2


@pytest.mark.parametrize(
    ("statements", "missing"),
    [
        ([_WRITE], ["s3:GetBucketAcl"]),
        ([_ACL], ["s3:PutObject"]),
        ([_ACL, {**_WRITE, "Resource": _ARN}], ["s3:PutObject"]),  # the bucket, not its objects
        ([_ACL, {**_WRITE, "Resource": {"Fn::Sub": "${LogBucket.Arn}/logs/*"}}], ["s3:PutObject"]),
        (
            [
                {**_ACL, "Principal": {"Service": "config.amazonaws.com"}},
                {**_WRITE, "Principal": {"AWS": "*"}},
            ],
            [],
        ),
        (
            [{**_ACL, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}, _WRITE],
            ["s3:GetBucketAcl"],
        ),
        ([_ACL, _WRITE, {**_WRITE, "Effect": "Deny"}], ["s3:PutObject"]),
    ],
)
def test_wrong_policies_name_what_is_missing(
    tmp_path: Path, statements: list[dict], missing: list[str]
) -> None:
    found = cfn(tmp_path, template(statements, trail_extra="\n    DependsOn: [LogBucketPolicy]"))
    if not missing:
        # AWS: "*" covers CloudTrail's write, and config.amazonaws.com does not cover its ACL check.
        [finding] = found
        assert "s3:GetBucketAcl" in finding.message and "s3:PutObject on" not in finding.message
        return
    [finding] = found
    assert "bucket policy 'LogBucketPolicy' does not allow" in finding.message
    for action in missing:
        assert f"{action} on" in finding.message
    for action in {"s3:GetBucketAcl", "s3:PutObject"} - set(missing):
        assert f"{action} on" not in finding.message


@pytest.mark.parametrize(
    "statements",
    [
        [_ACL, {**_WRITE, "Condition": _ACL_CONDITION}],  # the documented policy
        [_ACL, _WRITE],  # without the ACL condition: grants more, accepted
        [{**_ACL, "Principal": "*"}, {**_WRITE, "Principal": {"AWS": "*"}}],
        [{"Effect": "Allow", "Principal": _CLOUDTRAIL, "Action": "s3:*", "Resource": "*"}],
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": ["config.amazonaws.com", "cloudtrail.amazonaws.com"]},
                "Action": ["s3:GetBucketAcl", "s3:Put*"],
                "Resource": [_ARN, {"Fn::Sub": "arn:aws:s3:::${LogBucket}/*"}],
            }
        ],
        [_ACL, {**_WRITE, "Resource": "arn:aws:s3:::logs-dev-bucket/AWSLogs/*"}],
        [
            _ACL,
            _WRITE,
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [_ARN, {"Fn::Sub": "${LogBucket.Arn}/*"}],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    ],
)
def test_policies_that_let_cloudtrail_write(tmp_path: Path, statements: list[dict]) -> None:
    assert cfn(tmp_path, template(statements, trail_extra="\n    DependsOn: [LogBucketPolicy]")) == []


def test_key_prefix_must_be_covered(tmp_path: Path) -> None:
    prefixed = {**_WRITE, "Resource": {"Fn::Sub": "${LogBucket.Arn}/trail/AWSLogs/${AWS::AccountId}/*"}}
    ordered = "\n    DependsOn: [LogBucketPolicy]"
    assert (
        cfn(
            tmp_path / "a",
            template([_ACL, prefixed], trail_extra=ordered, trail_props="\n      S3KeyPrefix: trail"),
        )
        == []
    )
    [finding] = cfn(
        tmp_path / "b",
        template([_ACL, _WRITE], trail_extra=ordered, trail_props="\n      S3KeyPrefix: trail"),
    )
    assert "<LogBucket.Arn>/trail/AWSLogs/<account id>/*" in finding.message
    [finding] = cfn(tmp_path / "c", template([_ACL, prefixed], trail_extra=ordered))
    assert "s3:PutObject on <LogBucket.Arn>/AWSLogs/<account id>/*" in finding.message


def test_a_right_but_unordered_policy_is_iac005s_and_a_wrong_one_is_ours(tmp_path: Path) -> None:
    right = template([_ACL, {**_WRITE, "Condition": _ACL_CONDITION}])
    Example({"lib/TapStack.yml": right}).materialize(tmp_path / "a")
    result = scan([tmp_path / "a"], Config(), rules=[LogBucketPolicyDeniesDelivery, MissingDependency])
    assert sorted(f.rule_id for f in result.findings) == ["IAC005"]
    Example({"lib/TapStack.yml": template()}).materialize(tmp_path / "b")
    result = scan([tmp_path / "b"], Config(), rules=[LogBucketPolicyDeniesDelivery, MissingDependency])
    assert sorted(f.rule_id for f in result.findings) == ["IAC020"]


# -- CloudTrail: silence --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statements",
    [
        [
            _ACL,
            {
                **_WRITE,
                "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:1:trail/x"}},
            },
        ],
        [_ACL, {**_WRITE, "Principal": {"Service": {"Ref": "TrustedService"}}}],
        [_ACL, {**_WRITE, "Resource": {"Ref": "ObjectsArn"}}],
        [_ACL, {**_WRITE, "Resource": "arn:aws:s3:::logs-dev-bucket/AWSLogs/123456789012/*"}],
        [
            _ACL,
            {**_WRITE, "Resource": {"Fn::Sub": "${LogBucket.Arn}/AWSLogs/${AWS::AccountId}/CloudTrail/*"}},
        ],
        [
            _ACL,
            _WRITE,
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": {"Fn::Sub": "${LogBucket.Arn}/*"},
                "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
            },
        ],
    ],
)
def test_statements_that_cannot_be_judged_are_silent(tmp_path: Path, statements: list[dict]) -> None:
    text = template(statements, trail_extra="\n    DependsOn: [LogBucketPolicy]")
    text = "Parameters:\n  TrustedService: {Type: String}\n  ObjectsArn: {Type: String}\n" + text
    assert cfn(tmp_path, text) == []


def test_unknown_policy_document_is_silent(tmp_path: Path) -> None:
    text = template([_ACL]).replace(
        "      PolicyDocument:\n        Statement: " + json.dumps([_ACL]),
        "      PolicyDocument: !Ref Document",
    )
    assert "!Ref Document" in text
    assert cfn(tmp_path, "Parameters:\n  Document: {Type: String}\n" + text) == []


@pytest.mark.parametrize(
    "bucket",
    [
        "central-audit-logs",
        "!Ref AuditBucketName",
        "!ImportValue audit-bucket",
        "!GetAtt Nested.Outputs.Bucket",
    ],
)
def test_bucket_from_outside_the_stack_is_silent(tmp_path: Path, bucket: str) -> None:
    text = "Parameters:\n  AuditBucketName: {Type: String}\n" + template(
        bucket=bucket,
        extra="""
        Nested:
          Type: AWS::CloudFormation::Stack
          Properties:
            TemplateURL: https://example.com/nested.yml
        """,
    )
    assert cfn(tmp_path, text) == []


def test_literal_name_of_a_project_bucket_is_that_bucket(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, template(bucket="logs-dev-bucket"))
    assert "bucket 'LogBucket'" in finding.message


@pytest.mark.parametrize(
    ("trail_extra", "policy_extra", "bucket_extra"),
    [
        ("\n    Condition: IsProd", "", ""),
        ("", "    Condition: IsProd\n", ""),
    ],
)
def test_undecided_conditions_are_silent(
    tmp_path: Path, trail_extra: str, policy_extra: str, bucket_extra: str
) -> None:
    statements = None if policy_extra == "" else [_WRITE]
    text = "Conditions:\n  IsProd: !Equals [!Ref AWS::Region, us-east-1]\n" + template(
        statements, trail_extra=trail_extra, policy_extra=policy_extra, bucket_extra=bucket_extra
    )
    assert cfn(tmp_path, text) == []


def test_several_policies_or_an_unidentified_one_are_silent(tmp_path: Path) -> None:
    second = """
    SecondPolicy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref LogBucket
        PolicyDocument: {Statement: []}
    """
    assert cfn(tmp_path / "a", template([_WRITE], extra=second)) == []
    unknown = second.replace("!Ref LogBucket", "!Ref SomeBucketName").replace("SecondPolicy", "OtherPolicy")
    text = "Parameters:\n  SomeBucketName: {Type: String}\n" + template(extra=unknown)
    assert cfn(tmp_path / "b", text) == []
    # A policy on another bucket of the project does not apply to this one.
    other = second.replace("!Ref LogBucket", "!Ref OtherBucket") + "\nOtherBucket:\n  Type: AWS::S3::Bucket\n"
    [finding] = cfn(tmp_path / "c", template(extra=other))
    assert "no bucket policy" in finding.message
    # A literal name that is not this bucket's names another bucket.
    literal = second.replace("!Ref LogBucket", "someone-elses-bucket")
    assert len(cfn(tmp_path / "d", template(extra=literal))) == 1


def test_organization_trail_is_not_judged(tmp_path: Path) -> None:
    assert cfn(tmp_path, template(trail_props="\n      IsOrganizationTrail: true")) == []
    assert len(cfn(tmp_path / "b", template(trail_props="\n      IsOrganizationTrail: false"))) == 1


# -- load balancers -------------------------------------------------------------------------------------

_ALB = """
Resources:
  LogBucket:
    Type: AWS::S3::Bucket@ENCRYPTION@
@POLICY@
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    DependsOn: @DEPENDS@
    Properties:@TYPE@
      Subnets: [subnet-1, subnet-2]
      LoadBalancerAttributes:
        - {Key: access_logs.s3.enabled, Value: "@ENABLED@"}
        - {Key: access_logs.s3.bucket, Value: !Ref LogBucket}
        - {Key: access_logs.s3.prefix, Value: alb}
"""
_ELB_OBJECTS = {"Fn::Sub": "${LogBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*"}


def alb(
    principal: object | None = None,
    *,
    encryption: str = "",
    kind: str = "",
    enabled: str = "true",
    resource: object = _ELB_OBJECTS,
) -> str:
    policy = ""
    depends = "[]"
    if principal is not None:
        statement = {
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:PutObject",
            "Resource": resource,
        }
        policy = (
            "  LogPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref LogBucket\n"
            "      PolicyDocument:\n        Statement: " + json.dumps([statement])
        )
        depends = "[LogPolicy]"
    if encryption:
        encryption = (
            "\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n"
            f"          - ServerSideEncryptionByDefault: {{SSEAlgorithm: '{encryption}'}}"
        )
    return (
        _ALB.replace("@POLICY@", policy)
        .replace("@ENCRYPTION@", encryption)
        .replace("@DEPENDS@", depends)
        .replace("@TYPE@", f"\n      Type: {kind}" if kind else "")
        .replace("@ENABLED@", enabled)
    )


def test_alb_logs_without_policy_point_at_the_service_principal(tmp_path: Path) -> None:
    [finding] = cfn(tmp_path, alb())
    assert finding.location.line == 10 and "'Alb'" in finding.message and "'LogBucket'" in finding.message
    assert "Access Denied for bucket" in finding.message
    assert "logdelivery.elasticloadbalancing.amazonaws.com" in finding.fix_hint
    assert "<LogBucket.Arn>/alb/AWSLogs/<account id>/*" in finding.fix_hint
    assert "GetBucketAcl" not in finding.fix_hint


@pytest.mark.parametrize(
    "principal",
    [
        {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
        {"AWS": "arn:aws:iam::127311923021:root"},  # us-east-1
        {"AWS": "arn:aws-us-gov:iam::048591011584:root"},  # us-gov-west-1
        {"AWS": "797873946194"},  # us-west-2, as a bare account id
        "*",
    ],
)
def test_principals_that_let_elb_write(tmp_path: Path, principal: object) -> None:
    assert cfn(tmp_path, alb(principal)) == []


@pytest.mark.parametrize(
    "principal",
    [
        {"Service": "delivery.logs.amazonaws.com"},
        {"AWS": "arn:aws:iam::111122223333:root"},
        {"Service": "cloudtrail.amazonaws.com"},
    ],
)
def test_principals_that_do_not(tmp_path: Path, principal: object) -> None:
    [finding] = cfn(tmp_path, alb(principal))
    assert "bucket policy 'LogPolicy' does not allow" in finding.message


def test_unknown_elb_principal_is_silent(tmp_path: Path) -> None:
    mapped = {"AWS": {"Fn::FindInMap": ["ElbAccounts", {"Ref": "AWS::Region"}, "Id"]}}
    text = "Mappings:\n  ElbAccounts:\n    us-east-1: {Id: '127311923021'}\n" + alb(mapped)
    assert cfn(tmp_path, text) == []


def test_alb_prefix_must_be_covered(tmp_path: Path) -> None:
    principal = {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    narrow = {"Fn::Sub": "${LogBucket.Arn}/nlb/*"}
    assert len(cfn(tmp_path, alb(principal, resource=narrow))) == 1


@pytest.mark.parametrize("algorithm", ["aws:kms", "aws:kms:dsse"])
def test_alb_logs_to_a_kms_bucket_fail_even_with_the_policy(tmp_path: Path, algorithm: str) -> None:
    [finding] = cfn(
        tmp_path, alb({"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, encryption=algorithm)
    )
    assert "SSE-KMS" in finding.message and "AES256" in finding.fix_hint


def test_sse_s3_bucket_and_other_balancers_are_silent(tmp_path: Path) -> None:
    principal = {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert cfn(tmp_path / "a", alb(principal, encryption="AES256")) == []
    assert cfn(tmp_path / "b", alb(kind="network")) == []  # NLB: CloudWatch vended log delivery
    assert (
        cfn(
            tmp_path / "c",
            alb(kind="!Ref LbType").replace(
                "Resources:", "Parameters:\n  LbType: {Type: String}\nResources:", 1
            ),
        )
        == []
    )
    assert cfn(tmp_path / "d", alb(enabled="false")) == []


def test_classic_load_balancer_access_logging_policy(tmp_path: Path) -> None:
    text = """
Resources:
  LogBucket:
    Type: AWS::S3::Bucket
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}]
      AvailabilityZones: [us-east-1a]
      AccessLoggingPolicy:
        Enabled: true
        S3BucketName: !Ref LogBucket
        S3BucketPrefix: classic
"""
    [finding] = cfn(tmp_path, text)
    assert finding.location.line == 9 and "classic/AWSLogs" in finding.fix_hint
    assert cfn(tmp_path / "off", text.replace("Enabled: true", "Enabled: false")) == []


# -- Pulumi -----------------------------------------------------------------------------------------------

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
        suffix = args.environment_suffix
        logs = aws.s3.BucketV2(f"alb-logs-{suffix}", force_destroy=True)
@BODY@
        aws.lb.LoadBalancer(
            f"alb-{suffix}",
            load_balancer_type="application",
            subnets=["subnet-1", "subnet-2"],
            access_logs=aws.lb.LoadBalancerAccessLogsArgs(bucket=logs.bucket, enabled=@ENABLED@, prefix="alb"),
        )
"""


def pulumi(root: Path, body: str = "", enabled: str = "True") -> list[Finding]:
    stack = _PULUMI.replace("@BODY@", textwrap.indent(textwrap.dedent(body).strip("\n"), " " * 8)).replace(
        "@ENABLED@", enabled
    )
    return findings_of(root, Example.pulumi(stack).files)  # type: ignore[arg-type]


def test_pulumi_alb_logs(tmp_path: Path) -> None:
    [finding] = pulumi(tmp_path / "bare")
    assert finding.location.line == 22 and "aws.s3.BucketPolicy" in finding.fix_hint
    assert pulumi(tmp_path / "off", enabled="False") == []
    granted = """
    aws.s3.BucketPolicy(
        f"alb-logs-policy-{suffix}",
        bucket=logs.id,
        policy=logs.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": f"{arn}/*"}]})),
    )
    """
    assert pulumi(tmp_path / "granted", granted) == []
    kms = (
        granted
        + """
    aws.s3.BucketServerSideEncryptionConfigurationV2(
        f"alb-logs-sse-{suffix}",
        bucket=logs.id,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}],
    )
    """
    )
    [finding] = pulumi(tmp_path / "kms", kms)
    assert "SSE-KMS" in finding.message
    conditional = "if pulumi.Config().get_bool('audit'):\n    " + textwrap.dedent(granted).strip().replace(
        "\n", "\n    "
    )
    assert pulumi(tmp_path / "conditional", conditional) == []


# -- CDK --------------------------------------------------------------------------------------------------

_CDK = """
from aws_cdk import RemovalPolicy, Stack, StackProps
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        bucket = s3.Bucket(self, "Logs"@BUCKET_ARGS@)
@BODY@
"""


def cdk(root: Path, body: str, bucket_args: str = "") -> list[Finding]:
    stack = _CDK.replace("@BODY@", textwrap.indent(textwrap.dedent(body).strip("\n"), " " * 8)).replace(
        "@BUCKET_ARGS@", bucket_args
    )
    return findings_of(root, Example.cdk(stack).files)  # type: ignore[arg-type]


_CFN_TRAIL = 'cloudtrail.CfnTrail(self, "Trail", is_logging=True, s3_bucket_name=bucket.bucket_name)'
_L1_ALB = """
elbv2.CfnLoadBalancer(
    self,
    "Alb",
    subnets=["subnet-1", "subnet-2"],
    load_balancer_attributes=[
        elbv2.CfnLoadBalancer.LoadBalancerAttributeProperty(key="access_logs.s3.enabled", value="true"),
        elbv2.CfnLoadBalancer.LoadBalancerAttributeProperty(key="access_logs.s3.bucket", value=bucket.bucket_name),
    ],
)
"""


def test_cdk_l1_trail_and_alb_on_a_bucket_without_policy(tmp_path: Path) -> None:
    found = cdk(tmp_path, _CFN_TRAIL + "\n" + _L1_ALB)
    assert sorted(f.resource or "" for f in found) == [
        "TapStack{environment_suffix}/Alb",
        "TapStack{environment_suffix}/Trail",
    ]
    assert all("add_dependency" in f.fix_hint for f in found)


@pytest.mark.parametrize(
    ("body", "bucket_args"),
    [
        ('cloudtrail.Trail(self, "Trail", bucket=bucket)', ""),
        ('cloudtrail.Trail(self, "Trail")', ""),
        # The bucket policy CDK builds from grants and resource policy statements: not judged.
        (_CFN_TRAIL + '\nbucket.grant_put(iam.ServicePrincipal("cloudtrail.amazonaws.com"))', ""),
        (_CFN_TRAIL, ", auto_delete_objects=True, removal_policy=RemovalPolicy.DESTROY"),
    ],
)
def test_cdk_policies_the_platform_writes_are_never_reported(
    tmp_path: Path, body: str, bucket_args: str
) -> None:
    assert cdk(tmp_path, body, bucket_args) == []


# -- the iam change: Bool conditions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [("false", False), (False, False), ("true", True), (True, True)]
)
def test_bool_conditions_are_evaluated_when_the_key_is_known(value: object, expected: bool) -> None:
    document = Literal(
        {
            "Statement": Literal(
                (
                    Literal(
                        {
                            "Effect": Literal("Allow"),
                            "Action": Literal("s3:PutObject"),
                            "Resource": Literal("*"),
                            "Condition": Literal({"Bool": Literal({"aws:SecureTransport": Literal(value)})}),
                        }
                    ),
                )
            )
        }
    )
    statements = normalize_document(document)
    assert (
        allows(
            statements, "s3:PutObject", Literal("arn:aws:s3:::b/k"), context={"aws:SecureTransport": "true"}
        )
        is expected
    )
    # Without the key in the context the answer stays unknown, as before.
    assert allows(statements, "s3:PutObject", Literal("arn:aws:s3:::b/k")) is None


def test_cdk_enforce_ssl_alone_only_denies(tmp_path: Path) -> None:
    # enforce_ssl adds a statement that denies insecure transport and grants nothing: still reported.
    [finding] = cdk(tmp_path, _CFN_TRAIL, ", enforce_ssl=True")
    assert "no bucket policy" in finding.message


def test_a_prefix_with_slashes_counts_with_or_without_them(tmp_path: Path) -> None:
    prefixed = {**_WRITE, "Resource": {"Fn::Sub": "${LogBucket.Arn}/trail/AWSLogs/${AWS::AccountId}/*"}}
    ordered = "\n    DependsOn: [LogBucketPolicy]"
    props = "\n      S3KeyPrefix: trail/"
    assert cfn(tmp_path / "a", template([_ACL, prefixed], trail_extra=ordered, trail_props=props)) == []
    [finding] = cfn(tmp_path / "b", template([_ACL, _WRITE], trail_extra=ordered, trail_props=props))
    assert "<LogBucket.Arn>/trail/AWSLogs/<account id>/*" in finding.message


# -- sample repositories -----------------------------------------------------------------------------------

_SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
_SAMPLE_FINDINGS = {
    "cfn-audit-logging": [
        "lib/TapStack.yml:29 AuditTrail|AuditTrailBucket|policy",
        "lib/TapStack.yml:116 WebLoadBalancer|AccessLogBucket|kms",
        "lib/TapStack.yml:116 WebLoadBalancer|AccessLogBucket|policy",
    ],
}


@pytest.mark.parametrize("name", sorted(path.name for path in _SAMPLES.iterdir() if path.is_dir()))
def test_samples(name: str) -> None:
    """The flawed sample yields exactly its findings; its clean twin and every other sample, none."""
    result = scan([_SAMPLES / name], Config(), rules=[LogBucketPolicyDeniesDelivery])
    got = sorted(
        f"{f.location.path}:{f.location.line} {f.key}" for f in result.findings if f.rule_id == "IAC020"
    )
    assert got == sorted(_SAMPLE_FINDINGS.get(name, []))


def test_pulumi_dict_arguments_inline_encryption_and_classic_balancer(tmp_path: Path) -> None:
    body = """
    inline = aws.s3.Bucket(
        f"inline-{suffix}",
        server_side_encryption_configuration={
            "rule": {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}
        },
    )
    aws.lb.LoadBalancer(f"dict-alb-{suffix}", subnets=["subnet-1"], access_logs={"bucket": inline.id, "enabled": True})
    aws.elb.LoadBalancer(
        f"clb-{suffix}",
        availability_zones=["us-east-1a"],
        listeners=[],
        access_logs={"bucket": inline.id, "enabled": True, "bucket_prefix": "clb"},
    )
    """
    found = pulumi(tmp_path, body, enabled="False")
    assert sorted(f.key.split("|", 1)[0].split("-{")[0] + "|" + f.key.rsplit("|", 1)[1] for f in found) == [
        "clb|policy",
        "dict-alb|kms",
        "dict-alb|policy",
    ]
    (classic,) = [f for f in found if f.key.startswith("clb")]
    assert "<inline-{suffix}.Arn>/clb/AWSLogs/<account id>/*" in classic.fix_hint


# -- robustness -------------------------------------------------------------------------------------------------

_WHERE = Location("lib/TapStack.yml", 1)
_VALUES: st.SearchStrategy[Value] = st.recursive(
    st.one_of(
        st.builds(Literal, st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30))),
        st.builds(
            Ref,
            st.sampled_from(["Bucket", "Other", "Trail", "Missing"]),
            st.sampled_from([None, "Arn", "Name", "Id", "X"]),
        ),
        st.builds(Unknown, st.text(max_size=5), st.sampled_from([Origin.NONE, Origin.ACCOUNT])),
        st.sampled_from(
            [
                Literal("*"),
                Literal("true"),
                Literal("cloudtrail.amazonaws.com"),
                Literal("arn:aws:iam::127311923021:root"),
                Literal("access_logs.s3.enabled"),
                Literal("aws:kms"),
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
                            "Service",
                            "AWS",
                            "Condition",
                            "Key",
                            "Value",
                            "Enabled",
                            "Bucket",
                            "SSEAlgorithm",
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
@given(
    bucket=_VALUES, document=_VALUES, attributes=_VALUES, prefix=_VALUES, target=_VALUES, encryption=_VALUES
)
def test_arbitrary_values_never_crash(
    bucket: Value, document: Value, attributes: Value, prefix: Value, target: Value, encryption: Value
) -> None:
    resources = (
        Resource("Bucket", "AWS::S3::Bucket", _WHERE, {"BucketEncryption": encryption}, name=Literal("b")),
        Resource("Other", "AWS::S3::Bucket", _WHERE),
        Resource("Policy", "AWS::S3::BucketPolicy", _WHERE, {"Bucket": target, "PolicyDocument": document}),
        Resource("Trail", "AWS::CloudTrail::Trail", _WHERE, {"S3BucketName": bucket, "S3KeyPrefix": prefix}),
        Resource(
            "Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", _WHERE, {"LoadBalancerAttributes": attributes}
        ),
        Resource(
            "Clb", "AWS::ElasticLoadBalancing::LoadBalancer", _WHERE, {"AccessLoggingPolicy": attributes}
        ),
    )
    project = Project(root="/x", platform="cloudformation", resources=resources)
    found = list(LogBucketPolicyDeniesDelivery().check(RuleContext(project, ResourceGraph(project))))
    assert all(f.rule_id == "IAC020" and f.resource in ("Trail", "Alb", "Clb") for f in found)
