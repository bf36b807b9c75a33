"""Every INVALID example of every rule: the fixes offered keep the sources valid, remove the
findings they fix, and a second pass changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.fixes import candidate_fixes, plan, write
from analyzer.registry import all_rules
from tests.fixes.helpers import assert_sources_valid, scan_dir, snapshot

CASES = [
    pytest.param(example, id=f"{rule.id}-{index}")
    for rule in all_rules()
    if rule.id in ("IAC001", "IAC002", "IAC003", "IAC004", "IAC005", "IAC006", "IAC021")
    for index, example in enumerate(rule.INVALID)
]


@pytest.mark.parametrize("example", CASES)
def test_fixes_of_invalid_examples(example: object, tmp_path: Path) -> None:
    example.materialize(tmp_path)  # type: ignore[attr-defined]
    before = scan_dir(tmp_path)
    offered = {finding.fingerprint for finding, _ in candidate_fixes(before)}
    for _ in range(3):
        written, refused = write(plan(scan_dir(tmp_path), unsafe=True))
        assert not refused
        if not written:
            break
    assert_sources_valid(tmp_path)
    remaining = {finding.fingerprint for finding in scan_dir(tmp_path).findings}
    assert not offered & remaining
    files = snapshot(tmp_path)
    assert not plan(scan_dir(tmp_path), unsafe=True).changes
    assert snapshot(tmp_path) == files
