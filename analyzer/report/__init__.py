"""Reporters: a finished :class:`~analyzer.engine.ScanResult` laid out in one output format.

Reporters compute nothing but layout: every figure they print comes from the result. Each format
lives in its own module and is imported only when used, so ``iacscan --version`` stays fast."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from analyzer.report.layout import ReportOptions, printable

if TYPE_CHECKING:
    from analyzer.engine import ScanResult

# format name -> module under analyzer.report that defines ``render(result, options) -> str``
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
    "line": "line",
    "markdown": "markdown",
}

_PLAIN_FORMATS = frozenset({"github", "line", "markdown"})

__all__ = ["FORMATS", "ReportOptions", "render"]


def render(format_name: str, result: ScanResult, options: ReportOptions) -> str:
    """The whole report as text (written at once, so ``--output`` can be replaced atomically)."""
    module = importlib.import_module(f"analyzer.report.{FORMATS[format_name]}")
    text: str = module.render(result, options)
    # JSON and SARIF escape control characters themselves; the text reporter cleans its pieces
    # (its own colour codes must survive); the other formats carry no escape sequence of ours.
    return printable(text) if format_name in _PLAIN_FORMATS else text
