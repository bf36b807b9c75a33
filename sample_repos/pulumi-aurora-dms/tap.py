"""Pulumi entry point for the Aurora PostgreSQL migration stack."""

import os

import pulumi
from lib.tap_stack import TapStack, TapStackArgs

environment_suffix = os.getenv("ENVIRONMENT_SUFFIX", "dev")

stack = TapStack(
    name="pulumi-infra",
    args=TapStackArgs(environment_suffix=environment_suffix),
)

pulumi.export("aurora_endpoint", stack.aurora_cluster.endpoint)
