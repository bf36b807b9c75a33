"""``cdk.out/*.template.json`` left by an earlier ``cdk synth``: merged into the source model.

Each synthesized resource carries its construct path in ``Metadata["aws:cdk:path"]``
(``TapStackdev/Storage/VideoBucket/Resource``). Stripping CDK's ``/Resource`` and ``/Default``
leaves the construct path, which is exactly the id the source model gives the construct; nested
stack resources (``X.NestedStack/X.NestedStackResource``) map to ``X.NestedStack``. So:

* a template resource whose path the source model already has adds nothing (the source model is
  what the user edits, and a finding is reported once, at the Python line);
* a template resource the source model lacks (what the tables do not model: a bucket's
  auto-delete custom resource, a VPC's subnets) is added under its construct path, located at the
  Python line of its nearest modelled ancestor construct, with its properties read by the
  CloudFormation plugin's evaluator (references map through the same path ids);
* a resource with no modelled ancestor (``CDKMetadata``, asset parameters, stale templates of
  stacks the code no longer defines) is left out and counted in the project facts.

The templates are never the only source: ``cdk synth`` is never run, and a stale ``cdk.out`` cannot
invent findings away from the code.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from analyzer.model import Location, ParseProblem, Resource
from analyzer.plugin import Worktree

_SUFFIXES = ("/Resource", "/Default")


def synthesized_templates(worktree: Worktree) -> list[str]:
    return [
        f
        for f in worktree.files
        if f.startswith("cdk.out/") and f.count("/") == 1 and f.endswith(".template.json")
    ]


def construct_path(raw: object) -> str | None:
    """``aws:cdk:path`` -> the source model's id for that construct."""
    if not isinstance(raw, str) or not raw:
        return None
    path = raw
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2].endswith(".NestedStack") and parts[-1].endswith(".NestedStackResource"):
        return "/".join(parts[:-1])
    for suffix in _SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def merge_synthesized(
    worktree: Worktree, resources: list[Resource]
) -> tuple[list[Resource], list[ParseProblem], dict[str, Any]]:
    """Resources the templates add to ``resources``; problems; facts about the merge."""
    templates = synthesized_templates(worktree)
    if not templates:
        return [], [], {}
    try:
        from plugins.cloudformation.decoding import decode_text
        from plugins.cloudformation.intrinsics import Evaluator, TemplateScope
        from plugins.cloudformation.resources import build_resources
    except ImportError:  # the CloudFormation plugin is optional here
        return [], [], {}
    known = {resource.id: resource for resource in resources}
    added: list[Resource] = []
    problems: list[ParseProblem] = []
    skipped = matched = 0
    for relative in sorted(templates):
        try:
            text = (Path(worktree.root) / relative).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            problems.append(
                ParseProblem(Location(relative, 1), "cannot read the synthesized template", "skipped")
            )
            continue
        decoded = decode_text(relative, text)
        template = decoded.template
        if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
            problems.extend(decoded.problems)
            continue
        ids: dict[str, str] = {}
        for logical, body in template["Resources"].items():
            metadata = body.get("Metadata") if isinstance(body, dict) else None
            path = construct_path(metadata.get("aws:cdk:path")) if isinstance(metadata, dict) else None
            ids[str(logical)] = path or f"{relative}#{logical}"
        scope = TemplateScope(relative, {}, ids, {}, worktree.limits)
        built = build_resources(
            decoded, Evaluator(scope), ids, Path(worktree.root), None, worktree.limits.max_resources
        )
        for resource in built.resources:
            if resource.id in known:
                matched += 1
                continue
            ancestor = _nearest(resource.id, known)
            if ancestor is None:
                skipped += 1
                continue
            moved = dataclasses.replace(
                resource,
                location=ancestor.location,
                property_locations={},
                component=ancestor.component,
                source_type=f"{relative}:{resource.type}",
                options={
                    **resource.options,
                    **(
                        {"StackName": ancestor.options["StackName"]}
                        if "StackName" in ancestor.options
                        else {}
                    ),
                },
            )
            known[resource.id] = moved
            added.append(moved)
    facts = {"templates": sorted(templates), "matched": matched, "added": len(added), "left_out": skipped}
    return added, problems, facts


def _nearest(resource_id: str, known: dict[str, Resource]) -> Resource | None:
    parts = resource_id.split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = known.get("/".join(parts))
        if candidate is not None:
            return candidate
    return None
