"""Order pipeline: an SQS queue, a Kinesis clickstream and a DynamoDB table stream, each polled by a
Lambda function through an event source mapping."""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions

HANDLER = "def handler(event, context):\n    return {'records': len(event.get('Records', []))}\n"
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


@dataclass
class TapStackArgs:
    environment_suffix: str


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        child = ResourceOptions(parent=self)

        self.orders_queue = aws.sqs.Queue(
            f"orders-{suffix}", name=f"tap-orders-{suffix}", visibility_timeout_seconds=120, opts=child
        )
        self.clicks = aws.kinesis.Stream(f"clicks-{suffix}", name=f"tap-clicks-{suffix}", shard_count=1, opts=child)
        self.orders_table = aws.dynamodb.Table(
            f"orders-table-{suffix}",
            name=f"tap-orders-{suffix}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="order_id",
            attributes=[aws.dynamodb.TableAttributeArgs(name="order_id", type="S")],
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            opts=child,
        )

        # The queue consumer may receive messages, but not delete them once processed.
        queue_role = self._role(f"order-consumer-role-{suffix}")
        queue_policy = aws.iam.RolePolicy(
            f"order-consumer-policy-{suffix}",
            role=queue_role.id,
            policy=self.orders_queue.arn.apply(
                lambda arn: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": ["sqs:ReceiveMessage", "sqs:GetQueueAttributes"],
                                "Resource": arn,
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        queue_function = self._function(f"order-consumer-{suffix}", queue_role)
        aws.lambda_.EventSourceMapping(
            f"order-consumer-mapping-{suffix}",
            event_source_arn=self.orders_queue.arn,
            function_name=queue_function.arn,
            batch_size=10,
            opts=ResourceOptions(parent=self, depends_on=[queue_policy]),
        )

        # The clickstream reader has only the basic execution policy.
        clicks_role = self._role(f"click-reader-role-{suffix}")
        clicks_function = self._function(f"click-reader-{suffix}", clicks_role)
        aws.lambda_.EventSourceMapping(
            f"click-reader-mapping-{suffix}",
            event_source_arn=self.clicks.arn,
            function_name=clicks_function.name,
            starting_position="LATEST",
            opts=child,
        )

        # The auditor's stream actions are granted on the table ARN, which does not cover its stream.
        audit_role = self._role(f"order-auditor-role-{suffix}")
        audit_policy = aws.iam.RolePolicy(
            f"order-auditor-policy-{suffix}",
            role=audit_role.id,
            policy=self.orders_table.arn.apply(
                lambda arn: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": [
                                    "dynamodb:DescribeStream",
                                    "dynamodb:GetRecords",
                                    "dynamodb:GetShardIterator",
                                    "dynamodb:ListStreams",
                                ],
                                "Resource": arn,
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        audit_function = self._function(f"order-auditor-{suffix}", audit_role)
        aws.lambda_.EventSourceMapping(
            f"order-auditor-mapping-{suffix}",
            event_source_arn=self.orders_table.stream_arn,
            function_name=audit_function.arn,
            starting_position="TRIM_HORIZON",
            opts=ResourceOptions(parent=self, depends_on=[audit_policy]),
        )

        self.register_outputs({"orders_queue_url": self.orders_queue.url})

    def _role(self, name: str) -> aws.iam.Role:
        role = aws.iam.Role(
            name,
            name=f"tap-{name}",
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
        aws.iam.RolePolicyAttachment(
            f"{name}-logs", role=role.name, policy_arn=BASIC_EXECUTION, opts=ResourceOptions(parent=self)
        )
        return role

    def _function(self, name: str, role: aws.iam.Role) -> aws.lambda_.Function:
        return aws.lambda_.Function(
            name,
            name=f"tap-{name}",
            runtime="python3.12",
            handler="index.handler",
            role=role.arn,
            timeout=60,
            code=pulumi.AssetArchive({"index.py": pulumi.StringAsset(HANDLER)}),
            opts=ResourceOptions(parent=self),
        )
