"""`iacscan graph`: Mermaid, DOT and JSON drawings of the resource graph, with the resources that
have findings highlighted, and the Mermaid block in the Markdown report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analyzer.cli import run
from analyzer.engine import ProjectResult, ScanResult
from analyzer.findings import Finding, Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Dependency, Literal, Location, Project, Ref, Resource
from analyzer.report import ReportOptions, render
from analyzer.report.graph import render as render_graph

Capture = pytest.CaptureFixture[str]


def graph_result(root: Path) -> ScanResult:
    resources = (
        Resource("Role", "AWS::IAM::Role", Location("lib/TapStack.yml", 2)),
        Resource(
            "Fn",
            "AWS::Lambda::Function",
            Location("lib/TapStack.yml", 5),
            properties={"Role": Ref("Role", "Arn")},
        ),
        Resource(
            'Odd "name" <b>{x}|y',
            "AWS::S3::Bucket",
            Location("lib/TapStack.yml", 9),
            name=Literal("fixed"),
            depends_on=(Dependency("Fn"),),
        ),
    )
    project = Project(root=str(root), platform="cloudformation", resources=resources)
    findings = [
        Finding(
            "IAC002",
            Severity.ERROR,
            "fixed",
            Location("lib/TapStack.yml", 10),
            resource='Odd "name" <b>{x}|y',
        ),
        Finding("IAC003", Severity.ERROR, "passrole", Location("lib/TapStack.yml", 6), resource="Fn"),
        Finding("IAC009", Severity.WARNING, "more", Location("lib/TapStack.yml", 7), resource="Fn"),
    ]
    return ScanResult(
        root=root,
        worktrees=[root],
        projects=[ProjectResult(project, ResourceGraph(project))],
        findings=findings,
    )


def test_mermaid(tmp_path: Path) -> None:
    text = render_graph(graph_result(tmp_path), ReportOptions(), "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  p0_n1["Fn<br/><small>AWS::Lambda::Function</small><br/><b>IAC003 IAC009</b>"]' in lines
    # Quotes, angle brackets, braces and pipes of a hostile name become entity codes.
    odd = next(line for line in lines if line.startswith("  p0_n2["))
    assert odd == (
        '  p0_n2["Odd #34;name#34; #60;b#62;#123;x#125;#124;y<br/><small>AWS::S3::Bucket</small><br/><b>IAC002</b>"]'
    )
    assert "  p0_n1 -->|assumes_role| p0_n0" in lines
    assert "  p0_n2 -.->|depends_on| p0_n1" in lines
    assert "  class p0_n2,p0_n1 finding" in lines or "  class p0_n1,p0_n2 finding" in lines


def test_dot(tmp_path: Path) -> None:
    text = render_graph(graph_result(tmp_path), ReportOptions(), "dot")
    assert text.startswith("digraph iacscan {")
    assert '    p0_n1 [label="Fn\\nAWS::Lambda::Function\\nIAC003 IAC009", color="#c62828"' in text
    assert '    p0_n2 [label="Odd \\"name\\" <b>{x}|y\\nAWS::S3::Bucket\\nIAC002"' in text
    assert '    p0_n0 [label="Role\\nAWS::IAM::Role"];' in text
    assert '    p0_n2 -> p0_n1 [label="depends_on", style="dashed"];' in text
    assert text.rstrip().endswith("}")


def test_json(tmp_path: Path) -> None:
    (view,) = json.loads(render_graph(graph_result(tmp_path), ReportOptions(), "json"))
    assert [(n["id"], n["findings"]) for n in view["nodes"]] == [
        ("Role", []),
        ("Fn", ["IAC003", "IAC009"]),
        ('Odd "name" <b>{x}|y', ["IAC002"]),
    ]
    assert {(e["source"], e["target"], e["kind"]) for e in view["edges"]} == {
        ("Fn", "Role", "assumes_role"),
        ('Odd "name" <b>{x}|y', "Fn", "depends_on"),
    }


def test_markdown_report_embeds_the_mermaid_graph(tmp_path: Path) -> None:
    text = render("markdown", graph_result(tmp_path), ReportOptions())
    block = re.search(r"```mermaid\n(.*?)```", text, flags=re.S)
    assert block is not None
    assert block.group(1) == render_graph(graph_result(tmp_path), ReportOptions(), "mermaid")
    assert "<details><summary>Resource graph</summary>" in text


@pytest.mark.usefixtures("fake_pipeline")
def test_graph_command(capsys: Capture, worktree: Path, tmp_path: Path) -> None:
    assert run(["graph", str(worktree)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart LR")
    assert "class p0_n0,p0_n1,p0_n2 finding" in out  # Logs, Table: IAC990; Jobs: IAC991; Ok: none
    target = tmp_path / "g.json"
    assert run(["graph", str(worktree), "--format", "json", "-o", str(target)]) == 0
    assert [node["id"] for node in json.loads(target.read_text())[0]["nodes"]] == [
        "Logs",
        "Jobs",
        "Table",
        "Ok",
    ]
    assert run(["graph", str(worktree), "--format", "png"]) == 2
    assert "unknown --format 'png' for graph" in capsys.readouterr().err


@pytest.mark.usefixtures("fake_pipeline")
def test_graph_of_several_worktrees_has_a_subgraph_each(capsys: Capture, tmp_path: Path) -> None:
    from tests.conftest import write_tree

    for name in ("a", "b"):
        write_tree(tmp_path / name, {"tap.py": "", "stack.yml": "resource B AWS::S3::Bucket\n"})
    assert run(["graph", "-r", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert '  subgraph p0["a (fake)"]' in out and '  subgraph p1["b (fake)"]' in out
    assert out.count("  end\n") == 2


def test_graphviz_accepts_the_dot_output(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("dot") is None:
        pytest.skip("Graphviz (dot) is not installed")
    source = render_graph(graph_result(tmp_path), ReportOptions(), "dot")
    completed = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "<svg" in completed.stdout and "Odd &quot;name&quot; &lt;b&gt;{x}|y" in completed.stdout
