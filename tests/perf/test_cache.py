"""The result cache: equal results, misses on any change, corrupted or foreign entries ignored and
rewritten, unsafe directories refused, concurrent writers harmless."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.cache import CACHE_FORMAT, CachedOutcome, CacheUnavailable, ScanCache
from analyzer.cache_codec import Unencodable, decode, encode
from analyzer.config import Config
from analyzer.discover import list_files
from analyzer.engine import scan
from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Location, Origin, Ref, Unknown
from tests.conftest import REPO

SAMPLES = REPO / "sample_repos"
SOME = [SAMPLES / name for name in ("cfn-appointment-scheduler", "pulumi-aurora-dms", "cdk-props-kwargs")]


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.json"))


@pytest.fixture
def samples(tmp_path: Path) -> list[Path]:
    import shutil

    copies = []
    for source in SOME:
        if not source.is_dir():
            pytest.skip("no sample_repos/ in this checkout")
        copies.append(Path(shutil.copytree(source, tmp_path / "repos" / source.name, symlinks=True)))
    return copies


def test_a_warm_scan_equals_the_cold_one_and_parses_nothing(samples: list[Path], tmp_path: Path) -> None:
    cache = ScanCache.open(tmp_path / "cache")
    plain = scan(samples, Config())
    cold = scan(samples, Config(), cache=cache)
    warm = scan(samples, Config(), cache=cache)
    assert len(_entries(tmp_path / "cache")) == len(samples)
    assert "parse" in cold.timings and "parse" not in warm.timings
    assert warm.findings == cold.findings == plain.findings
    assert warm.suppressed == plain.suppressed
    assert [item.project for item in warm.projects] == [item.project for item in plain.projects]
    # The graph of a cached project is rebuilt on demand, equal to the one the rules saw.
    assert list(warm.projects[0].graph.edges()) == list(plain.projects[0].graph.edges())


def test_a_changed_file_or_configuration_is_a_miss(samples: list[Path], tmp_path: Path) -> None:
    cache = ScanCache.open(tmp_path / "cache")
    root = samples[0]
    discovered = list_files(root, Config().limits)
    key = cache.key(root, discovered, Config(), rules=None, plugins=None, debug=False)
    assert key == cache.key(root, discovered, Config(), rules=None, plugins=None, debug=False)
    assert key != cache.key(
        root, discovered, Config(select=("IAC003",)), rules=None, plugins=None, debug=False
    )
    assert key != cache.key(root, discovered, Config(), rules=None, plugins=None, debug=True)
    template = next((root / "lib").glob("TapStack.*"))
    template.write_text(template.read_text() + "\n", encoding="utf-8")
    assert key != cache.key(root, discovered, Config(), rules=None, plugins=None, debug=False)
    # A file discovery does not list (a script the plugins may read) counts by size and time.
    (root / "scripts").mkdir()
    before = cache.key(root, discovered, Config(), rules=None, plugins=None, debug=False)
    (root / "scripts" / "deploy.sh").write_text("cdk deploy\n")
    assert before != cache.key(root, discovered, Config(), rules=None, plugins=None, debug=False)


def test_an_edit_is_seen_by_the_next_cached_scan(samples: list[Path], tmp_path: Path) -> None:
    cache = ScanCache.open(tmp_path / "cache")
    root = samples[1]  # Pulumi
    first = scan([root], Config(), cache=cache)
    stack = root / "lib" / "tap_stack.py"
    if not stack.exists():
        stack = sorted((root / "lib").glob("*.py"))[-1]
    stack.write_text(stack.read_text() + "\nthis is not python (\n", encoding="utf-8")
    second = scan([root], Config(), cache=cache)
    assert "parse" in second.timings
    assert any(f.rule_id == "IAC901" for f in second.findings)
    assert not any(f.rule_id == "IAC901" for f in first.findings)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "",  # empty
        lambda text: "\x00\xff garbage",  # not JSON
        lambda text: json.dumps({"format": 1, "key": "other", "findings": ["t"], "projects": ["t"]}),
        lambda text: text.replace('"c","Location"', '"c","Popen"', 1),  # a class outside the allow-list
        lambda text: text.replace('"c","Location"', '"c","Finding"', 1),  # fields that do not fit
        lambda text: json.dumps({"format": 1}),
        lambda text: "[" * 100_000,  # nesting beyond the recursion limit
    ],
    ids=["truncated", "empty", "garbage", "wrong-key", "foreign-class", "wrong-fields", "no-data", "deep"],
)
def test_a_corrupted_entry_is_ignored_and_rewritten(samples: list[Path], tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = ScanCache.open(tmp_path / "cache")
    root = samples[0]
    expected = scan([root], Config(), cache=cache)
    (entry,) = _entries(tmp_path / "cache")
    key = entry.stem
    entry.write_text(damage(entry.read_text()), encoding="utf-8", errors="surrogateescape")
    assert cache.load(key) is None
    again = scan([root], Config(), cache=cache)
    assert "parse" in again.timings  # the damaged entry was a miss
    assert again.findings == expected.findings
    loaded = cache.load(key)  # and it was written again, whole
    assert loaded is not None
    assert [item.project for item in again.projects] == list(loaded.projects)
    rescanned = scan([root], Config(), cache=cache)
    assert "parse" not in rescanned.timings and rescanned.findings == expected.findings


def test_entries_are_json_not_pickle(samples: list[Path], tmp_path: Path) -> None:
    scan(samples[:1], Config(), cache=ScanCache.open(tmp_path / "cache"))
    (entry,) = _entries(tmp_path / "cache")
    document = json.loads(entry.read_text())
    assert document["format"] == CACHE_FORMAT and document["key"] == entry.stem


def test_the_directory_is_private(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "cache"
    ScanCache.open(target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o777)
    os.chmod(loose, 0o777)
    ScanCache.open(loose)
    assert stat.S_IMODE(os.stat(loose).st_mode) & 0o077 == 0  # tightened


def test_a_symlinked_or_foreign_directory_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(CacheUnavailable):
        ScanCache.open(link)
    if os.getuid() == 0:  # only root can hand a directory to another user
        foreign = tmp_path / "foreign"
        foreign.mkdir(mode=0o700)
        os.chown(foreign, 65534, 65534)
        with pytest.raises(CacheUnavailable, match="another user"):
            ScanCache.open(foreign)


def test_concurrent_writers_leave_a_whole_entry(samples: list[Path], tmp_path: Path) -> None:
    cache = ScanCache.open(tmp_path / "cache")
    result = scan(samples[:1], Config())
    outcome = CachedOutcome(
        tuple(result.findings),
        tuple(item.project for item in result.projects),
        tuple(item.facts for item in result.projects),
    )
    key = "ab" * 20
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(20):
                assert cache.store(key, outcome)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert cache.load(key) == outcome
    assert [path.name for path in (tmp_path / "cache").rglob("*") if path.is_file()] == [f"{key}.json"]


# -- the codec -----------------------------------------------------------------------------------

_origins = st.sampled_from(list(Origin))
_locations = st.none() | st.builds(Location, st.text(max_size=5), st.integers(1, 9), st.integers(0, 9))
_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_values = st.recursive(
    st.builds(Literal, _scalars, _origins, _locations)
    | st.builds(Ref, st.text(max_size=5), st.none() | st.text(max_size=5), _origins, _locations)
    | st.builds(Unknown, st.text(max_size=8), _origins, _locations, st.none() | st.text(max_size=5)),
    lambda inner: (
        st.builds(Literal, st.lists(inner, max_size=3).map(tuple), _origins)
        | st.builds(Literal, st.dictionaries(st.text(max_size=4), inner, max_size=3), _origins)
        | st.builds(Concat, st.lists(inner, max_size=3).map(tuple), _origins)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(_values)
def test_values_survive_the_codec(value: Literal | Ref | Unknown | Concat) -> None:
    decoded = decode(json.loads(json.dumps(encode(value))))
    assert decoded == value
    assert repr(decoded) == repr(value)  # locations too (they do not take part in ==)


def test_findings_and_sets_survive_the_codec() -> None:
    finding = Finding("IAC003", Severity.ERROR, "m", Location("a.py", 3, 4), "hint", resource="R", key="k")
    data = {"set": {1, 2}, "frozen": frozenset({"a"}), "list": [1, (2, 3)], 4: None}
    assert decode(json.loads(json.dumps(encode((finding, data))))) == (finding, data)


def test_foreign_objects_are_not_encoded() -> None:
    with pytest.raises(Unencodable):
        encode(Path("/etc/passwd"))
    with pytest.raises(Unencodable):
        encode(object())


def test_a_cache_inside_the_worktree_does_not_invalidate_itself(samples: list[Path]) -> None:
    root = samples[0]
    cache = ScanCache.open(root / ".iacscan-cache")
    scan([root], Config(), cache=cache)
    assert "parse" not in scan([root], Config(), cache=cache).timings


def test_pruning_drops_the_least_recently_used_entries(samples: list[Path], tmp_path: Path) -> None:
    cache = ScanCache.open(tmp_path / "cache")
    result = scan(samples[:1], Config())
    outcome = CachedOutcome(
        tuple(result.findings),
        tuple(item.project for item in result.projects),
        tuple(item.facts for item in result.projects),
    )
    keys = [f"{index:02x}" * 20 for index in range(6)]
    for age, key in enumerate(keys):
        assert cache.store(key, outcome)
        os.utime(cache._path(key), (1_000_000 + age, 1_000_000 + age))
    assert cache.load(keys[0]) is not None  # a hit makes the oldest entry the most recent
    leftover = cache.entries / "ab" / ".tmp-interrupted.json"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_text("half")
    os.utime(leftover, (1_000_000, 1_000_000))
    size = cache._path(keys[0]).stat().st_size
    cache.prune(max_bytes=4 * size)  # over the limit: down to half of it, oldest first
    kept = [key for key in keys if cache._path(key).exists()]
    assert kept == [keys[0], keys[5]]
    assert not leftover.exists()


def test_the_source_stamp_does_not_depend_on_how_sys_path_lists_the_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `python -c` puts the working directory on sys.path; run from the checkout, the namespace
    # package plugins/ was then listed twice and every entry written by the console script missed.
    import importlib.util

    from analyzer import cache as cache_module

    stamp = cache_module._source_stamp()
    real_find_spec = importlib.util.find_spec

    def doubled(name: str, *args: object) -> object:
        spec = real_find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            listed = list(spec.submodule_search_locations)
            again = [item + "/" for item in listed if not item.endswith("/")]
            spec.submodule_search_locations = [*listed, *again, "<a path hook, not a directory>"]
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", doubled)
    assert cache_module._source_stamp() == stamp


@pytest.mark.parametrize("method", ["key", "load", "store"])
def test_a_failing_cache_costs_time_not_the_scan(
    samples: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    expected = scan(samples[1:2], Config())

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("a bug in the cache")

    monkeypatch.setattr(ScanCache, method, broken)
    result = scan(samples[1:2], Config(), cache=ScanCache.open(tmp_path / "cache"))
    assert result.findings == expected.findings and result.findings
    with pytest.raises(TypeError):  # --debug shows our bug instead of working around it
        scan(samples[1:2], Config(), cache=ScanCache.open(tmp_path / "cache"), debug=True)
