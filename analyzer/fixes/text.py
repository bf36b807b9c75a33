"""Text edits: positions, the smallest edit between two texts, applying edits, writing atomically.

Positions follow :class:`~analyzer.findings.Edit` (and SARIF's ``columnKind: unicodeCodePoints``):
1-based lines and columns, counted in code points; the end position is exclusive, so an insertion
has equal start and end."""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from analyzer.findings import Edit


class LineIndex:
    """Offsets <-> (line, column) for one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        found = text.find("\n")
        while found >= 0:
            self.starts.append(found + 1)
            found = text.find("\n", found + 1)

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based (line, column); raises ValueError when it is outside the text."""
        if not 1 <= line <= len(self.starts) or column < 1:
            raise ValueError(f"position {line}:{column} is outside the text")
        offset = self.starts[line - 1] + column - 1
        if offset > len(self.text):
            raise ValueError(f"position {line}:{column} is outside the text")
        return offset

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1  # the last line start at or before offset
        return line + 1, offset - self.starts[line] + 1


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def minimal_edit(path: str, old: str, new: str) -> Edit | None:
    """The single smallest edit that turns ``old`` into ``new`` (None when they are equal)."""
    if old == new:
        return None
    start = _common_prefix(old, new)
    tail = _common_prefix(old[start:][::-1], new[start:][::-1])
    old_end, new_end = len(old) - tail, len(new) - tail
    (start_line, start_column), (end_line, end_column) = _position(old, start), _position(old, old_end)
    return Edit(path, start_line, start_column, end_line, end_column, new[start:new_end])


def _position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of an offset without indexing the whole text (one C-speed scan)."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _common_prefix(a: str, b: str) -> int:
    """The length of the common prefix, by bisection over slice comparisons (done in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def span_of(index: LineIndex, edit: Edit) -> tuple[int, int]:
    return index.offset(edit.start_line, edit.start_column), index.offset(edit.end_line, edit.end_column)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with every edit applied; the edits must not overlap (raises ValueError)."""
    index = LineIndex(text)
    spans = sorted(((*span_of(index, edit), edit.replacement) for edit in edits), reverse=True)
    result = text
    previous_start = len(text) + 1
    for start, end, replacement in spans:
        if end > previous_start or start > end:
            raise ValueError("overlapping edits")
        result = result[:start] + replacement + result[end:]
        previous_start = start
    return result


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two spans conflict when they share text, or when both insert at the same place."""
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == a[1] == b[0] == b[1]


def write_atomically(path: Path, text: str, expected_hash: str) -> bool:
    """Replace ``path`` with ``text`` unless its content no longer hashes to ``expected_hash``.

    The new content goes to a temporary file in the same directory, keeps the file's permission
    bits, and replaces the file with ``os.replace`` (atomic on one file system). Returns False,
    writing nothing, when the file changed since it was read."""
    try:
        current = path.read_bytes()
    except OSError:
        return False
    if content_hash(current) != expected_hash:
        return False
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".iacscan-fix", dir=path.parent)
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True
