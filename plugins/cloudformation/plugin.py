"""The CloudFormation plugin: JSON and YAML templates of a worktree into one ``Project``.

Pipeline per worktree: find candidate files (``templates.candidate_files``), sniff and decode them
with cfn-lint's decoder, keep the deployed template of each group of twins, read parameters,
evaluate every resource's properties symbolically, and record facts (twins, drift, transforms).
Nothing is executed; a file that does not decode becomes a ``ParseProblem`` and the others are
still read.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from analyzer.model import (
    Concat,
    Literal,
    Location,
    ParseProblem,
    Project,
    Ref,
    Resource,
    SuffixInfo,
    Unknown,
    Value,
)
from analyzer.plugin import Worktree
from plugins.cloudformation.decoding import Decoded, decode_text, location, plain
from plugins.cloudformation.intrinsics import Evaluator, TemplateScope
from plugins.cloudformation.parameters import ParameterInfo, read_parameters
from plugins.cloudformation.resources import CodeAnalyzer, build_resources
from plugins.cloudformation.templates import (
    MAIN_TEMPLATES,
    SNIFF_BYTES,
    candidate_files,
    is_template,
    looks_like_template,
    script_text,
    select,
)


def _code_analyzer() -> CodeAnalyzer | None:
    # The Python layer is optional for this plugin (a trimmed install, a broken import): without
    # it, functions simply carry no code facts. It is imported by the first function that has code
    # to read: libcst takes ~0.2 s to import and most templates have no inline code.
    def analyze(*args: Any, **kwargs: Any) -> Any:
        try:
            from analyzer.python.lambda_code import analyze_function_code
        except ImportError:
            return None
        return analyze_function_code(*args, **kwargs)

    return analyze


class CloudFormationPlugin:
    name: ClassVar[str] = "cloudformation"

    def detect(self, worktree: Worktree) -> bool:
        for relative in candidate_files(worktree):
            if relative in MAIN_TEMPLATES:
                return True
            head = _head(worktree, relative)
            if head is not None and looks_like_template(head):
                return True
        return False

    def parse(self, worktree: Worktree) -> Project:
        decoded_templates, problems, files = _decode_templates(worktree)
        metadata = _metadata(worktree)
        if metadata is not None:
            files.append("metadata.json")
        selection = select(
            decoded_templates, metadata or {}, script_text(worktree, lambda p: _read(worktree, p))
        )

        code_analyzer = _code_analyzer()
        resources: list[Resource] = []
        parameters: dict[str, Value] = {}
        parameter_infos: list[ParameterInfo] = []
        taken: set[str] = set()
        transforms: dict[str, Any] = {}
        allowed: dict[str, list[Any]] = {}
        exports: list[dict[str, Any]] = []
        for decoded in selection.analysed:
            template = decoded.template or {}
            infos = read_parameters(decoded.path, template.get("Parameters"), worktree.suffix_names)
            parameter_infos.extend(infos.values())
            for name, info in infos.items():
                parameters.setdefault(name, info.value)
                if info.allowed_values:
                    allowed.setdefault(name, list(info.allowed_values))
            ids = _project_ids(decoded, taken)
            mappings = template.get("Mappings")
            scope = TemplateScope(
                decoded.path,
                {name: info.value for name, info in infos.items()},
                ids,
                mappings if isinstance(mappings, dict) else {},
                worktree.limits,
            )
            evaluator = Evaluator(scope)
            remaining = max(worktree.limits.max_resources - len(resources), 0)
            built = build_resources(decoded, evaluator, ids, worktree.root, code_analyzer, remaining)
            resources.extend(built.resources)
            problems.extend(built.problems)
            if evaluator.exhausted:
                problems.append(
                    ParseProblem(
                        Location(decoded.path, 1),
                        "evaluation budget exhausted; some values "
                        "are left unknown (raise [tool.iacscan.limits] eval-steps)",
                        kind="limit",
                    )
                )
            if "Transform" in template:
                transforms[decoded.path] = plain(template["Transform"])
            exports.extend(_exports(decoded, evaluator))

        suffix_params = [info for info in parameter_infos if info.is_suffix]
        env_params = [info for info in parameter_infos if info.is_env_name]
        suffix = SuffixInfo(
            declared=bool(suffix_params),
            names=tuple(dict.fromkeys(info.name for info in suffix_params)),
            location=suffix_params[0].location if suffix_params else None,
            env_name_only=tuple(dict.fromkeys(info.name for info in env_params)),
        )
        facts: dict[str, Any] = {
            "templates": [decoded.path for decoded in selection.analysed],
            "twins": [twin.as_fact() for twin in selection.twins],
        }
        if allowed:
            facts["parameter_allowed_values"] = allowed
        if transforms:
            facts["transforms"] = transforms
        if exports:
            facts["exports"] = exports
        entry = selection.analysed[0].path if selection.analysed else None
        return Project(
            root=str(worktree.root),
            platform=self.name,
            entry_point=entry,
            resources=tuple(resources),
            parameters=parameters,
            suffix=suffix,
            problems=tuple(problems),
            files=tuple(files),
            metadata=metadata or {},
            facts=facts,
        )


def _decode_templates(worktree: Worktree) -> tuple[list[Decoded], list[ParseProblem], list[str]]:
    """Every candidate file that looks like a template, decoded; what could not be read or decoded
    becomes a problem."""
    problems: list[ParseProblem] = []
    decoded_templates: list[Decoded] = []
    files: list[str] = []
    for relative in candidate_files(worktree):
        if _too_large(worktree, relative):
            limit = worktree.limits.max_file_bytes
            message = f"file is over the {limit:,}-byte limit; not analysed"
            problems.append(ParseProblem(Location(relative, 1), message, kind="limit"))
            continue
        main = relative in MAIN_TEMPLATES
        if not main:
            head = _head(worktree, relative)
            if head is None or not looks_like_template(head):
                continue
        text = _read(worktree, relative)
        if text is None:
            message = "cannot read the file as UTF-8 text"
            problems.append(ParseProblem(Location(relative, 1), message, kind="skipped"))
            continue
        decoded = decode_text(relative, text)
        files.append(relative)
        if decoded.template is None:
            problems.extend(decoded.problems)
        elif main or is_template(decoded):
            decoded_templates.append(decoded)
    return decoded_templates, problems, files


def _exports(decoded: Decoded, evaluator: Evaluator) -> list[dict[str, Any]]:
    """``Outputs[*].Export.Name`` values: export names are unique per account and region, so a
    fixed one collides on the second deployment just like a fixed physical name."""
    outputs = (decoded.template or {}).get("Outputs")
    if not isinstance(outputs, dict):
        return []
    found: list[dict[str, Any]] = []
    for key, body in outputs.items():
        export = body.get("Export") if isinstance(body, dict) else None
        if not isinstance(export, dict) or "Name" not in export:
            continue
        name = evaluator.value(export["Name"], 1)
        if isinstance(name, (Literal, Ref, Unknown, Concat)):
            where = location(decoded.path, key) or Location(decoded.path, 1)
            found.append({"output": str(key), "name": name, "location": where})
    return found


def _project_ids(decoded: Decoded, taken: set[str]) -> dict[str, str]:
    """Logical id -> project id: the logical id, or ``<template stem>/<id>`` when another analysed
    template already uses it (two stacks in one worktree)."""
    section = (decoded.template or {}).get("Resources")
    ids: dict[str, str] = {}
    if not isinstance(section, dict):
        return ids
    stem = PurePosixPath(decoded.path).stem
    for key in section:
        logical = str(key)
        project_id = logical if logical not in taken else f"{stem}/{logical}"
        taken.add(project_id)
        ids[logical] = project_id
    return ids


def _too_large(worktree: Worktree, relative: str) -> bool:
    try:
        return worktree.path(relative).stat().st_size > worktree.limits.max_file_bytes
    except OSError:
        return False


def _head(worktree: Worktree, relative: str) -> str | None:
    """The file's first 64 KB (enough to sniff), without reading the rest."""
    try:
        with worktree.path(relative).open("rb") as handle:
            return handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def _read(worktree: Worktree, relative: str) -> str | None:
    path: Path = worktree.path(relative)
    try:
        if path.stat().st_size > worktree.limits.max_file_bytes:
            return None
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _metadata(worktree: Worktree) -> dict[str, Any] | None:
    if not worktree.has("metadata.json"):
        return None
    text = _read(worktree, "metadata.json")
    if text is None:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
