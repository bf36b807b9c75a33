"""Suppressions: inline comments (Python and YAML files), CloudFormation-style resource metadata,
per-path ignores, reasonless suppressions (IAC903) and unused ones (IAC904)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analyzer.cli import run
from analyzer.config import Config, from_mapping
from analyzer.engine import scan
from analyzer.model import Location
from analyzer.suppress import comments_in
from tests.conftest import write_tree

pytestmark = pytest.mark.usefixtures("fake_pipeline")


def scanned(root: Path, files: dict[str, str], config: Config | None = None) -> Any:
    write_tree(root, {"tap.py": "", **files})
    return scan([root], config or Config())


def reported(result: Any) -> list[tuple[str, int, str]]:
    return [(f.location.path, f.location.line, f.rule_id) for f in result.findings]


def test_comment_syntax() -> None:
    text = (
        "x = 1  # iacscan: ignore[IAC002] DMS needs this name\n"
        "    # iacscan: ignore[iac002, IAC003]\n"
        '    "Name": "x" // iacscan: ignore[IAC004]  legacy\n'
        "# iacscan ignore IAC002 (not the syntax)\n"
    )
    comments = comments_in("a.py", text)
    assert [(c.rule_ids, c.reason, c.location, c.own_line) for c in comments] == [
        (("IAC002",), "DMS needs this name", Location("a.py", 1, 8), False),
        (("IAC002", "IAC003"), "", Location("a.py", 2, 5), True),
        (("IAC004",), "legacy", Location("a.py", 3, 17), False),
    ]


def test_inline_comment_in_python_on_the_line(tmp_path: Path) -> None:
    result = scanned(
        tmp_path,
        {
            "stack.py": (
                "resource Logs AWS::S3::Bucket name=logs  # iacscan: ignore[IAC990] AWS fixes this name\n"
                "resource Data AWS::S3::Bucket name=data\n"
            )
        },
    )
    assert reported(result) == [("stack.py", 2, "IAC990")]
    assert [f.suppressed_by for f in result.suppressed] == [
        "inline comment at stack.py:1:42: AWS fixes this name"
    ]


def test_inline_comment_in_yaml_on_the_line_above(tmp_path: Path) -> None:
    result = scanned(
        tmp_path,
        {
            "stack.yml": (
                "# iacscan: ignore[IAC990] shared bucket owned by another team\n"
                "resource Logs AWS::S3::Bucket name=logs\n"
                "resource Data AWS::S3::Bucket name=data\n"
            )
        },
    )
    assert reported(result) == [("stack.yml", 3, "IAC990")]  # the comment covers only the next line
    assert len(result.suppressed) == 1


def test_comment_for_another_rule_does_not_suppress(tmp_path: Path) -> None:
    result = scanned(
        tmp_path, {"stack.yml": "resource Logs AWS::S3::Bucket name=logs  # iacscan: ignore[IAC991] no\n"}
    )
    assert reported(result) == [("stack.yml", 1, "IAC990")]


def test_resource_metadata(tmp_path: Path) -> None:
    result = scanned(
        tmp_path,
        {
            "stack.yml": (
                "resource Logs AWS::S3::Bucket name=logs ignore=IAC990:imported\n"
                "resource Data AWS::S3::Bucket name=data ignore=IAC991:other-rule\n"
            )
        },
    )
    assert reported(result) == [("stack.yml", 2, "IAC990")]
    assert [f.suppressed_by for f in result.suppressed] == ["resource metadata: imported"]


def test_per_path_ignores(tmp_path: Path) -> None:
    config = from_mapping({"per-path-ignores": {"legacy/*": ["IAC99"]}})
    result = scanned(
        tmp_path,
        {
            "legacy/stack.yml": "resource Old AWS::S3::Bucket name=old\n",
            "stack.yml": "resource New AWS::S3::Bucket name=new\n",
        },
        config,
    )
    assert reported(result) == [("stack.yml", 1, "IAC990")]
    assert [f.suppressed_by for f in result.suppressed] == ["per-path-ignores in the configuration"]


def test_reasonless_suppression_is_a_note_and_still_suppresses(tmp_path: Path) -> None:
    result = scanned(
        tmp_path, {"stack.py": "resource Logs AWS::S3::Bucket name=logs  # iacscan: ignore[IAC990]\n"}
    )
    assert reported(result) == [("stack.py", 1, "IAC903")]
    assert result.findings[0].severity.label == "note"
    assert result.findings[0].location.column == 42
    assert len(result.suppressed) == 1
    # Not reported when IAC903 is not selected.
    assert reported(scan([tmp_path], from_mapping({"select": ["IAC990"]}))) == []


def test_unused_suppressions_only_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "stack.yml": (
            "resource Logs AWS::S3::Bucket name=logs-suffix  # iacscan: ignore[IAC990] legacy\n"
            "resource Data AWS::S3::Bucket name=data  # iacscan: ignore[IAC990] used\n"
        )
    }
    assert reported(scanned(tmp_path, files)) == []
    assert reported(scan([tmp_path], from_mapping({"report-unused-suppressions": True}))) == [
        ("stack.yml", 1, "IAC904")
    ]
    assert run([str(tmp_path), "--report-unused-suppressions", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [(f["rule_id"], f["line"], f["message"]) for f in document["findings"]] == [
        ("IAC904", 1, "suppression of IAC990 matches no finding")
    ]
    assert document["summary"]["suppressed"] == 1


def test_suppressed_findings_listed_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(
        tmp_path,
        {"tap.py": "", "stack.py": "resource L AWS::S3::Bucket name=l  # iacscan: ignore[IAC990] ok\n"},
    )
    assert run([str(tmp_path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["findings"] == []
    assert [(f["rule_id"], f["suppressed_by"]) for f in document["suppressed"]] == [
        ("IAC990", "inline comment at stack.py:1:36: ok")
    ]


def test_ignore_hides_engine_findings_too(tmp_path: Path) -> None:
    files = {"stack.yml": "broken\nresource A AWS::S3::Bucket name=a  # iacscan: ignore[IAC990]\n"}
    assert {rule for _, _, rule in reported(scanned(tmp_path, files))} == {"IAC901", "IAC903"}
    assert reported(scan([tmp_path], from_mapping({"ignore": ["IAC90"]}))) == []
    # `select` chooses the rules that run; a file that does not parse is still reported.
    assert [r for _, _, r in reported(scan([tmp_path], from_mapping({"select": ["IAC991"]})))] == ["IAC901"]


def test_severity_override_applies_to_engine_findings(tmp_path: Path) -> None:
    result = scanned(tmp_path, {"stack.yml": "broken\n"}, from_mapping({"severity": {"IAC901": "warning"}}))
    assert [(f.rule_id, f.severity.label) for f in result.findings] == [("IAC901", "warning")]
