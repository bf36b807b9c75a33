"""docs/rules/ is generated from the rules; this fails when the committed pages are stale."""

from __future__ import annotations

from pathlib import Path

from analyzer.docs import REGENERATE, index_page, pages, rule_page, stale_pages, write_pages
from analyzer.registry import all_rules
from tests.conftest import REPO, FixedName, Warned

DOCS = REPO / "docs" / "rules"


def test_rule_docs_are_current() -> None:
    stale = stale_pages(DOCS)
    assert not stale, (
        f"docs/rules/ is out of date ({', '.join(stale)}); run `{REGENERATE}` and commit the result"
    )


def test_every_rule_has_a_page_and_an_index_row() -> None:
    generated = pages()
    for rule in all_rules():
        assert generated[f"{rule.id}.md"].startswith(f"# {rule.id} `{rule.name}`")
        assert f"| [{rule.id}]({rule.id}.md) | `{rule.name}` |" in generated["index.md"]


def test_page_shows_docstring_sections_and_examples() -> None:
    from analyzer.rules.base import Example

    class Documented(FixedName):
        """
        ## What it does
        Flags | things.

        ## Why is this bad
        Because.

        ## Example
        Bad.

        ## Use instead
        Good.
        """

        INVALID = [Example({"stack.yml": "resource A AWS::S3::Bucket name=a  # expect: IAC990\n"}, "fixed")]
        VALID = [Example({"stack.py": "resource A AWS::S3::Bucket name=a-suffix\n", "empty.py": ""})]

    page = rule_page(Documented)
    for heading in ("## What it does", "## Why is this bad", "## Example", "## Use instead"):
        assert heading in page
    assert (
        "### Flagged 1: fixed\n\n`stack.yml`\n\n```yaml\n"
        "resource A AWS::S3::Bucket name=a  # expect: IAC990\n```" in page
    )
    assert "### Not flagged 1\n\n`stack.py`\n\n```python\n" in page
    assert "`empty.py`" not in page  # empty files say nothing
    assert "test rule: a fixed resource name" in index_page([Documented, Warned])


def test_write_then_current_and_leftovers_removed(tmp_path: Path) -> None:
    rules = [FixedName, Warned]
    (tmp_path / "IAC123.md").write_text("a removed rule\n")
    assert stale_pages(tmp_path, rules) == ["IAC123.md", "IAC990.md", "IAC991.md", "index.md"]
    assert sorted(write_pages(tmp_path, rules)) == ["IAC123.md", "IAC990.md", "IAC991.md", "index.md"]
    assert stale_pages(tmp_path, rules) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IAC990.md", "IAC991.md", "index.md"]
    (tmp_path / "IAC990.md").write_text("edited by hand\n")
    assert stale_pages(tmp_path, rules) == ["IAC990.md"]
