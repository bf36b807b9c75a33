"""``iacscan --watch PATH``: report, then re-analyse and report again whenever a file changes.

The watching is `watchfiles` (an optional extra: ``pip install 'iacscan[watch]'``): native file
events, changes grouped for ``STEP_MS`` before a re-scan. Each re-scan runs the whole scan command
again in this process, so the configuration is re-read too; what makes it fast is that imports are
already paid and that worktrees whose files did not change come from the result cache.

The report file itself (``--output``) and the temporary files it is written through are ignored,
or every report would trigger the next one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

# How long a burst of changes is gathered before re-analysing (an editor's save is often several
# events: a temporary file, a rename, a metadata change).
STEP_MS = 50
# Names the report writer uses for its temporary files (analyzer.report.output.write_atomically).
_TEMPORARY_FILES = (r"^\..+\.tmp$",)


class WatchUnavailable(Exception):
    """watchfiles is not installed; the message says how to install it."""


def _watchfiles() -> Any:
    try:
        import watchfiles
    except ImportError:
        raise WatchUnavailable(
            "--watch needs the optional watchfiles package: pip install 'iacscan[watch]'"
        ) from None
    return watchfiles


def changed_paths(
    paths: Sequence[Path],
    *,
    ignore: Iterable[Path] = (),
    stop_event: Any = None,
) -> Iterable[set[str]]:
    """Each burst of changed files below ``paths`` (absolute paths), until ``stop_event`` is set."""
    from analyzer.discover import SKIP_DIRS

    watchfiles = _watchfiles()
    default = watchfiles.DefaultFilter()
    watch_filter = watchfiles.DefaultFilter(
        ignore_dirs=sorted(set(default.ignore_dirs) | SKIP_DIRS),
        ignore_entity_patterns=(*default.ignore_entity_patterns, *_TEMPORARY_FILES),
        ignore_paths=[str(path.resolve()) for path in ignore],
    )
    for changes in watchfiles.watch(
        *paths, watch_filter=watch_filter, step=STEP_MS, stop_event=stop_event, raise_interrupt=True
    ):
        yield {path for _, path in changes}


def watch(
    paths: Sequence[Path],
    rescan: Callable[[], int],
    *,
    ignore: Iterable[Path] = (),
    note: Callable[[str], None] | None = None,
    stop_event: Any = None,
) -> int:
    """Run ``rescan`` now and after every burst of changes; the last exit code when stopped."""
    _watchfiles()  # fail before the first report, not after it
    code = rescan()
    if note is not None:
        note("watching for changes (Ctrl-C to stop)")
    for changed in changed_paths(paths, ignore=ignore, stop_event=stop_event):
        start = time.perf_counter()
        code = rescan()
        if note is not None:
            elapsed = 1000 * (time.perf_counter() - start)
            note(f"{len(changed)} file(s) changed; re-analysed in {elapsed:.0f} ms")
    return code
