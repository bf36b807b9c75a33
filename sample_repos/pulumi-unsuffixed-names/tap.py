"""Pulumi entry point for the order intake service."""

import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"
environment = config.get("environment") or "dev"

TapStack(
    "TapStack",
    TapStackArgs(environment_suffix=environment_suffix, environment=environment),
)
