"""The Pulumi plugin records pulumi_aws data-source calls as ``facts["lookups"]`` (IAC014 reads them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi_helpers import HEADER, PULUMI_YAML, TAP, component, parse

from analyzer.model import Literal, Location, Origin, Unknown


def lookups(project: Any) -> list[dict[str, Any]]:
    return list(project.facts.get("lookups", []))


def test_get_vpc_arguments_are_model_values_with_the_call_location(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        vpc = aws.ec2.get_vpc(default=True)
        flagged = aws.ec2.get_vpc_output(default=pulumi.Config().get_bool("useDefaultVpc"))
        aws.ec2.SecurityGroup("sg", vpc_id=vpc.id, description="web")
        """,
    )
    first, second = lookups(project)
    assert first["call"] == "aws.ec2.get_vpc" and second["call"] == "aws.ec2.get_vpc_output"
    assert first["location"] == Location("lib/tap_stack.py", 17, 0)
    default = first["arguments"]["default"]
    assert isinstance(default, Literal) and default.value is True
    configured = second["arguments"]["default"]
    assert isinstance(configured, Unknown) and configured.origin & Origin.CONFIG
    assert first["condition"] is None and first["runs_unconfigured"] is True and first["in_try"] is False
    # The security group is still a resource: recording a lookup changes nothing else.
    assert [r.type for r in project.resources] == ["AWS::EC2::SecurityGroup"]


def test_filters_become_cloudformation_shaped_mappings(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        a = aws.ec2.get_subnet(filters=[aws.ec2.GetSubnetFilterArgs(name="default-for-az", values=["true"])])
        b = aws.ec2.get_subnet(filters=[{"name": "default-for-az", "values": ["true"]}])
        """,
    )
    for fact in lookups(project):
        (entry,) = fact["arguments"]["filters"].value
        assert entry.value["Name"].value == "default-for-az"
        assert [item.value for item in entry.value["Values"].value] == ["true"]


def test_every_import_spelling_names_the_same_call(tmp_path: Path) -> None:
    stack = """\
import pulumi
import pulumi_aws
from pulumi_aws import ec2
from pulumi_aws.ec2 import get_vpc, get_vpc_output as vpc_output


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        pulumi_aws.ec2.get_vpc(default=True)
        ec2.get_vpc(default=True)
        get_vpc(default=True)
        vpc_output(default=True)
        pulumi_aws.get_caller_identity()
"""
    files = {"Pulumi.yaml": PULUMI_YAML, "tap.py": TAP, "lib/__init__.py": "", "lib/tap_stack.py": stack}
    calls = [fact["call"] for fact in lookups(parse(tmp_path, files))]
    assert calls == [
        "aws.ec2.get_vpc",
        "aws.ec2.get_vpc",
        "aws.ec2.get_vpc",
        "aws.ec2.get_vpc_output",
        "aws.get_caller_identity",
    ]


def test_module_level_lookup_in_an_imported_module(tmp_path: Path) -> None:
    network = "import pulumi_aws as aws\n\ndefault_vpc = aws.ec2.get_vpc(default=True)\n"
    stack = HEADER.replace(
        "import pulumi_aws as aws\n", "import pulumi_aws as aws\nfrom lib import network\n"
    )
    stack += '        aws.ec2.SecurityGroup("sg", vpc_id=network.default_vpc.id, description="x")\n'
    files = {
        "Pulumi.yaml": PULUMI_YAML,
        "tap.py": TAP,
        "lib/__init__.py": "",
        "lib/network.py": network,
        "lib/tap_stack.py": stack,
    }
    (fact,) = lookups(parse(tmp_path, files))
    assert fact["location"].path == "lib/network.py" and fact["location"].line == 3


def test_a_helper_called_twice_records_its_lookup_once(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        def network():
            return aws.ec2.get_vpc(default=True)

        first = network()
        second = network()
        """,
    )
    assert len(lookups(project)) == 1


def test_branches_on_unset_configuration(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        config = pulumi.Config()
        vpc_id = config.get("vpcId")
        if vpc_id:
            by_id = aws.ec2.get_vpc(id=vpc_id)
        else:
            fallback = aws.ec2.get_vpc(default=True)
        if vpc_id is None:
            also = aws.ec2.get_vpc(default=True)
        if config.get_bool("useDefaultVpc"):
            opted_in = aws.ec2.get_vpc(default=True)
        named = config.get("vpcName", "shared")
        if not named:
            defaulted = aws.ec2.get_vpc(default=True)
        """,
    )
    runs = {
        fact["location"].line: (fact["condition"], fact["runs_unconfigured"]) for fact in lookups(project)
    }
    assert runs == {
        20: ("vpc_id", False),
        22: ("not (vpc_id)", True),
        24: ("vpc_id is None", True),
        26: ('config.get_bool("useDefaultVpc")', False),  # unset flag: this branch does not run
        29: ("not named", False),  # config.get with a default: not None when unset
    }


def test_configuration_that_a_stack_file_sets_is_not_unset(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        vpc_id = pulumi.Config().get("vpcId")
        if not vpc_id:
            fallback = aws.ec2.get_vpc(default=True)
        """,
        **{"Pulumi.dev.yaml": "config:\n  tap:vpcId: vpc-0123\n", "Pulumi.prod.yaml": "config: {}\n"},
    )
    (fact,) = lookups(project)
    assert fact["runs_unconfigured"] is False


def test_a_lookup_inside_a_try_that_handles_exception(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        try:
            vpc = aws.ec2.get_vpc(default=True)
        except Exception:
            vpc = None
        try:
            other = aws.ec2.get_vpc(default=True)
        except KeyError:
            other = None
        """,
    )
    assert [fact["in_try"] for fact in lookups(project)] == [True, False]


def test_configuration_passed_from_the_entry_point_through_args(tmp_path: Path) -> None:
    tap = TAP.replace(
        "TapStackArgs(environment_suffix=environment_suffix)",
        'TapStackArgs(environment_suffix=environment_suffix, vpc_id=config.get("vpcId"))',
    )
    stack = HEADER.replace(
        "    def __init__(self, environment_suffix=None):\n",
        "    def __init__(self, environment_suffix=None, vpc_id=None):\n        self.vpc_id = vpc_id\n",
    )
    stack += """\
        if args.vpc_id:
            vpc = aws.ec2.get_vpc(id=args.vpc_id)
        else:
            vpc = aws.ec2.get_vpc(default=True)
"""
    files = {"Pulumi.yaml": PULUMI_YAML, "tap.py": tap, "lib/__init__.py": "", "lib/tap_stack.py": stack}
    by_id, fallback = lookups(parse(tmp_path, files))
    assert (by_id["condition"], by_id["runs_unconfigured"]) == ("args.vpc_id", False)
    assert (fallback["condition"], fallback["runs_unconfigured"]) == ("not (args.vpc_id)", True)
