"""Configuration: ``[tool.iacscan]`` in ``pyproject.toml`` or ``.iacscan.toml`` at the scanned root
(or ``--config FILE``), validated with jsonschema, merged with command-line options, frozen."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jsonschema

from analyzer.findings import Severity
from analyzer.plugin import Limits


class ConfigError(Exception):
    """A user mistake in configuration or arguments: one line, exit code 2."""


_SEVERITY = {"enum": ["error", "warning", "note"]}
_RULE_IDS = {"type": "array", "items": {"type": "string", "pattern": "^(IAC\\d{0,3}|[a-z0-9-]+)$"}}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "iacscan configuration ([tool.iacscan] or .iacscan.toml)",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "select": _RULE_IDS,
        "ignore": _RULE_IDS,
        "severity": {"type": "object", "additionalProperties": _SEVERITY},
        "per-path-ignores": {"type": "object", "additionalProperties": _RULE_IDS},
        "exclude": {"type": "array", "items": {"type": "string"}},
        "suffix-names": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "fail-on": {"enum": ["error", "warning", "note", "never"]},
        "limits": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max-file-bytes": {"type": "integer", "minimum": 1},
                "max-files": {"type": "integer", "minimum": 1},
                "max-resources": {"type": "integer", "minimum": 1},
                "eval-depth": {"type": "integer", "minimum": 1},
                "eval-steps": {"type": "integer", "minimum": 1},
            },
        },
        "rules": {"type": "object", "additionalProperties": {"type": "object"}},
    },
}


@dataclass(frozen=True, slots=True)
class Config:
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_path_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    suffix_names: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.NOTE  # None: never fail
    limits: Limits = field(default_factory=Limits)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str | None = None  # the file it came from

    def rule_enabled(self, rule_id: str, rule_name: str = "") -> bool:
        def matches(patterns: tuple[str, ...]) -> bool:
            return any(rule_id.startswith(p) or p == rule_name for p in patterns)

        if self.select and not matches(self.select):
            return False
        return not matches(self.ignore)

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def load(root: Path, explicit: Path | None = None) -> Config:
    """The configuration for a scan rooted at ``root``; ``explicit`` is ``--config FILE``."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        table = _read_table(explicit)
        return from_mapping(table, str(explicit))
    base = root if root.is_dir() else root.parent
    dedicated = base / ".iacscan.toml"
    if dedicated.is_file():
        return from_mapping(_read_table(dedicated), str(dedicated))
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        table = _read_table(pyproject)
        if table is not None:
            return from_mapping(table, str(pyproject))
    return Config()


def _read_table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("iacscan") if isinstance(tool, dict) else None
    return data


def from_mapping(table: Mapping[str, Any] | None, source: str | None = None) -> Config:
    table = dict(table or {})
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(table), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        if error.validator == "additionalProperties":
            known = ", ".join(sorted(error.schema.get("properties", {}))) or "none"
            raise ConfigError(f"{source or 'config'}: {error.message} at {where} (known keys: {known})")
        raise ConfigError(f"{source or 'config'}: {where}: {error.message}")
    limits = table.get("limits", {})
    fail_on = table.get("fail-on", "note")
    return Config(
        select=tuple(s.upper() if s.upper().startswith("IAC") else s for s in table.get("select", ())),
        ignore=tuple(s.upper() if s.upper().startswith("IAC") else s for s in table.get("ignore", ())),
        severity={k.upper(): Severity.parse(v) for k, v in table.get("severity", {}).items()},
        per_path_ignores={k: tuple(v) for k, v in table.get("per-path-ignores", {}).items()},
        exclude=tuple(table.get("exclude", ())),
        suffix_names=tuple(table.get("suffix-names", ())),
        fail_on=None if fail_on == "never" else Severity.parse(fail_on),
        limits=Limits(
            max_file_bytes=limits.get("max-file-bytes", Limits.max_file_bytes),
            max_files=limits.get("max-files", Limits.max_files),
            max_resources=limits.get("max-resources", Limits.max_resources),
            eval_depth=limits.get("eval-depth", Limits.eval_depth),
            eval_steps=limits.get("eval-steps", Limits.eval_steps),
        ),
        rule_options={k.upper(): v for k, v in table.get("rules", {}).items()},
        source=source,
    )
