"""IAC022 task-secrets-execution-role-cannot-read: an ECS task definition's container secrets that
its execution role is not allowed to read."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.findings import Finding, Related, Severity
from analyzer.iam import (
    ROLE_TYPES,
    Resolver,
    Statement,
    allows,
    effective_statements,
    names_non_service_principal,
    resource_resolver,
)
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
    items_of,
    iter_refs,
    render,
)
from analyzer.rules.base import Example, Rule, RuleContext

if TYPE_CHECKING:  # networkx loads with the graph, not with the rule
    from analyzer.graph import ResourceGraph

_TASK_TYPES = ("AWS::ECS::TaskDefinition",)
_SECRET_TYPE = "AWS::SecretsManager::Secret"
_PARAMETER_TYPE = "AWS::SSM::Parameter"
# The call the ECS agent makes with the execution role for each kind of source (ECS developer guide,
# "Pass sensitive data to an Amazon ECS container": "Required IAM permissions for Amazon ECS
# secrets"; both name these actions on the secret or parameter ARN). kms:Decrypt, needed only for a
# customer managed key, is not checked: it goes into the fix.
_ACTIONS = {"ssm": "ssm:GetParameters", "secretsmanager": "secretsmanager:GetSecretValue"}
_NOUNS = {"ssm": "SSM parameter", "secretsmanager": "Secrets Manager secret"}
# Attributes of a reference that stand for the ARN a ``ValueFrom`` needs: CloudFormation ``Ref``
# (None) of a secret is its ARN, of a parameter its name (ECS accepts a same-Region parameter name);
# Pulumi ``.arn`` / ``.id`` (a secret's id is its ARN, a parameter's its name) and ``.name``; CDK
# ``secret_arn`` / ``parameter_arn``.
_SOURCE_ATTRIBUTES = {_SECRET_TYPE: (None, "Arn", "Id"), _PARAMETER_TYPE: (None, "Arn", "Id", "Name")}
# Resources that may do anything with a role handed to them (attach policies, among others).
_OPAQUE_REFERRERS = (
    "AWS::CloudFormation::Stack",
    "AWS::CloudFormation::CustomResource",
    "AWS::Serverless::Application",
)
_SECRET_SUFFIX = 6  # Secrets Manager appends "-" and six random characters to a secret's name
_UNKNOWN_PART = "\x00"


@dataclass(frozen=True, slots=True)
class _Use:
    """One value the ECS agent fetches for a container."""

    task: Resource
    role: Resource
    container: str
    what: str  # "secret 'DB_PASSWORD'", "repository credentials", "log option 'apiKey'"
    kind: str  # "ssm" | "secretsmanager"
    arn: Value  # the ARN IAM compares with the role's policy resources
    source: Resource | None  # the secret or parameter when it is in the project
    value: Value  # the ValueFrom as written
    location: Location


class TaskSecretsExecutionRoleCannotRead(Rule):
    """
    ## What it does
    Finds an ECS task definition (CloudFormation `AWS::ECS::TaskDefinition`, Pulumi
    `aws.ecs.TaskDefinition` whose `container_definitions` is `json.dumps(...)` /
    `Output.json_dumps(...)` / an `apply` returning `json.dumps(...)`, CDK L1 `CfnTaskDefinition`)
    whose containers take `Secrets`, log configuration `SecretOptions` or
    `RepositoryCredentials.CredentialsParameter` from an SSM parameter or a Secrets Manager secret
    that the task's execution role (`ExecutionRoleArn`) is not allowed to read:
    `ssm:GetParameters` on the parameter, `secretsmanager:GetSecretValue` on the secret. The source
    must be a parameter or secret of the project, a literal ARN (a JSON-key suffix such as
    `:password::` is allowed) or a literal parameter name (a parameter in the task's account and
    Region). The role must be a role of the project; its inline policies, attached policies and AWS
    managed policies (`AmazonECSTaskExecutionRolePolicy` grants neither action) are read; wildcards in
    actions (`ssm:*`, `secretsmanager:Get*`) and resources (`*`, `arn:aws:ssm:*:*:parameter/app/*`)
    count. A secret's ARN ends in six random characters, so a resource naming the secret without a
    wildcard (`...:secret:db-creds`) does not cover it, and a parameter ARN is
    `arn:aws:ssm:<region>:<account>:parameter/<name>`, so a bare parameter name does not either.

    The rule is silent when any link is unknown: no `ExecutionRoleArn`, a role from outside the
    project, a policy document that is not fully known, a managed policy iacscan's table does not
    hold (`SecretsManagerReadWrite`, customer managed policies), a policy attached to a role that
    cannot be identified, a role handed to a nested stack or custom resource, a source that is a
    parameter, another resource's attribute or a computed value, or a secret of the project with a
    resource policy. CDK L2 task definitions (`FargateTaskDefinition`, `Ec2TaskDefinition`) are not
    judged: `add_container(secrets={...: ecs.Secret.from_secrets_manager(...)})` grants the read to
    the execution role itself; neither is an L1 task definition whose role an L2 task definition
    also uses. `kms:Decrypt` for a customer managed key is not checked.

    ## Why is this bad
    The ECS agent fetches secrets and registry credentials with the execution role before it starts
    the containers, not with the task role. Without the read, every task stops with
    `ResourceInitializationError: unable to pull secrets or registry auth: ... AccessDeniedException`;
    a service never reaches a steady state, and its CloudFormation, CDK or Pulumi deployment waits
    for hours and fails. Sources: Amazon ECS developer guide, "Pass sensitive data to an Amazon ECS
    container" (Required IAM permissions for Amazon ECS secrets: `secretsmanager:GetSecretValue`,
    `ssm:GetParameters`, `kms:Decrypt` for a customer managed key) and "Amazon ECS task execution IAM
    role" (the `AmazonECSTaskExecutionRolePolicy` document: ECR pulls and CloudWatch Logs only).

    ## Example
    ```yaml
    ExecutionRole:
      Type: AWS::IAM::Role
      Properties:
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
    TaskDefinition:
      Type: AWS::ECS::TaskDefinition
      Properties:
        ExecutionRoleArn: !GetAtt ExecutionRole.Arn
        ContainerDefinitions:
          - Name: api
            Image: public.ecr.aws/nginx/nginx:latest
            Secrets:
              - Name: DB_PASSWORD
                ValueFrom: !Sub "${DbSecret}:password::"
    ```

    ## Use instead
    Grant the read on the source to the execution role:
    ```yaml
    Policies:
      - PolicyName: read-secrets
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: !Ref DbSecret
    ```
    (`ssm:GetParameters` on `arn:aws:ssm:<region>:<account>:parameter/<name>` for a parameter, and
    `kms:Decrypt` on the key when the secret or parameter uses a customer managed KMS key). In CDK,
    `secret.grant_read(execution_role)`, or an L2 task definition with
    `ecs.Secret.from_secrets_manager(secret)`, which adds the grant.
    """

    id = "IAC022"
    name = "task-secrets-execution-role-cannot-read"
    severity = Severity.ERROR
    summary = "an ECS task's secrets or registry credentials its execution role cannot read"
    tags = ("iam", "deploy", "ecs")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project, graph = ctx.project, ctx.graph
        resolve = _resolver(project)
        served = _served_tasks(project)
        for task in project.of_type(*_TASK_TYPES):
            role = _execution_role(project, graph, task)
            if role is None:
                continue
            statements = effective_statements(project, graph, role.id)
            for use in _uses(project, task, role):
                if use.source is not None and _may_have_resource_policy(project, use.source):
                    continue
                if _from_input(use.value):
                    # A template parameter's default or a config value may be replaced at deploy time,
                    # by an ARN of either service: judged only when the role can read no secret at all.
                    anything = Unknown("a secret or parameter chosen at deploy time")
                    if any(allows(statements, action, anything) is not False for action in _ACTIONS.values()):
                        continue
                elif any(
                    allows(_decide_resources(statements, arn, resolve), _ACTIONS[use.kind], arn) is not False
                    for arn in _candidates(use)
                ):
                    continue
                yield self._finding(use, task.id in served, project.platform)

    def _finding(self, use: _Use, served: bool, platform: str) -> Finding:
        noun = _NOUNS[use.kind]
        source = f"{noun} '{use.source.id}'" if use.source is not None else f"{noun} {render(use.value)}"
        action = _ACTIONS[use.kind]
        outcome = (
            "its service never reaches a steady state and the deployment fails after a long wait"
            if served
            else "no task started from it can run"
        )
        message = (
            f"Task definition '{use.task.id}' gives container '{use.container}' {use.what} from {source}, "
            f"but execution role '{use.role.id}' does not allow {action} on it; the ECS agent reads it with "
            "the execution role, so tasks stop with ResourceInitializationError (unable to pull secrets or "
            f"registry auth: AccessDeniedException): {outcome}"
        )
        resource = _resource_text(use)
        if platform != "cloudformation":  # ${AWS::Region} is CloudFormation's spelling
            resource = resource.replace("${AWS::Region}", "<region>").replace(
                "${AWS::AccountId}", "<account>"
            )
        statement = {"Effect": "Allow", "Action": action, "Resource": resource}
        hint = (
            f"add to the policies of '{use.role.id}': {json.dumps(statement)} (and kms:Decrypt on the key "
            "if the source uses a customer managed KMS key)"
        )
        return self.finding(
            message,
            use.location,
            hint,
            resource=use.task.id,
            key=f"{use.task.id}|{use.container}|{use.what}|{use.role.id}",
            related=[Related(use.role.location, f"execution role of '{use.task.id}'")],
        )


_FULL_SECRET_NAME = re.compile(r"-[A-Za-z0-9]{6}$")


def _candidates(use: _Use) -> tuple[Value, ...]:
    """The ARNs IAM may be asked about. A literal secret ARN may be partial (ECS accepts
    ``...:secret:db-creds`` for ``...:secret:db-creds-AbCdEf``, and IAM sees the full ARN): unless its
    name cannot end in the random suffix, both readings are judged."""
    if use.kind != "secretsmanager" or use.source is not None:
        return (use.arn,)
    suffix = tuple(
        Unknown("secret ARN suffix", hint=f"{render(use.arn)}.suffix.{i}") for i in range(_SECRET_SUFFIX)
    )
    full = Concat((use.arn, Literal("-"), *suffix))
    parts = use.arn.parts if isinstance(use.arn, Concat) else (use.arn,)
    name = ""
    for part in parts:
        if isinstance(part, Literal) and isinstance(part.value, str):
            name += part.value
        elif part.origin & (Origin.REGION | Origin.ACCOUNT):
            name = ""
        else:
            return (use.arn, full)  # a name with an unknown part may or may not end in the suffix
    name = name.rsplit(":", 1)[-1]
    return (use.arn, full) if _FULL_SECRET_NAME.search(name) else (full,)


def _resource_text(use: _Use) -> str:
    if use.source is not None and use.kind == "secretsmanager":
        return f"<{use.source.id} ARN>"
    if use.source is not None:
        name = _parameter_name(use.source)
        return f"arn:aws:ssm:<region>:<account>:parameter{_slash(name)}{render(name)}"
    return render(use.arn)


# -- task definition -> execution role ---------------------------------------------------------------


def _execution_role(project: Project, graph: ResourceGraph, task: Resource) -> Resource | None:
    if project.platform == "cdk" and not _is_level1(task):
        return None  # CDK L2 task definitions grant their secrets themselves
    value = task.prop("ExecutionRoleArn")
    if not (isinstance(value, Ref) and value.attribute == "Arn"):
        return None
    role = project.resource(value.resource)
    if role is None or role.type not in ROLE_TYPES:
        return None
    for referrer_id in graph.referrers(role.id):
        referrer = project.resource(referrer_id)
        if referrer is None:
            continue
        if referrer.type in _OPAQUE_REFERRERS or referrer.type.startswith("Custom::"):
            return None  # a nested stack or custom resource may attach policies to it
        if project.platform == "cdk" and referrer.type in _TASK_TYPES and not _is_level1(referrer):
            return None  # an L2 task definition's add_container(secrets=...) grants to its role
    return role


def _is_level1(resource: Resource) -> bool:
    return resource.source_type.rsplit(".", 1)[-1].startswith("Cfn")


def _served_tasks(project: Project) -> set[str]:
    """Task definitions an ECS service of the project runs."""
    served: set[str] = set()
    for service in project.of_type("AWS::ECS::Service"):
        for _, ref in iter_refs(service.prop("TaskDefinition")):
            served.add(ref.resource)
    return served


# -- what the containers fetch --------------------------------------------------------------------------


def _field(value: Value | None, name: str) -> Value | None:
    """A container definition field: PascalCase in CloudFormation and CDK, camelCase in the JSON
    of a Pulumi ``container_definitions``."""
    if not (isinstance(value, Literal) and isinstance(value.value, dict)):
        return None
    for key, item in value.value.items():
        if key.lower() == name.lower():
            return item
    return None


def _text(value: Value | None) -> str | None:
    return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None


def _uses(project: Project, task: Resource, role: Resource) -> Iterator[_Use]:
    containers = task.prop("ContainerDefinitions")
    fallback = task.location_of("ContainerDefinitions")
    for container in items_of(containers):
        container_name = _text(_field(container, "Name")) or "?"
        fetched: list[tuple[str, Value | None, Value | None]] = []
        for entry in items_of(_field(container, "Secrets")):
            fetched.append(
                (f"secret '{_text(_field(entry, 'Name')) or '?'}'", _field(entry, "ValueFrom"), entry)
            )
        options = _field(_field(container, "LogConfiguration"), "SecretOptions")
        for entry in items_of(options):
            fetched.append(
                (f"log option '{_text(_field(entry, 'Name')) or '?'}'", _field(entry, "ValueFrom"), entry)
            )
        credentials = _field(container, "RepositoryCredentials")
        fetched.append(("repository credentials", _field(credentials, "CredentialsParameter"), credentials))
        for what, value, holder in fetched:
            if value is None:
                continue
            found = _source(project, value)
            if found is None:
                continue
            kind, arn, source = found
            if what == "repository credentials" and kind != "secretsmanager":
                continue  # registry credentials come from Secrets Manager only
            where = value.location or (holder.location if holder is not None else None) or fallback
            yield _Use(task, role, container_name, what, kind, arn, source, value, where)


# -- the source of a value and its ARN ------------------------------------------------------------------


def _source(project: Project, value: Value) -> tuple[str, Value, Resource | None] | None:
    """(kind, ARN as IAM sees it, project resource) of a ``ValueFrom``; None when not certain."""
    if isinstance(value, Ref):
        return _from_ref(project, value)
    parts = _parts(value)
    if parts is None:
        return None
    if parts and isinstance(parts[0], Ref):
        found = _from_ref(project, parts[0])
        tail = "".join(_text(part) or _UNKNOWN_PART for part in parts[1:])
        # "${Secret}:password::" (a JSON key, version stage, version id) names the same secret.
        if (
            found is not None
            and found[0] == "secretsmanager"
            and tail.startswith(":")
            and _UNKNOWN_PART not in tail
        ):
            return found
        return None
    return _from_text(parts)


def _parts(value: Value) -> list[Value] | None:
    if isinstance(value, Literal) and isinstance(value.value, str):
        return [value]
    if isinstance(value, Concat):
        return [part for part in value.parts if not (isinstance(part, Literal) and part.value == "")]
    return None


def _from_ref(project: Project, ref: Ref) -> tuple[str, Value, Resource | None] | None:
    target = project.resource(ref.resource)
    if target is None or ref.attribute not in _SOURCE_ATTRIBUTES.get(target.type, ()):
        return None
    if target.type == _SECRET_TYPE:
        return "secretsmanager", _secret_arn(target), target
    return "ssm", _parameter_arn(target), target


_ARN = re.compile(r"^arn:[^:]*:(ssm|secretsmanager):[^:]*:[^:]*:(parameter/|secret:)")


def _from_text(parts: list[Value]) -> tuple[str, Value, Resource | None] | None:
    """A literal ARN or parameter name, possibly with unknown parts (Region, account, suffix)."""
    pieces = [_text(part) if isinstance(part, Literal) else None for part in parts]
    if any(isinstance(part, Literal) and piece is None for part, piece in zip(parts, pieces, strict=True)):
        return None
    flat = "".join(piece if piece is not None else _UNKNOWN_PART for piece in pieces)
    leading = flat.split(_UNKNOWN_PART, 1)[0]
    if flat.startswith("arn:"):
        match = _ARN.match(flat)
        if match is None or _UNKNOWN_PART in match.group(1):
            return None
        kind = match.group(1)
        if (kind, match.group(2)) not in (("ssm", "parameter/"), ("secretsmanager", "secret:")):
            return None
        arn: Value = Concat(tuple(parts))
        if kind == "secretsmanager":
            arn = _cut_after_colons(parts, 7)  # drop ":json-key:version-stage:version-id"
        return kind, arn, None
    if not leading or "arn:".startswith(leading):
        return None  # an unknown start, or too short to tell a name from an ARN
    name = Concat(tuple(parts))
    return "ssm", _ssm_arn(name, leading.startswith("/")), None


def _cut_after_colons(parts: list[Value], colons: int) -> Value:
    """The value up to (not including) its ``colons``-th literal colon."""
    seen = 0
    kept: list[Value] = []
    for part in parts:
        text = _text(part)
        if text is None:
            kept.append(part)
            continue
        for index, char in enumerate(text):
            if char == ":":
                seen += 1
                if seen == colons:
                    kept.append(Literal(text[:index]))
                    return Concat(tuple(kept))
        kept.append(part)
    return Concat(tuple(kept))


_INPUTS = Origin.PARAMETER | Origin.CONFIG | Origin.ENV_VAR


def _from_input(value: Value) -> bool:
    """The value, or a part of it, is a template parameter, stack configuration or environment
    variable other than the environment suffix (which the policies' names carry too)."""
    if isinstance(value, Concat) and any(_from_input(part) for part in value.parts):
        return True
    return bool(value.origin & _INPUTS) and not value.origin & Origin.SUFFIX


def _region_account() -> list[Value]:
    return [
        Unknown("the region", Origin.REGION, hint="AWS::Region"),
        Literal(":"),
        Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId"),
    ]


def _ssm_arn(name: Value, slash_first: bool | None) -> Value:
    """``arn:aws:ssm:<region>:<account>:parameter/<name>``; a name starting with "/" keeps its own
    slash. Like :func:`analyzer.iam.resource_arn`, the partition is taken to be ``aws``."""
    if slash_first is None:
        separator: Value = Unknown("parameter name separator", hint=f"{render(name)}.separator")
    else:
        separator = Literal("" if slash_first else "/")
    parts = [Literal("arn:aws:ssm:"), *_region_account(), Literal(":parameter"), separator, name]
    return Concat(tuple(parts))


def _slash(name: Value | None) -> str:
    text = _leading_text(name)
    return "" if text.startswith("/") else "/"


def _leading_text(name: Value | None) -> str:
    if isinstance(name, Literal) and isinstance(name.value, str):
        return name.value
    if isinstance(name, Concat) and name.parts:
        return _leading_text(name.parts[0])
    return ""


def _parameter_name(parameter: Resource) -> Value:
    return parameter.name or Unknown("generated name", Origin.UNIQUE, hint=f"{parameter.id}.name")


def _parameter_arn(parameter: Resource) -> Value:
    name = _parameter_name(parameter)
    leading = _leading_text(name)
    return _ssm_arn(name, leading.startswith("/") if leading else (None if parameter.name else False))


def _secret_arn(secret: Resource) -> Value:
    """``arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>``."""
    name = secret.name or Unknown("generated name", Origin.UNIQUE, hint=f"{secret.id}.name")
    suffix = [Unknown("secret ARN suffix", hint=f"{secret.id}.suffix.{i}") for i in range(_SECRET_SUFFIX)]
    parts = [Literal("arn:aws:secretsmanager:"), *_region_account(), Literal(":secret:"), name, Literal("-")]
    return Concat((*parts, *suffix))


def _resolver(project: Project) -> Resolver:
    """Expands references to the project's secrets and parameters (as policy resources) into the
    values they stand for; other references as :func:`analyzer.iam.resource_resolver` does."""
    others = resource_resolver(project)

    def resolve(ref: Ref) -> Value | None:
        target = project.resource(ref.resource)
        if target is None:
            return None
        if target.type == _SECRET_TYPE:
            if ref.attribute in (None, "Arn", "Id"):
                return _secret_arn(target)
            return target.name if ref.attribute == "Name" else None
        if target.type == _PARAMETER_TYPE:
            if ref.attribute == "Arn":
                return _parameter_arn(target)
            return _parameter_name(target) if ref.attribute in (None, "Name", "Id") else None
        return others(ref)

    return resolve


# -- comparing policy resources with the ARN ---------------------------------------------------------------
#
# analyzer.iam compares ARNs with unknown parts as "may be any text", so a pattern such as
# "arn:aws:secretsmanager:*:*:secret:db" can never be told apart from a secret ARN whose Region and
# account are unknown. Here the unknown parts of the fetched ARN are a Region, an account id, a
# resource name or the random suffix of a secret: never empty, never holding a colon. That is enough to
# answer False where a literal colon of the pattern meets one of them. Each statement's resources are
# decided here, then handed to ``allows`` as "*" (covers), a text that cannot match, or unknown.


@dataclass(frozen=True, slots=True)
class _Part:
    """An unknown part of a text; equal keys stand for equal text. ``colon_free``: the fetched ARN's
    parts (non-empty, no colon); a policy's unknown parts may be any text."""

    key: tuple[object, ...]
    colon_free: bool


_STAR = "\x00*"
_ONE = "\x00?"
_MAX_SYMBOLS = 600
_NEVER = Literal("\x00not this resource")


def _decide_resources(statements: Iterable[Statement], arn: Value, resolve: Resolver) -> list[Statement]:
    decided: list[Statement] = []
    for statement in statements:
        changes: dict[str, tuple[Value, ...]] = {"resources": _decided(statement.resources, arn, resolve)}
        if statement.not_resources is not None:
            changes["not_resources"] = _decided(statement.not_resources, arn, resolve)
        decided.append(dataclasses.replace(statement, **changes))  # type: ignore[arg-type]
    return decided


def _decided(patterns: tuple[Value, ...], arn: Value, resolve: Resolver) -> tuple[Value, ...]:
    out: list[Value] = []
    for pattern in patterns:
        verdict = _covers(pattern, arn, resolve)
        if verdict is True:
            out.append(Literal("*"))
        elif verdict is False:
            out.append(_NEVER)
        else:
            out.append(Unknown("a policy resource iacscan cannot compare"))
    return tuple(out)


def _covers(pattern: Value, arn: Value, resolve: Resolver) -> bool | None:
    """Does the policy resource ``pattern`` cover ``arn``? None when it cannot be known."""
    wanted = _symbols(pattern, True, resolve, 0)
    actual = _symbols(arn, False, resolve, 0)
    if wanted is None or actual is None or len(wanted) + len(actual) > _MAX_SYMBOLS:
        return None
    memo: dict[tuple[int, int], bool | None] = {}

    def match(i: int, j: int) -> bool | None:
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(wanted):
            result: bool | None = j == len(actual)
        elif wanted[i] == _STAR:
            result = match(i + 1, j)
            if result is not True and j < len(actual):
                result = _or(result, match(i, j + 1))
        elif j == len(actual):
            rest = wanted[i:]
            result = None if any(isinstance(item, _Part) for item in rest) else False
        else:
            p, v = wanted[i], actual[j]
            if isinstance(p, _Part):
                result = match(i + 1, j + 1) if isinstance(v, _Part) and p.key == v.key else None
            elif isinstance(v, _Part):
                result = False if (p == ":" and v.colon_free) else None
            elif p in (_ONE, v):
                result = match(i + 1, j + 1)
            else:
                result = False
        memo[(i, j)] = result
        return result

    return match(0, 0)


def _or(first: bool | None, second: bool | None) -> bool | None:
    if first is True or second is True:
        return True
    return None if first is None or second is None else False


def _symbols(value: Value, pattern: bool, resolve: Resolver, depth: int) -> list[object] | None:
    if depth > 8:
        return None
    if isinstance(value, Literal):
        if not isinstance(value.value, str):
            return None
        if not pattern:
            return list(value.value)
        return [_STAR if char == "*" else _ONE if char == "?" else char for char in value.value]
    if isinstance(value, Concat):
        out: list[object] = []
        for part in value.parts:
            inner = _symbols(part, pattern, resolve, depth + 1)
            if inner is None:
                return None
            out.extend(inner)
        return out
    if isinstance(value, Ref):
        expanded = resolve(value)
        if expanded is not None and expanded != value:
            return _symbols(expanded, pattern, resolve, depth + 1)
        return [_Part(("ref", value.resource, value.attribute or ""), not pattern)]
    if isinstance(value, Unknown):
        if value.origin & Origin.ACCOUNT:
            key: tuple[object, ...] = ("account",)
        elif value.origin & Origin.REGION:
            key = ("region",)
        elif value.hint:
            key = ("unknown", value.reason, value.hint)
        else:
            key = ("opaque", id(value))
        return [_Part(key, not pattern)]
    return None


def _may_have_resource_policy(project: Project, secret: Resource) -> bool:
    """A secret of the project whose resource policy may grant the role the read."""
    if secret.type != _SECRET_TYPE:
        return False
    if any(key.lower() in ("policy", "resourcepolicy") for key in secret.properties):
        return True
    for policy in project.of_type("AWS::SecretsManager::ResourcePolicy"):
        target = policy.prop("SecretId")
        if isinstance(target, Ref) and target.resource != secret.id:
            continue
        if names_non_service_principal(policy.prop("ResourcePolicy")):
            return True
    return False


# -- examples -------------------------------------------------------------------------------------------

_CFN = """
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: !Sub db-credentials-${{EnvironmentSuffix}}
      GenerateSecretString:
        SecretStringTemplate: '{{"username": "app"}}'
        GenerateStringKey: password
  ApiKeyParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub /orders/${{EnvironmentSuffix}}/api-key
      Type: String
      Value: replace-me
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: ecs-tasks.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy{managed}
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: logs:CreateLogGroup
                Resource: "*"{statement}
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub orders-${{EnvironmentSuffix}}
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ExecutionRoleArn: !GetAtt ExecutionRole.Arn
      ContainerDefinitions:
        - Name: api
          Image: public.ecr.aws/nginx/nginx:latest
          Secrets:
            - Name: {name}
              ValueFrom: {source}{marker}
"""


def _cfn(
    source: str, statement: str = "", managed: str = "", marker: str = "", name: str = "DB_PASSWORD"
) -> str:
    return _CFN.format(source=source, statement=statement, managed=managed, marker=marker, name=name)


_SECRET_READ = """
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Ref DbSecret"""
_SECRET_NAME_ONLY = """
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Sub arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-credentials-${EnvironmentSuffix}"""
_SECRET_PATTERN = """
              - Effect: Allow
                Action: secretsmanager:Get*
                Resource: !Sub arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-credentials-*"""
_PARAMETER_READ = """
              - Effect: Allow
                Action: ssm:GetParameters
                Resource: !Sub arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ApiKeyParameter}"""
_PARAMETER_SINGULAR = """
              - Effect: Allow
                Action: ssm:GetParameter
                Resource: !Sub arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/*"""
_PARAMETER_TREE = """
              - Effect: Allow
                Action: ssm:*
                Resource: arn:aws:ssm:*:*:parameter/orders/*"""
_CUSTOMER_MANAGED = "\n        - !Sub arn:aws:iam::${AWS::AccountId}:policy/read-app-secrets"

_JSON = """
{
  "Resources": {
    "RegistryCredentials": {"Type": "AWS::SecretsManager::Secret"},
    "WorkerExecutionRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [
          {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
      }
    },
    "WorkerExecutionPolicy": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "registry",
        "Roles": [{"Ref": "WorkerExecutionRole"}],
        "PolicyDocument": {"Statement": [
          {"Effect": "Allow", "Action": @ACTIONS@, "Resource": {"Ref": "RegistryCredentials"}}]}
      }
    },
    "WorkerTask": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "ExecutionRoleArn": {"Fn::GetAtt": ["WorkerExecutionRole", "Arn"]},
        "ContainerDefinitions": [{
          "Name": "worker",
          "Image": "registry.example.com/team/worker:1.4",
          "RepositoryCredentials": {
            "CredentialsParameter": {"Ref": "RegistryCredentials"}@MARKER@
          }
        }]
      }
    }
  }
}
"""


def _json(actions: list[str], marker: str = "") -> str:
    return _JSON.replace("@ACTIONS@", json.dumps(actions)).replace("@MARKER@", marker)


_PULUMI_STACK = """
import json

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        role = aws.iam.Role(
            f"orders-exec-{{suffix}}",
            assume_role_policy=json.dumps({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {{"Service": "ecs-tasks.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}),
        )
        aws.iam.RolePolicyAttachment(
            f"orders-exec-managed-{{suffix}}",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        )
        aws.iam.RolePolicy(
            f"orders-exec-params-{{suffix}}",
            role=role.id,
            policy=json.dumps({{"Version": "2012-10-17", "Statement": [
                {{"Effect": "Allow", "Action": {actions}, "Resource": "arn:aws:ssm:*:*:parameter/orders/*"}}]}}),
        )
        aws.ecs.TaskDefinition(
            f"orders-{{suffix}}",
            family=f"orders-{{suffix}}",
            requires_compatibilities=["FARGATE"],
            network_mode="awsvpc",
            cpu="256",
            memory="512",
            execution_role_arn=role.arn,
            container_definitions=json.dumps([{{
                "name": "api",
                "image": "public.ecr.aws/nginx/nginx:latest",
                "secrets": [{{"name": "API_KEY", "valueFrom": f"/orders/{{suffix}}/api-key"}}],  {marker}
            }}]),
        )
"""

_CDK_STACK = """
from aws_cdk import Stack, StackProps
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        secret = secretsmanager.Secret(self, "DbSecret")
{body}
"""

_CDK_L1 = """        role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonECSTaskExecutionRolePolicy")
            ],
        ){grant}
        ecs.CfnTaskDefinition(
            self,
            "TaskDefinition",
            execution_role_arn=role.role_arn,
            container_definitions=[
                ecs.CfnTaskDefinition.ContainerDefinitionProperty(
                    name="api",
                    image="public.ecr.aws/nginx/nginx:latest",
                    secrets=[ecs.CfnTaskDefinition.SecretProperty(name="DB", value_from=secret.secret_arn)],  {marker}
                )
            ],
        )"""
_CDK_L2 = """        task = ecs.FargateTaskDefinition(self, "TaskDefinition")
        task.add_container(
            "api",
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:latest"),
            secrets={"DB": ecs.Secret.from_secrets_manager(secret)},
        )"""


def _cdk(body: str) -> str:
    return _CDK_STACK.format(body=body)


TaskSecretsExecutionRoleCannotRead.INVALID = [
    Example.cfn_yaml(
        _cfn('!Sub "${DbSecret}:password::"', marker="  # expect: IAC022"),
        title="Secrets Manager JSON key, AmazonECSTaskExecutionRolePolicy only",
    ),
    Example.cfn_yaml(
        _cfn("!Ref DbSecret", _SECRET_NAME_ONLY, marker="  # expect: IAC022"),
        title="secret granted by name without the random ARN suffix",
    ),
    Example.cfn_yaml(
        _cfn("!Ref ApiKeyParameter", _PARAMETER_SINGULAR, marker="  # expect: IAC022", name="API_KEY"),
        title="ssm:GetParameter, but the agent calls ssm:GetParameters",
    ),
    Example.cfn_json(
        _json(["secretsmanager:DescribeSecret"], "  // expect: IAC022"),
        title="registry credentials, policy without secretsmanager:GetSecretValue",
    ),
    Example.pulumi(
        _PULUMI_STACK.format(actions='["ssm:GetParameter"]', marker="# expect: IAC022"),
        title="Pulumi: parameter name in container_definitions, role without ssm:GetParameters",
    ),
    Example.cdk(
        _cdk(_CDK_L1.format(grant="", marker="# expect: IAC022")),
        title="CDK: CfnTaskDefinition whose role only has AmazonECSTaskExecutionRolePolicy",
    ),
]

TaskSecretsExecutionRoleCannotRead.VALID = [
    Example.cfn_yaml(
        _cfn('!Sub "${DbSecret}:password::"', _SECRET_READ), title="GetSecretValue on !Ref DbSecret"
    ),
    Example.cfn_yaml(_cfn("!Ref DbSecret", _SECRET_PATTERN), title="secretsmanager:Get* on db-credentials-*"),
    Example.cfn_yaml(
        _cfn("!Ref ApiKeyParameter", _PARAMETER_READ, name="API_KEY"), title="GetParameters on the ARN"
    ),
    Example.cfn_yaml(
        _cfn("!Sub /orders/${EnvironmentSuffix}/api-key", _PARAMETER_TREE, name="API_KEY"),
        title="ssm:* on parameter/orders/*, parameter given by name",
    ),
    Example.cfn_yaml(
        _cfn("!Ref DbSecret", managed=_CUSTOMER_MANAGED),
        title="a customer managed policy iacscan cannot read",
    ),
    Example.cfn_yaml(
        _cfn("!GetAtt Database.MasterUserSecret.SecretArn"), title="a secret iacscan cannot identify"
    ),
    Example.cfn_json(_json(["secretsmanager:GetSecretValue"]), title="registry credentials readable"),
    Example.pulumi(
        _PULUMI_STACK.format(actions='["ssm:GetParameters"]', marker=""), title="Pulumi: ssm:GetParameters"
    ),
    Example.cdk(
        _cdk(_CDK_L1.format(grant="\n        secret.grant_read(role)", marker="")),
        title="CDK: secret.grant_read(role) for the CfnTaskDefinition's role",
    ),
    Example.cdk(
        _cdk(_CDK_L2), title="CDK: L2 task definition, ecs.Secret.from_secrets_manager grants the read"
    ),
]
