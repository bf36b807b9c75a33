"""Helpers for CDK tests that run the real rules: write a worktree, scan it with the default
configuration, and compare findings with ``# expect:`` markers."""

from __future__ import annotations

from pathlib import Path

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Finding
from analyzer.rules.base import Example


def scan_example(example: Example, root: Path) -> tuple[list[Finding], list[tuple[str, int, str]]]:
    """Every finding of every rule on ``example`` (default configuration), and the expectations."""
    expected = example.materialize(root)
    result = scan([root], Config())
    return list(result.findings), expected


def triples(findings: list[Finding], rule: str | None = None) -> list[tuple[str, int, str]]:
    return sorted(
        (f.location.path, f.location.line, f.rule_id) for f in findings if rule is None or f.rule_id == rule
    )


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"{f.rule_id} {f.location}: {f.message}" for f in findings)
