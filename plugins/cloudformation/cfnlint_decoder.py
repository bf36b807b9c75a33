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

The decoding code is cfn-lint's own, unchanged: same YAML short forms, duplicate-key and alias
checks, same marks. When the installed cfn-lint's decoder needs anything else, or cfn-lint is
already imported, the ordinary import is used: slower to start, same results.
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
        _errors = errors
    except Exception:  # a cfn-lint whose decoder needs more: fall back to the ordinary import
        found = None
    finally:
        for name in set(sys.modules) - before:
            if name == "cfnlint" or name.startswith("cfnlint."):
                del sys.modules[name]
    return found
