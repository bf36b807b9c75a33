"""CloudFormation plugin: JSON/YAML templates into the neutral model (see docs/cloudformation.md)."""

from plugins.cloudformation.plugin import CloudFormationPlugin

__all__ = ["CloudFormationPlugin"]
