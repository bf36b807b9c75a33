"""What every reporter shares: where paths are shown relative to, and rule metadata lookups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.findings import Finding
    from analyzer.model import Location
    from analyzer.rules.base import Rule

INFORMATION_URI = "https://github.com/iacscan/iacscan"

# C0 controls but tab and newline, DEL, C1 controls: a hostile repository's names and messages
# must not reach the user's terminal as escape sequences (a title change, a hidden line).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` instead of acted on by a terminal."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def one_line(text: str) -> str:
    """``printable`` and on one line: for file names, which may hold a newline."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


def rule_help_uri(rule_id: str) -> str:
    return f"{INFORMATION_URI}/blob/main/docs/rules/{rule_id}.md"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How to lay a result out.

    ``base`` is the directory report paths are relative to. The CLI passes the current directory
    when the scanned root lies inside it (so ``iacscan sample_repos/x`` prints
    ``sample_repos/x/lib/...``, which editors, GitHub annotations and code scanning resolve from the
    repository root), otherwise the scanned root itself. ``None`` means the scanned root."""

    base: Path | None = None
    color: bool = False
    quiet: bool = False
    width: int = 110
    # Wall-clock figures make two runs on the same input differ, so machine-readable reports
    # (JSON, SARIF) carry them only when asked (``--timings``).
    timings: bool = False


def base_of(result: ScanResult, options: ReportOptions) -> Path:
    """The directory report paths are relative to: ``options.base`` if the scan lies below it."""
    base = options.base
    return base if base is not None and result.root.is_relative_to(base) else result.root


def path_prefix(result: ScanResult, options: ReportOptions) -> str:
    """The scanned root relative to the report base, as a prefix ending in "/" (or "")."""
    relative = result.root.relative_to(base_of(result, options)).as_posix()
    return "" if relative == "." else relative + "/"


def shown_path(prefix: str, location: Location) -> str:
    """A finding's path as the report shows it; "." (the whole worktree) becomes the directory."""
    if location.path == ".":
        return prefix.rstrip("/") or "."
    return prefix + location.path


def rules_by_id() -> dict[str, type[Rule]]:
    from analyzer.registry import all_rules

    return {rule.id: rule for rule in all_rules()}


def rule_name(finding: Finding) -> str:
    rule = rules_by_id().get(finding.rule_id)
    return rule.name if rule is not None else ""


def shown_dir(result: ScanResult, prefix: str, directory: Path | str) -> str:
    """A worktree directory as the report shows it ("." when it is the base itself)."""
    resolved = Path(directory).resolve()
    try:
        relative = resolved.relative_to(result.root).as_posix()
    except ValueError:
        return resolved.as_posix()
    return (prefix + relative if relative != "." else prefix).rstrip("/") or "."


class SourceLines:
    """Source lines of the scanned files, read only to show them (text excerpt, SARIF snippet)."""

    MAX_BYTES = 5_000_000

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, list[str] | None] = {}

    def line(self, location: Location) -> str | None:
        lines = self._lines(location.path)
        if lines is None or not 1 <= location.line <= len(lines):
            return None
        return lines[location.line - 1].rstrip("\r\n")

    def _lines(self, path: str) -> list[str] | None:
        if path not in self.cache:
            self.cache[path] = None
            try:
                raw = (self.root / path).read_bytes() if path != "." else b""
            except OSError:
                raw = b""
            if raw and len(raw) <= self.MAX_BYTES and b"\0" not in raw[:8192]:
                self.cache[path] = raw.decode("utf-8", errors="replace").splitlines()
        return self.cache[path]
