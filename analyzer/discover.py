"""Which directories are worktrees, and which files belong to each.

Discovery never follows a symbolic link out of the scanned root, never enters a directory twice
(symlink loops), and skips files over the size limit (reported, not read)."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from analyzer.model import Location, ParseProblem
from analyzer.plugin import Limits, Worktree

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".idea",
        ".vscode",
        "dist",
        "build",
        ".pulumi",
        ".eggs",
    }
)
# A directory holding any of these is a worktree root (the TAP layout and the platforms' own files).
MARKERS = (
    "tap.py",
    "Pulumi.yaml",
    "Pulumi.yml",
    "cdk.json",
    "metadata.json",
    "lib/TapStack.json",
    "lib/TapStack.yml",
    "lib/TapStack.yaml",
)
INTERESTING_SUFFIXES = (".py", ".json", ".yml", ".yaml", ".template", ".toml")


@dataclass(frozen=True, slots=True)
class Discovered:
    worktree: Worktree
    problems: tuple[ParseProblem, ...]


def is_worktree(path: Path) -> bool:
    return any((path / marker).is_file() for marker in MARKERS)


def find_worktrees(root: Path, max_depth: int = 6) -> list[Path]:
    """Every worktree at or below ``root`` (``--recursive``); a worktree's own subfolders are not
    searched for further worktrees."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def walk(directory: Path, depth: int) -> None:
        try:
            stat = directory.stat()
        except OSError:
            return
        if (stat.st_dev, stat.st_ino) in seen:
            return
        seen.add((stat.st_dev, stat.st_ino))
        if is_worktree(directory):
            found.append(directory)
            return
        if depth >= max_depth:
            return
        try:
            children = sorted(entry for entry in directory.iterdir() if entry.is_dir())
        except OSError:
            return
        for child in children:
            if child.name in SKIP_DIRS or child.name.startswith("."):
                continue
            if child.is_symlink() and not _inside(child.resolve(), root.resolve()):
                continue
            walk(child, depth + 1)

    walk(root, 0)
    return found


def list_files(root: Path, limits: Limits, exclude: tuple[str, ...] = ()) -> Discovered:
    """The worktree's candidate files, as sorted relative POSIX paths."""
    real_root = root.resolve()
    files: list[str] = []
    problems: list[ParseProblem] = []
    visited: set[str] = set()
    for directory, dirnames, filenames in os.walk(root, followlinks=True):
        current = Path(directory)
        real = current.resolve()
        if not _inside(real, real_root) or str(real) in visited:
            dirnames[:] = []
            continue
        visited.add(str(real))
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for filename in sorted(filenames):
            path = current / filename
            relative = path.relative_to(root).as_posix()
            if not filename.endswith(INTERESTING_SUFFIXES) and filename != "Pulumi.yaml":
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in exclude):
                continue
            try:
                if path.is_symlink() and not _inside(path.resolve(), real_root):
                    problems.append(
                        ParseProblem(
                            Location(relative, 1),
                            "symbolic link points outside the scanned root; not followed",
                            kind="skipped",
                        )
                    )
                    continue
                size = path.stat().st_size
            except OSError as error:
                problems.append(
                    ParseProblem(Location(relative, 1), f"cannot read: {error.strerror}", kind="skipped")
                )
                continue
            if size > limits.max_file_bytes:
                problems.append(
                    ParseProblem(
                        Location(relative, 1),
                        f"file is {size:,} bytes, over the {limits.max_file_bytes:,}-byte limit; "
                        "not analysed",
                        kind="limit",
                    )
                )
                continue
            files.append(relative)
            if len(files) >= limits.max_files:
                problems.append(
                    ParseProblem(
                        Location(relative, 1),
                        f"more than {limits.max_files:,} files; the rest were not read",
                        kind="limit",
                    )
                )
                return Discovered(Worktree(root, tuple(sorted(files)), limits=limits), tuple(problems))
    return Discovered(Worktree(root, tuple(sorted(files)), limits=limits), tuple(problems))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
