"""IAC004 dms-role-name: DMS finds its service roles by fixed names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.findings import Finding, Related, Severity
from analyzer.model import Concat, Literal, Location, Project, Ref, Resource, Value, items_of, render
from analyzer.rules.base import Example, Rule, RuleContext

if TYPE_CHECKING:  # the report's suffix figures import this module; networkx is not needed there
    from analyzer.graph import ResourceGraph

_SOURCE = (
    "AWS DMS User Guide, 'Creating the IAM roles to use with AWS DMS' "
    "(https://docs.aws.amazon.com/dms/latest/userguide/security-iam.html#CHAP_Security.APIRole)"
)


@dataclass(frozen=True, slots=True)
class DmsRoleSpec:
    """A role DMS looks up by name in the account, and the AWS managed policy it must carry."""

    name: str
    managed_policy: str
    needed_by: tuple[str, ...]  # resource types whose creation needs the role
    purpose: str
    # Resource types that may instead be given the role's ARN (then its name does not matter).
    passed_to: tuple[str, ...] = ()


# Source for every entry: the DMS User Guide section named in _SOURCE. The VPC role is required to
# create replication subnet groups and instances (and serverless replication configs); the
# CloudWatch role only when task logging is on; the endpoint role for Redshift targets.
DMS_ROLES: tuple[DmsRoleSpec, ...] = (
    DmsRoleSpec(
        "dms-vpc-role",
        "AmazonDMSVPCManagementRole",
        ("AWS::DMS::ReplicationSubnetGroup", "AWS::DMS::ReplicationInstance", "AWS::DMS::ReplicationConfig"),
        "to manage the network interfaces of replication subnet groups and instances",
    ),
    DmsRoleSpec(
        "dms-cloudwatch-logs-role",
        "AmazonDMSCloudWatchLogsRole",
        (),
        "to write replication task logs to CloudWatch Logs",
    ),
    DmsRoleSpec(
        "dms-access-for-endpoint",
        "AmazonDMSRedshiftS3Role",
        (),
        "to load data into Amazon Redshift targets through S3",
        # A Redshift endpoint may name its role (RedshiftSettings.ServiceAccessRoleArn, DMS API
        # reference), and then DMS uses that role instead of looking one up by name.
        passed_to=("AWS::DMS::Endpoint",),
    ),
)

DMS_RESOURCE_PREFIX = "AWS::DMS::"
ROLE_TYPE = "AWS::IAM::Role"
# Attachment resources that carry a managed policy ARN (PolicyArn) for roles named in Role/Roles
# (Pulumi's RolePolicyAttachment and PolicyAttachment; CloudFormation and CDK put managed policies on
# the role itself, in ManagedPolicyArns).
ATTACHMENT_TYPES = ("Pulumi::AWS::IAM::RolePolicyAttachment", "Pulumi::AWS::IAM::PolicyAttachment")
_ATTACHMENT_ROLE_PROPERTIES = ("Role", "Roles")

_DMS_PRINCIPAL = re.compile(r"^dms\.(?:[^.]+\.)?amazonaws\.com(?:\.cn)?$")


@dataclass(frozen=True, slots=True)
class DmsRoleUse:
    """A role in the project that is meant to be one of DMS's named roles."""

    role: Resource
    spec: DmsRoleSpec
    attachments: tuple[Resource, ...]  # separate attachments carrying the managed policy
    by_policy: bool  # identified by its managed policy (else by its name's prefix and DMS trust)


def dms_trust(role: Resource) -> bool | None:
    """True when the trust policy lets DMS assume the role, False when it certainly does not,
    None when the document is not known."""
    document = role.prop("AssumeRolePolicyDocument")
    if not isinstance(document, Literal) or not isinstance(document.value, dict):
        return None
    uncertain = False
    for statement in items_of(document.value.get("Statement")):
        if not isinstance(statement, Literal) or not isinstance(statement.value, dict):
            uncertain = True
            continue
        principal = statement.value.get("Principal")
        services = (
            principal.value.get("Service")
            if isinstance(principal, Literal) and isinstance(principal.value, dict)
            else principal
        )
        for service in items_of(services):
            text = render(service)
            if _DMS_PRINCIPAL.match(text.replace("${AWS::Region}", "region")):
                return True
            if not isinstance(service, Literal):
                uncertain = True
    return None if uncertain else False


def _mentions_policy(value: Value | None, policy: str) -> bool:
    """Whether a managed-policy ARN value (literal, assembled, or an unknown with its source text)
    names ``policy``: ``arn:${AWS::Partition}:iam::aws:policy/service-role/<policy>``."""
    if value is None:
        return False
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(policy)}(?![A-Za-z0-9])", render(value)) is not None


def attachments_of(role: Resource, project: Project) -> list[Resource]:
    """Attachment resources that attach a managed policy to ``role`` (by reference or by its literal name)."""
    name = role.name.value if isinstance(role.name, Literal) and isinstance(role.name.value, str) else None
    found: list[Resource] = []
    for attachment in project.of_type(*ATTACHMENT_TYPES):
        for key in _ATTACHMENT_ROLE_PROPERTIES:
            targets = items_of(attachment.prop(key))
            if any(
                (isinstance(t, Ref) and t.resource == role.id)
                or (name and isinstance(t, Literal) and t.value == name)
                for t in targets
            ):
                found.append(attachment)
                break
    return found


def dms_role_uses(project: Project) -> list[DmsRoleUse]:
    uses: list[DmsRoleUse] = []
    for role in project.of_type(ROLE_TYPE):
        trust = dms_trust(role)
        if trust is False:
            continue  # a role DMS cannot assume is not one of its named roles
        attachments = attachments_of(role, project)
        on_role = items_of(role.prop("ManagedPolicyArns"))
        for spec in DMS_ROLES:
            carrying = [a for a in attachments if _mentions_policy(a.prop("PolicyArn"), spec.managed_policy)]
            if carrying or any(_mentions_policy(arn, spec.managed_policy) for arn in on_role):
                uses.append(DmsRoleUse(role, spec, tuple(carrying), by_policy=True))
            elif trust and _name_prefix(role.name).startswith(spec.name):
                uses.append(DmsRoleUse(role, spec, (), by_policy=False))
    return uses


def _name_prefix(name: Value | None) -> str:
    if isinstance(name, Literal) and isinstance(name.value, str):
        return name.value
    if isinstance(name, Concat) and name.parts and isinstance(name.parts[0], Literal):
        first = name.parts[0].value
        return first if isinstance(first, str) else ""
    return ""


def wrong_name(name: Value | None, expected: str) -> str | None:
    """Why ``name`` cannot be ``expected``; None when it is (or may be) exactly ``expected``."""
    if name is None:
        return "has no fixed name, so the platform generates one"
    if isinstance(name, Literal):
        if name.value == expected:
            return None
        return f"is named '{render(name)}'" if isinstance(name.value, str) else None
    if name.origin.per_deployment:
        return f"is named '{render(name)}', which changes with every deployment"
    if not isinstance(name, Concat):
        return None  # an Unknown or a Ref: from outside or computed, it may well be the right name
    literal_text = [p.value for p in name.parts if isinstance(p, Literal) and isinstance(p.value, str)]
    first, last = name.parts[0], name.parts[-1]
    if (
        sum(len(text) for text in literal_text) > len(expected)
        or (isinstance(first, Literal) and not expected.startswith(str(first.value)))
        or (isinstance(last, Literal) and not expected.endswith(str(last.value)))
    ):
        return f"is named '{render(name)}'"
    return None


def _name_location(role: Resource) -> Location:
    if role.name is not None and role.name.location is not None:
        return role.name.location
    return role.location_of(role.name_property) if role.name is not None else role.location


def _dms_users(project: Project, spec: DmsRoleSpec) -> list[Resource]:
    return [r for r in project.resources if r.type in spec.needed_by]


class DmsRoleName(Rule):
    """
    ## What it does
    When the project creates AWS DMS resources, checks the roles DMS looks up **by name** in the
    account: `dms-vpc-role` (with the AWS managed policy `AmazonDMSVPCManagementRole`),
    `dms-cloudwatch-logs-role` (`AmazonDMSCloudWatchLogsRole`) and `dms-access-for-endpoint`
    (`AmazonDMSRedshiftS3Role`, for Redshift targets). A role that DMS can assume and that carries
    one of those policies (in `ManagedPolicyArns` or through an attachment resource), or whose name
    starts with one of those names, must be named exactly that: any other name, a suffixed name
    or a generated name (no `RoleName`/`role_name`/`name`) is reported. A project that creates
    replication subnet groups or instances and defines no `dms-vpc-role` gets a note: the role
    must already exist in the account.

    These roles are account-wide singletons. Create them once per account (a separate bootstrap
    stack, or conditionally) and do not add the environment suffix to them: the suffix check
    (IAC002) accepts these exact names.

    ## Why is this bad
    DMS never reads a role ARN for these: it asks IAM for `dms-vpc-role` itself. With any other
    name the subnet group fails: `AccessDeniedFault: The IAM Role
    arn:aws:iam::123456789012:role/dms-vpc-role is not configured properly`, and every DMS resource
    after it is blocked. Source: AWS DMS User Guide, "Creating the IAM roles to use with AWS DMS".

    ## Example
    ```python
    dms_vpc_role = aws.iam.Role(
        f"dms-vpc-role-{suffix}",
        name=f"dms-vpc-management-role-{suffix}",
        assume_role_policy=dms_trust,
        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
    )
    ```

    ## Use instead
    ```python
    dms_vpc_role = aws.iam.Role(
        "dms-vpc-role",
        name="dms-vpc-role",  # exact: DMS looks the role up by this name (IAC002 accepts it)
        assume_role_policy=dms_trust,
        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
    )
    ```
    and create it in one stack per account only (or skip it when it already exists).
    """

    id = "IAC004"
    name = "dms-role-name"
    severity = Severity.ERROR
    summary = "a DMS service role is not named exactly as DMS looks it up (dms-vpc-role, ...)"
    tags = ("dms", "iam", "deploy-failure")
    VALID = [
        Example.cfn_yaml(
            """
            Parameters:
              EnvironmentSuffix:
                Type: String
            Resources:
              DmsVpcRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: dms-vpc-role
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: {Service: dms.amazonaws.com}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole
              SubnetGroup:
                Type: AWS::DMS::ReplicationSubnetGroup
                DependsOn: DmsVpcRole
                Properties:
                  ReplicationSubnetGroupDescription: dms
                  SubnetIds: [subnet-1, subnet-2]
            """,
            title="exact name",
        ),
        Example.cfn_yaml(
            """
            Resources:
              DmsLogsRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: dms-cloudwatch-logs-role
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: [dms.amazonaws.com]}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole
              Endpoint:
                Type: AWS::DMS::Endpoint
                Properties:
                  EndpointType: source
                  EngineName: postgres
            """,
            title="CloudWatch role with its exact name; an endpoint needs no VPC role",
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "DmsVpcRole": {
                  "Type": "AWS::IAM::Role",
                  "Properties": {
                    "RoleName": "dms-vpc-role",
                    "AssumeRolePolicyDocument": {
                      "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                     "Action": "sts:AssumeRole"}]
                    },
                    "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"]
                  }
                },
                "Instance": {
                  "Type": "AWS::DMS::ReplicationInstance",
                  "DependsOn": "DmsVpcRole",
                  "Properties": {"ReplicationInstanceClass": "dms.t3.medium"}
                }
              }
            }
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              AppRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: lambda.amazonaws.com}
                        Action: sts:AssumeRole
              Task:
                Type: AWS::DMS::ReplicationTask
                Properties:
                  MigrationType: full-load
                  TableMappings: "{}"
                  ReplicationInstanceArn: arn:aws:dms:us-east-1:123456789012:rep:ABC
                  SourceEndpointArn: arn:aws:dms:us-east-1:123456789012:endpoint:SRC
                  TargetEndpointArn: arn:aws:dms:us-east-1:123456789012:endpoint:TGT
            """,
            title="a role that is not DMS's: auto-naming is fine",
        ),
        Example.cfn_yaml(
            """
            Resources:
              DmsVpcRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: dms.amazonaws.com}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole
            """,
            title="no DMS resources in the project: nothing is looked up",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    self.dms_vpc_role = aws.iam.Role(
                        "dms-vpc-role",
                        name="dms-vpc-role",
                        assume_role_policy=json.dumps({
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
                    aws.dms.ReplicationSubnetGroup(
                        f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_id=f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_description="dms",
                        subnet_ids=["subnet-1", "subnet-2"],
                        opts=pulumi.ResourceOptions(parent=self, depends_on=[self.dms_vpc_role]),
                    )
            """,
            title="seed 002 fixed",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    role = aws.iam.Role(
                        "dms-vpc-role",
                        name="dms-vpc-role",
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                    )
                    attachment = aws.iam.RolePolicyAttachment(
                        "dms-vpc-role-policy",
                        role=role.name,
                        policy_arn="arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
                    )
                    aws.dms.ReplicationInstance(
                        f"dms-{args.environment_suffix}",
                        replication_instance_id=f"dms-{args.environment_suffix}",
                        replication_instance_class="dms.t3.medium",
                        opts=pulumi.ResourceOptions(depends_on=[role, attachment]),
                    )
            """,
            title="policy through an attachment, exact name",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_dms as dms
            from aws_cdk import aws_iam as iam
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix: str | None = None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    role = iam.Role(
                        self,
                        "DmsVpcRole",
                        role_name="dms-vpc-role",
                        assumed_by=iam.ServicePrincipal("dms.amazonaws.com"),
                        managed_policies=[
                            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonDMSVPCManagementRole")
                        ],
                    )
                    group = dms.CfnReplicationSubnetGroup(
                        self,
                        "SubnetGroup",
                        replication_subnet_group_description="dms",
                        subnet_ids=["subnet-1", "subnet-2"],
                    )
                    group.node.add_dependency(role)
            """,
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Parameters:
              EnvironmentSuffix:
                Type: String
            Resources:
              DmsVpcRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: !Sub dms-vpc-role-${EnvironmentSuffix}  # expect: IAC004
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: dms.amazonaws.com}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole
              SubnetGroup:
                Type: AWS::DMS::ReplicationSubnetGroup
                DependsOn: DmsVpcRole
                Properties:
                  ReplicationSubnetGroupDescription: dms
                  SubnetIds: [subnet-1, subnet-2]
            """,
            title="suffixed name",
        ),
        Example.cfn_yaml(
            """
            Resources:
              DmsVpcRole:  # expect: IAC004
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: dms.amazonaws.com}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonDMSVPCManagementRole
              Instance:
                Type: AWS::DMS::ReplicationInstance
                DependsOn: DmsVpcRole
                Properties:
                  ReplicationInstanceClass: dms.t3.medium
            """,
            title="generated name",
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "DmsLogsRole": {
                  "Type": "AWS::IAM::Role",
                  "Properties": {
                    "RoleName": "dms-cloudwatch-logs", // expect: IAC004
                    "AssumeRolePolicyDocument": {
                      "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                     "Action": "sts:AssumeRole"}]
                    },
                    "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole"]
                  }
                },
                "Endpoint": {
                  "Type": "AWS::DMS::Endpoint",
                  "Properties": {"EndpointType": "target", "EngineName": "aurora-postgresql"}
                }
              }
            }
            """,
            title="CloudWatch logs role misnamed",
        ),
        Example.cfn_yaml(
            """
            Resources:
              SubnetGroup:  # expect: IAC004
                Type: AWS::DMS::ReplicationSubnetGroup
                Properties:
                  ReplicationSubnetGroupDescription: dms
                  SubnetIds: [subnet-1, subnet-2]
            """,
            title="note: no dms-vpc-role in the project, it must pre-exist",
        ),
        Example.cfn_yaml(
            """
            Resources:
              RedshiftAccessRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: redshift-dms-access  # expect: IAC004
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: [dms.amazonaws.com, redshift.amazonaws.com]}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AmazonDMSRedshiftS3Role
              Target:
                Type: AWS::DMS::Endpoint
                Properties:
                  EndpointType: target
                  EngineName: redshift
            """,
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    self.dms_vpc_role = aws.iam.Role(
                        f"dms-vpc-role-{args.environment_suffix}",
                        name=f"dms-vpc-management-role-{args.environment_suffix}",  # expect: IAC004
                        assume_role_policy=json.dumps({
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
                    aws.dms.ReplicationSubnetGroup(
                        f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_id=f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_description="dms",
                        subnet_ids=["subnet-1", "subnet-2"],
                        opts=pulumi.ResourceOptions(parent=self, depends_on=[self.dms_vpc_role]),
                    )
            """,
            title="seed 002",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    role = aws.iam.Role(  # expect: IAC004
                        "dms-vpc-role",
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                    )
                    attachment = aws.iam.RolePolicyAttachment(
                        "dms-vpc-role-policy",
                        role=role.name,
                        policy_arn="arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
                    )
                    aws.dms.ReplicationInstance(
                        f"dms-{args.environment_suffix}",
                        replication_instance_id=f"dms-{args.environment_suffix}",
                        replication_instance_class="dms.t3.medium",
                        opts=pulumi.ResourceOptions(depends_on=[role, attachment]),
                    )
            """,
            title="Pulumi auto-names the role (dms-vpc-role-1a2b3c4)",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_dms as dms
            from aws_cdk import aws_iam as iam
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix: str | None = None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    suffix = props.environment_suffix
                    role = iam.Role(
                        self,
                        "DmsVpcRole",
                        role_name=f"dms-vpc-role-{suffix}",  # expect: IAC004
                        assumed_by=iam.ServicePrincipal("dms.amazonaws.com"),
                        managed_policies=[
                            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonDMSVPCManagementRole")
                        ],
                    )
                    group = dms.CfnReplicationSubnetGroup(
                        self,
                        "SubnetGroup",
                        replication_subnet_group_description="dms",
                        subnet_ids=["subnet-1", "subnet-2"],
                    )
                    group.node.add_dependency(role)
            """,
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        if not any(r.type.startswith(DMS_RESOURCE_PREFIX) for r in project.resources):
            return
        uses = dms_role_uses(project)
        yield from self._misnamed(project, ctx.graph, uses)
        yield from self._missing(project, uses)

    def _misnamed(self, project: Project, graph: ResourceGraph, uses: list[DmsRoleUse]) -> Iterator[Finding]:
        by_role: dict[str, list[DmsRoleUse]] = {}
        for use in uses:
            by_role.setdefault(use.role.id, []).append(use)
        for role_uses in by_role.values():
            role = role_uses[0].role
            problems = [(use, wrong_name(role.name, use.spec.name)) for use in role_uses]
            if any(problem is None for _, problem in problems):
                continue  # named right for one of its DMS purposes
            referrers = {r.type for rid in graph.referrers(role.id) if (r := project.resource(rid))}
            problems = [(use, p) for use, p in problems if not referrers.intersection(use.spec.passed_to)]
            if not problems:
                continue  # handed to DMS by ARN, so its name does not matter
            use, problem = problems[0]
            spec = use.spec
            why = f"carries {spec.managed_policy}" if use.by_policy else "is trusted by DMS"
            users = _dms_users(project, spec)
            related = [Related(r.location, f"{r.type} '{r.id}' needs '{spec.name}'") for r in users[:3]]
            message = (
                f"Role '{role.id}' {why} but {problem}; DMS looks up the role named exactly "
                f"'{spec.name}' {spec.purpose}, so it fails with 'The IAM Role "
                f"arn:aws:iam::<account>:role/{spec.name} is not configured properly'"
            )
            hint = (
                f"name the role exactly '{spec.name}' (RoleName / role_name / name). It is an account-wide "
                f"singleton: create it once per account (a bootstrap stack, or only when it does not exist "
                f"yet); do not add the environment suffix to it (the suffix check, IAC002, accepts this "
                f"exact name)"
            )
            yield self.finding(
                message, _name_location(role), hint, resource=role.id, key=f"{spec.name}", related=related
            )

    def _missing(self, project: Project, uses: list[DmsRoleUse]) -> Iterator[Finding]:
        for spec in DMS_ROLES:
            users = _dms_users(project, spec)
            if not users or any(use.spec is spec for use in uses) or _named_role(project, spec.name):
                continue
            first = users[0]
            message = (
                f"{first.type} '{first.id}' needs the IAM role '{spec.name}' ({spec.managed_policy}), "
                f"which this project does not create: it must already exist in the account, or the "
                f"deployment fails with 'The IAM Role ...:role/{spec.name} is not configured properly'"
            )
            hint = (
                f"make sure the account has a role named exactly '{spec.name}' trusted by dms.amazonaws.com "
                f"with {spec.managed_policy} attached (create it once per account, not per stack)"
            )
            yield self.finding(
                message,
                first.location,
                hint,
                resource=first.id,
                key=f"missing:{spec.name}",
                severity=Severity.NOTE,
            )


def _named_role(project: Project, name: str) -> bool:
    return any(isinstance(r.name, Literal) and r.name.value == name for r in project.of_type(ROLE_TYPE))
