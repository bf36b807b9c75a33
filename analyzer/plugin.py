"""The contract between the core and a platform plugin.

A plugin claims worktrees (``detect``) and turns them into :class:`~analyzer.model.Project`
objects (``parse``). It never decides findings: it records facts (resources, values, bindings,
parse problems) and the rules judge them. Plugins register under the ``iacscan.plugins`` entry-point
group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from analyzer.model import Project


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 5_000_000
    max_files: int = 20_000
    max_resources: int = 50_000
    eval_depth: int = 60
    eval_steps: int = 200_000


@dataclass(frozen=True, slots=True)
class Worktree:
    """A directory to analyse, with the files discovery found in it (relative POSIX paths)."""

    root: Path
    files: tuple[str, ...]
    suffix_names: tuple[str, ...] = ()  # extra names the configuration declares as the suffix
    limits: Limits = field(default_factory=Limits)

    def path(self, relative: str) -> Path:
        return self.root / relative

    _file_set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_file_set", frozenset(self.files))

    def has(self, relative: str) -> bool:
        return relative in self._file_set


@runtime_checkable
class Plugin(Protocol):
    name: ClassVar[str]  # "pulumi", "cdk", "cloudformation"

    def detect(self, worktree: Worktree) -> bool:
        """Cheap: does this worktree hold a project of this platform?"""
        ...

    def parse(self, worktree: Worktree) -> Project:
        """Read the worktree into the neutral model. Must not raise for bad input: record it in
        ``Project.problems`` instead. Must never import or execute scanned code."""
        ...
