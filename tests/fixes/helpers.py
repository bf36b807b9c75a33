"""Helpers for the fix tests: scan a worktree, plan its fixes, apply them through the CLI."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from analyzer.config import load
from analyzer.engine import ScanResult, scan
from analyzer.fixes import plan
from analyzer.fixes.sources import decode_template

SOURCE_SUFFIXES = (".py", ".json", ".yml", ".yaml")


def scan_dir(root: Path) -> ScanResult:
    return scan([root], load(root))


def fixed_text(root: Path, relative: str, *, unsafe: bool = False) -> str:
    """The text of ``relative`` after one planning pass over ``root`` (nothing written)."""
    changes = plan(scan_dir(root), unsafe=unsafe)
    for change in changes.changes:
        if change.source.path == relative:
            return change.new_text
    return (root / relative).read_text(encoding="utf-8")


def snapshot(root: Path) -> dict[str, str]:
    """Content hash of every source file under ``root``."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in SOURCE_SUFFIXES
    }


def assert_sources_valid(root: Path) -> None:
    """Every Python file parses, every template decodes."""
    for path in root.rglob("*"):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        elif (
            path.parent.name == "lib"
            and path.name.startswith("TapStack")
            and path.suffix in (".json", ".yml")
        ):
            assert decode_template(path.read_text(encoding="utf-8")) is not None, path
