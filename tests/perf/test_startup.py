"""Start-up: heavy libraries load only on the paths that need them (checked in fresh processes)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

HEAVY = ("libcst", "cfnlint", "networkx", "sympy", "jsonschema")


def _imported_after(code: str) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    return json.loads(completed.stdout.splitlines()[-1])


def test_plugins_and_engine_import_nothing_heavy() -> None:
    assert (
        _imported_after("import analyzer.engine, plugins.pulumi, plugins.cdk, plugins.cloudformation") == []
    )


def test_a_template_needs_only_cfn_lints_decoder() -> None:
    code = (
        "from plugins.cloudformation.decoding import decode_text\n"
        "d = decode_text('t.yml', 'Resources:\\n  Q: {Type: AWS::SQS::Queue}\\n')\n"
        "assert d.template is not None and not d.problems\n"
    )
    # The decoder's modules are taken out of sys.modules again: a later `import cfnlint` is whole.
    assert _imported_after(code) == []


SAMPLE_TEXTS = [
    "Resources:\n  A: 1\n  A: 2\n",
    "Resources: [\n",
    "Resources:\n\tA: 1\n",
    '{"Resources": {"A": 1, "A": 2}}',
    '{"Resources": {"A": 1, "A" 2}}',
    '{"Resources":\t{"A": 1, "A": 2}}',
    "a: !GetAtt A.B\nb: !Sub 'x-${AWS::Region}'\nc: !If [X, !Ref Y, !Ref AWS::NoValue]\n",
    "a: &x [1, 2]\nb: *x\nc: *missing\n",
    # Duplicate keys (the check this copy of the decoder does in linear time): three times, nested,
    # numbers, merge keys, an unhashable key, a null key.
    "Resources:\n  A: 1\n  B: 2\n  A: 3\n  A: 4\n  B: 5\n",
    "Resources:\n  A:\n    Type: X\n    Type: Y\n  B: {P: 1, P: 2}\n",
    "1: a\n1: b\n",
    "base: &b {X: 1}\nm:\n  <<: *b\n  X: 2\n  X: 3\n",
    "? [a, b]\n: 1\n",
    "~: 1\n",
    '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}, "Q": {"Type": "AWS::SNS::Topic"}}}',
]


@pytest.mark.parametrize("text", SAMPLE_TEXTS)
def test_the_light_decoder_decodes_as_cfn_lint_does(text: str) -> None:
    code = (
        "import sys\n"
        "if sys.argv[1] == 'full':\n    import cfnlint.decode\n"
        "from plugins.cloudformation.decoding import decode_text, position\n"
        "d = decode_text('t', sys.argv[2])\n"
        "print(repr(d.template), [(p.location, p.message) for p in d.problems])\n"
        "print([position(node) for node in (d.template or {}).values()])\n"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code, mode, text], capture_output=True, text=True, cwd=REPO, check=True
        ).stdout
        for mode in ("light", "full")
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0].strip()


def test_a_template_without_code_needs_no_python_layer() -> None:
    worktree = REPO / "sample_repos" / "cfn-not-destroyable"
    if not worktree.is_dir():
        pytest.skip("no sample_repos/ in this checkout")
    code = f"from analyzer.cli import run\nrun([{str(worktree)!r}, '-q', '--no-cache', '--fail-on', 'never'])"
    imported = _imported_after(code)
    assert "libcst" not in imported and "sympy" not in imported
    assert "networkx" in imported  # the rules did run (they query the graph)


@pytest.mark.parametrize("sample", ["pulumi-aurora-dms", "cfn-appointment-scheduler", "cdk-props-kwargs"])
def test_a_cached_scan_loads_no_analysis_library(sample: str, tmp_path: Path) -> None:
    # The cache stores the review checklist's facts with the findings, so a warm run lays out the
    # text report, checklist included, without the parser, the graph, the rules' data or jsonschema.
    worktree = REPO / "sample_repos" / sample
    if not worktree.is_dir():
        pytest.skip("no sample_repos/ in this checkout")
    args = [str(worktree), "--cache-dir", str(tmp_path / "cache"), "--fail-on", "never"]

    def scanned(report: Path) -> list[str]:
        code = (
            "import contextlib, io\nfrom analyzer.cli import run\nout = io.StringIO()\n"
            f"with contextlib.redirect_stdout(out): run({args!r})\n"
            f"open({str(report)!r}, 'w').write(out.getvalue())"
        )
        return _imported_after(code)

    assert "networkx" in scanned(tmp_path / "cold")  # the first run analyses
    assert scanned(tmp_path / "warm") == []
    cold, warm = ((tmp_path / name).read_text() for name in ("cold", "warm"))
    timing = re.compile(r" in \d+\.\d+ s$", re.MULTILINE)  # the duration on the summary line
    assert timing.sub("", warm) == timing.sub("", cold)
    assert "Environment suffix" in cold  # the checklist is part of what is compared
