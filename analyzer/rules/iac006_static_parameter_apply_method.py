"""IAC006 static-parameter-apply-method: a static RDS parameter applied "immediate"."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Location, Resource, Value, literal_of
from analyzer.rules.base import Example, Rule, RuleContext

_DATA = Path(__file__).resolve().parent.parent / "data" / "rds_parameters.json"

# Parameter groups whose entries may carry an apply method. Only the list form of ``Parameters``
# ({Name, Value, ApplyMethod} entries, as Pulumi writes it) has one; CloudFormation's and CDK's map
# form (name -> value) lets CloudFormation choose the apply method itself, so a map is never reported.
_GROUP_TYPES = ("AWS::RDS::DBClusterParameterGroup", "AWS::RDS::DBParameterGroup")

# What the provider applies when the entry gives no apply method: Pulumi's (and Terraform's)
# ``apply_method`` defaults to "immediate" (registry docs of aws.rds.ClusterParameterGroup).
_DEFAULT_APPLY_METHOD = "immediate"
_SAFE_APPLY_METHOD = "pending-reboot"


@dataclass(frozen=True, slots=True)
class StaticEntry:
    source: str
    group_types: tuple[str, ...] | None = None  # None: any parameter group type of the family


@dataclass(frozen=True, slots=True)
class StaticTable:
    prefixes: tuple[tuple[str, str], ...]  # (family prefix, engine family), most specific first
    static: Mapping[str, Mapping[str, StaticEntry]]  # engine family -> parameter -> entry
    dynamic: Mapping[str, frozenset[str]]  # engine family -> parameters documented as dynamic

    def engine_family(self, family: str, *, complete: bool = True) -> str | None:
        """The engine family of a parameter-group family name (``aurora-postgresql15``).

        With ``complete=False`` the text is only the known start of the name (``f"postgres{major}"``):
        it must then decide the engine on its own, so ``"aurora-"`` (MySQL or PostgreSQL) gives None."""
        lowered = family.strip().lower()
        for prefix, engine in self.prefixes:
            if lowered.startswith(prefix):
                if not complete and any(
                    other.startswith(lowered) and other_engine != engine
                    for other, other_engine in self.prefixes
                ):
                    return None
                return engine
        return None

    def source_if_static(
        self, family: str | None, parameter: str, group_type: str | None = None
    ) -> str | None:
        """The source saying ``parameter`` is static for ``family`` (and this kind of parameter
        group); None when it is not known static.

        With an unknown family, a parameter counts only when every engine family that lists it
        calls it static and none documents it as dynamic: ``shared_preload_libraries`` exists only
        in PostgreSQL, whereas ``max_connections`` is static there and dynamic in MySQL."""
        name = parameter.strip().lower()
        families = (
            [family] if family is not None else [f for f, table in self.static.items() if name in table]
        )
        if family is None and any(name in self.dynamic.get(f, ()) for f in self.dynamic):
            return None
        for candidate in families:
            entry = self.static.get(candidate, {}).get(name)
            if entry is not None and (entry.group_types is None or group_type in entry.group_types):
                return entry.source
        return None


@cache
def static_table() -> StaticTable:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    sources: dict[str, str] = raw["sources"]
    static: dict[str, dict[str, StaticEntry]] = {}
    for group in raw["groups"]:
        types = tuple(group["group_types"]) if "group_types" in group else None
        for family in group["families"]:
            for parameter in group["parameters"]:
                static.setdefault(family, {})[parameter.lower()] = StaticEntry(
                    sources[group["source"]], types
                )
    dynamic: dict[str, set[str]] = {}
    for group in raw.get("dynamic", ()):
        for family in group["families"]:
            dynamic.setdefault(family, set()).update(parameter.lower() for parameter in group["parameters"])
    prefixes = tuple((entry["prefix"], entry["family"]) for entry in raw["families"])
    return StaticTable(prefixes, static, {family: frozenset(names) for family, names in dynamic.items()})


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    apply_method: Value | None
    location: Location


class StaticParameterApplyMethod(Rule):
    """
    ## What it does
    Reports an RDS or Aurora parameter-group entry that sets a **static** parameter (one that only
    takes effect after a reboot, such as `shared_preload_libraries`, `rds.logical_replication`,
    `max_connections` or `max_wal_senders` on PostgreSQL) with no apply method or with
    `apply_method="immediate"`. It applies wherever parameter entries carry an apply method (Pulumi's
    `parameters=[...]` list); CloudFormation's and CDK's `Parameters` map lets CloudFormation pick
    the apply method itself and is never reported.

    Whether a parameter is static comes from a table per engine family (aurora-postgresql,
    postgres, aurora-mysql, mysql, mariadb), each entry with its source: PostgreSQL's
    `postmaster`-context parameters, AWS's documentation for `rds.logical_replication`, MySQL's and
    MariaDB's non-dynamic variables. A parameter not in the table is left alone; `log_statement`,
    for instance, is dynamic (PostgreSQL context `superuser`) and never reported.

    ## Why is this bad
    Pulumi (like Terraform) sends `immediate` when no apply method is given, and RDS rejects it for
    a static parameter: `InvalidParameterCombination: cannot use immediate apply method for static
    parameter`. The parameter group is not created, and the cluster or instance that uses it is
    not created either.

    ## Example
    ```python
    aws.rds.ClusterParameterGroup(
        "aurora-params",
        family="aurora-postgresql15",
        parameters=[
            aws.rds.ClusterParameterGroupParameterArgs(name="rds.logical_replication", value="1"),
        ],
    )
    ```

    ## Use instead
    ```python
    aws.rds.ClusterParameterGroup(
        "aurora-params",
        family="aurora-postgresql15",
        parameters=[
            aws.rds.ClusterParameterGroupParameterArgs(
                name="rds.logical_replication", value="1", apply_method="pending-reboot"
            ),
        ],
    )
    ```
    """

    id = "IAC006"
    name = "static-parameter-apply-method"
    severity = Severity.ERROR
    summary = "a static RDS parameter is applied with the 'immediate' method, which RDS rejects"
    tags = ("rds", "deploy-failure")

    VALID = [
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ClusterParameterGroup(
                        f"aurora-params-{args.environment_suffix}",
                        family="aurora-postgresql15",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(name="rds.logical_replication", value="1", apply_method="pending-reboot"),
                            aws.rds.ClusterParameterGroupParameterArgs(name="shared_preload_libraries", value="pg_stat_statements", apply_method="pending-reboot"),
                            aws.rds.ClusterParameterGroupParameterArgs(name="log_statement", value="all"),
                            aws.rds.ClusterParameterGroupParameterArgs(name="log_min_duration_statement", value="1000", apply_method="immediate"),
                        ],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
            """,
            title="static parameters with pending-reboot; dynamic log_statement without one",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ParameterGroup(
                        f"mysql-params-{args.environment_suffix}",
                        family="mysql8.0",
                        parameters=[
                            {"name": "max_connections", "value": "500"},
                            {"name": "slow_query_log", "value": "1"},
                            {"name": "performance_schema", "value": "1", "apply_method": "pending-reboot"},
                        ],
                    )
            """,
            title="max_connections is dynamic in MySQL",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ParameterGroup(
                        f"oracle-params-{args.environment_suffix}",
                        family="oracle-ee-19",
                        parameters=[{"name": "shared_pool_size", "value": "1000000"}],
                    )
            """,
            title="an engine the table does not cover",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    method = pulumi.Config().require("applyMethod")
                    aws.rds.ClusterParameterGroup(
                        f"aurora-params-{args.environment_suffix}",
                        family="aurora-postgresql16",
                        parameters=[{"name": "max_wal_senders", "value": "20", "apply_method": method}],
                    )
            """,
            title="apply method from configuration: unknown, no finding",
        ),
        Example.cfn_yaml(
            """
            Resources:
              ClusterParams:
                Type: AWS::RDS::DBClusterParameterGroup
                Properties:
                  Description: aurora
                  Family: aurora-postgresql15
                  Parameters:
                    rds.logical_replication: "1"
                    shared_preload_libraries: pg_stat_statements
            """,
            title="CloudFormation's map form: CloudFormation chooses the apply method",
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "InstanceParams": {
                  "Type": "AWS::RDS::DBParameterGroup",
                  "Properties": {
                    "Description": "postgres",
                    "Family": "postgres16",
                    "Parameters": {"max_connections": "200", "shared_buffers": "65536"}
                  }
                }
              }
            }
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              MysqlParams:
                Type: AWS::RDS::DBParameterGroup
                Properties:
                  Description: mysql
                  Family: mysql8.0
                  Parameters:
                    innodb_log_file_size: "268435456"
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_rds as rds
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix: str | None = None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    rds.ParameterGroup(
                        self,
                        "ClusterParams",
                        engine=rds.DatabaseClusterEngine.aurora_postgres(
                            version=rds.AuroraPostgresEngineVersion.VER_15_8
                        ),
                        parameters={"rds.logical_replication": "1", "shared_preload_libraries": "pg_stat_statements"},
                    )
            """,
            title="CDK's parameters map: CloudFormation chooses the apply method",
        ),
    ]
    INVALID = [
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ClusterParameterGroup(
                        f"aurora-params-{args.environment_suffix}",
                        family="aurora-postgresql15",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(name="log_statement", value="all"),
                            aws.rds.ClusterParameterGroupParameterArgs(name="rds.logical_replication", value="1"),  # expect: IAC006
                            aws.rds.ClusterParameterGroupParameterArgs(name="shared_preload_libraries", value="pg_stat_statements"),  # expect: IAC006
                        ],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
            """,
            title="seed 002: static parameters without apply_method",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ClusterParameterGroup(
                        f"aurora-params-{args.environment_suffix}",
                        family="aurora-postgresql16",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(name="max_connections", value="500", apply_method="immediate"),  # expect: IAC006
                        ],
                    )
            """,
            title="explicit immediate",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ParameterGroup(
                        f"pg-params-{args.environment_suffix}",
                        family="postgres16",
                        parameters=[
                            {"name": "max_wal_senders", "value": "20"},  # expect: IAC006
                            {"name": "max_replication_slots", "value": "20"},  # expect: IAC006
                            {"name": "log_min_duration_statement", "value": "500"},
                        ],
                    )
            """,
            title="instance parameter group, dict entries",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ParameterGroup(
                        f"mysql-params-{args.environment_suffix}",
                        family="mysql8.0",
                        parameters=[
                            {"name": "innodb_log_file_size", "value": "268435456"},  # expect: IAC006
                            {"name": "performance_schema", "value": "1", "apply_method": "immediate"},  # expect: IAC006
                        ],
                    )
            """,
            title="MySQL non-dynamic variables",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ClusterParameterGroup(
                        f"aurora-mysql-params-{args.environment_suffix}",
                        family="aurora-mysql8.0",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(name="lower_case_table_names", value="1"),  # expect: IAC006
                        ],
                    )
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ParameterGroup(
                        f"mariadb-params-{args.environment_suffix}",
                        family="mariadb10.11",
                        parameters=[{"name": "performance_schema", "value": "1"}],  # expect: IAC006
                    )
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ClusterParameterGroup(
                        f"aurora-params-{args.environment_suffix}",
                        family="aurora-postgresql15",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(name="track_commit_timestamp", value="1", apply_method="pending-reboot"),
                            aws.rds.ClusterParameterGroupParameterArgs(name="max_worker_processes", value="16", apply_method="immediate"),  # expect: IAC006
                        ],
                    )
            """,
            title="one entry right, one wrong",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.ClusterParameterGroup(
                        f"aurora-params-{args.environment_suffix}",
                        family=args.family,
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(name="shared_preload_libraries", value="pg_cron"),  # expect: IAC006
                            aws.rds.ClusterParameterGroupParameterArgs(name="max_connections", value="300"),
                        ],
                    )
            """,
            title="unknown family: only PostgreSQL-only parameters are reported",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        table = static_table()
        for group in ctx.project.of_type(*_GROUP_TYPES):
            family_value = literal_of(group.prop("Family"))
            if isinstance(family_value, str):
                family = table.engine_family(family_value)
                if family is None:
                    continue  # an engine the table does not cover (oracle, sqlserver, ...)
            else:
                start = _known_start(group.prop("Family"))
                family = table.engine_family(start, complete=False) if start else None
            for entry in _entries(group):
                source = table.source_if_static(family, entry.name, group.type)
                if source is None:
                    continue
                method = _apply_method(entry.apply_method)
                if method is None or method == _SAFE_APPLY_METHOD:
                    continue  # unknown, or already right
                yield self._report(group, entry, method, family_value, source)

    def _report(self, group: Resource, entry: _Entry, method: str, family: object, source: str) -> Finding:
        given = (
            "has no apply method, so the provider applies 'immediate'"
            if entry.apply_method is None
            else "sets apply_method 'immediate'"
        )
        family_text = f" ({family})" if isinstance(family, str) else ""
        message = (
            f"Parameter group '{group.id}'{family_text} sets static parameter '{entry.name}' at "
            f"{entry.location} and {given}; RDS rejects it with 'InvalidParameterCombination: cannot "
            f"use immediate apply method for static parameter' and the group is not created"
        )
        hint = (
            f"set apply_method=\"{_SAFE_APPLY_METHOD}\" on the '{entry.name}' entry (ApplyMethod: "
            f"{_SAFE_APPLY_METHOD}); the value takes effect at the next reboot. Static per: {source}"
        )
        return self.finding(message, entry.location, hint, resource=group.id, key=f"{entry.name}:{method}")


def _entries(group: Resource) -> Iterator[_Entry]:
    """The list-form entries whose name is known; a map-form ``Parameters`` yields nothing."""
    parameters = group.prop("Parameters")
    if not isinstance(parameters, Literal) or not isinstance(parameters.value, tuple):
        return
    fallback = group.location_of("Parameters")
    for item in parameters.value:
        if not isinstance(item, Literal) or not isinstance(item.value, dict):
            continue
        fields: Mapping[str, Value] = item.value
        name = literal_of(fields.get("Name"))
        if not isinstance(name, str) or not name:
            continue
        location = item.location or fields["Name"].location or fallback
        yield _Entry(name, fields.get("ApplyMethod"), location)


def _known_start(value: Value | None) -> str | None:
    """The literal beginning of an assembled value (``f"aurora-postgresql{major}"``), if any."""
    if isinstance(value, Concat) and value.parts:
        first = value.parts[0]
        if isinstance(first, Literal) and isinstance(first.value, str):
            return first.value
    return None


def _apply_method(value: Value | None) -> str | None:
    """The effective apply method, lower-case; None when it cannot be known."""
    if value is None:
        return _DEFAULT_APPLY_METHOD
    method = literal_of(value)
    if isinstance(method, str):
        return method.strip().lower()
    if isinstance(value, Literal) and value.value is None:
        return _DEFAULT_APPLY_METHOD  # apply_method=None is the same as leaving it out
    return None
