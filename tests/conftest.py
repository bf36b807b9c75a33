"""Shared test helpers.

The CLI, report, baseline and suppression tests run the real engine with a tiny *fake* platform
and rule, so they test the pipeline's plumbing without depending on how the real plugins model a
given source. The fake platform reads files named ``stack.*`` line by line (``stack.yml``,
``stack.py``: discovery lists only source-like files)::

    resource <Id> <Type> [name=<physical-name>] [ignore=<RULE>:<reason>]
    broken                      # a line the "parser" rejects: a ParseProblem

Anything after ``#`` is a comment (so inline suppressions work in ``stack.py`` and ``stack.yml``).
The fake rule IAC990 flags every resource whose name does not end in ``-suffix``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import settings

from analyzer.engine import ProjectResult, ScanResult
from analyzer.findings import Finding, Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Literal, Location, ParseProblem, Project, Resource
from analyzer.plugin import Worktree
from analyzer.rules.base import Rule, RuleContext

REPO = Path(__file__).resolve().parents[1]
# Tests never read or write the user's result cache (a monkeypatched rule must not meet a result
# cached by an earlier run); the cache's own tests pass --cache-dir or a ScanCache explicitly.
os.environ.setdefault("IACSCAN_NO_CACHE", "1")
SHARED = REPO.parent / "shared"


def check_snapshot(snapshot: Path, data: object) -> None:
    """Compare JSON-able ``data`` with a committed snapshot; ``IACSCAN_UPDATE_SNAPSHOTS=1`` rewrites it.

    A missing snapshot is a failure (not silently written), so a test can never pass vacuously."""
    text = json.dumps(data, indent=1, sort_keys=True, default=str) + "\n"
    if os.environ.get("IACSCAN_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.is_file(), (
        f"no snapshot {snapshot.name}; run with IACSCAN_UPDATE_SNAPSHOTS=1 and review it"
    )
    assert json.loads(snapshot.read_text(encoding="utf-8")) == json.loads(text)


# Fuzzing budgets. Each property test states the number of examples CI can afford (the "ci" budget,
# about 1,700 examples over the suite); `python -m pytest --hypothesis-profile=deep` multiplies every
# one of them by DEEP_FACTOR for a long run before a release or after a parser change.
DEEP_FACTOR = 25
settings.register_profile("deep", deadline=None, print_blob=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("hypothesis_profile", default=None) != "deep":
        return
    for item in items:
        test = getattr(item, "obj", None)
        # Explicit @settings(max_examples=...) win over a profile, so the deep run scales them here.
        chosen = getattr(test, "_hypothesis_internal_use_settings", None)
        if chosen is not None:
            test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
                chosen, max_examples=chosen.max_examples * DEEP_FACTOR
            )


class FakePlugin:
    name = "fake"

    def detect(self, worktree: Worktree) -> bool:
        return any(Path(path).name.startswith("stack.") for path in worktree.files)

    def parse(self, worktree: Worktree) -> Project:
        resources: list[Resource] = []
        problems: list[ParseProblem] = []
        files = [path for path in worktree.files if Path(path).name.startswith("stack.")]
        for path in files:
            text = worktree.path(path).read_text(encoding="utf-8")
            for number, raw in enumerate(text.splitlines(), start=1):
                line = raw.split("#", 1)[0].strip()
                if line == "broken":
                    problems.append(ParseProblem(Location(path, number, 1), "cannot parse this line"))
                    continue
                words = line.split()
                if len(words) < 3 or words[0] != "resource":
                    continue
                options = dict(word.split("=", 1) for word in words[3:] if "=" in word)
                metadata = {}
                if "ignore" in options:
                    rule_id, _, reason = options["ignore"].partition(":")
                    metadata = {"iacscan": {"ignore": [{"id": rule_id, "reason": reason}]}}
                column = raw.index("resource") + 1
                resources.append(
                    Resource(
                        id=words[1],
                        type=words[2],
                        location=Location(path, number, column),
                        name=Literal(options["name"]) if "name" in options else None,
                        name_property="Name" if "name" in options else None,
                        metadata=metadata,
                    )
                )
        return Project(
            root=str(worktree.root),
            platform="fake",
            resources=tuple(resources),
            problems=tuple(problems),
            files=tuple(files),
        )


class FixedName(Rule):
    """
    ## What it does
    Test rule: flags a resource whose name does not end in `-suffix`.

    ## Why is this bad
    It stands for a real rule in the plumbing tests.

    ## Example
    `resource Bucket AWS::S3::Bucket name=logs`

    ## Use instead
    `resource Bucket AWS::S3::Bucket name=logs-suffix`
    """

    id = "IAC990"
    name = "fixed-name"
    severity = Severity.ERROR
    summary = "test rule: a fixed resource name"
    tags = ("test",)
    security_severity = 5.0

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for resource in ctx.project.resources:
            if isinstance(resource.name, Literal) and not str(resource.name.value).endswith("-suffix"):
                yield self.finding(
                    f"Resource '{resource.id}' has the fixed name '{resource.name.value}'",
                    resource.location,
                    "append the environment suffix to the name",
                    resource=resource.id,
                    key=str(resource.name.value),
                )


class Warned(Rule):
    """
    ## What it does
    Test rule: a warning for every `AWS::SQS::Queue`.

    ## Why is this bad
    It stands for a warning-level rule in the plumbing tests.

    ## Example
    `resource Q AWS::SQS::Queue`

    ## Use instead
    Nothing; it is a test.
    """

    id = "IAC991"
    name = "queue-warning"
    severity = Severity.WARNING
    summary = "test rule: a queue"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for resource in ctx.project.of_type("AWS::SQS::Queue"):
            yield self.finding(f"Queue '{resource.id}'", resource.location, resource=resource.id)


FAKE_RULES: tuple[type[Rule], ...] = (FixedName, Warned)


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the engine, the CLI and the reporters see only the fake platform and rules (plus the
    engine's own IAC9xx rules, which every report documents)."""
    import analyzer.engine
    import analyzer.registry
    from analyzer.rules import iac900_internal_error as engine_rules

    builtin = tuple(
        value
        for value in vars(engine_rules).values()
        if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == engine_rules.__name__
    )
    rules = tuple(sorted((*FAKE_RULES, *builtin), key=lambda rule: rule.id))
    monkeypatch.setattr(analyzer.registry, "all_rules", lambda: rules)
    monkeypatch.setattr(analyzer.engine, "all_rules", lambda: rules)
    monkeypatch.setattr(analyzer.engine, "all_plugins", lambda: (FakePlugin(),))


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def worktree(tmp_path: Path) -> Path:
    """A fake-platform worktree with two IAC990 findings (lines 2 and 4) and one IAC991 (line 3)."""
    return write_tree(
        tmp_path / "wt",
        {
            "metadata.json": "{}\n",
            "stack.yml": (
                "# a fake stack\n"
                "resource Logs AWS::S3::Bucket name=logs\n"
                "resource Jobs AWS::SQS::Queue\n"
                "resource Table AWS::DynamoDB::Table name=table\n"
                "resource Ok AWS::S3::Bucket name=ok-suffix\n"
            ),
        },
    )


def make_result(root: Path, findings: Iterable[Finding], suppressed: Iterable[Finding] = ()) -> ScanResult:
    """A hand-built result (for reporter tests that need shapes the fake rules do not produce)."""
    resources = (
        Resource("Named", "AWS::S3::Bucket", Location("lib/a.py", 1), name=Literal("x")),
        Resource("Auto", "AWS::S3::Bucket", Location("lib/a.py", 2)),
    )
    project = Project(root=str(root), platform="fake", resources=resources)
    return ScanResult(
        root=root,
        worktrees=[root],
        projects=[ProjectResult(project, ResourceGraph(project))],
        findings=sorted(findings, key=Finding.sort_key),
        suppressed=list(suppressed),
        timings={"parse": 0.25, "rules": 0.5},
    )


def lines_of(text: str) -> Iterator[str]:
    yield from (line for line in text.splitlines() if line.strip())
