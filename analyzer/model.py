"""The platform-neutral model every rule reads.

Plugins turn Pulumi Python, CDK Python and CloudFormation sources into these objects; rules and the
graph read nothing else. Everything here is frozen data.

Values
------
Every value a plugin extracts is one of:

* ``Literal``: a known scalar (str, int, float, bool, None), a list (``tuple`` of values) or a
  mapping (``dict`` of str to values);
* ``Ref``: a reference to another resource (optionally to one of its attributes);
* ``Unknown``: the analysis cannot know the value; ``reason`` says why;
* ``Concat``: a string assembled from parts (an f-string, ``Fn::Sub``, ``Fn::Join``), each part one
  of the kinds above. A ``Concat`` whose parts are all literal strings is collapsed to a ``Literal``
  by :func:`concat`.

Each value carries ``origin`` flags (where it came from: the environment suffix, config, an
environment variable, the stack name, ...), computed once by the plugin. A rule asks
``value.origin & Origin.SUFFIX`` instead of re-deriving where a string came from.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file. ``path`` is POSIX and relative to the scanned root; lines and
    columns are 1-based (column 0 means "the whole line")."""

    path: str
    line: int = 1
    column: int = 0
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"


class Origin(enum.Flag):
    """Where a value came from. Flags combine: ``f"{app}-{suffix}"`` is ``CONFIG | SUFFIX``."""

    NONE = 0
    SUFFIX = enum.auto()  # the per-deployment environment suffix (EnvironmentSuffix, ENVIRONMENT_SUFFIX, ...)
    ENV_NAME = enum.auto()  # an environment *name* (dev/staging/prod): not unique per deployment
    STACK_NAME = enum.auto()  # the stack's own name (AWS::StackName, pulumi.get_stack(), a CDK stack name)
    UNIQUE = enum.auto()  # unique by construction (random provider, AWS::StackId, CDK/Pulumi auto-naming)
    CONFIG = enum.auto()  # Pulumi config, CDK context, a CloudFormation parameter
    ENV_VAR = enum.auto()  # os.environ / os.getenv
    PARAMETER = enum.auto()  # a CloudFormation template parameter
    ACCOUNT = enum.auto()  # AWS::AccountId, caller identity
    REGION = enum.auto()  # AWS::Region
    MAYBE_UPPERCASE = (
        enum.auto()
    )  # may contain capitals at deploy time (AWS::StackName when stacks are "TapStack...")
    EXTERNAL = enum.auto()  # from outside the worktree (an import, a lookup, a data source)

    @property
    def per_deployment(self) -> bool:
        """True when the value differs between two deployments of the same code."""
        return bool(self & (Origin.SUFFIX | Origin.STACK_NAME | Origin.UNIQUE))


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any  # str | int | float | bool | None | tuple[Value, ...] | dict[str, Value]
    origin: Origin = Origin.NONE
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Ref:
    resource: str  # the referenced resource's id (Resource.id)
    attribute: str | None = None  # "Arn", "Id", ...; None for CloudFormation's plain Ref
    origin: Origin = Origin.NONE
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Unknown:
    reason: str
    origin: Origin = Origin.NONE
    location: Location | None = field(default=None, compare=False)
    hint: str | None = None  # a readable rendering of the expression, e.g. "args.vpc_id"
    # The literal text an input falls back to when it is not set (`config.get("pw") or "x"`): the
    # value is unknown, but this literal is in the code. Only the `or` that wrote it sets it; any
    # later merge or rewrap drops it, so it never stands for a value that may have been replaced.
    fallback: Literal | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Concat:
    parts: tuple[Value, ...]
    origin: Origin = Origin.NONE
    location: Location | None = field(default=None, compare=False)


Value: TypeAlias = Literal | Ref | Unknown | Concat


def concat(parts: list[Value] | tuple[Value, ...], location: Location | None = None) -> Value:
    """Join string parts, collapsing neighbouring literals; all-literal input gives a ``Literal``."""
    merged: list[Value] = []
    for part in parts:
        if isinstance(part, Concat):
            candidates: tuple[Value, ...] = part.parts
        else:
            candidates = (part,)
        for piece in candidates:
            if isinstance(piece, Literal) and not isinstance(piece.value, (tuple, dict)):
                text = "" if piece.value is None else _scalar_text(piece.value)
                if merged and isinstance(merged[-1], Literal):
                    prev = merged[-1]
                    merged[-1] = Literal(prev.value + text, prev.origin | piece.origin, prev.location)
                else:
                    merged.append(Literal(text, piece.origin, piece.location))
            else:
                merged.append(piece)
    origin = Origin.NONE
    for piece in merged:
        origin |= piece.origin
    if not merged:
        return Literal("", Origin.NONE, location)
    if len(merged) == 1 and isinstance(merged[0], Literal):
        only = merged[0]
        return Literal(only.value, origin, location or only.location)
    return Concat(tuple(merged), origin, location)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def literal_of(value: Value | None, default: Any = None) -> Any:
    """The plain Python value if ``value`` is entirely known, else ``default``.

    Lists and mappings are converted recursively; any unknown part gives ``default``."""
    sentinel = _MISSING
    result = _plain(value, sentinel)
    return default if result is sentinel else result


_MISSING = object()


def _plain(value: Value | None, sentinel: object) -> Any:
    if not isinstance(value, Literal):
        return sentinel
    inner = value.value
    if isinstance(inner, tuple):
        items = [_plain(item, sentinel) for item in inner]
        return sentinel if any(item is sentinel for item in items) else items
    if isinstance(inner, dict):
        pairs = {key: _plain(item, sentinel) for key, item in inner.items()}
        return sentinel if any(item is sentinel for item in pairs.values()) else pairs
    return inner


def render(value: Value | None) -> str:
    """A short human rendering: ``"bucket-${suffix}"`` style, for messages."""
    if value is None:
        return "<none>"
    if isinstance(value, Literal):
        if isinstance(value.value, str):
            return value.value
        if isinstance(value.value, tuple):
            return "[" + ", ".join(render(item) for item in value.value) + "]"
        if isinstance(value.value, dict):
            return "{" + ", ".join(f"{k}: {render(v)}" for k, v in value.value.items()) + "}"
        return _scalar_text(value.value)
    if isinstance(value, Ref):
        return f"${{{value.resource}.{value.attribute}}}" if value.attribute else f"${{{value.resource}}}"
    if isinstance(value, Unknown):
        return "${" + (value.hint or "?") + "}"
    return "".join(render(part) for part in value.parts)


def iter_refs(value: Value | None, path: str = "") -> Iterator[tuple[str, Ref]]:
    """Every ``Ref`` inside ``value``, with the property path where it occurs (``Targets[0].RoleArn``)."""
    if isinstance(value, Ref):
        yield path, value
    elif isinstance(value, Concat):
        for part in value.parts:
            yield from iter_refs(part, path)
    elif isinstance(value, Literal):
        if isinstance(value.value, tuple):
            for index, item in enumerate(value.value):
                yield from iter_refs(item, f"{path}[{index}]")
        elif isinstance(value.value, dict):
            for key, item in value.value.items():
                yield from iter_refs(item, f"{path}.{key}" if path else key)


def get_path(value: Value | None, *keys: str | int) -> Value | None:
    """Walk into mappings (str keys) and lists (int keys); None when a step is absent or unknown."""
    current = value
    for key in keys:
        if not isinstance(current, Literal):
            return None
        inner = current.value
        if (isinstance(key, int) and isinstance(inner, tuple) and -len(inner) <= key < len(inner)) or (
            isinstance(key, str) and isinstance(inner, dict) and key in inner
        ):
            current = inner[key]  # type: ignore[index]  # int keys index tuples, str keys dicts (checked above)
        else:
            return None
    return current


def items_of(value: Value | None) -> tuple[Value, ...]:
    """The elements of a known list; a single non-list value counts as a one-element list."""
    if isinstance(value, Literal) and isinstance(value.value, tuple):
        return value.value
    if value is None:
        return ()
    return (value,)


# --------------------------------------------------------------------------------------------------
# Resources


@dataclass(frozen=True, slots=True)
class Dependency:
    """An explicit ordering: ``DependsOn``, ``depends_on=[...]``, ``node.add_dependency``."""

    target: str  # Resource.id of the prerequisite
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class SdkCall:
    """An AWS SDK call found in code that runs as a resource (a Lambda's handler code).

    ``service`` is the boto3 client name (``scheduler``), ``operation`` the botocore operation name
    (``CreateSchedule``), ``arguments`` the keyword arguments as values."""

    service: str
    operation: str
    arguments: Mapping[str, Value]
    location: Location


@dataclass(frozen=True, slots=True)
class FunctionCode:
    """What is known of the code a function deploys (inline or from a directory in the worktree)."""

    language: str | None  # "python", "node", ... or None when unknown
    source: Location | None  # where the code is (inline property or file)
    handler_found: bool | None  # handler module/function exists; None when it cannot be known
    sdk_calls: tuple[SdkCall, ...] = ()
    defined_functions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resource:
    """One cloud resource, in CloudFormation terms on every platform.

    ``type`` is the CloudFormation type name (``AWS::IAM::Role``); platform-only resources keep a
    namespaced type (``Pulumi::AWS::IAM::RolePolicyAttachment``). ``properties`` are in CloudFormation
    property space (``EngineVersion``, not ``engine_version``) as far as the plugin's tables reach.
    """

    id: str  # unique within the project: CFN logical id, Pulumi logical name, CDK construct path
    type: str
    location: Location
    properties: Mapping[str, Value] = field(default_factory=dict)
    property_locations: Mapping[str, Location] = field(default_factory=dict)
    # The physical name: None means the platform generates one (auto-named, never collides).
    name: Value | None = None
    name_property: str | None = None  # which property set it ("BucketName", "name", ...)
    depends_on: tuple[Dependency, ...] = ()
    # Lifecycle and platform options in neutral words: "DeletionPolicy", "UpdateReplacePolicy",
    # "Condition", "protect", "retain_on_delete", "RemovalPolicy", "parent".
    options: Mapping[str, Value] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)  # CFN Metadata (plain data)
    source_type: str = ""  # the platform's own token: "aws:rds/cluster:Cluster", "aws_cdk.aws_s3.Bucket"
    component: str | None = None  # the component/stack/construct that created it
    code: FunctionCode | None = None  # for functions: what their code does
    in_loop: bool = False  # created inside a loop (one source line, several resources)

    def prop(self, *keys: str | int) -> Value | None:
        if not keys:
            return None
        head, *rest = keys
        value = self.properties.get(head) if isinstance(head, str) else None
        return get_path(value, *rest) if rest else value

    def location_of(self, property_name: str | None) -> Location:
        if property_name and property_name in self.property_locations:
            return self.property_locations[property_name]
        return self.location


# --------------------------------------------------------------------------------------------------
# Entry points and component signatures (Python platforms)


@dataclass(frozen=True, slots=True)
class CallCheck:
    """A call that constructs one of the project's own classes, bound to its signature the way
    Python binds it. Empty tuples mean the call binds; ``certain`` is False when ``*args`` or an
    unknown ``**kwargs`` make the outcome unknowable (rules stay silent then)."""

    callee: str  # class name as written at the definition ("TapStackArgs")
    location: Location  # the call
    definition: Location | None  # the class / __init__ definition
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    too_many_positional: int = 0
    duplicates: tuple[str, ...] = ()
    certain: bool = True
    in_entry_point: bool = True
    via: str | None = None  # "**kwargs to aws_cdk.Stack" when the failure is in a library base class


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """``from lib.x import Name`` that fails at start-up: the module or the name does not exist."""

    module: str
    name: str | None  # None: the module itself is missing
    location: Location
    available: tuple[str, ...] = ()  # what the module does define


@dataclass(frozen=True, slots=True)
class AttributeProblem:
    """A component reads ``args.foo`` but the args class defines no ``foo``; or (``kind`` "module")
    code reads a name a library module does not have (``cloudwatch.SnsAction``), ``available``
    then listing where the library does define it."""

    owner_class: str
    attribute: str
    location: Location
    definition: Location | None
    available: tuple[str, ...] = ()
    kind: str = "class"  # "class": a worktree class; "module": a library module; "import": from it


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A file the plugin could not read or decode; the engine reports it (IAC901/IAC902)."""

    location: Location
    message: str
    kind: str = "parse"  # "parse" | "skipped" | "limit"


@dataclass(frozen=True, slots=True)
class SuffixInfo:
    """How the project receives its per-deployment environment suffix."""

    declared: bool  # a parameter/config/context/env var carries it
    names: tuple[str, ...] = ()  # e.g. ("EnvironmentSuffix",) or ("environment_suffix", "ENVIRONMENT_SUFFIX")
    location: Location | None = None  # where it is declared or read
    env_name_only: tuple[str, ...] = ()  # environment *name* parameters found (Environment, Stage)


@dataclass(frozen=True, slots=True)
class Project:
    """One worktree as one platform sees it."""

    root: str  # absolute path of the worktree
    platform: str  # "pulumi" | "cdk" | "cloudformation"
    entry_point: str | None = None  # relative path
    resources: tuple[Resource, ...] = ()
    parameters: Mapping[str, Value] = field(default_factory=dict)  # config keys / template parameters
    suffix: SuffixInfo = SuffixInfo(declared=False)
    calls: tuple[CallCheck, ...] = ()
    import_problems: tuple[ImportProblem, ...] = ()
    attribute_problems: tuple[AttributeProblem, ...] = ()
    problems: tuple[ParseProblem, ...] = ()
    files: tuple[str, ...] = ()  # relative paths the plugin read
    metadata: Mapping[str, Any] = field(default_factory=dict)  # metadata.json, if any (plain data)
    facts: Mapping[str, Any] = field(default_factory=dict)  # plugin facts for reports (twin templates, ...)
    _by_id: dict[str, Resource] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {resource.id: resource for resource in self.resources})

    def resource(self, resource_id: str) -> Resource | None:
        return self._by_id.get(resource_id)

    def of_type(self, *types: str) -> list[Resource]:
        return [resource for resource in self.resources if resource.type in types]
