"""Which template conditions hold in a deployment that keeps every parameter's default.

A TAP pipeline deploys a template with the environment suffix set and every other parameter at its
default, so a condition that only compares parameters with defaults (`IsProd: !Equals [!Ref
Environment, prod]` with `Default: dev`) decides whether such a deployment creates a resource
guarded by it. Anything that depends on the suffix (it differs per deployment), a parameter without
default, a pseudo parameter, a mapping or another function is left undecided (``None``): rules
treat an undecided condition as "may or may not be created" and stay silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzer.model import Literal, Origin
from plugins.cloudformation.intrinsics import NO_VALUE, Evaluator

# Values that differ between deployments, or come from outside: never decide a comparison on them.
_UNDECIDABLE = (
    Origin.SUFFIX | Origin.UNIQUE | Origin.STACK_NAME | Origin.EXTERNAL | Origin.ACCOUNT | Origin.REGION
)


def default_conditions(section: Any, evaluator: Evaluator) -> dict[str, bool | None]:
    """Each condition of the ``Conditions`` section: True/False when decided, else None."""
    if not isinstance(section, dict):
        return {}
    decided: dict[str, bool | None] = {}
    visiting: set[str] = set()

    def condition(name: str) -> bool | None:
        if name in decided:
            return decided[name]
        if name in visiting or name not in section:  # a loop or an unknown name: not decidable
            return None
        visiting.add(name)
        result = expression(section[name], 0)
        visiting.discard(name)
        decided[name] = result
        return result

    def expression(node: Any, depth: int) -> bool | None:
        if depth > 20 or not isinstance(node, dict) or len(node) != 1:
            return None
        ((key, argument),) = node.items()
        if key == "Condition" and isinstance(argument, str):
            return condition(argument)
        if key == "Fn::Not" and isinstance(argument, list) and len(argument) == 1:
            inner = expression(argument[0], depth + 1)
            return None if inner is None else not inner
        if key in ("Fn::And", "Fn::Or") and isinstance(argument, list) and argument:
            results = [expression(item, depth + 1) for item in argument]
            if key == "Fn::And":
                return False if False in results else (None if None in results else True)
            return True if True in results else (None if None in results else False)
        if key == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
            left, right = (_comparable(evaluator, item) for item in argument)
            return None if left is None or right is None else left == right
        return None

    for name in section:
        if isinstance(name, str):
            condition(name)
    return decided


def _comparable(evaluator: Evaluator, node: Any) -> str | None:
    """A condition operand as the string CloudFormation compares, or None when not known."""
    value = evaluator.value(node, 1)
    if value is NO_VALUE or not isinstance(value, Literal) or value.origin & _UNDECIDABLE:
        return None
    inner = value.value
    if isinstance(inner, bool):
        return "true" if inner else "false"
    if isinstance(inner, str | int | float):
        return str(inner)
    return None


def condition_holds(conditions: Mapping[str, bool | None], name: object) -> bool | None:
    return conditions.get(name) if isinstance(name, str) else None
