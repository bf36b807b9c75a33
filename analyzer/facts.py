"""Facts the rules establish about a project besides findings: the review checklist's data.

IAC002 counts names with the environment suffix, IAC012 finds what a teardown cannot delete, IAC013
finds account singletons, IAC016 compares metadata.json with the project. The engine computes these
facts once per project, right after the rules (analyzer/review.py, ``project_facts``), and the
cache stores them with the findings: a cached run lays out its checklist without the rules, the
graph or the AWS data. Plain frozen dataclasses, so the cache codec may rebuild them.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model import Location


@dataclass(frozen=True, slots=True)
class SuffixCoverage:
    """The reviewers' figure: "resources with environment_suffix: 23 of 23"."""

    named: int  # resources with an explicit physical name that must be unique (not exempt, not scoped)
    with_suffix: int  # of those, names that differ per deployment
    env_name_only: int
    fixed: int
    unknown: int


@dataclass(frozen=True, slots=True)
class Blocker:
    """One reason a resource is not cleanly destroyable."""

    resource: str
    resource_type: str
    reason: str  # "DeletionPolicy: Retain", "deletion protection", ...
    effect: str  # what happens at teardown
    fix: str
    location: Location
    blocks: bool  # True: teardown fails or leaves the resource; False: a leftover for a while only


@dataclass(frozen=True, slots=True)
class Singleton:
    """A singleton the project creates on every deployment."""

    resource: str
    resource_type: str
    label: str
    kind: str
    error: str
    lookup: str
    location: Location


@dataclass(frozen=True, slots=True)
class MetadataCheck:
    """metadata.json against the project, as plain data."""

    present: bool
    platform: str | None  # as written in metadata.json
    language: str | None
    detected_platform: str
    detected_language: str
    platform_matches: bool | None  # None: metadata.json names no platform
    language_matches: bool | None
    missing_fields: tuple[str, ...]
    services_without_resources: tuple[str, ...]  # named in aws_services, no resource of theirs
    services_not_listed: tuple[str, ...]  # normalized names of services with resources, not named
    unknown_services: tuple[str, ...]  # named but not in the table (not judged)

    @property
    def consistent(self) -> bool:
        return (
            self.present
            and self.platform_matches is not False
            and self.language_matches is not False
            and not self.missing_fields
        )


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """The checklist facts of one project, locations relative to its worktree, before suppressions."""

    coverage: SuffixCoverage
    teardown: tuple[Blocker, ...]  # every finding of IAC012's analysis, blocking or a leftover
    singletons: tuple[Singleton, ...]
    metadata: MetadataCheck
