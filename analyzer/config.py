"""Configuration: ``[tool.iacscan]`` in ``pyproject.toml`` or ``.iacscan.toml`` at the scanned root
(or ``--config FILE``), validated with jsonschema, merged with command-line options, frozen."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
        "severity-threshold": _SEVERITY,
        "report-unused-suppressions": {"type": "boolean"},
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
    severity_threshold: Severity | None = None  # findings below it are not reported
    report_unused_suppressions: bool = False
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

    def ignores(self, rule_id: str, rule_name: str = "") -> bool:
        """Is the rule listed in ``ignore`` (by id, id prefix or name)?"""
        return any(rule_id.startswith(p) or p == rule_name for p in self.ignore)

    def shows(self, severity: Severity) -> bool:
        """Is a finding of this severity reported at all (``severity-threshold``)?"""
        return self.severity_threshold is None or severity >= self.severity_threshold

    def fails(self, severity: Severity | None) -> bool:
        """Does a scan whose worst finding has this severity exit 1 (``fail-on``)?"""
        return severity is not None and self.fail_on is not None and severity >= self.fail_on


def load(root: Path, explicit: Path | None = None) -> Config:
    """The configuration for a scan rooted at ``root``; ``explicit`` is ``--config FILE``.

    Without ``--config``, the nearest ``.iacscan.toml`` or ``pyproject.toml`` with a
    ``[tool.iacscan]`` table is used, looking in ``root`` and then its parents up to the enclosing
    repository's root (the first directory holding ``.git``), the way ruff finds its settings."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        table = _read_table(explicit)
        return from_mapping(table, str(explicit))
    base = (root if root.is_dir() else root.parent).resolve()
    for directory in (base, *base.parents):
        dedicated = directory / ".iacscan.toml"
        if dedicated.is_file():
            return from_mapping(_read_table(dedicated), str(dedicated))
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            table = _read_table(pyproject)
            if table is not None:
                return from_mapping(table, str(pyproject))
        if (directory / ".git").exists():
            break  # settings above the repository belong to someone else
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
        table = tool.get("iacscan") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.iacscan] must be a table")
        return table
    return data


def from_mapping(table: Mapping[str, Any] | None, source: str | None = None) -> Config:
    import jsonschema  # lazily: `iacscan --version` must not pay for it

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
    threshold = table.get("severity-threshold")
    return Config(
        select=tuple(s.upper() if s.upper().startswith("IAC") else s for s in table.get("select", ())),
        ignore=tuple(s.upper() if s.upper().startswith("IAC") else s for s in table.get("ignore", ())),
        severity={k.upper(): Severity.parse(v) for k, v in table.get("severity", {}).items()},
        per_path_ignores={k: tuple(v) for k, v in table.get("per-path-ignores", {}).items()},
        exclude=tuple(table.get("exclude", ())),
        suffix_names=tuple(table.get("suffix-names", ())),
        fail_on=None if fail_on == "never" else Severity.parse(fail_on),
        severity_threshold=Severity.parse(threshold) if threshold else None,
        report_unused_suppressions=bool(table.get("report-unused-suppressions", False)),
        # Only the keys given: a slotted dataclass has no class-level defaults to read back.
        limits=Limits(**{key.replace("-", "_"): value for key, value in limits.items()}),
        rule_options={k.upper(): v for k, v in table.get("rules", {}).items()},
        source=source,
    )
