"""A structural guard: the analyzer's own code never gains a way to run what it scans.

The repository being scanned is the attacker (iacscan runs on untrusted pull requests). This test
reads every module of ``analyzer/`` and ``plugins/`` with :mod:`ast` and fails on the constructs
that could execute or fetch something: ``exec``/``eval``/``compile``/``__import__``, subprocesses
and shells, dynamic imports of anything but our own modules, unsafe YAML and pickle loading,
network clients, and any libcst parse that bypasses the bounded parser in ``safeparse``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for top in ("analyzer", "plugins") for p in (REPO / top).rglob("*.py"))

FORBIDDEN_BUILTINS = {"exec", "eval", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {
    "subprocess",
    "pty",
    "socket",
    "urllib.request",
    "http.client",
    "requests",
    "pickle",
    "marshal",
    "shelve",
    "ctypes",
    "multiprocessing.connection",
}
FORBIDDEN_ATTRIBUTES = {
    ("os", "system"),
    ("os", "popen"),
    ("os", "execv"),
    ("os", "execve"),
    ("os", "execvp"),
    ("os", "spawnv"),
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("yaml", "load_all"),
    ("runpy", "run_path"),
    ("runpy", "run_module"),
}
# Modules allowed one named exception, and why.
ALLOWED = {
    # `--changed-since REF` asks git (the user's own tool, on the user's repository metadata) which lines
    # changed; it passes no scanned content to git and runs nothing the repository names.
    ("analyzer/changes.py", "subprocess"),
    # Built-in rules, plugins and reporters are imported by constant module names of our own package.
    ("analyzer/registry.py", "import_module"),
    ("analyzer/report/__init__.py", "import_module"),
    # The bounded parser itself, and the Python layer's reader, which runs the same ast.parse gate first.
    ("analyzer/python/safeparse.py", "parse_module"),
    ("analyzer/python/source.py", "parse_module"),
}


def _violations(path: Path) -> list[str]:
    relative = path.relative_to(REPO).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module in FORBIDDEN_MODULES:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
                found.append((node.lineno, func.id))
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if (owner, func.attr) in FORBIDDEN_ATTRIBUTES:
                    found.append((node.lineno, f"{owner}.{func.attr}"))
                elif func.attr in {"import_module", "parse_module", "parse_expression", "parse_statement"}:
                    found.append((node.lineno, func.attr))
            elif isinstance(func, ast.Name) and func.id in {"import_module", "parse_module"}:
                found.append((node.lineno, func.id))
    return [f"{relative}:{line}: {what}" for line, what in found if (relative, what) not in ALLOWED]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_module_has_no_way_to_execute_scanned_content(path: Path) -> None:
    problems = _violations(path)
    assert not problems, (
        "forbidden construct(s) in analyzer code; iacscan must never run what it scans "
        "(parse Python only through analyzer.python.safeparse.parse_module):\n" + "\n".join(problems)
    )


def test_the_guard_catches_what_it_looks_for(tmp_path: Path) -> None:
    sample = REPO / "analyzer" / "_guard_probe_do_not_commit.py"
    sample.write_text(
        "import subprocess\nimport yaml\nimport libcst\n"
        "yaml.load('x')\neval('1')\nlibcst.parse_module('x')\n",
        encoding="utf-8",
    )
    try:
        problems = _violations(sample)
    finally:
        sample.unlink()
    assert [p.split(": ", 1)[1] for p in problems] == ["subprocess", "yaml.load", "eval", "parse_module"]
