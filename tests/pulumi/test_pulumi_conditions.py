"""Resources made under an `if` the analysis cannot decide exist only in some deployments."""

from __future__ import annotations

from pathlib import Path

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.model import Unknown
from analyzer.rules.base import Example

STACK = """
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix, enable_guardduty=False):
        self.environment_suffix = environment_suffix
        self.enable_guardduty = enable_guardduty


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
{body}
"""
GUARDED = """\
        if args.enable_guardduty:
            aws.guardduty.Detector("detector", enable=True)
        aws.s3.Bucket("data")
"""
UNGUARDED = """\
        aws.guardduty.Detector("detector", enable=True)
        aws.s3.Bucket("data")
"""
TAP = """
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
suffix = config.get("environmentSuffix") or "dev"
TapStack("TapStack", TapStackArgs(suffix, enable_guardduty=config.get_bool("enableGuardDuty") or False))
"""


def _scan(tmp_path: Path, body: str):
    Example.pulumi(STACK.format(body=body), tap=TAP).materialize(tmp_path)
    return scan([tmp_path], Config())


def test_a_resource_under_an_undecidable_if_carries_its_condition(tmp_path: Path) -> None:
    result = _scan(tmp_path, GUARDED)
    resources = {r.id: r for r in result.projects[0].project.resources}
    condition = resources["detector"].options.get("Condition")
    assert isinstance(condition, Unknown)
    assert "args.enable_guardduty" in condition.reason
    assert "Condition" not in resources["data"].options


def test_a_conditional_account_singleton_is_not_reported(tmp_path: Path) -> None:
    guarded = _scan(tmp_path / "guarded", GUARDED)
    unguarded = _scan(tmp_path / "unguarded", UNGUARDED)
    assert not [f for f in guarded.findings if f.rule_id == "IAC013"]
    assert [f.location.line for f in unguarded.findings if f.rule_id == "IAC013"] == [14]  # the Detector call
