"""The one way iacscan parses Python source: bounded, and safe for hostile input.

libcst's native parser crashes the whole process (a segmentation fault, not an exception) on deeply
nested input such as ``x = ((((...1...))))`` with a few thousand parentheses, and libcst's visitors
recurse in Python, so a legal but deep expression ends in ``RecursionError``. CPython's own parser
rejects the pathological shapes cleanly (``SyntaxError: too many nested parentheses``,
``RecursionError``, ``MemoryError``), so every source is first checked with :func:`ast.parse` and
an iterative depth walk, and only then handed to libcst. Measured here (libcst 1.9, CPython 3.11):
``(`` x 5,000 segfaults libcst; ``ast.parse`` rejects it at 200.

Never imports or executes the source.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst

MAX_DEPTH = 120  # nesting levels of the syntax tree; real IaC code stays far below


@dataclass(frozen=True, slots=True)
class SourceError(Exception):
    """Why a source could not be parsed, with a 1-based line and column (0 = unknown)."""

    message: str
    line: int = 1
    column: int = 0

    def __str__(self) -> str:
        return self.message


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped); raise :class:`SourceError` for binary or non-UTF-8 data."""
    if b"\x00" in data:
        raise SourceError("binary file (contains NUL bytes); not analysed")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(f"not valid UTF-8 (byte {error.start}): not analysed", line) from None


def parse_module(source: str, max_depth: int = MAX_DEPTH) -> libcst.Module:
    """Parse ``source`` with libcst after the checks above; raise :class:`SourceError` otherwise."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise SourceError(f"syntax error: {error.msg}", error.lineno or 1, error.offset or 0) from None
    except (RecursionError, MemoryError):
        raise SourceError("source is nested too deeply to parse; not analysed") from None
    except ValueError as error:  # e.g. "source code string cannot contain null bytes"
        raise SourceError(f"cannot parse: {error}") from None
    deep = _too_deep(tree, max_depth)
    if deep is not None:
        raise SourceError(
            f"expression nested more than {max_depth} levels deep; not analysed",
            getattr(deep, "lineno", 1),
            getattr(deep, "col_offset", -1) + 1,
        )
    try:
        return libcst.parse_module(source)
    except libcst.ParserSyntaxError as error:
        raise SourceError(f"syntax error: {error.message}", error.raw_line, error.raw_column + 1) from None
    except (RecursionError, MemoryError):
        raise SourceError("source is nested too deeply to parse; not analysed") from None


def _too_deep(tree: ast.AST, max_depth: int) -> ast.AST | None:
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return node
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None
