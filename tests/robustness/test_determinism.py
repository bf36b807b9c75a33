"""The same input gives byte-identical JSON and SARIF: twice in a row, and whatever order the file
system lists files in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analyzer import discover
from analyzer.config import Config
from analyzer.engine import scan
from analyzer.report import render
from analyzer.report.layout import ReportOptions

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
CASES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()) if SAMPLES.is_dir() else []


def _reports(root: Path) -> dict[str, str]:
    result = scan([root], Config())
    options = ReportOptions(color=False)
    return {fmt: render(fmt, result, options) for fmt in ("json", "sarif")}


@pytest.mark.parametrize("name", CASES)
def test_reports_are_byte_identical_across_runs_and_listing_order(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root)
    first = _reports(root)
    second = _reports(root)

    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for directory, dirnames, filenames in real_walk(top, *args, **kwargs):
            dirnames.reverse()
            filenames.reverse()
            yield directory, dirnames, filenames

    monkeypatch.setattr(discover.os, "walk", reversed_walk)
    reordered = _reports(root)

    assert first == second
    assert first == reordered
    assert '"duration' not in first["json"], (
        "timings make reports differ between runs; keep them out by default"
    )
