#!/usr/bin/env python3
"""CDK app entry point."""
import os

import aws_cdk as cdk

from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()

environment_suffix = app.node.try_get_context("environmentSuffix") or "dev"

# The environment travels inside the props object.
props = TapStackProps(
    environment_suffix=environment_suffix,
    env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")),
)

TapStack(app, f"TapStack{environment_suffix}", props=props)

app.synth()
