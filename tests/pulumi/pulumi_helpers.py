"""Run the Pulumi plugin on a small worktree."""

from __future__ import annotations

import textwrap
from pathlib import Path

from analyzer.discover import list_files
from analyzer.model import Project
from analyzer.plugin import Limits
from plugins.pulumi import PulumiPlugin

PULUMI_YAML = "name: tap\nruntime: python\nmain: tap.py\n"
TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"
TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))
"""
HEADER = """\
import json
import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions, Output


class TapStackArgs:
    def __init__(self, environment_suffix=None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
"""


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")


def parse(root: Path, files: dict[str, str]) -> Project:
    write(root, files)
    worktree = list_files(root, Limits()).worktree
    plugin = PulumiPlugin()
    assert plugin.detect(worktree)
    return plugin.parse(worktree)


def component(root: Path, body: str, **extra: str) -> Project:
    """A TapStack component whose __init__ continues with ``body`` (8-space indented)."""
    text = HEADER + textwrap.indent(textwrap.dedent(body), " " * 8)
    files = {"Pulumi.yaml": PULUMI_YAML, "tap.py": TAP, "lib/__init__.py": "", "lib/tap_stack.py": text}
    files.update(extra)
    return parse(root, files)
