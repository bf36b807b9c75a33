"""The pipeline: discover -> plugin.parse -> model -> graph -> rules -> findings.

The engine owns isolation (a crash in one plugin or rule becomes an IAC900 finding, the scan goes
on), configuration (select/ignore, severities, per-path ignores) and suppressions. Reporters get a
finished :class:`ScanResult` and only lay it out."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import __version__
from analyzer.config import Config
from analyzer.discover import Discovered, list_files
from analyzer.findings import Finding, Severity
from analyzer.model import Location, ParseProblem, Project
from analyzer.plugin import Plugin
from analyzer.registry import all_plugins, all_rules
from analyzer.rules.base import Rule, RuleContext
from analyzer.suppress import apply_suppressions

if TYPE_CHECKING:
    from analyzer.cache import ScanCache
    from analyzer.facts import ProjectFacts
    from analyzer.graph import ResourceGraph
    from analyzer.review import ReviewChecklist

INTERNAL_ERROR = "IAC900"
PARSE_ERROR = "IAC901"
SKIPPED = "IAC902"
BASELINE = "baseline"  # Finding.suppressed_by of a finding hidden by --baseline


@dataclass(frozen=True, slots=True)
class ProjectResult:
    """One worktree as one platform saw it, with the review checklist's facts. The graph is built
    on first use when the project comes from the cache or a worker process
    (``ProjectResult(project)``); so are the facts when the result was made without them."""

    project: Project
    built_graph: ResourceGraph | None = field(default=None, repr=False, compare=False)
    known_facts: ProjectFacts | None = field(default=None, repr=False, compare=False)

    @property
    def graph(self) -> ResourceGraph:
        if self.built_graph is None:
            from analyzer.graph import ResourceGraph

            object.__setattr__(self, "built_graph", ResourceGraph(self.project))
        assert self.built_graph is not None
        return self.built_graph

    @property
    def facts(self) -> ProjectFacts:
        if self.known_facts is None:
            from analyzer.review import project_facts

            object.__setattr__(self, "known_facts", project_facts(self.project, self.graph))
        assert self.known_facts is not None
        return self.known_facts


@dataclass(frozen=True, slots=True)
class WorktreeOutcome:
    """What one worktree produced: findings relative to the worktree, before suppressions."""

    findings: tuple[Finding, ...]
    projects: tuple[ProjectResult, ...]
    timings: Mapping[str, float]


@dataclass(slots=True)
class ScanResult:
    root: Path  # the common root that report paths are relative to
    worktrees: list[Path] = field(default_factory=list)
    projects: list[ProjectResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # reportable, sorted
    suppressed: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    version: str = __version__

    def worst(self) -> Severity | None:
        return max((finding.severity for finding in self.findings), default=None)

    # Figures the reports print; computed here so that reporters only lay them out.

    def severity_counts(self) -> dict[Severity, int]:
        """Reported findings per severity, every severity present (worst first)."""
        counts = dict.fromkeys(sorted(Severity, reverse=True), 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def rule_counts(self) -> dict[str, int]:
        """Reported findings per rule id, sorted by id."""
        counts: dict[str, int] = {}
        for finding in sorted(self.findings, key=lambda item: item.rule_id):
            counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
        return counts

    def hidden_counts(self) -> dict[str, int]:
        """Suppressed findings by mechanism: "baseline" or "suppression" (comments, metadata, paths)."""
        baselined = sum(1 for finding in self.suppressed if finding.suppressed_by == BASELINE)
        return {"suppression": len(self.suppressed) - baselined, "baseline": baselined}

    def suffix_coverage(self) -> tuple[int, int]:
        """(named resources whose name differs per deployment, named resources) over all projects.

        Counted by IAC002's classification, so names AWS requires verbatim and names scoped inside
        a resource of the same deployment do not count against the figure."""
        figures = [item.facts.coverage for item in self.projects]
        return sum(f.with_suffix for f in figures), sum(f.named for f in figures)

    def review(self) -> ReviewChecklist:
        """The reviewers' checklist (suffix coverage, destroyable, singletons, metadata): analyzer/review.py."""
        from analyzer.review import review

        return review(self)

    def notifications(self) -> list[Finding]:
        """Findings about the analysis itself (internal errors, unparsable or skipped files)."""
        return [f for f in self.findings if f.rule_id in (INTERNAL_ERROR, PARSE_ERROR, SKIPPED)]

    @property
    def execution_successful(self) -> bool:
        return not any(finding.rule_id == INTERNAL_ERROR for finding in self.findings)

    @property
    def duration(self) -> float:
        return sum(self.timings.values())


class _Timer:
    def __init__(self, timings: dict[str, float], phase: str) -> None:
        self.timings, self.phase = timings, phase

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings[self.phase] = self.timings.get(self.phase, 0.0) + time.perf_counter() - self.start


def scan(
    worktrees: Sequence[Path],
    config: Config,
    *,
    rules: Sequence[type[Rule]] | None = None,
    plugins: Sequence[Plugin] | None = None,
    debug: bool = False,
    jobs: int = 1,
    cache: ScanCache | None = None,
) -> ScanResult:
    """Analyse each worktree; paths in findings are relative to the worktrees' common root.

    ``jobs`` > 1 analyses worktrees in that many processes (same result, same order); ``cache``
    reuses the outcome of a worktree whose files, configuration and iacscan are unchanged."""
    from analyzer.parallel import analyse_all

    resolved = [path.resolve() for path in worktrees]
    root = _common_root(resolved)
    result = ScanResult(root=root, worktrees=resolved)
    findings: list[Finding] = []
    outcomes = analyse_all(
        resolved, config, rules=rules, plugins=plugins, debug=debug, cache=cache, jobs=jobs
    )
    for worktree_root, outcome in zip(resolved, outcomes, strict=True):
        prefix = worktree_root.relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        findings.extend(_rebase(finding, prefix) if prefix else finding for finding in outcome.findings)
        result.projects.extend(outcome.projects)
        for phase, seconds in outcome.timings.items():
            result.timings[phase] = result.timings.get(phase, 0.0) + seconds
    with _Timer(result.timings, "suppress"):
        kept, suppressed = apply_suppressions(findings, root, result.projects, config)
    # `select` decides which rules run; `ignore` also hides what the engine reports itself (IAC9xx).
    shown = (f for f in kept if config.shows(f.severity) and not config.ignores(f.rule_id))
    result.findings = sorted(shown, key=Finding.sort_key)
    result.suppressed = sorted(suppressed, key=Finding.sort_key)
    return result


def analyse_worktree(
    root: Path,
    config: Config,
    *,
    rules: Sequence[type[Rule]] | None = None,
    plugins: Sequence[Plugin] | None = None,
    debug: bool = False,
    cache: ScanCache | None = None,
) -> WorktreeOutcome:
    """One worktree, isolated: the unit of work of ``--jobs`` and of the cache."""
    with _paced_collector():
        return _analyse_worktree(root, config, rules, plugins, debug, cache)


@contextlib.contextmanager
def _paced_collector() -> Iterator[None]:
    # A model is millions of small, mostly acyclic objects; at the default threshold (700) the cyclic
    # collector runs thousands of times over a large template and takes a third of the CPU time
    # (benchmarks/bench_scan.py). Collect young objects every 100,000 allocations instead.
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], 100_000), max(previous[1], 50), max(previous[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _analyse_worktree(
    root: Path,
    config: Config,
    rules: Sequence[type[Rule]] | None,
    plugins: Sequence[Plugin] | None,
    debug: bool,
    cache: ScanCache | None,
) -> WorktreeOutcome:
    timings: dict[str, float] = {}
    with _Timer(timings, "discover"):
        discovered = list_files(root, config.limits, config.exclude)
    key = None
    if cache is not None:
        with _Timer(timings, "cache"):
            try:
                key = cache.key(root, discovered, config, rules=rules, plugins=plugins, debug=debug)
                hit = cache.load(key) if key is not None else None
            except Exception:
                if debug:
                    raise
                key, hit = None, None  # the cache only saves time: a bug in it must not cost the scan
        if hit is not None:
            restored = tuple(
                ProjectResult(project, known_facts=facts)
                for project, facts in zip(hit.projects, hit.facts, strict=True)
            )
            return WorktreeOutcome(hit.findings, restored, timings)
    active_rules = [
        rule()
        for rule in (rules if rules is not None else all_rules())
        if config.rule_enabled(rule.id, rule.name)
    ]
    active_plugins = list(plugins if plugins is not None else all_plugins())
    projects: list[ProjectResult] = []  # filled as the plugins run
    produced = tuple(
        _scan_worktree(root, discovered, config, active_rules, active_plugins, projects, timings, debug)
    )
    # An internal error may be the machine's (memory, stack) rather than the input's: not kept.
    if cache is not None and key is not None and all(f.rule_id != INTERNAL_ERROR for f in produced):
        from analyzer.cache import CachedOutcome

        outcome = CachedOutcome(
            produced, tuple(item.project for item in projects), tuple(item.known_facts for item in projects)
        )
        with _Timer(timings, "cache"):
            try:
                cache.store(key, outcome)
            except Exception:
                if debug:
                    raise
    return WorktreeOutcome(produced, tuple(projects), timings)


def _scan_worktree(
    root: Path,
    discovered: Discovered,
    config: Config,
    rules: list[Rule],
    plugins: list[Plugin],
    projects: list[ProjectResult],
    timings: dict[str, float],
    debug: bool,
) -> Iterable[Finding]:
    worktree = dataclasses.replace(discovered.worktree, suffix_names=config.suffix_names)
    yield from (_configured(_problem_finding(problem), config) for problem in discovered.problems)
    for plugin in plugins:
        try:
            with _Timer(timings, "detect"):
                wanted = plugin.detect(worktree)
        except Exception as error:  # a plugin bug must not end the scan
            yield _internal_error(f"plugin '{plugin.name}' failed to detect the worktree", error, root, debug)
            continue
        if not wanted:
            continue
        try:
            with _Timer(timings, "parse"):
                project = plugin.parse(worktree)
        except RecursionError as error:
            yield _internal_error(
                f"plugin '{plugin.name}' ran out of stack on this worktree", error, root, debug
            )
            continue
        except Exception as error:
            yield _internal_error(f"plugin '{plugin.name}' failed on this worktree", error, root, debug)
            continue
        with _Timer(timings, "graph"):
            from analyzer.graph import ResourceGraph

            graph = ResourceGraph(project)
        yield from (_configured(_problem_finding(problem), config) for problem in project.problems)
        context_base = RuleContext(project, graph)
        for rule in rules:
            context = dataclasses.replace(context_base, options=config.rule_options.get(rule.id, {}))
            with _Timer(timings, "rules"):
                try:
                    produced = list(rule.check(context))
                except Exception as error:
                    yield _internal_error(
                        f"rule {rule.id} failed on the {project.platform} project",
                        error,
                        root,
                        debug,
                        rule.id,
                    )
                    continue
            yield from (_configured(finding, config) for finding in produced)
        with _Timer(timings, "review"):
            from analyzer.review import project_facts

            try:
                facts = project_facts(project, graph)
            except Exception as error:
                # Computed again (and reported) when a report asks for the checklist.
                yield _internal_error("the review checklist failed on this project", error, root, debug)
                facts = None
        projects.append(ProjectResult(project, graph, facts))


def _configured(finding: Finding, config: Config) -> Finding:
    override = config.severity.get(finding.rule_id)
    return dataclasses.replace(finding, severity=override) if override else finding


def _problem_finding(problem: ParseProblem) -> Finding:
    rule_id = PARSE_ERROR if problem.kind == "parse" else SKIPPED
    severity = Severity.ERROR if problem.kind == "parse" else Severity.NOTE
    hint = (
        "fix the syntax error; nothing in this file was analysed"
        if problem.kind == "parse"
        else "raise the limit in [tool.iacscan.limits] if this file should be analysed"
    )
    return Finding(rule_id, severity, problem.message, problem.location, hint, key=problem.message)


def _internal_error(what: str, error: BaseException, root: Path, debug: bool, rule_id: str = "") -> Finding:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = f"{what}: {type(error).__name__}{where}: {error}"
    if debug:
        message += "\n" + "".join(traceback.format_exception(error))
    return Finding(
        INTERNAL_ERROR,
        Severity.ERROR,
        message,
        Location(".", 1),
        "this is an iacscan bug; please report it with the file that triggers it (--debug shows the "
        "traceback)",
        key=f"{what}:{type(error).__name__}:{rule_id}",
    )


def _rebase(finding: Finding, prefix: str) -> Finding:
    def move(location: Location) -> Location:
        return dataclasses.replace(
            location, path=prefix + location.path if location.path != "." else prefix[:-1]
        )

    related = tuple(dataclasses.replace(item, location=move(item.location)) for item in finding.related)
    fixes = tuple(
        dataclasses.replace(
            fix, edits=tuple(dataclasses.replace(edit, path=prefix + edit.path) for edit in fix.edits)
        )
        for fix in finding.fixes
    )
    return dataclasses.replace(finding, location=move(finding.location), related=related, fixes=fixes)


def _common_root(paths: list[Path]) -> Path:
    if not paths:
        return Path.cwd()
    if len(paths) == 1:
        return paths[0]
    common = Path(paths[0])
    for path in paths[1:]:
        while not path.is_relative_to(common):
            common = common.parent
    return common
