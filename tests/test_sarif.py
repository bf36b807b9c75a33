"""SARIF 2.1.0: schema validity, what GitHub code scanning needs, and a golden file.

The golden file is the real pipeline's SARIF for tests/fixtures/sarif-worktree. When a plugin or a
rule changes what that worktree produces, regenerate it with
``IACSCAN_UPDATE_GOLDEN=1 python -m pytest tests/test_sarif.py`` and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Edit, Finding, Fix, Related, Severity
from analyzer.model import Location
from analyzer.report import ReportOptions, render
from tests.conftest import SHARED, make_result, write_tree

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
FIXTURE = Path(__file__).parent / "fixtures" / "sarif-worktree"
GOLDEN = Path(__file__).parent / "golden" / "sarif-worktree.sarif"


def sarif_of(result: Any, base: Path | None = None) -> dict[str, Any]:
    return json.loads(render("sarif", result, ReportOptions(base=base)))


def assert_valid_sarif(document: dict[str, Any]) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SARIF_SCHEMA} (../shared next to the checkout)")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=str)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def rich_result(root: Path) -> Any:
    write_tree(root, {"lib/stack.py": "import x\nbucket = Bucket('logs', name='logs')\n\n# end\n"})
    findings = [
        Finding(
            "IAC990",
            Severity.ERROR,
            "Resource 'Logs' has the fixed name 'logs'",
            Location("lib/stack.py", 2, 10, end_line=2, end_column=37),
            "append the environment suffix",
            resource="Logs",
            related=(Related(Location("lib/stack.py", 1), "imported here"),),
            key="logs",
            fixes=(Fix("append the suffix", (Edit("lib/stack.py", 2, 31, 2, 35, "f'logs-{suffix}'"),)),),
        ),
        Finding("IAC991", Severity.WARNING, "Queue 'Jobs'", Location("lib/stack.py", 4)),
        Finding("IAC901", Severity.ERROR, "YAML syntax error", Location("lib/TapStack.yml", 3, 5), "fix it"),
        Finding("IAC900", Severity.ERROR, "rule IAC990 failed: KeyError", Location(".", 1), "report it"),
    ]
    return make_result(root, findings)


@pytest.mark.usefixtures("fake_pipeline")
def test_rich_result_is_valid_sarif(tmp_path: Path) -> None:
    assert_valid_sarif(sarif_of(rich_result(tmp_path)))


@pytest.mark.usefixtures("fake_pipeline")
def test_what_code_scanning_needs(tmp_path: Path) -> None:
    run = sarif_of(rich_result(tmp_path))["runs"][0]
    driver = run["tool"]["driver"]
    assert (
        driver["name"] == "iacscan" and driver["version"] and driver["informationUri"].startswith("https://")
    )
    rules = driver["rules"]
    fixed = rules[[rule["id"] for rule in rules].index("IAC990")]
    assert fixed["name"] == "fixed-name"
    assert fixed["defaultConfiguration"] == {"level": "error"}
    assert fixed["properties"] == {"tags": ["test"], "security-severity": "5.0"}
    assert fixed["help"]["markdown"].startswith("# IAC990 `fixed-name`")
    assert "## Use instead" in fixed["help"]["markdown"]
    assert fixed["helpUri"].endswith("/docs/rules/IAC990.md")
    assert "security-severity" not in rules[[rule["id"] for rule in rules].index("IAC991")]["properties"]

    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    results = run["results"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["partialFingerprints"]["iacscan/v1"]) == 32
    first = results[[r["ruleId"] for r in results].index("IAC990")]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "lib/stack.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": 2,
        "startColumn": 10,
        "endLine": 2,
        "endColumn": 37,
        "snippet": {"text": "bucket = Bucket('logs', name='logs')"},
    }
    assert first["level"] == "error"
    assert (
        first["message"]["text"]
        == "Resource 'Logs' has the fixed name 'logs'. Fix: append the environment suffix."
    )
    assert first["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 1
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["deletedRegion"] == {"startLine": 2, "startColumn": 31, "endLine": 2, "endColumn": 35}
    warning = results[[r["ruleId"] for r in results].index("IAC991")]
    assert warning["level"] == "warning"
    assert "startColumn" not in warning["locations"][0]["physicalLocation"]["region"]  # column 0: whole line


@pytest.mark.usefixtures("fake_pipeline")
def test_invocation_reports_incomplete_analysis(tmp_path: Path) -> None:
    invocation = sarif_of(rich_result(tmp_path))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False  # an IAC900 is present
    notes = invocation["toolExecutionNotifications"]
    assert sorted(note["descriptor"]["id"] for note in notes) == ["IAC900", "IAC901"]
    parse = notes[[note["descriptor"]["id"] for note in notes].index("IAC901")]
    assert parse["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "lib/TapStack.yml"


@pytest.mark.usefixtures("fake_pipeline")
def test_uris_are_relative_to_the_report_base(tmp_path: Path) -> None:
    result = rich_result(tmp_path / "repo" / "wt")
    run = sarif_of(result, base=tmp_path / "repo")["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"wt/lib/stack.py", "wt/lib/TapStack.yml"}  # every result has a file location
    notes = run["invocations"][0]["toolExecutionNotifications"]
    internal = next(note for note in notes if note["descriptor"]["id"] == "IAC900")
    assert internal["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "wt"
    assert "IAC900" not in {r["ruleId"] for r in run["results"]}  # code scanning needs a file location
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (tmp_path / "repo").resolve().as_uri() + "/"


@pytest.mark.usefixtures("fake_pipeline")
def test_fake_pipeline_scan_is_valid_sarif(worktree: Path) -> None:
    result = scan([worktree], Config())
    document = sarif_of(result)
    assert_valid_sarif(document)
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert len(document["runs"][0]["results"]) == 3


def normalized(document: dict[str, Any]) -> dict[str, Any]:
    """Strip what changes without the fixture's findings changing: the version, the absolute
    root, and the rule catalogue (every other rule's docs); rule indexes are checked instead."""
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    used = sorted({result["ruleId"] for result in run["results"]})
    for result in run["results"]:
        assert ids[result.pop("ruleIndex")] == result["ruleId"]
    for note in run["invocations"][0]["toolExecutionNotifications"]:
        if "associatedRule" in note:
            assert ids[note["associatedRule"].pop("index")] == note["associatedRule"]["id"]
    driver["version"] = driver["semanticVersion"] = "<version>"
    driver["rules"] = [{"id": rule_id} for rule_id in used]
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///<root>/"
    return document


def test_golden_sarif_of_the_fixture_worktree() -> None:
    result = scan([FIXTURE], Config())
    document = sarif_of(result, base=FIXTURE.parent)
    if SARIF_SCHEMA.is_file():  # the golden comparison runs either way
        assert_valid_sarif(document)
    actual = json.dumps(normalized(document), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("IACSCAN_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8") if GOLDEN.is_file() else ""
    assert actual == expected, (
        "the SARIF of tests/fixtures/sarif-worktree changed; if the change is intended, run "
        "IACSCAN_UPDATE_GOLDEN=1 python -m pytest tests/test_sarif.py and review the diff"
    )
