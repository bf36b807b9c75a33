"""AWS knowledge read from maintained data: the one module that opens cfn-lint's package data.

cfn-lint (a runtime dependency) ships and refreshes with every release:

* ``data/schemas/providers/<region>.json``: resource type -> hash of its provider schema;
* ``data/schemas/resources/<hash>.json``: CloudFormation resource provider schemas (properties,
  types, enums, patterns, ``required``, ``additionalProperties``);
* ``data/schemas/extensions/<aws_service_type>/*.json``: JSON-schema fragments cfn-lint applies on
  top (RDS engine versions per engine and the deprecated ones, ElastiCache engine versions, ...);
* ``data/AdditionalSpecs/LmbdRuntimeLifecycle.json``: Lambda runtime deprecation dates.

We read those files directly (located through the installed package's path, without importing
cfn-lint: its import costs ~0.35 s, and its schema manager may try to download newer schemas), so
upgrading cfn-lint refreshes iacscan's answers. Where cfn-lint has no data (DMS replication engine
versions) a small table under ``analyzer/data`` records its source and date. Everything is read
lazily and cached; rules call the functions below and never open files themselves. Bad or missing
data gives ``None`` / empty results, never an exception.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from analyzer.model import Concat, Literal, Origin, Value, render

DEFAULT_REGION = "us-east-1"
_OWN_DATA = Path(__file__).parent / "data"
DMS_TABLE = _OWN_DATA / "dms_engine_versions.json"


# --------------------------------------------------------------------------------------------------
# Where the data is


@cache
def cfnlint_data_dir() -> Path | None:
    """``cfnlint/data`` of the installed cfn-lint, found without importing the package."""
    try:
        spec = importlib.util.find_spec("cfnlint")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data"
        if candidate.is_dir():
            return candidate
    return None


@cache
def cfnlint_version() -> str | None:
    try:
        return importlib.metadata.version("cfn-lint")
    except importlib.metadata.PackageNotFoundError:
        return None


def clear_cache() -> None:
    """Forget everything read so far (tests that point the loader at other data call this)."""
    for function in (
        cfnlint_data_dir,
        cfnlint_version,
        _read_json,
        _provider_index,
        _all_resource_types,
        provider_schema,
        extension_schema,
        lambda_runtime_lifecycle,
        dms_engine_versions,
        schema_date,
    ):
        clear = getattr(function, "cache_clear", None)  # a test may have replaced the function
        if clear is not None:
            clear()
    _VALIDATORS.clear()


@cache
def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _schemas_dir() -> Path | None:
    root = cfnlint_data_dir()
    return root / "schemas" if root is not None else None


# --------------------------------------------------------------------------------------------------
# Provider schemas and extension fragments


@cache
def _provider_index(region: str) -> Mapping[str, str]:
    schemas = _schemas_dir()
    if schemas is None:
        return {}
    if not re.fullmatch(r"[a-z0-9-]+", region):
        region = DEFAULT_REGION  # a region name, never a path
    index = _read_json(schemas / "providers" / f"{region}.json")
    if not isinstance(index, dict) and region != DEFAULT_REGION:
        index = _read_json(schemas / "providers" / f"{DEFAULT_REGION}.json")
    return index if isinstance(index, dict) else {}


@cache
def provider_schema(resource_type: str, region: str = DEFAULT_REGION) -> Mapping[str, Any] | None:
    """The CloudFormation provider schema of ``resource_type`` (``AWS::S3::Bucket``), or None."""
    schemas = _schemas_dir()
    digest = _provider_index(region).get(resource_type)
    if schemas is None or not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]+", digest):
        return None
    schema = _read_json(schemas / "resources" / f"{digest}.json")
    return schema if isinstance(schema, dict) else None


def resource_type_known(resource_type: str) -> bool | None:
    """Whether any region's provider index lists ``resource_type``; None when there is no data."""
    if resource_type in _provider_index(DEFAULT_REGION):
        return True
    return resource_type in _all_resource_types() if _all_resource_types() else None


def resource_type_names() -> frozenset[str]:
    """Every resource type some region offers (for suggestions)."""
    return _all_resource_types()


@cache
def _all_resource_types() -> frozenset[str]:
    schemas = _schemas_dir()
    if schemas is None:
        return frozenset()
    names: set[str] = set()
    for index_file in sorted((schemas / "providers").glob("*.json")):
        index = _read_json(index_file)
        if isinstance(index, dict):
            names.update(key for key in index if isinstance(key, str))
    return frozenset(names)


def property_schema(resource_type: str, name: str, region: str = DEFAULT_REGION) -> Mapping[str, Any] | None:
    """The schema of one top-level property, with a top-level ``$ref`` into ``definitions`` resolved."""
    schema = provider_schema(resource_type, region)
    if schema is None:
        return None
    node = schema.get("properties", {}).get(name)
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        node = schema.get("definitions", {}).get(ref.removeprefix("#/definitions/"))
    return node if isinstance(node, dict) else None


def schema_at(resource_type: str, path: str, region: str = DEFAULT_REGION) -> Mapping[str, Any] | None:
    """The provider schema of the property at ``path`` ("TokenValidityUnits.AccessToken",
    "Users[0].Password"), following ``$ref``s into ``definitions`` and list ``items``; None when
    a step is not declared (a free-form map such as Lambda environment variables)."""
    schema = provider_schema(resource_type, region)
    if schema is None:
        return None
    definitions = schema.get("definitions", {})

    def resolve(node: Any) -> Any:
        for _ in range(10):  # $ref chains are short; bounded anyway
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#/definitions/")):
                break
            node = definitions.get(ref.removeprefix("#/definitions/"))
        return node

    node: Any = schema
    for step in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        node = resolve(node)
        if not isinstance(node, dict):
            return None
        if step.startswith("["):
            node = node.get("items")
        else:
            properties = node.get("properties")
            node = properties.get(step) if isinstance(properties, dict) else None
    node = resolve(node)
    return node if isinstance(node, dict) else None


def extension_dir_name(resource_type: str) -> str:
    """cfn-lint's folder name for a type: ``AWS::RDS::DBCluster`` -> ``aws_rds_dbcluster``."""
    return resource_type.replace("::", "_").lower()


@cache
def extension_schema(resource_type: str, filename: str) -> Mapping[str, Any] | None:
    """One of cfn-lint's schema fragments for ``resource_type`` (``engine_version.json``), or None."""
    schemas = _schemas_dir()
    if schemas is None or "/" in filename or "\\" in filename:
        return None
    fragment = _read_json(schemas / "extensions" / extension_dir_name(resource_type) / filename)
    return fragment if isinstance(fragment, dict) else None


@cache
def schema_date() -> str | None:
    """The ``schema_date`` cfn-lint records for its bundled provider schemas."""
    schemas = _schemas_dir()
    data = _read_json(schemas / "version.json") if schemas is not None else None
    return data.get("schema_date") if isinstance(data, dict) else None


# --------------------------------------------------------------------------------------------------
# Lambda runtimes and DMS engine versions


@cache
def lambda_runtime_lifecycle() -> Mapping[str, Mapping[str, Any]]:
    """Runtime -> {deprecated, create-block, update-block, successor} (ISO dates or None)."""
    root = cfnlint_data_dir()
    data = _read_json(root / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json") if root is not None else None
    return data if isinstance(data, dict) else {}


def _parse_date(text: Any) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def runtime_status(runtime: str, today: date) -> tuple[str, Mapping[str, Any]] | None:
    """``("blocked", entry)`` when Lambda no longer creates functions with ``runtime`` on ``today``,
    ``("deprecated", entry)`` when it is deprecated but still creatable, else None."""
    entry = lambda_runtime_lifecycle().get(runtime)
    if not isinstance(entry, dict):
        return None
    create_block = _parse_date(entry.get("create-block"))
    deprecated = _parse_date(entry.get("deprecated"))
    if create_block is not None and create_block <= today:
        return "blocked", entry
    if deprecated is not None and deprecated <= today:
        return "deprecated", entry
    return None


@cache
def dms_engine_versions() -> Mapping[str, Any]:
    data = _read_json(DMS_TABLE)
    return data if isinstance(data, dict) else {}


def _version_key(text: str) -> tuple[int, ...] | None:
    if not re.fullmatch(r"\d+(\.\d+)*", text):
        return None
    return tuple(int(part) for part in text.split("."))


def dms_version_status(version: str, today: date) -> tuple[str, str] | None:
    """``("unavailable", why)`` when DMS creates no new replication instance with ``version`` on
    ``today`` according to the table; None when the table does not prove it."""
    table = dms_engine_versions()
    versions = table.get("versions", {})
    entry = versions.get(version) if isinstance(versions, dict) else None
    if isinstance(entry, dict):
        blocked = _parse_date(entry.get("no_new_instances"))
        if blocked is not None and blocked <= today:
            return "unavailable", f"no new replication instances since {blocked.isoformat()}"
        return None
    key = _version_key(version)
    oldest = table.get("oldest_active")
    oldest_key = _version_key(oldest) if isinstance(oldest, str) else None
    if key is not None and oldest_key is not None and key < oldest_key:
        return "unavailable", f"older than {oldest}, the oldest version AWS still lists"
    return None


def dms_available(today: date) -> list[str]:
    """Versions the table lists as still creatable on ``today`` (for fix hints), newest first."""
    versions = dms_engine_versions().get("versions", {})
    if not isinstance(versions, dict):
        return []
    alive = [
        v
        for v, entry in versions.items()
        if isinstance(entry, dict)
        and (_parse_date(entry.get("no_new_instances")) or date.max) > today
        and _version_key(v)
    ]
    return sorted(alive, key=lambda v: _version_key(v) or (), reverse=True)


# --------------------------------------------------------------------------------------------------
# Applying schemas to model values
#
# A model value becomes plain data for jsonschema; what the analysis does not know stays visibly
# unknown: a Ref or Unknown becomes an ``Opaque`` object, a partly known string (``Concat``) a
# ``PartialStr``. Errors that depend on an unknown part are dropped (see ``proven_errors``), so a
# finding always rests on known values only.


class Opaque:
    """A value the analysis does not know (a reference, a parameter, an unknown expression)."""

    __slots__ = ("hint",)

    def __init__(self, hint: str = "?") -> None:
        self.hint = hint

    def __repr__(self) -> str:
        return f"<{self.hint}>"


class PartialStr(str):
    """A string with unknown parts (an f-string, ``Fn::Sub``): its type is known, its text is not."""

    __slots__ = ()


def to_instance(value: Value | None, opaque: Origin = Origin.NONE) -> Any:
    """Plain data for a model value, with unknown parts as ``Opaque`` / ``PartialStr``; a literal
    whose origin meets ``opaque`` counts as unknown too (a caller that cannot trust, say, a
    parameter's default)."""
    if isinstance(value, Literal) and value.origin & opaque:
        return Opaque(render(value))
    if isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, tuple):
            return [to_instance(item, opaque) for item in inner]
        if isinstance(inner, dict):
            if any(_is_intrinsic_key(key) for key in inner):
                return Opaque("intrinsic function")  # left unevaluated by the plugin
            return {str(key): to_instance(item, opaque) for key, item in inner.items()}
        return inner
    if isinstance(value, Concat):
        return PartialStr(render(value))
    if value is None:
        return Opaque("none")
    return Opaque(render(value))


def properties_instance(
    properties: Mapping[str, Value], opaque: Origin = Origin.NONE
) -> dict[str, Any] | Opaque:
    """The properties as plain data; ``Opaque`` when the mapping itself is an unevaluated intrinsic
    (``Properties: !If [...]``, ``Fn::Transform``), so not even its keys are known."""
    if any(_is_intrinsic_key(name) for name in properties):
        return Opaque("intrinsic function")
    return {name: to_instance(value, opaque) for name, value in properties.items()}


def _is_intrinsic_key(key: object) -> bool:
    return isinstance(key, str) and (key.startswith("Fn::") or key == "Ref")


def uncertain(instance: Any) -> bool:
    """True when ``instance`` is or contains something the analysis does not know."""
    if isinstance(instance, (Opaque, PartialStr)):
        return True
    if isinstance(instance, dict):
        return any(uncertain(item) for item in instance.values())
    if isinstance(instance, list):
        return any(uncertain(item) for item in instance)
    return False


_CONDITIONAL = frozenset(
    {"if", "then", "else", "not", "oneOf", "anyOf", "dependencies", "dependentRequired", "dependentSchemas"}
)
_NAMED_CHILD = frozenset(
    {"properties", "patternProperties", "dependencies", "dependentRequired", "dependentSchemas"}
)
_DESCENDS = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "items",
        "additionalItems",
        "contains",
        "prefixItems",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)


def _node_at(instance: Any, path: list[Any]) -> Any:
    node = instance
    for step in path:
        in_dict = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_dict or in_list:
            node = node[step]
        else:
            return Opaque("missing")
    return node


def _rests_on_unknown(error: Any, instance: Any) -> bool:
    """Would the error go away if the unknown parts took other values?"""
    if error.validator not in ("required", "additionalProperties") and uncertain(error.instance):
        return True
    instance_path = list(error.absolute_path)
    schema_path = list(error.absolute_schema_path)
    depth, index = 0, 0
    while index < len(schema_path):
        token = schema_path[index]
        if token in _CONDITIONAL and uncertain(_node_at(instance, instance_path[:depth])):
            return True  # a condition was decided on an unknown value
        if token in _DESCENDS:
            depth += 1
        if token in _NAMED_CHILD or (
            token in ("items", "prefixItems")
            and index + 1 < len(schema_path)
            and isinstance(schema_path[index + 1], int)
        ):
            index += 1  # skip the property name / tuple index that follows
        index += 1
    return False


def proven_errors(schema: Mapping[str, Any], instance: Any) -> list[Any]:
    """The ``jsonschema`` errors of ``instance`` that hold whatever the unknown parts turn out to be.

    The validator follows CloudFormation's coercions (a number where a string is expected is
    accepted, ``"true"`` is a boolean, ``15.4`` equals ``"15.4"``); a schema jsonschema cannot apply
    (an unresolvable ``$ref``, a regular expression Python does not accept) yields what was found
    before the failure, never an exception."""
    validator = _validator_for(schema)
    found: list[Any] = []
    if validator is None:
        return found
    try:
        for error in validator.iter_errors(instance):
            if not _rests_on_unknown(error, instance):
                found.append(error)
    except Exception:  # third-party data we do not control: keep what was proven so far
        return found
    return found


_VALIDATORS: dict[int, tuple[Mapping[str, Any], Any]] = {}
_MAX_VALIDATORS = 512


def _validator_for(schema: Mapping[str, Any]) -> Any:
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    try:
        validator = _validator_class()(schema)
    except Exception:
        return None
    if len(_VALIDATORS) >= _MAX_VALIDATORS:
        _VALIDATORS.clear()  # callers passing fresh schema objects must not grow this forever
    _VALIDATORS[id(schema)] = (schema, validator)
    return validator


@cache
def _validator_class() -> Any:
    import jsonschema  # imported only when a rule validates something

    def lenient_type(validator: Any, types: Any, instance: Any, schema: Any) -> Iterator[Any]:
        wanted = types if isinstance(types, list) else [types]
        if not all(kind in _TYPE_NAMES for kind in wanted):
            return  # a malformed schema proves nothing
        if isinstance(instance, Opaque) or any(_coerces(instance, kind) for kind in wanted):
            return
        yield jsonschema.ValidationError(f"{_show(instance)} is not of type {' or '.join(map(str, wanted))}")

    def loose_enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not isinstance(enums, list) or isinstance(instance, (Opaque, PartialStr)):
            return
        if isinstance(instance, str):
            # two strings are loosely equal only when equal: test membership at C speed, and
            # compare loosely with the few non-string entries only
            if instance in enums:
                return
            if any(_loose_equal(instance, item) for item in enums if not isinstance(item, str)):
                return
            yield jsonschema.ValidationError(f"{_show(instance)} is not one of {enums!r}")
            return
        if not any(_loose_equal(instance, item) for item in enums):
            yield jsonschema.ValidationError(f"{_show(instance)} is not one of {enums!r}")

    def loose_const(validator: Any, const: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not _loose_equal(instance, const):
            yield jsonschema.ValidationError(f"{const!r} was expected")

    def safe_pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not isinstance(instance, str) or isinstance(instance, PartialStr) or not isinstance(pattern, str):
            return
        compiled = compile_pattern(pattern)
        if compiled is not None and not compiled.search(instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")

    return jsonschema.validators.extend(
        jsonschema.Draft7Validator,
        validators={"type": lenient_type, "enum": loose_enum, "const": loose_const, "pattern": safe_pattern},
    )


@cache
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


_TYPE_NAMES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def _coerces(instance: Any, kind: str) -> bool:
    """CloudFormation converts scalars between strings, numbers and booleans."""
    if isinstance(instance, PartialStr):
        return kind == "string"
    if kind == "string":
        return isinstance(instance, (str, int, float, bool))
    if kind in ("number", "integer"):
        if isinstance(instance, bool):
            return False
        if isinstance(instance, int) or (isinstance(instance, float) and kind == "number"):
            return True
        if isinstance(instance, float):
            return instance.is_integer()
        if isinstance(instance, str):
            try:
                number = float(instance)
            except ValueError:
                return False
            return kind == "number" or number.is_integer()
        return False
    if kind == "boolean":
        textual = isinstance(instance, str) and instance.lower() in ("true", "false")
        return isinstance(instance, bool) or textual
    if kind == "array":
        return isinstance(instance, list)
    if kind == "object":
        return isinstance(instance, dict)
    if kind == "null":
        return instance is None
    return False


def _loose_equal(instance: Any, expected: Any) -> bool:
    if isinstance(instance, (Opaque, PartialStr)):
        return True  # unknown: cannot be proven different
    if isinstance(instance, (dict, list)) or isinstance(expected, (dict, list)):
        return bool(instance == expected)
    if isinstance(instance, bool) or isinstance(expected, bool):
        return _scalar_text(instance).lower() == _scalar_text(expected).lower()
    if isinstance(instance, float) or isinstance(expected, float):
        # YAML reads 15.10 as the float 15.1: compare numerically rather than by text
        try:
            return float(instance) == float(expected)
        except (TypeError, ValueError):
            return False
    if instance == expected:
        return True
    return instance is not None and expected is not None and str(instance) == str(expected)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _show(instance: Any) -> str:
    text = repr(instance)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------------------------------
# What we read, for `iacscan rules --data-sources`


def data_sources() -> list[dict[str, str]]:
    """Each data source iacscan reads at run time: name, version, where, how to refresh."""
    root = cfnlint_data_dir()
    version = cfnlint_version() or "not installed"
    where = str(root) if root is not None else "cfn-lint is not installed"
    refresh = "pip install --upgrade cfn-lint"
    dms = dms_engine_versions()
    return [
        {
            "name": "CloudFormation resource provider schemas (cfn-lint)",
            "version": f"cfn-lint {version}, schema_date {schema_date() or 'unknown'}",
            "path": f"{where}/schemas/providers/<region>.json, {where}/schemas/resources/<hash>.json",
            "used_by": "IAC008 invalid-property, IAC009 name-constraint, IAC007 (DocumentDB, Lambda)",
            "refresh": refresh,
        },
        {
            "name": "cfn-lint schema extensions",
            "version": f"cfn-lint {version}",
            "path": f"{where}/schemas/extensions/<type>/*.json",
            "used_by": "IAC007 unavailable-engine-version (RDS, ElastiCache engine versions)",
            "refresh": refresh,
        },
        {
            "name": "Lambda runtime lifecycle (cfn-lint)",
            "version": f"cfn-lint {version}",
            "path": f"{where}/AdditionalSpecs/LmbdRuntimeLifecycle.json",
            "used_by": "IAC007 unavailable-engine-version (Lambda runtimes)",
            "refresh": refresh,
        },
        {
            "name": "DMS replication engine versions (iacscan table)",
            "version": f"retrieved {dms.get('retrieved', 'unknown')}",
            "path": str(DMS_TABLE),
            "used_by": "IAC007 unavailable-engine-version (DMS)",
            "refresh": f"edit by hand from {dms.get('source', 'the AWS DMS release notes')}",
        },
    ]
