"""IAC010 on hand-built models, and on templates through the CloudFormation plugin."""

from __future__ import annotations

from analyzer.graph import ResourceGraph
from analyzer.model import FunctionCode, Literal, Location, Project, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac010_lambda_handler_not_found import LambdaHandlerNotFound

PATH = "lib/TapStack.json"
CODE_AT = Location(PATH, 30)


def function(code: FunctionCode | None, rid: str = "Fn", **props: Value) -> Resource:
    locations = {"Handler": Location(PATH, 12), "Runtime": Location(PATH, 13)}
    return Resource(
        rid,
        "AWS::Lambda::Function",
        Location(PATH, 10),
        properties=props,
        property_locations=locations,
        code=code,
    )


def run(*resources: Resource) -> list:
    project = Project(root="/x", platform="cloudformation", resources=resources)
    return list(LambdaHandlerNotFound().check(RuleContext(project, ResourceGraph(project))))


def test_seed_004_handler_module_missing_from_inline_code() -> None:
    code = FunctionCode("python", CODE_AT, handler_found=False, defined_functions=("handler",))
    [finding] = run(
        function(code, Handler=Literal("conflict_detector.handler"), Runtime=Literal("python3.12"))
    )
    assert finding.location == Location(PATH, 12)
    assert "'conflict_detector.handler'" in finding.message and "handler" in finding.message
    assert "index" in finding.fix_hint
    assert finding.related[0].location == CODE_AT


def test_found_or_unknowable_handlers_are_silent() -> None:
    found = FunctionCode("python", CODE_AT, handler_found=True)
    unknowable = FunctionCode(None, None, handler_found=None)
    assert (
        run(
            function(found, Handler=Literal("index.handler"), Runtime=Literal("python3.12")),
            function(unknowable, rid="B", Handler=Unknown("param")),
            function(None, rid="C"),
        )
        == []
    )


def test_runtime_that_cannot_run_the_code() -> None:
    node = FunctionCode("node", CODE_AT, handler_found=True)
    [finding] = run(function(node, Handler=Literal("index.handler"), Runtime=Literal("python3.12")))
    assert finding.location == Location(PATH, 13) and "node" in finding.message
    assert "nodejs" in finding.fix_hint


def test_custom_runtimes_and_unknown_languages_are_not_compared() -> None:
    go = FunctionCode("go", CODE_AT, handler_found=True)
    python = FunctionCode("python", CODE_AT, handler_found=True)
    assert (
        run(
            function(go, Runtime=Literal("provided.al2023")),
            function(python, rid="B", Runtime=Literal("provided.al2")),
            function(go, rid="C", Runtime=Literal("python3.12")),
            function(python, rid="D", Runtime=Unknown("param")),
        )
        == []
    )


def test_inline_zipfile_needs_python_or_node() -> None:
    inline = Literal({"ZipFile": Literal("public class Handler {}")})
    [finding] = run(function(None, Runtime=Literal("java21"), Code=inline))
    assert "ZipFile" in finding.message and "java21" in finding.message
    assert run(function(None, Runtime=Literal("nodejs20.x"), Code=inline)) == []
    s3 = Literal({"S3Bucket": Literal("b"), "S3Key": Literal("k")})
    assert run(function(None, Runtime=Literal("java21"), Code=s3)) == []
