"""Security monitoring per environment on top of the account's own GuardDuty and AWS Config.

GuardDuty, the AWS Config recorder and delivery channel, Security Hub and the IAM password policy
exist once per account: a bootstrap stack (or the platform team) owns them. Each environment only
adds what can exist many times: a findings filter, a Config rule, and routing to its own topic.
"""

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

        # The account's detector, looked up instead of created.
        detector = aws.guardduty.get_detector()

        aws.guardduty.Filter(
            f"archive-low-severity-{suffix}",
            name=f"tapArchiveLow{suffix}",
            detector_id=detector.id,
            action="ARCHIVE",
            rank=1,
            finding_criteria={"criterions": [{"field": "severity", "less_than": "4"}]},
            opts=child,
        )

        aws.cfg.Rule(
            f"s3-encryption-{suffix}",
            name=f"tap-s3-encryption-{suffix}",
            source={"owner": "AWS", "source_identifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"},
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
