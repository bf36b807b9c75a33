"""cfn-lint's template decoder, without importing the rest of cfn-lint.

``import cfnlint.decode`` first runs ``cfnlint/__init__.py``, which imports the whole linter
(rules, templates, condition solving and with it sympy): about 0.4 s and 70 MB before the first
template is read, most of a cold ``iacscan`` run on a CloudFormation worktree. The decoder modules
themselves (``cfnlint/decode/{mark,node,cfn_yaml,cfn_json,decode,utils}.py``) need only
``cfnlint.match.Match`` and the ``ParseError`` rule class, which labels parse-error matches.

So they are imported with light stand-ins for the packages ``cfnlint``, ``cfnlint.rules`` and
``cfnlint.rules.errors`` in ``sys.modules``; afterwards every module this import added is taken out
of ``sys.modules`` again (the functions keep their own module globals), so a later ``import
cfnlint`` (the linter itself, in a benchmark) gets the real package, complete and fresh.

The decoding code is cfn-lint's own: same YAML short forms, duplicate-key and alias checks, same
marks. One method is replaced in this private copy: cfn-lint 1.58 finds duplicate keys by comparing
each key of a mapping with every earlier one, quadratic in the mapping's size (16 of the 23 s that
decoding a 10,000-resource template took). :func:`_construct_yaml_map` is the same method with a
dictionary lookup instead: same matches, same messages, same order (tests/perf/test_startup.py
compares the two decoders). When the installed cfn-lint's decoder differs from what this expects,
needs anything else, or cfn-lint is already imported, the ordinary import is used: slower, same
results.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

_STAND_INS = ("cfnlint", "cfnlint.rules", "cfnlint.rules.errors")
_lock = threading.Lock()
_decode_str: Callable[[str], Any] | None = None
# The stand-in for ``cfnlint.rules.errors`` when the light decoder is in use: its error paths import
# ``ParseError`` inside functions, at decode time.
_errors: types.ModuleType | None = None


class _ParseError:
    """Stands in for ``cfnlint.rules.errors.ParseError`` as the label of a parse-error match."""

    id = "E0000"
    shortdesc = "Parsing error found when parsing the template"

    def __str__(self) -> str:
        return f"{self.id}: {self.shortdesc}"


def decode_str(text: str) -> Any:
    """``cfnlint.decode.decode_str(text)``: (template or None, matches)."""
    global _decode_str
    if _decode_str is None:
        with _lock:
            if _decode_str is None:
                _decode_str = _light() or _full()
    if _errors is None or "cfnlint.rules.errors" in sys.modules:
        return _decode_str(text)
    sys.modules["cfnlint.rules.errors"] = _errors
    try:
        return _decode_str(text)
    finally:
        if sys.modules.get("cfnlint.rules.errors") is _errors:
            del sys.modules["cfnlint.rules.errors"]


def _full() -> Callable[[str], Any]:
    from cfnlint.decode import decode_str as full

    return full


def _light() -> Callable[[str], Any] | None:
    global _errors
    if "cfnlint" in sys.modules:  # the real package is loaded already: nothing to save
        return None
    spec = importlib.util.find_spec("cfnlint")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        return None
    before = set(sys.modules)
    package = types.ModuleType("cfnlint")
    package.__path__ = locations
    rules = types.ModuleType("cfnlint.rules")
    rules.__path__ = [f"{location}/rules" for location in locations]
    errors = types.ModuleType("cfnlint.rules.errors")
    errors.__path__ = [f"{location}/rules/errors" for location in locations]
    errors.ParseError = _ParseError  # type: ignore[attr-defined]
    sys.modules.update({"cfnlint": package, "cfnlint.rules": rules, "cfnlint.rules.errors": errors})
    try:
        import cfnlint.match

        rules.Match = cfnlint.match.Match  # type: ignore[attr-defined]
        import cfnlint.decode.decode

        # ``cfnlint.decode`` re-exports a function named ``decode`` over its submodule's name.
        decoder = sys.modules["cfnlint.decode.decode"]
        found: Callable[[str], Any] | None = decoder.decode_str
        _linear_duplicate_check(sys.modules["cfnlint.decode.cfn_yaml"])
        _errors = errors
    except Exception:  # a cfn-lint whose decoder needs more: fall back to the ordinary import
        found = None
    finally:
        for name in set(sys.modules) - before:
            if name == "cfnlint" or name.startswith("cfnlint."):
                del sys.modules[name]
    return found


_MAP_TAG = "tag:yaml.org,2002:map"
_ABSENT = object()


def _linear_duplicate_check(cfn_yaml: types.ModuleType) -> None:
    """Register :func:`_construct_yaml_map` in this private copy of ``cfnlint.decode.cfn_yaml``."""
    for loader in (cfn_yaml.NodeConstructor, cfn_yaml.CfnFullLoader):
        registered = loader.yaml_constructors.get(_MAP_TAG)
        if registered is not cfn_yaml.NodeConstructor.construct_yaml_map:
            raise RuntimeError("unexpected cfn-lint decoder layout")  # use the full import instead
    construct = _construct_yaml_map(cfn_yaml)
    for loader in (cfn_yaml.NodeConstructor, cfn_yaml.CfnFullLoader):
        loader.add_constructor(_MAP_TAG, construct)


def _construct_yaml_map(cfn_yaml: types.ModuleType) -> Callable[[Any, Any], Any]:
    """cfn-lint 1.58's ``NodeConstructor.construct_yaml_map`` with a linear duplicate check."""
    from yaml.constructor import SafeConstructor

    build_match, parse_error, dict_node = cfn_yaml.build_match, cfn_yaml.CfnParseError, cfn_yaml.dict_node

    def construct_yaml_map(self: Any, node: Any) -> Any:
        mapping: dict[Any, Any] = {}
        first: dict[Any, Any] = {}  # each key as first inserted (where a duplicate is reported)
        self.flatten_mapping(node)
        matches: list[Any] = []
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, False)
            value = self.construct_object(value_node, False)
            if key is None:
                message = f"Null key {key_node.value!r} not supported (line {key_node.start_mark.line + 1})"
                where = key_node.start_mark
                raise parse_error(
                    self.filename,
                    [build_match(self.filename, message, where.line, where.column, key_node.value)],
                )
            if not getattr(node, "using_merge", False):
                try:
                    key_dup = first.get(key, _ABSENT)
                except TypeError:  # unhashable: reported below, as cfn-lint does
                    key_dup = _ABSENT
                if key_dup is not _ABSENT:

                    def match(at: Any, key: Any = key) -> Any:
                        message = f"Duplicate found {key!r} (line {at.start_mark.line + 1})"
                        return build_match(
                            self.filename, message, at.start_mark.line, at.start_mark.column, key
                        )

                    matches.extend([match(key_node)] if matches else [match(key_dup), match(key_node)])
            try:
                mapping[key] = value
            except Exception as exc:
                message = f'Unhashable type "{key}" (line {key.start_mark.line + 1})'
                raise parse_error(
                    self.filename,
                    [build_match(self.filename, message, key.start_mark.line, key.start_mark.column, key)],
                ) from exc
            first.setdefault(key, key)
        if matches:
            raise parse_error(self.filename, matches)
        (obj,) = SafeConstructor.construct_yaml_map(self, node)
        using_merge = False if not hasattr(node, "using_merge") else node.using_merge
        return dict_node(obj, node.start_mark, node.end_mark, using_merge)

    return construct_yaml_map
