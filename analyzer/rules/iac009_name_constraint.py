"""IAC009 name-constraint: a physical name AWS rejects once the environment suffix is in it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer import awsdata
from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Origin, Project, Resource, Value, literal_of, render
from analyzer.rules.base import Example, Rule, RuleContext

# The pipelines that deploy these repositories set the suffix per pull request (`pr2694`) or per
# synthetic task (`synth291421`, `synthtrainr157`, `synth6545483050`: up to 15 characters seen in
# their READMEs and CI logs). A name that fits with 15 but not with some longer suffix is not
# reported: the analysis would be guessing. The option raises it for pipelines with longer ones.
DEFAULT_SUFFIX_LENGTH = 15
# Lower bounds for unknown parts whose length AWS fixes: account ids are 12 digits, and no region
# name is shorter than 9 characters (us-east-1, eu-west-1). Other unknown parts count as empty,
# so a length finding never rests on a guess about them.
_ACCOUNT_LENGTH = 12
_REGION_MIN_LENGTH = 9


@dataclass(frozen=True, slots=True)
class NameRule:
    prop: str  # the CloudFormation property that holds the physical name
    max_length: int | None  # None: the provider schema's maxLength alone
    source: str
    allowed: str | None = None  # regex character-class body of the only characters allowed
    allowed_text: str = ""


# Limits the provider schemas do not state (or state as a pattern only), each from the service's
# documentation of its create call. The schema's own maxLength and pattern also apply.
NAME_RULES: Mapping[str, NameRule] = {
    "AWS::S3::Bucket": NameRule(
        "BucketName",
        63,
        "S3 bucket naming rules: 3-63 characters, lowercase letters, numbers, dots and hyphens",
        allowed=r"a-z0-9.\-",
        allowed_text="a-z, 0-9, '.' and '-'",
    ),
    "AWS::ECR::Repository": NameRule(
        "RepositoryName",
        256,
        "ECR CreateRepository: 2-256 characters, lowercase letters, numbers, '.', '_', '-' and '/'",
        allowed=r"a-z0-9._/\-",
        allowed_text="a-z, 0-9, '.', '_', '-' and '/'",
    ),
    "AWS::IAM::Role": NameRule("RoleName", 64, "IAM CreateRole: RoleName, 1-64 characters"),
    "AWS::IAM::User": NameRule("UserName", 64, "IAM CreateUser: UserName, 1-64 characters"),
    "AWS::IAM::Group": NameRule("GroupName", 128, "IAM CreateGroup: GroupName, 1-128 characters"),
    "AWS::IAM::Policy": NameRule("PolicyName", 128, "IAM PutRolePolicy: PolicyName, 1-128 characters"),
    "AWS::IAM::ManagedPolicy": NameRule(
        "ManagedPolicyName", 128, "IAM CreatePolicy: PolicyName, 1-128 characters"
    ),
    "AWS::IAM::InstanceProfile": NameRule(
        "InstanceProfileName", 128, "IAM CreateInstanceProfile: 1-128 characters"
    ),
    "AWS::Lambda::Function": NameRule(
        "FunctionName", 64, "Lambda CreateFunction: function name up to 64 characters"
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": NameRule(
        "Name", 32, "ELBv2 CreateLoadBalancer: at most 32 characters"
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": NameRule(
        "Name", 32, "ELBv2 CreateTargetGroup: at most 32 characters"
    ),
    "AWS::ElasticLoadBalancing::LoadBalancer": NameRule(
        "LoadBalancerName", 32, "ELB CreateLoadBalancer: at most 32 characters"
    ),
    "AWS::SQS::Queue": NameRule("QueueName", 80, "SQS CreateQueue: up to 80 characters, '.fifo' included"),
    "AWS::SNS::Topic": NameRule("TopicName", 256, "SNS CreateTopic: up to 256 characters"),
    "AWS::DynamoDB::Table": NameRule("TableName", 255, "DynamoDB CreateTable: TableName, 3-255 characters"),
    "AWS::RDS::DBCluster": NameRule("DBClusterIdentifier", 63, "RDS CreateDBCluster: 1-63 characters"),
    "AWS::RDS::DBInstance": NameRule("DBInstanceIdentifier", 63, "RDS CreateDBInstance: 1-63 characters"),
    "AWS::StepFunctions::StateMachine": NameRule(
        "StateMachineName", 80, "Step Functions CreateStateMachine: 1-80 characters"
    ),
    "AWS::Events::Rule": NameRule("Name", 64, "EventBridge PutRule: Name, 1-64 characters"),
    # SAM resources become the resources above with the same name (the transform copies it).
    "AWS::Serverless::Function": NameRule(
        "FunctionName", 64, "Lambda CreateFunction: function name up to 64 characters"
    ),
    "AWS::Serverless::StateMachine": NameRule(
        "Name", 80, "Step Functions CreateStateMachine: 1-80 characters"
    ),
    "AWS::Serverless::SimpleTable": NameRule(
        "TableName", 255, "DynamoDB CreateTable: TableName, 3-255 characters"
    ),
}

_FIFO_SUFFIX = ".fifo"


def name_property(resource: Resource) -> str | None:
    """The CloudFormation property holding ``resource``'s physical name, if any is known."""
    rule = NAME_RULES.get(resource.type)
    if resource.name_property and resource.name_property in resource.properties:
        return resource.name_property
    return rule.prop if rule else resource.name_property


@dataclass(frozen=True, slots=True)
class _Measure:
    length: int  # a lower bound, with the suffix at its configured worst case
    known: bool  # every part is a literal: ``length`` is exact
    assumed_suffix: bool  # the suffix was counted at the configured length


class NameConstraint(Rule):
    """
    ## What it does
    Checks physical names (`BucketName`, `RoleName`, `FunctionName`, ... and the Pulumi/CDK
    arguments the plugins map to them) against what AWS accepts, computed on the symbolic name, so
    `f"{project}-{service}-processing-lambda-{suffix}"` is caught before a long suffix makes it 65
    characters:

    * length limits: S3 buckets 63, IAM roles and users 64, IAM policies 128, Lambda functions 64,
      load balancers and target groups 32, SQS queues 80, ... (a table with the AWS source of each,
      plus the provider schema's `maxLength`);
    * S3 bucket (and ECR repository) names with uppercase letters (including `${AWS::StackName}`,
      which is `TapStack...` in these pipelines), underscores or other characters not allowed;
    * SQS FIFO queues whose name does not end in `.fifo`;
    * the provider schema's `pattern` for the name, when the whole name is known.

    Lengths count the environment suffix at `suffix-length` characters (option, default 15, the
    longest suffix these pipelines were seen to use, such as `synth6545483050`), an
    account id at 12 and a region at 9 (the shortest); any other unknown part counts as empty, so
    the reported length is a lower bound. A suffix already resolved to its default (`dev`) counts
    at `suffix-length` too.

    ## Why is this bad
    The create call fails (`Bucket name should not contain uppercase characters`, `1 validation
    error detected: Value '...' at 'functionName' failed to satisfy constraint: Member must have
    length less than or equal to 64`) in the environments whose suffix is long, typically the
    pull-request deployments.

    ## Example
    ```python
    aws.lambda_.Function("processor", name=f"{project}-{service}-processing-lambda-{suffix}", ...)
    aws.s3.Bucket("data", bucket=f"{pulumi.get_stack()}-data")
    ```

    ## Use instead
    ```python
    aws.lambda_.Function("processor", name=f"{service}-proc-{suffix}", ...)
    aws.s3.Bucket("data", bucket=f"{pulumi.get_stack().lower()}-data")
    ```
    """

    id = "IAC009"
    name = "name-constraint"
    severity = Severity.ERROR
    summary = "a physical name AWS rejects (length, characters, pattern) once the suffix is added"
    tags = ("naming", "deploy-failure", "aws-data")

    VALID = [
        Example.cfn_yaml(
            """
            Parameters:
              EnvironmentSuffix:
                Type: String
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: !Sub "tap-data-${EnvironmentSuffix}-${AWS::AccountId}"
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  FifoQueue: true
                  QueueName: !Sub "orders-${EnvironmentSuffix}.fifo"
            """,
            title="short names, lowercase, .fifo",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.s3.Bucket(f"data-{args.environment_suffix}", bucket=f"tap-data-{args.environment_suffix}")
                    aws.sqs.Queue(
                        f"orders-{args.environment_suffix}",
                        name=f"orders-{args.environment_suffix}.fifo",
                        fifo_queue=True,
                    )
            """,
            title="Pulumi names with room for the suffix",
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Parameters:
              EnvironmentSuffix:
                Type: String
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: !Sub "${AWS::StackName}-artifacts"  # expect: IAC009
              Processor:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: !Sub "payment-transaction-settlement-processing-handler-${EnvironmentSuffix}"  # expect: IAC009
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  FifoQueue: true
                  QueueName: !Sub "orders-${EnvironmentSuffix}"  # expect: IAC009
            """,
            title="stack name in a bucket name, a long function name, a FIFO queue without .fifo",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.s3.Bucket(
                        f"bucket-{args.environment_suffix}",
                        bucket=f"Tap_Data-{args.environment_suffix}",  # expect: IAC009
                    )
            """,
            title="uppercase and underscore in a bucket name",
        ),
        Example.cdk(
            """
            from aws_cdk import Stack, aws_s3 as s3


            class TapStack(Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    s3.Bucket(self, "Data", bucket_name=f"{self.stack_name}-data")  # expect: IAC009
            """,
            title="the stack name (TapStack...) in a bucket name",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        suffix_length = _int_option(ctx.options, "suffix-length", DEFAULT_SUFFIX_LENGTH)
        default_suffix = _default_suffix_length(ctx.project)
        for resource in ctx.project.resources:
            prop = name_property(resource)
            value = resource.name if resource.name is not None else (resource.prop(prop) if prop else None)
            if value is None or prop is None:
                continue
            yield from self._check_name(resource, prop, value, suffix_length, default_suffix)

    def _check_name(
        self, resource: Resource, prop: str, value: Value, suffix_length: int, default_suffix: int | None
    ) -> Iterator[Finding]:
        parts = _parts(value)
        if not any(isinstance(part, Literal) and isinstance(part.value, str) for part in parts) and not any(
            part.origin & (Origin.SUFFIX | Origin.MAYBE_UPPERCASE) for part in parts
        ):
            return  # nothing known about the name
        rule = NAME_RULES.get(resource.type)
        schema = awsdata.property_schema(resource.type, prop) or {}
        shown = render(value)
        # a name built from template parameters shows their defaults: say so
        defaults = " (with parameter defaults)" if value.origin & Origin.PARAMETER else ""
        where = resource.location_of(prop)
        label = f"{resource.type.rsplit('::', 1)[-1]} '{resource.id}'"
        reported = False

        limit = _limit(rule, schema)
        measure = _measure(value, parts, suffix_length, default_suffix)
        if limit is not None and measure.length > limit:
            qualifier = "" if measure.known and not measure.assumed_suffix else "at least "
            assumption = f" with a {suffix_length}-character suffix" if measure.assumed_suffix else ""
            source = f" ({rule.source})" if rule else ""
            yield self.finding(
                f"{label}: name '{shown}'{defaults} is {qualifier}{measure.length} characters{assumption}; "
                f"AWS allows {limit}{source}",
                where,
                f"shorten the fixed part of the name to leave room for a {suffix_length}-character suffix",
                resource=resource.id,
                key=f"length:{prop}:{shown}",
            )
            reported = True

        if rule is not None and rule.allowed:
            problem = _bad_characters(parts, rule.allowed)
            if problem:
                yield self.finding(
                    f"{label}: name '{shown}'{defaults} {problem}; AWS allows {rule.allowed_text}",
                    where,
                    "use lowercase text (for the stack name: a lowercase parameter or a fixed prefix)",
                    resource=resource.id,
                    key=f"charset:{prop}:{shown}",
                )
                reported = True

        if resource.type == "AWS::SQS::Queue":
            fifo = literal_of(resource.prop("FifoQueue"))
            last = parts[-1] if parts else None
            # The name's end must be known: literal text, or the environment suffix (an identifier
            # such as "pr123", never ".fifo"). Any other unknown end could supply ".fifo".
            if isinstance(last, Literal) and isinstance(last.value, str):
                ending: str | None = last.value
            elif last is not None and last.origin & Origin.SUFFIX:
                ending = "${suffix}"
            else:
                ending = None
            if _truthy(fifo) and ending is not None and not ending.endswith(_FIFO_SUFFIX):
                yield self.finding(
                    f"{label}: FIFO queue name '{shown}'{defaults} does not end in '.fifo'",
                    where,
                    "append '.fifo' to the queue name",
                    resource=resource.id,
                    key=f"fifo:{prop}:{shown}",
                )
                reported = True

        text = literal_of(value)
        pattern = schema.get("pattern")
        if not reported and isinstance(text, str) and isinstance(pattern, str):
            compiled = awsdata.compile_pattern(pattern)
            if compiled is not None and not compiled.search(text):
                yield self.finding(
                    f"{label}: name '{text}'{defaults} does not match the pattern AWS requires ({pattern})",
                    where,
                    "change the name to match the pattern",
                    resource=resource.id,
                    key=f"pattern:{prop}:{text}",
                )


def _parts(value: Value) -> tuple[Value, ...]:
    return value.parts if isinstance(value, Concat) else (value,)


def _limit(rule: NameRule | None, schema: Mapping[str, Any]) -> int | None:
    limits = [rule.max_length] if rule and rule.max_length else []
    schema_max = schema.get("maxLength")
    if isinstance(schema_max, int) and not isinstance(schema_max, bool):
        limits.append(schema_max)
    return min(limits) if limits else None


def _measure(
    value: Value, parts: tuple[Value, ...], suffix_length: int, default_suffix: int | None
) -> _Measure:
    length, known, assumed = 0, True, False
    for part in parts:
        if (
            isinstance(part, Literal)
            and isinstance(part.value, (str, int))
            and not isinstance(part.value, bool)
        ):
            length += len(str(part.value))
            continue
        known = False
        if part.origin & Origin.SUFFIX:
            length += suffix_length
            assumed = True
        elif part.origin & Origin.ACCOUNT:
            length += _ACCOUNT_LENGTH
        elif part.origin & Origin.REGION:
            length += _REGION_MIN_LENGTH
    if not assumed and value.origin & Origin.SUFFIX and default_suffix is not None:
        # the suffix was resolved to its default ("dev") inside a literal: count it at full length
        length += max(0, suffix_length - default_suffix)
        assumed = suffix_length > default_suffix
    return _Measure(length, known, assumed)


def _bad_characters(parts: tuple[Value, ...], allowed: str) -> str | None:
    """What in the name's known parts falls outside ``allowed``; a part that may be uppercase at
    deploy time (``AWS::StackName``) counts when capitals are not allowed."""
    lowercase_only = "A-Z" not in allowed
    for part in parts:
        if isinstance(part, Literal) and isinstance(part.value, str):
            bad = sorted(set(re.sub(f"[{allowed}]", "", part.value)))
            if not bad:
                continue
            if any(char.isupper() for char in bad):
                return f"contains uppercase letters ('{part.value}')"
            if "_" in bad:
                return f"contains an underscore ('{part.value}')"
            return "contains " + ", ".join(repr(char) for char in bad)
        if lowercase_only and part.origin & Origin.MAYBE_UPPERCASE:
            return (
                f"contains {render(part)}, which may have uppercase letters (stack names like 'TapStack...')"
            )
    return None


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _int_option(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _default_suffix_length(project: Project) -> int | None:
    """Length of the suffix's default value (the text a literal name contains when the suffix
    parameter's default was substituted), or None when there is none."""
    for name in project.suffix.names:
        text = literal_of(project.parameters.get(name))
        if isinstance(text, str):
            return len(text)
    return None
