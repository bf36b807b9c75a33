"""--jobs: the same report whatever N is, in the same order; a pool that cannot start falls back."""

from __future__ import annotations

import json

import pytest

from analyzer import parallel
from analyzer.cli import run
from analyzer.config import Config
from analyzer.engine import scan
from tests.conftest import REPO

Capture = pytest.CaptureFixture[str]
SAMPLES = REPO / "sample_repos"


@pytest.fixture(autouse=True)
def _samples() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("no sample_repos/ in this checkout")


def _report(capsys: Capture, *args: str) -> str:
    code = run(["-r", str(SAMPLES), "--no-cache", "--fail-on", "never", *args])
    output = capsys.readouterr().out
    assert code == 0, output
    return output


@pytest.mark.parametrize("output_format", ["line", "sarif", "github", "markdown"])
def test_jobs_2_prints_what_jobs_1_prints_byte_for_byte(capsys: Capture, output_format: str) -> None:
    serial = _report(capsys, "--jobs", "1", "--format", output_format)
    pooled = _report(capsys, "--jobs", "2", "--format", output_format)
    assert serial and pooled == serial


def test_json_reports_are_identical(capsys: Capture) -> None:
    serial = json.loads(_report(capsys, "--jobs", "1", "--format", "json"))
    pooled = json.loads(_report(capsys, "--jobs", "2", "--format", "json"))
    for document in (serial, pooled):
        assert "duration_seconds" not in document["summary"]  # reports are reproducible by default
    assert pooled == serial


def test_projects_and_findings_come_back_in_worktree_order() -> None:
    roots = sorted(path for path in SAMPLES.iterdir() if path.is_dir())
    serial = scan(roots, Config(), jobs=1)
    pooled = scan(roots, Config(), jobs=2)
    assert [item.project.root for item in pooled.projects] == [item.project.root for item in serial.projects]
    assert [item.project for item in pooled.projects] == [item.project for item in serial.projects]
    assert pooled.findings == serial.findings and pooled.suppressed == serial.suppressed
    # Workers send projects without graphs; the graph is rebuilt on first use.
    assert list(pooled.projects[0].graph.edges()) == list(serial.projects[0].graph.edges())


def test_a_pool_that_cannot_start_means_a_serial_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores in this sandbox")

    roots = sorted(path for path in SAMPLES.iterdir() if path.is_dir())[:4]
    expected = scan(roots, Config(), jobs=1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert scan(roots, Config(), jobs=2).findings == expected.findings


def test_jobs_must_be_positive(capsys: Capture) -> None:
    assert run([str(SAMPLES / "cfn-unsuffixed-names"), "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_the_default_is_one_job_per_usable_core() -> None:
    assert parallel.default_jobs() >= 1
