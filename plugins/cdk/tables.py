"""The generated aws-cdk-lib tables (``data/cdk_tables.json.gz``, made by ``tools/gen_cdk_tables.py``).

The file holds one JSON text per Python module (``aws_cdk.aws_s3``): a scan decompresses the file
once and parses only the modules it touches. Class entries are keyed by the Python path
(``aws_cdk.aws_s3.Bucket``) and hold:

* ``type``: the CloudFormation type the construct synthesizes (absent for non-resource constructs),
  ``level``: 1 for ``Cfn*`` classes, 2 for L2 constructs, 0 for everything else;
* ``args``/``kw``/``req``: positional parameters and flattened keyword parameters (Python names),
  the required keywords (props structs such as ``StackProps`` are classes with keywords only);
* ``cfn``: keyword -> CloudFormation property name; ``name``: the keyword that sets the physical name;
* ``attrs``: string attributes (``bucket_arn`` -> ``Arn``), ``base``: the base class path;
* ``removal``: for L2 classes, ``retain``/``snapshot`` when the props' ``removalPolicy`` defaults
  to it (absent when the default destroys or is not stated).

``structs`` map an L1 property struct's keywords to CloudFormation names, ``struct_types`` the
keywords whose values are structs themselves, ``grants`` grant methods to IAM actions.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "cdk_tables.json.gz"


@cache
def tables() -> dict[str, Any]:
    """The decompressed file: ``version``, ``modules`` (name -> JSON text), ``companions``,
    ``names`` (module -> its public top-level names, space separated)."""
    return json.loads(gzip.decompress(DATA.read_bytes()))


@cache
def _module(name: str) -> dict[str, dict[str, Any]]:
    text = tables()["modules"].get(name)
    return json.loads(text) if text else {}


def module_of(path: str) -> str:
    """``aws_cdk.aws_s3.CfnBucket.VersioningConfigurationProperty`` -> ``aws_cdk.aws_s3``."""
    kept: list[str] = []
    for part in path.split("."):
        if part[:1].isupper():
            break
        kept.append(part)
    return ".".join(kept)


def _section(section: str, path: str) -> dict[str, Any] | None:
    return _module(module_of(path)).get(section, {}).get(path)


def all_classes() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every class entry (parses every module: for reports and tests, not for scans)."""
    for name in tables()["modules"]:
        yield from _module(name).get("classes", {}).items()


@dataclass(frozen=True, slots=True)
class ConstructInfo:
    path: str
    entry: dict[str, Any]

    @property
    def cfn_type(self) -> str | None:
        return self.entry.get("type")

    @property
    def level(self) -> int:
        return int(self.entry.get("level", 0))

    @property
    def name_keyword(self) -> str | None:
        return self.entry.get("name")

    def cfn_property(self, keyword: str) -> str | None:
        return self.entry.get("cfn", {}).get(keyword)


@cache
def _names(module: str) -> frozenset[str] | None:
    text = tables().get("names", {}).get(module)
    return frozenset(text.split()) if text is not None else None


def misplaced_name(module: str, name: str) -> tuple[str, ...]:
    """The other aws-cdk-lib modules that define ``name`` when ``module`` (a module of the
    library) does not: ``aws_cdk.aws_cloudwatch`` + ``SnsAction`` -> ``aws_cdk.aws_cloudwatch_actions``.
    Empty when the module has it, is not a library module, or no module has it (a name newer than
    these tables proves nothing)."""
    known = _names(module)
    if known is None or name in known or not name[:1].isupper():
        return ()
    return tuple(
        other for other in tables().get("names", {}) if other != module and name in (_names(other) or ())
    )


def construct(path: str) -> ConstructInfo | None:
    entry = _section("classes", path)
    return ConstructInfo(path, entry) if entry is not None else None


def lineage(path: str) -> list[str]:
    """The class and its library base classes, nearest first."""
    chain: list[str] = []
    current: str | None = path
    while current and current not in chain and len(chain) < 20:
        chain.append(current)
        current = (_section("classes", current) or {}).get("base")
    return chain


def is_subclass(path: str, ancestor: str) -> bool:
    return ancestor in lineage(path)


def attribute(path: str, name: str) -> str | None:
    """``bucket_arn`` on ``aws_cdk.aws_s3.Bucket`` -> ``Arn``; None when not a string attribute."""
    for owner in lineage(path):
        found = (_section("classes", owner) or {}).get("attrs", {}).get(name)
        if found is not None:
            return found
    return None


def grant_actions(path: str, method: str) -> list[str] | None:
    for owner in lineage(path):
        found = (_section("grants", owner) or {}).get(method)
        if found is not None:
            return list(found)
    return None


def companions(path: str) -> list[dict[str, Any]]:
    table = tables()["companions"]
    for owner in lineage(path):
        if owner in table:
            return list(table[owner])
    return []


def struct(path: str) -> dict[str, str] | None:
    """An L1 property struct class (``CfnBucket.VersioningConfigurationProperty``): keyword -> CFN."""
    return _section("structs", path)


def struct_property(struct_path: str, keyword: str) -> str | None:
    return (_section("structs", struct_path) or {}).get(keyword)


def struct_required(struct_path: str) -> list[str]:
    """The jsii (camelCase) names of an L1 property struct's required fields."""
    return list(_section("struct_required", struct_path) or [])


def struct_type(owner: str, keyword: str) -> str | None:
    """The property struct an L1 keyword (or a struct's field) takes, for converting plain dicts."""
    return (_section("struct_types", owner) or {}).get(keyword)


def snake(name: str) -> str:
    """jsii's Python naming of a camelCase name (as ``tools/gen_cdk_tables.py`` applies it)."""
    name = re.sub(r"([MGK])iB", r"\1ib", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z\d]+)", r"\1_\2", name)
    return name.lower()


def keyword_parameters(path: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """(positional, required positional, keywords, required keywords) of a library class."""
    entry = _section("classes", path)
    if entry is None:
        return None
    args = list(entry.get("args", []))
    return args, list(entry.get("args_req", args)), list(entry.get("kw", [])), list(entry.get("req", []))
