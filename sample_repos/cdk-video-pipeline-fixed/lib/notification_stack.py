import aws_cdk as cdk
from aws_cdk import aws_sns as sns
from constructs import Construct


class NotificationStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.completion_topic = sns.Topic(self, "CompletionTopic", topic_name=f"video-complete-{environment_suffix}")
        self.error_topic = sns.Topic(self, "ErrorTopic", topic_name=f"video-errors-{environment_suffix}")
