"""The Pulumi plugin: detection, entry points, resources, names, options, IAM and parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_helpers import PULUMI_YAML, TAP, component, parse, write

from analyzer.discover import list_files
from analyzer.model import Concat, Literal, Origin, Ref, Unknown, get_path, literal_of, render
from analyzer.plugin import Limits
from plugins.pulumi import PulumiPlugin


def ref(value: object) -> tuple[str, str | None] | None:
    """A reference as (resource, attribute); origins are asserted separately."""
    return (value.resource, value.attribute) if isinstance(value, Ref) else None


def detect(root: Path, files: dict[str, str]) -> bool:
    write(root, files)
    return PulumiPlugin().detect(list_files(root, Limits()).worktree)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"Pulumi.yaml": "name: x\nruntime: python\n", "tap.py": ""}, True),
        ({"Pulumi.yaml": "name: x\nruntime:\n  name: python\n  options: {virtualenv: venv}\n"}, True),
        ({"Pulumi.yaml": "name: x\nruntime: nodejs\n"}, False),
        ({"tap.py": "import pulumi\n"}, True),
        ({"tap.py": "import aws_cdk as cdk\n", "cdk.json": "{}"}, False),
        ({"Pulumi.yaml": "name: [unclosed\n"}, False),
    ],
)
def test_detect(tmp_path: Path, files: dict[str, str], expected: bool) -> None:
    assert detect(tmp_path, files) is expected


def test_resource_types_properties_and_names(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        bucket = aws.s3.Bucket(f"data-{suffix}", bucket=f"tap-data-{suffix}", tags={"team_name": "x"})
        table = aws.dynamodb.Table("sessions", name="sessions", hash_key="id")
        queue = aws.sqs.Queue("auto")
        logs = aws.cloudwatch.LogGroup("logs", name_prefix="/aws/x-")
        stackwide = aws.sns.Topic("events", name=f"events-{pulumi.get_stack()}")
        odd = aws.newservice.ShinyThing("odd", name="x")
        """,
    )
    by_id = {r.id: r for r in project.resources}
    bucket = by_id["data-{suffix}"]
    assert bucket.type == "AWS::S3::Bucket" and bucket.name_property == "BucketName"
    assert isinstance(bucket.name, Concat) and bucket.name.origin & Origin.SUFFIX
    assert literal_of(bucket.prop("Tags")) == {"team_name": "x"}  # tag keys are user data
    assert bucket.location.path == "lib/tap_stack.py" and bucket.component == "TapStack"
    table = by_id["sessions"]
    assert table.name == Literal("sessions") and not table.name.origin.per_deployment
    assert literal_of(table.prop("HashKey")) == "id"
    assert by_id["auto"].name is None
    assert by_id["logs"].name is not None and by_id["logs"].name.origin & Origin.UNIQUE
    assert by_id["events"].name.origin & Origin.STACK_NAME
    assert by_id["odd"].type == "Pulumi::AWS::Newservice::ShinyThing" and by_id["odd"].name is None


def test_suffix_from_stack_config_is_known_and_still_the_suffix(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        'aws.s3.Bucket("b", bucket=f"b-{suffix}")\n',
        **{"Pulumi.dev.yaml": "config:\n  tap:environmentSuffix: pr7\n"},
    )
    (bucket,) = project.resources
    assert literal_of(bucket.name) == "b-pr7" and bucket.name.origin & Origin.SUFFIX
    assert literal_of(project.parameters["tap:environmentSuffix"]) == "pr7"
    assert project.suffix.declared and "environmentSuffix" in project.suffix.names


def test_environment_name_is_not_the_suffix(tmp_path: Path) -> None:
    tap = (
        "import pulumi\nimport pulumi_aws as aws\nenv = pulumi.Config().get('environment')\n"
        "aws.s3.Bucket('b', bucket=f'b-{env}')\n"
    )
    project = parse(tmp_path, {"Pulumi.yaml": PULUMI_YAML, "tap.py": tap})
    (bucket,) = project.resources
    assert bucket.name.origin & Origin.ENV_NAME and not bucket.name.origin & Origin.SUFFIX
    assert not project.suffix.declared and project.suffix.env_name_only == ("environment",)


def test_options_dependencies_and_references(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        role = aws.iam.Role("role", assume_role_policy="{}")
        attach = aws.iam.RolePolicyAttachment("attach", role=role.name, policy_arn="arn:aws:iam::aws:policy/X")
        base = ResourceOptions(parent=self, protect=True)
        group = aws.dms.ReplicationSubnetGroup(
            "group",
            replication_subnet_group_id=f"g-{suffix}",
            replication_subnet_group_description="d",
            subnet_ids=["s-1"],
            opts=ResourceOptions.merge(base, ResourceOptions(depends_on=[role, attach])),
        )
        """,
    )
    by_id = {r.id: r for r in project.resources}
    group = by_id["group"]
    assert [d.target for d in group.depends_on] == ["role", "attach"]
    assert group.options["protect"] == Literal(True) and group.options["parent"] == Literal("TapStack")
    assert ref(by_id["attach"].prop("Role")) == ("role", "Name")
    assert by_id["attach"].prop("Role").origin & Origin.UNIQUE  # the role is auto-named
    assert by_id["attach"].type == "Pulumi::AWS::IAM::RolePolicyAttachment"


def test_iam_documents_are_values(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        role = aws.iam.Role(
            "role",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            inline_policies=[{"name": "inline", "policy": json.dumps({"Statement": []})}],
        )
        topic = aws.sns.Topic("topic")
        aws.iam.RolePolicy(
            "publish",
            role=role.id,
            policy=Output.all(topic.arn, role.arn).apply(lambda args: json.dumps({"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["sns:Publish", "iam:PassRole"],
                               "Resource": [args[0], args[1]]}]})),
        )
        doc = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
            actions=["s3:GetObject"], resources=["*"],
            principals=[{"type": "Service", "identifiers": ["events.amazonaws.com"]}],
            conditions=[{"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]}])])
        aws.iam.Policy("managed", policy=doc.json)
        """,
    )
    by_id = {r.id: r for r in project.resources}
    role = by_id["role"]
    assert literal_of(get_path(role.prop("AssumeRolePolicyDocument"), "Statement", 0, "Principal")) == {
        "Service": "lambda.amazonaws.com"
    }
    assert literal_of(role.prop("Policies")) == [
        {"PolicyName": "inline", "PolicyDocument": {"Statement": []}}
    ]
    publish = by_id["publish"]
    assert publish.type == "AWS::IAM::RolePolicy" and ref(publish.prop("RoleName")) == ("role", "Id")
    resources = get_path(publish.prop("PolicyDocument"), "Statement", 0, "Resource")
    assert resources is not None and [ref(item) for item in resources.value] == [
        ("topic", "Arn"),
        ("role", "Arn"),
    ]
    managed = literal_of(by_id["managed"].prop("PolicyDocument"))
    assert managed["Statement"][0] == {
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": ["*"],
        "Principal": {"Service": ["events.amazonaws.com"]},
        "Condition": {"StringEquals": {"aws:SourceAccount": ["1"]}},
    }


def test_rds_parameters_keep_apply_method_and_locations(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        aws.rds.ClusterParameterGroup(
            "pg",
            family="aurora-postgresql15",
            parameters=[
                aws.rds.ClusterParameterGroupParameterArgs(name="rds.logical_replication", value="1"),
                {"name": "max_connections", "value": "100", "apply_method": "pending-reboot"},
            ],
        )
        """,
    )
    (group,) = project.resources
    assert (
        group.type == "AWS::RDS::DBClusterParameterGroup"
        and literal_of(group.prop("Family")) == "aurora-postgresql15"
    )
    first, second = group.prop("Parameters").value
    assert literal_of(first) == {"Name": "rds.logical_replication", "Value": "1"}
    assert literal_of(second) == {"Name": "max_connections", "Value": "100", "ApplyMethod": "pending-reboot"}
    assert first.location is not None and first.location.line == 21 and second.location.line == 22


def test_events_scheduler_and_permissions(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        fn = aws.lambda_.Function("fn", role="arn:aws:iam::1:role/r", runtime="python3.12", handler="index.handler",
                                  code=pulumi.FileArchive("./lib/lambda"))
        role = aws.iam.Role("events-role", assume_role_policy="{}")
        rule = aws.cloudwatch.EventRule("rule", schedule_expression="rate(5 minutes)")
        aws.cloudwatch.EventTarget("target", rule=rule.name, arn=fn.arn, role_arn=role.arn)
        aws.lambda_.Permission("perm", function=fn.name, action="lambda:InvokeFunction",
                               principal="events.amazonaws.com", source_arn=rule.arn)
        aws.scheduler.Schedule("sched", schedule_expression="rate(1 hour)",
                               flexible_time_window={"mode": "OFF"},
                               target={"arn": fn.arn, "role_arn": role.arn})
        """,
        **{"lib/lambda/index.py": "def handler(event, context):\n    return 1\n"},
    )
    by_id = {r.id: r for r in project.resources}
    target = by_id["target"]
    assert target.type == "Pulumi::AWS::CloudWatch::EventTarget"
    assert (ref(target.prop("Rule")), ref(target.prop("Arn")), ref(target.prop("RoleArn"))) == (
        ("rule", "Name"),
        ("fn", "Arn"),
        ("events-role", "Arn"),
    )
    assert ref(by_id["sched"].prop("Target", "RoleArn")) == ("events-role", "Arn")
    assert by_id["perm"].type == "AWS::Lambda::Permission" and ref(by_id["perm"].prop("FunctionName")) == (
        "fn",
        "Name",
    )
    fn = by_id["fn"]
    assert fn.code is not None and fn.code.handler_found is True


def test_loops_create_one_resource_per_item(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        for name in ["a", "b"]:
            aws.sqs.Queue(f"q-{name}", name=f"q-{name}-{suffix}")
        for i in range(len(self.unknown_list)):
            aws.sqs.Queue(f"dyn-{i}")
        """,
    )
    ids = [r.id for r in project.resources]
    assert ids[:2] == ["q-a", "q-b"] and all(r.in_loop for r in project.resources)
    assert len(ids) == len(set(ids))


def test_entry_point_from_pulumi_yaml_and_stale_tap(tmp_path: Path) -> None:
    files = {
        "Pulumi.yaml": "name: tap\nruntime: python\nmain: app/\n",
        "app/__main__.py": "import pulumi_aws as aws\naws.s3.Bucket('real')\n",
        "tap.py": "import pulumi\nfrom lib.missing import Nothing\nNothing(1)\n",
    }
    project = parse(tmp_path, files)
    assert project.entry_point == "app/__main__.py"
    assert [r.id for r in project.resources] == ["real"]
    assert project.import_problems == () and project.calls == ()
    assert project.facts["unused_entry_points"] == ["tap.py"]


def test_calls_and_import_problems_of_the_entry_point(tmp_path: Path) -> None:
    tap = "import pulumi\nfrom lib.tap_stack import TapStack, TapStackProps\nTapStack('x', 1, 2, 3, 4)\n"
    project = component(tmp_path, "pass\n", **{"tap.py": tap})
    (problem,) = project.import_problems
    assert (problem.module, problem.name, problem.location.line) == ("lib.tap_stack", "TapStackProps", 2)
    assert "TapStackArgs" in problem.available
    (call,) = project.calls
    assert call.callee == "TapStack" and call.too_many_positional == 2 and call.in_entry_point


def test_bad_sources_become_problems(tmp_path: Path) -> None:
    files = {
        "Pulumi.yaml": PULUMI_YAML,
        "tap.py": TAP,
        "lib/__init__.py": "",
        "lib/tap_stack.py": "class TapStack(:\n",
        "Pulumi.dev.yaml": "config: [\n",
    }
    project = parse(tmp_path, files)
    paths = {p.location.path for p in project.problems}
    assert {"lib/tap_stack.py", "Pulumi.dev.yaml"} <= paths
    assert project.resources == ()


def test_unknown_values_stay_unknown(tmp_path: Path) -> None:
    project = component(tmp_path, 'aws.s3.Bucket("b", bucket=some_helper_from_nowhere(suffix))\n')
    (bucket,) = project.resources
    assert isinstance(bucket.name, Unknown)
    assert render(bucket.name).startswith("${")


def test_components_the_entry_point_never_reaches_are_still_modelled(tmp_path: Path) -> None:
    tap = "import pulumi\nfrom lib.tap_stack import TapStackX, TapStackArgs\nTapStackX('x', TapStackArgs('pr1'))\n"
    project = component(tmp_path, 'aws.s3.Bucket("b", bucket=f"data-{suffix}")\n', **{"tap.py": tap})
    (bucket,) = project.resources
    assert bucket.name is not None and bucket.name.origin & Origin.SUFFIX  # from the parameter name
    assert [call.callee for call in project.calls] == ["TapStackArgs"]  # detached runs record no call
    (problem,) = project.import_problems
    assert problem.available == ("TapStack", "TapStackArgs")  # library imports are not listed


def test_output_helpers_keep_provenance(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        a = aws.sqs.Queue("a", name=Output.concat("jobs-", suffix))
        b = aws.sqs.Queue("b", name=Output.format("{0}-{1}", "events", pulumi.get_stack()))
        c = aws.sqs.Queue("c", name=a.name.apply(lambda n: n + "-dlq"))
        """,
    )
    names = {r.id: r.name for r in project.resources}
    assert (
        names["a"] is not None
        and names["a"].origin & Origin.SUFFIX
        and render(names["a"]).startswith("jobs-")
    )
    assert names["b"] is not None and names["b"].origin & Origin.STACK_NAME
    assert names["c"] is not None and names["c"].origin & Origin.SUFFIX  # a's name carries the suffix


def test_lambda_runtime_enum_members_are_runtime_names(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        aws.lambda_.Function("a", role="r", runtime=aws.lambda_.Runtime.PYTHON3D8, handler="i.h", code="x")
        aws.lambda_.Function("b", role="r", runtime=aws.lambda_.Runtime.NODE_JS20D_X, handler="i.h", code="x")
        aws.lambda_.Function("c", role="r", runtime=aws.lambda_.Runtime.SOMETHING_NEW, handler="i.h", code="x")
        """,
    )
    runtimes = {r.id: r.prop("Runtime") for r in project.resources}
    assert literal_of(runtimes["a"]) == "python3.8" and literal_of(runtimes["b"]) == "nodejs20.x"
    assert isinstance(runtimes["c"], Unknown)


def test_depends_on_a_component_waits_for_its_resources(tmp_path: Path) -> None:
    extra = """
import pulumi
import pulumi_aws as aws


class Network(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("tap:network", name, None, opts)
        self.vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", opts=pulumi.ResourceOptions(parent=self))
        self.inner = Inner("inner", opts=pulumi.ResourceOptions(parent=self))


class Inner(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("tap:inner", name, None, opts)
        aws.ec2.InternetGateway("igw", opts=pulumi.ResourceOptions(parent=self))
"""
    project = component(
        tmp_path,
        """
        from lib.network import Network
        network = Network("net", opts=ResourceOptions(parent=self))
        aws.ec2.Eip("eip", opts=ResourceOptions(depends_on=[network]))
        """,
        **{"lib/network.py": extra},
    )
    eip = project.resource("eip")
    assert eip is not None and [d.target for d in eip.depends_on] == ["vpc", "igw"]


def test_stack_name_may_hold_capitals_until_lowered(tmp_path: Path) -> None:
    project = component(
        tmp_path,
        """
        aws.s3.Bucket("a", bucket=f"data-{pulumi.get_stack()}")
        aws.s3.Bucket("b", bucket=f"data-{pulumi.get_stack()}".lower())
        """,
    )
    names = {r.id: r.name for r in project.resources}
    assert names["a"].origin & Origin.MAYBE_UPPERCASE
    assert not names["b"].origin & Origin.MAYBE_UPPERCASE and names["b"].origin & Origin.STACK_NAME


def test_inline_lambda_code_reaches_the_code_layer(tmp_path: Path) -> None:
    pytest.importorskip("analyzer.python.lambda_code")
    code = (
        "import boto3\\n\\ndef handler(event, context):\\n"
        "    boto3.client('scheduler').create_schedule(Name='x', Target={'Arn': 'a', 'RoleArn': 'r'})\\n"
    )
    project = component(
        tmp_path,
        f"""
        CODE = "{code}"
        aws.lambda_.Function("fn", role="r", runtime="python3.12", handler="app.handler",
                             code=pulumi.AssetArchive({{"app.py": pulumi.StringAsset(CODE)}}))
        """,
    )
    (fn,) = project.resources
    assert fn.code is not None and fn.code.handler_found is True
    assert [(c.service, c.operation) for c in fn.code.sdk_calls] == [("scheduler", "CreateSchedule")]


def test_keywords_forwarded_to_component_resource_are_checked(tmp_path: Path) -> None:
    stack = (
        "import pulumi\n\n\nclass TapStack(pulumi.ComponentResource):\n"
        "    def __init__(self, name, environment_suffix, **kwargs):\n"
        "        super().__init__('tap:stack', name, **kwargs)\n"
    )
    tap = "import pulumi\nfrom lib.tap_stack import TapStack\nTapStack('x', 'pr1', props={}, args=1)\n"
    project = parse(
        tmp_path,
        {"Pulumi.yaml": PULUMI_YAML, "tap.py": tap, "lib/__init__.py": "", "lib/tap_stack.py": stack},
    )
    (call,) = project.calls
    assert call.unexpected == ("args",) and call.via is not None and "ComponentResource" in call.via
