"""IAC006: give the reported static parameter entry ``apply_method="pending-reboot"`` (safe).

The finding points at one entry of a parameter group's ``parameters=[...]`` list (a
``...ParameterArgs(name=..., value=...)`` call or a ``{"name": ..., "value": ...}`` dict). The entry
is found again in the source by its line and its ``name``; an existing ``apply_method`` is replaced,
otherwise the keyword (or key) is added after the entry's last one, in the entry's own layout."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from analyzer.findings import Finding, Fix
from analyzer.fixes import python as py
from analyzer.fixes.context import FixContext, rewrite
from analyzer.model import Literal, Location, Resource, literal_of

APPLY_METHOD = "pending-reboot"


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    location = ctx.model_location(finding.location)
    group = ctx.resource(finding.resource)
    if location is None or group is None:
        return
    name = _entry_name(group, location)
    source = ctx.source(location)
    parsed = source.python() if source is not None and name is not None else None
    if parsed is None or source is None or name is None:
        return
    entries = [
        node
        for node in py.nodes_at(parsed, location.line, (cst.Call, cst.Dict))
        if py.literal_text(py.field_value(node, "name")) == name
    ]
    if len(entries) != 1:
        return  # not what the model saw (or ambiguous): no fix
    entry = entries[0]
    updated = _with_apply_method(entry)
    if updated is None:
        return
    new_text = py.replace(parsed, entry, updated)
    fix = (
        rewrite(source, new_text, f"set apply_method=\"{APPLY_METHOD}\" on '{name}'", True)
        if new_text
        else None
    )
    if fix is not None:
        yield fix


def _entry_name(group: Resource, location: Location) -> str | None:
    entries = group.prop("Parameters")
    if not isinstance(entries, Literal) or not isinstance(entries.value, tuple):
        return None
    for item in entries.value:
        if not isinstance(item, Literal) or not isinstance(item.value, dict):
            continue
        name_value = item.value.get("Name")
        where = item.location or (name_value.location if name_value is not None else None)
        name = literal_of(name_value)
        if (
            where is not None
            and (where.path, where.line) == (location.path, location.line)
            and isinstance(name, str)
        ):
            return name
    return None


def _with_apply_method(entry: cst.Call | cst.Dict) -> cst.CSTNode | None:
    name_node = py.field_value(entry, "name")
    value = py.string_node(APPLY_METHOD, py.quote_of(name_node))
    if isinstance(entry, cst.Call):
        if py.has_star(entry):
            return None
        existing = py.keyword(entry, "apply_method")
        if existing is not None:
            if py.literal_text(existing.value) == APPLY_METHOD:
                return None
            return entry.deep_replace(existing, existing.with_changes(value=value))
        return py.with_keywords(entry, [py.new_keyword("apply_method", value)])
    for element in entry.elements:
        if not isinstance(element, cst.DictElement):
            return None  # a **mapping: its keys are unknown
        if py.literal_text(element.key) == "apply_method":
            if py.literal_text(element.value) == APPLY_METHOD:
                return None
            return entry.deep_replace(element, element.with_changes(value=value))
    key = py.string_node("apply_method", py.quote_of(name_node))
    return py.with_elements(entry, [cst.DictElement(key, value)])
