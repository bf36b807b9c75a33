"""IAC021's fix: ``env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=...)`` added
where the stack is created, only when that keyword certainly reaches ``aws_cdk.Stack.__init__`` and
the module can spell it with what it imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.fixes import candidate_fixes, plan, write
from analyzer.rules.base import Example
from tests.fixes.helpers import assert_sources_valid, fixed_text, scan_dir

STACK = """\
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, {params}):
        super().__init__(scope, construct_id{forward})
        ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")
"""
APP = """\
{imports}
from lib.tap_stack import TapStack

app = {app_class}()
TapStack(app, "TapStackdev", suffix="dev")
app.synth()
"""


def _worktree(
    root: Path, *, params: str = "suffix=None, **kwargs", forward: str = ", **kwargs", imports: str = ""
) -> None:
    imports = imports or "import os\n\nimport aws_cdk as cdk"
    app_class = "cdk.App" if "import aws_cdk as cdk" in imports else "App"
    Example.cdk(
        STACK.format(params=params, forward=forward),
        APP.format(imports=imports, app_class=app_class),
    ).materialize(root)


def _iac021(root: Path) -> list[str]:
    return [f.message for f in scan_dir(root).findings if f.rule_id == "IAC021"]


def test_env_is_added_and_the_finding_goes(tmp_path: Path) -> None:
    _worktree(tmp_path)
    assert len(_iac021(tmp_path)) == 1
    text = fixed_text(tmp_path, "tap.py", unsafe=True)
    assert (
        '    env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")),\n'
        in text
    )
    assert fixed_text(tmp_path, "tap.py") == (tmp_path / "tap.py").read_text()  # unsafe only
    write(plan(scan_dir(tmp_path), unsafe=True))
    assert_sources_valid(tmp_path)
    assert _iac021(tmp_path) == []


def test_the_module_spelling_is_used(tmp_path: Path) -> None:
    _worktree(tmp_path, imports="from os import getenv\n\nfrom aws_cdk import App, Environment")
    text = fixed_text(tmp_path, "tap.py", unsafe=True)
    assert (
        'env=Environment(account=getenv("CDK_DEFAULT_ACCOUNT"), region=getenv("CDK_DEFAULT_REGION"))' in text
    )


@pytest.mark.parametrize(
    ("params", "forward", "imports"),
    [
        ("suffix=None, **kwargs", "", ""),  # **kwargs is not passed on: env would not reach Stack
        ("suffix=None, env=None, **kwargs", ", env=env, **kwargs", "import aws_cdk as cdk"),  # no os
        ("suffix=None, **kwargs", ", **kwargs", "import aws_cdk as cdk"),  # os not imported
    ],
    ids=["kwargs-kept", "no-os-with-env-param", "no-os"],
)
def test_no_fix_when_it_cannot_be_sure(tmp_path: Path, params: str, forward: str, imports: str) -> None:
    _worktree(tmp_path, params=params, forward=forward, imports=imports)
    before = scan_dir(tmp_path)
    assert [f for f in before.findings if f.rule_id == "IAC021"]
    assert not [finding for finding, _ in candidate_fixes(before) if finding.rule_id == "IAC021"]
