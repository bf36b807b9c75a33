"""The CDK plugin records context lookups (``ec2.Vpc.from_lookup`` ...) as ``facts["lookups"]``."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from analyzer.discover import list_files
from analyzer.model import Literal, Origin, Unknown
from analyzer.plugin import Limits
from plugins.cdk import CdkPlugin

APP = """\
import aws_cdk as cdk
from lib.tap_stack import TapStack

app = cdk.App()
TapStack(app, "TapStackdev", env=cdk.Environment(account="111111111111", region="us-east-1"))
app.synth()
"""
HEAD = """\
import aws_cdk as cdk
import aws_cdk.aws_ec2 as ec2_alias
from aws_cdk import aws_ec2 as ec2
from aws_cdk.aws_ec2 import Vpc
from constructs import Construct


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
"""


def lookups(root: Path, body: str, context: str = "{}") -> list[dict[str, Any]]:
    files = {
        "cdk.json": '{"app": "python3 tap.py", "context": ' + context + "}",
        "tap.py": APP,
        "lib/__init__.py": "",
        "lib/tap_stack.py": HEAD + textwrap.indent(textwrap.dedent(body), " " * 8),
    }
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    worktree = list_files(root, Limits()).worktree
    plugin = CdkPlugin()
    assert plugin.detect(worktree)
    return list(plugin.parse(worktree).facts.get("lookups", []))


def test_from_lookup_under_every_import_alias(tmp_path: Path) -> None:
    facts = lookups(
        tmp_path,
        """
        a = ec2.Vpc.from_lookup(self, "A", is_default=True)
        b = Vpc.from_lookup(self, "B", is_default=True)
        c = ec2_alias.Vpc.from_lookup(self, "C", is_default=True)
        ec2.SecurityGroup(self, "Sg", vpc=a)
        """,
    )
    assert [fact["call"] for fact in facts] == ["aws_cdk.aws_ec2.Vpc.from_lookup"] * 3
    assert [fact["location"].line for fact in facts] == [12, 13, 14]
    for fact in facts:
        flag = fact["arguments"]["is_default"]
        assert isinstance(flag, Literal) and flag.value is True
        assert fact["condition"] is None and fact["runs_unconfigured"] is True


def test_lookup_arguments_keep_their_origins(tmp_path: Path) -> None:
    (by_id, by_flag, other) = lookups(
        tmp_path,
        """
        by_id = ec2.Vpc.from_lookup(self, "ById", vpc_id=self.node.try_get_context("vpcId"))
        by_flag = ec2.Vpc.from_lookup(self, "ByFlag", is_default=self.node.try_get_context("useDefault"))
        sg = ec2.SecurityGroup.from_lookup_by_name(self, "Sg", "web", by_id)
        """,
    )
    assert isinstance(by_id["arguments"]["vpc_id"], Unknown)
    assert by_flag["arguments"]["is_default"].origin & Origin.CONFIG
    assert other["call"] == "aws_cdk.aws_ec2.SecurityGroup.from_lookup_by_name"


def test_fallback_branch_of_an_unset_context_key(tmp_path: Path) -> None:
    body = """
    vpc_id = self.node.try_get_context("vpcId")
    if vpc_id:
        vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_id=vpc_id)
    else:
        vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=True)
    """
    by_id, fallback = lookups(tmp_path / "unset", body)
    assert (by_id["condition"], by_id["runs_unconfigured"]) == ("vpc_id", False)
    assert (fallback["condition"], fallback["runs_unconfigured"]) == ("not (vpc_id)", True)
    # cdk.json sets the key: the test is decided and only the lookup by id runs.
    (only,) = lookups(tmp_path / "set", body, context='{"vpcId": "vpc-0123"}')
    assert "vpc_id" in only["arguments"] and only["condition"] is None


def test_context_read_through_an_alias_of_try_get_context(tmp_path: Path) -> None:
    (_, fallback) = lookups(
        tmp_path,
        """
        ctx = self.node.try_get_context
        vpc_id = ctx("vpcId")
        if vpc_id:
            vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_id=vpc_id)
        else:
            vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=True)
        """,
    )
    assert fallback["runs_unconfigured"] is True


def test_lookup_in_an_or_and_in_a_conditional_expression(tmp_path: Path) -> None:
    # The right operand of `or` runs only when the left is falsy; each branch of `a if t else b`
    # only under its test: both are undecided `if`s for the lookups inside them.
    by_or, by_ifexp, fallback = lookups(
        tmp_path,
        """
        vpc_id = self.node.try_get_context("vpcId")
        zone = self.node.try_get_context("zone") or ssm_lookup(self)
        vpc = (
            ec2.Vpc.from_lookup(self, "ById", vpc_id=vpc_id)
            if vpc_id
            else ec2.Vpc.from_lookup(self, "Default", is_default=True)
        )
        """.replace("ssm_lookup(self)", 'ec2.Vpc.from_lookup(self, "Zone", vpc_name="zone")'),
    )
    assert by_or["condition"] == 'not (self.node.try_get_context("zone"))'
    assert by_or["runs_unconfigured"] is False  # a call, not a name: not judged
    assert (by_ifexp["condition"], by_ifexp["runs_unconfigured"]) == ("vpc_id", False)
    assert (fallback["condition"], fallback["runs_unconfigured"]) == ("not (vpc_id)", True)


def test_each_lookup_names_the_stack_it_is_made_in(tmp_path: Path) -> None:
    (fact,) = lookups(tmp_path, 'ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")')
    assert fact["stacks"] == ["TapStackdev"]


def _stacks(root: Path, app: str) -> dict[str, Any]:
    files = {"cdk.json": '{"app": "python3 tap.py"}', "tap.py": app}
    for relative, text in files.items():
        (root / relative).write_text(text, encoding="utf-8")
    return dict(CdkPlugin().parse(list_files(root, Limits()).worktree).facts["stacks"])


def test_stack_environments(tmp_path: Path) -> None:
    stacks = _stacks(
        tmp_path,
        """\
import os

import aws_cdk as cdk


class Plain(cdk.Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        Inner(self, "Inner")


class Inner(cdk.NestedStack):
    pass


app = cdk.App()
Plain(app, "Agnostic")
Plain(app, "Given", env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region="us-east-1"))
Plain(app, "Unknown", **dict(os.environ))
cdk.Stack(app, "Library")
stage = cdk.Stage(app, "Stage")
cdk.Stack(stage, "InStage")
app.synth()
""",
    )
    assert stacks["Agnostic"]["env"] == "absent"
    assert (stacks["Agnostic"]["created_at"].line, [at.line for at in stacks["Agnostic"]["env_at"]]) == (
        17,
        [8],
    )
    assert stacks["Given"]["env"] == "given"
    assert stacks["Unknown"]["env"] == "unknown"
    assert stacks["Library"]["env"] == "absent" and stacks["Library"]["env_at"][0].line == 20
    assert stacks["Stage/InStage"]["env"] == "unknown"  # a Stage may carry the environment
    assert stacks["Agnostic/Inner"]["nested"] and stacks["Agnostic/Inner"]["parent"] == "Agnostic"


def test_child_and_nested_stack_environments(tmp_path: Path) -> None:
    stacks = _stacks(
        tmp_path,
        """\
import aws_cdk as cdk


class Child(cdk.Stack):
    pass


class Inner(cdk.NestedStack):
    pass


class Parent(cdk.Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        Child(self, "Child")
        Inner(self, "Inner")


app = cdk.App()
Parent(app, "Parent", env=cdk.Environment(account="123456789012", region="us-east-1"))
app.synth()
""",
    )
    assert stacks["Parent"]["env"] == "given"
    assert stacks["Parent/Child"]["env"] == "absent"  # the App is its nearest Stage: no account
    assert stacks["Parent/Inner"]["env"] == "unknown"  # nested: the parent's, read through `parent`
