"""Every sample repository with a flaw: ``--fix`` removes the findings it fixes, leaves valid
sources, and a second ``--fix`` changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyzer.cli import run
from analyzer.fixes import candidate_fixes
from tests.fixes.helpers import assert_sources_valid, scan_dir, snapshot

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
FLAWED = sorted(path.name for path in SAMPLES.iterdir() if path.is_dir() and not path.name.endswith("-fixed"))
FIXED = sorted(path.name for path in SAMPLES.iterdir() if path.is_dir() and path.name.endswith("-fixed"))
# Rules whose fixes are mechanical: every finding of theirs in a sample must be fixed.
ALWAYS_FIXED = ("IAC002", "IAC005", "IAC006")


@pytest.mark.parametrize("name", FLAWED)
def test_fix_removes_fixed_findings_and_is_idempotent(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root)
    before = scan_dir(root)
    offered = {finding.fingerprint for finding, _ in candidate_fixes(before)}
    mechanical = {f.fingerprint for f in before.findings if f.rule_id in ALWAYS_FIXED}
    assert mechanical <= offered

    run([str(root), "--fix", "--unsafe-fixes", "-q", "--fail-on", "never"])
    after = scan_dir(root)
    remaining = {finding.fingerprint for finding in after.findings}
    assert not offered & remaining, [f.message for f in after.findings if f.fingerprint in offered]
    assert_sources_valid(root)

    files = snapshot(root)
    run([str(root), "--fix", "--unsafe-fixes", "-q", "--fail-on", "never"])
    assert snapshot(root) == files
    capsys.readouterr()


@pytest.mark.parametrize("name", FIXED)
def test_fixed_samples_offer_no_fix(name: str, tmp_path: Path) -> None:
    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root)
    files = snapshot(root)
    assert run([str(root), "--fix", "--unsafe-fixes", "-q", "--fail-on", "never"]) == 0
    assert snapshot(root) == files


def test_diff_writes_nothing_and_shows_the_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "cfn-unsuffixed-names", root)
    files = snapshot(root)
    code = run([str(root), "--diff"])
    out = capsys.readouterr().out
    assert code == 1
    assert snapshot(root) == files
    assert (
        "-      BucketName: tap-order-data\n+      BucketName: !Sub 'tap-order-data-${EnvironmentSuffix}'\n"
        in out
    )
    assert out.startswith("--- a/lib/TapStack.yml\n+++ b/lib/TapStack.yml\n")


def test_unsafe_fixes_need_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "pulumi-aurora-dms", root)
    tap = (root / "tap.py").read_text(encoding="utf-8")
    run([str(root), "--fix", "--fail-on", "never"])
    assert "2 unsafe fixes available with --unsafe-fixes" in capsys.readouterr().err
    assert (root / "tap.py").read_text(encoding="utf-8") == tap  # IAC001's fix is unsafe
    run([str(root), "--fix", "--unsafe-fixes", "-q", "--fail-on", "never"])
    assert 'vpc_id=config.require("vpc_id")' in (root / "tap.py").read_text(encoding="utf-8")
    assert not [f for f in scan_dir(root).findings if f.rule_id == "IAC001"]


@pytest.mark.parametrize("name", FLAWED)
def test_sources_changed_after_the_scan_never_get_a_wrong_edit(name: str, tmp_path: Path) -> None:
    """Between the scan and the fix, every source gains a line at the top: model line numbers
    are now off by one. Fixes whose anchor no longer matches are dropped; whatever is written
    still parses and decodes."""
    from analyzer.fixes import plan, write

    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root)
    result = scan_dir(root)
    for path in root.rglob("*"):
        if path.suffix in (".py", ".yml", ".yaml"):
            path.write_text("# moved\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        elif path.suffix == ".json" and path.parent.name == "lib":
            path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _, refused = write(plan(result, unsafe=True))
    assert not refused
    assert_sources_valid(root)
    # A misplaced edit would leave a new finding (or a parse error) behind.
    assert {f.fingerprint for f in scan_dir(root).findings} <= {f.fingerprint for f in result.findings}


def test_baselined_findings_are_not_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLES / "cfn-unsuffixed-names", root)
    template = root / "lib" / "TapStack.yml"
    baseline = tmp_path / "baseline.json"
    run([str(root), "--write-baseline", str(baseline), "-q"])
    text = template.read_text(encoding="utf-8")
    # A new unsuffixed name after the baseline: the only finding --fix may touch.
    queue = "  NewQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {}\n"
    template.write_text(
        text.replace("Resources:\n", "Resources:\n" + queue.format("fresh-queue")), encoding="utf-8"
    )
    run([str(root), "--fix", "--baseline", str(baseline), "-q", "--fail-on", "never"])
    expected = text.replace(
        "Resources:\n", "Resources:\n" + queue.format("!Sub 'fresh-queue-${EnvironmentSuffix}'")
    )
    assert template.read_text(encoding="utf-8") == expected
    capsys.readouterr()
