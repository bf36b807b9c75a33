"""``--fix`` / ``--unsafe-fixes`` / ``--diff``: the one call the CLI makes into the fix layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from analyzer.fixes import fix_until_stable, plan

if TYPE_CHECKING:
    from analyzer.baseline import Baseline
    from analyzer.engine import ScanResult


def fix_or_diff(
    result: ScanResult,
    rescan: Callable[[], ScanResult],
    *,
    apply: bool,
    unsafe: bool,
    note: Callable[[str], None] | None = None,
    baseline: Baseline | None = None,
    changed: dict[str, set[int] | None] | None = None,
) -> tuple[ScanResult, str | None]:
    """With ``apply``: fix, rescan, and return the new result (and None). Otherwise: the unified
    diff of the fixes of one pass, nothing written (the result is returned unchanged).

    With a ``baseline`` or ``changed`` lines (``--changed-since``), only the findings they leave
    reported are fixed: a pull request's ``--fix`` does not rewrite code it did not touch."""
    say = note or (lambda message: None)
    only = _reported(result, baseline, changed)
    if not apply:
        changes = plan(result, unsafe=unsafe, only=only)
        count = len(changes.fixed)
        say(
            f"would fix {_plural(count, 'finding')} in {_plural(len(changes.changes), 'file')}"
            + _hidden(result, unsafe)
        )
        return result, changes.diff()
    fixed, outcome = fix_until_stable(rescan, result, unsafe=unsafe, only=only)
    message = (
        f"fixed {_plural(len(outcome.fixed), 'finding')} in {_plural(len(outcome.files), 'file')}; "
        f"{_plural(len(fixed.findings), 'finding')} remain"
    )
    if outcome.refused:
        message += (
            f"; not written (changed since read, or not writable): {', '.join(sorted(outcome.refused))}"
        )
    say(message + _hidden(fixed, unsafe))
    return fixed, None


def _reported(
    result: ScanResult, baseline: Baseline | None, changed: dict[str, set[int] | None] | None
) -> frozenset[str] | None:
    """Fingerprints of the findings the report will show (they survive the later passes' line
    shifts, unlike line numbers); None: all of them."""
    if baseline is None and changed is None:
        return None
    if baseline is not None:
        from analyzer.baseline import apply

        result = apply(result, baseline)
    if changed is not None:
        from analyzer.changes import only_changed

        result = only_changed(result, changed)
    return frozenset(finding.fingerprint for finding in result.findings)


def _hidden(result: ScanResult, unsafe: bool) -> str:
    if unsafe:
        return ""
    from analyzer.fixes import candidate_fixes

    count = sum(1 for _, fix in candidate_fixes(result) if not fix.safe)
    return f" ({_plural(count, 'unsafe fix', 'unsafe fixes')} available with --unsafe-fixes)" if count else ""


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
