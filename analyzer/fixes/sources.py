"""The files a fix reads, read once per planning pass: text, content hash, and parsed forms.

The fix layer is the only place after the plugins that opens scanned files (rules never do). A file
is read as bytes, hashed, and decoded as UTF-8 (a byte-order mark is kept aside and written back);
Python is parsed only through :func:`analyzer.python.source.parse_python` (the bounded
:func:`analyzer.python.safeparse.parse_module`), templates only with
cfn-lint's decoder. A file that cannot be read or parsed gives None: no fix, never an exception."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.fixes.text import LineIndex, content_hash

_BOM = "\ufeff"


@dataclass(slots=True, eq=False)
class PythonSource:
    """A parsed module with the start and end position of every node (1-based lines, 0-based
    columns, as libcst's PositionProvider gives them), indexed by start line and by node type."""

    module: Any  # libcst.Module
    positions: Any  # Mapping[CSTNode, CodeRange]
    text: str = ""
    _by_line: dict[int, list[Any]] | None = None
    _by_type: dict[type, list[Any]] | None = None
    _index: LineIndex | None = None
    memo: dict[str, Any] = field(default_factory=dict)  # per-file answers fix modules reuse

    def starting_on(self, line: int) -> list[Any]:
        if self._by_line is None:
            self._by_line = {}
            for node, position in self.positions.items():
                self._by_line.setdefault(position.start.line, []).append(node)
        return self._by_line.get(line, [])

    def of_type(self, kind: type) -> list[Any]:
        """Nodes of exactly this type, in source order."""
        if self._by_type is None:
            self._by_type = {}
            for node in self.positions:
                self._by_type.setdefault(type(node), []).append(node)
        return self._by_type.get(kind, [])

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index


@dataclass(slots=True, eq=False)
class Source:
    path: str  # relative to the scanned root, as in findings and edits
    absolute: Path
    text: str  # without a byte-order mark
    digest: str  # sha256 of the bytes read
    bom: bool = False
    _index: LineIndex | None = None
    _python: PythonSource | bool | None = None  # False: tried and failed
    _template: Any = None  # the decoded template, False when it did not decode

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def encoded(self, text: str) -> str:
        """``text`` as it is written back (with the byte-order mark the file had)."""
        return _BOM + text if self.bom else text

    def python(self) -> PythonSource | None:
        if self._python is None:
            self._python = _parse_python(self.text) or False
        return self._python if isinstance(self._python, PythonSource) else None

    def template(self) -> Any:
        """cfn-lint's decoded template (nodes carry ``start_mark``/``end_mark``), or None."""
        if self._template is None:
            self._template = decode_template(self.text)
            if self._template is None:
                self._template = False
        return self._template or None


def _parse_python(text: str) -> PythonSource | None:
    from libcst.metadata import MetadataWrapper, PositionProvider

    # The Python layer's reader: the bounded parser of analyzer.python.safeparse, never raises.
    from analyzer.python.source import parse_python

    parsed = parse_python(text, "<fix>")
    if not hasattr(parsed, "module"):
        return None  # a ParseProblem
    try:
        # No copy: the positions must be keyed by the very nodes of the module.
        positions = MetadataWrapper(parsed.module, unsafe_skip_copy=True).resolve(PositionProvider)
    except (RecursionError, MemoryError):
        return None
    except Exception:  # libcst raises assorted errors on exotic input; no fix then
        return None
    return PythonSource(parsed.module, positions, text)


def decode_template(text: str) -> Any:
    """Decode a CloudFormation template (JSON or YAML, safe loader); None when it does not decode
    cleanly."""
    try:
        from cfnlint.decode import decode_str

        template, matches = decode_str(text)
    except Exception:
        return None
    if matches or not isinstance(template, dict):
        return None
    return template


@dataclass(slots=True)
class Sources:
    """Files under ``root`` by scan-relative path, each read at most once."""

    root: Path
    _files: dict[str, Source | None] = field(default_factory=dict)

    def get(self, path: str) -> Source | None:
        if path not in self._files:
            self._files[path] = self._read(path)
        return self._files[path]

    def _read(self, path: str) -> Source | None:
        absolute = self.root / path
        try:
            if absolute.is_symlink() or not absolute.is_file():
                return None  # never write through a link (it may point out of the worktree)
            data = absolute.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        bom = text.startswith(_BOM)
        return Source(path, absolute, text[1:] if bom else text, content_hash(data), bom)
