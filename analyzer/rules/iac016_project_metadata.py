"""IAC016 project-metadata: ``metadata.json`` against what the plugins found in the project.

:func:`metadata_check` computes the comparison as plain data (the review checklist shows it);
the rule turns its disagreements into findings. Rules never read files: the plugins hand over
``metadata.json`` as ``Project.metadata``, so findings point at ``metadata.json`` line 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from analyzer.facts import MetadataCheck
from analyzer.findings import Finding, Severity
from analyzer.model import Literal, Location, Project, Value
from analyzer.rules.base import Example, Rule, RuleContext

METADATA_FILE = "metadata.json"
# The fields every metadata.json in the review reports carries (seeds 000-002); po_id and
# turn_type are not in every one, so they are not required by default.
DEFAULT_REQUIRED = ("platform", "language", "complexity", "aws_services")

# metadata.json platform tokens -> the plugin platform that reads such a project (TAP layout
# conventions: "cfn" for CloudFormation; "tf"/"cdktf" have no plugin, so they always disagree).
PLATFORM_TOKENS: dict[str, str | None] = {
    "pulumi": "pulumi",
    "cdk": "cdk",
    "cfn": "cloudformation",
    "cloudformation": "cloudformation",
    "tf": None,
    "terraform": None,
    "cdktf": None,
}
_PLATFORM_TITLES = {
    "pulumi": "a Pulumi program",
    "cdk": "a CDK app",
    "cloudformation": "a CloudFormation template",
}
_PYTHON = frozenset({"py", "python"})
_TEMPLATE_LANGUAGES = frozenset({"yaml", "yml", "json"})

# Service names as metadata.json spells them (normalized: lowercase letters and digits, without a
# leading "amazon"/"aws") -> CloudFormation type prefixes of their resources. Source: the AWS
# resource and property types reference (one namespace per service); Aurora is RDS's cluster type.
SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "s3": ("AWS::S3::",),
    "dynamodb": ("AWS::DynamoDB::",),
    "lambda": ("AWS::Lambda::", "AWS::Serverless::Function"),
    "sqs": ("AWS::SQS::",),
    "sns": ("AWS::SNS::",),
    "iam": ("AWS::IAM::", "Pulumi::AWS::IAM::"),
    "secretsmanager": ("AWS::SecretsManager::", "Pulumi::AWS::SecretsManager::"),
    "cloudwatch": ("AWS::CloudWatch::", "AWS::Logs::", "Pulumi::AWS::CloudWatch::"),
    "cloudwatchlogs": ("AWS::Logs::",),
    "rds": ("AWS::RDS::",),
    "aurora": ("AWS::RDS::DBCluster",),
    "dms": ("AWS::DMS::",),
    "apigateway": ("AWS::ApiGateway::", "AWS::ApiGatewayV2::", "Pulumi::AWS::ApiGateway::"),
    "ec2": ("AWS::EC2::",),
    "vpc": ("AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::InternetGateway", "AWS::EC2::NatGateway"),
    "ecs": ("AWS::ECS::",),
    "fargate": ("AWS::ECS::",),
    "ecr": ("AWS::ECR::",),
    "eks": ("AWS::EKS::",),
    "stepfunctions": ("AWS::StepFunctions::",),
    "eventbridge": ("AWS::Events::", "AWS::Scheduler::", "AWS::Pipes::", "Pulumi::AWS::CloudWatch::Event"),
    "eventbridgescheduler": ("AWS::Scheduler::",),
    "kms": ("AWS::KMS::",),
    "cloudfront": ("AWS::CloudFront::",),
    "route53": ("AWS::Route53::",),
    "elb": ("AWS::ElasticLoadBalancingV2::", "AWS::ElasticLoadBalancing::"),
    "alb": ("AWS::ElasticLoadBalancingV2::",),
    "elasticloadbalancing": ("AWS::ElasticLoadBalancingV2::", "AWS::ElasticLoadBalancing::"),
    "cognito": ("AWS::Cognito::",),
    "kinesis": ("AWS::Kinesis::", "AWS::KinesisFirehose::"),
    "firehose": ("AWS::KinesisFirehose::",),
    "kinesisfirehose": ("AWS::KinesisFirehose::",),
    "elasticache": ("AWS::ElastiCache::",),
    "ssm": ("AWS::SSM::",),
    "systemsmanager": ("AWS::SSM::",),
    "glue": ("AWS::Glue::",),
    "athena": ("AWS::Athena::",),
    "efs": ("AWS::EFS::",),
    "waf": ("AWS::WAFv2::", "AWS::WAF::"),
    "wafv2": ("AWS::WAFv2::",),
    "guardduty": ("AWS::GuardDuty::",),
    "config": ("AWS::Config::",),
    "cloudtrail": ("AWS::CloudTrail::",),
    "codepipeline": ("AWS::CodePipeline::",),
    "codebuild": ("AWS::CodeBuild::",),
    "batch": ("AWS::Batch::",),
    "opensearch": ("AWS::OpenSearchService::", "AWS::Elasticsearch::"),
    "redshift": ("AWS::Redshift::",),
    "neptune": ("AWS::Neptune::",),
    "documentdb": ("AWS::DocDB::",),
    "docdb": ("AWS::DocDB::",),
    "msk": ("AWS::MSK::",),
    "mq": ("AWS::AmazonMQ::",),
    "appsync": ("AWS::AppSync::",),
    "sagemaker": ("AWS::SageMaker::",),
    "backup": ("AWS::Backup::",),
    "xray": ("AWS::XRay::",),
    "acm": ("AWS::CertificateManager::",),
    "certificatemanager": ("AWS::CertificateManager::",),
    "ses": ("AWS::SES::",),
    "autoscaling": ("AWS::AutoScaling::", "AWS::ApplicationAutoScaling::"),
    "securityhub": ("AWS::SecurityHub::",),
    "mediaconvert": ("AWS::MediaConvert::",),
}
# Services almost every project uses through companions (roles, log groups, keys, networking):
# their absence from aws_services says nothing.
SUPPORTING = frozenset({"iam", "cloudwatch", "cloudwatchlogs", "kms", "ec2", "vpc", "ssm", "systemsmanager"})


# boto3 client names (botocore service ids) -> the SERVICE_TYPES keys they count as using, where
# they differ from the client name. Source: botocore's service model directory names.
SDK_CLIENTS: dict[str, tuple[str, ...]] = {
    "scheduler": ("eventbridge", "eventbridgescheduler"),
    "events": ("eventbridge",),
    "pipes": ("eventbridge",),
    "logs": ("cloudwatch", "cloudwatchlogs"),
    "apigatewayv2": ("apigateway",),
    "elbv2": ("elb", "alb", "elasticloadbalancing"),
    "firehose": ("firehose", "kinesisfirehose", "kinesis"),
    "opensearch": ("opensearch",),
    "es": ("opensearch",),
    "cognito-idp": ("cognito",),
    "docdb": ("documentdb", "docdb"),
    "sesv2": ("ses",),
    "rds-data": ("rds", "aurora"),
}


# IAM action prefixes (service authorization reference) -> SERVICE_TYPES keys, where they differ
# from the prefix itself and from the SDK client names above.
IAM_PREFIXES: dict[str, tuple[str, ...]] = {
    "states": ("stepfunctions",),
    "elasticloadbalancing": ("elb", "alb", "elasticloadbalancing"),
    "execute-api": ("apigateway",),
    "kafka": ("msk",),
    "cognito-identity": ("cognito",),
}


def granted_services(project: Project) -> set[str]:
    """SERVICE_TYPES keys whose actions an IAM statement of the project allows (``ses:SendEmail``):
    the project uses that service even when it creates nothing of it (sends mail, reads a
    parameter, calls an existing API)."""
    used: set[str] = set()
    for resource in project.resources:
        for value in resource.properties.values():
            for action in _allowed_actions(value):
                prefix = action.split(":", 1)[0].lower()
                used.update(IAM_PREFIXES.get(prefix) or SDK_CLIENTS.get(prefix) or (prefix,))
    return used


def _allowed_actions(value: Value, depth: int = 0) -> Iterator[str]:
    """Literal ``service:Action`` strings of the Allow statements inside ``value``."""
    if depth > 40 or not isinstance(value, Literal):
        return
    inner = value.value
    if isinstance(inner, tuple):
        for item in inner:
            yield from _allowed_actions(item, depth + 1)
    elif isinstance(inner, dict):
        effect, action = inner.get("Effect"), inner.get("Action")
        if isinstance(effect, Literal) and effect.value == "Allow" and isinstance(action, Literal):
            listed = action.value if isinstance(action.value, tuple) else (action,)
            for item in listed:
                if isinstance(item, Literal) and isinstance(item.value, str) and ":" in item.value:
                    yield item.value
        for item in inner.values():
            yield from _allowed_actions(item, depth + 1)


def sdk_services(project: Project) -> set[str]:
    """SERVICE_TYPES keys the project's function code calls through the SDK (it uses, not creates, them)."""
    used: set[str] = set()
    for resource in project.resources:
        for call in resource.code.sdk_calls if resource.code else ():
            used.update(SDK_CLIENTS.get(call.service, (call.service,)))
    return used


# A CloudFormation type name written as the service ("AWS::S3::Bucket"): its namespace names it.
_TYPE_NAME = re.compile(r"^\s*AWS::([A-Za-z0-9]+)::[A-Za-z0-9:]+\s*$")


def normalize_service(name: str) -> str:
    typed = _TYPE_NAME.match(name)
    if typed:
        name = typed.group(1)
    text = re.sub(r"[^a-z0-9]", "", name.lower())
    return re.sub(r"^(?:amazon|aws)(?=.)", "", text)


def detected_language(project: Project) -> str:
    if project.platform in ("pulumi", "cdk"):
        return "py"
    entry = (project.entry_point or "").lower()
    return "json" if entry.endswith(".json") else "yaml"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _neutral_type(resource_type: str) -> str:
    """Pulumi-only types (``Pulumi::AWS::Securityhub::Account``) compared in their service's
    CloudFormation namespace, case-insensitively (``AWS::SECURITYHUB::ACCOUNT``)."""
    if resource_type.startswith("Pulumi::AWS::"):
        resource_type = resource_type[len("Pulumi::") :]
    return resource_type.upper()


def _prefixes(key: str) -> tuple[str, ...]:
    return tuple(_neutral_type(prefix) for prefix in SERVICE_TYPES[key])


def _primary(resource_type: str, source_type: str) -> bool:
    # CDK companions ("aws_cdk.aws_lambda.Function#ServiceRole") come with another construct.
    return "#" not in source_type and not resource_type.upper().startswith("CUSTOM::")


def metadata_check(project: Project, required: Iterable[str] = DEFAULT_REQUIRED) -> MetadataCheck:
    metadata: Mapping[str, Any] = project.metadata or {}
    present = bool(metadata)
    platform, language = _text(metadata.get("platform")), _text(metadata.get("language"))
    detected = detected_language(project)
    platform_matches: bool | None = None
    if platform is not None:
        platform_matches = PLATFORM_TOKENS.get(platform.lower(), "?") == project.platform
    language_matches: bool | None = None
    if language is not None:
        spoken = language.lower()
        language_matches = spoken in (_PYTHON if detected == "py" else _TEMPLATE_LANGUAGES)
    missing = tuple(name for name in required if present and metadata.get(name) in (None, "", [], {}))
    named_raw = metadata.get("aws_services")
    named = [item for item in named_raw if isinstance(item, str)] if isinstance(named_raw, list) else []
    types = [(_neutral_type(r.type), r.source_type) for r in project.resources]
    without: list[str] = []
    unknown: list[str] = []
    called = sdk_services(project) | granted_services(project)
    named_keys: set[str] = set()
    for service in named:
        key = normalize_service(service)
        if key not in SERVICE_TYPES:
            unknown.append(service)
            continue
        prefixes = _prefixes(key)
        named_keys.add(key)
        if (
            key not in SUPPORTING
            and key not in called
            and not any(kind.startswith(prefixes) for kind, _ in types)
        ):
            without.append(service)
    covered = {prefix for key in named_keys for prefix in _prefixes(key)}
    not_listed: list[str] = []
    if named:
        for key in SERVICE_TYPES:
            prefixes = _prefixes(key)
            if key in SUPPORTING or key in named_keys or key in not_listed:
                continue
            used = [
                kind
                for kind, source in types
                if kind.startswith(prefixes)
                and _primary(kind, source)
                and not kind.startswith(tuple(covered))
            ]
            if used and not any(_prefixes(other) == prefixes for other in not_listed):
                not_listed.append(key)
    return MetadataCheck(
        present,
        platform,
        language,
        project.platform,
        detected,
        platform_matches,
        language_matches,
        missing,
        tuple(without),
        tuple(_dedupe_aliases(not_listed)),
        tuple(unknown),
    )


def _dedupe_aliases(keys: list[str]) -> list[str]:
    """Keep one name per set of type prefixes (alb/elb/elasticloadbalancing are one service)."""
    kept: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for key in keys:
        prefixes = SERVICE_TYPES[key]
        if any(set(prefixes) <= set(other) for other in seen):
            continue
        seen.add(prefixes)
        kept.append(key)
    return kept


class ProjectMetadata(Rule):
    """
    ## What it does
    Compares `metadata.json` with what the plugins found: its `platform` (`pulumi`, `cdk`,
    `cfn`) and `language` (`py` for Pulumi and CDK; `yaml`/`json` for a template) against the
    detected platform and language, the required fields (`platform`, `language`, `complexity`,
    `aws_services`; configurable with `required-fields` in
    `[tool.iacscan.rules.IAC016]`), and `aws_services` against the resources: a named service with
    no resource of its own (that no function calls through the SDK and no IAM statement allows
    actions of) is a note (the project may only use an existing one), and so is a service with resources that `aws_services` does not
    name (roles, logs, keys and networking are not asked for). Names the table does not know are not judged. Without `metadata.json`
    the rule says nothing.

    ## Why is this bad
    Review pipelines check "Platform/Language compliance" against `metadata.json` first: a
    `cdk`/`py` task answered with a Pulumi program fails review however good the code is, and a
    missing field fails the metadata checkpoint.

    ## Example
    ```json
    {"platform": "cdk", "language": "py", "complexity": "hard", "turn_type": "single",
     "aws_services": ["S3", "Lambda"]}
    ```
    for a project whose `tap.py` is a Pulumi program.

    ## Use instead
    ```json
    {"platform": "pulumi", "language": "py", "complexity": "hard", "turn_type": "single",
     "aws_services": ["S3", "Lambda"]}
    ```
    or rewrite the project for the platform the task asks for.
    """

    id = "IAC016"
    name = "project-metadata"
    severity = Severity.WARNING
    summary = "metadata.json disagrees with the project's platform, language, fields or services"
    tags = ("metadata", "review")
    VALID = [
        Example.cfn_yaml(
            """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
            """,
            **{
                "metadata.json": '{"platform": "cfn", "language": "yaml", "complexity": "medium", '
                '"turn_type": "single", "aws_services": ["SQS", "IAM"]}'
            },
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.s3.Bucket("data")
            """,
            **{
                "metadata.json": '{"platform": "pulumi", "language": "py", "complexity": "hard", '
                '"turn_type": "single", "aws_services": ["Amazon S3"]}'
            },
        ),
    ]
    INVALID = [
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.s3.Bucket("data")
            """,
            **{
                "metadata.json": '{"platform": "cdk", "language": "py", "complexity": "hard", '
                '"turn_type": "single", "aws_services": ["S3"]}  // expect: IAC016'
            },
            title="a CDK task answered in Pulumi",
        ),
        Example.cfn_json(
            """
            {"Resources": {"Table": {"Type": "AWS::DynamoDB::Table"}}}
            """,
            **{"metadata.json": '{"platform": "cfn", "language": "yaml"}  // expect: IAC016'},
            title="JSON template, metadata says yaml; fields missing; DynamoDB not listed",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        required = ctx.options.get("required-fields", DEFAULT_REQUIRED)
        if not isinstance(required, (list, tuple)):
            required = DEFAULT_REQUIRED
        result = metadata_check(project, [str(item) for item in required])
        if not result.present:
            return
        where = Location(METADATA_FILE, 1)
        title = _PLATFORM_TITLES.get(project.platform, project.platform)
        if result.platform_matches is False:
            yield self.finding(
                f"metadata.json says platform '{result.platform}' but the project is {title}",
                where,
                f"set \"platform\" to the project's platform, or rewrite the project for '{result.platform}'",
                key=f"platform:{result.platform}:{project.platform}",
            )
        if result.language_matches is False:
            yield self.finding(
                f"metadata.json says language '{result.language}' but the project is written in "
                f"{result.detected_language}",
                where,
                f'set "language" to "{result.detected_language}"',
                key=f"language:{result.language}:{result.detected_language}",
            )
        if result.missing_fields:
            fields = ", ".join(result.missing_fields)
            yield self.finding(
                f"metadata.json lacks required fields: {fields}",
                where,
                f"add {fields} to metadata.json",
                key=f"fields:{fields}",
            )
        if result.services_without_resources:
            names = ", ".join(result.services_without_resources)
            yield self.finding(
                f"metadata.json lists {names} in aws_services, but the project creates no resource of "
                f"{'that service' if len(result.services_without_resources) == 1 else 'those services'}",
                where,
                "remove services the project does not create from aws_services (keep those it only uses "
                "through existing resources, and suppress this note)",
                key=f"unused:{names}",
                severity=Severity.NOTE,
            )
        if result.services_not_listed:
            names = ", ".join(result.services_not_listed)
            yield self.finding(
                f"the project creates resources of {names}, which aws_services in metadata.json does not list",
                where,
                "add the services the project creates to aws_services",
                key=f"unlisted:{names}",
                severity=Severity.NOTE,
            )
