"""Every registered rule's VALID and INVALID examples, as one parametrized test, plus the
conventions every rule follows. A new rule needs no test boilerplate: it is picked up here.

INVALID examples: the set of ``(path, line, rule)`` the rule reports equals the ``expect:`` markers.
VALID examples: the rule reports nothing. Examples run through the real engine with only that
rule enabled, so they exercise the plugins exactly as a user's scan does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analyzer.config import Config, load
from analyzer.discover import list_files
from analyzer.engine import scan
from analyzer.registry import all_plugins, all_rules
from analyzer.rules.base import SECTIONS, Example, Rule

# Findings the engine itself emits: documented as rules, but they have no check() to exemplify.
ENGINE_RULES = frozenset({"IAC900", "IAC902", "IAC903", "IAC904"})
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def example_cases() -> list[pytest.param]:
    cases = []
    for rule in all_rules():
        for kind, examples in (("invalid", rule.INVALID), ("valid", rule.VALID)):
            for number, example in enumerate(examples, start=1):
                label = f"{rule.id}-{kind}-{number}" + (f"-{_slug(example.title)}" if example.title else "")
                cases.append(pytest.param(rule, kind, example, id=label))
    return cases


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]


@pytest.mark.parametrize(("rule", "kind", "example"), example_cases())
def test_rule_example(rule: type[Rule], kind: str, example: Example, tmp_path: Path) -> None:
    expected = example.materialize(tmp_path)
    _skip_without_a_plugin(tmp_path)
    result = scan([tmp_path], load(tmp_path), rules=[rule])  # an example may carry its .iacscan.toml
    found = sorted(
        {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.rule_id == rule.id}
    )
    if kind == "invalid":
        assert expected, f"{rule.id}: an INVALID example needs at least one `# expect: {rule.id}` marker"
        assert found == sorted(set(expected)), _explain(result, rule.id)
    else:
        assert found == [], _explain(result, rule.id)


def _skip_without_a_plugin(root: Path) -> None:
    # A rule may land before the plugin its examples need; the example runs once that plugin exists.
    worktree = list_files(root, Config().limits).worktree
    if not any(_detects(plugin, worktree) for plugin in all_plugins()):
        pytest.skip("no installed plugin claims this example's worktree yet")


def _detects(plugin: object, worktree: object) -> bool:
    try:
        return bool(plugin.detect(worktree))  # type: ignore[attr-defined]
    except Exception:
        return True  # let the scan report the plugin's failure as IAC900 instead of hiding it


def _explain(result: object, rule_id: str) -> str:
    lines = [f"{rule_id} reported:"]
    lines += [f"  {f.location} {f.rule_id} {f.message}" for f in result.findings]  # type: ignore[attr-defined]
    return "\n".join(lines)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_rule_conventions(rule: type[Rule]) -> None:
    assert re.fullmatch(r"IAC\d{3}", rule.id), f"{rule.id}: ids are IAC and three digits"
    assert KEBAB.match(rule.name), f"{rule.id}: name {rule.name!r} is not kebab-case"
    assert rule.summary and "\n" not in rule.summary, f"{rule.id}: needs a one-line summary"
    sections = rule.doc_sections()
    missing = [title for title in SECTIONS if not sections.get(title)]
    assert not missing, f"{rule.id}: the docstring lacks (or leaves empty) the sections {missing}"
    module = rule.__module__
    if module.startswith("analyzer.rules."):
        stem = module.rsplit(".", 1)[1]
        number = re.match(r"iac(\d{3})_", stem)
        assert number, f"{rule.id}: built-in rule modules are named iacNNN_<name>.py, not {stem}.py"
        if rule.id not in ENGINE_RULES | {"IAC901"}:
            assert f"IAC{number.group(1)}" == rule.id, f"{rule.id} lives in {stem}.py"
    if rule.id not in ENGINE_RULES:
        assert rule.INVALID, f"{rule.id}: needs at least one INVALID example"
        assert rule.VALID or rule.id == "IAC901", f"{rule.id}: needs at least one VALID example"


def test_ids_and_names_are_unique() -> None:
    rules = all_rules()
    assert len({rule.id for rule in rules}) == len(rules)
    names = [rule.name for rule in rules]
    assert sorted(names) == sorted(set(names)), "two rules share a name"


def test_every_builtin_plugin_that_exists_loads() -> None:
    # The registry skips plugins that do not import (third-party code must not break a scan), so
    # an example whose plugin is broken would be skipped above; this catches that instead.
    import importlib.util

    from analyzer.registry import _BUILTIN_PLUGINS

    loaded = {plugin.name for plugin in all_plugins()}
    for name, spec in _BUILTIN_PLUGINS.items():
        module = spec.partition(":")[0]
        if importlib.util.find_spec(module) is not None:
            assert name in loaded, f"plugin {name!r} ({spec}) exists but does not load"


# The issues set a floor of examples for the mission's rules, across platforms (issues 11 and 13).
MINIMUM_EXAMPLES = {"IAC001": 10, "IAC002": 10, "IAC003": 8, "IAC004": 8, "IAC005": 8, "IAC006": 8}


def _platform(example: Example) -> str:
    if "Pulumi.yaml" in example.files:
        return "pulumi"
    if "cdk.json" in example.files:
        return "cdk"
    return "cloudformation"


@pytest.mark.parametrize("rule_id", sorted(MINIMUM_EXAMPLES))
def test_mission_rules_have_enough_examples_on_several_platforms(rule_id: str) -> None:
    rule = next(rule for rule in all_rules() if rule.id == rule_id)
    floor = MINIMUM_EXAMPLES[rule_id]
    assert len(rule.VALID) >= floor and len(rule.INVALID) >= floor
    assert len({_platform(example) for example in (*rule.VALID, *rule.INVALID)}) >= 2
