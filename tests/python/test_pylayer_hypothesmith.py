"""The whole layer (parse, resolve, evaluate) never raises on arbitrary valid Python."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings

from analyzer.plugin import Limits
from analyzer.python.evaluator import Evaluator
from analyzer.python.project import PythonProject


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_layer_never_raises(source: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "tap.py").write_text(source, encoding="utf-8")
        project = PythonProject(root, ["tap.py"], "tap.py")
        evaluator = Evaluator(project, limits=Limits(eval_steps=5_000), entry_point="tap.py")
        evaluator.run_module("tap.py")
        project.import_problems("tap.py")
