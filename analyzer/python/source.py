"""Parse one Python file with libcst and answer "which line is this node on?" cheaply.

``parse_python`` never raises (nor crashes: :mod:`analyzer.python.safeparse` screens the source
before libcst's native parser sees it): undecodable bytes, syntax errors and trees too deep to walk become a
:class:`~analyzer.model.ParseProblem`. Line numbers come from one code-generation pass with a
light state that counts newlines (about 5x cheaper than libcst's ``MetadataWrapper`` +
``PositionProvider``, which copies the tree and records full ranges for every node).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

from analyzer.model import Location, ParseProblem
from analyzer.python import safeparse


class _LineState(CodegenState):
    """Codegen state that only tracks the current line and the start line of each node."""

    __slots__ = ("line", "lines")

    def __init__(self, module: cst.Module) -> None:
        super().__init__(module.default_indent, module.default_newline)
        self.line = 1
        self.lines: dict[cst.CSTNode, int] = {}

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value:
            self.line += value.count("\n")

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.lines[node] = self.line

    @contextmanager
    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> Iterator[None]:
        # Statements own their leading blank lines and comments; the syntactic start skips them.
        start = self.line
        yield
        self.lines[node] = self.lines.get(start_node, start) if start_node is not None else start


@dataclass(slots=True, eq=False)
class SourceModule:
    """A parsed Python file: its relative path, libcst tree and a node -> line table."""

    path: str  # relative POSIX path in the worktree
    module: cst.Module
    lines: dict[cst.CSTNode, int] = field(default_factory=dict)
    line_count: int = 0

    def line(self, node: cst.CSTNode) -> int:
        return self.lines.get(node, 1)

    def location(self, node: cst.CSTNode | None) -> Location:
        return Location(self.path, self.line(node) if node is not None else 1)

    def code(self, node: cst.CSTNode) -> str:
        """Source text of ``node`` (for hints in messages); never raises."""
        try:
            return self.module.code_for_node(node).strip()
        except (RecursionError, Exception):  # a hint is optional
            return "?"


def decode_source(data: bytes, path: str) -> str | ParseProblem:
    try:
        return safeparse.decode(data)
    except safeparse.SourceError as error:
        return ParseProblem(
            Location(path, error.line, error.column),
            error.message,
            kind="skipped" if "binary" in error.message else "parse",
        )


def parse_python(source: str | bytes, path: str) -> SourceModule | ParseProblem:
    """Parse ``source`` (text or raw bytes) as a Python module; never raises.

    Parsing goes through :mod:`analyzer.python.safeparse` (CPython's parser and a depth bound screen
    the source first: libcst's native parser crashes the process on very deep nesting)."""
    if isinstance(source, bytes):
        decoded = decode_source(source, path)
        if isinstance(decoded, ParseProblem):
            return decoded
        source = decoded
    try:
        module = safeparse.parse_module(source)
    except safeparse.SourceError as error:
        kind = "limit" if "nest" in error.message else "parse"
        message = error.message if kind == "limit" else f"Python {error.message}"
        return ParseProblem(Location(path, max(error.line, 1), max(error.column, 0)), message, kind=kind)
    except Exception as error:  # libcst raises assorted errors on exotic input
        return ParseProblem(Location(path, 1), f"cannot parse Python source: {type(error).__name__}: {error}")
    state = _LineState(module)
    try:
        module._codegen(state)
    except RecursionError:
        return ParseProblem(Location(path, 1), "Python source nests too deeply to analyse", kind="limit")
    return SourceModule(path, module, state.lines, state.line)


def dotted_name(node: cst.BaseExpression | None) -> str | None:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a plain (non-f) string literal or implicit concatenation of them."""
    if isinstance(node, cst.SimpleString):
        text = node.value
        # Fast path for the common case; ``evaluated_value`` compiles the literal (slow).
        if text[:1] in "\"'" and "\\" not in text and len(text) >= 2 and text[:3] not in ('"""', "'''"):
            return text[1:-1]
        try:
            value = node.evaluated_value
        except Exception:
            return None
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return left + right if left is not None and right is not None else None
    return None
