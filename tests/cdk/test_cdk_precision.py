"""Precision on common CDK Python idioms: each worktree under ``fixtures/precision`` is correct
code that deploys (and tears down) in a per-PR environment, and every rule, run through
``engine.scan`` with the default configuration, must stay silent on it.

Each worktree also has a one-line mutation that breaks it, with the rule that must then fire, so
a silent scan means "analysed and fine", not "not analysed"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.discover import list_files
from analyzer.engine import scan
from analyzer.plugin import Limits
from plugins.cdk import CdkPlugin
from tests.cdk.scanning import describe

FIXTURES = Path(__file__).parent / "fixtures" / "precision"
WORKTREES = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())

# worktree -> (file, text, replacement, rule that must fire on the mutated worktree)
MUTATIONS: dict[str, tuple[str, str, str, str]] = {
    "api_and_database": (
        "lib/tap_stack.py",
        'f"tap-api-{suffix}",\n            runtime',
        '"tap-api",\n            runtime',
        "IAC002",
    ),
    "construct_library": ("lib/tap_stack.py", 'f"tap-reports-{suffix}"', '"tap-reports"', "IAC002"),
    "context_in_stack": (
        "lib/tap_stack.py",
        'f"tap-reports-{settings.environment_suffix}"',
        '"tap-reports"',
        "IAC002",
    ),
    "cross_stack_fanout": (
        "lib/consumer_stack.py",
        'f"tap-orders-{environment_suffix}.fifo"',
        'f"tap-orders-{environment_suffix}"',
        "IAC009",
    ),
    "dataclass_props": ("lib/tap_stack.py", "NODEJS_22_X", "NODEJS_16_X", "IAC007"),
    "env_suffix_fn_join": ("lib/tap_stack.py", '["orders", suffix]', '["orders", "table"]', "IAC002"),
    "fargate_workflow": ("lib/tap_stack.py", 'f"tap-cluster-{suffix}"', '"tap-cluster"', "IAC002"),
    "nested_stacks_props": (
        "lib/storage_stack.py",
        "removal_policy=cdk.RemovalPolicy.DESTROY,\n            auto_delete_objects=True,",
        "",
        "IAC012",
    ),
    "removal_aspect": ("tap.py", "cdk.Aspects.of(stack).add(DestroyEverything())", "", "IAC012"),
    "stack_name_and_pseudo": (
        "lib/tap_stack.py",
        '-{cdk.Aws.REGION}-{suffix}"',
        '-{cdk.Aws.REGION}-{stack_name}"',
        "IAC009",
    ),
    "static_site_deployment": (
        "lib/tap_stack.py",
        "pending_window=cdk.Duration.days(7),\n            removal_policy=RemovalPolicy.DESTROY",
        "pending_window=cdk.Duration.days(7)",
        "IAC012",
    ),
}


def test_every_worktree_has_a_mutation() -> None:
    assert len(WORKTREES) >= 10
    assert set(MUTATIONS) == set(WORKTREES)


@pytest.mark.parametrize("name", WORKTREES)
def test_correct_cdk_code_has_no_finding(name: str, tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURES / name, tmp_path / name)
    project = CdkPlugin().parse(list_files(root, Limits()).worktree)
    assert not project.problems, project.problems
    named = [r for r in project.resources if r.name is not None]
    assert len(project.resources) >= 3 and named
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
