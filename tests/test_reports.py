"""Reporters lay out a finished result: text, JSON (against its documented schema), GitHub
workflow commands, one-line-per-finding and Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.config import Config
from analyzer.engine import ScanResult, scan
from analyzer.findings import Finding, Related, Severity
from analyzer.model import Location
from analyzer.report import FORMATS, ReportOptions, render
from analyzer.report.layout import one_line
from tests.conftest import REPO, make_result, write_tree

REPORT_SCHEMA = REPO / "docs" / "schemas" / "report.schema.json"

pytestmark = pytest.mark.usefixtures("fake_pipeline")


@pytest.fixture
def result(worktree: Path) -> ScanResult:
    return scan([worktree], Config())


def test_text_groups_by_file_with_source_caret_and_hint(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "wt", {"a.py": "x = 1\n\tbucket = make('logs')\n", "b.yml": "k: v\n"})
    findings = [
        Finding("IAC990", Severity.ERROR, "fixed name", Location("a.py", 2, 11), "add the suffix"),
        Finding("IAC991", Severity.WARNING, "a queue", Location("b.yml", 1)),
        Finding(
            "IAC990",
            Severity.ERROR,
            "another",
            Location("a.py", 1, 1),
            related=(Related(Location("b.yml", 1), "here"),),
        ),
    ]
    text = render("text", make_result(root, findings), ReportOptions())
    assert text.splitlines()[:13] == [
        "a.py",
        "a.py:1:1 IAC990 [error] another",
        "    1 | x = 1",
        "      | ^",
        "    see b.yml:1: here",
        "",
        "a.py:2:11 IAC990 [error] fixed name",
        "    2 |     bucket = make('logs')",
        "      |              ^",  # the tab is shown as four spaces, and so is the caret's indent
        "    fix: add the suffix",
        "",
        "b.yml",
        "b.yml:1 IAC991 [warning] a queue",
    ]
    assert "By rule: IAC990 2, IAC991 1" in text
    summary = text.splitlines()[-1]
    assert summary.startswith("3 findings (2 errors, 1 warning, 0 notes); ")
    assert "named resources with the environment suffix: 0 of 1" in summary  # make_result: 1 named


def test_text_colour_only_when_asked(result: ScanResult) -> None:
    assert "\x1b[" not in render("text", result, ReportOptions(color=False))
    assert "\x1b[" in render("text", result, ReportOptions(color=True))


def test_text_summary_counts_suppressed_and_baselined(tmp_path: Path) -> None:
    hidden = [
        Finding("IAC990", Severity.ERROR, "a", Location("a.py", 1), suppressed_by="inline comment"),
        Finding("IAC990", Severity.ERROR, "b", Location("a.py", 2), suppressed_by="baseline"),
    ]
    text = render("text", make_result(tmp_path, [], hidden), ReportOptions())
    assert text.splitlines()[-1].startswith("No findings [1 suppressed, 1 in the baseline]; ")


def test_text_json_and_sarif_carry_the_review_checklist(result: ScanResult) -> None:
    text = render("text", result, ReportOptions())
    lines = text.splitlines()
    start = lines.index("Review checklist:")
    titles = [line.split("] ", 1)[1].split(":", 1)[0] for line in lines[start + 1 : start + 5]]
    assert titles == ["Environment suffix", "Destroyable", "Account singletons", "Metadata"]
    assert lines[-1] == lines[start + 5]  # the verdict stays the last line
    expected = result.review().as_dict()
    assert json.loads(render("json", result, ReportOptions()))["review"] == expected
    sarif = json.loads(render("sarif", result, ReportOptions()))
    assert sarif["runs"][0]["properties"]["review"] == expected
    quiet = render("text", result, ReportOptions(quiet=True))
    assert "Review checklist:" not in quiet
    markdown = render("markdown", result, ReportOptions())
    assert "| Review | Status | Detail |" in markdown
    assert all(f"| {item.title} | {item.status} |" in markdown for item in result.review().items())


def load_report_schema() -> dict[str, Any]:
    return json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))


def test_json_report_matches_its_documented_schema(result: ScanResult, tmp_path: Path) -> None:
    import jsonschema

    document = json.loads(render("json", result, ReportOptions()))
    jsonschema.Draft202012Validator(load_report_schema()).validate(document)
    assert document["schema_version"] == 1
    assert document["summary"]["by_severity"] == {"error": 2, "warning": 1, "note": 0}
    assert document["summary"]["by_rule"] == {"IAC990": 2, "IAC991": 1}
    assert [(f["path"], f["line"], f["rule_id"]) for f in document["findings"]] == [
        ("stack.yml", 2, "IAC990"),
        ("stack.yml", 3, "IAC991"),
        ("stack.yml", 4, "IAC990"),
    ]
    assert document["findings"][0]["fingerprint"] == result.findings[0].fingerprint
    assert document["projects"] == [{"path": ".", "platform": "fake", "entry_point": None, "resources": 4}]


def test_json_schema_rejects_a_broken_report(result: ScanResult) -> None:
    import jsonschema

    document = json.loads(render("json", result, ReportOptions()))
    del document["findings"][0]["fingerprint"]
    with pytest.raises(jsonschema.ValidationError, match="fingerprint"):
        jsonschema.Draft202012Validator(load_report_schema()).validate(document)


def test_json_rich_shapes_validate(tmp_path: Path) -> None:
    import jsonschema

    from tests.test_sarif import rich_result

    document = json.loads(render("json", rich_result(tmp_path), ReportOptions()))
    jsonschema.Draft202012Validator(load_report_schema()).validate(document)
    first = document["findings"][[f["rule_id"] for f in document["findings"]].index("IAC990")]
    assert first["fixes"][0]["edits"][0]["replacement"] == "f'logs-{suffix}'"
    assert first["related"] == [{"path": "lib/stack.py", "line": 1, "column": 0, "message": "imported here"}]
    assert document["summary"]["execution_successful"] is False


def test_github_workflow_commands_escape_what_the_runner_decodes(tmp_path: Path) -> None:
    findings = [
        Finding("IAC990", Severity.ERROR, "100% wrong,\nreally", Location("dir,x/a:b.py", 3, 7), "fix it"),
        Finding("IAC991", Severity.WARNING, "queue", Location("a.py", 1)),
        Finding("IAC903", Severity.NOTE, "no reason", Location("a.py", 2, 4)),
    ]
    lines = render("github", make_result(tmp_path, findings), ReportOptions()).splitlines()
    assert lines == [
        "::warning file=a.py,line=1,title=IAC991::queue",
        "::notice file=a.py,line=2,col=4,title=IAC903::no reason",
        "::error file=dir%2Cx/a%3Ab.py,line=3,col=7,title=IAC990::100%25 wrong,%0Areally%0AFix: fix it",
    ]


LINE_FORMAT = re.compile(r"^(.+?):(\d+):(\d+): (error|warning|note) (IAC\d{3}) (.+)$")


def test_line_format_is_one_parseable_line_per_finding(tmp_path: Path) -> None:
    findings = [
        Finding("IAC990", Severity.ERROR, "two\nlines", Location("lib/a b.py", 3, 7)),
        Finding("IAC991", Severity.WARNING, "whole line", Location("lib/a b.py", 9)),
    ]
    lines = render("line", make_result(tmp_path, findings), ReportOptions()).splitlines()
    parsed = [LINE_FORMAT.match(line).groups() for line in lines]  # type: ignore[union-attr]
    assert parsed == [
        ("lib/a b.py", "3", "7", "error", "IAC990", "two lines"),
        ("lib/a b.py", "9", "1", "warning", "IAC991", "whole line"),
    ]


def test_markdown_summary_tables(tmp_path: Path) -> None:
    findings = [
        Finding("IAC990", Severity.ERROR, "name a|b <script>", Location("lib/a.py", 3, 7), "add it"),
        Finding("IAC991", Severity.WARNING, "queue", Location("lib/a.py", 9)),
    ]
    text = render("markdown", make_result(tmp_path, findings), ReportOptions())
    assert "**2 findings** (1 error, 1 warning, 0 notes)." in text
    assert "| Named resources with the environment suffix | 0 of 1 |" in text
    assert "| 🔴 | IAC990 `fixed-name` | `lib/a.py:3` | name a\\|b &lt;script> Fix: add it |" in text
    assert "| [IAC991](https://github.com/iacscan/iacscan/blob/main/docs/rules/IAC991.md) | 1 |" in text
    assert render("markdown", make_result(tmp_path, []), ReportOptions()).count("**No findings.**") == 1


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_format_handles_an_empty_result(format_name: str, tmp_path: Path) -> None:
    empty = make_result(tmp_path, [])
    text = render(format_name, empty, ReportOptions())
    if format_name in ("json", "sarif"):
        assert json.loads(text)
    elif format_name in ("github", "line"):
        assert text == ""
    else:
        assert "No findings" in text


HOSTILE = "bucket \x1b]0;pwned\x07 \x1b[2K\rname \x9b31m"


@pytest.mark.parametrize("format_name", ["text", "line", "github", "markdown"])
@pytest.mark.parametrize("color", [False, True])
def test_control_characters_from_scanned_content_never_reach_the_terminal(
    format_name: str, color: bool, tmp_path: Path
) -> None:
    write_tree(tmp_path, {"a.py": f"x = '{HOSTILE}'\n"})
    findings = [
        Finding(
            "IAC990",
            Severity.ERROR,
            HOSTILE,
            Location("a.py", 1, 5),
            HOSTILE,
            related=(Related(Location("a.py", 1), HOSTILE),),
        )
    ]
    text = render(format_name, make_result(tmp_path, findings), ReportOptions(color=color))
    assert "\x1b]" not in text and "\x07" not in text and "\r" not in text and "\x9b" not in text
    assert "\x1b[2K" not in text
    assert "\\x1b]0;pwned\\x07" in text  # shown, escaped


@given(
    message=st.text(min_size=1, max_size=80),
    path=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
        lambda p: ":" not in p and p.strip() == p and p == one_line(p)  # escapes: tested below
    ),
    line=st.integers(min_value=1, max_value=10_000),
    column=st.integers(min_value=0, max_value=500),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_line_format_survives_any_message(
    tmp_path: Path, message: str, path: str, line: int, column: int
) -> None:
    finding = Finding("IAC990", Severity.WARNING, message, Location(path, line, column))
    lines = render("line", make_result(tmp_path, [finding]), ReportOptions()).split("\n")
    assert len(lines) == 2 and lines[1] == ""  # what editors split on
    parsed = LINE_FORMAT.match(lines[0])
    assert parsed is not None
    assert parsed.groups()[:5] == (path, str(line), str(max(column, 1)), "warning", "IAC990")


@given(text=st.text(max_size=60))
def test_github_escaping_round_trips(text: str) -> None:
    from analyzer.report.github import _data, _property

    def decode(escaped: str) -> str:  # what the Actions runner does (actions/toolkit command.ts)
        for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            escaped = escaped.replace(code, char)
        return escaped

    assert "\n" not in _data(text) and "\r" not in _data(text)
    assert decode(_data(text)) == text
    assert "," not in _property(text) and ":" not in _property(text)
    assert decode(_property(text)) == text


def test_excerpt_of_a_huge_line_is_a_window_around_the_column(tmp_path: Path) -> None:
    line = "a" * 5000 + "X" + "b" * 5000
    write_tree(tmp_path, {"lib/TapStack.json": line + "\n"})
    finding = Finding("IAC990", Severity.ERROR, "m", Location("lib/TapStack.json", 1, 5001))
    result = make_result(tmp_path, [finding])
    text = render("text", result, ReportOptions())
    source, caret = text.splitlines()[2:4]
    assert len(source) < 200 and source.startswith("    1 | …") and source.endswith("…")
    assert source[caret.index("^")] == "X"  # the caret still points at the column
    sarif = json.loads(render("sarif", result, ReportOptions()))
    assert "snippet" not in sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]


def test_line_format_escapes_a_newline_in_a_file_name(tmp_path: Path) -> None:
    finding = Finding("IAC990", Severity.ERROR, "", Location("lib/evil\nname.py", 2, 3))
    text = render("line", make_result(tmp_path, [finding]), ReportOptions())
    assert text == "lib/evil\\nname.py:2:3: error IAC990 (no message)\n"
