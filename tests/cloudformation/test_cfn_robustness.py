"""Bad input never crashes the plugin: it becomes a ParseProblem (IAC901/IAC902) and the rest is read."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import yaml
from cfn_helpers import make_worktree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.plugin import Limits
from plugins.cloudformation import CloudFormationPlugin

GOOD = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"


def problems_of(parse, text: str, name: str = "lib/TapStack.yml") -> list[tuple[int, str, str]]:
    project = parse({name: text, "templates/other.yml": GOOD})
    assert project.resource("Queue") is not None  # the other template is still read
    return [(p.location.line, p.message, p.kind) for p in project.problems if p.location.path == name]


def test_yaml_syntax_error_has_its_location(parse) -> None:
    found = problems_of(parse, "Resources:\n  Bucket:\n    Type: [AWS::S3::Bucket\n  Other: x\n")
    assert found and found[0][0] in (3, 4) and found[0][2] == "parse"


def test_duplicate_key_is_reported_at_both_places(parse) -> None:
    text = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Bucket:\n    Type: AWS::SQS::Queue\n"
    found = problems_of(parse, text)
    assert {line for line, message, _ in found} == {2, 4}
    assert all("Duplicate" in message and "Bucket" in message for _, message, _ in found)


def test_duplicate_key_in_json(parse) -> None:
    text = (
        '{\n "Resources": {\n  "A": {"Type": "AWS::SQS::Queue"},\n  "A": {"Type": "AWS::SNS::Topic"}\n }\n}\n'
    )
    found = problems_of(parse, text, "lib/TapStack.json")
    assert found and all("Duplicate" in message for _, message, _ in found)


def test_non_mapping_resources(parse) -> None:
    found = problems_of(
        parse, "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - Type: AWS::S3::Bucket\n"
    )
    assert found == [(2, "Resources must be a mapping of logical ids, not a list", "parse")]


def test_bad_resource_entries_do_not_hide_good_ones(parse) -> None:
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  NoType:\n    Properties: {}\n"
        "  Scalar: 5\n  Good:\n    Type: AWS::SNS::Topic\n    Properties: [not, a, mapping]\n"
    )
    project = parse({"lib/TapStack.yml": text})
    assert [r.id for r in project.resources] == ["Good"]
    assert sorted(p.location.line for p in project.problems) == [3, 5]


def test_not_a_mapping_and_empty_and_binary(parse) -> None:
    assert problems_of(parse, "- just\n- a list\n")
    empty = parse({"lib/TapStack.yml": ""})
    assert empty.resources == () and empty.problems == ()
    root = Path(tempfile.mkdtemp())
    (root / "lib").mkdir()
    (root / "lib" / "TapStack.yml").write_bytes(b"\xff\xfe\x00garbage\x80")
    project = CloudFormationPlugin().parse(make_worktree(root, {}))
    assert [p.kind for p in project.problems] == ["skipped"]


def test_billion_laughs_stays_bounded(parse) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        previous = chr(ord("a") + index - 1)
        current = chr(ord("a") + index)
        levels.append(f"{current}: &{current} [" + ",".join(f"*{previous}" for _ in range(9)) + "]")
    text = (
        "\n".join(levels) + "\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *i\n"
    )
    start = time.perf_counter()
    found = problems_of(parse, text)
    assert time.perf_counter() - start < 10
    assert found and "alias" in found[0][1].lower()


def test_aliases_within_limits_are_evaluated_within_budget(parse) -> None:
    text = (
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: &t [{Key: a, Value: b}]\n"
        "  R:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *t\n"
    )
    project = parse({"lib/TapStack.yml": text})
    assert project.resource("R").properties["Tags"] == project.resource("Q").properties["Tags"]


def test_deep_nesting(parse) -> None:
    text = (
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Deep: " + "[" * 5000 + "]" * 5000
    )
    project = parse({"lib/TapStack.yml": text, "templates/other.yml": GOOD})
    assert project.resource("Queue") is not None


def test_large_body_over_the_limit_is_reported_not_read(tmp_path: Path) -> None:
    root = tmp_path / "wt"
    (root / "lib").mkdir(parents=True)
    body = "Resources:\n" + "".join(f"  Q{index}:\n    Type: AWS::SQS::Queue\n" for index in range(200_000))
    assert len(body) > 5_000_000
    (root / "lib" / "TapStack.yml").write_text(body)
    (root / "metadata.json").write_text("{}")
    result = scan([root], Config())
    assert [(f.rule_id, f.location.path) for f in result.findings] == [("IAC902", "lib/TapStack.yml")]
    assert "limit" in result.findings[0].message


def test_engine_reports_parse_error_and_scans_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "wt"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "TapStack.yml").write_text("Resources:\n  A: [\n")
    (root / "templates").mkdir()
    (root / "templates" / "ok.yml").write_text(GOOD)
    result = scan([root], Config())
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("IAC90")] == ["IAC901"]
    assert result.projects and result.projects[0].project.resource("Queue") is not None


# -- property-based ----------------------------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "Resources",
        "Type",
        "Properties",
        "Parameters",
        "Mappings",
        "Conditions",
        "Ref",
        "Fn::Sub",
        "Fn::GetAtt",
        "Fn::Join",
        "Fn::If",
        "Fn::Select",
        "Fn::Split",
        "Fn::FindInMap",
        "Fn::ImportValue",
        "Fn::Base64",
        "Fn::ToJsonString",
        "Fn::GetAZs",
        "DependsOn",
        "Condition",
        "Metadata",
        "Default",
        "Code",
        "ZipFile",
        "Handler",
        "BucketName",
        "AWS::NoValue",
        "Q",
        "B",
        "x",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "AWS::S3::Bucket",
            "AWS::Lambda::Function",
            "Q",
            "B.Arn",
            "${B}",
            "${AWS::Region}-${Q.Arn}",
            "${!x}",
            "${",
            "{{resolve:ssm:x}}",
            "AWS::NoValue",
            "index.handler",
            "def handler(e, c): pass",
        ]
    ),
    st.text(max_size=12),
)
_TREES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=4)),
    max_leaves=40,
)


def _parse_text(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        worktree = make_worktree(root, {}, limits=Limits(eval_steps=5_000))
        project = CloudFormationPlugin().parse(worktree)
        assert isinstance(project.problems, tuple)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(_KEYS, _TREES, max_size=4),
    st.dictionaries(st.sampled_from(["Q", "B", "F"]), _TREES, max_size=3),
)
def test_generated_templates_never_raise(top: dict, resources: dict) -> None:
    template = dict(top)
    template["Resources"] = resources
    _parse_text("lib/TapStack.json", json.dumps(template))
    _parse_text("lib/TapStack.yml", yaml.safe_dump(template))


def _sample_texts() -> list[str]:
    paths = sorted(SAMPLES.glob("cfn-*/lib/TapStack.*"))
    return [path.read_text(encoding="utf-8") for path in paths]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_templates_never_raise(data: st.DataObject) -> None:
    texts = _sample_texts()
    text = data.draw(st.sampled_from(texts))
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 200)))
        replacement = data.draw(
            st.sampled_from(
                [
                    "",
                    "{",
                    "}",
                    "[",
                    "]",
                    ":",
                    "- ",
                    "\n",
                    "  ",
                    "!Ref ",
                    "&a ",
                    "*a",
                    '"',
                    "Fn::If",
                    "\t",
                    "${",
                    text[start:end] * 2,
                ]
            )
        )
        text = text[:start] + replacement + text[end:]
    name = "lib/TapStack.yml" if data.draw(st.booleans()) else "lib/TapStack.json"
    _parse_text(name, text)
