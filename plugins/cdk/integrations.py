"""Resources CDK adds when one construct is wired to another: Lambda permissions, bucket
notifications, SNS subscriptions, Lambda event sources, queue/topic policies.

Each function mirrors one aws-cdk-lib 2.275 code path (named in its docstring) and records what
that path synthesizes, under the construct path CDK gives it, so rules that look for an
``AWS::Lambda::Permission`` or an ordering see the template ``cdk synth`` would write.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from analyzer.model import Dependency, Literal, Location, Origin, Ref, Unknown, Value, render
from analyzer.python.values import EValue, ExternalObj, to_value
from plugins.cdk.objects import ConstructObj, PrincipalObj, TargetObj

if TYPE_CHECKING:
    from analyzer.python.evaluator import CallSite
    from plugins.cdk.builder import Builder, ResourceRecord, Scope

PERMISSION = "AWS::Lambda::Permission"
FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Lambda::Alias", "AWS::Lambda::Version")
_QUEUE = "AWS::SQS::Queue"
_TOPIC = "AWS::SNS::Topic"
_BUCKET = "AWS::S3::Bucket"
# Resource-policy companions: owner type -> (policy type, list property naming the owners).
# Source: aws-sqs/lib/policy.ts (QueuePolicy), aws-sns/lib/policy.ts (TopicPolicy),
# aws-s3/lib/bucket-policy.ts (BucketPolicy); each is created as `<owner>/Policy` on first use.
_RESOURCE_POLICIES = {
    _QUEUE: ("AWS::SQS::QueuePolicy", "Queues"),
    _TOPIC: ("AWS::SNS::TopicPolicy", "Topics"),
    _BUCKET: ("AWS::S3::BucketPolicy", "Bucket"),
}
# aws-s3/lib/bucket.ts EventType: the member's value is the S3 event name.
_S3_EVENTS = {
    "OBJECT_CREATED": "s3:ObjectCreated:*",
    "OBJECT_CREATED_PUT": "s3:ObjectCreated:Put",
    "OBJECT_CREATED_POST": "s3:ObjectCreated:Post",
    "OBJECT_CREATED_COPY": "s3:ObjectCreated:Copy",
    "OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD": "s3:ObjectCreated:CompleteMultipartUpload",
    "OBJECT_REMOVED": "s3:ObjectRemoved:*",
    "OBJECT_REMOVED_DELETE": "s3:ObjectRemoved:Delete",
    "OBJECT_REMOVED_DELETE_MARKER_CREATED": "s3:ObjectRemoved:DeleteMarkerCreated",
}
# The integration classes whose constructor call becomes a TargetObj (module prefix -> kind prefix).
INTEGRATION_MODULES = {
    "aws_cdk.aws_s3_notifications.": "s3n.",
    "aws_cdk.aws_sns_subscriptions.": "subs.",
    "aws_cdk.aws_lambda_event_sources.": "source.",
}
# Integration classes of modules whose other classes are constructs (kind given in full).
INTEGRATION_CLASSES = {"aws_cdk.aws_apigateway.LambdaIntegration": "apigw.LambdaIntegration"}


def unique_id(path: str) -> str:
    """A stand-in for CDK's ``Names.nodeUniqueId``: the path without separators (no hash)."""
    return re.sub(r"[^A-Za-z0-9]", "", path)


def function_arn(function: ConstructObj) -> Value:
    """``fn.function_arn``: ``GetAtt Arn`` of a function, the ``Ref`` (the ARN) of an alias/version."""
    record_type = function.builder.records[function.resource_id or ""].type
    if record_type == "AWS::Lambda::Function":
        return Ref(function.resource_id or "", "Arn")
    return Ref(function.resource_id or "")


def is_function(value: EValue | None) -> bool:
    if not isinstance(value, ConstructObj) or value.resource_id is None:
        return False
    record = value.builder.records.get(value.resource_id)
    return record is not None and record.type in FUNCTION_TYPES


def principal_values(principal: EValue | None) -> list[Value]:
    """The ``Principal`` strings of a Lambda permission (aws-lambda/lib/function-base.ts
    ``parsePermissionPrincipal``: a service, an account id or an ARN); unknown otherwise."""
    if isinstance(principal, PrincipalObj) and principal.kind in ("Service", "AWS") and principal.values:
        return [to_value(value) for value in principal.values]
    hint = render(to_value(principal)) if principal is not None else None
    return [Unknown("a principal the model does not read", hint=hint)]


def lambda_permission(
    builder: Builder,
    function: ConstructObj,
    scope: Scope,
    name: str,
    principal: Value,
    location: Location,
    *,
    source_arn: Value | None = None,
    source_account: Value | None = None,
    action: Value | None = None,
    source_type: str = "aws_cdk.aws_lambda.Function#Permission",
) -> ResourceRecord:
    """``fn.addPermission(id, ...)`` (function-base.ts): a ``CfnPermission`` at ``<scope>/<id>``, in
    the scope's stack (a permission placed in another construct's scope lives in that stack).

    CDK never adds a second permission under the same id (``tryFindChild`` / memoized grants), so
    an existing record is returned as is."""
    from plugins.cdk.builder import ResourceRecord

    resource_id = f"{scope.path}/{name}"
    existing = builder.records.get(resource_id)
    if existing is not None and existing.type == PERMISSION:
        return existing
    stack = scope.stack
    record = builder.add_record(ResourceRecord(resource_id, PERMISSION, location, source_type, stack))
    record.properties = {
        "Action": action if action is not None else Literal("lambda:InvokeFunction"),
        "FunctionName": function_arn(function),
        "Principal": principal,
    }
    if source_arn is not None:
        record.properties["SourceArn"] = source_arn
    if source_account is not None:
        record.properties["SourceAccount"] = source_account
    return record


def add_permission(builder: Builder, function: ConstructObj, site: CallSite) -> EValue:
    """``fn.add_permission("Id", principal=..., action=..., source_arn=..., scope=...)``."""
    name = render(to_value(site.arg(0, "id"))) if site.arg(0, "id") is not None else "Permission"
    scope = builder.scope_of(site.kwargs.get("scope")) or function.scope
    action = site.kwargs.get("action")
    source_arn = site.kwargs.get("source_arn")
    source_account = site.kwargs.get("source_account")
    principals = principal_values(site.kwargs.get("principal"))
    lambda_permission(
        builder,
        function,
        scope,
        name,
        principals[0] if len(principals) == 1 else Unknown("several principals in one permission"),
        site.location,
        source_arn=to_value(source_arn) if source_arn is not None else None,
        source_account=to_value(source_account) if source_account is not None else None,
        action=to_value(action) if action is not None else None,
    )
    return Literal(None)


def grant_invoke_to_service(
    builder: Builder, function: ConstructObj, principal: PrincipalObj, site: CallSite
) -> None:
    """``fn.grant_invoke(iam.ServicePrincipal(...))``: a principal without a policy of its own
    gets a resource-policy statement, i.e. ``addPermission("Invoke<hash>", ...)`` (function-base.ts
    ``grantInvoke`` -> ``Grant.addToPrincipalOrResource``), once per principal."""
    for value in principal_values(principal):
        name = "Invoke" + unique_id(render(value))
        lambda_permission(builder, function, function.scope, name, value, site.location)


# -- resource policies -------------------------------------------------------------------------------


def resource_policy(builder: Builder, owner: ConstructObj) -> ResourceRecord | None:
    """The ``<owner>/Policy`` resource policy of a queue, topic or bucket (created on first use)."""
    from plugins.cdk.builder import ResourceRecord

    owner_record = builder.records.get(owner.resource_id or "")
    if owner_record is None or owner_record.type not in _RESOURCE_POLICIES:
        return None
    policy_type, owners_property = _RESOURCE_POLICIES[owner_record.type]
    resource_id = f"{owner.scope.path}/Policy"
    existing = builder.records.get(resource_id)
    if existing is not None and existing.type == policy_type:
        return existing
    record = builder.add_record(
        ResourceRecord(
            resource_id, policy_type, owner_record.location, owner.cls + "#Policy", owner.scope.stack
        )
    )
    reference: Value = Ref(owner_record.id)
    record.properties[owners_property] = reference if owner_record.type == _BUCKET else Literal((reference,))
    return record


def service_statement(
    actions: list[str], principal: Value, resource: Value, condition: dict[str, Any] | None = None
) -> dict[str, Value]:
    statement: dict[str, Value] = {
        "Effect": Literal("Allow"),
        "Principal": Literal({"Service": principal}),
        "Action": Literal(tuple(Literal(action) for action in actions)),
        "Resource": resource,
    }
    if condition:
        statement["Condition"] = Literal(
            {op: Literal({key: value for key, value in pairs.items()}) for op, pairs in condition.items()}
        )
    return statement


def grant_to_service(
    builder: Builder, owner: ConstructObj, actions: list[Value], principal: PrincipalObj
) -> bool:
    """A queue/topic/bucket grant to a service principal lands in the owner's resource policy
    (``Grant.addToPrincipalOrResource``). True when it was recorded."""
    policy = resource_policy(builder, owner)
    if policy is None or principal.kind != "Service":
        return False
    arn: Value = (
        Ref(owner.resource_id or "")
        if policy.type == "AWS::SNS::TopicPolicy"
        else Ref(owner.resource_id or "", "Arn")
    )
    for value in principal.values:
        policy.statements.append(
            {
                "Effect": Literal("Allow"),
                "Principal": Literal({"Service": to_value(value)}),
                "Action": Literal(tuple(actions)),
                "Resource": arn,
            }
        )
    return True


# -- S3 bucket notifications --------------------------------------------------------------------------


def _event_name(value: EValue | None) -> Value:
    if isinstance(value, ExternalObj):
        found = _S3_EVENTS.get(value.qualname.rsplit(".", 1)[-1])
        if found is not None:
            return Literal(found)
    return to_value(value) if value is not None else Unknown("an S3 event type")


def bucket_notification(
    builder: Builder, bucket: ConstructObj, event: Value, destination: EValue | None, site: CallSite
) -> None:
    """``bucket.add_event_notification(event, dest)`` (aws-s3/lib/notifications-resource):
    one ``Custom::S3BucketNotifications`` at ``<bucket>/Notifications`` holding every destination,
    which depends on what each destination's ``bind`` returns: the Lambda permission for
    ``s3.amazonaws.com`` (aws-s3-notifications/lib/lambda.ts, placed under the bucket), or the
    queue/topic with its policy (sqs.ts, sns.ts)."""
    if not isinstance(destination, TargetObj) or not isinstance(destination.target, ConstructObj):
        return
    target = destination.target
    if target.resource_id is None or bucket.resource_id is None:
        return
    notifications = _notifications_record(builder, bucket, site)
    bucket_arn = Ref(bucket.resource_id, "Arn")
    kind = destination.kind.removeprefix("s3n.")
    if kind == "LambdaDestination" and is_function(target):
        permission = lambda_permission(
            builder,
            target,
            bucket.scope,
            "AllowBucketNotificationsTo" + unique_id(target.scope.path),
            Literal("s3.amazonaws.com"),
            site.location,
            source_arn=bucket_arn,
            source_account=Unknown("the stack's account", Origin.ACCOUNT, hint="stack.account"),
            source_type="aws_cdk.aws_s3_notifications.LambdaDestination#Permission",
        )
        entry = {"Events": Literal((event,)), "LambdaFunctionArn": function_arn(target)}
        _append(notifications, "LambdaFunctionConfigurations", entry)
        notifications.depends_on.append(Dependency(permission.id, site.location))
        return
    configuration = {"SqsDestination": "QueueConfigurations", "SnsDestination": "TopicConfigurations"}
    key = configuration.get(kind)
    if key is None:
        return
    policy = resource_policy(builder, target)
    if policy is None:
        return
    if kind == "SqsDestination":
        actions = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
        arn: Value = Ref(target.resource_id, "Arn")
        entry = {"Events": Literal((event,)), "QueueArn": arn}
    else:
        actions = ["sns:Publish"]
        arn = Ref(target.resource_id)
        entry = {"Events": Literal((event,)), "TopicArn": arn}
    condition = {"ArnLike": {"aws:SourceArn": bucket_arn}}
    policy.statements.append(service_statement(actions, Literal("s3.amazonaws.com"), arn, condition))
    _append(notifications, key, entry)
    notifications.depends_on.append(Dependency(target.resource_id, site.location))
    notifications.depends_on.append(Dependency(policy.id, site.location))


def _notifications_record(builder: Builder, bucket: ConstructObj, site: CallSite) -> ResourceRecord:
    from plugins.cdk.builder import ResourceRecord

    resource_id = f"{bucket.scope.path}/Notifications"
    existing = builder.records.get(resource_id)
    if existing is not None and existing.type == "Custom::S3BucketNotifications":
        return existing
    record = builder.add_record(
        ResourceRecord(
            resource_id,
            "Custom::S3BucketNotifications",
            site.location,
            "aws_cdk.aws_s3.BucketNotifications",
            bucket.scope.stack,
        )
    )
    record.properties = {
        "BucketName": Ref(bucket.resource_id or ""),
        "NotificationConfiguration": Literal({}),
        "Managed": Literal(True),
    }
    return record


def _append(record: ResourceRecord, key: str, entry: dict[str, Value]) -> None:
    configuration = record.properties["NotificationConfiguration"]
    mapping = dict(configuration.value) if isinstance(configuration, Literal) else {}
    existing = mapping.get(key)
    items = (
        list(existing.value) if isinstance(existing, Literal) and isinstance(existing.value, tuple) else []
    )
    items.append(Literal(entry))
    mapping[key] = Literal(tuple(items))
    record.properties["NotificationConfiguration"] = Literal(mapping)


def notification_events(name: str, site: CallSite) -> tuple[Value, EValue | None, bool]:
    """(event, destination, known) for the three bucket notification methods."""
    if name == "add_event_notification":
        return _event_name(site.arg(0, "event")), site.arg(1, "dest"), True
    event = "s3:ObjectCreated:*" if name == "add_object_created_notification" else "s3:ObjectRemoved:*"
    return Literal(event), site.arg(0, "dest"), True


# -- SNS subscriptions ----------------------------------------------------------------------------------


def subscription(builder: Builder, topic: ConstructObj, subscriber: EValue | None, site: CallSite) -> None:
    """``topic.add_subscription(subs.LambdaSubscription(fn) | subs.SqsSubscription(queue))``
    (aws-sns-subscriptions/lib/lambda.ts, sqs.ts; aws-sns/lib/topic-base.ts ``addSubscription``):
    an ``AWS::SNS::Subscription`` under the subscriber named after the topic, plus the Lambda
    permission for ``sns.amazonaws.com`` or the queue policy statement it depends on."""
    from plugins.cdk.builder import ResourceRecord

    if not isinstance(subscriber, TargetObj) or not isinstance(subscriber.target, ConstructObj):
        return
    target = subscriber.target
    if target.resource_id is None or topic.resource_id is None:
        return
    kind = subscriber.kind.split(".", 1)[-1]
    topic_arn = Ref(topic.resource_id)
    topic_id = topic.scope.path.rsplit("/", 1)[-1]
    dependencies: list[str] = []
    if kind in ("LambdaSubscription", "SnsEventSource") and is_function(target):
        lambda_permission(
            builder,
            target,
            target.scope,
            "AllowInvoke:" + unique_id(topic.scope.path),
            Literal("sns.amazonaws.com"),
            site.location,
            source_arn=topic_arn,
            source_type="aws_cdk.aws_sns_subscriptions.LambdaSubscription#Permission",
        )
        protocol, endpoint = "lambda", function_arn(target)
    elif kind == "SqsSubscription":
        policy = resource_policy(builder, target)
        if policy is None:
            return
        queue_arn = Ref(target.resource_id, "Arn")
        policy.statements.append(
            service_statement(
                ["sqs:SendMessage"],
                Literal("sns.amazonaws.com"),
                queue_arn,
                {"ArnEquals": {"aws:SourceArn": topic_arn}},
            )
        )
        protocol, endpoint = "sqs", queue_arn
        dependencies.append(policy.id)
    else:
        return
    record = builder.add_record(
        ResourceRecord(
            f"{target.scope.path}/{topic_id}",
            "AWS::SNS::Subscription",
            site.location,
            "aws_cdk.aws_sns.Topic#Subscription",
            target.scope.stack,
        )
    )
    record.properties = {"Protocol": Literal(protocol), "TopicArn": topic_arn, "Endpoint": endpoint}
    record.depends_on.extend(Dependency(dependency, site.location) for dependency in dependencies)


# -- Lambda event sources -------------------------------------------------------------------------------


def event_source(builder: Builder, function: ConstructObj, source: EValue | None, site: CallSite) -> None:
    """``fn.add_event_source(...)`` / ``Function(events=[...])`` (aws-lambda-event-sources):
    ``S3EventSource`` adds bucket notifications, ``SnsEventSource`` a Lambda subscription,
    ``SqsEventSource`` an event source mapping and the consume grant on the function's role."""
    from plugins.cdk.builder import ResourceRecord

    if not isinstance(source, TargetObj) or not isinstance(source.target, ConstructObj):
        return
    kind = source.kind.removeprefix("source.")
    origin = source.target
    if kind == "S3EventSource":
        events = source.options.get("events")
        items = events.value if isinstance(events, Literal) and isinstance(events.value, tuple) else ()
        for event in items:
            destination = TargetObj("s3n.LambdaDestination", function, {})
            bucket_notification(builder, origin, _event_name(event), destination, site)
        return
    if kind == "SnsEventSource":
        subscription(builder, origin, TargetObj("subs.LambdaSubscription", function, {}), site)
        return
    if kind == "SqsEventSource" and origin.resource_id is not None:
        record = builder.add_record(
            ResourceRecord(
                f"{function.scope.path}/SqsEventSource:{unique_id(origin.scope.path)}",
                "AWS::Lambda::EventSourceMapping",
                site.location,
                "aws_cdk.aws_lambda.Function#EventSourceMapping",
                function.scope.stack,
            )
        )
        record.properties = {
            "EventSourceArn": Ref(origin.resource_id, "Arn"),
            "FunctionName": Ref(function.resource_id or ""),
        }
        builder.grant_statement(origin, function, "grant_consume_messages")
        return
    stream = _STREAM_SOURCES.get(kind)
    if stream is not None and origin.resource_id is not None:
        prefix, attribute, grants = stream
        record = builder.add_record(
            ResourceRecord(
                f"{function.scope.path}/{prefix}:{unique_id(origin.scope.path)}",
                "AWS::Lambda::EventSourceMapping",
                site.location,
                "aws_cdk.aws_lambda.Function#EventSourceMapping",
                function.scope.stack,
            )
        )
        source_arn = Ref(origin.resource_id, attribute)
        record.properties = {"EventSourceArn": source_arn, "FunctionName": Ref(function.resource_id or "")}
        role_id = builder.principal_role(function)
        if role_id is not None:
            for actions, on_source in grants:
                resource: Value = source_arn if on_source else Literal("*")
                builder.records[role_id].statements.append(
                    {
                        "Effect": Literal("Allow"),
                        "Action": Literal(tuple(Literal(action) for action in actions)),
                        "Resource": Literal((resource,)),
                    }
                )


# Stream event sources (aws-lambda-event-sources/lib/kinesis.ts, dynamodb.ts): the mapping's id
# prefix, the source attribute it reads, and the grants ``bind`` adds (actions, on the source or on
# "*"). KinesisEventSource calls ``stream.grantRead`` (aws-kinesis/lib/stream.ts READ_OPERATIONS);
# DynamoEventSource calls ``table.grantStreamRead`` (aws-dynamodb/lib/stream-grants.ts with perms.ts
# READ_STREAM_DATA_ACTIONS on the stream, dynamodb:ListStreams on "*").
_STREAM_SOURCES: dict[str, tuple[str, str, tuple[tuple[tuple[str, ...], bool], ...]]] = {
    "KinesisEventSource": (
        "KinesisEventSource",
        "Arn",
        (
            (
                (
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                    "kinesis:SubscribeToShard",
                    "kinesis:DescribeStream",
                    "kinesis:ListStreams",
                    "kinesis:DescribeStreamConsumer",
                ),
                True,
            ),
        ),
    ),
    "DynamoEventSource": (
        "DynamoDBEventSource",
        "StreamArn",
        (
            (("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"), True),
            (("dynamodb:ListStreams",), False),
        ),
    ),
}


def event_source_mapping(builder: Builder, function: ConstructObj, site: CallSite) -> None:
    """``fn.add_event_source_mapping(id, **options)`` (aws-lambda/lib/function-base.ts
    ``addEventSourceMapping``: ``new EventSourceMapping(this, id, {target: this, ...options})``):
    a mapping at ``<function>/<id>`` with the options' CloudFormation properties."""
    from plugins.cdk import tables
    from plugins.cdk.builder import ResourceRecord

    name = to_value(site.arg(0, "id"))
    info = tables.construct("aws_cdk.aws_lambda.EventSourceMapping")
    if not (isinstance(name, Literal) and isinstance(name.value, str)) or info is None:
        return
    record = builder.add_record(
        ResourceRecord(
            f"{function.scope.path}/{name.value}",
            "AWS::Lambda::EventSourceMapping",
            site.location,
            "aws_cdk.aws_lambda.EventSourceMapping",
            function.scope.stack,
        )
    )
    record.properties = {"FunctionName": Ref(function.resource_id or "")}
    for keyword, value in site.kwargs.items():
        prop = info.cfn_property(keyword)
        if prop is not None:
            record.properties[prop] = to_value(value)
            record.property_locations[prop] = site.arg_locations.get(keyword, site.location)


# -- S3 deployments -------------------------------------------------------------------------------------


def bucket_deployment(builder: Builder, deployment: ConstructObj, site: CallSite) -> None:
    """``s3deploy.BucketDeployment(self, id, destination_bucket=b, ...)``
    (aws-s3-deployment/lib/bucket-deployment.ts): a ``Custom::CDKBucketDeployment`` at
    ``<id>/CustomResource`` that copies objects into the bucket (and by default leaves them there
    when it is deleted). Its handler function is not modelled."""
    from plugins.cdk.builder import ResourceRecord

    bucket = site.kwargs.get("destination_bucket")
    if not isinstance(bucket, ConstructObj) or bucket.resource_id is None:
        return
    record = builder.add_record(
        ResourceRecord(
            f"{deployment.scope.path}/CustomResource",
            "Custom::CDKBucketDeployment",
            site.location,
            "aws_cdk.aws_s3_deployment.BucketDeployment",
            deployment.scope.stack,
        )
    )
    record.properties = {"DestinationBucketName": Ref(bucket.resource_id)}
    for keyword, prop in (
        ("destination_key_prefix", "DestinationBucketKeyPrefix"),
        ("retain_on_delete", "RetainOnDelete"),
        ("prune", "Prune"),
    ):
        if keyword in site.kwargs:
            record.properties[prop] = to_value(site.kwargs[keyword])
    deployment.resource_id = record.id
