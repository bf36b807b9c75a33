"""Minimal text edits to CloudFormation templates at cfn-lint's decoder positions.

An edit touches only the characters it must, in the file's own style (JSON or YAML, block or flow,
quote style), and is checked by decoding the edited text again: the fix is offered only when the
new template decodes and differs from the old one exactly where intended."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from analyzer.findings import Edit
from analyzer.fixes.sources import Source, decode_template
from analyzer.fixes.text import apply_edits


def is_json(source: Source) -> bool:
    return source.text.lstrip().startswith("{")


def span(node: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((line, column), (end line, end column)) of a decoded node, 1-based, end exclusive."""
    start, end = getattr(node, "start_mark", None), getattr(node, "end_mark", None)
    if start is None or end is None:
        return None
    return (start.line + 1, start.column + 1), (end.line + 1, end.column + 1)


def resource_node(template: dict[str, Any], logical_id: str) -> tuple[Any, Any] | None:
    """(the key node, the resource mapping) of ``logical_id``."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return None
    for key, value in resources.items():
        if key == logical_id and isinstance(value, dict):
            return key, value
    return None


def key_node(mapping: dict[str, Any], name: str) -> Any:
    return next((key for key in mapping if key == name), None)


def line_text(source: Source, line: int) -> str:
    lines = source.text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def scalar(text: str, source: Source, like: str | None = None) -> str:
    """``text`` as a scalar of this file: a JSON string, or YAML in the quote style of ``like``."""
    if is_json(source):
        return json.dumps(text, ensure_ascii=False)
    like = re.sub(r"^!\w+\s+", "", like) if like else like  # `!Sub "x"`: the scalar's own quotes
    quote = like[:1] if like and like[:1] in ("'", '"') else None
    if quote == '"':
        return json.dumps(text, ensure_ascii=False)
    if quote is None and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./-]*", text):
        return text
    return "'" + text.replace("'", "''") + "'"


def checked_edit(
    source: Source, edit: Edit, expect: Callable[[dict[str, Any], dict[str, Any]], bool]
) -> Edit | None:
    """``edit`` if the edited template decodes and ``expect(old, new)`` holds, else None."""
    old = source.template()
    if old is None:
        return None
    try:
        new_text = apply_edits(source.text, [edit])
    except ValueError:
        return None
    new = decode_template(new_text)
    if new is None or not expect(old, new):
        return None
    return edit


def plain(value: Any) -> Any:
    """Decoded nodes as plain data (for comparisons)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def same_except(old: dict[str, Any], new: dict[str, Any], logical_id: str, *path: str) -> bool:
    """The two templates are equal except, possibly, at ``Resources.<id>.<path>``."""
    old_plain, new_plain = plain(old), plain(new)
    for template in (old_plain, new_plain):
        holder = template.get("Resources", {}).get(logical_id)
        for step in path[:-1]:
            holder = holder.get(step) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder.pop(path[-1], None)
    return old_plain == new_plain


def value_at(template: dict[str, Any], logical_id: str, *path: str) -> Any:
    holder: Any = template.get("Resources", {}).get(logical_id)
    for step in path:
        holder = holder.get(step) if isinstance(holder, dict) else None
    return plain(holder)


def insert_key(
    source: Source, mapping: dict[str, Any], key: str, value_text: str, before: str | None = None
) -> Edit | None:
    """An edit adding ``key: value_text`` to a decoded mapping, before its key ``before`` (else its
    first key): on a line of its own at the same indentation when that key starts its line (block
    YAML, pretty JSON), inline otherwise (flow YAML, compact JSON)."""
    anchor = key_node(mapping, before) if before else None
    anchor = anchor if anchor is not None else next(iter(mapping), None)
    where = span(anchor)
    if where is None:
        return None
    (line, column), _ = where
    indentation = line_text(source, line)[: column - 1]
    json_style = is_json(source)
    entry = f"{json.dumps(key)}: {value_text}" if json_style else f"{key}: {value_text}"
    if indentation.strip() == "":
        text = f"{entry},\n{indentation}" if json_style else f"{entry}\n{indentation}"
    else:
        text = f"{entry}, "
    return Edit(source.path, line, column, line, column, text)
