"""L2 keywords that reach CloudFormation under another name or in another shape, for the
properties rules read (``FifoQueue``, ``DeletionProtection*``, ``RetentionInDays``,
``BillingMode``, ``MasterUserPassword``, ``SecretString``, ...).

The generated table keeps L2 keywords only where CloudFormation has the same name and value
shape; each entry here says how CDK renders one keyword (its source is the construct's
implementation in aws-cdk-lib 2.275), and :func:`defaults` the properties CDK writes when the
keyword is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analyzer.model import Concat, Literal, Location, Unknown, Value
from analyzer.python.values import EValue, ExternalObj, Obj, to_value
from plugins.cdk import tables


@dataclass(eq=False, slots=True)
class CredentialsObj(Obj):
    """``rds.Credentials.from_password(username, password)`` and friends."""

    username: EValue | None
    password: EValue | None  # None: CDK generates a secret

    def hint(self) -> str:
        return "rds.Credentials"


Converter = Callable[[EValue], dict[str, Value] | None]


def _same(prop: str) -> Converter:
    return lambda value: {prop: to_value(value)}


def _flag(prop: str, on: object, off: object) -> Converter:
    def convert(value: EValue) -> dict[str, Value] | None:
        if isinstance(value, Literal) and isinstance(value.value, bool):
            return {prop: Literal(on if value.value else off, value.origin, value.location)}
        return {prop: to_value(value)}

    return convert


def _member(prop: str, members: dict[str, object]) -> Converter:
    """An enum member (``BillingMode.PAY_PER_REQUEST``) to the value CDK renders for it."""

    def convert(value: EValue) -> dict[str, Value] | None:
        if isinstance(value, ExternalObj):
            member = value.qualname.rsplit(".", 1)[-1]
            if member in members:
                rendered = members[member]
                return {} if rendered is None else {prop: Literal(rendered)}
        return {prop: Unknown(f"{prop} from a value the model does not read", hint=_hint(value))}

    return convert


def _load_balancer_protection(value: EValue) -> dict[str, Value] | None:
    # aws-elasticloadbalancingv2/lib/shared/base-load-balancer.ts: setAttribute(
    # 'deletion_protection.enabled', 'true') when deletionProtection is true.
    if isinstance(value, Literal) and value.value is True:
        entry = Literal({"Key": Literal("deletion_protection.enabled"), "Value": Literal("true")})
        return {"LoadBalancerAttributes": Literal((entry,), value.origin, value.location)}
    return None


def _credentials(value: EValue) -> dict[str, Value] | None:
    # aws-rds/lib/cluster.ts, instance.ts: MasterUsername/MasterUserPassword from the credentials;
    # a generated secret is a dynamic reference, never a literal.
    if not isinstance(value, CredentialsObj):
        return None
    found: dict[str, Value] = {}
    if value.username is not None:
        found["MasterUsername"] = to_value(value.username)
    found["MasterUserPassword"] = (
        to_value(value.password)
        if value.password is not None
        else Unknown("a password CDK generates into Secrets Manager", hint="generated secret")
    )
    return found


def _hint(value: EValue) -> str | None:
    return value.hint() if isinstance(value, Obj) else None


# aws-logs/lib/log-group.ts RetentionDays: the member's value in days; INFINITE leaves it out.
_RETENTION_DAYS: dict[str, object] = {
    "ONE_DAY": 1,
    "THREE_DAYS": 3,
    "FIVE_DAYS": 5,
    "ONE_WEEK": 7,
    "TWO_WEEKS": 14,
    "ONE_MONTH": 30,
    "TWO_MONTHS": 60,
    "THREE_MONTHS": 90,
    "FOUR_MONTHS": 120,
    "FIVE_MONTHS": 150,
    "SIX_MONTHS": 180,
    "ONE_YEAR": 365,
    "THIRTEEN_MONTHS": 400,
    "EIGHTEEN_MONTHS": 545,
    "TWO_YEARS": 731,
    "THREE_YEARS": 1096,
    "FIVE_YEARS": 1827,
    "SIX_YEARS": 2192,
    "SEVEN_YEARS": 2557,
    "EIGHT_YEARS": 2922,
    "NINE_YEARS": 3288,
    "TEN_YEARS": 3653,
    "INFINITE": None,
}

# (class, keyword) -> converter; classes are matched along the library lineage.
RENAMES: dict[tuple[str, str], Converter] = {
    # aws-sqs/lib/queue.ts: fifoQueue: props.fifo
    ("aws_cdk.aws_sqs.Queue", "fifo"): _same("FifoQueue"),
    # aws-dynamodb/lib/table.ts: deletionProtectionEnabled: props.deletionProtection
    ("aws_cdk.aws_dynamodb.Table", "deletion_protection"): _same("DeletionProtectionEnabled"),
    ("aws_cdk.aws_dynamodb.Table", "billing_mode"): _member(
        "BillingMode", {"PAY_PER_REQUEST": "PAY_PER_REQUEST", "PROVISIONED": "PROVISIONED"}
    ),
    # aws-dynamodb/lib/table-v2.ts: the replica's deletionProtectionEnabled
    ("aws_cdk.aws_dynamodb.TableV2", "deletion_protection"): _same("DeletionProtectionEnabled"),
    # aws-cognito/lib/user-pool.ts: deletionProtection: props.deletionProtection ? 'ACTIVE' : 'INACTIVE'
    ("aws_cdk.aws_cognito.UserPool", "deletion_protection"): _flag(
        "DeletionProtection", "ACTIVE", "INACTIVE"
    ),
    ("aws_cdk.aws_elasticloadbalancingv2.ApplicationLoadBalancer", "deletion_protection"): (
        _load_balancer_protection
    ),
    ("aws_cdk.aws_elasticloadbalancingv2.NetworkLoadBalancer", "deletion_protection"): (
        _load_balancer_protection
    ),
    # aws-logs/lib/log-group.ts: retentionInDays from RetentionDays
    ("aws_cdk.aws_logs.LogGroup", "retention"): _member("RetentionInDays", _RETENTION_DAYS),
    # aws-events/lib/rule.ts: name: this.physicalName (ruleName)
    ("aws_cdk.aws_events.Rule", "rule_name"): _same("Name"),
    # aws-lambda/lib/function.ts getLoggingConfig: loggingConfig.logGroup: logGroup.logGroupName
    ("aws_cdk.aws_lambda.Function", "log_group"): lambda value: {
        "LoggingConfig": Literal({"LogGroup": to_value(value)})
    },
    # aws-s3/lib/bucket.ts parseServerAccessLogs: loggingConfiguration.destinationBucketName
    ("aws_cdk.aws_s3.Bucket", "server_access_logs_bucket"): lambda value: {
        "LoggingConfiguration": Literal({"DestinationBucketName": to_value(value)})
    },
    ("aws_cdk.aws_rds.DatabaseCluster", "credentials"): _credentials,
    ("aws_cdk.aws_rds.DatabaseInstance", "credentials"): _credentials,
    ("aws_cdk.aws_rds.ServerlessCluster", "credentials"): _credentials,
    # aws-secretsmanager/lib/secret.ts: secretString: props.secretStringValue?.unsafeUnwrap()
    ("aws_cdk.aws_secretsmanager.Secret", "secret_string_value"): _same("SecretString"),
}


def converter(cls: str, keyword: str) -> Converter | None:
    for owner in tables.lineage(cls):
        found = RENAMES.get((owner, keyword))
        if found is not None:
            return found
    return None


def defaults(cls: str, kwargs: dict[str, Any], location: Location) -> dict[str, Value]:
    """Properties CDK writes when the keyword is absent."""
    lineage = tables.lineage(cls)
    found: dict[str, Value] = {}
    if "aws_cdk.aws_logs.LogGroup" in lineage and "retention" not in kwargs:
        found["RetentionInDays"] = Literal(731, location=location)  # RetentionDays.TWO_YEARS
    if "aws_cdk.aws_sqs.Queue" in lineage and "fifo" not in kwargs:
        # aws-sqs/lib/queue.ts determineFifoProps: a literal name ending in .fifo, or content-based
        # deduplication, makes the queue FIFO.
        name = to_value(kwargs["queue_name"]) if "queue_name" in kwargs else None
        ending = name.parts[-1] if isinstance(name, Concat) and name.parts else name
        dedup = kwargs.get("content_based_deduplication")
        if (
            isinstance(ending, Literal) and isinstance(ending.value, str) and ending.value.endswith(".fifo")
        ) or (isinstance(dedup, Literal) and dedup.value is True):
            found["FifoQueue"] = Literal(True, location=location)
    return found
