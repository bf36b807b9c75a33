"""SARIF 2.1.0, the contract with GitHub code scanning and SARIF viewers.

What code scanning needs and this file provides: relative artifact URIs with ``uriBaseId``
``%SRCROOT%`` (declared in ``originalUriBaseIds``), ``partialFingerprints`` so alerts survive
unrelated edits, every rule with ``help.markdown`` (its reference page), ``properties.tags`` and
``security-severity`` for security rules; invocations say whether the analysis completed and list
the files that could not be read."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from analyzer.report.layout import (
    INFORMATION_URI,
    ReportOptions,
    SourceLines,
    base_of,
    path_prefix,
    rule_help_uri,
    rules_by_id,
    shown_dir,
    shown_path,
)

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.findings import Finding, Fix
    from analyzer.model import Location
    from analyzer.rules.base import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "iacscan/v1"
MAX_SNIPPET = 500
INTERNAL_ERROR = "IAC900"  # analyzer.engine.INTERNAL_ERROR; not imported, to keep this module light
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def render(result: ScanResult, options: ReportOptions) -> str:
    return json.dumps(document(result, options), indent=2, ensure_ascii=False) + "\n"


def document(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    prefix = path_prefix(result, options)
    source = SourceLines(result.root)  # for region snippets
    rules = list(rules_by_id().values())
    index = {rule.id: position for position, rule in enumerate(rules)}
    with_suffix, named = result.suffix_coverage()
    hidden = result.hidden_counts()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "iacscan",
                "version": result.version,
                "semanticVersion": result.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"uri": base_of(result, options).resolve().as_uri().rstrip("/") + "/"},
        },
        "invocations": [
            {
                "executionSuccessful": result.execution_successful,
                "toolExecutionNotifications": [
                    _notification(finding, prefix, index, source) for finding in result.notifications()
                ],
            }
        ],
        "columnKind": "unicodeCodePoints",
        # Code scanning rejects results without a location; an internal error concerns a whole
        # worktree, so it is reported only as a notification (the tool status page shows those).
        "results": [
            _result(finding, prefix, index, source)
            for finding in result.findings
            if finding.rule_id != INTERNAL_ERROR and finding.location.path != "."
        ],
        "properties": {
            "worktrees": [shown_dir(result, prefix, path) for path in result.worktrees],
            "namedResources": named,
            "namedResourcesWithEnvironmentSuffix": with_suffix,
            "suppressed": hidden["suppression"],
            "baselined": hidden["baseline"],
            "review": result.review().as_dict(),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    from analyzer.docs import rule_page

    properties: dict[str, Any] = {"tags": list(rule.tags)}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _sentence(rule.summary)},
        "fullDescription": {"text": _sentence(_plain(rule.full_description()))},
        "helpUri": rule_help_uri(rule.id),
        "help": {
            "text": _sentence(rule.summary) + f" See {rule_help_uri(rule.id)}",
            "markdown": rule_page(rule),
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity.label]},
        "properties": properties,
    }


def _result(finding: Finding, prefix: str, index: dict[str, int], source: SourceLines) -> dict[str, Any]:
    data: dict[str, Any] = {"ruleId": finding.rule_id}
    if finding.rule_id in index:
        data["ruleIndex"] = index[finding.rule_id]
    data["level"] = _LEVEL[finding.severity.label]
    data["message"] = {"text": _message(finding)}
    location = _physical(finding.location, prefix, source)
    if location is not None:
        data["locations"] = [{"physicalLocation": location}]
    related = []
    for number, item in enumerate(finding.related, start=1):
        physical = _physical(item.location, prefix, source)
        if physical is not None:
            related.append({"id": number, "physicalLocation": physical, "message": {"text": item.message}})
    if related:
        data["relatedLocations"] = related
    data["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.fixes:
        data["fixes"] = [_fix(fix, prefix) for fix in finding.fixes]
    properties: dict[str, Any] = {}
    if finding.resource:
        properties["resource"] = finding.resource
    if finding.fix_hint:
        properties["fixHint"] = finding.fix_hint
    if properties:
        data["properties"] = properties
    return data


def _notification(
    finding: Finding, prefix: str, index: dict[str, int], source: SourceLines
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "level": _LEVEL[finding.severity.label],
        "message": {"text": _sentence(finding.message)},
        "descriptor": {"id": finding.rule_id},
    }
    if finding.rule_id in index:
        data["associatedRule"] = {"id": finding.rule_id, "index": index[finding.rule_id]}
    location = _physical(finding.location, prefix, source)
    if location is not None:
        data["locations"] = [{"physicalLocation": location}]
    return data


def _physical(location: Location, prefix: str, source: SourceLines) -> dict[str, Any] | None:
    if location.path == "." and not prefix:
        return None  # the whole worktree: no artifact to point at
    uri = shown_path(prefix, location)
    region: dict[str, Any] = {"startLine": max(location.line, 1)}
    if location.column > 0:
        region["startColumn"] = location.column
    if location.end_line is not None and location.end_line >= region["startLine"]:
        region["endLine"] = location.end_line
    if location.end_column is not None and location.column > 0 and location.end_column > 0:
        same_line = region.get("endLine", region["startLine"]) == region["startLine"]
        if not same_line or location.end_column >= location.column:
            region["endColumn"] = location.end_column
    snippet = source.line(location)
    # A snippet is the region's exact text, so a huge line (minified JSON) is left out, not cut.
    if snippet is not None and snippet.strip() and len(snippet) <= MAX_SNIPPET:
        region["snippet"] = {"text": snippet}
    return {"artifactLocation": {"uri": _uri(uri), "uriBaseId": SRCROOT}, "region": region}


def _fix(fix: Fix, prefix: str) -> dict[str, Any]:
    by_file: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        by_file.setdefault(prefix + edit.path, []).append(
            {
                "deletedRegion": {
                    "startLine": edit.start_line,
                    "startColumn": edit.start_column,
                    "endLine": edit.end_line,
                    "endColumn": edit.end_column,
                },
                "insertedContent": {"text": edit.replacement},
            }
        )
    return {
        "description": {"text": _sentence(fix.description)},
        "artifactChanges": [
            {"artifactLocation": {"uri": _uri(path), "uriBaseId": SRCROOT}, "replacements": replacements}
            for path, replacements in by_file.items()
        ],
    }


def _message(finding: Finding) -> str:
    text = _sentence(finding.message)
    return f"{text} Fix: {_sentence(finding.fix_hint)}" if finding.fix_hint else text


def _sentence(text: str) -> str:
    # SARIF viewers (and the SARIF validator's SARIF2001) expect messages that end as sentences.
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _plain(markdown: str) -> str:
    return " ".join(markdown.split())


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
