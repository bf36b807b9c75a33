"""Pulumi project settings: ``Pulumi.yaml`` (runtime, main, config defaults) and stack config files.

Read with ``yaml.safe_load`` only. The entry point is ``main:`` (a file, or a directory holding
``__main__.py``), else ``tap.py``. Stack files ``Pulumi.<stack>.yaml`` give config values: a key set
to the same value in every stack file is known; otherwise it is unknown (set at deploy time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from analyzer.model import Location, ParseProblem
from analyzer.plugin import Worktree

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


@dataclass(slots=True)
class PulumiSettings:
    project_file: str | None = None
    project_name: str | None = None
    runtime: str | None = None
    entry_point: str | None = None
    entry_missing: str | None = None  # main: names something that does not exist
    stacks: dict[str, dict[str, Any]] = field(default_factory=dict)  # stack -> {"ns:key": value}
    defaults: dict[str, Any] = field(default_factory=dict)  # Pulumi.yaml config defaults
    files: list[str] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)

    def config_values(self, key: str) -> tuple[list[Any], bool]:
        """Values of ``ns:key`` across stack files, and whether every stack (or a default) sets it."""
        values = [config[key] for config in self.stacks.values() if key in config]
        complete = bool(self.stacks) and len(values) == len(self.stacks)
        if not complete and key in self.defaults:
            values.append(self.defaults[key])
            complete = True
        return values, complete


def _load_yaml(worktree: Worktree, relative: str, settings: PulumiSettings) -> Any:
    try:
        text = worktree.path(relative).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        settings.problems.append(ParseProblem(Location(relative, 1), f"cannot read: {error}", "skipped"))
        return None
    settings.files.append(relative)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        settings.problems.append(ParseProblem(Location(relative, line), f"YAML syntax error: {error}"))
        return None


def read_settings(worktree: Worktree, default_entry: str = "tap.py") -> PulumiSettings:
    settings = PulumiSettings()
    for name in PROJECT_FILES:
        if worktree.has(name) or worktree.path(name).is_file():
            settings.project_file = name
            break
    data = _load_yaml(worktree, settings.project_file, settings) if settings.project_file else None
    main: str | None = None
    if isinstance(data, dict):
        settings.project_name = data.get("name") if isinstance(data.get("name"), str) else None
        runtime = data.get("runtime")
        if isinstance(runtime, dict):
            runtime = runtime.get("name")
        settings.runtime = runtime if isinstance(runtime, str) else None
        main = data.get("main") if isinstance(data.get("main"), str) else None
        _read_defaults(data.get("config"), settings)
    settings.entry_point = _entry_point(worktree, main, default_entry, settings)
    for relative in worktree.files:
        if "/" in relative or not relative.startswith("Pulumi.") or relative in PROJECT_FILES:
            continue
        if not relative.endswith((".yaml", ".yml")):
            continue
        stack = relative[len("Pulumi.") :].rsplit(".", 1)[0]
        stack_data = _load_yaml(worktree, relative, settings)
        config = stack_data.get("config") if isinstance(stack_data, dict) else None
        settings.stacks[stack] = {str(k): v for k, v in config.items()} if isinstance(config, dict) else {}
    return settings


def _read_defaults(config: Any, settings: PulumiSettings) -> None:
    if not isinstance(config, dict):
        return
    for key, value in config.items():
        full = str(key) if ":" in str(key) else f"{settings.project_name}:{key}"
        if isinstance(value, dict):
            if "default" in value:
                settings.defaults[full] = value["default"]
            elif "value" in value:
                settings.defaults[full] = value["value"]
        else:
            settings.defaults[full] = value


def _entry_point(worktree: Worktree, main: str | None, default: str, settings: PulumiSettings) -> str | None:
    if main:
        relative = main.strip().removeprefix("./").rstrip("/") or "."
        if relative.endswith(".py"):
            if worktree.has(relative):
                return relative
        else:
            candidate = "__main__.py" if relative == "." else f"{relative}/__main__.py"
            if worktree.has(candidate):
                return candidate
        settings.entry_missing = main
        return None
    if worktree.has(default):
        return default
    if worktree.has("__main__.py"):
        return "__main__.py"
    return None
