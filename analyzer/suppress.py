"""Suppressions: inline comments, CloudFormation resource metadata, per-path ignores.

* ``# iacscan: ignore[IAC002] reason`` on the finding's line, or alone on the line above it
  (Python and YAML); also on, or alone just above, the line that declares the finding's resource
  (the ``aws.s3.Bucket(`` call, the template's logical id), covering the resource's whole body.
* ``Metadata: {iacscan: {ignore: [{id: IAC002, reason: ...}]}}`` on a CloudFormation resource.
* ``per-path-ignores`` in the configuration.

A suppression without a reason is itself reported (IAC903, note); with
``--report-unused-suppressions`` a comment that suppresses nothing is reported too (IAC904)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.config import Config
from analyzer.findings import Finding, Severity
from analyzer.model import Location

if TYPE_CHECKING:
    from analyzer.engine import ProjectResult

MISSING_REASON = "IAC903"
UNUSED = "IAC904"
_COMMENT = re.compile(r"(?:#|//)\s*iacscan:\s*ignore\[([A-Za-z0-9_,\s-]+)\]\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Suppression:
    rule_ids: tuple[str, ...]
    reason: str
    location: Location
    own_line: bool  # the comment stands alone on its line (it covers the next line)


def comments_in(path: str, text: str) -> list[Suppression]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "iacscan" not in line:
            continue
        match = _COMMENT.search(line)
        if match:
            ids = tuple(part.strip().upper() for part in match.group(1).split(",") if part.strip())
            column = match.start() + 1
            found.append(
                Suppression(
                    ids,
                    match.group(2).strip(),
                    Location(path, number, column),
                    own_line=not line[: match.start()].strip(),
                )
            )
    return found


def apply_suppressions(
    findings: Iterable[Finding],
    root: Path,
    projects: Iterable[ProjectResult],
    config: Config,
    report_unused: bool = False,
) -> tuple[list[Finding], list[Finding]]:
    findings = list(findings)
    by_file: dict[str, list[Suppression]] = {}
    for path in sorted(
        {finding.location.path for finding in findings} | _files_with_comments(projects, root)
    ):
        by_file[path] = _read_comments(root, path)
    metadata = _metadata_suppressions(projects, root)
    declarations = _declarations(projects, root)

    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: set[Location] = set()
    for finding in findings:
        reason = _path_ignore(config, finding)
        if reason is None:
            hit = _comment_for(finding, by_file.get(finding.location.path, ()))
            declared = declarations.get((finding.location.path, finding.resource or ""))
            if hit is None and declared is not None:
                # A comment on (or just above) the line that declares the resource covers the
                # findings about that resource, wherever in its body they point.
                hit = _comment_for(replace(finding, location=declared), by_file.get(declared.path, ()))
            if hit is not None:
                used.add(hit.location)
                reason = f"inline comment at {hit.location}: {hit.reason or '(no reason given)'}"
        if reason is None and finding.resource:
            entry = metadata.get((finding.location.path, finding.resource), {}).get(finding.rule_id)
            if entry is not None:
                reason = f"resource metadata: {entry or '(no reason given)'}"
        if reason is None:
            kept.append(finding)
        else:
            suppressed.append(replace(finding, suppressed_by=reason))

    report_unused = (report_unused or config.report_unused_suppressions) and config.rule_enabled(UNUSED)
    report_reasonless = config.rule_enabled(MISSING_REASON)
    for comments in by_file.values():
        for comment in comments:
            if not comment.reason and report_reasonless:
                kept.append(
                    Finding(
                        MISSING_REASON,
                        Severity.NOTE,
                        f"suppression of {', '.join(comment.rule_ids)} gives no reason",
                        comment.location,
                        "say why after the bracket: `# iacscan: ignore[IAC002] name is fixed by AWS`",
                        key=",".join(comment.rule_ids),
                    )
                )
            if report_unused and comment.location not in used:
                kept.append(
                    Finding(
                        UNUSED,
                        Severity.NOTE,
                        f"suppression of {', '.join(comment.rule_ids)} matches no finding",
                        comment.location,
                        "remove the comment",
                        key=",".join(comment.rule_ids),
                    )
                )
    return kept, suppressed


def _comment_for(finding: Finding, comments: Iterable[Suppression]) -> Suppression | None:
    line = finding.location.line
    for comment in comments:
        covers = comment.location.line == line or (comment.own_line and comment.location.line == line - 1)
        if covers and any(finding.rule_id.startswith(rule_id) for rule_id in comment.rule_ids):
            return comment
    return None


def _path_ignore(config: Config, finding: Finding) -> str | None:
    for pattern, ids in config.per_path_ignores.items():
        if fnmatch.fnmatch(finding.location.path, pattern) and any(
            finding.rule_id.startswith(i) for i in ids
        ):
            return "per-path-ignores in the configuration"
    return None


def _files_with_comments(projects: Iterable[ProjectResult], root: Path) -> set[str]:
    # Only needed for reporting reasonless/unused comments in files that produced no finding.
    files: set[str] = set()
    for result in projects:
        prefix = Path(result.project.root).resolve().relative_to(root).as_posix()
        for relative in result.project.files:
            files.add(relative if prefix == "." else f"{prefix}/{relative}")
    return files


def _read_comments(root: Path, path: str) -> list[Suppression]:
    try:
        raw = (root / path).read_bytes()
    except OSError:
        return []
    if b"iacscan" not in raw:
        return []
    return comments_in(path, raw.decode("utf-8", errors="replace"))


def _declarations(projects: Iterable[ProjectResult], root: Path) -> dict[tuple[str, str], Location]:
    """(path, resource id) -> where the resource is declared, in report paths."""
    found: dict[tuple[str, str], Location] = {}
    for result in projects:
        prefix = Path(result.project.root).resolve().relative_to(root).as_posix()
        for resource in result.project.resources:
            location = resource.location
            path = location.path if prefix == "." else f"{prefix}/{location.path}"
            found.setdefault((path, resource.id), replace(location, path=path))
    return found


def _metadata_suppressions(
    projects: Iterable[ProjectResult], root: Path
) -> dict[tuple[str, str], dict[str, str]]:
    found: dict[tuple[str, str], dict[str, str]] = {}
    for result in projects:
        prefix = Path(result.project.root).resolve().relative_to(root).as_posix()
        for resource in result.project.resources:
            entries = _ignore_entries(resource.metadata)
            if entries:
                path = resource.location.path if prefix == "." else f"{prefix}/{resource.location.path}"
                found[(path, resource.id)] = entries
    return found


def _ignore_entries(metadata: Any) -> dict[str, str]:
    section = metadata.get("iacscan") if isinstance(metadata, dict) else None
    raw = section.get("ignore") if isinstance(section, dict) else None
    entries: dict[str, str] = {}
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str):
            entries[item.upper()] = ""
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            entries[item["id"].upper()] = str(item.get("reason") or "")
    return entries
