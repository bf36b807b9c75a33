"""IAC012 not-destroyable: settings that leave resources behind or make teardown fail.

An ephemeral per-PR environment is created and destroyed many times. :func:`teardown_blockers`
lists, per resource, what stops that: lifecycle options (``DeletionPolicy``/``RemovalPolicy``
Retain, Pulumi ``protect``/``retain_on_delete``), deletion-protection properties, buckets that
the project itself fills and that have no auto-delete, Pulumi database clusters that need a final
snapshot identifier, KMS keys left in their 30-day pending-deletion window. The review checklist
(:mod:`analyzer.review`) reads the same function, so "destroyable: no" and the findings agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from analyzer.facts import Blocker
from analyzer.findings import Finding, Related, Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Literal, Location, Project, Resource, Value, get_path, items_of
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.iac013_account_singleton import conditional

# Lifecycle option values, in the neutral words plugins record (CFN DeletionPolicy/UpdateReplacePolicy,
# CDK RemovalPolicy, Pulumi ResourceOptions). Source: CloudFormation User Guide "DeletionPolicy
# attribute" / "UpdateReplacePolicy attribute"; CDK API RemovalPolicy; Pulumi docs "Resource options".
_RETAIN_VALUES = frozenset({"retain", "retainexceptoncreate", "retain_on_update_or_delete"})
_SNAPSHOT_VALUES = frozenset({"snapshot"})


@dataclass(frozen=True, slots=True)
class Protection:
    """A property that, with one of ``values``, makes the delete call fail."""

    resource_type: str
    path: tuple[str | int, ...]
    values: tuple[object, ...]
    label: str


# Deletion-protection properties in CloudFormation property space (Pulumi and CDK map to them).
# Sources: the CloudFormation resource reference of each type.
PROTECTIONS: tuple[Protection, ...] = (
    Protection("AWS::RDS::DBCluster", ("DeletionProtection",), (True, "true"), "DeletionProtection"),
    Protection("AWS::RDS::DBInstance", ("DeletionProtection",), (True, "true"), "DeletionProtection"),
    Protection("AWS::DocDB::DBCluster", ("DeletionProtection",), (True, "true"), "DeletionProtection"),
    Protection("AWS::Neptune::DBCluster", ("DeletionProtection",), (True, "true"), "DeletionProtection"),
    Protection(
        "AWS::DynamoDB::Table", ("DeletionProtectionEnabled",), (True, "true"), "DeletionProtectionEnabled"
    ),
    Protection(
        "AWS::DynamoDB::GlobalTable",
        ("DeletionProtectionEnabled",),
        (True, "true"),
        "DeletionProtectionEnabled",
    ),
    Protection("AWS::Cognito::UserPool", ("DeletionProtection",), ("ACTIVE",), "DeletionProtection"),
    Protection("AWS::EC2::Instance", ("DisableApiTermination",), (True, "true"), "DisableApiTermination"),
    # Pulumi's lb.LoadBalancer enable_deletion_protection (CloudFormation spells it as an attribute).
    Protection(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        ("EnableDeletionProtection",),
        (True, "true"),
        "enable_deletion_protection",
    ),
)
_ELB_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"

# Pulumi resources whose provider refuses to delete them while skip_final_snapshot is false (its
# default) and no final_snapshot_identifier is given. Source: the Pulumi AWS registry pages of
# rds.Cluster, rds.Instance, redshift.Cluster, docdb.Cluster, neptune.Cluster ("skip_final_snapshot
# ... Default is false"; "final_snapshot_identifier ... must be provided if skip_final_snapshot is
# set to false").
FINAL_SNAPSHOT_TOKENS = frozenset(
    {
        "aws:rds/cluster:Cluster",
        "aws:rds/instance:Instance",
        "aws:redshift/cluster:Cluster",
        "aws:docdb/cluster:Cluster",
        "aws:neptune/cluster:Cluster",
    }
)
# Read replicas and cluster members take no final snapshot of their own.
_NO_SNAPSHOT_PROPERTIES = ("ReplicateSourceDb", "ReplicationSourceIdentifier")

# Who writes objects into a bucket of the same project, by (referring type, property path prefix).
# A bucket that nothing fills may be empty at teardown; these certainly are not. Sources: the
# CloudFormation/Pulumi references of each type (trail logs, access logs, Config snapshots,
# Firehose deliveries, CDK BucketDeployment, whose retain_on_delete defaults to true).
# Pulumi's own s3.BucketObject / BucketObjectv2 are not writers here: they refer to their bucket, so
# `pulumi destroy` deletes them before it (with every version of the key, per the pulumi-aws
# registry page of s3.BucketObjectv2) and leaves nothing behind.
BUCKET_WRITERS: tuple[tuple[str, str], ...] = (
    ("AWS::CloudTrail::Trail", "S3BucketName"),
    ("AWS::S3::Bucket", "LoggingConfiguration.DestinationBucketName"),
    ("AWS::Config::DeliveryChannel", "S3BucketName"),
    ("AWS::KinesisFirehose::DeliveryStream", "S3DestinationConfiguration.BucketARN"),
    ("AWS::KinesisFirehose::DeliveryStream", "ExtendedS3DestinationConfiguration.BucketARN"),
    ("AWS::CloudFront::Distribution", "DistributionConfig.Logging.Bucket"),
    ("Pulumi::AWS::S3::BucketLoggingV2", "TargetBucket"),
    ("Pulumi::AWS::S3::BucketLogging", "TargetBucket"),
    ("Custom::CDKBucketDeployment", "DestinationBucketName"),
)
BUCKET_TYPE = "AWS::S3::Bucket"
KMS_KEY_TYPE = "AWS::KMS::Key"


def teardown_blockers(project: Project, graph: ResourceGraph | None = None) -> list[Blocker]:
    """Every reason, resource by resource (in model order), that a teardown fails or leaves something."""
    graph = graph or ResourceGraph(project)
    found: list[Blocker] = []
    for resource in project.resources:
        if conditional(resource):
            continue  # a production-only resource: the ephemeral deployments never create it
        found.extend(_lifecycle(resource, project.platform))
        found.extend(_protection(resource))
        found.extend(_final_snapshot(resource))
        found.extend(_bucket(resource, project, graph))
        found.extend(_kms(resource))
    return found


def _text(value: Value | None) -> str | None:
    if isinstance(value, Literal) and isinstance(value.value, str):
        return value.value
    return None


def _where(resource: Resource, value: Value | None, prop: str | None = None) -> Location:
    if value is not None and value.location is not None:
        return value.location
    return resource.location_of(prop)


def _lifecycle(resource: Resource, platform: str) -> Iterator[Blocker]:
    options = resource.options
    deletion = _text(options.get("DeletionPolicy"))
    removal = _text(options.get("RemovalPolicy"))
    policy_value = options.get("DeletionPolicy") if deletion else options.get("RemovalPolicy")
    policy = (deletion or removal or "").lower().replace("-", "_")
    word = "RemovalPolicy" if platform == "cdk" else "DeletionPolicy"
    fix = (
        "use RemovalPolicy.DESTROY for ephemeral environments (make RETAIN depend on a production flag)"
        if platform == "cdk"
        else "set DeletionPolicy: Delete for ephemeral environments (keep Retain or Snapshot behind a "
        "production-only Condition if production needs it)"
    )
    if policy in _RETAIN_VALUES:
        shown = removal if platform == "cdk" and removal else deletion or removal
        yield Blocker(
            resource.id,
            resource.type,
            f"{word}: {shown}",
            "deleting the stack leaves it in the account (it keeps costing"
            # only a named resource blocks the next deployment; an auto-named one just stays behind
            + (
                ", and a later deployment that reuses its name fails with 'already exists')"
                if resource.name
                else ")"
            ),
            fix,
            _where(resource, policy_value),
            blocks=True,
        )
    elif policy in _SNAPSHOT_VALUES:
        yield Blocker(
            resource.id,
            resource.type,
            f"{word}: Snapshot",
            "every teardown leaves a snapshot behind",
            fix,
            _where(resource, policy_value),
            blocks=False,
        )
    elif platform == "cloudformation" and "DeletionPolicy" not in options and _snapshot_by_default(resource):
        yield Blocker(
            resource.id,
            resource.type,
            "no DeletionPolicy (CloudFormation's default for this type is Snapshot)",
            "every teardown leaves a snapshot behind",
            "set DeletionPolicy: Delete for ephemeral environments",
            resource.location,
            blocks=False,
        )
    replace = _text(options.get("UpdateReplacePolicy"))
    if replace and replace.lower() in _RETAIN_VALUES and policy not in _RETAIN_VALUES:
        yield Blocker(
            resource.id,
            resource.type,
            f"UpdateReplacePolicy: {replace}",
            "a replacement keeps the old resource in the account",
            "set UpdateReplacePolicy: Delete (or remove it) for ephemeral environments",
            _where(resource, options.get("UpdateReplacePolicy")),
            blocks=False,
        )
    for option, effect, fix_text in (
        (
            "protect",
            "`pulumi destroy` fails: the resource is protected",
            "drop protect=True (or set it from a production-only config value)",
        ),
        (
            "retain_on_delete",
            "`pulumi destroy` removes it from the stack but leaves it in the account",
            "drop retain_on_delete=True for ephemeral environments",
        ),
    ):
        value = options.get(option)
        if isinstance(value, Literal) and value.value is True:
            yield Blocker(
                resource.id,
                resource.type,
                f"{option}=True",
                effect,
                fix_text,
                _where(resource, value),
                blocks=True,
            )


def _snapshot_by_default(resource: Resource) -> bool:
    # CloudFormation User Guide, "DeletionPolicy attribute": the default is Snapshot for
    # AWS::RDS::DBCluster and for AWS::RDS::DBInstance that does not name a DBClusterIdentifier.
    if resource.type == "AWS::RDS::DBCluster":
        return True
    return resource.type == "AWS::RDS::DBInstance" and "DBClusterIdentifier" not in resource.properties


def _protection(resource: Resource) -> Iterator[Blocker]:
    for protection in PROTECTIONS:
        if protection.resource_type != resource.type:
            continue
        value = resource.prop(*protection.path)
        if isinstance(value, Literal) and value.value in protection.values:
            yield _protected(resource, protection.label, value, str(protection.path[0]))
    if resource.type == _ELB_TYPE:
        for attribute in items_of(resource.prop("LoadBalancerAttributes")):
            key, value = get_path(attribute, "Key"), get_path(attribute, "Value")
            if _text(key) == "deletion_protection.enabled" and _text(value) in ("true", "True"):
                yield _protected(resource, "deletion_protection.enabled", value, "LoadBalancerAttributes")


def _protected(resource: Resource, label: str, value: Value | None, prop: str) -> Blocker:
    return Blocker(
        resource.id,
        resource.type,
        f"{label} is on",
        "the delete call fails while deletion protection is on, so the teardown stops",
        f"turn {label} off for ephemeral environments (set it from a production-only flag)",
        _where(resource, value, prop),
        blocks=True,
    )


def _final_snapshot(resource: Resource) -> Iterator[Blocker]:
    if resource.source_type not in FINAL_SNAPSHOT_TOKENS:
        return
    if any(name in resource.properties for name in _NO_SNAPSHOT_PROPERTIES):
        return
    if "FinalSnapshotIdentifier" in resource.properties:
        return
    skip = resource.properties.get("SkipFinalSnapshot")
    if skip is not None and not (isinstance(skip, Literal) and skip.value is False):
        return  # True, or not known
    said = (
        "skip_final_snapshot=False" if skip is not None else "skip_final_snapshot is not set (default False)"
    )
    yield Blocker(
        resource.id,
        resource.type,
        f"{said} and no final_snapshot_identifier",
        "`pulumi destroy` fails: the provider requires a final snapshot identifier to delete it",
        "set skip_final_snapshot=True for ephemeral environments (or give final_snapshot_identifier)",
        _where(resource, skip, "SkipFinalSnapshot"),
        blocks=True,
    )


def _bucket(resource: Resource, project: Project, graph: ResourceGraph) -> Iterator[Blocker]:
    if resource.type != BUCKET_TYPE or project.platform not in ("pulumi", "cdk"):
        return  # CloudFormation offers no way to empty a bucket on deletion
    if project.platform == "pulumi":
        force = resource.properties.get("ForceDestroy")
        if force is not None and not (isinstance(force, Literal) and force.value is False):
            return
        setting, fix = "force_destroy", "set force_destroy=True on the bucket"
    else:
        auto = resource.options.get("AutoDeleteObjects")
        if auto is not None and not (isinstance(auto, Literal) and auto.value is False):
            return
        setting = "auto_delete_objects"
        fix = "set auto_delete_objects=True (with removal_policy=RemovalPolicy.DESTROY) on the bucket"
    writers = bucket_writers(resource, project, graph)
    if not writers:
        return  # an empty bucket deletes fine
    writer = writers[0]
    yield Blocker(
        resource.id,
        resource.type,
        f"filled by {writer.type} '{writer.id}' without {setting}",
        "deleting a bucket that still holds objects fails (BucketNotEmpty), so the teardown stops",
        fix,
        resource.location_of("ForceDestroy"),
        blocks=True,
    )


def bucket_writers(bucket: Resource, project: Project, graph: ResourceGraph) -> list[Resource]:
    """Resources of the project that put objects into ``bucket``."""
    writers: list[Resource] = []
    for edge in graph.edges(target=bucket.id):
        source = project.resource(edge.source)
        if source is None or source in writers:
            continue
        path = re.sub(r"\[\d+\]", "", edge.path)
        if any(source.type == kind and path.startswith(prefix) for kind, prefix in BUCKET_WRITERS):
            writers.append(source)
    return writers


def _kms(resource: Resource) -> Iterator[Blocker]:
    if resource.type != KMS_KEY_TYPE:
        return
    # CDK's L2 Key keeps pending_window as a Duration the model does not carry: absence means nothing.
    if resource.source_type.startswith("aws_cdk.") and not resource.source_type.endswith("CfnKey"):
        return
    if "PendingWindowInDays" in resource.properties or "DeletionWindowInDays" in resource.properties:
        return
    yield Blocker(
        resource.id,
        resource.type,
        "no pending window (the default is 30 days)",
        "every teardown leaves the key pending deletion for 30 days",
        "set the pending window to 7 days (PendingWindowInDays / deletion_window_in_days / pending_window)",
        resource.location,
        blocks=False,
    )


class NotDestroyable(Rule):
    """
    ## What it does
    Finds resources that an ephemeral (per-PR) environment cannot cleanly tear down:
    `DeletionPolicy`/`RemovalPolicy` `Retain` (and `Snapshot`, `UpdateReplacePolicy: Retain`, and an
    RDS cluster or standalone instance without `DeletionPolicy`, which CloudFormation snapshots by
    default; the CDK plugin records CDK's default removal policies, such as `RETAIN` for buckets),
    Pulumi `protect=True` and `retain_on_delete=True`, deletion protection (`DeletionProtection`,
    `DeletionProtectionEnabled`, `DisableApiTermination`, load balancer
    `deletion_protection.enabled`, Cognito `DeletionProtection: ACTIVE`), Pulumi database clusters
    and instances without `skip_final_snapshot=True` or a `final_snapshot_identifier` (the
    provider's default is `False`), buckets that AWS fills for the project (trail, access or Config
    logs, Firehose deliveries; in CDK also `BucketDeployment` uploads) without `force_destroy`
    (Pulumi) or `auto_delete_objects` (CDK), and
    KMS keys without a pending window (the default is 30 days on every platform). One finding per
    resource lists every reason. A CDK bucket with `auto_delete_objects=True` and a removal policy
    other than `DESTROY` (given or defaulted) is reported as an error: CDK refuses it at synth.

    A bucket nothing in the project writes to may be empty at teardown and deletes fine, so it is
    not reported; nor is one holding only Pulumi `BucketObject`s, which `pulumi destroy` deletes
    before their bucket. CloudFormation has no built-in way to empty a bucket, so there only the policies
    are checked. CDK's L2 `kms.Key(pending_window=...)` is not in the model, so CDK L2 keys are
    not checked for it. A CloudFormation resource under a `Condition` that may be false when every
    parameter keeps its default (a production-only resource) is not reported: the ephemeral
    environments do not create it.

    ## Why is this bad
    Review reports require "no Retain policies, infrastructure fully destroyable". A retained
    resource stays in the account after the stack is gone, keeps costing money, and its fixed
    name makes the next deployment fail with "already exists"; deletion protection and a missing
    final snapshot identifier make `cdk destroy`/`pulumi destroy`/stack deletion fail half-way.

    ## Example
    ```yaml
    DataBucket:
      Type: AWS::S3::Bucket
      DeletionPolicy: Retain
    ```

    ## Use instead
    ```yaml
    DataBucket:
      Type: AWS::S3::Bucket
      DeletionPolicy: Delete
    ```
    or, in CDK, `removal_policy=RemovalPolicy.DESTROY, auto_delete_objects=True`; in Pulumi,
    `force_destroy=True`, `skip_final_snapshot=True`, no `protect=True`. The severity can be raised
    in the configuration (`[tool.iacscan.severity] IAC012 = "error"`).
    """

    id = "IAC012"
    name = "not-destroyable"
    severity = Severity.WARNING
    summary = "a resource is retained, protected or cannot be deleted when the environment is torn down"
    tags = ("teardown", "lifecycle")
    VALID = [
        Example.cfn_yaml(
            """
            Resources:
              DataBucket:
                Type: AWS::S3::Bucket
                DeletionPolicy: Delete
              Db:
                Type: AWS::RDS::DBCluster
                DeletionPolicy: Delete
                Properties:
                  Engine: aurora-postgresql
                  DeletionProtection: false
              Key:
                Type: AWS::KMS::Key
                Properties:
                  PendingWindowInDays: 7
            """,
        ),
        Example.cfn_yaml(
            """
            Parameters:
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
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
            """,
            title="retained behind a production-only condition, as the fix suggests",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    logs = aws.s3.Bucket("logs", force_destroy=True)
                    site = aws.s3.Bucket("site")  # pulumi destroy deletes its objects first
                    aws.s3.BucketObject("index", bucket=site.id, content="hello")
                    aws.s3.BucketLoggingV2("access", bucket=site.id, target_bucket=logs.id)
                    aws.s3.Bucket("empty")
                    aws.rds.Cluster("db", engine="aurora-postgresql", skip_final_snapshot=True)
                    aws.kms.Key("key", deletion_window_in_days=7)
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_s3 as s3
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    s3.Bucket(self, "Data", removal_policy=cdk.RemovalPolicy.DESTROY, auto_delete_objects=True)
            """,
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              DataBucket:
                Type: AWS::S3::Bucket
                DeletionPolicy: Retain  # expect: IAC012
                UpdateReplacePolicy: Retain
              Db:
                Type: AWS::RDS::DBCluster
                Properties:
                  Engine: aurora-postgresql
                  DeletionProtection: true  # expect: IAC012
              Key:  # expect: IAC012
                Type: AWS::KMS::Key
            """,
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Table": {
                  "Type": "AWS::DynamoDB::Table",
                  "DeletionPolicy": "Snapshot", // expect: IAC012
                  "Properties": {"BillingMode": "PAY_PER_REQUEST"}
                }
              }
            }
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    site = aws.s3.Bucket("site")
                    logs = aws.s3.Bucket("logs")  # expect: IAC012
                    aws.s3.BucketLoggingV2("access", bucket=site.id, target_bucket=logs.id)
                    aws.rds.Cluster("db", engine="aurora-postgresql")  # expect: IAC012
                    aws.dynamodb.Table(
                        "table",
                        hash_key="pk",
                        attributes=[{"name": "pk", "type": "S"}],
                        opts=pulumi.ResourceOptions(protect=True),  # expect: IAC012
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_s3 as s3
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    s3.Bucket(self, "Data", removal_policy=cdk.RemovalPolicy.RETAIN)  # expect: IAC012
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_dynamodb as dynamodb
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    dynamodb.Table(  # expect: IAC012
                        self,
                        "Orders",
                        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
                    )
            """,
            title="CDK's default removal policy for a table is RETAIN",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        by_resource: dict[str, list[Blocker]] = {}
        for blocker in teardown_blockers(ctx.project, ctx.graph):
            by_resource.setdefault(blocker.resource, []).append(blocker)
        for resource_id, found in by_resource.items():
            blockers = sorted(found, key=lambda blocker: not blocker.blocks)  # what stops teardown first
            first = blockers[0]
            reasons = "; ".join(f"{b.reason}: {b.effect}" for b in blockers)
            message = f"{first.resource_type} '{resource_id}' is not cleanly destroyable: {reasons}"
            hint = "; ".join(dict.fromkeys(b.fix for b in blockers))
            related = [Related(b.location, b.reason) for b in blockers[1:] if b.location != first.location]
            severity = None
            resource = ctx.project.resource(resource_id)
            if resource is not None and _auto_delete_without_destroy(ctx.project, resource):
                # aws-s3/lib/bucket.ts: autoDeleteObjects with any other removal policy throws
                message += (
                    "; and with auto_delete_objects=True CDK stops at synth ('Cannot use "
                    "autoDeleteObjects property on a bucket without setting removal policy to DESTROY')"
                )
                severity = Severity.ERROR
            yield self.finding(
                message,
                first.location,
                hint,
                resource=resource_id,
                key=",".join(b.reason for b in blockers),
                related=related,
                severity=severity,
            )


def _auto_delete_without_destroy(project: Project, resource: Resource) -> bool:
    """A CDK bucket with ``auto_delete_objects=True`` whose removal policy is known and not destroy."""
    if project.platform != "cdk" or resource.type != "AWS::S3::Bucket":
        return False
    auto, policy = resource.options.get("AutoDeleteObjects"), resource.options.get("RemovalPolicy")
    return (
        isinstance(auto, Literal)
        and auto.value is True
        and isinstance(policy, Literal)
        and isinstance(policy.value, str)
        and not policy.value.startswith("destroy")
    )
