"""Arbitrary combinations of CDK statements (valid or not) never make the plugin raise."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.discover import list_files
from analyzer.plugin import Limits
from plugins.cdk import CdkPlugin

_HEADER = (
    "import aws_cdk as cdk\n"
    "from aws_cdk import aws_s3 as s3, aws_iam as iam, aws_lambda as lambda_, aws_ecs as ecs\n"
    "from aws_cdk import aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks\n"
    "from aws_cdk import aws_events as events, aws_events_targets as targets, aws_sqs as sqs\n"
    "from aws_cdk import aws_s3_notifications as s3n, aws_sns as sns, aws_sns_subscriptions as subs\n"
    "from aws_cdk import aws_lambda_event_sources as sources, aws_apigateway as apigw, aws_rds as rds\n"
    "from aws_cdk import aws_s3_deployment as s3deploy\n"
    "app = cdk.App()\n"
    "stack = cdk.Stack(app, 'S')\n"
)

_STATEMENTS = [
    "b = s3.Bucket(stack, 'B', bucket_name='x')",
    "b = s3.Bucket(stack)",
    "b = s3.Bucket()",
    "r = iam.Role(stack, 'R', assumed_by=iam.ServicePrincipal('states.amazonaws.com'))",
    "r = iam.Role(stack, 'R', assumed_by=None, role_name=b)",
    "b.grant_read(r)",
    "b.grant_read(None)",
    "b.grant_write(*x)",
    "r.add_to_policy(iam.PolicyStatement(actions=['s3:*'], resources=[b.bucket_arn]))",
    "r.add_to_policy(42)",
    "f = lambda_.Function(stack, 'F', runtime=lambda_.Runtime.PYTHON_3_12, handler='i.h', code=lambda_.Code.from_inline('x'))",
    "f = lambda_.Function(stack, 'F', code=lambda_.Code.from_asset(b), role=b)",
    "td = ecs.FargateTaskDefinition(stack, 'T')",
    "td.add_container('c', image=None, logging=1)",
    "td.add_to_execution_role_policy(iam.PolicyStatement(actions=['x:Y']))",
    "s = sfn.CustomState(stack, 'C', state_json={'Type': 'Task'})",
    "s = sfn.CustomState(stack, 'C', state_json=b)",
    "t = tasks.EcsRunTask(stack, 'E', task_definition=td, cluster=None, launch_target=None)",
    "t = tasks.EcsRunTask(stack, 'E')",
    "m = sfn.StateMachine(stack, 'M', definition_body=sfn.DefinitionBody.from_chainable(s.next(t)))",
    "m = sfn.StateMachine(stack, 'M', definition_body=sfn.DefinitionBody.from_string('{bad json'))",
    "m = sfn.StateMachine(stack, 'M', definition=t, role=r)",
    "stack.node.add_dependency(b)",
    "b.node.add_dependency(stack, r, None)",
    "b.apply_removal_policy(cdk.RemovalPolicy.RETAIN)",
    "b.apply_removal_policy()",
    "cfn = s3.CfnBucket(stack, 'L', versioning_configuration={'status': 1, 'x': [1, {'y': 2}]})",
    "cfn.add_property_override('A.B', 1)",
    "cfn.add_depends_on(b)",
    "x = app.node.try_get_context(None)",
    "x = app.node.try_get_context('environmentSuffix')",
    "for i in range(3): s3.Bucket(stack, 'Same')",
    "class C(cdk.Stack):\n    def __init__(self, s, i, **kw):\n        super().__init__(s, i, **kw)\n        s3.Bucket(self, 'In')",
    "C(app, 'C1', props=1)",
    "C(stack)",
    "def f(x):\n    return f(x)",
    "f(1)",
    "f.add_permission('P', principal=iam.ServicePrincipal('events.amazonaws.com'), source_arn=b)",
    "f.add_permission()",
    "f.add_permission(None, principal=iam.CompositePrincipal(r), scope=r)",
    "f.grant_invoke(iam.ServicePrincipal('s3.amazonaws.com'))",
    "f.grant_invoke(iam.AnyPrincipal())",
    "f.add_event_source(sources.SqsEventSource(b))",
    "f.add_event_source(sources.S3EventSource(b, events=[s3.EventType.OBJECT_CREATED, None]))",
    "f.add_event_source(None)",
    "b.add_event_notification(s3.EventType.OBJECT_REMOVED, s3n.LambdaDestination(f))",
    "b.add_event_notification()",
    "b.add_object_created_notification(s3n.SqsDestination(q), 7)",
    "q = sqs.Queue(stack, 'Q', fifo=1, queue_name=b)",
    "q = sqs.Queue(stack, 'Q', queue_name='x.fifo', **kw)",
    "q.grant_send_messages(iam.ServicePrincipal('events.amazonaws.com'))",
    "q.add_to_resource_policy(iam.PolicyStatement(actions=['sqs:*']))",
    "t2 = sns.Topic(stack, 'T2')",
    "t2.add_subscription(subs.LambdaSubscription(f))",
    "t2.add_subscription(subs.SqsSubscription(q))",
    "t2.add_subscription(subs.EmailSubscription('a@b.c'))",
    "t2.add_subscription()",
    "rule = events.Rule(stack, 'Rule', targets=[targets.LambdaFunction(f), targets.SqsQueue(q), None])",
    "rule.add_target(targets.SnsTopic(t2))",
    "api = apigw.LambdaRestApi(stack, 'Api', handler=f)",
    "api = apigw.RestApi(stack, 'Api', deploy=False, deploy_options=apigw.StageOptions(stage_name=b))",
    "api.root.add_resource('x').add_method('GET', apigw.LambdaIntegration(f))",
    "api.root.add_method(None, apigw.LambdaIntegration(None))",
    "api.root.add_proxy(default_integration=apigw.LambdaIntegration(f), any_method=False)",
    "rds.DatabaseCluster(stack, 'D', credentials=rds.Credentials.from_password(None, None))",
    "s3deploy.BucketDeployment(stack, 'Dep', destination_bucket=b, sources=[], prune=False)",
    "class SB(s3.Bucket):\n    def __init__(self, s, i, **kw):\n        super().__init__(s, i, **kw)",
    "sb = SB(stack, 'SB', bucket_name='y')",
    "sb.grant_read(f)",
    "sb.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(sb))",
    "cdk.Aspects.of(stack).add(None)",
    "del b",
    "b = (",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_STATEMENTS), max_size=12))
def test_any_sequence_of_cdk_statements_is_modelled_without_raising(statements: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "cdk.json").write_text('{"app": "python3 app.py", "context": {"environmentSuffix": "t"}}')
        (root / "app.py").write_text(_HEADER + "\n".join(statements) + "\n")
        worktree = list_files(root, Limits(eval_steps=20_000)).worktree
        project = CdkPlugin().parse(worktree)
        assert project.platform == "cdk"
        assert len({r.id for r in project.resources}) == len(project.resources)
