"""Parsing: line numbers, and bad input never raises."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from py_helpers import evaluate

from analyzer.model import Literal, ParseProblem, Unknown
from analyzer.plugin import Limits
from analyzer.python.source import SourceModule, parse_python


def test_line_numbers_match_the_source() -> None:
    source = (
        "import x\n\n\n# comment\nclass A:\n    def f(self):\n"
        "        return call(\n            a=1,\n        )\n"
    )
    parsed = parse_python(source, "m.py")
    assert isinstance(parsed, SourceModule)
    lines = {type(node).__name__: parsed.line(node) for node in parsed.lines}
    assert lines["ClassDef"] == 5 and lines["FunctionDef"] == 6
    call = next(node for node in parsed.lines if isinstance(node, cst.Call))
    arg = next(node for node in parsed.lines if isinstance(node, cst.Arg))
    assert (parsed.line(call), parsed.line(arg)) == (7, 8)


def test_syntax_error_is_a_problem_at_its_line() -> None:
    problem = parse_python("x = 1\ny = (\n\ndef f(:\n", "bad.py")
    assert isinstance(problem, ParseProblem) and problem.kind == "parse" and problem.location.line >= 2


def test_binary_and_non_utf8() -> None:
    assert isinstance(parse_python(b"\x00\x01\x02", "b.py"), ParseProblem)
    problem = parse_python(b"x = 1\ny = '\xff'\n", "c.py")
    assert isinstance(problem, ParseProblem) and problem.location.line == 2


def test_very_deep_expression_does_not_raise(tmp_path: Path) -> None:
    source = "x = " + "-" * 10_000 + "1\ny = " + "[" * 3000 + "]" * 3000 + "\n"
    parsed = parse_python(source, "deep.py")
    assert isinstance(parsed, ParseProblem) and parsed.kind == "limit"


def test_nesting_beyond_the_evaluation_depth_is_unknown(tmp_path: Path) -> None:
    source = "x = " + "(" * 50 + "1" + ")" * 50 + "\ny = " + "-(" * 50 + "1" + ")" * 50 + "\n"
    _, module = evaluate(tmp_path, {"tap.py": source})
    assert module.namespace["x"] == Literal(1) and module.namespace["y"] == Literal(1)
    _, shallow = evaluate(tmp_path / "shallow", {"tap.py": source}, limits=Limits(eval_depth=10))
    assert isinstance(shallow.namespace["y"], Unknown)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse_python(text, "fuzz.py")
    assert isinstance(result, (SourceModule, ParseProblem))
