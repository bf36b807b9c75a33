"""The Pulumi plugin never raises: arbitrary Python, broken YAML, odd argument shapes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_helpers import PULUMI_YAML, parse

from analyzer.model import Project

ARGUMENTS = st.sampled_from(
    [
        "None",
        "1",
        "'x'",
        "f'{y}'",
        "[a, 1]",
        "{'k': a}",
        "a.arn",
        "*xs",
        "**kw",
        "lambda q: q",
        "json.dumps({})",
        "aws.rds.ClusterParameterGroupParameterArgs(name='n')",
        "pulumi.ResourceOptions(depends_on=a)",
        "Output.all(a.arn).apply(lambda v: v[5])",
        "pulumi.FileArchive(1)",
        "aws.iam.get_policy_document(statements=1)",
    ]
)
KEYWORDS = st.sampled_from(
    [
        "name",
        "bucket",
        "opts",
        "policy",
        "parameters",
        "assume_role_policy",
        "tags",
        "inline_policies",
        "code",
        "target",
        "depends_on",
        "args",
    ]
)
CLASSES = st.sampled_from(
    [
        "aws.s3.Bucket",
        "aws.iam.Role",
        "aws.rds.ClusterParameterGroup",
        "aws.lambda_.Function",
        "aws.scheduler.Schedule",
        "aws.iam.RolePolicy",
        "aws.unknown.Thing",
        "pulumi.Config().get",
    ]
)


@st.composite
def programs(draw: st.DrawFn) -> str:
    lines = [
        "import json",
        "import pulumi",
        "import pulumi_aws as aws",
        "from pulumi import Output",
        "a = aws.sqs.Queue('q')",
        "xs = [1]",
        "kw = {}",
        "y = 'v'",
    ]
    for index in range(draw(st.integers(1, 6))):
        cls = draw(CLASSES)
        args = [draw(ARGUMENTS) for _ in range(draw(st.integers(0, 3)))]
        keywords = {draw(KEYWORDS): draw(ARGUMENTS) for _ in range(draw(st.integers(0, 4)))}
        parts = [f"'r{index}'", *[a for a in args if not a.startswith("*")]]
        parts += [f"{k}={v}" for k, v in keywords.items() if not v.startswith("*")]
        lines.append(f"r{index} = {cls}({', '.join(parts)})")
    return "\n".join(lines) + "\n"


def run(source: str) -> Project:
    with tempfile.TemporaryDirectory() as directory:
        return parse(Path(directory), {"Pulumi.yaml": PULUMI_YAML, "tap.py": source})


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs())
def test_odd_resource_arguments_never_raise(source: str) -> None:
    project = run(source)
    assert all(resource.id for resource in project.resources)
    assert len({resource.id for resource in project.resources}) == len(project.resources)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_arbitrary_entry_points_never_raise(source: str) -> None:
    project = run("import pulumi\n" + source)
    assert project.platform == "pulumi"


def test_broken_project_files(tmp_path: Path) -> None:
    project = parse(
        tmp_path,
        {
            "Pulumi.yaml": "name: x\nruntime: python\nmain: nowhere.py\n",
            "Pulumi.a.yaml": "config: 3\n",
            "tap.py": "import pulumi\n",
        },
    )
    assert project.entry_point is None
    assert any("nowhere.py" in problem.message for problem in project.problems)
