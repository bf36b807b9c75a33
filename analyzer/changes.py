"""Diff-aware scans (``--changed-since REF``): report only findings on lines changed since REF.

The whole worktree is still analysed (a change in tap.py can break lib/); only the report is
narrowed. Git runs as a subprocess on the user's own repository metadata, with external diff
drivers and text conversion disabled so that nothing configured by the scanned content runs."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.config import ConfigError

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.findings import Finding

ALWAYS_REPORTED = frozenset({"IAC900"})  # an internal error says the analysis itself is incomplete
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_GIT_SAFETY = ("-c", "core.fsmonitor=false", "-c", "diff.external=", "-c", "core.quotePath=false")


def changed_lines(root: Path, ref: str) -> dict[str, set[int] | None]:
    """Lines added or changed since ``ref``, per file relative to ``root`` (``None``: the whole file,
    for files git does not track yet)."""
    if not ref or ref.startswith("-") or any(ch.isspace() for ch in ref):
        raise ConfigError(f"--changed-since: {ref!r} is not a git revision")
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
    _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=f"unknown revision {ref!r}")
    diff = _git(top, "diff", "--no-ext-diff", "--no-textconv", "--no-color", "--unified=0", ref, "--")
    changed: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = target[2:] if target.startswith("b/") else None  # "/dev/null": a deleted file
            if current is not None:
                changed.setdefault(current, set())
        elif current is not None and (match := _HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or "1")
            lines = changed[current]
            if lines is not None:
                lines.update(range(start, start + count))
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    for path in filter(None, untracked.split("\0")):
        changed[path] = None
    return _relative_to(changed, top, root.resolve())


def only_changed(result: ScanResult, changed: dict[str, set[int] | None]) -> ScanResult:
    kept = [finding for finding in result.findings if _on_changed_line(finding, changed)]
    return dataclasses.replace(result, findings=kept)


def _on_changed_line(finding: Finding, changed: dict[str, set[int] | None]) -> bool:
    if finding.rule_id in ALWAYS_REPORTED:
        return True
    location = finding.location
    if location.path not in changed:
        return False
    lines = changed[location.path]
    if lines is None:
        return True
    last = location.end_line if location.end_line and location.end_line >= location.line else location.line
    return any(number in lines for number in range(location.line, last + 1))


def _relative_to(changed: dict[str, set[int] | None], top: Path, root: Path) -> dict[str, set[int] | None]:
    relative: dict[str, set[int] | None] = {}
    for path, lines in changed.items():
        try:
            relative[(top / path).relative_to(root).as_posix()] = lines
        except ValueError:
            continue  # a change outside the scanned root
    return relative


def _git(cwd: Path, *args: str, what: str | None = None) -> str:
    executable = shutil.which("git")
    if executable is None:
        raise ConfigError("--changed-since needs git, which is not on PATH")
    completed = subprocess.run(  # fixed argv; the user's own repository metadata
        [executable, *_GIT_SAFETY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if completed.returncode != 0:
        detail = what or (completed.stderr.strip().splitlines() or ["git failed"])[-1]
        raise ConfigError(f"--changed-since: {detail}")
    return completed.stdout
