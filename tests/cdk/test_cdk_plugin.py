"""The CDK plugin: shipped tables, detection, context, call checks and the construct model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.discover import list_files
from analyzer.graph import EdgeKind, ResourceGraph
from analyzer.model import Concat, Literal, Origin, Project, Ref, Unknown, get_path, items_of, literal_of
from analyzer.plugin import Limits
from analyzer.report.model_view import project_data
from plugins.cdk import CdkPlugin, tables
from tests.conftest import check_snapshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_repos"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def parse(path: Path) -> Project:
    worktree = list_files(path, Limits()).worktree
    plugin = CdkPlugin()
    assert plugin.detect(worktree)
    return plugin.parse(worktree)


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


# -- shipped data ----------------------------------------------------------------------------------


def test_shipped_tables_load_and_map_core_classes() -> None:
    data = tables.tables()
    assert data["version"] == "2.275.0"
    assert tables.construct("aws_cdk.aws_s3.Bucket").cfn_type == "AWS::S3::Bucket"
    assert tables.construct("aws_cdk.aws_s3.CfnBucket").level == 1
    assert tables.construct("aws_cdk.aws_rds.DatabaseCluster").name_keyword == "cluster_identifier"
    assert tables.construct("aws_cdk.aws_lambda.Function").cfn_property("function_name") == "FunctionName"
    assert tables.attribute("aws_cdk.aws_iam.Role", "role_arn") == "Arn"
    assert "iam:PassRole" in tables.grant_actions("aws_cdk.aws_iam.Role", "grant_pass_role")
    assert "s3:GetObject*" in tables.grant_actions("aws_cdk.aws_s3.Bucket", "grant_read")
    assert "dynamodb:PutItem" in tables.grant_actions("aws_cdk.aws_dynamodb.Table", "grant_read_write_data")
    # Stack has no `props` keyword: the base of the **kwargs check
    _, _, keywords, _ = tables.keyword_parameters("aws_cdk.Stack")
    assert "env" in keywords and "stack_name" in keywords and "props" not in keywords
    l2 = [e for _, e in tables.all_classes() if e.get("level") == 2 and not e.get("abstract")]
    assert sum(1 for e in l2 if e.get("type")) / len(l2) > 0.9


# -- detection and entry point ---------------------------------------------------------------------


def test_detects_cdk_json_app_and_ignores_pulumi(tmp_path: Path) -> None:
    cdk_root = write(tmp_path / "a", {"cdk.json": '{"app": "python3 app.py"}', "app.py": "import aws_cdk\n"})
    pulumi_root = write(tmp_path / "b", {"Pulumi.yaml": "name: x\n", "tap.py": "import pulumi\n"})
    plugin = CdkPlugin()
    assert plugin.detect(list_files(cdk_root, Limits()).worktree)
    assert not plugin.detect(list_files(pulumi_root, Limits()).worktree)
    assert plugin.parse(list_files(cdk_root, Limits()).worktree).entry_point == "app.py"


def test_context_missing_from_cdk_json_is_unknown_with_reason(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "cdk.json": '{"app": "python3 tap.py"}',
            "tap.py": (
                "import aws_cdk as cdk\nfrom aws_cdk import aws_s3 as s3\n"
                "app = cdk.App()\nsuffix = app.node.try_get_context('environmentSuffix')\n"
                "stack = cdk.Stack(app, 'S')\ns3.Bucket(stack, 'B', bucket_name=f'b-{suffix}')\n"
            ),
        },
    )
    project = parse(root)
    value = project.parameters["environmentSuffix"]
    assert isinstance(value, Unknown) and "deploy time" in value.reason
    bucket = project.resource("S/B")
    assert bucket is not None and bucket.name is not None
    assert bucket.name.origin & Origin.SUFFIX and bucket.name.origin & Origin.CONFIG


def test_bad_cdk_json_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = write(tmp_path, {"cdk.json": "{nope", "tap.py": "import aws_cdk as cdk\napp = cdk.App()\n"})
    project = CdkPlugin().parse(list_files(root, Limits()).worktree)
    assert any("cdk.json" in p.location.path for p in project.problems)


# -- IAC001's CDK case -----------------------------------------------------------------------------


def test_props_through_kwargs_to_stack_is_unexpected() -> None:
    project = parse(SAMPLES / "cdk-props-kwargs")
    call = next(c for c in project.calls if c.callee == "TapStack")
    assert call.unexpected == ("props",) and call.via == "**kwargs to aws_cdk.Stack" and call.certain
    fixed = parse(SAMPLES / "cdk-props-kwargs-fixed")
    assert all(not c.unexpected and not c.missing for c in fixed.calls)


# -- the construct model ---------------------------------------------------------------------------


def test_video_pipeline_nested_stacks_names_and_edges() -> None:
    project = parse(SAMPLES / "cdk-video-pipeline")
    graph = ResourceGraph(project)
    nested = [r for r in project.resources if r.type == "AWS::CloudFormation::Stack"]
    assert len(nested) == 7
    assert graph.depends_on(
        "TapStackdev/WorkflowStackdev.NestedStack", "TapStackdev/ComputeStackdev.NestedStack"
    )
    cluster = project.resource("TapStackdev/ComputeStackdev/VideoCluster")
    assert literal_of(cluster.name) == "video-processing-cluster" and not cluster.name.origin.per_deployment
    bucket = project.resource("TapStackdev/StorageStackdev/VideoBucket")
    assert bucket.name.origin.per_deployment and literal_of(bucket.options["DeletionPolicy"]) == "Delete"
    assert project.resource("TapStackdev/ComputeStackdev/TranscodeTask/ExecutionRole").name is None
    assert project.facts["stacks"]["TapStackdev"]["per_deployment"]


def test_custom_state_passes_task_definition_without_pass_role() -> None:
    project = parse(SAMPLES / "cdk-video-pipeline")
    machine = project.resource("TapStackdev/WorkflowStackdev/VideoWorkflow")
    step = get_path(machine.prop("Definition"), "States", "Transcode")
    assert literal_of(get_path(step, "Resource")) == "arn:aws:states:::ecs:runTask.sync"
    assert get_path(step, "Parameters", "TaskDefinition") == Ref(
        "TapStackdev/ComputeStackdev/TranscodeTask", "Arn"
    )
    assert machine.prop("RoleArn") == Ref("TapStackdev/WorkflowStackdev/StateMachineRole", "Arn")
    task = project.resource("TapStackdev/ComputeStackdev/TranscodeTask")
    assert task.prop("TaskRoleArn") == Ref("TapStackdev/ComputeStackdev/TaskRole", "Arn")
    policy = project.resource("TapStackdev/WorkflowStackdev/StateMachineRole/DefaultPolicy")
    actions = {
        literal_of(a)
        for s in items_of(get_path(policy.prop("PolicyDocument"), "Statement"))
        for a in items_of(get_path(s, "Action"))
    }
    assert "ecs:RunTask" in actions and "iam:PassRole" not in actions
    graph = ResourceGraph(project)
    assert policy.id in graph.grants_to("TapStackdev/WorkflowStackdev/StateMachineRole")
    assert graph.roles_assumed_by(machine.id) == ["TapStackdev/WorkflowStackdev/StateMachineRole"]


def test_ecs_run_task_grants_pass_role_like_cdk() -> None:
    project = parse(SAMPLES / "cdk-video-pipeline-fixed")
    policy = project.resource("TapStackdev/WorkflowStackdev/StateMachineRole/DefaultPolicy")
    statements = items_of(get_path(policy.prop("PolicyDocument"), "Statement"))
    pass_role = [s for s in statements if literal_of(get_path(s, "Action", 0)) == "iam:PassRole"]
    assert len(pass_role) == 1
    assert set(items_of(get_path(pass_role[0], "Resource"))) == {
        Ref("TapStackdev/ComputeStackdev/TaskRole", "Arn"),
        Ref("TapStackdev/ComputeStackdev/TranscodeTask/ExecutionRole", "Arn"),
    }


def test_lambda_function_companion_role_grant_and_code() -> None:
    project = parse(SAMPLES / "cdk-video-pipeline")
    function = project.resource("TapStackdev/ApiStackdev/MetadataFunction")
    assert function.prop("Role") == Ref("TapStackdev/ApiStackdev/MetadataFunction/ServiceRole", "Arn")
    assert literal_of(function.prop("Runtime")) == "python3.12"
    assert function.code is not None and function.code.handler_found
    grant = project.resource("TapStackdev/ApiStackdev/MetadataFunction/ServiceRole/DefaultPolicy")
    statement = get_path(grant.prop("PolicyDocument"), "Statement", 0)
    assert get_path(statement, "Resource", 0) == Ref("TapStackdev/StorageStackdev/VideoBucket", "Arn")
    graph = ResourceGraph(project)
    assert any(e.kind is EdgeKind.IAM_GRANT for e in graph.edges(source=grant.id))


def test_l1_constructs_map_every_keyword(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "cdk.json": '{"app": "python3 tap.py"}',
            "tap.py": (
                "import aws_cdk as cdk\nfrom aws_cdk import aws_s3 as s3, aws_dms as dms\n"
                "app = cdk.App()\nstack = cdk.Stack(app, 'S')\n"
                "b = s3.CfnBucket(stack, 'B', bucket_name='fixed',\n"
                "    versioning_configuration=s3.CfnBucket.VersioningConfigurationProperty(\n"
                "        status='Enabled'))\n"
                "r = dms.CfnReplicationInstance(\n"
                "    stack, 'R', replication_instance_class='dms.t3.micro', multi_az=False)\n"
                "r.add_depends_on(b)\n"
            ),
        },
    )
    project = parse(root)
    bucket = project.resource("S/B")
    assert bucket.name == Literal("fixed") or literal_of(bucket.name) == "fixed"
    assert literal_of(get_path(bucket.prop("VersioningConfiguration"), "Status")) == "Enabled"
    instance = project.resource("S/R")
    assert instance.type == "AWS::DMS::ReplicationInstance" and literal_of(instance.prop("MultiAZ")) is False
    assert [d.target for d in instance.depends_on] == ["S/B"]


# -- snapshots -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample", ["cdk-props-kwargs", "cdk-props-kwargs-fixed", "cdk-video-pipeline", "cdk-video-pipeline-fixed"]
)
def test_model_snapshot(sample: str) -> None:
    project = parse(SAMPLES / sample)
    check_snapshot(SNAPSHOTS / f"{sample}.json", project_data(project, ResourceGraph(project)))


# -- cdk.out --------------------------------------------------------------------------------------

_SYNTH_STACK = """\
from aws_cdk import Stack
from aws_cdk import aws_s3 as s3
from constructs import Construct


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        s3.Bucket(self, "Uploads", bucket_name="orders-uploads")
"""

_SYNTH_TEMPLATE = {
    "Resources": {
        "Uploads1E9A5F2B": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": "orders-uploads"},
            "Metadata": {"aws:cdk:path": "TapStackdev/Uploads/Resource"},
        },
        "UploadsNotifications": {
            "Type": "Custom::S3BucketNotifications",
            "Properties": {"BucketName": {"Ref": "Uploads1E9A5F2B"}},
            "Metadata": {"aws:cdk:path": "TapStackdev/Uploads/Notifications/Resource"},
        },
        "CDKMetadata": {
            "Type": "AWS::CDK::Metadata",
            "Properties": {"Analytics": "v2:deflate64:xyz"},
            "Metadata": {"aws:cdk:path": "TapStackdev/CDKMetadata/Default"},
        },
    }
}


def _synth_worktree(root: Path, with_cdk_out: bool) -> Path:
    files = {
        "cdk.json": '{"app": "python3 tap.py", "context": {"environmentSuffix": "dev"}}',
        "tap.py": (
            "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack\n"
            "app = cdk.App()\nsuffix = app.node.try_get_context('environmentSuffix') or 'dev'\n"
            "TapStack(app, f'TapStack{suffix}')\napp.synth()\n"
        ),
        "lib/__init__.py": "",
        "lib/tap_stack.py": _SYNTH_STACK,
    }
    if with_cdk_out:
        files["cdk.out/TapStackdev.template.json"] = json.dumps(_SYNTH_TEMPLATE, indent=1)
    return write(root, files)


def test_cdk_out_merges_by_construct_path(tmp_path: Path) -> None:
    project = parse(_synth_worktree(tmp_path, with_cdk_out=True))
    ids = [r.id for r in project.resources]
    assert ids.count("TapStackdev/Uploads") == 1
    extra = project.resource("TapStackdev/Uploads/Notifications")
    assert extra is not None and extra.location == project.resource("TapStackdev/Uploads").location
    assert extra.prop("BucketName") == Ref("TapStackdev/Uploads")
    assert not any("CDKMetadata" in i for i in ids)
    assert project.facts["cdk_out"] == {
        "templates": ["cdk.out/TapStackdev.template.json"],
        "matched": 1,
        "added": 1,
        "left_out": 1,
    }


def test_source_and_cdk_out_report_each_finding_once_at_the_python_line(tmp_path: Path) -> None:
    from analyzer.config import Config
    from analyzer.engine import scan

    plain = scan([_synth_worktree(tmp_path / "plain", with_cdk_out=False)], Config())
    both = scan([_synth_worktree(tmp_path / "both", with_cdk_out=True)], Config())

    def named(result: object) -> list[tuple[str, str, int]]:
        return [
            (f.rule_id, f.location.path, f.location.line)
            for f in result.findings  # type: ignore[attr-defined]
            if f.rule_id == "IAC002"
        ]

    assert named(plain).count(("IAC002", "lib/tap_stack.py", 9)) == 1
    assert named(both) == named(plain)
    assert all(not f.location.path.startswith("cdk.out") for f in both.findings)
    assert [p.project.platform for p in both.projects] == ["cdk"]


# -- more construct shapes -------------------------------------------------------------------------


def _app(tmp_path: Path, stack_body: str, tap: str | None = None) -> Project:
    stack = (
        "import aws_cdk as cdk\nfrom aws_cdk import aws_rds as rds, aws_iam as iam, aws_ec2 as ec2\n"
        "from constructs import Construct\n\n\n"
        "class TapStack(cdk.Stack):\n"
        "    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:\n"
        "        super().__init__(scope, construct_id, **kwargs)\n" + stack_body
    )
    default_tap = (
        "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack\napp = cdk.App()\nTapStack(app, 'T')\n"
    )
    return parse(
        write(
            tmp_path,
            {
                "cdk.json": '{"app": "python3 tap.py"}',
                "tap.py": tap if tap is not None else default_tap,
                "lib/__init__.py": "",
                "lib/tap_stack.py": stack,
            },
        )
    )


def test_l2_database_cluster_engine_version_and_companions(tmp_path: Path) -> None:
    project = _app(
        tmp_path,
        (
            "        vpc = ec2.Vpc(self, 'Vpc')\n"
            "        rds.DatabaseCluster(self, 'Aurora', vpc=vpc,\n"
            "            engine=rds.DatabaseClusterEngine.aurora_postgres(\n"
            "                version=rds.AuroraPostgresEngineVersion.VER_15_2),\n"
            "            parameters={'log_statement': 'all'}, deletion_protection=False)\n"
        ),
    )
    cluster = project.resource("T/Aurora")
    assert cluster.type == "AWS::RDS::DBCluster"
    assert literal_of(cluster.prop("Engine")) == "aurora-postgresql"
    assert literal_of(cluster.prop("EngineVersion")) == "15.2"
    assert literal_of(cluster.prop("DeletionProtection")) is False
    params = project.resource("T/Aurora/ParameterGroup")
    assert params.type == "AWS::RDS::DBClusterParameterGroup"
    assert literal_of(params.prop("Parameters")) == {"log_statement": "all"}
    assert project.resource("T/Aurora/Subnets").type == "AWS::RDS::DBSubnetGroup"


def test_generated_physical_name_is_auto_named(tmp_path: Path) -> None:
    project = _app(
        tmp_path,
        (
            "        iam.Role(self, 'R', assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'),\n"
            "                 role_name=cdk.PhysicalName.GENERATE_IF_NEEDED)\n"
        ),
    )
    role = project.resource("T/R")
    assert role.name is None and "RoleName" not in role.properties
    trust = get_path(role.prop("AssumeRolePolicyDocument"), "Statement", 0, "Principal", "Service")
    assert literal_of(trust) == "lambda.amazonaws.com"


def test_unknown_keyword_through_stack_props_is_reported(tmp_path: Path) -> None:
    stack = (
        "import aws_cdk as cdk\n\n\n"
        "class TapStackProps(cdk.StackProps):\n"
        "    def __init__(self, environment_suffix=None, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.environment_suffix = environment_suffix\n\n\n"
        "class TapStack(cdk.Stack):\n"
        "    def __init__(self, scope, construct_id, props=None, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
    )
    tap = (
        "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack, TapStackProps\napp = cdk.App()\n"
        "props = TapStackProps(environment_suffix='x', env=cdk.Environment(region='us-east-1'), vpc_id='v')\n"
        "TapStack(app, 'T', props=props, stack_name='T-x')\n"
    )
    project = parse(
        write(
            tmp_path,
            {
                "cdk.json": '{"app": "python3 tap.py"}',
                "tap.py": tap,
                "lib/__init__.py": "",
                "lib/tap_stack.py": stack,
            },
        )
    )
    props_call = next(c for c in project.calls if c.callee == "TapStackProps")
    assert props_call.unexpected == ("vpc_id",) and props_call.via == "**kwargs to aws_cdk.StackProps"
    stack_call = next(c for c in project.calls if c.callee == "TapStack")
    assert not stack_call.unexpected and not stack_call.missing


def test_unknown_kwargs_expansion_stays_uncertain(tmp_path: Path) -> None:
    tap = (
        "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack\nfrom settings import EXTRA\n"
        "app = cdk.App()\nTapStack(app, 'T', **EXTRA)\n"
    )
    project = _app(tmp_path, "        pass\n", tap=tap)
    call = next(c for c in project.calls if c.callee == "TapStack")
    assert not call.certain and not call.unexpected


def test_broken_module_is_a_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "cdk.json": '{"app": "python3 tap.py"}',
            "tap.py": (
                "import aws_cdk as cdk\nfrom aws_cdk import aws_sqs as sqs\nimport lib.broken\n"
                "app = cdk.App()\nstack = cdk.Stack(app, 'S')\nsqs.Queue(stack, 'Q')\n"
            ),
            "lib/__init__.py": "",
            "lib/broken.py": "def oops(:\n",
        },
    )
    project = parse(root)
    assert any(p.location.path == "lib/broken.py" for p in project.problems)
    assert project.resource("S/Q") is not None and project.resource("S/Q").name is None


def test_plain_dicts_for_l1_structs_get_cloudformation_keys(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "cdk.json": '{"app": "python3 tap.py"}',
            "tap.py": (
                "import aws_cdk as cdk\nfrom aws_cdk import aws_s3 as s3, aws_rds as rds, aws_scheduler as sch\n"
                "app = cdk.App()\nstack = cdk.Stack(app, 'S')\n"
                "s3.CfnBucket(stack, 'B', versioning_configuration={'status': 'Enabled'},\n"
                "    tags=[{'key': 'team', 'value': 'video'}])\n"
                "rds.CfnDBClusterParameterGroup(stack, 'P', family='aurora-postgresql15', description='d',\n"
                "    parameters={'log_statement': 'all'})\n"
                "sch.CfnSchedule(stack, 'Sc', schedule_expression='rate(1 hour)',\n"
                "    flexible_time_window={'mode': 'OFF'},\n"
                "    target={'arn': 'arn:aws:lambda:x', 'roleArn': 'arn:aws:iam::1:role/r'})\n"
            ),
        },
    )
    project = parse(root)
    bucket = project.resource("S/B")
    assert literal_of(bucket.prop("VersioningConfiguration")) == {"Status": "Enabled"}
    assert literal_of(bucket.prop("Tags")) == [{"Key": "team", "Value": "video"}]
    # a free-form map keeps its keys
    assert literal_of(project.resource("S/P").prop("Parameters")) == {"log_statement": "all"}
    target = project.resource("S/Sc").prop("Target")
    assert literal_of(target) == {"Arn": "arn:aws:lambda:x", "RoleArn": "arn:aws:iam::1:role/r"}


# -- a large app using much of the library -----------------------------------------------------------


def test_kitchen_sink_app_models_without_problems_or_internal_errors() -> None:
    from analyzer.config import Config
    from analyzer.engine import scan

    root = Path(__file__).parent / "fixtures" / "kitchen_sink"
    project = parse(root)
    assert project.problems == ()
    types = {r.type for r in project.resources}
    assert {
        "AWS::DynamoDB::Table",
        "AWS::Lambda::Function",
        "AWS::IAM::ManagedPolicy",
        "AWS::RDS::DBInstance",
        "AWS::StepFunctions::StateMachine",
        "AWS::ECS::TaskDefinition",
    } <= types
    function_policy = next(r for r in project.resources if r.id.endswith("/FnRole/DefaultPolicy"))
    actions = {
        literal_of(a)
        for s in items_of(get_path(function_policy.prop("PolicyDocument"), "Statement"))
        for a in items_of(get_path(s, "Action"))
    }
    assert {
        "dynamodb:PutItem",
        "sqs:SendMessage",
        "kms:Encrypt",
        "sns:Publish",
        "s3:GetObject*",
        "scheduler:CreateSchedule",
        "states:StartExecution",
    } <= actions
    raw = next(r for r in project.resources if r.id.endswith("/Raw"))
    step = get_path(raw.prop("DefinitionString"), "States", "A")
    assert isinstance(get_path(step, "Parameters", "TaskDefinition"), Ref)
    result = scan([root], Config())
    assert not [f for f in result.findings if f.rule_id in ("IAC900", "IAC009")]


def test_asset_path_relative_to_the_module_reaches_the_lambda_code(tmp_path: Path) -> None:
    stack = (
        "import os\nimport aws_cdk as cdk\nfrom aws_cdk import aws_lambda as lambda_\n\n\n"
        "class FnStack(cdk.Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        here = os.path.dirname(__file__)\n"
        "        for name, handler in (('Ok', 'index.handler'), ('Missing', 'index.nope')):\n"
        "            lambda_.Function(self, name, runtime=lambda_.Runtime.PYTHON_3_12, handler=handler,\n"
        "                             code=lambda_.Code.from_asset(os.path.join(here, 'lambda')))\n"
    )
    project = parse(
        write(
            tmp_path,
            {
                "cdk.json": '{"app": "python3 tap.py"}',
                "tap.py": "import aws_cdk as cdk\nfrom lib.fn_stack import FnStack\napp = cdk.App()\nFnStack(app, 'F')\n",
                "lib/__init__.py": "",
                "lib/fn_stack.py": stack,
                "lib/lambda/index.py": "def handler(event, context):\n    return 1\n",
            },
        )
    )
    ok, missing = project.resource("F/Ok"), project.resource("F/Missing")
    assert ok.code is not None and ok.code.handler_found is True
    assert missing.code is not None and missing.code.handler_found is False
    assert ok.in_loop and missing.in_loop


def test_stack_name_reads_carry_the_stack_names_origin(tmp_path: Path) -> None:
    tap = (
        "import aws_cdk as cdk\nfrom aws_cdk import aws_sqs as sqs\nfrom lib.tap_stack import TapStack\n"
        "app = cdk.App()\nsuffix = app.node.try_get_context('environmentSuffix')\n"
        "TapStack(app, f'TapStack{suffix}')\n"
        "plain = cdk.Stack(app, 'Plain', stack_name='plain-stack')\n"
        "sqs.Queue(plain, 'Q', queue_name=f'{plain.stack_name}-queue')\n"
    )
    project = _app(
        tmp_path,
        (
            "        rds.CfnDBSubnetGroup(self, 'G', db_subnet_group_description='d', subnet_ids=['a'],\n"
            "            db_subnet_group_name=f'{cdk.Stack.of(self).stack_name}-subnets')\n"
        ),
        tap=tap,
    )
    group = next(r for r in project.resources if r.id.endswith("/G"))
    assert group.name is not None and group.name.origin & Origin.SUFFIX
    queue = project.resource("Plain/Q")
    assert literal_of(queue.name) == "plain-stack-queue"
    assert literal_of(queue.options["StackName"]) == "plain-stack"


def test_reading_a_props_field_the_props_class_lacks_is_an_attribute_problem(tmp_path: Path) -> None:
    # Reads on the stack itself (self.node, self.stack_name, self.region) are library attributes and
    # never problems. (A props class deriving from cdk.StackProps has an external base, which the
    # Python layer treats as "attributes unknown".)
    stack = (
        "import aws_cdk as cdk\nfrom aws_cdk import aws_s3 as s3\n\n\n"
        "class TapStackProps:\n"
        "    def __init__(self, environment_suffix=None):\n"
        "        self.environment_suffix = environment_suffix\n\n\n"
        "class TapStack(cdk.Stack):\n"
        "    def __init__(self, scope, construct_id, props=None, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        s3.Bucket(self, 'B', bucket_name=f'b-{props.environment_suffix}-{props.vpc_id}')\n"
        "        self.node.add_metadata('owner', self.stack_name + self.region)\n"
    )
    tap = (
        "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack, TapStackProps\napp = cdk.App()\n"
        "TapStack(app, 'T', props=TapStackProps(environment_suffix='x'))\n"
    )
    project = parse(
        write(
            tmp_path,
            {
                "cdk.json": '{"app": "python3 tap.py"}',
                "tap.py": tap,
                "lib/__init__.py": "",
                "lib/tap_stack.py": stack,
            },
        )
    )
    assert [(p.owner_class, p.attribute) for p in project.attribute_problems] == [("TapStackProps", "vpc_id")]


def test_event_rule_targets_roles_and_permissions(tmp_path: Path) -> None:
    project = _app(
        tmp_path,
        (
            "        from aws_cdk import aws_events as events, aws_events_targets as targets\n"
            "        from aws_cdk import aws_lambda as lambda_, aws_stepfunctions as sfn\n"
            "        fn = lambda_.Function(self, 'Fn', runtime=lambda_.Runtime.PYTHON_3_12, handler='i.h',\n"
            "                              code=lambda_.Code.from_inline('def h(e, c): pass'))\n"
            "        machine = sfn.StateMachine(self, 'M', definition_body=sfn.DefinitionBody.from_chainable(\n"
            "            sfn.Pass(self, 'P')))\n"
            "        rule = events.Rule(self, 'Nightly', schedule=events.Schedule.cron(hour='3'),\n"
            "                           targets=[targets.LambdaFunction(fn)])\n"
            "        rule.add_target(targets.SfnStateMachine(machine))\n"
        ),
    )
    rule = project.resource("T/Nightly")
    first, second = items_of(rule.prop("Targets"))
    assert get_path(first, "Arn") == Ref("T/Fn", "Arn") and get_path(first, "RoleArn") is None
    assert get_path(second, "Arn") == Ref("T/M", "Arn")
    assert get_path(second, "RoleArn") == Ref("T/M/EventsRole", "Arn")
    graph = ResourceGraph(project)
    assert {e.kind for e in graph.edges(source="T/Nightly")} >= {EdgeKind.EVENT_TARGET, EdgeKind.PASSES_ROLE}
    policy = project.resource("T/M/EventsRole/DefaultPolicy")
    assert literal_of(get_path(policy.prop("PolicyDocument"), "Statement", 0, "Action")) == [
        "states:StartExecution"
    ]
    permission = next(r for r in project.resources if r.type == "AWS::Lambda::Permission")
    assert literal_of(permission.prop("Principal")) == "events.amazonaws.com"


def test_definition_from_a_worktree_file_is_read_as_data(tmp_path: Path) -> None:
    asl = {
        "StartAt": "Run",
        "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": True}},
    }
    (tmp_path / "lib").mkdir(parents=True)
    (tmp_path / "lib" / "flow.asl.json").write_text(json.dumps(asl))
    project = _app(
        tmp_path,
        (
            "        from aws_cdk import aws_stepfunctions as sfn\n"
            "        sfn.StateMachine(self, 'M', definition_body=sfn.DefinitionBody.from_file('lib/flow.asl.json'))\n"
            "        sfn.StateMachine(self, 'Outside', definition_body=sfn.DefinitionBody.from_file('/etc/passwd'))\n"
        ),
    )
    machine = project.resource("T/M")
    assert literal_of(get_path(machine.prop("DefinitionString"), "States", "Run", "Resource")) == (
        "arn:aws:states:::ecs:runTask.sync"
    )
    assert not isinstance(project.resource("T/Outside").prop("DefinitionString"), Literal)


def test_fn_join_and_cdk_unique_names(tmp_path: Path) -> None:
    tap = (
        "import aws_cdk as cdk\nfrom lib.tap_stack import TapStack\napp = cdk.App()\n"
        "TapStack(app, 'T', stack_name='tap')\n"
    )
    project = _app(
        tmp_path,
        (
            "        from aws_cdk import aws_s3 as s3\n"
            "        suffix = self.node.try_get_context('environmentSuffix')\n"
            "        s3.Bucket(self, 'Joined', bucket_name=cdk.Fn.join('-', ['media', suffix]))\n"
            "        s3.Bucket(self, 'Unique', bucket_name=cdk.Names.unique_id(self).lower())\n"
        ),
        tap=tap,
    )
    joined = project.resource("T/Joined")
    assert joined.name.origin & Origin.SUFFIX and isinstance(joined.name, Concat)
    unique = project.resource("T/Unique")
    assert unique.name is not None and unique.name.origin & Origin.UNIQUE


def test_scheduler_schedule_target_role_and_grant(tmp_path: Path) -> None:
    project = _app(
        tmp_path,
        (
            "        from aws_cdk import aws_scheduler as scheduler, aws_scheduler_targets as targets\n"
            "        from aws_cdk import aws_lambda as lambda_\n"
            "        fn = lambda_.Function(self, 'Fn', runtime=lambda_.Runtime.PYTHON_3_12, handler='i.h',\n"
            "                              code=lambda_.Code.from_inline('def h(e, c): pass'))\n"
            "        scheduler.Schedule(self, 'Every', schedule=scheduler.ScheduleExpression.rate(cdk.Duration.hours(1)),\n"
            "                           target=targets.LambdaInvoke(fn), schedule_name='every-hour')\n"
        ),
    )
    schedule = project.resource("T/Every")
    assert get_path(schedule.prop("Target"), "Arn") == Ref("T/Fn", "Arn")
    role_id = get_path(schedule.prop("Target"), "RoleArn").resource
    assert project.resource(role_id).type == "AWS::IAM::Role"
    policy = project.resource(role_id + "/DefaultPolicy")
    assert literal_of(get_path(policy.prop("PolicyDocument"), "Statement", 0, "Action")) == [
        "lambda:InvokeFunction"
    ]
    assert literal_of(schedule.name) == "every-hour"
    graph = ResourceGraph(project)
    assert {e.kind for e in graph.edges(source="T/Every")} >= {EdgeKind.EVENT_TARGET, EdgeKind.PASSES_ROLE}


def test_parameter_group_map_and_composite_trust(tmp_path: Path) -> None:
    project = _app(
        tmp_path,
        (
            "        rds.ParameterGroup(self, 'Params',\n"
            "            engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_15_8),\n"
            "            parameters={'shared_preload_libraries': 'pg_stat_statements'})\n"
            "        iam.Role(self, 'Both', assumed_by=iam.CompositePrincipal(\n"
            "            iam.ServicePrincipal('lambda.amazonaws.com'), iam.ServicePrincipal('states.amazonaws.com')))\n"
        ),
    )
    params = project.resource("T/Params")
    assert literal_of(params.prop("Parameters")) == {"shared_preload_libraries": "pg_stat_statements"}
    trust = project.resource("T/Both").prop("AssumeRolePolicyDocument")
    services = literal_of(get_path(trust, "Statement", 0, "Principal", "Service"))
    assert services == ["lambda.amazonaws.com", "states.amazonaws.com"]
