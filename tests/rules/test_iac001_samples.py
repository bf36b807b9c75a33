"""IAC001 on the sample repositories, through the real plugins (skipped until a plugin is there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import ScanResult, scan
from analyzer.registry import all_plugins
from analyzer.rules.iac001_entrypoint_args_mismatch import EntrypointArgsMismatch

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"
SEVEN = (
    "vpc_id",
    "private_subnet_ids",
    "dms_subnet_ids",
    "source_db_host",
    "source_db_username",
    "source_db_password",
    "aurora_password",
)


def scan_sample(name: str, platform: str) -> ScanResult:
    root = SAMPLES / name
    if not root.is_dir():
        pytest.skip(f"sample {name} is not there")
    plugins = [plugin for plugin in all_plugins() if plugin.name == platform]
    if not plugins:
        pytest.skip(f"the {platform} plugin has not landed")
    return scan([root], Config(), rules=[EntrypointArgsMismatch], plugins=plugins)


def test_aurora_dms_names_all_seven_missing_arguments_at_the_call_line() -> None:
    result = scan_sample("pulumi-aurora-dms", "pulumi")
    [finding] = result.findings
    assert (finding.location.path, finding.location.line) == ("tap.py", 12)
    assert finding.message.startswith("`TapStackArgs(...)` is missing 7 required arguments")
    for name in SEVEN:
        assert f"'{name}'" in finding.message
    assert [related.location.path for related in finding.related] == ["lib/tap_stack.py"]
    assert "pulumi.Config().require('vpc_id')" in finding.fix_hint


def test_aurora_dms_fixed_twin_is_silent() -> None:
    assert scan_sample("pulumi-aurora-dms-fixed", "pulumi").findings == []


def test_cdk_props_through_kwargs_names_the_library_base_class() -> None:
    [finding] = scan_sample("cdk-props-kwargs", "cdk").findings
    assert finding.location.path == "tap.py"
    assert "'props' through **kwargs to aws_cdk.Stack" in finding.message


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("cdk-props-kwargs-fixed", "cdk"),
        ("cdk-video-pipeline-fixed", "cdk"),
        ("pulumi-unsuffixed-names", "pulumi"),
    ],
)
def test_correct_entry_points_are_silent(name: str, platform: str) -> None:
    assert scan_sample(name, platform).findings == []
