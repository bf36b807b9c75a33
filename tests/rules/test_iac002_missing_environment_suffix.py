"""IAC002 on hand-built models: which names are reported, at which level, and which stay silent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.findings import Finding, Severity
from analyzer.graph import ResourceGraph
from analyzer.model import (
    Concat,
    Literal,
    Location,
    Origin,
    Project,
    Ref,
    Resource,
    SuffixInfo,
    Unknown,
    Value,
    concat,
)
from analyzer.rules.base import RuleContext
from analyzer.rules.iac002_missing_environment_suffix import (
    MissingEnvironmentSuffix,
    Verdict,
    classify_name,
    suffix_coverage,
)

SUFFIX = Unknown("config environmentSuffix", Origin.SUFFIX | Origin.CONFIG, hint="environment_suffix")
ENV = Unknown("parameter Environment", Origin.ENV_NAME | Origin.PARAMETER, hint="Environment")
DECLARED = SuffixInfo(True, ("environment_suffix",), Location("tap.py", 5))


def bucket(rid: str, name: Value | None, line: int = 10, **extra: Any) -> Resource:
    return Resource(
        id=rid,
        type=extra.pop("type", "AWS::S3::Bucket"),
        location=Location("lib/tap_stack.py", line),
        name=name,
        name_property=extra.pop("name_property", "BucketName" if name is not None else None),
        property_locations={"BucketName": Location("lib/tap_stack.py", line + 1)},
        **extra,
    )


def project(*resources: Resource, platform: str = "pulumi", suffix: SuffixInfo = DECLARED) -> Project:
    return Project(root="/w", platform=platform, entry_point="tap.py", resources=resources, suffix=suffix)


def run(proj: Project, options: Mapping[str, Any] | None = None) -> list[Finding]:
    context = RuleContext(proj, ResourceGraph(proj), options or {})
    return list(MissingEnvironmentSuffix().check(context))


def suffixed(rid: str = "logs") -> Resource:
    return bucket(rid, concat([Literal("tap-logs-"), SUFFIX]), line=40)


def test_literal_name_is_an_error_at_the_name_property() -> None:
    findings = run(project(bucket("data", Literal("tap-data-bucket")), suffixed()))
    [finding] = findings
    assert finding.severity is Severity.ERROR
    assert finding.location == Location("lib/tap_stack.py", 11)
    assert finding.resource == "data"
    assert "'tap-data-bucket'" in finding.message and "AlreadyExists" in finding.message
    assert "AWS::S3::Bucket 'data'" in finding.message
    assert 'f"tap-data-bucket-{environment_suffix}"' in finding.fix_hint
    assert finding.key == "data:BucketName"


@pytest.mark.parametrize(
    "name",
    [
        concat([Literal("tap-"), SUFFIX]),
        concat([Literal("tap-"), Unknown("stack", Origin.STACK_NAME | Origin.MAYBE_UPPERCASE)]),
        concat([Literal("tap-"), Unknown("random", Origin.UNIQUE)]),
        Literal("tap-dev", Origin.SUFFIX),  # suffix resolved to its default by the plugin
        concat([Literal("tap-"), concat([Literal("x-"), SUFFIX])]),
    ],
)
def test_per_deployment_names_are_silent(name: Value) -> None:
    assert run(project(bucket("data", name))) == []


def test_auto_named_and_empty_names_are_silent() -> None:
    assert run(project(bucket("a", None), bucket("b", Literal(None)), bucket("c", Literal("")))) == []


@pytest.mark.parametrize(
    "name",
    [
        Unknown("config bucketName without default", Origin.CONFIG, hint="bucket_name"),
        Unknown("function parameter"),
        concat([Literal("tap-"), Unknown("imported", Origin.EXTERNAL)]),
        concat([ENV, Literal("-"), Unknown("outside")]),
    ],
)
def test_names_from_outside_are_silent(name: Value) -> None:
    assert run(project(bucket("data", name), suffixed())) == []


def test_account_and_region_do_not_make_a_name_unique() -> None:
    name = concat(
        [Literal("logs-"), Unknown("account", Origin.ACCOUNT), Literal("-"), Unknown("r", Origin.REGION)]
    )
    [finding] = run(project(bucket("data", name), suffixed()))
    assert finding.severity is Severity.ERROR


def test_environment_name_only_is_a_warning_with_the_explanation() -> None:
    suffix = SuffixInfo(False, (), None, env_name_only=("Environment",))
    [finding] = run(project(bucket("orders", concat([Literal("orders-"), ENV])), suffix=suffix))
    assert finding.severity is Severity.WARNING
    assert "Environment" in finding.message
    assert "not a per-deployment suffix" in finding.message
    assert "suffix-names" in finding.fix_hint


def test_environment_name_literal_default_is_a_warning_too() -> None:
    name = Literal("orders-dev", Origin.ENV_NAME | Origin.CONFIG)
    [finding] = run(project(bucket("orders", name), suffix=SuffixInfo(False)))
    assert finding.severity is Severity.WARNING


def test_fixed_names_aws_requires_are_exempt() -> None:
    role = bucket("dms", Literal("dms-vpc-role"), type="AWS::IAM::Role", name_property="RoleName")
    other = bucket(
        "dms2", Literal("dms-vpc-management-role"), type="AWS::IAM::Role", name_property="RoleName"
    )
    findings = run(project(role, other, suffixed()))
    assert [finding.resource for finding in findings] == ["dms2"]
    assert classify_name(role, project(role)) is Verdict.EXEMPT


def test_a_bucket_named_like_a_dms_role_is_not_exempt() -> None:
    assert run(project(bucket("b", Literal("dms-vpc-role")), suffixed()))


def test_reference_to_an_auto_named_resource_is_per_deployment() -> None:
    table = bucket("table", None, type="AWS::DynamoDB::Table")
    stream = bucket("stream", concat([Literal("stream-"), Ref("table", "Id")]))
    fixed_parent = bucket("fixed", Literal("fixed-name"))
    child = bucket("child", concat([Literal("c-"), Ref("fixed", "Id")]))
    findings = run(project(table, stream, fixed_parent, child, suffixed()))
    # The fixed parent is reported; the child's name is unknowable from a fixed reference: silent.
    assert [finding.resource for finding in findings] == ["fixed"]


def test_names_scoped_to_a_parent_of_this_deployment_are_silent() -> None:
    group = Resource(
        "AppLogs", "AWS::Logs::LogGroup", Location("t.yml", 3), name=concat([Literal("/a/"), SUFFIX])
    )
    scoped = Resource(
        "ErrorFilter",
        "AWS::Logs::MetricFilter",
        Location("t.yml", 8),
        properties={"LogGroupName": Ref("AppLogs"), "FilterName": Literal("errors")},
        name=Literal("errors"),
        name_property="FilterName",
    )
    outside = Resource(
        "OtherFilter",
        "AWS::Logs::MetricFilter",
        Location("t.yml", 20),
        properties={"LogGroupName": Literal("/shared/group"), "FilterName": Literal("errors")},
        name=Literal("errors"),
        name_property="FilterName",
    )
    proj = project(group, scoped, outside, platform="cloudformation")
    assert classify_name(scoped, proj) is Verdict.SCOPED
    assert [finding.resource for finding in run(proj)] == ["OtherFilter"]


def test_security_group_names_are_scoped_to_their_vpc() -> None:
    vpc = Resource("Vpc", "AWS::EC2::VPC", Location("t.yml", 2))
    own = Resource(
        "Own",
        "AWS::EC2::SecurityGroup",
        Location("t.yml", 5),
        properties={"VpcId": Ref("Vpc"), "GroupName": Literal("web")},
        name=Literal("web"),
        name_property="GroupName",
    )
    shared = Resource(
        "Shared",
        "AWS::EC2::SecurityGroup",
        Location("t.yml", 9),
        properties={"VpcId": Literal("vpc-0123"), "GroupName": Literal("web")},
        name=Literal("web"),
        name_property="GroupName",
    )
    proj = project(vpc, own, shared, suffixed(), platform="cloudformation")
    assert [finding.resource for finding in run(proj)] == ["Shared"]


@pytest.mark.parametrize(
    "resource_type",
    [
        "AWS::Route53::HostedZone",
        "AWS::IAM::Policy",
        "AWS::ECS::TaskDefinition",
        "AWS::Config::ConfigurationRecorder",  # a singleton: IAC013's
    ],
)
def test_names_aws_lets_repeat_are_exempt(resource_type: str) -> None:
    resource = bucket("R", Literal("fixed"), type=resource_type, name_property="Name")
    assert classify_name(resource, project(resource)) is Verdict.EXEMPT
    assert run(project(resource, suffixed())) == []


def test_suffix_declared_but_unused_is_reported_once_at_the_declaration() -> None:
    proj = project(bucket("a", Literal("tap-a-dev")), bucket("b", Literal("tap-b-dev"), line=20))
    findings = run(proj)
    assert len(findings) == 3
    [summary] = [finding for finding in findings if finding.key == "suffix-unused"]
    assert summary.location == DECLARED.location
    assert "environment_suffix is declared but reaches no resource name" in summary.message
    assert "2 named resources" in summary.message
    assert summary.severity is Severity.ERROR


def test_no_unused_suffix_finding_when_some_name_differs_per_deployment_or_none_is_fixed() -> None:
    stack_named = bucket("s", concat([Unknown("stack", Origin.STACK_NAME), Literal("-s")]))
    assert [f.key for f in run(project(bucket("a", Literal("tap-a")), stack_named))] == ["a:BucketName"]
    assert run(project(bucket("a", None))) == []
    assert [f.key for f in run(project(bucket("a", Literal("x")), suffix=SuffixInfo(False)))] == [
        "a:BucketName"
    ]


def test_no_unused_suffix_finding_when_an_unknown_name_may_carry_it() -> None:
    proj = project(bucket("a", Literal("tap-a")), bucket("b", Unknown("helper result")))
    assert [finding.key for finding in run(proj)] == ["a:BucketName"]


def test_unused_suffix_finding_without_a_location_points_at_the_entry_point() -> None:
    proj = project(bucket("a", Literal("tap-a")), suffix=SuffixInfo(True, ("EnvironmentSuffix",)))
    summary = next(finding for finding in run(proj) if finding.key == "suffix-unused")
    assert summary.location == Location("tap.py", 1)


def test_fix_hint_follows_the_platform() -> None:
    cfn = SuffixInfo(True, ("EnvironmentSuffix",), Location("t.yml", 3))
    [finding, _] = run(project(bucket("a", Literal("x")), platform="cloudformation", suffix=cfn))
    assert "`BucketName: !Sub 'x-${EnvironmentSuffix}'`" in finding.fix_hint
    [cdk] = run(project(bucket("a", Literal("x")), suffixed(), platform="cdk"))
    assert "let CDK generate" in cdk.fix_hint


def test_python_hint_names_a_variable_and_keeps_unknown_parts_as_fields() -> None:
    keys = SuffixInfo(True, ("environmentSuffix", "env_suffix"), Location("tap.py", 5))
    name = concat([Literal("logs-"), Unknown("region", Origin.REGION, hint="region")])
    [finding] = run(project(bucket("logs", name), suffixed(), suffix=keys))
    assert 'f"logs-{region}-{env_suffix}"' in finding.fix_hint
    assert "Pulumi generate" in finding.fix_hint


def test_coverage_counts_named_resources_and_those_with_the_suffix() -> None:
    role = bucket("dms", Literal("dms-vpc-role"), type="AWS::IAM::Role")
    proj = project(
        suffixed("l1"),
        suffixed("l2"),
        bucket("fixed", Literal("x")),
        bucket("env", Literal("x-dev", Origin.ENV_NAME)),
        bucket("unknown", Unknown("outside")),
        bucket("auto", None),
        role,
    )
    coverage = suffix_coverage(proj)
    assert (coverage.named, coverage.with_suffix) == (5, 2)
    assert (coverage.fixed, coverage.env_name_only, coverage.unknown) == (1, 1, 1)


def test_logical_id_convention_is_off_by_default_and_a_note_when_on() -> None:
    plain = bucket("data", None)
    rendered = bucket("data-${environment_suffix}", None)
    proj = project(plain, rendered)
    assert run(proj) == []
    [note] = run(proj, {"logical-ids": True})
    assert note.severity is Severity.NOTE and note.resource == "data"
    cfn = project(plain, platform="cloudformation")
    assert run(cfn, {"logical-ids": True}) == []  # logical ids are static in templates


def test_logical_id_value_from_the_plugin_wins_over_the_rendered_text() -> None:
    carried = bucket("logs-{s}", None, options={"logical_name": concat([Literal("logs-"), SUFFIX])})
    fixed = bucket("data-{suffix}", None, options={"logical_name": Literal("data-x")})
    notes = run(project(carried, fixed), {"logical-ids": True})
    assert [note.resource for note in notes] == ["data-{suffix}"]


def test_examples_are_well_formed() -> None:
    assert len(MissingEnvironmentSuffix.VALID) >= 10
    assert len(MissingEnvironmentSuffix.INVALID) >= 10
    for example in MissingEnvironmentSuffix.INVALID:
        assert any("expect: IAC002" in text for text in example.files.values()), example.title


# -- properties over arbitrary names --------------------------------------------------------------

_ORIGINS = st.sampled_from(
    [
        Origin.NONE,
        Origin.CONFIG,
        Origin.ENV_VAR,
        Origin.ACCOUNT,
        Origin.REGION,
        Origin.ENV_NAME,
        Origin.EXTERNAL,
    ]
)
_PARTS = st.one_of(
    st.builds(Literal, st.text(max_size=8), _ORIGINS),
    st.builds(Unknown, st.just("outside"), _ORIGINS),
    st.builds(Ref, st.sampled_from(["auto", "fixed", "missing"]), st.sampled_from([None, "Arn"])),
)
_NAMES = st.lists(_PARTS, min_size=1, max_size=5).map(concat)
_TARGETS = (bucket("auto", None), bucket("fixed", Literal("fixed-name")))


@settings(max_examples=80, deadline=None)
@given(_NAMES)
def test_adding_the_suffix_to_any_name_makes_it_per_deployment(name: Value) -> None:
    proj = project(*_TARGETS, bucket("x", concat([name, Literal("-"), SUFFIX])))
    assert classify_name(proj.resources[-1], proj) is Verdict.PER_DEPLOYMENT


@settings(max_examples=80, deadline=None)
@given(_NAMES)
def test_only_names_known_to_be_shared_are_reported(name: Value) -> None:
    target = bucket("x", name)
    proj = project(*_TARGETS, target)
    verdict = classify_name(target, proj)
    reported = {finding.resource for finding in run(proj) if finding.key != "suffix-unused"}
    assert ("x" in reported) == (verdict in (Verdict.FIXED, Verdict.ENV_NAME_ONLY))
    if verdict is Verdict.FIXED:
        # Fixed means: every part is a literal, the account or the region.
        parts = name.parts if isinstance(name, Concat) else (name,)
        for part in parts:
            assert isinstance(part, Literal) or part.origin & (Origin.ACCOUNT | Origin.REGION)
