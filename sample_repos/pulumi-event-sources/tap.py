"""Pulumi entry point for the order pipeline."""

import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"

stack = TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix))

pulumi.export("orders_queue_url", stack.orders_queue.url)
