"""The review checklist: the facts reviewers compute by hand, from a finished scan.

Review reports of these repositories check the same things every time ("environmentSuffix: 100%
coverage", "No Retain policies found, infrastructure fully destroyable", "Platform/Language
compliance"). :func:`review` computes them from a :class:`~analyzer.engine.ScanResult` as plain
data; reporters only lay them out (``ReviewChecklist.items()`` for a text summary,
``ReviewChecklist.as_dict()`` for JSON and SARIF run properties).

Every fact comes from the same function the corresponding rule uses, so the checklist and the
findings never disagree: suffix coverage from IAC002 (through ``ScanResult.suffix_coverage``),
teardown blockers from IAC012, singletons from IAC013, metadata from IAC016.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.facts import Blocker, MetadataCheck, ProjectFacts, Singleton
from analyzer.model import Location

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.graph import ResourceGraph
    from analyzer.model import Project

PASS, FAIL, WARN, NOT_APPLICABLE = "pass", "fail", "warn", "n/a"


@dataclass(frozen=True, slots=True)
class ProjectReview:
    """The checklist facts of one project (one worktree as one platform saw it)."""

    worktree: str  # relative to the scan root ("." for the root itself)
    platform: str
    with_suffix: int
    named: int
    blockers: tuple[Blocker, ...]  # teardown fails or leaves the resource
    leftovers: tuple[Blocker, ...]  # left behind for a while (snapshots, keys pending deletion)
    singletons: tuple[Singleton, ...]
    metadata: MetadataCheck
    accepted: tuple[str, ...] = ()  # resources whose IAC012 finding is suppressed
    unknown: int = 0  # named resources whose name the analysis cannot judge (IAC002 stays silent)

    @property
    def destroyable(self) -> bool:
        return not self.blockers


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One line of the checklist: a title, a status (pass/fail/warn/n/a) and what it rests on."""

    title: str
    status: str
    detail: str


@dataclass(frozen=True, slots=True)
class ReviewChecklist:
    projects: tuple[ProjectReview, ...]
    with_suffix: int
    named: int

    @property
    def destroyable(self) -> bool:
        return all(project.destroyable for project in self.projects)

    @property
    def singletons(self) -> tuple[Singleton, ...]:
        return tuple(item for project in self.projects for item in project.singletons)

    @property
    def metadata_consistent(self) -> bool | None:
        """None when no project has a metadata.json."""
        checks = [project.metadata for project in self.projects if project.metadata.present]
        return all(check.consistent for check in checks) if checks else None

    @property
    def suffix_percent(self) -> float | None:
        return round(100.0 * self.with_suffix / self.named, 1) if self.named else None

    def items(self) -> list[ChecklistItem]:
        """The checklist as titled lines, in the order reviewers write them."""
        return [self._suffix_item(), self._destroy_item(), self._singleton_item(), self._metadata_item()]

    def _suffix_item(self) -> ChecklistItem:
        if not self.named:
            return ChecklistItem(
                "Environment suffix", NOT_APPLICABLE, "no resource has a fixed physical name"
            )
        unknown = sum(project.unknown for project in self.projects)
        detail = (
            f"{self.with_suffix}/{self.named} named resources differ per deployment ({self.suffix_percent}%)"
        )
        if self.with_suffix == self.named:
            status = PASS
        elif self.with_suffix + unknown == self.named:
            # IAC002 stays silent on names it cannot judge, and so does the checklist's verdict.
            status = WARN
            detail += f"; {unknown} cannot be judged statically (a value from outside, or a choice made at deploy time)"
        else:
            status = FAIL
        return ChecklistItem("Environment suffix", status, detail)

    def _destroy_item(self) -> ChecklistItem:
        blockers = [b for project in self.projects for b in project.blockers]
        leftovers = [b for project in self.projects for b in project.leftovers]
        if blockers:
            shown = ", ".join(f"'{b.resource}' ({b.reason})" for b in blockers[:5])
            more = f" and {len(blockers) - 5} more" if len(blockers) > 5 else ""
            return ChecklistItem("Destroyable", FAIL, f"no: {shown}{more}")
        if leftovers:
            shown = ", ".join(f"'{b.resource}' ({b.reason})" for b in leftovers[:5])
            return ChecklistItem("Destroyable", WARN, f"yes, but leaves {shown}")
        return ChecklistItem(
            "Destroyable", PASS, "yes: no retain policies, protection or undeletable resources"
        )

    def _singleton_item(self) -> ChecklistItem:
        items = self.singletons
        if not items:
            return ChecklistItem("Account singletons", PASS, "none created")
        failing = [item for item in items if item.kind == "fails"]
        shown = ", ".join(f"{item.label} '{item.resource}'" for item in items[:5])
        return ChecklistItem("Account singletons", FAIL if failing else WARN, shown)

    def _metadata_item(self) -> ChecklistItem:
        checks = [project.metadata for project in self.projects if project.metadata.present]
        if not checks:
            return ChecklistItem("Metadata", NOT_APPLICABLE, "no metadata.json")
        problems: list[str] = []
        for check in checks:
            if check.platform_matches is False:
                problems.append(f"platform '{check.platform}' but the project is {check.detected_platform}")
            if check.language_matches is False:
                problems.append(f"language '{check.language}' but the project is {check.detected_language}")
            if check.missing_fields:
                problems.append("missing " + ", ".join(check.missing_fields))
        notes = [
            f"aws_services: {', '.join(check.services_without_resources)} without resources"
            for check in checks
            if check.services_without_resources
        ] + [
            f"not in aws_services: {', '.join(check.services_not_listed)}"
            for check in checks
            if check.services_not_listed
        ]
        if problems:
            return ChecklistItem("Metadata", FAIL, "; ".join(problems + notes))
        detail = (
            f"platform {checks[0].platform} / language {checks[0].language} match the project"
            if len(checks) == 1
            else "platform and language match every project"
        )
        return ChecklistItem("Metadata", WARN if notes else PASS, "; ".join([detail, *notes]))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready facts (also the SARIF run property ``review``)."""
        return {
            "suffix_coverage": {
                "with_suffix": self.with_suffix,
                "named": self.named,
                "percent": self.suffix_percent,
            },
            "destroyable": self.destroyable,
            "account_singletons": len(self.singletons),
            "metadata_consistent": self.metadata_consistent,
            "checklist": [dataclasses.asdict(item) for item in self.items()],
            "projects": [_project_dict(project) for project in self.projects],
        }


def _location(location: Location) -> str:
    return str(location)


def _blocker_dict(blocker: Blocker) -> dict[str, Any]:
    return {
        "resource": blocker.resource,
        "type": blocker.resource_type,
        "reason": blocker.reason,
        "effect": blocker.effect,
        "location": _location(blocker.location),
    }


def _project_dict(project: ProjectReview) -> dict[str, Any]:
    metadata = project.metadata
    return {
        "worktree": project.worktree,
        "platform": project.platform,
        "suffix_coverage": {"with_suffix": project.with_suffix, "named": project.named},
        "destroyable": project.destroyable,
        "teardown_blockers": [_blocker_dict(b) for b in project.blockers],
        "leftovers": [_blocker_dict(b) for b in project.leftovers],
        "accepted": list(project.accepted),
        "account_singletons": [
            {
                "resource": item.resource,
                "type": item.resource_type,
                "label": item.label,
                "kind": item.kind,
                "location": _location(item.location),
            }
            for item in project.singletons
        ],
        "metadata": {
            "present": metadata.present,
            "consistent": metadata.consistent if metadata.present else None,
            "platform": metadata.platform,
            "language": metadata.language,
            "detected_platform": metadata.detected_platform,
            "detected_language": metadata.detected_language,
            "platform_matches": metadata.platform_matches,
            "language_matches": metadata.language_matches,
            "missing_fields": list(metadata.missing_fields),
            "services_without_resources": list(metadata.services_without_resources),
            "services_not_listed": list(metadata.services_not_listed),
            "unknown_services": list(metadata.unknown_services),
        },
    }


def project_facts(project: Project, graph: ResourceGraph) -> ProjectFacts:
    """The checklist facts of one project, from the functions the rules use (the engine calls this
    right after the rules, so that a cached result carries them)."""
    from analyzer.rules.iac002_missing_environment_suffix import suffix_coverage
    from analyzer.rules.iac012_not_destroyable import teardown_blockers
    from analyzer.rules.iac013_account_singleton import account_singletons
    from analyzer.rules.iac016_project_metadata import metadata_check

    return ProjectFacts(
        coverage=suffix_coverage(project),
        teardown=tuple(teardown_blockers(project, graph)),
        singletons=tuple(account_singletons(project)),
        metadata=metadata_check(project),
    )


def review(result: ScanResult) -> ReviewChecklist:
    """The checklist of a finished scan. Locations are relative to ``result.root``, like findings."""
    suppressed = {
        (finding.location.path, finding.resource)
        for finding in result.suppressed
        if finding.rule_id == "IAC012" and finding.resource
    }
    projects: list[ProjectReview] = []
    for item in result.projects:
        facts = item.facts
        prefix = _prefix(Path(item.project.root), result.root)
        found = [_rebased(b, prefix) for b in facts.teardown]
        accepted = tuple(
            dict.fromkeys(b.resource for b in found if (b.location.path, b.resource) in suppressed)
        )
        projects.append(
            ProjectReview(
                worktree=prefix.rstrip("/") or ".",
                platform=item.project.platform,
                with_suffix=facts.coverage.with_suffix,
                named=facts.coverage.named,
                blockers=tuple(b for b in found if b.blocks),
                leftovers=tuple(b for b in found if not b.blocks),
                singletons=tuple(
                    dataclasses.replace(s, location=_moved(s.location, prefix)) for s in facts.singletons
                ),
                metadata=facts.metadata,
                accepted=accepted,
                unknown=facts.coverage.unknown,
            )
        )
    with_suffix, named = result.suffix_coverage()
    return ReviewChecklist(tuple(projects), with_suffix, named)


def _prefix(worktree: Path, root: Path) -> str:
    try:
        relative = worktree.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return ""
    return "" if relative == "." else relative + "/"


def _moved(location: Location, prefix: str) -> Location:
    return dataclasses.replace(location, path=prefix + location.path) if prefix else location


def _rebased(blocker: Blocker, prefix: str) -> Blocker:
    return dataclasses.replace(blocker, location=_moved(blocker.location, prefix)) if prefix else blocker
