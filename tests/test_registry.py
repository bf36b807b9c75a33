"""Third parties add rules and platforms through entry points, without touching the core."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from analyzer import registry
from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Finding, Severity
from analyzer.model import Location
from analyzer.rules.base import Rule, RuleContext


class ThirdPartyRule(Rule):
    """
    ## What it does
    Flags every project (a test rule).

    ## Why is this bad
    It is not.

    ## Example
    Any worktree.

    ## Use instead
    Nothing.
    """

    id = "IAC950"
    name = "third-party-probe"
    severity = Severity.NOTE
    summary = "a rule from another package"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        yield self.finding(f"{ctx.project.platform} project seen", Location("lib/TapStack.yml", 1))


class ImpostorRule(ThirdPartyRule):
    id = "IAC001"  # tries to replace a built-in rule


def _entry_points(group: str) -> list[EntryPoint]:
    module = __name__
    table = {
        "iacscan.rules": [
            EntryPoint("probe", f"{module}:ThirdPartyRule", group),
            EntryPoint("impostor", f"{module}:ImpostorRule", group),
            EntryPoint("broken", "no_such_package_xyz:Rule", group),
        ],
        "iacscan.plugins": [EntryPoint("broken", "no_such_package_xyz:Plugin", group)],
    }
    return table.get(group, [])


@pytest.fixture
def third_party(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(registry, "entry_points", _entry_points)
    registry.all_rules.cache_clear()
    registry.all_plugins.cache_clear()
    yield
    registry.all_rules.cache_clear()
    registry.all_plugins.cache_clear()


def test_a_rule_registered_by_another_package_runs(third_party: None, tmp_path: Path) -> None:
    rules = {rule.id: rule for rule in registry.all_rules()}
    assert rules["IAC950"] is ThirdPartyRule
    assert rules["IAC001"] is not ImpostorRule  # built-ins keep their ids
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "TapStack.yml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    result = scan([tmp_path], Config(select=("IAC950",)))
    assert [(f.rule_id, f.message) for f in result.findings] == [("IAC950", "cloudformation project seen")]


def test_broken_third_party_code_is_skipped_and_built_ins_still_load(third_party: None) -> None:
    assert {plugin.name for plugin in registry.all_plugins()} == {"pulumi", "cdk", "cloudformation"}
