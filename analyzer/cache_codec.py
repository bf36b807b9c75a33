"""JSON encoding of our own model objects, for the scan cache.

Why not pickle: a cache directory can be shared or restored from elsewhere (a CI cache), and
unpickling a planted file runs arbitrary code. This codec rebuilds only the classes :func:`_classes`
lists (frozen dataclasses and enums of the neutral model, the findings and the review facts) from
JSON, so a hostile entry can at worst carry wrong data, never code.

Every JSON array is tagged by its first element, so nothing is ambiguous: ``["t", ...]`` a tuple,
``["l", ...]`` a list, ``["d", k, v, k, v, ...]`` a mapping (keys of any encodable kind),
``["s", ...]``/``["f", ...]`` a set/frozenset, ``["e", name, value]`` an enum member,
``["c", name, field, ...]`` a dataclass (its ``init`` fields, in order). Scalars are themselves.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from functools import cache
from typing import Any

from analyzer import facts, findings, model


class Unencodable(TypeError):
    """A value of a type the codec does not know: such a result is simply not cached."""


@cache
def _classes() -> dict[str, type]:
    table: dict[str, type] = {}
    for module in (model, findings, facts):
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue
            if dataclasses.is_dataclass(value) or issubclass(value, enum.Enum):
                table[value.__name__] = value
    return table


@cache
def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in dataclasses.fields(cls) if item.init)


_PLAIN = (str, int, float, bool, type(None))


def encode(value: Any) -> Any:
    """A JSON-ready structure for ``value``; raises :class:`Unencodable` for foreign types."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        name = kind.__name__
        if _classes().get(name) is not kind:
            raise Unencodable(f"enum {kind.__qualname__} is not a model type")
        return ["e", name, value.value]
    if kind is tuple:
        return ["t", *(encode(item) for item in value)]
    if isinstance(value, str):  # str subclasses (decoder nodes) are stored as plain text
        return str(value)
    if isinstance(value, (int, float)):
        return float(value) if isinstance(value, float) else int(value)
    if isinstance(value, list):
        return ["l", *(encode(item) for item in value)]
    if isinstance(value, Mapping):
        pairs: list[Any] = ["d"]
        for key, item in value.items():
            pairs.append(encode(key))
            pairs.append(encode(item))
        return pairs
    if isinstance(value, (set, frozenset)):
        items = sorted((encode(item) for item in value), key=repr)  # stable bytes for equal sets
        return ["f" if isinstance(value, frozenset) else "s", *items]
    if dataclasses.is_dataclass(value) and _classes().get(kind.__name__) is kind:
        return ["c", kind.__name__, *(encode(getattr(value, name)) for name in _init_fields(kind))]  # type: ignore[arg-type]  # classes are hashable; typeshed's lru_cache wants Hashable
    raise Unencodable(f"cannot cache a {kind.__qualname__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` produced; raises ValueError (or TypeError) on anything else."""
    if not isinstance(data, list):
        if isinstance(data, dict):
            raise ValueError("bare JSON objects are not produced by the encoder")
        return data
    if not data or not isinstance(data[0], str):
        raise ValueError("untagged array")
    tag = data[0]
    if tag == "t":
        return tuple(decode(item) for item in data[1:])
    if tag == "l":
        return [decode(item) for item in data[1:]]
    if tag == "d":
        if len(data) % 2 != 1:
            raise ValueError("odd mapping")
        return {decode(data[i]): decode(data[i + 1]) for i in range(1, len(data), 2)}
    if tag == "c":
        cls = _known(data)
        names = _init_fields(cls)
        if not dataclasses.is_dataclass(cls) or len(data) - 2 != len(names):
            raise ValueError(f"bad fields for {data[1]!r}")
        return cls(**{name: decode(item) for name, item in zip(names, data[2:], strict=True)})
    if tag == "e":
        cls = _known(data)
        if not issubclass(cls, enum.Enum) or len(data) != 3:
            raise ValueError(f"bad enum {data[1]!r}")
        return cls(data[2])
    if tag == "s":
        return {decode(item) for item in data[1:]}
    if tag == "f":
        return frozenset(decode(item) for item in data[1:])
    raise ValueError(f"unknown tag {tag!r}")


def _known(data: list[Any]) -> type:
    if len(data) < 2 or not isinstance(data[1], str) or data[1] not in _classes():
        raise ValueError("unknown class")
    return _classes()[data[1]]
