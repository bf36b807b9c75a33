"""IAC004-IAC006 never raise on arbitrary models: any value where a property is expected."""

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
from analyzer.rules.iac004_dms_role_name import DmsRoleName
from analyzer.rules.iac005_missing_dependency import MissingDependency, orderings
from analyzer.rules.iac006_static_parameter_apply_method import StaticParameterApplyMethod

IDS = [f"R{i}" for i in range(6)]
# Every type the three rules read, so the generated models exercise their relations.
TYPES = sorted(
    {t for o in orderings() for t in o.dependent_types if "*" not in t}
    | {
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::EC2::InternetGateway",
        "AWS::Lambda::Permission",
        "AWS::Logs::LogGroup",
        "AWS::RDS::DBClusterParameterGroup",
        "AWS::RDS::DBParameterGroup",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        "Custom::Seed",
    }
)
KEYS = [
    "Name",
    "Value",
    "ApplyMethod",
    "Statement",
    "Principal",
    "Service",
    "Action",
    "SubnetIds",
    "Function",
]
PROPS = [
    "Parameters",
    "Family",
    "AssumeRolePolicyDocument",
    "ManagedPolicyArns",
    "Role",
    "Roles",
    "PolicyArn",
    "PolicyDocument",
    "VpcId",
    "InternetGatewayId",
    "GatewayId",
    "Subnets",
    "SubnetId",
    "Scheme",
    "Internal",
    "FunctionName",
    "Principal",
    "LogGroupName",
    "ServiceToken",
    "NotificationConfiguration",
    "VpcConfig",
    "EventSourceArn",
    "RestApiId",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=12),
    st.sampled_from(["immediate", "dms.amazonaws.com"]),
)
leaves: st.SearchStrategy[Value] = st.one_of(
    scalars.map(Literal),
    st.builds(Ref, st.sampled_from(IDS), st.sampled_from([None, "Arn", "Name"])),
    st.builds(Unknown, st.text(max_size=5), st.sampled_from([Origin.NONE, Origin.SUFFIX, Origin.CONFIG])),
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
    lambda rid, rtype, props, name, deps: Resource(
        rid, rtype, Location("lib/x.py", 1), props, name=name, depends_on=tuple(Dependency(d) for d in deps)
    ),
    st.sampled_from(IDS),
    st.sampled_from(TYPES),
    st.dictionaries(st.sampled_from(PROPS), values, max_size=5),
    st.one_of(st.none(), values),
    st.lists(st.sampled_from(IDS), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(resources, max_size=6, unique_by=lambda r: r.id),
    st.sampled_from(["pulumi", "cdk", "cloudformation"]),
)
def test_rules_never_raise(items: list[Resource], platform: str) -> None:
    project = Project(root="/x", platform=platform, resources=tuple(items))
    context = RuleContext(project, ResourceGraph(project))
    for rule in (DmsRoleName, MissingDependency, StaticParameterApplyMethod):
        for finding in rule().check(context):
            assert finding.rule_id == rule.id and finding.message and finding.location.path
