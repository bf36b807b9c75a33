"""IAC008 on Pulumi and CDK code: keyword arguments the pulumi-aws / aws-cdk-lib class lacks."""

from __future__ import annotations

import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from analyzer.config import load
from analyzer.engine import scan
from analyzer.findings import Finding
from analyzer.rules.base import Example
from analyzer.rules.iac008_invalid_property import InvalidProperty
from plugins.pulumi import kwargs as pulumi_kwargs
from tests.conftest import write_tree

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import gen_pulumi_kwargs

PULUMI_HEAD = """
import pulumi
import pulumi_aws as aws


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None, **extra):
        super().__init__("tap:stack:TapStack", name, None, opts)
"""

CDK_HEAD = """
from aws_cdk import RemovalPolicy, Stack, aws_lambda as lambda_, aws_rds as rds, aws_s3 as s3
from constructs import Construct


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
"""


def _run(example: Example, tmp_path: Path) -> list[Finding]:
    root = write_tree(tmp_path / "wt", example.files)
    result = scan([root], load(root), rules=[InvalidProperty])
    return [f for f in result.findings if f.rule_id == "IAC008" and "keyword argument" in f.message]


def pulumi(body: str, tmp_path: Path) -> list[Finding]:
    return _run(Example.pulumi(PULUMI_HEAD + textwrap.indent(textwrap.dedent(body), " " * 8)), tmp_path)


def cdk(body: str, tmp_path: Path) -> list[Finding]:
    return _run(Example.cdk(CDK_HEAD + textwrap.indent(textwrap.dedent(body), " " * 8)), tmp_path)


def test_pulumi_unknown_keyword_is_reported_at_the_keyword(tmp_path: Path) -> None:
    found = pulumi(
        """
        aws.s3.Bucket(
            "logs",
            force_destroy=True,
            versioning_enabled=True,
        )
        """,
        tmp_path,
    )
    assert len(found) == 1
    assert found[0].message.startswith(
        "`aws.s3.Bucket` has no keyword argument 'versioning_enabled' (did you mean 'versioning'?)"
    )
    assert "`pulumi up`" in found[0].message
    assert found[0].location.line == 13  # the keyword's own line, not the call's
    assert found[0].resource == "logs"


def test_pulumi_nested_args_class_is_checked(tmp_path: Path) -> None:
    found = pulumi(
        """
        aws.rds.ClusterParameterGroup(
            "params",
            family="aurora-postgresql15",
            parameters=[aws.rds.ClusterParameterGroupParameterArgs(name="a", value="1", apply_mode="immediate")],
        )
        """,
        tmp_path,
    )
    assert [(f.message.split("`")[1], f.resource) for f in found] == [
        ("aws.rds.ClusterParameterGroupParameterArgs", None)
    ]
    assert "did you mean 'apply_method'?" in found[0].message


def test_pulumi_never_reports_opts_resource_name_args_or_unknown_expansions(tmp_path: Path) -> None:
    found = pulumi(
        """
        aws.s3.Bucket(resource_name="a", opts=pulumi.ResourceOptions(parent=self))
        aws.s3.Bucket("b", args=aws.s3.BucketArgs(force_destroy=True))
        queue = pulumi.Config().require_object("queue")  # keys known only at deploy time
        aws.sqs.Queue("c", **queue)
        aws.sqs.Queue("d", visibility_timeout_seconds=30, **queue, made_up=1)
        settings = {"made_up_too": 1}
        aws.sqs.Queue("e", **settings)
        """,
        tmp_path,
    )
    assert found == []


def test_pulumi_keyword_accepted_by_an_older_major_is_not_proven_wrong(tmp_path: Path) -> None:
    # pulumi-aws 7 dropped s3.Bucket(versioning=, website=); 6.x accepts them.
    assert "versioning" in (pulumi_kwargs.keywords("s3.Bucket") or ())
    assert (
        pulumi(
            'aws.s3.Bucket("site", versioning={"enabled": True}, website={"index_document": "i.html"})',
            tmp_path,
        )
        == []
    )


def test_pulumi_class_missing_from_the_table_is_left_alone(tmp_path: Path) -> None:
    assert pulumi_kwargs.keywords("s3.NotAClass") is None
    assert pulumi('aws.s3.NotAClass("x", anything=1)', tmp_path) == []


def test_pulumi_broken_table_proves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "kwargs.json.gz"
    broken.write_bytes(b"not gzip")
    monkeypatch.setattr(pulumi_kwargs, "DATA", broken)
    pulumi_kwargs._table.cache_clear()
    try:
        assert pulumi('aws.s3.Bucket("b", versioning_enabled=True)', tmp_path) == []
    finally:
        pulumi_kwargs._table.cache_clear()


def test_cdk_unknown_prop_is_reported_with_cdk_synth(tmp_path: Path) -> None:
    found = cdk(
        """
        lambda_.Function(
            self,
            "Worker",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(e, c): pass"),
            memory=256,
        )
        """,
        tmp_path,
    )
    assert len(found) == 1
    assert found[0].message.startswith(
        "`aws_cdk.aws_lambda.Function` has no keyword argument 'memory' (did you mean 'memory_size'?)"
    )
    assert "`cdk synth`" in found[0].message
    assert found[0].location.line == 16  # the keyword's own line
    assert found[0].resource == "TapStack{environment_suffix}/Worker"  # not Worker/ServiceRole


def test_cdk_inherited_props_and_scope_id_keywords_are_accepted(tmp_path: Path) -> None:
    found = cdk(
        """
        s3.Bucket(scope=self, id="Data", versioned=True, removal_policy=RemovalPolicy.DESTROY)
        rds.DatabaseCluster(
            self,
            "Db",
            engine=rds.DatabaseClusterEngine.AURORA_POSTGRESQL,
            removal_policy=RemovalPolicy.DESTROY,
            deletion_protection=False,
        )
        lambda_.Function(self, "Fn", runtime=lambda_.Runtime.PYTHON_3_12, handler="index.handler",
                         code=lambda_.Code.from_inline("x"), max_event_age=None, retry_attempts=0)
        """,
        tmp_path,
    )
    assert found == []


def test_cdk_call_evaluated_twice_is_reported_once(tmp_path: Path) -> None:
    found = cdk(
        """
        for name in ["a", "b"]:
            s3.Bucket(self, name, versioning=True)
        """,
        tmp_path,
    )
    assert [f.message.split("'")[1] for f in found] == ["versioning"]


def _wheel(tmp_path: Path, source: str) -> Path:
    wheel = tmp_path / "pulumi_aws-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pulumi_aws/s3/bucket.py", textwrap.dedent(source))
        archive.writestr("pulumi_aws/s3/broken.py", "def (:\n")
    return wheel


def test_generator_reads_the_keyword_overload_and_internal_init(tmp_path: Path) -> None:
    version, table = gen_pulumi_kwargs.read_wheel(
        _wheel(
            tmp_path,
            """
            class BucketArgs:
                def __init__(__self__, *, acl=None, tags=None): ...

            class Bucket(pulumi.CustomResource):
                @overload
                def __init__(__self__, resource_name, opts=None, acl=None, tags=None): ...
                @overload
                def __init__(__self__, resource_name, args, opts=None): ...
                def __init__(__self__, resource_name, *args, **kwargs): ...
                def _internal_init(__self__, resource_name, opts=None, acl=None, legacy=None, __props__=None): ...

            class BucketOutput(dict):
                def __init__(__self__, *, acl=None): ...
            """,
        ),
    )
    assert version == "9.9.9"
    assert table == {
        "s3.Bucket": ["acl", "legacy", "opts", "tags"],
        "s3.BucketArgs": ["acl", "tags"],
    }


def test_cdk_l1_property_struct_fields_are_checked(tmp_path: Path) -> None:
    found = cdk(
        """
        s3.CfnBucket(
            self,
            "Raw",
            versioning_configuration=s3.CfnBucket.VersioningConfigurationProperty(statuss="Enabled"),
        )
        s3.CfnBucket(self, "Ok", versioning_configuration=s3.CfnBucket.VersioningConfigurationProperty(status="Enabled"))
        """,
        tmp_path,
    )
    assert [(f.message.split("`")[1], f.message.split("'")[1]) for f in found] == [
        ("aws_cdk.aws_s3.CfnBucket.VersioningConfigurationProperty", "statuss")
    ]


def test_generator_reads_an_sdist_too(tmp_path: Path) -> None:
    import io
    import tarfile

    sdist = tmp_path / "pulumi_aws-5.0.1.tar.gz"
    source = b"class QueueArgs:\n    def __init__(__self__, *, name=None, fifo_queue=None): ...\n"
    with tarfile.open(sdist, "w:gz") as archive:
        info = tarfile.TarInfo("pulumi_aws-5.0.1/pulumi_aws/sqs/_inputs.py")
        info.size = len(source)
        archive.addfile(info, io.BytesIO(source))
    assert gen_pulumi_kwargs.read_wheel(sdist) == ("5.0.1", {"sqs.QueueArgs": ["fifo_queue", "name"]})
