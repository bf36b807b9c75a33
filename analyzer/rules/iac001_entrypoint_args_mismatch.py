"""IAC001: the entry point constructs a project class with arguments its signature does not accept.

The plugins bind every constructor call of a project class to its signature (``Project.calls``) and
record imports and attribute reads that fail at start-up; this rule only words the failures."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from analyzer.findings import Finding, Related, Severity
from analyzer.model import AttributeProblem, CallCheck, ImportProblem, Project
from analyzer.rules.base import Example, Rule, RuleContext


@dataclass(frozen=True, slots=True)
class _PlatformWords:
    """How the failure shows up and how arguments are supplied on one platform."""

    command: str  # the command that fails
    supply: str  # where a missing value should come from; ``{name}`` is the first missing argument


# One row per platform; a platform that is not listed gets the neutral wording.
_PLATFORM_WORDS: Mapping[str, _PlatformWords] = {
    "pulumi": _PlatformWords(
        "`pulumi up`",
        "read them from config, e.g. `pulumi.Config().require('{name}')` "
        "(`require_secret` for passwords), and pass them at the call",
    ),
    "cdk": _PlatformWords(
        "`cdk synth`",
        "read them from context, e.g. `app.node.try_get_context('{name}')` (or "
        "`self.node.try_get_context` inside a stack), or give them in the props at the call",
    ),
}
_NEUTRAL_WORDS = _PlatformWords(
    "the deployment", "pass them at the call, or give them defaults in the definition"
)


def _words(project: Project) -> _PlatformWords:
    return _PLATFORM_WORDS.get(project.platform, _NEUTRAL_WORDS)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return singular if count == 1 else (plural or singular + "s")


def _module_path(project: Project, module: str) -> str:
    """The file a dotted module name resolves to in the worktree (for messages only)."""
    base = module.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        if candidate in project.files:
            return candidate
    return f"{base}.py"


def _did_you_mean(name: str, available: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(available), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class EntrypointArgsMismatch(Rule):
    """
    ## What it does
    Binds every call that constructs one of the project's own classes (in the entry point, and from
    one project class to another: a stack building its nested stacks or components) to the class's
    signature the way Python does, and reports missing required arguments, unknown keywords, too many
    positional arguments and arguments given twice. Keywords that flow through `**kwargs` into a
    library base class (`props=` reaching `aws_cdk.Stack.__init__`) are checked against that class.
    It also reports what fails the same way at start-up: an import of a name the project module does
    not define, a project module that does not exist, and a component reading `args.foo` when the
    arguments class has no `foo`.

    Calls whose outcome cannot be known (`*args`, `**kwargs` of a dictionary built elsewhere, classes
    from outside the worktree) are left alone, and so is a stale `tap.py` that neither `Pulumi.yaml`
    nor `cdk.json` runs.

    ## Why is this bad
    `pulumi up` or `cdk synth` stops with `TypeError: __init__() missing 7 required positional
    arguments` (or `ImportError`, `AttributeError`) after minutes of CI, before any resource exists.
    Unit tests that build the component with their own arguments do not notice.

    ## Example
    ```python
    # lib/tap_stack.py
    class TapStackArgs:
        def __init__(self, environment_suffix: str, vpc_id: str, aurora_password: str): ...

    # tap.py
    stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))
    ```

    ## Use instead
    ```python
    config = pulumi.Config()
    stack = TapStack(
        "pulumi-infra",
        TapStackArgs(
            environment_suffix=environment_suffix,
            vpc_id=config.require("vpc_id"),
            aurora_password=config.require_secret("aurora_password"),
        ),
    )
    ```
    """

    id = "IAC001"
    name = "entrypoint-args-mismatch"
    severity = Severity.ERROR
    summary = "the entry point constructs a project class with arguments its signature does not accept"
    tags = ("python", "deploy-blocker")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        for call in project.calls:
            finding = self._call_finding(project, call)
            if finding is not None:
                yield finding
        for problem in project.import_problems:
            yield self._import_finding(project, problem)
        for attribute_problem in project.attribute_problems:
            yield self._attribute_finding(project, attribute_problem)

    # -- calls ------------------------------------------------------------------------------------

    def _call_finding(self, project: Project, call: CallCheck) -> Finding | None:
        if not call.certain:
            return None  # *args or an unknown **kwargs: Python may well bind it
        faults = list(_call_faults(call))
        if not faults:
            return None
        words = _words(project)
        message = (
            f"`{call.callee}(...)` {'; '.join(faults)}: Python raises TypeError when {words.command} "
            f"runs this line, before any resource is created"
        )
        related: tuple[Related, ...] = ()
        if call.definition is not None:
            related = (Related(call.definition, f"`{call.callee}` and its signature are defined here"),)
        names = sorted({*call.missing, *call.unexpected, *call.duplicates})
        key = f"{call.callee}:{','.join(names)}"
        if call.too_many_positional:
            key += f":+{call.too_many_positional}"
        return self.finding(message, call.location, _call_hint(call, words), key=key, related=related)

    # -- imports and attributes -------------------------------------------------------------------

    def _import_finding(self, project: Project, problem: ImportProblem) -> Finding:
        path = _module_path(project, problem.module)
        command = _words(project).command
        if problem.name is None:
            message = (
                f"module '{problem.module}' does not exist in the worktree: the import raises "
                f"ImportError when {command} starts"
            )
            if problem.available:
                message += f" (the package has {', '.join(problem.available)})"
            hint = f"create {path}, or import from the module that defines the class"
        else:
            what = (
                f"defines {', '.join(problem.available)} but not {problem.name}"
                if problem.available
                else f"does not define {problem.name}"
            )
            message = (
                f"{path} {what}: `from {problem.module} import {problem.name}` raises ImportError "
                f"when {command} starts"
            )
            hint = (
                f"define {problem.name} in {path} or import a name it defines"
                f"{_did_you_mean(problem.name, problem.available)}"
            )
        key = f"import:{problem.module}:{problem.name or ''}"
        return self.finding(message, problem.location, hint, key=key)

    def _attribute_finding(self, project: Project, problem: AttributeProblem) -> Finding:
        if problem.kind in ("module", "import"):
            return self._module_attribute_finding(project, problem)
        defines = f" (it defines {_quoted(problem.available)})" if problem.available else ""
        message = (
            f"`{problem.owner_class}` has no attribute '{problem.attribute}'{defines}: reading it raises "
            f"AttributeError when {_words(project).command} constructs the stack"
        )
        hint = (
            f"add '{problem.attribute}' to {problem.owner_class} and pass it from the entry point, or "
            f"read an attribute it has{_did_you_mean(problem.attribute, problem.available)}"
        )
        related: tuple[Related, ...] = ()
        if problem.definition is not None:
            related = (Related(problem.definition, f"`{problem.owner_class}` is defined here"),)
        return self.finding(
            message,
            problem.location,
            hint,
            key=f"attribute:{problem.owner_class}:{problem.attribute}",
            related=related,
        )

    def _module_attribute_finding(self, project: Project, problem: AttributeProblem) -> Finding:
        where = " and ".join(problem.available)
        command = _words(project).command
        if problem.kind == "import":
            message = (
                f"module `{problem.owner_class}` has no '{problem.attribute}' ({where} has it): "
                f"`from {problem.owner_class} import {problem.attribute}` raises ImportError when {command} starts"
            )
        else:
            message = (
                f"module `{problem.owner_class}` has no attribute '{problem.attribute}' ({where} has it): "
                f"reading it raises AttributeError when {command} constructs the stack"
            )
        hint = f"import {problem.attribute} from {problem.available[0]}" if problem.available else ""
        return self.finding(
            message, problem.location, hint, key=f"module-attribute:{problem.owner_class}:{problem.attribute}"
        )


def _call_faults(call: CallCheck) -> Iterator[str]:
    if call.missing:
        count = len(call.missing)
        yield f"is missing {count} required {_plural(count, 'argument')}: {_quoted(call.missing)}"
    if call.unexpected:
        count = len(call.unexpected)
        if call.via:
            base = call.via.removeprefix("**kwargs to ")
            yield (
                f"passes {_quoted(call.unexpected)} through **kwargs to {base}, "
                f"which has no such {_plural(count, 'parameter')}"
            )
        else:
            yield f"gets unexpected keyword {_plural(count, 'argument')} {_quoted(call.unexpected)}"
    if call.too_many_positional:
        count = call.too_many_positional
        yield f"gets {count} positional {_plural(count, 'argument')} too many"
    if call.duplicates:
        yield f"gets {_quoted(call.duplicates)} more than once"


def _call_hint(call: CallCheck, words: _PlatformWords) -> str:
    hints: list[str] = []
    if call.missing:
        hints.append(f"supply {_quoted(call.missing)}: " + words.supply.format(name=call.missing[0]))
    if call.unexpected and call.via:
        one = len(call.unexpected) == 1
        hints.append(
            f"declare {_quoted(call.unexpected)} as {'an explicit parameter' if one else 'explicit parameters'} "
            f"of `{call.callee}.__init__` (e.g. `{call.unexpected[0]}: ... = None`) so "
            f"{'it is' if one else 'they are'} not forwarded to the base class"
        )
    elif call.unexpected:
        hints.append(f"remove {_quoted(call.unexpected)} or add them to the signature of `{call.callee}`")
    if call.too_many_positional:
        hints.append("pass the extra values by keyword, matching the signature")
    if call.duplicates:
        hints.append(f"give {_quoted(call.duplicates)} once, either by position or by keyword")
    return "; ".join(hints)


# --------------------------------------------------------------------------------------------------
# Examples. Pulumi components share one shape; each example varies the signature or the call.

_PULUMI_ARGS_SEVEN = """\
import pulumi
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: str, vpc_id: str, private_subnet_ids: list, dms_subnet_ids: list,
                 source_db_host: str, source_db_username: str, source_db_password: str, aurora_password: str,
                 source_db_port: int = 5432, tags: dict | None = None):
        self.environment_suffix = environment_suffix
        self.vpc_id = vpc_id
        self.private_subnet_ids = private_subnet_ids
        self.dms_subnet_ids = dms_subnet_ids
        self.source_db_host = source_db_host
        self.source_db_username = source_db_username
        self.source_db_password = source_db_password
        self.aurora_password = aurora_password
        self.source_db_port = source_db_port
        self.tags = tags or {}


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.group = aws.rds.SubnetGroup(
            f"aurora-subnets-{args.environment_suffix}",
            name=f"aurora-subnets-{args.environment_suffix}",
            subnet_ids=args.private_subnet_ids,
            opts=ResourceOptions(parent=self),
        )
"""

_PULUMI_SIMPLE = """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: str, vpc_id: str, tags: dict | None = None):
        self.environment_suffix = environment_suffix
        self.vpc_id = vpc_id
        self.tags = tags or {}


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.sg = aws.ec2.SecurityGroup(f"sg-{args.environment_suffix}", vpc_id=args.vpc_id,
                                        opts=ResourceOptions(parent=self))
"""

_PULUMI_TAP_HEAD = """\
import os
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = os.getenv("ENVIRONMENT_SUFFIX") or config.get("environmentSuffix") or "dev"
"""

_CDK_STACK_PROPS_PARAM = """\
import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        suffix = (props.environment_suffix if props else None) or "dev"
        s3.Bucket(self, "Data", bucket_name=f"tap-data-{suffix}")
"""

_CDK_APP_HEAD = """\
import aws_cdk as cdk
from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()
environment_suffix = app.node.try_get_context("environmentSuffix") or "dev"
"""

EntrypointArgsMismatch.INVALID = [
    Example.pulumi(
        _PULUMI_ARGS_SEVEN,
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", args=TapStackArgs(environment_suffix=environment_suffix))  # expect: IAC001
""",
        title="seed 000/002: the entry point passes only the suffix, seven required arguments are missing",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        _PULUMI_TAP_HEAD
        + """\
args = TapStackArgs(env_suffix=environment_suffix, vpc_id=config.require("vpc_id"))  # expect: IAC001
stack = TapStack("pulumi-infra", args)
""",
        title="a misspelt keyword is both unexpected and leaves the real parameter missing",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        _PULUMI_TAP_HEAD
        + """\
args = TapStackArgs(environment_suffix, config.require("vpc_id"), {}, "extra")  # expect: IAC001
stack = TapStack("pulumi-infra", args)
""",
        title="too many positional arguments",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        _PULUMI_TAP_HEAD
        + """\
args = TapStackArgs(environment_suffix, environment_suffix="pr1", vpc_id="vpc-1")  # expect: IAC001
stack = TapStack("pulumi-infra", args)
""",
        title="the same argument by position and by keyword",
    ),
    Example.pulumi(
        """\
from dataclasses import dataclass, field

import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


@dataclass
class TapStackArgs:
    environment_suffix: str
    vpc_id: str
    db_password: str
    tags: dict = field(default_factory=dict)


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.ec2.SecurityGroup(f"sg-{args.environment_suffix}", vpc_id=args.vpc_id,
                              opts=ResourceOptions(parent=self))
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))  # expect: IAC001
""",
        title="a dataclass's fields without defaults are required",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, *, environment_suffix: str, alert_email: str):
        self.environment_suffix = environment_suffix
        self.alert_email = alert_email


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.sns.Topic(f"alerts-{args.environment_suffix}", opts=ResourceOptions(parent=self))
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))  # expect: IAC001
""",
        title="a keyword-only argument without default is required",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class BaseArgs:
    def __init__(self, environment_suffix: str, region: str):
        self.environment_suffix = environment_suffix
        self.region = region


class TapStackArgs(BaseArgs):
    def __init__(self, vpc_cidr: str = "10.0.0.0/16", **kwargs):
        super().__init__(**kwargs)
        self.vpc_cidr = vpc_cidr


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.ec2.Vpc(f"vpc-{args.environment_suffix}", cidr_block=args.vpc_cidr,
                    opts=ResourceOptions(parent=self))
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))  # expect: IAC001
""",
        title="**kwargs passed to a project base class that requires 'region'",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackProps:
    def __init__(self, environment_suffix: str):
        self.environment_suffix = environment_suffix


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackProps, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
""",
        """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs  # expect: IAC001

stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix="dev"))
""",
        title="the entry point imports a name the module does not define",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs
from lib.network_stack import NetworkStack  # expect: IAC001

stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix="dev", vpc_id="vpc-1"))
""",
        title="the entry point imports a project module that does not exist",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: str):
        self.environment_suffix = environment_suffix


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.ec2.SecurityGroup(
            f"sg-{args.environment_suffix}",
            vpc_id=args.vpc_id,  # expect: IAC001
            opts=ResourceOptions(parent=self),
        )
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))
""",
        title="the component reads an attribute the args class never sets",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        s3.Bucket(self, "Data")
""",
        _CDK_APP_HEAD
        + """\
props = TapStackProps(environment_suffix=environment_suffix)
TapStack(app, f"TapStack{environment_suffix}", props=props)  # expect: IAC001
app.synth()
""",
        title="props= flows through **kwargs into aws_cdk.Stack, which has no 'props' parameter",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: str, alert_email: str, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix
        self.alert_email = alert_email


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        s3.Bucket(self, "Data")
""",
        _CDK_APP_HEAD
        + """\
props = TapStackProps(environment_suffix=environment_suffix)  # expect: IAC001
TapStack(app, f"TapStack{environment_suffix}", props=props)
app.synth()
""",
        title="CDK props class with a required argument the app does not give",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct


class StorageStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str, retention_days: int):
        super().__init__(scope, construct_id)
        s3.Bucket(self, "Data", bucket_name=f"tap-data-{environment_suffix}")


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        suffix = (props.environment_suffix if props else None) or "dev"
        StorageStack(self, "Storage", environment_suffix=suffix)  # expect: IAC001
""",
        title="a stack builds its nested stack without a required argument",
    ),
    Example.cdk(
        _CDK_STACK_PROPS_PARAM,
        _CDK_APP_HEAD
        + """\
props = TapStackProps(environment_suffix=environment_suffix)
TapStack(app, f"TapStack{environment_suffix}", props, "us-east-1")  # expect: IAC001
app.synth()
""",
        title="CDK: one positional argument more than the stack's signature takes",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch, aws_sns as sns


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope, construct_id, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        alerts = sns.Topic(self, "Alerts")
        alarm = cloudwatch.Alarm(
            self, "Errors", metric=cloudwatch.Metric(namespace="Tap", metric_name="Errors"),
            threshold=1, evaluation_periods=1,
        )
        alarm.add_alarm_action(cloudwatch.SnsAction(alerts))  # expect: IAC001
""",
        title="CDK: a class read from the wrong library module (SnsAction is in aws_cloudwatch_actions)",
    ),
]

EntrypointArgsMismatch.VALID = [
    Example.pulumi(
        _PULUMI_ARGS_SEVEN,
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack(
    "pulumi-infra",
    TapStackArgs(
        environment_suffix=environment_suffix,
        vpc_id=config.require("vpc_id"),
        private_subnet_ids=config.require_object("private_subnet_ids"),
        dms_subnet_ids=config.require_object("dms_subnet_ids"),
        source_db_host=config.require("source_db_host"),
        source_db_username=config.require("source_db_username"),
        source_db_password=config.require_secret("source_db_password"),
        aurora_password=config.require_secret("aurora_password"),
    ),
)
""",
        title="the fixed twin of seed 000: every required argument read from config",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix, config.require("vpc_id")))
""",
        title="positional arguments, optional ones left to their defaults",
    ),
    Example.pulumi(
        """\
from dataclasses import dataclass, field

import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


@dataclass
class TapStackArgs:
    environment_suffix: str = "dev"
    tags: dict = field(default_factory=dict)


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.s3.Bucket(f"data-{args.environment_suffix}", opts=ResourceOptions(parent=self))
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))
""",
        title="a dataclass whose fields all have defaults",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, *, environment_suffix: str, alert_email: str | None = None):
        self.environment_suffix = environment_suffix
        self.alert_email = alert_email


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.sns.Topic(f"alerts-{args.environment_suffix}", opts=ResourceOptions(parent=self))
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))
""",
        title="keyword-only arguments given by keyword, optional ones omitted",
    ),
    Example.pulumi(
        _PULUMI_ARGS_SEVEN,
        _PULUMI_TAP_HEAD
        + """\
settings = config.require_object("settings")
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix, **settings))
""",
        title="**kwargs of a dictionary from config: Python may well bind it, so stay silent",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        _PULUMI_TAP_HEAD
        + """\
values = config.require_object("args")
stack = TapStack("pulumi-infra", TapStackArgs(*values))
""",
        title="*args of unknown length",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class BaseArgs:
    def __init__(self, environment_suffix: str, region: str = "us-east-1"):
        self.environment_suffix = environment_suffix
        self.region = region


class TapStackArgs(BaseArgs):
    def __init__(self, vpc_cidr: str = "10.0.0.0/16", **kwargs):
        super().__init__(**kwargs)
        self.vpc_cidr = vpc_cidr


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.ec2.Vpc(f"vpc-{args.environment_suffix}", cidr_block=args.vpc_cidr,
                    opts=ResourceOptions(parent=self))
""",
        _PULUMI_TAP_HEAD
        + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix, region="us-west-2"))
""",
        title="inheritance: keywords forwarded through **kwargs reach the base class that accepts them",
    ),
    Example(
        {
            "Pulumi.yaml": "name: tap\nruntime: python\nmain: __main__.py\n",
            "lib/__init__.py": "",
            "lib/tap_stack.py": _PULUMI_ARGS_SEVEN,
            "__main__.py": _PULUMI_TAP_HEAD
            + """\
stack = TapStack(
    "pulumi-infra",
    TapStackArgs(
        environment_suffix=environment_suffix,
        vpc_id=config.require("vpc_id"),
        private_subnet_ids=config.require_object("private_subnet_ids"),
        dms_subnet_ids=config.require_object("dms_subnet_ids"),
        source_db_host=config.require("source_db_host"),
        source_db_username=config.require("source_db_username"),
        source_db_password=config.require_secret("source_db_password"),
        aurora_password=config.require_secret("aurora_password"),
    ),
)
""",
            "tap.py": _PULUMI_TAP_HEAD
            + """\
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix))
""",
        },
        title="a stale tap.py that Pulumi.yaml does not run is not the entry point",
    ),
    Example.pulumi(
        _PULUMI_SIMPLE,
        _PULUMI_TAP_HEAD
        + """\
import pulumi_aws as aws

bucket = aws.s3.Bucket(f"logs-{environment_suffix}", force_destroy=True)
stack = TapStack("pulumi-infra", TapStackArgs(environment_suffix=environment_suffix, vpc_id="vpc-1"),
                 opts=pulumi.ResourceOptions(depends_on=[bucket]))
""",
        title="library classes are never checked; opts= is part of the component's signature",
    ),
    Example.cdk(
        _CDK_STACK_PROPS_PARAM,
        _CDK_APP_HEAD
        + """\
TapStack(
    app,
    f"TapStack{environment_suffix}",
    props=TapStackProps(environment_suffix=environment_suffix),
    env=cdk.Environment(account="123456789012", region="us-east-1"),
)
app.synth()
""",
        title="CDK: props is a declared parameter, env= flows to aws_cdk.Stack which accepts it",
    ),
    Example.cdk(
        _CDK_STACK_PROPS_PARAM,
        _CDK_APP_HEAD
        + """\
props = TapStackProps(environment_suffix=environment_suffix, description="TAP stack")
TapStack(app, f"TapStack{environment_suffix}", props=props, stack_name=f"TapStack{environment_suffix}")
app.synth()
""",
        title="CDK: keywords the props class forwards to aws_cdk.StackProps, which defines them",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_sns as sns


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope, construct_id, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        alerts = sns.Topic(self, "Alerts")
        alarm = cloudwatch.Alarm(
            self, "Errors", metric=cloudwatch.Metric(namespace="Tap", metric_name="Errors"),
            threshold=1, evaluation_periods=1,
        )
        alarm.add_alarm_action(actions.SnsAction(alerts))
        # a name newer than the tables is not judged, nor a read guarded by hasattr
        if hasattr(cloudwatch, "SnsAction"):
            alarm.add_ok_action(cloudwatch.SnsAction(alerts))
        cloudwatch.SomeFutureWidget
""",
        title="CDK: library classes read from the modules that define them",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct


class StorageStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        s3.Bucket(self, "Data", bucket_name=f"tap-data-{environment_suffix}")


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev", **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        StorageStack(self, "Storage", environment_suffix=environment_suffix)
""",
        """\
import aws_cdk as cdk
from lib.tap_stack import TapStack

app = cdk.App()
suffix = app.node.try_get_context("environmentSuffix") or "dev"
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix)
app.synth()
""",
        title="CDK: nested stacks built with every keyword-only argument",
    ),
    Example.cfn_yaml(
        """\
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:
  Bucket:
    Type: AWS::S3::Bucket
""",
        title="CloudFormation has no entry point to bind: silent",
    ),
]
