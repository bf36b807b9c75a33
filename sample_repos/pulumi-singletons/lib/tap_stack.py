"""Security monitoring: GuardDuty, AWS Config and Security Hub, findings routed to SNS."""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions


@dataclass
class TapStackArgs:
    environment_suffix: str


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        child = ResourceOptions(parent=self)

        self.detector = aws.guardduty.Detector(
            f"guardduty-{suffix}",
            enable=True,
            finding_publishing_frequency="FIFTEEN_MINUTES",
            opts=child,
        )

        self.config_bucket = aws.s3.Bucket(
            f"config-history-{suffix}",
            bucket=f"tap-config-history-{suffix}",
            opts=child,
        )

        self.config_role = aws.iam.Role(
            f"config-role-{suffix}",
            name=f"tap-config-role-{suffix}",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "config.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"],
            opts=child,
        )

        self.recorder = aws.cfg.Recorder(
            f"config-recorder-{suffix}",
            name=f"tap-recorder-{suffix}",
            role_arn=self.config_role.arn,
            recording_group={"all_supported": True, "include_global_resource_types": True},
            opts=child,
        )

        self.delivery_channel = aws.cfg.DeliveryChannel(
            f"config-delivery-{suffix}",
            name=f"tap-delivery-{suffix}",
            s3_bucket_name=self.config_bucket.bucket,
            opts=ResourceOptions(parent=self, depends_on=[self.recorder]),
        )

        self.security_hub = aws.securityhub.Account(f"security-hub-{suffix}", opts=child)

        self.password_policy = aws.iam.AccountPasswordPolicy(
            f"password-policy-{suffix}",
            minimum_password_length=14,
            require_symbols=True,
            require_numbers=True,
            max_password_age=90,
            opts=child,
        )

        self.findings_topic = aws.sns.Topic(
            f"security-findings-{suffix}",
            name=f"tap-security-findings-{suffix}",
            opts=child,
        )

        aws.sns.TopicPolicy(
            f"security-findings-policy-{suffix}",
            arn=self.findings_topic.arn,
            policy=self.findings_topic.arn.apply(
                lambda arn: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "events.amazonaws.com"},
                                "Action": "sns:Publish",
                                "Resource": arn,
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )

        self.findings_rule = aws.cloudwatch.EventRule(
            f"guardduty-findings-{suffix}",
            name=f"tap-guardduty-findings-{suffix}",
            event_pattern=json.dumps({"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]}),
            opts=child,
        )

        aws.cloudwatch.EventTarget(
            f"guardduty-findings-to-sns-{suffix}",
            rule=self.findings_rule.name,
            arn=self.findings_topic.arn,
            opts=child,
        )

        self.register_outputs({"findings_topic_arn": self.findings_topic.arn})
