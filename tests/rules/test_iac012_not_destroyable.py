"""IAC012 on hand-built models: what blocks a teardown, what is only left behind, what is fine."""

from __future__ import annotations

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Literal, Location, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac012_not_destroyable import NotDestroyable, teardown_blockers

PATH = "lib/tap_stack.py"


def res(
    rid: str,
    rtype: str,
    line: int = 5,
    props: dict[str, Value] | None = None,
    options: dict[str, Value] | None = None,
    source_type: str = "",
) -> Resource:
    return Resource(
        rid,
        rtype,
        Location(PATH, line),
        properties=props or {},
        options=options or {},
        source_type=source_type,
    )


def project(*resources: Resource, platform: str = "cloudformation") -> Project:
    return Project(root="/x", platform=platform, resources=resources)


def run(*resources: Resource, platform: str = "cloudformation") -> list:
    p = project(*resources, platform=platform)
    return list(NotDestroyable().check(RuleContext(p, ResourceGraph(p))))


def blockers(*resources: Resource, platform: str = "cloudformation") -> list:
    return teardown_blockers(project(*resources, platform=platform))


def test_retain_is_a_blocker_reported_at_the_policy() -> None:
    bucket = res(
        "Bucket",
        "AWS::S3::Bucket",
        options={
            "DeletionPolicy": Literal("Retain", location=Location(PATH, 7)),
            "UpdateReplacePolicy": Literal("Retain", location=Location(PATH, 8)),
        },
    )
    (finding,) = run(bucket)
    assert finding.severity is Severity.WARNING
    assert finding.location.line == 7 and finding.resource == "Bucket"
    assert "DeletionPolicy: Retain" in finding.message
    # UpdateReplacePolicy: Retain says nothing more once the resource is retained anyway.
    assert "UpdateReplacePolicy" not in finding.message
    assert [b.blocks for b in blockers(bucket)] == [True]


def test_cdk_removal_policy_is_named_as_written() -> None:
    bucket = res(
        "S/B",
        "AWS::S3::Bucket",
        options={"RemovalPolicy": Literal("retain"), "DeletionPolicy": Literal("Retain")},
        source_type="aws_cdk.aws_s3.Bucket",
    )
    (finding,) = run(bucket, platform="cdk")
    assert "RemovalPolicy: retain" in finding.message and "RemovalPolicy.DESTROY" in finding.fix_hint


def test_snapshot_and_update_replace_retain_are_leftovers_not_blockers() -> None:
    table = res("T", "AWS::DynamoDB::Table", options={"DeletionPolicy": Literal("Snapshot")})
    queue = res("Q", "AWS::SQS::Queue", options={"UpdateReplacePolicy": Literal("Retain")})
    assert [(b.resource, b.blocks) for b in blockers(table, queue)] == [("T", False), ("Q", False)]
    assert len(run(table, queue)) == 2


def test_delete_policy_and_unknown_options_are_fine() -> None:
    assert run(res("B", "AWS::S3::Bucket", options={"DeletionPolicy": Literal("Delete")})) == []
    assert run(res("B", "AWS::S3::Bucket", options={"DeletionPolicy": Unknown("condition")})) == []


def test_pulumi_protect_and_retain_on_delete() -> None:
    table = res(
        "t", "AWS::DynamoDB::Table", options={"protect": Literal(True), "retain_on_delete": Literal(True)}
    )
    (finding,) = run(table, platform="pulumi")
    assert "protect=True" in finding.message and "retain_on_delete=True" in finding.message
    assert run(res("t", "AWS::DynamoDB::Table", options={"protect": Literal(False)}), platform="pulumi") == []


DELETE = {"DeletionPolicy": Literal("Delete")}


def test_deletion_protection_properties() -> None:
    cluster = res(
        "Db",
        "AWS::RDS::DBCluster",
        props={"DeletionProtection": Literal(True, location=Location(PATH, 9))},
        options=DELETE,
    )
    (finding,) = run(cluster)
    assert finding.location.line == 9 and "DeletionProtection is on" in finding.message
    pool = res("Pool", "AWS::Cognito::UserPool", props={"DeletionProtection": Literal("ACTIVE")})
    assert len(run(pool)) == 1
    assert run(res("Pool", "AWS::Cognito::UserPool", props={"DeletionProtection": Literal("INACTIVE")})) == []
    unknown = {"DeletionProtection": Unknown("parameter")}
    assert run(res("Db", "AWS::RDS::DBCluster", props=unknown, options=DELETE)) == []


def test_cloudformation_rds_snapshots_by_default() -> None:
    (blocker,) = blockers(res("Db", "AWS::RDS::DBCluster"))
    assert not blocker.blocks and "default" in blocker.reason and "Snapshot" in blocker.reason
    # A cluster member takes no snapshot of its own; other platforms record their own defaults.
    member = res("W", "AWS::RDS::DBInstance", props={"DBClusterIdentifier": Ref("Db")})
    assert blockers(member) == []
    assert len(blockers(res("I", "AWS::RDS::DBInstance"))) == 1
    assert (
        blockers(
            res("db", "AWS::RDS::DBCluster", props={"SkipFinalSnapshot": Literal(True)}), platform="pulumi"
        )
        == []
    )


def test_load_balancer_attribute() -> None:
    attribute = Literal({"Key": Literal("deletion_protection.enabled"), "Value": Literal("true")})
    lb = res(
        "Lb",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        props={"LoadBalancerAttributes": Literal((attribute,))},
    )
    assert len(run(lb)) == 1


def test_pulumi_final_snapshot() -> None:
    token = "aws:rds/cluster:Cluster"
    assert len(run(res("db", "AWS::RDS::DBCluster", source_type=token), platform="pulumi")) == 1
    off = res("db", "AWS::RDS::DBCluster", props={"SkipFinalSnapshot": Literal(False)}, source_type=token)
    (finding,) = run(off, platform="pulumi")
    assert "skip_final_snapshot=False" in finding.message and "skip_final_snapshot=True" in finding.fix_hint
    for props in (
        {"SkipFinalSnapshot": Literal(True)},
        {"SkipFinalSnapshot": Unknown("config")},
        {"FinalSnapshotIdentifier": Literal("final-db")},
        {"ReplicateSourceDb": Literal("source")},
    ):
        assert run(res("db", "AWS::RDS::DBCluster", props=props, source_type=token), platform="pulumi") == []
    # Cluster instances take no snapshot of their own.
    member = res("w", "AWS::RDS::DBInstance", source_type="aws:rds/clusterInstance:ClusterInstance")
    assert run(member, platform="pulumi") == []


def test_buckets_are_reported_only_when_the_project_fills_them() -> None:
    bucket = res("site", "AWS::S3::Bucket", line=3)
    access = res(
        "access", "Pulumi::AWS::S3::BucketLoggingV2", line=4, props={"TargetBucket": Ref("site", "Id")}
    )
    (finding,) = run(bucket, access, platform="pulumi")
    assert finding.resource == "site" and "Pulumi::AWS::S3::BucketLoggingV2 'access'" in finding.message
    assert "force_destroy=True" in finding.fix_hint
    assert run(bucket, platform="pulumi") == []  # nothing writes to it: an empty bucket deletes fine
    forced = res("site", "AWS::S3::Bucket", props={"ForceDestroy": Literal(True)})
    assert run(forced, access, platform="pulumi") == []
    # CloudFormation cannot empty a bucket, so only its policies are judged there.
    trail = res("Trail", "AWS::CloudTrail::Trail", props={"S3BucketName": Ref("site")})
    assert run(bucket, trail) == []


def test_cdk_bucket_written_by_a_trail_without_auto_delete() -> None:
    bucket = res("S/Logs", "AWS::S3::Bucket", source_type="aws_cdk.aws_s3.Bucket")
    trail = res("S/Trail", "AWS::CloudTrail::Trail", props={"S3BucketName": Ref("S/Logs")})
    (finding,) = run(bucket, trail, platform="cdk")
    assert "auto_delete_objects" in finding.message
    auto = res("S/Logs", "AWS::S3::Bucket", options={"AutoDeleteObjects": Literal(True)})
    assert run(auto, trail, platform="cdk") == []


def test_kms_pending_window() -> None:
    (blocker,) = blockers(res("Key", "AWS::KMS::Key"))
    assert not blocker.blocks and "30 days" in blocker.reason
    assert run(res("Key", "AWS::KMS::Key", props={"PendingWindowInDays": Literal(7)})) == []
    assert run(res("k", "AWS::KMS::Key", props={"DeletionWindowInDays": Literal(7)}), platform="pulumi") == []
    # CDK's L2 Key keeps pending_window out of the model: its absence means nothing there.
    assert run(res("S/K", "AWS::KMS::Key", source_type="aws_cdk.aws_kms.Key"), platform="cdk") == []
    assert len(run(res("S/K", "AWS::KMS::Key", source_type="aws_cdk.aws_kms.CfnKey"), platform="cdk")) == 1


def test_one_finding_per_resource_blockers_first() -> None:
    cluster = res(
        "Db",
        "AWS::RDS::DBCluster",
        props={"DeletionProtection": Literal(True, location=Location(PATH, 12))},
        options={"DeletionPolicy": Literal("Snapshot", location=Location(PATH, 6))},
    )
    (finding,) = run(cluster)
    assert finding.location.line == 12
    assert finding.message.index("DeletionProtection") < finding.message.index("Snapshot")
    assert [r.location.line for r in finding.related] == [6]


def test_objects_pulumi_uploads_itself_do_not_block_the_teardown() -> None:
    # Corpus: a site bucket holding only s3.BucketObjects of the same program, no force_destroy.
    # pulumi destroy deletes the objects (they refer to the bucket) before the bucket.
    bucket = res("site", "AWS::S3::Bucket", line=3)
    for kind in ("Pulumi::AWS::S3::BucketObject", "Pulumi::AWS::S3::BucketObjectv2"):
        upload = res("index", kind, line=4, props={"Bucket": Ref("site", "Id")})
        assert run(bucket, upload, platform="pulumi") == []


def test_only_a_named_retained_resource_is_said_to_block_the_next_deployment() -> None:
    retain = {"DeletionPolicy": Literal("Retain")}
    (auto_named,) = run(res("Logs", "AWS::S3::Bucket", options=retain))
    assert "keeps costing" in auto_named.message and "already exists" not in auto_named.message
    named = Resource(
        "Table",
        "AWS::DynamoDB::Table",
        Location(PATH, 9),
        properties={"TableName": Literal("orders")},
        options=retain,
        name=Literal("orders"),
        name_property="TableName",
    )
    (finding,) = run(named)
    assert "reuses its name fails with 'already exists'" in finding.message


def test_a_production_only_retained_resource_is_not_reported() -> None:
    prod_only = {"DeletionPolicy": Literal("Retain"), "Condition": Literal("IsProd")}
    assert run(res("Audit", "AWS::S3::Bucket", options=prod_only)) == []
    created = {**prod_only, "ConditionDefault": Literal(True)}
    assert len(run(res("Audit", "AWS::S3::Bucket", options=created))) == 1
