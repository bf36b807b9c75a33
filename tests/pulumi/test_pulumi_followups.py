"""Regressions for bugs the rule owners found in the Python layer and the Pulumi plugin: each test
scans a small worktree with the real rules (``engine.scan``) and asserts the finding appears or
disappears."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from analyzer.config import Config, from_mapping
from analyzer.engine import ScanResult, scan
from analyzer.model import Concat, Literal, Resource

PULUMI_YAML = "name: tap\nruntime: python\nmain: tap.py\n"


def run(root: Path, files: dict[str, str], config: Config | None = None) -> ScanResult:
    files = {"Pulumi.yaml": PULUMI_YAML, "lib/__init__.py": "", **files}
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return scan([root], config or Config())


def rule_findings(result: ScanResult, rule: str) -> list[str]:
    return [f"{f.location.path}:{f.location.line} {f.message}" for f in result.findings if f.rule_id == rule]


def resources(result: ScanResult) -> dict[str, Resource]:
    return {r.id: r for p in result.projects for r in p.project.resources}


# -- 1. the initializer comes from the MRO, not from the first base ---------------------------------

MIXIN_TAP = """\
import pulumi
from lib.tap_stack import TapStack
TapStack(CALL)
"""
MIXIN_STACK = """\
import pulumi

class TagMixin:
    def tags(self, extra):
        return {"Project": "tap", **extra}

class TapStack(TagMixin, pulumi.ComponentResource):
    BODY
"""


def _mixin(root: Path, call: str, body: str = "pass") -> list[str]:
    stack = MIXIN_STACK.replace("BODY", textwrap.indent(textwrap.dedent(body), "    ").strip())
    return rule_findings(
        run(root, {"tap.py": MIXIN_TAP.replace("CALL", call), "lib/tap_stack.py": stack}), "IAC001"
    )


def test_mixin_without_init_takes_the_component_resource_initializer(tmp_path: Path) -> None:
    # MRO: TapStack, TagMixin (no __init__), ComponentResource(t, name, props=None, opts=None, ...)
    assert _mixin(tmp_path, '"tap:stack:TapStack", "tap", None, None') == []


def test_mixin_without_init_still_reports_what_component_resource_rejects(tmp_path: Path) -> None:
    found = _mixin(tmp_path, '"tap:stack:TapStack", "tap", environment_suffix="dev"')
    assert len(found) == 1 and "environment_suffix" in found[0]


def test_mixin_with_its_own_init_wins_over_later_bases(tmp_path: Path) -> None:
    body = """\
    pass
    """
    mixin = MIXIN_STACK.replace(
        "class TagMixin:",
        "class TagMixin:\n    def __init__(self, name, args):\n        self.name = name\n",
    ).replace("BODY", body.strip())
    result = run(
        tmp_path,
        {"tap.py": MIXIN_TAP.replace("CALL", '"tap"'), "lib/tap_stack.py": mixin},
    )
    found = rule_findings(result, "IAC001")
    assert len(found) == 1 and "'args'" in found[0]


def test_forwarded_kwargs_skip_a_mixin_and_reach_component_resource(tmp_path: Path) -> None:
    body = """\
    def __init__(self, name, **kwargs):
        super().__init__("tap:stack:TapStack", name, **kwargs)
    """
    assert _mixin(tmp_path, '"tap", opts=None', body) == []
    found = _mixin(tmp_path / "bad", '"tap", tags={"a": "b"}', body)
    assert len(found) == 1
    assert "'tags'" in found[0] and "ComponentResource" in found[0]


def test_cooperative_mixin_init_forwarding_everything_is_not_judged(tmp_path: Path) -> None:
    stack = """\
    import pulumi

    class TagMixin:
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    class TapStack(TagMixin, pulumi.ComponentResource):
        pass
    """
    tap = 'import pulumi\nfrom lib.tap_stack import TapStack\nTapStack("t", "tap", None, None)\n'
    assert rule_findings(run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": stack}), "IAC001") == []


# -- 2. names defined at run time make a missing import uncertain -----------------------------------

DYNAMIC_TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs
TapStack("tap")
"""
DYNAMIC_STACK = """\
import sys
import pulumi

class TapStack(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)

"""


@pytest.mark.parametrize(
    "definition",
    [
        'globals()["TapStackArgs"] = TapStack',
        'globals().update({"TapStackArgs": TapStack})',
        'setattr(sys.modules[__name__], "TapStackArgs", TapStack)',
        "def _install():\n    module = sys.modules[__name__]\n    module.TapStackArgs = TapStack\n_install()",
        'exec("TapStackArgs = TapStack")',
        "def __getattr__(name):\n    return TapStack",
        "from some_generated_package import *",
        "from lib.generated import *",
    ],
)
def test_dynamic_definitions_make_missing_names_uncertain(tmp_path: Path, definition: str) -> None:
    files = {
        "tap.py": DYNAMIC_TAP,
        "lib/tap_stack.py": DYNAMIC_STACK + definition + "\n",
        # a worktree module that itself star-imports from outside: its names cannot be listed
        "lib/generated.py": "from some_generated_package import *\n",
    }
    assert rule_findings(run(tmp_path, files), "IAC001") == []


def test_a_plain_missing_name_is_still_reported(tmp_path: Path) -> None:
    found = rule_findings(run(tmp_path, {"tap.py": DYNAMIC_TAP, "lib/tap_stack.py": DYNAMIC_STACK}), "IAC001")
    assert len(found) == 1 and "TapStackArgs" in found[0] and found[0].startswith("tap.py:2")


def test_setattr_on_self_does_not_hide_a_missing_name(tmp_path: Path) -> None:
    stack = DYNAMIC_STACK.replace("super().__init__(", 'setattr(self, "extra", 1)\n        super().__init__(')
    found = rule_findings(run(tmp_path, {"tap.py": DYNAMIC_TAP, "lib/tap_stack.py": stack}), "IAC001")
    assert len(found) == 1 and "TapStackArgs" in found[0]


# -- 3. generated initializers are uncertain ---------------------------------------------------------

GENERATED_TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs
args = TapStackArgs(environment_suffix="dev", region="us-east-1")
TapStack("tap", args)
pulumi.export("region", args.region)
"""
GENERATED_STACK = """\
import pulumi

class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.suffix = args.environment_suffix
        self.owner = args.owner
"""


@pytest.mark.parametrize(
    "args_class",
    [
        "import attr\n@attr.s(auto_attribs=True)\nclass TapStackArgs:\n    environment_suffix: str\n",
        "from attrs import define\n@define\nclass TapStackArgs:\n    environment_suffix: str\n",
        "from pydantic import BaseModel\nclass TapStackArgs(BaseModel):\n    environment_suffix: str\n",
        "from typing import NamedTuple\nclass TapStackArgs(NamedTuple):\n    environment_suffix: str\n",
        "import enum\nclass TapStackArgs(enum.Enum):\n    DEV = 'dev'\n",
        "class Meta(type):\n    def __call__(cls, *a, **k):\n        return super().__call__()\n"
        "class TapStackArgs(metaclass=Meta):\n    def __init__(self):\n        pass\n",
        "class Meta(type):\n    pass\nclass Base(metaclass=Meta):\n    pass\nclass TapStackArgs(Base):\n    pass\n",
        "def register(cls):\n    return cls\n@register\nclass TapStackArgs:\n    environment_suffix = None\n",
        "import collections\nTapStackArgs = collections.namedtuple('TapStackArgs', ['environment_suffix'])\n",
    ],
    ids=[
        "attrs",
        "attrs-define",
        "pydantic",
        "namedtuple",
        "enum",
        "metaclass",
        "base-metaclass",
        "decorator",
        "collections-namedtuple",
    ],
)
def test_generated_initializers_and_attributes_are_uncertain(tmp_path: Path, args_class: str) -> None:
    files = {"tap.py": GENERATED_TAP, "lib/tap_stack.py": args_class + GENERATED_STACK}
    assert rule_findings(run(tmp_path, files), "IAC001") == []


def test_abc_metaclass_keeps_the_signature(tmp_path: Path) -> None:
    args_class = (
        "import abc\nclass Base(metaclass=abc.ABCMeta):\n    pass\n"
        "class TapStackArgs(Base):\n    def __init__(self, environment_suffix):\n"
        "        self.environment_suffix = environment_suffix\n        self.owner = 'me'\n"
    )
    files = {"tap.py": GENERATED_TAP, "lib/tap_stack.py": args_class + GENERATED_STACK}
    found = rule_findings(run(tmp_path, files), "IAC001")
    assert any("'region'" in f and f.startswith("tap.py:3") for f in found), found


# -- 4. library initializers of the Pulumi SDK --------------------------------------------------------

KWARGS_STACK = """\
import pulumi

class TapStack(pulumi.BASE):
    def __init__(self, name, environment_suffix="dev", **kwargs):
        FORWARD
"""


@pytest.mark.parametrize(
    ("base", "forward"),
    [
        ("ComponentResource", 'super().__init__("tap:stack:TapStack", name, None, **kwargs)'),
        (
            "ComponentResource",
            'pulumi.ComponentResource.__init__(self, "tap:stack:TapStack", name, **kwargs)',
        ),
        ("CustomResource", 'super().__init__("tap:index:Thing", name, {}, **kwargs)'),
    ],
)
def test_keywords_forwarded_to_a_pulumi_base_are_checked(tmp_path: Path, base: str, forward: str) -> None:
    stack = KWARGS_STACK.replace("BASE", base).replace("FORWARD", forward)
    tap = 'import pulumi\nfrom lib.tap_stack import TapStack\nTapStack("tap", tags={"Team": "x"})\n'
    found = rule_findings(run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": stack}), "IAC001")
    assert len(found) == 1
    assert "'tags'" in found[0] and f"pulumi.{base}" in found[0]
    good = (
        'import pulumi\nfrom lib.tap_stack import TapStack\nTapStack("tap", opts=pulumi.ResourceOptions())\n'
    )
    assert rule_findings(run(tmp_path / "ok", {"tap.py": good, "lib/tap_stack.py": stack}), "IAC001") == []


def test_resource_options_subclass_checks_forwarded_options(tmp_path: Path) -> None:
    stack = """\
    import pulumi

    class TapOptions(pulumi.ResourceOptions):
        def __init__(self, team, **kwargs):
            super().__init__(**kwargs)
            self.team = team
    """
    tap = (
        "import pulumi\nfrom lib.tap_stack import TapOptions\n"
        'TapOptions("a", protect=True, retain_on_delete=True)\n'
        'TapOptions("a", protected=True)\n'
    )
    found = rule_findings(run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": stack}), "IAC001")
    assert len(found) == 1 and found[0].startswith("tap.py:4") and "'protected'" in found[0]


# -- 5. depends_on on components and computed lists --------------------------------------------------

DEPENDS_TAP = """\
import pulumi
from lib.tap_stack import TapStack
TapStack("tap", pulumi.Config().get("environmentSuffix") or "dev")
"""
DEPENDS_STACK = """\
import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions

def outside_dependencies():
    return pulumi.StackReference("network").get_output("deps")

class Network(pulumi.ComponentResource):
    def __init__(self, name, suffix, opts=None):
        super().__init__("tap:net:Network", name, None, opts)
        child = ResourceOptions(parent=self)
        self.vpc = aws.ec2.Vpc(f"vpc-{suffix}", cidr_block="10.0.0.0/16", opts=child)
        self.igw = aws.ec2.InternetGateway(f"igw-{suffix}", vpc_id=self.vpc.id, opts=child)
        self.subnets = [
            aws.ec2.Subnet(f"subnet-{suffix}-{i}", vpc_id=self.vpc.id, cidr_block=f"10.0.{i}.0/24", opts=child)
            for i in range(2)
        ]
        self.register_outputs({})

class TapStack(pulumi.ComponentResource):
    def __init__(self, name, suffix, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        network = Network(f"network-{suffix}", suffix, ResourceOptions(parent=self))
        subnets, igw = network.subnets, network.igw
        self.deps = [igw]
        aws.lb.LoadBalancer(
            f"alb-{suffix}",
            internal=False,
            load_balancer_type="application",
            subnets=[s.id for s in subnets],
            opts=ResourceOptions(parent=self, depends_on=DEPS),
        )
"""


@pytest.mark.parametrize(
    "deps",
    [
        "[network]",
        "[*subnets, igw]",
        "[s for s in subnets] + [igw]",
        "self.deps",
        "outside_dependencies()",
        "[igw, *outside_dependencies()]",
    ],
)
def test_depends_on_components_and_computed_lists(tmp_path: Path, deps: str) -> None:
    stack = DEPENDS_STACK.replace("DEPS", deps)
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": stack})
    assert rule_findings(result, "IAC005") == []


def test_depends_on_a_component_lists_its_child_resources(tmp_path: Path) -> None:
    stack = DEPENDS_STACK.replace("DEPS", "[network]")
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": stack})
    balancer = resources(result)["alb-{suffix}"]
    targets = {d.target for d in balancer.depends_on}
    assert targets == {"vpc-{suffix}", "igw-{suffix}", "subnet-{suffix}-0", "subnet-{suffix}-1"}
    assert "depends_on_unknown" not in balancer.options


def test_unresolvable_depends_on_is_marked_and_silences_iac005(tmp_path: Path) -> None:
    stack = DEPENDS_STACK.replace("DEPS", "outside_dependencies()")
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": stack})
    balancer = resources(result)["alb-{suffix}"]
    assert balancer.options["depends_on_unknown"] == Literal(
        True, location=balancer.options["depends_on_unknown"].location
    )


def test_missing_ordering_is_still_reported(tmp_path: Path) -> None:
    stack = DEPENDS_STACK.replace("DEPS", "[]")
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": stack})
    found = rule_findings(result, "IAC005")
    assert len(found) == 1 and "igw-{suffix}" in found[0]
    assert "depends_on_unknown" not in resources(result)["alb-{suffix}"].options


# -- 6. logical names keep their value ---------------------------------------------------------------


def test_logical_name_keeps_the_suffix_provenance(tmp_path: Path) -> None:
    stack = """\
    import pulumi
    import pulumi_aws as aws

    class TapStackArgs:
        def __init__(self, environment_suffix):
            self.environment_suffix = environment_suffix

    class TapStack(pulumi.ComponentResource):
        def __init__(self, name, args, opts=None):
            super().__init__("tap:stack:TapStack", name, None, opts)
            s = args.environment_suffix
            aws.s3.Bucket(f"data-{s}", opts=pulumi.ResourceOptions(parent=self))
            aws.s3.Bucket("logs", opts=pulumi.ResourceOptions(parent=self))
    """
    tap = """\
    import pulumi
    from lib.tap_stack import TapStack, TapStackArgs
    suffix = pulumi.Config().get("environmentSuffix") or "dev"
    TapStack("tap", TapStackArgs(environment_suffix=suffix))
    """
    config = from_mapping({"rules": {"IAC002": {"logical-ids": True}}})
    result = run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": stack}, config)
    found = rule_findings(result, "IAC002")
    assert len(found) == 1 and "'logs'" in found[0]
    logical = resources(result)["data-{s}"].options["logical_name"]
    assert isinstance(logical, Concat) and logical.origin.per_deployment


# -- 7. precision: parameters an unknown ``**mapping`` may set ---------------------------------------


def test_parameter_defaults_are_unknown_under_star_kwargs(tmp_path: Path) -> None:
    stack = """\
    import pulumi
    import pulumi_aws as aws

    class TapStackArgs:
        def __init__(self, environment_suffix=None, **kwargs):
            self.environment_suffix = environment_suffix or "dev"

    class TapStack(pulumi.ComponentResource):
        def __init__(self, name, args, opts=None):
            super().__init__("tap:stack:TapStack", name, None, opts)
            aws.sqs.Queue("jobs", name=f"tap-jobs-{args.environment_suffix}", opts=pulumi.ResourceOptions(parent=self))
    """
    unknown = """\
    import pulumi
    from lib.tap_stack import TapStack, TapStackArgs
    TapStack("tap", TapStackArgs(**pulumi.Config().get_object("settings")))
    """
    result = run(tmp_path, {"tap.py": unknown, "lib/tap_stack.py": stack})
    assert rule_findings(result, "IAC002") == []
    assert resources(result)["jobs"].name is not None
    # the same component given nothing: the default "dev" is the name on every deployment
    plain = unknown.replace('**pulumi.Config().get_object("settings")', "")
    found = rule_findings(run(tmp_path / "plain", {"tap.py": plain, "lib/tap_stack.py": stack}), "IAC002")
    assert any("'jobs'" in f for f in found), found


def test_depends_on_a_component_waits_only_for_its_parented_children(tmp_path: Path) -> None:
    # Pulumi: a component's children are the resources created with parent=<component>; the
    # gateway made without it belongs to the stack, so depending on the network does not wait.
    stack = DEPENDS_STACK.replace("DEPS", "[network]").replace(
        'self.igw = aws.ec2.InternetGateway(f"igw-{suffix}", vpc_id=self.vpc.id, opts=child)',
        'self.igw = aws.ec2.InternetGateway(f"igw-{suffix}", vpc_id=self.vpc.id)',
    )
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": stack})
    assert "igw-{suffix}" not in {d.target for d in resources(result)["alb-{suffix}"].depends_on}
    found = rule_findings(result, "IAC005")
    assert len(found) == 1 and "igw-{suffix}" in found[0]


def test_children_with_a_parent_from_outside_make_the_component_uncertain(tmp_path: Path) -> None:
    stack = DEPENDS_STACK.replace("DEPS", "[network]").replace(
        'self.igw = aws.ec2.InternetGateway(f"igw-{suffix}", vpc_id=self.vpc.id, opts=child)',
        'self.igw = aws.ec2.InternetGateway(f"igw-{suffix}", vpc_id=self.vpc.id, opts=outside_dependencies())',
    )
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": stack})
    assert "depends_on_unknown" in resources(result)["alb-{suffix}"].options
    assert rule_findings(result, "IAC005") == []


def test_nested_components_are_children_through_their_options(tmp_path: Path) -> None:
    # TapStack -> Network (parent=self): depending on TapStack's network waits for its resources;
    # a component constructed without parent= is not a child of the one that made it.
    outer = DEPENDS_STACK.replace("DEPS", "[self]")
    result = run(tmp_path, {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": outer})
    balancer = resources(result)["alb-{suffix}"]
    assert {"vpc-{suffix}", "igw-{suffix}"} <= {d.target for d in balancer.depends_on}
    orphan = outer.replace(
        'network = Network(f"network-{suffix}", suffix, ResourceOptions(parent=self))',
        'network = Network(f"network-{suffix}", suffix)',
    )
    result = run(tmp_path / "orphan", {"tap.py": DEPENDS_TAP, "lib/tap_stack.py": orphan})
    assert "igw-{suffix}" not in {d.target for d in resources(result)["alb-{suffix}"].depends_on}


@pytest.mark.parametrize(
    "package_init",
    [
        "from . import tap_stack\ntap_stack.TapStackArgs = tap_stack.TapStack\n",
        "from . import tap_stack\nsetattr(tap_stack, 'TapStackArgs', tap_stack.TapStack)\n",
    ],
)
def test_a_package_that_patches_its_submodule_makes_missing_names_uncertain(
    tmp_path: Path, package_init: str
) -> None:
    files = {"tap.py": DYNAMIC_TAP, "lib/__init__.py": package_init, "lib/tap_stack.py": DYNAMIC_STACK}
    assert rule_findings(run(tmp_path, files), "IAC001") == []


@pytest.mark.parametrize(
    "args_class",
    [
        "from dataclasses import dataclass\n@dataclass(frozen=True)\nclass TapStackArgs:\n"
        "    environment_suffix: str = 'dev'\n    def __post_init__(self):\n"
        "        object.__setattr__(self, 'owner', 'tap')\n",
        "class TapStackArgs:\n    def __init__(self, environment_suffix='dev', region='us-east-1'):\n"
        "        self.environment_suffix = environment_suffix\n        super().__setattr__('owner', 'tap')\n",
    ],
    ids=["frozen-dataclass", "super-setattr"],
)
def test_attributes_set_through_dunder_setattr_are_not_reported(tmp_path: Path, args_class: str) -> None:
    tap = GENERATED_TAP.replace('environment_suffix="dev", region="us-east-1"', 'environment_suffix="dev"')
    tap = tap.replace('pulumi.export("region", args.region)\n', "")
    files = {"tap.py": tap, "lib/tap_stack.py": args_class + GENERATED_STACK}
    assert rule_findings(run(tmp_path, files), "IAC001") == []


ESCAPE_STACK = """\
import pulumi

class TapStackArgs:
    def __init__(self, environment_suffix="dev"):
        self.environment_suffix = environment_suffix

class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.owner = args.owner
"""


@pytest.mark.parametrize(
    "between",
    [
        'for key, value in (pulumi.Config().get_object("extra") or {}).items():\n    setattr(args, key, value)\n',
        'args.__dict__.update({"owner": "me"})\n',
        'vars(args).update(owner="me")\n',
        "import helpers\nhelpers.enrich(args)\n",
    ],
    ids=["setattr", "dunder-dict", "vars", "library-helper"],
)
def test_an_instance_handed_to_unfollowed_code_may_gain_attributes(tmp_path: Path, between: str) -> None:
    tap = (
        "import pulumi\nfrom lib.tap_stack import TapStack, TapStackArgs\n"
        "args = TapStackArgs(environment_suffix='x')\n" + between + "TapStack('tap', args)\n"
    )
    assert rule_findings(run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": ESCAPE_STACK}), "IAC001") == []


def test_an_instance_only_inspected_is_still_judged(tmp_path: Path) -> None:
    tap = (
        "import pulumi\nfrom lib.tap_stack import TapStack, TapStackArgs\n"
        "args = TapStackArgs(environment_suffix='x')\nassert isinstance(args, TapStackArgs)\n"
        "pulumi.export('suffix', getattr(args, 'environment_suffix', None))\nTapStack('tap', args)\n"
    )
    found = rule_findings(run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": ESCAPE_STACK}), "IAC001")
    assert len(found) == 1 and "'owner'" in found[0]


@pytest.mark.parametrize(
    ("handler", "reported"), [("TypeError", False), ("Exception", False), ("KeyError", True)]
)
def test_a_call_inside_try_that_handles_type_error_is_uncertain(
    tmp_path: Path, handler: str, reported: bool
) -> None:
    tap = (
        "import pulumi\nfrom lib.tap_stack import TapStack, TapStackArgs\n"
        "try:\n    args = TapStackArgs(environment_suffix='x', region='us-east-1')\n"
        f"except {handler}:\n    args = TapStackArgs(environment_suffix='x')\n"
    )
    found = rule_findings(run(tmp_path, {"tap.py": tap, "lib/tap_stack.py": ESCAPE_STACK}), "IAC001")
    assert any("'region'" in f for f in found) is reported, found
