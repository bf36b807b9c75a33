"""Benchmark: planning fixes (``--diff``) for a synthetic Pulumi worktree with many findings.

Generates one component with N unsuffixed buckets (IAC002) and a parameter group with N static
parameters lacking an apply method (IAC006), then reports, over several runs: the scan, and the
fix planning (reading, parsing with positions, one codemod per finding, minimal edits). Prints
figures; asserts nothing.

    python benchmarks/bench_fixes.py [--count 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from analyzer.config import load
from analyzer.engine import scan
from analyzer.fixes import plan

TAP = """\
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"
TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))
"""

HEAD = """\
import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str):
        self.environment_suffix = environment_suffix


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        environment_suffix = args.environment_suffix
"""

STATIC = ("max_connections", "shared_preload_libraries", "max_wal_senders", "max_replication_slots")


def worktree(root: Path, count: int) -> None:
    lines = [HEAD]
    for index in range(count):
        lines.append(f'        aws.s3.Bucket("b{index}", bucket="tap-data-{index}")  # bucket {index}\n')
    lines.append('        aws.rds.ClusterParameterGroup(\n            f"params-{environment_suffix}",\n')
    lines.append('            family="aurora-postgresql15",\n            parameters=[\n')
    for index in range(count):
        name = STATIC[index % len(STATIC)]
        lines.append(f'                {{"name": "{name}", "value": "{index}"}},\n')
    lines.append("            ],\n        )\n")
    (root / "lib").mkdir()
    (root / "lib" / "__init__.py").write_text("")
    (root / "lib" / "tap_stack.py").write_text("".join(lines))
    (root / "tap.py").write_text(TAP)
    (root / "Pulumi.yaml").write_text("name: tap\nruntime: python\nmain: tap.py\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        worktree(root, options.count)
        config = load(root)
        scans, plans = [], []
        for _ in range(options.runs):
            start = time.perf_counter()
            result = scan([root], config)
            scans.append(time.perf_counter() - start)
            start = time.perf_counter()
            changes = plan(result)
            plans.append(time.perf_counter() - start)
        findings, fixed = len(result.findings), len(changes.fixed)
        lines = (root / "lib" / "tap_stack.py").read_text().count("\n")
        print(f"{lines} lines, {findings} findings, {fixed} fixed in one pass")
        print(f"scan: median {statistics.median(scans):.2f} s")
        print(
            f"plan: median {statistics.median(plans):.2f} s ({1000 * statistics.median(plans) / max(fixed, 1):.1f} ms per fix)"
        )


if __name__ == "__main__":
    main()
