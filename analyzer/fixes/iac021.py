"""IAC021: give the stack an environment where it is created (unsafe: the stack is then bound to the
account and region of the credentials ``cdk synth`` runs with; the CDK CLI sets
``CDK_DEFAULT_ACCOUNT``/``CDK_DEFAULT_REGION`` from them, and both must be there at synth).

``TapStack(app, name, props=props)`` becomes ``TapStack(app, name, props=props,
env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")))``.
Offered only when that keyword certainly reaches ``aws_cdk.Stack.__init__`` (the CDK plugin's
``env_keyword_reaches_stack``: the class passes ``**kwargs`` on to ``Stack`` and takes no ``env`` of
its own, or defines no initializer, or the call is ``cdk.Stack(...)`` itself), the call has no
``env`` and no ``*``/``**`` argument, and the module imports ``os`` and ``aws_cdk`` (as a module,
or ``Environment`` from it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import libcst as cst

from analyzer.findings import Finding, Fix
from analyzer.fixes import python as py
from analyzer.fixes.context import FixContext, rewrite
from analyzer.model import Location


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    if ctx.project.platform != "cdk" or not finding.related:
        return
    created_at = ctx.model_location(finding.related[0].location)
    stacks = ctx.project.facts.get("stacks")
    if created_at is None or not isinstance(stacks, Mapping):
        return
    if not any(_fixable(info, created_at) for info in stacks.values()):
        return
    source = ctx.source(created_at)
    parsed = source.python() if source is not None else None
    if source is None or parsed is None:
        return
    callee = next(
        (call.callee for call in ctx.project.calls if _same_line(call.location, created_at)), "Stack"
    )
    calls = [
        node
        for node in py.nodes_at(parsed, created_at.line, cst.Call)
        if (py.dotted_name(node.func) or "").split(".")[-1] == callee
        and not py.has_star(node)
        and py.keyword(node, "env") is None
    ]
    environment = _environment(parsed.module)
    if len(calls) != 1 or environment is None:
        return
    call = calls[0]
    updated = py.with_keywords(call, [py.new_keyword("env", environment)])
    line = parsed.positions[call].start.line
    if line == parsed.positions[call].end.line:  # a one-line call: one argument per line after it
        updated = py.one_per_line(updated, py.line_indent(source.text, line), parsed.module.default_indent)
    new_text = py.replace(parsed, call, updated)
    description = (
        f"pass env=... to `{callee}(...)` with the account and region the CDK CLI takes from the "
        "credentials at synth (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION): the stack is then bound to them"
    )
    fix = rewrite(source, new_text, description, False) if new_text else None
    if fix is not None:
        yield fix


def _fixable(info: object, created_at: Location) -> bool:
    if not isinstance(info, Mapping) or info.get("nested") or info.get("env") != "absent":
        return False
    where = info.get("created_at")
    return (
        isinstance(where, Location)
        and _same_line(where, created_at)
        and not info.get("env_missing")
        and bool(info.get("env_keyword_reaches_stack"))
    )


def _same_line(a: Location, b: Location) -> bool:
    return a.path == b.path and a.line == b.line


def _environment(module: cst.Module) -> cst.Call | None:
    """``cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv(...))`` in the
    module's own spelling of ``aws_cdk`` and ``os``, or None when either is not imported."""
    cdk_names, cdk_aliases = py.imported_names(module, "aws_cdk")
    os_names, os_aliases = py.imported_names(module, "os")
    if cdk_aliases:
        constructor = f"{sorted(cdk_aliases)[0]}.Environment"
    elif "Environment" in cdk_names:
        constructor = "Environment"
    else:
        return None
    if os_aliases:
        getenv = f"{sorted(os_aliases)[0]}.getenv"
    elif "getenv" in os_names:
        getenv = "getenv"
    else:
        return None
    return py.call(
        constructor,
        [
            py.new_keyword("account", py.call(getenv, [cst.Arg(py.string_node("CDK_DEFAULT_ACCOUNT"))])),
            py.new_keyword("region", py.call(getenv, [cst.Arg(py.string_node("CDK_DEFAULT_REGION"))])),
        ],
    )
