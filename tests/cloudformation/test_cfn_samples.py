"""Sample repositories: model snapshots (``iacscan model`` data) and the findings EXPECTED.md lists.

Regenerate the snapshots with ``IACSCAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/cloudformation``.
Snapshots hold what this plugin decides (types, names, suffix provenance, edges, facts); what the
Python layer finds in inline code is asserted separately, so the two layers can change apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.discover import list_files
from analyzer.engine import scan
from analyzer.graph import ResourceGraph
from analyzer.plugin import Limits
from analyzer.registry import rule_by_id
from analyzer.report.model_view import origin_names, project_data, value_data
from plugins.cloudformation import CloudFormationPlugin
from tests.conftest import check_snapshot

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
NAMES = sorted(path.name for path in SAMPLES.glob("cfn-*") if path.is_dir())


def model(name: str) -> dict:
    worktree = list_files(SAMPLES / name, Limits()).worktree
    project = CloudFormationPlugin().parse(worktree)
    full = project_data(project, ResourceGraph(project))
    # Only what this plugin decides; the view's derived figures (coverage, ...) belong to others.
    data = {
        key: full[key] for key in ("platform", "entry_point", "suffix", "parameters", "resources", "problems")
    }
    for item in data["resources"]:
        item.pop("code", None)
    data["suffix"]["env_name_only"] = list(project.suffix.env_name_only)
    data["facts"] = dict(project.facts)
    if "exports" in data["facts"]:
        data["facts"]["exports"] = [
            {
                "output": item["output"],
                "name": value_data(item["name"]),
                "origin": origin_names(item["name"].origin),
                "location": str(item["location"]),
            }
            for item in data["facts"]["exports"]
        ]
    data["coverage"] = {
        "named_resources": full["coverage"]["named_resources"],
        "with_suffix": full["coverage"]["with_suffix"],
    }
    return json.loads(json.dumps(data, default=str))


def test_samples_exist() -> None:
    assert {
        "cfn-appointment-scheduler",
        "cfn-appointment-scheduler-passrole",
        "cfn-unsuffixed-names",
        "cfn-unsuffixed-names-fixed",
    } <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_model_snapshot(name: str) -> None:
    check_snapshot(SNAPSHOTS / f"{name}.json", model(name))


def test_appointment_scheduler_model() -> None:
    data = model("cfn-appointment-scheduler")
    assert data["entry_point"] == "lib/TapStack.json"
    assert data["facts"]["twins"] == [
        {
            "deployed": "lib/TapStack.json",
            "copy": "lib/TapStack.yml",
            "reason": "metadata.json language is json",
            "drifted": False,
            "differences": [],
        }
    ]
    assert (data["coverage"]["named_resources"], data["coverage"]["with_suffix"]) == (9, 9)
    by_id = {item["id"]: item for item in data["resources"]}
    edges = {(edge["kind"], edge["to"]) for edge in by_id["ReminderSenderEventsPermission"]["edges"]}
    assert ("permission", "ReminderSenderFunction") in edges
    assert ("assumes_role", "ConflictDetectorRole") in {
        (edge["kind"], edge["to"]) for edge in by_id["ConflictDetectorFunction"]["edges"]
    }


def test_inline_code_reaches_the_python_layer() -> None:
    pytest.importorskip("analyzer.python.lambda_code")
    worktree = list_files(SAMPLES / "cfn-appointment-scheduler-passrole", Limits()).worktree
    project = CloudFormationPlugin().parse(worktree)
    code = project.resource("ConflictDetectorFunction").code
    assert code is not None and code.handler_found is True
    (call,) = [call for call in code.sdk_calls if call.operation == "CreateSchedule"]
    assert call.service == "scheduler" and "Target" in call.arguments
    base = list_files(SAMPLES / "cfn-appointment-scheduler", Limits()).worktree
    calls = CloudFormationPlugin().parse(base).resource("ConflictDetectorFunction").code.sdk_calls
    assert {(c.service, c.operation) for c in calls} >= {("events", "PutRule"), ("events", "PutTargets")}


_ROW = re.compile(r"^\|\s*(IAC\d{3})\s*\|.*?`([^`:]+):(\d+)`", re.M)


def expected(name: str) -> set[tuple[str, str, int]]:
    text = (SAMPLES / name / "EXPECTED.md").read_text(encoding="utf-8")
    return {(rule, path, int(line)) for rule, path, line in _ROW.findall(text)}


@pytest.mark.parametrize("name", NAMES)
def test_expected_findings(name: str) -> None:
    """For every rule that exists now, the sample yields exactly the findings EXPECTED.md lists."""
    wanted = expected(name)
    result = scan([SAMPLES / name], Config())
    assert not [f for f in result.findings if f.rule_id in ("IAC900", "IAC901")]
    for rule_id in sorted({rule for rule, _, _ in wanted} | {"IAC002", "IAC003"}):
        if rule_by_id(rule_id) is None:
            continue  # that rule has not landed yet
        got = {(f.rule_id, f.location.path, f.location.line) for f in result.findings if f.rule_id == rule_id}
        assert got == {item for item in wanted if item[0] == rule_id}, rule_id
