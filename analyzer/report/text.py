"""The human report: findings grouped by file, each with its source line, a caret and the fix
hint; then counts per rule and severity, suffix coverage and the time taken. Colour only when the
CLI says so (a TTY, no ``--no-color``, no ``NO_COLOR``)."""

from __future__ import annotations

import io
from itertools import groupby
from typing import TYPE_CHECKING

from analyzer.report.layout import ReportOptions, SourceLines, one_line, path_prefix, printable, shown_path

if TYPE_CHECKING:
    from rich.text import Text

    from analyzer.engine import ScanResult
    from analyzer.findings import Finding
    from analyzer.model import Location

_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


def render(result: ScanResult, options: ReportOptions) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        soft_wrap=True,  # never wrap a finding line: editors and problem matchers read them
        highlight=False,
        emoji=False,
        markup=False,
    )
    prefix = path_prefix(result, options)
    if not options.quiet:
        source = SourceLines(result.root)
        for path, group in groupby(result.findings, key=lambda finding: shown_path(prefix, finding.location)):
            console.print(_header(one_line(path)))
            for finding in group:
                console.print(_finding_line(one_line(path), finding))
                for line in _excerpt(source, finding.location):
                    console.print(line)
                for related in finding.related:
                    where = _position(shown_path(prefix, related.location), related.location)
                    console.print(printable(f"    see {where}: {related.message}"))
                if finding.fix_hint:
                    console.print(_label("    fix: ", "green"), printable(finding.fix_hint), sep="")
                if finding.fixes:
                    console.print(printable(f"    autofix available: {finding.fixes[0].description}"))
                console.print()
        if result.findings:
            console.print(_rule_table(result))
    if not options.quiet and result.projects:
        console.print(_checklist(result))
    console.print(_summary(result))  # last, so that CI logs end with the verdict
    return buffer.getvalue()


_CHECK_STYLE = {"pass": "green", "fail": "red", "warn": "yellow", "n/a": "dim"}


def _checklist(result: ScanResult) -> Text:
    from rich.text import Text

    text = Text("Review checklist:", style="bold")
    for item in result.review().items():
        text.append("\n  ")
        text.append(f"[{item.status}]", style=_CHECK_STYLE.get(item.status, ""))
        text.append(f" {item.title}: ")
        text.append(printable(item.detail))
    return text


def _header(path: str) -> Text:
    from rich.text import Text

    return Text(path, style="bold underline")


def _label(text: str, style: str) -> Text:
    from rich.text import Text

    return Text(text, style=style)


def _finding_line(path: str, finding: Finding) -> Text:
    from rich.text import Text

    style = _STYLE[finding.severity.label]
    line = Text()  # a base style would spill over every appended part
    line.append(_position(path, finding.location), style="bold")
    line.append(" ")
    line.append(finding.rule_id, style=style)
    line.append(" [")
    line.append(finding.severity.label, style=style)
    line.append("] ")
    line.append(printable(finding.message))
    return line


def _rule_table(result: ScanResult) -> str:
    counts = result.rule_counts()
    return "By rule: " + ", ".join(f"{rule_id} {count}" for rule_id, count in counts.items())


def _summary(result: ScanResult) -> Text:
    from rich.text import Text

    counts = result.severity_counts()
    total = len(result.findings)
    line = Text()
    if total:
        line.append(f"{total} finding{'s' if total != 1 else ''}", style="bold")
        parts = [f"{count} {severity.label}{'s' if count != 1 else ''}" for severity, count in counts.items()]
        line.append(" (" + ", ".join(parts) + ")")
    else:
        line.append("No findings", style="bold green")
    hidden = result.hidden_counts()
    extras = []
    if hidden["suppression"]:
        extras.append(f"{hidden['suppression']} suppressed")
    if hidden["baseline"]:
        extras.append(f"{hidden['baseline']} in the baseline")
    if extras:
        line.append(" [" + ", ".join(extras) + "]")
    with_suffix, named = result.suffix_coverage()
    line.append(f"; named resources with the environment suffix: {with_suffix} of {named}")
    line.append(f"; {len(result.worktrees)} worktree{'s' if len(result.worktrees) != 1 else ''}")
    line.append(f" in {result.duration:.2f} s")
    return line


EXCERPT_WIDTH = 120  # a minified template is one line of megabytes: show a window around the column


def _excerpt(source: SourceLines, location: Location) -> list[str]:
    """The finding's source line with a caret under the column."""
    text = source.line(location)
    if text is None or not text.strip():
        return []
    column = max(location.column - 1, 0)
    start = 0
    if len(text) > EXCERPT_WIDTH:
        start = max(0, min(column - EXCERPT_WIDTH // 2, len(text) - EXCERPT_WIDTH))
    window = text[start : start + EXCERPT_WIDTH]
    before = "…" if start > 0 else ""
    after = "…" if start + EXCERPT_WIDTH < len(text) else ""
    gutter = f"    {location.line} | "
    shown = [gutter + before + printable(window.expandtabs(4)) + after]
    if location.column > 0:
        indent = before + printable(text[start:column].expandtabs(4))
        shown.append(" " * (len(gutter) - 2) + "| " + " " * len(indent) + "^")
    return shown


def _position(path: str, location: Location) -> str:
    return f"{path}:{location.line}:{location.column}" if location.column else f"{path}:{location.line}"
