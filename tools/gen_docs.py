"""Regenerate docs/rules/ from the rule classes: ``python tools/gen_docs.py``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    sys.path.insert(0, str(ROOT))  # the checkout, even when iacscan is not installed
    from analyzer.docs import write_pages

    changed = write_pages(ROOT / "docs" / "rules")
    for name in changed:
        print(f"updated docs/rules/{name}")
    if not changed:
        print("docs/rules/ is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
