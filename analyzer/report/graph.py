"""``iacscan graph``: the resource dependency graph as Mermaid, Graphviz DOT or JSON.

Nodes are resources, edges point from the dependent resource to its prerequisite and carry the
graph's edge kind (reference, depends_on, iam_grant, event_target, ...). Resources that have
findings are highlighted and list their rule ids, so a reviewer sees where the stack breaks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.report.layout import ReportOptions, one_line, path_prefix, shown_dir

if TYPE_CHECKING:
    from analyzer.engine import ProjectResult, ScanResult
    from analyzer.graph import Edge
    from analyzer.model import Resource

GRAPH_FORMATS = ("mermaid", "dot", "json")
# How each edge kind is drawn in Mermaid: plain references thin, orderings dotted, IAM thick.
_MERMAID_ARROW = {"reference": "-->", "depends_on": "-.->", "iam_grant": "==>", "passes_role": "==>"}


@dataclass(frozen=True, slots=True)
class _View:
    """One project's resources and edges, with the rule ids reported on each resource."""

    title: str
    resources: tuple[Resource, ...]
    edges: tuple[Edge, ...]
    flagged: dict[str, list[str]]


def render(result: ScanResult, options: ReportOptions, format_name: str) -> str:
    views = list(_views(result, options))
    if format_name == "json":
        return json.dumps([_json_view(view) for view in views], indent=2, ensure_ascii=False) + "\n"
    if format_name == "dot":
        return _dot(views)
    return mermaid(views)


def mermaid_of(result: ScanResult, options: ReportOptions) -> str:
    return mermaid(list(_views(result, options)))


def _views(result: ScanResult, options: ReportOptions) -> Iterator[_View]:
    prefix = path_prefix(result, options)
    for item in result.projects:
        title = f"{shown_dir(result, prefix, item.project.root)} ({item.project.platform})"
        yield _View(title, item.project.resources, tuple(_sorted_edges(item)), _flagged(result, item))


def _sorted_edges(item: ProjectResult) -> list[Edge]:
    return sorted(item.graph.edges(), key=lambda edge: (edge.source, edge.target, edge.kind.value, edge.path))


def _flagged(result: ScanResult, item: ProjectResult) -> dict[str, list[str]]:
    # Findings carry paths relative to the scan's root; this project's files sit under its prefix.
    relative = Path(item.project.root).resolve().relative_to(result.root).as_posix()
    prefix = "" if relative == "." else relative + "/"
    flagged: dict[str, list[str]] = {}
    for finding in result.findings:
        mine = finding.location.path.startswith(prefix) or finding.location.path == relative
        if mine and finding.resource and item.project.resource(finding.resource) is not None:
            rules = flagged.setdefault(finding.resource, [])
            if finding.rule_id not in rules:
                rules.append(finding.rule_id)
    return flagged


# -- Mermaid ------------------------------------------------------------------------------------


def mermaid(views: list[_View]) -> str:
    lines = ["flowchart LR", "  classDef finding fill:#fde2e2,stroke:#c62828,stroke-width:2px"]
    for number, view in enumerate(views):
        node = _node_ids(view, f"p{number}_")
        indent = "  "
        if len(views) > 1:
            lines.append(f'  subgraph p{number}["{_mermaid_text(view.title)}"]')
            indent = "    "
        for resource in view.resources:
            # Scanned names are escaped piece by piece; only the markup added here stays markup.
            label = f"{_mermaid_text(resource.id)}<br/><small>{_mermaid_text(resource.type)}</small>"
            if resource.id in view.flagged:
                label += "<br/><b>" + _mermaid_text(" ".join(view.flagged[resource.id])) + "</b>"
            lines.append(f'{indent}{node[resource.id]}["{label}"]')
        for edge in view.edges:
            arrow = _MERMAID_ARROW.get(edge.kind.value, "-->")
            lines.append(f"{indent}{node[edge.source]} {arrow}|{edge.kind.value}| {node[edge.target]}")
        flagged = [node[resource_id] for resource_id in view.flagged if resource_id in node]
        if flagged:
            lines.append(f"{indent}class {','.join(flagged)} finding")
        if len(views) > 1:
            lines.append("  end")
    return "\n".join(lines) + "\n"


def _node_ids(view: _View, prefix: str) -> dict[str, str]:
    # Resource ids hold "/", ".", spaces and braces; Mermaid ids must be plain words.
    return {resource.id: f"{prefix}n{index}" for index, resource in enumerate(view.resources)}


# Mermaid's entity codes (numeric, as its docs show): what would end or confuse a quoted label.
_MERMAID_ESCAPES = {
    '"': "#34;",
    "<": "#60;",
    ">": "#62;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "#": "#35;",
}


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes and markup characters as entity codes."""
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in one_line(text))


# -- DOT ----------------------------------------------------------------------------------------


def _dot(views: list[_View]) -> str:
    lines = [
        "digraph iacscan {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for number, view in enumerate(views):
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={_dot_string(view.title)};")
        node = _node_ids(view, f"p{number}_")
        for resource in view.resources:
            label = f"{resource.id}\n{resource.type}"
            attributes = ""
            if resource.id in view.flagged:
                label += "\n" + " ".join(view.flagged[resource.id])
                attributes = ', color="#c62828", style="rounded,filled", fillcolor="#fde2e2"'
            lines.append(f"    {node[resource.id]} [label={_dot_string(label)}{attributes}];")
        for edge in view.edges:
            style = ', style="dashed"' if edge.kind.value == "depends_on" else ""
            label = _dot_string(edge.kind.value)
            lines.append(f"    {node[edge.source]} -> {node[edge.target]} [label={label}{style}];")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    lines = (one_line(line).replace("\\", "\\\\").replace('"', '\\"') for line in text.split("\n"))
    return '"' + "\\n".join(lines) + '"'


# -- JSON ---------------------------------------------------------------------------------------


def _json_view(view: _View) -> dict[str, Any]:
    return {
        "project": view.title,
        "nodes": [
            {
                "id": resource.id,
                "type": resource.type,
                "location": str(resource.location),
                "findings": view.flagged.get(resource.id, []),
            }
            for resource in view.resources
        ],
        "edges": [
            {"source": edge.source, "target": edge.target, "kind": edge.kind.value, "via": edge.path}
            for edge in view.edges
        ],
    }
