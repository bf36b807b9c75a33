#!/usr/bin/env python3
"""CDK app entry point."""
import os

import aws_cdk as cdk

from lib.tap_stack import TapStack, TapStackProps

app = cdk.App()

environment_suffix = app.node.try_get_context("environmentSuffix") or "dev"
props = TapStackProps(environment_suffix=environment_suffix)

# env is a keyword of the stack itself: TapStack hands it to Stack through **kwargs.
TapStack(
    app,
    f"TapStack{environment_suffix}",
    props=props,
    env=cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")),
)

app.synth()
