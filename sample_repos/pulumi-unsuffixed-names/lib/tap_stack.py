"""Order intake: a bucket, queues, a table, a topic and a processing function."""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions

from .naming import scoped


@dataclass
class TapStackArgs:
    environment_suffix: str
    environment: str = "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix

        self.data_bucket = aws.s3.Bucket(
            "order-data",
            bucket="tap-order-data",
            opts=ResourceOptions(parent=self),
        )

        self.sessions = aws.dynamodb.Table(
            "sessions",
            name="sessions",
            billing_mode="PAY_PER_REQUEST",
            hash_key="id",
            attributes=[{"name": "id", "type": "S"}],
            opts=ResourceOptions(parent=self),
        )

        self.jobs_queue = aws.sqs.Queue(
            "jobs",
            name=scoped("order-jobs", suffix),
            opts=ResourceOptions(parent=self),
        )

        self.events_topic = aws.sns.Topic(
            "events",
            name=f"order-events-{pulumi.get_stack()}",
            opts=ResourceOptions(parent=self),
        )

        self.processor_role = aws.iam.Role(
            "processor-role",
            name=f"order-processor-role-{args.environment}",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            opts=ResourceOptions(parent=self),
        )

        self.processor = aws.lambda_.Function(
            "processor",
            name="order-processor",
            runtime="python3.12",
            handler="index.handler",
            role=self.processor_role.arn,
            code=pulumi.FileArchive("./lib/lambda"),
            opts=ResourceOptions(parent=self),
        )

        self.log_group = aws.cloudwatch.LogGroup(
            "processor-logs",
            name_prefix="/aws/lambda/order-processor-",
            retention_in_days=14,
            opts=ResourceOptions(parent=self),
        )

        for kind in ["invoices", "receipts"]:
            aws.s3.Bucket(
                f"{kind}-bucket",
                bucket=f"tap-{kind}",
                opts=ResourceOptions(parent=self),
            )

        self.audit_queue = aws.sqs.Queue("audit", opts=ResourceOptions(parent=self))

        self.register_outputs({"bucket": self.data_bucket.bucket})
