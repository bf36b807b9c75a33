"""What the CDK app synthesizes, collected while the evaluator runs and frozen into ``Resource``s.

Construct paths are resource ids (``TapStackdev/Storage/VideoBucket``). L1 ``Cfn*`` classes map
every keyword through the generated table; L2 classes keep the keywords whose CloudFormation
property has the same name and a scalar value, plus the shapes rules need (role trust policies,
role references, function code, state machine definitions). IAM grants become statements on the
grantee role's ``<role>/DefaultPolicy`` (``AWS::IAM::Policy``), as CDK synthesizes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.model import (
    Concat,
    Dependency,
    FunctionCode,
    Literal,
    Location,
    Origin,
    ParseProblem,
    Ref,
    Resource,
    Unknown,
    Value,
    render,
)
from analyzer.python.values import (
    EValue,
    ExternalObj,
    InstanceObj,
    JsonText,
    Obj,
    id_text,
    origin_of,
    to_value,
)
from plugins.cdk import apigateway, environments, integrations, renames, tables
from plugins.cdk.objects import (
    AppObj,
    ChainObj,
    CodeObj,
    ConstructObj,
    EngineObj,
    PolicyDocumentObj,
    PrincipalObj,
    StatementObj,
    StateObj,
    TargetObj,
    arn_of,
    unwrap_site,
)

if TYPE_CHECKING:
    from analyzer.python.evaluator import CallSite, Evaluator

STACK = "aws_cdk.Stack"
NESTED_STACK = "aws_cdk.NestedStack"
ROLE_TYPE = "AWS::IAM::Role"

# CDK's RemovalPolicy -> CloudFormation DeletionPolicy/UpdateReplacePolicy (core/lib/removal-policy.ts).
_REMOVAL = {
    "DESTROY": "Delete",
    "RETAIN": "Retain",
    "SNAPSHOT": "Snapshot",
    "RETAIN_ON_UPDATE_OR_DELETE": "Retain",
}


@dataclass(slots=True)
class Scope:
    """A construct in the tree: its path, id and the stack it belongs to."""

    path: str
    id_value: Value
    stack: StackInfo | None
    location: Location | None = None
    # Where the ids along the path came from (a stack id built from the suffix): ``node.path``
    # and names built from it differ per deployment when this does.
    origin: Origin = Origin.NONE


@dataclass(slots=True)
class StackInfo:
    path: str
    name: Value  # the CloudFormation stack name (explicit stack_name, else the construct id)
    nested: bool
    parent: StackInfo | None
    location: Location | None = None
    owner: Any = None  # the stack object (for ``Stack.of(construct)``)


@dataclass(slots=True)
class ResourceRecord:
    id: str
    type: str
    location: Location
    source_type: str
    stack: StackInfo | None
    properties: dict[str, Any] = field(default_factory=dict)
    property_locations: dict[str, Location] = field(default_factory=dict)
    name: Value | None = None
    name_property: str | None = None
    depends_on: list[Dependency] = field(default_factory=list)
    options: dict[str, Value] = field(default_factory=dict)
    code: FunctionCode | None = None
    in_loop: bool = False
    statements: list[Any] = field(default_factory=list)  # DefaultPolicy statements (lazy parts)
    # Constructs this resource waits for as a whole (``node.addDependency(construct)``): resolved
    # when freezing, once companions such as ``<role>/DefaultPolicy`` exist.
    construct_dependencies: list[tuple[str, Location]] = field(default_factory=list)
    removal_default: bool = False  # the lifecycle options are the construct's default, not written


class Builder:
    def __init__(self, root: Path, context: dict[str, Any], has_cdk_json: bool) -> None:
        self.root = root
        self.context = context
        self.has_cdk_json = has_cdk_json
        self.records: dict[str, ResourceRecord] = {}
        self.scopes: dict[int, Scope] = {}  # id(obj) -> scope, for user construct instances and the app
        self.stacks: list[StackInfo] = []
        self.problems: list[ParseProblem] = []
        self.context_reads: dict[str, Value] = {}
        self._keep: list[Any] = []  # objects whose id() keys self.scopes
        self._nested_records: dict[int, str] = {}
        # Aspects (``Aspects.of(scope).add(...)``, ``RemovalPolicies.of(scope)``) can change any
        # resource's removal policy after construction: defaults are then not known.
        self.aspects: list[Location] = []
        # L1 struct dicts whose required keys are written with Python names (IAC008 facts)
        self.construct_errors: list[dict[str, Any]] = []
        self._pending_dependencies: list[tuple[EValue, list[EValue], Location]] = []
        # Stack environments (IAC021): every Stack.__init__ seen per stack object, where each stack
        # object was created, and which objects claimed each construct path.
        self._stack_envs: dict[int, list[environments.EnvObservation]] = {}
        self._stack_created: dict[int, Location] = {}
        self._path_owners: dict[str, set[int]] = {}
        # Objects whose nearest enclosing Stage is the cdk.App (no Stage in between): a stack there
        # without env has no account or region (core/lib/stack.ts: env ?? Stage.of(this) ?? token).
        self._app_staged: set[int] = set()
        # Stack objects to whose creation call an `env=` keyword could be added (IAC021's fix).
        self.env_keyword_reaches_stack: set[int] = set()

    # -- scopes ----------------------------------------------------------------------------------

    def register_app(self, app: AppObj) -> None:
        self._keep.append(app)
        self.scopes[id(app)] = Scope("", Literal(""), None)
        self._app_staged.add(id(app))

    def scope_of(self, value: EValue | None) -> Scope | None:
        if isinstance(value, ConstructObj):
            return value.scope
        if value is None:
            return None
        return self.scopes.get(id(value))

    def child_scope(self, parent: EValue | None, id_value: EValue | None, location: Location) -> Scope:
        parent_scope = self.scope_of(parent)
        text = id_text(to_value(id_value)) if id_value is not None else "?"
        origin = origin_of(to_value(id_value)) if id_value is not None else Origin.NONE
        if parent_scope is None:
            path = "?/" + text if not isinstance(parent, AppObj) else text
            return Scope(path, to_value(id_value), None, location, origin)
        path = f"{parent_scope.path}/{text}" if parent_scope.path else text
        return Scope(path, to_value(id_value), parent_scope.stack, location, parent_scope.origin | origin)

    def register_user_construct(
        self,
        instance: InstanceObj,
        base: str,
        site: CallSite,
        *,
        scope_arg: EValue | None,
        id_arg: EValue | None,
        stack_name: EValue | None,
    ) -> None:
        """A worktree class deriving from a CDK construct (a stack, a nested stack, a construct)."""
        scope = self.child_scope(scope_arg, id_arg, site.location)
        if tables.is_subclass(base, STACK):
            scope = self._stack_scope(instance, base, scope, site, stack_name)
        self._keep.append(instance)
        instance.data["cdk"] = base
        self.scopes[id(instance)] = scope
        self._note_staging(instance, base, scope_arg)

    def _stack_scope(
        self, owner: Any, base: str, scope: Scope, site: CallSite, stack_name: EValue | None
    ) -> Scope:
        nested = tables.is_subclass(base, NESTED_STACK)
        parent = scope.stack
        if nested and parent is not None:
            name = parent.name  # CloudFormation names a nested stack after its parent stack
        elif stack_name is not None and not (isinstance(stack_name, Literal) and stack_name.value is None):
            name = to_value(stack_name)
        elif "/" in scope.path:
            # core/lib/stack.ts generateStackName: a stack below another construct (a stage, a
            # stack) is named from every id on its path plus a hash, not from its own id alone.
            name = Unknown("the stack name CDK derives from the construct path", scope.origin, site.location)
        else:
            name = scope.id_value
        stack = StackInfo(scope.path, name, nested, parent, site.location, owner)
        self.stacks = [s for s in self.stacks if s.path != stack.path] + [stack]
        self._path_owners.setdefault(stack.path, set()).add(id(owner))
        self._stack_created.setdefault(id(owner), site.location)  # the first call: the instantiation
        previous = self._nested_records.pop(id(owner), None)
        if previous is not None:  # registered at construction; super().__init__ has the real args
            self.records.pop(previous, None)
        if nested and parent is not None:
            self._nested_records[id(owner)] = scope.path + ".NestedStack"
            self._add(
                ResourceRecord(
                    scope.path + ".NestedStack", "AWS::CloudFormation::Stack", site.location, base, parent
                )
            )
        return Scope(scope.path, scope.id_value, stack, site.location, scope.origin)

    def adopt(self, instance: InstanceObj, built: ConstructObj) -> None:
        """A worktree subclass instance stands for the library construct it built: children
        created with it as scope go under the construct's path."""
        self._keep.append(instance)
        self.scopes[id(instance)] = built.scope

    def observe_stack_init(
        self, owner: Any, ev: Evaluator, site: CallSite, scope: EValue | None, *, followed: bool = True
    ) -> None:
        """A ``Stack.__init__`` call for the stack object ``owner`` (see :mod:`plugins.cdk.environments`)."""
        in_app = scope is not None and id(scope) in self._app_staged
        observation = environments.observe(ev, site, scope, in_app=in_app, followed=followed)
        self._stack_envs.setdefault(id(owner), []).append(observation)

    def _note_staging(self, owner: Any, base: str, scope: EValue | None) -> None:
        """Whether ``owner`` (a worktree construct or stack, a library stack) sits under the App with no
        Stage in between: its scope does, and it is no Stage itself. Library constructs other than
        stacks are not followed (a stack made inside one is not judged)."""
        if (
            scope is not None
            and id(scope) in self._app_staged
            and not tables.is_subclass(base, "aws_cdk.Stage")
        ):
            self._app_staged.add(id(owner))
        else:
            self._app_staged.discard(id(owner))

    def stack_of(self, value: EValue | None) -> EValue | None:
        """``Stack.of(construct)``: the stack object that holds it."""
        scope = self.scope_of(value)
        return scope.stack.owner if scope is not None and scope.stack is not None else None

    # -- context ---------------------------------------------------------------------------------

    def context_value(self, ev: Evaluator, key: EValue | None, location: Location) -> EValue:
        if not isinstance(key, Literal) or not isinstance(key.value, str):
            return Unknown("context key not known", Origin.CONFIG, location, "try_get_context(...)")
        name = key.value
        origin = Origin.CONFIG | ev.note_name(name, location)
        if name in self.context:
            value: Value = _plain_literal(self.context[name], origin, location)
        else:
            where = "cdk.json has no such context key" if self.has_cdk_json else "there is no cdk.json"
            value = Unknown(
                f"context '{name}' is given at deploy time (-c {name}=...); {where}", origin, location, name
            )
        self.context_reads[name] = value
        return value

    # -- resources -------------------------------------------------------------------------------

    def _add(self, record: ResourceRecord) -> ResourceRecord:
        base, index = record.id, 2
        while record.id in self.records:
            record.id = f"{base}~{index}"
            index += 1
        self.records[record.id] = record
        if record.stack is not None:
            record.options.setdefault("StackName", record.stack.name)
        return record

    add_record = _add

    def construct(self, ev: Evaluator, cls: str, site: CallSite) -> EValue:
        """A library construct call: ``s3.Bucket(self, "Videos", bucket_name=...)``."""
        info = tables.construct(cls)
        scope = self.child_scope(site.arg(0, "scope"), site.arg(1, "id"), site.location)
        in_loop = bool(site.frame and site.frame.in_loop)
        obj = ConstructObj(self, cls, scope, None)
        if tables.is_subclass(cls, STACK):  # a library stack used directly: cdk.Stack(app, "S")
            obj.scope = self._stack_scope(obj, cls, scope, site, site.kwargs.get("stack_name"))
            self._keep.append(obj)
            self._note_staging(obj, cls, site.arg(0, "scope"))
            self.env_keyword_reaches_stack.add(id(obj))
            self.observe_stack_init(obj, ev, site, site.arg(0, "scope"))
            return obj
        if cls == "aws_cdk.aws_s3_deployment.BucketDeployment":
            integrations.bucket_deployment(self, obj, site)
            return obj
        if info is None or not info.cfn_type:
            return obj
        record = self._add(
            ResourceRecord(scope.path, info.cfn_type, site.location, cls, scope.stack, in_loop=in_loop)
        )
        obj.resource_id = record.id
        if scope.stack is not None:
            record.options["StackName"] = scope.stack.name
        for keyword, value in site.kwargs.items():
            self._keyword(ev, obj, record, info, keyword, value, site)
        if info.name_keyword and info.name_keyword in site.kwargs:
            raw = site.kwargs[info.name_keyword]
            value = to_value(raw)
            generated = isinstance(raw, ExternalObj) and raw.qualname.startswith("aws_cdk.PhysicalName.")
            if generated:  # PhysicalName.GENERATE_IF_NEEDED: CDK derives a unique name
                record.properties.pop(info.cfn_property(info.name_keyword) or "", None)
            elif not (isinstance(value, Literal) and value.value is None):
                record.name = value
                record.name_property = info.cfn_property(info.name_keyword) or info.name_keyword
        # A `**kwargs` whose keys are unknown may carry any keyword: no default is certain then.
        if info.level == 2 and not site.star_kwargs:
            for prop, default_value in renames.defaults(cls, site.kwargs, site.location).items():
                record.properties.setdefault(prop, default_value)
        default = info.entry.get("removal")
        if default in _DEFAULT_REMOVAL and "removal_policy" not in site.kwargs and not site.star_kwargs:
            # The construct's own default (jsii `@default` of removalPolicy): CDK writes it into
            # the template just as if it had been given.
            self._removal(record, ExternalObj(f"aws_cdk.RemovalPolicy.{default.upper()}"))
            record.options["RemovalPolicy"] = Literal(
                f"{default} (the default of {cls.rsplit('.', 1)[-1]})", location=site.location
            )
            record.removal_default = True
        self._companions(obj, record, site)
        self._special(ev, obj, record, site)
        return obj

    def _keyword(
        self,
        ev: Evaluator,
        obj: ConstructObj,
        record: ResourceRecord,
        info: tables.ConstructInfo,
        keyword: str,
        value: EValue,
        site: CallSite,
    ) -> None:
        location = site.arg_locations.get(keyword, site.location)
        if keyword == "removal_policy":
            self._removal(record, value)
            return
        if keyword in ("auto_delete_objects",):
            record.options["AutoDeleteObjects"] = to_value(value)
            return
        convert = renames.converter(info.path, keyword) if info.level == 2 else None
        if convert is not None:
            for prop, converted_value in (convert(value) or {}).items():
                record.properties[prop] = converted_value
                record.property_locations[prop] = location
            return
        target = info.cfn_property(keyword)
        if target is None:
            return
        if info.level == 1:
            converted = _cfn_value(value, target)
            struct = tables.struct_type(info.path, keyword)
            if struct is not None:
                for missing, given in _python_named_required(converted, struct):
                    self.construct_errors.append(
                        {
                            "resource": record.id,
                            "call": site.location,
                            "class": info.path,
                            "keyword": keyword,
                            "location": location,
                            "message": f"{missing}: required but missing (the dict passes '{given}', "
                            f"and jsii hands a dict's keys to CDK unchanged)",
                            "fix": f"write the key as '{missing}' (camelCase), or build the struct with its class",
                            "platform": "cdk",
                        }
                    )
                converted = _struct_keys(converted, struct)
        else:
            if tables.struct_property(info.path, keyword) is None and target.lower() != keyword.replace(
                "_", ""
            ):
                return  # an L2 rename whose value shape differs from CloudFormation's
            converted = _cfn_value(value, target)
            shaped = isinstance(converted, Literal) and isinstance(converted.value, (dict, tuple))
            if shaped and not (keyword in _SAME_SHAPE_MAPS and _flat_map(converted)):
                return
        record.properties[target] = converted
        record.property_locations[target] = location

    def _removal(self, record: ResourceRecord, value: EValue) -> None:
        record.removal_default = False
        member = value.qualname.rsplit(".", 1)[-1] if isinstance(value, ExternalObj) else None
        if member in _REMOVAL:
            record.options["RemovalPolicy"] = Literal(member.lower())
            record.options["DeletionPolicy"] = Literal(_REMOVAL[member])
            record.options["UpdateReplacePolicy"] = Literal(_REMOVAL[member])
        else:
            record.options["RemovalPolicy"] = to_value(value)

    def _companions(self, obj: ConstructObj, record: ResourceRecord, site: CallSite) -> None:
        for companion in tables.companions(obj.cls):
            given = companion.get("unless")
            if given and given in site.kwargs and not _is_none(site.kwargs[given]):
                if companion.get("attr"):
                    obj.links[companion["attr"]] = site.kwargs[given]
                continue
            when = companion.get("when")
            if when and (when not in site.kwargs or _is_none(site.kwargs[when])):
                continue
            if companion.get("lazy"):
                obj.data.setdefault("lazy", []).append(companion)
                continue
            self._make_companion(obj, record, companion, site)

    def _make_companion(
        self, obj: ConstructObj, record: ResourceRecord, companion: dict[str, Any], site: CallSite
    ) -> ConstructObj:
        child = Scope(
            f"{obj.scope.path}/{companion['id']}",
            Literal(companion["id"]),
            obj.scope.stack,
            site.location,
            obj.scope.origin,
        )
        sub = self._add(
            ResourceRecord(
                child.path,
                companion["type"],
                record.location,
                obj.cls + "#" + companion["id"],
                obj.scope.stack,
                in_loop=record.in_loop,
            )
        )
        if obj.scope.stack is not None:
            sub.options["StackName"] = obj.scope.stack.name
        default = companion.get("removal")
        if default in _DEFAULT_REMOVAL and not site.star_kwargs:
            # the companion's own class default (a Trail's bucket is an s3.Bucket: retain)
            self._removal(sub, ExternalObj(f"aws_cdk.RemovalPolicy.{default.upper()}"))
            sub.options["RemovalPolicy"] = Literal(
                f"{default} (the default of {companion.get('of', 'the construct')})", location=site.location
            )
            sub.removal_default = True
        if companion["type"] == ROLE_TYPE:
            sub.properties["AssumeRolePolicyDocument"] = _trust(Literal(companion.get("assumed_by", "")))
            if companion.get("managed"):
                sub.properties["ManagedPolicyArns"] = Literal(
                    tuple(Literal(f"arn:aws:iam::aws:policy/{name}") for name in companion["managed"])
                )
        for keyword, prop in companion.get("props", {}).items():
            if keyword in site.kwargs:
                sub.properties[prop] = to_value(site.kwargs[keyword])
        companion_obj = ConstructObj(
            self, "aws_cdk.aws_iam.Role" if companion["type"] == ROLE_TYPE else obj.cls, child, sub.id
        )
        if companion.get("attr"):
            obj.links[companion["attr"]] = companion_obj
        return companion_obj

    # -- per-construct shapes the rules need -------------------------------------------------------

    def _special(self, ev: Evaluator, obj: ConstructObj, record: ResourceRecord, site: CallSite) -> None:
        kwargs = site.kwargs
        info = tables.construct(obj.cls)
        level2 = info is not None and info.level == 2
        if record.type == ROLE_TYPE and obj.cls.endswith("aws_iam.Role"):
            if "assumed_by" in kwargs:
                record.properties["AssumeRolePolicyDocument"] = _trust(kwargs["assumed_by"])
            if "managed_policies" in kwargs:
                record.properties["ManagedPolicyArns"] = to_value(kwargs["managed_policies"])
            if "inline_policies" in kwargs:
                policies = kwargs["inline_policies"]
                if isinstance(policies, Literal) and isinstance(policies.value, dict):
                    record.properties["Policies"] = Literal(
                        tuple(
                            Literal({"PolicyName": Literal(key), "PolicyDocument": to_value(doc)})
                            for key, doc in policies.value.items()
                        )
                    )
        role_keyword = {
            "AWS::Lambda::Function": ("role", "Role"),
            "AWS::StepFunctions::StateMachine": ("role", "RoleArn"),
        }.get(record.type)
        if role_keyword and level2:
            role = obj.links.get("role")
            if role is not None:
                record.properties[role_keyword[1]] = arn_of(role)
            role_id = _resource_id(role)
            if role_id is not None and role_id in self.records:
                # aws-lambda/lib/function.ts and aws-stepfunctions/lib/state-machine.ts:
                # resource.node.addDependency(this.role), so the role's DefaultPolicy comes first.
                record.construct_dependencies.append((role_id, site.location))
        if (
            record.type == "AWS::Lambda::Function"
            and level2
            and "vpc" in kwargs
            and not _is_none(kwargs["vpc"])
        ):
            self._function_vpc(obj, record, kwargs)
        if record.type == "AWS::ECS::TaskDefinition" and level2:
            for attr, prop in (("task_role", "TaskRoleArn"), ("execution_role", "ExecutionRoleArn")):
                if attr in obj.links:
                    record.properties[prop] = arn_of(obj.links[attr])
            if "family" not in kwargs:
                record.properties.pop("Family", None)
        engine = kwargs.get("engine")
        if isinstance(engine, EngineObj) and record.type in ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance"):
            record.properties["Engine"] = Literal(engine.engine)
            if engine.version is not None:
                record.properties["EngineVersion"] = engine.version
                record.property_locations["EngineVersion"] = site.arg_locations.get("engine", site.location)
        if record.type == "AWS::Events::Rule" and level2:
            for each_target in _items(kwargs.get("targets")):
                self._add_target(obj, record, each_target, site)
        target = kwargs.get("target")
        if record.type == "AWS::Lambda::EventSourceMapping" and level2 and integrations.is_function(target):
            # aws-lambda/lib/event-source-mapping.ts: functionName: props.target.functionName
            record.properties["FunctionName"] = Ref(_resource_id(target) or "")
        if record.type == "AWS::Scheduler::Schedule" and isinstance(target, TargetObj):
            self._schedule_target(obj, record, target, site)
        if record.type == "AWS::ApiGateway::RestApi" and level2:
            apigateway.rest_api(self, obj, record, site)
        if record.type == "AWS::Lambda::Function":
            self._function(ev, record, site)
            if level2:
                for source in _items(kwargs.get("events")):
                    integrations.event_source(self, obj, source, site)
                # aws-lambda/lib/function.ts: each initialPolicy statement goes through
                # this.role.addToPrincipalPolicy, i.e. into the role's DefaultPolicy.
                role_record = self.records.get(_resource_id(obj.links.get("role")) or "")
                if role_record is not None and "initial_policy" in kwargs:
                    role_record.statements.extend(_items(kwargs["initial_policy"]))
        if record.type == "AWS::StepFunctions::StateMachine" and level2:
            self._state_machine(obj, record, site)
        policy_types = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
        if record.type in policy_types and obj.cls.endswith(("aws_iam.Policy", "aws_iam.ManagedPolicy")):
            statements = kwargs.get("statements")
            record.statements.extend(_items(statements))
            roles = [arn_of(r) for r in _items(kwargs.get("roles"))]
            record.properties["Roles"] = Literal(
                tuple(Ref(r.resource) if isinstance(r, Ref) else r for r in roles)
            )
            if record.type == "AWS::IAM::Policy":
                given = kwargs.get("policy_name")
                record.properties["PolicyName"] = to_value(given) if given is not None else _GENERATED_NAME

    def _function(self, ev: Evaluator, record: ResourceRecord, site: CallSite) -> None:
        kwargs = site.kwargs
        runtime = kwargs.get("runtime")
        runtime_text = _runtime(runtime)
        if runtime_text:
            record.properties["Runtime"] = Literal(runtime_text)
        environment = kwargs.get("environment")
        if environment is not None:
            record.properties["Environment"] = Literal({"Variables": to_value(environment)})
        code = kwargs.get("code")
        handler = to_value(kwargs.get("handler")) if "handler" in kwargs else None
        handler_text = (
            handler.value if isinstance(handler, Literal) and isinstance(handler.value, str) else None
        )
        if isinstance(code, CodeObj):
            inline = to_value(code.inline) if code.inline is not None else None
            asset = to_value(code.asset) if code.asset is not None else None
            if isinstance(inline, Literal):
                record.properties["Code"] = Literal({"ZipFile": inline})
            record.code = _analyze_code(
                self.root,
                handler_text,
                runtime_text,
                inline.value if isinstance(inline, Literal) else None,
                code.location,
                asset.value if isinstance(asset, Literal) else None,
            )

    def _state_machine(self, obj: ConstructObj, record: ResourceRecord, site: CallSite) -> None:
        body = site.kwargs.get("definition_body", site.kwargs.get("definition"))
        chain = (
            body if isinstance(body, ChainObj) else ChainObj([body]) if isinstance(body, StateObj) else None
        )
        if chain is not None:
            states = chain.all_states()
            document: dict[str, Value] = {"StartAt": Literal(states[0].name) if states else Literal(None)}
            rendered: dict[str, Value] = {}
            for index, state in enumerate(chain.states):
                data = {key: to_value(value) for key, value in state.state.items()}
                if state.state.get("Type") not in (Literal("Succeed"), Literal("Fail"), Literal("Choice")):
                    if index + 1 < len(chain.states):
                        data["Next"] = Literal(chain.states[index + 1].name)
                    else:
                        data["End"] = Literal(True)
                rendered[state.name] = Literal(data)
            for state in states:
                rendered.setdefault(state.name, Literal({k: to_value(v) for k, v in state.state.items()}))
            document["States"] = Literal(rendered)
            record.properties["Definition"] = Literal(document)
            role = obj.links.get("role")
            role_id = _resource_id(role)
            if role_id is not None and self._mutable_role(role):
                for state in states:
                    self.records[role_id].statements.extend(state.statements)
        elif isinstance(body, (Literal, Concat, JsonText, Unknown)):
            record.properties["DefinitionString"] = to_value(body)

    def _function_vpc(self, obj: ConstructObj, record: ResourceRecord, kwargs: dict[str, EValue]) -> None:
        """aws-lambda/lib/function.ts with `vpc`: VpcConfig with the selected subnets (not modelled,
        so unknown), and the role CDK creates gets AWSLambdaVPCAccessExecutionRole; a role given
        by the code gets nothing."""
        subnets = Unknown("the VPC subnets the function is placed in", hint="vpc_subnets")
        groups = Unknown("the function's security groups", hint="security_groups")
        record.properties["VpcConfig"] = Literal({"SubnetIds": subnets, "SecurityGroupIds": groups})
        if "role" in kwargs:
            return
        role_record = self.records.get(_resource_id(obj.links.get("role")) or "")
        if role_record is None:
            return
        existing = role_record.properties.get("ManagedPolicyArns")
        items = (
            list(existing.value)
            if isinstance(existing, Literal) and isinstance(existing.value, tuple)
            else []
        )
        items.append(Literal("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"))
        role_record.properties["ManagedPolicyArns"] = Literal(tuple(items))

    def _mutable_role(self, role: EValue | None) -> bool:
        return isinstance(role, ConstructObj) and role.resource_id in self.records

    # -- methods on constructs -------------------------------------------------------------------

    def construct_method(self, ev: Evaluator, obj: ConstructObj, name: str, site: CallSite) -> EValue | None:
        unwrap_site(site)
        record = self.records.get(obj.resource_id or "")
        integration = self._integration_method(obj, record, name, site)
        if integration is not None:
            return integration
        if name.startswith("grant") and record is not None:
            return self._grant(obj, name, site)
        if name in ("add_to_task_role_policy", "add_to_execution_role_policy") and record is not None:
            link = "task_role" if name == "add_to_task_role_policy" else "execution_role"
            if link not in obj.links:
                self._obtain_lazy(obj, record, link, site)
            target_record = self.records.get(_resource_id(obj.links.get(link)) or "")
            if target_record is not None:
                target_record.statements.extend(site.args)
            return Literal(None)
        if name == "attach_inline_policy" and record is not None and record.type == ROLE_TYPE:
            for policy in site.args:
                policy_record = self.records.get(_resource_id(policy) or "")
                if policy_record is not None:
                    self._append_role(policy_record, record.id)
            return Literal(None)
        if name in ("add_to_role_policy", "add_to_policy", "add_to_principal_policy", "add_statements"):
            target = (
                obj
                if record is not None
                and record.type in (ROLE_TYPE, "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
                else (obj.links.get("role") or obj.links.get("task_role"))
            )
            target_record = self.records.get(_resource_id(target) or "")
            if target_record is not None:
                target_record.statements.extend(site.args)
            return Literal(None)
        if name == "add_managed_policy" and record is not None:
            existing = record.properties.get("ManagedPolicyArns")
            items = (
                list(existing.value)
                if isinstance(existing, Literal) and isinstance(existing.value, tuple)
                else []
            )
            record.properties["ManagedPolicyArns"] = Literal(
                tuple([*items, *(to_value(a) for a in site.args)])
            )
            return Literal(None)
        if name == "attach_to_role" and record is not None:
            for role in site.args:
                role_id = _resource_id(role)
                if role_id:
                    self._append_role(record, role_id)
            return Literal(None)
        if name in ("add_dependency", "add_depends_on"):
            self.add_dependency(obj, site.args, site.location)
            return Literal(None)
        if name == "apply_removal_policy" and record is not None:
            self._removal(record, site.arg(0, "policy") or Literal(None))
            return Literal(None)
        if name == "add_property_override" and record is not None:
            key, value = site.arg(0, "property_path"), site.arg(1, "value")
            if isinstance(key, Literal) and isinstance(key.value, str) and "." not in key.value:
                record.properties[key.value] = to_value(value)
            return Literal(None)
        if name == "add_target" and record is not None and record.type == "AWS::Events::Rule":
            self._add_target(obj, record, site.arg(0, "target"), site)
            return Literal(None)
        if name == "add_container" and record is not None:
            return self._add_container(obj, record, site)
        if name == "add_flow_log" and record is not None and record.type == "AWS::EC2::VPC":
            # aws-ec2/lib/vpc.ts addFlowLog: new FlowLog(this, id, {resourceType: fromVpc(this), ...})
            from analyzer.python.evaluator import CallSite  # a cycle at import time otherwise

            flow_site = CallSite(
                site.node,
                site.module,
                [obj, site.arg(0, "id") or Literal("FlowLog")],
                {key: value for key, value in site.kwargs.items() if key != "id"},
                star_kwargs=site.star_kwargs,
                arg_locations=site.arg_locations,
                frame=site.frame,
                at=site.at,
            )
            return self.construct(ev, "aws_cdk.aws_ec2.FlowLog", flow_site)
        return None

    def _integration_method(
        self, obj: ConstructObj, record: ResourceRecord | None, name: str, site: CallSite
    ) -> EValue | None:
        """Methods that wire a construct to another one (see :mod:`plugins.cdk.integrations`)."""
        if "api" in obj.data and obj.cls == "aws_cdk.aws_apigateway.Resource":
            return apigateway.api_resource_method(self, obj, name, site)
        if record is None:
            return None
        if name == "add_permission" and record.type in integrations.FUNCTION_TYPES:
            return integrations.add_permission(self, obj, site)
        if name == "add_event_source" and record.type in integrations.FUNCTION_TYPES:
            integrations.event_source(self, obj, site.arg(0, "source"), site)
            return Literal(None)
        if name == "add_event_source_mapping" and record.type in integrations.FUNCTION_TYPES:
            integrations.event_source_mapping(self, obj, site)
            return Literal(None)
        if record.type == "AWS::S3::Bucket" and name in _NOTIFICATION_METHODS:
            event, destination, _ = integrations.notification_events(name, site)
            integrations.bucket_notification(self, obj, event, destination, site)
            return Literal(None)
        if record.type == "AWS::SNS::Topic" and name == "add_subscription":
            integrations.subscription(self, obj, site.arg(0, "topic_subscription"), site)
            return Literal(None)
        if name == "add_to_resource_policy" and record.type in (
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::S3::Bucket",
        ):
            policy = integrations.resource_policy(self, obj)
            if policy is not None:
                policy.statements.extend(site.args)
            return Literal(None)
        return None

    def _append_role(self, policy: ResourceRecord, role_id: str) -> None:
        roles = policy.properties.get("Roles")
        items = list(roles.value) if isinstance(roles, Literal) and isinstance(roles.value, tuple) else []
        if Ref(role_id) not in items:
            items.append(Ref(role_id))
        policy.properties["Roles"] = Literal(tuple(items))

    def _obtain_lazy(self, obj: ConstructObj, record: ResourceRecord, link: str, site: CallSite) -> None:
        """CDK creates some companions on first use (a task definition's execution role)."""
        for companion in obj.data.get("lazy", []):
            if companion.get("attr") == link:
                role = self._make_companion(obj, record, companion, site)
                record.properties["ExecutionRoleArn"] = Ref(role.resource_id or "", "Arn")

    def _grant(self, obj: ConstructObj, name: str, site: CallSite) -> EValue:
        actions = tables.grant_actions(obj.cls, name)
        grantee = site.arg(0, "grantee")
        if isinstance(grantee, PrincipalObj) and actions is not None:
            # A service principal has no policy of its own: CDK writes a resource policy instead.
            if name == "grant_invoke" and integrations.is_function(obj):
                integrations.grant_invoke_to_service(self, obj, grantee, site)
            else:
                integrations.grant_to_service(self, obj, [Literal(a) for a in actions], grantee)
            return Literal(None)
        if name in ("grant", "grant_actions") or actions is None:
            if name == "grant":
                actions_values = [to_value(a) for a in site.args[1:]]
            else:
                self._unknown_grant(obj, name, grantee)
                return Literal(None)
        else:
            actions_values = [Literal(a) for a in actions]
        role_id = self.principal_role(grantee)
        if role_id is None or obj.resource_id is None:
            return Literal(None)
        resource: Value = Ref(obj.resource_id, "Arn")
        self.records[role_id].statements.append(
            {
                "Effect": Literal("Allow"),
                "Action": Literal(tuple(actions_values)),
                "Resource": Literal((resource,)),
            }
        )
        return Literal(None)

    def grant_to_principal(
        self, grantee: EValue | None, actions: EValue | None, resources: EValue | None
    ) -> None:
        """``iam.Grant.add_to_principal(grantee=..., actions=[...], resource_arns=[...])``: one statement
        on the grantee's role (its DefaultPolicy)."""
        role_id = self.principal_role(grantee)
        if role_id is None:
            return
        self.records[role_id].statements.append(
            {
                "Effect": Literal("Allow"),
                "Action": to_value(actions) if actions is not None else Unknown("grant actions"),
                "Resource": to_value(resources) if resources is not None else Unknown("grant resources"),
            }
        )

    def _unknown_grant(self, obj: ConstructObj, name: str, grantee: EValue | None) -> None:
        """A ``grant_*`` whose actions the tables do not hold (``stream.grant_read``): the grantee's
        policy gets a statement that may allow any action on some resource, so no rule takes the
        role to lack what the grant may add. Library grants other than ``Role.grant_pass_role``
        (which the tables hold) never grant ``iam:PassRole``, so it stays excluded."""
        role_id = self.principal_role(grantee)
        if role_id is None:
            return
        self.records[role_id].statements.append(
            {
                "Effect": Literal("Allow"),
                "NotAction": Literal((Literal("iam:PassRole"),)),
                "Resource": Literal(
                    (Unknown(f"resources of {obj.cls}.{name}(), not in the CDK tables", hint=f"{name}()"),)
                ),
            }
        )

    def grant_statement(self, resource: ConstructObj, grantee: EValue, method: str) -> None:
        """What ``resource.<method>(grantee)`` adds to the grantee's role (event sources use it)."""
        actions = tables.grant_actions(resource.cls, method)
        role_id = self.principal_role(grantee)
        if actions is None or role_id is None or resource.resource_id is None:
            return
        self.records[role_id].statements.append(_statement(actions, [Ref(resource.resource_id, "Arn")]))

    def principal_role(self, grantee: EValue | None) -> str | None:
        """The role a grant lands on: a role itself, or the role a function/state machine runs as."""
        if isinstance(grantee, ConstructObj):
            record = self.records.get(grantee.resource_id or "")
            if record is not None and record.type == ROLE_TYPE:
                return record.id
            for link in ("role", "task_role"):
                if link in grantee.links:
                    return self.principal_role(grantee.links[link])
        return None

    def _add_container(self, obj: ConstructObj, record: ResourceRecord, site: CallSite) -> EValue:
        needs_execution_role = any(k in site.kwargs for k in ("logging", "secrets"))
        image = site.kwargs.get("image")
        if isinstance(image, Unknown) and image.hint and "from_registry" not in image.hint:
            needs_execution_role = True
        if needs_execution_role and "execution_role" not in obj.links:
            self._obtain_lazy(obj, record, "execution_role", site)
        containers = record.properties.get("ContainerDefinitions")
        items = list(containers.value) if isinstance(containers, Literal) else []
        items.append(Literal({"Name": to_value(site.arg(0, "id"))}))
        record.properties["ContainerDefinitions"] = Literal(tuple(items))
        return ConstructObj(
            self,
            "aws_cdk.aws_ecs.ContainerDefinition",
            self.child_scope(obj, site.arg(0, "id"), site.location),
            None,
        )

    def _add_target(
        self, rule: ConstructObj, record: ResourceRecord, target: EValue | None, site: CallSite
    ) -> None:
        """A rule target as CDK renders it (aws-events-targets): the target ARN, and for targets
        EventBridge must assume a role to call, that role (given, or ``<target>/EventsRole``)
        with the grant CDK adds to it."""
        if not isinstance(target, TargetObj):
            return
        existing = record.properties.get("Targets")
        items = (
            list(existing.value)
            if isinstance(existing, Literal) and isinstance(existing.value, tuple)
            else []
        )
        entry: dict[str, Value] = {"Id": Literal(f"Target{len(items)}")}
        destination = target.target
        if target.kind == "EcsTask":
            destination = target.options.get("cluster")
        entry["Arn"] = arn_of(destination) if destination is not None else Unknown("target not known")
        grant = _TARGET_GRANTS.get(target.kind)
        if grant is not None:
            role = target.options.get("role")
            owner = target.target if target.kind != "EcsTask" else target.options.get("task_definition")
            if role is None and isinstance(owner, ConstructObj):
                role = self._events_role(owner, site)
            if role is not None:
                entry["RoleArn"] = arn_of(role)
                role_record = self.records.get(_resource_id(role) or "")
                if role_record is not None:
                    if target.kind == "EcsTask":
                        task_definition = target.options.get("task_definition")
                        role_record.statements.append(_statement(["ecs:RunTask"], [arn_of(task_definition)]))
                        role_record.statements.append(("passrole", task_definition))
                    else:
                        role_record.statements.append(_statement(grant, [arn_of(target.target)]))
        function = target.target
        if (
            target.kind == "LambdaFunction"
            and isinstance(function, ConstructObj)
            and integrations.is_function(function)
        ):
            # aws-events-targets/lib/util.ts addLambdaPermission: once per rule and function, in
            # the rule's scope (so that a rule and a function in two stacks make no cycle).
            integrations.lambda_permission(
                self,
                function,
                rule.scope,
                "AllowEventRule" + integrations.unique_id(function.scope.path),
                Literal("events.amazonaws.com"),
                site.location,
                source_arn=Ref(record.id, "Arn"),
                source_type="aws_cdk.aws_events_targets.LambdaFunction#Permission",
            )
        service_grant = _TARGET_RESOURCE_GRANTS.get(target.kind)
        if service_grant is not None and isinstance(function, ConstructObj):
            # aws-events-targets/lib/sqs.ts, sns.ts: the queue/topic policy lets EventBridge send.
            events = PrincipalObj("Service", [Literal("events.amazonaws.com")])
            integrations.grant_to_service(self, function, [Literal(a) for a in service_grant], events)
        items.append(Literal(entry))
        record.properties["Targets"] = Literal(tuple(items))

    def _schedule_target(
        self, schedule: ConstructObj, record: ResourceRecord, target: TargetObj, site: CallSite
    ) -> None:
        """aws-scheduler-targets: the target ARN and the role EventBridge Scheduler assumes (given,
        or one CDK creates per target in the stack) with the grant CDK adds to it."""
        destination = target.target
        if target.kind == "scheduler.EcsRunFargateTask":
            destination = target.options.get("cluster")
        entry: dict[str, Value] = {
            "Arn": arn_of(destination) if destination is not None else Unknown("target")
        }
        role = target.options.get("role")
        if role is None and isinstance(target.target, ConstructObj):
            role = self._scheduler_role(schedule, target.target, site)
        if role is not None:
            entry["RoleArn"] = arn_of(role)
            role_record = self.records.get(_resource_id(role) or "")
            grant = _SCHEDULER_GRANTS.get(target.kind.removeprefix("scheduler."))
            if role_record is not None and grant is not None:
                if target.kind == "scheduler.EcsRunFargateTask":
                    task_definition = target.options.get("task_definition")
                    role_record.statements.append(_statement(["ecs:RunTask"], [arn_of(task_definition)]))
                    role_record.statements.append(("passrole", task_definition))
                else:
                    role_record.statements.append(_statement(grant, [arn_of(target.target)]))
        record.properties["Target"] = Literal(entry)

    def _scheduler_role(self, schedule: ConstructObj, target: ConstructObj, site: CallSite) -> ConstructObj:
        """aws-scheduler-targets/lib/target.ts: ``SchedulerRoleForTarget-<hash>`` in the stack."""
        existing = target.links.get("scheduler_role")
        if isinstance(existing, ConstructObj):
            return existing
        stack_path = schedule.scope.stack.path if schedule.scope.stack else schedule.scope.path
        name = "SchedulerRoleForTarget-" + target.scope.path.rsplit("/", 1)[-1]
        scope = Scope(
            f"{stack_path}/{name}", Literal(name), schedule.scope.stack, site.location, schedule.scope.origin
        )
        role = self._add(
            ResourceRecord(
                scope.path,
                ROLE_TYPE,
                site.location,
                "aws_cdk.aws_scheduler_targets#SchedulerRole",
                scope.stack,
            )
        )
        role.properties["AssumeRolePolicyDocument"] = _trust(Literal("scheduler.amazonaws.com"))
        if scope.stack is not None:
            role.options["StackName"] = scope.stack.name
        obj = ConstructObj(self, "aws_cdk.aws_iam.Role", scope, role.id)
        target.links["scheduler_role"] = obj
        return obj

    def _events_role(self, owner: ConstructObj, site: CallSite) -> ConstructObj:
        """aws-events-targets/lib/util.ts singletonEventRole: one role per target construct."""
        existing = owner.links.get("events_role")
        if isinstance(existing, ConstructObj):
            return existing
        companion = {
            "id": "EventsRole",
            "type": ROLE_TYPE,
            "assumed_by": "events.amazonaws.com",
            "attr": "events_role",
        }
        record = self.records.get(owner.resource_id or "")
        if record is None:
            record = ResourceRecord(owner.scope.path, "", site.location, owner.cls, owner.scope.stack)
        return self._make_companion(owner, record, companion, site)

    def add_dependency(self, owner: EValue, others: list[EValue], location: Location) -> None:
        """``a.node.add_dependency(b)``: every resource under ``a`` waits for every resource under
        ``b``, including those added later (grants' DefaultPolicy, resources built after the call),
        as CDK resolves construct dependencies at synthesis: recorded now, resolved when freezing."""
        self._pending_dependencies.append((owner, list(others), location))

    def _resolve_pending_dependencies(self) -> None:
        for owner, others, location in self._pending_dependencies:
            sources = self._resource_ids_under(owner)
            for other in others:
                targets = self._resource_ids_under(other)
                for source in sources:
                    for target in targets:
                        if source != target:
                            self.records[source].depends_on.append(Dependency(target, location))

    def _resource_ids_under(self, value: EValue) -> list[str]:
        if isinstance(value, ConstructObj) and value.resource_id:
            return [value.resource_id]
        scope = self.scope_of(value)
        if scope is None:
            return []
        nested = scope.path + ".NestedStack"
        if nested in self.records:
            return [nested]
        prefix = scope.path + "/"
        return [rid for rid in self.records if rid.startswith(prefix)][:200]

    # -- Step Functions states -------------------------------------------------------------------

    def state(self, cls: str, site: CallSite) -> StateObj:
        short = cls.rsplit(".", 1)[-1]
        name = id_text(to_value(site.arg(1, "id")))
        kwargs = site.kwargs
        if short == "CustomState":
            body = kwargs.get("state_json")
            mapping = body.value if isinstance(body, Literal) and isinstance(body.value, dict) else {}
            return StateObj(name, dict(mapping))
        if short == "EcsRunTask":
            return self._ecs_run_task(name, site)
        if short == "LambdaInvoke":
            fn = kwargs.get("lambda_function")
            state: dict[str, EValue] = {
                "Type": Literal("Task"),
                "Resource": Literal("arn:aws:states:::lambda:invoke"),
                "Parameters": Literal({"FunctionName": arn_of(fn)}) if fn else Literal({}),
            }
            statements = [_statement(["lambda:InvokeFunction"], [arn_of(fn)])] if fn is not None else []
            return StateObj(name, state, statements)
        if short == "SnsPublish":
            topic = kwargs.get("topic")
            state = {
                "Type": Literal("Task"),
                "Resource": Literal("arn:aws:states:::sns:publish"),
                "Parameters": Literal({"TopicArn": arn_of(topic) if topic else Literal(None)}),
            }
            return StateObj(name, state, [_statement(["sns:Publish"], [arn_of(topic)])] if topic else [])
        kind = {
            "Pass": "Pass",
            "Succeed": "Succeed",
            "Fail": "Fail",
            "Wait": "Wait",
            "Choice": "Choice",
            "Parallel": "Parallel",
            "Map": "Map",
            "DistributedMap": "Map",
        }.get(short, "Task")
        state = {"Type": Literal(kind)}
        if kind == "Task":
            state["Resource"] = Unknown(f"the {short} task's service integration is not modelled", hint=short)
        return StateObj(name, state)

    def _ecs_run_task(self, name: str, site: CallSite) -> StateObj:
        kwargs = site.kwargs
        pattern = kwargs.get("integration_pattern")
        member = (
            pattern.qualname.rsplit(".", 1)[-1] if isinstance(pattern, ExternalObj) else "REQUEST_RESPONSE"
        )
        resource = "arn:aws:states:::ecs:runTask" + {
            "RUN_JOB": ".sync",
            "WAIT_FOR_TASK_TOKEN": ".waitForTaskToken",
        }.get(member, "")
        task_definition = kwargs.get("task_definition")
        cluster = kwargs.get("cluster")
        launch = kwargs.get("launch_target")
        parameters: dict[str, Value] = {
            "Cluster": arn_of(cluster) if cluster is not None else Literal(None),
            "TaskDefinition": arn_of(task_definition) if task_definition is not None else Literal(None),
        }
        if isinstance(launch, Unknown) and launch.hint and "Fargate" in launch.hint:
            parameters["LaunchType"] = Literal("FARGATE")
        state: dict[str, EValue] = {
            "Type": Literal("Task"),
            "Resource": Literal(resource),
            "Parameters": Literal(parameters),
        }
        # aws-stepfunctions-tasks/lib/ecs/run-task.ts makePolicyStatements: RunTask on the task
        # definition, Stop/DescribeTasks, PassRole on the task and execution roles, and the
        # EventBridge managed rule for .sync.
        statements: list[Any] = [
            _statement(["ecs:RunTask"], [arn_of(task_definition)]),
            _statement(["ecs:StopTask", "ecs:DescribeTasks"], [Literal("*")]),
            ("passrole", task_definition),
        ]
        if member == "RUN_JOB":
            statements.append(
                _statement(
                    ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                    [Literal("arn:aws:events:*:*:rule/StepFunctionsGetEventsForECSTaskRule")],
                )
            )
        return StateObj(name, state, statements)

    # -- freezing --------------------------------------------------------------------------------

    def resources(self) -> list[Resource]:
        if self.aspects:
            for record in self.records.values():
                if record.removal_default:
                    for option in ("RemovalPolicy", "DeletionPolicy", "UpdateReplacePolicy"):
                        record.options.pop(option, None)
        self._emit_default_policies()
        self._resolve_construct_dependencies()
        self._resolve_pending_dependencies()
        out: list[Resource] = []
        for record in self.records.values():
            out.append(
                Resource(
                    id=record.id,
                    type=record.type,
                    location=record.location,
                    properties={key: to_value(value) for key, value in record.properties.items()},
                    property_locations=dict(record.property_locations),
                    name=record.name,
                    name_property=record.name_property,
                    depends_on=tuple(dict.fromkeys(record.depends_on)),
                    options=dict(record.options),
                    source_type=record.source_type,
                    component=record.stack.path if record.stack else None,
                    code=record.code,
                    in_loop=record.in_loop,
                )
            )
        return out

    def _resolve_construct_dependencies(self) -> None:
        for record in self.records.values():
            for construct_id, location in record.construct_dependencies:
                prefix = construct_id + "/"
                for target in self.records:
                    if target != record.id and (target == construct_id or target.startswith(prefix)):
                        record.depends_on.append(Dependency(target, location))

    def _emit_default_policies(self) -> None:
        for record in list(self.records.values()):
            if not record.statements:
                continue
            statements = [s for item in record.statements for s in self._expand(item)]
            document = Literal({"Version": Literal("2012-10-17"), "Statement": Literal(tuple(statements))})
            if record.type in _POLICY_DOCUMENT_TYPES:
                record.properties["PolicyDocument"] = document
                continue
            if record.type != ROLE_TYPE:
                continue
            policy = ResourceRecord(
                record.id + "/DefaultPolicy",
                "AWS::IAM::Policy",
                record.location,
                "aws_cdk.aws_iam.Policy#DefaultPolicy",
                record.stack,
                in_loop=record.in_loop,
            )
            policy.properties = {
                "PolicyDocument": document,
                "Roles": Literal((Ref(record.id),)),
                "PolicyName": _GENERATED_NAME,
            }
            if record.stack is not None:
                policy.options["StackName"] = record.stack.name
            self.records[policy.id] = policy

    def _expand(self, item: Any) -> list[Value]:
        if isinstance(item, tuple) and item and item[0] == "passrole":
            task_definition = item[1]
            roles = []
            if isinstance(task_definition, ConstructObj):
                for link in ("task_role", "execution_role"):
                    if link in task_definition.links:
                        roles.append(arn_of(task_definition.links[link]))
            return self._expand(_statement(["iam:PassRole"], roles)) if roles else []
        if isinstance(item, dict):
            return [Literal({key: to_value(value) for key, value in item.items()})]
        if isinstance(item, (StatementObj, Obj)):
            return [to_value(item)]
        return [to_value(item)]

    def stack_facts(self) -> dict[str, Any]:
        return {
            stack.path: {
                "name": render(stack.name),
                "nested": stack.nested,
                "parent": stack.parent.path if stack.parent else None,
                "per_deployment": stack.name.origin.per_deployment or bool(stack.name.origin & Origin.SUFFIX),
                **self._environment_facts(stack),
            }
            for stack in self.stacks
        }

    def _environment_facts(self, stack: StackInfo) -> dict[str, Any]:
        """``env``: given | absent | unknown (plugins/cdk/environments.py); ``created_at``: the call
        that creates the stack; ``env_at``: the Stack.__init__ call(s) that received no env."""
        observations = self._stack_envs.get(id(stack.owner), [])
        # Two stack objects on one construct path (ids the analysis could not tell apart): which one
        # a construct on that path belongs to is not known.
        # A nested stack has its parent's account and region (core/lib/nested-stack.ts): readers walk
        # `parent`; its own Stack.__init__ (which CDK gives the parent's env) says nothing.
        state = (
            environments.merged(observations)
            if len(self._path_owners.get(stack.path, ())) == 1 and not stack.nested
            else environments.UNKNOWN
        )
        facts: dict[str, Any] = {"env": state, "created_at": self._stack_created.get(id(stack.owner))}
        if state == environments.ABSENT:
            facts["env_at"] = [item.location for item in observations]
            missing = sorted({key for item in observations for key in item.missing})
            if missing:
                facts["env_missing"] = missing
            # `env=` written at the creation call would reach Stack.__init__ (the fix's condition)
            facts["env_keyword_reaches_stack"] = id(stack.owner) in self.env_keyword_reaches_stack
        return facts


# -- helpers ---------------------------------------------------------------------------------------

_DEFAULT_REMOVAL = frozenset({"retain", "snapshot"})

# Resources whose statements are their own PolicyDocument (not a role's DefaultPolicy).
_POLICY_DOCUMENT_TYPES = frozenset(
    {
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::S3::BucketPolicy",
    }
)

_NOTIFICATION_METHODS = frozenset(
    {"add_event_notification", "add_object_created_notification", "add_object_removed_notification"}
)

# L2 keywords whose mapping is passed to CloudFormation unchanged (rds ParameterGroup `parameters`).
_SAME_SHAPE_MAPS = frozenset({"parameters"})


def _flat_map(value: Value) -> bool:
    return (
        isinstance(value, Literal)
        and isinstance(value.value, dict)
        and all(
            not (isinstance(item, Literal) and isinstance(item.value, (dict, tuple)))
            for item in value.value.values()
        )
    )


# What CDK grants the role EventBridge assumes for each target kind (aws-events-targets/lib/*.ts).
_TARGET_GRANTS: dict[str, list[str]] = {
    "SfnStateMachine": ["states:StartExecution"],
    "EcsTask": ["ecs:RunTask"],
    "CodeBuildProject": ["codebuild:StartBuild"],
    "CodePipeline": ["codepipeline:StartPipelineExecution"],
    "KinesisStream": ["kinesis:PutRecord", "kinesis:PutRecords"],
    "KinesisFirehoseStream": ["firehose:PutRecord", "firehose:PutRecordBatch"],
    "EventBus": ["events:PutEvents"],
    "BatchJob": ["batch:SubmitJob"],
}

# What CDK puts in a target's own resource policy for EventBridge (aws-events-targets/lib/sqs.ts
# grantSendMessages, sns.ts grantPublish, to events.amazonaws.com).
_TARGET_RESOURCE_GRANTS: dict[str, list[str]] = {
    "SqsQueue": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    "SnsTopic": ["sns:Publish"],
}

# What CDK grants the role EventBridge Scheduler assumes per target (aws-scheduler-targets/lib/*.ts).
_SCHEDULER_GRANTS: dict[str, list[str]] = {
    "LambdaInvoke": ["lambda:InvokeFunction"],
    "StepFunctionsStartExecution": ["states:StartExecution"],
    "SqsSendMessage": ["sqs:SendMessage"],
    "SnsPublish": ["sns:Publish"],
    "EventBridgePutEvents": ["events:PutEvents"],
    "KinesisStreamPutRecord": ["kinesis:PutRecord"],
    "FirehosePutRecord": ["firehose:PutRecord", "firehose:PutRecordBatch"],
    "CodeBuildStartBuild": ["codebuild:StartBuild"],
    "EcsRunFargateTask": ["ecs:RunTask"],
}

# CDK names policies after the construct's unique id (core/lib/names.ts uniqueId): unique per stack.
_GENERATED_NAME = Unknown("CDK generates the policy name from the construct path", Origin.UNIQUE)


def _is_none(value: EValue) -> bool:
    return isinstance(value, Literal) and value.value is None


def _items(value: EValue | None) -> list[EValue]:
    if isinstance(value, Literal) and isinstance(value.value, tuple):
        return list(value.value)
    return [] if value is None or _is_none(value) else [value]


def _resource_id(value: EValue | None) -> str | None:
    return value.resource_id if isinstance(value, ConstructObj) else None


def _statement(actions: list[str], resources: list[Value]) -> dict[str, Value]:
    return {
        "Effect": Literal("Allow"),
        "Action": Literal(tuple(Literal(a) for a in actions)),
        "Resource": Literal(tuple(resources)),
    }


def _trust(principal: EValue) -> Value:
    if isinstance(principal, Literal) and isinstance(principal.value, str):
        principal_value: Value = Literal({"Service": principal})
    else:
        principal_value = to_value(principal)
    return Literal(
        {
            "Version": Literal("2012-10-17"),
            "Statement": Literal(
                (
                    Literal(
                        {
                            "Effect": Literal("Allow"),
                            "Principal": principal_value,
                            "Action": Literal("sts:AssumeRole"),
                        }
                    ),
                )
            ),
        }
    )


def _cfn_value(value: EValue, target: str) -> Value:
    if isinstance(value, ConstructObj) and value.resource_id is not None:
        wants_arn = target.endswith("Arn") or target in ("Role", "ServiceRole")
        return Ref(value.resource_id, "Arn" if wants_arn else None)
    if isinstance(value, (PrincipalObj, PolicyDocumentObj, StatementObj)):
        return value.to_value()
    return to_value(value)


def _python_named_required(value: Value, struct: str, depth: int = 0) -> list[tuple[str, str]]:
    """(jsii name, key written) for each required field of ``struct`` that a plain dict gives only
    under its Python (snake_case) name: jsii passes the dict as a map, so CDK's validator finds the
    required field missing and stops the synth. Nested structs are followed."""
    if depth > 12 or not isinstance(value, Literal):
        return []
    inner = value.value
    if isinstance(inner, tuple):
        return [pair for item in inner for pair in _python_named_required(item, struct, depth + 1)]
    if not isinstance(inner, dict):
        return []
    found = [
        (name, tables.snake(name))
        for name in tables.struct_required(struct)
        if name not in inner and tables.snake(name) in inner and tables.snake(name) != name
    ]
    for key, item in inner.items():
        nested = tables.struct_type(struct, key if "_" in key or key.islower() else tables.snake(key))
        if nested:
            found += _python_named_required(item, nested, depth + 1)
    return found


def _struct_keys(value: Value, struct: str, depth: int = 0) -> Value:
    """A plain dict given for an L1 property struct, in CloudFormation names: jsii passes dict keys
    through in camelCase (``{"status": "Enabled"}`` is ``Status``). snake_case keys are read the same
    way, although jsii passes a dict's keys unchanged (``$jsii.map``) and CDK does not see them: a
    required field given only that way is reported (:func:`_python_named_required`); an optional
    one is kept, which never invents a finding."""
    if depth > 12 or not isinstance(value, Literal):
        return value
    inner = value.value
    if isinstance(inner, tuple):
        return Literal(
            tuple(_struct_keys(item, struct, depth + 1) for item in inner), value.origin, value.location
        )
    if not isinstance(inner, dict):
        return value
    converted: dict[str, Value] = {}
    for key, item in inner.items():
        keyword = key if "_" in key or key.islower() else tables.snake(key)
        target = tables.struct_property(struct, keyword) or key
        nested = tables.struct_type(struct, keyword)
        converted[target] = _struct_keys(item, nested, depth + 1) if nested else item
    return Literal(converted, value.origin, value.location)


def _runtime(value: EValue | None) -> str | None:
    """``lambda_.Runtime.PYTHON_3_11`` -> ``python3.11`` (aws-lambda/lib/runtime.ts names)."""
    if not isinstance(value, ExternalObj) or ".Runtime." not in value.qualname:
        return None
    member = value.qualname.rsplit(".", 1)[-1]
    if member.startswith("PYTHON_"):
        return "python" + member[len("PYTHON_") :].replace("_", ".")
    if member.startswith("NODEJS_"):
        return "nodejs" + member[len("NODEJS_") :].replace("_X", ".x").replace("_", ".")
    return None


def _plain_literal(value: Any, origin: Origin, location: Location) -> Value:
    if isinstance(value, dict):
        return Literal(
            {str(k): _plain_literal(v, origin, location) for k, v in value.items()}, origin, location
        )
    if isinstance(value, list):
        return Literal(tuple(_plain_literal(v, origin, location) for v in value), origin, location)
    return Literal(value, origin, location)


def _analyze_code(
    root: Path,
    handler: str | None,
    runtime: str | None,
    inline: str | None,
    location: Location | None,
    asset: str | None,
) -> FunctionCode | None:
    try:
        from analyzer.python.lambda_code import analyze_function_code
    except ImportError:  # the Lambda-code analysis is optional
        return None
    try:
        return analyze_function_code(
            root, handler, runtime, inline_source=inline, inline_location=location, code_path=asset
        )
    except Exception:  # never let a code-analysis bug end the scan
        return None


def json_document(text: str) -> Value | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return _plain_literal(data, Origin.NONE, Location(".", 1))
