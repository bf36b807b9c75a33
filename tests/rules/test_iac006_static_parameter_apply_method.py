"""IAC006 on hand-built models: list-form entries, apply methods, engine families."""

from __future__ import annotations

from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Project, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac006_static_parameter_apply_method import StaticParameterApplyMethod, static_table

PATH = "lib/tap_stack.py"


def entry(name: str, line: int, apply_method: str | None = None, value: str = "1") -> Literal:
    fields: dict[str, Value] = {"Name": Literal(name), "Value": Literal(value)}
    if apply_method is not None:
        fields["ApplyMethod"] = Literal(apply_method)
    return Literal(fields, location=Location(PATH, line))


def group(
    family: Value | None, parameters: Value, kind: str = "AWS::RDS::DBClusterParameterGroup"
) -> Resource:
    props: dict[str, Value] = {"Parameters": parameters}
    if family is not None:
        props["Family"] = family
    return Resource("params", kind, Location(PATH, 10), properties=props)


def run(*resources: Resource) -> list:
    project = Project(root="/x", platform="pulumi", resources=resources)
    return list(StaticParameterApplyMethod().check(RuleContext(project, ResourceGraph(project))))


def test_seed_002_shape_reports_each_static_entry_at_its_line() -> None:
    params = Literal(
        (
            entry("log_statement", 20),
            entry("rds.logical_replication", 21),
            entry("shared_preload_libraries", 22, value="pg_stat_statements"),
            entry("log_min_duration_statement", 23, "immediate"),
        )
    )
    findings = run(group(Literal("aurora-postgresql15"), params))
    assert [(f.location.line, f.key) for f in findings] == [
        (21, "rds.logical_replication:immediate"),
        (22, "shared_preload_libraries:immediate"),
    ]
    assert "pending-reboot" in findings[0].fix_hint
    assert "params" in findings[0].message and "rds.logical_replication" in findings[0].message


def test_pending_reboot_and_unknown_method_are_silent() -> None:
    unknown = Literal({"Name": Literal("max_wal_senders"), "ApplyMethod": Unknown("config")}, location=None)
    params = Literal(
        (entry("max_connections", 5, "pending-reboot"), entry("wal_level", 6, "PENDING-REBOOT"), unknown)
    )
    assert run(group(Literal("postgres16"), params, "AWS::RDS::DBParameterGroup")) == []


def test_explicit_immediate_is_reported_case_insensitively() -> None:
    params = Literal((entry("MAX_CONNECTIONS", 7, "Immediate"),))
    findings = run(group(Literal("aurora-postgresql16"), params))
    assert len(findings) == 1 and "sets apply_method 'immediate'" in findings[0].message


def test_map_form_is_never_reported() -> None:
    params = Literal({"rds.logical_replication": Literal("1"), "shared_preload_libraries": Literal("x")})
    assert run(group(Literal("aurora-postgresql15"), params)) == []


def test_family_decides_max_connections() -> None:
    params = Literal((entry("max_connections", 3),))
    assert run(group(Literal("mysql8.0"), params)) == []
    assert len(run(group(Literal("postgres15"), params))) == 1


def test_unknown_family_reports_only_unambiguous_parameters() -> None:
    params = Literal(
        (entry("shared_preload_libraries", 3), entry("max_connections", 4), entry("performance_schema", 5))
    )
    lines = [f.location.line for f in run(group(Unknown("args.family"), params))]
    # shared_preload_libraries is PostgreSQL-only; performance_schema is static in every MySQL-like
    # engine that knows it; max_connections is dynamic in MySQL, so unknown.
    assert lines == [3, 5]


def test_uncovered_engine_and_unknown_entries_are_silent() -> None:
    params = Literal((entry("shared_preload_libraries", 3),))
    assert run(group(Literal("oracle-ee-19"), params)) == []
    assert run(group(Literal("postgres16"), Unknown("list comprehension"))) == []
    assert run(group(Literal("postgres16"), Literal((Unknown("x"), Literal({"Name": Unknown("n")}))))) == []


def test_log_statement_is_dynamic_per_postgresql_docs() -> None:
    table = static_table()
    for family in ("postgres", "aurora-postgresql"):
        assert table.source_if_static(family, "log_statement") is None
        assert table.source_if_static(family, "rds.logical_replication", "AWS::RDS::DBClusterParameterGroup")
    assert table.engine_family("aurora-postgresql15") == "aurora-postgresql"
    assert table.engine_family("postgres16") == "postgres"
    assert table.engine_family("aurora-mysql8.0") == "aurora-mysql"
    assert table.engine_family("aurora5.6") == "aurora-mysql"
    assert table.engine_family("mariadb10.6") == "mariadb"
    assert table.engine_family("sqlserver-ee-15.0") is None


def test_entry_without_location_falls_back_to_the_property() -> None:
    item = Literal({"Name": Literal("wal_level")})
    resource = Resource(
        "params",
        "AWS::RDS::DBClusterParameterGroup",
        Location(PATH, 10),
        properties={"Family": Literal("aurora-postgresql15"), "Parameters": Literal((item,))},
        property_locations={"Parameters": Location(PATH, 14)},
    )
    assert [f.location.line for f in run(resource)] == [14]


def test_assembled_family_uses_its_known_start() -> None:
    params = Literal((entry("max_connections", 3),))
    postgres = Concat((Literal("postgres"), Unknown("major")))
    mysql = Concat((Literal("mysql"), Unknown("version")))
    ambiguous = Concat((Literal("aurora-"), Unknown("engine")))
    assert len(run(group(postgres, params))) == 1  # static in PostgreSQL
    assert run(group(mysql, params)) == []  # dynamic in MySQL
    assert run(group(ambiguous, params)) == []  # could be either: max_connections is left alone
    table = static_table()
    assert table.engine_family("aurora-", complete=False) is None
    assert table.engine_family("aurora-postgresql", complete=False) == "aurora-postgresql"


def test_aurora_logical_replication_is_a_cluster_parameter() -> None:
    params = Literal((entry("rds.logical_replication", 3),))
    assert len(run(group(Literal("aurora-postgresql15"), params))) == 1
    # In an Aurora instance parameter group RDS refuses the parameter for another reason: not ours.
    assert run(group(Literal("aurora-postgresql15"), params, "AWS::RDS::DBParameterGroup")) == []
    assert len(run(group(Literal("postgres16"), params, "AWS::RDS::DBParameterGroup"))) == 1


def test_documented_dynamic_parameters_are_recorded_with_sources() -> None:
    table = static_table()
    assert "log_statement" in table.dynamic["aurora-postgresql"]
    assert "max_connections" in table.dynamic["mysql"]
    assert table.source_if_static(None, "log_statement") is None


def test_no_parameter_is_both_static_and_dynamic_for_one_family() -> None:
    table = static_table()
    for family, names in table.dynamic.items():
        assert not names & set(table.static.get(family, {})), family
    for family in table.static:
        assert table.engine_family(family) == family  # every family in the table is reachable by name
