"""IAC004 on hand-built models: which roles are DMS's named roles, and which names are wrong."""

from __future__ import annotations

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac004_dms_role_name import DmsRoleName, dms_trust, wrong_name

PATH = "lib/tap_stack.py"
VPC_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"


def trust(*services: str) -> Literal:
    principal = Literal({"Service": Literal(tuple(Literal(s) for s in services))})
    statement = Literal(
        {"Effect": Literal("Allow"), "Principal": principal, "Action": Literal("sts:AssumeRole")}
    )
    return Literal({"Statement": Literal((statement,))})


def role(
    rid: str = "DmsVpcRole",
    name: Value | None = None,
    policies: tuple[str, ...] = (VPC_POLICY,),
    services: tuple[str, ...] = ("dms.amazonaws.com",),
    line: int = 5,
) -> Resource:
    props: dict[str, Value] = {"AssumeRolePolicyDocument": trust(*services)}
    if policies:
        props["ManagedPolicyArns"] = Literal(tuple(Literal(p) for p in policies))
    return Resource(
        rid, "AWS::IAM::Role", Location(PATH, line), properties=props, name=name, name_property="name"
    )


def subnet_group(line: int = 30) -> Resource:
    return Resource("SubnetGroup", "AWS::DMS::ReplicationSubnetGroup", Location(PATH, line))


def run(*resources: Resource) -> list:
    project = Project(root="/x", platform="pulumi", resources=resources)
    return list(DmsRoleName().check(RuleContext(project, ResourceGraph(project))))


def test_seed_002_suffixed_name_is_reported_at_the_name() -> None:
    name = Concat(
        (Literal("dms-vpc-management-role-"), Unknown("args.environment_suffix", Origin.SUFFIX)),
        Origin.SUFFIX,
        Location(PATH, 7),
    )
    findings = run(role(name=name), subnet_group())
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity is Severity.ERROR and finding.location.line == 7
    assert "'dms-vpc-role'" in finding.message and "DmsVpcRole" in finding.message
    assert "account-wide singleton" in finding.fix_hint and "IAC002" in finding.fix_hint
    assert finding.related and finding.related[0].location.line == 30


def test_exact_name_is_silent_and_generated_name_is_reported() -> None:
    assert run(role(name=Literal("dms-vpc-role", location=Location(PATH, 6))), subnet_group()) == []
    findings = run(role(name=None), subnet_group())
    assert [f.location.line for f in findings] == [5]
    assert "generates" in findings[0].message


def test_policy_through_a_pulumi_attachment() -> None:
    attachment = Resource(
        "attach",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        Location(PATH, 12),
        properties={"Role": Ref("DmsVpcRole", "Name"), "PolicyArn": Literal(VPC_POLICY)},
    )
    findings = run(role(name=Literal("my-dms-role"), policies=()), attachment, subnet_group())
    assert len(findings) == 1 and "is named 'my-dms-role'" in findings[0].message


def test_attachment_naming_the_role_by_literal_name() -> None:
    attachment = Resource(
        "attach",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        Location(PATH, 12),
        properties={"Role": Literal("legacy-dms"), "PolicyArn": Literal(VPC_POLICY)},
    )
    findings = run(role(name=Literal("legacy-dms"), policies=()), attachment, subnet_group())
    assert len(findings) == 1


def test_role_not_trusted_by_dms_is_not_a_dms_role() -> None:
    findings = run(role(name=Literal("other"), services=("lambda.amazonaws.com",)), subnet_group())
    # Not the VPC role, so the project has none: only the note remains.
    assert [(f.severity, f.key) for f in findings] == [(Severity.NOTE, "missing:dms-vpc-role")]


def test_no_dms_resources_no_findings() -> None:
    assert run(role(name=Literal("wrong"))) == []


def test_missing_role_note_only_for_resources_that_need_it() -> None:
    findings = run(subnet_group())
    assert len(findings) == 1 and findings[0].severity is Severity.NOTE
    assert "must already exist" in findings[0].message
    endpoint = Resource("Endpoint", "AWS::DMS::Endpoint", Location(PATH, 3))
    assert run(endpoint) == []


def test_name_prefix_with_dms_trust_counts_without_policy() -> None:
    name = Concat((Literal("dms-vpc-role-"), Unknown("suffix", Origin.SUFFIX)), Origin.SUFFIX)
    findings = run(role(name=name, policies=()), subnet_group())
    assert len(findings) == 1 and "is trusted by DMS" in findings[0].message


def test_unknown_name_is_silent() -> None:
    assert run(role(name=Unknown("config.require('roleName')", Origin.CONFIG)), subnet_group()) == []


def test_wrong_name_reasoning() -> None:
    assert wrong_name(Literal("dms-vpc-role"), "dms-vpc-role") is None
    assert wrong_name(Literal("dms-vpc-role-dev"), "dms-vpc-role") is not None
    assert wrong_name(None, "dms-vpc-role") is not None
    # An assembled name that could still be exactly right stays unknown.
    assert wrong_name(Concat((Literal("dms-"), Unknown("x"), Literal("-role"))), "dms-vpc-role") is None
    assert wrong_name(Concat((Unknown("x"), Literal("-dms-vpc-role"))), "dms-vpc-role") is not None
    assert wrong_name(Concat((Literal("app-"), Unknown("x"))), "dms-vpc-role") is not None
    assert (
        wrong_name(
            Concat((Literal("dms-vpc-role"), Unknown("x", Origin.STACK_NAME)), Origin.STACK_NAME),
            "dms-vpc-role",
        )
        is not None
    )


def test_trust_reading() -> None:
    assert dms_trust(role(services=("dms.amazonaws.com",))) is True
    assert dms_trust(role(services=("dms.us-east-1.amazonaws.com",))) is True
    assert dms_trust(role(services=("ec2.amazonaws.com",))) is False
    unknown = Resource(
        "R", "AWS::IAM::Role", Location(PATH, 1), properties={"AssumeRolePolicyDocument": Unknown("x")}
    )
    assert dms_trust(unknown) is None


def test_pulumi_policy_attachment_with_roles_list() -> None:
    attachment = Resource(
        "attach",
        "Pulumi::AWS::IAM::PolicyAttachment",
        Location(PATH, 12),
        properties={"Roles": Literal((Ref("DmsVpcRole", "Name"),)), "PolicyArn": Literal(VPC_POLICY)},
    )
    findings = run(role(name=Literal("dms-role"), policies=()), attachment, subnet_group())
    assert len(findings) == 1 and findings[0].key == "dms-vpc-role"


def test_redshift_role_passed_by_arn_needs_no_fixed_name() -> None:
    redshift_policy = "arn:aws:iam::aws:policy/service-role/AmazonDMSRedshiftS3Role"
    access = role("AccessRole", name=Literal("redshift-access"), policies=(redshift_policy,))
    passed = Resource(
        "Target",
        "AWS::DMS::Endpoint",
        Location(PATH, 40),
        properties={"RedshiftSettings": Literal({"ServiceAccessRoleArn": Ref("AccessRole", "Arn")})},
    )
    assert run(access, passed) == []
    by_name = Resource(
        "Target", "AWS::DMS::Endpoint", Location(PATH, 40), properties={"EngineName": Literal("redshift")}
    )
    assert [f.key for f in run(access, by_name)] == ["dms-access-for-endpoint"]


def test_a_role_name_computed_from_another_resource_is_not_judged() -> None:
    # A Ref (e.g. a name taken from another resource) reached .parts and raised AttributeError.
    from analyzer.model import Ref
    from analyzer.rules.iac004_dms_role_name import wrong_name

    assert wrong_name(Ref("NameSource", "Name"), "dms-vpc-role") is None
    assert wrong_name(Unknown("from config"), "dms-vpc-role") is None
