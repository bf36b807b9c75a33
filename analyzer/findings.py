"""Findings are data: what a rule says, where, and how to fix it."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from analyzer.model import Location


class Severity(enum.IntEnum):
    NOTE = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or note)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two positions (1-based lines, 1-based columns) of one file."""

    path: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    location: Location
    fix_hint: str = ""
    resource: str | None = None  # the resource id the finding is about
    related: tuple[Related, ...] = ()
    # What identifies this finding apart from line numbers, so that unrelated edits do not change
    # its fingerprint (e.g. the missing argument names, the passed role).
    key: str = ""
    fixes: tuple[Fix, ...] = ()
    suppressed_by: str | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        basis = "\x1f".join((self.rule_id, self.location.path, self.resource or "", self.key or self.message))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message)
