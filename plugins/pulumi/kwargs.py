"""Keyword arguments pulumi-aws classes accept (``data/kwargs.json.gz``, made by
``tools/gen_pulumi_kwargs.py`` from the pulumi-aws wheels' source, never imported).

The table is the union over the newest release of each supported major version: a keyword is
unknown only when no listed release accepts it, so a pinned older SDK is not blamed.
"""

from __future__ import annotations

import difflib
import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

from analyzer.python.evaluator import CallSite

DATA = Path(__file__).parent / "data" / "kwargs.json.gz"
# Never reported: the resource name and options every class takes, the SDK's internal keywords,
# and the ``args=`` form of resource constructors.
_ALWAYS = frozenset({"resource_name", "opts", "args", "__props__", "__opts__"})


@cache
def _table() -> dict[str, Any]:
    try:
        return json.loads(gzip.decompress(DATA.read_bytes()))
    except (OSError, ValueError):
        return {}  # a broken install must not break a scan: nothing is then proven


def versions() -> list[str]:
    return list(_table().get("versions", []))


def keywords(class_path: str) -> frozenset[str] | None:
    """``s3.Bucket`` -> its keywords; None when the class is not in the table."""
    found = _table().get("classes", {}).get(class_path)
    return frozenset(found) if found is not None else None


def unknown_keywords(qualname: str, site: CallSite, resource: str | None) -> list[dict[str, Any]]:
    """Facts for keywords written at ``site`` that ``pulumi_aws.<class>`` does not accept."""
    if not qualname.startswith("pulumi_aws.") or site.star_kwargs:
        return []
    known = keywords(qualname.removeprefix("pulumi_aws."))
    if known is None:
        return []
    plain = {name.replace("_", "") for name in known}  # ``lambda_`` vs ``lambda``: never a proof
    facts = []
    for key in dict.fromkeys(site.keyword_order):
        location = site.arg_locations.get(key)
        if location is None or key in known or key in _ALWAYS or key.replace("_", "") in plain:
            continue  # only keywords written out at the call (not from a ** dict)
        facts.append(
            {
                "resource": resource,
                "class": "aws." + qualname.removeprefix("pulumi_aws."),
                "keyword": key,
                "location": location,
                "known": difflib.get_close_matches(key, sorted(known - _ALWAYS), n=3),
                "platform": "pulumi",
            }
        )
    return facts
