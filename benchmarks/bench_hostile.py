"""How long and how much memory a scan of a hostile worktree takes (issue 5's bounds).

Builds tests/robustness/hostile.broken_repo (binary and non-UTF-8 sources, 5,000-deep nesting, a 7 MB
file, a symlink loop, a billion-laughs YAML document, a template with N resources) and scans it in a
fresh process per size, printing wall time, peak RSS and what was reported.

    python benchmarks/bench_hostile.py [--resources 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.robustness.hostile import broken_repo


def measure(resources: int) -> tuple[float, float, Counter[str], int]:
    with tempfile.TemporaryDirectory() as tmp:
        repo = broken_repo(Path(tmp) / "repo", resources=resources)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-c", "from analyzer.cli import main; main()", str(repo), "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        document = json.loads(completed.stdout)
        rules = Counter(finding["rule_id"] for finding in document["findings"])
        modelled = sum(p["resources"] for p in document["projects"])
        # ru_maxrss of children is the largest child so far; sizes run in increasing order.
        return elapsed, max(peak_kib, before) / 1024, rules, modelled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args()
    print(f"{'resources':>10} {'wall s':>8} {'peak MiB':>9} {'modelled':>9}  findings by rule")
    for count in sorted(args.resources):
        elapsed, peak, rules, modelled = measure(count)
        summary = ", ".join(f"{rule}x{n}" for rule, n in sorted(rules.items()))
        print(f"{count:>10} {elapsed:>8.2f} {peak:>9.0f} {modelled:>9}  {summary}")


if __name__ == "__main__":
    main()
