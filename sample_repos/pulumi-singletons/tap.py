"""Pulumi entry point for the security monitoring baseline."""

import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"

stack = TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))

pulumi.export("findings_topic_arn", stack.findings_topic.arn)
