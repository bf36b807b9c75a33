"""Expected IAC001/IAC002 findings on every sample repository (a snapshot: path:line rule severity key).

A change here is a change in what users see: update the snapshot only when the new output is right.
Samples whose plugin has not landed are skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.registry import all_plugins
from analyzer.rules.iac001_entrypoint_args_mismatch import EntrypointArgsMismatch
from analyzer.rules.iac002_missing_environment_suffix import MissingEnvironmentSuffix

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
PLATFORM_PREFIX = {"pulumi-": "pulumi", "cdk-": "cdk", "cfn-": "cloudformation"}

EXPECTED: dict[str, list[str]] = {
    "cdk-props-kwargs": [
        "tap.py:14 IAC001 error TapStack:props",
    ],
    "cdk-props-kwargs-fixed": [],
    "cdk-video-pipeline": [
        "lib/compute_stack.py:11 IAC002 error TapStackdev/ComputeStackdev/VideoCluster:ClusterName",
        "lib/compute_stack.py:25 IAC002 error TapStackdev/ComputeStackdev/TranscodeLogs:LogGroupName",
        "lib/notification_stack.py:10 IAC002 error TapStackdev/NotificationStackdev/ErrorTopic:TopicName",
    ],
    "cdk-video-pipeline-fixed": [],
    "cfn-appointment-scheduler": [],
    "cfn-audit-logging": [],
    "cfn-audit-logging-fixed": [],
    "cfn-ecs-secrets": [],
    "cfn-ecs-secrets-fixed": [],
    "cfn-encrypted-log-groups": [],
    "cfn-encrypted-log-groups-fixed": [],
    "cfn-appointment-scheduler-passrole": [],
    "cfn-unsuffixed-names": [
        "lib/TapStack.yml:26 IAC002 error DataBucket:BucketName",
        "lib/TapStack.yml:32 IAC002 error SessionsTable:TableName",
        "lib/TapStack.yml:56 IAC002 warning ProcessorRole:RoleName",
        "lib/TapStack.yml:81 IAC002 error ProcessorFunction:FunctionName",
        "lib/TapStack.yml:104 IAC002 warning DatabaseSecret:Name",
    ],
    "cfn-unsuffixed-names-fixed": [],
    "pulumi-aurora-dms": [
        "tap.py:12 IAC001 error TapStackArgs:aurora_password,dms_subnet_ids,private_subnet_ids,source_db_host,source_db_password,source_db_username,vpc_id",
    ],
    "pulumi-aurora-dms-fixed": [],
    "pulumi-event-sources": [],
    "pulumi-event-sources-fixed": [],
    "pulumi-unsuffixed-names": [
        "lib/tap_stack.py:26 IAC002 error order-data:BucketName",
        "lib/tap_stack.py:32 IAC002 error sessions:TableName",
        "lib/tap_stack.py:53 IAC002 warning processor-role:RoleName",
        "lib/tap_stack.py:71 IAC002 error processor:FunctionName",
        "lib/tap_stack.py:89 IAC002 error invoices-bucket:BucketName",
        "lib/tap_stack.py:89 IAC002 error receipts-bucket:BucketName",
    ],
    "pulumi-unsuffixed-names-fixed": [],
}


def _platform(name: str) -> str:
    return next(platform for prefix, platform in PLATFORM_PREFIX.items() if name.startswith(prefix))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_snapshot(name: str) -> None:
    root = SAMPLES / name
    if not root.is_dir():
        pytest.skip(f"sample {name} is not there")
    plugins = [plugin for plugin in all_plugins() if plugin.name == _platform(name)]
    if not plugins:
        pytest.skip(f"the {_platform(name)} plugin has not landed")
    result = scan([root], Config(), rules=[EntrypointArgsMismatch, MissingEnvironmentSuffix], plugins=plugins)
    got = [
        f"{f.location.path}:{f.location.line} {f.rule_id} {f.severity.label} {f.key}" for f in result.findings
    ]
    assert got == EXPECTED[name]
