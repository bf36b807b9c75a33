"""IAC003: grant ``iam:PassRole`` on the passed roles, scoped with ``iam:PassedToService``.

CloudFormation templates only: a statement is added to the first inline policy of the principal
role (``Policies[*].PolicyDocument.Statement``), in the file's style (pretty or compact JSON, block
or flow YAML), as the first statement of that list so the insertion point is a decoder position:

    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::GetAtt": ["SchedulerRole", "Arn"]},
     "Condition": {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}}

The passed roles are the finding's related roles that are resources of the template; the service
is the one their trust policy names (one statement per service). Unsafe: it widens what the role
may do, which a reviewer should see. Python stacks get no fix yet (the passed role often lives in
another construct or component, out of scope at the principal)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from analyzer.findings import Edit, Finding, Fix
from analyzer.fixes import templates as cfn
from analyzer.fixes.context import FixContext
from analyzer.fixes.sources import Source
from analyzer.model import Literal, Resource, get_path, items_of, literal_of

_QUOTED_ID = re.compile(r"'([^']+)'$")


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    principal = ctx.resource(finding.resource)
    if principal is None or principal.type != "AWS::IAM::Role" or ctx.project.platform != "cloudformation":
        return
    passed = _passed_roles(finding, ctx)
    if not passed:
        return
    by_service: dict[str, list[str]] = {}
    for role in passed:
        services = _trusted_services(role)
        if len(services) != 1:
            return  # the condition would be a guess
        by_service.setdefault(services[0], []).append(role.id)
    statements = [_statement(roles, service) for service, roles in by_service.items()]
    source = ctx.source(principal.location)
    edit = _insert_statements(source, principal.id, statements) if source is not None else None
    if edit is not None:
        names = ", ".join(f"'{role.id}'" for role in passed)
        yield Fix(f"allow '{principal.id}' iam:PassRole on {names}, only to their service", (edit,), False)


def _passed_roles(finding: Finding, ctx: FixContext) -> list[Resource]:
    roles: list[Resource] = []
    for item in finding.related:
        match = _QUOTED_ID.search(item.message)
        role = ctx.resource(match.group(1)) if match else None
        if role is None or role.type != "AWS::IAM::Role":
            return []
        if role not in roles:
            roles.append(role)
    return roles


def _trusted_services(role: Resource) -> list[str]:
    services: list[str] = []
    for statement in items_of(get_path(role.prop("AssumeRolePolicyDocument"), "Statement")):
        if literal_of(get_path(statement, "Effect")) != "Allow":
            continue
        for service in items_of(get_path(statement, "Principal", "Service")):
            value = literal_of(service)
            if not isinstance(value, str) or not isinstance(service, Literal):
                return []
            if value not in services:
                services.append(value)
    return services


def _statement(role_ids: list[str], service: str) -> dict[str, Any]:
    arns = [{"Fn::GetAtt": [role_id, "Arn"]} for role_id in role_ids]
    return {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": arns[0] if len(arns) == 1 else arns,
        "Condition": {"StringEquals": {"iam:PassedToService": service}},
    }


def _insert_statements(source: Source, role_id: str, statements: list[dict[str, Any]]) -> Edit | None:
    template = source.template()
    found = cfn.resource_node(template, role_id) if template is not None else None
    policies = get_policies(found[1]) if found is not None else None
    if not policies:
        return None
    index, first = policies
    where = cfn.span(first)
    if where is None:
        return None
    (line, column), _ = where
    before = cfn.line_text(source, line)[: column - 1]
    json_style = cfn.is_json(source)
    block = before.strip() in ("", "-")
    if json_style:
        unit = _json_indent_unit(source.text)
        rendered = [
            _indent(json.dumps(s, indent=unit if block else None), " " * (column - 1)) for s in statements
        ]
        separator = ",\n" + " " * (column - 1) if block else ", "
    elif block:
        rendered = [_yaml_block(s, " " * (column - 1)) for s in statements]
        separator = "\n" + before
    else:
        rendered = [_yaml_flow(s) for s in statements]
        separator = ", "
    text = separator.join(rendered) + separator
    edit = Edit(source.path, line, column, line, column, text)

    def expected(old: dict[str, Any], new: dict[str, Any]) -> bool:
        new_plain = cfn.plain(new)
        try:
            inserted = new_plain["Resources"][role_id]["Properties"]["Policies"][index]["PolicyDocument"][
                "Statement"
            ]
            if inserted[: len(statements)] != statements:
                return False
            del inserted[: len(statements)]
        except (KeyError, IndexError, TypeError):
            return False
        return new_plain == cfn.plain(old)

    return cfn.checked_edit(source, edit, expected)


def get_policies(role: dict[str, Any]) -> tuple[int, Any] | None:
    """(index of the first inline policy with a non-empty statement list, its first statement)."""
    properties = role.get("Properties")
    policies = properties.get("Policies") if isinstance(properties, dict) else None
    if not isinstance(policies, list):
        return None
    for index, policy in enumerate(policies):
        document = policy.get("PolicyDocument") if isinstance(policy, dict) else None
        statements = document.get("Statement") if isinstance(document, dict) else None
        if isinstance(statements, list) and statements and isinstance(statements[0], dict):
            return index, statements[0]
    return None


def _json_indent_unit(text: str) -> int:
    """The file's JSON indentation step (the first indented line), 2 when it has none."""
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped and len(line) > len(stripped):
            return len(line) - len(stripped)
    return 2


def _indent(text: str, prefix: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0], *(prefix + line for line in lines[1:])])


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, dict) and list(value) == ["Fn::GetAtt"]:
        return "!GetAtt " + ".".join(value["Fn::GetAtt"])
    text = str(value)
    return text if re.fullmatch(r"[A-Za-z0-9_.:/-]+", text) and not text[0].isdigit() else json.dumps(text)


def _yaml_block(statement: dict[str, Any], indent: str) -> str:
    lines: list[str] = []

    def emit(key: str, value: Any, depth: int) -> None:
        pad = indent + "  " * depth
        if isinstance(value, dict) and list(value) != ["Fn::GetAtt"]:
            lines.append(f"{pad}{key}:")
            for inner_key, inner in value.items():
                emit(inner_key, inner, depth + 1)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            lines.extend(f"{pad}  - {_yaml_scalar(item)}" for item in value)
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")

    for key, value in statement.items():
        emit(key, value, 0)
    return "\n".join(lines)[len(indent) :]


def _yaml_flow(value: Any) -> str:
    if isinstance(value, dict) and list(value) != ["Fn::GetAtt"]:
        return "{" + ", ".join(f"{key}: {_yaml_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{'Fn::GetAtt': [" + ", ".join(value["Fn::GetAtt"]) + "]}"
    return _yaml_scalar(value)
