"""Decoding templates with cfn-lint's decoder, and reading positions off its nodes.

cfn-lint's decoder (``cfnlint.decode.decode_str``) reads YAML (with the short-form intrinsics
``!Ref``/``!Sub``/``!GetAtt`` turned into their long forms) and JSON, reports duplicate keys, and
returns dict/list/str subclasses carrying ``start_mark``/``end_mark``. It also bounds YAML alias
expansion ("billion laughs": more than 250,000 nodes once aliases are resolved is a parse error).

``import cfnlint.decode`` loads the whole cfn-lint package (~0.4 s); ``cfnlint_decoder`` loads only
the decoder, lazily, once, on the first template; never at module import.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from analyzer.model import Location, ParseProblem

_MAX_PROBLEMS_PER_FILE = 10


@dataclass(frozen=True, slots=True)
class Decoded:
    """One decoded template: ``template`` is None when it did not decode (see ``problems``)."""

    path: str
    text: str
    template: dict[str, Any] | None
    problems: tuple[ParseProblem, ...]

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def decode_text(path: str, text: str) -> Decoded:
    """Decode ``text`` (the file at ``path``); never raises."""
    try:
        from plugins.cloudformation.cfnlint_decoder import decode_str

        _quiet_cfnlint()
    except Exception as error:  # cfn-lint missing or broken: say so once per file, do not crash
        return Decoded(
            path, text, None, (ParseProblem(Location(path, 1), f"cfn-lint decoder unavailable: {error}"),)
        )
    try:
        template, matches = decode_str(text)
    except RecursionError:
        problem = ParseProblem(Location(path, 1), "template is nested too deeply to decode")
        return Decoded(path, text, None, (problem,))
    except Exception as error:  # the decoder's own bug on odd input; still a report, not a crash
        problem = ParseProblem(
            Location(path, 1), f"template could not be decoded: {type(error).__name__}: {error}"
        )
        return Decoded(path, text, None, (problem,))
    if matches:
        return Decoded(path, text, None, _problems(path, matches))
    if not isinstance(template, dict):
        problem = ParseProblem(
            Location(path, 1), "template is not a mapping (expected Resources at the top level)"
        )
        return Decoded(path, text, None, (problem,))
    return Decoded(path, text, template, ())


def _quiet_cfnlint() -> None:
    # cfn-lint logs decode failures with LOGGER.error; without a handler Python's last-resort
    # handler would print them on stderr. The failures are already ParseProblems.
    logger = logging.getLogger("cfnlint")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _problems(path: str, matches: list[Any]) -> tuple[ParseProblem, ...]:
    seen: set[tuple[int, int, str]] = set()
    problems: list[ParseProblem] = []
    for match in matches:
        line = _as_int(getattr(match, "linenumber", 1), 1)
        column = _as_int(getattr(match, "columnnumber", 0), 0)
        message = str(getattr(match, "message", "") or "template could not be decoded")
        key = (line, column, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(ParseProblem(Location(path, max(line, 1), max(column, 0)), message))
        if len(problems) >= _MAX_PROBLEMS_PER_FILE:
            break
    return tuple(problems)


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def position(node: Any) -> tuple[int, int] | None:
    """1-based (line, column) where a decoded node starts, or None (numbers, booleans, null).

    YAML marks (PyYAML's ``Mark``, also used for JSON, which cfn-lint reads with its YAML loader
    first) are 0-based in both line and column; cfn-lint's own JSON decoder (the fallback for
    JSON with tabs) uses a 0-based line and a 1-based column."""
    mark = getattr(node, "start_mark", None)
    if mark is None:
        return None
    line = getattr(mark, "line", None)
    column = getattr(mark, "column", None)
    if not isinstance(line, int) or not isinstance(column, int):
        return None
    if type(mark).__module__.startswith("cfnlint"):
        return line + 1, max(column, 1)
    return line + 1, column + 1


def location(path: str, node: Any, fallback: Location | None = None) -> Location | None:
    where = position(node)
    if where is None:
        return fallback
    return Location(path, where[0], where[1])


def plain(node: Any, depth: int = 0, limit: int = 60) -> Any:
    """Decoded nodes as plain Python data (for Metadata and twin comparison); bounded depth."""
    if depth > limit:
        return None
    if isinstance(node, dict):
        return {str(key): plain(value, depth + 1, limit) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(item, depth + 1, limit) for item in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (int, float, bool)) or node is None:
        return node
    return str(node)
