"""IAC016 on hand-built models: metadata.json against the detected platform, language and services."""

from __future__ import annotations

from typing import Any

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import FunctionCode, Literal, Location, Project, Resource, SdkCall
from analyzer.rules.base import RuleContext
from analyzer.rules.iac016_project_metadata import ProjectMetadata, metadata_check, normalize_service

FULL = {"complexity": "hard", "turn_type": "single"}


def project(
    metadata: dict[str, Any], *types: str, platform: str = "pulumi", entry: str = "tap.py"
) -> Project:
    resources = tuple(
        Resource(f"r{i}", t, Location("lib/x.py", i + 1), source_type="") for i, t in enumerate(types)
    )
    return Project(root="/x", platform=platform, entry_point=entry, resources=resources, metadata=metadata)


def run(p: Project, options: dict | None = None) -> list:
    return list(ProjectMetadata().check(RuleContext(p, ResourceGraph(p), options or {})))


def test_without_metadata_the_rule_is_silent() -> None:
    assert run(project({}, "AWS::S3::Bucket")) == []
    assert not metadata_check(project({})).present


def test_platform_mismatch_is_a_warning_at_metadata_json() -> None:
    p = project({"platform": "cdk", "language": "py", "aws_services": ["S3"], **FULL}, "AWS::S3::Bucket")
    (finding,) = run(p)
    assert finding.severity is Severity.WARNING and finding.location == Location("metadata.json", 1)
    assert "platform 'cdk'" in finding.message and "Pulumi program" in finding.message
    assert metadata_check(p).platform_matches is False and not metadata_check(p).consistent


def test_cfn_token_and_template_language() -> None:
    ok = project(
        {"platform": "cfn", "language": "json", "aws_services": ["S3"], **FULL},
        "AWS::S3::Bucket",
        platform="cloudformation",
        entry="lib/TapStack.json",
    )
    assert run(ok) == [] and metadata_check(ok).consistent
    wrong = project(
        {"platform": "cfn", "language": "py", "aws_services": ["S3"], **FULL},
        "AWS::S3::Bucket",
        platform="cloudformation",
        entry="lib/TapStack.yml",
    )
    (finding,) = run(wrong)
    assert "language 'py'" in finding.message and "yaml" in finding.message


def test_missing_fields_and_the_required_fields_option() -> None:
    p = project({"platform": "pulumi", "language": "python"}, "AWS::S3::Bucket")
    (finding,) = run(p)
    assert "complexity, aws_services" in finding.message
    assert run(p, {"required-fields": ["platform"]}) == []


def test_services_without_resources_and_resources_without_services_are_notes() -> None:
    p = project(
        {
            "platform": "pulumi",
            "language": "py",
            "aws_services": ["Amazon S3", "DMS", "IAM", "Quantum"],
            **FULL,
        },
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
    )
    findings = run(p)
    assert [f.severity for f in findings] == [Severity.NOTE, Severity.NOTE]
    assert "DMS" in findings[0].message and "dynamodb" in findings[1].message
    check = metadata_check(p)
    assert check.unknown_services == ("Quantum",) and check.consistent  # notes do not make it inconsistent


def test_sdk_calls_count_as_using_a_service_and_pulumi_only_types_count_for_theirs() -> None:
    call = SdkCall("scheduler", "CreateSchedule", {}, Location("lambda/app.py", 3))
    function = Resource(
        "fn",
        "AWS::Lambda::Function",
        Location("lib/x.py", 1),
        code=FunctionCode("python", None, True, (call,)),
    )
    hub = Resource("hub", "Pulumi::AWS::Securityhub::Account", Location("lib/x.py", 2))
    p = Project(
        root="/x",
        platform="pulumi",
        entry_point="tap.py",
        resources=(function, hub),
        metadata={
            "platform": "pulumi",
            "language": "py",
            "aws_services": ["Lambda", "EventBridge", "Security Hub"],
            **FULL,
        },
    )
    assert run(p) == []


def test_services_a_policy_allows_count_as_used_but_denied_ones_do_not() -> None:
    def statement(effect: str, *actions: str) -> Literal:
        listed = Literal(tuple(Literal(a) for a in actions))
        return Literal({"Effect": Literal(effect), "Action": listed, "Resource": Literal("*")})

    document = Literal(
        {"Statement": Literal((statement("Allow", "ses:SendEmail", "states:StartExecution"),))}
    )
    role = Resource(
        "Role",
        "AWS::IAM::Role",
        Location("lib/TapStack.yml", 1),
        properties={"Policies": Literal((Literal({"PolicyDocument": document}),))},
    )
    metadata = {
        "platform": "cfn",
        "language": "yaml",
        "aws_services": ["SES", "Step Functions", "SQS"],
        **FULL,
    }
    p = Project(
        root="/x",
        platform="cloudformation",
        entry_point="lib/TapStack.yml",
        resources=(role,),
        metadata=metadata,
    )
    (finding,) = run(p)
    assert (
        "SQS" in finding.message and "SES" not in finding.message and "Step Functions" not in finding.message
    )
    denied = Literal({"Statement": Literal((statement("Deny", "sqs:*"),))})
    guard = Resource(
        "Guard",
        "AWS::IAM::ManagedPolicy",
        Location("lib/TapStack.yml", 9),
        properties={"PolicyDocument": denied},
    )
    p = Project(
        root="/x",
        platform="cloudformation",
        entry_point="lib/TapStack.yml",
        resources=(role, guard),
        metadata=metadata,
    )
    (finding,) = run(p)
    assert "SQS" in finding.message


def test_companions_do_not_ask_for_their_service() -> None:
    companion = Resource(
        "S/F/Role",
        "AWS::SQS::Queue",
        Location("lib/x.py", 1),
        source_type="aws_cdk.aws_lambda.Function#DeadLetterQueue",
    )
    p = Project(
        root="/x",
        platform="cdk",
        resources=(companion,),
        metadata={"platform": "cdk", "language": "py", "aws_services": ["Lambda"], **FULL},
    )
    assert metadata_check(p).services_not_listed == ()


def test_service_names_normalize() -> None:
    assert normalize_service("Amazon API Gateway") == "apigateway"
    assert normalize_service("AWS Secrets Manager") == "secretsmanager"
    assert normalize_service("AWS") == "aws"
    # Some metadata lists CloudFormation type names: the namespace is the service.
    assert normalize_service("AWS::S3::Bucket") == "s3"
    assert normalize_service("AWS::CloudWatch::Logs") == "cloudwatch"
    assert normalize_service("AWS::CodePipeline::Pipeline") == "codepipeline"
