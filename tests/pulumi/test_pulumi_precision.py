"""Precision on common Pulumi Python idioms: each worktree under ``fixtures/precision`` is correct
code that deploys (and tears down) in a per-PR environment, and every rule, run through
``engine.scan`` with the default configuration, must stay silent on it.

Each worktree also has a small mutation that breaks it, with the rule that must then fire, so a
silent scan means "analysed and fine", not "not analysed"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.discover import list_files
from analyzer.engine import scan
from analyzer.findings import Finding
from analyzer.plugin import Limits
from plugins.pulumi import PulumiPlugin

FIXTURES = Path(__file__).parent / "fixtures" / "precision"
WORKTREES = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())

# worktree -> (file, text, replacement, rule that must fire on the mutated worktree)
MUTATIONS: dict[str, tuple[str, str, str, str]] = {
    "aurora_parameters": (
        "lib/tap_stack.py",
        'value="pg_stat_statements", apply_method="pending-reboot"',
        'value="pg_stat_statements", apply_method="immediate"',
        "IAC006",
    ),
    "azs_loop": ("lib/tap_stack.py", "availability_zone=az,", 'availability_zone="us-east-1a",', "IAC014"),
    "caller_identity_arns": ("lib/tap_stack.py", "{current.account_id}:root", "123456789012:root", "IAC014"),
    "config_namespace_property": (
        "lib/tap_stack.py",
        'return "-".join(["tap", base, self.suffix])',
        'return "-".join(["tap", base])',
        "IAC002",
    ),
    "config_or_default": ("lib/tap_stack.py", 'bucket=f"tap-data-{suffix}"', 'bucket="tap-data"', "IAC002"),
    "dataclass_args": (
        "tap.py",
        'tags={"Project": "tap"},',
        'tags={"Project": "tap"}, region="us-east-1",',
        "IAC001",
    ),
    "depends_on_component": (
        "lib/tap_stack.py",
        "opts=ResourceOptions(parent=self, depends_on=[network]),",
        "opts=ResourceOptions(parent=self),",
        "IAC005",
    ),
    "env_var_default": ("lib/tap_stack.py", 'name=f"tap-alerts-{suffix}"', 'name="tap-alerts"', "IAC002"),
    "kwargs_and_mixin": (
        "tap.py",
        "opts=pulumi.ResourceOptions(protect=False)",
        'tags={"Team": "tap"}',
        "IAC001",
    ),
    "lambda_code": ("lib/tap_stack.py", 'handler="handler.main"', 'handler="handler.handle"', "IAC010"),
    "loop_from_list": (
        "lib/tap_stack.py",
        'name=f"tap-{queue_name}-{suffix}"',
        'name=f"tap-{queue_name}"',
        "IAC002",
    ),
    "name_prefix": ("lib/tap_stack.py", 'name_prefix="tap-task-"', 'name="tap-task"', "IAC002"),
    "naming_helper": ("lib/naming.py", 'f"tap-{base}-{suffix}"', 'f"tap-{base}"', "IAC002"),
    "nested_components": (
        "lib/storage.py",
        'name=f"tap-uploads-{environment_suffix}"',
        'name="tap-uploads"',
        "IAC002",
    ),
    "options_merge": (
        "lib/tap_stack.py",
        "child.merge(ResourceOptions(depends_on=[key]))",
        "child.merge(ResourceOptions(depends_on=[key], protect=True))",
        "IAC012",
    ),
    "output_all_policy": (
        "lib/tap_stack.py",
        'name=f"tap-worker-logs-{suffix}"',
        'name="tap-worker-logs"',
        "IAC002",
    ),
    "output_concat": (
        "lib/tap_stack.py",
        'Output.concat("tap-api-role-", suffix)',
        '"tap-api-role"',
        "IAC002",
    ),
    "random_names": (
        "lib/tap_stack.py",
        'Output.concat("tap-images-", unique.result)',
        '"tap-images"',
        "IAC002",
    ),
    "stack_name": ("tap.py", "pulumi.get_stack().lower()", "pulumi.get_stack()", "IAC009"),
    "stack_reference": (
        "lib/tap_stack.py",
        'cluster_id=f"tap-cache-{suffix}"',
        'cluster_id="tap-cache"',
        "IAC002",
    ),
}


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"{f.rule_id} {f.location}: {f.message}" for f in findings)


def test_every_worktree_has_a_mutation() -> None:
    assert len(WORKTREES) >= 15
    assert set(MUTATIONS) == set(WORKTREES)


@pytest.mark.parametrize("name", WORKTREES)
def test_correct_pulumi_code_has_no_finding(name: str, tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURES / name, tmp_path / name)
    project = PulumiPlugin().parse(list_files(root, Limits()).worktree)
    assert not project.problems, project.problems
    assert len(project.resources) >= 3 or any(r.name is not None for r in project.resources)
    result = scan([root], Config())
    assert not result.findings, describe(result.findings)


@pytest.mark.parametrize("name", WORKTREES)
def test_the_broken_twin_is_reported(name: str, tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURES / name, tmp_path / name)
    relative, text, replacement, rule = MUTATIONS[name]
    source = (root / relative).read_text(encoding="utf-8")
    assert text in source, f"{name}: the mutation no longer matches {relative}"
    (root / relative).write_text(source.replace(text, replacement, 1), encoding="utf-8")
    result = scan([root], Config())
    assert rule in {finding.rule_id for finding in result.findings}, describe(result.findings)
