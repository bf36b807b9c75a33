"""Watch mode: a report at once, another after a file changes; clear errors when unavailable."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from analyzer.cli import run
from tests.conftest import REPO

Capture = pytest.CaptureFixture[str]


def test_a_change_triggers_another_report(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    from analyzer.watch import watch

    (tmp_path / "lib").mkdir()
    target = tmp_path / "lib" / "TapStack.yml"
    target.write_text("Resources: {}\n")
    stop = threading.Event()
    reports: list[int] = []
    second = threading.Event()
    notes: list[str] = []

    def rescan() -> int:
        reports.append(len(reports))
        if len(reports) >= 2:
            second.set()
        return len(reports)

    thread = threading.Thread(
        target=lambda: watch([tmp_path], rescan, note=notes.append, stop_event=stop), daemon=True
    )
    thread.start()
    try:
        # Change the file until the watcher (started in the thread) reports; bounded, not timed.
        for _ in range(100):
            target.write_text(f"Resources: {{}}\n# {len(notes)}\n")
            if second.wait(0.2):
                break
    finally:
        stop.set()
        thread.join(10)
    assert second.is_set(), notes
    assert reports[:2] == [0, 1]
    assert any("re-analysed" in note for note in notes)
    assert not thread.is_alive()


def test_watch_with_fix_is_a_usage_error(capsys: Capture) -> None:
    pytest.importorskip("watchfiles")
    worktree = REPO / "sample_repos" / "cfn-unsuffixed-names"
    assert run([str(worktree), "--watch", "--fix", "--no-cache"]) == 2
    assert "--watch cannot be combined with --fix" in capsys.readouterr().err


def test_without_watchfiles_the_error_says_how_to_install_it(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # import fails
    (tmp_path / "metadata.json").write_text("{}\n")
    assert run([str(tmp_path), "--watch", "--no-cache"]) == 2
    assert "pip install 'iacscan[watch]'" in capsys.readouterr().err
