"""IAC007 unavailable-engine-version: an engine version or runtime AWS no longer creates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from analyzer import awsdata
from analyzer.findings import Finding, Severity
from analyzer.model import Origin, Resource, literal_of
from analyzer.rules.base import Example, Rule, RuleContext


@dataclass(frozen=True, slots=True)
class _Fragment:
    """A cfn-lint schema fragment and what a resource failing it means."""

    resource_type: str
    filename: str  # under cfnlint/data/schemas/extensions/<type>/
    retired: bool  # True: the fragment lists versions that exist but can no longer be created


# cfn-lint's own rules apply these fragments (E3690/W3690 RDS DBCluster, E3691/W3691 DBInstance,
# E3695 ElastiCache CacheCluster). cfn-lint words the *_deprecated ones "deprecated and cannot be
# used to create new" clusters/instances: every deployment of a TAP stack creates them, so both
# kinds block the deployment.
FRAGMENTS: tuple[_Fragment, ...] = (
    _Fragment("AWS::RDS::DBCluster", "engine_version.json", retired=False),
    _Fragment("AWS::RDS::DBCluster", "engine_version_deprecated.json", retired=True),
    _Fragment("AWS::RDS::DBInstance", "engine_version.json", retired=False),
    _Fragment("AWS::RDS::DBInstance", "engine_version_deprecated.json", retired=True),
    _Fragment("AWS::ElastiCache::CacheCluster", "engine_version.json", retired=False),
)

# Version properties whose allowed values are an enum in the provider schema itself.
# IAC008 leaves enum errors on these to this rule.
SCHEMA_VERSION_PROPERTIES: tuple[tuple[str, str], ...] = (("AWS::DocDB::DBCluster", "EngineVersion"),)

# SAM functions (Runtime set on the function or in Globals) become Lambda functions with the same runtime.
_LAMBDA_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
_DMS_TYPES = ("AWS::DMS::ReplicationInstance",)
_RDS_NOUN = {"AWS::RDS::DBCluster": "DB clusters", "AWS::RDS::DBInstance": "DB instances"}


class UnavailableEngineVersion(Rule):
    """
    ## What it does
    Reports an engine version or runtime that AWS no longer accepts for a new resource, on every
    platform (the plugins put `engine_version=` / `engineVersion` / `EngineVersion` in the same
    place):

    * RDS and Aurora (`AWS::RDS::DBCluster`, `AWS::RDS::DBInstance`): a version that is not among the
      versions of its engine, or one that RDS lists as deprecated for new clusters and instances;
      ElastiCache `CacheCluster` versions; DocumentDB cluster versions. The lists are cfn-lint's
      data (`schemas/extensions/aws_rds_dbcluster/engine_version.json`,
      `engine_version_deprecated.json`, ..., and the provider schemas), refreshed with every
      cfn-lint release: `iacscan rules --data-sources` prints the version in use.
    * Lambda runtimes: an error once Lambda blocks creating functions with the runtime, a
      **warning** while the runtime is only deprecated (cfn-lint's `LmbdRuntimeLifecycle.json`).
    * DMS replication instances: versions past their "no new instance" date in the AWS DMS release
      notes (a small table with its source and date, `analyzer/data/dms_engine_versions.json`).

    A version that sorts after every version the data lists for its release line (say `16.99` when
    the data stops at `16.15`) is left alone: it may have been released after the data.
    Neptune, OpenSearch/Elasticsearch, MSK and EKS versions are not checked: cfn-lint has no list of
    their versions. A version that is not a literal (config, parameter) is never reported.
    Option `today` (ISO date) fixes the date the lifecycle dates are compared with.

    ## Why is this bad
    The create call fails and the deployment stops: `Cannot find version 15.4 for
    aurora-postgresql`, `No replication engine found with version: 3.5.2`, `The runtime parameter
    of python3.6 is no longer supported for creating or updating AWS Lambda functions`.

    ## Example
    ```python
    aws.rds.Cluster("aurora", engine="aurora-postgresql", engine_version="15.4", ...)
    aws.dms.ReplicationInstance("dms", engine_version="3.5.2", ...)
    ```

    ## Use instead
    ```python
    aws.rds.Cluster("aurora", engine="aurora-postgresql", engine_version="16.8", ...)
    aws.dms.ReplicationInstance("dms", engine_version="3.5.4", ...)
    ```
    """

    id = "IAC007"
    name = "unavailable-engine-version"
    severity = Severity.ERROR
    summary = "an engine version or runtime that AWS no longer accepts for new resources"
    tags = ("rds", "lambda", "dms", "deploy-failure", "aws-data")

    VALID = [
        Example.cfn_yaml(
            """
            Resources:
              AuroraCluster:
                Type: AWS::RDS::DBCluster
                Properties:
                  Engine: aurora-postgresql
                  EngineVersion: "16.8"
              Worker:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  Role: arn:aws:iam::123456789012:role/x
                  Code:
                    ZipFile: "def handler(event, context):\\n    return 1\\n"
              Replication:
                Type: AWS::DMS::ReplicationInstance
                Properties:
                  ReplicationInstanceClass: dms.t3.medium
                  EngineVersion: 3.5.4
            """,
            title="current versions",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    config = pulumi.Config()
                    aws.rds.Cluster(
                        f"aurora-{args.environment_suffix}",
                        engine="aurora-postgresql",
                        engine_version=config.get("engine_version"),
                    )
            """,
            title="a version from config is unknown: silent",
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              AuroraCluster:
                Type: AWS::RDS::DBCluster
                Properties:
                  Engine: aurora-postgresql
                  EngineVersion: "15.4"  # expect: IAC007
              Replication:
                Type: AWS::DMS::ReplicationInstance
                Properties:
                  ReplicationInstanceClass: dms.t3.medium
                  EngineVersion: 3.5.2  # expect: IAC007
            """,
            title="seed 002: Aurora 15.4 and DMS 3.5.2",
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Db": {
                  "Type": "AWS::RDS::DBInstance",
                  "Properties": {
                    "Engine": "postgres",
                    "DBInstanceClass": "db.t3.micro",
                    "EngineVersion": "9.9.99"  // expect: IAC007
                  }
                }
              }
            }
            """,
            title="a version RDS never had",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.Cluster(
                        f"aurora-{args.environment_suffix}",
                        engine="aurora-postgresql",
                        engine_version="15.4",  # expect: IAC007
                    )
                    aws.dms.ReplicationInstance(
                        f"dms-{args.environment_suffix}",
                        replication_instance_id=f"dms-{args.environment_suffix}",
                        replication_instance_class="dms.t3.medium",
                        engine_version="3.5.2",  # expect: IAC007
                    )
            """,
            title="seed 002 in Pulumi",
        ),
        Example.cdk(
            """
            from aws_cdk import Stack, aws_rds as rds


            class TapStack(Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    rds.CfnDBCluster(
                        self,
                        "Aurora",
                        engine="aurora-postgresql",
                        engine_version="15.4",  # expect: IAC007
                    )
            """,
            title="seed 002 in CDK (L1 construct)",
        ),
        Example.cdk(
            """
            from aws_cdk import Stack, aws_lambda as lambda_


            class TapStack(Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    lambda_.Function(
                        self,
                        "Worker",
                        runtime=lambda_.Runtime.PYTHON_3_6,  # expect: IAC007
                        handler="index.handler",
                        code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
                    )
            """,
            title="a Lambda runtime Lambda no longer creates",
        ),
        Example.cfn_yaml(
            """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: go1.x  # expect: IAC007
            Resources:
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: bootstrap
                  CodeUri: s3://artifacts-bucket/worker.zip
            """,
            title="a SAM function's runtime from Globals",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        today = _today(ctx.options)
        verdicts: dict[tuple[str, str, str], list[str]] = {}  # many resources share a version
        looped: set[tuple[Any, str]] = set()  # one source line creating several resources: say it once
        for resource in ctx.project.resources:
            found = [*self._fragments(resource, verdicts), *self._schema_enums(resource)]
            if resource.type in _LAMBDA_TYPES:
                found += self._runtime(resource, today)
            if resource.type in _DMS_TYPES:
                found += self._dms(resource, today)
            for finding in found:
                if resource.in_loop:
                    if (finding.location, finding.key) in looped:
                        continue
                    looped.add((finding.location, finding.key))
                yield finding

    # -- RDS / ElastiCache: cfn-lint's fragments -------------------------------------------------

    def _fragments(
        self, resource: Resource, verdicts: dict[tuple[str, str, str], list[str]]
    ) -> Iterator[Finding]:
        reported: set[str] = set()
        for fragment in FRAGMENTS:
            if fragment.resource_type != resource.type:
                continue
            schema = awsdata.extension_schema(resource.type, fragment.filename)
            if schema is None:
                continue
            names = _fragment_properties(resource.type, fragment.filename)
            instance = {
                name: awsdata.to_instance(value)
                for name, value in resource.properties.items()
                if name in names
            }
            for prop in _failing_properties(resource.type, fragment.filename, schema, instance, verdicts):
                if prop in reported:
                    continue  # one finding per property: "unknown" already says it all
                reported.add(prop)
                if (
                    not fragment.retired
                    and prop == "EngineVersion"
                    and _newer_than_data(resource.type, instance)
                ):
                    continue  # possibly released after this cfn-lint's data: not proven unavailable
                engine = instance.get("Engine")
                if prop == "Engine" and isinstance(engine, str) and engine != engine.lower():
                    continue  # RDS compares engine names without case; the data lists lowercase ones
                if prop == "EngineVersion" and _names_current_line(resource.type, engine, instance.get(prop)):
                    # A bare major ("14", MySQL "8.0") that RDS resolves to a current minor version:
                    # cfn-lint lists some as deprecated and leaves others out of the allowed lists.
                    continue
                yield self._fragment_finding(resource, fragment, prop, instance)

    def _fragment_finding(
        self, resource: Resource, fragment: _Fragment, prop: str, instance: Mapping[str, Any]
    ) -> Finding:
        engine = instance.get("Engine")
        value = instance.get(prop)
        noun = _RDS_NOUN.get(resource.type, "resources")
        if prop == "Engine":
            message = f"{_label(resource)}: engine '{value}' is not an engine {resource.type} accepts"
            hint = "use one of the engines listed in the CloudFormation reference for this resource"
        elif fragment.retired:
            message = (
                f"{_label(resource)}: {engine} {value} is deprecated; AWS creates no new {noun} "
                f"with it (cfn-lint {awsdata.cfnlint_version()} data)"
            )
            hint = _suggest(resource.type, engine if isinstance(engine, str) else None, str(value))
        else:
            message = (
                f"{_label(resource)}: {engine} has no version {value} "
                f"(cfn-lint {awsdata.cfnlint_version()} data)"
            )
            hint = _suggest(resource.type, engine if isinstance(engine, str) else None, str(value))
        return self.finding(
            message + _from_parameter(resource, prop),
            resource.location_of(prop),
            hint,
            resource=resource.id,
            key=f"{prop}:{engine}:{value}",
        )

    # -- versions the provider schema enumerates (DocumentDB) -----------------------------------

    def _schema_enums(self, resource: Resource) -> Iterator[Finding]:
        for resource_type, prop in SCHEMA_VERSION_PROPERTIES:
            if resource.type != resource_type or prop not in resource.properties:
                continue
            enum_schema = _enum_schema(resource_type, prop)
            if enum_schema is None:
                continue
            allowed = enum_schema["properties"][prop]["enum"]
            instance = {prop: awsdata.to_instance(resource.properties[prop])}
            value = instance[prop]
            newer = (
                isinstance(value, str)
                and value[:1].isdigit()
                and _version_key(value) > max(_version_key(str(v)) for v in allowed)
            )
            if not newer and awsdata.proven_errors(enum_schema, instance):
                yield self.finding(
                    f"{_label(resource)}: {prop} '{value}' is not a version {resource_type} accepts",
                    resource.location_of(prop),
                    "use one of: " + ", ".join(map(str, _newest(allowed, 4))),
                    resource=resource.id,
                    key=f"{prop}:{value}",
                )

    # -- Lambda runtimes ------------------------------------------------------------------------

    def _runtime(self, resource: Resource, today: date) -> Iterator[Finding]:
        runtime = literal_of(resource.prop("Runtime"))
        if not isinstance(runtime, str):
            return
        status = awsdata.runtime_status(runtime, today)
        if status is None:
            return
        verdict, entry = status
        successor = entry.get("successor")
        hint = f"use {successor}" if successor else "use a supported runtime"
        label = _label(resource)
        if verdict == "blocked":
            since = entry.get("create-block")
            message = f"{label}: runtime {runtime} is unsupported: Lambda blocks new functions since {since}"
            severity = Severity.ERROR
        else:
            block = entry.get("create-block")
            after = f"; creation is blocked from {block}" if block else ""
            message = f"{label}: runtime {runtime} is deprecated since {entry.get('deprecated')}{after}"
            severity = Severity.WARNING
        yield self.finding(
            message + _from_parameter(resource, "Runtime"),
            resource.location_of("Runtime"),
            hint,
            resource=resource.id,
            key=f"Runtime:{runtime}:{verdict}",
            severity=severity,
        )

    # -- DMS replication engine -----------------------------------------------------------------

    def _dms(self, resource: Resource, today: date) -> Iterator[Finding]:
        version = literal_of(resource.prop("EngineVersion"))
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            version = str(version)
        if not isinstance(version, str):
            return
        status = awsdata.dms_version_status(version.strip(), today)
        if status is None:
            return
        available = awsdata.dms_available(today)
        hint = f"use {' or '.join(available)}" if available else "use a current DMS engine version"
        yield self.finding(
            f"{_label(resource)}: DMS replication engine {version} is unavailable ({status[1]})"
            + _from_parameter(resource, "EngineVersion"),
            resource.location_of("EngineVersion"),
            hint,
            resource=resource.id,
            key=f"EngineVersion:{version}",
        )


def _failing_properties(
    resource_type: str,
    filename: str,
    schema: Mapping[str, Any],
    instance: dict[str, Any],
    verdicts: dict[tuple[str, str, str], list[str]],
) -> list[str]:
    """The top-level properties a fragment rejects, memoized for fully known instances."""
    key = None
    if not awsdata.uncertain(instance):
        key = (resource_type, filename, json.dumps(instance, sort_keys=True, default=repr))
        if key in verdicts:
            return verdicts[key]
    failing = [
        str(error.absolute_path[0]) if error.absolute_path else "EngineVersion"
        for error in awsdata.proven_errors(schema, instance)
    ]
    if key is not None:
        verdicts[key] = failing
    return failing


def _newer_than_data(resource_type: str, instance: Mapping[str, Any]) -> bool:
    """True when the version sorts after every version the data lists in its release line (same
    major version; same major.minor for long versions such as ``8.0.mysql_aurora.3.08.0``): it may
    have been released after this cfn-lint's data, so its absence proves nothing."""
    engine, version = instance.get("Engine"), instance.get("EngineVersion")
    if not isinstance(engine, str) or not isinstance(version, (str, int, float)) or isinstance(version, bool):
        return False
    text = str(version)
    if not text[:1].isdigit():
        return False
    parts = re.split(r"[.-]", text)
    line = parts[:2] if len(parts) >= 3 else parts[:1]
    known = _fragment_enum(resource_type, "engine_version.json", engine)
    same_line = [v for v in known if re.split(r"[.-]", v)[: len(line)] == line] or known  # else: a new major
    return bool(same_line) and _version_key(text) > max(_version_key(v) for v in same_line)


@cache
def _enum_schema(resource_type: str, prop: str) -> dict[str, Any] | None:
    """``{"properties": {prop: {"enum": [...]}}}`` from the provider schema, built once per process."""
    schema = awsdata.property_schema(resource_type, prop)
    allowed = schema.get("enum") if schema else None
    return {"properties": {prop: {"enum": allowed}}} if isinstance(allowed, list) else None


def _from_parameter(resource: Resource, prop: str) -> str:
    """Say so when the value is a template parameter's default (a deployment may pass another)."""
    value = resource.properties.get(prop)
    return (
        "; it is the default of a template parameter"
        if value is not None and value.origin & Origin.PARAMETER
        else ""
    )


def _today(options: Mapping[str, Any]) -> date:
    text = options.get("today")
    if isinstance(text, str):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return date.today()


def _label(resource: Resource) -> str:
    return f"{resource.type.rsplit('::', 1)[-1]} '{resource.id}'"


@cache
def _fragment_properties(resource_type: str, filename: str) -> frozenset[str]:
    return frozenset(_mentioned_properties(awsdata.extension_schema(resource_type, filename)))


def _mentioned_properties(schema: Any) -> set[str]:
    """Top-level property names a fragment reads (its ``properties`` and ``required`` at the root,
    through ``allOf``/``if``/``then``/``else``/``not``): only those are handed to it, so an unknown
    unrelated property cannot silence it."""
    names: set[str] = set()
    if not isinstance(schema, dict):
        return names
    props = schema.get("properties")
    if isinstance(props, dict):
        names.update(props)
    required = schema.get("required")
    if isinstance(required, list):
        names.update(item for item in required if isinstance(item, str))
    for keyword in ("if", "then", "else", "not"):
        names |= _mentioned_properties(schema.get(keyword))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or ():
            names |= _mentioned_properties(branch)
    return names


def _version_key(text: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.-]", text))


def _newest(versions: Iterable[Any], count: int) -> list[str]:
    texts = [str(v) for v in versions]
    return sorted(texts, key=_version_key, reverse=True)[:count]


@cache
def _suggest(resource_type: str, engine: Any, wanted: Any) -> str:
    """The newest versions of ``engine`` that are neither unknown nor deprecated in cfn-lint's data,
    of the same major version as ``wanted`` when there are some."""
    if not isinstance(engine, str):
        return "use a version the engine currently offers"
    allowed = _fragment_enum(resource_type, "engine_version.json", engine)
    retired = set(_fragment_enum(resource_type, "engine_version_deprecated.json", engine))
    current = [v for v in allowed if v not in retired and re.fullmatch(r"[\d.]+", v)]
    major = str(wanted).split(".", 1)[0] + "."
    same_major = [v for v in current if v.startswith(major)]
    current = same_major or current
    if not current:
        return "use a version the engine currently offers"
    return f"use a current {engine} version, e.g. " + ", ".join(_newest(current, 3))


@cache
def _current_versions(resource_type: str, engine: str) -> tuple[str, ...]:
    """Versions of ``engine`` that cfn-lint's data lists as valid and not deprecated."""
    allowed = _fragment_enum(resource_type, "engine_version.json", engine)
    retired = set(_fragment_enum(resource_type, "engine_version_deprecated.json", engine))
    return tuple(v for v in allowed if v not in retired and re.fullmatch(r"[\d.]+", v))


def _names_current_line(resource_type: str, engine: Any, value: Any) -> bool:
    """True when ``value`` is a version prefix (``14``, ``8.0``) with a current version under it.

    RDS accepts a major version alone and creates the engine's default minor version of that line;
    cfn-lint's deprecated lists nevertheless carry every bare major (``14``, ``16``, ``17``), so
    only a line without any current version is known to be unavailable."""
    if not isinstance(engine, str) or not isinstance(value, str):
        return False
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        return False
    return any(v.startswith(value + ".") for v in _current_versions(resource_type, engine))


def _fragment_enum(resource_type: str, filename: str, engine: str) -> list[str]:
    """The ``EngineVersion`` enum a fragment gives for ``engine`` (in its ``if`` or its ``then``)."""
    schema = awsdata.extension_schema(resource_type, filename)
    found: list[str] = []
    for branch in (schema or {}).get("allOf", ()):
        if not isinstance(branch, dict):
            continue
        condition = _properties_of(branch.get("if"))
        engine_condition = condition.get("Engine")
        if not isinstance(engine_condition, dict) or engine_condition.get("const") != engine:
            continue
        for holder in (condition, _properties_of(branch.get("then"))):
            version = holder.get("EngineVersion")
            values = version.get("enum") if isinstance(version, dict) else None
            if isinstance(values, list):
                found.extend(str(v) for v in values)
    return found


def _properties_of(schema: Any) -> dict[str, Any]:
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}
