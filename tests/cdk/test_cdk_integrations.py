"""Resources CDK adds when constructs are wired together (Lambda permissions, bucket notifications,
subscriptions, event sources), and the rules that read them: IAC017 and IAC005 on real scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.discover import list_files
from analyzer.graph import ResourceGraph
from analyzer.model import Literal, Project, Ref, get_path, items_of, iter_refs, literal_of
from analyzer.plugin import Limits
from analyzer.rules.base import Example
from plugins.cdk import CdkPlugin
from tests.cdk.scanning import describe, scan_example, triples

_HEAD = """
import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from aws_cdk import aws_sqs as sqs
from constructs import Construct


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        fn = lambda_.Function(
            self,
            "Handler",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return event\\n"),
        )
"""


def model(tmp_path: Path, body: str) -> Project:
    context = '{"app": "python3 tap.py", "context": {"environmentSuffix": "dev"}}'
    Example.cdk(_HEAD + body, **{"cdk.json": context}).materialize(tmp_path)
    worktree = list_files(tmp_path, Limits()).worktree
    return CdkPlugin().parse(worktree)


def permissions(project: Project) -> dict[str, dict[str, object]]:
    return {
        r.id: {key: literal_of(value, value) for key, value in r.properties.items()}
        for r in project.of_type("AWS::Lambda::Permission")
    }


def test_add_permission_and_grant_invoke_to_a_service_become_permissions(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        fn.add_permission("FromEvents", principal=iam.ServicePrincipal("events.amazonaws.com"))
        fn.grant_invoke(iam.ServicePrincipal("scheduler.amazonaws.com"))
        fn.grant_invoke(iam.ServicePrincipal("scheduler.amazonaws.com"))
        fn.add_permission("Anyone", principal=iam.AnyPrincipal(), action="lambda:InvokeFunctionUrl")
        fn.add_permission("Imported", principal=props.principal)
""",
    )
    found = permissions(project)
    assert found["TapStackdev/Handler/FromEvents"]["Principal"] == "events.amazonaws.com"
    assert found["TapStackdev/Handler/FromEvents"]["FunctionName"] == Ref("TapStackdev/Handler", "Arn")
    assert found["TapStackdev/Handler/FromEvents"]["Action"] == "lambda:InvokeFunction"
    granted = [p for p in found.values() if p["Principal"] == "scheduler.amazonaws.com"]
    assert len(granted) == 1  # grant_invoke is memoized per principal, as in CDK
    assert found["TapStackdev/Handler/Anyone"] == {
        "Action": "lambda:InvokeFunctionUrl",
        "FunctionName": Ref("TapStackdev/Handler", "Arn"),
        "Principal": "*",
    }
    imported = project.resource("TapStackdev/Handler/Imported")
    assert imported is not None and not isinstance(imported.prop("Principal"), Literal)


def test_grant_invoke_to_a_role_stays_an_identity_policy(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        role = iam.Role(self, "Caller", assumed_by=iam.ServicePrincipal("states.amazonaws.com"))
        fn.grant_invoke(role)
""",
    )
    assert not project.of_type("AWS::Lambda::Permission")
    policy = project.resource("TapStackdev/Caller/DefaultPolicy")
    statement = get_path(policy.prop("PolicyDocument"), "Statement", 0)
    assert literal_of(get_path(statement, "Action")) == ["lambda:InvokeFunction"]


def test_event_rule_target_adds_one_permission_per_rule(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        rule = events.Rule(
            self,
            "Every5",
            schedule=events.Schedule.rate(cdk.Duration.minutes(5)),
            targets=[targets.LambdaFunction(fn)],
        )
        rule.add_target(targets.LambdaFunction(fn))
""",
    )
    found = permissions(project)
    assert list(found) == ["TapStackdev/Every5/AllowEventRuleTapStackdevHandler"]
    only = found["TapStackdev/Every5/AllowEventRuleTapStackdevHandler"]
    assert only["Principal"] == "events.amazonaws.com"
    assert only["SourceArn"] == Ref("TapStackdev/Every5", "Arn")
    assert project.resource("TapStackdev/Every5/AllowEventRuleTapStackdevHandler").options["StackName"]


def test_bucket_notifications_wait_for_their_permission_and_policies(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        bucket = s3.Bucket(self, "Uploads")
        queue = sqs.Queue(self, "Jobs")
        bucket.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(fn))
        bucket.add_object_removed_notification(s3n.SqsDestination(queue))
""",
    )
    notifications = project.resource("TapStackdev/Uploads/Notifications")
    assert notifications is not None and notifications.type == "Custom::S3BucketNotifications"
    configuration = notifications.prop("NotificationConfiguration")
    lambda_entry = get_path(configuration, "LambdaFunctionConfigurations", 0)
    assert literal_of(get_path(lambda_entry, "Events")) == ["s3:ObjectCreated:*"]
    assert get_path(lambda_entry, "LambdaFunctionArn") == Ref("TapStackdev/Handler", "Arn")
    queue_entry = get_path(configuration, "QueueConfigurations", 0)
    assert literal_of(get_path(queue_entry, "Events")) == ["s3:ObjectRemoved:*"]
    permission = project.resource("TapStackdev/Uploads/AllowBucketNotificationsToTapStackdevHandler")
    assert literal_of(permission.prop("Principal")) == "s3.amazonaws.com"
    assert permission.prop("SourceArn") == Ref("TapStackdev/Uploads", "Arn")
    policy = project.resource("TapStackdev/Jobs/Policy")
    assert policy.type == "AWS::SQS::QueuePolicy"
    statement = get_path(policy.prop("PolicyDocument"), "Statement", 0)
    assert literal_of(get_path(statement, "Principal")) == {"Service": "s3.amazonaws.com"}
    graph = ResourceGraph(project)
    assert graph.depends_on(notifications.id, permission.id)
    assert graph.depends_on(notifications.id, policy.id)


def test_sns_subscriptions_and_event_sources(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        topic = sns.Topic(self, "Done")
        queue = sqs.Queue(self, "Work")
        topic.add_subscription(subs.LambdaSubscription(fn))
        topic.add_subscription(subs.SqsSubscription(queue))
        fn.add_event_source(sources.SqsEventSource(queue))
        other = sns.Topic(self, "Other")
        fn.add_event_source(sources.SnsEventSource(other))
""",
    )
    found = permissions(project)
    assert found["TapStackdev/Handler/AllowInvoke:TapStackdevDone"]["Principal"] == "sns.amazonaws.com"
    assert found["TapStackdev/Handler/AllowInvoke:TapStackdevOther"]["SourceArn"] == Ref("TapStackdev/Other")
    lambda_subscription = project.resource("TapStackdev/Handler/Done")
    assert literal_of(lambda_subscription.prop("Protocol")) == "lambda"
    queue_subscription = project.resource("TapStackdev/Work/Done")
    assert queue_subscription.prop("Endpoint") == Ref("TapStackdev/Work", "Arn")
    assert [d.target for d in queue_subscription.depends_on] == ["TapStackdev/Work/Policy"]
    mapping = project.of_type("AWS::Lambda::EventSourceMapping")[0]
    assert mapping.prop("EventSourceArn") == Ref("TapStackdev/Work", "Arn")
    policy = project.resource("TapStackdev/Handler/ServiceRole/DefaultPolicy")
    actions = [
        a
        for s in items_of(get_path(policy.prop("PolicyDocument"), "Statement"))
        for a in literal_of(get_path(s, "Action"))
    ]
    assert "sqs:ReceiveMessage" in actions
    function = project.resource("TapStackdev/Handler")
    # aws-lambda/lib/function.ts: resource.node.addDependency(this.role)
    assert {d.target for d in function.depends_on} == {
        "TapStackdev/Handler/ServiceRole",
        "TapStackdev/Handler/ServiceRole/DefaultPolicy",
    }


# -- IAC017 and IAC005 through engine.scan ---------------------------------------------------------

_DETECTOR = '''
import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

DETECTOR = """
import os
import boto3

events = boto3.client("events")


def handler(event, context):
    events.put_rule(Name=event["name"], ScheduleExpression="rate(1 day)")
    events.put_targets(Rule=event["name"], Targets=[{{"Id": "1", "Arn": os.environ["REMINDER_ARN"]}}])
"""


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix=None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        reminder = lambda_.Function(  {marker}
            self,
            "Reminder",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\\n    return event\\n"),
        )
        {wiring}
        lambda_.Function(
            self,
            "Detector",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            environment={{"REMINDER_ARN": reminder.function_arn}},
            code=lambda_.Code.from_inline(DETECTOR),
        )
'''

# Not here: a static rule's `targets.LambdaFunction(reminder)`. Its permission (modelled, see
# test_event_rule_target_adds_one_permission_per_rule) is conditioned on that rule's ARN, so it
# does not authorize the rules the code creates at run time; IAC017 does not read SourceArn yet.
IAC017_VALID = {
    "add_permission": 'reminder.add_permission("Events", principal=iam.ServicePrincipal("events.amazonaws.com"))',
    "grant_invoke": 'reminder.grant_invoke(iam.ServicePrincipal("events.amazonaws.com"))',
    "any_principal": 'reminder.add_permission("All", principal=iam.AnyPrincipal())',
    "unknown_principal": 'reminder.add_permission("Given", principal=props.invoker)',
}
IAC017_INVALID = {
    "nothing": "pass",
    "other_service": 'reminder.grant_invoke(iam.ServicePrincipal("s3.amazonaws.com"))',
    "other_action": 'reminder.add_permission("Url", principal=iam.ServicePrincipal("events.amazonaws.com"), '
    'action="lambda:GetFunction")',
}


@pytest.mark.parametrize("wiring", IAC017_VALID.values(), ids=IAC017_VALID.keys())
def test_iac017_silent_when_cdk_grants_eventbridge(tmp_path: Path, wiring: str) -> None:
    example = Example.cdk(_DETECTOR.format(marker="", wiring=wiring))
    findings, _ = scan_example(example, tmp_path)
    assert not triples(findings, "IAC017"), describe(findings)


@pytest.mark.parametrize("wiring", IAC017_INVALID.values(), ids=IAC017_INVALID.keys())
def test_iac017_fires_without_an_eventbridge_permission(tmp_path: Path, wiring: str) -> None:
    example = Example.cdk(_DETECTOR.format(marker="# expect: IAC017", wiring=wiring))
    findings, expected = scan_example(example, tmp_path)
    assert triples(findings, "IAC017") == expected, describe(findings)


def test_iac005_silent_on_cdk_notifications_and_event_sources(tmp_path: Path) -> None:
    body = """
        bucket = s3.Bucket(
            self, "Uploads", removal_policy=cdk.RemovalPolicy.DESTROY, auto_delete_objects=True
        )
        bucket.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(fn))
        bucket.add_event_notification(s3.EventType.OBJECT_REMOVED, s3n.SqsDestination(sqs.Queue(self, "Q")))
        topic = sns.Topic(self, "T")
        bucket.add_event_notification(s3.EventType.OBJECT_CREATED_PUT, s3n.SnsDestination(topic))
        topic.add_subscription(subs.LambdaSubscription(fn))
        fn.add_event_source(sources.SqsEventSource(sqs.Queue(self, "Jobs")))
"""
    findings, _ = scan_example(Example.cdk(_HEAD + body), tmp_path)
    assert not triples(findings, "IAC005"), describe(findings)


# -- API Gateway -----------------------------------------------------------------------------------

_API_HEAD = _HEAD.replace(
    "from aws_cdk import aws_events as events",
    "from aws_cdk import aws_apigateway as apigw\nfrom aws_cdk import aws_events as events",
)


def test_lambda_rest_api_proxies_with_permissions_and_a_deployment(tmp_path: Path) -> None:
    context = '{"app": "python3 tap.py", "context": {"environmentSuffix": "dev"}}'
    Example.cdk(
        _API_HEAD + '        apigw.LambdaRestApi(self, "Api", handler=fn)\n', **{"cdk.json": context}
    ).materialize(tmp_path)
    project = CdkPlugin().parse(list_files(tmp_path, Limits()).worktree)
    methods = project.of_type("AWS::ApiGateway::Method")
    assert sorted(m.id for m in methods) == [
        "TapStackdev/Api/Default/ANY",
        "TapStackdev/Api/Default/{proxy+}/ANY",
    ]
    for method in methods:
        uri = get_path(method.prop("Integration"), "Uri")
        assert any(ref == Ref("TapStackdev/Handler", "Arn") for _, ref in iter_refs(uri))
    granted = [p for p in permissions(project).values() if p["Principal"] == "apigateway.amazonaws.com"]
    assert len(granted) == 4  # the stage ARN and the test-invoke ARN of each method
    graph = ResourceGraph(project)
    assert all(graph.depends_on("TapStackdev/Api/Deployment", m.id) for m in methods)
    stage = project.resource("TapStackdev/Api/DeploymentStage.prod")
    assert stage is not None and stage.prop("DeploymentId") == Ref("TapStackdev/Api/Deployment")


def test_rest_api_resources_and_methods_keep_iac005_silent(tmp_path: Path) -> None:
    body = """
        api = apigw.RestApi(self, "Api", deploy_options=apigw.StageOptions(stage_name="v1"))
        items = api.root.add_resource("items")
        items.add_method("GET", apigw.LambdaIntegration(fn))
        items.add_resource("{id}").add_method("DELETE", apigw.LambdaIntegration(fn))
        cdk.CfnOutput(self, "Stage", value=api.deployment_stage.stage_name)
"""
    findings, _ = scan_example(Example.cdk(_API_HEAD + body), tmp_path)
    assert not triples(findings), describe(findings)
    project = CdkPlugin().parse(list_files(tmp_path, Limits()).worktree)
    ids = {r.id for r in project.resources}
    assert "TapStack{environment_suffix}/Api/Default/items/{id}/DELETE" in ids
    assert "TapStack{environment_suffix}/Api/DeploymentStage.v1" in ids


def test_queue_and_topic_targets_get_a_resource_policy_for_eventbridge(tmp_path: Path) -> None:
    project = model(
        tmp_path,
        """
        queue = sqs.Queue(self, "Inbox")
        topic = sns.Topic(self, "Alerts")
        events.Rule(
            self,
            "Hourly",
            schedule=events.Schedule.rate(cdk.Duration.hours(1)),
            targets=[targets.SqsQueue(queue), targets.SnsTopic(topic)],
        )
""",
    )
    for policy_id, action in (
        ("TapStackdev/Inbox/Policy", "sqs:SendMessage"),
        ("TapStackdev/Alerts/Policy", "sns:Publish"),
    ):
        statement = get_path(project.resource(policy_id).prop("PolicyDocument"), "Statement", 0)
        assert literal_of(get_path(statement, "Principal")) == {"Service": "events.amazonaws.com"}
        assert action in literal_of(get_path(statement, "Action"))
