"""A Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.report.layout import ReportOptions, path_prefix, rule_help_uri, rule_name, shown_path

if TYPE_CHECKING:
    from analyzer.engine import ScanResult

MAX_GRAPH_RESOURCES = 150  # beyond this a drawing is no longer readable (and comments have size limits)
_ICON = {"error": "🔴", "warning": "🟠", "note": "🔵"}


def render(result: ScanResult, options: ReportOptions) -> str:
    prefix = path_prefix(result, options)
    counts = result.severity_counts()
    total = len(result.findings)
    with_suffix, named = result.suffix_coverage()
    hidden = result.hidden_counts()
    lines = ["## iacscan", ""]
    if total:
        parts = ", ".join(f"{n} {severity.label}{'s' if n != 1 else ''}" for severity, n in counts.items())
        lines.append(f"**{total} finding{'s' if total != 1 else ''}** ({parts}).")
    else:
        lines.append("**No findings.**")
    lines += [
        "",
        "| Figure | Value |",
        "| --- | --- |",
        f"| Worktrees scanned | {len(result.worktrees)} |",
        f"| Named resources with the environment suffix | {with_suffix} of {named} |",
        f"| Suppressed | {hidden['suppression']} |",
        f"| In the baseline | {hidden['baseline']} |",
        "",
    ]
    if result.projects:
        lines += ["| Review | Status | Detail |", "| --- | --- | --- |"]
        for item in result.review().items():
            lines.append(f"| {item.title} | {item.status} | {_cell(item.detail)} |")
        lines.append("")
    if total:
        lines += ["| Rule | Count |", "| --- | --- |"]
        for rule_id, count in result.rule_counts().items():
            lines.append(f"| [{rule_id}]({rule_help_uri(rule_id)}) | {count} |")
        lines += ["", "| | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        for finding in result.findings:
            location = finding.location
            where = f"`{shown_path(prefix, location)}:{location.line}`"
            name = rule_name(finding)
            rule = f"{finding.rule_id} `{name}`" if name else finding.rule_id
            message = _cell(finding.message + (f" Fix: {finding.fix_hint}" if finding.fix_hint else ""))
            lines.append(f"| {_ICON[finding.severity.label]} | {rule} | {where} | {message} |")
        lines.append("")
    resources = sum(len(item.project.resources) for item in result.projects)
    if 0 < resources <= MAX_GRAPH_RESOURCES:  # GitHub renders Mermaid blocks in comments and summaries
        from analyzer.report.graph import mermaid_of

        graph = mermaid_of(result, options).rstrip()
        lines += [
            "<details><summary>Resource graph</summary>",
            "",
            "```mermaid",
            graph,
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    # A table cell is one line; "|" would end it and "<" could open HTML in a PR comment.
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")
