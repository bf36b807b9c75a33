"""IAC003 on hand-built models: which evidence counts, and which statements cover the passed role."""

from __future__ import annotations

from typing import Any

from analyzer.findings import Finding, Severity
from analyzer.graph import ResourceGraph
from analyzer.model import (
    Concat,
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
from analyzer.python.lambda_code import ENV_REASON, KWARGS_KEY
from analyzer.rules.base import RuleContext
from analyzer.rules.iac003_missing_pass_role import MissingPassRole

PATH = "lib/TapStack.yml"


def lit(data: Any) -> Value:
    if isinstance(data, Ref | Unknown | Concat | Literal):
        return data
    if isinstance(data, dict):
        return Literal({key: lit(value) for key, value in data.items()})
    if isinstance(data, list | tuple):
        return Literal(tuple(lit(value) for value in data))
    return Literal(data)


def trust(service: str) -> Value:
    return lit(
        {"Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}
    )


def role(
    rid: str,
    *statements: dict[str, Any],
    service: str = "lambda.amazonaws.com",
    line: int = 3,
    name: str | None = None,
) -> Resource:
    properties: dict[str, Value] = {"AssumeRolePolicyDocument": trust(service)}
    if statements:
        properties["Policies"] = lit([{"PolicyName": "p", "PolicyDocument": {"Statement": list(statements)}}])
    return Resource(
        rid, "AWS::IAM::Role", Location(PATH, line), properties, name=Literal(name) if name else None
    )


def env(variable: str) -> Unknown:
    return Unknown(ENV_REASON + variable, Origin.ENV_VAR, hint=f'os.environ["{variable}"]')


def function(role_id: str, *calls: SdkCall, variables: dict[str, Value] | None = None) -> Resource:
    properties: dict[str, Value] = {"Role": Ref(role_id, "Arn"), "Runtime": Literal("python3.11")}
    if variables:
        properties["Environment"] = lit({"Variables": variables})
    code = FunctionCode("python", Location(PATH, 40), True, tuple(calls))
    return Resource("Fn", "AWS::Lambda::Function", Location(PATH, 30), properties, code=code)


def call(service: str, operation: str, line: int = 45, **arguments: Any) -> SdkCall:
    return SdkCall(
        service, operation, {key: lit(value) for key, value in arguments.items()}, Location(PATH, line)
    )


def run(*resources: Resource) -> list[Finding]:
    project = Project(root="/x", platform="cloudformation", resources=resources)
    return list(MissingPassRole().check(RuleContext(project, ResourceGraph(project))))


CREATE = {"Effect": "Allow", "Action": "scheduler:CreateSchedule", "Resource": "*"}
SCHEDULE = call("scheduler", "CreateSchedule", Name="n", Target={"Arn": "arn:fn", "RoleArn": env("ROLE")})
SCHEDULER_ROLE = role("SchedulerRole", service="scheduler.amazonaws.com", line=20, name="scheduler-role")


def scheduler_case(*statements: dict[str, Any], calls: tuple[SdkCall, ...] = (SCHEDULE,)) -> list[Finding]:
    return run(
        SCHEDULER_ROLE,
        role("DetectorRole", CREATE, *statements, name="detector-role"),
        function("DetectorRole", *calls, variables={"ROLE": Ref("SchedulerRole", "Arn")}),
    )


def test_code_passing_a_role_without_pass_role_is_reported_at_the_role() -> None:
    [finding] = scheduler_case()
    assert finding.rule_id == "IAC003" and finding.severity is Severity.ERROR
    assert finding.location == Location(PATH, 3)
    assert "DetectorRole" in finding.message and "'SchedulerRole'" in finding.message
    assert "scheduler:CreateSchedule" in finding.message and "Target.RoleArn" in finding.message
    assert '"Action": "iam:PassRole"' in finding.fix_hint and "SchedulerRole" in finding.fix_hint
    assert finding.related[0].location == Location(PATH, 45)


def test_covering_statements_silence_it() -> None:
    assert (
        scheduler_case({"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("SchedulerRole", "Arn")})
        == []
    )
    assert scheduler_case({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}) == []
    assert scheduler_case({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}) == []
    assert scheduler_case({"Effect": "Allow", "Action": "*", "Resource": "*"}) == []
    pattern = Concat(
        (Literal("arn:aws:iam::"), Unknown("acct", Origin.ACCOUNT), Literal(":role/scheduler-*"))
    )
    assert scheduler_case({"Effect": "Allow", "Action": "iam:PassRole", "Resource": pattern}) == []


def test_statements_that_do_not_cover_the_role() -> None:
    other = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("DetectorRole", "Arn")}
    assert len(scheduler_case(other)) == 1
    wrong_service = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
    }
    assert len(scheduler_case(wrong_service)) == 1
    right_service = {**wrong_service, "Condition": {"StringLike": {"iam:PassedToService": "scheduler.*"}}}
    assert scheduler_case(right_service) == []
    denied = {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}
    assert len(scheduler_case({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}, denied)) == 1


def test_seed_004_lambda_target_without_role_is_silent() -> None:
    rule = call("events", "PutRule", Name="r", ScheduleExpression="rate(1 hour)")
    targets = call("events", "PutTargets", Rule="r", Targets=[{"Id": "1", "Arn": env("REMINDER_ARN")}])
    findings = run(
        role(
            "DetectorRole",
            {"Effect": "Allow", "Action": ["events:PutRule", "events:PutTargets"], "Resource": "*"},
        ),
        function("DetectorRole", rule, targets, variables={"REMINDER_ARN": Ref("Reminder", "Arn")}),
    )
    assert findings == []


def test_event_target_with_role_is_reported() -> None:
    targets = call(
        "events", "PutTargets", Rule="r", Targets=[{"Id": "1", "Arn": "arn:q", "RoleArn": env("R")}]
    )
    findings = run(
        role("TargetRole", service="events.amazonaws.com", line=20),
        role("DetectorRole", {"Effect": "Allow", "Action": "events:PutTargets", "Resource": "*"}),
        function("DetectorRole", targets, variables={"R": Ref("TargetRole", "Arn")}),
    )
    assert [f.resource for f in findings] == ["DetectorRole"]
    assert "events.amazonaws.com" in findings[0].message


def test_unknown_passed_role() -> None:
    from_event = call("glue", "CreateJob", Name="j", Role=Unknown("computed", hint="event['role']"))
    some_pass = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("Other", "Arn")}
    glue = {"Effect": "Allow", "Action": "glue:CreateJob", "Resource": "*"}
    assert run(role("R", glue, some_pass), function("R", from_event)) == []
    [finding] = run(role("R", glue), function("R", from_event))
    assert "passes a role computed at run time (event['role'])" in finding.message


def test_unreadable_arguments_are_no_evidence() -> None:
    spread = call("scheduler", "CreateSchedule", **{KWARGS_KEY: Unknown("**mapping")})
    assert scheduler_case(calls=(spread,)) == []
    unknown_target = SdkCall(
        "scheduler", "CreateSchedule", {"Target": Unknown("built elsewhere")}, Location(PATH, 9)
    )
    assert scheduler_case(calls=(unknown_target,)) == []
    no_role = call("scheduler", "ListSchedules")
    assert scheduler_case(calls=(no_role,)) == []


def test_unreadable_policy_is_silent() -> None:
    principal = Resource(
        "DetectorRole",
        "AWS::IAM::Role",
        Location(PATH, 3),
        {"Policies": lit([{"PolicyName": "p", "PolicyDocument": Unknown("json.dumps(policy)")}])},
    )
    findings = run(
        SCHEDULER_ROLE,
        principal,
        function("DetectorRole", SCHEDULE, variables={"ROLE": Ref("SchedulerRole", "Arn")}),
    )
    assert findings == []


def test_policy_only_evidence_needs_a_required_role_member_and_no_visible_code() -> None:
    build = role("BuildRole", CREATE, service="codebuild.amazonaws.com")
    project_resource = Resource(
        "Build", "AWS::CodeBuild::Project", Location(PATH, 50), {"ServiceRole": Ref("BuildRole", "Arn")}
    )
    [finding] = run(build, project_resource, SCHEDULER_ROLE)
    assert "always passes a role" in finding.message
    assert "SchedulerRole" in finding.fix_hint  # the role the service can assume is suggested
    # events:PutTargets may or may not pass a role: no finding without code.
    puts = role("BuildRole", {"Effect": "Allow", "Action": "events:PutTargets", "Resource": "*"})
    assert run(puts, project_resource) == []
    # A wildcard grant is not evidence.
    wildcard = role("BuildRole", {"Effect": "Allow", "Action": "scheduler:*", "Resource": "*"})
    assert run(wildcard, project_resource) == []
    # Visible code decides instead: it calls nothing that passes a role.
    quiet = function("BuildRole", call("scheduler", "ListSchedules"))
    assert run(build, quiet) == []


def test_state_machine_running_an_ecs_task_passes_its_roles() -> None:
    task_def = Resource(
        "TaskDef",
        "AWS::ECS::TaskDefinition",
        Location(PATH, 60),
        {"TaskRoleArn": Ref("TaskRole", "Arn"), "ExecutionRoleArn": Ref("ExecRole", "Arn")},
    )
    definition = lit(
        {
            "StartAt": "Run",
            "States": {
                "Run": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::ecs:runTask.sync",
                    "Parameters": {"TaskDefinition": Ref("TaskDef"), "LaunchType": "FARGATE"},
                    "Next": "Invoke",
                },
                "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
            },
        }
    )
    machine = Resource(
        "Machine",
        "AWS::StepFunctions::StateMachine",
        Location(PATH, 70),
        {"RoleArn": Ref("MachineRole", "Arn"), "Definition": definition},
    )
    run_task = {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*"}
    roles = (
        role("TaskRole", service="ecs-tasks.amazonaws.com", line=10),
        role("ExecRole", service="ecs-tasks.amazonaws.com", line=15),
    )
    [finding] = run(*roles, task_def, machine, role("MachineRole", run_task, service="states.amazonaws.com"))
    assert "'TaskRole'" in finding.message and "'ExecRole'" in finding.message
    assert "ecs-tasks.amazonaws.com" in finding.message
    partial = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("TaskRole", "Arn")}
    [finding] = run(
        *roles, task_def, machine, role("MachineRole", run_task, partial, service="states.amazonaws.com")
    )
    assert "'ExecRole'" in finding.message and "'TaskRole'" not in finding.message
    both = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": [Ref("TaskRole", "Arn"), Ref("ExecRole", "Arn")],
    }
    assert (
        run(*roles, task_def, machine, role("MachineRole", run_task, both, service="states.amazonaws.com"))
        == []
    )


def test_state_machine_definition_string_with_references() -> None:
    text = Concat(
        (
            Literal(
                '{"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": '
                '"arn:aws:states:::aws-sdk:mediaconvert:createJob", "Parameters": {"Role": "'
            ),
            Ref("MediaRole", "Arn"),
            Literal('", "Settings": {}}, "End": true}}}'),
        )
    )
    machine = Resource(
        "Machine",
        "AWS::StepFunctions::StateMachine",
        Location(PATH, 70),
        {"RoleArn": Ref("MachineRole", "Arn"), "DefinitionString": text},
    )
    media = role("MediaRole", service="mediaconvert.amazonaws.com", line=10)
    [finding] = run(media, machine, role("MachineRole", service="states.amazonaws.com"))
    assert "'MediaRole'" in finding.message and "mediaconvert:CreateJob" in finding.fix_hint + finding.key


def test_pipeline_cloudformation_action_passes_its_role() -> None:
    pipeline = Resource(
        "Pipeline",
        "AWS::CodePipeline::Pipeline",
        Location(PATH, 80),
        {
            "RoleArn": Ref("PipelineRole", "Arn"),
            "Stages": lit(
                [
                    {
                        "Name": "Deploy",
                        "Actions": [
                            {
                                "Name": "Stack",
                                "ActionTypeId": {
                                    "Category": "Deploy",
                                    "Owner": "AWS",
                                    "Provider": "CloudFormation",
                                },
                                "Configuration": {"StackName": "app", "RoleArn": Ref("CfnRole", "Arn")},
                            }
                        ],
                    }
                ]
            ),
        },
    )
    cfn_role = role("CfnRole", service="cloudformation.amazonaws.com", line=10)
    [finding] = run(cfn_role, pipeline, role("PipelineRole", service="codepipeline.amazonaws.com"))
    assert "'CfnRole'" in finding.message and "cloudformation.amazonaws.com" in finding.message


def test_template_event_rule_with_role_target_is_not_a_principal_problem() -> None:
    rule = Resource(
        "Rule",
        "AWS::Events::Rule",
        Location(PATH, 90),
        {
            "Targets": lit(
                [{"Id": "1", "Arn": "arn:aws:sqs:us-east-1:1:q", "RoleArn": Ref("TargetRole", "Arn")}]
            )
        },
    )
    assert run(rule, role("TargetRole", service="events.amazonaws.com")) == []


def test_task_definitions_and_services_found_by_name() -> None:
    task_def = Resource(
        "TaskDef",
        "AWS::ECS::TaskDefinition",
        Location(PATH, 60),
        {"Family": Literal("video"), "ExecutionRoleArn": Ref("ExecRole", "Arn")},
    )
    service = Resource(
        "Service",
        "AWS::ECS::Service",
        Location(PATH, 65),
        {"ServiceName": Literal("web"), "TaskDefinition": Ref("TaskDef")},
    )
    exec_role = role("ExecRole", service="ecs-tasks.amazonaws.com", line=10)

    def machine(task: str) -> Resource:
        state = {
            "Type": "Task",
            "Resource": "arn:aws:states:::ecs:runTask",
            "Parameters": {"TaskDefinition": task},
        }
        return Resource(
            "Machine",
            "AWS::StepFunctions::StateMachine",
            Location(PATH, 70),
            {
                "RoleArn": Ref("MachineRole", "Arn"),
                "Definition": lit({"StartAt": "S", "States": {"S": state}}),
            },
        )

    machine_role = role("MachineRole", service="states.amazonaws.com")
    assert (
        len(
            run(exec_role, task_def, machine("arn:aws:ecs:us-east-1:1:task-definition/video:3"), machine_role)
        )
        == 1
    )
    assert (
        run(exec_role, task_def, machine("arn:aws:ecs:us-east-1:1:task-definition/vid:3"), machine_role) == []
    )

    def pipeline(service_name: Value) -> Resource:
        action = {
            "Name": "Deploy",
            "ActionTypeId": {"Provider": "ECS"},
            "Configuration": {"ServiceName": service_name},
        }
        return Resource(
            "Pipeline",
            "AWS::CodePipeline::Pipeline",
            Location(PATH, 80),
            {"RoleArn": Ref("PipelineRole", "Arn"), "Stages": lit([{"Name": "Deploy", "Actions": [action]}])},
        )

    pipeline_role = role("PipelineRole", service="codepipeline.amazonaws.com")
    [finding] = run(exec_role, task_def, service, pipeline(Literal("web")), pipeline_role)
    assert "'ExecRole'" in finding.message and "ECS" in finding.message
    assert len(run(exec_role, task_def, service, pipeline(Ref("Service", "Name")), pipeline_role)) == 1
    assert run(exec_role, task_def, service, pipeline(Literal("webapp")), pipeline_role) == []


def test_definition_substitutions() -> None:
    task_def = Resource(
        "TaskDef", "AWS::ECS::TaskDefinition", Location(PATH, 60), {"TaskRoleArn": Ref("TaskRole", "Arn")}
    )
    text = Literal(
        '{"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",'
        ' "Parameters": {"TaskDefinition": "${TaskDefArn}"}, "End": true}}}'
    )
    machine = Resource(
        "Machine",
        "AWS::StepFunctions::StateMachine",
        Location(PATH, 70),
        {
            "RoleArn": Ref("MachineRole", "Arn"),
            "DefinitionString": text,
            "DefinitionSubstitutions": lit({"TaskDefArn": Ref("TaskDef")}),
        },
    )
    task_role = role("TaskRole", service="ecs-tasks.amazonaws.com", line=10)
    [finding] = run(task_role, task_def, machine, role("MachineRole", service="states.amazonaws.com"))
    assert "'TaskRole'" in finding.message
