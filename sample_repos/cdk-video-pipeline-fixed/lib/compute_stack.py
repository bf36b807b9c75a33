import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct


class ComputeStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.cluster = ecs.Cluster(self, "VideoCluster", cluster_name=f"video-processing-cluster-{environment_suffix}")

        task_role = iam.Role(
            self,
            "TaskRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            role_name=f"video-task-role-{environment_suffix}",
        )
        self.task_definition = ecs.FargateTaskDefinition(
            self, "TranscodeTask", cpu=1024, memory_limit_mib=2048, task_role=task_role
        )
        log_group = logs.LogGroup(
            self,
            "TranscodeLogs",
            log_group_name=f"/ecs/video-transcode-{environment_suffix}",
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.task_definition.add_container(
            "transcoder",
            image=ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/alpine:3.20"),
            logging=ecs.LogDrivers.aws_logs(stream_prefix="transcode", log_group=log_group),
        )
