"""IAC002: a resource's explicit physical name is the same on every deployment.

The plugins say which property names each resource (``Resource.name``) and where every part of that
value came from (``Origin``); this rule sorts the names into per-deployment, environment-name only,
fixed and unknowable, and reports the fixed ones. It also offers the suffix coverage figure the
reports print (:func:`suffix_coverage`)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from analyzer.awsdata import provider_schema
from analyzer.facts import SuffixCoverage
from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value, render
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.iac004_dms_role_name import DMS_ROLES, ROLE_TYPE
from analyzer.rules.iac013_account_singleton import conditional, singleton_specs

# Names AWS looks up by exact value: a stack must create them with exactly this name (once per
# account), so a suffix would break them. The DMS roles come from IAC004's table (IAC004 and IAC013
# check them); the StackSets roles are listed here.
FIXED_NAMES: Mapping[tuple[str, str], str] = {
    **{(ROLE_TYPE, spec.name): "AWS DMS looks this role up by name (IAC004)" for spec in DMS_ROLES},
    # AWS CloudFormation User Guide, "Grant self-managed permissions" (StackSets): the default
    # administration and execution roles are found by these names.
    ("AWS::IAM::Role", "AWSCloudFormationStackSetAdministrationRole"): "StackSets looks this role up by name",
    ("AWS::IAM::Role", "AWSCloudFormationStackSetExecutionRole"): "StackSets looks this role up by name",
}

# Types whose explicit name does not have to be unique, so a repeated name never collides; or that
# exist once per account and region whatever their name, so a suffix would not help (a rule about
# singletons owns those).
NAME_NEED_NOT_BE_UNIQUE: Mapping[str, str] = {
    # Route 53 Developer Guide, "Creating a public hosted zone": several hosted zones may share a name.
    "AWS::Route53::HostedZone": "hosted zones may share a name",
    # AWS Batch User Guide, "Job definitions": registering an existing name adds a revision.
    "AWS::Batch::JobDefinition": "a second registration adds a revision",
    # Athena API Reference, CreateNamedQuery: queries are identified by a generated NamedQueryId and
    # the operation has no "already exists" error.
    "AWS::Athena::NamedQuery": "queries are identified by a generated id",
    # IAM API Reference, PutRolePolicy / PutUserPolicy / PutGroupPolicy: "adds or updates" an inline
    # policy; its name is unique per principal only, and a repeated name replaces, never collides.
    "AWS::IAM::Policy": "an inline policy's name is unique per principal only",
    "AWS::IAM::RolePolicy": "an inline policy's name is unique per principal only",
    "AWS::IAM::UserPolicy": "an inline policy's name is unique per principal only",
    "AWS::IAM::GroupPolicy": "an inline policy's name is unique per principal only",
    # Amazon ECS API Reference, RegisterTaskDefinition: registering an existing family adds a revision.
    "AWS::ECS::TaskDefinition": "a second registration adds a revision",
}


@cache
def _singleton_types() -> frozenset[str]:
    """Types an account allows once whatever their name (IAC013's table, with its sources): a suffix
    would not help, so IAC002 leaves them to IAC013."""
    return frozenset(t for spec in singleton_specs() for t in spec.types)


# Names unique only within a parent that the provider schemas do not put in the primary identifier:
# type -> the properties naming that parent.
EXTRA_SCOPES: Mapping[str, tuple[str, ...]] = {
    # EC2 API Reference, CreateSecurityGroup: "the name must be unique within the VPC".
    "AWS::EC2::SecurityGroup": ("VpcId",),
    # EventBridge API Reference, PutRule: rule names are unique per event bus.
    "AWS::Events::Rule": ("EventBusName",),
    # AWS Cloud Map API Reference, CreateService: names are unique per namespace.
    "AWS::ServiceDiscovery::Service": ("NamespaceId",),
    # AppSync API Reference, CreateDataSource / CreateFunction: names are unique per API.
    "AWS::AppSync::DataSource": ("ApiId",),
    "AWS::AppSync::FunctionConfiguration": ("ApiId",),
    # Application Auto Scaling API Reference, PutScalingPolicy: a policy is identified by its name
    # together with the scalable target (namespace, resource id, dimension) it belongs to.
    "AWS::ApplicationAutoScaling::ScalingPolicy": ("ScalingTargetId", "ResourceId"),
    # Amazon EKS API Reference, CreateNodegroup: the node group's name is unique within its cluster.
    "AWS::EKS::Nodegroup": ("ClusterName",),
    # Kinesis Data Streams API Reference, RegisterStreamConsumer: consumer names are unique per stream.
    "AWS::Kinesis::StreamConsumer": ("StreamARN",),
    # EventBridge Scheduler API Reference, CreateSchedule: names are unique within a schedule group.
    "AWS::Scheduler::Schedule": ("GroupName",),
}

# Origins that name a value known to be the same for two deployments into one account and region,
# however it is obtained (a parameter, config, a lookup such as ``aws.get_region()``).
_SHARED_ORIGINS = Origin.ACCOUNT | Origin.REGION | Origin.ENV_NAME


class Verdict(enum.Enum):
    PER_DEPLOYMENT = "per-deployment"  # carries the suffix, the stack name or a unique part
    ENV_NAME_ONLY = "environment-name"  # built from an environment name such as dev/prod only
    FIXED = "fixed"  # the same on every deployment
    UNKNOWN = "unknown"  # a part comes from outside: the analysis cannot know
    EXEMPT = "exempt"  # AWS requires this exact name
    SCOPED = "scoped"  # unique only within a parent resource of this deployment


def classify_name(resource: Resource, project: Project) -> Verdict | None:
    """How ``resource``'s physical name behaves across deployments; None when it is auto-named."""
    value = resource.name
    if value is None or (isinstance(value, Literal) and value.value in (None, "")):
        return None
    if isinstance(value, Literal) and (resource.type, value.value) in FIXED_NAMES:
        return Verdict.EXEMPT
    if resource.type in NAME_NEED_NOT_BE_UNIQUE or resource.type in _singleton_types():
        return Verdict.EXEMPT
    if _scoped_in_deployment(resource, project):
        return Verdict.SCOPED
    verdict = _value_verdict(value, project)
    if verdict in (Verdict.FIXED, Verdict.ENV_NAME_ONLY) and conditional(resource):
        return Verdict.UNKNOWN  # a production-only resource is not created by the other deployments
    return verdict


def suffix_coverage(project: Project) -> SuffixCoverage:
    counts = dict.fromkeys(Verdict, 0)
    for resource in project.resources:
        verdict = classify_name(resource, project)
        if verdict is not None:
            counts[verdict] += 1
    graded = (Verdict.PER_DEPLOYMENT, Verdict.ENV_NAME_ONLY, Verdict.FIXED, Verdict.UNKNOWN)
    return SuffixCoverage(
        named=sum(counts[verdict] for verdict in graded),
        with_suffix=counts[Verdict.PER_DEPLOYMENT],
        env_name_only=counts[Verdict.ENV_NAME_ONLY],
        fixed=counts[Verdict.FIXED],
        unknown=counts[Verdict.UNKNOWN],
    )


def _value_verdict(value: Value, project: Project) -> Verdict:
    if value.origin.per_deployment:
        return Verdict.PER_DEPLOYMENT
    parts = value.parts if isinstance(value, Concat) else (value,)
    unknowable = False
    for part in parts:
        if part.origin.per_deployment:
            return Verdict.PER_DEPLOYMENT
        if isinstance(part, Ref):
            if _ref_per_deployment(part, project):
                return Verdict.PER_DEPLOYMENT
            unknowable = True
        elif isinstance(part, Unknown):
            origin = part.origin & ~Origin.MAYBE_UPPERCASE
            # An unknown is still "known to be shared" when it is an environment name, the account or
            # the region; anything else (config without default, an import, a function parameter) is
            # outside our knowledge.
            known_shared = bool(origin & _SHARED_ORIGINS)
            unknowable = unknowable or not known_shared
        elif isinstance(part, Concat):
            unknowable = unknowable or _value_verdict(part, project) is Verdict.UNKNOWN
    if unknowable:
        return Verdict.UNKNOWN
    return Verdict.ENV_NAME_ONLY if value.origin & Origin.ENV_NAME else Verdict.FIXED


def _ref_per_deployment(ref: Ref, project: Project) -> bool:
    """A reference to a resource of this deployment that is auto-named or named per deployment
    (its id, ARN or name then differs per deployment too)."""
    target = project.resource(ref.resource)
    if target is None:
        return False
    return target.name is None or target.name.origin.per_deployment


def _scoped_in_deployment(resource: Resource, project: Project) -> bool:
    """True when the name is unique only within a parent (a log group's metric filter, an API's stage)
    and that parent is a resource of this deployment: the parent's own name is what collides."""
    parents = _scope_parents(resource.type)
    if not parents:
        return False
    return any(
        _mentions_deployment_resource(resource.properties.get(prop), project)
        for prop in parents
        if prop != resource.name_property
    )


def _mentions_deployment_resource(value: Value | None, project: Project) -> bool:
    if value is None:
        return False
    if value.origin.per_deployment:
        return True
    if isinstance(value, Ref):
        return project.resource(value.resource) is not None
    if isinstance(value, Concat):
        return any(_mentions_deployment_resource(part, project) for part in value.parts)
    return False


@cache
def _scope_parents(resource_type: str) -> tuple[str, ...]:
    """The properties that, besides the name, make up the type's primary identifier (its parent
    scope), from the CloudFormation provider schemas cfn-lint ships (through ``analyzer.awsdata``)."""
    extra = EXTRA_SCOPES.get(resource_type, ())
    schema = provider_schema(resource_type)
    if not schema:
        return extra
    read_only = {_top(pointer) for pointer in schema.get("readOnlyProperties", [])}
    primary = [_top(pointer) for pointer in schema.get("primaryIdentifier", [])]
    derived = tuple(prop for prop in primary if prop and prop not in read_only and len(primary) > 1)
    return extra + tuple(prop for prop in derived if prop not in extra)


def _top(pointer: object) -> str | None:
    match = re.fullmatch(r"/properties/([A-Za-z0-9]+)", pointer) if isinstance(pointer, str) else None
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------------
# Wording per platform: how to put the suffix into a name there.


@dataclass(frozen=True, slots=True)
class _PlatformWords:
    # ``{name}`` is the current name written the platform's way, ``{suffix}`` the suffix's variable
    # or parameter, ``{prop}`` the name property.
    use_suffix: str
    auto_name: str
    logical_id: str | None  # what the platform calls a resource's own id, None: no such convention
    python: bool  # names are Python expressions (f-strings), suffix variables are identifiers


_PLATFORM_WORDS: Mapping[str, _PlatformWords] = {
    "pulumi": _PlatformWords(
        'build it from the suffix, e.g. `f"{name}-{{{suffix}}}"`',
        "or drop the name argument and let Pulumi generate a unique name",
        "Pulumi logical name",
        True,
    ),
    "cdk": _PlatformWords(
        'build it from the suffix, e.g. `f"{name}-{{{suffix}}}"`',
        "or drop the name prop and let CDK generate a unique name",
        "construct id",
        True,
    ),
    "cloudformation": _PlatformWords(
        "build it from the suffix parameter, e.g. `{prop}: !Sub '{name}-${{{suffix}}}'`",
        "or remove `{prop}` and let CloudFormation generate a unique name",
        None,
        False,
    ),
}
_NEUTRAL_WORDS = _PlatformWords(
    "include the environment suffix ({suffix}) in '{name}'",
    "or let the platform generate the name",
    None,
    False,
)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def _suffix_name(project: Project, words: _PlatformWords) -> str:
    names = project.suffix.names
    if words.python:
        # suffix.names mixes config keys (environmentSuffix) and variables: show a variable.
        return next((name for name in names if _IDENTIFIER.fullmatch(name)), "environment_suffix")
    return names[0] if names else "EnvironmentSuffix"


def _hint(words: _PlatformWords, project: Project, resource: Resource) -> str:
    assert resource.name is not None
    name = render(resource.name)
    if words.python:
        name = name.replace("${", "{")  # rendered unknown parts become f-string fields
    prop = resource.name_property or "name"
    suffix = _suffix_name(project, words)
    return (
        words.use_suffix.format(name=name, suffix=suffix, prop=prop) + " " + words.auto_name.format(prop=prop)
    )


class MissingEnvironmentSuffix(Rule):
    """
    ## What it does
    Reports every resource whose explicit physical name (`BucketName`, `name=`, `role_name=`, ...) is
    known and does not derive from the per-deployment environment suffix, nor from anything else that
    differs per deployment (`AWS::StackName` / `pulumi.get_stack()` when the stack name carries the
    suffix, a random provider, names CDK or Pulumi generate). Auto-named resources are fine.

    A name built only from an environment *name* (`Environment`, `Stage`, context `env`: dev, staging,
    prod) is reported as a warning: two deployments of the same environment (two pull requests both
    deploying `dev`) still collide. Configure `suffix-names` when such a parameter really is your
    per-deployment suffix. Names AWS requires verbatim (`dms-vpc-role`, ...) are exempt (IAC004 checks
    them), and so are names unique only inside a parent resource of the same deployment (a metric
    filter in the stack's own log group, a security group in the stack's own VPC), names AWS lets
    repeat (hosted zones, ECS task definition families, IAM inline policies) and per-account
    singletons (AWS Config's recorder).
    A name with a part from outside the worktree (a config value without default, an import, a
    conditional) is left alone, and so is a resource under a CloudFormation `Condition` unless the
    condition holds when every parameter but the suffix keeps its default (a production-only bucket
    behind `IsProd: !Equals [!Ref Environment, prod]` with `Default: dev` is created by no pull
    request's deployment).

    It also reports, once per project, a suffix that is declared but reaches no resource name. The
    reports' coverage figure ("named resources with the environment suffix: 23 of 23") counts the same
    way. `docs/suffix-detection.md` lists, per platform, the naming sources that are understood.

    Option: `[tool.iacscan.rules.IAC002] logical-ids = true` also notes Pulumi logical names and CDK
    construct ids without the suffix (a team convention; off by default).

    ## Why is this bad
    The second deployment of the same code (another pull request, another environment in the same
    account) fails with `AlreadyExists` / `ResourceExistsException`, or worse, two stacks fight over
    one resource. The first deployment passes, so the problem shows up late.

    ## Example
    ```python
    aws.s3.Bucket("data", bucket="tap-data-bucket")
    ```

    ## Use instead
    ```python
    aws.s3.Bucket("data", bucket=f"tap-data-{environment_suffix}")
    ```
    """

    id = "IAC002"
    name = "missing-environment-suffix"
    severity = Severity.ERROR
    summary = "a resource's physical name is the same on every deployment and collides on the second one"
    tags = ("naming", "deploy-blocker")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        words = _PLATFORM_WORDS.get(project.platform, _NEUTRAL_WORDS)
        reported: list[Finding] = []
        # "The suffix reaches no name" is only claimed when every name is known not to carry it.
        suffix_may_reach = False
        for resource in project.resources:
            verdict = classify_name(resource, project)
            if verdict in (Verdict.PER_DEPLOYMENT, Verdict.UNKNOWN):
                suffix_may_reach = True
            elif verdict in (Verdict.FIXED, Verdict.ENV_NAME_ONLY):
                reported.append(self._name_finding(project, resource, verdict, words))
        yield from reported
        if reported and not suffix_may_reach and project.suffix.declared:
            yield self._unused_suffix_finding(project, reported)
        if ctx.options.get("logical-ids") is True and words.logical_id:
            yield from self._logical_id_findings(project, words.logical_id)

    def _name_finding(
        self, project: Project, resource: Resource, verdict: Verdict, words: _PlatformWords
    ) -> Finding:
        assert resource.name is not None
        prop = resource.name_property or "name"
        name = render(resource.name)
        head = f"{resource.type} '{resource.id}' has the physical name '{name}' ({prop})"
        if verdict is Verdict.ENV_NAME_ONLY:
            env = ", ".join(project.suffix.env_name_only) or "an environment name"
            message = (
                f"{head}, built only from {env}: an environment name is not a per-deployment suffix, "
                f"so two deployments of the same environment (two pull requests deploying 'dev') "
                f"collide (AlreadyExists, or one taking over the other's resource)"
            )
            hint = (
                _hint(words, project, resource)
                + "; if this parameter is your per-deployment suffix, list it in `suffix-names`"
            )
            severity = Severity.WARNING
        else:
            message = (
                f"{head}, the same on every deployment: the second deployment of this code (another "
                f"pull request or environment) collides with the first (AlreadyExists, or, where the "
                f"create call overwrites, such as alarms and rules, one taking over the other's resource)"
            )
            hint = _hint(words, project, resource)
            severity = Severity.ERROR
        return self.finding(
            message,
            resource.location_of(resource.name_property),
            hint,
            resource=resource.id,
            key=f"{resource.id}:{prop}",
            severity=severity,
        )

    def _unused_suffix_finding(self, project: Project, reported: list[Finding]) -> Finding:
        names = " / ".join(project.suffix.names) or "the environment suffix"
        location = project.suffix.location or Location(project.entry_point or ".", 1)
        message = (
            f"{names} is declared but reaches no resource name: {len(reported)} named "
            f"{'resource is' if len(reported) == 1 else 'resources are'} the same on every deployment "
            f"(a hard-coded environment, or the suffix argument is never read)"
        )
        hint = "pass the suffix down to the components and build every explicit name from it"
        severity = max(finding.severity for finding in reported)
        return self.finding(message, location, hint, key="suffix-unused", severity=severity)

    def _logical_id_findings(self, project: Project, what: str) -> Iterable[Finding]:
        for resource in project.resources:
            if _id_carries_suffix(resource, project):
                continue
            yield self.finding(
                f"{resource.type} '{resource.id}': the {what} does not include the environment suffix "
                f"(team convention `logical-ids`)",
                resource.location,
                f"add the suffix to the {what}",
                resource=resource.id,
                key=f"{resource.id}:logical-id",
                severity=Severity.NOTE,
            )


def _id_carries_suffix(resource: Resource, project: Project) -> bool:
    """Whether the resource's own logical name / construct id carries the suffix.

    A plugin that keeps the id's value (``options["logical_name"]``) is answered from its origin;
    otherwise from the rendered id, where plugins write values from outside as ``{expr}``."""
    value = resource.options.get("logical_name")
    if isinstance(value, (Literal, Ref, Unknown, Concat)):
        return value.origin.per_deployment
    own = resource.id.rsplit("/", 1)[-1] if project.platform == "cdk" else resource.id
    wanted = {name.lower() for name in project.suffix.names} | {"suffix"}
    placeholders = re.findall(r"\{([^}]*)\}", own)
    return any(any(word in text.lower() for word in wanted) for text in placeholders)


# --------------------------------------------------------------------------------------------------
# Examples.

_PULUMI_HEAD = """\
import os

import pulumi
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None, tags: dict | None = None):
        self.environment_suffix = environment_suffix or "dev"
        self.tags = tags or {}


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        aws.s3.Bucket(f"logs-{suffix}", bucket=f"tap-logs-{suffix}", opts=ResourceOptions(parent=self))
"""

_CDK_HEAD = """\
import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
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
        s3.Bucket(self, "Logs", bucket_name=f"tap-logs-{suffix}")
"""

_CFN_SUFFIX_PARAMETER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
"""

MissingEnvironmentSuffix.INVALID = [
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        self.bucket = aws.s3.Bucket(
            f"data-{suffix}",
            bucket="tap-data-bucket",  # expect: IAC002
            opts=ResourceOptions(parent=self),
        )
""",
        title="a literal bucket name",
    ),
    Example.pulumi(
        _PULUMI_HEAD.replace("import pulumi_aws as aws\n", 'import pulumi_aws as aws\n\nPROJECT = "tap"\n')
        + """\
        project = PROJECT
        self.table = aws.dynamodb.Table(
            f"orders-{suffix}",
            name=f"{project}-orders",  # expect: IAC002
            hash_key="id",
            attributes=[aws.dynamodb.TableAttributeArgs(name="id", type="S")],
            opts=ResourceOptions(parent=self),
        )
""",
        title="a name from a module constant: the same on every deployment",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        environment = pulumi.Config().get("environment") or "dev"
        self.queue = aws.sqs.Queue(
            f"jobs-{suffix}",
            name=f"jobs-{environment}",  # expect: IAC002
            opts=ResourceOptions(parent=self),
        )
""",
        title="an environment name is not a per-deployment suffix (warning)",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        self.secret = aws.secretsmanager.Secret(
            f"db-secret-{suffix}",
            name="aurora-master-credentials",  # expect: IAC002
            opts=ResourceOptions(parent=self),
        )
        self.role = aws.iam.Role(
            f"dms-vpc-role-{suffix}",
            name=f"dms-vpc-management-role",  # expect: IAC002
            assume_role_policy='{"Version": "2012-10-17", "Statement": []}',
            opts=ResourceOptions(parent=self),
        )
""",
        title="a secret and a role with literal names (a DMS role under another name is not exempt)",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        region = aws.get_region().name
        self.logs = aws.cloudwatch.LogGroup(
            f"app-logs-{suffix}",
            name=f"/tap/app-{region}",  # expect: IAC002
            opts=ResourceOptions(parent=self),
        )
""",
        title="the region alone does not tell two deployments apart",
    ),
    Example.pulumi(
        """\
import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        env = "dev"  # the argument is never read
        aws.s3.Bucket("data", bucket=f"tap-data-{env}", opts=ResourceOptions(parent=self))  # expect: IAC002
""",
        """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

environment_suffix = pulumi.Config().get("environmentSuffix") or "dev"  # expect: IAC002
stack = TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))
""",
        title="the component ignores the suffix it is given (also reported where the suffix is read)",
    ),
    Example.cdk(
        _CDK_HEAD
        + """\
        s3.Bucket(self, "Data", bucket_name="tap-data-bucket")  # expect: IAC002
""",
        title="CDK: a literal bucket name",
    ),
    Example.cdk(
        _CDK_HEAD
        + """\
        dynamodb.Table(
            self,
            "Orders",
            table_name=f"orders-{self.region}",  # expect: IAC002
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        )
""",
        title="CDK: a name that carries only the region",
    ),
    Example.cdk(
        _CDK_HEAD
        + """\
        env_name = self.node.try_get_context("env") or "dev"
        iam.Role(
            self,
            "Worker",
            role_name=f"tap-worker-{env_name}",  # expect: IAC002
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        )
""",
        title="CDK: context `env` is an environment name (warning)",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct


class ComputeStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        ecs.Cluster(self, "Cluster", cluster_name="video-processing-cluster")  # expect: IAC002
        logs.LogGroup(self, "Logs", log_group_name=f"/ecs/video-{environment_suffix}")


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev", **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        ComputeStack(self, "Compute", environment_suffix=environment_suffix)
""",
        """\
import aws_cdk as cdk
from lib.tap_stack import TapStack

app = cdk.App()
suffix = app.node.try_get_context("environmentSuffix") or "dev"
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix)
app.synth()
""",
        title="CDK (seed 003): a nested stack's cluster name without the suffix",
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "tap-data-${EnvironmentSuffix}"
  ArchiveBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: tap-archive-bucket  # expect: IAC002
""",
        title="CloudFormation YAML: one name without the suffix",
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
  EnableArchive:
    Type: String
    AllowedValues: ["true", "false"]
    Default: "true"
Conditions:
  CreateArchive: !Equals [!Ref EnableArchive, "true"]
Resources:
  ArchiveBucket:
    Type: AWS::S3::Bucket
    Condition: CreateArchive
    Properties:
      BucketName: tap-archive-bucket  # expect: IAC002
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "jobs-${EnvironmentSuffix}"
""",
        title="CloudFormation: a condition every deployment with default parameters meets",
    ),
    Example.cfn_yaml(
        """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, staging, prod]
    Default: dev
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "orders-${Environment}"  # expect: IAC002
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
""",
        title="CloudFormation: a name from an Environment parameter with allowed values (warning)",
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "tap-data-${EnvironmentSuffix}"
  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "tap-logs-${AWS::AccountId}-${AWS::Region}"  # expect: IAC002
""",
        title="CloudFormation: account and region are shared by every deployment into one account",
    ),
    Example.cfn_yaml(
        """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  EnvironmentSuffix:  # expect: IAC002
    Type: String
    Default: dev
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: tap-jobs-dev  # expect: IAC002
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: tap-alerts-dev  # expect: IAC002
""",
        title="the suffix parameter is declared, every name hard-codes dev (reported at the parameter too)",
    ),
    Example.cfn_json(
        """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "LambdaRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "tap-lambda-role", // expect: IAC002
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                         "Action": "sts:AssumeRole"}]
        }
      }
    }
  }
}
""",
        title="CloudFormation JSON: a literal role name",
    ),
    Example.cfn_json(
        """\
{
  "Resources": {
    "Topic": {
      "Type": "AWS::SNS::Topic",
      "Properties": {
        "TopicName": {"Fn::Join": ["-", ["tap-alerts", {"Ref": "AWS::Region"}]]} // expect: IAC002
      }
    }
  }
}
""",
        title="CloudFormation JSON: Fn::Join of literals and the region",
    ),
]

MissingEnvironmentSuffix.VALID = [
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        aws.s3.Bucket(f"data-{suffix}", bucket=f"tap-data-{suffix}", opts=ResourceOptions(parent=self))
        aws.sqs.Queue(
            f"jobs-{suffix}", name=f"tap-jobs-{args.environment_suffix}", opts=ResourceOptions(parent=self)
        )
""",
        title="the suffix from config flows through the args into the names",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        env_suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
        aws.sns.Topic(
            f"alerts-{env_suffix}", name=f"tap-alerts-{env_suffix}", opts=ResourceOptions(parent=self)
        )
""",
        title="the suffix from an environment variable with a default",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        self.suffix = suffix
        aws.dynamodb.Table(
            "orders",
            name=self._name("orders"),
            hash_key="id",
            attributes=[aws.dynamodb.TableAttributeArgs(name="id", type="S")],
            opts=ResourceOptions(parent=self),
        )

    def _name(self, base: str) -> str:
        return f"tap-{base}-{self.suffix}"
""",
        title="the suffix added by a helper method",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        aws.cloudwatch.LogGroup(
            "app-logs",
            name=pulumi.Output.concat("/tap/", suffix, "/app"),
            opts=ResourceOptions(parent=self),
        )
""",
        title="the suffix inside Output.concat",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        stack = pulumi.get_stack()
        aws.s3.Bucket("assets", bucket=f"tap-assets-{stack}", opts=ResourceOptions(parent=self))
        aws.s3.Bucket("scratch", opts=ResourceOptions(parent=self))
""",
        title="the Pulumi stack name, and an auto-named bucket",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        aws.iam.Role(
            "dms-vpc-role",
            name="dms-vpc-role",
            assume_role_policy='{"Version": "2012-10-17", "Statement": []}',
            opts=ResourceOptions(parent=self),
        )
""",
        title="AWS DMS requires the role name dms-vpc-role verbatim (IAC004's business)",
    ),
    Example.pulumi(
        """\
from dataclasses import dataclass

import pulumi_aws as aws
from pulumi import ComponentResource, ResourceOptions


@dataclass
class TapStackArgs:
    environment_suffix: str = "dev"


class TapStack(ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        aws.sqs.Queue("jobs", name=f"jobs-{args.environment_suffix}", opts=ResourceOptions(parent=self))
""",
        title="the suffix as a dataclass field with a default, set by the entry point",
    ),
    Example.pulumi(
        _PULUMI_HEAD
        + """\
        bucket_name = pulumi.Config().require("bucketName")
        aws.s3.Bucket("imported", bucket=bucket_name, opts=ResourceOptions(parent=self))
""",
        title="a name from required config: set per stack outside the code, so unknowable",
    ),
    Example.cdk(
        _CDK_HEAD
        + """\
        s3.Bucket(self, "Data", bucket_name=f"tap-data-{suffix}")
        s3.Bucket(self, "Scratch")
        dynamodb.Table(
            self,
            "Orders",
            table_name=f"orders-{cdk.Aws.STACK_NAME}",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        )
""",
        title="CDK: the suffix from props, an auto-named bucket and the stack name",
    ),
    Example.cdk(
        """\
import aws_cdk as cdk
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct


class MessagingStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        sns.Topic(self, "Alerts", topic_name=f"tap-alerts-{environment_suffix}")
        sqs.Queue(self, "Jobs")


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev", **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        MessagingStack(self, f"Messaging{environment_suffix}", environment_suffix=environment_suffix)
""",
        """\
import os

import aws_cdk as cdk
from lib.tap_stack import TapStack

app = cdk.App()
suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix)
app.synth()
""",
        title="CDK: the suffix from an environment variable reaches a nested stack",
    ),
    Example.cdk(
        _CDK_HEAD.replace(
            'suffix = (props.environment_suffix if props else None) or "dev"',
            'suffix = self.node.try_get_context("environmentSuffix")',
        )
        + """\
        iam.Role(self, "Worker", role_name=f"tap-worker-{suffix}",
                 assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
""",
        title="CDK: the suffix from context set in cdk.json",
        **{"cdk.json": '{"app": "python3 tap.py", "context": {"environmentSuffix": "pr42"}}\n'},
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "tap-data-${EnvironmentSuffix}-${AWS::AccountId}"
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${AWS::StackName}-jobs"
  Scratch:
    Type: AWS::S3::Bucket
""",
        title="CloudFormation: !Sub with the suffix, with AWS::StackName, and an auto-named bucket",
    ),
    Example.cfn_json(
        """\
{
  "Parameters": {"EnvironmentSuffix": {"Type": "String", "Default": "dev"}},
  "Resources": {
    "Table": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "TableName": {"Fn::Join": ["-", ["orders", {"Ref": "EnvironmentSuffix"}]]},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
      }
    }
  }
}
""",
        title="CloudFormation JSON: Fn::Join with the suffix parameter",
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
Resources:
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub "/tap/app-${EnvironmentSuffix}"
  ErrorFilter:
    Type: AWS::Logs::MetricFilter
    Properties:
      FilterName: errors
      LogGroupName: !Ref AppLogs
      FilterPattern: ERROR
      MetricTransformations:
        - MetricName: Errors
          MetricNamespace: Tap
          MetricValue: "1"
""",
        title="CloudFormation: a filter name is unique only inside the stack's own log group",
    ),
    Example.cfn_yaml(
        """\
Parameters:
  Stage:
    Type: String
    Default: pr1
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "tap-jobs-${Stage}"
""",
        title="configuration declares Stage as the suffix (suffix-names)",
        **{".iacscan.toml": 'suffix-names = ["Stage"]\n'},
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web tier
      VpcId: !Ref Vpc
  Zone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: internal.example.com
""",
        title="a security group name is unique per VPC (this stack's own); hosted zones may share names",
    ),
    Example.cfn_yaml(
        _CFN_SUFFIX_PARAMETER
        + """\
  Environment:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  AuditBucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Properties:
      BucketName: !Sub "${AWS::AccountId}-prod-audit-logs"
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "jobs-${EnvironmentSuffix}"
""",
        title="a production-only resource, which no pull request's deployment creates",
    ),
]
