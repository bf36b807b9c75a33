"""Baselines: write, rescan, see only what is new; bad baseline files are one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer import baseline
from analyzer.cli import run
from analyzer.findings import Finding, Severity
from analyzer.model import Location

pytestmark = pytest.mark.usefixtures("fake_pipeline")
Capture = pytest.CaptureFixture[str]


def line_report(capsys: Capture, *args: str) -> tuple[int, list[str]]:
    code = run([*args, "--format", "line"])
    return code, capsys.readouterr().out.splitlines()


def test_round_trip(capsys: Capture, worktree: Path, tmp_path: Path) -> None:
    stored = tmp_path / "baseline.json"
    code = run([str(worktree), "--write-baseline", str(stored), "--quiet"])
    assert code == 0  # adopting a baseline is not a failure
    assert "wrote" not in capsys.readouterr().err  # --quiet
    assert len(json.loads(stored.read_text())["findings"]) == 3

    # Rescan: nothing new.
    assert line_report(capsys, str(worktree), "--baseline", str(stored)) == (0, [])

    # An unrelated edit moves every finding down two lines: still nothing new.
    stack = worktree / "stack.yml"
    stack.write_text("# header\n# another comment\n" + stack.read_text())
    assert line_report(capsys, str(worktree), "--baseline", str(stored)) == (0, [])

    # A new flaw: exactly one finding.
    stack.write_text(stack.read_text() + "resource Cache AWS::ElastiCache::ReplicationGroup name=cache\n")
    code, lines = line_report(capsys, str(worktree), "--baseline", str(stored))
    assert code == 1
    assert len(lines) == 1 and lines[0].endswith("IAC990 Resource 'Cache' has the fixed name 'cache'")


def test_baselined_findings_are_counted_not_shown(capsys: Capture, worktree: Path, tmp_path: Path) -> None:
    stored = tmp_path / "b.json"
    run([str(worktree), "--write-baseline", str(stored)])
    capsys.readouterr()
    run([str(worktree), "--baseline", str(stored), "--format", "json"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["findings"], summary["baselined"]) == (0, 3)


def test_a_second_identical_finding_is_new() -> None:
    finding = Finding("IAC990", Severity.ERROR, "same", Location("a.py", 1), key="k")
    twin = Finding("IAC990", Severity.ERROR, "same", Location("a.py", 7), key="k")
    assert finding.fingerprint == twin.fingerprint
    recorded = baseline.parse(json.loads(baseline.dumps([finding], "0")))
    from analyzer.engine import ScanResult

    result = baseline.apply(ScanResult(root=Path("."), findings=[finding, twin]), recorded)
    assert result.findings == [twin]
    assert [item.suppressed_by for item in result.suppressed] == ["baseline"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "the baseline is not valid JSON"),
        ('{"version": 2.1, "runs": []}', "not an iacscan baseline"),
        (
            '{"format": "iacscan-baseline", "version": 99, "findings": []}',
            "baseline version 99 is not supported",
        ),
        (
            '{"format": "iacscan-baseline", "version": 1, "findings": [{"rule_id": "IAC002"}]}',
            "findings[0] has no",
        ),
        ("[]", "not an iacscan baseline"),
    ],
)
def test_bad_baseline_is_a_one_line_error(
    capsys: Capture, worktree: Path, tmp_path: Path, content: str, message: str
) -> None:
    stored = tmp_path / "baseline.json"
    stored.write_text(content)
    code = run([str(worktree), "--baseline", str(stored)])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert message in captured.err and captured.err.count("\n") == 1


def test_missing_baseline_is_an_error(capsys: Capture, worktree: Path, tmp_path: Path) -> None:
    assert run([str(worktree), "--baseline", str(tmp_path / "none.json")]) == 2
    assert "baseline file not found" in capsys.readouterr().err


def test_baseline_file_is_readable_and_sorted(worktree: Path, tmp_path: Path, capsys: Capture) -> None:
    stored = tmp_path / "baseline.json"
    run([str(worktree), "--write-baseline", str(stored)])
    document = json.loads(stored.read_text())
    assert document["format"] == "iacscan-baseline" and document["version"] == 1
    assert [(e["path"], e["rule_id"]) for e in document["findings"]] == [
        ("stack.yml", "IAC990"),
        ("stack.yml", "IAC990"),
        ("stack.yml", "IAC991"),
    ]
    assert "wrote 3 finding(s) to the baseline" in capsys.readouterr().err


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=5)
        | st.just("iacscan-baseline")
        | st.just(1),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["format", "version", "findings", "fingerprint"]), inner, max_size=4
            )
        ),
        max_leaves=10,
    )
)
def test_any_json_gives_a_baseline_or_a_baseline_error(data: object) -> None:
    try:
        loaded = baseline.parse(data, "fuzz.json")
    except baseline.BaselineError as error:
        assert str(error).startswith("fuzz.json: ")
    else:
        assert all(isinstance(key, str) and key for key in loaded.fingerprints)
