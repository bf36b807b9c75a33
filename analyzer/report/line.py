"""One finding per line, ``path:line:col: severity IACxxx message``, for editors' problem matchers
(docs/editors.md) and grep. The column is 1 when a finding covers the whole line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.report.layout import ReportOptions, path_prefix, shown_path

if TYPE_CHECKING:
    from analyzer.engine import ScanResult


def render(result: ScanResult, options: ReportOptions) -> str:
    prefix = path_prefix(result, options)
    lines = []
    for finding in result.findings:
        location = finding.location
        message = " ".join(finding.message.split())  # one physical line per finding, always
        lines.append(
            f"{shown_path(prefix, location)}:{location.line}:{max(location.column, 1)}: "
            f"{finding.severity.label} {finding.rule_id} {message}\n"
        )
    return "".join(lines)
