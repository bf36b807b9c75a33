"""AWS CDK (Python) platform plugin."""

from plugins.cdk.plugin import CdkPlugin

__all__ = ["CdkPlugin"]
