"""Golden diffs: each fix changes only what it must; comments, quotes and layout stay."""

from __future__ import annotations

import textwrap
from pathlib import Path

from analyzer.rules.base import Example
from tests.fixes.helpers import fixed_text

PULUMI_TAP = Example.pulumi("").files["tap.py"]


def fix(tmp_path: Path, example: Example, relative: str, *, unsafe: bool = False) -> tuple[str, str]:
    example.materialize(tmp_path)
    before = (tmp_path / relative).read_text(encoding="utf-8")
    return before, fixed_text(tmp_path, relative, unsafe=unsafe)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_iac006_call_and_dict_entries_keep_comments_and_quotes(tmp_path: Path) -> None:
    stack = dedent(
        """
        import pulumi
        import pulumi_aws as aws


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                aws.rds.ClusterParameterGroup(
                    f"aurora-params-{args.environment_suffix}",
                    family="aurora-postgresql15",
                    parameters=[
                        # logical replication for DMS
                        aws.rds.ClusterParameterGroupParameterArgs(
                            name="rds.logical_replication",
                            value="1",  # CDC
                        ),
                        aws.rds.ClusterParameterGroupParameterArgs(name="max_connections", value="500", apply_method="immediate"),
                    ],
                )
                aws.rds.ParameterGroup(
                    f"pg-{args.environment_suffix}",
                    family="postgres16",
                    parameters=[{'name': 'max_wal_senders', 'value': '20'}],
                )
        """
    )
    _, after = fix(tmp_path, Example.pulumi(stack), "lib/tap_stack.py")
    expected = (
        stack.replace(
            '                    value="1",  # CDC\n',
            '                    value="1",  # CDC\n                    apply_method="pending-reboot",\n',
        )
        .replace('value="500", apply_method="immediate")', 'value="500", apply_method="pending-reboot")')
        .replace("'value': '20'}", "'value': '20', 'apply_method': 'pending-reboot'}")
    )
    assert after == expected


def test_iac005_merges_into_existing_depends_on_and_adds_opts(tmp_path: Path) -> None:
    stack = dedent(
        """
        import json

        import pulumi
        import pulumi_aws as aws


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                suffix = args.environment_suffix
                assume = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
                role = aws.iam.Role("dms-vpc-role", name="dms-vpc-role", assume_role_policy=assume)
                attachment = aws.iam.RolePolicyAttachment(
                    f"dms-vpc-policy-{suffix}",
                    role=role.name,
                    policy_arn="arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
                )
                aws.dms.ReplicationSubnetGroup(
                    f"dms-subnets-{suffix}",
                    replication_subnet_group_id=f"dms-subnets-{suffix}",
                    replication_subnet_group_description="dms",
                    subnet_ids=["subnet-1", "subnet-2"],
                    # wait for the role
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[role]),
                )
        """
    )
    before, after = fix(tmp_path, Example.pulumi(stack), "lib/tap_stack.py")
    assert after == before.replace("depends_on=[role])", "depends_on=[role, attachment])")


def test_iac005_cloudformation_yaml_string_and_missing_depends_on(tmp_path: Path) -> None:
    template = dedent(
        """
        Resources:
          DmsVpcRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: dms-vpc-role  # looked up by name
              AssumeRolePolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: {Service: dms.amazonaws.com}, Action: sts:AssumeRole}
              ManagedPolicyArns:
                - arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole
          SubnetGroup:
            Type: AWS::DMS::ReplicationSubnetGroup
            Properties:
              ReplicationSubnetGroupDescription: dms
              SubnetIds: [subnet-1, subnet-2]
        """
    )
    before, after = fix(tmp_path, Example.cfn_yaml(template), "lib/TapStack.yml")
    assert after == before.replace(
        "  SubnetGroup:\n    Type:", "  SubnetGroup:\n    DependsOn: [DmsVpcRole]\n    Type:"
    )


def test_iac005_cloudformation_json_extends_a_string_depends_on(tmp_path: Path) -> None:
    template = dedent(
        """
        {
          "Resources": {
            "DmsVpcRole": {
              "Type": "AWS::IAM::Role",
              "Properties": {
                "RoleName": "dms-vpc-role",
                "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"]
              }
            },
            "Other": {"Type": "AWS::SNS::Topic"},
            "SubnetGroup": {
              "Type": "AWS::DMS::ReplicationSubnetGroup",
              "DependsOn": "Other",
              "Properties": {"ReplicationSubnetGroupDescription": "dms", "SubnetIds": ["subnet-1"]}
            }
          }
        }
        """
    )
    before, after = fix(tmp_path, Example.cfn_json(template), "lib/TapStack.json")
    assert after == before.replace('"DependsOn": "Other"', '"DependsOn": ["Other", "DmsVpcRole"]')


def test_iac002_python_styles(tmp_path: Path) -> None:
    stack = dedent(
        """
        import pulumi
        import pulumi_aws as aws


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                self.environment_suffix = args.environment_suffix
                aws.sns.Topic("known", name=f"known_{self.environment_suffix}")
                aws.s3.Bucket(
                    "data",
                    bucket='tap-data',  # single quotes stay
                )
                aws.sqs.Queue("jobs", name=f"jobs-{{raw}}-{pulumi.get_organization()}")
        """
    )
    before, after = fix(tmp_path, Example.pulumi(stack), "lib/tap_stack.py")
    assert after == before.replace("bucket='tap-data',", "bucket=f'tap-data_{self.environment_suffix}',")


def test_iac002_templates(tmp_path: Path) -> None:
    template = dedent(
        """
        Parameters:
          EnvironmentSuffix:
            Type: String
        Resources:
          Data:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: "tap-data"   # double quotes
          Jobs:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub "jobs-${AWS::Region}"
          Known:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub 'known-${EnvironmentSuffix}'
        """
    )
    before, after = fix(tmp_path, Example.cfn_yaml(template), "lib/TapStack.yml")
    assert after == before.replace(
        'BucketName: "tap-data"', "BucketName: !Sub 'tap-data-${EnvironmentSuffix}'"
    ).replace('!Sub "jobs-${AWS::Region}"', '!Sub "jobs-${AWS::Region}-${EnvironmentSuffix}"')


def test_iac002_json_template(tmp_path: Path) -> None:
    template = dedent(
        """
        {
          "Parameters": {"EnvironmentSuffix": {"Type": "String"}},
          "Resources": {
            "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "tap-data"}},
            "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "jobs-${AWS::Region}"}}}
          }
        }
        """
    )
    before, after = fix(tmp_path, Example.cfn_json(template), "lib/TapStack.json")
    assert after == before.replace(
        '"BucketName": "tap-data"', '"BucketName": {"Fn::Sub": "tap-data-${EnvironmentSuffix}"}'
    ).replace('"jobs-${AWS::Region}"', '"jobs-${AWS::Region}-${EnvironmentSuffix}"')


def test_iac002_no_suffix_in_scope_no_fix(tmp_path: Path) -> None:
    stack = dedent(
        """
        import pulumi
        import pulumi_aws as aws


        def make_bucket():
            return aws.s3.Bucket("data", bucket="tap-data")


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                make_bucket()
        """
    )
    before, after = fix(tmp_path, Example.pulumi(stack), "lib/tap_stack.py")
    assert after == before


def test_iac001_adds_config_after_comments(tmp_path: Path) -> None:
    stack = dedent(
        """
        import pulumi


        class TapStackArgs:
            def __init__(self, environment_suffix: str, vpc_id: str, db_password: str, subnet_ids: list[str]):
                self.environment_suffix = environment_suffix


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
        """
    )
    tap = dedent(
        """
        import pulumi
        from lib.tap_stack import TapStack, TapStackArgs

        # the stack
        stack = TapStack("TapStack", TapStackArgs(environment_suffix="dev"))  # one stack
        """
    )
    before, after = fix(tmp_path, Example.pulumi(stack, tap), "tap.py", unsafe=True)
    assert after == before.replace(
        '# the stack\nstack = TapStack("TapStack", TapStackArgs(environment_suffix="dev"))  # one stack\n',
        "# the stack\n"
        "config = pulumi.Config()\n"
        'stack = TapStack("TapStack", TapStackArgs(\n'
        '    environment_suffix="dev",\n'
        '    vpc_id=config.require("vpc_id"),\n'
        '    db_password=config.require_secret("db_password"),\n'
        '    subnet_ids=config.require_object("subnet_ids"),\n'
        "))  # one stack\n",
    )
    safe_only = fixed_text(tmp_path, "tap.py")
    assert safe_only == before


def test_iac003_yaml_block_statement_first_in_the_policy(tmp_path: Path) -> None:
    from analyzer.rules.iac003_missing_pass_role import _scheduler_template

    template = _scheduler_template("")
    before, after = fix(tmp_path, Example.cfn_yaml(template), "lib/TapStack.yml", unsafe=True)
    assert after == before.replace(
        "            Statement:\n              - Effect: Allow\n                Action: scheduler:CreateSchedule\n",
        "            Statement:\n"
        "              - Effect: Allow\n"
        "                Action: iam:PassRole\n"
        "                Resource: !GetAtt SchedulerRole.Arn\n"
        "                Condition:\n"
        "                  StringEquals:\n"
        "                    iam:PassedToService: scheduler.amazonaws.com\n"
        "              - Effect: Allow\n"
        "                Action: scheduler:CreateSchedule\n",
    )
    assert fixed_text(tmp_path, "lib/TapStack.yml") == before  # unsafe: not without --unsafe-fixes


def test_iac004_role_names(tmp_path: Path) -> None:
    template = dedent(
        """
        Parameters:
          EnvironmentSuffix: {Type: String}
        Resources:
          DmsRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: !Sub "dms-vpc-role-${EnvironmentSuffix}"  # suffixed by mistake
              AssumeRolePolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: {Service: dms.amazonaws.com}, Action: sts:AssumeRole}
              ManagedPolicyArns:
                - arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole
          SubnetGroup:
            Type: AWS::DMS::ReplicationSubnetGroup
            DependsOn: DmsRole
            Properties:
              ReplicationSubnetGroupDescription: dms
              SubnetIds: [subnet-1]
        """
    )
    before, after = fix(tmp_path, Example.cfn_yaml(template), "lib/TapStack.yml", unsafe=True)
    assert after == before.replace('!Sub "dms-vpc-role-${EnvironmentSuffix}"', '"dms-vpc-role"')


def test_iac003_cdk_add_to_policy_after_the_roles(tmp_path: Path) -> None:
    from analyzer.rules.iac003_missing_pass_role import MissingPassRole

    example = MissingPassRole.INVALID[7]
    anchor = '        role.add_to_policy(iam.PolicyStatement(actions=["scheduler:CreateSchedule"]'
    before, after = fix(tmp_path, example, "lib/tap_stack.py", unsafe=True)
    assert after == before.replace(
        anchor,
        "        role.add_to_policy(\n"
        "            iam.PolicyStatement(\n"
        '                actions=["iam:PassRole"],\n'
        "                resources=[scheduler_role.role_arn],\n"
        '                conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},\n'
        "            )\n"
        "        )\n" + anchor,
    )


def test_iac005_cdk_binds_unnamed_constructs(tmp_path: Path) -> None:
    stack = dedent(
        """
        import aws_cdk as cdk
        from aws_cdk import aws_ec2 as ec2
        from constructs import Construct


        class TapStack(cdk.Stack):
            def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                super().__init__(scope, construct_id, **kwargs)
                vpc = ec2.CfnVPC(self, "Vpc", cidr_block="10.0.0.0/16")
                igw = ec2.CfnInternetGateway(self, "Igw")
                # attach the gateway
                ec2.CfnVPCGatewayAttachment(self, "GatewayAttach", vpc_id=vpc.ref, internet_gateway_id=igw.ref)
                table = ec2.CfnRouteTable(self, "Public", vpc_id=vpc.ref)
                ec2.CfnRoute(self, "Default", route_table_id=table.ref, destination_cidr_block="0.0.0.0/0", gateway_id=igw.ref)
        """
    )
    before, after = fix(tmp_path, Example.cdk(stack), "lib/tap_stack.py")
    assert after == before.replace(
        "        ec2.CfnVPCGatewayAttachment(", "        gateway_attach = ec2.CfnVPCGatewayAttachment("
    ).replace(
        '        ec2.CfnRoute(self, "Default", route_table_id=table.ref, destination_cidr_block="0.0.0.0/0", gateway_id=igw.ref)\n',
        '        default = ec2.CfnRoute(self, "Default", route_table_id=table.ref, destination_cidr_block="0.0.0.0/0", gateway_id=igw.ref)\n'
        "        default.node.add_dependency(gateway_attach)\n",
    )


def test_iac002_uses_an_attribute_the_method_set(tmp_path: Path) -> None:
    stack = dedent(
        """
        import pulumi
        import pulumi_aws as aws


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                self.environment_suffix = args.environment_suffix
                self.bucket = aws.s3.Bucket("data", bucket="tap-data")
        """
    )
    before, after = fix(tmp_path, Example.pulumi(stack), "lib/tap_stack.py")
    assert after == before.replace('bucket="tap-data"', 'bucket=f"tap-data-{self.environment_suffix}"')


def test_iac005_options_from_a_variable_are_merged(tmp_path: Path) -> None:
    stack = dedent(
        """
        import json

        import pulumi
        import pulumi_aws as aws


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                suffix = args.environment_suffix
                child = pulumi.ResourceOptions(parent=self)
                assume = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
                role = aws.iam.Role("dms-vpc-role", name="dms-vpc-role", assume_role_policy=assume, opts=child)
                aws.dms.ReplicationSubnetGroup(
                    f"dms-subnets-{suffix}",
                    replication_subnet_group_id=f"dms-subnets-{suffix}",
                    replication_subnet_group_description="dms",
                    subnet_ids=["subnet-1"],
                    opts=child,
                )
        """
    )
    before, after = fix(tmp_path, Example.pulumi(stack), "lib/tap_stack.py")
    assert after == before.replace(
        "            opts=child,\n        )",
        "            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[role])),\n        )",
    )
