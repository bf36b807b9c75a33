"""Worktrees in parallel (``--jobs N``): a process pool whose results come back in input order.

Each worker analyses whole worktrees (discovery, parse, graph, rules; the cache is consulted and
written by the worker itself, safely: entries are renamed into place). Results are returned in the
order of the worktrees given, and findings are sorted afterwards anyway, so the report is the same
byte for byte whatever N is. Workers send back projects without their graphs (a graph is rebuilt on
demand from the project: cheaper than pickling networkx structures across processes).

Where a pool cannot start (no ``fork``/semaphores in a sandbox) or a worker dies (killed for
memory), the worktrees are analysed in this process instead: slower, never wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzer.cache import ScanCache
    from analyzer.config import Config
    from analyzer.engine import WorktreeOutcome
    from analyzer.plugin import Plugin
    from analyzer.rules.base import Rule


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# Set in each worker by the pool initializer (inherited, not pickled, under ``fork``).
_worker_state: tuple[Any, ...] | None = None


def _initialize(state: tuple[Any, ...]) -> None:
    global _worker_state
    _worker_state = state


def _analyse(root: Path) -> WorktreeOutcome:
    from analyzer.engine import ProjectResult, WorktreeOutcome, analyse_worktree

    assert _worker_state is not None
    config, rules, plugins, debug, cache = _worker_state
    outcome = analyse_worktree(root, config, rules=rules, plugins=plugins, debug=debug, cache=cache)
    light = tuple(ProjectResult(item.project, known_facts=item.known_facts) for item in outcome.projects)
    return WorktreeOutcome(outcome.findings, light, outcome.timings)


def analyse_all(
    roots: Sequence[Path],
    config: Config,
    *,
    rules: Sequence[type[Rule]] | None,
    plugins: Sequence[Plugin] | None,
    debug: bool,
    cache: ScanCache | None,
    jobs: int,
) -> list[WorktreeOutcome]:
    """One outcome per root, in the order of ``roots``."""
    from analyzer.engine import analyse_worktree

    def serial(items: Sequence[Path]) -> list[WorktreeOutcome]:
        return [
            analyse_worktree(root, config, rules=rules, plugins=plugins, debug=debug, cache=cache)
            for root in items
        ]

    workers = min(jobs, len(roots))
    if workers <= 1:
        return serial(roots)
    state = (config, rules, plugins, debug, cache)
    outcomes = _pooled(_analyse, roots, workers, state)
    return outcomes if outcomes is not None else serial(roots)


def _pooled(
    function: Callable[[Path], WorktreeOutcome],
    roots: Sequence[Path],
    workers: int,
    state: tuple[Any, ...],
) -> list[WorktreeOutcome] | None:
    """``function`` over ``roots`` in a pool, in order; None when the pool is not usable."""
    import multiprocessing  # here: a scan of one worktree (or a cached one) needs no pool
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    # fork: workers inherit what is imported and the state without pickling (Linux); spawn elsewhere.
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Small chunks keep both workers busy to the end; one task per worktree costs ~0.1 ms of IPC.
    chunk = max(1, min(16, len(roots) // (workers * 8)))
    try:
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_initialize, initargs=(state,)
        )
    except (OSError, ValueError, NotImplementedError):
        return None
    try:
        return list(executor.map(function, roots, chunksize=chunk))
    except (BrokenProcessPool, OSError):
        return None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
