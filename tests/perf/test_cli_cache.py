"""The CLI's cache options: --cache-dir, --no-cache, IACSCAN_NO_CACHE, an unsafe directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.cli import run
from tests.conftest import REPO

Capture = pytest.CaptureFixture[str]
WORKTREE = REPO / "sample_repos" / "cfn-unsuffixed-names"


@pytest.fixture(autouse=True)
def _sample() -> None:
    if not WORKTREE.is_dir():
        pytest.skip("no sample_repos/ in this checkout")


def _scan(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = run([str(WORKTREE), "--format", "line", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_cached_report_is_the_same_report(capsys: Capture, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    first = _scan(capsys, "--cache-dir", cache)
    assert list((tmp_path / "cache").rglob("*.json"))
    assert _scan(capsys, "--cache-dir", cache) == first == _scan(capsys, "--no-cache")
    assert first[1]  # the sample has findings: the comparison compares something


def test_no_cache_writes_nothing(capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IACSCAN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _scan(capsys, "--no-cache")
    assert not (tmp_path / "xdg").exists()
    _scan(capsys)  # the default: $XDG_CACHE_HOME/iacscan
    assert list((tmp_path / "xdg" / "iacscan").rglob("*.json"))


def test_the_environment_variable_turns_the_default_cache_off(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IACSCAN_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _scan(capsys)
    assert not (tmp_path / "xdg").exists()


def test_an_unusable_cache_directory_is_a_note_not_a_failure(capsys: Capture, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, out, err = _scan(capsys, "--cache-dir", str(blocker / "cache"))
    assert (code, out) == _scan(capsys, "--no-cache")[:2]
    assert "scanning without the cache" in err
    assert os.path.isfile(blocker)


def test_report_settings_share_an_entry_analysis_settings_do_not(capsys: Capture, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    code, out, _ = _scan(capsys, "--cache-dir", cache)
    assert code == 1 and out
    # Applied to the stored outcome on every run: the same entry, and the result they ask for.
    assert _scan(capsys, "--cache-dir", cache, "--fail-on", "never")[:2] == (0, out)
    assert (
        _scan(capsys, "--cache-dir", cache, "--severity-threshold", "error")[1]
        == (_scan(capsys, "--no-cache", "--severity-threshold", "error")[1])
    )
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1
    # Which rules run changes what is stored: a new entry.
    _scan(capsys, "--cache-dir", cache, "--select", "IAC002")
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 2
