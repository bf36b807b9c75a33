"""Evaluator objects for CDK values: the app, constructs, construct nodes, IAM statements and
Step Functions states. Each answers attribute reads and method calls the way the CDK library would,
recording what it synthesizes in the :class:`~plugins.cdk.builder.Builder`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from analyzer.model import Literal, Location, Ref, Unknown, Value
from analyzer.python.values import EValue, InstanceObj, Obj
from plugins.cdk import tables

if TYPE_CHECKING:
    from analyzer.python.evaluator import CallSite, Evaluator
    from plugins.cdk.builder import Builder, Scope


@dataclass(eq=False, slots=True)
class AppObj(Obj):
    builder: Builder

    def hint(self) -> str:
        return "cdk.App()"

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        if name == "node":
            return NodeObj(self.builder, self)
        return None

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        return Literal(None) if name == "synth" else None


@dataclass(eq=False, slots=True)
class NodeObj(Obj):
    """``construct.node``: context, dependencies, ids."""

    builder: Builder
    owner: EValue

    def hint(self) -> str:
        return "node"

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name in ("try_get_context", "get_context"):
            return self.builder.context_value(ev, site.arg(0, "key"), site.location)
        if name == "add_dependency":
            self.builder.add_dependency(self.owner, site.args, site.location)
            return Literal(None)
        if name in ("set_context", "add_metadata", "add_validation"):
            return Literal(None)
        return None

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        scope = self.builder.scope_of(self.owner)
        if name == "id" and scope is not None:
            return scope.id_value
        if name == "path" and scope is not None:
            if scope.origin:  # an id built from a value (the suffix): the text is only its rendering
                return Unknown("the construct path", scope.origin, location, scope.path)
            return Literal(scope.path, location=location)
        if name == "default_child" and isinstance(self.owner, ConstructObj):
            return self.owner
        if name in ("try_get_context", "get_context"):
            return BoundContext(self)  # `ctx = self.node.try_get_context`, then `ctx("vpcId")`
        return None


@dataclass(eq=False, slots=True)
class BoundContext(Obj):
    """``node.try_get_context`` read without a call: calling it later reads the context."""

    node: NodeObj

    def hint(self) -> str:
        return "node.try_get_context"

    def call(self, ev: Evaluator, site: CallSite) -> EValue | None:
        return self.node.method(ev, "try_get_context", site)


@dataclass(eq=False, slots=True)
class ConstructObj(Obj):
    """An instance of a library construct (``s3.Bucket``, ``lambda_.Function``, ``CfnBucket``)."""

    builder: Builder
    cls: str  # python path of the class
    scope: Scope
    resource_id: str | None  # the primary resource, None for non-resource constructs
    links: dict[str, EValue] = field(default_factory=dict)  # role, task_role, ... -> the object
    data: dict[str, Any] = field(default_factory=dict)

    def hint(self) -> str:
        return self.cls.rsplit(".", 1)[-1] + "(" + self.scope.path + ")"

    def to_value(self) -> Value:
        if self.resource_id is not None:
            return Ref(self.resource_id)
        return Unknown("a construct that is not a resource", hint=self.hint())

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        if name in self.links:
            return self.links[name]
        if name == "node":
            return NodeObj(self.builder, self)
        if name == "stack_name" and self.scope.stack is not None and self.scope.stack.owner is self:
            return self.scope.stack.name
        if name == "grant_principal":
            return self.links.get("role", self.links.get("task_role", self))
        if name in ("ref",) and self.resource_id:
            return Ref(self.resource_id)
        attribute = tables.attribute(self.cls, name)
        if attribute is not None and self.resource_id is not None:
            return Ref(self.resource_id, attribute or None, location=location)
        return None

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        return self.builder.construct_method(ev, self, name, site)


@dataclass(eq=False, slots=True)
class StatementObj(Obj):
    """``iam.PolicyStatement(...)``: a statement as a mapping of values."""

    effect: EValue
    actions: list[EValue]
    resources: list[EValue]
    location: Location | None = None

    def hint(self) -> str:
        return "iam.PolicyStatement(...)"

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "add_actions":
            self.actions.extend(site.args)
            return Literal(None)
        if name == "add_resources":
            self.resources.extend(site.args)
            return Literal(None)
        return None

    def to_value(self) -> Value:
        from analyzer.python.values import to_value

        return Literal(
            {
                "Effect": to_value(self.effect),
                "Action": Literal(tuple(to_value(a) for a in _flatten(self.actions))),
                "Resource": Literal(tuple(arn_of(r) for r in _flatten(self.resources))),
            },
            location=self.location,
        )


@dataclass(eq=False, slots=True)
class PolicyDocumentObj(Obj):
    statements: list[EValue]

    def hint(self) -> str:
        return "iam.PolicyDocument(...)"

    def to_value(self) -> Value:
        from analyzer.python.values import to_value

        return Literal(
            {
                "Version": Literal("2012-10-17"),
                "Statement": Literal(tuple(to_value(s) for s in _flatten(self.statements))),
            }
        )


@dataclass(eq=False, slots=True)
class PrincipalObj(Obj):
    """``iam.ServicePrincipal("lambda.amazonaws.com")`` and friends, as a Principal mapping."""

    kind: str  # "Service" | "AWS" | "Federated"
    values: list[EValue]

    def hint(self) -> str:
        return f"{self.kind} principal"

    def to_value(self) -> Value:
        from analyzer.python.values import to_value

        items = tuple(to_value(v) for v in self.values)
        return Literal({self.kind: items[0] if len(items) == 1 else Literal(items)})


@dataclass(eq=False, slots=True)
class EngineObj(Obj):
    """``rds.DatabaseClusterEngine.aurora_postgres(version=...)``: Engine and EngineVersion."""

    engine: str
    version: Value | None

    def hint(self) -> str:
        return f"{self.engine} engine"


@dataclass(eq=False, slots=True)
class TargetObj(Obj):
    """An EventBridge rule target (``aws_events_targets.SfnStateMachine(machine)``)."""

    kind: str  # the target class name: LambdaFunction, SfnStateMachine, EcsTask, SqsQueue, ...
    target: EValue | None
    options: dict[str, EValue]

    def hint(self) -> str:
        return f"targets.{self.kind}(...)"


@dataclass(eq=False, slots=True)
class CodeObj(Obj):
    """``lambda_.Code.from_asset(path)`` / ``Code.from_inline(text)``."""

    asset: EValue | None = None
    inline: EValue | None = None
    location: Location | None = None

    def hint(self) -> str:
        return "lambda code"


@dataclass(eq=False, slots=True)
class StateObj(Obj):
    """A Step Functions state (``tasks.EcsRunTask``, ``sfn.CustomState``, ``sfn.Pass``...).

    ``statements`` are the IAM statements the state adds to the state machine's role, as CDK does
    (``EcsRunTask`` grants ``ecs:RunTask`` and ``iam:PassRole`` on the task definition's roles;
    ``CustomState`` grants nothing)."""

    name: str
    state: dict[str, EValue]
    statements: list[dict[str, Any]] = field(default_factory=list)
    branches: list[ChainObj] = field(default_factory=list)

    def hint(self) -> str:
        return f"state {self.name}"

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "next":
            chain = ChainObj([self])
            chain.append(site.arg(0, "next"))
            return chain
        if name in ("add_catch", "when", "otherwise", "branch", "item_processor", "iterator"):
            for arg in [*site.args, *site.kwargs.values()]:
                if isinstance(arg, (StateObj, ChainObj)):
                    self.branches.append(arg if isinstance(arg, ChainObj) else ChainObj([arg]))
            return self
        if name in ("add_retry", "to_single_state"):
            return self
        if name in ("afterwards", "default_choice"):
            return ChainObj([self])
        return None


@dataclass(eq=False, slots=True)
class ChainObj(Obj):
    states: list[StateObj]

    def hint(self) -> str:
        return "state chain"

    def append(self, value: EValue | None) -> None:
        if isinstance(value, StateObj):
            self.states.append(value)
        elif isinstance(value, ChainObj):
            self.states.extend(value.states)

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "next":
            self.append(site.arg(0, "next"))
            return self
        if name in ("to_single_state",):
            return self
        return None

    def all_states(self, seen: set[int] | None = None) -> list[StateObj]:
        seen = seen if seen is not None else set()
        found: list[StateObj] = []
        for state in self.states:
            if id(state) in seen:
                continue
            seen.add(id(state))
            found.append(state)
            for branch in state.branches:
                found.extend(branch.all_states(seen))
        return found


def _flatten(values: list[EValue]) -> list[EValue]:
    flat: list[EValue] = []
    for value in values:
        if isinstance(value, Literal) and isinstance(value.value, tuple):
            flat.extend(value.value)
        else:
            flat.append(value)
    return flat


def arn_of(value: EValue | None) -> Value:
    """A policy resource: a construct passed directly means its ARN."""
    from analyzer.python.values import to_value

    if isinstance(value, ConstructObj) and value.resource_id is not None:
        return Ref(value.resource_id, "Arn")
    return to_value(value)


def is_user_construct(value: EValue) -> bool:
    return isinstance(value, InstanceObj) and "cdk" in value.data


def unwrap(value: EValue) -> EValue:
    """A worktree subclass instance of a library construct stands for the construct it built."""
    if isinstance(value, InstanceObj):
        built = value.data.get("construct")
        if isinstance(built, ConstructObj):
            return built
    if (
        isinstance(value, Literal)
        and isinstance(value.value, tuple)
        and any(isinstance(item, InstanceObj) for item in value.value)
    ):
        return Literal(tuple(unwrap(item) for item in value.value), value.origin, value.location)
    return value


def unwrap_site(site: CallSite) -> None:
    """Arguments as the library sees them (see :func:`unwrap`), in place."""
    site.args[:] = [unwrap(arg) for arg in site.args]
    for key, value in site.kwargs.items():
        site.kwargs[key] = unwrap(value)
