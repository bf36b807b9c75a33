"""analyze_function_code: handler lookup, boto3 calls, values, line mapping of inline code."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.model import FunctionCode, Literal, Location, Origin, Unknown
from analyzer.python.lambda_code import (
    KWARGS_KEY,
    analyze_function_code,
    env_var_name,
    language_of,
    operation_name,
)

SCHEDULER_CODE = textwrap.dedent(
    """\
    import os
    import boto3

    scheduler = boto3.client("scheduler")


    def handler(event, context):
        scheduler.create_schedule(
            Name="reminder",
            Target={"Arn": os.environ["TARGET_ARN"], "RoleArn": os.environ["SCHEDULER_ROLE_ARN"]},
        )
    """
)


def test_inline_code_finds_handler_and_calls(tmp_path: Path) -> None:
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", inline_source=SCHEDULER_CODE)
    assert code is not None
    assert code.handler_found is True
    assert code.language == "python"
    assert code.defined_functions == ("handler",)
    [call] = code.sdk_calls
    assert (call.service, call.operation) == ("scheduler", "CreateSchedule")
    target = call.arguments["Target"]
    assert isinstance(target, Literal) and isinstance(target.value, dict)
    role = target.value["RoleArn"]
    assert env_var_name(role) == "SCHEDULER_ROLE_ARN"
    assert isinstance(role, Unknown) and role.origin & Origin.ENV_VAR
    assert call.arguments["Name"] == Literal("reminder")


def test_inline_module_must_be_index(tmp_path: Path) -> None:
    # CloudFormation saves ZipFile code as index.py: "conflict_detector.handler" cannot import (seed 004).
    code = analyze_function_code(
        tmp_path, "conflict_detector.handler", "python3.11", inline_source=SCHEDULER_CODE
    )
    assert code is not None and code.handler_found is False


def test_missing_function_in_inline_code(tmp_path: Path) -> None:
    code = analyze_function_code(tmp_path, "index.main", "python3.12", inline_source=SCHEDULER_CODE)
    assert code is not None and code.handler_found is False


def test_star_import_makes_handler_unknowable(tmp_path: Path) -> None:
    code = analyze_function_code(tmp_path, "index.main", "python3.12", inline_source="from lib import *\n")
    assert code is not None and code.handler_found is None


def test_syntax_error_gives_unknown_handler(tmp_path: Path) -> None:
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", inline_source="def handler(:\n")
    assert code is not None
    assert code.handler_found is None
    assert code.sdk_calls == ()


def test_non_python_runtime_is_unknowable(tmp_path: Path) -> None:
    code = analyze_function_code(tmp_path, "index.handler", "nodejs20.x", inline_source="exports.handler = 1")
    assert code is not None
    assert code.language == "node"
    assert code.handler_found is None


def test_directory_code_follows_local_imports(tmp_path: Path) -> None:
    package = tmp_path / "lib" / "lambda"
    (package / "helpers").mkdir(parents=True)
    (package / "index.py").write_text(
        "from helpers.jobs import start\n\ndef handler(event, context):\n    return start(event)\n"
    )
    (package / "helpers" / "__init__.py").write_text("")
    (package / "helpers" / "jobs.py").write_text(
        "import boto3\n\n\ndef start(event):\n"
        "    client = boto3.client('mediaconvert')\n"
        "    return client.create_job(Role=ROLE_ARN, Settings={})\n"
    )
    (package / "unused.py").write_text("import boto3\nboto3.client('glue').create_job(Role='x')\n")
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", code_path="lib/lambda")
    assert code is not None and code.handler_found is True
    assert [(c.service, c.operation, c.location) for c in code.sdk_calls] == [
        ("mediaconvert", "CreateJob", Location("lib/lambda/helpers/jobs.py", 6))
    ]


def test_directory_missing_module_and_outside_root(tmp_path: Path) -> None:
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "app.py").write_text("def handler(e, c):\n    pass\n")
    missing = analyze_function_code(tmp_path, "index.handler", "python3.11", code_path="fn")
    assert missing is not None and missing.handler_found is False
    found = analyze_function_code(tmp_path, "app.handler", "python3.11", code_path="fn")
    assert found is not None and found.handler_found is True
    assert analyze_function_code(tmp_path, "index.handler", "python3.11", code_path="../elsewhere") is None
    assert analyze_function_code(tmp_path, "index.handler", "python3.11", code_path="absent") is None
    assert analyze_function_code(tmp_path, "index.handler", "python3.11") is None


def test_clients_through_sessions_parameters_returns_and_attributes(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import boto3
        from boto3 import client as make_client

        session = boto3.Session()
        events = session.client("events")

        def put(events_client, rule):
            events_client.put_targets(Rule=rule, Targets=[{"Id": "1", "Arn": "arn:fn"}])

        def sfn():
            return make_client("stepfunctions")

        class Jobs:
            def __init__(self):
                self.ecs = boto3.client(service_name="ecs")

            def run(self):
                self.ecs.run_task(taskDefinition="td", overrides={"taskRoleArn": "arn:role"})

        def handler(event, context):
            put(events, "r1")
            sfn().start_execution(stateMachineArn="arn:sm")
            boto3.resource("dynamodb").meta.client.put_item(TableName="t", Item={})
            unknown_client.create_schedule(Target={"RoleArn": "x"})
        """
    )
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", inline_source=source)
    assert code is not None
    assert sorted((c.service, c.operation) for c in code.sdk_calls) == [
        ("dynamodb", "PutItem"),
        ("ecs", "RunTask"),
        ("events", "PutTargets"),
        ("stepfunctions", "StartExecution"),
    ]


def test_parameter_with_conflicting_call_sites_is_not_bound(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import boto3

        def call(client):
            client.create_job(Role="r")

        def handler(event, context):
            call(boto3.client("glue"))
            call(boto3.client("mediaconvert"))
        """
    )
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", inline_source=source)
    assert code is not None and code.sdk_calls == ()


def test_kwargs_spread_is_recorded_as_unknown(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import boto3
        params = {"Name": "n"}
        def handler(event, context):
            boto3.client("scheduler").create_schedule(**params)
            boto3.client("scheduler").create_schedule(**event)
        """
    )
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", inline_source=source)
    assert code is not None
    first, second = code.sdk_calls
    assert first.arguments == {"Name": Literal("n")}
    assert KWARGS_KEY in second.arguments


def test_yaml_block_scalar_lines_are_offset(tmp_path: Path) -> None:
    template = "Resources:\n  Fn:\n    Properties:\n      Code:\n        ZipFile: |\n"
    template += textwrap.indent(SCHEDULER_CODE, " " * 10)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "TapStack.yml").write_text(template)
    code = analyze_function_code(
        tmp_path,
        "index.handler",
        "python3.11",
        inline_source=SCHEDULER_CODE,
        inline_location=Location("lib/TapStack.yml", 5, 18),
    )
    assert code is not None
    [call] = code.sdk_calls
    call_line = SCHEDULER_CODE.splitlines().index("    scheduler.create_schedule(") + 1
    assert call.location == Location("lib/TapStack.yml", 5 + call_line)
    assert template.splitlines()[call.location.line - 1].strip() == "scheduler.create_schedule("


def test_json_string_maps_to_string_start(tmp_path: Path) -> None:
    document = {"Resources": {"Fn": {"Properties": {"Code": {"ZipFile": SCHEDULER_CODE}}}}}
    text = json.dumps(document, indent=2)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "TapStack.json").write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"ZipFile"' in row)
    where = Location("lib/TapStack.json", line, text.splitlines()[line - 1].index('"import') + 1)
    code = analyze_function_code(
        tmp_path, "index.handler", "python3.11", inline_source=SCHEDULER_CODE, inline_location=where
    )
    assert code is not None
    assert [call.location for call in code.sdk_calls] == [where]


def test_python_triple_quoted_string_lines(tmp_path: Path) -> None:
    stack = (
        'import pulumi\nCODE = """import boto3\nboto3.client("glue").create_job(Role="r", Name="j")\n"""\n'
    )
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tap_stack.py").write_text(stack)
    inline = 'import boto3\nboto3.client("glue").create_job(Role="r", Name="j")\n'
    code = analyze_function_code(
        tmp_path, None, "python3.11", inline_source=inline, inline_location=Location("lib/tap_stack.py", 2, 8)
    )
    assert code is not None
    assert code.handler_found is None
    assert [call.location for call in code.sdk_calls] == [Location("lib/tap_stack.py", 3)]


def test_operation_names_and_languages() -> None:
    assert operation_name("rds", "create_db_instance") == "CreateDBInstance"
    assert operation_name("s3", "list_objects_v2") == "ListObjectsV2"
    assert operation_name("scheduler", "create_schedule") == "CreateSchedule"
    assert language_of("python3.12") == "python"
    assert language_of("Runtime.PYTHON_3_11") == "python"
    assert language_of("nodejs18.x") == "node"
    assert language_of(None) is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_inline_text_never_raises(text: str) -> None:
    code = analyze_function_code(Path("/nonexistent-root"), "index.handler", "python3.11", inline_source=text)
    assert code is None or code.handler_found in (True, False, None)


def test_yaml_location_at_first_content_line(tmp_path: Path) -> None:
    # The CloudFormation plugin may point at the block's first content line instead of the indicator.
    template = "Resources:\n  Fn:\n    Properties:\n      Code:\n        ZipFile: |\n"
    template += textwrap.indent(SCHEDULER_CODE, " " * 10)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "TapStack.yml").write_text(template)
    code = analyze_function_code(
        tmp_path,
        "index.handler",
        "python3.11",
        inline_source=SCHEDULER_CODE,
        inline_location=Location("lib/TapStack.yml", 6, 0),
    )
    assert code is not None
    [call] = code.sdk_calls
    assert template.splitlines()[call.location.line - 1].strip() == "scheduler.create_schedule("


def test_python_constant_passed_by_name_maps_to_its_lines(tmp_path: Path) -> None:
    # CDK/Pulumi plugins point at the call (Code.from_inline(CODE)); the code is the constant above.
    stack = 'CODE = """\nimport boto3\n\ndef handler(event, context):\n    boto3.client("glue").create_job(Role="r")\n"""\n\n\nfn = make(code=from_inline(CODE))\n'
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tap_stack.py").write_text(stack)
    inline = stack.split('"""')[1]
    code = analyze_function_code(
        tmp_path,
        "index.handler",
        "python3.11",
        inline_source=inline,
        inline_location=Location("lib/tap_stack.py", 9),
    )
    assert code is not None
    [call] = code.sdk_calls
    assert call.location == Location("lib/tap_stack.py", 5)
    # Not found verbatim (dedented, escaped): everything maps to the call site.
    other = analyze_function_code(
        tmp_path,
        "index.handler",
        "python3.11",
        inline_source="import boto3\nboto3.client('glue').create_job(Role='r')\n",
        inline_location=Location("lib/tap_stack.py", 9),
    )
    assert other is not None
    assert [c.location for c in other.sdk_calls] == [Location("lib/tap_stack.py", 9)]


def test_clients_with_other_credentials_are_not_the_functions_calls(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import boto3

        def handler(event, context):
            creds = boto3.client("sts").assume_role(RoleArn="arn:r", RoleSessionName="s")["Credentials"]
            other = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["x"])
            other.client("scheduler").create_schedule(Target={"RoleArn": "arn:r2"})
            boto3.client("glue", aws_session_token=creds["SessionToken"]).create_job(Role="arn:r3")
        """
    )
    code = analyze_function_code(tmp_path, "index.handler", "python3.11", inline_source=source)
    assert code is not None
    assert [(c.service, c.operation) for c in code.sdk_calls] == [("sts", "AssumeRole")]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_valid_python_is_always_analysed(source: str) -> None:
    # The public function swallows internal errors (its callers must never fail); a None here for
    # valid Python would be such a hidden error.
    code = analyze_function_code(
        Path("/nonexistent-root"), "index.handler", "python3.11", inline_source=source
    )
    assert isinstance(code, FunctionCode)
