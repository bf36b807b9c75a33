"""Orders stack: an upload bucket and a work queue."""
from typing import Optional

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct


class TapStackProps:
    def __init__(self, environment_suffix: Optional[str] = None) -> None:
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    # props arrive through **kwargs and are handed to Stack, which has no `props` parameter
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        suffix = self.node.try_get_context("environmentSuffix") or "dev"

        self.uploads = s3.Bucket(
            self,
            "Uploads",
            bucket_name=f"orders-uploads-{suffix}",
            removal_policy=RemovalPolicy.DESTROY,
            auto_delete_objects=True,
        )
        self.queue = sqs.Queue(
            self,
            "WorkQueue",
            queue_name=f"orders-work-{suffix}",
            visibility_timeout=Duration.seconds(60),
        )
