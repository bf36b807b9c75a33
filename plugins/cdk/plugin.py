"""The AWS CDK (Python) plugin: detection, the entry point, ``cdk.json`` context, and the run.

The app is read statically: the entry point (``cdk.json`` ``app``, else ``tap.py``/``app.py``) is
evaluated with the shared Python layer (:mod:`analyzer.python.evaluator`); :mod:`plugins.cdk.hooks`
turns every construct the code builds into the neutral model. Nothing is imported or executed and
``cdk synth`` is never run.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any, ClassVar

from analyzer.model import Location, ParseProblem, Project, SuffixInfo
from analyzer.plugin import Worktree

_FALLBACK_ENTRIES = ("tap.py", "app.py")


def read_cdk_json(worktree: Worktree) -> tuple[dict[str, Any] | None, ParseProblem | None]:
    if not worktree.has("cdk.json"):
        return None, None
    try:
        data = json.loads(worktree.path("cdk.json").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", 1)
        return None, ParseProblem(Location("cdk.json", line), f"cdk.json is not valid JSON: {error}")
    return (data if isinstance(data, dict) else None), None


def app_entry(app: object, worktree: Worktree) -> str | None:
    """The Python file a ``cdk.json`` ``app`` command runs (``python3 tap.py`` -> ``tap.py``)."""
    if not isinstance(app, str):
        return None
    try:
        tokens = shlex.split(app)
    except ValueError:
        tokens = app.split()
    for token in tokens:
        if token.endswith(".py"):
            relative = Path(token).as_posix().removeprefix("./")
            return relative if worktree.has(relative) else None
    return None


def _imports_cdk(worktree: Worktree, relative: str) -> bool:
    try:
        head = worktree.path(relative).read_bytes()[:65536]
    except OSError:
        return False
    return b"aws_cdk" in head


class CdkPlugin:
    name: ClassVar[str] = "cdk"

    def detect(self, worktree: Worktree) -> bool:
        config, _ = read_cdk_json(worktree)
        if config is not None and app_entry(config.get("app"), worktree):
            return True
        if worktree.has("Pulumi.yaml") or worktree.has("Pulumi.yml"):
            return False
        return any(worktree.has(name) and _imports_cdk(worktree, name) for name in _FALLBACK_ENTRIES)

    def parse(self, worktree: Worktree) -> Project:
        # The Python layer (libcst) is imported here, not with the module: detecting a worktree of
        # another platform must not pay for it.
        from analyzer.python.evaluator import Evaluator, iter_calls
        from analyzer.python.project import PythonProject
        from plugins.cdk.hooks import CdkHooks
        from plugins.cdk.synthesized import merge_synthesized

        config, problem = read_cdk_json(worktree)
        problems: list[ParseProblem] = [problem] if problem else []
        entry = app_entry((config or {}).get("app"), worktree)
        if entry is None:
            entry = next(
                (n for n in _FALLBACK_ENTRIES if worktree.has(n) and _imports_cdk(worktree, n)), None
            )
        context = (config or {}).get("context")
        context = context if isinstance(context, dict) else {}
        python = PythonProject(worktree.root, worktree.files, entry)
        hooks = CdkHooks(worktree.root, context, has_cdk_json=config is not None)
        evaluator = Evaluator(python, hooks, worktree.limits, worktree.suffix_names, entry)
        hooks.evaluator = evaluator
        if entry is not None:
            evaluator.run_module(entry)
        resources = hooks.builder.resources()
        added, synth_problems, synth_facts = merge_synthesized(worktree, resources)
        resources.extend(added)
        problems.extend(synth_problems)
        suffix_names = tuple(dict.fromkeys(name for name, _ in evaluator.suffix_reads))
        env_names = tuple(dict.fromkeys(name for name, _ in evaluator.env_name_reads))
        suffix = SuffixInfo(
            declared=bool(suffix_names),
            names=suffix_names,
            location=evaluator.suffix_reads[0][1] if evaluator.suffix_reads else None,
            env_name_only=env_names if not suffix_names else (),
        )
        metadata: dict[str, Any] = {}
        if worktree.has("metadata.json"):
            try:
                loaded = json.loads(worktree.path("metadata.json").read_text(encoding="utf-8-sig"))
                metadata = loaded if isinstance(loaded, dict) else {}
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                metadata = {}
        return Project(
            root=str(worktree.root),
            platform="cdk",
            entry_point=entry,
            resources=tuple(resources),
            parameters=hooks.context_values(),
            suffix=suffix,
            calls=tuple(iter_calls(evaluator)),
            import_problems=tuple(python.import_problems(entry)) if entry else (),
            attribute_problems=tuple(getattr(evaluator, "attribute_problems", {}).values()),
            problems=tuple([*problems, *python.problems, *evaluator.problems, *hooks.builder.problems]),
            files=tuple(sorted({*python.read, *(["cdk.json"] if config is not None else [])})),
            metadata=metadata,
            facts={
                "stacks": hooks.builder.stack_facts(),
                **({"cdk_out": synth_facts} if synth_facts else {}),
                **({"unknown_keywords": hooks.unknown_keywords} if hooks.unknown_keywords else {}),
                **({"lookups": hooks.lookups.facts} if hooks.lookups.facts else {}),
                **(
                    {"construct_errors": [*hooks.construct_errors, *hooks.builder.construct_errors]}
                    if hooks.construct_errors or hooks.builder.construct_errors
                    else {}
                ),
            },
        )
