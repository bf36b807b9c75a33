"""Configuration: where it is found, validation with clear errors, and flags over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.cli import run
from analyzer.config import SCHEMA, Config, ConfigError, from_mapping, load
from analyzer.findings import Severity
from analyzer.plugin import Limits
from tests.conftest import write_tree

Capture = pytest.CaptureFixture[str]


def test_defaults() -> None:
    config = from_mapping({})
    assert config == Config(source=None)
    assert config.limits == Limits()
    assert config.fails(Severity.NOTE) and not config.fails(None)


def test_every_key_is_read() -> None:
    config = from_mapping(
        {
            "select": ["iac00", "missing-pass-role"],
            "ignore": ["IAC004"],
            "severity": {"iac002": "warning"},
            "per-path-ignores": {"lib/legacy/*": ["IAC002"]},
            "exclude": ["cdk.out/*"],
            "suffix-names": ["Stage"],
            "fail-on": "never",
            "severity-threshold": "warning",
            "report-unused-suppressions": True,
            "limits": {"max-files": 10, "eval-depth": 5},
            "rules": {"iac002": {"allow": ["dms-vpc-role"]}},
        },
        "x.toml",
    )
    assert config.select == ("IAC00", "missing-pass-role")
    assert config.severity == {"IAC002": Severity.WARNING}
    assert config.per_path_ignores == {"lib/legacy/*": ("IAC002",)}
    assert config.fail_on is None and not config.fails(Severity.ERROR)
    assert config.severity_threshold is Severity.WARNING
    assert not config.shows(Severity.NOTE) and config.shows(Severity.ERROR)
    assert config.report_unused_suppressions is True
    assert config.limits == Limits(max_files=10, eval_depth=5)  # the rest keep their defaults
    assert config.rule_options == {"IAC002": {"allow": ["dms-vpc-role"]}}
    assert config.rule_enabled("IAC003") and not config.rule_enabled("IAC004")
    assert config.rule_enabled("IAC010", "missing-pass-role") and not config.rule_enabled("IAC010")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"selct": ["IAC002"]}, "'selct' was unexpected"),
        ({"limits": {"max-file-size": 3}}, "'max-file-size' was unexpected"),
        ({"fail-on": "always"}, "fail-on: 'always' is not one of"),
        ({"severity": {"IAC002": "fatal"}}, "severity.IAC002: 'fatal' is not one of"),
        ({"limits": {"max-files": 0}}, "limits.max-files: 0 is less than the minimum"),
    ],
)
def test_bad_values_name_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=r"^cfg\.toml: ") as raised:
        from_mapping(table, "cfg.toml")
    assert message in str(raised.value)


def test_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        from_mapping({"selct": []}, "cfg.toml")
    assert "known keys: exclude, fail-on, ignore, limits" in str(raised.value)


def test_found_in_the_root_then_upwards_until_the_repository(tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {".git/HEAD": "ref: x\n", "pyproject.toml": '[tool.iacscan]\nignore = ["IAC004"]\n'},
    )
    worktree = write_tree(repo / "apps" / "wt", {"tap.py": ""})
    assert load(worktree).ignore == ("IAC004",)
    (worktree / ".iacscan.toml").write_text('select = ["IAC002"]\n')
    assert load(worktree).select == ("IAC002",) and load(worktree).ignore == ()
    # Above the repository root nothing is read.
    write_tree(tmp_path, {".iacscan.toml": 'ignore = ["IAC001"]\n'})
    (repo / "pyproject.toml").unlink()
    (worktree / ".iacscan.toml").unlink()
    assert load(worktree) == Config()


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {".git/HEAD": "", ".iacscan.toml": 'ignore = ["IAC001"]\n'})
    worktree = write_tree(tmp_path / "wt", {"pyproject.toml": "[project]\nname = 'x'\n"})
    assert load(worktree).ignore == ("IAC001",)


def test_pyproject_table_must_be_a_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool]\niacscan = 3\n"})
    with pytest.raises(ConfigError, match="must be a table"):
        load(tmp_path)


@pytest.mark.usefixtures("fake_pipeline")
def test_bad_key_through_the_cli(capsys: Capture, worktree: Path) -> None:
    (worktree / ".iacscan.toml").write_text('fail_on = "never"\n')
    assert run([str(worktree)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert ".iacscan.toml: Additional properties are not allowed ('fail_on' was unexpected)" in err


@pytest.mark.usefixtures("fake_pipeline")
def test_malformed_toml_through_the_cli(capsys: Capture, worktree: Path) -> None:
    (worktree / ".iacscan.toml").write_text("select = [IAC002\n")
    assert run([str(worktree)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("iacscan: error: ") and "not valid TOML" in err and err.count("\n") == 1


@pytest.mark.usefixtures("fake_pipeline")
def test_explicit_config_file(capsys: Capture, worktree: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    assert run([str(worktree), "--config", str(missing)]) == 2
    assert f"config file not found: {missing}" in capsys.readouterr().err
    explicit = tmp_path / "strict.toml"
    explicit.write_text('fail-on = "never"\nselect = ["IAC991"]\n')
    assert run([str(worktree), "--config", str(explicit), "--format", "line"]) == 0
    assert [line.split()[2] for line in capsys.readouterr().out.splitlines()] == ["IAC991"]


@pytest.mark.usefixtures("fake_pipeline")
def test_flags_override_the_file(capsys: Capture, worktree: Path) -> None:
    (worktree / ".iacscan.toml").write_text(
        'fail-on = "never"\nselect = ["IAC991"]\nseverity = {IAC991 = "error"}\n'
    )
    assert run([str(worktree), "--format", "line"]) == 0
    assert capsys.readouterr().out.split()[1:3] == ["error", "IAC991"]  # per-rule severity applied
    assert run([str(worktree), "--fail-on", "error", "--select", "IAC990", "--format", "line"]) == 1
    assert {line.split()[2] for line in capsys.readouterr().out.splitlines()} == {"IAC990"}
    # --ignore adds to the file's ignore list.
    (worktree / ".iacscan.toml").write_text('ignore = ["IAC990"]\n')
    assert run([str(worktree), "--ignore", "IAC991", "--format", "line"]) == 0
    assert capsys.readouterr().out == ""


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["IAC002", "error", "x", "", "never"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["IAC002", "max-files", "a"]), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from([*SCHEMA["properties"], "unknown", "fail_on"])


@given(st.dictionaries(KEYS, JSON_VALUES, max_size=4))
@settings(max_examples=60, deadline=None)
def test_any_table_gives_a_config_or_a_config_error(table: dict[str, object]) -> None:
    try:
        config = from_mapping(table, "fuzz.toml")
    except ConfigError as error:
        assert str(error).startswith("fuzz.toml: ") and "\n" not in str(error)
    else:
        assert isinstance(config, Config)
