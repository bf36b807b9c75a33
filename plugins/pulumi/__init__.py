"""The Pulumi Python plugin: reads ``Pulumi.yaml``, the entry point and the modules it imports
into the neutral model, without running them (see docs/python-layer.md for the evaluator)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from analyzer.model import Location, ParseProblem, Project, SuffixInfo
from analyzer.plugin import Worktree
from plugins.pulumi.settings import PROJECT_FILES, read_settings

if TYPE_CHECKING:
    from analyzer.python.evaluator import Evaluator
    from analyzer.python.project import PythonProject

__all__ = ["PulumiPlugin"]


class PulumiPlugin:
    name: ClassVar[str] = "pulumi"

    def detect(self, worktree: Worktree) -> bool:
        for project_file in PROJECT_FILES:
            if worktree.has(project_file):
                settings = read_settings(worktree)
                return (settings.runtime or "").lower().startswith("python")
        if worktree.has("tap.py"):
            try:
                head = worktree.path("tap.py").read_bytes()[:200_000].decode("utf-8", "replace")
            except OSError:
                return False
            return any(
                line.strip().startswith(("import pulumi", "from pulumi")) for line in head.splitlines()
            )
        return False

    def parse(self, worktree: Worktree) -> Project:
        # The Python layer (libcst) is imported here, not with the module: detecting a worktree of
        # another platform must not pay for it.
        from analyzer.python.evaluator import Evaluator, iter_calls
        from analyzer.python.project import PythonProject
        from plugins.pulumi.hooks import PulumiHooks

        settings = read_settings(worktree)
        entry = settings.entry_point
        project = PythonProject(worktree.root, worktree.files, entry)
        hooks = PulumiHooks(settings, worktree)
        evaluator = Evaluator(project, hooks, worktree.limits, worktree.suffix_names, entry)
        problems: list[ParseProblem] = list(settings.problems)
        if settings.entry_missing is not None:
            problems.append(
                ParseProblem(
                    Location(settings.project_file or ".", 1),
                    f"Pulumi.yaml main '{settings.entry_missing}' does not exist",
                    "skipped",
                )
            )
        import_problems = []
        if entry is not None:
            try:
                evaluator.run_module(entry)
            except RecursionError:
                problems.append(
                    ParseProblem(
                        Location(entry, 1), "Python source nests too deeply to evaluate", kind="limit"
                    )
                )
            _run_detached_components(project, evaluator, entry)
            import_problems = project.import_problems(entry)
        problems += project.problems + evaluator.problems + hooks.problems
        return Project(
            root=str(worktree.root),
            platform=self.name,
            entry_point=entry,
            resources=tuple(hooks.resources),
            parameters=dict(sorted(hooks.parameters.items())),
            suffix=_suffix_info(evaluator),
            calls=tuple(iter_calls(evaluator)),
            import_problems=tuple(import_problems),
            attribute_problems=tuple(evaluator.attribute_problems.values()),
            problems=tuple(problems),
            files=tuple(dict.fromkeys([*settings.files, *project.read])),
            metadata=_metadata(worktree),
            facts={
                "project_name": settings.project_name,
                "stacks": sorted(settings.stacks),
                # A tap.py that Pulumi.yaml's main: does not name never runs (its calls are not checked).
                **(
                    {"unused_entry_points": ["tap.py"]}
                    if entry not in (None, "tap.py") and worktree.has("tap.py")
                    else {}
                ),
                **({"lambda_code_errors": hooks.code_errors} if hooks.code_errors else {}),
                **({"unknown_keywords": hooks.unknown_keywords} if hooks.unknown_keywords else {}),
                **({"lookups": hooks.lookups.facts} if hooks.lookups.facts else {}),
            },
        )


_COMPONENT_BASES = frozenset({"pulumi.ComponentResource", "pulumi.resource.ComponentResource"})


def _run_detached_components(project: PythonProject, evaluator: Evaluator, entry: str) -> None:
    """Components in imported worktree modules that the entry point never constructs (its call or
    import fails, or sits behind code the evaluator cannot follow) still describe resources: run
    their ``__init__`` with unknown arguments so the other rules see them."""
    import libcst as cst

    from analyzer.python.project import ClassRef, External

    for path in list(project.read):
        if path == entry:
            continue
        source = project.load(path)
        if source is None:
            continue
        for statement in source.module.body:
            if not isinstance(statement, cst.ClassDef) or id(statement) in evaluator.instantiated:
                continue
            cls = ClassRef(source, statement)
            bases = {item.qualname for item in evaluator.mro(cls) if isinstance(item, External)}
            if bases & _COMPONENT_BASES:
                evaluator.instantiate_detached(cls)


def _suffix_info(evaluator: Evaluator) -> SuffixInfo:
    names = tuple(dict.fromkeys(name for name, _ in evaluator.suffix_reads))
    env_names = tuple(dict.fromkeys(name for name, _ in evaluator.env_name_reads))
    location = evaluator.suffix_reads[0][1] if evaluator.suffix_reads else None
    return SuffixInfo(
        declared=bool(names), names=names, location=location, env_name_only=() if names else env_names
    )


def _metadata(worktree: Worktree) -> dict:
    import json

    if not worktree.has("metadata.json"):
        return {}
    try:
        data = json.loads(worktree.path("metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
