"""Pulumi sample repositories: model snapshots (``iacscan model`` data) and EXPECTED.md findings.

Regenerate the snapshots with ``IACSCAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/pulumi``.
Snapshots hold what this plugin decides (types, physical names, suffix provenance, edges, calls);
what the Lambda-code layer finds is left out so the two layers can change apart.
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
from analyzer.report.model_view import project_data
from plugins.pulumi import PulumiPlugin
from tests.conftest import check_snapshot

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
# A sample is complete once it has its EXPECTED.md (samples being written are skipped until then).
NAMES = sorted(path.name for path in SAMPLES.glob("pulumi-*") if (path / "EXPECTED.md").is_file())


def model(name: str) -> dict:
    worktree = list_files(SAMPLES / name, Limits()).worktree
    project = PulumiPlugin().parse(worktree)
    data = project_data(project, ResourceGraph(project))
    for item in data["resources"]:
        item.pop("code", None)
    data["suffix"]["env_name_only"] = list(project.suffix.env_name_only)
    data["attribute_problems"] = [
        {"class": p.owner_class, "attribute": p.attribute, "location": str(p.location)}
        for p in project.attribute_problems
    ]
    return json.loads(json.dumps(data, default=str))


def test_samples_exist() -> None:
    assert {
        "pulumi-aurora-dms",
        "pulumi-aurora-dms-fixed",
        "pulumi-unsuffixed-names",
        "pulumi-unsuffixed-names-fixed",
    } <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_model_snapshot(name: str) -> None:
    check_snapshot(SNAPSHOTS / f"{name}.json", model(name))


def test_aurora_dms_model() -> None:
    data = model("pulumi-aurora-dms")
    assert data["entry_point"] == "tap.py"
    (args_call,) = [call for call in data["calls"] if call["callee"] == "TapStackArgs"]
    assert args_call["location"] == "tap.py:12" and args_call["certain"]
    assert args_call["missing"] == [
        "vpc_id",
        "private_subnet_ids",
        "dms_subnet_ids",
        "source_db_host",
        "source_db_username",
        "source_db_password",
        "aurora_password",
    ]
    by_type: dict[str, list[dict]] = {}
    for item in data["resources"]:
        by_type.setdefault(item["type"], []).append(item)
    (role,) = by_type["AWS::IAM::Role"]
    assert role["name"]["value"] == "dms-vpc-management-role-${self.environment_suffix}"
    assert role["name"]["per_deployment"] and "suffix" in role["name"]["origin"]
    (group,) = by_type["AWS::DMS::ReplicationSubnetGroup"]
    assert "depends_on" not in group
    (parameters,) = by_type["AWS::RDS::DBClusterParameterGroup"]
    assert [p.get("ApplyMethod") for p in parameters["properties"]["Parameters"]] == [None, None, None]
    assert data["coverage"]["named_resources"] == data["coverage"]["with_suffix"] == 10


def test_fixed_twin_binds_and_orders() -> None:
    data = model("pulumi-aurora-dms-fixed")
    assert all(not call["missing"] and call["certain"] for call in data["calls"])
    (group,) = [r for r in data["resources"] if r["type"] == "AWS::DMS::ReplicationSubnetGroup"]
    # The DMS role is created only when config says the account lacks it, so the subnet group's
    # depends_on is [role, attachment] or []: the model records that it cannot know which.
    assert group["options"]["depends_on_unknown"] is True
    roles = [r for r in data["resources"] if r["id"].startswith("dms-vpc-role")]
    assert len(roles) == 2
    assert all("args.create_dms_roles" in r["options"]["Condition"]["unknown"] for r in roles)


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
    checked = {rule for rule, _, _ in wanted} | {"IAC001", "IAC002", "IAC003", "IAC004", "IAC005", "IAC006"}
    for rule_id in sorted(checked):
        if rule_by_id(rule_id) is None:
            continue  # that rule has not landed yet
        got = {(f.rule_id, f.location.path, f.location.line) for f in result.findings if f.rule_id == rule_id}
        assert got == {item for item in wanted if item[0] == rule_id}, rule_id
