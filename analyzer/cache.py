"""A content-addressed cache of per-worktree scan outcomes (projects and findings).

Key: the worktree's absolute root, the content hash of every file discovery found (the files the
plugins parse), the size and modification time of every other file in the tree (plugins also look
at Lambda code directories and scripts outside the discovered set), the configuration, the rules and
plugins that run, iacscan's version and a stamp of its own source and data files (so an edited
checkout never reads stale results), the installed distributions (the modification time of each
site-packages directory: installing, upgrading or removing cfn-lint, libcst, a third-party rule
package or anything else changes it) and the Python version. A change to any of them is a miss.

Where: ``--cache-dir``, else ``$XDG_CACHE_HOME/iacscan``, else ``~/.cache/iacscan``. ``--no-cache``
or ``IACSCAN_NO_CACHE=1`` turns it off.

Threat model. A cache entry is input that a later run trusts, so:

* entries are JSON rebuilt into an allow-list of our own model classes (``analyzer.cache_codec``),
  never pickle: a planted entry can carry wrong data, never run code;
* the directory must be a real directory (not a symlink) owned by the current user and writable by
  no one else; iacscan creates it with mode 0700 and tightens a directory of ours that is group- or
  world-writable. A directory owned by someone else is refused (the cache is off, with a note);
* entries are read without following symlinks, must be regular files owned by the current user,
  and name the key they were written for.

What remains: whoever can write to your own cache directory can already write to your home
directory. A cache restored from elsewhere (a CI cache shared with untrusted branches) can hide or
invent findings; do not share ``--cache-dir`` across trust boundaries.

Concurrency: an entry is written to a temporary file in its final directory and renamed over the
target (atomic on POSIX and Windows), so concurrent runs each see a whole entry or none. An entry
that does not decode (truncated, corrupted, from another format) is a miss and is rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer import __version__
from analyzer.facts import ProjectFacts
from analyzer.findings import Finding
from analyzer.model import Project

if TYPE_CHECKING:
    from analyzer.config import Config
    from analyzer.discover import Discovered
    from analyzer.plugin import Plugin
    from analyzer.rules.base import Rule

CACHE_FORMAT = 2  # 2: the review checklist's facts per project
ENV_NO_CACHE = "IACSCAN_NO_CACHE"
_HASH_CHUNK = 1 << 20
MAX_BYTES = 512 * 1024 * 1024  # the cache's size limit (pruned to half when exceeded)
_PRUNE_CHANCE = 8  # of 256: about one store in 32 checks the size
_STALE_TEMPORARY_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class CachedOutcome:
    """What one worktree produced: findings relative to the worktree, before suppressions."""

    findings: tuple[Finding, ...]
    projects: tuple[Project, ...]
    facts: tuple[ProjectFacts | None, ...]  # one per project: the review checklist's facts


class CacheUnavailable(Exception):
    """The cache directory cannot be used safely; the message says why (one line)."""


def default_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative value is invalid and must be ignored.
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "iacscan"


def disabled_by_environment() -> bool:
    return os.environ.get(ENV_NO_CACHE, "").strip().lower() not in ("", "0", "false", "no")


class ScanCache:
    """Entries under ``directory/v<format>/<2 hex>/<key>.json``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.entries = directory / f"v{CACHE_FORMAT}"

    @classmethod
    def open(cls, directory: Path | None = None) -> ScanCache:
        """The cache at ``directory`` (default: the user cache dir), created and checked.

        Raises :class:`CacheUnavailable` when the directory is not safe to read from."""
        try:
            target = (directory or default_directory()).absolute()
        except RuntimeError as error:  # no home directory to put the default cache in
            raise CacheUnavailable(f"no cache directory: {error}") from None
        try:
            _private_directory(target)
        except OSError as error:
            raise CacheUnavailable(
                f"cannot use cache directory {target}: {error.strerror or error}"
            ) from None
        return cls(target)

    # -- keys ------------------------------------------------------------------------------------

    def key(
        self,
        root: Path,
        discovered: Discovered,
        config: Config,
        *,
        rules: Sequence[type[Rule]] | None,
        plugins: Sequence[Plugin] | None,
        debug: bool,
    ) -> str | None:
        """The entry key of one worktree, or None when a file cannot be read (then: no caching)."""
        digest = hashlib.blake2b(digest_size=20)

        def add(*parts: object) -> None:
            for part in parts:
                digest.update(str(part).encode("utf-8", "surrogatepass"))
                digest.update(b"\x1f")

        add(_environment_stamp(), _components(rules, plugins), _analysis_settings(config), debug, root)
        add("problems", repr(discovered.problems))
        try:
            own = self.directory.as_posix() + "/"
            for relative in discovered.worktree.files:
                path = root / relative
                if not path.as_posix().startswith(own):  # the cache's own entries are no input
                    add("file", relative, _file_hash(path))
            for entry in _tree_listing(root, self.directory):
                add("stat", *entry)
        except OSError:
            return None
        return digest.hexdigest()

    # -- entries ---------------------------------------------------------------------------------

    def _path(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key}.json"

    def load(self, key: str) -> CachedOutcome | None:
        """The stored outcome, or None for a miss (absent, unreadable, corrupted or foreign)."""
        from analyzer.cache_codec import decode

        try:
            raw = _read_own_file(self._path(key))
        except OSError:
            return None
        try:
            document = json.loads(raw)
            if (
                not isinstance(document, dict)
                or document.get("format") != CACHE_FORMAT
                or document.get("key") != key
            ):
                return None
            findings = decode(document["findings"])
            projects = decode(document["projects"])
            facts = decode(document["facts"])
        except (ValueError, TypeError, KeyError, RecursionError, UnicodeDecodeError, MemoryError):
            return None
        if not (
            isinstance(findings, tuple)
            and isinstance(projects, tuple)
            and all(isinstance(item, Finding) for item in findings)
            and all(isinstance(item, Project) for item in projects)
            and isinstance(facts, tuple)
            and len(facts) == len(projects)
            and all(item is None or isinstance(item, ProjectFacts) for item in facts)
        ):
            return None
        with contextlib.suppress(OSError):  # "recently used", for pruning
            os.utime(self._path(key))
        return CachedOutcome(findings, projects, facts)

    def store(self, key: str, outcome: CachedOutcome) -> bool:
        """Write the entry atomically; False when it cannot be encoded or written (not an error)."""
        from analyzer.cache_codec import Unencodable, encode

        try:
            document = {
                "format": CACHE_FORMAT,
                "key": key,
                "version": __version__,
                "findings": encode(outcome.findings),
                "projects": encode(outcome.projects),
                "facts": encode(outcome.facts),
            }
            text = json.dumps(document, separators=(",", ":"))
        except (Unencodable, ValueError, RecursionError):
            return False
        target = self._path(key)
        try:
            _private_directory(self.entries)
            _private_directory(target.parent)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=target.parent)
        except OSError:
            return False
        try:
            with os.fdopen(handle, "w", encoding="ascii") as stream:
                stream.write(text)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return False
        if os.urandom(1)[0] < _PRUNE_CHANCE:
            self.prune()
        return True

    def prune(self, max_bytes: int = MAX_BYTES) -> None:
        """Keep the cache under ``max_bytes``: drop the least recently used entries down to half of
        it, and temporary files an interrupted writer left. Run now and then by :meth:`store` (every
        edit in ``--watch`` writes a new entry)."""
        entries: list[tuple[float, int, str]] = []
        now = time.time()
        for directory, _, filenames in os.walk(self.entries):
            for name in filenames:
                path = os.path.join(directory, name)
                try:
                    status = os.lstat(path)
                    if name.startswith(".tmp-"):
                        if now - status.st_mtime > _STALE_TEMPORARY_SECONDS:
                            os.unlink(path)
                        continue
                except OSError:
                    continue
                entries.append((status.st_mtime, status.st_size, path))
        total = sum(size for _, size, _ in entries)
        if total <= max_bytes:
            return
        for _, size, path in sorted(entries):
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
            if total <= max_bytes // 2:
                break


# -- safety --------------------------------------------------------------------------------------


def _private_directory(path: Path) -> None:
    """Create ``path`` (mode 0700) or check that it is ours and writable only by us."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = os.lstat(path)
    if not stat.S_ISDIR(status.st_mode):
        raise OSError(0, "not a directory (a symbolic link is not accepted)")
    if not hasattr(os, "getuid"):  # Windows: the per-user profile directory is the protection
        return
    if status.st_uid != os.getuid():
        raise OSError(0, "owned by another user")
    if status.st_mode & 0o022:
        os.chmod(path, stat.S_IMODE(status.st_mode) & ~0o077)


def _read_own_file(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "not a regular file")
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            raise OSError(0, "owned by another user")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(descriptor)


# -- stamps --------------------------------------------------------------------------------------


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tree_listing(root: Path, cache_directory: Path) -> list[tuple[str, int, int, int]]:
    """(path, type bits, size, mtime) of every entry below ``root`` outside the skipped dirs (and
    outside the cache itself, should it live in the worktree: its own writes are no change)."""
    from analyzer.discover import SKIP_DIRS

    own = str(cache_directory)
    listing: list[tuple[str, int, int, int]] = []
    for directory, dirnames, filenames in os.walk(root):  # links are listed, not followed
        dirnames[:] = sorted(
            name for name in dirnames if name not in SKIP_DIRS and os.path.join(directory, name) != own
        )
        base = os.path.relpath(directory, root)
        for name in sorted(filenames) + dirnames:
            status = os.lstat(os.path.join(directory, name))
            listing.append(
                (
                    os.path.join(base, name),
                    stat.S_IFMT(status.st_mode),
                    status.st_size,
                    status.st_mtime_ns,
                )
            )
    return listing


def _analysis_settings(config: Config) -> str:
    """The settings that change what is stored. What is applied to a stored outcome on every run
    (per-path ignores, the threshold, the exit status, unused-suppression reports) is left out, so
    `--fail-on never` in an editor and `--fail-on error` in CI share an entry."""
    import dataclasses

    analysed = dataclasses.replace(
        config,
        per_path_ignores={},
        fail_on=None,
        severity_threshold=None,
        report_unused_suppressions=False,
        source=None,
    )
    return repr(analysed)


@cache
def _environment_stamp() -> str:
    """Everything about this installation that changes results: computed once per process."""
    parts: list[str] = [str(CACHE_FORMAT), __version__, sys.version.split()[0]]
    parts.append(_installed_stamp())
    parts.append(_source_stamp())
    return "|".join(parts)


def _installed_stamp() -> str:
    """The modification time of every package directory on ``sys.path``: installing, upgrading or
    removing any distribution (cfn-lint, libcst, a third-party rule package, ...) changes it. One
    ``stat`` per directory, where asking ``importlib.metadata`` for versions and entry points reads
    every installed distribution's metadata (tens of milliseconds of a cached run)."""
    parts: list[str] = []
    for entry in sys.path:
        if entry.rstrip("/\\").endswith(("site-packages", "dist-packages")):
            try:
                parts.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
            except OSError:
                continue
    return ";".join(parts)


def _source_stamp() -> str:
    """Size and mtime of our own code and data files: an edited checkout must not hit old entries."""
    digest = hashlib.blake2b(digest_size=20)
    for package in ("analyzer", "plugins"):
        spec = importlib.util.find_spec(package)
        # A namespace package (plugins/) can list one directory twice, depending on sys.path.
        locations = set(spec.submodule_search_locations or []) if spec else set()
        for location in sorted({os.path.realpath(item) for item in locations if os.path.isdir(item)}):
            for directory, dirnames, filenames in os.walk(location):
                dirnames[:] = sorted(name for name in dirnames if name != "__pycache__")
                for name in sorted(filenames):
                    if name.endswith((".py", ".json", ".gz", ".toml", ".yaml", ".yml")):
                        status = os.stat(os.path.join(directory, name))
                        entry = f"{os.path.join(directory, name)}:{status.st_size}:{status.st_mtime_ns}"
                        digest.update(entry.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _components(rules: Sequence[type[Rule]] | None, plugins: Sequence[Plugin] | None) -> str:
    """Which rules and plugins run: the registry's (with third-party entry points) or given ones."""
    parts: list[str] = []
    if rules is None or plugins is None:
        parts.append("registry")  # entry points: part of the installed stamp
    if rules is not None:
        parts.extend(_code_identity(rule) for rule in rules)
    if plugins is not None:
        parts.extend(_code_identity(type(plugin)) for plugin in plugins)
    return ";".join(parts)


def _code_identity(kind: type[Any]) -> str:
    module = sys.modules.get(kind.__module__)
    location = getattr(module, "__file__", None)
    try:
        when = os.stat(location).st_mtime_ns if location else 0
    except OSError:
        when = 0
    return f"{kind.__module__}.{kind.__qualname__}@{when}"
