"""Suppressions through the real plugins: inline comments in a Pulumi Python component and a
CloudFormation YAML template, and CloudFormation resource metadata. Which line a rule points at is
the rule's business, so these tests assert on resources, not on lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.registry import all_plugins, rule_by_id
from tests.conftest import write_tree


def needs(plugin: str) -> None:
    if plugin not in {p.name for p in all_plugins()} or rule_by_id("IAC002") is None:
        pytest.skip(f"needs the {plugin} plugin and IAC002")


def outcome(root: Path) -> tuple[set[str], dict[str, str]]:
    rule = rule_by_id("IAC002")
    result = scan([root], Config(), rules=[rule])
    reported = {f.resource or "" for f in result.findings if f.rule_id == "IAC002" and f.resource}
    hidden = {f.resource or "": f.suppressed_by or "" for f in result.suppressed if f.rule_id == "IAC002"}
    return reported, hidden


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  EnvironmentSuffix:
    Type: String
Resources:
  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "tap-logs-${EnvironmentSuffix}"
  FixedBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: tap-fixed
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: tap-data  # iacscan: ignore[IAC002] shared with the analytics account
  # iacscan: ignore[IAC002] the whole resource: a partner reads this exact name
  PartnerBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: tap-partner
  ArchiveBucket:
    Type: AWS::S3::Bucket
    Metadata:
      iacscan:
        ignore:
          - id: IAC002
            reason: imported from the old account
    Properties:
      BucketName: tap-archive
"""


def test_cloudformation_yaml(tmp_path: Path) -> None:
    needs("cloudformation")
    write_tree(tmp_path, {"lib/TapStack.yml": TEMPLATE})
    reported, hidden = outcome(tmp_path)
    assert reported == {"FixedBucket"}
    assert hidden == {
        "DataBucket": "inline comment at lib/TapStack.yml:17:29: shared with the analytics account",
        "PartnerBucket": "inline comment at lib/TapStack.yml:18:3: the whole resource: a partner reads this exact name",
        "ArchiveBucket": "resource metadata: imported from the old account",
    }


STACK = """\
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str) -> None:
        self.environment_suffix = environment_suffix


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        aws.s3.Bucket("fixed", bucket="tap-fixed")
        aws.s3.Bucket("data", bucket="tap-data")  # iacscan: ignore[IAC002] shared with analytics
        # iacscan: ignore[IAC002] a partner reads this exact name
        aws.s3.Bucket(
            "partner",
            bucket="tap-partner",
        )
        aws.s3.Bucket("ok", bucket=f"tap-ok-{suffix}")
"""

TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"
stack = TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))
"""


def test_pulumi_python(tmp_path: Path) -> None:
    needs("pulumi")
    write_tree(
        tmp_path,
        {
            "Pulumi.yaml": "name: tap\nruntime: python\nmain: tap.py\n",
            "lib/__init__.py": "",
            "lib/tap_stack.py": STACK,
            "tap.py": TAP,
        },
    )
    reported, hidden = outcome(tmp_path)
    assert {resource.rsplit("/", 1)[-1] for resource in reported} == {"fixed"}
    assert {resource.rsplit("/", 1)[-1]: reason for resource, reason in hidden.items()} == {
        "data": "inline comment at lib/tap_stack.py:15:51: shared with analytics",
        "partner": "inline comment at lib/tap_stack.py:16:9: a partner reads this exact name",
    }
