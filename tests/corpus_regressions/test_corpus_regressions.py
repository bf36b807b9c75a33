"""Regressions reduced from a corpus run over real TAP-layout repositories (docs/precision.md).

Each worktree here is rewritten in our own names: it keeps only the shape that mattered (a false
alarm that was fixed, or a true finding that must stay), scanned through the real engine and plugins.
"""

from __future__ import annotations

from pathlib import Path

from analyzer import config
from analyzer.engine import scan
from analyzer.findings import Finding

METADATA = (
    '{"platform": "%s", "language": "%s", "complexity": "medium", "turn_type": "single",'
    ' "po_id": "1", "team": "1", "startedAt": "2025-01-01T00:00:00Z", "subtask": "s",'
    ' "subject_labels": ["s"], "aws_services": "s"}'
)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def findings(root: Path) -> list[Finding]:
    return list(scan([root], config.load(root)).findings)


def by_rule(found: list[Finding], rule: str) -> list[Finding]:
    return [f for f in found if f.rule_id == rule]


# A Pulumi DMS stack whose VPC role carries the managed policy under a suffixed name (w01 of the
# corpus, seed 002's shape). Triaged as debatable, not fixed: the seed report asks for both the
# rename (IAC004) and the ordering (IAC005), since once the role is renamed the subnet group must
# still wait for it; the pair is the complete remediation and stays reported together.
DMS_TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

suffix = pulumi.Config().get("env") or "dev"
TapStack("migration", TapStackArgs(environment_suffix=suffix, subnet_ids=["subnet-1", "subnet-2"]))
"""

DMS_STACK = """\
import json
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str, subnet_ids: list):
        self.environment_suffix = environment_suffix
        self.subnet_ids = subnet_ids


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        sfx = args.environment_suffix
        trust = json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"Service": "dms.amazonaws.com"}}],
        })
        role = aws.iam.Role(
            f"replication-network-role-{sfx}",
            name=%s,
            assume_role_policy=trust,
            managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.dms.ReplicationSubnetGroup(
            f"replication-subnets-{sfx}",
            replication_subnet_group_id=f"replication-subnets-{sfx}",
            replication_subnet_group_description="subnets for replication",
            subnet_ids=args.subnet_ids,
            opts=pulumi.ResourceOptions(parent=self),
        )
"""


def dms_worktree(root: Path, role_name: str) -> Path:
    return write(
        root,
        {
            "tap.py": DMS_TAP,
            "Pulumi.yaml": "name: TapStack\nruntime:\n  name: python\nmain: tap.py\n",
            "metadata.json": METADATA % ("pulumi", "py"),
            "lib/__init__.py": "",
            "lib/tap_stack.py": DMS_STACK % role_name,
        },
    )


def test_misnamed_dms_role_gets_the_rename_and_the_ordering(tmp_path: Path) -> None:
    found = findings(dms_worktree(tmp_path, 'f"replication-network-role-{sfx}"'))
    assert len(by_rule(found, "IAC004")) == 1
    ordering = by_rule(found, "IAC005")
    assert len(ordering) == 1 and "dms-vpc-role" in ordering[0].message


def test_correctly_named_dms_role_still_needs_the_ordering(tmp_path: Path) -> None:
    found = findings(dms_worktree(tmp_path, '"dms-vpc-role"'))
    assert by_rule(found, "IAC004") == []
    ordering = by_rule(found, "IAC005")
    assert len(ordering) == 1 and "dms-vpc-role" in ordering[0].message


# A CDK app in bin/ that puts the repository root on sys.path, cleans the context suffix with a
# regular expression, and passes a dataclass props object; its constructs all carry the suffix
# or are auto-named. Nothing here is a blocker.
CDK_APP = """\
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import aws_cdk as cdk
from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()
suffix = app.node.try_get_context("environmentSuffix") or os.environ.get("ENVIRONMENT_SUFFIX") or "dev"
suffix = re.sub(r"[^A-Za-z0-9-]", "-", str(suffix))
TapStack(app, f"TapStack{suffix}", props=TapStackProps(environment_suffix=suffix))
app.synth()
"""

CDK_STACK = """\
from dataclasses import dataclass

from aws_cdk import CfnOutput, Fn, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from constructs import Construct


@dataclass
class TapStackProps:
    environment_suffix: str


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        sfx = props.environment_suffix
        Tags.of(self).add("Suffix", sfx)
        self.key = kms.Key(self, f"Key-{sfx}", enable_key_rotation=True, removal_policy=None)
        self.vpc = ec2.Vpc(self, f"Net-{sfx}", vpc_name=f"net-{sfx}", max_azs=2, nat_gateways=0)
        group = ec2.SecurityGroup(
            self, f"EndpointSg-{sfx}", vpc=self.vpc, security_group_name=f"endpoint-sg-{sfx}"
        )
        endpoint = ec2.InterfaceVpcEndpoint(
            self,
            f"Ssm-{sfx}",
            vpc=self.vpc,
            service=ec2.InterfaceVpcEndpointAwsService.SSM,
            security_groups=[group],
            subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, one_per_az=True),
        )
        for index, subnet in enumerate(self.vpc.isolated_subnets):
            CfnOutput(self, f"Subnet{index}", value=subnet.subnet_id, export_name=f"Subnet{index}-{sfx}")
        CfnOutput(
            self,
            "SsmDns",
            value=Fn.select(0, endpoint.vpc_endpoint_dns_entries),
            export_name=f"SsmDns-{sfx}",
        )
"""


def test_cdk_app_in_bin_with_sanitised_context_suffix_is_clean(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "bin/tap.py": CDK_APP,
            "cdk.json": '{"app": "pipenv run python bin/tap.py", "context": {}}',
            "metadata.json": METADATA % ("cdk", "py"),
            "lib/__init__.py": "",
            "lib/tap_stack.py": CDK_STACK,
        },
    )
    assert findings(root) == []


# A VPC template whose flow-log group keeps a fixed name while the suffix only reaches a tag: the
# corpus's one naming blocker on this shape, which must stay reported at the name.
VPC_TEMPLATE = """\
{
  "Parameters": {
    "EnvironmentSuffix": {"Type": "String", "Default": "dev"}
  },
  "Resources": {
    "Network": {
      "Type": "AWS::EC2::VPC",
      "Properties": {
        "CidrBlock": "10.1.0.0/16",
        "Tags": [{"Key": "Name", "Value": {"Fn::Sub": "net-${EnvironmentSuffix}"}}]
      }
    },
    "TrafficLogs": {
      "Type": "AWS::Logs::LogGroup",
      "Properties": {"LogGroupName": "/network/traffic", "RetentionInDays": 7}
    }
  }
}
"""


def test_fixed_log_group_name_in_template_is_reported(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"lib/TapStack.json": VPC_TEMPLATE, "metadata.json": METADATA % ("cfn", "json")},
    )
    names = by_rule(findings(root), "IAC002")
    assert any(f.location.line == 15 and "/network/traffic" in f.message for f in names)


# RDS takes a major version alone ("14") and creates that line's default minor version. cfn-lint's
# deprecated lists carry every bare major, so a CDK `PostgresEngineVersion.VER_14` (EngineVersion
# "14") was reported as unavailable although version 14 is current; a retired minor stays reported.
DB_TEMPLATE = """\
Parameters:
  EnvironmentSuffix:
    Type: String
Resources:
  CatalogDb:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: !Sub "catalog-${EnvironmentSuffix}"
      Engine: postgres
      EngineVersion: "%s"
      DBInstanceClass: db.t3.medium
      AllocatedStorage: "20"
      MasterUsername: catalog
      ManageMasterUserPassword: true
"""


def test_bare_current_major_version_is_not_reported(tmp_path: Path) -> None:
    root = write(
        tmp_path, {"lib/TapStack.yml": DB_TEMPLATE % "14", "metadata.json": METADATA % ("cfn", "yaml")}
    )
    assert by_rule(findings(root), "IAC007") == []


def test_retired_minor_and_retired_major_are_still_reported(tmp_path: Path) -> None:
    for version in ("14.6", "10"):
        root = write(
            tmp_path / version,
            {"lib/TapStack.yml": DB_TEMPLATE % version, "metadata.json": METADATA % ("cfn", "yaml")},
        )
        reported = by_rule(findings(root), "IAC007")
        assert len(reported) == 1 and f"postgres {version} is deprecated" in reported[0].message


# The same for a version list without the bare major (corpus p10, Pulumi): MySQL's allowed versions
# name only minors ("8.0.39"), so `engine_version="8.0"` was reported as "mysql has no version 8.0"
# although RDS creates the default 8.0 minor. A line with no version at all stays reported.
MYSQL_STACK = """\
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.rds.Instance(
            f"orders-db-{args.environment_suffix}",
            engine="mysql",
            engine_version="%s",
            instance_class="db.t3.micro",
            allocated_storage=20,
            manage_master_user_password=True,
            username="orders",
            skip_final_snapshot=True,
        )
"""
PULUMI_TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

TapStack("TapStack", TapStackArgs(environment_suffix=pulumi.Config().get("env") or "dev"))
"""


def test_bare_major_missing_from_an_allowed_list_is_not_reported(tmp_path: Path) -> None:
    def scan_version(version: str) -> list[Finding]:
        root = write(
            tmp_path / version,
            {
                "Pulumi.yaml": "name: tap\nruntime: python\nmain: tap.py\n",
                "tap.py": PULUMI_TAP,
                "lib/__init__.py": "",
                "lib/tap_stack.py": MYSQL_STACK % version,
                "metadata.json": METADATA % ("pulumi", "py"),
            },
        )
        return by_rule(findings(root), "IAC007")

    assert scan_version("8.0") == []
    (reported,) = scan_version("8.1")
    assert "mysql has no version 8.1" in reported.message


# A CDK Fargate app (corpus w11) whose target group was missing from the model: the generated table
# typed `elbv2.ApplicationTargetGroup` only for `Resource` subclasses, and its base is a plain
# Construct. Modelled now, its physical name is checked like any other.
TG_STACK = """\
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2


class TapStack(cdk.Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        sfx = self.node.try_get_context("environmentSuffix") or "dev"
        net = ec2.Vpc(self, "Net", max_azs=2)
        elbv2.ApplicationTargetGroup(
            self, "Web", vpc=net, port=80, target_group_name=%s
        )
"""

TG_APP = """\
import aws_cdk as cdk
from lib.tap_stack import TapStack

app = cdk.App()
TapStack(app, "TapStack" + (app.node.try_get_context("environmentSuffix") or "dev"))
app.synth()
"""


def target_group_worktree(root: Path, name: str) -> Path:
    return write(
        root,
        {
            "tap.py": TG_APP,
            "cdk.json": '{"app": "python3 tap.py"}',
            "metadata.json": METADATA % ("cdk", "py"),
            "lib/__init__.py": "",
            "lib/tap_stack.py": TG_STACK % name,
        },
    )


def test_cdk_target_group_name_is_checked(tmp_path: Path) -> None:
    long_name = 'f"storefront-checkout-web-target-group-{sfx}"'
    found = findings(target_group_worktree(tmp_path / "long", long_name))
    too_long = by_rule(found, "IAC009")
    assert len(too_long) == 1 and "AWS allows 32" in too_long[0].message
    assert findings(target_group_worktree(tmp_path / "short", 'f"web-{sfx}"')) == []
