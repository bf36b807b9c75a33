"""How the evaluator meets aws-cdk-lib: library calls become construct objects, library base
classes get their signatures from the generated jsii tables (so ``**kwargs`` forwarded to
``cdk.Stack.__init__`` are checked), and worktree stacks/constructs get construct paths."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from analyzer.model import AttributeProblem, Literal, Location, Origin, Unknown, Value, concat
from analyzer.python.evaluator import CallSite, Evaluator, Hooks
from analyzer.python.lookups import LookupRecorder
from analyzer.python.project import ClassRef
from analyzer.python.signatures import Param, ParamKind, Signature, decorated, find_method, mro
from analyzer.python.values import EValue, ExternalObj, InstanceObj, JsonText, Obj, to_value
from plugins.cdk import tables
from plugins.cdk.builder import Builder, json_document
from plugins.cdk.environments import environment_value
from plugins.cdk.integrations import INTEGRATION_CLASSES, INTEGRATION_MODULES
from plugins.cdk.keywords import unknown_keywords
from plugins.cdk.objects import (
    AppObj,
    ChainObj,
    CodeObj,
    ConstructObj,
    EngineObj,
    NodeObj,
    PolicyDocumentObj,
    PrincipalObj,
    StatementObj,
    StateObj,
    TargetObj,
    unwrap_site,
)
from plugins.cdk.renames import CredentialsObj
from plugins.cdk.validations import construct_errors

_STATE_MODULES = ("aws_cdk.aws_stepfunctions_tasks.", "aws_cdk.aws_stepfunctions.")
_STATE_CLASSES = frozenset(
    {"Pass", "Succeed", "Fail", "Wait", "Choice", "Parallel", "Map", "DistributedMap", "CustomState"}
)
# core/lib/cfn-pseudo.ts: cdk.Aws.* are the pseudo parameters, with the origins the CloudFormation
# plugin gives them (plugins/cloudformation/intrinsics.py).
_PSEUDO: dict[str, Value] = {
    "STACK_NAME": Unknown(
        "the stack name", Origin.STACK_NAME | Origin.MAYBE_UPPERCASE, hint="AWS::StackName"
    ),
    "STACK_ID": Unknown("the stack id", Origin.UNIQUE, hint="AWS::StackId"),
    "ACCOUNT_ID": Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId"),
    "REGION": Unknown("the region", Origin.REGION, hint="AWS::Region"),
    "URL_SUFFIX": Literal("amazonaws.com"),
    "PARTITION": Literal("aws"),
}
# aws-rds/lib/props.ts Credentials factories: what each says about username and password.
_CREDENTIALS = {
    "aws_cdk.aws_rds.Credentials.from_password": "password",
    "aws_cdk.aws_rds.Credentials.from_username": "username",
    "aws_cdk.aws_rds.Credentials.from_generated_secret": "generated",
    "aws_cdk.aws_rds.Credentials.from_secret": "secret",
}
# Entry points that change constructs after they are built (core/lib/aspect.ts, removal-policies.ts).
_ASPECT_ENTRIES = frozenset({"aws_cdk.Aspects.of", "aws_cdk.RemovalPolicies.of"})
# Static grants of aws-iam/lib/grant.ts that write to the grantee's own policy.
_GRANT_FUNCTIONS = frozenset(
    {
        "aws_cdk.aws_iam.Grant.add_to_principal",
        "aws_cdk.aws_iam.Grant.add_to_principal_or_resource",
        "aws_cdk.aws_iam.Grant.add_to_principal_and_resource",
    }
)
_PRINCIPALS = {
    "ServicePrincipal": "Service",
    "ArnPrincipal": "AWS",
    "AccountPrincipal": "AWS",
    "FederatedPrincipal": "Federated",
}


class CdkHooks(Hooks):
    def __init__(self, root: Path, context: dict[str, Any], has_cdk_json: bool) -> None:
        self.builder = Builder(root, context, has_cdk_json)
        self.evaluator: Evaluator | None = None
        self.unknown_keywords: list[dict[str, Any]] = []  # keywords the aws-cdk-lib class lacks
        # Context lookups (ec2.Vpc.from_lookup(is_default=True), ...): facts["lookups"].
        self.lookups = LookupRecorder(to_value, _unset_context)
        self.construct_errors: list[dict[str, Any]] = []  # keyword combinations a construct refuses

    def context_values(self) -> dict[str, Value]:
        return dict(self.builder.context_reads)

    # -- library signatures --------------------------------------------------------------------------

    def external_signature(self, qualname: str) -> Signature | None:
        found = tables.keyword_parameters(qualname)
        if found is None:
            return None
        args, args_required, keywords, required = found
        params = [Param(name, ParamKind.POSITIONAL, name not in args_required) for name in args]
        params += [Param(name, ParamKind.KEYWORD_ONLY, name not in required) for name in keywords]
        return Signature(tuple(params), owner=qualname)

    # -- construction of worktree classes ------------------------------------------------------------

    def instance_created(self, ev: Evaluator, instance: InstanceObj, site: CallSite) -> None:
        base = self._construct_base(ev, instance)
        if base is None:
            return
        instance.data["created_at"] = site.location
        scope = site.arg(0, "scope")
        id_value = (
            site.arg(1, "id")
            if "id" in site.kwargs or len(site.args) > 1
            else site.kwargs.get("construct_id")
        )
        self.builder.register_user_construct(
            instance, base, site, scope_arg=scope, id_arg=id_value, stack_name=site.kwargs.get("stack_name")
        )
        signature = ev.signature(instance.cls)
        if (
            tables.is_subclass(base, "aws_cdk.Stack")
            and signature is not None
            and signature.function is None
            and not signature.dataclass_fields
        ):
            # A stack class that defines no __init__: this call is aws_cdk.Stack.__init__'s.
            self.builder.observe_stack_init(instance, ev, site, scope, followed=_vouched(ev, instance))
        if tables.is_subclass(base, "aws_cdk.Stack") and _env_keyword_reaches_stack(signature):
            self.builder.env_keyword_reaches_stack.add(id(instance))

    def _construct_base(self, ev: Evaluator, instance: InstanceObj) -> str | None:
        for item in mro(ev.project, instance.cls):
            qualname = getattr(item, "qualname", None)
            if qualname and tables.is_subclass(qualname, "constructs.Construct"):
                return qualname
        return None

    # -- library calls -------------------------------------------------------------------------------

    def external_call(self, ev: Evaluator, qualname: str, site: CallSite) -> EValue | None:
        if qualname in _PATH_FUNCTIONS:
            return _asset_path(qualname, site)
        if not qualname.startswith(("aws_cdk", "constructs")):
            return None
        unwrap_site(site)
        self.unknown_keywords += unknown_keywords(qualname, site)
        if _is_lookup(qualname):
            fact = self.lookups.record(ev, qualname, site)
            # The stack each run of the lookup is made in (its scope's), for IAC021; None: not known.
            scope = self.builder.scope_of(site.arg(0, "scope"))
            stack = scope.stack.path if scope is not None and scope.stack is not None else None
            if stack not in fact.setdefault("stacks", []):
                fact["stacks"].append(stack)
        self.construct_errors += construct_errors(qualname, site)
        if qualname.endswith(".__init__"):
            return self._super_init(qualname.removesuffix(".__init__"), site)
        if qualname == "aws_cdk.Environment":
            return environment_value(site)
        if qualname == "aws_cdk.App":
            app = AppObj(self.builder)
            self.builder.register_app(app)
            return app
        short = qualname.rsplit(".", 1)[-1]
        if qualname.startswith(_STATE_MODULES) and (short in _STATE_CLASSES or "tasks" in qualname):
            info = tables.construct(qualname)
            if info is not None and info.level == 0:
                return self.builder.state(qualname, site)
        if qualname == "aws_cdk.aws_stepfunctions.Chain.start":
            chain = ChainObj([])
            chain.append(site.arg(0, "state"))
            return chain
        if qualname == "aws_cdk.aws_stepfunctions.DefinitionBody.from_chainable":
            return site.arg(0, "chainable")
        if qualname == "aws_cdk.aws_stepfunctions.DefinitionBody.from_string":
            text = site.arg(0, "definition")
            if isinstance(text, Literal) and isinstance(text.value, str):
                return json_document(text.value) or text
            return text if isinstance(text, JsonText) else None
        if qualname.startswith("aws_cdk.aws_events_targets.") and qualname.count(".") == 2:
            first = site.args[0] if site.args else None
            return TargetObj(short, first, dict(site.kwargs))
        if qualname.startswith("aws_cdk.aws_scheduler_targets.") and qualname.count(".") == 2:
            first = site.args[0] if site.args else None
            return TargetObj("scheduler." + short, first, dict(site.kwargs))
        if qualname == "aws_cdk.aws_apigateway.StageOptions":  # read for the stage name
            return Literal(
                {key: to_value(value) for key, value in site.kwargs.items()}, location=site.location
            )
        if qualname in INTEGRATION_CLASSES:
            first = site.args[0] if site.args else site.kwargs.get("handler")
            return TargetObj(INTEGRATION_CLASSES[qualname], first, dict(site.kwargs))
        for module, prefix in INTEGRATION_MODULES.items():
            if qualname.startswith(module) and qualname.count(".") == 2:
                first = site.args[0] if site.args else None
                return TargetObj(prefix + short, first, dict(site.kwargs))
        credentials = _CREDENTIALS.get(qualname)
        if credentials is not None:
            username = site.arg(0, "username") if credentials != "secret" else site.kwargs.get("username")
            password = site.arg(1, "password") if credentials == "password" else site.kwargs.get("password")
            if credentials == "secret":
                password = Unknown("the password in the given secret", hint="Credentials.from_secret")
            return CredentialsObj(username, password)
        if qualname in ("aws_cdk.SecretValue.unsafe_plain_text", "aws_cdk.SecretValue.plain_text"):
            return site.arg(0, "secret")  # core/lib/secret-value.ts: the text goes into the template
        if qualname in _ASPECT_ENTRIES:
            self.builder.aspects.append(site.location)
            return None
        if qualname == "aws_cdk.Fn.join":
            return _fn_join(site)
        if qualname in (
            "aws_cdk.Names.unique_id",
            "aws_cdk.Names.unique_resource_name",
            "aws_cdk.Names.node_unique_id",
        ):
            # core/lib/names.ts: derived from the construct path (and stack), unique per stack
            return Unknown(
                "a CDK unique name", Origin.UNIQUE, site.location, qualname.rsplit(".", 1)[-1] + "()"
            )
        if qualname == "aws_cdk.aws_stepfunctions.DefinitionBody.from_file":
            return self._definition_file(site.arg(0, "path"))
        if qualname == "aws_cdk.aws_iam.PolicyStatement":
            return StatementObj(
                site.kwargs.get("effect", Literal("Allow")) if "effect" in site.kwargs else Literal("Allow"),
                _list(site.kwargs.get("actions")),
                _list(site.kwargs.get("resources")),
                site.location,
            )
        if qualname == "aws_cdk.aws_iam.PolicyDocument":
            return PolicyDocumentObj(_list(site.kwargs.get("statements")))
        if qualname in _GRANT_FUNCTIONS:
            # aws-iam/lib/grant.ts: each adds {actions, resourceArns} to the grantee's policy (the
            # "or resource" variants only when the grantee is in another account: not modelled).
            self.builder.grant_to_principal(
                site.kwargs.get("grantee"), site.kwargs.get("actions"), site.kwargs.get("resource_arns")
            )
            return Literal(None)
        if qualname == "aws_cdk.aws_iam.CompositePrincipal":
            return _composite(site.args)
        if qualname == "aws_cdk.aws_iam.AnyPrincipal":  # aws-iam/lib/principals.ts: {"AWS": "*"}
            return PrincipalObj("AWS", [Literal("*")])
        if qualname.startswith("aws_cdk.aws_iam.") and short in _PRINCIPALS:
            return PrincipalObj(
                _PRINCIPALS[short], [cast("EValue", site.arg(0, "service"))] if site.args else []
            )
        if qualname == "aws_cdk.aws_iam.ManagedPolicy.from_managed_policy_arn":
            return site.arg(2, "managed_policy_arn")
        if qualname == "aws_cdk.aws_iam.ManagedPolicy.from_aws_managed_policy_name":
            name = site.arg(0, "managed_policy_name")
            return concat(
                [Literal("arn:aws:iam::aws:policy/"), name or Unknown("policy name")],  # type: ignore[list-item]  # as before: an object passes through
                site.location,
            )
        if qualname in ("aws_cdk.aws_lambda.Code.from_asset", "aws_cdk.aws_lambda.Code.asset"):
            return CodeObj(asset=site.arg(0, "path"), location=site.location)
        if qualname in ("aws_cdk.aws_lambda.Code.from_inline", "aws_cdk.aws_lambda.InlineCode"):
            return CodeObj(inline=site.arg(0, "code"), location=site.location)
        if qualname.startswith("aws_cdk.aws_rds.") and qualname.endswith("EngineVersion.of"):
            return site.arg(0, "aurora_postgres_full_version")
        engine = _ENGINES.get(qualname)
        if engine is not None:
            return EngineObj(engine, _engine_version(engine, site.kwargs.get("version")))
        if qualname in ("aws_cdk.Stack.of", "aws_cdk.NestedStack.of"):
            return self.builder.stack_of(site.arg(0, "construct"))
        if qualname == "aws_cdk.aws_stepfunctions.IntegrationPattern":
            return None
        info = tables.construct(qualname)
        if (info is not None and len(site.args) >= 2) or (info is not None and "scope" in site.kwargs):
            return self.builder.construct(ev, qualname, site)
        struct = tables.struct(qualname)
        if struct is not None:
            return Literal(
                {struct.get(key, key): value for key, value in site.kwargs.items()}, location=site.location
            )
        return None

    def _definition_file(self, path: EValue | None) -> EValue | None:
        """``DefinitionBody.from_file("lib/workflow.asl.json")``: the worktree file, read as data."""
        if not isinstance(path, Literal) or not isinstance(path.value, str):
            return None
        root = self.builder.root.resolve()
        target = (root / path.value).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target.stat().st_size > 2_000_000:
            return None
        try:
            return json_document(target.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            return None

    def _super_init(self, base: str, site: CallSite) -> EValue | None:
        frame = site.frame
        instance = frame.self_obj if frame is not None else None
        info = tables.construct(base)
        if (
            isinstance(instance, InstanceObj)
            and info is not None
            and info.cfn_type
            and not tables.is_subclass(base, "aws_cdk.Stack")
            and self.evaluator is not None
            and "construct" not in instance.data
        ):
            # A worktree subclass of a library resource construct (`class SecureBucket(s3.Bucket)`):
            # super().__init__ builds the library construct; the instance answers as it does.
            built = self.builder.construct(self.evaluator, base, site)
            if isinstance(built, ConstructObj):
                created = instance.data.get("created_at")
                record = self.builder.records.get(built.resource_id or "")
                if record is not None and isinstance(created, Location):
                    record.location = created  # findings point at `SecureBucket(self, "Data", ...)`
                    for prop, where in list(record.property_locations.items()):
                        if where == site.location:  # forwarded through **kwargs: where it was written
                            value = record.properties.get(prop)
                            record.property_locations[prop] = getattr(value, "location", None) or created
                instance.data["construct"] = built
                instance.data["cdk"] = base
                self.builder.adopt(instance, built)
                return Literal(None)
        if isinstance(instance, InstanceObj) and tables.is_subclass(base, "constructs.Construct"):
            self.builder.register_user_construct(
                instance,
                base,
                site,
                scope_arg=site.arg(0, "scope"),
                id_arg=site.arg(1, "id"),
                stack_name=site.kwargs.get("stack_name"),
            )
            if tables.is_subclass(base, "aws_cdk.Stack") and self.evaluator is not None:
                followed = _vouched(self.evaluator, instance)
                self.builder.observe_stack_init(
                    instance, self.evaluator, site, site.arg(0, "scope"), followed=followed
                )
            return Literal(None)
        return None

    # -- reads on worktree constructs ----------------------------------------------------------------

    def attribute(self, ev: Evaluator, target: EValue, name: str, location: Location) -> EValue | None:
        built = target.data.get("construct") if isinstance(target, InstanceObj) else None
        if isinstance(built, ConstructObj):
            return built.attribute(ev, name, location) or _ConstructMethod(built, name)
        if isinstance(target, ExternalObj) and target.qualname == "aws_cdk.Aws":
            pseudo = _PSEUDO.get(name)
            if pseudo is not None:
                return pseudo
        if isinstance(target, ExternalObj) and target.qualname.startswith("aws_cdk."):
            self._misplaced_name(ev, target.qualname, name, location)
        if isinstance(target, InstanceObj) and "cdk" in target.data:
            if name == "node":
                return NodeObj(self.builder, target)
            scope = self.builder.scope_of(target)
            stack = scope.stack if scope else None
            if name == "stack_name" and stack is not None:
                return stack.name
            if name == "region":
                return Unknown("the stack's region", Origin.REGION, location, "stack.region")
            if name == "account":
                return Unknown("the stack's account", Origin.ACCOUNT, location, "stack.account")
            if name == "add_dependency":
                return _AddDependency(self.builder, target)
        return None

    def external_import(self, ev: Evaluator, module: str, name: str, location: Location) -> None:
        if module.startswith("aws_cdk."):
            self._misplaced_name(ev, module, name, location, kind="import")

    @staticmethod
    def _misplaced_name(
        ev: Evaluator, module: str, name: str, location: Location, kind: str = "module"
    ) -> None:
        """``cloudwatch.SnsAction``: a name this aws-cdk-lib module does not have but another one
        does raises AttributeError when the app runs (unless the read is guarded); imported with
        ``from aws_cdk.aws_cloudwatch import SnsAction``, ImportError."""
        if ev.attribute_guard:
            return
        elsewhere = tables.misplaced_name(module, name)
        key = ("", 0, module, name)  # the first read raises: one problem per module and name
        if elsewhere and key not in ev.attribute_problems:
            ev.attribute_problems[key] = AttributeProblem(module, name, location, None, elsewhere, kind=kind)

    def method_call(self, ev: Evaluator, target: EValue, name: str, site: CallSite) -> EValue | None:
        built = target.data.get("construct") if isinstance(target, InstanceObj) else None
        if isinstance(built, ConstructObj):
            return built.method(ev, name, site)
        if isinstance(target, InstanceObj) and "cdk" in target.data and name == "add_dependency":
            self.builder.add_dependency(target, site.args, site.location)
            return Literal(None)
        return None


@dataclass(eq=False, slots=True)
class _ConstructMethod(Obj):
    """``instance.grant_read(...)`` on a worktree subclass of a library construct: the library
    construct's method (the evaluator finds no such method in the worktree class)."""

    construct: ConstructObj
    name: str

    def hint(self) -> str:
        return f"{self.construct.hint()}.{self.name}"

    def call(self, ev: Evaluator, site: CallSite) -> EValue | None:
        return self.construct.method(ev, self.name, site)


@dataclass(eq=False, slots=True)
class _AddDependency(Obj):
    """``stack.add_dependency(other)`` on a worktree stack or construct."""

    builder: Builder
    owner: InstanceObj

    def call(self, ev: Evaluator, site: CallSite) -> EValue | None:
        self.builder.add_dependency(self.owner, site.args, site.location)
        return Literal(None)


# Stack members that say where it deploys: a subclass defining them (a property override) may answer
# what no `env` says.
_ENVIRONMENT_MEMBERS = ("account", "region", "environment")


def _vouched(ev: Evaluator, instance: InstanceObj) -> bool:
    """Can the stack's environment be read from the Stack.__init__ calls alone? Not when the class's
    initializer is unknown (a metaclass), a class decorator along the MRO may wrap it, or a worktree
    class along the MRO defines ``account``/``region``/``environment`` itself."""
    if ev.signature(instance.cls) is None:
        return False
    for item in mro(ev.project, instance.cls):
        if not isinstance(item, ClassRef):
            continue
        if decorated(item.node) or any(find_method(item, name) for name in _ENVIRONMENT_MEMBERS):
            return False
    return True


def _env_keyword_reaches_stack(signature: Signature | None) -> bool:
    """Would ``env=...`` added to a call of this class reach ``aws_cdk.Stack.__init__``? Yes when the
    class defines no initializer, or ``**kwargs`` is passed on (through worktree bases) to a library
    stack, no initializer on the way takes ``env`` itself and none supplies it. (For IAC021's fix.)"""
    if signature is None or signature.dataclass_fields:
        return False
    if signature.function is None:
        return True
    current: Signature | None = signature
    for _ in range(12):
        if current is None or current.var_keyword is None or current.param("env") is not None:
            return False
        if "env" in current.kwargs_supplied:
            return False
        if current.kwargs_to is not None:
            return tables.is_subclass(current.kwargs_to, "aws_cdk.Stack")
        current = current.kwargs_signature
    return False


# aws-rds/lib/cluster-engine.ts and instance-engine.ts: the engine each factory method selects.
_ENGINES = {
    "aws_cdk.aws_rds.DatabaseClusterEngine.aurora_postgres": "aurora-postgresql",
    "aws_cdk.aws_rds.DatabaseClusterEngine.aurora_mysql": "aurora-mysql",
    "aws_cdk.aws_rds.DatabaseInstanceEngine.postgres": "postgres",
    "aws_cdk.aws_rds.DatabaseInstanceEngine.mysql": "mysql",
    "aws_cdk.aws_rds.DatabaseInstanceEngine.maria_db": "mariadb",
}
_VERSION_MEMBER = re.compile(r"VER_(\d+)(?:_(\d+))?(?:_(\d+))?$")


def _engine_version(engine: str, version: EValue | None) -> Value | None:
    """``AuroraPostgresEngineVersion.VER_15_2`` -> ``15.2``; ``...EngineVersion.of("15.2", "15")`` is
    evaluated by the caller. Aurora MySQL members encode a different scheme and stay unknown."""
    if isinstance(version, ExternalObj) and engine != "aurora-mysql":
        match = _VERSION_MEMBER.search(version.qualname)
        if match:
            return Literal(".".join(part for part in match.groups() if part is not None))
    if isinstance(version, Literal) and isinstance(version.value, str):
        return version
    return None


# Methods that query the account while `cdk synth` runs (context providers, cached in
# cdk.context.json): Vpc.from_lookup, SecurityGroup.from_lookup_by_name/_by_id, HostedZone.from_lookup,
# StringParameter.value_from_lookup, MachineImage.lookup (aws-cdk-lib: core/lib/context-provider.ts
# is what each calls).
def _is_lookup(qualname: str) -> bool:
    short = qualname.rsplit(".", 1)[-1]
    return (
        short.startswith("from_lookup") or short == "value_from_lookup" or qualname == _MACHINE_IMAGE_LOOKUP
    )


_MACHINE_IMAGE_LOOKUP = "aws_cdk.aws_ec2.MachineImage.lookup"


def _unset_context(value: EValue) -> bool:
    """A ``node.try_get_context(key)`` read of a key ``cdk.json`` does not set (Builder.context_value's
    Unknown): None in a deployment that passes only the suffix with ``-c``."""
    return (
        isinstance(value, Unknown)
        and bool(value.origin & Origin.CONFIG)
        and value.reason.startswith("context '")
        and " is given at deploy time" in value.reason
    )


# ``Code.from_asset(os.path.join(os.path.dirname(__file__), "lambda"))``: asset directories are
# written relative to the module; the worktree-relative path is what the Lambda-code analysis needs.
_PATH_FUNCTIONS = frozenset({"os.path.join", "os.path.dirname", "os.path.abspath", "os.path.realpath"})


def _asset_path(qualname: str, site: CallSite) -> EValue | None:
    args = site.args
    if not args or site.kwargs:
        return None
    if qualname == "os.path.dirname":
        first = args[0]
        if isinstance(first, Unknown) and first.hint == "__file__":
            return Literal(posixpath.dirname(site.module.path) or ".")
        if isinstance(first, Literal) and isinstance(first.value, str):
            return Literal(posixpath.dirname(first.value) or ".")
        return None
    if qualname in ("os.path.abspath", "os.path.realpath"):
        return args[0] if isinstance(args[0], Literal) and isinstance(args[0].value, str) else None
    parts = [a.value for a in args if isinstance(a, Literal) and isinstance(a.value, str)]
    if len(parts) != len(args):
        return None
    return Literal(posixpath.normpath(posixpath.join(*parts)))


def _fn_join(site: CallSite) -> EValue | None:
    """``Fn.join("-", ["app", suffix])`` with a known list: the joined string (origins kept)."""
    delimiter, items = site.arg(0, "delimiter"), site.arg(1, "list_of_values")
    if not (isinstance(delimiter, Literal) and isinstance(delimiter.value, str)):
        return None
    if not (isinstance(items, Literal) and isinstance(items.value, tuple)):
        return None
    parts: list[Value] = []
    for index, item in enumerate(items.value):
        if isinstance(item, Obj):
            return None
        if index:
            parts.append(Literal(delimiter.value))
        parts.append(item)
    return concat(parts, site.location)


def _composite(principals: list[EValue]) -> EValue | None:
    """``iam.CompositePrincipal(ServicePrincipal(a), ServicePrincipal(b))``: one Principal mapping,
    kept only when every part is a principal of the same kind."""
    parts = [p for p in principals if isinstance(p, PrincipalObj)]
    if not parts or len(parts) != len(principals) or len({p.kind for p in parts}) != 1:
        return None
    return PrincipalObj(parts[0].kind, [value for part in parts for value in part.values])


def _list(value: EValue | None) -> list[EValue]:
    if isinstance(value, Literal) and isinstance(value.value, tuple):
        return list(value.value)
    return [] if value is None else [value]


__all__ = ["CdkHooks", "ExternalObj", "StateObj"]
