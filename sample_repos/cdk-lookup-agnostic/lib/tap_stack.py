"""Alerts stack: a topic for the team, and the app's network in a nested stack."""
from typing import Optional

import aws_cdk as cdk
from aws_cdk import aws_sns as sns
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from lib.network_stack import NetworkStack


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: Optional[str] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, props: Optional[TapStackProps] = None, **kwargs
    ) -> None:
        # props (and the env inside it) stay here: Stack receives only **kwargs
        super().__init__(scope, construct_id, **kwargs)

        suffix = (props.environment_suffix if props else None) or "dev"

        team = ssm.StringParameter.value_from_lookup(self, "/platform/team-name")
        sns.Topic(
            self,
            "Alerts",
            topic_name=f"alerts-{suffix}",
            display_name=f"Alerts for {team}",
        )

        NetworkStack(self, f"NetworkStack{suffix}", environment_suffix=suffix)
