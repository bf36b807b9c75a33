"""Expected IAC011-IAC016 findings on every sample repository (a snapshot: path:line rule severity key).

The sample tests of each plugin check the rules an EXPECTED.md lists; this one also pins these
rules' silence on the clean twins and on the other samples. A change here is a change in what
users see: update the snapshot only when the new output is right."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.registry import all_plugins
from analyzer.rules.iac011_dependency_cycle import DependencyCycle
from analyzer.rules.iac012_not_destroyable import NotDestroyable
from analyzer.rules.iac013_account_singleton import AccountSingleton
from analyzer.rules.iac014_hardcoded_environment import HardcodedEnvironment
from analyzer.rules.iac015_hardcoded_secret import HardcodedSecret
from analyzer.rules.iac016_project_metadata import ProjectMetadata

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
RULES = [
    DependencyCycle,
    NotDestroyable,
    AccountSingleton,
    HardcodedEnvironment,
    HardcodedSecret,
    ProjectMetadata,
]
PLATFORM_PREFIX = {"pulumi-": "pulumi", "cdk-": "cdk", "cfn-": "cloudformation"}

EXPECTED: dict[str, list[str]] = {
    "cdk-props-kwargs": [],
    "cdk-props-kwargs-fixed": [],
    "cdk-video-pipeline": [],
    "cdk-video-pipeline-fixed": [],
    "cfn-appointment-scheduler": [],
    "cfn-appointment-scheduler-passrole": [],
    "cfn-audit-logging": [],
    "cfn-audit-logging-fixed": [],
    "cfn-ecs-secrets": [],
    "cfn-ecs-secrets-fixed": [],
    "cfn-encrypted-log-groups": [],
    "cfn-encrypted-log-groups-fixed": [],
    "cfn-not-destroyable": [
        "lib/TapStack.yml:36 IAC011 error AppSecurityGroup->DatabaseSecurityGroup",
        "lib/TapStack.yml:58 IAC012 warning no pending window (the default is 30 days)",
        "lib/TapStack.yml:75 IAC012 warning DeletionPolicy: Retain",
        "lib/TapStack.yml:101 IAC012 warning DeletionProtectionEnabled is on",
        "lib/TapStack.yml:126 IAC012 warning DeletionProtection is on,DeletionPolicy: Snapshot",
    ],
    "cfn-not-destroyable-fixed": [],
    "cfn-unsuffixed-names": [],
    "cfn-unsuffixed-names-fixed": [],
    "pulumi-aurora-dms": [],
    # The fixed twin names the DMS role exactly (IAC004) and creates it only when config says the
    # account lacks it, so it is no unconditional account singleton (IAC013).
    "pulumi-aurora-dms-fixed": [],
    "pulumi-event-sources": [],
    "pulumi-event-sources-fixed": [],
    "pulumi-singletons": [
        "lib/tap_stack.py:22 IAC013 error GuardDuty detector",
        "lib/tap_stack.py:29 IAC012 warning filled by AWS::Config::DeliveryChannel 'config-delivery-{suffix}' "
        "without force_destroy",
        "lib/tap_stack.py:54 IAC013 error AWS Config configuration recorder",
        "lib/tap_stack.py:62 IAC013 error AWS Config delivery channel",
        "lib/tap_stack.py:69 IAC013 error Security Hub subscription",
        "lib/tap_stack.py:71 IAC013 warning IAM account password policy",
    ],
    "pulumi-singletons-fixed": [],
    "pulumi-unsuffixed-names": [],
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
    result = scan([root], Config(), rules=RULES, plugins=plugins)
    got = [
        f"{f.location.path}:{f.location.line} {f.rule_id} {f.severity.label} {f.key}" for f in result.findings
    ]
    assert got == EXPECTED[name]
