"""IAC023 on its sample pair: ``cfn-encrypted-log-groups`` (a key policy for the root account and a
role, a key without a policy) yields exactly the findings its EXPECTED.md table lists, with every
rule on; ``cfn-encrypted-log-groups-fixed`` (the CloudWatch Logs statement in both policies) yields
none at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
_ROW = re.compile(r"^\|\s*(IAC\d{3})\s*\|\s*(\w+)\s*\|\s*`([^`:]+):(\d+)`\s*\|\s*(\S+)", re.M)


def _sample(name: str) -> Path:
    root = SAMPLES / name
    if not root.is_dir():
        pytest.skip(f"sample {name} is not there")
    return root


def test_flawed_sample_yields_what_expected_md_lists() -> None:
    root = _sample("cfn-encrypted-log-groups")
    wanted = {
        (rule, severity, path, int(line), resource)
        for rule, severity, path, line, resource in _ROW.findall(
            (root / "EXPECTED.md").read_text(encoding="utf-8")
        )
    }
    assert len(wanted) == 3
    result = scan([root], Config())
    got = {
        (f.rule_id, f.severity.label, f.location.path, f.location.line, f.resource or "")
        for f in result.findings
    }
    assert got == wanted


def test_fixed_twin_is_silent() -> None:
    result = scan([_sample("cfn-encrypted-log-groups-fixed")], Config())
    assert [f"{f.location} {f.rule_id} {f.message}" for f in result.findings] == []
