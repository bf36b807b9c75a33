"""IAC009 on hand-built models, and on templates through the CloudFormation plugin."""

from __future__ import annotations

from analyzer.graph import ResourceGraph
from analyzer.model import (
    Concat,
    Literal,
    Location,
    Origin,
    Project,
    Resource,
    SuffixInfo,
    Unknown,
    Value,
    concat,
)
from analyzer.rules.base import RuleContext
from analyzer.rules.iac009_name_constraint import NameConstraint

PATH = "lib/tap_stack.py"
SUFFIX = Unknown("the environment suffix", Origin.SUFFIX | Origin.CONFIG, hint="environment_suffix")
STACK = Unknown("the stack name", Origin.STACK_NAME | Origin.MAYBE_UPPERCASE, hint="AWS::StackName")


def named(kind: str, prop: str, name: Value, rid: str = "Res", **props: Value) -> Resource:
    return Resource(
        rid,
        kind,
        Location(PATH, 10),
        properties={prop: name, **props},
        property_locations={prop: Location(PATH, 12)},
        name=name,
        name_property=prop,
    )


def run(*resources: Resource, options: dict | None = None, project_kw: dict | None = None) -> list:
    project = Project(root="/x", platform="pulumi", resources=resources, **(project_kw or {}))
    return list(NameConstraint().check(RuleContext(project, ResourceGraph(project), options or {})))


def fn_name(prefix: str) -> Value:
    return concat([Literal(prefix), SUFFIX])


def test_issue_example_long_lambda_name_with_suffix() -> None:
    name = fn_name("payment-transaction-settlement-processing-handler-")  # 50 + 15 > 64
    [finding] = run(named("AWS::Lambda::Function", "FunctionName", name))
    assert "at least 65 characters with a 15-character suffix" in finding.message
    assert "64" in finding.message and finding.location == Location(PATH, 12)


def test_suffix_length_option() -> None:
    name = fn_name("payment-transaction-settlement-processing-handler-")
    assert run(named("AWS::Lambda::Function", "FunctionName", name), options={"suffix-length": 8}) == []
    assert (
        len(
            run(
                named("AWS::Lambda::Function", "FunctionName", fn_name("x" * 40)),
                options={"suffix-length": 30},
            )
        )
        == 1
    )


def test_short_names_and_unknown_names_are_silent() -> None:
    assert run(named("AWS::Lambda::Function", "FunctionName", fn_name("proc-"))) == []
    assert run(named("AWS::Lambda::Function", "FunctionName", Unknown("config"))) == []
    # an unknown part other than the suffix counts as empty: no guess
    other = Concat((Literal("a" * 40 + "-"), Unknown("config value", Origin.CONFIG)))
    assert run(named("AWS::Lambda::Function", "FunctionName", other)) == []


def test_account_and_region_parts_count_their_known_minimum() -> None:
    parts = [Literal("x" * 30), Unknown("account", Origin.ACCOUNT), Unknown("region", Origin.REGION), SUFFIX]
    [finding] = run(named("AWS::S3::Bucket", "BucketName", concat(parts)))
    assert "66 characters" in finding.message and "63" in finding.message


def test_fully_literal_name_reports_exact_length() -> None:
    [finding] = run(named("AWS::ElasticLoadBalancingV2::TargetGroup", "Name", Literal("t" * 33)))
    assert "is 33 characters; AWS allows 32" in finding.message


def test_default_suffix_inside_a_literal_counts_at_full_length() -> None:
    name = Literal("a" * 50 + "-dev", Origin.SUFFIX)
    project_kw = {
        "suffix": SuffixInfo(True, ("EnvironmentSuffix",)),
        "parameters": {"EnvironmentSuffix": Literal("dev", Origin.SUFFIX | Origin.PARAMETER)},
    }
    [finding] = run(named("AWS::Lambda::Function", "FunctionName", name), project_kw=project_kw)
    assert "66 characters" in finding.message


def test_bucket_with_stack_name_uppercase_or_underscore() -> None:
    stack = named("AWS::S3::Bucket", "BucketName", concat([STACK, Literal("-artifacts")]), rid="A")
    upper = named("AWS::S3::Bucket", "BucketName", concat([Literal("Tap-data-"), SUFFIX]), rid="B")
    under = named("AWS::S3::Bucket", "BucketName", concat([Literal("tap_data-"), SUFFIX]), rid="C")
    fine = named("AWS::S3::Bucket", "BucketName", concat([Literal("tap-data-"), SUFFIX]), rid="D")
    found = {f.resource: f.message for f in run(stack, upper, under, fine)}
    assert set(found) == {"A", "B", "C"}
    assert "AWS::StackName" in found["A"] and "uppercase" in found["A"]
    assert "uppercase" in found["B"] and "underscore" in found["C"]


def test_stack_name_is_fine_where_uppercase_is_allowed() -> None:
    assert run(named("AWS::IAM::Role", "RoleName", concat([STACK, Literal("-role")]))) == []


def test_fifo_queue_names() -> None:
    fifo = Literal(True)
    bad = named(
        "AWS::SQS::Queue", "QueueName", concat([Literal("orders-"), SUFFIX]), rid="Bad", FifoQueue=fifo
    )
    good = named(
        "AWS::SQS::Queue",
        "QueueName",
        concat([Literal("orders-"), SUFFIX, Literal(".fifo")]),
        rid="Good",
        FifoQueue=Literal("true"),
    )
    unknown_end = named(
        "AWS::SQS::Queue", "QueueName", concat([Literal("orders-"), Unknown("cfg")]), rid="U", FifoQueue=fifo
    )
    standard = named("AWS::SQS::Queue", "QueueName", concat([Literal("orders-"), SUFFIX]), rid="Std")
    assert [f.resource for f in run(bad, good, unknown_end, standard)] == ["Bad"]


def test_schema_pattern_applies_to_fully_known_names() -> None:
    [finding] = run(named("AWS::IAM::Role", "RoleName", Literal("my role")))
    assert "pattern" in finding.message
    assert run(named("AWS::IAM::Role", "RoleName", concat([Literal("my-role-"), SUFFIX]))) == []


def test_pulumi_style_name_property_falls_back_to_the_table() -> None:
    bucket = Resource(
        "b", "AWS::S3::Bucket", Location(PATH, 3), name=Literal("My_Bucket"), name_property="bucket"
    )
    [finding] = run(bucket)
    assert "uppercase" in finding.message


def test_names_from_parameter_defaults_say_so() -> None:
    name = Literal("Tap-Data-dev", Origin.PARAMETER | Origin.SUFFIX | Origin.CONFIG)
    [finding] = run(named("AWS::S3::Bucket", "BucketName", name))
    assert "(with parameter defaults)" in finding.message and "uppercase" in finding.message


def test_room_for_the_pipelines_suffixes_is_enough() -> None:
    # A load balancer name with room for `synth6545483050` (15 characters) deploys in these
    # pipelines; one without that room fails in some of them.
    fits = named("AWS::ElasticLoadBalancingV2::LoadBalancer", "Name", concat([Literal("media-alb-"), SUFFIX]))
    assert run(fits) == []
    tight = concat([Literal("media-streaming-alb-"), SUFFIX])
    [finding] = run(named("AWS::ElasticLoadBalancingV2::LoadBalancer", "Name", tight))
    assert "35 characters with a 15-character suffix" in finding.message and "32" in finding.message


def test_sam_function_and_state_machine_names_have_the_limits_of_what_they_become() -> None:
    long_name = fn_name("order-processing-pipeline-ingest-validate-handler-")  # 50 + 15 > 64
    (finding,) = run(named("AWS::Serverless::Function", "FunctionName", long_name))
    assert "64" in finding.message
    machine = fn_name("x" * 70 + "-")
    (finding,) = run(named("AWS::Serverless::StateMachine", "Name", machine))
    assert "80" in finding.message
