"""Generate ``plugins/pulumi/data/kwargs.json.gz``: the keyword arguments of every pulumi-aws class.

Dev-time only (pulumi-aws is never a runtime dependency, and never imported here): downloads the
wheels with ``pip download --no-deps`` and reads each class's initializer from the Python source
with ``ast``.

* Resource classes (``class Bucket(pulumi.CustomResource)``): the keyword overload's parameters
  and ``_internal_init``'s (what ``__init__(resource_name, *args, **kwargs)`` really forwards to).
* Input classes (``class BucketArgs``, ``class ClusterParameterGroupParameterArgs``): the
  keyword-only parameters of ``__init__(__self__, *, ...)``.

The table is the UNION over the newest release of each major version listed in ``MAJORS``: a
repository may pin an older major (pulumi-aws 7 dropped ``s3.Bucket(versioning=...)``, which 6
accepts), so a keyword counts as unknown only when no listed release accepts it.

Usage: ``python tools/gen_pulumi_kwargs.py [--wheel-dir DIR]``.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "plugins" / "pulumi" / "data" / "kwargs.json.gz"
# Newest release of each major version that repositories of this layout pin (5.x ships only an
# sdist, read the same way).
MAJORS = ("pulumi-aws>=5,<6", "pulumi-aws>=6,<7", "pulumi-aws>=7,<8")
_SKIP = frozenset({"__self__", "self", "resource_name", "__props__", "__opts__"})


def _download(spec: str, into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", spec, "--no-deps", "-q", "-d", str(into)],
        check=True,
    )
    wheels = _archives(into)
    if not wheels:
        raise SystemExit(f"no wheel downloaded for {spec}")
    return wheels[-1]


def _archives(folder: Path) -> list[Path]:
    return sorted([*folder.glob("pulumi_aws-*.whl"), *folder.glob("pulumi_aws-*.tar.gz")])


def _sources(archive_path: Path) -> Iterator[tuple[str, bytes]]:
    """(path below the archive's ``pulumi_aws/`` parent, source) of every Python file."""
    if archive_path.name.endswith(".whl"):
        with zipfile.ZipFile(archive_path) as archive:
            for member in archive.namelist():
                if member.startswith("pulumi_aws/") and member.endswith(".py"):
                    yield member, archive.read(member)
        return
    with tarfile.open(archive_path) as archive:  # an sdist: pulumi_aws-<v>/pulumi_aws/...
        for info in archive.getmembers():
            member = info.name.split("/", 1)[-1]
            handle = archive.extractfile(info) if info.isfile() else None
            if handle is not None and member.startswith("pulumi_aws/") and member.endswith(".py"):
                yield member, handle.read()


def _is_overload(node: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list)


def _names(fn: ast.FunctionDef) -> list[str]:
    params = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    return [p.arg for p in params if p.arg not in _SKIP]


def _class_keywords(cls: ast.ClassDef) -> list[str] | None:
    """The keywords a call to the class accepts, or None when the class is not a resource or an
    input class (functions, outputs, TypedDicts)."""
    bases = {ast.unparse(b) for b in cls.bases}
    methods = [n for n in cls.body if isinstance(n, ast.FunctionDef)]
    if bases & {"pulumi.CustomResource", "pulumi.ComponentResource", "pulumi.ProviderResource"}:
        found: set[str] = set()
        for fn in methods:
            if fn.name == "_internal_init" or (
                fn.name == "__init__" and _is_overload(fn) and "args" not in _names(fn)
            ):
                found.update(_names(fn))
        return sorted(found) if found else None
    if cls.name.endswith("Args") and not bases - {"object"}:
        for fn in methods:
            if fn.name == "__init__" and not fn.args.vararg and not fn.args.kwarg:
                return sorted(_names(fn))
    return None


def read_wheel(wheel: Path) -> tuple[str, dict[str, list[str]]]:
    """(version, class path -> keywords) of a pulumi-aws wheel or sdist."""
    version = wheel.name.removesuffix(".tar.gz").split("-")[1]
    table: dict[str, list[str]] = {}
    for member, source in _sources(wheel):
        parts = member.split("/")[1:-1]  # the package path below pulumi_aws
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                keywords = _class_keywords(node)
                if keywords is not None:
                    table[".".join([*parts, node.name])] = keywords
    return version, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel-dir", type=Path, help="reuse wheels already downloaded here")
    options = parser.parse_args()
    merged: dict[str, set[str]] = {}
    versions: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, spec in enumerate(MAJORS):
            into = (options.wheel_dir or Path(tmp)) / f"major{index}"
            into.mkdir(parents=True, exist_ok=True)
            wheel = next(iter(_archives(into)), None) or _download(spec, into)
            version, table = read_wheel(wheel)
            versions.append(version)
            for name, keywords in table.items():
                merged.setdefault(name, set()).update(keywords)
    data = {
        "versions": versions,
        "classes": {name: sorted(keywords) for name, keywords in sorted(merged.items())},
    }
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"{OUT}: {len(merged)} classes from pulumi-aws {', '.join(versions)}; {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
