"""IAC003: grant ``iam:PassRole`` on the passed roles, scoped with ``iam:PassedToService``.

CloudFormation: a statement is added to the first inline policy of the principal
role (``Policies[*].PolicyDocument.Statement``), in the file's style (pretty or compact JSON, block
or flow YAML), as the first statement of that list so the insertion point is a decoder position:

    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::GetAtt": ["SchedulerRole", "Arn"]},
     "Condition": {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}}

CDK: ``<role>.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=[<passed>.role_arn],
conditions={...}))`` after the last of the roles' statements, when the principal and the passed
roles are created in the same function (a passed role of another construct is out of scope there).

The passed roles are the finding's related roles that are resources of the project; the service is
the one their trust policy names (one statement per service). Unsafe: it widens what the role may
do, which a reviewer should see. Pulumi gets no fix yet."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import libcst as cst

from analyzer.findings import Edit, Finding, Fix
from analyzer.fixes import bindings
from analyzer.fixes import python as py
from analyzer.fixes import templates as cfn
from analyzer.fixes.context import FixContext
from analyzer.fixes.sources import PythonSource, Source
from analyzer.fixes.text import minimal_edit
from analyzer.model import Literal, Resource, get_path, items_of, literal_of

_QUOTED_ID = re.compile(r"'([^']+)'$")
_PLATFORMS = ("cloudformation", "cdk")


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    principal = ctx.resource(finding.resource)
    if principal is None or principal.type != "AWS::IAM::Role" or ctx.project.platform not in _PLATFORMS:
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
    source = ctx.source(principal.location)
    if source is None:
        return
    names = ", ".join(f"'{role.id}'" for role in passed)
    description = f"allow '{principal.id}' iam:PassRole on {names}, only to their service"
    if ctx.project.platform == "cdk":
        edits = _cdk_edits(source, principal, passed, by_service)
        if edits:
            yield Fix(description, tuple(edits), False)
        return
    statements = [_statement(roles, service) for service, roles in by_service.items()]
    edit = _insert_statements(source, principal.id, statements)
    if edit is not None:
        yield Fix(description, (edit,), False)


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


# -- CDK ----------------------------------------------------------------------------------------------


def _cdk_edits(
    source: Source, principal: Resource, passed: list[Resource], by_service: dict[str, list[str]]
) -> list[Edit]:
    parsed = source.python()
    if parsed is None or any(
        role.location.path != principal.location.path or role.in_loop for role in passed
    ):
        return []
    iam = _iam_module(parsed.module)
    call = bindings.call_at(parsed, principal.location.line)
    if iam is None or call is None:
        return []
    functions = py.enclosing_functions(parsed, call)
    if not functions or principal.in_loop or not isinstance(functions[0].body, cst.IndentedBlock):
        return []
    function = functions[0]
    end = parsed.positions[function].end.line + 1
    taken = {node.value for node in parsed.of_type(cst.Name)}
    edits: list[Edit] = []
    names: dict[str, str] = {}
    statements = []
    for resource in (principal, *passed):
        bound = bindings.reference(parsed, source, resource, function, end, taken)
        resource_call = bindings.call_at(parsed, resource.location.line)
        statement = py.statement_of(parsed, resource_call) if resource_call is not None else None
        if bound is None or statement is None or not any(item is statement for item in function.body.body):
            return []
        names[resource.id] = bound[0]
        edits.extend(bound[1:])
        statements.append(statement)
    last = max(statements, key=lambda node: py.start_line(parsed, node))
    added = [
        _add_to_policy(
            names[principal.id], iam, [names[role_id] for role_id in role_ids], service, parsed, last
        )
        for service, role_ids in by_service.items()
    ]
    new_text = py.insert_after(parsed, last, added)
    main = minimal_edit(source.path, source.text, new_text) if new_text else None
    return [*edits, main] if main is not None else []


def _iam_module(module: cst.Module) -> str | None:
    """How the module names ``aws_cdk.aws_iam`` (``iam``, ``aws_iam``, ``cdk.aws_iam``)."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for item in statement.body:
            if isinstance(item, cst.ImportFrom) and py.dotted_name(item.module) == "aws_cdk":
                for alias in item.names if not isinstance(item.names, cst.ImportStar) else ():
                    if isinstance(alias.name, cst.Name) and alias.name.value == "aws_iam":
                        bound = alias.asname.name if alias.asname is not None else alias.name
                        return bound.value if isinstance(bound, cst.Name) else None
            elif isinstance(item, cst.Import):
                for alias in item.names:
                    name = py.dotted_name(alias.name)
                    as_name = alias.asname.name if alias.asname is not None else None
                    if name == "aws_cdk.aws_iam" and isinstance(as_name, cst.Name):
                        return as_name.value
                    if name == "aws_cdk":
                        return f"{as_name.value if isinstance(as_name, cst.Name) else 'aws_cdk'}.aws_iam"
    return None


def _add_to_policy(
    principal: str, iam: str, roles: list[str], service: str, parsed: PythonSource, after: cst.CSTNode
) -> cst.SimpleStatementLine:
    quote = '"'
    statement = py.call(
        f"{iam}.PolicyStatement",
        [
            py.new_keyword("actions", cst.List([cst.Element(py.string_node("iam:PassRole", quote))])),
            py.new_keyword("resources", py.listing([f"{role}.role_arn" for role in roles])),
            py.new_keyword(
                "conditions",
                cst.Dict(
                    [
                        cst.DictElement(
                            py.string_node("StringEquals", quote),
                            cst.Dict(
                                [
                                    cst.DictElement(
                                        py.string_node("iam:PassedToService"), py.string_node(service)
                                    )
                                ]
                            ),
                        )
                    ]
                ),
            ),
        ],
    )
    indentation = py.line_indent(parsed.text, py.start_line(parsed, after))
    unit = parsed.module.default_indent
    statement = py.one_per_line(statement, indentation + unit, unit)
    outer = py.one_per_line(py.call(f"{principal}.add_to_policy", [cst.Arg(statement)]), indentation, unit)
    outer = outer.with_changes(
        args=[
            outer.args[0].with_changes(
                comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=_newline(indentation)
            )
        ]
    )
    return py.expression_statement(outer)


def _newline(indentation: str) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), indent=False, last_line=cst.SimpleWhitespace(indentation)
    )
