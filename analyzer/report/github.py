"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding,
shown as inline annotations on the pull request diff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.report.layout import ReportOptions, path_prefix, shown_path

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.findings import Finding

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def render(result: ScanResult, options: ReportOptions) -> str:
    prefix = path_prefix(result, options)
    return "".join(annotation(finding, prefix) + "\n" for finding in result.findings)


def annotation(finding: Finding, prefix: str) -> str:
    location = finding.location
    properties = [f"file={_property(shown_path(prefix, location))}", f"line={location.line}"]
    if location.column:
        properties.append(f"col={location.column}")
    if location.end_line is not None:
        properties.append(f"endLine={location.end_line}")
    properties.append(f"title={_property(finding.rule_id)}")
    message = finding.message + (f"\nFix: {finding.fix_hint}" if finding.fix_hint else "")
    return f"::{_COMMAND[finding.severity.label]} {','.join(properties)}::{_data(message)}"


# Escaping as the Actions runner decodes it (actions/toolkit, packages/core/src/command.ts).
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
