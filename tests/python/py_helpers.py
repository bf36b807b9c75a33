"""Build small worktrees and run the Python layer on them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from analyzer.python.evaluator import Evaluator, Hooks
from analyzer.python.project import PythonProject
from analyzer.python.values import EValue, ModuleObj, to_value


def write(root: Path, files: dict[str, str]) -> list[str]:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return sorted(files)


def evaluate(
    root: Path, files: dict[str, str], entry: str = "tap.py", hooks: Hooks | None = None, **kwargs
) -> tuple[Evaluator, ModuleObj]:
    names = write(root, files)
    project = PythonProject(root, names, entry)
    evaluator = Evaluator(project, hooks, entry_point=entry, **kwargs)
    module = evaluator.run_module(entry)
    assert module is not None
    return evaluator, module


def value_of(module: ModuleObj, name: str) -> EValue:
    return module.namespace[name]


def model_value(module: ModuleObj, name: str):
    return to_value(module.namespace[name])
