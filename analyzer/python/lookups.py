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
    }

Only keyword arguments are recorded: the data-source functions of pulumi_aws change their
positional order between releases, and CDK lookups take their options as keywords only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analyzer.model import Value
from analyzer.python.evaluator import CallSite, Evaluator
from analyzer.python.values import EValue

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

    def __init__(self, convert: Callable[[EValue], Value]) -> None:
        self._convert = convert
        self._seen: set[tuple[str, str, int, int]] = set()
        self.facts: list[dict[str, Any]] = []

    def record(self, ev: Evaluator, call: str, site: CallSite) -> None:
        where = site.location
        key = (call, where.path, where.line, where.column)
        if key in self._seen:
            return
        self._seen.add(key)
        arguments = {name: self._convert(value) for name, value in site.kwargs.items()}
        self.facts.append(
            {
                "call": call,
                "arguments": arguments,
                "location": where,
                "condition": " and ".join(ev.conditions) if ev.conditions else None,
            }
        )
