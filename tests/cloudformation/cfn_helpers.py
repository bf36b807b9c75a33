"""Helpers for the CloudFormation plugin tests: write a small worktree, parse it."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from analyzer.discover import list_files
from analyzer.model import Project, Resource
from analyzer.plugin import Limits, Worktree
from plugins.cloudformation import CloudFormationPlugin


def make_worktree(
    root: Path, files: Mapping[str, str], suffix_names: tuple[str, ...] = (), limits: Limits | None = None
) -> Worktree:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    discovered = list_files(root, limits or Limits())
    worktree = discovered.worktree
    return Worktree(worktree.root, worktree.files, suffix_names, limits or Limits())


@pytest.fixture
def parse(tmp_path: Path):
    """``parse(files, suffix_names=())`` -> Project, for a fresh worktree under tmp_path."""
    counter = iter(range(1_000))

    def run(
        files: Mapping[str, str], suffix_names: tuple[str, ...] = (), limits: Limits | None = None
    ) -> Project:
        root = tmp_path / f"wt{next(counter)}"
        return CloudFormationPlugin().parse(make_worktree(root, files, suffix_names, limits))

    return run


def yaml_template(resources: str, parameters: str = "", extra: str = "") -> dict[str, str]:
    """A ``lib/TapStack.yml`` worktree from YAML snippets (each already indented for its section)."""
    text = "AWSTemplateFormatVersion: '2010-09-09'\n"
    if parameters:
        text += "Parameters:\n" + textwrap.indent(textwrap.dedent(parameters).strip("\n"), "  ") + "\n"
    if extra:
        text += textwrap.dedent(extra).strip("\n") + "\n"
    text += "Resources:\n" + textwrap.indent(textwrap.dedent(resources).strip("\n"), "  ") + "\n"
    return {"lib/TapStack.yml": text}


def resource(project: Project, resource_id: str) -> Resource:
    found = project.resource(resource_id)
    assert found is not None, f"{resource_id} not in {[r.id for r in project.resources]}"
    return found
