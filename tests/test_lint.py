"""The code stays lint-clean, formatted and type-clean: ruff and mypy as configured in pyproject.toml."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO

PATHS = ["analyzer", "plugins", "tests", "tools", "benchmarks"]


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]')")
    return subprocess.run(
        [sys.executable, "-m", tool, *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {result.returncode}\n{result.stdout}{result.stderr}"


def test_ruff_check() -> None:
    result = _run("ruff", "check", *PATHS)
    assert result.returncode == 0, _output(result)


def test_ruff_format() -> None:
    result = _run("ruff", "format", "--check", *PATHS)
    assert result.returncode == 0, _output(result)


def test_mypy() -> None:
    result = _run("mypy")  # packages and options from [tool.mypy] in pyproject.toml
    assert result.returncode == 0, _output(result)
