"""Lookups: calls that read the target account while the program runs (Pulumi data sources such
as ``aws.ec2.get_vpc``, CDK context lookups such as ``ec2.Vpc.from_lookup``), recorded by the
Python plugins as the fact ``Project.facts["lookups"]`` so rules can judge what a lookup assumes
about the account (IAC014: a default VPC).

One fact per call site (a helper called twice records its lookup once)::

    {
        "call": "aws.ec2.get_vpc",            # pulumi_aws spelled aws.<module>.<function>;
                                              # CDK the full path aws_cdk.aws_ec2.Vpc.from_lookup
        "arguments": {"default": Literal(True)},  # keyword arguments as model values
        "location": Location(...),            # the call
        "condition": None | "not (vpc_id)",   # the undecided `if` tests around the call
        "runs_unconfigured": True,            # see below
        "in_try": False,                      # inside a `try` whose handler takes Exception
    }

``runs_unconfigured`` says whether the call runs in a deployment that sets no configuration beyond
what the worktree's own files set (the CI pipeline passes the environment suffix and nothing else):
true when the call is under no undecided ``if``, or when every such test is decided by a
configuration value that deployment leaves unset (``vpc_id = config.get("vpcId")`` ...
``if not vpc_id:``, ``if vpc_id: ... else:``, ``if vpc_id is None:``). Which values are unset is the
plugin's to say (``is_unset``): a Pulumi ``config.get`` without a default that no stack file sets, a
CDK context key that ``cdk.json`` does not set. Anything else (a flag, an argument, a value the
analysis merged) leaves it false.

Only keyword arguments are recorded: the data-source functions of pulumi_aws change their
positional order between releases, and CDK lookups take their options as keywords only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from analyzer.model import Value
from analyzer.python.evaluator import CallSite, Evaluator, Frame
from analyzer.python.values import EValue, InstanceObj

__all__ = ["LookupRecorder", "pulumi_call_name"]


def pulumi_call_name(qualname: str) -> str:
    """``pulumi_aws.ec2.get_vpc`` (or ``pulumi_aws.ec2.get_vpc.get_vpc``, the defining module) as
    the documented ``aws.ec2.get_vpc``."""
    parts = qualname.split(".")
    if len(parts) >= 3 and parts[-1] == parts[-2]:
        parts.pop()
    if parts and parts[0] == "pulumi_aws":
        parts[0] = "aws"
    return ".".join(parts)


class LookupRecorder:
    """Collects lookup facts for one plugin run."""

    def __init__(self, convert: Callable[[EValue], Value], is_unset: Callable[[EValue], bool]) -> None:
        self._convert = convert
        self._is_unset = is_unset
        self._seen: dict[tuple[str, str, int, int], dict[str, Any]] = {}
        self.facts: list[dict[str, Any]] = []

    def record(self, ev: Evaluator, call: str, site: CallSite) -> dict[str, Any]:
        """The call site's fact (recorded on its first run): a plugin may add what it knows about
        each run, such as the CDK stack the lookup runs in."""
        where = site.location
        key = (call, where.path, where.line, where.column)
        if key in self._seen:
            return self._seen[key]
        arguments = {name: self._convert(value) for name, value in site.kwargs.items()}
        fact: dict[str, Any] = {
            "call": call,
            "arguments": arguments,
            "location": where,
            "condition": " and ".join(ev.conditions) if ev.conditions else None,
            # A handler for Exception (or TypeError, or a bare except) around the call: a
            # lookup that raises in the program may be recovered from.
            "in_try": ev.type_error_guard > 0,
            "runs_unconfigured": all(
                _holds_unconfigured(test, frame, self._is_unset) is polarity
                for test, frame, polarity in ev.condition_tests
            ),
        }
        self._seen[key] = fact
        self.facts.append(fact)
        return fact


def _holds_unconfigured(
    test: cst.BaseExpression, frame: Frame, is_unset: Callable[[EValue], bool]
) -> bool | None:
    """The truth of an ``if`` test when the configuration values it reads are unset (None), or None
    when the test is not that simple: ``x``, ``not x``, ``x is None``, ``x is not None``, ``x == None``,
    ``x != None``, with ``x`` a name or ``obj.attr`` holding an unset configuration value."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _holds_unconfigured(test.expression, frame, is_unset)
        return None if inner is None else not inner
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if not (isinstance(target.comparator, cst.Name) and target.comparator.value == "None"):
            return None
        if not _unset(test.left, frame, is_unset):
            return None
        if isinstance(target.operator, (cst.Is, cst.Equal)):
            return True
        if isinstance(target.operator, (cst.IsNot, cst.NotEqual)):
            return False
        return None
    return False if _unset(test, frame, is_unset) else None


def _unset(expression: cst.BaseExpression, frame: Frame, is_unset: Callable[[EValue], bool]) -> bool:
    """Whether ``expression`` (a name, or an attribute of a worktree object) holds an unset
    configuration value. Read without evaluating anything, so judging a test has no side effect."""
    value: EValue | None = None
    if isinstance(expression, cst.Name):
        value = frame.lookup(expression.value)
    elif isinstance(expression, cst.Attribute) and isinstance(expression.value, cst.Name):
        owner = frame.self_obj if expression.value.value == "self" else frame.lookup(expression.value.value)
        if isinstance(owner, InstanceObj):
            value = owner.attrs.get(expression.attr.value)
    return value is not None and is_unset(value)
