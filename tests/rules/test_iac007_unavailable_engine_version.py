"""IAC007 on hand-built models, and on templates through the CloudFormation plugin."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer import awsdata
from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Literal, Location, Origin, Project, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac007_unavailable_engine_version import UnavailableEngineVersion

PATH = "lib/tap_stack.py"
TODAY = {"today": "2026-11-25"}


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    awsdata.clear_cache()
    yield
    awsdata.clear_cache()


def resource(kind: str, line: int = 10, rid: str = "Res", **props: Value) -> Resource:
    locations = {name: Location(PATH, line + index + 1) for index, name in enumerate(props)}
    return Resource(rid, kind, Location(PATH, line), properties=props, property_locations=locations)


def run(*resources: Resource, options: dict | None = None, platform: str = "pulumi") -> list:
    project = Project(root="/x", platform=platform, resources=resources)
    context = RuleContext(project, ResourceGraph(project), options if options is not None else TODAY)
    return list(UnavailableEngineVersion().check(context))


def cluster(version: Value, engine: Value | None = None, **extra: Value) -> Resource:
    return resource(
        "AWS::RDS::DBCluster", Engine=engine or Literal("aurora-postgresql"), EngineVersion=version, **extra
    )


def test_seed_002_aurora_15_4_is_reported_at_the_version() -> None:
    [finding] = run(cluster(Literal("15.4")))
    assert finding.severity is Severity.ERROR
    assert finding.location == Location(PATH, 12)
    assert "15.4" in finding.message and "aurora-postgresql" in finding.message
    assert "15.19" in finding.fix_hint  # the newest current 15.x in cfn-lint 1.58's data


def test_a_version_the_engine_never_had() -> None:
    [finding] = run(cluster(Literal("15.1")))  # Aurora PostgreSQL 15 started at 15.2
    assert "has no version 15.1" in finding.message


def test_a_version_newer_than_the_data_is_not_proven_unavailable() -> None:
    # it may have been released after this cfn-lint's data
    assert run(cluster(Literal("15.99")), cluster(Literal("99.1"))) == []
    mysql = cluster(Literal("8.0.mysql_aurora.3.99.0"), engine=Literal("aurora-mysql"))
    old_mysql = cluster(Literal("8.0.mysql_aurora.3.00.0"), engine=Literal("aurora-mysql"))
    assert [f.key for f in run(mysql, old_mysql)] == ["EngineVersion:aurora-mysql:8.0.mysql_aurora.3.00.0"]


def test_current_versions_are_silent() -> None:
    assert run(cluster(Literal("16.8")), cluster(Literal("15.19"))) == []


def test_unknown_version_or_engine_is_silent() -> None:
    assert run(cluster(Unknown("config", Origin.CONFIG))) == []
    assert run(cluster(Literal("15.4"), engine=Unknown("config"))) == []
    assert run(resource("AWS::RDS::DBCluster", EngineVersion=Literal("15.4"))) == []  # no engine: no rule


def test_an_unknown_unrelated_property_does_not_silence_the_check() -> None:
    assert len(run(cluster(Literal("15.4"), VpcSecurityGroupIds=Unknown("sg ids")))) == 1


def test_db_instance_and_elasticache() -> None:
    instance = resource("AWS::RDS::DBInstance", Engine=Literal("postgres"), EngineVersion=Literal("9.9.99"))
    cache = resource(
        "AWS::ElastiCache::CacheCluster", rid="Cache", Engine=Literal("redis"), EngineVersion=Literal("2.0")
    )
    found = run(instance, cache)
    assert [f.resource for f in found] == ["Res", "Cache"]


def test_documentdb_versions_come_from_the_provider_schema_enum() -> None:
    assert len(run(resource("AWS::DocDB::DBCluster", EngineVersion=Literal("3.0")))) == 1
    assert run(resource("AWS::DocDB::DBCluster", EngineVersion=Literal("5.0.0"))) == []
    assert (
        run(resource("AWS::DocDB::DBCluster", EngineVersion=Literal("99.0.0"))) == []
    )  # newer than the data


def test_deprecated_lambda_runtime_is_a_warning_and_a_blocked_one_an_error() -> None:
    deprecated = resource("AWS::Lambda::Function", rid="Old", Runtime=Literal("python3.8"))
    blocked = resource("AWS::Lambda::Function", rid="Older", Runtime=Literal("python3.6"))
    current = resource("AWS::Lambda::Function", rid="New", Runtime=Literal("python3.12"))
    found = {f.resource: f for f in run(deprecated, blocked, current)}
    assert set(found) == {"Old", "Older"}
    assert found["Old"].severity is Severity.WARNING and "python3.14" in found["Old"].fix_hint
    assert found["Older"].severity is Severity.ERROR


def test_the_date_option_moves_the_verdict() -> None:
    function = resource("AWS::Lambda::Function", Runtime=Literal("python3.8"))
    assert run(function, options={"today": "2024-01-01"}) == []
    [finding] = run(function, options={"today": "2027-03-01"})
    assert finding.severity is Severity.ERROR


def test_dms_engine_versions() -> None:
    old = resource("AWS::DMS::ReplicationInstance", rid="Old", EngineVersion=Literal("3.5.2"))
    fine = resource("AWS::DMS::ReplicationInstance", rid="Fine", EngineVersion=Literal("3.5.4"))
    unknown = resource("AWS::DMS::ReplicationInstance", rid="Cfg", EngineVersion=Unknown("config"))
    [finding] = run(old, fine, unknown)
    assert finding.resource == "Old" and "3.5.4" in finding.fix_hint


def test_verdict_follows_the_installed_cfnlint_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proof the data is read from cfn-lint at run time, not copied: edit a copy, point the loader at it."""
    real = awsdata.cfnlint_data_dir()
    assert real is not None
    assert len(run(cluster(Literal("15.4")))) == 1
    shutil.copytree(
        real / "schemas" / "extensions" / "aws_rds_dbcluster",
        tmp_path / "schemas" / "extensions" / "aws_rds_dbcluster",
    )
    deprecated = tmp_path / "schemas" / "extensions" / "aws_rds_dbcluster" / "engine_version_deprecated.json"
    data = json.loads(deprecated.read_text(encoding="utf-8"))
    for branch in data["allOf"]:
        if branch["if"]["properties"]["Engine"]["const"] == "aurora-postgresql":
            versions = branch["if"]["properties"]["EngineVersion"]["enum"]
            versions.remove("15.4")
            versions.append("16.8")
    deprecated.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(awsdata, "cfnlint_data_dir", lambda: tmp_path)
    awsdata.clear_cache()
    assert run(cluster(Literal("15.4"))) == []
    assert len(run(cluster(Literal("16.8")))) == 1


def test_resources_created_in_a_loop_are_reported_once_per_line() -> None:
    looped = [
        Resource(
            f"db-{i}",
            "AWS::RDS::DBInstance",
            Location(PATH, 30),
            in_loop=True,
            properties={"Engine": Literal("aurora-postgresql"), "EngineVersion": Literal("15.4")},
            property_locations={"EngineVersion": Location(PATH, 32)},
        )
        for i in range(3)
    ]
    assert len(run(*looped)) == 1
    assert len(run(*[dataclasses.replace(r, in_loop=False) for r in looped])) == 3


def test_a_parameter_default_is_reported_as_such() -> None:
    [finding] = run(cluster(Literal("10.7", Origin.PARAMETER | Origin.CONFIG)))
    assert "default of a template parameter" in finding.message


def test_unknown_engines_are_reported_unless_only_the_case_differs() -> None:
    [finding] = run(cluster(Literal("5.6.10a"), engine=Literal("aurora")))
    assert "engine 'aurora'" in finding.message
    assert run(cluster(Literal("15.4"), engine=Literal("Aurora-PostgreSQL"))) == []
