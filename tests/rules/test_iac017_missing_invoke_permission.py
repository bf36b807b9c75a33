"""IAC017 on hand-built models: run-time EventBridge targets and Lambda permissions."""

from __future__ import annotations

from analyzer.findings import Finding
from analyzer.graph import ResourceGraph
from analyzer.model import (
    FunctionCode,
    Literal,
    Location,
    Origin,
    Project,
    Ref,
    Resource,
    SdkCall,
    Unknown,
    Value,
)
from analyzer.python.lambda_code import ENV_REASON
from analyzer.rules.base import RuleContext
from analyzer.rules.iac017_missing_invoke_permission import MissingInvokePermission

PATH = "lib/TapStack.json"


def targets(arn: Value) -> SdkCall:
    entry = Literal({"Id": Literal("1"), "Arn": arn})
    return SdkCall(
        "events", "PutTargets", {"Rule": Literal("r"), "Targets": Literal((entry,))}, Location(PATH, 50)
    )


def env(name: str) -> Unknown:
    return Unknown(ENV_REASON + name, Origin.ENV_VAR)


def detector(call: SdkCall, variables: dict[str, Value] | None = None) -> Resource:
    properties: dict[str, Value] = {}
    if variables:
        properties["Environment"] = Literal({"Variables": Literal(variables)})
    return Resource(
        "Detector",
        "AWS::Lambda::Function",
        Location(PATH, 40),
        properties,
        code=FunctionCode("python", Location(PATH, 45), True, (call,)),
    )


REMINDER = Resource("Reminder", "AWS::Lambda::Function", Location(PATH, 10), {}, name=Literal("reminder-dev"))


def permission(
    principal: Value, action: str = "lambda:InvokeFunction", target: Value | None = None
) -> Resource:
    return Resource(
        "Permission",
        "AWS::Lambda::Permission",
        Location(PATH, 70),
        {
            "FunctionName": target if target is not None else Ref("Reminder"),
            "Principal": principal,
            "Action": Literal(action),
        },
    )


def run(*resources: Resource) -> list[Finding]:
    project = Project(root="/x", platform="cloudformation", resources=resources)
    return list(MissingInvokePermission().check(RuleContext(project, ResourceGraph(project))))


def test_runtime_target_without_permission_is_reported_at_the_function() -> None:
    [finding] = run(REMINDER, detector(targets(env("ARN")), {"ARN": Ref("Reminder", "Arn")}))
    assert finding.rule_id == "IAC017"
    assert finding.location == Location(PATH, 10)
    assert "'Reminder'" in finding.message and "'Detector'" in finding.message
    assert "events.amazonaws.com" in finding.fix_hint
    assert finding.related[0].location == Location(PATH, 50)


def test_permission_for_eventbridge_silences_it() -> None:
    code = detector(targets(env("ARN")), {"ARN": Ref("Reminder", "Arn")})
    assert run(REMINDER, code, permission(Literal("events.amazonaws.com"))) == []
    assert run(REMINDER, code, permission(Literal("events.amazonaws.com"), "lambda:*")) == []
    by_name = permission(Literal("events.amazonaws.com"), target=Literal("reminder-dev"))
    assert run(REMINDER, code, by_name) == []


def test_wrong_or_unknown_permissions() -> None:
    code = detector(targets(env("ARN")), {"ARN": Ref("Reminder", "Arn")})
    assert len(run(REMINDER, code, permission(Literal("s3.amazonaws.com")))) == 1
    assert run(REMINDER, code, permission(Unknown("parameter"))) == []
    assert run(REMINDER, code, permission(Literal("events.amazonaws.com"), target=Unknown("x"))) == []


def test_unknown_or_external_targets_are_silent() -> None:
    assert run(REMINDER, detector(targets(Unknown("event input")))) == []
    assert run(REMINDER, detector(targets(env("MISSING")))) == []
    external = Literal("arn:aws:lambda:us-east-1:123456789012:function:elsewhere")
    assert run(REMINDER, detector(targets(external))) == []
    literal_arn = Literal("arn:aws:lambda:us-east-1:123456789012:function:reminder-dev")
    assert len(run(REMINDER, detector(targets(literal_arn)))) == 1
