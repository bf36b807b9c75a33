"""`iacscan rules --data-sources`: every table the rules use is listed, shipped and refreshable."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.datasources import all_sources, missing_files


def test_every_listed_table_is_shipped() -> None:
    assert missing_files() == []


def test_listing_covers_the_installed_cfn_lint_and_our_tables() -> None:
    paths = " ".join(source.path for source in all_sources())
    assert "cfnlint" in paths
    for table in ("passrole.json", "rds_parameters.json", "orderings.json", "cdk_tables.json.gz"):
        assert table in paths
    assert all(source.refresh for source in all_sources())


def test_cli_prints_the_sources_as_json() -> None:
    result = CliRunner().invoke(app, ["rules", "--data-sources", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert {"name", "version", "path", "used_by", "refresh"} <= set(listed[0])
    assert any("IAC006" in entry["used_by"] for entry in listed)
