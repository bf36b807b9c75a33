"""IAC004: name the DMS role exactly what DMS looks up (``dms-vpc-role``, ...); unsafe.

Unsafe because the role is an account-wide singleton: with the exact name, a second stack in the
same account that creates it too fails with AlreadyExists, so the user must decide where the role
lives (a bootstrap stack, or created only when absent). The fix replaces the name value in place
(same quote style) or, for an auto-named role, adds the platform's name argument / ``RoleName``."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from analyzer.findings import Edit, Finding, Fix
from analyzer.fixes import python as py
from analyzer.fixes import templates as cfn
from analyzer.fixes.context import FixContext, rewrite
from analyzer.fixes.sources import PythonSource, Source
from analyzer.model import Location, Resource

# The names DMS looks up (AWS DMS User Guide, "Creating the IAM roles to use with AWS DMS"); the
# finding's key is one of them.
DMS_ROLE_NAMES = ("dms-vpc-role", "dms-cloudwatch-logs-role", "dms-access-for-endpoint")
# The role's name argument per platform token: aws.iam.Role(name=...), iam.Role(role_name=...).
_NAME_KEYWORD = {"pulumi": "name", "cdk": "role_name"}


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    name = finding.key
    role = ctx.resource(finding.resource)
    location = ctx.model_location(finding.location)
    if name not in DMS_ROLE_NAMES or role is None or location is None or role.type != "AWS::IAM::Role":
        return
    source = ctx.source(location)
    if source is None or role.in_loop:
        return
    description = (
        f"name the role exactly '{name}' (an account-wide singleton: create it in one stack per account)"
    )
    if ctx.project.platform == "cloudformation":
        edit = _template_edit(source, role, name)
        if edit is not None:
            yield Fix(description, (edit,), False)
        return
    parsed = source.python()
    keyword = _NAME_KEYWORD.get(ctx.project.platform)
    new_text = _python(parsed, role, location, name, keyword) if parsed is not None and keyword else None
    fix = rewrite(source, new_text, description, False) if new_text else None
    if fix is not None:
        yield fix


def _python(parsed: PythonSource, role: Resource, location: Location, name: str, keyword: str) -> str | None:
    if role.name is not None:
        node = py.name_argument(parsed, location.line, role)
        if node is None:
            return None
        return py.replace(parsed, node, py.string_node(name, py.quote_of(node)))
    calls = py.nodes_at(parsed, role.location.line, cst.Call)
    if not calls or py.has_star(calls[0]) or py.keyword(calls[0], keyword) is not None:
        return None
    call = calls[0]
    quote = py.quote_of(
        next((arg.value for arg in call.args if isinstance(arg.value, cst.SimpleString)), None)
    )
    return py.replace(
        parsed, call, py.with_keywords(call, [py.new_keyword(keyword, py.string_node(name, quote))])
    )


def _template_edit(source: Source, role: Resource, name: str) -> Edit | None:
    template = source.template()
    found = cfn.resource_node(template, role.id) if template is not None else None
    properties = found[1].get("Properties") if found is not None else None
    if not isinstance(properties, dict):
        return None
    current = properties.get("RoleName")
    if current is not None:
        where = cfn.span(current)
        if where is None:
            return None
        (line, column), (end_line, end_column) = where
        raw = cfn.line_text(source, line)[column - 1 : end_column - 1] if line == end_line else None
        edit: Edit | None = Edit(
            source.path, line, column, end_line, end_column, cfn.scalar(name, source, like=raw)
        )
    else:
        edit = cfn.insert_key(source, properties, "RoleName", cfn.scalar(name, source))
    if edit is None:
        return None
    return cfn.checked_edit(
        source,
        edit,
        lambda old, new: (
            cfn.value_at(new, role.id, "Properties", "RoleName") == name
            and cfn.same_except(old, new, role.id, "Properties", "RoleName")
        ),
    )
