"""Baselines: adopt iacscan on an existing repository and see only new findings.

``--write-baseline FILE`` records the fingerprint of every current finding; ``--baseline FILE``
hides findings whose fingerprint is recorded. A fingerprint (``Finding.fingerprint``) is built from
the rule, the file, the resource and what the finding is about, not from line numbers, so edits
elsewhere in a file keep it. Fingerprints are counted: if a baseline holds one finding with a given
fingerprint and the scan now has two, one of them is new."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.config import ConfigError
from analyzer.report.output import write_atomically

if TYPE_CHECKING:
    from analyzer.engine import ScanResult
    from analyzer.findings import Finding

FORMAT = "iacscan-baseline"
VERSION = 1


class BaselineError(ConfigError):
    """The baseline file is missing, corrupted or not an iacscan baseline (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Baseline:
    fingerprints: Counter[str]

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Baseline:
        return cls(Counter(finding.fingerprint for finding in findings))


def dumps(findings: Iterable[Finding], tool_version: str) -> str:
    """The baseline document; entries keep the rule, path and message so that a reviewer can read it."""
    entries = sorted(
        (
            {
                "fingerprint": finding.fingerprint,
                "rule_id": finding.rule_id,
                "path": finding.location.path,
                "message": finding.message,
            }
            for finding in findings
        ),
        key=lambda entry: (entry["path"], entry["rule_id"], entry["fingerprint"]),
    )
    document = {"format": FORMAT, "version": VERSION, "tool_version": tool_version, "findings": entries}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, findings: Iterable[Finding], tool_version: str) -> None:
    write_atomically(path, dumps(findings, tool_version))


def load(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: the baseline is not valid JSON: {error}") from None
    return parse(data, str(path))


def parse(data: Any, source: str = "baseline") -> Baseline:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f"{source}: not an iacscan baseline (write one with --write-baseline)")
    if type(data.get("version")) is not int or data.get("version") != VERSION:  # not True, not 1.0
        raise BaselineError(
            f"{source}: baseline version {data.get('version')!r} is not supported (expected {VERSION})"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{source}: 'findings' must be a list")
    fingerprints: Counter[str] = Counter()
    for number, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{source}: findings[{number}] has no fingerprint")
        fingerprints[fingerprint] += 1
    return Baseline(fingerprints)


def apply(result: ScanResult, baseline: Baseline) -> ScanResult:
    """Move findings recorded in the baseline from ``findings`` to ``suppressed``."""
    from analyzer.engine import BASELINE

    remaining = Counter(baseline.fingerprints)
    kept: list[Finding] = []
    hidden: list[Finding] = []
    for finding in result.findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            hidden.append(dataclasses.replace(finding, suppressed_by=BASELINE))
        else:
            kept.append(finding)
    updated: ScanResult = dataclasses.replace(result, findings=kept, suppressed=[*result.suppressed, *hidden])
    return updated
