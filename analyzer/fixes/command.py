"""``--fix`` / ``--unsafe-fixes`` / ``--diff``: the one call the CLI makes into the fix layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from analyzer.fixes import fix_until_stable, plan

if TYPE_CHECKING:
    from analyzer.engine import ScanResult


def fix_or_diff(
    result: ScanResult,
    rescan: Callable[[], ScanResult],
    *,
    apply: bool,
    unsafe: bool,
    note: Callable[[str], None] | None = None,
) -> tuple[ScanResult, str | None]:
    """With ``apply``: fix, rescan, and return the new result (and None). Otherwise: the unified
    diff of the fixes of one pass, nothing written (the result is returned unchanged)."""
    say = note or (lambda message: None)
    if not apply:
        changes = plan(result, unsafe=unsafe)
        count = len(changes.fixed)
        say(
            f"would fix {_plural(count, 'finding')} in {_plural(len(changes.changes), 'file')}"
            + _hidden(result, unsafe)
        )
        return result, changes.diff()
    fixed, outcome = fix_until_stable(rescan, result, unsafe=unsafe)
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


def _hidden(result: ScanResult, unsafe: bool) -> str:
    if unsafe:
        return ""
    from analyzer.fixes import candidate_fixes

    count = sum(1 for _, fix in candidate_fixes(result) if not fix.safe)
    return f" ({_plural(count, 'unsafe fix', 'unsafe fixes')} available with --unsafe-fixes)" if count else ""


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
