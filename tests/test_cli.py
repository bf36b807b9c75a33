"""The command line: dispatch, options over config, exit codes, one-line errors, atomic output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer import __version__
from analyzer.cli import run
from tests.conftest import REPO, write_tree

Capture = pytest.CaptureFixture[str]

pytestmark = pytest.mark.usefixtures("fake_pipeline")


def scan(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: Capture) -> None:
    assert scan(capsys, "--version") == (0, f"iacscan {__version__}\n", "")


def test_version_does_not_import_heavy_libraries() -> None:
    probe = (
        "import sys; from analyzer.cli import run; run(['--version']); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'libcst', 'cfnlint', 'networkx', 'rich', 'jsonschema'}))"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert completed.stdout.splitlines() == [f"iacscan {__version__}", "[]"]


def test_unknown_flag_is_a_one_line_usage_error(capsys: Capture, worktree: Path) -> None:
    code, out, err = scan(capsys, str(worktree), "--no-such-flag")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("iacscan: error: ") and "--no-such-flag" in err


def test_unknown_flag_through_the_console_entry_point() -> None:
    # The real process: exit status and stderr as a shell sees them.
    completed = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", "--no-such-flag"], capture_output=True, text=True, cwd=REPO
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert len(completed.stderr.splitlines()) == 1
    assert "Traceback" not in completed.stderr


def test_findings_exit_1_and_fail_on_never_exits_0(capsys: Capture, worktree: Path) -> None:
    code, out, _ = scan(capsys, str(worktree))
    assert code == 1
    assert "IAC990" in out
    code, _, _ = scan(capsys, str(worktree), "--fail-on", "never")
    assert code == 0


def test_fail_on_compares_severities(capsys: Capture, worktree: Path) -> None:
    # Only the warning-level rule: fails on warning, not on error.
    assert scan(capsys, str(worktree), "--select", "IAC991", "--fail-on", "error")[0] == 0
    assert scan(capsys, str(worktree), "--select", "IAC991", "--fail-on", "warning")[0] == 1


def test_clean_worktree_exits_0(capsys: Capture, tmp_path: Path) -> None:
    clean = write_tree(
        tmp_path / "clean", {"metadata.json": "{}", "stack.yml": "resource A AWS::S3::Bucket\n"}
    )
    code, out, _ = scan(capsys, str(clean))
    assert code == 0
    assert out.splitlines()[-1].startswith("No findings")


def test_scan_subcommand_is_implied(capsys: Capture, worktree: Path) -> None:
    implied = scan(capsys, str(worktree), "--format", "line")
    explicit = scan(capsys, "scan", str(worktree), "--format", "line")
    assert implied == explicit
    assert implied[1].count("IAC990") == 2


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_id_is_a_usage_error(capsys: Capture, worktree: Path, option: str) -> None:
    code, out, err = scan(capsys, str(worktree), option, "IAC990,IAC123")
    assert (code, out) == (2, "")
    assert err == f"iacscan: error: unknown rule 'IAC123' in {option} (iacscan rules lists them)\n"


def test_select_accepts_names_and_prefixes(capsys: Capture, worktree: Path) -> None:
    by_name = scan(capsys, str(worktree), "--select", "queue-warning", "--format", "line")[1]
    assert [line.split()[2] for line in by_name.splitlines()] == ["IAC991"]
    by_prefix = scan(capsys, str(worktree), "--select", "IAC99", "--format", "line")[1]
    assert {line.split()[2] for line in by_prefix.splitlines()} == {"IAC990", "IAC991"}


def test_ignore_and_severity_threshold(capsys: Capture, worktree: Path) -> None:
    ignored = scan(capsys, str(worktree), "--ignore", "IAC990", "--format", "line")[1]
    assert [line.split()[2] for line in ignored.splitlines()] == ["IAC991"]
    above = scan(capsys, str(worktree), "--severity-threshold", "error", "--format", "line")[1]
    assert {line.split()[2] for line in above.splitlines()} == {"IAC990"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--severity-threshold", "loud"], "--severity-threshold: unknown severity 'loud'"),
        (["--fail-on", "sometimes"], "--fail-on: unknown severity 'sometimes'"),
        (["--format", "xml"], "unknown --format 'xml'"),
    ],
)
def test_bad_option_values(capsys: Capture, worktree: Path, args: list[str], message: str) -> None:
    code, out, err = scan(capsys, str(worktree), *args)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_missing_path_and_file_path_are_usage_errors(capsys: Capture, tmp_path: Path) -> None:
    code, _, err = scan(capsys, str(tmp_path / "nope"))
    assert code == 2 and err == f"iacscan: error: no such file or directory: {tmp_path / 'nope'}\n"
    file = tmp_path / "tap.py"
    file.write_text("x = 1\n")
    code, _, err = scan(capsys, str(file))
    assert code == 2 and "not a directory" in err and err.count("\n") == 1


def test_output_is_written_whole_and_stdout_stays_empty(
    capsys: Capture, worktree: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "r.json"
    target.parent.mkdir()
    code, out, _ = scan(capsys, str(worktree), "--format", "json", "--output", str(target))
    assert (code, out) == (1, "")
    assert json.loads(target.read_text())["summary"]["findings"] == 3
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.json"]  # no temp file left


def test_failed_report_leaves_previous_output_untouched(
    capsys: Capture, worktree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import analyzer.report.json as json_report

    target = tmp_path / "r.json"
    target.write_text("previous report\n")

    def explode(*_: object) -> str:
        raise RuntimeError("reporter bug")

    monkeypatch.setattr(json_report, "render", explode)
    code, _, err = scan(capsys, str(worktree), "--format", "json", "--output", str(target))
    assert code == 2
    assert err == "iacscan: error: internal error: RuntimeError: reporter bug (--debug shows the traceback)\n"
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.json")] == []


def test_debug_shows_the_traceback(capsys: Capture, worktree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.report.line as line_report

    def explode(*_: object) -> str:
        raise RuntimeError("reporter bug")

    monkeypatch.setattr(line_report, "render", explode)
    code, _, err = scan(capsys, str(worktree), "--format", "line", "--debug")
    assert code == 2
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1].startswith("iacscan: error: internal error: RuntimeError")


def test_sigterm_exits_143_and_sigint_130(
    capsys: Capture, worktree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import analyzer.engine

    real_scan = analyzer.engine.scan

    def terminated(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGTERM)
        return real_scan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analyzer.engine, "scan", terminated)
    assert scan(capsys, str(worktree))[0] == 143
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handler restored

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(analyzer.engine, "scan", interrupted)
    assert scan(capsys, str(worktree))[0] == 130


def test_recursive_finds_every_worktree(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repos"
    for name in ("alpha", "nested/beta"):
        write_tree(root / name, {"tap.py": "", "stack.yml": "resource B AWS::S3::Bucket name=fixed\n"})
    write_tree(root / "docs", {"notes.txt": "not a worktree"})
    monkeypatch.chdir(tmp_path)
    code, out, _ = scan(capsys, "--recursive", "repos", "--format", "line")
    assert code == 1
    assert sorted(line.split(":")[0] for line in out.splitlines()) == [
        "repos/alpha/stack.yml",
        "repos/nested/beta/stack.yml",
    ]


def test_recursive_without_worktrees_is_an_error(capsys: Capture, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = scan(capsys, "-r", str(tmp_path / "empty"))
    assert code == 2 and "no worktree found under" in err


def test_several_paths_one_report(capsys: Capture, tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_tree(tmp_path / name, {"tap.py": "", "stack.yml": "resource B AWS::S3::Bucket name=fixed\n"})
    code, out, _ = scan(capsys, str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    # tmp_path is not below the current directory: paths are relative to the common root.
    assert data["root"] == tmp_path.resolve().as_posix()
    assert data["worktrees"] == ["a", "b"]
    assert [f["path"] for f in data["findings"]] == ["a/stack.yml", "b/stack.yml"]


def test_paths_are_relative_to_the_current_directory(
    capsys: Capture, worktree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(worktree.parent)
    out = scan(capsys, "wt", "--format", "line")[1]
    assert out.splitlines()[0].startswith("wt/stack.yml:2:1: error IAC990 ")
    elsewhere = worktree.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the worktree is not below: paths relative to the worktree
    out = scan(capsys, str(worktree), "--format", "line")[1]
    assert out.splitlines()[0].startswith("stack.yml:2:1: error IAC990 ")


def test_plain_text_when_not_a_terminal(capsys: Capture, worktree: Path) -> None:
    out = scan(capsys, str(worktree))[1]
    assert "\x1b[" not in out


def test_quiet_prints_the_summary_only(capsys: Capture, worktree: Path) -> None:
    code, out, _ = scan(capsys, str(worktree), "--quiet")
    assert code == 1
    assert out.splitlines() == [out.strip()]
    assert out.startswith("3 findings (2 errors, 1 warning, 0 notes)")


def test_non_worktree_path_gets_a_hint(capsys: Capture, tmp_path: Path) -> None:
    write_tree(tmp_path / "repo" / "deep" / "wt", {"tap.py": ""})
    code, _, err = scan(capsys, str(tmp_path / "repo"))
    assert code == 0
    assert "--recursive" in err


def test_rules_lists_every_rule(capsys: Capture) -> None:
    code, out, _ = scan(capsys, "rules")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines()[1:]}
    assert rows["IAC990"] == ["fixed-name", "error"]
    assert rows["IAC991"] == ["queue-warning", "warning"]
    data = json.loads(scan(capsys, "rules", "--format", "json")[1])
    assert {"id": "IAC991", "name": "queue-warning"}.items() <= data[
        [r["id"] for r in data].index("IAC991")
    ].items()


def test_explain_prints_the_rule_page(capsys: Capture) -> None:
    code, out, _ = scan(capsys, "explain", "iac990")
    assert code == 0
    assert out.startswith("# IAC990 `fixed-name`")
    assert "## Why is this bad" in out
    assert scan(capsys, "explain", "fixed-name")[1] == out
    code, out, err = scan(capsys, "explain", "IAC123")
    assert (code, out) == (2, "") and "unknown rule 'IAC123'" in err


def test_model_rejects_a_file(capsys: Capture, worktree: Path) -> None:
    code, _, err = scan(capsys, "model", str(worktree / "stack.yml"))
    assert code == 2 and "not a directory" in err
    code, out, _ = scan(capsys, "model", str(worktree))
    assert code == 0
    assert [r["id"] for r in json.loads(out)[0]["resources"]] == ["Logs", "Jobs", "Table", "Ok"]


def test_no_arguments_prints_the_usage_and_exits_2(capsys: Capture) -> None:
    code, out, _ = scan(capsys)
    assert code == 2
    assert out.startswith("Usage: iacscan") and "Commands" in out


def test_unwritable_output_is_a_one_line_error(capsys: Capture, worktree: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "r.json"
    for option in ("--output", "--write-baseline"):
        code, out, err = scan(capsys, str(worktree), option, str(target))
        assert (code, out) == (2, "")
        assert err == f"iacscan: error: cannot write {target}: No such file or directory\n"


def test_a_non_utf8_terminal_gets_escapes_not_a_crash() -> None:
    sample = REPO / "sample_repos" / "pulumi-aurora-dms"
    if not sample.is_dir():
        pytest.skip("no sample_repos/ in this checkout")
    completed = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", str(sample), "--format", "markdown", "--fail-on", "never"],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(b"## iacscan")
    if b"| \\U0001f534 |" not in completed.stdout:  # the red circle of an error, escaped
        assert b"**No findings.**" in completed.stdout
