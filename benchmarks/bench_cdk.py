"""Modelling time of CDK worktrees (prints figures; not a test).

    python benchmarks/bench_cdk.py [repeats]

Measures CdkPlugin.parse on a median-sized CDK worktree (cdk-props-kwargs: one stack, two
constructs) and on the seven-nested-stack one (cdk-video-pipeline), plus the one-off cost of
loading the generated tables."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from analyzer.discover import list_files
from analyzer.plugin import Limits
from plugins.cdk import CdkPlugin, tables

SAMPLES = Path(__file__).resolve().parent.parent / "sample_repos"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    start = time.perf_counter()
    tables.tables()
    print(f"tables load (once per process): {1000 * (time.perf_counter() - start):.1f} ms")
    for name in ("cdk-props-kwargs", "cdk-video-pipeline"):
        worktree = list_files(SAMPLES / name, Limits()).worktree
        plugin = CdkPlugin()
        start = time.perf_counter()
        plugin.parse(worktree)  # the first parse also parses the table modules it needs
        print(f"{name}: first parse {1000 * (time.perf_counter() - start):.1f} ms")
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            project = plugin.parse(worktree)
            times.append(time.perf_counter() - start)
        print(
            f"{name}: {len(project.resources)} resources, {len(project.files)} files; "
            f"median {1000 * statistics.median(times):.1f} ms, min {1000 * min(times):.1f} ms "
            f"over {repeats} runs"
        )


if __name__ == "__main__":
    main()
