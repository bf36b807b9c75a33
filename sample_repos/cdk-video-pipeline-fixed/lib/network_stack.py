import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class NetworkStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpc = ec2.Vpc(self, "VideoVpc", max_azs=2, nat_gateways=1)
        self.ecs_security_group = ec2.SecurityGroup(
            self, "EcsSecurityGroup", vpc=self.vpc, security_group_name=f"video-ecs-sg-{environment_suffix}"
        )
