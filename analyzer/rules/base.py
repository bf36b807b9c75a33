"""The rule framework: a rule is one class in one file, with its docs and examples beside it.

A rule's docstring has four Markdown sections (``## What it does``, ``## Why is this bad``,
``## Example``, ``## Use instead``); ``iacscan explain`` and ``docs/rules/`` are generated from it.
``VALID`` and ``INVALID`` hold small worktrees; ``# expect: IAC003`` (or ``// expect: IAC003`` in
JSON, stripped before the file is written) marks each line where a finding is expected, and one
parametrized test runs them all.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from analyzer.findings import Finding, Fix, Related, Severity
from analyzer.model import Location, Project

if TYPE_CHECKING:  # networkx is imported when a graph is built, not with the rule framework
    from analyzer.graph import ResourceGraph

SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead")
_MARKER = re.compile(r"\s*(?:#|//)\s*expect:\s*(IAC\d{3}(?:\s*,\s*IAC\d{3})*)\s*$")


@dataclass(frozen=True, slots=True)
class Example:
    """A small worktree (relative path -> text) and the findings it must produce."""

    files: Mapping[str, str]
    title: str = ""

    def materialize(self, root: Path) -> list[tuple[str, int, str]]:
        """Write the files under ``root``; return the expected ``(path, line, rule_id)`` triples."""
        expected: list[tuple[str, int, str]] = []
        for relative, text in self.files.items():
            lines = textwrap.dedent(text).lstrip("\n").splitlines()
            kept: list[str] = []
            for number, line in enumerate(lines, start=1):
                match = _MARKER.search(line)
                if match:
                    for rule_id in re.split(r"\s*,\s*", match.group(1)):
                        expected.append((relative, number, rule_id))
                    if relative.endswith(".json"):
                        line = line[: match.start()]
                kept.append(line)
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(kept) + "\n", encoding="utf-8")
        return sorted(expected)

    # Shorthands for the common layouts -------------------------------------------------------------

    @classmethod
    def pulumi(cls, stack: str, tap: str | None = None, title: str = "", **extra: str) -> Example:
        files = {"Pulumi.yaml": "name: tap\nruntime: python\nmain: tap.py\n", "lib/__init__.py": ""}
        files["lib/tap_stack.py"] = stack
        files["tap.py"] = tap if tap is not None else _DEFAULT_PULUMI_TAP
        files.update(extra)
        return cls(files, title)

    @classmethod
    def cdk(cls, stack: str, app: str | None = None, title: str = "", **extra: str) -> Example:
        files = {"cdk.json": '{"app": "python3 tap.py"}\n', "lib/__init__.py": ""}
        files["lib/tap_stack.py"] = stack
        files["tap.py"] = app if app is not None else _DEFAULT_CDK_APP
        files.update(extra)
        return cls(files, title)

    @classmethod
    def cfn_yaml(cls, template: str, title: str = "", **extra: str) -> Example:
        return cls({"lib/TapStack.yml": template, **extra}, title)

    @classmethod
    def cfn_json(cls, template: str, title: str = "", **extra: str) -> Example:
        return cls({"lib/TapStack.json": template, **extra}, title)


_DEFAULT_PULUMI_TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"
stack = TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))
"""

_DEFAULT_CDK_APP = """\
import aws_cdk as cdk
from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()
environment_suffix = app.node.try_get_context("environmentSuffix") or "dev"
TapStack(app, f"TapStack{environment_suffix}", props=TapStackProps(environment_suffix=environment_suffix))
app.synth()
"""


@dataclass(frozen=True, slots=True)
class RuleContext:
    project: Project
    graph: ResourceGraph
    options: Mapping[str, Any] = field(default_factory=dict)  # the rule's own [tool.iacscan.rules.X] table


class Rule:
    """Base class. Subclasses set the metadata below and implement :meth:`check`."""

    id: ClassVar[str]
    name: ClassVar[str]  # kebab-case
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line, used as SARIF shortDescription
    tags: ClassVar[tuple[str, ...]] = ()
    security_severity: ClassVar[float | None] = None  # GitHub code scanning, for security rules
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    # -- helpers for subclasses -------------------------------------------------------------------

    def finding(
        self,
        message: str,
        location: Location,
        fix_hint: str = "",
        *,
        resource: str | None = None,
        key: str = "",
        related: Iterable[Related] = (),
        fixes: Iterable[Fix] = (),
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            rule_id=self.id,
            severity=severity or self.severity,
            message=message,
            location=location,
            fix_hint=fix_hint,
            resource=resource,
            related=tuple(related),
            key=key,
            fixes=tuple(fixes),
        )

    # -- documentation ----------------------------------------------------------------------------

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring's four sections, keyed by title, each as Markdown."""
        text = inspect.cleandoc(cls.__doc__ or "")
        sections: dict[str, str] = {}
        current: str | None = None
        for line in text.splitlines():
            heading = re.match(r"^##\s+(.*?)\s*$", line)
            if heading:
                current = heading.group(1)
                sections[current] = ""
            elif current is not None:
                sections[current] += line + "\n"
        return {title: body.strip() for title, body in sections.items()}

    @classmethod
    def full_description(cls) -> str:
        return cls.doc_sections().get("What it does", cls.summary)

    @classmethod
    def markdown(cls) -> str:
        """The rule's reference page (docs/rules/IACxxx.md, `iacscan explain`)."""
        sections = cls.doc_sections()
        lines = [f"# {cls.id} `{cls.name}`", "", f"Default severity: **{cls.severity.label}**", ""]
        if cls.tags:
            lines += ["Tags: " + ", ".join(f"`{tag}`" for tag in cls.tags), ""]
        lines += [cls.summary, ""]
        for title in SECTIONS:
            lines += [f"## {title}", "", sections.get(title, ""), ""]
        return "\n".join(lines).rstrip() + "\n"
