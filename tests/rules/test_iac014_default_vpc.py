"""IAC014 on small Pulumi and CDK worktrees: lookups that need a default VPC (seed 002: "no matching
EC2 VPC found" in a CI account), and the lookups and VPCs that do not."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Finding
from analyzer.rules.base import Example
from analyzer.rules.iac014_hardcoded_environment import HardcodedEnvironment

PULUMI_STACK = """\
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        config = pulumi.Config()
"""
CDK_STACK = """\
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
"""


def findings(root: Path, example: Example) -> list[Finding]:
    example.materialize(root)
    return [f for f in scan([root], Config(), rules=[HardcodedEnvironment]).findings if f.rule_id == "IAC014"]


def pulumi(root: Path, body: str) -> list[Finding]:
    return findings(root, Example.pulumi(PULUMI_STACK + textwrap.indent(textwrap.dedent(body), " " * 8)))


def cdk(root: Path, body: str) -> list[Finding]:
    return findings(root, Example.cdk(CDK_STACK + textwrap.indent(textwrap.dedent(body), " " * 8)))


def test_pulumi_default_vpc_lookup_names_the_call_and_the_fix(tmp_path: Path) -> None:
    (finding,) = pulumi(
        tmp_path,
        """
        vpc = aws.ec2.get_vpc(default=True)
        aws.ec2.SecurityGroup("web", vpc_id=vpc.id, description="web")
        """,
    )
    assert (finding.location.path, finding.location.line) == ("lib/tap_stack.py", 15)
    assert "aws.ec2.get_vpc(default=True)" in finding.message
    assert "no matching EC2 VPC found" in finding.message
    assert "create the VPC in the stack" in finding.fix_hint and "configuration" in finding.fix_hint
    assert finding.resource is None and finding.key == "default-vpc:aws.ec2.get_vpc(default=True)"


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        ("aws.ec2.get_vpc_output(default=True)", "get_vpc(default=True)"),
        ('aws.ec2.get_vpc(default="true")', 'get_vpc(default="true")'),
        (
            'aws.ec2.get_vpc(filters=[aws.ec2.GetVpcFilterArgs(name="is-default", values=["true"])])',
            "get_vpc(filters=[is-default=true])",
        ),
        ('aws.ec2.get_vpc(filters=[{"name": "isDefault", "values": ["true"]}])', "filters=[isDefault=true]"),
        ('aws.ec2.get_subnet(default_for_az=True, availability_zone="x")', "get_subnet(default_for_az=True)"),
        ('aws.ec2.get_subnet(filters=[{"name": "default-for-az", "values": ["true"]}])', "default-for-az"),
        ("aws.ec2.get_vpc(default=True).id", "get_vpc(default=True)"),
    ],
)
def test_pulumi_shapes_that_ask_for_the_default(tmp_path: Path, call: str, shown: str) -> None:
    (finding,) = pulumi(tmp_path, f"found = {call}\n")
    assert shown in finding.message
    subnet = "get_subnet" in call
    assert ("looks up a default subnet" in finding.message) is subnet
    assert ("looks up the default VPC" in finding.message) is not subnet


@pytest.mark.parametrize(
    "body",
    [
        'vpc = aws.ec2.get_vpc(id=config.require("vpcId"))',
        'vpc = aws.ec2.get_vpc(tags={"Name": "shared"})',
        'vpc = aws.ec2.get_vpc(default=config.get_bool("useDefaultVpc"))',
        "vpc = aws.ec2.get_vpc(default=False)",
        'vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")',
        # get_subnets / get_vpcs answer an empty list in an account without a default VPC.
        'subnets = aws.ec2.get_subnets(filters=[{"name": "default-for-az", "values": ["true"]}])',
        'vpcs = aws.ec2.get_vpcs(filters=[{"name": "is-default", "values": ["true"]}])',
        'vpc = aws.ec2.get_vpc(filters=[{"name": "is-default", "values": [config.require("flag")]}])',
        # DefaultVpc adopts the default VPC, or creates one when there is none (pulumi-aws docs).
        'vpc = aws.ec2.DefaultVpc("default")',
        """
        if config.get_bool("useDefaultVpc"):
            vpc = aws.ec2.get_vpc(default=True)
        """,
        # A failed invoke raises in the program: this one recovers by creating a VPC.
        """
        try:
            vpc_id = aws.ec2.get_vpc(default=True).id
        except Exception:
            vpc_id = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16").id
        """,
        """
        def lookup(flag):
            if flag:
                return aws.ec2.get_vpc(default=True)
            return None

        vpc = lookup(args.environment_suffix == "sandbox")
        """,
    ],
)
def test_pulumi_lookups_that_do_not_need_a_default_vpc(tmp_path: Path, body: str) -> None:
    assert pulumi(tmp_path, body) == []


def test_pulumi_crosswalk_default_vpc(tmp_path: Path) -> None:
    (finding,) = pulumi(
        tmp_path,
        """
        import pulumi_awsx as awsx

        vpc = awsx.ec2.DefaultVpc("default-vpc")
        other = awsx.ec2.Vpc("vpc")
        """,
    )
    assert finding.location.line == 17 and "awsx.ec2.DefaultVpc(...)" in finding.message


def test_pulumi_fallback_when_the_configured_id_is_absent(tmp_path: Path) -> None:
    (finding,) = pulumi(
        tmp_path,
        """
        vpc_id = config.get("vpcId")
        if vpc_id:
            vpc = aws.ec2.get_vpc(id=vpc_id)
        else:
            vpc = aws.ec2.get_vpc(default=True)
        """,
    )
    assert finding.location.line == 19 and "`not (vpc_id)`" in finding.message


def test_an_output_lookup_fails_outside_the_try(tmp_path: Path) -> None:
    (finding,) = pulumi(
        tmp_path,
        """
        try:
            vpc = aws.ec2.get_vpc_output(default=True)
        except Exception:
            vpc = None
        """,
    )
    assert "get_vpc(default=True)" in finding.message


def test_cdk_default_vpc_lookup(tmp_path: Path) -> None:
    (finding,) = cdk(
        tmp_path,
        """
        vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=True)
        ec2.SecurityGroup(self, "Web", vpc=vpc)
        """,
    )
    assert (finding.location.path, finding.location.line) == ("lib/tap_stack.py", 16)
    assert "ec2.Vpc.from_lookup(is_default=True)" in finding.message and "cdk synth" in finding.message


@pytest.mark.parametrize(
    "body",
    [
        'vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_id=self.node.try_get_context("vpcId"))',
        'vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")',
        'vpc = ec2.Vpc.from_lookup(self, "Vpc", tags={"env": "shared"})',
        'vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=self.node.try_get_context("useDefault"))',
        'vpc = ec2.Vpc(self, "Vpc", max_azs=2)',
        """
        if self.node.try_get_context("useDefaultVpc"):
            vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=True)
        """,
    ],
)
def test_cdk_lookups_that_do_not_need_a_default_vpc(tmp_path: Path, body: str) -> None:
    assert cdk(tmp_path, body) == []


def test_cdk_fallback_when_the_context_key_is_absent(tmp_path: Path) -> None:
    body = """
    vpc_id = self.node.try_get_context("vpcId")
    if vpc_id:
        vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_id=vpc_id)
    else:
        vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=True)
    """
    (finding,) = cdk(tmp_path / "unset", body)
    assert finding.location.line == 20
    # Set in cdk.json: the deployment looks the VPC up by that id.
    example = Example.cdk(
        CDK_STACK + textwrap.indent(textwrap.dedent(body), " " * 8),
        **{"cdk.json": '{"app": "python3 tap.py", "context": {"vpcId": "vpc-0123"}}\n'},
    )
    assert findings(tmp_path / "set", example) == []
