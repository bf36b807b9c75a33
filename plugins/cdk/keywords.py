"""Keywords a call passes that the aws-cdk-lib class does not accept (from the jsii tables).

jsii's Python constructors take ``scope, id, *, <flattened props>`` and no ``**kwargs``, so a keyword
outside the table's flattened props (inherited struct fields included) raises TypeError.
"""

from __future__ import annotations

import difflib
from typing import Any

from analyzer.python.evaluator import CallSite
from plugins.cdk import tables


def _plain(name: str) -> str:
    # jsii appends "_" to Python keywords and spells some names with other underscores than our
    # snake-casing: a keyword that matches a listed one up to underscores is never reported.
    return name.replace("_", "")


def unknown_keywords(qualname: str, site: CallSite) -> list[dict[str, Any]]:
    """Facts for keywords written at ``site`` that the library class ``qualname`` lacks."""
    short = qualname.rsplit(".", 1)[-1]
    if site.star_kwargs or not short[:1].isupper() or not qualname.startswith("aws_cdk."):
        return []
    found = tables.keyword_parameters(qualname)
    if found is not None:
        args, _, keywords, _ = found
    else:  # an L1 property struct (``CfnBucket.VersioningConfigurationProperty``): every field listed
        fields = tables.struct(qualname)
        if fields is None:
            return []
        args, keywords = [], list(fields)
    known = set(args) | set(keywords)
    plain = {_plain(name) for name in known}
    facts = []
    for key in dict.fromkeys(site.keyword_order):
        location = site.arg_locations.get(key)
        if location is None or key in known or _plain(key) in plain:
            continue  # only keywords written out at the call (not from a ** dict)
        facts.append(
            {
                "resource": None,  # the construct path is made later: IAC008 finds it by "call"
                "call": site.location,
                "class": qualname,
                "keyword": key,
                "location": location,
                "known": difflib.get_close_matches(key, sorted(keywords), n=3),
                "platform": "cdk",
            }
        )
    return facts
