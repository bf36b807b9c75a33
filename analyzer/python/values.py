"""Evaluator-side values: the model's values plus the Python objects the evaluator tracks.

The evaluator works on ``EValue``: a model :data:`~analyzer.model.Value` (``Literal``, ``Ref``,
``Unknown``, ``Concat``) or an :class:`Obj` (a class, a function, an instance of a worktree class,
a name from outside the worktree, or a platform object such as a Pulumi resource). ``Literal``
lists and mappings may hold ``Obj`` items while evaluating; :func:`to_value` converts everything
to model values at the boundary (an object becomes ``Unknown`` unless it knows better, e.g. a
resource handle is a ``Ref``).

Platform plugins subclass :class:`Obj` and override ``attribute``/``call``/``method``/``to_value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from analyzer.model import Concat, Literal, Location, Origin, Ref, Unknown, Value

if TYPE_CHECKING:
    import libcst as cst

    from analyzer.python.evaluator import CallSite, Evaluator
    from analyzer.python.project import ClassRef, FunctionRef
    from analyzer.python.source import SourceModule


class Obj:
    """A Python object the evaluator tracks. Subclasses answer attribute reads and calls."""

    __slots__ = ()

    def hint(self) -> str:
        return type(self).__name__

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        """``obj.name``; None lets the evaluator decide (usually Unknown)."""
        return None

    def call(self, ev: Evaluator, site: CallSite) -> EValue | None:
        """``obj(...)``."""
        return None

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        """``obj.name(...)``; default: read the attribute, then call it."""
        return None

    def to_value(self) -> Value:
        return Unknown("a Python object", hint=self.hint())


EValue: TypeAlias = "Literal | Ref | Unknown | Concat | Obj"


@dataclass(eq=False, slots=True)
class ExternalObj(Obj):
    """A module or name from outside the worktree (``pulumi_aws.s3``, ``json.dumps``)."""

    qualname: str

    def hint(self) -> str:
        return self.qualname

    def to_value(self) -> Value:
        return Unknown("a value from outside the worktree", Origin.EXTERNAL, hint=self.qualname)


@dataclass(eq=False, slots=True)
class ClassObj(Obj):
    ref: ClassRef

    def hint(self) -> str:
        return self.ref.name


@dataclass(eq=False, slots=True)
class FunctionObj(Obj):
    ref: FunctionRef
    globals: dict[str, Any]  # the defining module's namespace
    closure: Any = None  # the enclosing Frame for nested functions
    bound_self: EValue | None = None
    owner: ClassRef | None = None  # the class defining the method (for super())
    is_method: bool = False  # bound: the first parameter receives bound_self

    def hint(self) -> str:
        return self.ref.name + "()"


@dataclass(eq=False, slots=True)
class LambdaObj(Obj):
    node: cst.Lambda
    module: SourceModule
    closure: Any  # Frame

    def hint(self) -> str:
        return "lambda"


@dataclass(eq=False, slots=True)
class InstanceObj(Obj):
    """An instance of a worktree class; attributes are what its methods assigned."""

    cls: ClassRef
    attrs: dict[str, EValue] = field(default_factory=dict)
    location: Location | None = None
    data: dict[str, Any] = field(default_factory=dict)  # platform annotations (component name, ...)

    def hint(self) -> str:
        return self.cls.name + "(...)"


@dataclass(eq=False, slots=True)
class ModuleObj(Obj):
    """A worktree module; its namespace fills as its body is evaluated."""

    path: str
    name: str
    namespace: dict[str, EValue] = field(default_factory=dict)

    def hint(self) -> str:
        return self.name


@dataclass(eq=False, slots=True)
class JsonText(Obj):
    """``json.dumps(x)``: a string holding a JSON document; modelled as the document itself."""

    document: EValue

    def hint(self) -> str:
        return "json.dumps(...)"

    def to_value(self) -> Value:
        return to_value(self.document)


# -- helpers -----------------------------------------------------------------------------------------


def to_value(value: EValue | None, _depth: int = 0) -> Value:
    """Convert an evaluator value to a model value (recursively for lists and mappings)."""
    if value is None:
        return Literal(None)
    if isinstance(value, Obj):
        return value.to_value()
    if _depth > 50:
        return Unknown("value nests too deeply")
    if isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, tuple):
            if all(isinstance(item, (Literal, Ref, Unknown, Concat)) and _plain(item) for item in inner):
                return value
            return Literal(tuple(to_value(item, _depth + 1) for item in inner), value.origin, value.location)
        if isinstance(inner, dict):
            return Literal(
                {key: to_value(item, _depth + 1) for key, item in inner.items()}, value.origin, value.location
            )
    return value  # type: ignore[return-value]


def _plain(value: Value) -> bool:
    return not isinstance(value, Literal) or not isinstance(value.value, (tuple, dict))


def origin_of(value: EValue | None) -> Origin:
    if value is None or isinstance(value, Obj):
        return Origin.NONE
    return value.origin


def truthiness(value: EValue) -> bool | None:
    """Python truthiness when known, else None."""
    if isinstance(value, Literal):
        inner = value.value
        return bool(inner)
    if isinstance(value, Concat):
        return True if any(isinstance(p, Literal) and p.value for p in value.parts) else None
    if isinstance(value, (Ref, Obj)):
        return True
    return None


def merge(first: EValue, second: EValue, hint: str | None = None) -> EValue:
    """The value of a variable after two paths that may have set it differently."""
    if first is second:
        return first
    if not isinstance(first, Obj) and not isinstance(second, Obj) and first == second:
        return first
    if isinstance(first, Literal) and first.value is None:
        return second
    if isinstance(second, Literal) and second.value is None:
        return first
    origin = origin_of(first) | origin_of(second)
    return Unknown("depends on a run-time condition", origin, hint=hint or _hint(first) or _hint(second))


def _hint(value: EValue) -> str | None:
    if isinstance(value, Unknown):
        return value.hint
    if isinstance(value, Obj):
        return value.hint()
    return None


def with_origin(value: EValue, origin: Origin) -> EValue:
    """Add origin flags to a value (objects are returned as they are)."""
    if not origin or isinstance(value, Obj):
        return value
    if isinstance(value, Literal):
        return Literal(value.value, value.origin | origin, value.location)
    if isinstance(value, Ref):
        return Ref(value.resource, value.attribute, value.origin | origin, value.location)
    if isinstance(value, Unknown):
        return Unknown(value.reason, value.origin | origin, value.location, value.hint)
    return Concat(value.parts, value.origin | origin, value.location)


_NORMALIZE = re.compile(r"[^a-z0-9]")

# Names that carry the per-deployment suffix, and names of an environment *name*, after lower-casing
# and removing separators (environment_suffix, environmentSuffix, ENVIRONMENT_SUFFIX all match).
SUFFIX_NAMES = frozenset(
    {
        "environmentsuffix",
        "envsuffix",
        "suffix",
        "stacksuffix",
        "deploymentsuffix",
        "resourcesuffix",
        "namesuffix",
        "prsuffix",
        "uniquesuffix",
    }
)
ENV_NAMES = frozenset(
    {
        "environment",
        "env",
        "stage",
        "environmentname",
        "environmenttype",
        "envname",
        "deploymentenvironment",
        "envtype",
        "stagename",
    }
)


def normalize_name(name: str) -> str:
    return _NORMALIZE.sub("", name.lower())


def name_origin(name: str, extra_suffix_names: frozenset[str] = frozenset()) -> Origin:
    """The origin a value gets from the name that carries it (a config key, a parameter)."""
    key = normalize_name(name.rsplit(":", 1)[-1])
    if key in SUFFIX_NAMES or key in extra_suffix_names:
        return Origin.SUFFIX
    if key in ENV_NAMES:
        return Origin.ENV_NAME
    return Origin.NONE


def text_part(value: EValue) -> Value:
    """A value as it appears inside an f-string."""
    if isinstance(value, Obj):
        return Unknown("object rendered as text", hint=value.hint())
    if isinstance(value, Literal) and isinstance(value.value, (tuple, dict)):
        return Unknown("container rendered as text", value.origin)
    return value


def id_text(value: Value) -> str:
    """A value rendered for a logical id: unknown parts as ``{hint}``."""
    if isinstance(value, Literal):
        return "" if value.value is None else str(value.value)
    if isinstance(value, Ref):
        return "{" + value.resource + ("." + value.attribute if value.attribute else "") + "}"
    if isinstance(value, Unknown):
        return "{" + (value.hint or "?") + "}"
    return "".join(id_text(part) for part in value.parts)
