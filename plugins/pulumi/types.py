"""Pulumi AWS type tables: class -> CloudFormation type, physical-name kwarg, property renames.

The table (``data/types.json``) maps ``module.Class`` of ``pulumi_aws`` to the CloudFormation type
name, the keyword argument that sets the physical name (only where AWS needs it unique), and the
keyword arguments whose CloudFormation property name is not the plain PascalCase of the keyword.
Classes missing from the table get ``Pulumi::AWS::<Module>::<Class>`` and PascalCase properties.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "types.json"

# Tokens whose CloudFormation spelling is all capitals (DBClusterIdentifier, EnableIAMDatabase...).
_TOKENS = {"db": "DB", "iam": "IAM"}
# Keyword arguments that set a name prefix: Pulumi appends a unique suffix, so the name is unique.
PREFIX_KWARGS = ("name_prefix", "bucket_prefix", "identifier_prefix", "cluster_identifier_prefix")
# Packages whose resources are modelled, with the namespace of their unknown classes.
PACKAGES = {
    "pulumi_aws": "AWS",
    "pulumi_random": "Random",
    "pulumi_tls": "TLS",
    "pulumi_aws_native": "AWSNative",
}


@dataclass(frozen=True, slots=True)
class TypeInfo:
    token: str  # "rds.Cluster"
    cfn_type: str
    name_kwarg: str | None
    renames: dict[str, str] = field(default_factory=dict)

    def property_name(self, kwarg: str) -> str:
        return self.renames.get(kwarg) or pascal(kwarg)

    @property
    def source_type(self) -> str:
        module, _, cls = self.token.rpartition(".")
        return f"aws:{module.rstrip('_')}/{cls[:1].lower()}{cls[1:]}:{cls}"


@cache
def _table() -> dict[str, list]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


def type_info(package: str, module: str, cls: str) -> TypeInfo:
    """The type of ``package.module.Class`` (``pulumi_aws``, ``rds``, ``Cluster``)."""
    token = f"{module}.{cls}" if module else cls
    if package == "pulumi_aws":
        row = _table().get(token)
        if row is not None:
            return TypeInfo(token, row[0], row[1], dict(row[2]))
    namespace = PACKAGES.get(package, package)
    if not module or module == "index":
        return TypeInfo(token, f"Pulumi::{namespace}::{cls}", None)
    return TypeInfo(token, f"Pulumi::{namespace}::{pascal(module.rstrip('_'))}::{cls}", None)


def pascal(name: str) -> str:
    """``db_subnet_group_name`` -> ``DBSubnetGroupName``; ``roleArn`` -> ``RoleArn``."""
    if "_" not in name:
        return name[:1].upper() + name[1:]
    return "".join(_TOKENS.get(part, part[:1].upper() + part[1:]) for part in name.split("_") if part)


def known_types() -> int:
    return len(_table())
