"""The fix framework: minimal edits, applying edits, refusing changed files, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.findings import Edit
from analyzer.fixes import attach, plan, write
from analyzer.fixes.text import LineIndex, apply_edits, content_hash, minimal_edit, overlaps, write_atomically
from tests.conftest import SHARED
from tests.fixes.helpers import scan_dir

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
TEXT = st.text(alphabet=st.sampled_from("ab \n{}é\r"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT)
def test_minimal_edit_turns_old_into_new(old: str, new: str) -> None:
    edit = minimal_edit("f", old, new)
    if old == new:
        assert edit is None
    else:
        assert edit is not None
        assert apply_edits(old, [edit]) == new


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_positions_round_trip(text: str) -> None:
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        assert index.offset(*index.position(offset)) == offset


def test_overlapping_edits_are_refused() -> None:
    text = "abcdef"
    with pytest.raises(ValueError):
        apply_edits(text, [Edit("f", 1, 1, 1, 4, "X"), Edit("f", 1, 3, 1, 5, "Y")])
    assert apply_edits(text, [Edit("f", 1, 1, 1, 2, "X"), Edit("f", 1, 3, 1, 3, "Y")]) == "XbYcdef"
    assert overlaps((2, 2), (2, 2)) and overlaps((1, 4), (3, 5)) and not overlaps((1, 2), (2, 3))


def test_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "stack.py"
    target.write_text("x = 1\n", encoding="utf-8")
    digest = content_hash(target.read_bytes())
    target.write_text("x = 2\n", encoding="utf-8")
    assert not write_atomically(target, "x = 3\n", digest)
    assert target.read_text(encoding="utf-8") == "x = 2\n"


def test_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "stack.py"
    target.write_text("x = 1\n", encoding="utf-8")
    os.chmod(target, 0o640)
    assert write_atomically(target, "x = 3\n", content_hash(target.read_bytes()))
    assert target.read_text(encoding="utf-8") == "x = 3\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["stack.py"]


def test_plan_then_external_change_is_not_written(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "cfn-unsuffixed-names", root)
    changes = plan(scan_dir(root))
    assert changes.changes
    template = root / "lib" / "TapStack.yml"
    edited_elsewhere = template.read_text(encoding="utf-8") + "# edited meanwhile\n"
    template.write_text(edited_elsewhere, encoding="utf-8")
    written, refused = write(changes)
    assert not written and [change.source.path for change in refused] == ["lib/TapStack.yml"]
    assert template.read_text(encoding="utf-8") == edited_elsewhere


def test_byte_order_mark_and_crlf_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "cfn-unsuffixed-names", root)
    template = root / "lib" / "TapStack.yml"
    original = template.read_text(encoding="utf-8").replace("\n", "\r\n")
    template.write_bytes(("\ufeff" + original).encode("utf-8"))
    write(plan(scan_dir(root)))
    data = template.read_bytes().decode("utf-8")
    assert data.startswith("\ufeff")
    assert "BucketName: !Sub 'tap-order-data-${EnvironmentSuffix}'\r\n" in data
    assert "\n" not in data.replace("\r\n", "")


def test_sarif_fixes_validate_and_reproduce_the_plan(tmp_path: Path) -> None:
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("SARIF schema not available")
    import jsonschema

    from analyzer.report import ReportOptions, render

    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "pulumi-aurora-dms", root)
    result = attach(scan_dir(root))
    document = json.loads(render("sarif", result, ReportOptions()))
    jsonschema.validate(document, json.loads(schema_path.read_text(encoding="utf-8")))
    results = document["runs"][0]["results"]
    with_fixes = [item for item in results if "fixes" in item]
    assert {item["ruleId"] for item in with_fixes} >= {"IAC001", "IAC004", "IAC005", "IAC006"}
    assert len(with_fixes) == sum(1 for finding in result.findings if finding.fixes)
    # Applying the SARIF replacements gives what --fix --unsafe-fixes writes.
    edits: dict[str, list[Edit]] = {}
    for item in with_fixes:
        for change in item["fixes"][0]["artifactChanges"]:
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                path = change["artifactLocation"]["uri"]
                edits.setdefault(path, []).append(
                    Edit(
                        path,
                        region["startLine"],
                        region["startColumn"],
                        region["endLine"],
                        region["endColumn"],
                        replacement["insertedContent"]["text"],
                    )
                )
    expected = {change.source.path: change.new_text for change in plan(result, unsafe=True).changes}
    assert {
        path: apply_edits((root / path).read_text(encoding="utf-8"), items) for path, items in edits.items()
    } == expected


def test_a_symlinked_file_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    shutil.copy(SAMPLES / "cfn-unsuffixed-names" / "lib" / "TapStack.yml", outside)
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "cfn-unsuffixed-names", root)
    (root / "lib" / "TapStack.yml").unlink()
    (root / "lib" / "TapStack.yml").symlink_to(outside)
    original = outside.read_text(encoding="utf-8")
    assert not plan(scan_dir(root)).changes
    assert outside.read_text(encoding="utf-8") == original


def test_a_file_that_cannot_be_written_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "cfn-unsuffixed-names", root)
    changes = plan(scan_dir(root))

    def read_only(*args: object) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("analyzer.fixes.write_atomically", read_only)
    written, refused = write(changes)
    assert not written and [change.source.path for change in refused] == ["lib/TapStack.yml"]
