"""Where users run iacscan: the GitHub Action and workflows, pre-commit, the VS Code problem
matcher, diff-aware scans, several worktrees, and the README/CI contract. Each is exercised for
real: the documented regexes match real output, the action's shell step runs, git diffs a real
temporary repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from analyzer.cli import run
from tests.conftest import REPO, write_tree

Capture = pytest.CaptureFixture[str]
SAMPLES = REPO / "sample_repos"


def load_yaml(relative: str) -> Any:
    return yaml.safe_load((REPO / relative).read_text(encoding="utf-8"))


# -- VS Code problem matcher --------------------------------------------------------------------


def documented_matchers() -> list[dict[str, Any]]:
    """The problemMatcher entries of the tasks.json block in docs/editors.md, as documented."""
    text = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    tasks = [json.loads(block) for block in blocks if '"problemMatcher"' in block]
    assert len(tasks) == 1, "docs/editors.md should document exactly one tasks.json"
    (task,) = tasks[0]["tasks"]
    assert task["command"] == "iacscan" and "line" in task["args"]
    return task["problemMatcher"]


def match_line(line: str, matchers: list[dict[str, Any]]) -> tuple[str, dict[str, str]]:
    hits = []
    for matcher in matchers:
        pattern = matcher["pattern"]
        found = re.match(pattern["regexp"], line)  # the JS regexes use only Python-compatible syntax
        if found:
            groups = {key: found.group(pattern[key]) for key in ("file", "line", "column", "code", "message")}
            hits.append((matcher["severity"], groups))
    assert len(hits) == 1, f"{len(hits)} problem matchers match {line!r}"
    return hits[0]


@pytest.mark.usefixtures("fake_pipeline")
def test_problem_matcher_reads_real_line_output(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path / "infra" / "app",
        {
            "tap.py": "",
            "stack.yml": (
                "resource Logs AWS::S3::Bucket name=logs\n"
                "  resource Jobs AWS::SQS::Queue  # iacscan: ignore[IAC990]\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)  # the task runs in the workspace folder
    run(["--recursive", ".", "--format", "line", "--fail-on", "never"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    matched = [match_line(line, documented_matchers()) for line in lines]
    assert [(severity, groups["code"]) for severity, groups in matched] == [
        ("error", "IAC990"),
        ("warning", "IAC991"),
        ("info", "IAC903"),
    ]
    first = matched[0][1]
    assert (tmp_path / first["file"]).is_file()  # fileLocation: relative to the workspace folder
    assert (first["file"], first["line"], first["column"]) == ("infra/app/stack.yml", "1", "1")
    assert first["message"] == "Resource 'Logs' has the fixed name 'logs'"
    assert matched[1][1]["column"] == "3"


def test_problem_matcher_reads_the_sample_repositories(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not SAMPLES.is_dir():
        pytest.skip("no sample_repos/ in this checkout")
    monkeypatch.chdir(REPO)
    run(["--recursive", "sample_repos", "--format", "line", "--fail-on", "never"])
    lines = capsys.readouterr().out.splitlines()
    if not lines:
        pytest.skip("the installed plugins and rules report nothing on the samples yet")
    matchers = documented_matchers()
    for line in lines:
        _, groups = match_line(line, matchers)
        assert (REPO / groups["file"]).is_file(), line
        assert int(groups["line"]) >= 1 and int(groups["column"]) >= 1


# -- GitHub Action and workflows ----------------------------------------------------------------


def test_action_metadata() -> None:
    action = load_yaml("action.yml")
    assert action["name"] and action["description"]
    assert set(action["inputs"]) >= {"path", "format", "output", "fail-on", "args"}
    assert all(spec.get("description") for spec in action["inputs"].values())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any(step.get("uses", "").startswith("actions/setup-python@") for step in steps)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs must reach scripts through env, not be pasted in"


def scan_step() -> dict[str, Any]:
    steps = load_yaml("action.yml")["runs"]["steps"]
    return next(step for step in steps if step.get("id") == "scan")


def run_action_step(tmp_path: Path, **inputs: str) -> tuple[int, str, str]:
    step = scan_step()
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_OUTPUT": str(outputs),
    }
    for name, value in step["env"].items():
        key = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        assert key, f"{name} should come from an input"
        env[name] = inputs.get(key.group(1), "")
    completed = subprocess.run(
        ["bash", "-c", step["run"]], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    return completed.returncode, outputs.read_text(), completed.stderr


def test_action_scan_step_runs_on_a_worktree(tmp_path: Path) -> None:
    if (
        shutil.which("iacscan", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        is None
    ):
        pytest.skip("the iacscan console script is not installed")
    worktree = "tests/fixtures/sarif-worktree"  # small: a template that does not parse
    report = tmp_path / "iacscan.sarif"
    code, outputs, stderr = run_action_step(
        tmp_path,
        path=worktree,
        format="sarif",
        output=str(report),
        **{"fail-on": "never", "args": "-q --no-color"},
    )
    assert (code, outputs) == (0, "exit-code=0\n"), stderr
    document = json.loads(report.read_text())
    assert document["version"] == "2.1.0"
    if document["runs"][0]["results"]:  # with findings, fail-on error fails the step and says so
        code, outputs, _ = run_action_step(tmp_path, path=worktree, format="github", **{"fail-on": "error"})
        assert (code, outputs) == (1, "exit-code=1\n")
    # A bad argument is exit code 2, passed through.
    code, outputs, stderr = run_action_step(tmp_path, path=worktree, format="line", args="--no-such-flag")
    assert (code, outputs) == (2, "exit-code=2\n") and "no-such-flag" in stderr


def workflow_steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflows_parse_and_wire_the_integrations() -> None:
    workflow = load_yaml(".github/workflows/iacscan.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    for job in workflow["jobs"].values():
        assert job["runs-on"] and job["steps"]
    steps = workflow_steps(workflow)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    scans = [s for s in steps if s.get("uses") == "./"]
    sarif = next(s for s in scans if s["with"]["format"] == "sarif")
    assert upload["with"]["sarif_file"] == sarif["with"]["output"]
    assert workflow["jobs"]["code-scanning"]["permissions"]["security-events"] == "write"
    assert any(s["with"]["format"] == "github" for s in scans)
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") and "markdown" in s["run"] for s in steps)
    ci = load_yaml(".github/workflows/ci.yml")
    assert any(s.get("run") == "bash .ci/run" for s in workflow_steps(ci))


def test_pre_commit_hook_definition() -> None:
    hooks = load_yaml(".pre-commit-hooks.yaml")
    (hook,) = [hook for hook in hooks if hook["id"] == "iacscan"]
    assert hook["entry"] == "iacscan" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "lib/tap_stack.py") and re.search(hook["files"], "lib/TapStack.yml")
    assert not re.search(hook["files"], "README.md")


# -- README and CI ------------------------------------------------------------------------------


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in re.findall(r"```sh\n(.*?)```", setup, flags=re.S)]
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    install_and_scan, install_and_test = commands
    assert install_and_scan.startswith("pip install . && iacscan sample_repos/")
    assert install_and_test.startswith("pip install -e '.[test]' && ")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[0] == "#!/usr/bin/env bash" and "set -euo pipefail" in ci
    assert ci[-1] == install_and_test
    sample = install_and_scan.split("iacscan ", 1)[1]
    if SAMPLES.is_dir():
        assert (REPO / sample).is_dir(), f"the README scans {sample}, which does not exist"


# -- several worktrees --------------------------------------------------------------------------


def test_recursive_sarif_of_every_sample_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 3's "done when": `iacscan sample_repos/... --format sarif --output r.sarif` is valid
    SARIF 2.1.0 (here for every sample at once, which also checks --recursive)."""
    if not SAMPLES.is_dir():
        pytest.skip("no sample_repos/ in this checkout")
    expected = sorted(
        f"sample_repos/{path.name}"
        for path in SAMPLES.iterdir()
        if path.is_dir() and not path.name.startswith(".")
    )
    monkeypatch.chdir(REPO)
    report = tmp_path / "r.sarif"
    assert (
        run(
            [
                "--recursive",
                "sample_repos",
                "--format",
                "sarif",
                "--output",
                str(report),
                "--fail-on",
                "never",
            ]
        )
        == 0
    )
    document = json.loads(report.read_text())
    run_ = document["runs"][0]
    assert run_["properties"]["worktrees"] == expected
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("sample_repos/")
        assert (REPO / location["artifactLocation"]["uri"]).is_file()
    from tests.test_sarif import SARIF_SCHEMA, assert_valid_sarif

    if SARIF_SCHEMA.is_file():
        assert_valid_sarif(document)


# -- diff-aware scans ---------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    command = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
        *args,
    ]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = write_tree(
        tmp_path / "repo",
        {
            "infra/tap.py": "",
            "infra/stack.yml": (
                "resource Old AWS::S3::Bucket name=old\n"
                "resource Ok AWS::S3::Bucket name=ok-suffix\n"
                "resource Queue AWS::SQS::Queue\n"
            ),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


@pytest.mark.usefixtures("fake_pipeline")
def test_changed_since_reports_only_changed_lines(
    repository: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = repository / "infra" / "stack.yml"
    # Change line 2 into a flaw and append one; line 1's old flaw and line 3's queue are unchanged.
    stack.write_text(
        "resource Old AWS::S3::Bucket name=old\n"
        "resource Ok AWS::S3::Bucket name=changed\n"
        "resource Queue AWS::SQS::Queue\n"
        "resource New AWS::S3::Bucket name=new\n"
    )
    write_tree(repository, {"infra/lib/stack.py": "resource Fresh AWS::S3::Bucket name=fresh\n"})  # untracked
    monkeypatch.chdir(repository)
    code = run(["infra", "--changed-since", "main", "--format", "line"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line.split(": ", 1)[0] for line in lines] == [
        "infra/lib/stack.py:1:1",
        "infra/stack.yml:2:1",
        "infra/stack.yml:4:1",
    ]
    # Without the option every finding is there.
    run(["infra", "--format", "line"])
    assert len(capsys.readouterr().out.splitlines()) == 5


@pytest.mark.usefixtures("fake_pipeline")
def test_changed_since_after_a_commit_and_errors(
    repository: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository)
    assert run(["infra", "--changed-since", "main", "--format", "line"]) == 0  # nothing changed
    assert capsys.readouterr().out == ""
    stack = repository / "infra" / "stack.yml"
    stack.write_text(stack.read_text().replace("name=ok-suffix", "name=ok"))
    git(repository, "commit", "-q", "-am", "rename")
    assert run(["infra", "--changed-since", "HEAD~1", "--format", "line"]) == 1
    assert [line.split(": ", 1)[0] for line in capsys.readouterr().out.splitlines()] == [
        "infra/stack.yml:2:1"
    ]
    for bad in ("no-such-branch", "--output=/tmp/x"):
        assert run(["infra", "--changed-since", bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("iacscan: error: --changed-since: ") and err.count("\n") == 1


@pytest.mark.usefixtures("fake_pipeline")
def test_changed_since_outside_a_repository(tmp_path: Path, capsys: Capture) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = write_tree(tmp_path / "plain", {"tap.py": "", "stack.yml": "resource A AWS::S3::Bucket name=a\n"})
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)  # do not find a repository above tmp
    try:
        assert run([str(root), "--changed-since", "main"]) == 2
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling
    assert "--changed-since" in capsys.readouterr().err


def test_every_data_file_ships_in_the_wheel() -> None:
    # `pip install .` (the README) copies only what package-data lists: a data file it misses
    # works from a checkout and breaks installed.
    import fnmatch
    import tomllib

    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    data_files = [
        path
        for package in ("analyzer", "plugins")
        for path in (REPO / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    missing = [
        str(path.relative_to(REPO))
        for path in data_files
        if not any(fnmatch.fnmatch(path.name, p) for p in patterns)
    ]
    assert missing == [], (
        f"add patterns for these to [tool.setuptools.package-data] in pyproject.toml: {missing}"
    )
