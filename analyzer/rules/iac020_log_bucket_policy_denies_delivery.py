"""IAC020 log-bucket-policy-denies-delivery: a CloudTrail trail or a load balancer's access logs write
to a bucket of the project whose bucket policy does not let that service write."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from analyzer.findings import Finding, Related, Severity
from analyzer.iam import Resolver, Statement, allows, arn_matches, normalize_document, opaque_statement
from analyzer.model import (
    Concat,
    Literal,
    Location,
    Origin,
    Project,
    Ref,
    Resource,
    Unknown,
    Value,
    get_path,
    items_of,
    render,
)
from analyzer.rules.base import Example, Rule, RuleContext

_BUCKET = "AWS::S3::Bucket"
_BUCKET_POLICY = "AWS::S3::BucketPolicy"
# Bucket properties that hold the bucket's own policy document (Pulumi's ``Bucket(policy=...)``).
_INLINE_POLICY_PROPERTIES = ("Policy", "PolicyDocument")
# Attributes of a reference to a bucket that stand for its name (CloudFormation ``Ref``, Pulumi
# ``.id`` / ``.bucket``, CDK ``bucket_name``).
_NAME_ATTRIBUTES = (None, "Name", "Id", "Bucket", "BucketName")
# Resources that set a bucket's default encryption apart from the bucket (Pulumi).
_ENCRYPTION_TYPES = (
    "Pulumi::AWS::S3::BucketServerSideEncryptionConfigurationV2",
    "Pulumi::AWS::S3::BucketServerSideEncryptionConfiguration",
)
# The source type suffix of the bucket policy CDK creates itself (plugins/cdk/integrations.py).
_PLATFORM_POLICY_SUFFIX = "#Policy"
_ACCOUNT = Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId")
_OBJECT_KEY = Unknown("the key of the object the service writes", hint="<log object key>")

# The Elastic Load Balancing accounts that write access logs in the Regions opened before August
# 2022 (the "legacy" bucket policy names one of them as an AWS principal). Source: ELB user guide,
# "Enable access logs for your Application Load Balancer" (Step 2, Regions available before August
# 2022), the same table as aws-cdk-lib region-info fact-tables.ts ELBV2_ACCOUNTS.
ELB_ACCOUNTS = frozenset(
    {
        "098369216593",  # af-south-1
        "754344448648",  # ap-east-1
        "582318560864",  # ap-northeast-1
        "600734575887",  # ap-northeast-2
        "383597477331",  # ap-northeast-3
        "718504428378",  # ap-south-1
        "114774131450",  # ap-southeast-1
        "783225319266",  # ap-southeast-2
        "589379963580",  # ap-southeast-3
        "985666609251",  # ca-central-1
        "638102146993",  # cn-north-1
        "037604701340",  # cn-northwest-1
        "054676820928",  # eu-central-1
        "897822967062",  # eu-north-1
        "635631232127",  # eu-south-1
        "156460612806",  # eu-west-1
        "652711504416",  # eu-west-2
        "009996457667",  # eu-west-3
        "076674570225",  # me-south-1
        "507241528517",  # sa-east-1
        "127311923021",  # us-east-1
        "033677994240",  # us-east-2
        "190560391635",  # us-gov-east-1
        "048591011584",  # us-gov-west-1
        "027434742980",  # us-west-1
        "797873946194",  # us-west-2
    }
)


@dataclass(frozen=True, slots=True)
class _Writer:
    """What one service checks in the bucket policy when the delivering resource is created."""

    noun: str
    writes: str  # what the resource does with the bucket, for the message
    principal: str  # the service principal the fix names
    accepted_services: frozenset[str]  # service principals whose grant counts
    accepted_accounts: frozenset[str]  # AWS accounts whose grant counts
    checked: tuple[tuple[str, bool], ...]  # (action, on the log objects: True; on the bucket: False)
    context: Mapping[str, str]  # request keys known for the service's own write
    call: str
    error: str
    source: str
    fix_condition: Mapping[str, object] | None = None


# CloudTrail: CreateTrail checks that the policy lets cloudtrail.amazonaws.com read the bucket ACL and
# put objects under <prefix>/AWSLogs/<account>/; it writes with the bucket-owner-full-control ACL,
# so a statement with that condition counts, and one without (which grants more) counts too.
# Source: CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail"
# (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
_CLOUDTRAIL = _Writer(
    noun="CloudTrail trail",
    writes="delivers its log files to",
    principal="cloudtrail.amazonaws.com",
    accepted_services=frozenset({"cloudtrail.amazonaws.com"}),
    accepted_accounts=frozenset(),
    checked=(("s3:GetBucketAcl", False), ("s3:PutObject", True)),
    context={"s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "true"},
    call="CreateTrail",
    error="InsufficientS3BucketPolicyException: Incorrect S3 bucket policy is detected for bucket",
    source="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
    fix_condition={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
)
# Elastic Load Balancing (Application and Classic Load Balancers): turning access logs on writes a
# test object, which needs s3:PutObject for the logdelivery.elasticloadbalancing.amazonaws.com
# service principal (accepted in every Region since September 2025) or the Region's ELB account
# (the legacy policy). delivery.logs.amazonaws.com is the Network Load Balancer's principal and
# does not let an ALB write. Sources: ELB user guide, "Enable access logs for your Application Load
# Balancer" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html)
# and "Document history for Classic Load Balancers" (September 10, 2025); the failure is
# "InvalidConfigurationRequest: Access Denied for bucket" (aws-cdk #5758,
# terraform-aws-modules/terraform-aws-s3-bucket #183).
_ELB = _Writer(
    noun="load balancer",
    writes="writes access logs to",
    principal="logdelivery.elasticloadbalancing.amazonaws.com",
    accepted_services=frozenset(
        {"logdelivery.elasticloadbalancing.amazonaws.com", "logdelivery.elb.amazonaws.com"}
    ),
    accepted_accounts=ELB_ACCOUNTS,
    checked=(("s3:PutObject", True),),
    context={"aws:SecureTransport": "true"},
    call="enabling access logs",
    error="InvalidConfigurationRequest: Access Denied for bucket: <bucket>. Please check S3bucket permission",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
)
# Principals a statement may name that are certainly none of the writers above.
_OTHER_SERVICE_PRINCIPALS = frozenset({"delivery.logs.amazonaws.com"})


@dataclass(frozen=True, slots=True)
class _Delivery:
    writer: _Writer
    source: Resource  # the trail or load balancer
    bucket: Resource
    prefix: Value | None  # the key prefix; None: none
    location: Location  # where the source names the bucket
    application: bool  # an Application Load Balancer (SSE-KMS buckets fail)


class LogBucketPolicyDeniesDelivery(Rule):
    """
    ## What it does
    Finds a CloudTrail trail (`AWS::CloudTrail::Trail`, Pulumi `aws.cloudtrail.Trail`, CDK
    `CfnTrail`) or a load balancer with access logs turned on (`access_logs.s3.enabled: "true"` in
    `LoadBalancerAttributes`, Pulumi `access_logs=LoadBalancerAccessLogsArgs(enabled=True, ...)` on
    `aws.lb.LoadBalancer` / `aws.alb.LoadBalancer`, a Classic Load Balancer's `AccessLoggingPolicy`)
    whose bucket is an S3 bucket of the project and whose bucket policy does not let that service
    write:

    * a trail needs `s3:GetBucketAcl` on the bucket and `s3:PutObject` on
      `<bucket>/<prefix>/AWSLogs/<account>/*` for `cloudtrail.amazonaws.com` (a statement with or
      without the documented `s3:x-amz-acl: bucket-owner-full-control` condition counts);
    * a load balancer needs `s3:PutObject` on `<bucket>/<prefix>/AWSLogs/<account>/*` for
      `logdelivery.elasticloadbalancing.amazonaws.com` or the Region's Elastic Load Balancing
      account (`arn:aws:iam::127311923021:root` in us-east-1, ...);
    * an Application Load Balancer also cannot log to a bucket whose default encryption is
      `aws:kms` (SSE-KMS): only SSE-S3 is supported.

    A bucket with no policy at all is reported, as is a policy that grants another principal only,
    the bucket ARN without `/*`, or another prefix. Statements are read with `Deny` winning,
    wildcards in actions and resources, `Principal: "*"`, and `aws:SecureTransport` conditions
    (the services write over TLS). The rule is silent when the bucket is not a resource of the
    project (a literal or parameter name), when a policy document or a statement's principal,
    resource or condition cannot be read (`aws:SourceArn` conditions, principals iacscan does not
    model, CDK's `arn_for_objects(...)`), when the bucket has several policies, when a policy's
    bucket cannot be identified, when the trail, load balancer, bucket or policy is created under
    a condition the analysis cannot decide, for organization trails, Network Load Balancers, and
    where the platform writes the policy itself (CDK `cloudtrail.Trail(...)`, with or without
    `bucket=`, and `alb.log_access_logs(bucket)`).

    ## Why is this bad
    Both services check the bucket policy when the resource is created, so the deployment fails
    and rolls back. `CreateTrail` answers `InsufficientS3BucketPolicyException: Incorrect S3 bucket
    policy is detected for bucket` (CloudTrail user guide, "Amazon S3 bucket policy for
    CloudTrail": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
    Elastic Load Balancing writes a test object when access logs are turned on and answers
    `InvalidConfigurationRequest: Access Denied for bucket: <name>. Please check S3bucket
    permission`; the same answer comes for an SSE-KMS bucket (ELB user guide, "Enable access logs
    for your Application Load Balancer", bucket requirements and Step 2:
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html;
    aws-cdk issue 21947). When the right policy exists but the trail or load balancer is not ordered
    after it, the same error is a race: that is IAC005's finding, not this rule's (a wrong policy that
    is also unordered gets both findings: two defects, two fixes). AWS Config delivery channels are
    not checked: `PutDeliveryChannel` (`InsufficientDeliveryPolicyException`) checks the bucket with
    the recorder's role, whose own IAM policies suffice for a bucket of the same account while the
    service-linked role needs the bucket policy; which of them applies, and when AWS Config runs the
    check, is not documented precisely enough to report.

    ## Example
    ```yaml
    TrailBucket:
      Type: AWS::S3::Bucket
    Trail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref TrailBucket
    ```

    ## Use instead
    ```yaml
    TrailBucketPolicy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref TrailBucket
        PolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {Service: cloudtrail.amazonaws.com}
              Action: s3:GetBucketAcl
              Resource: !GetAtt TrailBucket.Arn
            - Effect: Allow
              Principal: {Service: cloudtrail.amazonaws.com}
              Action: s3:PutObject
              Resource: !Sub "${TrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*"
              Condition: {StringEquals: {"s3:x-amz-acl": bucket-owner-full-control}}
    Trail:
      Type: AWS::CloudTrail::Trail
      DependsOn: [TrailBucketPolicy]
    ```
    For access logs, allow `s3:PutObject` on `${LogBucket.Arn}/<prefix>/AWSLogs/${AWS::AccountId}/*`
    to `{Service: logdelivery.elasticloadbalancing.amazonaws.com}` and keep the bucket on SSE-S3
    (`SSEAlgorithm: AES256`). In CDK, `cloudtrail.Trail(self, "Trail", bucket=bucket)` and
    `alb.log_access_logs(bucket)` add the statements themselves.
    """

    id = "IAC020"
    name = "log-bucket-policy-denies-delivery"
    severity = Severity.ERROR
    summary = "a trail or load balancer logs to a bucket whose policy does not let the service write"
    tags = ("iam", "deploy", "s3")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        resolve = _bucket_resolver(project)
        for delivery in _deliveries(project):
            if _undecided(delivery.source) or _undecided(delivery.bucket):
                continue
            if delivery.application and _kms_encrypted(project, delivery.bucket):
                yield self._kms_finding(delivery)
            policies = _policies_of(project, delivery.bucket)
            if policies is None or len(policies) > 1:
                continue  # a policy that may be this bucket's, or several: cannot judge
            if any(_undecided(policy) for policy, _ in policies):
                continue
            statements = [
                statement for policy, document in policies for statement in _statements(policy, document)
            ]
            missing = _missing(delivery, statements, resolve)
            if missing:
                yield self._finding(delivery, [policy for policy, _ in policies], missing, project.platform)

    def _finding(
        self, delivery: _Delivery, policies: list[Resource], missing: list[str], platform: str
    ) -> Finding:
        writer, source, bucket = delivery.writer, delivery.source, delivery.bucket
        objects = _objects_text(delivery)
        if policies:
            what = f"its bucket policy '{policies[0].id}' does not allow {writer.principal} " + ", ".join(
                missing
            )
        else:
            what = f"no bucket policy lets {writer.principal} write to it"
        message = (
            f"{writer.noun[0].upper()}{writer.noun[1:]} '{source.id}' ({source.location}) {writer.writes} "
            f"bucket '{bucket.id}' ({bucket.location}), but {what}: {writer.call} checks this and fails "
            f"the deployment with {_error(writer, bucket)}"
        )
        statements = _fix_statements(delivery, objects)
        hint = "add to the bucket's policy: " + json.dumps(statements)
        if writer is _ELB:
            hint += (
                " (the service principal is accepted in every Region; the Region's Elastic Load "
                "Balancing account, e.g. arn:aws:iam::127311923021:root in us-east-1, works in Regions "
                "opened before August 2022)"
            )
        hint += _ORDERING_HINT.get(platform, _ORDERING_HINT["cloudformation"]).format(source=source.id)
        related = [Related(bucket.location, f"bucket '{bucket.id}'")]
        related += [Related(policy.location, f"bucket policy '{policy.id}'") for policy in policies]
        return self.finding(
            message,
            delivery.location,
            hint,
            resource=source.id,
            key=f"{source.id}|{bucket.id}|policy",
            related=related,
        )

    def _kms_finding(self, delivery: _Delivery) -> Finding:
        source, bucket = delivery.source, delivery.bucket
        return self.finding(
            f"Load balancer '{source.id}' ({source.location}) writes access logs to bucket '{bucket.id}' "
            f"({bucket.location}), whose default encryption is SSE-KMS (aws:kms): Application Load "
            "Balancer access logs support only SSE-S3, so enabling them fails the deployment with "
            f"{_error(_ELB, bucket)}",
            delivery.location,
            f"set the default encryption of '{bucket.id}' to SSE-S3 (SSEAlgorithm: AES256), or log to "
            "another bucket that uses SSE-S3",
            resource=source.id,
            key=f"{source.id}|{bucket.id}|kms",
            related=[Related(bucket.location, f"bucket '{bucket.id}'")],
        )


def _error(writer: _Writer, bucket: Resource) -> str:
    name = render(bucket.name) if bucket.name is not None else bucket.id
    return writer.error.replace("<bucket>", name)


_ORDERING_HINT = {
    "cloudformation": "; with a new AWS::S3::BucketPolicy, add it to DependsOn of '{source}'",
    "pulumi": "; with a new aws.s3.BucketPolicy, list it in depends_on of '{source}'",
    "cdk": "; bucket.add_to_resource_policy(...) orders nothing: add '{source}'.node.add_dependency on "
    "the bucket's policy, or use cloudtrail.Trail(bucket=...) / alb.log_access_logs(bucket), which "
    "add the statements and the ordering",
}


def _fix_statements(delivery: _Delivery, objects: str) -> list[dict[str, object]]:
    writer, bucket = delivery.writer, delivery.bucket
    principal = {"Service": writer.principal}
    out: list[dict[str, object]] = []
    for action, on_objects in writer.checked:
        statement: dict[str, object] = {
            "Effect": "Allow",
            "Principal": principal,
            "Action": action,
            "Resource": objects if on_objects else f"<{bucket.id}.Arn>",
        }
        if on_objects and writer.fix_condition is not None:
            statement["Condition"] = writer.fix_condition
        out.append(statement)
    return out


def _objects_text(delivery: _Delivery) -> str:
    prefix = ""
    if delivery.prefix is not None:
        text = render(delivery.prefix).strip("/")
        prefix = text + "/" if text else ""
    return f"<{delivery.bucket.id}.Arn>/{prefix}AWSLogs/<account id>/*"


# -- what delivers to which bucket -------------------------------------------------------------------


def _deliveries(project: Project) -> Iterator[_Delivery]:
    for trail in project.of_type("AWS::CloudTrail::Trail"):
        organization = trail.prop("IsOrganizationTrail")
        if organization is not None and not _is_false(organization):
            continue  # an organization trail also needs the organization's path: not judged
        bucket = _bucket_of(project, trail.prop("S3BucketName"))
        if bucket is not None:
            prefix = trail.prop("S3KeyPrefix")
            yield _Delivery(_CLOUDTRAIL, trail, bucket, prefix, trail.location_of("S3BucketName"), False)
    for balancer in project.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        kind = balancer.prop("Type") or balancer.prop("LoadBalancerType")
        if kind is not None and not (isinstance(kind, Literal) and kind.value == "application"):
            continue  # Network Load Balancers log through CloudWatch vended logs; unknown types: silent
        found = _v2_access_logs(balancer)
        if found is None:
            continue
        bucket_value, prefix, where = found
        bucket = _bucket_of(project, bucket_value)
        if bucket is not None:
            yield _Delivery(_ELB, balancer, bucket, prefix, balancer.location_of(where), True)
    for balancer in project.of_type("AWS::ElasticLoadBalancing::LoadBalancer"):
        for prop, bucket_key, prefix_key in (
            ("AccessLoggingPolicy", "S3BucketName", "S3BucketPrefix"),  # CloudFormation
            ("AccessLogs", "Bucket", "BucketPrefix"),  # Pulumi aws.elb.LoadBalancer
        ):
            settings = balancer.prop(prop)
            if settings is None or not _is_true(get_path(settings, "Enabled")):
                continue
            bucket = _bucket_of(project, get_path(settings, bucket_key))
            if bucket is not None:
                prefix = get_path(settings, prefix_key)
                yield _Delivery(_ELB, balancer, bucket, prefix, balancer.location_of(prop), False)


def _v2_access_logs(balancer: Resource) -> tuple[Value | None, Value | None, str] | None:
    """(bucket, prefix, property) of an ALB whose access logs are certainly on; None otherwise."""
    attributes = balancer.prop("LoadBalancerAttributes")
    if attributes is not None:
        if not (isinstance(attributes, Literal) and isinstance(attributes.value, tuple)):
            return None
        settings: dict[str, Value | None] = {}
        for item in attributes.value:
            key = get_path(item, "Key")
            if not (isinstance(key, Literal) and isinstance(key.value, str)):
                return None  # an attribute the analysis cannot name may be any of them
            settings[key.value] = get_path(item, "Value")
        if _is_true(settings.get("access_logs.s3.enabled")):
            return (
                settings.get("access_logs.s3.bucket"),
                settings.get("access_logs.s3.prefix"),
                ("LoadBalancerAttributes"),
            )
        return None
    logs = balancer.prop("AccessLogs")  # Pulumi aws.lb.LoadBalancer(access_logs=...)
    if logs is not None and _is_true(get_path(logs, "Enabled")):
        return get_path(logs, "Bucket"), get_path(logs, "Prefix"), "AccessLogs"
    return None


def _is_true(value: Value | None) -> bool:
    return isinstance(value, Literal) and value.value in (True, "true", "True", "TRUE")


def _is_false(value: Value | None) -> bool:
    return isinstance(value, Literal) and value.value in (False, "false", "False", "FALSE")


def _bucket_of(project: Project, value: Value | None) -> Resource | None:
    """The project's bucket a name value names: a reference to it, or its literal name."""
    if isinstance(value, Ref):
        target = project.resource(value.resource)
        if target is not None and target.type == _BUCKET and value.attribute in _NAME_ATTRIBUTES:
            return None if target.in_loop else target
        return None
    if isinstance(value, Literal) and isinstance(value.value, str):
        matches = [
            bucket
            for bucket in project.of_type(_BUCKET)
            if isinstance(bucket.name, Literal) and bucket.name.value == value.value and not bucket.in_loop
        ]
        return matches[0] if len(matches) == 1 else None
    return None


def _undecided(resource: Resource) -> bool:
    """Created only under a condition (CloudFormation ``Condition``, a Pulumi ``if`` the analysis
    cannot decide), or several times in a loop."""
    return "Condition" in resource.options or resource.in_loop


# -- the bucket's policy -------------------------------------------------------------------------------


def _policies_of(project: Project, bucket: Resource) -> list[tuple[Resource, Value | None]] | None:
    """The policy resources (with their documents) that apply to ``bucket``; None when a policy whose
    bucket cannot be identified may apply to it."""
    found: list[tuple[Resource, Value | None]] = []
    for prop in _INLINE_POLICY_PROPERTIES:
        if prop in bucket.properties:
            found.append((bucket, bucket.prop(prop)))
    for policy in project.of_type(_BUCKET_POLICY):
        verdict = _applies_to(project, policy, bucket)
        if verdict is None:
            return None
        if verdict:
            document = policy.prop("PolicyDocument")
            if document is None:
                document = policy.prop("Policy")
            found.append((policy, document))
    return found


def _applies_to(project: Project, policy: Resource, bucket: Resource) -> bool | None:
    target = policy.prop("Bucket")
    if target is None:
        # CDK's own policy of a bucket (enforce_ssl, auto_delete_objects, grants) is the construct
        # ``<bucket>/Policy`` (aws-s3 bucket-policy.ts); another policy without a bucket is unknown.
        return True if policy.id == bucket.id + "/Policy" else None
    if isinstance(target, Ref):
        if target.resource == bucket.id:
            return True
        other = project.resource(target.resource)
        if other is not None and other.type == _BUCKET and target.attribute in _NAME_ATTRIBUTES:
            return False  # another bucket of the project
        return None  # a stack output, a lookup: may name any bucket
    if bucket.name is None:
        # A name written in the code is not the name AWS or Pulumi generates for this bucket.
        return False if isinstance(target, Literal) else None
    return arn_matches(target, bucket.name)


def _statements(policy: Resource, document: Value | None) -> tuple[Statement, ...]:
    where = policy.location_of("PolicyDocument")
    if document is None or policy.source_type.endswith(_PLATFORM_POLICY_SUFFIX):
        # A document the platform model does not carry, or the policy CDK builds from
        # ``bucket.grant_*(principal)`` and ``add_to_resource_policy`` (modelled without the object
        # ARNs a grant covers, or without principals): it may grant anything.
        return (opaque_statement(policy.id, where),)
    return normalize_document(document, policy.id, where)


def _missing(delivery: _Delivery, statements: list[Statement], resolve: Resolver) -> list[str]:
    """The checked grants the policy certainly lacks; empty when any cannot be known."""
    writer = delivery.writer
    relevant: list[Statement] = []
    for statement in statements:
        covers = _principal_covers(statement.principal, writer)
        if covers is False:
            continue
        relevant.append(statement if covers else replace(statement, opaque=True))
    bucket_arn: tuple[Value, ...] = (Ref(delivery.bucket.id, "Arn"),)
    missing: list[str] = []
    for action, on_objects in writer.checked:
        verdicts = [
            allows(relevant, action, target, context=writer.context, resolve=resolve)
            for target in (_object_arns(delivery) if on_objects else bucket_arn)
        ]
        if any(verdict is None for verdict in verdicts):
            return []
        if all(verdict is False for verdict in verdicts):
            where = _objects_text(delivery) if on_objects else f"<{delivery.bucket.id}.Arn>"
            missing.append(f"{action} on {where}")
    return missing


def _object_arns(delivery: _Delivery) -> tuple[Value, ...]:
    """The ARN of the objects the service writes: ``<bucket>/<prefix>/AWSLogs/<account>/...``. A
    literal prefix with a leading or trailing ``/`` gives two readings (with and without the extra
    slash); a grant counts when it covers either."""
    prefixes: list[Value | None] = [delivery.prefix]
    prefix = delivery.prefix
    if (
        isinstance(prefix, Literal)
        and isinstance(prefix.value, str)
        and prefix.value.strip("/") != prefix.value
    ):
        prefixes.append(Literal(prefix.value.strip("/")))
    return tuple(_object_arn(delivery.bucket.id, item) for item in prefixes)


def _object_arn(bucket_id: str, prefix: Value | None) -> Value:
    parts: list[Value] = [Ref(bucket_id, "Arn"), Literal("/")]
    if prefix is not None and not (isinstance(prefix, Literal) and prefix.value in ("", None)):
        parts += [prefix, Literal("/")]
    parts += [Literal("AWSLogs/"), _ACCOUNT, Literal("/"), _OBJECT_KEY]
    return Concat(tuple(parts))


def _principal_covers(principal: Value | None, writer: _Writer) -> bool | None:
    """Does a statement's ``Principal`` include the writing service? None when it cannot be read
    (a missing principal is one the platform model does not carry, e.g. CDK's ``principals=``)."""
    if principal is None:
        return None
    if isinstance(principal, Literal) and principal.value == "*":
        return True
    if not (isinstance(principal, Literal) and isinstance(principal.value, dict)):
        return None
    result: bool | None = False
    for kind, values in principal.value.items():
        for item in items_of(values):
            text = item.value if isinstance(item, Literal) and isinstance(item.value, str) else None
            if text is None:
                result = None if result is False else result
            elif kind == "Service":
                if text.lower() in writer.accepted_services:
                    return True
                if text.lower() not in _OTHER_SERVICE_PRINCIPALS and not text.lower().endswith(
                    ".amazonaws.com"
                ):
                    result = None if result is False else result
            elif kind == "AWS":
                if text == "*":
                    return True
                account = _account_of(text)
                if account in writer.accepted_accounts:
                    return True
                if account is None:
                    result = None if result is False else result
    return result


def _account_of(text: str) -> str | None:
    """The account of an AWS principal (``123456789012`` or ``arn:aws:iam::123456789012:root`` / a
    role or user ARN); None when it is not of that form."""
    if text.isdigit() and len(text) == 12:
        return text
    parts = text.split(":")
    if len(parts) >= 6 and parts[0] == "arn" and parts[2] in ("iam", "sts") and parts[4].isdigit():
        return parts[4]
    return None


def _bucket_resolver(project: Project) -> Resolver:
    """Expands references to the project's buckets: ``Arn`` to ``arn:aws:s3:::<name>``, a name
    reference to the name (an unknown generated name when the bucket is auto-named)."""

    def resolve(ref: Ref) -> Value | None:
        target = project.resource(ref.resource)
        if target is None or target.type != _BUCKET:
            return None
        name = target.name or Unknown("generated bucket name", Origin.UNIQUE, hint=f"{target.id}.name")
        if ref.attribute == "Arn":
            return Concat((Literal("arn:aws:s3:::"), name))
        if ref.attribute in _NAME_ATTRIBUTES:
            return name
        return None

    return resolve


def _kms_encrypted(project: Project, bucket: Resource) -> bool:
    """The bucket's default encryption is certainly SSE-KMS (``aws:kms`` or ``aws:kms:dsse``)."""
    sources: list[Value | None] = [
        bucket.prop("BucketEncryption"),
        bucket.prop("ServerSideEncryptionConfiguration"),
    ]
    for configuration in project.of_type(*_ENCRYPTION_TYPES):
        target = configuration.prop("Bucket")
        if isinstance(target, Ref) and target.resource == bucket.id:
            sources.append(configuration.prop("Rules") or configuration.prop("Rule"))
    return any(_algorithm_is_kms(value) for value in sources if value is not None)


def _algorithm_is_kms(value: Value) -> bool:
    return any(
        path
        and path[-1].lower() == "ssealgorithm"
        and isinstance(item, Literal)
        and isinstance(item.value, str)
        and item.value.startswith("aws:kms")
        for path, item in _walk(value)
    )


def _walk(value: Value, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Value]]:
    yield path, value
    if isinstance(value, Literal) and isinstance(value.value, dict):
        for key, item in value.value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, Literal) and isinstance(value.value, tuple):
        for item in value.value:
            yield from _walk(item, path)


# -- examples -------------------------------------------------------------------------------------------

_TRAIL_CFN = """
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:
  TrailBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub audit-trail-${{EnvironmentSuffix}}
{policy}
  Trail:
    Type: AWS::CloudTrail::Trail{trail_extra}
    Properties:
      TrailName: !Sub audit-${{EnvironmentSuffix}}
      IsLogging: true
      S3BucketName: {bucket}{marker}
"""

_TRAIL_POLICY = """
  TrailBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref TrailBucket
      PolicyDocument:
        Statement:{statements}
"""

_ACL_CHECK = """
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: s3:GetBucketAcl
            Resource: !GetAtt TrailBucket.Arn"""
_WRITE = """
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: s3:PutObject
            Resource: !Sub "${TrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*\""""
_ACL_CONDITION = """
            Condition:
              StringEquals: {"s3:x-amz-acl": bucket-owner-full-control}"""
_SOURCE_ARN_CONDITION = """
            Condition:
              StringEquals: {"aws:SourceArn": !Sub "arn:aws:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/audit"}"""
_DENY_INSECURE = """
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: [!GetAtt TrailBucket.Arn, !Sub "${TrailBucket.Arn}/*"]
            Condition: {Bool: {aws:SecureTransport: false}}"""
_EVERYTHING_TO_SERVICE = """
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: [s3:GetBucketAcl, s3:PutObject]
            Resource: [!GetAtt TrailBucket.Arn, !Sub "arn:aws:s3:::${TrailBucket}/*"]"""
_CONFIG_ONLY = """
          - Effect: Allow
            Principal: {Service: config.amazonaws.com}
            Action: [s3:GetBucketAcl, s3:PutObject]
            Resource: [!GetAtt TrailBucket.Arn, !Sub "${TrailBucket.Arn}/*"]"""
_WRITE_ON_BUCKET_ARN = """
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: s3:PutObject
            Resource: !GetAtt TrailBucket.Arn"""


def _trail(
    statements: str | None = None,
    marker: str = "",
    bucket: str = "!Ref TrailBucket",
    trail_extra: str = "\n    DependsOn: [TrailBucketPolicy]",
) -> str:
    policy = "" if statements is None else _TRAIL_POLICY.format(statements=statements).rstrip("\n")
    extra = trail_extra if statements is not None else ""
    return _TRAIL_CFN.format(policy=policy, trail_extra=extra, bucket=bucket, marker=marker)


_ALB_JSON = """
{
  "Resources": {
    "LogBucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
          {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "@ALGORITHM@"}}]}
      }
    },
    "LogBucketPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": {"Ref": "LogBucket"},
        "PolicyDocument": {"Statement": [{
          "Effect": "Allow",
          "Principal": @PRINCIPAL@,
          "Action": "s3:PutObject",
          "Resource": {"Fn::Sub": "${LogBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*"}
        }]}
      }
    },
    "Alb": {
      "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "DependsOn": ["LogBucketPolicy"],
      "Properties": {
        "Subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        "LoadBalancerAttributes": [@MARKER@
          {"Key": "access_logs.s3.enabled", "Value": "true"},
          {"Key": "access_logs.s3.bucket", "Value": {"Ref": "LogBucket"}},
          {"Key": "access_logs.s3.prefix", "Value": "alb"}
        ]
      }
    }
  }
}
"""


def _alb(principal: str, algorithm: str = "AES256", marker: str = "") -> str:
    return (
        _ALB_JSON.replace("@PRINCIPAL@", principal)
        .replace("@ALGORITHM@", algorithm)
        .replace("@MARKER@", marker)
    )


_ELB_SERVICE = '{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}'
_ELB_ACCOUNT = '{"AWS": "arn:aws:iam::127311923021:root"}'
_LOGS_SERVICE = '{"Service": "delivery.logs.amazonaws.com"}'

_PULUMI_STACK = """
import json

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        account_id = aws.get_caller_identity().account_id
        bucket = aws.s3.Bucket(f"audit-trail-{{suffix}}", force_destroy=True)
{policy}
        aws.cloudtrail.Trail(
            f"audit-{{suffix}}",
            s3_bucket_name=bucket.id,  {marker}
            opts=pulumi.ResourceOptions(depends_on=[{depends}]),
        )
"""

_PULUMI_POLICY = """        policy = aws.s3.BucketPolicy(
            f"audit-trail-policy-{suffix}",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, account_id).apply(
                lambda args: json.dumps({
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                         "Action": "s3:GetBucketAcl", "Resource": args[0]},
                        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                         "Action": "s3:PutObject", "Resource": f"{args[0]}/AWSLogs/{args[1]}/*",
                         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
                    ],
                })
            ),
        )"""


def _pulumi(with_policy: bool, marker: str = "") -> str:
    return _PULUMI_STACK.format(
        policy=_PULUMI_POLICY if with_policy else "",
        marker=marker,
        depends="policy" if with_policy else "bucket",
    )


_CDK_STACK = """
from aws_cdk import Stack, StackProps
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        bucket = s3.Bucket(self, "TrailBucket")
{body}
"""

_CDK_CFN_TRAIL = """        cloudtrail.CfnTrail(
            self,
            "Trail",
            is_logging=True,
            s3_bucket_name=bucket.bucket_name,  {marker}
        )"""
_CDK_L2_TRAIL = """        cloudtrail.Trail(self, "Trail", bucket=bucket)
        cloudtrail.Trail(self, "OwnBucketTrail")"""
_CDK_L2_ALB = """        vpc = ec2.Vpc(self, "Vpc", max_azs=2)
        alb = elbv2.ApplicationLoadBalancer(self, "Alb", vpc=vpc, internet_facing=True)
        alb.log_access_logs(bucket, "alb")"""
_CDK_RESOURCE_POLICY = """        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["s3:GetBucketAcl"],
                resources=[bucket.bucket_arn],
            )
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"AWSLogs/{self.account}/*")],
            )
        )
"""


def _cdk(body: str) -> str:
    return _CDK_STACK.format(body=body)


LogBucketPolicyDeniesDelivery.INVALID = [
    Example.cfn_yaml(_trail(marker="  # expect: IAC020"), title="trail bucket without a bucket policy"),
    Example.cfn_yaml(
        _trail(_CONFIG_ONLY, marker="  # expect: IAC020"), title="bucket policy grants AWS Config only"
    ),
    Example.cfn_yaml(
        _trail(_ACL_CHECK + _WRITE_ON_BUCKET_ARN, marker="  # expect: IAC020"),
        title="PutObject on the bucket ARN, not its objects",
    ),
    Example.cfn_json(
        _alb(_LOGS_SERVICE, marker="  // expect: IAC020"),
        title="ALB logs, policy grants the NLB log delivery principal only",
    ),
    Example.cfn_json(
        _alb(_ELB_SERVICE, algorithm="aws:kms", marker="  // expect: IAC020"),
        title="ALB logs to an SSE-KMS bucket",
    ),
    Example.pulumi(_pulumi(False, marker="# expect: IAC020"), title="Pulumi: trail bucket without a policy"),
    Example.cdk(
        _cdk(_CDK_CFN_TRAIL.format(marker="# expect: IAC020")),
        title="CDK: CfnTrail on a bucket without a policy",
    ),
]

LogBucketPolicyDeniesDelivery.VALID = [
    Example.cfn_yaml(_trail(_ACL_CHECK + _WRITE + _ACL_CONDITION), title="the documented CloudTrail policy"),
    Example.cfn_yaml(_trail(_ACL_CHECK + _WRITE), title="without the s3:x-amz-acl condition"),
    Example.cfn_yaml(
        _trail(_EVERYTHING_TO_SERVICE + _DENY_INSECURE), title="wide grant, Deny on insecure transport"
    ),
    Example.cfn_yaml(
        _trail(_ACL_CHECK + _WRITE + _SOURCE_ARN_CONDITION), title="aws:SourceArn condition: cannot judge"
    ),
    Example.cfn_yaml(
        _trail(_ACL_CHECK + _WRITE + _ACL_CONDITION, trail_extra=""),
        title="right policy, no ordering: IAC005's finding",
    ),
    Example.cfn_yaml(_trail(bucket="central-audit-logs"), title="a bucket from outside the stack"),
    Example.cfn_yaml(
        _trail(bucket="!Ref TrailBucket").replace(
            "  Trail:\n    Type: AWS::CloudTrail::Trail",
            "  Trail:\n    Type: AWS::CloudTrail::Trail\n    Condition: WantsTrail",
        )
        + "Conditions:\n  WantsTrail: !Equals [!Ref EnvironmentSuffix, prod]\n",
        title="trail under a condition",
    ),
    Example.cfn_json(_alb(_ELB_SERVICE), title="ALB logs, service principal, SSE-S3"),
    Example.cfn_json(_alb(_ELB_ACCOUNT), title="ALB logs, the us-east-1 ELB account"),
    Example.pulumi(_pulumi(True), title="Pulumi: BucketPolicy built with Output.all"),
    Example.cdk(_cdk(_CDK_L2_TRAIL), title="CDK: cloudtrail.Trail writes the policy itself"),
    Example.cdk(_cdk(_CDK_L2_ALB), title="CDK: log_access_logs writes the policy itself"),
    Example.cdk(
        _cdk(_CDK_RESOURCE_POLICY + _CDK_CFN_TRAIL.format(marker="")),
        title="CDK: add_to_resource_policy next to a CfnTrail",
    ),
]
