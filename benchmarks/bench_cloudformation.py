"""Modelling time of CloudFormation templates, and the ratio to cfn-lint linting them (prints
figures; not a test).

    python benchmarks/bench_cloudformation.py [repeats]

Templates: small (cfn-unsuffixed-names, YAML), median (cfn-appointment-scheduler: the JSON template
and its YAML twin, one at a time), large (a generated 1,000-resource template, YAML and JSON). Each
is modelled in-process by ``CloudFormationPlugin.parse`` (decode + parameters + intrinsics +
resources, and the inline-code analysis where the Python layer is installed) after one warm-up run
that pays the one-off ``import cfnlint.decode`` (reported separately), once with and once
without the Python layer's inline-code analysis (libcst; it dominates templates with inline
Lambda code). Times are CPU (process) time: the machine is shared, wall time is noisy. The
comparison runs ``cfnlint.api.lint`` (all default rules, us-east-1) on the same text.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from analyzer.discover import list_files
from analyzer.plugin import Limits
from plugins.cloudformation import CloudFormationPlugin
from plugins.cloudformation import plugin as plugin_module
from plugins.cloudformation.decoding import decode_text

SAMPLES = Path(__file__).resolve().parent.parent / "sample_repos"


def generated_template(count: int) -> dict:
    """A template shaped like real ones: queues, roles with policies, functions, alarms, with Sub/GetAtt."""
    resources: dict[str, dict] = {}
    for index in range(count // 4):
        resources[f"Queue{index}"] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": {"Fn::Sub": f"jobs-{index}-${{EnvironmentSuffix}}"},
                "DelaySeconds": 0,
            },
        }
        resources[f"Role{index}"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": {"Fn::Sub": f"role-{index}-${{EnvironmentSuffix}}"},
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "queue",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                                    "Resource": {"Fn::GetAtt": [f"Queue{index}", "Arn"]},
                                }
                            ],
                        },
                    }
                ],
            },
        }
        resources[f"Function{index}"] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": {"Fn::Join": ["-", ["fn", str(index), {"Ref": "EnvironmentSuffix"}]]},
                "Runtime": "python3.12",
                "Handler": "app.handler",
                "Code": {"S3Bucket": "artifacts", "S3Key": f"fn{index}.zip"},
                "Role": {"Fn::GetAtt": [f"Role{index}", "Arn"]},
                "Environment": {"Variables": {"QUEUE_URL": {"Ref": f"Queue{index}"}}},
            },
        }
        resources[f"Alarm{index}"] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmName": {"Fn::Sub": f"${{AWS::StackName}}-alarm-{index}"},
                "MetricName": "Errors",
                "Namespace": "AWS/Lambda",
                "Statistic": "Sum",
                "Period": 60,
                "EvaluationPeriods": 1,
                "Threshold": 1,
                "ComparisonOperator": "GreaterThanThreshold",
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": f"Function{index}"}}],
            },
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"EnvironmentSuffix": {"Type": "String", "Default": "dev"}},
        "Resources": resources,
    }


def to_yaml(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, width=120)


def single(directory: Path, name: str, text: str) -> Path:
    target = directory / name.replace("/", "_").replace(".", "_")
    (target / "lib").mkdir(parents=True, exist_ok=True)
    suffix = ".json" if text.lstrip().startswith("{") else ".yml"
    (target / "lib" / f"TapStack{suffix}").write_text(text, encoding="utf-8")
    return target


def model_times(root: Path, repeats: int, with_code: bool = True) -> tuple[list[float], int]:
    """CPU seconds per parse (process time: the machine is shared, wall time is noisy)."""
    worktree = list_files(root, Limits()).worktree
    plugin = CloudFormationPlugin()
    original = plugin_module._code_analyzer
    if not with_code:
        plugin_module._code_analyzer = lambda: None
    try:
        plugin.parse(worktree)  # warm-up
        times = []
        project = None
        for _ in range(repeats):
            start = time.process_time()
            project = plugin.parse(worktree)
            times.append(time.process_time() - start)
    finally:
        plugin_module._code_analyzer = original
    assert project is not None
    return times, len(project.resources)


def decode_time(text: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        decode_text("t", text)
        times.append(time.process_time() - start)
    return statistics.median(times)


def lint_time(text: str, repeats: int) -> float:
    from cfnlint.api import ManualArgs, lint

    lint(text, config=ManualArgs(regions=["us-east-1"]))  # warm-up: rule loading
    times = []
    for _ in range(repeats):
        start = time.process_time()
        lint(text, config=ManualArgs(regions=["us-east-1"]))
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    start = time.perf_counter()
    import cfnlint.decode  # noqa: F401

    print(f"import cfnlint.decode (once per process): {1000 * (time.perf_counter() - start):.0f} ms")
    big = generated_template(1000)
    cases = [
        (
            "small: cfn-unsuffixed-names (YAML)",
            (SAMPLES / "cfn-unsuffixed-names/lib/TapStack.yml").read_text(),
        ),
        (
            "median: appointment-scheduler (JSON)",
            (SAMPLES / "cfn-appointment-scheduler/lib/TapStack.json").read_text(),
        ),
        (
            "median: appointment-scheduler (YAML)",
            (SAMPLES / "cfn-appointment-scheduler/lib/TapStack.yml").read_text(),
        ),
        ("large: generated 1,000 resources (YAML)", to_yaml(big)),
        ("large: generated 1,000 resources (JSON)", json.dumps(big, indent=2)),
    ]
    directory = Path(tempfile.mkdtemp(prefix="bench-cfn-"))
    try:
        for label, text in cases:
            root = single(directory, label, text)
            runs = repeats if not label.startswith("large") else max(2, repeats // 5)
            times, count = model_times(root, runs)
            model = statistics.median(times)
            template_only = statistics.median(model_times(root, runs, with_code=False)[0])
            decode = decode_time(text, runs)
            lint = lint_time(text, 1 if label.startswith("large") else min(runs, 3))
            print(
                f"{label}: {count} resources, {len(text.splitlines())} lines; CPU median over {runs} runs: "
                f"model {1000 * model:.1f} ms, of which template {1000 * template_only:.1f} ms "
                f"(decode {1000 * decode:.1f} ms) and inline code {1000 * max(model - template_only, 0):.1f} ms; "
                f"cfnlint.api.lint {1000 * lint:.0f} ms = {lint / model:.0f}x the full model, "
                f"{lint / template_only:.0f}x the template model"
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
