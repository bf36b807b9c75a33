"""Pulumi semantics for the Python evaluator: resources, options, config, outputs, assets, IAM.

``PulumiHooks`` answers the calls the generic evaluator cannot: a ``pulumi_aws`` class constructs a
:class:`~analyzer.model.Resource` (logical name, CloudFormation type and properties, physical name,
options, dependencies), ``pulumi.Config`` reads stack configuration, ``pulumi.get_stack()`` is the
stack name, ``Output.concat/format/all(...).apply`` evaluate their parts, ``get_policy_document``
builds a policy document, and ``FileArchive``/``AssetArchive`` record where Lambda code lives.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from analyzer.model import (
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
    concat,
)
from analyzer.plugin import Worktree
from analyzer.python.builtins import format_method
from analyzer.python.evaluator import CallSite, Evaluator, Hooks
from analyzer.python.lookups import LookupRecorder, pulumi_call_name
from analyzer.python.signatures import Param, ParamKind, Signature
from analyzer.python.values import (
    EValue,
    ExternalObj,
    InstanceObj,
    JsonText,
    Obj,
    id_text,
    to_value,
    with_origin,
)
from plugins.pulumi.kwargs import unknown_keywords
from plugins.pulumi.settings import PulumiSettings
from plugins.pulumi.types import PACKAGES, PREFIX_KWARGS, TypeInfo, pascal, type_info

# Keyword arguments whose mapping keys are user data (tag names, environment variables), not
# property names: their keys are kept as written.
FREE_FORM = frozenset(
    {
        "tags",
        "tags_all",
        "variables",
        "triggers",
        "labels",
        "metadata",
        "default_tags",
        "Tags",
        "Variables",
        "Triggers",
        "context",
        "environment_variables",
    }
)
# CloudFormation properties that hold a JSON policy document (a JSON string becomes a mapping).
DOCUMENT_PROPERTIES = frozenset(
    {"PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy", "ResourcePolicy", "Statement"}
)
_NOT_PROPERTIES = frozenset({"opts", "resource_name", "args", "__props__", "__opts__"})
# The flags of a physical name that a reference to it carries along.
_NAME_ORIGINS = Origin.SUFFIX | Origin.STACK_NAME | Origin.UNIQUE | Origin.ENV_NAME
# Attributes of pulumi_random resources that are random by construction.
_RANDOM_ATTRIBUTES = frozenset({"result", "hex", "b64_url", "b64_std", "dec", "id", "suffix"})


# Initializers of the Pulumi SDK classes a worktree class may derive from, for keywords forwarded
# through ``**kwargs`` (``super().__init__("tap:stack:TapStack", name, None, **kwargs)``). Source:
# the Pulumi Python SDK, sdk/python/lib/pulumi/resource.py (v3): ``ComponentResource.__init__(self,
# t, name, props=None, opts=None, remote=False, package_ref=None)``, ``CustomResource.__init__(self,
# t, name, props=None, opts=None, dependency=False, package_ref=None)``, ``ResourceOptions.__init__``
# (every option has a default; the list is a superset across SDK 3.x releases, so an option newer
# than the table is accepted rather than reported).
_LIBRARY_INITS: dict[str, tuple[tuple[str, bool], ...]] = {
    "ComponentResource": (
        ("t", False),
        ("name", False),
        ("props", True),
        ("opts", True),
        ("remote", True),
        ("package_ref", True),
    ),
    "CustomResource": (
        ("t", False),
        ("name", False),
        ("props", True),
        ("opts", True),
        ("dependency", True),
        ("package_ref", True),
    ),
    "ResourceOptions": tuple(
        (option, True)
        for option in (
            "parent",
            "depends_on",
            "protect",
            "provider",
            "providers",
            "delete_before_replace",
            "ignore_changes",
            "version",
            "aliases",
            "additional_secret_outputs",
            "id",
            "import_",
            "custom_timeouts",
            "transformations",
            "transforms",
            "urn",
            "replace_on_changes",
            "plugin_download_url",
            "retain_on_delete",
            "deleted_with",
            "hooks",
            "replace_with",
            "replacement_trigger",
            "hide_diffs",
            "env_var_mappings",
        )
    ),
}
LIBRARY_SIGNATURES: dict[str, Signature] = {
    f"{module}.{name}": Signature(
        params=tuple(Param(param, ParamKind.POSITIONAL, default) for param, default in params),
        owner=name,
    )
    for name, params in _LIBRARY_INITS.items()
    for module in ("pulumi", "pulumi.resource")
}


# -- objects -----------------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class ResourceHandle(Obj):
    """A constructed resource; attributes are references (``role.arn`` -> Ref(role, "Arn"))."""

    resource_id: str
    info: TypeInfo
    package: str
    # Where this resource's physical name comes from: attributes that contain the name (``id``,
    # ``name``, ``arn``) carry it, so a name built from ``bucket.id`` is as unique as the bucket's.
    name_origin: Origin = Origin.NONE

    def hint(self) -> str:
        return self.resource_id

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        origin = Origin.NONE
        if self.package == "pulumi_random" and name in _RANDOM_ATTRIBUTES:
            origin = Origin.UNIQUE
        elif name in ("id", "name", "arn") or name == self.info.name_kwarg:
            origin = self.name_origin
        return Ref(self.resource_id, pascal(name), origin, location)

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name in ("get_provider", "translate_output_property"):
            return Unknown("resource method", hint=f"{self.resource_id}.{name}()")
        return None

    def to_value(self) -> Value:
        return Ref(self.resource_id)


@dataclass(eq=False, slots=True)
class ArgsValue(Obj):
    """``aws.rds.ClusterParameterGroupParameterArgs(name=..., value=...)``: a typed input mapping."""

    values: dict[str, EValue]
    location: Location

    def hint(self) -> str:
        return "Args(...)"

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        return self.values.get(name)

    def to_value(self) -> Value:
        return Literal({pascal(k): convert(v) for k, v in self.values.items()}, location=self.location)


@dataclass(eq=False, slots=True)
class OptionsValue(Obj):
    """``pulumi.ResourceOptions(...)``."""

    options: dict[str, EValue]
    location: Location
    # Built from something the analysis cannot see (``**kw``, options passed in from outside):
    # its ``depends_on`` may hold more than ``options`` shows.
    opaque: bool = False

    def hint(self) -> str:
        return "ResourceOptions(...)"

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        return self.options.get(name, Literal(None))

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "merge" and site.args:
            return merge_options([self, *site.args], site.location)
        return None


@dataclass(eq=False, slots=True)
class ConfigValue(Obj):
    """``pulumi.Config(namespace)``."""

    namespace: str
    hooks: PulumiHooks

    def hint(self) -> str:
        return f"Config({self.namespace})"

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if not (name.startswith("get") or name.startswith("require")):
            return None
        key = site.arg(0, "key")
        if not (isinstance(key, Literal) and isinstance(key.value, str)):
            return Unknown("config key not known", Origin.CONFIG, site.location)
        default = site.arg(1, "default") if name.startswith("get") else None
        return self.hooks.config_value(ev, self.namespace, key.value, name, default, site.location)


@dataclass(eq=False, slots=True)
class OutputAll(Obj):
    """``Output.all(a, b)`` / ``Output.all(x=a)``: ``.apply(f)`` calls ``f`` with the list or mapping."""

    values: EValue

    def hint(self) -> str:
        return "Output.all(...)"

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "apply" and site.args:
            return ev.call_value(
                site.args[0], CallSite(site.node, site.module, [self.values], {}, frame=site.frame)
            )
        return None

    def to_value(self) -> Value:
        return Unknown("an Output.all(...) value", hint="Output.all(...)")


@dataclass(eq=False, slots=True)
class PolicyDocument(Obj):
    """``aws.iam.get_policy_document(...)``: ``.json`` is the document."""

    document: EValue

    def hint(self) -> str:
        return "get_policy_document(...)"

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        if name in ("json", "minified_json"):
            return JsonText(self.document)
        return Unknown("policy document attribute", hint=name)

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "apply" and site.args:  # get_policy_document_output(...).apply(lambda d: d.json)
            return ev.call_value(site.args[0], CallSite(site.node, site.module, [self], {}, frame=site.frame))
        return None


@dataclass(eq=False, slots=True)
class DataSource(Obj):
    """The result of a data-source function (``aws.get_caller_identity()``)."""

    qualname: str

    def hint(self) -> str:
        return self.qualname + "()"

    def attribute(self, ev: Evaluator, name: str, location: Location) -> EValue | None:
        origin = Origin.EXTERNAL
        if name == "account_id":
            origin |= Origin.ACCOUNT
        elif "region" in self.qualname or name == "region":
            origin |= Origin.REGION
        return Unknown(
            "looked up at deploy time", origin, location, f"{self.qualname.split('.')[-1]}().{name}"
        )

    def method(self, ev: Evaluator, name: str, site: CallSite) -> EValue | None:
        if name == "apply" and site.args:
            return ev.call_value(site.args[0], CallSite(site.node, site.module, [self], {}, frame=site.frame))
        return None


@dataclass(eq=False, slots=True)
class Asset(Obj):
    """``pulumi.FileArchive(path)``, ``FileAsset``, ``StringAsset``, ``AssetArchive({...})``."""

    kind: str
    path: EValue | None = None
    assets: dict[str, EValue] = field(default_factory=dict)

    def hint(self) -> str:
        return self.kind + "(...)"

    def code_path(self) -> str | None:
        path = self.path
        if (
            self.kind in ("FileArchive", "FileAsset")
            and isinstance(path, Literal)
            and isinstance(path.value, str)
        ):
            return str(PurePosixPath(path.value.removeprefix("./")))
        if self.kind == "AssetArchive":
            for asset in self.assets.values():
                if isinstance(asset, Asset):
                    found = asset.code_path()
                    if found:
                        return found if asset.kind == "FileArchive" else str(PurePosixPath(found).parent)
        return None

    def inline_source(self) -> tuple[str, Literal] | None:
        """``AssetArchive({"index.py": StringAsset("...")})``: (module name, the code literal)."""
        if self.kind != "AssetArchive":
            return None
        for key, asset in self.assets.items():
            text = asset.path if isinstance(asset, Asset) and asset.kind == "StringAsset" else None
            if key.endswith(".py") and isinstance(text, Literal) and isinstance(text.value, str):
                return PurePosixPath(key).stem, text
        return None

    def to_value(self) -> Value:
        if self.kind == "AssetArchive":
            return Literal({"AssetArchive": Literal({k: to_value(v) for k, v in self.assets.items()})})
        return Literal({self.kind: to_value(self.path)})


# -- conversion to CloudFormation property space -----------------------------------------------------


def convert(value: EValue | None, free_form: bool = False, document: bool = False, _depth: int = 0) -> Value:
    """An evaluated argument as a model value: mapping keys in PascalCase (except user data)."""
    if value is None:
        return Literal(None)
    if _depth > 40:
        return Unknown("value nests too deeply")
    if isinstance(value, JsonText):
        return to_value(value.document)
    if isinstance(value, Obj):
        return value.to_value()
    if isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, tuple):
            return Literal(
                tuple(convert(item, free_form, document, _depth + 1) for item in inner),
                value.origin,
                value.location,
            )
        if isinstance(inner, dict):
            if free_form or document:
                return to_value(value)
            return Literal(
                {pascal(k): convert(v, k in FREE_FORM, False, _depth + 1) for k, v in inner.items()},
                value.origin,
                value.location,
            )
        if document and isinstance(inner, str):
            return _parse_json(inner, value)
    return to_value(value)


def _parse_json(text: str, value: Literal) -> Value:
    try:
        parsed = json.loads(text)
    except ValueError:
        return value
    return plain_value(parsed, value.origin, value.location)


def plain_value(data: Any, origin: Origin = Origin.NONE, location: Location | None = None) -> Value:
    """Plain Python data (from JSON or YAML) as a model Literal tree."""
    if isinstance(data, dict):
        return Literal({str(k): plain_value(v, origin, location) for k, v in data.items()}, origin, location)
    if isinstance(data, list):
        return Literal(tuple(plain_value(v, origin, location) for v in data), origin, location)
    if data is None or isinstance(data, (str, int, float, bool)):
        return Literal(data, origin, location)
    return Unknown("unsupported value", origin, location)


def merge_options(items: list[EValue], location: Location) -> OptionsValue:
    merged: dict[str, EValue] = {}
    opaque = False
    for item in items:
        if not isinstance(item, OptionsValue):
            opaque = opaque or not _is_none(item)
            continue
        opaque = opaque or item.opaque
        for key, value in item.options.items():
            if key == "depends_on" and key in merged:
                first, second = merged[key], value
                a = first.value if isinstance(first, Literal) and isinstance(first.value, tuple) else (first,)
                b = (
                    second.value
                    if isinstance(second, Literal) and isinstance(second.value, tuple)
                    else (second,)
                )
                merged[key] = Literal((*a, *b))
            elif not (isinstance(value, Literal) and value.value is None):
                merged[key] = value
    return OptionsValue(merged, location, opaque)


def policy_document(statements: EValue | None, location: Location) -> EValue:
    """``get_policy_document(statements=[...])`` as a CloudFormation-shaped policy document."""
    items = (
        statements.value if isinstance(statements, Literal) and isinstance(statements.value, tuple) else None
    )
    if items is None:
        return Unknown("policy statements not known", location=location)
    rendered: list[EValue] = []
    for item in items:
        fields = _fields(item)
        if fields is None:
            return Unknown("policy statement not known", location=location)
        statement: dict[str, EValue] = {"Effect": fields.get("effect", Literal("Allow"))}
        for source, target in (
            ("sid", "Sid"),
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ):
            if source in fields:
                statement[target] = fields[source]
        for source, target in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            if source in fields:
                statement[target] = _principals(fields[source])
        if "conditions" in fields:
            statement["Condition"] = _conditions(fields["conditions"])
        rendered.append(Literal(statement, location=location))
    return Literal(
        {"Version": Literal("2012-10-17"), "Statement": Literal(tuple(rendered))}, location=location
    )


def _fields(item: EValue) -> dict[str, EValue] | None:
    if isinstance(item, ArgsValue):
        return dict(item.values)
    if isinstance(item, Literal) and isinstance(item.value, dict):
        return {_snake(k): v for k, v in item.value.items()}
    return None


def _snake(name: str) -> str:
    out = []
    for index, char in enumerate(name):
        if char.isupper() and index:
            out.append("_")
        out.append(char.lower())
    return "".join(out)


def _principals(value: EValue) -> EValue:
    items = value.value if isinstance(value, Literal) and isinstance(value.value, tuple) else None
    if items is None:
        return Unknown("principals not known")
    grouped: dict[str, EValue] = {}
    for item in items:
        fields = _fields(item)
        if fields is None or not isinstance(fields.get("type"), Literal):
            return Unknown("principal not known")
        kind = fields["type"].value  # type: ignore[union-attr]
        if kind == "*":
            return Literal("*")
        grouped[str(kind)] = fields.get("identifiers", Unknown("principal identifiers"))
    return Literal(grouped)


def _conditions(value: EValue) -> EValue:
    items = value.value if isinstance(value, Literal) and isinstance(value.value, tuple) else None
    if items is None:
        return Unknown("conditions not known")
    grouped: dict[str, dict[str, EValue]] = {}
    for item in items:
        fields = _fields(item)
        test, variable = (fields or {}).get("test"), (fields or {}).get("variable")
        if not (isinstance(test, Literal) and isinstance(variable, Literal)):
            return Unknown("condition not known")
        grouped.setdefault(str(test.value), {})[str(variable.value)] = fields.get("values", Unknown("values"))  # type: ignore[union-attr]
    return Literal({test: Literal(variables) for test, variables in grouped.items()})


# pulumi-awsx awsx/ec2/defaultVpc.ts: DefaultVpc is "a pseudo resource representing the default VPC"
# that creates nothing; its constructor calls aws.ec2.getVpc({default: true}) (getDefaultVpc.ts).
_AWSX_LOOKUPS = {"pulumi_awsx.ec2.DefaultVpc": "awsx.ec2.DefaultVpc"}


# -- the hooks ---------------------------------------------------------------------------------------


class PulumiHooks(Hooks):
    def __init__(self, settings: PulumiSettings, worktree: Worktree) -> None:
        self.settings = settings
        self.worktree = worktree
        self.resources: list[Resource] = []
        self.ids: set[str] = set()
        self.parameters: dict[str, Value] = {}
        self.problems: list[ParseProblem] = []
        self.code_errors: list[str] = []
        self.unknown_keywords: list[dict[str, Any]] = []  # keywords the pulumi-aws class lacks
        # Data-source calls of pulumi_aws (aws.ec2.get_vpc(default=True), ...): facts["lookups"].
        self.lookups = LookupRecorder(convert, self._is_unset)
        # Config reads that a deployment setting no configuration leaves None: `config.get(key)`
        # without a default, for a key no stack file sets (by identity: the value flows unchanged).
        self.unset_reads: dict[int, EValue] = {}

    # config ------------------------------------------------------------------------------------

    def config_value(
        self, ev: Evaluator, namespace: str, key: str, method: str, default: EValue | None, location: Location
    ) -> EValue:
        full = key if ":" in key else f"{namespace}:{key}"
        origin = Origin.CONFIG | ev.note_name(key, location)
        values, complete = self.settings.config_values(full)
        value: EValue
        if values and complete and all(v == values[0] for v in values) and not _is_secure(values[0]):
            value = with_origin(plain_value(values[0], Origin.NONE, location), origin)
        else:
            # Not set in every stack file: the deploy sets it (or the default applies); either way
            # the value is unknown here but keeps where it comes from.
            value = Unknown("set in stack configuration at deploy time", origin, location, key)
            if not values and method.startswith("get") and (default is None or _is_none(default)):
                self.unset_reads[id(value)] = value
        self.parameters.setdefault(full, to_value(value))
        return value

    def _is_unset(self, value: EValue) -> bool:
        return self.unset_reads.get(id(value)) is value

    # calls -------------------------------------------------------------------------------------

    def external_call(self, ev: Evaluator, qualname: str, site: CallSite) -> EValue | None:
        parts = qualname.split(".")
        package = parts[0]
        if package == "pulumi":
            return self._pulumi_call(ev, parts, site)
        if qualname in _AWSX_LOOKUPS:
            # Crosswalk components that look the account up (not modelled as resources).
            self.lookups.record(ev, _AWSX_LOOKUPS[qualname], site)
            return None
        if package in PACKAGES and len(parts) >= 2:
            last = parts[-1]
            module = parts[1] if len(parts) >= 3 else ""
            if last[:1].isupper():
                if last.endswith("Args"):
                    self.unknown_keywords += unknown_keywords(qualname, site, None)
                    return ArgsValue(dict(site.kwargs), site.location)
                if last in ("Provider", "ProviderArgs"):
                    return Unknown("provider", Origin.EXTERNAL, site.location, last)
                return self._resource(ev, package, module, last, site)
            if last in ("get_policy_document", "get_policy_document_output"):
                return PolicyDocument(policy_document(site.arg(0, "statements"), site.location))
            if last.startswith("get_"):
                if package == "pulumi_aws":
                    self.lookups.record(ev, pulumi_call_name(qualname), site)
                return DataSource(qualname)
        return None

    def _pulumi_call(self, ev: Evaluator, parts: list[str], site: CallSite) -> EValue | None:
        name = ".".join(parts[1:])
        location = site.location
        if name in ("Config", "config.Config"):
            namespace = site.arg(0, "name")
            ns = (
                namespace.value
                if isinstance(namespace, Literal) and isinstance(namespace.value, str)
                else None
            )
            return ConfigValue(ns or self.settings.project_name or "project", self)
        if name == "get_stack":
            # Stack names may hold capitals ("TapStackpr42"): a problem for lower-case-only names.
            return Unknown(
                "the Pulumi stack name",
                Origin.STACK_NAME | Origin.MAYBE_UPPERCASE,
                location,
                "pulumi.get_stack()",
            )
        if name == "get_project":
            if self.settings.project_name:
                return Literal(self.settings.project_name, location=location)
            return Unknown("the Pulumi project name", location=location, hint="pulumi.get_project()")
        if name == "ResourceOptions":
            return OptionsValue(dict(site.kwargs), location, site.star_args or site.star_kwargs)
        if name == "ResourceOptions.merge":
            return merge_options(site.args, location)
        if name == "Output.concat":
            return concat([_text(a) for a in site.args], location)
        if name == "Output.format" and site.args and isinstance(site.args[0], Literal):
            rest = CallSite(site.node, site.module, site.args[1:], site.kwargs, frame=site.frame)
            return format_method(site.args[0], rest)
        if name == "Output.all":
            if site.kwargs:
                return OutputAll(Literal(dict(site.kwargs)))
            return OutputAll(Literal(tuple(site.args)))
        if (
            name in ("Output.from_input", "Output.secret", "Output.unsecret", "Output.json_dumps")
            and site.args
        ):
            return JsonText(site.args[0]) if name == "Output.json_dumps" else site.args[0]
        if name in (
            "FileArchive",
            "FileAsset",
            "StringAsset",
            "RemoteArchive",
            "RemoteAsset",
            "asset.FileArchive",
            "asset.FileAsset",
        ):
            return Asset(parts[-1], site.arg(0, "path"))
        if name in ("AssetArchive", "asset.AssetArchive"):
            assets = site.arg(0, "assets")
            items = assets.value if isinstance(assets, Literal) and isinstance(assets.value, dict) else {}
            return Asset("AssetArchive", assets=dict(items))
        if name == "ComponentResource.__init__":
            _register_component(site)
            return Literal(None, location=location)
        if name in (
            "export",
            "log.info",
            "log.warn",
            "log.error",
            "ComponentResource.register_outputs",
            "CustomResource.__init__",
        ):
            return Literal(None, location=location)
        return None

    def external_signature(self, qualname: str) -> Signature | None:
        """Initializers of the Pulumi base classes a component derives from."""
        return LIBRARY_SIGNATURES.get(qualname)

    def instance_created(self, ev: Evaluator, instance: InstanceObj, site: CallSite) -> None:
        creator = _owner_instance(site)
        if creator is not None and creator is not instance:
            instance.data["created_by"] = creator

    def method_call(self, ev: Evaluator, target: EValue, name: str, site: CallSite) -> EValue | None:
        if name == "apply" and site.args:  # output.apply(f): f sees the (symbolic) value
            return ev.call_value(
                site.args[0], CallSite(site.node, site.module, [target], {}, frame=site.frame)
            )
        if name == "register_outputs" and isinstance(target, InstanceObj):
            return Literal(None)
        return None

    def attribute(self, ev: Evaluator, target: EValue, name: str, location: Location) -> EValue | None:
        if isinstance(target, ExternalObj) and target.qualname == "pulumi_aws.lambda_.Runtime":
            runtime = lambda_runtime(name)
            return Literal(runtime, location=location) if runtime else None
        return None

    # resources ---------------------------------------------------------------------------------

    def _resource(self, ev: Evaluator, package: str, module: str, cls: str, site: CallSite) -> EValue:
        info = type_info(package, module, cls)
        if len(self.resources) >= ev.limits.max_resources:
            return Unknown("resource limit reached", location=site.location)
        logical = to_value(site.arg(0, "resource_name"))
        resource_id = self._unique_id(id_text(logical) or cls)
        kwargs = dict(site.kwargs)
        options: OptionsValue | None = None
        extra = site.args[1:]
        for value in extra:
            if isinstance(value, ArgsValue):
                for key, item in value.values.items():
                    kwargs.setdefault(key, item)
            elif isinstance(value, OptionsValue):
                options = value
        if isinstance(kwargs.get("args"), ArgsValue):
            for key, item in kwargs["args"].values.items():  # type: ignore[union-attr]
                kwargs.setdefault(key, item)
        opts = kwargs.get("opts")
        if isinstance(opts, OptionsValue):
            options = opts
        elif opts is not None and not _is_none(opts):
            options = OptionsValue({}, site.location, opaque=True)  # options from outside
        properties: dict[str, Value] = {}
        locations: dict[str, Location] = {}
        for key, value in kwargs.items():
            if key in _NOT_PROPERTIES or (isinstance(value, Literal) and value.value is None):
                continue
            prop = info.property_name(key)
            properties[prop] = convert(value, key in FREE_FORM, prop in DOCUMENT_PROPERTIES)
            locations[prop] = site.arg_locations.get(key, site.location)
        if info.cfn_type == "AWS::IAM::Role" and "Policies" in properties:
            properties["Policies"] = _inline_policies(properties["Policies"])
        name, name_property = self._physical_name(info, kwargs, properties)
        depends_on, resource_options, parent = self._options(options, site)
        resource_options["logical_name"] = logical  # the rendered id loses its provenance
        if ev.conditions:  # made in an `if` whose test the analysis cannot decide
            resource_options["Condition"] = Unknown(
                "created only when " + " and ".join(ev.conditions), location=site.location
            )
        component = parent or _component(site)
        _register_child(options, site, resource_id)
        resource = Resource(
            id=resource_id,
            type=info.cfn_type,
            location=site.location,
            properties=properties,
            property_locations=locations,
            name=name,
            name_property=name_property,
            depends_on=depends_on,
            options=resource_options,
            source_type=info.source_type if package == "pulumi_aws" else f"{package}:{module}:{cls}",
            component=component,
            code=self._code(info, kwargs),
            in_loop=ev.loop_depth > 0,
        )
        self.resources.append(resource)
        if package == "pulumi_aws":
            self.unknown_keywords += unknown_keywords(
                ".".join(filter(None, (package, module, cls))), site, resource_id
            )
        name_origin = (
            (Origin.UNIQUE if name is None else name.origin & _NAME_ORIGINS)
            if info.name_kwarg
            else Origin.NONE
        )
        return ResourceHandle(resource_id, info, package, name_origin)

    def _unique_id(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.ids:
            candidate = f"{base}#{number}"
            number += 1
        self.ids.add(candidate)
        return candidate

    def _physical_name(
        self, info: TypeInfo, kwargs: dict[str, EValue], properties: dict[str, Value]
    ) -> tuple[Value | None, str | None]:
        if info.name_kwarg and info.name_kwarg in kwargs:
            value = kwargs[info.name_kwarg]
            if not (isinstance(value, Literal) and value.value is None):
                prop = info.property_name(info.name_kwarg)
                return properties.get(prop, convert(value)), prop
        if info.name_kwarg:
            for prefix in PREFIX_KWARGS:
                if prefix in kwargs and not (
                    isinstance(kwargs[prefix], Literal) and kwargs[prefix].value is None  # type: ignore[union-attr]
                ):
                    # Pulumi appends a unique suffix to a prefix: unique by construction.
                    return with_origin(convert(kwargs[prefix]), Origin.UNIQUE), info.property_name(prefix)  # type: ignore[return-value]
        return None, None

    def _options(
        self, options: OptionsValue | None, site: CallSite
    ) -> tuple[tuple[Dependency, ...], dict[str, Value], str | None]:
        if options is None:
            return (), {}, None
        dependencies: list[Dependency] = []
        result: dict[str, Value] = {}
        parent: str | None = None
        unknown = options.opaque
        for key, value in options.options.items():
            if key == "depends_on":
                items = (
                    value.value if isinstance(value, Literal) and isinstance(value.value, tuple) else (value,)
                )
                for item in items:
                    if isinstance(item, ResourceHandle):
                        dependencies.append(Dependency(item.resource_id, options.location))
                    elif isinstance(item, InstanceObj):
                        # Depending on a component waits for every resource it (and the components
                        # it made) created; none seen means the analysis missed them.
                        targets, complete = _descendants(item)
                        dependencies += [Dependency(target, options.location) for target in targets]
                        unknown = unknown or not targets or not complete
                    elif isinstance(item, Ref) and item.attribute is None:
                        dependencies.append(Dependency(item.resource, options.location))
                    elif not _is_none(item):
                        unknown = True  # a computed entry the evaluator cannot list
            elif key == "parent":
                if isinstance(value, InstanceObj):
                    parent = value.cls.name
                    result["parent"] = Literal(parent)
                elif isinstance(value, ResourceHandle):
                    result["parent"] = Ref(value.resource_id)
            else:
                result[key] = convert(value)
        if unknown:
            # Rules that judge orderings stay silent: the resource may wait for more than listed.
            result["depends_on_unknown"] = Literal(True, location=options.location)
        return tuple(dependencies), result, parent

    def _code(self, info: TypeInfo, kwargs: dict[str, EValue]) -> FunctionCode | None:
        if info.cfn_type != "AWS::Lambda::Function":
            return None
        code = kwargs.get("code")
        if not isinstance(code, Asset):
            return None
        code_path = code.code_path()
        inline = code.inline_source()
        if code_path is None and inline is None:
            return None
        handler = _string(kwargs.get("handler"))
        runtime = _string(kwargs.get("runtime"))
        try:
            from analyzer.python.lambda_code import analyze_function_code  # written by another engineer
        except ImportError:
            return None
        try:
            if inline is not None:
                module, text = inline
                return analyze_function_code(
                    self.worktree.root,
                    handler,
                    runtime,
                    inline_source=text.value,
                    inline_location=text.location,
                    inline_module=module,
                )
            return analyze_function_code(self.worktree.root, handler, runtime, code_path=code_path)
        except Exception as error:  # their failure must not lose the whole Pulumi model
            self.code_errors.append(f"{code_path or 'inline code'}: {type(error).__name__}: {error}")
            return None


# Pulumi's ``aws.lambda_.Runtime`` enum member names and the runtime identifiers they stand for
# (PYTHON3D12 -> python3.12, NODE_JS20D_X -> nodejs20.x, JAVA21 -> java21, PROVIDED_AL2023 ->
# provided.al2023). Source: the pulumi-aws Runtime enum (sdk/python/pulumi_aws/lambda_/_enums.py).
_RUNTIME_PATTERNS = (
    (re.compile(r"^PYTHON(\d)D(\d+)$"), r"python\1.\2"),
    (re.compile(r"^NODE_JS(\d+)D_X$"), r"nodejs\1.x"),
    (re.compile(r"^RUBY(\d)D(\d+)$"), r"ruby\1.\2"),
    (re.compile(r"^JAVA(\d+)$"), r"java\1"),
    (re.compile(r"^JAVA(\d+)D_AL2$"), r"java\1.al2"),
    (re.compile(r"^DOTNET(\d+)$"), r"dotnet\1"),
    (re.compile(r"^DOTNET_CORE(\d)D(\d)$"), r"dotnetcore\1.\2"),
    (re.compile(r"^CUSTOM_AL(\d+)$"), r"provided.al\1"),
    (re.compile(r"^PROVIDED_AL(\d+)$"), r"provided.al\1"),
    (re.compile(r"^PROVIDED$"), "provided"),
)


def lambda_runtime(member: str) -> str | None:
    for pattern, replacement in _RUNTIME_PATTERNS:
        if pattern.match(member):
            return pattern.sub(replacement, member)
    return None


def _inline_policies(value: Value) -> Value:
    """``inline_policies=[{name, policy}]`` as CloudFormation ``Policies: [{PolicyName, PolicyDocument}]``."""
    if not (isinstance(value, Literal) and isinstance(value.value, tuple)):
        return value
    entries: list[Value] = []
    for entry in value.value:
        if isinstance(entry, Literal) and isinstance(entry.value, dict):
            fields = dict(entry.value)
            if "Name" in fields:
                fields["PolicyName"] = fields.pop("Name")
            if "Policy" in fields:
                document = fields.pop("Policy")
                if isinstance(document, Literal) and isinstance(document.value, str):
                    document = _parse_json(document.value, document)
                fields["PolicyDocument"] = document
            entries.append(Literal(fields, entry.origin, entry.location))
        else:
            entries.append(entry)
    return Literal(tuple(entries), value.origin, value.location)


def _component(site: CallSite) -> str | None:
    owner = _owner_instance(site)
    return owner.cls.name if owner is not None else None


def _owner_instance(site: CallSite) -> InstanceObj | None:
    """The worktree object whose method made the call (the component creating a resource)."""
    frame = site.frame
    while frame is not None:
        if isinstance(frame.self_obj, InstanceObj):
            return frame.self_obj
        frame = frame.parent
    return None


def _register_child(options: OptionsValue | None, site: CallSite, resource_id: str) -> None:
    """Pulumi's children of a component are the resources created with ``parent=`` it; a resource
    made inside a component's ``__init__`` without one is a child of the stack. When the parent
    cannot be known, the component that made the resource has children the model cannot list."""
    owner = options.options.get("parent") if options is not None else None
    if isinstance(owner, InstanceObj):
        owner.data.setdefault("children", []).append(resource_id)
    elif options is not None and (options.opaque or not (owner is None or isinstance(owner, ResourceHandle))):
        creator = _owner_instance(site)
        if creator is not None:
            creator.data["uncertain_children"] = True


def _register_component(site: CallSite) -> None:
    """``super().__init__(t, name, props, opts)`` of a component: ``opts.parent`` adopts it."""
    instance = site.frame.self_obj if site.frame is not None else None
    if not isinstance(instance, InstanceObj):
        return
    args = list(site.args)
    if args and args[0] is instance:  # pulumi.ComponentResource.__init__(self, ...)
        args.pop(0)
    opts = site.kwargs.get("opts", args[3] if len(args) > 3 else None)
    parent = opts.options.get("parent") if isinstance(opts, OptionsValue) else None
    if isinstance(parent, InstanceObj):
        if instance not in parent.data.setdefault("components", []):
            parent.data["components"].append(instance)
    elif opts is not None and not _is_none(opts) and not (isinstance(opts, OptionsValue) and not opts.opaque):
        creator = instance.data.get("created_by")
        if isinstance(creator, InstanceObj):
            creator.data["uncertain_children"] = True


def _descendants(component: InstanceObj, depth: int = 0) -> tuple[list[str], bool]:
    """Resource ids of a component's children and of its child components' (``depends_on=
    [component]`` waits for all of them), and whether that list is complete."""
    found = list(component.data.get("children", ()))
    certain = not component.data.get("uncertain_children")
    if depth >= 10:
        return found, False
    for child in component.data.get("components", ()):
        more, known = _descendants(child, depth + 1)
        found += more
        certain = certain and known
    return found, certain


def _is_none(value: EValue) -> bool:
    return isinstance(value, Literal) and value.value is None


def _string(value: EValue | None) -> str | None:
    return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None


def _text(value: EValue) -> Value:
    """An ``Output.concat`` part as text: objects by their model value (a resource is a Ref)."""
    if isinstance(value, Obj):
        converted = value.to_value()
        if isinstance(converted, Literal) and not isinstance(converted.value, str):
            return Unknown("object as text")
        return converted
    return value


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and "secure" in value
