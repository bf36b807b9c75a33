"""Keyword combinations an aws-cdk-lib construct refuses in its constructor (a ``ValidationError``
thrown while ``cdk synth`` runs the app), from the construct's own checks in aws-cdk-lib 2.275.

Each check is judged only on what the call writes out: a keyword given through ``**kwargs`` of
unknown keys, or with a value the evaluator does not know, says nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analyzer.model import Literal, Unknown
from analyzer.python.evaluator import CallSite
from analyzer.python.values import EValue, ExternalObj
from plugins.cdk import tables


def _given(site: CallSite, keyword: str) -> bool:
    """Written at the call with a value that is known not to be None (an aws-cdk-lib factory such
    as ``ec2.IpAddresses.cidr(...)`` always returns an object)."""
    value = site.kwargs.get(keyword)
    if value is None:
        return False
    if isinstance(value, Unknown):
        return bool(value.hint and value.hint.startswith("aws_cdk.") and value.hint.endswith("()"))
    return not (isinstance(value, Literal) and value.value is None)


def _is(site: CallSite, keyword: str, expected: object) -> bool:
    value = site.kwargs.get(keyword)
    return isinstance(value, Literal) and value.value is expected


def _member(site: CallSite, keyword: str, member: str) -> bool:
    value: EValue | None = site.kwargs.get(keyword)
    return isinstance(value, ExternalObj) and value.qualname.endswith("." + member)


@dataclass(frozen=True, slots=True)
class _Check:
    owner: str  # the class whose constructor throws (subclasses inherit the check)
    keywords: tuple[str, ...]  # the keywords the message is about (the first one is pointed at)
    applies: Callable[[CallSite], bool]
    message: str  # the construct's own words
    fix: str


# Source of each: the constructor of the class in aws-cdk-lib 2.275 (lib/*.ts of the module).
CHECKS: tuple[_Check, ...] = (
    # aws-s3/lib/bucket.ts: if (props.publicReadAccess) { if (props.blockPublicAccess === undefined) throw }
    _Check(
        "aws_cdk.aws_s3.Bucket",
        ("public_read_access",),
        lambda site: _is(site, "public_read_access", True) and "block_public_access" not in site.kwargs,
        "Cannot use 'publicReadAccess' property on a bucket without allowing bucket-level public access "
        "through 'blockPublicAccess' property.",
        "pass block_public_access= (e.g. s3.BlockPublicAccess.BLOCK_ACLS) with public_read_access=True, "
        "or serve the bucket through CloudFront and drop public_read_access",
    ),
    # aws-dynamodb/lib/table.ts validateProvisioning: PAY_PER_REQUEST with read/write capacity throws
    _Check(
        "aws_cdk.aws_dynamodb.Table",
        ("read_capacity", "write_capacity"),
        lambda site: (
            _member(site, "billing_mode", "PAY_PER_REQUEST")
            and (_given(site, "read_capacity") or _given(site, "write_capacity"))
        ),
        "you cannot provision read and write capacity for a table with PAY_PER_REQUEST billing mode",
        "drop read_capacity/write_capacity, or use BillingMode.PROVISIONED",
    ),
    # aws-lambda/lib/function.ts: if (props.logRetention) { if (props.logGroup) throw }
    _Check(
        "aws_cdk.aws_lambda.Function",
        ("log_retention", "log_group"),
        lambda site: _given(site, "log_retention") and _given(site, "log_group"),
        "CDK does not support setting logRetention and logGroup",
        "set the retention on the log group (logs.LogGroup(retention=...)) and drop log_retention",
    ),
    # aws-rds/lib/cluster.ts (DatabaseCluster, unless LIMITLESS): writer/readers exclude
    # instances/instanceProps, and one of writer or instanceProps is required
    _Check(
        "aws_cdk.aws_rds.DatabaseCluster",
        ("writer", "readers"),
        lambda site: (
            ("writer" in site.kwargs or "readers" in site.kwargs)
            and ("instances" in site.kwargs or "instance_props" in site.kwargs)
            and "cluster_scalability_type" not in site.kwargs
        ),
        "Cannot provide writer or readers if instances or instanceProps are provided",
        "keep writer=rds.ClusterInstance.provisioned(...) (and readers=) and drop instances/instance_props",
    ),
    _Check(
        "aws_cdk.aws_rds.DatabaseCluster",
        ("engine",),
        lambda site: not {"writer", "instance_props", "cluster_scalability_type"} & set(site.kwargs),
        "writer must be provided",
        'add writer=rds.ClusterInstance.provisioned("Writer", ...) (or serverless_v2(...))',
    ),
    # aws-apigateway/lib/restapi.ts: deployOptions without a deployment
    _Check(
        "aws_cdk.aws_apigateway.RestApi",
        ("deploy_options",),
        lambda site: _is(site, "deploy", False) and _given(site, "deploy_options"),
        "Cannot set 'deployOptions' if 'deploy' is disabled",
        "drop deploy_options, or let the API deploy (deploy=True)",
    ),
    # aws-ec2/lib/vpc.ts: if (props.ipAddresses && props.cidr) throw
    _Check(
        "aws_cdk.aws_ec2.Vpc",
        ("cidr", "ip_addresses"),
        lambda site: _given(site, "cidr") and _given(site, "ip_addresses"),
        "supply at most one of ipAddresses or cidr",
        "keep ip_addresses=ec2.IpAddresses.cidr(...) and drop the deprecated cidr=",
    ),
)


def construct_errors(qualname: str, site: CallSite) -> list[dict[str, Any]]:
    """Facts for the checks ``site`` fails (IAC008 reports them)."""
    cls = qualname.removesuffix(".__init__")
    if site.star_kwargs or not cls.startswith("aws_cdk."):
        return []
    lineage = tables.lineage(cls)
    facts = []
    for check in CHECKS:
        if check.owner not in lineage or not check.applies(site):
            continue
        keyword = next((k for k in check.keywords if k in site.kwargs), check.keywords[0])
        facts.append(
            {
                "resource": None,
                "call": site.location,
                "class": cls,
                "keyword": keyword,
                "location": site.arg_locations.get(keyword, site.location),
                "message": check.message,
                "fix": check.fix,
                "platform": "cdk",
            }
        )
    return facts
