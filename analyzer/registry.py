"""Rules and plugins are found through entry points (``iacscan.rules``, ``iacscan.plugins``), so a
third-party package adds either without touching the core. The built-in ones are listed in this
package's own ``pyproject.toml``; when iacscan runs from a source tree that is not installed, the
built-in modules are found by name instead."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING

from analyzer.plugin import Plugin
from analyzer.rules.base import Rule

if TYPE_CHECKING:
    from importlib.metadata import EntryPoints

_BUILTIN_PLUGINS = {
    "pulumi": "plugins.pulumi:PulumiPlugin",
    "cdk": "plugins.cdk:CdkPlugin",
    "cloudformation": "plugins.cloudformation:CloudFormationPlugin",
}


def entry_points(group: str) -> EntryPoints:
    # importlib.metadata (and the email package it loads) is imported only when rules or plugins
    # are listed: a cached scan needs neither.
    from importlib.metadata import entry_points as installed

    return installed(group=group)


def _load(spec: str) -> type:
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


@cache
def all_rules() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    import analyzer.rules as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("iac") and info.name[3:6].isdigit():
            module = importlib.import_module(f"analyzer.rules.{info.name}")
            for value in vars(module).values():
                own_rule = isinstance(value, type) and issubclass(value, Rule) and value is not Rule
                if own_rule and getattr(value, "id", None) and value.__module__ == module.__name__:
                    found.setdefault(value.id, value)
    # Third-party rules come second: one cannot replace a built-in rule by taking its id, and a
    # broken one is skipped rather than taking the whole tool down.
    for entry in entry_points(group="iacscan.rules"):
        try:
            rule = entry.load()
        except Exception:
            continue
        if isinstance(rule, type) and issubclass(rule, Rule) and getattr(rule, "id", None):
            found.setdefault(rule.id, rule)
    return tuple(found[rule_id] for rule_id in sorted(found))


def rule_by_id(rule_id: str) -> type[Rule] | None:
    wanted = rule_id.strip().upper()
    for rule in all_rules():
        if rule.id == wanted or rule.name == rule_id.strip().lower():
            return rule
    return None


@cache
def all_plugins() -> tuple[Plugin, ...]:
    specs = {entry.name: entry.value for entry in entry_points(group="iacscan.plugins")}
    specs.update(_BUILTIN_PLUGINS)  # a third-party plugin cannot take a built-in platform's name
    plugins: list[Plugin] = []
    for name in sorted(specs, key=_plugin_order):
        if name in _BUILTIN_PLUGINS:
            plugins.append(_load(specs[name])())  # a broken built-in is our bug: fail loudly
            continue
        try:
            plugins.append(_load(specs[name])())
        except Exception:
            continue  # broken third-party code is skipped
    return tuple(plugins)


def _plugin_order(name: str) -> tuple[int, str]:
    # Python platforms first: a CDK worktree's cdk.out templates are the CDK plugin's to map back.
    return ({"pulumi": 0, "cdk": 1, "cloudformation": 2}.get(name, 3), name)
