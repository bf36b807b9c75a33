"""IAC021 lookup-in-environment-agnostic-stack: a CDK context lookup (``ec2.Vpc.from_lookup``, ...)
made in a stack that is created without ``env``, so ``cdk synth`` cannot run it.

Reads two facts of the CDK plugin: ``facts["lookups"]`` (docs/python-layer.md "Lookups"; each
entry's ``stacks`` lists the construct path of the stack each run of the call was made in, from the
lookup's ``scope`` argument) and ``facts["stacks"]`` (per construct path: ``nested``, ``parent``,
``env`` = given | absent | unknown, ``created_at``, ``env_at``; plugins/cdk/environments.py says
when a stack is certainly created without an environment). A nested stack takes its parent's
environment, so the top-level stack above it is the one judged. The Pulumi and CloudFormation
plugins record no CDK lookups: the rule is silent on them by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.findings import Finding, Related, Severity
from analyzer.model import Location, Project
from analyzer.rules.base import Example, Rule, RuleContext

# The aws-cdk-lib calls that run a context provider at once (ContextProvider.getValue(scope, ...)),
# and the provider each names in the error. core/lib/context-provider.ts getValue throws before it
# reads any cached context when Stack.of(scope).account or .region is a token:
#   "Cannot retrieve value from context provider <provider> since account/region are not specified
#    at the stack level. Configure "env" with an account and region when you define your stack."
# Provider names: cloud-assembly-schema lib/cloud-assembly/context-queries.ts (ContextProvider enum).
# Sources per call (aws-cdk-lib): aws-ec2/lib/vpc.ts Vpc.fromLookup; aws-ec2/lib/security-group.ts
# fromLookup/fromLookupById/fromLookupByName (fromLookupAttributes); aws-ec2/lib/prefix-list.ts and
# aws-iam/lib/role.ts fromLookup (Cloud Control API provider); aws-route53/lib/hosted-zone.ts
# HostedZone.fromLookup (inherited by PublicHostedZone/PrivateHostedZone); aws-ssm/lib/parameter.ts
# StringParameter.valueFromLookup; aws-kms/lib/key.ts Key.fromLookup;
# aws-elasticloadbalancingv2/lib/{alb,nlb}/*.ts fromLookup (load balancers and listeners).
# Not here: ec2.MachineImage.lookup takes no scope and looks up only when an instance uses the image
# (LookupMachineImage.getImage(scope)), in the stack of that instance.
_PROVIDERS: dict[str, str] = {
    "aws_cdk.aws_ec2.Vpc.from_lookup": "vpc-provider",
    "aws_cdk.aws_ec2.SecurityGroup.from_lookup": "security-group",
    "aws_cdk.aws_ec2.SecurityGroup.from_lookup_by_id": "security-group",
    "aws_cdk.aws_ec2.SecurityGroup.from_lookup_by_name": "security-group",
    "aws_cdk.aws_ec2.PrefixList.from_lookup": "cc-api-provider",
    "aws_cdk.aws_iam.Role.from_lookup": "cc-api-provider",
    "aws_cdk.aws_route53.HostedZone.from_lookup": "hosted-zone",
    "aws_cdk.aws_route53.PublicHostedZone.from_lookup": "hosted-zone",
    "aws_cdk.aws_route53.PrivateHostedZone.from_lookup": "hosted-zone",
    "aws_cdk.aws_ssm.StringParameter.value_from_lookup": "ssm",
    "aws_cdk.aws_kms.Key.from_lookup": "key-provider",
    "aws_cdk.aws_elasticloadbalancingv2.ApplicationLoadBalancer.from_lookup": "load-balancer",
    "aws_cdk.aws_elasticloadbalancingv2.NetworkLoadBalancer.from_lookup": "load-balancer",
    "aws_cdk.aws_elasticloadbalancingv2.ApplicationListener.from_lookup": "load-balancer-listener",
    "aws_cdk.aws_elasticloadbalancingv2.NetworkListener.from_lookup": "load-balancer-listener",
}
# How the modules are usually imported (`from aws_cdk import aws_ec2 as ec2`), for messages.
_MODULE_ALIASES = {"aws_elasticloadbalancingv2": "elbv2"}
# An `if` around the lookup that reads the stack's environment may be the guard that keeps the lookup
# out of an environment-agnostic synth (`if not Token.is_unresolved(self.account):`): not judged.
_ENVIRONMENT_WORDS = ("account", "region", "env", "unresolved")
_ENV_EXAMPLE = (
    'env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION"))'
)


@dataclass(frozen=True, slots=True)
class AgnosticLookup:
    """A lookup that runs in a stack certainly created without an environment."""

    call: str  # the aws-cdk-lib qualified name
    provider: str
    location: Location  # the lookup call
    stack: str  # the construct path of the stack the lookup is made in
    top: str  # the top-level stack whose environment counts (== stack unless nested)
    created_at: Location  # where the top-level stack is created
    env_at: tuple[Location, ...]  # the Stack.__init__ call(s) that receive no env
    condition: str | None  # the undecided `if` around the lookup, when a default deployment skips it
    missing: tuple[str, ...] = ()  # an env reaches Stack but leaves these out ("account", "region")


def agnostic_lookups(project: Project) -> Iterator[AgnosticLookup]:
    """Every (lookup, stack) where the lookup certainly runs in a stack without an environment."""
    stacks = project.facts.get("stacks")
    if not isinstance(stacks, Mapping):
        return
    for fact in project.facts.get("lookups", ()):
        if not isinstance(fact, Mapping):
            continue
        call, location = fact.get("call"), fact.get("location")
        if not isinstance(call, str) or call not in _PROVIDERS or not isinstance(location, Location):
            continue
        if fact.get("in_try"):
            continue  # a handler around the call may recover: the lookup raises in the program
        provider = _PROVIDERS[call]
        condition = None
        if fact.get("runs_unconfigured") is not True:
            written = fact.get("condition")
            condition = written if isinstance(written, str) and written else "an undecided test"
            if any(word in condition.lower() for word in _ENVIRONMENT_WORDS):
                continue
        paths = fact.get("stacks")
        paths = [path for path in paths if isinstance(path, str)] if isinstance(paths, list) else []
        for stack in dict.fromkeys(paths):
            found = _agnostic_stack(stacks, stack)
            if found is None or _creation_unsure(project, found[1]):
                continue
            top, created_at, env_at, missing = found
            yield AgnosticLookup(call, provider, location, stack, top, created_at, env_at, condition, missing)


def _agnostic_stack(
    stacks: Mapping[str, Any], path: str
) -> tuple[str, Location, tuple[Location, ...], tuple[str, ...]] | None:
    """The top-level stack above ``path`` (itself unless nested), when it has no environment."""
    seen: set[str] = set()
    info = stacks.get(path)
    while isinstance(info, Mapping) and info.get("nested"):
        seen.add(path)
        parent = info.get("parent")
        if not isinstance(parent, str) or parent in seen:
            return None
        path, info = parent, stacks.get(parent)
    if not isinstance(info, Mapping) or info.get("env") != "absent":
        return None
    created_at = info.get("created_at")
    if not isinstance(created_at, Location):
        return None
    env_at = tuple(item for item in _listed(info.get("env_at")) if isinstance(item, Location))
    missing = tuple(item for item in _listed(info.get("env_missing")) if isinstance(item, str))
    return path, created_at, env_at, missing


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _creation_unsure(project: Project, created_at: Location) -> bool:
    """The call that creates the stack does not bind (IAC001's finding: that TypeError comes first),
    or may not (``*args`` of unknown length, a ``try`` that handles TypeError)."""
    return any(
        call.location.path == created_at.path
        and call.location.line == created_at.line
        and (
            not call.certain or call.missing or call.unexpected or call.too_many_positional or call.duplicates
        )
        for call in project.calls
    )


def _shown(call: str) -> str:
    """``aws_cdk.aws_ec2.Vpc.from_lookup`` as written in programs: ``ec2.Vpc.from_lookup``."""
    parts = call.split(".")
    if len(parts) >= 3 and parts[0] == "aws_cdk":
        module = parts[1]
        parts = [_MODULE_ALIASES.get(module, module.removeprefix("aws_")), *parts[2:]]
    return ".".join(parts)


class LookupInEnvironmentAgnosticStack(Rule):
    """
    ## What it does
    Finds AWS CDK context lookups (`ec2.Vpc.from_lookup`, `ec2.SecurityGroup.from_lookup_by_id` /
    `_by_name`, `route53.HostedZone.from_lookup`, `ssm.StringParameter.value_from_lookup`,
    `kms.Key.from_lookup`, `iam.Role.from_lookup`, `ec2.PrefixList.from_lookup`, the ELBv2
    load balancer and listener `from_lookup`) made in a stack that is created without an environment:
    no `env` reaches `aws_cdk.Stack.__init__` for the stack the lookup's scope belongs to (for a
    nested stack, its parent stack; a stack created inside another, non-nested, stack does not take
    that stack's `env`: CDK falls back to the enclosing `Stage`, here the App, which has none).

    The stack is judged as the app builds it: the stack's creation in the entry point (`tap.py`), its
    class's `__init__` and every `super().__init__(..., **kwargs)` along the MRO up to
    `aws_cdk.Stack`. Any `env` that reaches `Stack.__init__` counts as an environment, whatever its
    value (`cdk.Environment(...)`, a dict, a variable; `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION` are
    set by the CDK CLI at synth), except a `cdk.Environment(...)` written with keywords only that
    leaves `account` or `region` out (or `None`): that half stays unknown at synth, as without
    `env`. The rule stays silent when it cannot be sure: `**kwargs` or `*args` of unknown content
    on the way, a stack created under an undecided `if`, in a loop or inside a `Stage`, a stack
    class it cannot follow (a class decorator, a metaclass, its own `account`/`region`), a call
    that does not bind (IAC001 reports it), a lookup inside a `try` that handles `Exception`, or a
    lookup behind an `if` on the account, region or environment. A lookup behind another undecided `if` that a default deployment does not take
    (`if vpc_id:` with `vpc_id` from context nobody sets) is a warning; the others are errors.
    CDK only: Pulumi and CloudFormation projects make no CDK lookups, so the rule is silent there.

    ## Why is this bad
    A context lookup needs the account and region to query. In an environment-agnostic stack they
    are CloudFormation pseudo parameters, unknown while the app synthesizes, and aws-cdk-lib throws
    before it reads any cached value: `cdk synth` and `cdk deploy` stop with
    `Cannot retrieve value from context provider vpc-provider since account/region are not specified
    at the stack level. Configure "env" with an account and region when you define your stack.`
    A frequent cause: the entry point puts `env` into a props object (`TapStackProps(env=...)`) that
    the stack class keeps for itself, while `super().__init__(scope, construct_id, **kwargs)` passes
    no `env` to `Stack`.

    ## Example
    ```python
    # tap.py
    TapStack(app, f"TapStack{suffix}", props=TapStackProps(environment_suffix=suffix))

    # lib/tap_stack.py
    class TapStack(cdk.Stack):
        def __init__(self, scope, construct_id, props=None, **kwargs):
            super().__init__(scope, construct_id, **kwargs)        # no env reaches Stack
            vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")   # cdk synth fails here
    ```

    ## Use instead
    Give the stack an environment where it is created, and make sure it reaches `Stack.__init__`:
    ```python
    TapStack(
        app,
        f"TapStack{suffix}",
        props=TapStackProps(environment_suffix=suffix),
        env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")),
    )
    ```
    Or avoid the lookup: create the resource in the stack (`ec2.Vpc(self, "Vpc", max_azs=2)`), or
    import it by attributes taken from context or props (`ec2.Vpc.from_vpc_attributes`,
    `ssm.StringParameter.value_for_string_parameter`, which resolves at deploy time).
    `iacscan --fix --unsafe-fixes` adds the `env=` above where the stack is created when that
    keyword certainly reaches `Stack.__init__`.
    """

    id = "IAC021"
    name = "lookup-in-environment-agnostic-stack"
    severity = Severity.ERROR
    summary = "a CDK context lookup runs in a stack created without env, so cdk synth fails"
    tags = ("cdk", "deploy-blocker", "multi-environment")

    VALID = [
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")
                    ec2.SecurityGroup(self, "WebSg", vpc=vpc)
            """,
            """
            import os

            import aws_cdk as cdk
            from lib.tap_stack import TapStack, TapStackProps

            app = cdk.App()
            suffix = app.node.try_get_context("environmentSuffix") or "dev"
            TapStack(
                app,
                f"TapStack{suffix}",
                props=TapStackProps(environment_suffix=suffix),
                env=cdk.Environment(
                    account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")
                ),
            )
            app.synth()
            """,
            title="env reaches Stack through **kwargs",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from constructs import Construct


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    vpc = ec2.Vpc(self, "Vpc", max_azs=2)
                    ec2.SecurityGroup(self, "WebSg", vpc=vpc)
            """,
            """
            import aws_cdk as cdk
            from lib.tap_stack import TapStack

            app = cdk.App()
            TapStack(app, "TapStackdev")
            app.synth()
            """,
            title="an environment-agnostic stack that creates its VPC",
        ),
    ]
    INVALID = [
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")  # expect: IAC021
                    ec2.SecurityGroup(self, "WebSg", vpc=vpc)
            """,
            """
            import os

            import aws_cdk as cdk
            from lib.tap_stack import TapStack, TapStackProps

            app = cdk.App()
            suffix = app.node.try_get_context("environmentSuffix") or "dev"
            props = TapStackProps(
                environment_suffix=suffix,
                env=cdk.Environment(
                    account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")
                ),
            )
            TapStack(app, f"TapStack{suffix}", props=props)
            app.synth()
            """,
            title="env kept in props never reaches Stack (the TAP template)",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_route53 as route53
            from aws_cdk import aws_ssm as ssm
            from constructs import Construct


            class DnsStack(cdk.NestedStack):
                def __init__(self, scope: Construct, construct_id: str):
                    super().__init__(scope, construct_id)
                    route53.HostedZone.from_lookup(self, "Zone", domain_name="example.com")  # expect: IAC021


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev"):
                    super().__init__(scope, construct_id)
                    ssm.StringParameter.value_from_lookup(self, "/shared/vpc-id")  # expect: IAC021
                    DnsStack(self, "Dns")
            """,
            """
            import aws_cdk as cdk
            from lib.tap_stack import TapStack

            app = cdk.App()
            TapStack(app, "TapStackdev", environment_suffix="dev")
            app.synth()
            """,
            title="a stack without env and the nested stack inside it",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for item in agnostic_lookups(ctx.project):
            yield self._finding(item)

    def _finding(self, item: AgnosticLookup) -> Finding:
        call = _shown(item.call)
        where = f"{item.created_at.path}:{item.created_at.line}"
        if item.stack == item.top:
            subject = f"stack '{item.top}', created at {where}"
        else:
            subject = f"nested stack '{item.stack}', whose parent stack '{item.top}' is created at {where}"
        init = ", ".join(f"{at.path}:{at.line}" for at in item.env_at)
        if item.missing:
            # cdk.Environment(region=...) alone: core/lib/stack.ts falls back to the token for the rest
            gap = " and ".join(item.missing)
            reaches = f" (the env that reaches aws_cdk.Stack.__init__ at {init} gives no {gap})"
        else:
            reaches = f" (no env reaches aws_cdk.Stack.__init__ at {init})" if init else ""
        when = f"When `{item.condition}` holds, " if item.condition else ""
        message = (
            f"{when}{call} runs in {subject} without an environment{reaches}: `cdk synth` fails with "
            f"'Cannot retrieve value from context provider {item.provider} since account/region are not "
            f"specified at the stack level'"
        )
        fix = (
            f"pass {_ENV_EXAMPLE} where '{item.top}' is created ({where}) and make sure the stack class "
            f"hands it to super().__init__ (an env kept in a props object does not reach Stack); or avoid "
            f"the lookup: create the resource in the stack, or import it by an id from context or props"
        )
        without = "a complete env" if item.missing else "env"
        related = [Related(item.created_at, f"stack '{item.top}' is created here without {without}")]
        received = f"an env without {' and '.join(item.missing)}" if item.missing else "no env"
        related += [Related(at, f"aws_cdk.Stack.__init__ receives {received} here") for at in item.env_at]
        severity = self.severity
        if item.condition is not None and self.severity is Severity.ERROR:
            severity = Severity.WARNING  # only the deployments that take this branch fail
        return self.finding(
            message,
            item.location,
            fix,
            key=f"{item.call}@{item.location.path}:{item.stack}",
            related=related,
            severity=severity,
        )
