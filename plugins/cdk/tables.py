"""The generated aws-cdk-lib tables (``data/cdk_tables.json.gz``, made by ``tools/gen_cdk_tables.py``).

Loaded lazily and once: about 0.6 MB compressed, 3.8 MB of JSON. Class entries are keyed by the
Python path (``aws_cdk.aws_s3.Bucket``) and hold:

* ``type``: the CloudFormation type the construct synthesizes (absent for non-resource constructs),
  ``level``: 1 for ``Cfn*`` classes, 2 for L2 constructs, 0 for everything else;
* ``args``/``kw``/``req``: positional parameters and flattened keyword parameters (Python names),
  the required keywords;
* ``cfn``: keyword -> CloudFormation property name; ``name``: the keyword that sets the physical name;
* ``attrs``: string attributes (``bucket_arn`` -> ``Arn``), ``base``: the base class path.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "cdk_tables.json.gz"


@cache
def tables() -> dict[str, Any]:
    return json.loads(gzip.decompress(DATA.read_bytes()))


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


def construct(path: str) -> ConstructInfo | None:
    entry = tables()["classes"].get(path)
    return ConstructInfo(path, entry) if entry is not None else None


def lineage(path: str) -> list[str]:
    """The class and its library base classes, nearest first."""
    chain: list[str] = []
    classes = tables()["classes"]
    current: str | None = path
    while current and current not in chain and len(chain) < 20:
        chain.append(current)
        current = classes.get(current, {}).get("base")
    return chain


def is_subclass(path: str, ancestor: str) -> bool:
    return ancestor in lineage(path)


def attribute(path: str, name: str) -> str | None:
    """``bucket_arn`` on ``aws_cdk.aws_s3.Bucket`` -> ``Arn``; None when not a string attribute."""
    classes = tables()["classes"]
    for owner in lineage(path):
        found = classes.get(owner, {}).get("attrs", {}).get(name)
        if found is not None:
            return found
    return None


def grant_actions(path: str, method: str) -> list[str] | None:
    grants = tables()["grants"]
    for owner in lineage(path):
        found = grants.get(owner, {}).get(method)
        if found is not None:
            return list(found)
    return None


def companions(path: str) -> list[dict[str, Any]]:
    table = tables()["companions"]
    for owner in lineage(path):
        if owner in table:
            return list(table[owner])
    return []


def struct_property(struct_path: str, keyword: str) -> str | None:
    return tables()["structs"].get(struct_path, {}).get(keyword)


def struct_type(owner: str, keyword: str) -> str | None:
    """The property struct an L1 keyword (or a struct's field) takes, for converting plain dicts."""
    return tables()["struct_types"].get(owner, {}).get(keyword)


def snake(name: str) -> str:
    """jsii's Python naming of a camelCase name (as ``tools/gen_cdk_tables.py`` applies it)."""
    name = re.sub(r"([MGK])iB", r"\1ib", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z\d]+)", r"\1_\2", name)
    return name.lower()


def keyword_parameters(path: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """(positional, required positional, keywords, required keywords) of a library class."""
    entry = tables()["classes"].get(path)
    if entry is None:
        return None
    args = list(entry.get("args", []))
    return args, list(entry.get("args_req", args)), list(entry.get("kw", [])), list(entry.get("req", []))
