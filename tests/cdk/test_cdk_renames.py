"""L2 keywords CloudFormation spells differently, properties CDK writes by default, and default
removal policies: the shapes rules read (IAC009 FifoQueue, IAC012 DeletionPolicy and deletion
protection, IAC015 MasterUserPassword/SecretString)."""

from __future__ import annotations

from pathlib import Path

from analyzer.discover import list_files
from analyzer.model import Project, Ref, iter_refs, literal_of
from analyzer.plugin import Limits
from analyzer.rules.base import Example
from plugins.cdk import CdkPlugin, tables
from tests.cdk.scanning import describe, scan_example, triples

_CONTEXT = '{"app": "python3 tap.py", "context": {"environmentSuffix": "dev"}}'
_HEAD = """
import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_events as events
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as sm
from aws_cdk import aws_sqs as sqs
from constructs import Construct


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        suffix = props.environment_suffix
"""
_DESTROY = "removal_policy=cdk.RemovalPolicy.DESTROY"


def model(tmp_path: Path, body: str) -> Project:
    Example.cdk(_HEAD + body, **{"cdk.json": _CONTEXT}).materialize(tmp_path)
    return CdkPlugin().parse(list_files(tmp_path, Limits()).worktree)


def props(project: Project, resource_id: str) -> dict[str, object]:
    resource = project.resource(resource_id)
    assert resource is not None, [r.id for r in project.resources]
    return {key: literal_of(value, value) for key, value in resource.properties.items()}


def test_fifo_from_the_keyword_the_name_or_deduplication(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        sqs.Queue(self, "Given", fifo=True, queue_name=f"orders-{suffix}.fifo")
        sqs.Queue(self, "Named", queue_name=f"orders-{suffix}.fifo")
        sqs.Queue(self, "Dedup", content_based_deduplication=True)
        sqs.Queue(self, "Plain", queue_name=f"orders-{suffix}")
        sqs.Queue(self, "Off", fifo=False)
""",
    )
    assert props(project, "TapStackdev/Given")["FifoQueue"] is True
    assert props(project, "TapStackdev/Named")["FifoQueue"] is True
    assert props(project, "TapStackdev/Dedup")["FifoQueue"] is True
    assert "FifoQueue" not in props(project, "TapStackdev/Plain")
    assert props(project, "TapStackdev/Off")["FifoQueue"] is False


def test_renamed_and_reshaped_keywords(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        f"""
        dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            deletion_protection=True,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            {_DESTROY},
        )
        cognito.UserPool(self, "Pool", deletion_protection=True, {_DESTROY})
        cognito.UserPool(self, "Open", deletion_protection=False, {_DESTROY})
        logs.LogGroup(self, "Week", retention=logs.RetentionDays.ONE_WEEK, {_DESTROY})
        logs.LogGroup(self, "Forever", retention=logs.RetentionDays.INFINITE, {_DESTROY})
        logs.LogGroup(self, "Default", {_DESTROY})
        events.Rule(self, "Rule", rule_name=f"nightly-{{suffix}}")
        elbv2.ApplicationLoadBalancer(self, "Alb", vpc=props.vpc, deletion_protection=True)
""",
    )
    assert props(project, "TapStackdev/Table")["DeletionProtectionEnabled"] is True
    assert props(project, "TapStackdev/Table")["BillingMode"] == "PAY_PER_REQUEST"
    assert props(project, "TapStackdev/Pool")["DeletionProtection"] == "ACTIVE"
    assert props(project, "TapStackdev/Open")["DeletionProtection"] == "INACTIVE"
    assert props(project, "TapStackdev/Week")["RetentionInDays"] == 7
    assert "RetentionInDays" not in props(project, "TapStackdev/Forever")
    assert props(project, "TapStackdev/Default")["RetentionInDays"] == 731  # RetentionDays.TWO_YEARS
    assert props(project, "TapStackdev/Rule")["Name"] == "nightly-dev"
    assert props(project, "TapStackdev/Alb")["LoadBalancerAttributes"] == [
        {"Key": "deletion_protection.enabled", "Value": "true"}
    ]


def test_rds_credentials_and_secret_values(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        f"""
        engine = rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_8)
        rds.DatabaseCluster(
            self, "Literal", engine=engine, vpc=props.vpc, {_DESTROY},
            credentials=rds.Credentials.from_password("admin", cdk.SecretValue.unsafe_plain_text("pw-123456")),
        )
        rds.DatabaseCluster(
            self, "Generated", engine=engine, vpc=props.vpc, {_DESTROY},
            credentials=rds.Credentials.from_generated_secret("admin"),
        )
        sm.Secret(self, "Token", secret_string_value=cdk.SecretValue.unsafe_plain_text("abc"))
""",
    )
    literal = props(project, "TapStackdev/Literal")
    assert (literal["MasterUsername"], literal["MasterUserPassword"]) == ("admin", "pw-123456")
    generated = props(project, "TapStackdev/Generated")
    assert generated["MasterUsername"] == "admin"
    assert literal_of(project.resource("TapStackdev/Generated").prop("MasterUserPassword")) is None
    assert props(project, "TapStackdev/Token")["SecretString"] == "abc"


def test_default_removal_policies_come_from_the_jsii_defaults(tmp_path: Path) -> None:
    assert tables.construct("aws_cdk.aws_s3.Bucket").entry["removal"] == "retain"
    assert tables.construct("aws_cdk.aws_rds.DatabaseCluster").entry["removal"] == "snapshot"
    assert "removal" not in tables.construct("aws_cdk.aws_sqs.Queue").entry
    project = model(
        tmp_path,
        f"""
        s3.Bucket(self, "Kept")
        s3.Bucket(self, "Gone", {_DESTROY}, auto_delete_objects=True)
        sqs.Queue(self, "Queue")
        later = s3.Bucket(self, "Later")
        later.apply_removal_policy(cdk.RemovalPolicy.DESTROY)
""",
    )
    kept = project.resource("TapStackdev/Kept").options
    assert literal_of(kept["DeletionPolicy"]) == "Retain"
    assert literal_of(kept["RemovalPolicy"]).startswith("retain (the default")
    assert literal_of(project.resource("TapStackdev/Gone").options["DeletionPolicy"]) == "Delete"
    assert "DeletionPolicy" not in project.resource("TapStackdev/Queue").options
    assert literal_of(project.resource("TapStackdev/Later").options["DeletionPolicy"]) == "Delete"


def test_aspects_make_default_removal_policies_unknown(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        s3.Bucket(self, "Kept")
        cdk.RemovalPolicies.of(self).destroy()
""",
    )
    assert "DeletionPolicy" not in project.resource("TapStackdev/Kept").options


def test_unknown_keyword_arguments_make_defaults_unknown(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        s3.Bucket(self, "Given", **props.bucket_options)
        logs.LogGroup(self, "Logs", **props.log_options)
        s3.Bucket(self, "Known", **{"removal_policy": cdk.RemovalPolicy.DESTROY})
""",
    )
    assert "DeletionPolicy" not in project.resource("TapStackdev/Given").options
    assert "RetentionInDays" not in project.resource("TapStackdev/Logs").properties
    assert literal_of(project.resource("TapStackdev/Known").options["DeletionPolicy"]) == "Delete"


def test_rules_read_the_renamed_properties(tmp_path: Path) -> None:
    body = f"""
        sqs.Queue(self, "Orders", fifo=True, queue_name=f"orders-{{suffix}}")  # expect: IAC009
        dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            deletion_protection=True,  # expect: IAC012
            {_DESTROY},
        )
        s3.Bucket(self, "Kept")  # expect: IAC012
        rds.DatabaseCluster(
            self,
            "Db",
            engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_8),
            writer=rds.ClusterInstance.serverless_v2("Writer"),
            vpc=props.vpc,
            {_DESTROY},
            credentials=rds.Credentials.from_password(
                "admin", cdk.SecretValue.unsafe_plain_text("pw-123456")  # expect: IAC015
            ),
        )
"""
    example = Example.cdk(_HEAD + body, **{"cdk.json": _CONTEXT})
    findings, expected = scan_example(example, tmp_path)
    assert triples(findings) == expected, describe(findings)


def test_a_worktree_subclass_of_a_library_construct_is_that_resource(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        bucket = SecureBucket(self, "Data", bucket_name=f"data-{suffix}")
        queue = sqs.Queue(self, "Q")
        bucket.grant_read(queue)
        bucket.add_to_resource_policy(props.statement)
        cdk.CfnOutput(self, "Arn", value=bucket.bucket_arn)
""",
    )
    bucket = project.resource("TapStackdev/Data")
    assert bucket is not None and bucket.type == "AWS::S3::Bucket"
    assert literal_of(bucket.name) == "data-dev"
    assert literal_of(bucket.options["DeletionPolicy"]) == "Delete"  # from the subclass's super() call
    lines = (tmp_path / "lib" / "tap_stack.py").read_text(encoding="utf-8").splitlines()
    created = next(n for n, line in enumerate(lines, 1) if 'SecureBucket(self, "Data"' in line)
    assert bucket.location.line == created  # the instantiation, not super().__init__ in the class
    assert project.resource("TapStackdev/Data/Policy").type == "AWS::S3::BucketPolicy"


_SUBCLASS = """
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3_notifications as s3n


class SecureBucket(s3.Bucket):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, removal_policy=cdk.RemovalPolicy.DESTROY, **kwargs)


class TracedFunction(lambda_.Function):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(
            scope,
            construct_id,
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return event\\n"),
            tracing=lambda_.Tracing.ACTIVE,
            **kwargs,
        )
"""
_HEAD = _HEAD.replace("\n\nclass TapStackProps", _SUBCLASS + "\n\nclass TapStackProps")


def test_buckets_filled_by_a_deployment_or_access_logs_need_auto_delete(tmp_path: Path) -> None:
    body = f"""
        logs_bucket = s3.Bucket(self, "Logs", {_DESTROY})  # expect: IAC012
        site = s3.Bucket(self, "Site", {_DESTROY}, server_access_logs_bucket=logs_bucket)  # expect: IAC012
        s3deploy.BucketDeployment(self, "Deploy", sources=[s3deploy.Source.asset("site")], destination_bucket=site)
        quiet = s3.Bucket(self, "Quiet", {_DESTROY}, auto_delete_objects=True)
        s3deploy.BucketDeployment(self, "Fill", sources=[s3deploy.Source.asset("site")], destination_bucket=quiet)
"""
    head = _HEAD.replace(
        "from aws_cdk import aws_s3 as s3",
        "from aws_cdk import aws_s3 as s3\nfrom aws_cdk import aws_s3_deployment as s3deploy",
    )
    example = Example.cdk(head + body, **{"cdk.json": _CONTEXT, "site/index.html": "<p>hi</p>"})
    findings, expected = scan_example(example, tmp_path)
    assert triples(findings) == expected, describe(findings)
    project = CdkPlugin().parse(list_files(tmp_path, Limits()).worktree)
    deployment = project.resource("TapStackdev/Deploy/CustomResource")
    assert deployment.type == "Custom::CDKBucketDeployment"
    logging = project.resource("TapStackdev/Site").prop("LoggingConfiguration", "DestinationBucketName")
    assert logging == Ref("TapStackdev/Logs")


def test_subclass_instances_are_the_construct_when_passed_to_the_library(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        bucket = SecureBucket(self, "Data")
        fn = TracedFunction(self, "Fn")
        bucket.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(fn))
        bucket.grant_read(fn)
        events.Rule(self, "Tick", schedule=events.Schedule.rate(cdk.Duration.hours(1)), targets=[targets.LambdaFunction(fn)])
""",
    )
    assert project.resource("TapStackdev/Data/AllowBucketNotificationsToTapStackdevFn").type == (
        "AWS::Lambda::Permission"
    )
    assert project.resource("TapStackdev/Tick/AllowEventRuleTapStackdevFn") is not None
    policy = project.resource("TapStackdev/Fn/ServiceRole/DefaultPolicy")
    assert policy is not None and "TapStackdev/Data" in {
        r.resource for _, r in iter_refs(policy.prop("PolicyDocument"))
    }
