"""Damaged sources: whatever the fix layer writes still parses or decodes, and it never raises."""

from __future__ import annotations

import ast
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.fixes import plan, write
from analyzer.fixes.sources import decode_template
from tests.fixes.helpers import scan_dir

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
FLAWED = sorted(path.name for path in SAMPLES.iterdir() if path.is_dir() and not path.name.endswith("-fixed"))


def _valid(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        try:
            ast.parse(text)
        except SyntaxError:
            return False
        return True
    return decode_template(text) is not None


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FLAWED), st.lists(st.integers(min_value=0, max_value=400), max_size=4), st.data())
def test_damaged_samples(name: str, dropped: list[int], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / name
        shutil.copytree(SAMPLES / name, root)
        sources = sorted(
            path
            for path in root.rglob("*")
            if path.suffix == ".py" or (path.parent.name == "lib" and path.name.startswith("TapStack"))
        )
        victim = data.draw(st.sampled_from(sources))
        lines = victim.read_text(encoding="utf-8").splitlines(keepends=True)
        victim.write_text(
            "".join(line for index, line in enumerate(lines) if index not in dropped), encoding="utf-8"
        )
        valid_before = {path: _valid(path) for path in sources}
        written, _ = write(plan(scan_dir(root), unsafe=True))
        for change in written:
            path = change.source.absolute
            assert _valid(path) or not valid_before[path], path
