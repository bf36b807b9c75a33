"""IAC021 on its sample pair: ``cdk-lookup-agnostic`` (env kept in props, lookups in the stack and
in its nested stack) yields exactly the findings its EXPECTED.md table lists, with every rule on;
``cdk-lookup-agnostic-fixed`` (env passed to the stack itself) yields none at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
_ROW = re.compile(r"^\|\s*(IAC\d{3})\s*\|\s*(\w+)\s*\|\s*`([^`:]+):(\d+)`", re.M)


def _sample(name: str) -> Path:
    root = SAMPLES / name
    if not root.is_dir():
        pytest.skip(f"sample {name} is not there")
    return root


def test_flawed_sample_yields_what_expected_md_lists() -> None:
    root = _sample("cdk-lookup-agnostic")
    wanted = {
        (rule, severity, path, int(line))
        for rule, severity, path, line in _ROW.findall((root / "EXPECTED.md").read_text(encoding="utf-8"))
    }
    assert len(wanted) == 2
    result = scan([root], Config())
    got = {(f.rule_id, f.severity.label, f.location.path, f.location.line) for f in result.findings}
    assert got == wanted


def test_fixed_twin_is_silent() -> None:
    result = scan([_sample("cdk-lookup-agnostic-fixed")], Config())
    assert [f"{f.location} {f.rule_id} {f.message}" for f in result.findings] == []
