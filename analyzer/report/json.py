"""The JSON report: a documented, versioned document (schema: docs/schemas/report.schema.json).

``schema_version`` changes only when a field is removed or changes meaning; new fields may appear
in the same version."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from analyzer.report.layout import (
    INFORMATION_URI,
    ReportOptions,
    base_of,
    path_prefix,
    rule_name,
    shown_dir,
    shown_path,
)

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.findings import Finding
    from analyzer.model import Location

SCHEMA_VERSION = 1


def render(result: ScanResult, options: ReportOptions) -> str:
    return json.dumps(document(result, options), indent=2, ensure_ascii=False) + "\n"


def document(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    prefix = path_prefix(result, options)
    with_suffix, named = result.suffix_coverage()
    hidden = result.hidden_counts()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "iacscan", "version": result.version, "information_uri": INFORMATION_URI},
        "root": base_of(result, options).as_posix(),
        "worktrees": [shown_dir(result, prefix, path) for path in result.worktrees],
        "summary": {
            "findings": len(result.findings),
            "by_severity": {severity.label: count for severity, count in result.severity_counts().items()},
            "by_rule": result.rule_counts(),
            "suppressed": hidden["suppression"],
            "baselined": hidden["baseline"],
            "named_resources": named,
            "named_resources_with_suffix": with_suffix,
            "execution_successful": result.execution_successful,
            **({"duration_seconds": round(result.duration, 3)} if options.timings else {}),
        },
        "projects": [
            {
                "path": shown_dir(result, prefix, item.project.root),
                "platform": item.project.platform,
                "entry_point": item.project.entry_point,
                "resources": len(item.project.resources),
            }
            for item in result.projects
        ],
        "review": result.review().as_dict(),
        "findings": [finding_data(finding, prefix) for finding in result.findings],
        "suppressed": [
            {**finding_data(finding, prefix), "suppressed_by": finding.suppressed_by or ""}
            for finding in result.suppressed
        ],
    }


def finding_data(finding: Finding, prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule_name": rule_name(finding),
        "severity": finding.severity.label,
        "message": finding.message,
        **_location(finding.location, prefix),
        "fix_hint": finding.fix_hint,
        "resource": finding.resource,
        "fingerprint": finding.fingerprint,
        "related": [
            {**_location(item.location, prefix), "message": item.message} for item in finding.related
        ],
        "fixes": [
            {
                "description": fix.description,
                "safe": fix.safe,
                "edits": [
                    {
                        "path": prefix + edit.path,
                        "start_line": edit.start_line,
                        "start_column": edit.start_column,
                        "end_line": edit.end_line,
                        "end_column": edit.end_column,
                        "replacement": edit.replacement,
                    }
                    for edit in fix.edits
                ],
            }
            for fix in finding.fixes
        ],
    }
    return data


def _location(location: Location, prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": shown_path(prefix, location),
        "line": location.line,
        "column": location.column,
    }
    if location.end_line is not None:
        data["end_line"] = location.end_line
    if location.end_column is not None:
        data["end_column"] = location.end_column
    return data
