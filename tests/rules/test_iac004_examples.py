"""IAC004's VALID/INVALID examples through the real plugins (each skips until its plugin is there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import config
from analyzer.engine import scan
from analyzer.registry import all_plugins
from analyzer.rules.base import Example, Rule
from analyzer.rules.iac004_dms_role_name import DmsRoleName

RULE: type[Rule] = DmsRoleName


def platform_of(example: Example) -> str:
    if "Pulumi.yaml" in example.files:
        return "pulumi"
    if "cdk.json" in example.files:
        return "cdk"
    return "cloudformation"


def cases() -> list[object]:
    found = [("valid", index, example) for index, example in enumerate(RULE.VALID)]
    found += [("invalid", index, example) for index, example in enumerate(RULE.INVALID)]
    return [
        pytest.param(example, id=f"{kind}-{index}-{platform_of(example)}") for kind, index, example in found
    ]


def test_enough_examples_on_several_platforms() -> None:
    assert len(RULE.VALID) >= 8 and len(RULE.INVALID) >= 8
    assert len({platform_of(example) for example in RULE.VALID + RULE.INVALID}) >= 2


@pytest.mark.parametrize("example", cases())
def test_example(example: Example, tmp_path: Path) -> None:
    plugins = [plugin for plugin in all_plugins() if plugin.name == platform_of(example)]
    if not plugins:
        pytest.skip(f"the {platform_of(example)} plugin has not landed")
    expected = [item for item in example.materialize(tmp_path) if item[2] == RULE.id]
    result = scan([tmp_path], config.load(tmp_path), rules=[RULE], plugins=plugins)
    mine = [finding for finding in result.findings if finding.rule_id == RULE.id]
    got = sorted((finding.location.path, finding.location.line, finding.rule_id) for finding in mine)
    assert got == expected, example.title
