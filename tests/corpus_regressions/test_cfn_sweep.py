"""Regressions reduced from the CloudFormation sweep over real TAP-layout and SAM templates.

Each template here is written in our own names and keeps only the shape that mattered, scanned
through the real engine and plugins.
"""

from __future__ import annotations

from pathlib import Path

from analyzer import config
from analyzer.engine import scan
from analyzer.findings import Finding

SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def findings(root: Path, template: str) -> list[Finding]:
    path = root / "lib" / "TapStack.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template, encoding="utf-8")
    return list(scan([root], config.load(root)).findings)


def rule_ids(found: list[Finding]) -> list[str]:
    return [f.rule_id for f in found]


# The AWS SAM documentation's API shape: an OpenAPI body whose integration names the function, and
# the function's Api event naming the API. SAM adds the route to the API (the API waits for the
# function); the function waits for nothing. It was reported as a cycle Api -> Handler -> Api.
SAM_API_WITH_DEFINITION = (
    SAM_HEADER
    + """\
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        paths:
          /items:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            return {"statusCode": 200}
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: get
"""
)


def test_sam_api_event_on_an_api_whose_definition_names_the_function_is_no_cycle(tmp_path: Path) -> None:
    assert "IAC011" not in rule_ids(findings(tmp_path, SAM_API_WITH_DEFINITION))


# SAM's well-known loop: an S3 event makes the bucket's notification wait for the function, and a
# policy template naming the bucket by !Ref makes the function's role wait for the bucket.
SAM_S3_EVENT = (
    SAM_HEADER
    + """\
  Uploads:
    Type: AWS::S3::Bucket
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            return None
      Policies:
        - S3ReadPolicy:
            BucketName: %s
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
"""
)


def test_sam_s3_event_with_a_policy_naming_the_bucket_is_the_real_cycle(tmp_path: Path) -> None:
    (cycle,) = [f for f in findings(tmp_path / "ref", SAM_S3_EVENT % "!Ref Uploads") if f.rule_id == "IAC011"]
    assert "'Uploads' refers to 'Worker' (NotificationConfiguration)" in cycle.message
    assert "Policies[0].S3ReadPolicy.BucketName" in cycle.message
    # Naming the bucket by a literal (the documented way out) leaves only the event: no cycle.
    assert "IAC011" not in rule_ids(findings(tmp_path / "literal", SAM_S3_EVENT % "uploads-bucket"))


# An AWS sample's ECS service scaling policy: 'AStepPolicy' is unique per scalable target, and the
# target is this stack's own service, so two deployments never share the name.
SCALING_POLICY = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      MaxCapacity: 2
      MinCapacity: 1
      ResourceId: !Sub service/${Cluster}/web
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs
  ByTarget:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: AStepPolicy
      PolicyType: StepScaling
      ScalingTargetId: !Ref Target
  ByResource:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: CpuPolicy
      PolicyType: TargetTrackingScaling
      ResourceId: !Sub service/${Cluster}/web
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs
  Elsewhere:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: SharedPolicy
      PolicyType: TargetTrackingScaling
      ResourceId: service/shared-cluster/web
      ScalableDimension: ecs:service:DesiredCount
      ServiceNamespace: ecs
"""


def test_a_scaling_policy_name_is_scoped_by_this_stacks_scalable_target(tmp_path: Path) -> None:
    reported = {f.resource for f in findings(tmp_path, SCALING_POLICY) if f.rule_id == "IAC002"}
    assert reported == {"Elsewhere"}  # the same fixed target in every deployment: the name collides


# A fixed node group, consumer or schedule name inside this deployment's own cluster, stream or
# schedule group (a CDK `add_nodegroup_capacity(..., nodegroup_name="workers")` renders the same).
PARENT_SCOPED = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EnvironmentSuffix: {Type: String, Default: dev}
  NodeRoleArn: {Type: String}
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: !Sub eks-${EnvironmentSuffix}
      RoleArn: !Ref NodeRoleArn
      ResourcesVpcConfig: {SubnetIds: [subnet-1, subnet-2]}
  Workers:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: !Ref Cluster
      NodegroupName: workers
      NodeRole: !Ref NodeRoleArn
      Subnets: [subnet-1]
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
  Reader:
    Type: AWS::Kinesis::StreamConsumer
    Properties:
      ConsumerName: analytics
      StreamARN: !GetAtt Stream.Arn
  Group:
    Type: AWS::Scheduler::ScheduleGroup
    Properties: {Name: !Sub "jobs-${EnvironmentSuffix}"}
  Nightly:
    Type: AWS::Scheduler::Schedule
    Properties:
      Name: nightly
      GroupName: !Ref Group
      ScheduleExpression: rate(1 day)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target: {Arn: "arn:aws:sqs:us-east-1:123456789012:q", RoleArn: "arn:aws:iam::123456789012:role/r"}
  DefaultGroup:
    Type: AWS::Scheduler::Schedule
    Properties:
      Name: hourly
      ScheduleExpression: rate(1 hour)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target: {Arn: "arn:aws:sqs:us-east-1:123456789012:q", RoleArn: "arn:aws:iam::123456789012:role/r"}
"""


def test_names_unique_within_this_deployments_parent_are_not_fixed_names(tmp_path: Path) -> None:
    found = findings(tmp_path, PARENT_SCOPED)
    assert "IAC901" not in [f.rule_id for f in found]
    reported = {f.resource for f in found if f.rule_id == "IAC002"}
    assert reported == {"DefaultGroup"}  # the account's default schedule group is shared


# A VPC whose internet gateway exists only in production: the NAT gateway cannot be ordered after
# the gateway attachment with DependsOn (the default deployment does not create it, and a DependsOn
# on it would fail the template). A condition that holds with the defaults still counts.
NAT_AND_CONDITIONAL_GATEWAY = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Environment: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  WithGateway: {Type: String, Default: "true"}
Conditions:
  IsProduction: !Equals [!Ref Environment, prod]
  HasGateway: !Equals [!Ref WithGateway, "true"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  Gateway:
    Type: AWS::EC2::InternetGateway
    Condition: %(condition)s
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Condition: %(condition)s
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}
  Eip:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref Public, AllocationId: !GetAtt Eip.AllocationId}
"""


def test_an_ordering_on_a_production_only_prerequisite_is_not_asked_for(tmp_path: Path) -> None:
    production_only = NAT_AND_CONDITIONAL_GATEWAY % {"condition": "IsProduction"}
    assert "IAC005" not in rule_ids(findings(tmp_path / "prod", production_only))
    by_default = NAT_AND_CONDITIONAL_GATEWAY % {"condition": "HasGateway"}
    nat = [f for f in findings(tmp_path / "default", by_default) if f.rule_id == "IAC005"]
    assert [f.resource for f in nat] == ["Nat"]
