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
    "del b",
    "b = (",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
