"""IAC002 on sample repositories and configured worktrees, through the real plugins."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import config
from analyzer.engine import ScanResult, scan
from analyzer.findings import Severity
from analyzer.registry import all_plugins
from analyzer.rules.base import Example
from analyzer.rules.iac002_missing_environment_suffix import MissingEnvironmentSuffix

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"


def scan_root(root: Path, platform: str) -> ScanResult:
    plugins = [plugin for plugin in all_plugins() if plugin.name == platform]
    if not plugins:
        pytest.skip(f"the {platform} plugin has not landed")
    return scan([root], config.load(root), rules=[MissingEnvironmentSuffix], plugins=plugins)


STAGE_TEMPLATE = """\
Parameters:
  Stage:
    Type: String
    Default: pr1
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "tap-jobs-${Stage}"
"""


def test_suffix_names_configuration_makes_an_environment_name_the_suffix(tmp_path: Path) -> None:
    plain, configured = tmp_path / "plain", tmp_path / "configured"
    Example.cfn_yaml(STAGE_TEMPLATE).materialize(plain)
    Example.cfn_yaml(STAGE_TEMPLATE, **{".iacscan.toml": 'suffix-names = ["Stage"]\n'}).materialize(
        configured
    )
    [warning] = scan_root(plain, "cloudformation").findings
    assert warning.severity is Severity.WARNING and "built only from Stage" in warning.message
    assert scan_root(configured, "cloudformation").findings == []
    assert scan_root(configured, "cloudformation").suffix_coverage() == (1, 1)


@pytest.mark.parametrize(
    ("name", "platform", "reported"),
    [
        ("cfn-unsuffixed-names", "cloudformation", 5),
        ("pulumi-unsuffixed-names", "pulumi", 6),
        ("cdk-video-pipeline", "cdk", 3),
    ],
)
def test_unsuffixed_samples_report_each_fixed_name(name: str, platform: str, reported: int) -> None:
    root = SAMPLES / name
    if not root.is_dir():
        pytest.skip(f"sample {name} is not there")
    result = scan_root(root, platform)
    assert len(result.findings) == reported
    assert all(finding.resource for finding in result.findings)
    twin = scan_root(SAMPLES / f"{name}-fixed", platform)
    assert twin.findings == []
    with_suffix, named = twin.suffix_coverage()
    assert named > 0 and with_suffix == named
