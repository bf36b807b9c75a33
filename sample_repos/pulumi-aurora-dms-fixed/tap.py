"""Pulumi entry point for the Aurora PostgreSQL migration stack."""

import os

import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = os.getenv("ENVIRONMENT_SUFFIX") or config.get("environmentSuffix") or "dev"

stack = TapStack(
    name="pulumi-infra",
    args=TapStackArgs(
        environment_suffix=environment_suffix,
        vpc_id=config.require("vpc_id"),
        private_subnet_ids=config.require_object("private_subnet_ids"),
        dms_subnet_ids=config.require_object("dms_subnet_ids"),
        source_db_host=config.require("source_db_host"),
        source_db_username=config.require("source_db_username"),
        source_db_password=config.require_secret("source_db_password"),
        aurora_password=config.require_secret("aurora_password"),
        create_dms_roles=config.get_bool("createDmsRoles") or False,
    ),
)

pulumi.export("aurora_endpoint", stack.aurora_cluster.endpoint)
