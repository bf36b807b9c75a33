"""Regressions from a sweep of real CDK Python TAP worktrees (docs/precision.md, "CDK sweep").

Each test is a reduction in our own names of a shape that was misread: a false alarm that was
fixed, or a blocker that was missed. Worktrees are scanned through the real engine and plugins.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from analyzer.findings import Finding
from analyzer.rules.base import Example
from tests.cdk.scanning import describe, scan_example

PROPS = """\
from typing import Optional

import aws_cdk as cdk


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: Optional[str] = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix
"""


def stack(body: str, imports: str) -> str:
    """A TapStack whose ``__init__`` runs ``body`` with ``sfx`` bound to the suffix."""
    head = textwrap.dedent(imports).strip() + "\n" + PROPS
    init = (
        "\n\nclass TapStack(cdk.Stack):\n"
        "    def __init__(self, scope, construct_id, props=None, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        sfx = props.environment_suffix if props else 'dev'\n"
    )
    return head + init + textwrap.indent(textwrap.dedent(body).strip() + "\n", " " * 8)


def scan_stack(tmp_path: Path, body: str, imports: str, **extra: str) -> list[Finding]:
    found, _ = scan_example(Example.cdk(stack(body, imports), **extra), tmp_path)
    return found


def of_rule(found: list[Finding], rule: str) -> list[Finding]:
    """The rule's findings on resources (IAC002 adds a worktree-level "suffix unused" one)."""
    return [f for f in found if f.rule_id == rule and f.resource is not None]


# jsii renames a construct's `scope` parameter to `scope_` when the L1 props have a `scope` of
# their own (WAFv2 web ACLs, IP sets, rule groups). The keyword used to be read as the construct
# scope, so the web ACL lost its stack: its id became `?/Acl` and it had no stack name.
def test_l1_construct_with_a_scope_property_stays_in_its_stack(tmp_path: Path) -> None:
    found = scan_stack(
        tmp_path,
        """
        wafv2.CfnWebACL(
            self, "Acl", name="edge-acl", scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True, metric_name="acl", sampled_requests_enabled=True
            ),
        )
        """,
        "from aws_cdk import aws_wafv2 as wafv2",
    )
    names = of_rule(found, "IAC002")
    assert len(names) == 1, describe(found)
    assert "'TapStack{environment_suffix}/Acl'" in names[0].message


# `events.Rule(rule_name=...)` sets the rule's physical name (aws-events rule.ts: name:
# this.physicalName). The generated table had matched the keyword to the schema's `RuleName`
# property instead of `Name`, so a fixed rule name was never checked.
EVENTS = "from aws_cdk import aws_events as events"


def test_fixed_event_rule_name_is_reported(tmp_path: Path) -> None:
    body = 'events.Rule(self, "Nightly", rule_name=%s, schedule=events.Schedule.rate(cdk.Duration.days(1)))'
    found = scan_stack(tmp_path / "fixed", body % '"nightly-report"', EVENTS)
    names = of_rule(found, "IAC002")
    assert len(names) == 1 and "'nightly-report'" in names[0].message, describe(found)
    assert scan_stack(tmp_path / "suffixed", body % 'f"nightly-report-{sfx}"', EVENTS) == []


# RDS takes MySQL's "8.0" (CDK `MysqlEngineVersion.VER_8_0`) and creates that line's default minor
# version. cfn-lint's version list has only full versions for mysql, so "8.0" was reported as a
# version MySQL does not have; a version that really does not exist is still reported.
RDS = "from aws_cdk import aws_ec2 as ec2, aws_rds as rds"
RDS_BODY = """
net = ec2.Vpc(self, "Net", max_azs=2)
rds.DatabaseInstance(
    self, "Db", vpc=net, removal_policy=cdk.RemovalPolicy.DESTROY,
    engine=rds.DatabaseInstanceEngine.mysql(version=%s),
)
"""


def test_mysql_major_minor_line_is_not_reported(tmp_path: Path) -> None:
    found = scan_stack(tmp_path, RDS_BODY % "rds.MysqlEngineVersion.VER_8_0", RDS)
    assert of_rule(found, "IAC007") == [], describe(found)


def test_mysql_version_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    body = RDS_BODY % 'rds.MysqlEngineVersion.of("8.0.12", "8.0")'
    found = of_rule(scan_stack(tmp_path, body, RDS), "IAC007")
    assert len(found) == 1 and "has no version 8.0.12" in found[0].message


# A helper that returns `Code.from_asset(dir)` when the directory exists and inline code otherwise:
# only the inline fallback was seen (the conditional return was dropped), so the handler was
# judged against the inline text. Which code deploys is decided at synth time: no finding.
CODE_PICKER = """
import os
from aws_cdk import aws_lambda as lambda_


def pick_code():
    for path in [os.path.join(os.getcwd(), "lambda")]:
        if os.path.isdir(path):
            return lambda_.Code.from_asset(path)
    return lambda_.Code.from_inline("def main(event, context):\\n    return 1\\n")
"""


def test_code_chosen_at_synth_time_is_not_judged(tmp_path: Path) -> None:
    found = scan_stack(
        tmp_path,
        """
        lambda_.Function(
            self, "Worker", runtime=lambda_.Runtime.PYTHON_3_12,
            handler="worker.main", code=pick_code(),
        )
        """,
        "from aws_cdk import aws_lambda as lambda_\nfrom lib.code import pick_code",
        **{"lib/code.py": CODE_PICKER},
    )
    assert of_rule(found, "IAC010") == [], describe(found)


# `kinesisanalyticsv2.CfnApplicationV2`: aws_kinesisanalyticsv2 names the class CfnApplication (the
# V2 spelling lives in aws_kinesisanalytics), so the read raises AttributeError at synth. Reported
# once per module and name, at the first read, and only for names another module defines.
def test_library_class_read_from_the_wrong_module_is_reported_once(tmp_path: Path) -> None:
    found = scan_stack(
        tmp_path,
        """
        role = iam.Role(self, "Runner", assumed_by=iam.ServicePrincipal("kinesisanalytics.amazonaws.com"))
        flink.CfnApplicationV2(
            self, "Flink", runtime_environment="FLINK-1_18", service_execution_role=role.role_arn,
            application_configuration=flink.CfnApplicationV2.ApplicationConfigurationProperty(),
        )
        flink.CfnApplication  # the class this module does have
        """,
        "from aws_cdk import aws_iam as iam, aws_kinesisanalyticsv2 as flink",
    )
    reported = [f for f in found if f.rule_id == "IAC001"]
    assert len(reported) == 1, describe(found)
    assert "aws_cdk.aws_kinesisanalyticsv2" in reported[0].message
    assert "aws_cdk.aws_kinesisanalytics has it" in reported[0].message


# `self.node.path` holds the stack id, which the entry point builds from the suffix; it was a plain
# literal of the path's rendering ("TapStack{environment_suffix}/..."), so a name built from it
# looked fixed. It now carries the ids' origins; a path of fixed ids is still a fixed name.
PATH_NAME = 'sqs.Queue(self, "Jobs", queue_name=f"jobs-{self.node.path}".replace("/", "-"))'
FIXED_APP = """\
import aws_cdk as cdk
from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()
TapStack(app, "TapStack", props=TapStackProps(environment_suffix="dev"))
app.synth()
"""


def test_name_from_the_construct_path_carries_the_stack_id(tmp_path: Path) -> None:
    imports = "from aws_cdk import aws_sqs as sqs"
    assert of_rule(scan_stack(tmp_path / "suffixed", PATH_NAME, imports), "IAC002") == []
    fixed = of_rule(scan_stack(tmp_path / "fixed", PATH_NAME, imports, app=FIXED_APP), "IAC002")
    assert len(fixed) == 1 and "'jobs-TapStack'" in fixed[0].message


# A stack created inside another stack (or a nested stack, or a stage) is named by CDK from every
# id on its construct path plus a hash (core/lib/stack.ts generateStackName), not from its own id:
# `self.stack_name` there was the bare id ("Resource"), a fixed text, so names built from it
# looked the same on every deployment.
INNER_STACK = """
import aws_cdk as cdk
from aws_cdk import aws_sqs as sqs


class Inner(cdk.Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        sqs.Queue(self, "Jobs", queue_name=f"{self.stack_name}-jobs")
"""


def test_stack_inside_a_stack_is_named_from_its_path(tmp_path: Path) -> None:
    found = scan_stack(
        tmp_path, 'Inner(self, "Resource")', "from lib.inner import Inner", **{"lib/inner.py": INNER_STACK}
    )
    assert of_rule(found, "IAC002") == [], describe(found)


# `cloudtrail.Trail` without `bucket=` creates its own s3.Bucket (cloudtrail.ts: new s3.Bucket(this,
# 'S3', ...)) with no removal policy, so the bucket's default applies and it outlives the stack.
def test_trail_bucket_created_by_cdk_is_retained(tmp_path: Path) -> None:
    imports = "from aws_cdk import aws_cloudtrail as cloudtrail, aws_s3 as s3"
    found = of_rule(scan_stack(tmp_path / "own", 'cloudtrail.Trail(self, "Audit")', imports), "IAC012")
    assert len(found) == 1 and "'TapStack{environment_suffix}/Audit/S3'" in found[0].message
    given = """
    logs = s3.Bucket(self, "Logs", removal_policy=cdk.RemovalPolicy.DESTROY, auto_delete_objects=True)
    cloudtrail.Trail(self, "Audit", bucket=logs)
    """
    assert of_rule(scan_stack(tmp_path / "given", given, imports), "IAC012") == []


# A VPC flow log without `destination=` (ec2.FlowLog or vpc.add_flow_log) sends to CloudWatch Logs
# through a log group CDK creates (vpc-flow-logs.ts: new logs.LogGroup(scope, 'LogGroup')), which is
# retained by default; a flow log given its destination creates none.
FLOW_LOGS = """
net = ec2.Vpc(self, "Net", max_azs=2)
ec2.FlowLog(self, "Traffic", resource_type=ec2.FlowLogResourceType.from_vpc(net))
net.add_flow_log("Rejected", traffic_type=ec2.FlowLogTrafficType.REJECT)
kept = logs.LogGroup(self, "Kept", removal_policy=cdk.RemovalPolicy.DESTROY)
ec2.FlowLog(
    self, "Given", resource_type=ec2.FlowLogResourceType.from_vpc(net),
    destination=ec2.FlowLogDestination.to_cloud_watch_logs(kept),
)
"""


def test_flow_log_default_log_group_is_retained(tmp_path: Path) -> None:
    found = of_rule(
        scan_stack(tmp_path, FLOW_LOGS, "from aws_cdk import aws_ec2 as ec2, aws_logs as logs"), "IAC012"
    )
    assert sorted(f.resource for f in found) == [
        "TapStack{environment_suffix}/Net/Rejected/LogGroup",
        "TapStack{environment_suffix}/Traffic/LogGroup",
    ]


# A function placed in a VPC had no VpcConfig in the model (the L2 `vpc=` keyword has another
# shape), so IAC005's "VPC function after the policy that lets its role create network
# interfaces" never applied to CDK. The role CDK creates carries AWSLambdaVPCAccessExecutionRole
# (function.ts), and a statement added to a role lands in its DefaultPolicy, which the function
# waits for; a separate iam.Policy attached to the role is not waited for.
VPC_FUNCTIONS = """
net = ec2.Vpc(self, "Net", max_azs=2)
code = lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n")
eni = iam.PolicyStatement(actions=["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces"], resources=["*"])
detached = iam.Role(self, "Detached", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
iam.Policy(self, "Eni", statements=[eni], roles=[detached])
lambda_.Function(self, "Late", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler", code=code, vpc=net, role=detached)
inline = iam.Role(self, "Inline", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
inline.add_to_policy(eni)
lambda_.Function(self, "Ordered", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler", code=code, vpc=net, role=inline)
lambda_.Function(self, "Own", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler", code=code, vpc=net)
"""


def test_vpc_function_waits_for_its_network_interface_policy(tmp_path: Path) -> None:
    imports = "from aws_cdk import aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda_"
    found = of_rule(scan_stack(tmp_path, VPC_FUNCTIONS, imports), "IAC005")
    assert [f.resource for f in found] == ["TapStack{environment_suffix}/Late"], describe(found)


# The import form of the same mistake raises ImportError when the app starts; an import guarded by
# `except ImportError` is not reported.
def test_library_class_imported_from_the_wrong_module_is_reported(tmp_path: Path) -> None:
    imports = "from aws_cdk.aws_cloudwatch import SnsAction\nfrom aws_cdk.aws_cloudwatch_actions import SnsAction as Ok"
    found = [f for f in scan_stack(tmp_path / "plain", "Ok", imports) if f.rule_id == "IAC001"]
    assert len(found) == 1 and "raises ImportError" in found[0].message, describe(found)
    guarded = (
        "try:\n    from aws_cdk.aws_cloudwatch import SnsAction\nexcept ImportError:\n    SnsAction = None"
    )
    assert [f for f in scan_stack(tmp_path / "guarded", "SnsAction", guarded) if f.rule_id == "IAC001"] == []


# Stacks that refer to each other: between top-level stacks of the app (CDK stops at synth), and
# between a parent stack and its nested stack (the parent template has a circular dependency). A
# reference one way only is fine.
TWO_STACKS_APP = """\
import aws_cdk as cdk
from lib.stacks import Data, Compute

app = cdk.App()
sfx = app.node.try_get_context("environmentSuffix") or "dev"
data = Data(app, f"Data{sfx}")
compute = Compute(app, f"Compute{sfx}", bucket=data.bucket)
data.publish(compute.fn)
app.synth()
"""

TWO_STACKS = """\
import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_, aws_s3 as s3, aws_ssm as ssm


class Data(cdk.Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        self.bucket = s3.Bucket(self, "Files")

    def publish(self, fn):
        ssm.CfnParameter(self, "Handler", type="String", value=fn.function_arn)


class Compute(cdk.Stack):
    def __init__(self, scope, construct_id, bucket, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        self.fn = lambda_.Function(
            self, "Fn", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
            environment={"BUCKET": bucket.bucket_name},
        )
"""


def test_top_level_stacks_that_refer_to_each_other(tmp_path: Path) -> None:
    example = Example(
        {
            "tap.py": TWO_STACKS_APP,
            "cdk.json": '{"app": "python3 tap.py"}',
            "lib/__init__.py": "",
            "lib/stacks.py": TWO_STACKS,
        }
    )
    found, _ = scan_example(example, tmp_path / "both")
    cycles = [f for f in found if f.rule_id == "IAC011"]
    assert len(cycles) == 1 and "CDK refuses the cyclic reference" in cycles[0].message, describe(found)
    one_way = Example({**example.files, "tap.py": TWO_STACKS_APP.replace("data.publish(compute.fn)\n", "")})
    found, _ = scan_example(one_way, tmp_path / "one-way")
    assert [f for f in found if f.rule_id == "IAC011"] == []


PARENT_AND_NESTED = """
class Worker(cdk.NestedStack):
    def __init__(self, scope, construct_id, table_name):
        super().__init__(scope, construct_id)
        self.queue = sqs.Queue(self, "Jobs", queue_name=f"{table_name}-jobs")
        self.other = sqs.Queue(self, "Other")


table = ddb.CfnTable(
    self, "Items", key_schema=[{"attributeName": "id", "keyType": "HASH"}],
    attribute_definitions=[{"attributeName": "id", "attributeType": "S"}], billing_mode="PAY_PER_REQUEST",
)
worker = Worker(self, "Worker", table.ref)
sqs.CfnQueuePolicy(
    self, "Access", queues=[worker.queue.queue_url],
    policy_document={"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*"}]},
)
table.add_property_override("TableName", worker.other.queue_name)
"""


def test_parent_and_nested_stack_that_refer_to_each_other(tmp_path: Path) -> None:
    imports = "from aws_cdk import aws_dynamodb as ddb, aws_sqs as sqs"
    found = [f for f in scan_stack(tmp_path, PARENT_AND_NESTED, imports) if f.rule_id == "IAC011"]
    assert len(found) == 1 and "a nested stack and the stack's own resources" in found[0].message, describe(
        found
    )


# Functions made in a loop from one line: a fixed account/region in that line is one finding, not
# one per iteration (as IAC007 already does for a runtime).
def test_environment_assumption_in_a_loop_is_reported_once(tmp_path: Path) -> None:
    body = """
    for name in ["a", "b", "c"]:
        lambda_.Function(
            self, f"Fn{name}", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
            environment={"QUEUE_ARN": "arn:aws:sqs:us-east-1:111122223333:jobs"},
        )
    """
    found = of_rule(scan_stack(tmp_path, body, "from aws_cdk import aws_lambda as lambda_"), "IAC014")
    assert len(found) == 1, describe(found)


# `auto_delete_objects=True` on a bucket whose removal policy is not DESTROY (given, or the retain
# default) makes CDK throw at synth (bucket.ts); IAC012 says so, as an error. With DESTROY, nothing.
def test_auto_delete_without_destroy_stops_the_synth(tmp_path: Path) -> None:
    imports = "from aws_cdk import aws_s3 as s3"
    found = of_rule(
        scan_stack(tmp_path / "default", 's3.Bucket(self, "Files", auto_delete_objects=True)', imports),
        "IAC012",
    )
    assert len(found) == 1 and "CDK stops at synth" in found[0].message
    assert found[0].severity.name == "ERROR"
    fine = 's3.Bucket(self, "Files", auto_delete_objects=True, removal_policy=cdk.RemovalPolicy.DESTROY)'
    assert of_rule(scan_stack(tmp_path / "destroy", fine, imports), "IAC012") == []


# Keyword combinations aws-cdk-lib constructs refuse in their constructors (ValidationError at
# synth): reported by IAC008 with the construct's message. A value the analysis does not know (a
# context read that may be None) is not judged.
REFUSED = """
lg = logs.LogGroup(self, "Lg", removal_policy=cdk.RemovalPolicy.DESTROY)
s3.Bucket(self, "Site", public_read_access=True, removal_policy=cdk.RemovalPolicy.DESTROY)
ddb.Table(
    self, "Items", partition_key=ddb.Attribute(name="id", type=ddb.AttributeType.STRING),
    billing_mode=ddb.BillingMode.PAY_PER_REQUEST, read_capacity=5, removal_policy=cdk.RemovalPolicy.DESTROY,
)
ddb.Table(
    self, "Maybe", partition_key=ddb.Attribute(name="id", type=ddb.AttributeType.STRING),
    billing_mode=ddb.BillingMode.PAY_PER_REQUEST, read_capacity=self.node.try_get_context("rcu"),
    removal_policy=cdk.RemovalPolicy.DESTROY,
)
lambda_.Function(
    self, "Fn", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler",
    code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
    log_group=lg, log_retention=logs.RetentionDays.ONE_WEEK,
)
net = ec2.Vpc(self, "Net", cidr="10.0.0.0/16", ip_addresses=ec2.IpAddresses.cidr("10.1.0.0/16"))
engine = rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_4)
rds.DatabaseCluster(self, "NoWriter", engine=engine, vpc=net, removal_policy=cdk.RemovalPolicy.DESTROY)
rds.DatabaseCluster(
    self, "Writer", engine=engine, vpc=net, removal_policy=cdk.RemovalPolicy.DESTROY,
    writer=rds.ClusterInstance.serverless_v2("Writer"),
)
"""


def test_keyword_combinations_constructs_refuse(tmp_path: Path) -> None:
    imports = (
        "from aws_cdk import aws_dynamodb as ddb, aws_ec2 as ec2, aws_lambda as lambda_, aws_logs as logs, "
        "aws_rds as rds, aws_s3 as s3"
    )
    found = [f for f in scan_stack(tmp_path, REFUSED, imports) if f.rule_id == "IAC008"]
    classes = sorted(f.message.split("`")[1] for f in found)
    assert classes == [
        "aws_cdk.aws_dynamodb.Table",
        "aws_cdk.aws_ec2.Vpc",
        "aws_cdk.aws_lambda.Function",
        "aws_cdk.aws_rds.DatabaseCluster",
        "aws_cdk.aws_s3.Bucket",
    ], describe(found)


# An L1 property struct given as a plain dict with Python (snake_case) keys: jsii passes a dict's
# keys unchanged, so CDK's validator finds the required `ipProtocol` missing and stops the synth.
# camelCase keys and the struct class are fine.
SNAKE_DICT = """
net = ec2.CfnVPC(self, "Net", cidr_block="10.0.0.0/16")
ec2.CfnSecurityGroup(
    self, "Snake", group_description="web", vpc_id=net.ref,
    security_group_ingress=[{"ip_protocol": "tcp", "cidr_ip": "10.0.0.0/16", "from_port": 443, "to_port": 443}],
)
ec2.CfnSecurityGroup(
    self, "Camel", group_description="web", vpc_id=net.ref,
    security_group_ingress=[{"ipProtocol": "tcp", "cidrIp": "10.0.0.0/16", "fromPort": 443, "toPort": 443}],
)
ec2.CfnSecurityGroup(
    self, "Struct", group_description="web", vpc_id=net.ref,
    security_group_ingress=[ec2.CfnSecurityGroup.IngressProperty(ip_protocol="tcp", cidr_ip="10.0.0.0/16")],
)
"""


def test_struct_dict_with_python_names_misses_a_required_field(tmp_path: Path) -> None:
    found = [
        f
        for f in scan_stack(tmp_path, SNAKE_DICT, "from aws_cdk import aws_ec2 as ec2")
        if f.rule_id == "IAC008"
    ]
    assert len(found) == 1 and "ipProtocol: required but missing" in found[0].message, describe(found)
    assert found[0].resource == "TapStack{environment_suffix}/Snake"
