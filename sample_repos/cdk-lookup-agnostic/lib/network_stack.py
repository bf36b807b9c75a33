"""The app's security group, in the shared VPC of the account."""
from aws_cdk import NestedStack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class NetworkStack(NestedStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)

        vpc = ec2.Vpc.from_lookup(self, "SharedVpc", vpc_name="shared-services")
        self.app_security_group = ec2.SecurityGroup(
            self,
            "AppSecurityGroup",
            vpc=vpc,
            description=f"app traffic ({environment_suffix})",
            allow_all_outbound=True,
        )
