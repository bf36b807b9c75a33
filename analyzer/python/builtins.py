"""Python built-ins the evaluator models on known values: str/list/dict methods, ``%`` and
``.format``, comparisons, and ``os.path``/``pathlib`` helpers (paths are worktree-relative POSIX
strings). Every function answers a value or ``Unknown``; none raises on odd input."""

from __future__ import annotations

import operator
import posixpath
import string
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import libcst as cst

from analyzer.model import Concat, Literal, Location, Origin, Ref, Unknown, Value, concat
from analyzer.python.values import EValue, Obj, origin_of, text_part

if TYPE_CHECKING:
    from analyzer.python.evaluator import CallSite, Evaluator, Frame

COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
}


PATH_FUNCTIONS = frozenset(
    {
        "os.path.join",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.path.basename",
        "os.getcwd",
    }
)


def path_call(qualname: str, args: Sequence[EValue], location: Location) -> EValue:
    """``os.path`` helpers and ``pathlib.Path`` on known strings, as worktree-relative POSIX paths."""
    texts = [a.value for a in args if isinstance(a, Literal) and isinstance(a.value, str)]
    if len(texts) != len(args):
        return Unknown("path from unknown parts", location=location, hint=qualname + "(...)")
    if qualname == "os.getcwd":
        return Literal(".", location=location)
    if qualname in ("os.path.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"):
        return Literal(posixpath.normpath(posixpath.join(*texts)) if texts else ".", location=location)
    if not texts:
        return Unknown("path", location=location)
    if qualname == "os.path.dirname":
        return Literal(posixpath.dirname(texts[0]) or ".", location=location)
    if qualname == "os.path.basename":
        return Literal(posixpath.basename(texts[0]), location=location)
    return Literal(posixpath.normpath(texts[0]), location=location)


def iteration_items(value: EValue | None) -> list[EValue] | None:
    if isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, tuple):
            return list(inner)
        if isinstance(inner, dict):
            return [Literal(key) for key in inner]
        if isinstance(inner, str):
            return [Literal(ch) for ch in inner]
    return None


def is_text(value: EValue) -> bool:
    if isinstance(value, Literal):
        return isinstance(value.value, str)
    return isinstance(value, (Concat, Unknown, Ref))


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_value(text: str, kind: type) -> Any:
    try:
        return kind(text.replace("_", "")) if kind is float else int(text.replace("_", ""), 0)
    except ValueError:
        return None


def compare_values(op: cst.BaseCompOp, left: EValue, right: EValue) -> bool | None:
    if isinstance(op, (cst.Is, cst.IsNot)):
        if isinstance(right, Literal) and right.value is None:
            if isinstance(left, Literal):
                outcome = left.value is None
            elif isinstance(left, (Ref, Obj, Concat)):
                outcome = False
            else:
                return None
            return outcome if isinstance(op, cst.Is) else not outcome
        return None
    if not (isinstance(left, Literal) and isinstance(right, Literal)):
        return None
    if isinstance(op, (cst.In, cst.NotIn)):
        container = right.value
        if isinstance(container, tuple):
            if not all(isinstance(i, Literal) for i in container):
                return None
            found = any(i.value == left.value for i in container)  # type: ignore[union-attr]
        elif isinstance(container, (dict, str)):
            found = left.value in container if isinstance(left.value, str) else False
        else:
            return None
        return found if isinstance(op, cst.In) else not found
    function = COMPARE.get(type(op))
    if function is None or isinstance(left.value, (tuple, dict)) or isinstance(right.value, (tuple, dict)):
        return None
    try:
        return bool(function(left.value, right.value))
    except TypeError:
        return None


def percent_format(template: Literal, args: EValue, location: Location) -> EValue:
    values = args.value if isinstance(args, Literal) and isinstance(args.value, tuple) else (args,)
    if all(isinstance(v, Literal) and not isinstance(v.value, (tuple, dict)) for v in values):
        try:
            text = template.value % tuple(v.value for v in values)  # type: ignore[union-attr]
            origin = template.origin
            for v in values:
                origin |= origin_of(v)
            return Literal(text, origin, location)
        except (TypeError, ValueError, KeyError):
            return Unknown("bad % format", location=location)
    # Only %s placeholders can be split into parts safely.
    pieces = template.value.split("%s")
    if len(pieces) - 1 != len(values) or "%" in "".join(pieces).replace("%%", ""):
        return Unknown("% format of unknown values", location=location)
    parts: list[Any] = []
    for index, piece in enumerate(pieces):
        parts.append(Literal(piece.replace("%%", "%")))
        if index < len(values):
            parts.append(text_part(values[index]))
    return concat(parts, location)


def format_method(template: Literal, site: CallSite) -> EValue:
    """``"{}-{name}".format(a, name=b)`` for plain ``{}``, ``{0}`` and ``{name}`` fields."""
    parts: list[Any] = []
    auto = 0
    try:
        parsed = list(string.Formatter().parse(template.value))
    except ValueError:
        return Unknown("bad format string", location=site.location)
    for literal_text, field_name, spec, conversion in parsed:
        parts.append(Literal(literal_text))
        if field_name is None:
            continue
        if spec or conversion or "." in field_name or "[" in field_name:
            return Unknown("format with a spec", location=site.location)
        if field_name == "":
            value = site.args[auto] if auto < len(site.args) else None
            auto += 1
        elif field_name.isdigit():
            index = int(field_name)
            value = site.args[index] if index < len(site.args) else None
        else:
            value = site.kwargs.get(field_name)
        if value is None:
            return Unknown("format argument missing", location=site.location)
        parts.append(text_part(value))
    return concat(parts, site.location)


def _lowered(value: Value) -> Value:
    """A part of a ``.lower()``-ed string: it can no longer hold capitals."""
    if isinstance(value, Unknown):
        return Unknown(value.reason, value.origin & ~Origin.MAYBE_UPPERCASE, value.location, value.hint)
    if isinstance(value, Ref):
        return Ref(value.resource, value.attribute, value.origin & ~Origin.MAYBE_UPPERCASE, value.location)
    return value


def literal_method(ev: Evaluator, target: EValue, name: str, site: CallSite) -> EValue | None:
    """str / list / dict methods on known values."""
    location = site.location
    args = site.args
    if isinstance(target, Literal) and isinstance(target.value, str):
        text = target.value
        if name in ("resolve", "absolute", "as_posix") and not args:  # pathlib.Path, modelled as str
            return target
        if name == "format":
            return format_method(target, site)
        if name == "join" and args:
            items = iteration_items(args[0])
            if items is None:
                return Unknown("join of unknown items", origin_of(args[0]), location)
            parts: list[Any] = []
            for index, item in enumerate(items):
                if index:
                    parts.append(Literal(text))
                parts.append(text_part(item))
            return concat(parts, location)
        simple: dict[str, Callable[[str], str]] = {
            "lower": str.lower,
            "upper": str.upper,
            "strip": str.strip,
            "title": str.title,
            "capitalize": str.capitalize,
            "lstrip": str.lstrip,
            "rstrip": str.rstrip,
        }
        if name in simple and not args:
            return Literal(simple[name](text), target.origin, location)
        if (
            name == "replace"
            and len(args) >= 2
            and all(isinstance(a, Literal) and isinstance(a.value, str) for a in args[:2])
        ):
            return Literal(text.replace(args[0].value, args[1].value), target.origin, location)  # type: ignore[union-attr]
        if (
            name in ("startswith", "endswith")
            and args
            and isinstance(args[0], Literal)
            and isinstance(args[0].value, (str, tuple))
        ):
            probe = (
                args[0].value
                if isinstance(args[0].value, str)
                else tuple(i.value for i in args[0].value if isinstance(i, Literal))
            )
            return Literal(getattr(text, name)(probe), location=location)
        if name == "split" and all(isinstance(a, Literal) for a in args):
            pieces = text.split(*[a.value for a in args])  # type: ignore[union-attr]
            return Literal(tuple(Literal(p, target.origin) for p in pieces), target.origin, location)
    if isinstance(target, (Concat, Unknown)) and name in ("lower", "upper", "strip", "replace", "title"):
        origin = target.origin
        if name == "lower" and isinstance(target, Concat):
            parts = [
                Literal(p.value.lower(), p.origin)
                if isinstance(p, Literal) and isinstance(p.value, str)
                else _lowered(p)
                for p in target.parts
            ]
            return concat(parts, location)
        if name == "lower" and isinstance(target, Unknown):
            return Unknown(target.reason, target.origin & ~Origin.MAYBE_UPPERCASE, location, target.hint)
        return Unknown("string method of an unknown value", origin, location)
    if isinstance(target, Literal) and isinstance(target.value, dict):
        inner = target.value
        if name == "get" and args and isinstance(args[0], Literal):
            key = args[0].value
            if key in inner:
                return inner[key]
            return args[1] if len(args) > 1 else Literal(None, location=location)
        if name == "copy":
            return target
        if name in ("keys", "values", "items"):
            if name == "keys":
                return Literal(tuple(Literal(k) for k in inner), location=location)
            if name == "values":
                return Literal(tuple(inner.values()), location=location)
            return Literal(tuple(Literal((Literal(k), v)) for k, v in inner.items()), location=location)
        if name in ("update", "setdefault", "pop"):
            return _mutate_container(ev, target, name, site)
    if isinstance(target, Literal) and isinstance(target.value, tuple):
        if name in ("append", "extend", "insert"):
            return _mutate_container(ev, target, name, site)
        if name == "copy":
            return target
    return None


def _mutate_container(ev: Evaluator, target: Literal, name: str, site: CallSite) -> EValue:
    """``xs.append(v)``, ``d.update(...)``: rebind the variable (or attribute) that holds the value."""
    node = site.node.func
    frame = site.frame
    if not isinstance(node, cst.Attribute) or frame is None:
        return Literal(None)
    args = site.args
    updated: EValue | None = None
    if isinstance(target.value, tuple):
        if name == "append" and args:
            updated = Literal((*target.value, args[0]), target.origin, target.location)
        elif name == "extend" and args:
            items = iteration_items(args[0])
            updated = (
                Literal((*target.value, *items), target.origin, target.location)
                if items is not None
                else Unknown("list extended with unknown items", target.origin)
            )
        elif name == "insert" and len(args) == 2:
            updated = Literal((args[1], *target.value), target.origin, target.location)
    elif isinstance(target.value, dict):
        inner = dict(target.value)
        if name == "update":
            if args and isinstance(args[0], Literal) and isinstance(args[0].value, dict):
                inner.update(args[0].value)
            inner.update(site.kwargs)
            updated = Literal(inner, target.origin, target.location)
        elif (
            name == "setdefault" and args and isinstance(args[0], Literal) and isinstance(args[0].value, str)
        ):
            inner.setdefault(args[0].value, args[1] if len(args) > 1 else Literal(None))
            updated = Literal(inner, target.origin, target.location)
    if updated is not None:
        if isinstance(node.value, cst.Name):
            ev._rebind(node.value.value, updated, frame)  # the list lives where the name is bound
        else:
            _assign_attribute(ev, node.value, updated, frame)
    return Literal(None)


def _assign_attribute(ev: Evaluator, node: cst.BaseExpression, value: EValue, frame: Frame) -> None:
    if isinstance(node, cst.Attribute):
        ev.assign(node, value, frame)
