"""Generate ``plugins/cdk/data/cdk_tables.json.gz`` from the aws-cdk-lib jsii assembly.

Dev-time only: aws-cdk-lib is a dependency of this script, never of iacscan. Run::

    python tools/gen_cdk_tables.py                      # pip-downloads aws-cdk-lib==2.275.0
    python tools/gen_cdk_tables.py --wheel path/to/aws_cdk_lib-2.275.0-py3-none-any.whl

What the assembly gives (see /work/shared/DATA-SOURCES.md):

* L1 classes (``CfnBucket``) carry ``docs.custom.cloudformationResource``.
* Some L2 classes carry ``docs.custom.resource``; the rest map through a sibling ``Cfn<Name>`` class
  in the same module (compared case-insensitively, ``Vpc`` -> ``CfnVPC``), through their ``base``
  class (``LambdaRestApi`` -> ``RestApi``), then through ``HAND_TYPES`` below.
* Props interfaces list every keyword argument (camelCase in jsii; the Python binding flattens the
  last struct parameter into snake_case keyword-only arguments).
* CloudFormation property names (exact spelling) come from cfn-lint's provider schemas.
* Grant methods: the npm package inside the wheel carries the compiled JavaScript; the action lists
  are read from the ``perms.js`` constants and string literals of each ``grant*`` method body
  (following ``this.grants.x(...)`` and ``this.grantY(...)`` delegations). ``HAND_GRANTS`` covers
  what that cannot reach, each entry with its source.

The script prints how many L2 classes are mapped and lists the unmapped ones.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VERSION = "2.275.0"
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "plugins" / "cdk" / "data" / "cdk_tables.json.gz"
LIB = "aws-cdk-lib"

# L2 classes whose CloudFormation type neither a tag, a sibling Cfn class nor a base class gives.
# Source: the class's implementation in aws-cdk-lib 2.275 (the `new Cfn...` it creates).
HAND_TYPES: dict[str, str] = {
    "aws_rds.DatabaseCluster": "AWS::RDS::DBCluster",  # aws-rds/lib/cluster.ts: new CfnDBCluster
    "aws_rds.DatabaseClusterFromSnapshot": "AWS::RDS::DBCluster",  # cluster.ts
    "aws_rds.ServerlessCluster": "AWS::RDS::DBCluster",  # serverless-cluster.ts
    "aws_rds.ServerlessClusterFromSnapshot": "AWS::RDS::DBCluster",  # serverless-cluster.ts
    "aws_rds.DatabaseInstance": "AWS::RDS::DBInstance",  # instance.ts: new CfnDBInstance
    "aws_rds.DatabaseInstanceFromSnapshot": "AWS::RDS::DBInstance",  # instance.ts
    "aws_rds.DatabaseInstanceReadReplica": "AWS::RDS::DBInstance",  # instance.ts
    "aws_rds.ParameterGroup": "AWS::RDS::DBParameterGroup",  # parameter-group.ts (cluster variant on bind)
    "aws_rds.SubnetGroup": "AWS::RDS::DBSubnetGroup",  # subnet-group.ts
    "aws_rds.DatabaseProxy": "AWS::RDS::DBProxy",  # proxy.ts
    "aws_rds.OptionGroup": "AWS::RDS::OptionGroup",  # option-group.ts
    "aws_ecs.FargateService": "AWS::ECS::Service",  # base-service.ts: new CfnService
    "aws_ecs.Ec2Service": "AWS::ECS::Service",  # base-service.ts
    "aws_ecs.ExternalService": "AWS::ECS::Service",  # base-service.ts
    "aws_lambda.SingletonFunction": "AWS::Lambda::Function",  # singleton-lambda.ts wraps a Function
    "aws_lambda.Alias": "AWS::Lambda::Alias",  # alias.ts
    "aws_lambda.LayerVersion": "AWS::Lambda::LayerVersion",  # layers.ts
    "aws_ec2.Vpc": "AWS::EC2::VPC",  # vpc.ts: new CfnVPC
    "aws_ec2.Instance": "AWS::EC2::Instance",  # instance.ts
    "aws_ec2.BastionHostLinux": "AWS::EC2::Instance",  # bastion-host.ts wraps an Instance
    "aws_elasticloadbalancingv2.ApplicationLoadBalancer": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "aws_elasticloadbalancingv2.NetworkLoadBalancer": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "aws_elasticloadbalancingv2.ApplicationListener": "AWS::ElasticLoadBalancingV2::Listener",
    "aws_elasticloadbalancingv2.NetworkListener": "AWS::ElasticLoadBalancingV2::Listener",
    "aws_elasticloadbalancingv2.ApplicationTargetGroup": "AWS::ElasticLoadBalancingV2::TargetGroup",
    "aws_elasticloadbalancingv2.NetworkTargetGroup": "AWS::ElasticLoadBalancingV2::TargetGroup",
    "aws_apigateway.LambdaRestApi": "AWS::ApiGateway::RestApi",  # lambda-api.ts extends RestApi
    "aws_stepfunctions.StateMachine": "AWS::StepFunctions::StateMachine",  # state-machine.ts
    "aws_dynamodb.TableV2": "AWS::DynamoDB::GlobalTable",  # table-v2.ts: new CfnGlobalTable
    "aws_sns.Subscription": "AWS::SNS::Subscription",  # subscription.ts
    "aws_events.EventBus": "AWS::Events::EventBus",  # event-bus.ts
    "aws_cloudfront.Distribution": "AWS::CloudFront::Distribution",  # distribution.ts
    "aws_certificatemanager.Certificate": "AWS::CertificateManager::Certificate",  # certificate.ts
    "aws_route53.PublicHostedZone": "AWS::Route53::HostedZone",  # hosted-zone.ts
    "aws_route53.PrivateHostedZone": "AWS::Route53::HostedZone",  # hosted-zone.ts
    "aws_route53.ARecord": "AWS::Route53::RecordSet",  # record-set.ts
    "aws_route53.CnameRecord": "AWS::Route53::RecordSet",  # record-set.ts
    "aws_secretsmanager.RotationSchedule": "AWS::SecretsManager::RotationSchedule",
    "aws_autoscaling.AutoScalingGroup": "AWS::AutoScaling::AutoScalingGroup",  # auto-scaling-group.ts
    "aws_cloudwatch.Alarm": "AWS::CloudWatch::Alarm",  # alarm.ts
    "aws_cloudwatch.Dashboard": "AWS::CloudWatch::Dashboard",  # dashboard.ts
    "aws_kinesis.Stream": "AWS::Kinesis::Stream",  # stream.ts
    "aws_efs.AccessPoint": "AWS::EFS::AccessPoint",  # access-point.ts
    "aws_ecr.Repository": "AWS::ECR::Repository",  # repository.ts
    "aws_ssm.StringParameter": "AWS::SSM::Parameter",  # parameter.ts
    "aws_ssm.StringListParameter": "AWS::SSM::Parameter",  # parameter.ts
    "aws_codebuild.PipelineProject": "AWS::CodeBuild::Project",  # project.ts
    "aws_glue.CfnJob": "AWS::Glue::Job",
}

# L2 props whose CloudFormation property is not the PascalCase of the keyword (the L2 renames it).
# Source: each construct's `new Cfn...({...})` call in aws-cdk-lib 2.275.
HAND_RENAMES: dict[str, dict[str, str]] = {
    # aws-elasticloadbalancingv2 base-load-balancer.ts / base-target-group.ts: name: props.*Name
    "aws_elasticloadbalancingv2.ApplicationLoadBalancer": {"load_balancer_name": "Name"},
    "aws_elasticloadbalancingv2.NetworkLoadBalancer": {"load_balancer_name": "Name"},
    "aws_elasticloadbalancingv2.ApplicationTargetGroup": {"target_group_name": "Name"},
    "aws_elasticloadbalancingv2.NetworkTargetGroup": {"target_group_name": "Name"},
    # aws-events/lib/rule.ts: name: this.physicalName (ruleName). The schema also lists a
    # `RuleName` property, which the name match would otherwise pick.
    "aws_events.Rule": {"rule_name": "Name"},
    "aws_iam.Role": {
        "assumed_by": "AssumeRolePolicyDocument",
        "managed_policies": "ManagedPolicyArns",
        "inline_policies": "Policies",
    },
    "aws_lambda.Function": {
        "role": "Role",
        "environment": "Environment",
        "memory_size": "MemorySize",
        "dead_letter_queue": "DeadLetterConfig",
        "vpc": "VpcConfig",
    },
    "aws_rds.DatabaseCluster": {
        "cluster_identifier": "DBClusterIdentifier",
        "parameter_group": "DBClusterParameterGroupName",
        "subnet_group": "DBSubnetGroupName",
        "default_database_name": "DatabaseName",
        "storage_encrypted": "StorageEncrypted",
        "deletion_protection": "DeletionProtection",
    },
    "aws_rds.DatabaseInstance": {
        "instance_identifier": "DBInstanceIdentifier",
        "database_name": "DBName",
        "parameter_group": "DBParameterGroupName",
        "subnet_group": "DBSubnetGroupName",
        "instance_type": "DBInstanceClass",
    },
    "aws_stepfunctions.StateMachine": {
        "definition_body": "DefinitionString",
        "definition": "DefinitionString",
        "role": "RoleArn",
        "logs": "LoggingConfiguration",
    },
    "aws_dynamodb.Table": {"partition_key": "KeySchema", "sort_key": "KeySchema"},
    "aws_logs.LogGroup": {"retention": "RetentionInDays", "encryption_key": "KmsKeyId"},
    "aws_ecs.TaskDefinition": {"task_role": "TaskRoleArn", "execution_role": "ExecutionRoleArn"},
    "aws_ecs.FargateTaskDefinition": {
        "task_role": "TaskRoleArn",
        "execution_role": "ExecutionRoleArn",
        "memory_limit_mib": "Memory",
    },
    "aws_sqs.Queue": {
        "retention_period": "MessageRetentionPeriod",
        "encryption_master_key": "KmsMasterKeyId",
    },
    "aws_s3.Bucket": {"versioned": "VersioningConfiguration", "encryption_key": "BucketEncryption"},
    "aws_kms.Key": {"alias": "Aliases"},
}

# Physical-name keywords the docs heuristic misses. Source: the L2's `physicalName: props.x`.
HAND_NAME_PROPS: dict[str, str] = {
    "aws_elasticloadbalancingv2.ApplicationLoadBalancer": "load_balancer_name",
    "aws_elasticloadbalancingv2.NetworkLoadBalancer": "load_balancer_name",
    "aws_elasticloadbalancingv2.ApplicationTargetGroup": "target_group_name",
    "aws_elasticloadbalancingv2.NetworkTargetGroup": "target_group_name",
    "aws_events.Rule": "rule_name",
    "aws_rds.DatabaseInstance": "instance_identifier",
    "aws_rds.DatabaseCluster": "cluster_identifier",
    "aws_ecs.FargateTaskDefinition": "family",
    "aws_ecs.TaskDefinition": "family",
    "aws_ecs.Ec2TaskDefinition": "family",
}

# Resources an L2 construct creates besides its primary one, that the rules need to see.
# `unless`: the keyword that supplies it instead; `when`: created only when that keyword is given.
# `attr`: the Python attribute that returns it. Source: aws-cdk-lib 2.275 construct sources.
COMPANIONS: dict[str, list[dict[str, Any]]] = {
    # aws-lambda/lib/function.ts: `this.role = props.role || new iam.Role(this, 'ServiceRole', ...)`
    "aws_lambda.Function": [
        {
            "id": "ServiceRole",
            "type": "AWS::IAM::Role",
            "unless": "role",
            "attr": "role",
            "assumed_by": "lambda.amazonaws.com",
            "managed": ["service-role/AWSLambdaBasicExecutionRole"],
        }
    ],
    # aws-stepfunctions/lib/state-machine.ts: `this.role = props.role || new iam.Role(this, 'Role', ...)`
    "aws_stepfunctions.StateMachine": [
        {
            "id": "Role",
            "type": "AWS::IAM::Role",
            "unless": "role",
            "attr": "role",
            "assumed_by": "states.amazonaws.com",
        }
    ],
    # aws-ecs/lib/base/task-definition.ts: `this.taskRole = props.taskRole || new iam.Role(this, 'TaskRole')`
    # and the execution role, created on demand (`obtainExecutionRole`) by containers that pull from
    # ECR or log to CloudWatch.
    "aws_ecs.TaskDefinition": [
        {
            "id": "TaskRole",
            "type": "AWS::IAM::Role",
            "unless": "task_role",
            "attr": "task_role",
            "assumed_by": "ecs-tasks.amazonaws.com",
        },
        {
            "id": "ExecutionRole",
            "type": "AWS::IAM::Role",
            "unless": "execution_role",
            "attr": "execution_role",
            "assumed_by": "ecs-tasks.amazonaws.com",
            "lazy": True,
        },
    ],
    # aws-rds/lib/cluster.ts: `new SubnetGroup(this, 'Subnets', ...)` unless subnetGroup; parameter group
    # from `parameters` (`new ParameterGroup(this, 'ParameterGroup', ...)`), a generated secret unless
    # credentials are given with a password.
    "aws_rds.DatabaseCluster": [
        {"id": "Subnets", "type": "AWS::RDS::DBSubnetGroup", "unless": "subnet_group"},
        {
            "id": "ParameterGroup",
            "type": "AWS::RDS::DBClusterParameterGroup",
            "when": "parameters",
            "props": {"parameters": "Parameters"},
        },
        {"id": "Secret", "type": "AWS::SecretsManager::Secret", "attr": "secret", "unless": "credentials"},
    ],
    "aws_rds.DatabaseInstance": [
        {"id": "SubnetGroup", "type": "AWS::RDS::DBSubnetGroup", "unless": "subnet_group"},
        {
            "id": "ParameterGroup",
            "type": "AWS::RDS::DBParameterGroup",
            "when": "parameters",
            "props": {"parameters": "Parameters"},
        },
        {"id": "Secret", "type": "AWS::SecretsManager::Secret", "attr": "secret", "unless": "credentials"},
    ],
    # aws-s3/lib/bucket.ts: auto_delete_objects adds a bucket policy and a custom resource.
    "aws_s3.Bucket": [{"id": "Policy", "type": "AWS::S3::BucketPolicy", "when": "auto_delete_objects"}],
    # aws-cloudtrail/lib/cloudtrail.ts: `this.s3bucket = props.bucket || new s3.Bucket(this, 'S3',
    # {encryption, enforceSSL: true})`: no removalPolicy, so the Bucket default (retain) applies.
    "aws_cloudtrail.Trail": [
        {"id": "S3", "type": "AWS::S3::Bucket", "unless": "bucket", "removal": "retain", "of": "Bucket"}
    ],
    # aws-ec2/lib/vpc-flow-logs.ts: `props.destination || FlowLogDestination.toCloudWatchLogs()`, whose
    # bind creates `new iam.Role(scope, 'IAMRole', ...)` and `new logs.LogGroup(scope, 'LogGroup')`
    # (no removalPolicy: the LogGroup default, retain).
    "aws_ec2.FlowLog": [
        {
            "id": "IAMRole",
            "type": "AWS::IAM::Role",
            "unless": "destination",
            "assumed_by": "vpc-flow-logs.amazonaws.com",
        },
        {
            "id": "LogGroup",
            "type": "AWS::Logs::LogGroup",
            "unless": "destination",
            "removal": "retain",
            "of": "LogGroup",
        },
    ],
}

# Grant methods the JavaScript reading cannot resolve (dynamic action lists). Source noted per entry.
HAND_GRANTS: dict[str, dict[str, list[str]]] = {
    # aws-iam/lib/role-grants.ts: passRole -> iam:PassRole; assumeRole -> sts:AssumeRole
    "aws_iam.Role": {"grant_pass_role": ["iam:PassRole"], "grant_assume_role": ["sts:AssumeRole"]},
    # aws-lambda/lib/function-base.ts: grantInvoke, grantInvokeUrl (action passed as a variable)
    "aws_lambda.Function": {
        "grant_invoke": ["lambda:InvokeFunction"],
        "grant_invoke_url": ["lambda:InvokeFunctionUrl"],
        "grant_invoke_latest_version": ["lambda:InvokeFunction"],
    },
    # aws-stepfunctions/lib/state-machine-grants.ts
    "aws_stepfunctions.StateMachine": {
        "grant_start_execution": ["states:StartExecution"],
        "grant_start_sync_execution": ["states:StartSyncExecution"],
        "grant_task_response": [
            "states:SendTaskSuccess",
            "states:SendTaskFailure",
            "states:SendTaskHeartbeat",
        ],
        "grant_read": [
            "states:ListExecutions",
            "states:ListStateMachines",
            "states:DescribeExecution",
            "states:DescribeStateMachineForExecution",
            "states:GetExecutionHistory",
            "states:ListActivities",
            "states:DescribeStateMachine",
            "states:DescribeActivity",
        ],
    },
    # aws-s3/lib/bucket-grants.ts: put/write use `this.putActions`, chosen by the feature flag
    # @aws-cdk/aws-s3:grantWriteWithoutAcl (on for new projects): perms.ts BUCKET_PUT_ACTIONS.
    "aws_s3.BucketBase": {
        "grant_put": [
            "s3:PutObject",
            "s3:PutObjectLegalHold",
            "s3:PutObjectRetention",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:Abort*",
        ],
        "grant_write": [
            "s3:PutObject",
            "s3:PutObjectLegalHold",
            "s3:PutObjectRetention",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:Abort*",
            "s3:DeleteObject*",
        ],
        "grant_read_write": [
            "s3:PutObject",
            "s3:PutObjectLegalHold",
            "s3:PutObjectRetention",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:Abort*",
            "s3:DeleteObject*",
        ],
    },
    # aws-secretsmanager/lib/secret.ts grantRead/grantWrite
    "aws_secretsmanager.Secret": {
        "grant_read": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        "grant_write": [
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecret",
            "secretsmanager:UpdateSecretVersionStage",
        ],
    },
}

_ACTION = re.compile(r'"([a-z0-9-]+:[A-Za-z0-9*]+)"')


def snake(name: str) -> str:
    """jsii's Python naming (codemaker ``toSnakeCase``); ``MiB``/``GiB`` stay one word."""
    name = re.sub(r"([MGK])iB", r"\1ib", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z\d]+)", r"\1_\2", name)
    return name.lower()


def module_of(path: str) -> str:
    """``aws_cdk.aws_s3.CfnBucket.VersioningConfigurationProperty`` -> ``aws_cdk.aws_s3``."""
    parts = path.split(".")
    kept: list[str] = []
    for part in parts:
        if part[:1].isupper():
            break
        kept.append(part)
    return ".".join(kept)


def pascal(snake_name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake_name.split("_") if part)


# --------------------------------------------------------------------------------------------------
# Inputs


def fetch_wheel(target: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"aws-cdk-lib=={VERSION}", "--no-deps", "-d", str(target)],
        check=True,
    )
    return next(target.glob("aws_cdk_lib-*.whl"))


def read_package(wheel: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The assembly and the package's JavaScript files (relative path -> text) for grant reading."""
    with zipfile.ZipFile(wheel) as archive:
        inner = next(name for name in archive.namelist() if name.endswith(".jsii.tgz"))
        payload = archive.read(inner)
    sources: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
        assembly = json.loads(gzip.decompress(tar.extractfile("package/.jsii.gz").read()))  # type: ignore[union-attr]
        for member in tar.getmembers():
            name = member.name
            # Hand-written modules only: the generated L1 code holds no grant methods.
            wanted = name.endswith(".js") and "/lib/" in name and "node_modules" not in name
            if wanted and member.isfile() and ("grant" in name or not name.endswith(".generated.js")):
                sources[name.removeprefix("package/")] = tar.extractfile(member).read().decode()  # type: ignore[union-attr]
    return assembly, sources


def cfn_schemas() -> dict[str, dict[str, Any]]:
    """CloudFormation type -> provider schema, from cfn-lint's us-east-1 index."""
    import cfnlint

    base = Path(cfnlint.__file__).parent / "data" / "schemas"
    index = json.loads((base / "providers" / "us-east-1.json").read_text())
    schemas: dict[str, dict[str, Any]] = {}
    for type_name, digest in index.items():
        path = base / "resources" / f"{digest}.json"
        if path.is_file():
            schemas[type_name] = json.loads(path.read_text())
    return schemas


# --------------------------------------------------------------------------------------------------
# The assembly


class Assembly:
    def __init__(self, data: dict[str, Any]) -> None:
        self.types: dict[str, dict[str, Any]] = data["types"]
        self.modules = {
            fqn: info.get("targets", {}).get("python", {}).get("module")
            for fqn, info in data.get("submodules", {}).items()
        }

    def python_path(self, fqn: str) -> str | None:
        """``aws-cdk-lib.aws_s3.Bucket`` -> ``aws_cdk.aws_s3.Bucket`` (nested types keep their class)."""
        if not fqn.startswith(LIB + "."):
            return None
        rest = fqn[len(LIB) + 1 :].split(".")
        module_parts: list[str] = []
        for part in rest:
            if part[:1].isupper():
                break
            module_parts.append(part)
        names = rest[len(module_parts) :]
        module = self.modules.get(".".join([LIB, *module_parts])) if module_parts else "aws_cdk"
        return f"{module}.{'.'.join(names)}" if module else None

    def short(self, fqn: str) -> str:
        return fqn[len(LIB) + 1 :]

    def ancestors(self, fqn: str) -> list[str]:
        chain: list[str] = []
        current = self.types.get(fqn, {}).get("base")
        while current:
            chain.append(current)
            current = self.types.get(current, {}).get("base")
        return chain

    def struct_properties(self, fqn: str, seen: set[str] | None = None) -> Iterator[dict[str, Any]]:
        seen = seen if seen is not None else set()
        if fqn in seen or fqn not in self.types:
            return
        seen.add(fqn)
        struct = self.types[fqn]
        yield from struct.get("properties", [])
        for parent in struct.get("interfaces", []):
            yield from self.struct_properties(parent, seen)

    def is_struct(self, type_ref: dict[str, Any]) -> bool:
        target = self.types.get(type_ref.get("fqn", ""))
        return bool(target and target.get("kind") == "interface" and target.get("datatype"))

    def signature(self, fqn: str) -> dict[str, Any]:
        """Positional parameters and flattened keyword parameters, as the Python binding has them."""
        current: str | None = fqn
        initializer = None
        while current and current in self.types:  # a class without its own initializer inherits one
            initializer = self.types[current].get("initializer")
            if initializer is not None:
                break
            current = self.types[current].get("base")
        params = list((initializer or {}).get("parameters", []))
        keywords: list[str] = []
        required: list[str] = []
        props_fqn = None
        if params and self.is_struct(params[-1]["type"]) and not params[-1].get("variadic"):
            props_fqn = params[-1]["type"]["fqn"]
            params = params[:-1]
            for prop in self.struct_properties(props_fqn):
                name = snake(prop["name"])
                if name not in keywords:
                    keywords.append(name)
                    if not prop.get("optional"):
                        required.append(name)
        positional = [snake(param["name"]) for param in params]
        positional_required = [snake(p["name"]) for p in params if not p.get("optional")]
        return {
            "args": positional,
            "args_required": positional_required,
            "kw": keywords,
            "required": required,
            "props": props_fqn,
        }


# --------------------------------------------------------------------------------------------------
# CloudFormation property names


class CfnNames:
    def __init__(self, schemas: dict[str, dict[str, Any]]) -> None:
        self.schemas = schemas
        self.by_type: dict[str, dict[str, str]] = {
            type_name: {name.lower(): name for name in schema.get("properties", {})}
            for type_name, schema in schemas.items()
        }
        # Every property name of every schema (nested definitions too): exact spelling for structs.
        self.anywhere: dict[str, str] = {}
        for schema in schemas.values():
            for name in schema.get("properties", {}):
                self.anywhere.setdefault(name.lower(), name)
            for definition in schema.get("definitions", {}).values():
                for name in definition.get("properties", {}) if isinstance(definition, dict) else ():
                    self.anywhere.setdefault(name.lower(), name)

    def property(self, type_name: str | None, snake_name: str) -> str | None:
        if not type_name:
            return None
        names = self.by_type.get(type_name, {})
        key = snake_name.replace("_", "")
        if key in names:
            return names[key]
        return None

    def nested(self, snake_name: str) -> str:
        return self.anywhere.get(snake_name.replace("_", ""), pascal(snake_name))

    def name_property(self, type_name: str) -> str | None:
        """The property that sets a resource's physical name, from the schema's shape."""
        schema = self.schemas.get(type_name)
        if not schema:
            return None
        props = schema.get("properties", {})
        read_only = {path.rsplit("/", 1)[-1] for path in schema.get("readOnlyProperties", [])}
        create_only = {path.rsplit("/", 1)[-1] for path in schema.get("createOnlyProperties", [])}
        primary = {path.rsplit("/", 1)[-1] for path in schema.get("primaryIdentifier", [])}
        last = type_name.rsplit("::", 1)[-1]
        candidates = [f"{last}Name", "Name", f"{last}Identifier", f"{last}Id"]
        for candidate in candidates:
            if (
                candidate in props
                and candidate not in read_only
                and (candidate in primary or candidate in create_only)
            ):
                props_type = props[candidate].get("type")
                if props_type in (None, "string"):
                    return candidate
        return None


# --------------------------------------------------------------------------------------------------
# Class table


_GENERATED_DEFAULT = re.compile(r"generat|assigned by cloudformation|automatically|unique", re.IGNORECASE)


def build_classes(
    asm: Assembly, cfn: CfnNames
) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    classes: dict[str, Any] = {}
    structs: dict[str, Any] = {}
    struct_types: dict[str, dict[str, str]] = {}
    construct_classes = [
        fqn
        for fqn, t in asm.types.items()
        if t["kind"] == "class" and fqn.startswith(LIB + ".") and "constructs.Construct" in asm.ancestors(fqn)
    ]
    resource_base = f"{LIB}.Resource"
    cfn_resource = f"{LIB}.CfnResource"

    def l1_type(fqn: str) -> str | None:
        return asm.types.get(fqn, {}).get("docs", {}).get("custom", {}).get("cloudformationResource")

    sibling_cache: dict[str, str | None] = {}

    def l2_type(fqn: str, depth: int = 0) -> tuple[str | None, str]:
        short = asm.short(fqn)
        if short in HAND_TYPES:
            return HAND_TYPES[short], "hand"
        tag = asm.types[fqn].get("docs", {}).get("custom", {}).get("resource")
        if tag and tag.startswith("AWS::"):
            return tag, "tag"
        if fqn not in sibling_cache:
            sibling_cache[fqn] = sibling_fast(fqn)
        if sibling_cache[fqn]:
            return sibling_cache[fqn], "sibling"
        base = asm.types[fqn].get("base")
        if base and base in asm.types and base not in (resource_base,) and depth < 10:
            found, _ = l2_type(base, depth + 1)
            if found:
                return found, "base"
        return None, ""

    # The namespace index makes sibling lookups linear.
    by_namespace: dict[str, dict[str, str]] = {}
    for fqn, t in asm.types.items():
        if t["kind"] == "class" and l1_type(fqn):
            by_namespace.setdefault(t.get("namespace", ""), {})[t["name"].lower()] = fqn

    def sibling_fast(fqn: str) -> str | None:
        t = asm.types[fqn]
        names = by_namespace.get(t.get("namespace", ""), {})
        lowered = t["name"].lower()
        for candidate in (f"cfn{lowered}", f"cfn{lowered.replace('database', 'db')}"):
            if candidate in names:
                return l1_type(names[candidate])
        return None

    mapped: list[str] = []
    unmapped: list[str] = []
    for fqn in sorted(construct_classes):
        t = asm.types[fqn]
        path = asm.python_path(fqn)
        if not path:
            continue
        short = asm.short(fqn)
        ancestors = asm.ancestors(fqn)
        signature = asm.signature(fqn)
        entry: dict[str, Any] = {
            "args": signature["args"],
            "kw": signature["kw"],
            "base": asm.python_path(t.get("base", "")) or t.get("base"),
        }
        if signature["required"]:
            entry["req"] = signature["required"]
        if signature["args_required"] != signature["args"]:
            entry["args_req"] = signature["args_required"]
        if t.get("abstract"):
            entry["abstract"] = True
        level = 0
        cfn_type = l1_type(fqn)
        if cfn_type and cfn_resource in ancestors:
            level = 1
            entry["src"] = "cfn"
        elif resource_base in ancestors or short in HAND_TYPES:
            # Hand-typed classes count as L2 even when their base is a plain Construct
            # (elbv2.TargetGroupBase extends Construct, not Resource).
            level = 2
            cfn_type, how = l2_type(fqn)
            entry["src"] = how or None
            if not t.get("abstract") and not t["name"].endswith("Base"):
                (mapped if cfn_type else unmapped).append(short)
        else:
            cfn_type = None
        entry["level"] = level
        if cfn_type:
            entry["type"] = cfn_type
            props: dict[str, str] = {}
            renames = HAND_RENAMES.get(short, {})
            for keyword in signature["kw"]:
                target = renames.get(keyword) or cfn.property(cfn_type, keyword)
                if target is None and level == 2:
                    target = _prefixed_match(cfn, cfn_type, keyword)
                if target:
                    props[keyword] = target
            entry["cfn"] = props
            entry["name"] = _name_keyword(asm, cfn, short, signature, cfn_type, props, level)
            if level == 2 and signature["props"]:
                entry["removal"] = _removal_default(asm, signature["props"])
        attrs = _attributes(asm, fqn, level)
        if attrs:
            entry["attrs"] = attrs
        classes[path] = {key: value for key, value in entry.items() if value not in (None, [], {})}
    # Props structs as Python classes (``cdk.StackProps(env=...)``): keyword-only initializers, so a
    # worktree subclass forwarding ``**kwargs`` to one can be checked like a construct.
    for fqn, t in asm.types.items():
        if t["kind"] == "interface" and t.get("datatype") and fqn.startswith(LIB + ".") and "Cfn" not in fqn:
            path = asm.python_path(fqn)
            if path and path not in classes:
                props = list(asm.struct_properties(fqn))
                entry = {"args": [], "kw": [snake(p["name"]) for p in props], "level": 0, "struct": True}
                required = [snake(p["name"]) for p in props if not p.get("optional")]
                if required:
                    entry["req"] = required
                classes[path] = entry
    # Nested property structs of L1 classes (``CfnBucket.VersioningConfigurationProperty``).
    for fqn, t in asm.types.items():
        if t["kind"] == "interface" and t.get("datatype") and fqn.startswith(LIB + "."):
            path = asm.python_path(fqn)
            if not path or "Cfn" not in path:
                continue
            structs[path] = {snake(p["name"]): cfn.nested(snake(p["name"])) for p in t.get("properties", [])}
            nested = _struct_keywords(asm, t.get("properties", []))
            if nested:
                struct_types[path] = nested
    # L1 keywords whose value is a property struct: plain dicts given there are converted like it.
    fqn_by_path = {asm.python_path(fqn): fqn for fqn in construct_classes}
    for path, entry in classes.items():
        if entry.get("level") == 1:
            props_fqn = asm.signature(fqn_by_path.get(path, "")).get("props")
            if props_fqn:
                nested = _struct_keywords(asm, list(asm.struct_properties(props_fqn)))
                if nested:
                    struct_types[path] = nested
    structs["__types__"] = struct_types
    return classes, structs, mapped, unmapped


_REMOVAL_MEMBER = re.compile(r"RemovalPolicy\.(\w+)", re.IGNORECASE)


def _removal_default(asm: Assembly, props_fqn: str) -> str | None:
    """The RemovalPolicy an L2 construct applies when ``removal_policy`` is not given, read from
    the ``@default`` of its props' ``removalPolicy`` (``RemovalPolicy.RETAIN``, ``- The bucket will
    be orphaned.``, ``- Retain cluster.``): "retain" or "snapshot"; None for destroy or not stated."""
    for prop in asm.struct_properties(props_fqn):
        if prop["name"] != "removalPolicy":
            continue
        text = prop.get("docs", {}).get("default", "")
        member = _REMOVAL_MEMBER.search(text)
        word = member.group(1).lower() if member else text.lower()
        if word.startswith("retain") or "orphaned" in word or word.lstrip("- ").startswith("retain"):
            return "retain"
        if word.startswith("snapshot"):
            return "snapshot"
        return None
    return None


def _struct_ref(asm: Assembly, type_ref: dict[str, Any], depth: int = 0) -> str | None:
    """The property struct a jsii type refers to (directly, in a list/map, or in a union)."""
    if depth > 4 or not isinstance(type_ref, dict):
        return None
    fqn = type_ref.get("fqn")
    if fqn and asm.is_struct(type_ref) and "Cfn" in fqn:
        return asm.python_path(fqn)
    if "collection" in type_ref:
        return _struct_ref(asm, type_ref["collection"].get("elementtype", {}), depth + 1)
    for member in type_ref.get("union", {}).get("types", []):
        found = _struct_ref(asm, member, depth + 1)
        if found:
            return found
    return None


def _struct_keywords(asm: Assembly, properties: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for prop in properties:
        target = _struct_ref(asm, prop.get("type", {}))
        if target:
            found[snake(prop["name"])] = target
    return found


def _prefixed_match(cfn: CfnNames, cfn_type: str, keyword: str) -> str | None:
    """``cluster_identifier`` -> ``DBClusterIdentifier``: a CFN property ending with the keyword."""
    key = keyword.replace("_", "")
    hits = [
        exact
        for lower, exact in cfn.by_type.get(cfn_type, {}).items()
        if lower.endswith(key) and len(key) > 5
    ]
    return hits[0] if len(hits) == 1 else None


def _name_keyword(
    asm: Assembly,
    cfn: CfnNames,
    short: str,
    signature: dict[str, Any],
    cfn_type: str,
    props: dict[str, str],
    level: int,
) -> str | None:
    if short in HAND_NAME_PROPS:
        return HAND_NAME_PROPS[short]
    name_property = cfn.name_property(cfn_type)
    if level == 1:
        return (
            next((kw for kw, target in props.items() if target == name_property), None)
            if name_property
            else None
        )
    if not signature.get("props"):
        return None
    for prop in asm.struct_properties(signature["props"]):
        keyword = snake(prop["name"])
        if not keyword.endswith(("_name", "_identifier", "_id")) and keyword != "name":
            continue
        default = prop.get("docs", {}).get("default", "")
        target = props.get(keyword)
        if _GENERATED_DEFAULT.search(default) and (
            target is None or target == name_property or name_property is None
        ):
            return keyword
        if target and target == name_property:
            return keyword
    return None


def _attributes(asm: Assembly, fqn: str, level: int) -> dict[str, str]:
    """String attributes (``bucket_arn`` -> ``Arn``; L1 ``attr_arn`` -> ``Arn``)."""
    out: dict[str, str] = {}
    prefixes = sorted(
        {snake(asm.types[o]["name"]) for o in [fqn, *asm.ancestors(fqn)] if o in asm.types}
        | {snake(asm.types[fqn]["name"]).split("_")[-1]},
        key=len,
        reverse=True,
    )
    for owner in [fqn, *asm.ancestors(fqn)]:
        for prop in asm.types.get(owner, {}).get("properties", []):
            if prop.get("static") or prop.get("type", {}).get("primitive") != "string":
                continue
            name = prop["name"]
            keyword = snake(name)
            if level == 1:
                if name.startswith("attr"):
                    out.setdefault(keyword, name[4:])
                elif name == "ref":
                    out.setdefault("ref", "")
            elif level == 2 and re.search(r"(Arn|Name|Id|Url|Endpoint\w*|DomainName|Identifier)$", name):
                out.setdefault(keyword, _attribute_name(keyword, prefixes))
    return out


def _attribute_name(keyword: str, prefixes: list[str]) -> str:
    """``log_group_name`` on LogGroup -> ``Name``; ``table_stream_arn`` on Table -> ``StreamArn``."""
    remainder = keyword
    for prefix in prefixes:
        if keyword.startswith(prefix + "_"):
            remainder = keyword[len(prefix) + 1 :]
            break
    else:
        remainder = keyword.split("_", 1)[1] if "_" in keyword else keyword
    return pascal(remainder)


# --------------------------------------------------------------------------------------------------
# Grants from the JavaScript


def build_grants(asm: Assembly, sources: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    constants: dict[str, dict[str, list[str]]] = {}
    for path, text in sources.items():
        if path.endswith("perms.js"):  # lib/perms.js or lib/private/perms.js, per service directory
            constants.setdefault(path.split("/", 1)[0], {}).update(_perms_constants(text))
    grants: dict[str, dict[str, list[str]]] = {}
    for fqn, t in asm.types.items():
        if t["kind"] != "class" or not fqn.startswith(LIB + "."):
            continue
        methods = [
            m["name"] for m in t.get("methods", []) if m["name"].startswith("grant") and not m.get("static")
        ]
        if not methods:
            continue
        filename = t.get("locationInModule", {}).get("filename", "")
        if not filename:
            continue
        directory = filename.rsplit("/", 1)[0]
        module_js = {p: s for p, s in sources.items() if p.rsplit("/", 1)[0] == directory}
        own = module_js.get(filename.replace(".ts", ".js"), "")
        perms = constants.get(directory.split("/", 1)[0], {})
        table: dict[str, list[str]] = {}
        for method in methods:
            actions = _resolve(method, own, module_js, perms, depth=0)
            if actions:
                table[snake(method)] = sorted(set(actions))
        path = asm.python_path(fqn)
        if table and path:
            grants[path] = table
    for short, table in HAND_GRANTS.items():
        path = asm.python_path(f"{LIB}.{short}")
        if path:  # hand entries add to what the JavaScript gave
            for method, actions in table.items():
                known = grants.setdefault(path, {}).get(method, [])
                grants[path][method] = sorted(set(known) | set(actions))
    return grants


def _perms_constants(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for match in re.finditer(r"exports\.([A-Z_0-9]+)=(\[[^\]]*\]|\"[^\"]*\")", text):
        name, body = match.groups()
        actions = _ACTION.findall(body)
        for spread in re.findall(r"\.\.\.exports\.([A-Z_0-9]+)", body):
            actions.extend(found.get(spread, []))
        found[name] = actions
    return found


def _body(text: str, method: str) -> str | None:
    match = re.search(rf"(?<![\w.]){re.escape(method)}\([^)]*\)\{{", text)
    if not match:
        return None
    depth, index = 0, match.end() - 1
    while index < len(text):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[match.end() : index]
        index += 1
    return None


def _resolve(
    method: str, own: str, module_js: dict[str, str], perms: dict[str, list[str]], depth: int
) -> list[str]:
    if depth > 4:
        return []
    body = _body(own, method)
    if body is None:
        return []
    body = re.sub(r"try\{jsiiDeprecationWarnings\(\).*?\}catch\(error\)\{.*?error\}", "", body)
    actions = _ACTION.findall(body)
    for constant in re.findall(r"perms\w*\(\)\.([A-Z_0-9]+)", body):
        actions.extend(perms.get(constant, []))
    for delegate in re.findall(r"this\.grants\.(\w+)\(", body):
        for path, text in module_js.items():
            if "grants" in path.rsplit("/", 1)[-1]:
                actions.extend(_resolve(delegate, text, module_js, perms, depth + 1))
    for delegate in re.findall(r"this\.(grant\w*)\(", body):
        if delegate != method:
            actions.extend(_resolve(delegate, own, module_js, perms, depth + 1))
    return actions


# --------------------------------------------------------------------------------------------------


def required_struct_fields(asm: Assembly) -> dict[str, list[str]]:
    """L1 property struct -> the jsii (camelCase) names of its required fields: a plain dict given
    for the struct must carry them under exactly these keys (jsii passes dict keys unchanged)."""
    found: dict[str, list[str]] = {}
    for fqn, t in asm.types.items():
        if t["kind"] != "interface" or not t.get("datatype") or not fqn.startswith(LIB + "."):
            continue
        path = asm.python_path(fqn)
        if not path or "Cfn" not in path:
            continue
        required = [p["name"] for p in t.get("properties", []) if not p.get("optional")]
        if required:
            found[path] = required
    return found


def module_names(asm: Assembly) -> dict[str, str]:
    """Python module -> its public top-level names (classes, enums, interfaces, structs), space
    separated: what ``module.Name`` can read without AttributeError."""
    names: dict[str, set[str]] = {}
    for fqn in asm.types:
        path = asm.python_path(fqn)
        if not path:
            continue
        module = module_of(path)
        rest = path[len(module) + 1 :]
        if rest and "." not in rest and not rest.startswith("_"):
            names.setdefault(module, set()).add(rest)
    return {module: " ".join(sorted(found)) for module, found in sorted(names.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded aws_cdk_lib wheel (else pip downloads it)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        wheel = options.wheel or fetch_wheel(Path(scratch))
        data, sources = read_package(wheel)
    asm = Assembly(data)
    cfn = CfnNames(cfn_schemas())
    classes, structs, mapped, unmapped = build_classes(asm, cfn)
    struct_types = structs.pop("__types__")
    struct_required = required_struct_fields(asm)
    grants = build_grants(asm, sources)
    # constructs.Construct is in the `constructs` package, not aws-cdk-lib: Construct(scope, id).
    classes["constructs.Construct"] = {"args": ["scope", "id"], "kw": [], "level": 0}
    companions = {asm.python_path(f"{LIB}.{short}"): items for short, items in COMPANIONS.items()}
    # One JSON text per Python module, parsed only when a scan first touches that module: a scan
    # reads a dozen modules, not all 300 (see plugins/cdk/tables.py).
    modules: dict[str, dict[str, dict[str, Any]]] = {}
    for section, table in (
        ("classes", classes),
        ("structs", structs),
        ("struct_types", struct_types),
        ("struct_required", struct_required),
        ("grants", grants),
    ):
        for path, entry in table.items():
            modules.setdefault(module_of(path), {}).setdefault(section, {})[path] = entry
    tables = {
        "version": VERSION,
        "names": module_names(asm),
        "modules": {
            name: json.dumps(blob, separators=(",", ":"), sort_keys=True) for name, blob in modules.items()
        },
        "companions": companions,
        "hand_types": sorted(HAND_TYPES),
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(tables, separators=(",", ":"), sort_keys=True).encode()
    options.output.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    l1 = sum(1 for entry in classes.values() if entry.get("level") == 1)
    print(f"classes: {len(classes)} (L1 {l1}); structs: {len(structs)}; grant tables: {len(grants)}")
    print(
        f"L2 construct classes (concrete): {len(mapped) + len(unmapped)}; mapped {len(mapped)}; "
        f"unmapped {len(unmapped)}"
    )
    print("unmapped:", ", ".join(unmapped))
    print(f"wrote {options.output} ({options.output.stat().st_size:,} bytes gzip, {len(raw):,} raw)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
