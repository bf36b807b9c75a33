"""Scanning an attacker's worktree: nothing runs, nothing crashes, every skipped file is reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from tests.robustness.hostile import broken_repo, executing_cfn_repo, executing_pulumi_repo

CLI = [sys.executable, "-c", "from analyzer.cli import main; main()"]
# A hang guard, not a speed assertion (benchmarks/bench_hostile.py measures speed).
HANG_GUARD_SECONDS = 600


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=HANG_GUARD_SECONDS)


@pytest.mark.parametrize(
    "build", [executing_pulumi_repo, executing_cfn_repo], ids=["pulumi", "cloudformation"]
)
def test_scanning_never_runs_the_repository(tmp_path: Path, build) -> None:
    marker = tmp_path / "executed.marker"
    repo = build(tmp_path / "repo", marker)

    in_process = scan([repo], Config())
    assert in_process.projects, "the worktree should still be modelled"
    completed = run_cli(repo, "--format", "json", "--fail-on", "never")

    assert not marker.exists(), "iacscan executed code from the scanned repository"
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    json.loads(completed.stdout)


@pytest.fixture(scope="module")
def broken_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    repo = broken_repo(tmp_path_factory.mktemp("hostile") / "repo", resources=2_000)
    return run_cli(repo, "--format", "json"), repo


def _findings(completed: subprocess.CompletedProcess[str]) -> list[dict]:
    return json.loads(completed.stdout)["findings"]


def test_broken_repository_yields_a_report_not_a_crash(broken_scan) -> None:
    completed, _ = broken_scan
    assert "Traceback" not in completed.stderr
    assert completed.returncode == 1, completed.stderr  # findings exist; 2 would mean iacscan failed
    document = json.loads(completed.stdout)
    assert document["summary"]["findings"] == len(document["findings"]) > 0


def _where(finding: dict) -> str:
    return finding["location"]["path"] if isinstance(finding.get("location"), dict) else finding["path"]


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("lib/binary_stack.py", "IAC90"),  # binary: a parse error or a skipped-file note, but reported
        ("lib/latin1.py", "IAC901"),  # not UTF-8
        ("lib/deep.py", "IAC902"),  # 5,000 nested parentheses: over the nesting limit, reported as skipped
        ("lib/huge.py", "IAC902"),  # over the size limit
        ("lib/spaced name ünïcödé.yml", "IAC901"),  # Resources is not a mapping
    ],
)
def test_each_unreadable_file_is_reported_where_it_is(broken_scan, path: str, rule: str) -> None:
    completed, _ = broken_scan
    hits = [f for f in _findings(completed) if _where(f).endswith(path) and f["rule_id"].startswith(rule)]
    assert hits, (
        f"expected {rule} at {path}; got {[(_where(f), f['rule_id']) for f in _findings(completed)][:20]}"
    )


def test_the_large_template_is_still_modelled(broken_scan) -> None:
    completed, _ = broken_scan
    projects = json.loads(completed.stdout)["projects"]
    assert any(p["platform"] == "cloudformation" and p["resources"] >= 2_000 for p in projects), projects


def test_no_internal_errors_on_hostile_input(broken_scan) -> None:
    completed, _ = broken_scan
    internal = [f for f in _findings(completed) if f["rule_id"] == "IAC900"]
    assert not internal, internal
