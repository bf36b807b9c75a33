"""Reference pages generated from the rules themselves (docs/rules/IACxxx.md and index.md).

A rule's docs are written once, in its docstring and its VALID/INVALID examples; ``iacscan
explain``, SARIF ``help.markdown`` and the files under docs/rules/ all come from here. Run
``python tools/gen_docs.py`` after changing a rule; ``tests/test_docs_current.py`` fails when the
committed pages are stale."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.rules.base import Example, Rule

REGENERATE = "python tools/gen_docs.py"
_LANGUAGES = {".py": "python", ".yml": "yaml", ".yaml": "yaml", ".json": "jsonc", ".toml": "toml"}


def rule_page(rule: type[Rule]) -> str:
    """The rule's reference page: its docstring sections, then its examples."""
    lines = [rule.markdown().rstrip(), ""]
    if rule.INVALID or rule.VALID:
        lines += ["## Examples from the test suite", ""]
        lines += [
            "Each example is a small worktree that the test suite scans. `expect:` comments mark the",
            "lines where the rule reports a finding.",
            "",
        ]
    for heading, examples in (("Flagged", rule.INVALID), ("Not flagged", rule.VALID)):
        for number, example in enumerate(examples, start=1):
            title = f": {example.title}" if example.title else ""
            lines += [f"### {heading} {number}{title}", ""]
            lines += _example_files(example)
    return "\n".join(lines).rstrip() + "\n"


def _example_files(example: Example) -> list[str]:
    lines: list[str] = []
    for path, text in example.files.items():
        body = textwrap.dedent(text).strip("\n")
        if not body.strip():
            continue  # empty package markers (lib/__init__.py) say nothing
        language = _LANGUAGES.get(Path(path).suffix, "")
        fence = "````" if "```" in body else "```"
        lines += [f"`{path}`", "", f"{fence}{language}", body, fence, ""]
    return lines


def index_page(rules: Sequence[type[Rule]]) -> str:
    lines = [
        "# Rules",
        "",
        f"Generated from the rule classes by `{REGENERATE}`; do not edit by hand.",
        "",
        "| ID | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [{rule.id}]({rule.id}.md) | `{rule.name}` | {rule.severity.label} | {summary} |")
    return "\n".join(lines) + "\n"


def pages(rules: Iterable[type[Rule]] | None = None) -> dict[str, str]:
    """File name under docs/rules/ -> content, for every registered rule and the index."""
    if rules is None:
        from analyzer.registry import all_rules

        rules = all_rules()
    ordered = sorted(rules, key=lambda rule: rule.id)
    generated = {f"{rule.id}.md": rule_page(rule) for rule in ordered}
    generated["index.md"] = index_page(ordered)
    return generated


def stale_pages(directory: Path, rules: Iterable[type[Rule]] | None = None) -> list[str]:
    """Pages that are missing, different, or left over from a removed rule."""
    expected = pages(rules)
    stale = [name for name, text in expected.items() if _read(directory / name) != text]
    if directory.is_dir():
        stale += sorted(p.name for p in directory.glob("IAC*.md") if p.name not in expected)
    return sorted(stale)


def write_pages(directory: Path, rules: Iterable[type[Rule]] | None = None) -> list[str]:
    """Bring docs/rules/ up to date; return the names written or removed."""
    expected = pages(rules)
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in expected.items():
        target = directory / name
        if _read(target) != text:
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    for leftover in sorted(directory.glob("IAC*.md")):
        if leftover.name not in expected:
            leftover.unlink()
            changed.append(leftover.name)
    return changed


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
