"""pre-commit runs the hook this repository publishes (.pre-commit-hooks.yaml), for real.

The published hook uses `language: python`, which makes pre-commit build a virtualenv and install
iacscan from the network; the test keeps everything else of the published definition (entry, args,
pass_filenames, files, require_serial) and runs it as `language: system` against the iacscan
installed here, so pre-commit itself decides when and how the hook runs, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_repos"

pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit") is None or shutil.which("git") is None or shutil.which("iacscan") is None,
    reason="pre-commit, git and an installed iacscan are needed (pip install -e '.[test]')",
)


def _published_hook() -> dict:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def _git_repo_with(tmp_path: Path, sample: str) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLES / sample, repo / "infra")
    hook = {**_published_hook(), "language": "system"}
    hook.pop("minimum_pre_commit_version", None)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = _env(tmp_path)
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=repo, check=True, env=env)
    return repo


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
        NO_COLOR="1",
    )
    return env


def _run(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pre-commit", "run", "iacscan", "--all-files"],
        cwd=repo,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_hook_blocks_a_commit_with_deployment_blockers(tmp_path: Path) -> None:
    completed = _run(_git_repo_with(tmp_path, "pulumi-aurora-dms"), tmp_path)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "iacscan" in completed.stdout and "Failed" in completed.stdout
    assert "IAC001" in completed.stdout  # tap.py's missing TapStackArgs arguments, found via --recursive .


def test_the_hook_passes_a_clean_worktree(tmp_path: Path) -> None:
    completed = _run(_git_repo_with(tmp_path, "pulumi-aurora-dms-fixed"), tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Passed" in completed.stdout
