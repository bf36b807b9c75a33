"""IAC021 on small CDK worktrees: a context lookup in a stack that is certainly created without env
is reported; every shape where an env may reach aws_cdk.Stack.__init__ (or where the analysis cannot
follow the stack's creation) stays silent. Each example marks the lines it expects with
``# expect: IAC021``; an example without markers must produce no finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.findings import Finding, Severity
from analyzer.model import Location, Project
from analyzer.rules.base import Example
from analyzer.rules.iac021_lookup_in_environment_agnostic_stack import (
    LookupInEnvironmentAgnosticStack,
    agnostic_lookups,
)

HEADER = """\
import os

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ssm as ssm
from constructs import Construct
"""
# The stack of the TAP template: props are kept, **kwargs go to Stack.
TAP_STACK = (
    HEADER
    + """

class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")  # expect: IAC021
        ec2.SecurityGroup(self, "WebSg", vpc=vpc)
"""
)
ENV = 'cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION"))'
APP_HEAD = """\
import os

import aws_cdk as cdk
from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()
suffix = app.node.try_get_context("environmentSuffix") or "dev"
"""


def run(root: Path, example: Example) -> tuple[list[Finding], list[tuple[str, int, str]]]:
    expected = example.materialize(root)
    result = scan([root], Config(), rules=[LookupInEnvironmentAgnosticStack])
    return [f for f in result.findings if f.rule_id == "IAC021"], expected


def assert_expected(root: Path, example: Example) -> list[Finding]:
    found, expected = run(root, example)
    assert sorted((f.location.path, f.location.line, f.rule_id) for f in found) == expected, [
        f.message for f in found
    ]
    return found


def silent(stack: str) -> str:
    return stack.replace("  # expect: IAC021", "")


# -- reported ------------------------------------------------------------------------------------


def test_env_kept_in_props_never_reaches_stack(tmp_path: Path) -> None:
    app = APP_HEAD + f"props = TapStackProps(environment_suffix=suffix, env={ENV})\n"
    app += 'TapStack(app, f"TapStack{suffix}", props=props)\napp.synth()\n'
    found = assert_expected(tmp_path, Example.cdk(TAP_STACK, app))
    finding = found[0]
    assert finding.severity is Severity.ERROR
    assert "ec2.Vpc.from_lookup runs in stack 'TapStack{suffix}', created at tap.py:9" in finding.message
    assert "no env reaches aws_cdk.Stack.__init__ at lib/tap_stack.py:17" in finding.message
    assert "context provider vpc-provider since account/region are not specified" in finding.message
    assert 'env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT")' in finding.fix_hint
    assert [(r.location.path, r.location.line) for r in finding.related] == [
        ("tap.py", 9),
        ("lib/tap_stack.py", 17),
    ]


def test_no_env_at_all(tmp_path: Path) -> None:
    app = APP_HEAD + 'TapStack(app, f"TapStack{suffix}")\n'
    assert_expected(tmp_path, Example.cdk(TAP_STACK, app))


@pytest.mark.parametrize("value", ["None", "env"])
def test_env_none_reaches_stack(tmp_path: Path, value: str) -> None:
    # `env=None` written out, or a parameter whose default None is forwarded: still no environment.
    stack = (
        HEADER
        + f"""

class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, env=None):
        super().__init__(scope, construct_id, env={value})
        ssm.StringParameter.value_from_lookup(self, "/shared/vpc-id")  # expect: IAC021
"""
    )
    app = APP_HEAD + 'TapStack(app, "TapStackdev")\n'
    found = assert_expected(tmp_path, Example.cdk(stack, app))
    assert "context provider ssm since" in found[0].message
    assert "ssm.StringParameter.value_from_lookup" in found[0].message


def test_library_stack_used_directly(tmp_path: Path) -> None:
    app = f"""\
import os

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2

app = cdk.App()
plain = cdk.Stack(app, "Plain")
ec2.Vpc.from_lookup(plain, "Vpc", vpc_id="vpc-0123456789abcdef0")  # expect: IAC021
placed = cdk.Stack(app, "Placed", env={ENV})
ec2.Vpc.from_lookup(placed, "Vpc", vpc_id="vpc-0123456789abcdef0")
app.synth()
"""
    assert_expected(tmp_path, Example({"cdk.json": '{"app": "python3 tap.py"}', "tap.py": app}))


def test_stack_class_without_init(tmp_path: Path) -> None:
    app = """\
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2


class Network(cdk.Stack):
    pass


app = cdk.App()
network = Network(app, "Network")
ec2.SecurityGroup.from_lookup_by_id(network, "Sg", "sg-0123456789abcdef0")  # expect: IAC021
app.synth()
"""
    found = assert_expected(tmp_path, Example({"cdk.json": '{"app": "python3 tap.py"}', "tap.py": app}))
    assert "context provider security-group" in found[0].message


def test_lookup_in_a_construct_and_in_a_nested_stack(tmp_path: Path) -> None:
    stack = (
        HEADER
        + """
from aws_cdk import aws_route53 as route53


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str):
        super().__init__(scope, construct_id)
        self.vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")  # expect: IAC021


class Dns(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        route53.HostedZone.from_lookup(self, "Zone", domain_name="example.com")  # expect: IAC021


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        Network(self, "Network")
        Dns(self, "Dns")
"""
    )
    app = APP_HEAD + 'TapStack(app, "TapStackdev")\n'
    found = assert_expected(tmp_path, Example.cdk(stack, app))
    nested = next(f for f in found if "HostedZone" in f.message)
    assert "nested stack 'TapStackdev/Dns', whose parent stack 'TapStackdev' is created at tap.py:8" in (
        nested.message
    )
    assert "context provider hosted-zone" in nested.message


def test_stack_made_by_a_helper_the_analysis_follows(tmp_path: Path) -> None:
    app = (
        APP_HEAD + 'def make(scope, name):\n    return TapStack(scope, name)\n\n\nmake(app, "TapStackdev")\n'
    )
    assert_expected(tmp_path, Example.cdk(TAP_STACK, app))


def test_only_the_stack_without_env(tmp_path: Path) -> None:
    app = APP_HEAD + f'TapStack(app, "Agnostic")\nTapStack(app, "Placed", env={ENV})\n'
    found = assert_expected(tmp_path, Example.cdk(TAP_STACK, app))
    assert "stack 'Agnostic'" in found[0].message
    assert len(found) == 1


def test_conditional_lookup_is_a_warning_and_its_fallback_an_error(tmp_path: Path) -> None:
    stack = (
        HEADER
        + """

class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        vpc_id = self.node.try_get_context("vpcId")
        if vpc_id:
            vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_id=vpc_id)  # expect: IAC021
        else:
            vpc = ec2.Vpc.from_lookup(self, "Shared", vpc_name="shared")  # expect: IAC021
"""
    )
    app = APP_HEAD + 'TapStack(app, "TapStackdev")\n'
    found = assert_expected(tmp_path, Example.cdk(stack, app))
    by_line = {f.location.line: f for f in found}
    assert by_line[14].severity is Severity.WARNING
    assert by_line[14].message.startswith("When `vpc_id` holds, ec2.Vpc.from_lookup")
    assert by_line[16].severity is Severity.ERROR


# -- silent --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "creation",
    [
        f'TapStack(app, "TapStackdev", env={ENV})',
        'TapStack(app, "TapStackdev", env={"account": "123456789012", "region": "us-east-1"})',
        'TapStack(app, "TapStackdev", env=environment)',
        'TapStack(app, "TapStackdev", **options)',  # unknown **kwargs may carry env
        'TapStack(app, "TapStackdev", *rest)',
    ],
)
def test_env_given_or_possibly_given(tmp_path: Path, creation: str) -> None:
    # Values read from the OS environment are unknown to the analysis: an unknown env is an env, and
    # unknown *args/**kwargs may carry one.
    app = APP_HEAD + "import json\n\n"
    app += 'environment = json.loads(os.environ["STACK_ENV"])\n'
    app += 'options = json.loads(os.environ["STACK_OPTIONS"])\n'
    app += 'rest = os.environ["STACK_REST"].split(",")\n'
    found, _ = run(tmp_path, Example.cdk(silent(TAP_STACK), app + creation + "\n"))
    assert found == [], [f.message for f in found]


@pytest.mark.parametrize("sets_env", [True, False])
def test_stack_class_sets_env_itself(tmp_path: Path, sets_env: bool) -> None:
    # A base class along the MRO passes env to Stack itself; without it, the same app is reported.
    env = 'env=cdk.Environment(account=os.environ["CDK_DEFAULT_ACCOUNT"], region="us-east-1"),'
    stack = (
        HEADER
        + f"""

class BaseStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(
            scope,
            construct_id,
            {env if sets_env else ""}
            **kwargs,
        )


class TapStack(BaseStack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")
"""
    )
    found, _ = run(tmp_path, Example.cdk(stack, APP_HEAD + 'TapStack(app, "TapStackdev")\n'))
    assert len(found) == (0 if sets_env else 1), [f.message for f in found]


def test_env_read_from_props(tmp_path: Path) -> None:
    stack = silent(TAP_STACK).replace(
        "super().__init__(scope, construct_id, **kwargs)",
        "super().__init__(scope, construct_id, env=props.env if props else None, **kwargs)",
    )
    app = APP_HEAD + f"props = TapStackProps(environment_suffix=suffix, env={ENV})\n"
    app += 'TapStack(app, "TapStackdev", props=props)\n'
    found, _ = run(tmp_path, Example.cdk(stack, app))
    assert found == [], [f.message for f in found]


@pytest.mark.parametrize(
    "creation",
    [
        'for name in ["Blue", "Green"]:\n    TapStack(app, f"TapStack{name}")',
        'if suffix == "prod":\n    TapStack(app, "TapStackprod")',
        'stage = cdk.Stage(app, "Prod", env=cdk.Environment(account="123456789012", region="us-east-1"))\n'
        'TapStack(stage, "TapStackprod")',
        'try:\n    TapStack(app, "TapStackdev", extra=1)\nexcept TypeError:\n    pass',
    ],
    ids=["loop", "undecided-if", "inside-a-stage", "call-that-may-not-bind"],
)
def test_creation_the_analysis_cannot_be_sure_of(tmp_path: Path, creation: str) -> None:
    found, _ = run(tmp_path, Example.cdk(silent(TAP_STACK), APP_HEAD + creation + "\n"))
    assert found == [], [f.message for f in found]


def test_creation_that_does_not_bind_is_iac001s(tmp_path: Path) -> None:
    # TapStack(..., props=...) where __init__ forwards **kwargs to Stack: a TypeError comes first.
    stack = (
        silent(TAP_STACK)
        .replace("props=None, **kwargs", "**kwargs")
        .replace("ec2.Vpc.from_lookup(self", "ec2.Vpc.from_lookup(self")
    )
    stack = stack.replace('vpc_name="shared")', 'vpc_name="shared")  # lookup')
    app = APP_HEAD + 'TapStack(app, "TapStackdev", props=TapStackProps(environment_suffix=suffix))\n'
    found, _ = run(tmp_path, Example.cdk(stack, app))
    assert found == []


def test_two_initialisations_one_with_env(tmp_path: Path) -> None:
    stack = (
        HEADER
        + """

class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, env=None):
        if env is not None:
            super().__init__(scope, construct_id, env=env)
        else:
            super().__init__(scope, construct_id)
        ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")
"""
    )
    app = APP_HEAD + "TapStack(app, \"TapStackdev\", env=cdk.Environment(region=os.environ['REGION']))\n"
    found, _ = run(tmp_path, Example.cdk(stack, app))
    assert found == []


@pytest.mark.parametrize(
    "lookup",
    [
        # a handler that may create the VPC instead: the lookup raises in the program
        'try:\n    vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")\n'
        'except Exception:\n    vpc = ec2.Vpc(self, "Vpc", max_azs=2)',
        # a guard on the stack's own environment
        "if not cdk.Token.is_unresolved(self.account):\n"
        '    vpc = ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")',
        # no scope: the image is looked up where an instance uses it
        'image = ec2.MachineImage.lookup(name="al2023-*")',
    ],
    ids=["in-try", "guarded-by-account", "machine-image"],
)
def test_lookups_left_alone(tmp_path: Path, lookup: str) -> None:
    stack = (
        HEADER
        + """

class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
"""
        + "".join("        " + line + "\n" for line in lookup.splitlines())
    )
    found, _ = run(tmp_path, Example.cdk(stack, APP_HEAD + 'TapStack(app, "TapStackdev")\n'))
    assert found == [], [f.message for f in found]


def test_nested_stack_in_a_stack_with_env(tmp_path: Path) -> None:
    stack = (
        HEADER
        + """

class Dns(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str):
        super().__init__(scope, construct_id)
        ssm.StringParameter.value_from_lookup(self, "/shared/zone")


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        Dns(self, "Dns")
"""
    )
    found, _ = run(tmp_path, Example.cdk(stack, APP_HEAD + f'TapStack(app, "TapStackdev", env={ENV})\n'))
    assert found == []


def test_pulumi_and_cloudformation_are_silent(tmp_path: Path) -> None:
    pulumi = Example.pulumi(
        """
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        vpc = aws.ec2.get_vpc(tags={"Name": "shared"})
        aws.ec2.SecurityGroup("web", vpc_id=vpc.id)
"""
    )
    found, _ = run(tmp_path / "pulumi", pulumi)
    assert found == []
    template = Example.cfn_yaml(
        """
Parameters:
  VpcId:
    Type: AWS::EC2::VPC::Id
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref VpcId
"""
    )
    found, _ = run(tmp_path / "cfn", template)
    assert found == []


def test_lookup_as_the_fallback_of_or(tmp_path: Path) -> None:
    # `team or lookup(...)`: the lookup runs when the left is falsy. With the left an unset context
    # value, a default deployment runs it (error); with a constructor argument, only some do (warning).
    stack = (
        HEADER
        + """

class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, owner=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        team = self.node.try_get_context("team")
        team = team or ssm.StringParameter.value_from_lookup(self, "/team")  # expect: IAC021
        owner = owner or ssm.StringParameter.value_from_lookup(self, "/owner")  # expect: IAC021
"""
    )
    app = APP_HEAD + 'TapStack(app, "TapStackdev", owner=os.environ.get("OWNER"))\n'
    found = assert_expected(tmp_path, Example.cdk(stack, app))
    by_line = {f.location.line: f for f in found}
    assert by_line[13].severity is Severity.ERROR
    assert by_line[14].severity is Severity.WARNING
    assert by_line[14].message.startswith("When `not (owner)` holds, ")


@pytest.mark.parametrize("decorated", [True, False])
def test_stack_class_the_analysis_cannot_vouch_for(tmp_path: Path, decorated: bool) -> None:
    # A class decorator may wrap __init__ and hand Stack an env the code does not show.
    stack = silent(TAP_STACK).replace(
        "class TapStack(cdk.Stack):", ("@with_defaults\n" if decorated else "") + "class TapStack(cdk.Stack):"
    )
    stack = stack.replace(
        "class TapStackProps", "def with_defaults(cls):\n    return cls\n\n\nclass TapStackProps"
    )
    found, _ = run(tmp_path, Example.cdk(stack, APP_HEAD + 'TapStack(app, "TapStackdev")\n'))
    assert len(found) == (0 if decorated else 1), [f.message for f in found]


@pytest.mark.parametrize(
    ("env", "reported"),
    [
        ('cdk.Environment(region="us-east-1")', "account"),
        ('cdk.Environment(account=None, region=os.getenv("CDK_DEFAULT_REGION"))', "account"),
        ('cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"))', "region"),
        ("cdk.Environment()", "account and region"),
        # Complete, or not known to be partial: an env.
        ('cdk.Environment(account="123456789012", region="us-east-1")', None),
        ('cdk.Environment(**json.loads(os.environ["STACK_ENV"]))', None),
        ('{"region": "us-east-1"}', None),  # a dict may have lost entries the analysis cannot see
    ],
)
def test_partial_environment(tmp_path: Path, env: str, reported: str | None) -> None:
    # core/lib/stack.ts: env.account ?? Stage.of(this).account ?? Aws.ACCOUNT_ID: a missing key stays
    # a token, and the lookup throws just as without env.
    app = APP_HEAD + f'import json\n\nTapStack(app, "TapStackdev", env={env})\n'
    found, _ = run(tmp_path, Example.cdk(silent(TAP_STACK), app))
    if reported is None:
        assert found == [], [f.message for f in found]
    else:
        (finding,) = found
        assert f"the env that reaches aws_cdk.Stack.__init__ at lib/tap_stack.py:17 gives no {reported})" in (
            finding.message
        )
        assert finding.related[0].message == "stack 'TapStackdev' is created here without a complete env"


@pytest.mark.parametrize("child_env", [None, "env=cdk.Environment(account=self.account, region=self.region)"])
def test_stack_inside_a_stack_does_not_take_its_environment(tmp_path: Path, child_env: str | None) -> None:
    # core/lib/stack.ts: env.account ?? Stage.of(this).account ?? token. The nearest Stage of a stack
    # made inside another (non-nested) stack is the App, which has no account: the parent's env is
    # not inherited.
    stack = (
        HEADER
        + f"""

class VpcStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        VpcStack(self, "Network"{", " + child_env if child_env else ""})
"""
    )
    app = APP_HEAD + f'TapStack(app, "TapStackdev", env={ENV})\n'
    found, _ = run(tmp_path, Example.cdk(stack, app))
    if child_env:
        assert found == [], [f.message for f in found]
    else:
        (finding,) = found
        assert (
            "runs in stack 'TapStackdev/Network', created at lib/tap_stack.py:18 without" in finding.message
        )


def test_stack_inside_a_worktree_stage(tmp_path: Path) -> None:
    stack = (
        HEADER
        + """

class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        ec2.Vpc.from_lookup(self, "Vpc", vpc_name="shared")


class Deployment(cdk.Stage):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        TapStack(self, "TapStack")
"""
    )
    app = APP_HEAD.replace("TapStack, TapStackProps", "Deployment")
    app += 'Deployment(app, "Prod", env=cdk.Environment(account="123456789012", region="eu-west-1"))\n'
    found, _ = run(tmp_path, Example.cdk(stack, app))
    assert found == [], [f.message for f in found]


def test_stack_class_that_answers_its_region_itself(tmp_path: Path) -> None:
    # A property override of Stack.region (or account) may answer what no env says.
    stack = silent(TAP_STACK).replace(
        "        vpc = ec2.Vpc.from_lookup",
        '    @property\n    def region(self):\n        return "us-east-1"\n\n    def build(self):\n'
        "        vpc = ec2.Vpc.from_lookup",
    )
    stack = stack.replace(
        "super().__init__(scope, construct_id, **kwargs)\n",
        "super().__init__(scope, construct_id, **kwargs)\n        self.build()\n",
        1,
    )
    stack = stack.replace(
        "super().__init__(**kwargs)\n        self.build()\n", "super().__init__(**kwargs)\n"
    )
    found, _ = run(tmp_path, Example.cdk(stack, APP_HEAD + 'TapStack(app, "TapStackdev")\n'))
    assert found == [], [f.message for f in found]
    # The same class without the override is reported.
    plain = stack.replace('    @property\n    def region(self):\n        return "us-east-1"\n\n', "")
    found, _ = run(tmp_path / "plain", Example.cdk(plain, APP_HEAD + 'TapStack(app, "TapStackdev")\n'))
    assert len(found) == 1, plain


_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_WHERE = Location("lib/tap_stack.py", 3)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"call": st.sampled_from(["aws_cdk.aws_ec2.Vpc.from_lookup", 7, None])},
            optional={
                "location": st.just(_WHERE) | _JUNK,
                "stacks": st.lists(st.sampled_from(["A", "A/B", None, 3]), max_size=3) | _JUNK,
                "runs_unconfigured": _JUNK,
                "condition": st.text(max_size=12) | _JUNK,
                "in_try": _JUNK,
            },
        ),
        max_size=3,
    ),
    st.dictionaries(
        st.sampled_from(["A", "A/B", "C"]),
        st.fixed_dictionaries(
            {},
            optional={
                "env": st.sampled_from(["absent", "given", "unknown"]) | _JUNK,
                "nested": _JUNK,
                "parent": st.sampled_from(["A", "A/B", "C"]) | _JUNK,
                "created_at": st.just(Location("tap.py", 5)) | _JUNK,
                "env_at": st.lists(st.just(Location("lib/tap_stack.py", 9)), max_size=2) | _JUNK,
                "env_missing": st.lists(st.sampled_from(["account", "region"]), max_size=2) | _JUNK,
            },
        ),
        max_size=3,
    )
    | _JUNK,
)
def test_any_facts_give_findings_or_nothing_never_an_error(lookups: object, stacks: object) -> None:
    project = Project(root="/x", platform="cdk", facts={"lookups": lookups, "stacks": stacks})
    found = list(agnostic_lookups(project))
    for item in found:
        assert item.location == _WHERE and item.created_at == Location("tap.py", 5)
        assert isinstance(stacks, dict) and stacks[item.top]["env"] == "absent"
