"""Fixes: turning findings into edits (``iacscan --fix``, ``--diff``, SARIF ``fixes``).

Design
------
Rules never open files, so a rule cannot compute a text edit. The fix layer is the codemod step
that runs *after* the rules, on a finished :class:`~analyzer.engine.ScanResult`:

1. Each finding is read back into the model it came from: its ``resource`` and ``location`` (both
   part of every finding's contract) name the resource, the call, the parameter entry or the name
   value in the project the plugin built. The rules stay untouched and keep no fix state.
2. A per-rule module (``analyzer/fixes/iac001.py`` ... ``iac006.py``, ``iac021.py``) decides what the fix is from
   that model (which arguments are missing, which dependencies to add, which suffix variable is in
   scope) and reads the source to turn it into a concrete edit: Python through libcst (parsed with
   :func:`analyzer.python.safeparse.parse_module`; the whole module is regenerated so formatting and
   comments are kept, then reduced to the smallest differing span), templates as minimal text edits
   at cfn-lint's decoder positions, each one re-decoded to check it changes only what it should.
   Before editing, a module checks that the source still says what the model says (the node at the
   finding's line has the expected value); otherwise it offers no fix.
3. :func:`plan` collects the fixes of one pass, drops any that overlap an earlier one (the next pass
   after a rescan picks them up, as ruff does), and records the content hash of every file it read.
   :func:`write` replaces each file atomically (temporary file + ``os.replace``) and refuses a file
   whose hash changed since it was read.

A fix is ``safe`` (``--fix`` applies it) or unsafe (needs ``--unsafe-fixes``: it needs the user's
input, such as config values, or changes behaviour). Fixes are idempotent: a fixed finding
disappears on the rescan, and every module checks that its change is not already there.
:func:`attach` puts the concrete edits on the findings (``Finding.fixes``) for the SARIF report.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from analyzer.findings import Edit, Finding, Fix
from analyzer.fixes.context import FixContext
from analyzer.fixes.sources import Source, Sources
from analyzer.fixes.text import apply_edits, overlaps, span_of, write_atomically

if TYPE_CHECKING:
    from analyzer.engine import ScanResult

# rule id -> module under analyzer.fixes defining ``fixes(finding, ctx) -> Iterable[Fix]``
FIXERS: dict[str, str] = {
    "IAC001": "iac001",
    "IAC002": "iac002",
    "IAC003": "iac003",
    "IAC004": "iac004",
    "IAC005": "iac005",
    "IAC006": "iac006",
    "IAC021": "iac021",
}
MAX_PASSES = 8  # --fix rescans and fixes again until nothing changes, at most this often


@dataclass(slots=True)
class FileChange:
    source: Source
    new_text: str
    fixes: list[tuple[Finding, Fix]] = field(default_factory=list)

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.source.text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            fromfile=f"a/{self.source.path}",
            tofile=f"b/{self.source.path}",
        )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
        )


@dataclass(slots=True)
class Plan:
    changes: list[FileChange] = field(default_factory=list)

    @property
    def fixed(self) -> list[Finding]:
        return [finding for change in self.changes for finding, _ in change.fixes]

    def diff(self) -> str:
        return "".join(change.diff() for change in self.changes)


@dataclass(slots=True)
class Outcome:
    """What ``--fix`` did over all passes."""

    fixed: list[Finding] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)  # changed since read: not written
    passes: int = 0


def candidate_fixes(result: ScanResult, sources: Sources | None = None) -> list[tuple[Finding, Fix]]:
    """Every fix the fix modules offer for the result's findings (safe and unsafe), in report order."""
    sources = sources or Sources(result.root)
    contexts = _contexts(result, sources)
    offered: list[tuple[Finding, Fix]] = []
    for finding in result.findings:
        module_name = FIXERS.get(finding.rule_id)
        if module_name is None:
            continue
        module = _module(module_name)
        for ctx in _contexts_for(finding, contexts):
            try:
                produced = list(module.fixes(finding, ctx))
            except Exception:  # a fix is optional: a bug here must never cost the report
                produced = []
            if produced:
                offered.extend((finding, fix) for fix in produced)
                break
    return offered


def attach(result: ScanResult) -> ScanResult:
    """The result with each finding's offered fixes as concrete edits (``Finding.fixes``)."""
    by_finding: dict[int, list[Fix]] = {}
    for finding, fix in candidate_fixes(result):
        if not fix.safe:  # SARIF has no field for it: say it where viewers show the fix
            fix = dataclasses.replace(
                fix, description=f"Unsafe fix (review before applying): {fix.description}"
            )
        by_finding.setdefault(id(finding), []).append(fix)
    findings = [
        dataclasses.replace(finding, fixes=finding.fixes + tuple(by_finding[id(finding)]))
        if id(finding) in by_finding
        else finding
        for finding in result.findings
    ]
    return dataclasses.replace(result, findings=findings)


def plan(result: ScanResult, *, unsafe: bool = False, only: Set[str] | None = None) -> Plan:
    """The edits of one pass: each applicable fix whose edits overlap no fix taken before it.
    ``only``: fix just the findings with these fingerprints (those a baseline or
    ``--changed-since`` leaves reported)."""
    if only is not None:
        result = dataclasses.replace(result, findings=[f for f in result.findings if f.fingerprint in only])
    sources = Sources(result.root)
    taken: dict[str, list[tuple[int, int]]] = {}
    accepted: list[tuple[Finding, Fix]] = []
    same: dict[tuple[Edit, ...], Fix] = {}  # one edit fixing several findings (a loop) is made once
    for finding, fix in candidate_fixes(result, sources):
        if not fix.safe and not unsafe:
            continue
        if fix.edits in same:
            accepted.append((finding, same[fix.edits]))
            continue
        spans = _spans(fix, sources)
        if spans is None or any(
            overlaps(span, other) for path, span in spans for other in taken.get(path, ())
        ):
            continue
        for path, span in spans:
            taken.setdefault(path, []).append(span)
        accepted.append((finding, fix))
        same[fix.edits] = fix
    changes: dict[str, FileChange] = {}
    for finding, fix in accepted:
        for edit in fix.edits:
            source = sources.get(edit.path)
            assert source is not None  # _spans checked it
            change = changes.setdefault(edit.path, FileChange(source, source.text))
            if not change.fixes or change.fixes[-1] != (finding, fix):
                change.fixes.append((finding, fix))
    for path, change in changes.items():
        unique = {id(fix): fix for _, fix in change.fixes}.values()
        edits = [edit for fix in unique for edit in fix.edits if edit.path == path]
        change.new_text = apply_edits(change.source.text, edits)
    return Plan([change for change in changes.values() if change.new_text != change.source.text])


def write(change_plan: Plan) -> tuple[list[FileChange], list[FileChange]]:
    """Write every change atomically; returns (written, refused: the file changed since it was read,
    or could not be written)."""
    written, refused = [], []
    for change in change_plan.changes:
        source = change.source
        try:
            done = write_atomically(source.absolute, source.encoded(change.new_text), source.digest)
        except OSError:  # read-only file or directory, full disk: that file stays as it was
            done = False
        if done:
            written.append(change)
        else:
            refused.append(change)
    return written, refused


def fix_until_stable(
    rescan: Callable[[], ScanResult],
    result: ScanResult,
    *,
    unsafe: bool = False,
    only: Set[str] | None = None,
) -> tuple[ScanResult, Outcome]:
    """``--fix``: plan, write, rescan, until a pass changes nothing; returns the last scan."""
    outcome = Outcome()
    for _ in range(MAX_PASSES):
        current = plan(result, unsafe=unsafe, only=only)
        if not current.changes:
            break
        written, refused = write(current)
        outcome.passes += 1
        outcome.refused.update(change.source.path for change in refused)
        for change in written:
            outcome.files.add(change.source.path)
            outcome.fixed.extend(finding for finding, _ in change.fixes)
        if not written:
            break
        result = rescan()
    return result, outcome


def _module(name: str) -> ModuleType:
    # Constant names of our own modules (no dynamic import), loaded on first use: libcst and
    # cfn-lint stay unloaded for a scan that fixes nothing.
    from analyzer.fixes import iac001, iac002, iac003, iac004, iac005, iac006, iac021

    modules = {"iac001": iac001, "iac002": iac002, "iac003": iac003, "iac004": iac004, "iac005": iac005}
    modules["iac006"] = iac006
    modules["iac021"] = iac021
    return modules[name]


# -- helpers ----------------------------------------------------------------------------------------


def _spans(fix: Fix, sources: Sources) -> list[tuple[str, tuple[int, int]]] | None:
    spans: list[tuple[str, tuple[int, int]]] = []
    for edit in fix.edits:
        source = sources.get(edit.path)
        if source is None:
            return None
        try:
            spans.append((edit.path, span_of(source.index, edit)))
        except ValueError:
            return None
    for index, (path, span) in enumerate(spans):  # a fix whose own edits collide is not applied
        if any(path == other_path and overlaps(span, other) for other_path, other in spans[index + 1 :]):
            return None
    return spans


def _contexts(result: ScanResult, sources: Sources) -> list[FixContext]:
    contexts = []
    for item in result.projects:
        try:
            relative = Path(item.project.root).resolve().relative_to(result.root).as_posix()
        except ValueError:
            continue
        prefix = "" if relative == "." else relative + "/"
        contexts.append(FixContext(item.project, item.graph, sources, prefix))
    return contexts


def _contexts_for(finding: Finding, contexts: Iterable[FixContext]) -> list[FixContext]:
    """The projects a finding may come from, the deepest worktree first."""
    matching = [ctx for ctx in contexts if finding.location.path.startswith(ctx.prefix)]
    return sorted(matching, key=lambda ctx: len(ctx.prefix), reverse=True)


__all__ = ["FIXERS", "Outcome", "Plan", "attach", "candidate_fixes", "fix_until_stable", "plan", "write"]
