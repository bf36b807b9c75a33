"""One finding per line, ``path:line:col: severity IACxxx message``, for editors' problem matchers
(docs/editors.md) and grep. The column is 1 when a finding covers the whole line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.report.layout import ReportOptions, one_line, path_prefix, shown_path

if TYPE_CHECKING:
    from analyzer.engine import ScanResult


def render(result: ScanResult, options: ReportOptions) -> str:
    prefix = path_prefix(result, options)
    lines = []
    for finding in result.findings:
        location = finding.location
        # One physical line per finding, always: whitespace runs collapse, a newline in a file
        # name is escaped, an empty message is named.
        message = " ".join(finding.message.split()) or "(no message)"
        path = one_line(shown_path(prefix, location))
        lines.append(
            f"{path}:{location.line}:{max(location.column, 1)}: {finding.severity.label} {finding.rule_id} {message}\n"
        )
    return "".join(lines)
