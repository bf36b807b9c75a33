"""What a per-rule fix module gets: the finding's project, its graph, and the files to read."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.findings import Fix
from analyzer.fixes.sources import Source, Sources
from analyzer.fixes.text import minimal_edit
from analyzer.graph import ResourceGraph
from analyzer.model import Location, Project, Resource


@dataclass(frozen=True, slots=True)
class FixContext:
    """One project of a scan, seen from the fix layer.

    Model locations are relative to the project's worktree; findings and edits are relative to the
    scanned root. ``prefix`` is the worktree relative to that root ("" or "sub/dir/")."""

    project: Project
    graph: ResourceGraph
    sources: Sources
    prefix: str

    def source(self, location: Location | str) -> Source | None:
        """The file of a model location (worktree-relative)."""
        path = location if isinstance(location, str) else location.path
        return self.sources.get(self.prefix + path)

    def model_location(self, location: Location) -> Location | None:
        """A finding's location (scan-relative) as a model location (worktree-relative)."""
        if not location.path.startswith(self.prefix):
            return None
        return Location(location.path[len(self.prefix) :], location.line, location.column)

    def resource(self, resource_id: str | None) -> Resource | None:
        return self.project.resource(resource_id) if resource_id else None


def rewrite(source: Source, new_text: str, description: str, safe: bool) -> Fix | None:
    """A fix that turns the whole of ``source`` into ``new_text``, as one minimal edit."""
    edit = minimal_edit(source.path, source.text, new_text)
    if edit is None:
        return None
    return Fix(description, (edit,), safe)
