"""`iacscan model`: the neutral model as JSON-able data (and the basis of model snapshot tests)."""

from __future__ import annotations

from typing import Any

from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value, render


def origin_names(origin: Origin) -> list[str]:
    return [flag.name.lower() for flag in Origin if flag and flag in origin and flag.name]


def value_data(value: Value | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, tuple):
            return [value_data(item) for item in inner]
        if isinstance(inner, dict):
            return {key: value_data(item) for key, item in inner.items()}
        return inner
    if isinstance(value, Ref):
        return {"ref": value.resource, **({"attribute": value.attribute} if value.attribute else {})}
    if isinstance(value, Unknown):
        return {"unknown": value.reason, **({"expr": value.hint} if value.hint else {})}
    assert isinstance(value, Concat)
    return {"concat": render(value), "origin": origin_names(value.origin)}


def location_text(location: Location | None) -> str | None:
    return str(location) if location else None


def resource_data(resource: Resource, graph: ResourceGraph | None) -> dict[str, Any]:
    name: dict[str, Any] | str
    if resource.name is None:
        name = "auto-named"
    else:
        name = {
            "value": render(resource.name),
            "property": resource.name_property,
            "origin": origin_names(resource.name.origin),
            "per_deployment": resource.name.origin.per_deployment,
        }
    data: dict[str, Any] = {
        "id": resource.id,
        "type": resource.type,
        "source_type": resource.source_type,
        "location": location_text(resource.location),
        "name": name,
        "properties": {key: value_data(value) for key, value in sorted(resource.properties.items())},
    }
    if resource.depends_on:
        data["depends_on"] = [dep.target for dep in resource.depends_on]
    if resource.options:
        data["options"] = {key: value_data(value) for key, value in sorted(resource.options.items())}
    if resource.component:
        data["component"] = resource.component
    if resource.code is not None:
        data["code"] = {
            "language": resource.code.language,
            "source": location_text(resource.code.source),
            "handler_found": resource.code.handler_found,
            "sdk_calls": [f"{call.service}:{call.operation}" for call in resource.code.sdk_calls],
        }
    if graph is not None:
        edges = sorted(
            {(edge.kind.value, edge.target, edge.path) for edge in graph.edges(source=resource.id)}
        )
        if edges:
            data["edges"] = [{"kind": kind, "to": target, "via": path} for kind, target, path in edges]
    return data


def project_data(project: Project, graph: ResourceGraph | None = None) -> dict[str, Any]:
    return {
        "platform": project.platform,
        "entry_point": project.entry_point,
        "suffix": {
            "declared": project.suffix.declared,
            "names": list(project.suffix.names),
            "location": location_text(project.suffix.location),
        },
        "parameters": {key: value_data(value) for key, value in sorted(project.parameters.items())},
        "resources": [resource_data(resource, graph) for resource in project.resources],
        "calls": [
            {
                "callee": call.callee,
                "location": location_text(call.location),
                "missing": list(call.missing),
                "unexpected": list(call.unexpected),
                "too_many_positional": call.too_many_positional,
                "duplicates": list(call.duplicates),
                "certain": call.certain,
            }
            for call in project.calls
        ],
        "import_problems": [
            {"module": p.module, "name": p.name, "location": location_text(p.location)}
            for p in project.import_problems
        ],
        "problems": [{"location": location_text(p.location), "message": p.message} for p in project.problems],
        "coverage": _coverage(project),
    }


def _coverage(project: Project) -> dict[str, int]:
    # One computation of the figure, shared with the reports (ScanResult.suffix_coverage) and IAC002.
    from analyzer.rules.iac002_missing_environment_suffix import suffix_coverage

    figures = suffix_coverage(project)
    return {
        "named_resources": figures.named,
        "with_suffix": figures.with_suffix,
        "env_name_only": figures.env_name_only,
        "fixed": figures.fixed,
        "unknown": figures.unknown,
    }
