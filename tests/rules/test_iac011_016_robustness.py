"""IAC011-IAC016 and the review facts never raise on arbitrary models: any value where a property,
an option, a parameter, metadata or a lookup fact is expected."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.graph import ResourceGraph
from analyzer.model import (
    Concat,
    Dependency,
    Literal,
    Location,
    Origin,
    Project,
    Ref,
    Resource,
    Unknown,
    Value,
)
from analyzer.rules.base import RuleContext
from analyzer.rules.iac011_dependency_cycle import DependencyCycle
from analyzer.rules.iac012_not_destroyable import NotDestroyable
from analyzer.rules.iac013_account_singleton import AccountSingleton
from analyzer.rules.iac014_hardcoded_environment import HardcodedEnvironment
from analyzer.rules.iac015_hardcoded_secret import HardcodedSecret
from analyzer.rules.iac016_project_metadata import ProjectMetadata

IDS = [f"R{i}" for i in range(5)]
TYPES = [
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::RDS::DBCluster",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Instance",
    "AWS::IAM::Role",
    "AWS::IAM::ServiceLinkedRole",
    "AWS::GuardDuty::Detector",
    "AWS::SSM::Parameter",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::CloudTrail::Trail",
    "Pulumi::AWS::S3::BucketObject",
]
SOURCE_TYPES = [
    "",
    "aws:rds/cluster:Cluster",
    "aws_cdk.aws_kms.Key",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
]
PROPS = [
    "MasterUserPassword",
    "SecretString",
    "ImageId",
    "KeyName",
    "SecurityGroupIngress",
    "DeletionProtection",
    "SkipFinalSnapshot",
    "ForceDestroy",
    "LoadBalancerAttributes",
    "S3BucketName",
    "Bucket",
    "Type",
    "Value",
    "CustomSuffix",
    "Environment",
]
OPTIONS = [
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "RemovalPolicy",
    "protect",
    "retain_on_delete",
    "Condition",
]
KEYS = ["Key", "Value", "password", "SourceSecurityGroupId", "Variables", "DB_PASSWORD"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=12),
    st.sampled_from(
        [
            "Retain",
            "Snapshot",
            "ami-0abcdef1234567890",
            "us-east-1a",
            "arn:aws:sqs:us-east-1:123456789012:q",
            "deletion_protection.enabled",
            "true",
            "SecureString",
            '{"password": "x"}',
            "{",
        ]
    ),
)
leaves: st.SearchStrategy[Value] = st.one_of(
    scalars.map(Literal),
    st.builds(
        Literal, scalars, st.sampled_from([Origin.NONE, Origin.PARAMETER | Origin.CONFIG, Origin.CONFIG])
    ),
    st.builds(Ref, st.sampled_from(IDS), st.sampled_from([None, "Arn", "GroupId"])),
    st.builds(
        Unknown,
        st.text(max_size=5),
        st.sampled_from([Origin.NONE, Origin.PARAMETER, Origin.EXTERNAL]),
        st.none(),
        st.sampled_from([None, "KeyName", "R1"]),
    ),
)
values: st.SearchStrategy[Value] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: Literal(tuple(items))),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3).map(Literal),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: Concat(tuple(parts))),
    ),
    max_leaves=8,
)
resources = st.builds(
    lambda rid, rtype, source, props, options, name, deps: Resource(
        rid,
        rtype,
        Location("lib/x.py", 1),
        props,
        options=options,
        name=name,
        source_type=source,
        depends_on=tuple(Dependency(d) for d in deps),
    ),
    st.sampled_from(IDS),
    st.sampled_from(TYPES),
    st.sampled_from(SOURCE_TYPES),
    st.dictionaries(st.sampled_from(PROPS), values, max_size=5),
    st.dictionaries(st.sampled_from(OPTIONS), values, max_size=3),
    st.one_of(st.none(), values),
    st.lists(st.sampled_from(IDS), max_size=2),
)
json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
metadata = st.one_of(
    st.just({}),
    st.dictionaries(
        st.sampled_from(["platform", "language", "aws_services", "complexity"]), json_like, max_size=4
    ),
)
facts = st.one_of(
    st.just({}),
    st.builds(
        lambda items: {"lookups": items},
        st.lists(
            st.one_of(
                json_like,
                st.fixed_dictionaries(
                    {
                        "call": st.sampled_from(["aws.ec2.get_vpc", 3]),
                        "arguments": st.one_of(json_like, st.just({"default": Literal(True)})),
                        "location": st.sampled_from([Location("x.py", 2), "x.py:2"]),
                    }
                ),
            ),
            max_size=3,
        ),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(resources, max_size=5, unique_by=lambda r: r.id),
    st.sampled_from(["pulumi", "cdk", "cloudformation"]),
    st.dictionaries(st.sampled_from(["KeyName", "DbPassword", "X"]), values, max_size=3),
    metadata,
    facts,
)
def test_rules_never_raise(
    items: list[Resource], platform: str, parameters: dict, meta: dict, fact: dict
) -> None:
    project = Project(
        root="/x", platform=platform, resources=tuple(items), parameters=parameters, metadata=meta, facts=fact
    )
    context = RuleContext(project, ResourceGraph(project))
    for rule in (
        DependencyCycle,
        NotDestroyable,
        AccountSingleton,
        HardcodedEnvironment,
        HardcodedSecret,
        ProjectMetadata,
    ):
        for finding in rule().check(context):
            assert finding.rule_id == rule.id and finding.message and finding.location.path
