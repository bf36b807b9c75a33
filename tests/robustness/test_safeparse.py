"""The Python parse gate: hostile sources become SourceError, never a crash."""

from __future__ import annotations

import subprocess
import sys

import hypothesmith
import libcst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.python.safeparse import MAX_DEPTH, SourceError, decode, parse_module

PATHOLOGICAL = {
    "parentheses": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "lists": "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "calls": "x = " + "f(" * 5000 + ")" * 5000 + "\n",
    "binary chain": "x = " + "1+" * 20000 + "1\n",
    "attribute chain": "x = a" + ".b" * 20000 + "\n",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_nesting_is_rejected_without_crashing(name: str) -> None:
    # Run in a child process: before the gate existed, libcst killed the interpreter (SIGSEGV) here.
    code = (
        "import sys\n"
        "from analyzer.python.safeparse import SourceError, parse_module\n"
        "try:\n"
        "    parse_module(sys.stdin.read())\n"
        "except SourceError as error:\n"
        "    print('rejected:', error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=PATHOLOGICAL[name], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.startswith("rejected:")


def test_depth_limit_is_reported_at_the_deep_node() -> None:
    source = "ok = 1\nx = " + "-" * (MAX_DEPTH + 5) + "1\n"
    with pytest.raises(SourceError) as caught:
        parse_module(source)
    assert caught.value.line == 2
    assert "nested" in caught.value.message


def test_syntax_error_keeps_its_location() -> None:
    with pytest.raises(SourceError) as caught:
        parse_module("a = 1\nb = (\n")
    assert caught.value.line >= 2
    assert caught.value.message.startswith("syntax error")


def test_ordinary_source_round_trips() -> None:
    source = "import pulumi\n\nbucket = aws.s3.Bucket(f'b-{suffix}')  # comment\n"
    module = parse_module(source)
    assert isinstance(module, libcst.Module)
    assert module.code == source


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"\x00\x01binary", "binary"), (b"x = '\xff\xfe'\n", "UTF-8")],
)
def test_decode_rejects_binary_and_invalid_utf8(data: bytes, fragment: str) -> None:
    with pytest.raises(SourceError, match=fragment):
        decode(data)


def test_decode_drops_bom() -> None:
    assert decode("\ufeffx = 1\n".encode()) == "x = 1\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hypothesmith.from_grammar())
def test_generated_programs_parse_or_fail_cleanly(source: str) -> None:
    try:
        module = parse_module(source)
    except SourceError as error:
        assert error.line >= 1
    else:
        # libcst does not promise a byte-exact round trip for odd trailing whitespace
        # ("ifA:A\n\n #" loses a blank line), so only the parse result is asserted here.
        assert isinstance(module, libcst.Module)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_parses_or_fails_cleanly(source: str) -> None:
    try:
        parse_module(source)
    except SourceError as error:
        assert error.message
